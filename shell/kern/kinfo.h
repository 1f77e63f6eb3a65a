/* Kernel-facing association information and socket options (RFC 6458 §8):
 * SCTP_STATUS, SCTP_GET_PEER_ADDR_INFO, peer/local address lists,
 * SCTP_GET_ASSOC_STATS, SCTP_GET_ASSOC_ID_LIST, generic get/setsockopt and
 * the RFC 6525 stream reconfiguration requests.  Plain C, no Tcl: every
 * function returns >= 0 on success or -errno. */
#ifndef KINFO_H
#define KINFO_H
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define K_MAX_ADDRS 64

/* SCTP_STATUS (RFC 6458 §8.2.1); st->sstat_assoc_id tells the id used. */
int k_status(int fd, sctp_assoc_t id, struct sctp_status *st);
/* SCTP_GET_PEER_ADDR_INFO (§8.2.2) for one peer address (as from k_paddrs). */
int k_paddrinfo(int fd, sctp_assoc_t id, const struct sockaddr_storage *addr,
		struct sctp_paddrinfo *pi);
/* Peer / local addresses (sctp_getpaddrs / sctp_getladdrs, §9.3, §9.5):
 * returns the count (at most max), v4-mapped IPv6 addresses kept as the kernel gave them. */
int k_paddrs(int fd, sctp_assoc_t id, struct sockaddr_storage *out, int max);
int k_laddrs(int fd, sctp_assoc_t id, struct sockaddr_storage *out, int max);
/* SCTP_GET_ASSOC_STATS (Linux): note the kernel resets sas_maxrto on every read. */
int k_assoc_stats(int fd, sctp_assoc_t id, struct sctp_assoc_stats *st);
/* SCTP_GET_ASSOC_ID_LIST (§8.2.7): returns the count (at most max);
 * -EOPNOTSUPP on one-to-one sockets. */
int k_assoc_ids(int fd, sctp_assoc_t *out, int max);
/* SCTP_PRIMARY_ADDR get (§8.1.11). */
int k_primary(int fd, sctp_assoc_t id, struct sockaddr_storage *addr);

/* Plain getsockopt/setsockopt at level IPPROTO_SCTP. */
int k_getopt(int fd, int opt, void *val, socklen_t *len);
int k_setopt(int fd, int opt, const void *val, socklen_t len);

/* A v4-mapped IPv6 address becomes a plain sockaddr_in (the form the kernel
 * stores IPv4 transports in and looks them up by); others are unchanged. */
void k_unmap(struct sockaddr_storage *ss);
/* Same address (not port), looking through v4-mapping. */
int k_same_addr(const struct sockaddr *a, const struct sockaddr *b);

/* RFC 6525 requests (RFC 6458 §6.x / Linux uapi):
 * SCTP_RESET_STREAMS: flags SCTP_STREAM_RESET_INCOMING/OUTGOING, n streams (0 = all). */
int k_reset_streams(int fd, sctp_assoc_t id, int flags, const uint16_t *streams, int n);
/* SCTP_RESET_ASSOC: SSN/TSN reset (RFC 6525 §5.1.4). */
int k_reset_assoc(int fd, sctp_assoc_t id);
/* SCTP_ADD_STREAMS (RFC 6525 §5.1.5, §5.1.6). */
int k_add_streams(int fd, sctp_assoc_t id, uint16_t out, uint16_t in);
#endif
