/* sock_diag for SCTP: one SOCK_DIAG_BY_FAMILY dump per address family,
 * asking for INET_DIAG_INFO (struct sctp_info).  The kernel (net/sctp/diag.c)
 * sends, per socket, one message for the endpoint (no INET_DIAG_PEERS) and
 * one per association (with INET_DIAG_LOCALS and INET_DIAG_PEERS, arrays of
 * struct sockaddr_storage). */
#include "kdiag.h"
#include "kinfo.h"
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int dump_family(int family, k_diag_cb cb, void *arg, int *count, int *stop)
{
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return -errno;
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 r;
	} req;
	memset(&req, 0, sizeof req);
	req.nlh.nlmsg_len = sizeof req;
	req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nlh.nlmsg_seq = 1;
	req.r.sdiag_family = (uint8_t)family;
	req.r.sdiag_protocol = IPPROTO_SCTP;
	req.r.idiag_ext = 1 << (INET_DIAG_INFO - 1);
	/* every association state; TCPF_LISTEN would add endpoints we skip anyway */
	req.r.idiag_states = 0xffffffffu & ~(1u << 10);
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
	if (sendto(fd, &req, sizeof req, 0, (struct sockaddr *)&sa, sizeof sa) < 0) {
		int e = -errno;
		close(fd);
		return e;
	}
	size_t bufsz = 65536;
	char *buf = malloc(bufsz);
	k_diag_assoc *a = malloc(sizeof *a);
	int rc = 0, done = 0;
	if (!buf || !a) {
		rc = -ENOMEM;
		done = 1;
	}
	while (!done) {
		ssize_t n = recv(fd, buf, bufsz, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		if (n == 0)
			break;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE) {
				done = 1;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *er = NLMSG_DATA(h);
				rc = er->error ? er->error : 0;
				done = 1;
				break;
			}
			if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY || *stop)
				continue;
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg)))
				continue;
			struct inet_diag_msg *m = NLMSG_DATA(h);
			memset(a, 0, sizeof *a);
			a->inode = m->idiag_inode;
			a->family = m->idiag_family;
			a->sport = ntohs(m->id.idiag_sport);
			a->dport = ntohs(m->id.idiag_dport);
			a->state = m->idiag_state;
			int is_assoc = 0;
			struct rtattr *at = (struct rtattr *)(m + 1);
			int alen = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof *m));
			for (; RTA_OK(at, alen); at = RTA_NEXT(at, alen)) {
				size_t pl = RTA_PAYLOAD(at);
				if (at->rta_type == INET_DIAG_INFO) {
					memcpy(&a->info, RTA_DATA(at), pl < sizeof a->info ? pl : sizeof a->info);
					a->have_info = 1;
				} else if (at->rta_type == INET_DIAG_LOCALS || at->rta_type == INET_DIAG_PEERS) {
					int peers = at->rta_type == INET_DIAG_PEERS;
					struct sockaddr_storage *dst = peers ? a->peers : a->locals;
					int *cnt = peers ? &a->npeers : &a->nlocals;
					size_t k = pl / sizeof(struct sockaddr_storage);
					for (size_t i = 0; i < k && *cnt < K_DIAG_MAXADDR; i++)
						memcpy(&dst[(*cnt)++], (char *)RTA_DATA(at) + i * sizeof(struct sockaddr_storage),
						       sizeof(struct sockaddr_storage));
					if (peers)
						is_assoc = 1;
				}
			}
			if (!is_assoc)
				continue; /* an endpoint (socket) record */
			(*count)++;
			if (cb && cb(a, arg))
				*stop = 1;
		}
	}
	free(buf);
	free(a);
	close(fd);
	return rc;
}

int k_diag_assocs(k_diag_cb cb, void *arg)
{
	int count = 0, stop = 0;
	int e4 = dump_family(AF_INET, cb, arg, &count, &stop);
	int e6 = stop ? 0 : dump_family(AF_INET6, cb, arg, &count, &stop);
	if (e4 < 0 && e6 < 0)
		return e4;
	return count;
}

struct find_arg {
	uint32_t inode;
	int dport;
	const struct sockaddr_storage *peers;
	int npeers;
	k_diag_assoc *out;
	int found;
};

static int find_cb(const k_diag_assoc *a, void *p)
{
	struct find_arg *f = p;
	if (a->inode != f->inode || a->dport != f->dport)
		return 0;
	for (int i = 0; i < a->npeers; i++)
		for (int j = 0; j < f->npeers; j++)
			if (k_same_addr((const struct sockaddr *)&a->peers[i], (const struct sockaddr *)&f->peers[j])) {
				memcpy(f->out, a, sizeof *a);
				f->found = 1;
				return 1;
			}
	return 0;
}

int k_diag_find(uint32_t inode, int dport, const struct sockaddr_storage *peers, int npeers,
		k_diag_assoc *out)
{
	struct find_arg f = {inode, dport, peers, npeers, out, 0};
	int e = k_diag_assocs(find_cb, &f);
	if (e < 0)
		return e;
	return f.found ? 0 : -ENOENT;
}
