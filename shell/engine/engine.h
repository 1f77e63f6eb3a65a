/*
 * engine.h -- sctpsh's user-space SCTP engine, sans I/O (RFC 9260).
 *
 * The engine knows no sockets, reads no clock and has no Tcl.  It is a
 * state machine the caller drives (the model is ngtcp2 / picoquic):
 *
 *   in   sce_input(ep, now, src, dst, bytes, len)  one received SCTP packet
 *                                   (common header + chunks, no IP header)
 *        sce_on_timer(ep, now)       when now >= sce_next_deadline(ep)
 *        sce_connect / sce_send / sce_shutdown / sce_abort (user requests)
 *   out  sce_pop_packet(ep)          packets to send, each with its source
 *                                   and destination address (until NULL)
 *        sce_next_deadline(ep)       when to call sce_on_timer next
 *        sce_pop_event(ep, &ev)      events: comm up / lost / restart /
 *                                   shutdown complete / cannot start, peer
 *                                   address change, data arrived, send
 *                                   failed, remote error
 *        sce_recv(ep, id, ...)       one delivered user message
 *
 * After every input call the caller drains sce_pop_packet() and
 * sce_pop_event(), then re-reads sce_next_deadline().  Time is a
 * monotonic millisecond count chosen by the caller (uint64_t now); it must
 * never go backwards.  Randomness (verification tags, initial TSNs, the
 * cookie secret, heartbeat nonces and jitter) comes only from the
 * caller's cfg.random, so a run with a seeded source is reproducible.
 *
 * Addresses are struct sockaddr (AF_INET / AF_INET6); their port fields
 * are ignored on input and set to the SCTP port on output: the SCTP ports
 * are those of the common header.  One endpoint = one local SCTP port and
 * its local addresses, holding any number of associations (a listening
 * endpoint accepts, sce_connect() opens).
 *
 * Everything not in this header (TCB layout, queues) is private
 * (engine_int.h).  Thread safety: none; one endpoint per thread.
 */
#ifndef SCTPSH_ENGINE_H
#define SCTPSH_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SCE_MAX_LADDRS 8          /* local addresses of one endpoint */
#define SCE_MAX_PATHS 8           /* peer addresses of one association */
#define SCE_NEVER UINT64_MAX      /* "no deadline" */

/* Caller-provided randomness: fill buf with n random bytes. */
typedef void (*sce_random_fn)(void *ctx, void *buf, size_t n);

struct sce_config {
	uint16_t port;                        /* local SCTP port (non-zero) */
	struct sockaddr_storage laddrs[SCE_MAX_LADDRS];
	size_t nladdrs;                       /* >= 1; listed in INIT/INIT-ACK if > 1 */
	sce_random_fn random;                 /* required */
	void *random_ctx;
	/* zero means "the default in brackets" (RFC 9260 §16) */
	uint32_t rto_initial;                 /* ms [1000] */
	uint32_t rto_min;                     /* ms [1000] */
	uint32_t rto_max;                     /* ms [60000] */
	uint32_t hb_interval;                 /* ms [30000]; UINT32_MAX: off */
	uint32_t sack_delay;                  /* ms [200], at most 500 (§6.2) */
	uint32_t cookie_life;                 /* ms [60000] (Valid.Cookie.Life) */
	uint32_t max_init_retrans;            /* [8] */
	uint32_t assoc_max_retrans;           /* [10] */
	uint32_t path_max_retrans;            /* [5] */
	uint32_t a_rwnd;                      /* receive buffer, bytes [131072] */
	uint32_t sndbuf;                      /* bytes queued per assoc [1 MiB] */
	uint16_t os, mis;                     /* streams wanted / accepted [10, 65535] */
	uint16_t mtu;                         /* IP MTU [1500]; the SCTP packet is
					       * mtu - IP header - encap_overhead */
	uint16_t encap_overhead;              /* e.g. 8 for UDP encapsulation (RFC 6951) */
	bool listen;                          /* accept INITs (else ABORT them, §8.4) */
};

enum sce_state {
	SCE_CLOSED, SCE_COOKIE_WAIT, SCE_COOKIE_ECHOED, SCE_ESTABLISHED,
	SCE_SHUTDOWN_PENDING, SCE_SHUTDOWN_SENT, SCE_SHUTDOWN_RECEIVED,
	SCE_SHUTDOWN_ACK_SENT,
};
const char *sce_state_name(enum sce_state s);

