/* Kernel-facing helpers for sock/addr/io (RFC 6458 socket API via lksctp). */
#include "kconn.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef IPV6_FREEBIND
#define IPV6_FREEBIND 78
#endif

static size_t sslen(const struct sockaddr_storage *a)
{
	return a->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
}

/* sctp_bindx/connectx want a packed array of sockaddr_in / sockaddr_in6 */
static unsigned char *pack(const struct sockaddr_storage *a, int n)
{
	unsigned char *p = malloc((size_t)(n > 0 ? n : 1) * sizeof(struct sockaddr_in6));
	size_t off = 0;
	if (!p)
		return NULL;
	for (int i = 0; i < n; i++) {
		memcpy(p + off, &a[i], sslen(&a[i]));
		off += sslen(&a[i]);
	}
	return p;
}

int kc_bindx(int fd, const struct sockaddr_storage *a, int n, int flags)
{
	unsigned char *p = pack(a, n);
	if (!p)
		return -ENOMEM;
	int rc = sctp_bindx(fd, (struct sockaddr *)p, n, flags) < 0 ? -errno : 0;
	free(p);
	return rc;
}

int kc_bind(int fd, const struct sockaddr_storage *a)
{
	return bind(fd, (const struct sockaddr *)a, (socklen_t)sslen(a)) < 0 ? -errno : 0;
}

int kc_local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t l = sizeof ss;
	memset(&ss, 0, sizeof ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &l) < 0)
		return -errno;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return 0;
}

int kc_freebind(int fd, int family, int on, int *old)
{
	int lvl = family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
	int opt = family == AF_INET6 ? IPV6_FREEBIND : IP_FREEBIND;
	if (old) {
		socklen_t l = sizeof *old;
		*old = 0;
		if (getsockopt(fd, lvl, opt, old, &l) < 0 &&
		    (family != AF_INET6 || getsockopt(fd, IPPROTO_IP, IP_FREEBIND, old, &l) < 0))
			return -errno;
	}
	if (setsockopt(fd, lvl, opt, &on, sizeof on) < 0) {
		/* kernels before IPV6_FREEBIND: IP_FREEBIND sets the same bit */
		if (family != AF_INET6 || setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &on, sizeof on) < 0)
			return -errno;
	}
	return 0;
}

int kc_connectx(int fd, const struct sockaddr_storage *a, int n, int ostreams, int instreams,
		sctp_assoc_t *id)
{
	struct sctp_initmsg old, im;
	socklen_t l = sizeof old;
	int restore = 0, rc;
	*id = 0;
	if (ostreams > 0 || instreams > 0) {
		if (getsockopt(fd, IPPROTO_SCTP, SCTP_INITMSG, &old, &l) < 0)
			return -errno;
		im = old;
		if (ostreams > 0)
			im.sinit_num_ostreams = (uint16_t)ostreams;
		if (instreams > 0)
			im.sinit_max_instreams = (uint16_t)instreams;
		if (setsockopt(fd, IPPROTO_SCTP, SCTP_INITMSG, &im, sizeof im) < 0)
			return -errno;
		restore = 1;
	}
	unsigned char *p = pack(a, n);
	if (!p) {
		rc = -ENOMEM;
		goto out;
	}
	int fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	rc = sctp_connectx(fd, (struct sockaddr *)p, n, id) < 0 ? -errno : 0;
	fcntl(fd, F_SETFL, fl);
	free(p);
out:
	if (restore)
		setsockopt(fd, IPPROTO_SCTP, SCTP_INITMSG, &old, sizeof old);
	return rc;
}

int kc_assoc_ids(int fd, sctp_assoc_t *ids, int max)
{
	size_t sz = sizeof(struct sctp_assoc_ids) + 1024 * sizeof(sctp_assoc_t);
	struct sctp_assoc_ids *g = calloc(1, sz);
	socklen_t l = (socklen_t)sz;
	if (!g)
		return -ENOMEM;
	if (getsockopt(fd, IPPROTO_SCTP, SCTP_GET_ASSOC_ID_LIST, g, &l) < 0) {
		int e = errno;
		free(g);
		return -e;
	}
	int n = (int)g->gaids_number_of_ids;
	for (int i = 0; i < n && i < max; i++)
		ids[i] = g->gaids_assoc_id[i];
	free(g);
	return n;
}

