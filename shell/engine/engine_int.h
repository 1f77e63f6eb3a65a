/*
 * engine_int.h -- private state of the sans-I/O SCTP engine (engine.h).
 *
 * Files: engine.c (endpoint, demultiplexing, handshake, verification tags,
 * OOTB, shutdown, abort, timers), data.c (DATA, SACK, retransmission,
 * congestion control, reassembly, delivery), path.c (paths, RTO,
 * heartbeat, failover), out.c (packet assembly and queues).
 */
#ifndef SCTPSH_ENGINE_INT_H
#define SCTPSH_ENGINE_INT_H

#include <sys/queue.h>
/* glibc's sys/queue.h lacks the _SAFE iterators */
#ifndef TAILQ_FOREACH_SAFE
#define TAILQ_FOREACH_SAFE(var, head, field, tvar)                        \
	for ((var) = TAILQ_FIRST(head);                                   \
	     (var) && ((tvar) = TAILQ_NEXT(var, field), 1); (var) = (tvar))
#endif
#include "engine.h"
#include "wire/wire.h"

/* Serial number arithmetic on TSNs (RFC 9260 §1.6, RFC 1982). */
#define TSN_LT(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) < 0)
#define TSN_LE(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) <= 0)
#define TSN_GT(a, b) TSN_LT(b, a)
#define TSN_GE(a, b) TSN_LE(b, a)
#define SSN_LT(a, b) ((int16_t)((uint16_t)(a) - (uint16_t)(b)) < 0)

#define PAD4(n) (((n) + 3u) & ~3u)
#define DATA_HDR 16u                 /* DATA chunk header, §3.3.1 */
#define COMMON_HDR 12u               /* SCTP common header, §3.1 */
#define MAX_DUPS 32u                 /* duplicate TSNs kept per SACK */
#define MAX_TSN_AHEAD 65000u         /* gap offsets are 16 bit (§3.3.4) */
#define COOKIE_MAC_LEN 32u           /* HMAC-SHA256 */

/* An outgoing DATA chunk (one fragment of a user message). */
struct sce_chunk {
	TAILQ_ENTRY(sce_chunk) link;
	uint32_t tsn;                /* assigned at first transmission */
	uint16_t sid, ssn;
	uint32_t ppid;
	uint8_t flags;               /* B E U */
	uint64_t expires;            /* PR-SCTP TTL end, 0 = reliable */
	int path;                    /* path of the last transmission, -1 unsent */
	uint64_t sent_at;
	unsigned nsent;
	unsigned miss;               /* miss indications (§7.2.4) */
	bool acked;                  /* gap-acked (kept until cum-acked, §6.2.1) */
	bool in_flight;              /* counted in its path's flight size */
	bool rtx;                    /* marked for retransmission */
	bool fast_done;              /* fast retransmitted: ineligible again */
	bool fast_now;               /* in the next fast-rtx packet (ignores cwnd) */
	bool abandoned;              /* PR-SCTP: given up (RFC 3758 §3.5 A2) */
	size_t len;
	uint8_t data[];
};
TAILQ_HEAD(sce_chunkq, sce_chunk);

/* A received DATA fragment waiting for reassembly. */
struct sce_rchunk {
	TAILQ_ENTRY(sce_rchunk) link;
	uint32_t tsn;
	uint16_t sid, ssn;
	uint32_t ppid;
	uint8_t flags;
	size_t len;
	uint8_t data[];
};
TAILQ_HEAD(sce_rchunkq, sce_rchunk);

/* A complete user message (ordered pending, or ready to read). */
struct sce_msg {
	TAILQ_ENTRY(sce_msg) link;
	struct sce_rcvinfo ri;
	size_t len;
	uint8_t data[];
};
TAILQ_HEAD(sce_msgq, sce_msg);

/* A control chunk waiting for the next packet to its path. */
struct sce_ctl {
	TAILQ_ENTRY(sce_ctl) link;
	int path;
	bool after_sack;             /* e.g. ERROR for a DATA chunk (§6.5) */
	size_t len;
	uint8_t data[];
};
TAILQ_HEAD(sce_ctlq, sce_ctl);