enum sce_event_type {
	SCE_EV_COMM_UP = 1,        /* association established (either role) */
	SCE_EV_COMM_LOST,          /* ABORT received, or too many retransmissions */
	SCE_EV_RESTART,            /* peer restart detected, §5.2.4 action A */
	SCE_EV_SHUTDOWN_COMPLETE,  /* graceful close done (§9.2) */
	SCE_EV_CANT_START,         /* INIT / COOKIE ECHO retransmissions exhausted,
				    * or ABORT received during setup */
	SCE_EV_SHUTDOWN_EVENT,     /* peer sent SHUTDOWN */
	SCE_EV_PEER_ADDR_CHANGE,   /* .addr, .addr_state */
	SCE_EV_DATA,               /* a message is ready for sce_recv (.sid, .len) */
	SCE_EV_SEND_FAILED,        /* a message was dropped unsent (.sid, .len, .error) */
	SCE_EV_REMOTE_ERROR,       /* ERROR chunk received (.error = first cause code) */
};

enum sce_addr_state {
	SCE_ADDR_AVAILABLE = 1,    /* inactive -> active (HEARTBEAT-ACK) */
	SCE_ADDR_UNREACHABLE,      /* active -> inactive (Path.Max.Retrans exceeded, §8.2) */
	SCE_ADDR_CONFIRMED,        /* unconfirmed -> confirmed (§5.4) */
	SCE_ADDR_MADE_PRIM,        /* now the path new data goes to */
};

struct sce_event {
	enum sce_event_type type;
	uint32_t assoc_id;
	enum sce_state state;           /* association state after the event */
	uint16_t error;                 /* error cause code, if any (RFC 9260 §3.3.10) */
	struct sockaddr_storage addr;   /* PEER_ADDR_CHANGE */
	enum sce_addr_state addr_state;
	uint16_t sid;                   /* DATA / SEND_FAILED */
	size_t len;
};

/* One outgoing packet: an SCTP packet (common header + chunks, CRC32c
 * set), to be sent from src to dst.  Free with sce_packet_free(). */
struct sce_packet {
	struct sce_packet *next;        /* private */
	struct sockaddr_storage src, dst;
	uint32_t assoc_id;              /* 0: not for an association (OOTB reply,
					 * INIT-ACK) */
	size_t len;
	uint8_t data[];
};

struct sce_sendinfo {
	uint16_t sid;
	uint32_t ppid;                  /* carried as is (network order is the
					 * caller's business, as in RFC 6458) */
	bool unordered;                 /* U bit, §6.6 */
	uint32_t ttl_ms;                /* 0: reliable.  Else PR-SCTP timed
					 * reliability (RFC 3758 §4.1): once the TTL
					 * is over the message is dropped (unsent) or
					 * abandoned and skipped with FORWARD TSN (if
					 * the peer supports it), with a SEND_FAILED
					 * event either way */
};

struct sce_rcvinfo {
	uint16_t sid, ssn;
	uint32_t ppid;
	uint32_t tsn;                   /* TSN of the first fragment */
	bool unordered;
};

struct sce_path_status {
	struct sockaddr_storage addr;
	bool active, confirmed, primary;
	uint32_t cwnd, ssthresh, flight, pba;
	uint32_t srtt, rttvar, rto;     /* ms; srtt 0 = not measured yet */
	uint32_t errors;
	uint32_t pmtu;                  /* SCTP packet size limit */
};

struct sce_status {
	enum sce_state state;
	uint32_t local_vtag, peer_vtag;
	uint16_t port, peer_port;
	uint16_t os, is;                /* negotiated outbound / inbound streams */
	uint32_t next_tsn;              /* next TSN we will assign */
	uint32_t cum_ack;               /* highest TSN of ours the peer cum-acked */
	uint32_t outstanding;           /* chunks sent, not cum-acked */
	uint32_t peer_rwnd;
	uint32_t peer_cum_tsn;          /* highest in-order TSN received */
	uint32_t gaps;                  /* received TSNs above peer_cum_tsn */
	uint32_t rwnd;                  /* our current a_rwnd */
	uint32_t queued;                /* bytes waiting to be sent */
	uint32_t assoc_errors;
	uint64_t rtx_t3, rtx_fast;      /* chunks retransmitted by T3 / fast rtx */
	uint64_t data_sent, data_recv, dups_recv;
	uint64_t abandoned, fwd_tsn_sent;   /* PR-SCTP chunks abandoned, FORWARD TSNs */
	uint64_t streams_reset;             /* incoming SSN resets performed (RFC 6525) */
	size_t npaths;
	struct sce_path_status paths[SCE_MAX_PATHS];
};

