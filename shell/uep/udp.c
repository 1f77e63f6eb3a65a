/* RFC 6951 UDP encapsulation for the sans-I/O engine: sockets, pktinfo,
 * learned remote ports.  See udp.h. */
#define _GNU_SOURCE
#include "uep/udp.h"
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

uint64_t uep_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void uep_random(void *ctx, void *buf, size_t n)
{
	(void)ctx;
	uint8_t *p = buf;
	while (n) {
		ssize_t r = getrandom(p, n, 0);
		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			/* getrandom cannot fail on Linux >= 3.17 once seeded; never
			 * leave the tags predictable-but-zero silently */
			for (size_t i = 0; i < n; i++)
				p[i] = (uint8_t)(uep_now_ms() * 2654435761u >> (i % 24));
			return;
		}
		p += r;
		n -= (size_t)r;
	}
}

static int addr_eq(const struct sockaddr *a, const struct sockaddr *b)
{
	if (a->sa_family != b->sa_family)
		return 0;
	if (a->sa_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	if (a->sa_family == AF_INET6)
		return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
			       &((const struct sockaddr_in6 *)b)->sin6_addr, 16);
	return 0;
}

int uep_local_addrs(struct sockaddr_storage *out, size_t max)
{
	struct ifaddrs *ifa, *i;
	if (getifaddrs(&ifa) < 0)
		return -errno;
	size_t n = 0;
	for (i = ifa; i && n < max; i = i->ifa_next) {
		if (!i->ifa_addr || (i->ifa_flags & IFF_LOOPBACK) || !(i->ifa_flags & IFF_UP))
			continue;
		if (i->ifa_addr->sa_family == AF_INET) {
			memset(&out[n], 0, sizeof out[n]);
			memcpy(&out[n++], i->ifa_addr, sizeof(struct sockaddr_in));
		} else if (i->ifa_addr->sa_family == AF_INET6) {
			const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)i->ifa_addr;
			if (IN6_IS_ADDR_LINKLOCAL(&s6->sin6_addr)) /* scoped: not an SCTP address */
				continue;
			memset(&out[n], 0, sizeof out[n]);
			memcpy(&out[n++], s6, sizeof *s6);
		}
	}
	freeifaddrs(ifa);
	return (int)n;
}

static int open_one(int family, uint16_t port)
{
	int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd < 0)
		return -errno;
	int one = 1, e;
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof ss);
	socklen_t sl;
	if (family == AF_INET) {
		struct sockaddr_in *s = (struct sockaddr_in *)&ss;
		s->sin_family = AF_INET;
		s->sin_port = htons(port);
		sl = sizeof *s;
		e = setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one);
	} else {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)&ss;
		s->sin6_family = AF_INET6;
		s->sin6_port = htons(port);
		sl = sizeof *s;
		/* IPv4 has its own socket: no v4-mapped addresses here */
		e = setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
		if (!e)
			e = setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof one);
	}
	/* a roomy receive buffer: a burst of DATA must not be lost to the socket */
	int rb = 1 << 20;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rb, sizeof rb);
	if (e < 0 || bind(fd, (struct sockaddr *)&ss, sl) < 0) {
		e = -errno;
		close(fd);
		return e;
	}
	return fd;
}

int uep_udp_open(struct uep_udp *u, const struct sockaddr_storage *laddrs, size_t n,
		 uint16_t udp_port, uint16_t encap_port)
{
	u->fd[0] = u->fd[1] = -1;
	if (!n || n > SCE_MAX_LADDRS || !udp_port)
		return -EINVAL;
	u->udp_port = udp_port;
	u->encap_port = encap_port ? encap_port : udp_port;
	memcpy(u->laddrs, laddrs, n * sizeof *laddrs);
	u->nladdrs = n;
	int want4 = 0, want6 = 0;
	for (size_t i = 0; i < n; i++) {
		if (laddrs[i].ss_family == AF_INET)
			want4 = 1;
		else if (laddrs[i].ss_family == AF_INET6)
			want6 = 1;
		else
			return -EAFNOSUPPORT;
	}
	if (want4 && (u->fd[0] = open_one(AF_INET, udp_port)) < 0) {
		int e = u->fd[0];
		u->fd[0] = -1;
		return e;
	}
	if (want6 && (u->fd[1] = open_one(AF_INET6, udp_port)) < 0) {
		int e = u->fd[1];
		u->fd[1] = -1;
		uep_udp_close(u);
		return e;
	}
	return 0;
}

void uep_udp_close(struct uep_udp *u)
{
	for (int i = 0; i < 2; i++)
		if (u->fd[i] >= 0) {
			close(u->fd[i]);
			u->fd[i] = -1;
		}
}

uint16_t uep_udp_peer_port(const struct uep_udp *u, const struct sockaddr *sa)
{
	for (size_t i = 0; i < u->npeer; i++)
		if (addr_eq((const struct sockaddr *)&u->peer[i].addr, sa))
			return u->peer[i].port;
	return u->encap_port;
}

void uep_udp_set_peer_port(struct uep_udp *u, const struct sockaddr *sa, uint16_t port)
{
	size_t i;
	for (i = 0; i < u->npeer; i++)
		if (addr_eq((const struct sockaddr *)&u->peer[i].addr, sa))
			break;
	if (i == u->npeer) {
		if (u->npeer == UEP_MAX_PEERPORTS)
			i = u->npeer - 1; /* full: the newest peer replaces the last entry */
		else
			u->npeer++;
		memset(&u->peer[i].addr, 0, sizeof u->peer[i].addr);
		memcpy(&u->peer[i].addr, sa,
		       sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in));
	}
	u->peer[i].port = port;
}