struct sce_path {
	struct sockaddr_storage addr;
	int lidx;                    /* local address we send from */
	bool active, confirmed;
	uint32_t pmtu;               /* SCTP packet size limit */
	uint32_t cwnd, ssthresh, pba, flight;
	uint32_t srtt, rttvar, rto;  /* ms */
	bool rtt_measured;
	bool rtt_pending;            /* one RTT sample per round trip (§6.3.1 C4) */
	uint32_t rtt_tsn;
	uint32_t errors;
	uint64_t t3;                 /* T3-rtx deadline, 0 = stopped */
	uint64_t hb_due;             /* heartbeat timer, 0 = stopped */
	bool hb_outstanding;
	uint64_t hb_nonce;
	uint64_t last_data_tx;       /* for "idle" (§8.3) */
};

struct sce_assoc {
	TAILQ_ENTRY(sce_assoc) link;
	struct sce_endpoint *ep;
	uint32_t id;
	enum sce_state state;
	uint32_t ltag, ptag;         /* local / peer verification tags */
	uint32_t ltie, ptie;         /* tie-tags (§5.2.2), 0 = none */
	uint16_t pport;
	struct sce_path paths[SCE_MAX_PATHS];
	size_t npaths;
	int primary;
	int last_rx_path;

	/* setup: T1-init / T1-cookie (§5.1) */
	uint64_t t1;
	uint32_t t1_rto;
	unsigned init_count;
	int t1_path;
	struct wire_buf init_chunk;  /* our INIT (kept for retransmission) */
	struct wire_buf cookie;      /* peer's state cookie (COOKIE-ECHO) */
	uint32_t cookie_preserve;    /* ms asked for after a stale cookie (§5.2.6) */
	uint64_t echo_sent;

	/* shutdown: T2 (§9.2) */
	uint64_t t2;
	unsigned t2_count;

	/* sender */
	uint32_t itsn, next_tsn, cum_ack;
	uint32_t peer_rwnd;
	uint32_t flight_payload;     /* payload bytes in flight (for rwnd) */
	uint16_t os, is;
	uint16_t *ssn_out;
	struct sce_chunkq unsent, sent;
	size_t queued_bytes;         /* payload bytes in unsent */
	bool fast_recovery;
	uint32_t fr_exit;
	uint32_t assoc_errors;
	bool peer_prsctp;            /* peer sent Forward-TSN-Supported */

	/* receiver */
	uint32_t peer_itsn, cum_tsn, highest_tsn;
	uint32_t *rtsn;              /* sorted TSNs > cum_tsn received */
	size_t nrtsn, caprtsn;
	uint32_t dups[MAX_DUPS];
	size_t ndups;
	uint16_t *ssn_in;            /* next expected SSN per inbound stream */
	struct sce_rchunkq reasm;
	struct sce_msgq opend;       /* complete ordered messages, SSN ahead */
	struct sce_msgq readq;
	struct sce_msgq deferq;      /* held during a deferred SSN reset (RFC 6525) */
	uint32_t reconf_in_seq;      /* expected Re-configuration Request Seq. No. */
	uint32_t reconf_last_result;
	struct {
		bool pending;
		uint32_t req_seq, last_tsn;
		uint16_t sids[64];
		size_t nsids;        /* 0: all streams */
	} reset;
	uint64_t streams_reset;
	size_t reasm_bytes, opend_bytes, read_bytes;
	bool data_seen;
	bool rx_data;                /* the packet being processed had DATA */
	bool sack_now;               /* a SACK goes out with the next flush */
	unsigned pkts_unacked;       /* packets with DATA since the last SACK */
	uint64_t sack_due;           /* delayed SACK deadline, 0 = none */
	uint32_t last_adv_rwnd;

	struct sce_ctlq ctl;

	/* counters */
	uint64_t rtx_t3, rtx_fast, data_sent, data_recv, dups_recv, abandoned, fwd_tsn_sent;
};
TAILQ_HEAD(sce_assocq, sce_assoc);

struct sce_endpoint {
	struct sce_config cfg;
	uint8_t secret[32];          /* cookie MAC key (§5.1.3) */
	struct sce_assocq assocs;
	uint32_t next_id;
	struct sce_packet *out_head, **out_tail;
	struct sce_event *ev;        /* ring of events */
	size_t ev_head, ev_n, ev_cap;
	struct sce_ep_stats st;
};

