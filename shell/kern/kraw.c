/* Raw packet access for the wire view: AF_PACKET capture, raw IP injection,
 * and a few SCTP socket options.  See kraw.h. */
#define _GNU_SOURCE
#include "kraw.h"
#include "kinfo.h" /* k_unmap */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <net/if_arp.h>
#include <netinet/sctp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef ETH_P_ALL
#define ETH_P_ALL 0x0003
#endif

int kr_list_ifs(kr_if *out, int max)
{
	struct ifaddrs *ifa, *i;
	int n = 0;
	if (getifaddrs(&ifa) < 0)
		return -errno;
	for (i = ifa; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_PACKET)
			continue;
		struct sockaddr_ll *ll = (struct sockaddr_ll *)i->ifa_addr;
		if (ll->sll_hatype == ARPHRD_LOOPBACK)
			continue;
		if (n >= max)
			break;
		kr_if *o = &out[n++];
		memset(o, 0, sizeof *o);
		snprintf(o->name, sizeof o->name, "%s", i->ifa_name);
		o->ifindex = ll->sll_ifindex;
		o->hatype = ll->sll_hatype;
		o->maclen = ll->sll_halen > 8 ? 8 : ll->sll_halen;
		memcpy(o->mac, ll->sll_addr, (size_t)o->maclen);
	}
	freeifaddrs(ifa);
	return n;
}

/* Ethernet II: IPv4 (protocol at 23) or IPv6 (next header at 20), SCTP or UDP. */
static struct sock_filter sctp_filter[] = {
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x0800, 0, 2),
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 23),
	BPF_JUMP(BPF_JMP | BPF_JA, 2, 0, 0),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x86dd, 0, 4),
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 20),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_SCTP, 1, 0),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, 0x40000),
	BPF_STMT(BPF_RET | BPF_K, 0),
};

int kr_capture_open(int ifindex, int hatype)
{
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (fd < 0)
		return -errno;
	int on = 1;
	if (hatype == ARPHRD_ETHER) {
		struct sock_fprog prog = {sizeof sctp_filter / sizeof sctp_filter[0], sctp_filter};
		if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) < 0)
			goto fail;
	}
	if (setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &on, sizeof on) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) < 0)
		goto fail;
	struct sockaddr_ll ll;
	memset(&ll, 0, sizeof ll);
	ll.sll_family = AF_PACKET;
	ll.sll_protocol = htons(ETH_P_ALL);
	ll.sll_ifindex = ifindex;
	if (bind(fd, (struct sockaddr *)&ll, sizeof ll) < 0)
		goto fail;
	/* frames queued between socket() and the filter: throw them away */
	char junk[64];
	while (recv(fd, junk, sizeof junk, MSG_DONTWAIT | MSG_TRUNC) >= 0)
		;
	return fd;
fail:;
	int e = -errno;
	close(fd);
	return e;
}

int kr_capture_recv(int fd, void *buf, size_t len, kr_frame *f)
{
	struct sockaddr_ll ll;
	struct iovec iov = {buf, len};
	union {
		char b[CMSG_SPACE(sizeof(struct tpacket_auxdata)) + CMSG_SPACE(sizeof(struct timespec)) + 64];
		struct cmsghdr align;
	} cb;
	struct msghdr mh;
	memset(&mh, 0, sizeof mh);
	mh.msg_name = &ll;
	mh.msg_namelen = sizeof ll;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cb.b;
	mh.msg_controllen = sizeof cb.b;
	ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0)
		return -errno;
	memset(f, 0, sizeof *f);
	f->pkttype = ll.sll_pkttype;
	f->hatype = ll.sll_hatype;
	f->ifindex = ll.sll_ifindex;
	memcpy(f->src_mac, ll.sll_addr, ll.sll_halen > 8 ? 8 : ll.sll_halen);
	f->origlen = (size_t)n;
	f->caplen = (size_t)n > len ? len : (size_t)n;
	int have_ts = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == SOL_PACKET && c->cmsg_type == PACKET_AUXDATA) {
			struct tpacket_auxdata aux;
			memcpy(&aux, CMSG_DATA(c), sizeof aux);
			f->csum_partial = !!(aux.tp_status & TP_STATUS_CSUMNOTREADY);
			f->origlen = aux.tp_len;
		} else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
			memcpy(&f->ts, CMSG_DATA(c), sizeof f->ts);
			have_ts = 1;
		}
	}
	if (!have_ts)
		clock_gettime(CLOCK_REALTIME, &f->ts);
	return (int)f->caplen;
}