static int is_local(const struct uep_udp *u, const struct sockaddr *sa)
{
	for (size_t i = 0; i < u->nladdrs; i++)
		if (addr_eq((const struct sockaddr *)&u->laddrs[i], sa))
			return 1;
	return 0;
}

int uep_udp_read(struct uep_udp *u, int fd, uint64_t now)
{
	static uint8_t buf[65536];
	int count = 0;
	/* bounded: a flood cannot starve the rest of the event loop */
	for (int round = 0; round < 512; round++) {
		struct sockaddr_storage from, to;
		union {
			char b[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(struct in_pktinfo))];
			struct cmsghdr align;
		} cb;
		struct iovec iov = {buf, sizeof buf};
		struct msghdr m = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov,
				   .msg_iovlen = 1, .msg_control = cb.b, .msg_controllen = sizeof cb.b};
		ssize_t n = recvmsg(fd, &m, MSG_DONTWAIT);
		if (n < 0)
			break; /* EAGAIN; errors (ICMP) are the engine's timers' business */
		memset(&to, 0, sizeof to);
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
			if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
				struct in_pktinfo pi;
				memcpy(&pi, CMSG_DATA(c), sizeof pi);
				struct sockaddr_in *s = (struct sockaddr_in *)&to;
				s->sin_family = AF_INET;
				s->sin_addr = pi.ipi_addr;
			} else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
				struct in6_pktinfo pi;
				memcpy(&pi, CMSG_DATA(c), sizeof pi);
				struct sockaddr_in6 *s = (struct sockaddr_in6 *)&to;
				s->sin6_family = AF_INET6;
				s->sin6_addr = pi.ipi6_addr;
			}
		}
		/* RFC 6951 §5.3: the UDP payload is the SCTP packet; too short
		 * for a common header, or to an address not ours: dropped */
		if (n < 12 || !to.ss_family || !is_local(u, (struct sockaddr *)&to)) {
			u->rx_dropped++;
			continue;
		}
		u->rx++;
		uint16_t sport = ntohs(from.ss_family == AF_INET ? ((struct sockaddr_in *)&from)->sin_port
								 : ((struct sockaddr_in6 *)&from)->sin6_port);
		/* §5.4: the encapsulation port of a peer address is the UDP source
		 * port of what it sent last (a NAT may have changed it); learned
		 * only from packets the engine accepted, so a forged datagram the
		 * engine discards cannot redirect the association.  The answers
		 * sce_input queued leave in uep_udp_flush, after this. */
		if (sce_input(u->ep, now, (struct sockaddr *)&from, (struct sockaddr *)&to, buf, (size_t)n) == 0)
			uep_udp_set_peer_port(u, (struct sockaddr *)&from, sport);
		count++;
	}
	return count;
}

int uep_udp_flush(struct uep_udp *u)
{
	struct sce_packet *p;
	int sent = 0;
	while ((p = sce_pop_packet(u->ep))) {
		int v6 = p->dst.ss_family == AF_INET6;
		int fd = u->fd[v6];
		struct sockaddr_storage dst = p->dst;
		uint16_t port = htons(uep_udp_peer_port(u, (struct sockaddr *)&p->dst));
		union {
			char b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
			struct cmsghdr align;
		} cb;
		memset(&cb, 0, sizeof cb);
		struct iovec iov = {p->data, p->len};
		struct msghdr m = {.msg_name = &dst, .msg_iov = &iov, .msg_iovlen = 1,
				   .msg_control = cb.b};
		struct cmsghdr *c = (struct cmsghdr *)cb.b;
		if (v6) {
			((struct sockaddr_in6 *)&dst)->sin6_port = port;
			m.msg_namelen = sizeof(struct sockaddr_in6);
			struct in6_pktinfo pi = {.ipi6_addr = ((struct sockaddr_in6 *)&p->src)->sin6_addr};
			c->cmsg_level = IPPROTO_IPV6;
			c->cmsg_type = IPV6_PKTINFO;
			c->cmsg_len = CMSG_LEN(sizeof pi);
			memcpy(CMSG_DATA(c), &pi, sizeof pi);
			m.msg_controllen = CMSG_SPACE(sizeof pi);
		} else {
			((struct sockaddr_in *)&dst)->sin_port = port;
			m.msg_namelen = sizeof(struct sockaddr_in);
			struct in_pktinfo pi = {.ipi_spec_dst = ((struct sockaddr_in *)&p->src)->sin_addr};
			c->cmsg_level = IPPROTO_IP;
			c->cmsg_type = IP_PKTINFO;
			c->cmsg_len = CMSG_LEN(sizeof pi);
			memcpy(CMSG_DATA(c), &pi, sizeof pi);
			m.msg_controllen = CMSG_SPACE(sizeof pi);
		}
		/* a source the engine did not set (family 0): let routing choose */
		if (p->src.ss_family != p->dst.ss_family) {
			m.msg_control = NULL;
			m.msg_controllen = 0;
		}
		if (fd < 0 || sendmsg(fd, &m, MSG_DONTWAIT) < 0) {
			/* lost like a packet on the wire: the engine retransmits */
			u->tx_errors++;
			u->last_errno = fd < 0 ? EAFNOSUPPORT : errno;
		} else {
			u->tx++;
			sent++;
		}
		sce_packet_free(p);
	}
	return sent;
}