/* engine.c */
uint32_t sce_rand32(struct sce_endpoint *ep);
uint32_t sce_rand_tag(struct sce_endpoint *ep);    /* non-zero */
/* queue an event; returns it for extra fields (NULL if out of memory) */
struct sce_event *sce_event(struct sce_assoc *a, enum sce_event_type t, uint16_t error);
void sce_event_addr(struct sce_assoc *a, int path, enum sce_addr_state st);
void sce_assoc_close(struct sce_assoc *a, enum sce_event_type t, uint16_t error);
void sce_check_shutdown(struct sce_assoc *a, uint64_t now);
void sce_send_abort(struct sce_assoc *a, uint16_t cause, const void *info, size_t ilen);
bool sce_addr_eq(const struct sockaddr *x, const struct sockaddr *y);

/* out.c */
void sce_out_raw(struct sce_endpoint *ep, uint32_t assoc_id, const struct sockaddr *src,
		 const struct sockaddr *dst, uint16_t sport, uint16_t dport,
		 uint32_t vtag, const uint8_t *chunks, size_t clen);
void sce_ctl_queue(struct sce_assoc *a, int path, const uint8_t *chunk, size_t len);
void sce_ctl_queue_late(struct sce_assoc *a, int path, const uint8_t *chunk, size_t len);
void sce_flush(struct sce_assoc *a, uint64_t now);
/* one packet with exactly these chunks to path (vtag = peer tag) */
void sce_out_path(struct sce_assoc *a, int path, const uint8_t *chunks, size_t clen);

/* data.c */
int sce_data_init(struct sce_assoc *a);            /* after os/is are known */
void sce_data_free(struct sce_assoc *a);
void sce_handle_data(struct sce_assoc *a, uint64_t now, const uint8_t *c, size_t len);
void sce_handle_sack(struct sce_assoc *a, uint64_t now, const uint8_t *c, size_t len);
void sce_handle_cum_ack(struct sce_assoc *a, uint64_t now, uint32_t cum);
void sce_after_data(struct sce_assoc *a, uint64_t now);
void sce_handle_fwd_tsn(struct sce_assoc *a, uint64_t now, const uint8_t *c, size_t len);
void sce_build_sack(struct sce_assoc *a, struct wire_buf *b, size_t max);
uint32_t sce_rwnd(const struct sce_assoc *a);
void sce_t3_expired(struct sce_assoc *a, int path, uint64_t now);
int sce_queue_msg(struct sce_assoc *a, const struct sce_sendinfo *si, const void *data,
		  size_t len, uint64_t now);
bool sce_all_acked(const struct sce_assoc *a);
void sce_rcv_reset(struct sce_assoc *a, uint32_t peer_itsn);

/* reconfig.c */
void sce_handle_reconfig(struct sce_assoc *a, const uint8_t *c, size_t len);
void sce_reset_check(struct sce_assoc *a);
bool sce_reset_affects(const struct sce_assoc *a, uint16_t sid);
void sce_deliver(struct sce_assoc *a, struct sce_msg *m);

/* path.c */
int sce_path_add(struct sce_assoc *a, const struct sockaddr *sa, bool confirmed);
int sce_path_find(const struct sce_assoc *a, const struct sockaddr *sa);
void sce_path_reset_cc(struct sce_assoc *a, struct sce_path *p);
uint32_t sce_pmdcs(const struct sce_path *p);
void sce_rtt_sample(struct sce_assoc *a, struct sce_path *p, uint32_t r);
void sce_path_error(struct sce_assoc *a, int path, uint64_t now);
void sce_path_ok(struct sce_assoc *a, int path);
int sce_data_path(struct sce_assoc *a);
int sce_rtx_path(struct sce_assoc *a, int last);
void sce_hb_start(struct sce_assoc *a, uint64_t now);
void sce_hb_timer(struct sce_assoc *a, int path, uint64_t now);
void sce_handle_heartbeat(struct sce_assoc *a, int path, const uint8_t *c, size_t len);
void sce_handle_heartbeat_ack(struct sce_assoc *a, uint64_t now, const uint8_t *c, size_t len);

static inline uint16_t sce_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}
static inline uint32_t sce_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline void sce_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}
static inline void sce_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

#endif