int kr_inject_ip(const struct sockaddr *dst, const void *pkt, size_t len)
{
	int fam = dst->sa_family;
	if (fam != AF_INET && fam != AF_INET6)
		return -EAFNOSUPPORT;
	/* IPPROTO_RAW implies IP_HDRINCL (and IPV6_HDRINCL) */
	int fd = socket(fam, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (fd < 0)
		return -errno;
	struct sockaddr_storage to;
	memset(&to, 0, sizeof to);
	socklen_t tl;
	if (fam == AF_INET) {
		memcpy(&to, dst, sizeof(struct sockaddr_in));
		((struct sockaddr_in *)&to)->sin_port = 0;
		tl = sizeof(struct sockaddr_in);
	} else {
		memcpy(&to, dst, sizeof(struct sockaddr_in6));
		((struct sockaddr_in6 *)&to)->sin6_port = 0;
		tl = sizeof(struct sockaddr_in6);
	}
	ssize_t n = sendto(fd, pkt, len, 0, (struct sockaddr *)&to, tl);
	int e = n < 0 ? -errno : (int)n;
	close(fd);
	return e;
}

int kr_route_src(const struct sockaddr *dst, struct sockaddr_storage *src)
{
	int fam = dst->sa_family;
	int fd = socket(fam, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	struct sockaddr_storage to;
	memset(&to, 0, sizeof to);
	socklen_t tl = fam == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
	memcpy(&to, dst, tl);
	if (fam == AF_INET)
		((struct sockaddr_in *)&to)->sin_port = htons(9);
	else
		((struct sockaddr_in6 *)&to)->sin6_port = htons(9);
	int e = 0;
	socklen_t sl = sizeof *src;
	memset(src, 0, sizeof *src);
	if (connect(fd, (struct sockaddr *)&to, tl) < 0 ||
	    getsockname(fd, (struct sockaddr *)src, &sl) < 0)
		e = -errno;
	close(fd);
	return e;
}

int kr_sysctl_int(const char *path, long *val)
{
	char p[256], b[64];
	snprintf(p, sizeof p, "/proc/sys/%s", path);
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, b, sizeof b - 1);
	int e = n < 0 ? -errno : 0;
	close(fd);
	if (e)
		return e;
	b[n] = 0;
	char *end;
	*val = strtol(b, &end, 10);
	return end == b ? -EINVAL : 0;
}


int kr_assoc_of_peer(int fd, const struct sockaddr *addr)
{
	struct sctp_paddrinfo pi;
	memset(&pi, 0, sizeof pi);
	memcpy(&pi.spinfo_address, addr,
	       addr->sa_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6));
	socklen_t l = sizeof pi;
	if (getsockopt(fd, IPPROTO_SCTP, SCTP_GET_PEER_ADDR_INFO, &pi, &l) < 0)
		return -errno;
	return (int)pi.spinfo_assoc_id;
}

static int addrs(int fd, int assoc, int loc, struct sockaddr_storage *out, int max)
{
	struct sockaddr *sa = NULL;
	int n = loc ? sctp_getladdrs(fd, (sctp_assoc_t)assoc, &sa) : sctp_getpaddrs(fd, (sctp_assoc_t)assoc, &sa);
	if (n < 0)
		return -errno;
	const char *p = (const char *)sa;
	int k = 0;
	for (int i = 0; i < n; i++) {
		size_t l = ((const struct sockaddr *)p)->sa_family == AF_INET ? sizeof(struct sockaddr_in)
									   : sizeof(struct sockaddr_in6);
		if (k < max) {
			memset(&out[k], 0, sizeof out[k]);
			memcpy(&out[k], p, l);
			k_unmap(&out[k]);
			k++;
		}
		p += l;
	}
	if (sa) {
		if (loc)
			sctp_freeladdrs(sa);
		else
			sctp_freepaddrs(sa);
	}
	return k;
}

int kr_paddrs(int fd, int assoc, struct sockaddr_storage *out, int max)
{
	return addrs(fd, assoc, 0, out, max);
}

int kr_laddrs(int fd, int assoc, struct sockaddr_storage *out, int max)
{
	return addrs(fd, assoc, 1, out, max);
}

int kr_primary(int fd, int assoc, struct sockaddr_storage *addr)
{
	struct sctp_prim p;
	memset(&p, 0, sizeof p);
	p.ssp_assoc_id = (sctp_assoc_t)assoc;
	socklen_t l = sizeof p;
	if (getsockopt(fd, IPPROTO_SCTP, SCTP_PRIMARY_ADDR, &p, &l) < 0)
		return -errno;
	memset(addr, 0, sizeof *addr);
	memcpy(addr, &p.ssp_addr, sizeof p.ssp_addr);
	k_unmap(addr);
	return 0;
}

int kr_peer_auth_chunks(int fd, int assoc, uint8_t *types, int max)
{
	union {
		struct sctp_authchunks ac;
		char b[sizeof(struct sctp_authchunks) + 256];
	} u;
	memset(&u, 0, sizeof u);
	u.ac.gauth_assoc_id = (sctp_assoc_t)assoc;
	socklen_t l = sizeof u;
	if (getsockopt(fd, IPPROTO_SCTP, SCTP_PEER_AUTH_CHUNKS, &u, &l) < 0)
		return errno == EACCES ? 0 : -errno; /* EACCES: the peer does not do AUTH */
	int n = (int)u.ac.gauth_number_of_chunks;
	if (n > 256)
		n = 256;
	for (int i = 0; i < n && i < max; i++)
		types[i] = u.ac.gauth_chunks[i];
	return n;
}

int kr_inode(int fd, uint32_t *ino)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -errno;
	*ino = (uint32_t)st.st_ino;
	return 0;
}