int kc_status(int fd, sctp_assoc_t id, struct sctp_status *st)
{
	socklen_t l = sizeof *st;
	memset(st, 0, sizeof *st);
	st->sstat_assoc_id = id;
	return getsockopt(fd, IPPROTO_SCTP, SCTP_STATUS, st, &l) < 0 ? -errno : 0;
}

int kc_asconf_capable(int fd, sctp_assoc_t id)
{
	struct sctp_assoc_value v = {.assoc_id = id};
	socklen_t l = sizeof v;
	if (getsockopt(fd, IPPROTO_SCTP, SCTP_ASCONF_SUPPORTED, &v, &l) < 0)
		return -errno;
	return v.assoc_value ? 1 : 0;
}

sctp_assoc_t kc_assoc_of_peer(int fd, const struct sockaddr_storage *a)
{
	struct sctp_paddrinfo pi;
	socklen_t l = sizeof pi;
	memset(&pi, 0, sizeof pi);
	memcpy(&pi.spinfo_address, a, sslen(a));
	if (getsockopt(fd, IPPROTO_SCTP, SCTP_GET_PEER_ADDR_INFO, &pi, &l) < 0)
		return 0;
	return pi.spinfo_assoc_id;
}

int kc_peeloff(int fd, sctp_assoc_t id)
{
	int nfd = sctp_peeloff(fd, id);
	return nfd < 0 ? -errno : nfd;
}

/* sendmsg() with SCTP_SNDINFO / SCTP_PRINFO cmsgs (RFC 6458 §5.3.4, §5.3.7), not
 * libsctp's sctp_sendv(): lksctp-tools 1.0.19 puts its flags argument into
 * msg_flags and calls sendmsg(fd, &msg, 0), so MSG_DONTWAIT never reaches the
 * kernel and a full send buffer blocks in sctp_wait_for_sndbuf() for good. */
int kc_sendv(int fd, const void *buf, size_t len, const struct sockaddr_storage *to,
	     const kc_send *p)
{
	union {
		char b[CMSG_SPACE(sizeof(struct sctp_sndinfo)) + CMSG_SPACE(sizeof(struct sctp_prinfo))];
		struct cmsghdr align;
	} ctl;
	memset(&ctl, 0, sizeof ctl);
	struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
	struct sockaddr_storage dst;
	struct msghdr m = {0};
	if (to) {
		dst = *to;
		m.msg_name = &dst;
		m.msg_namelen = (socklen_t)sslen(&dst);
	}
	m.msg_iov = &iov;
	m.msg_iovlen = len || buf ? 1 : 0;
	m.msg_control = ctl.b;
	m.msg_controllen = CMSG_SPACE(sizeof(struct sctp_sndinfo)) +
			   (p->pr_policy ? CMSG_SPACE(sizeof(struct sctp_prinfo)) : 0);
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
	cm->cmsg_level = IPPROTO_SCTP;
	cm->cmsg_type = SCTP_SNDINFO;
	cm->cmsg_len = CMSG_LEN(sizeof(struct sctp_sndinfo));
	struct sctp_sndinfo si = {0};
	si.snd_sid = p->sid;
	si.snd_flags = p->flags;
	si.snd_ppid = htonl(p->ppid);
	si.snd_context = p->context;
	si.snd_assoc_id = p->assoc;
	memcpy(CMSG_DATA(cm), &si, sizeof si);
	if (p->pr_policy) {
		cm = CMSG_NXTHDR(&m, cm);
		cm->cmsg_level = IPPROTO_SCTP;
		cm->cmsg_type = SCTP_PRINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(struct sctp_prinfo));
		struct sctp_prinfo pi = {0};
		pi.pr_policy = p->pr_policy;
		pi.pr_value = p->pr_value;
		memcpy(CMSG_DATA(cm), &pi, sizeof pi);
	}
	ssize_t n = sendmsg(fd, &m, MSG_DONTWAIT | MSG_NOSIGNAL);
	return n < 0 ? -errno : (int)n;
}