/* Endpoint counters (packets the engine discarded and why). */
struct sce_ep_stats {
	uint64_t in_packets, out_packets;
	uint64_t bad_crc, bad_format, bad_vtag, ootb, bad_cookie, stale_cookie;
};

struct sce_endpoint;

/* NULL on bad config (no port, no address, no random) or memory. */
struct sce_endpoint *sce_ep_new(const struct sce_config *cfg);
void sce_ep_free(struct sce_endpoint *ep);
void sce_ep_set_listen(struct sce_endpoint *ep, bool on);
void sce_ep_get_stats(const struct sce_endpoint *ep, struct sce_ep_stats *st);

/*
 * Open an association to peers[0..n-1] (all with SCTP port peer_port):
 * sends INIT to peers[0], state COOKIE-WAIT.  Returns the association id
 * (> 0) or -errno (-EINVAL bad address, -EEXIST already associated).
 */
int64_t sce_connect(struct sce_endpoint *ep, const struct sockaddr *const *peers,
		    size_t n, uint16_t peer_port, uint64_t now);

/* Feed one received SCTP packet.  Returns 0, or -1 if it was discarded
 * (the reason is counted in sce_ep_stats).  Never crashes on any bytes. */
int sce_input(struct sce_endpoint *ep, uint64_t now, const struct sockaddr *src,
	      const struct sockaddr *dst, const uint8_t *pkt, size_t len);

/* Run every timer that is due at now. */
void sce_on_timer(struct sce_endpoint *ep, uint64_t now);
/* Earliest timer deadline over the endpoint, SCE_NEVER if none. */
uint64_t sce_next_deadline(const struct sce_endpoint *ep);

/* Next packet to send (caller frees it), or NULL. */
struct sce_packet *sce_pop_packet(struct sce_endpoint *ep);
void sce_packet_free(struct sce_packet *p);
/* Next event; false if none. */
bool sce_pop_event(struct sce_endpoint *ep, struct sce_event *ev);

/*
 * Queue one user message.  0, or -EINVAL (bad stream, empty), -ENOENT (no
 * such association), -ENOTCONN (not ESTABLISHED / shutting down), -EAGAIN
 * (send buffer full), -EMSGSIZE (larger than the send buffer).
 */
int sce_send(struct sce_endpoint *ep, uint32_t assoc_id, const struct sce_sendinfo *si,
	     const void *data, size_t len, uint64_t now);
/*
 * Take the next delivered message of the association: copies up to cap
 * bytes, returns the message length (which may exceed cap: the rest is
 * lost, like MSG_TRUNC), -EAGAIN if none, -ENOENT if no such association.
 * Delivering opens the receive window (a window update SACK may follow).
 */
ssize_t sce_recv(struct sce_endpoint *ep, uint32_t assoc_id, struct sce_rcvinfo *ri,
		 void *buf, size_t cap, uint64_t now);

/* Graceful close (§9.2) once the queued data is acknowledged. */
int sce_shutdown(struct sce_endpoint *ep, uint32_t assoc_id, uint64_t now);
/* ABORT with a User-Initiated Abort cause (§9.1) carrying reason (may be NULL). */
int sce_abort(struct sce_endpoint *ep, uint32_t assoc_id, const char *reason, uint64_t now);
/* Forget a CLOSED association (its id becomes invalid).  Associations stay
 * queryable after they close until released. */
int sce_release(struct sce_endpoint *ep, uint32_t assoc_id);

int sce_status(const struct sce_endpoint *ep, uint32_t assoc_id, struct sce_status *st);
/* Make peer address index i the primary path (SCTP_PRIMARY_ADDR). */
int sce_set_primary(struct sce_endpoint *ep, uint32_t assoc_id, const struct sockaddr *peer);
/* Ids of all associations (closed ones included); returns the count. */
size_t sce_assoc_ids(const struct sce_endpoint *ep, uint32_t *ids, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
