/* Kernel-facing helpers for the sock, addr and io command families:
 * associations, bindx, sendv, primaries. Plain C over libsctp, no Tcl.
 * Every function returns >= 0 on success or -errno. */
#ifndef KCONN_H
#define KCONN_H
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* sctp_bindx of a list of sockaddr_storage (packed for the kernel);
 * flags SCTP_BINDX_ADD_ADDR or SCTP_BINDX_REM_ADDR. */
int kc_bindx(int fd, const struct sockaddr_storage *a, int n, int flags);
/* plain bind() of one address */
int kc_bind(int fd, const struct sockaddr_storage *a);
/* The local port the socket is bound to (0 if unbound). */
int kc_local_port(int fd);
/* Does this host (the caller's current netns) own address a? 1 yes, 0 no
 * (a UDP bind says EADDRNOTAVAIL), else -errno. */
int kc_addr_is_local(const struct sockaddr_storage *a);
/* Is the socket bound to the wildcard address? 1/0 or -errno. Linux cannot
 * sctp_bindx ADD/REM on such an endpoint (sctp_do_bind: the wildcard matches
 * every address, so EINVAL; REM of the only entry: EBUSY). Heuristic once
 * associated: the endpoint's address list includes loopback. */
int kc_bound_wildcard(int fd);
/* IP_FREEBIND (IPv4) / IPV6_FREEBIND: read (*old may be NULL) and set. */
int kc_freebind(int fd, int family, int on, int *old);

/* Non-blocking sctp_connectx: 0 (already up) or -EINPROGRESS with *id set,
 * or another -errno. ostreams/instreams > 0 override SCTP_INITMSG for this
 * association only (the socket's defaults are restored afterwards). */
int kc_connectx(int fd, const struct sockaddr_storage *a, int n, int ostreams, int instreams,
		sctp_assoc_t *id);

/* Association ids on the socket (SCTP_GET_ASSOC_ID_LIST); returns the count
 * (may exceed max: only max stored). */
int kc_assoc_ids(int fd, sctp_assoc_t *ids, int max);
/* SCTP_STATUS of one association (-EINVAL: no such association). */
int kc_status(int fd, sctp_assoc_t id, struct sctp_status *st);
/* Did the peer agree to ASCONF (RFC 5061) on this association? 1/0 */
int kc_asconf_capable(int fd, sctp_assoc_t id);
/* Association holding peer address a (SCTP_GET_PEER_ADDR_INFO); 0 if none. */
sctp_assoc_t kc_assoc_of_peer(int fd, const struct sockaddr_storage *a);

int kc_peeloff(int fd, sctp_assoc_t id);

/* Send parameters for kc_sendv (RFC 6458 §9.12, SCTP_SENDV_SPA). */
typedef struct kc_send {
	sctp_assoc_t assoc;
	uint16_t sid;
	uint32_t ppid;        /* host order; sent in network order */
	uint32_t context;
	uint16_t flags;       /* SCTP_UNORDERED | SCTP_ADDR_OVER | SCTP_EOF | SCTP_ABORT */
	uint16_t pr_policy;   /* 0 or SCTP_PR_SCTP_TTL/RTX/PRIO */
	uint32_t pr_value;
} kc_send;

/* One message, never blocking (MSG_DONTWAIT; -EAGAIN when the send buffer is full); to may be NULL.
 * Returns bytes sent or -errno. */
int kc_sendv(int fd, const void *buf, size_t len, const struct sockaddr_storage *to,
	     const kc_send *p);

int kc_set_primary(int fd, sctp_assoc_t id, const struct sockaddr_storage *a);
int kc_set_peer_primary(int fd, sctp_assoc_t id, const struct sockaddr_storage *a);
/* shutdown(fd, SHUT_WR): graceful SHUTDOWN on a one-to-one socket */
int kc_shutdown_wr(int fd);
/* SO_LINGER {1, 0}: a following close() aborts (one-to-one ABORT) */
int kc_linger0(int fd);

/* Local (loc=1) or peer addresses of an association: fills out[] up to max,
 * returns the count. */
int kc_addrs(int fd, sctp_assoc_t id, int loc, struct sockaddr_storage *out, int max);
#endif
