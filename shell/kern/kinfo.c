/* Association information and socket options, over lksctp (RFC 6458). */
#include "kinfo.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

int k_getopt(int fd, int opt, void *val, socklen_t *len)
{
	return getsockopt(fd, IPPROTO_SCTP, opt, val, len) < 0 ? -errno : 0;
}

int k_setopt(int fd, int opt, const void *val, socklen_t len)
{
	return setsockopt(fd, IPPROTO_SCTP, opt, val, len) < 0 ? -errno : 0;
}

int k_status(int fd, sctp_assoc_t id, struct sctp_status *st)
{
	socklen_t l = sizeof *st;
	memset(st, 0, sizeof *st);
	st->sstat_assoc_id = id;
	return k_getopt(fd, SCTP_STATUS, st, &l);
}

void k_unmap(struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	if (ss->ss_family != AF_INET6 || !IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr))
		return;
	struct sockaddr_in s4;
	memset(&s4, 0, sizeof s4);
	s4.sin_family = AF_INET;
	s4.sin_port = s6->sin6_port;
	memcpy(&s4.sin_addr, &s6->sin6_addr.s6_addr[12], 4);
	memset(ss, 0, sizeof *ss);
	memcpy(ss, &s4, sizeof s4);
}

int k_same_addr(const struct sockaddr *a, const struct sockaddr *b)
{
	struct sockaddr_storage x, y;
	memset(&x, 0, sizeof x);
	memset(&y, 0, sizeof y);
	memcpy(&x, a, a->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in));
	memcpy(&y, b, b->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in));
	k_unmap(&x);
	k_unmap(&y);
	if (x.ss_family != y.ss_family)
		return 0;
	if (x.ss_family == AF_INET)
		return ((struct sockaddr_in *)&x)->sin_addr.s_addr == ((struct sockaddr_in *)&y)->sin_addr.s_addr;
	if (x.ss_family == AF_INET6)
		return !memcmp(&((struct sockaddr_in6 *)&x)->sin6_addr, &((struct sockaddr_in6 *)&y)->sin6_addr,
			       sizeof(struct in6_addr));
	return 0;
}

int k_paddrinfo(int fd, sctp_assoc_t id, const struct sockaddr_storage *addr, struct sctp_paddrinfo *pi)
{
	socklen_t l = sizeof *pi;
	memset(pi, 0, sizeof *pi);
	struct sockaddr_storage a = *addr;
	k_unmap(&a);
	pi->spinfo_assoc_id = id;
	memcpy((char *)pi + offsetof(struct sctp_paddrinfo, spinfo_address), &a, sizeof a);
	return k_getopt(fd, SCTP_GET_PEER_ADDR_INFO, pi, &l);
}

/* unpack the packed sockaddr array libsctp returns */
static int unpack(const struct sockaddr *addrs, int n, struct sockaddr_storage *out, int max)
{
	const char *p = (const char *)addrs;
	int k = 0;
	for (int i = 0; i < n && k < max; i++) {
		const struct sockaddr *sa = (const struct sockaddr *)p;
		size_t l = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
		if (sa->sa_family != AF_INET && sa->sa_family != AF_INET6)
			break;
		memset(&out[k], 0, sizeof out[k]);
		memcpy(&out[k], sa, l);
		k++;
		p += l;
	}
	return k;
}

int k_paddrs(int fd, sctp_assoc_t id, struct sockaddr_storage *out, int max)
{
	struct sockaddr *a = NULL;
	int n = sctp_getpaddrs(fd, id, &a);
	if (n < 0)
		return errno ? -errno : -EINVAL;
	int k = unpack(a, n, out, max);
	if (a)
		sctp_freepaddrs(a);
	return k;
}

int k_laddrs(int fd, sctp_assoc_t id, struct sockaddr_storage *out, int max)
{
	struct sockaddr *a = NULL;
	int n = sctp_getladdrs(fd, id, &a);
	if (n < 0)
		return errno ? -errno : -EINVAL;
	int k = unpack(a, n, out, max);
	if (a)
		sctp_freeladdrs(a);
	return k;
}

int k_assoc_stats(int fd, sctp_assoc_t id, struct sctp_assoc_stats *st)
{
	socklen_t l = sizeof *st;
	memset(st, 0, sizeof *st);
	st->sas_assoc_id = id;
	return k_getopt(fd, SCTP_GET_ASSOC_STATS, st, &l);
}

int k_assoc_ids(int fd, sctp_assoc_t *out, int max)
{
	/* ask for the number first, then the list (it may grow in between: retry) */
	for (int tries = 0; tries < 4; tries++) {
		uint32_t num = 0;
		socklen_t l = sizeof num;
		int e = k_getopt(fd, SCTP_GET_ASSOC_NUMBER, &num, &l);
		if (e < 0)
			return e;
		size_t sz = sizeof(struct sctp_assoc_ids) + (num + 4) * sizeof(sctp_assoc_t);
		struct sctp_assoc_ids *ids = calloc(1, sz);
		if (!ids)
			return -ENOMEM;
		l = (socklen_t)sz;
		e = k_getopt(fd, SCTP_GET_ASSOC_ID_LIST, ids, &l);
		if (e == -EINVAL && tries < 3) {
			free(ids);
			continue;
		}
		if (e < 0) {
			free(ids);
			return e;
		}
		int n = (int)ids->gaids_number_of_ids;
		if (n > max)
			n = max;
		for (int i = 0; i < n; i++)
			out[i] = ids->gaids_assoc_id[i];
		free(ids);
		return n;
	}
	return -EAGAIN;
}

int k_primary(int fd, sctp_assoc_t id, struct sockaddr_storage *addr)
{
	struct sctp_prim p;
	socklen_t l = sizeof p;
	memset(&p, 0, sizeof p);
	p.ssp_assoc_id = id;
	int e = k_getopt(fd, SCTP_PRIMARY_ADDR, &p, &l);
	if (e == 0)
		memcpy(addr, (char *)&p + offsetof(struct sctp_prim, ssp_addr), sizeof *addr);
	return e;
}

int k_reset_streams(int fd, sctp_assoc_t id, int flags, const uint16_t *streams, int n)
{
	size_t sz = sizeof(struct sctp_reset_streams) + (size_t)n * sizeof(uint16_t);
	struct sctp_reset_streams *r = calloc(1, sz);
	if (!r)
		return -ENOMEM;
	r->srs_assoc_id = id;
	r->srs_flags = (uint16_t)flags;
	r->srs_number_streams = (uint16_t)n;
	for (int i = 0; i < n; i++)
		r->srs_stream_list[i] = streams[i];
	int e = k_setopt(fd, SCTP_RESET_STREAMS, r, (socklen_t)sz);
	free(r);
	return e;
}

int k_reset_assoc(int fd, sctp_assoc_t id)
{
	return k_setopt(fd, SCTP_RESET_ASSOC, &id, sizeof id);
}

int k_add_streams(int fd, sctp_assoc_t id, uint16_t out, uint16_t in)
{
	struct sctp_add_streams a;
	memset(&a, 0, sizeof a);
	a.sas_assoc_id = id;
	a.sas_outstrms = out;
	a.sas_instrms = in;
	return k_setopt(fd, SCTP_ADD_STREAMS, &a, sizeof a);
}