int kc_set_primary(int fd, sctp_assoc_t id, const struct sockaddr_storage *a)
{
	struct sctp_prim pr;
	memset(&pr, 0, sizeof pr);
	pr.ssp_assoc_id = id;
	memcpy(&pr.ssp_addr, a, sslen(a));
	return setsockopt(fd, IPPROTO_SCTP, SCTP_PRIMARY_ADDR, &pr, sizeof pr) < 0 ? -errno : 0;
}

int kc_set_peer_primary(int fd, sctp_assoc_t id, const struct sockaddr_storage *a)
{
	struct sctp_setpeerprim pr;
	memset(&pr, 0, sizeof pr);
	pr.sspp_assoc_id = id;
	memcpy(&pr.sspp_addr, a, sslen(a));
	return setsockopt(fd, IPPROTO_SCTP, SCTP_SET_PEER_PRIMARY_ADDR, &pr, sizeof pr) < 0 ? -errno
											    : 0;
}

int kc_shutdown_wr(int fd)
{
	return shutdown(fd, SHUT_WR) < 0 ? -errno : 0;
}

int kc_linger0(int fd)
{
	struct linger lg = {.l_onoff = 1, .l_linger = 0};
	return setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) < 0 ? -errno : 0;
}

int kc_addrs(int fd, sctp_assoc_t id, int loc, struct sockaddr_storage *out, int max)
{
	struct sockaddr *list = NULL;
	int n = loc ? sctp_getladdrs(fd, id, &list) : sctp_getpaddrs(fd, id, &list);
	if (n < 0)
		return -errno;
	unsigned char *p = (unsigned char *)list;
	for (int i = 0; i < n; i++) {
		struct sockaddr *sa = (struct sockaddr *)p;
		size_t l = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
		if (i < max) {
			memset(&out[i], 0, sizeof out[i]);
			memcpy(&out[i], sa, l);
		}
		p += l;
	}
	if (list) {
		if (loc)
			sctp_freeladdrs(list);
		else
			sctp_freepaddrs(list);
	}
	return n;
}

int kc_addr_is_local(const struct sockaddr_storage *a)
{
	struct sockaddr_storage b = *a;
	int fd = socket(a->ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (b.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&b)->sin6_port = 0;
	else
		((struct sockaddr_in *)&b)->sin_port = 0;
	int rc = bind(fd, (struct sockaddr *)&b, (socklen_t)sslen(&b)) < 0 ? -errno : 1;
	close(fd);
	return rc == -EADDRNOTAVAIL ? 0 : rc;
}

int kc_bound_wildcard(int fd)
{
	struct sockaddr_storage ss;
	socklen_t l = sizeof ss;
	memset(&ss, 0, sizeof ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &l) < 0)
		return -errno;
	if (ss.ss_family == AF_INET6 && IN6_IS_ADDR_UNSPECIFIED(&((struct sockaddr_in6 *)&ss)->sin6_addr))
		return 1;
	if (ss.ss_family == AF_INET && ((struct sockaddr_in *)&ss)->sin_addr.s_addr == htonl(INADDR_ANY))
		return 1;
	/* getsockname may name an association's address once there is one; the
	 * endpoint's address list (assoc 0) of a wildcard endpoint is expanded to
	 * every local address, loopback included, which an explicit bind rarely is */
	struct sockaddr_storage a[64];
	int n = kc_addrs(fd, 0, 1, a, 64);
	for (int i = 0; i < n && i < 64; i++) {
		if (a[i].ss_family == AF_INET &&
		    (ntohl(((struct sockaddr_in *)&a[i])->sin_addr.s_addr) >> 24) == 127)
			return 1;
		if (a[i].ss_family == AF_INET6 && IN6_IS_ADDR_LOOPBACK(&((struct sockaddr_in6 *)&a[i])->sin6_addr))
			return 1;
	}
	return 0;
}
