/* Kernel-facing socket primitives (RFC 6458 socket API via lksctp). */
#include "ksock.h"
#include <errno.h>
#include <string.h>
#include <unistd.h>

int k_probe_sctp(void)
{
	int fd = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

int k_socket(int family, int type)
{
	int fd = socket(family, type, IPPROTO_SCTP);
	if (fd < 0)
		return -errno;
	if (family == AF_INET6) {
		int off = 0; /* dual-stack: one socket serves IPv4 and IPv6 peers */
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
	}
	int on = 1;
	/* per-message metadata (RFC 6458 §5.3.5) for recv's dict */
	if (setsockopt(fd, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof on) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	return fd;
}

int k_subscribe_all(int fd)
{
	/* RFC 6458 §6.2.2 SCTP_EVENT, one per notification type: every event the
	 * kernel knows, so nothing the study needs is silently filtered. */
	for (int t = SCTP_SN_TYPE_BASE + 1; t <= SCTP_SN_TYPE_MAX; t++) {
		struct sctp_event ev = {.se_assoc_id = SCTP_FUTURE_ASSOC, .se_type = t, .se_on = 1};
		if (t == SCTP_SEND_FAILED)
			continue; /* deprecated form; SCTP_SEND_FAILED_EVENT replaces it */
		if (setsockopt(fd, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof ev) < 0 && errno != EINVAL)
			return -errno;
	}
	return 0;
}

int k_bind_addrs(int fd, int family, int port, const struct sockaddr_storage *addrs, int n)
{
	int on = 1;
	/* a fresh socket on the port of one just closed (lab reset) must not
	 * fail with EADDRINUSE while the old associations wind down */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	if (n <= 0) {
		struct sockaddr_storage ss;
		memset(&ss, 0, sizeof ss);
		if (family == AF_INET6) {
			struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
			s6->sin6_family = AF_INET6;
			s6->sin6_addr = in6addr_any;
			s6->sin6_port = htons(port);
		} else {
			struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
			s4->sin_family = AF_INET;
			s4->sin_addr.s_addr = htonl(INADDR_ANY);
			s4->sin_port = htons(port);
		}
		if (bind(fd, (struct sockaddr *)&ss,
			 family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in)) < 0)
			return -errno;
		return 0;
	}
	/* sctp_bindx takes a packed array of sockaddrs */
	unsigned char packed[64 * sizeof(struct sockaddr_in6)];
	size_t off = 0;
	for (int i = 0; i < n && i < 64; i++) {
		size_t l = addrs[i].ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
							   : sizeof(struct sockaddr_in);
		struct sockaddr_storage a = addrs[i];
		if (a.ss_family == AF_INET6)
			((struct sockaddr_in6 *)&a)->sin6_port = htons(port);
		else
			((struct sockaddr_in *)&a)->sin_port = htons(port);
		memcpy(packed + off, &a, l);
		off += l;
	}
	if (sctp_bindx(fd, (struct sockaddr *)packed, n, SCTP_BINDX_ADD_ADDR) < 0)
		return -errno;
	return 0;
}

int k_listen(int fd, int backlog)
{
	return listen(fd, backlog) < 0 ? -errno : 0;
}

int k_recv(int fd, void *buf, size_t len, k_rcv *r)
{
	char cbuf[CMSG_SPACE(sizeof(struct sctp_rcvinfo)) + 64];
	struct iovec iov = {.iov_base = buf, .iov_len = len};
	struct msghdr m = {
		.msg_name = &r->from,
		.msg_namelen = sizeof r->from,
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf,
		.msg_controllen = sizeof cbuf,
	};
	memset(r, 0, sizeof *r);
	ssize_t n = recvmsg(fd, &m, MSG_DONTWAIT);
	if (n < 0)
		return -errno;
	r->len = (size_t)n;
	r->fromlen = m.msg_namelen;
	r->is_notif = !!(m.msg_flags & MSG_NOTIFICATION);
	r->eor = !!(m.msg_flags & MSG_EOR);
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
		if (c->cmsg_level == IPPROTO_SCTP && c->cmsg_type == SCTP_RCVINFO) {
			memcpy(&r->ri, CMSG_DATA(c), sizeof r->ri);
			r->have_rcvinfo = 1;
		}
	return (int)n;
}
