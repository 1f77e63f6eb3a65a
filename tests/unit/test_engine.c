/*
 * Unit tests of the sans-I/O SCTP engine (shell/engine), cmocka, run under
 * ASan/UBSan by `make engine-test`.
 *
 * Two (or three) engines talk through an in-memory network with a fake
 * clock: per-packet latency, and seeded, deterministic loss, duplication
 * and reordering; addresses can be black-holed to kill a path.  Edge cases
 * use hand-crafted packets (wire_craft_*) played against one engine.
 * Every packet an engine emits is decoded with wire_decode_sctp() and must
 * decode cleanly with a correct CRC32c.
 *
 * Addresses: 198.51.100.0/24 and 203.0.113.0/24 only (documentation ranges).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine/engine.h"
#include "wire/wire.h"

/* ------------------------------------------------------------------ */
/* Deterministic randomness                                            */
/* ------------------------------------------------------------------ */

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	/* xorshift64* */
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545F4914F6CDD1DULL;
}

static void rng_fill(void *ctx, void *buf, size_t n)
{
	uint8_t *b = buf;
	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)(rng_next(ctx) >> 32);
}

/* ------------------------------------------------------------------ */
/* Addresses                                                           */
/* ------------------------------------------------------------------ */

static struct sockaddr_storage v4(const char *s)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	memset(&ss, 0, sizeof ss);
	sin->sin_family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, s, &sin->sin_addr), 1);
	return ss;
}

static bool same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	return a->ss_family == AF_INET && b->ss_family == AF_INET &&
	       ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
}

/* ------------------------------------------------------------------ */
/* In-memory network                                                   */
/* ------------------------------------------------------------------ */

#define MAXNODE 3
#define MAXDOWN 4

struct inflight {
	struct inflight *next;
	uint64_t at;
	int to;
	struct sockaddr_storage src, dst;
	size_t len;
	uint8_t data[];
};

struct node {
	struct sce_endpoint *ep;
	struct rng rng;
	struct sce_config cfg;
	unsigned loss_pm;            /* loss of packets this node sends, per mille */
	unsigned dup_pm, reorder_pm;
	uint64_t sent, dropped;
	unsigned chunk_count[256];   /* chunk types this node sent */
	unsigned data_rtx;           /* DATA chunks whose TSN was seen before */
	uint32_t tsn_seen_max;
	bool tsn_seen_any;
	/* drop the next n packets that carry a chunk of this type */
	int drop_type;
	unsigned drop_n;
};

struct net {
	uint64_t now;
	uint32_t latency;            /* ms, one way */
	struct rng rng;
	struct node n[MAXNODE];
	int nn;
	struct inflight *q;
	struct sockaddr_storage down[MAXDOWN];
	int ndown;
	/* last packet seen, decoded (for hand assertions) */
	struct wire_packet last;
	bool have_last;
};

static void net_init(struct net *net, uint64_t seed)
{
	memset(net, 0, sizeof *net);
	net->now = 1000000;
	net->latency = 10;
	net->rng.s = seed ? seed : 1;
}

static struct sce_config base_cfg(uint16_t port, const char *a1, const char *a2)
{
	struct sce_config c;
	memset(&c, 0, sizeof c);
	c.port = port;
	c.laddrs[0] = v4(a1);
	c.nladdrs = 1;
	if (a2) {
		c.laddrs[1] = v4(a2);
		c.nladdrs = 2;
	}
	return c;
}

static int net_add(struct net *net, struct sce_config cfg, uint64_t seed)
{
	int i = net->nn++;
	struct node *n = &net->n[i];
	assert_true(i < MAXNODE);
	memset(n, 0, sizeof *n);
	n->rng.s = seed;
	cfg.random = rng_fill;
	cfg.random_ctx = &n->rng;
	n->cfg = cfg;
	n->drop_type = -1;
	n->ep = sce_ep_new(&n->cfg);
	assert_non_null(n->ep);
	return i;
}

/* replace node i's endpoint by a fresh one (a "crash + restart") */
static void net_restart_node(struct net *net, int i, uint64_t seed)
{
	struct node *n = &net->n[i];
	sce_ep_free(n->ep);
	n->rng.s = seed;
	n->ep = sce_ep_new(&n->cfg);
	assert_non_null(n->ep);
}

static void net_free(struct net *net)
{
	struct inflight *f;
	while ((f = net->q)) {
		net->q = f->next;
		free(f);
	}
	for (int i = 0; i < net->nn; i++)
		sce_ep_free(net->n[i].ep);
	if (net->have_last)
		wire_packet_free(&net->last);
}

static int owner(struct net *net, const struct sockaddr_storage *a)
{
	for (int i = 0; i < net->nn; i++)
		for (size_t k = 0; k < net->n[i].cfg.nladdrs; k++)
			if (same_addr(&net->n[i].cfg.laddrs[k], a))
				return i;
	return -1;
}

static bool is_down(struct net *net, const struct sockaddr_storage *a)
{
	for (int i = 0; i < net->ndown; i++)
		if (same_addr(&net->down[i], a))
			return true;
	return false;
}

static void net_down(struct net *net, const char *a)
{
	net->down[net->ndown++] = v4(a);
}

static void enqueue(struct net *net, int to, const struct sce_packet *p, uint64_t at)
{
	struct inflight *f = malloc(sizeof *f + p->len), **pp = &net->q;
	assert_non_null(f);
	f->at = at;
	f->to = to;
	f->src = p->src;
	f->dst = p->dst;
	f->len = p->len;
	memcpy(f->data, p->data, p->len);
	while (*pp && (*pp)->at <= at)
		pp = &(*pp)->next;
	f->next = *pp;
	*pp = f;
}

/* Check one emitted packet: decodes cleanly, CRC32c right; count chunks. */
static void inspect(struct net *net, struct node *n, const struct sce_packet *p)
{
	if (net->have_last)
		wire_packet_free(&net->last);
	assert_int_equal(wire_decode_sctp(p->data, p->len, &net->last), 0);
	net->have_last = true;
	assert_true(net->last.crc_ok);
	assert_string_equal(net->last.error, "");
	assert_true(net->last.nchunks >= 1);
	for (size_t i = 0; i < net->last.nchunks; i++) {
		const struct wire_chunk *c = &net->last.chunks[i];
		n->chunk_count[c->type]++;
		if (c->type == WIRE_CT_DATA) {
			uint32_t tsn = (uint32_t)wire_fl_get(&c->fields, "tsn")->u;
			if (n->tsn_seen_any && (int32_t)(tsn - n->tsn_seen_max) <= 0)
				n->data_rtx++;
			else
				n->tsn_seen_max = tsn;
			n->tsn_seen_any = true;
		}
	}
}

static bool has_chunk(const struct sce_packet *p, int type)
{
	struct wire_packet w;
	bool r = false;
	wire_decode_sctp(p->data, p->len, &w);
	for (size_t i = 0; i < w.nchunks; i++)
		if (w.chunks[i].type == type)
			r = true;
	wire_packet_free(&w);
	return r;
}

/* Move every packet the endpoints emitted into the network. */
static void net_collect(struct net *net)
{
	for (int i = 0; i < net->nn; i++) {
		struct node *n = &net->n[i];
		struct sce_packet *p;
		while ((p = sce_pop_packet(n->ep))) {
			int to = owner(net, &p->dst);
			uint64_t at = net->now + net->latency;
			inspect(net, n, p);
			n->sent++;
			if (n->drop_type >= 0 && n->drop_n && has_chunk(p, n->drop_type)) {
				n->drop_n--;
				n->dropped++;
			} else if (to < 0 || is_down(net, &p->dst) || is_down(net, &p->src) ||
				   (n->loss_pm && rng_next(&net->rng) % 1000 < n->loss_pm)) {
				n->dropped++;
			} else {
				if (n->reorder_pm && rng_next(&net->rng) % 1000 < n->reorder_pm)
					at += 1 + rng_next(&net->rng) % (3 * net->latency);
				enqueue(net, to, p, at);
				if (n->dup_pm && rng_next(&net->rng) % 1000 < n->dup_pm)
					enqueue(net, to, p, at + 1);
			}
			sce_packet_free(p);
		}
	}
}

/* Run the network until time limit; returns when nothing is scheduled
 * before it. */
static void net_run_until(struct net *net, uint64_t until)
{
	for (;;) {
		uint64_t next = SCE_NEVER;
		net_collect(net);
		if (net->q)
			next = net->q->at;
		for (int i = 0; i < net->nn; i++) {
			uint64_t d = sce_next_deadline(net->n[i].ep);
			if (d < next)
				next = d;
		}
		if (next == SCE_NEVER || next > until) {
			if (until != SCE_NEVER && until > net->now)
				net->now = until;
			return;
		}
		if (next > net->now)
			net->now = next;
		while (net->q && net->q->at <= net->now) {
			struct inflight *f = net->q;
			net->q = f->next;
			sce_input(net->n[f->to].ep, net->now, (struct sockaddr *)&f->src,
				  (struct sockaddr *)&f->dst, f->data, f->len);
			free(f);
			net_collect(net);
		}
		for (int i = 0; i < net->nn; i++)
			if (sce_next_deadline(net->n[i].ep) <= net->now)
				sce_on_timer(net->n[i].ep, net->now);
	}
}

static void net_run(struct net *net, uint32_t ms)
{
	net_run_until(net, net->now + ms);
}

/* Find the first event of a type (and drop events before it). */
static bool next_event(struct net *net, int node, enum sce_event_type t, struct sce_event *out)
{
	struct sce_event ev;
	while (sce_pop_event(net->n[node].ep, &ev))
		if (ev.type == t) {
			if (out)
				*out = ev;
			return true;
		}
	return false;
}

/* Count (and consume) events of one type. */
static unsigned count_events(struct net *net, int node, enum sce_event_type t)
{
	struct sce_event ev;
	unsigned k = 0;
	while (sce_pop_event(net->n[node].ep, &ev))
		if (ev.type == t)
			k++;
	return k;
}

static uint32_t only_assoc_ep(struct sce_endpoint *ep)
{
	uint32_t ids[8];
	size_t n = sce_assoc_ids(ep, ids, 8);
	assert_true(n >= 1);
	return ids[n - 1];
}

static uint32_t only_assoc(struct net *net, int node)
{
	return only_assoc_ep(net->n[node].ep);
}

static enum sce_state state_of_ep(struct sce_endpoint *ep, uint32_t id)
{
	struct sce_status st;
	assert_int_equal(sce_status(ep, id, &st), 0);
	return st.state;
}

static enum sce_state state_of(struct net *net, int node, uint32_t id)
{
	return state_of_ep(net->n[node].ep, id);
}

/* A connects to B (B listening); run until established. */
static void setup_pair(struct net *net, int *A, int *B, uint32_t *ida, uint32_t *idb,
		       struct sce_config ca, struct sce_config cb)
{
	struct sockaddr_storage peer = cb.laddrs[0];
	const struct sockaddr *pp[1] = { (struct sockaddr *)&peer };
	int64_t id;

	cb.listen = true;
	*A = net_add(net, ca, 11);
	*B = net_add(net, cb, 22);
	id = sce_connect(net->n[*A].ep, pp, 1, cb.port, net->now);
	assert_true(id > 0);
	*ida = (uint32_t)id;
	net_run(net, 500);
	assert_int_equal(state_of(net, *A, *ida), SCE_ESTABLISHED);
	*idb = only_assoc(net, *B);
	assert_int_equal(state_of(net, *B, *idb), SCE_ESTABLISHED);
}


/* ------------------------------------------------------------------ */
/* A hand-driven peer: crafted packets into one engine                  */
/* ------------------------------------------------------------------ */

#define RP_TAG 0x11111111u
#define RP_TSN 100u
#define RP_PORT 6000
#define EN_PORT 5002

struct rawpeer {
	struct rng rng;
	struct sce_config cfg;
	struct sce_endpoint *ep;
	struct sockaddr_storage me, en;   /* the raw peer's and the engine's address */
	uint64_t now;
	uint32_t en_tag, en_tsn;          /* engine's tag and initial TSN */
	uint8_t cookie[512];
	size_t cookie_len;
	uint32_t id;
	bool en_prsctp;                   /* INIT-ACK had Forward-TSN-Supported */
	bool en_reconf;                   /* ... and RE-CONFIG in Supported Extensions */
};

static void rp_init(struct rawpeer *r, struct sce_config cfg)
{
	memset(r, 0, sizeof *r);
	r->rng.s = 77;
	cfg.random = rng_fill;
	cfg.random_ctx = &r->rng;
	cfg.listen = true;
	r->cfg = cfg;
	r->ep = sce_ep_new(&r->cfg);
	assert_non_null(r->ep);
	r->me = v4("203.0.113.5");
	r->en = cfg.laddrs[0];
	r->now = 5000000;
}

static void rp_free(struct rawpeer *r)
{
	sce_ep_free(r->ep);
}

/* send chunks (already crafted) from the raw peer, with vtag */
static int rp_send(struct rawpeer *r, uint32_t vtag, const struct wire_buf *ch)
{
	struct wire_buf pkt;
	int rc;
	wire_buf_init(&pkt);
	assert_int_equal(wire_craft_packet(&pkt, RP_PORT, EN_PORT, vtag, ch->p, ch->len), 0);
	rc = sce_input(r->ep, r->now, (struct sockaddr *)&r->me, (struct sockaddr *)&r->en,
		       pkt.p, pkt.len);
	wire_buf_free(&pkt);
	return rc;
}

/* the next packet the engine sends (decoded, checked), false if none */
static bool rp_take(struct rawpeer *r, struct wire_packet *w, uint8_t *raw, size_t *rawlen)
{
	struct sce_packet *p = sce_pop_packet(r->ep);
	if (!p)
		return false;
	assert_int_equal(wire_decode_sctp(p->data, p->len, w), 0);
	assert_true(w->crc_ok);
	assert_true(same_addr(&p->dst, &r->me));
	assert_int_equal(w->sport, EN_PORT);
	assert_int_equal(w->dport, RP_PORT);
	if (raw) {
		assert_true(p->len <= *rawlen);
		memcpy(raw, p->data, p->len);
		*rawlen = p->len;
	}
	sce_packet_free(p);
	return true;
}

static uint64_t fu(const struct wire_chunk *c, const char *name)
{
	const struct wire_field *f = wire_fl_get(&c->fields, name);
	assert_non_null(f);
	return f->u;
}

/* INIT -> INIT-ACK: remember the engine's tag, TSN and cookie */
static void rp_init_exchange(struct rawpeer *r, const struct wire_buf *params)
{
	struct wire_buf ch;
	struct wire_packet w;
	uint8_t raw[2048];
	size_t rl = sizeof raw, off;

	wire_buf_init(&ch);
	wire_craft_init(&ch, false, RP_TAG, 65536, 10, 10, RP_TSN,
			params ? params->p : NULL, params ? params->len : 0);
	assert_int_equal(rp_send(r, 0, &ch), 0);
	wire_buf_free(&ch);
	assert_true(rp_take(r, &w, raw, &rl));
	assert_int_equal(w.nchunks, 1);
	assert_int_equal(w.chunks[0].type, WIRE_CT_INIT_ACK);
	assert_int_equal(w.vtag, RP_TAG);
	r->en_tag = (uint32_t)fu(&w.chunks[0], "init_tag");
	r->en_tsn = (uint32_t)fu(&w.chunks[0], "init_tsn");
	wire_packet_free(&w);
	/* the cookie from the raw bytes: params start 20 bytes into the chunk */
	r->cookie_len = 0;
	for (off = 12 + 20; off + 4 <= rl;) {
		uint16_t t = (uint16_t)(raw[off] << 8 | raw[off + 1]);
		uint16_t l = (uint16_t)(raw[off + 2] << 8 | raw[off + 3]);
		assert_true(l >= 4);
		if (t == WIRE_PT_FORWARD_TSN_SUPPORTED)
			r->en_prsctp = true;
		if (t == WIRE_PT_SUPPORTED_EXT)
			for (size_t k = 4; k < l; k++)
				if (raw[off + k] == WIRE_CT_RECONFIG)
					r->en_reconf = true;
		if (t == WIRE_PT_STATE_COOKIE) {
			memcpy(r->cookie, raw + off + 4, l - 4u);
			r->cookie_len = l - 4u;
		}
		off += (l + 3u) & ~3u;
	}
	assert_true(r->cookie_len > 0);
}

static int rp_echo(struct rawpeer *r, const uint8_t *cookie, size_t len, uint32_t vtag)
{
	struct wire_buf ch;
	int rc;
	wire_buf_init(&ch);
	wire_craft_cookie_echo(&ch, cookie, len);
	rc = rp_send(r, vtag, &ch);
	wire_buf_free(&ch);
	return rc;
}

/* full handshake against the engine (server role) */
static void rp_assoc(struct rawpeer *r)
{
	struct wire_packet w;
	rp_init_exchange(r, NULL);
	assert_int_equal(rp_echo(r, r->cookie, r->cookie_len, r->en_tag), 0);
	assert_true(rp_take(r, &w, NULL, NULL));
	assert_int_equal(w.chunks[0].type, WIRE_CT_COOKIE_ACK);
	assert_int_equal(w.vtag, RP_TAG);
	wire_packet_free(&w);
	r->id = only_assoc_ep(r->ep);
}

static int rp_data(struct rawpeer *r, uint32_t vtag, uint32_t tsn, uint16_t sid, uint16_t ssn,
		   const char *text)
{
	struct wire_buf ch;
	int rc;
	wire_buf_init(&ch);
	wire_craft_data(&ch, WIRE_DATA_FLAG_B | WIRE_DATA_FLAG_E, tsn, sid, ssn, 0,
			(const uint8_t *)text, strlen(text));
	rc = rp_send(r, vtag, &ch);
	wire_buf_free(&ch);
	return rc;
}

/* the next packet must hold a SACK (first chunk); returns its decode */
static void rp_expect_sack(struct rawpeer *r, struct wire_packet *w, uint32_t cum)
{
	assert_true(rp_take(r, w, NULL, NULL));
	assert_int_equal(w->chunks[0].type, WIRE_CT_SACK);
	assert_int_equal(w->vtag, RP_TAG);
	assert_int_equal(fu(&w->chunks[0], "cum_tsn"), cum);
}

/* ------------------------------------------------------------------ */
/* Handshake                                                           */
/* ------------------------------------------------------------------ */

static void rfc9260_5_1_handshake_both_roles(void **st)
{
	struct net net;
	int A, B;
	uint32_t ida, idb;
	struct sce_status sa, sb;
	struct sce_event ev;
	(void)st;

	net_init(&net, 1);
	setup_pair(&net, &A, &B, &ida, &idb, base_cfg(5001, "198.51.100.1", NULL),
		   base_cfg(5002, "198.51.100.2", NULL));
	assert_true(next_event(&net, A, SCE_EV_COMM_UP, &ev));
	assert_int_equal(ev.assoc_id, ida);
	assert_true(next_event(&net, B, SCE_EV_COMM_UP, &ev));
	assert_int_equal(ev.assoc_id, idb);
	sce_status(net.n[A].ep, ida, &sa);
	sce_status(net.n[B].ep, idb, &sb);
	/* each side's peer tag is the other's own tag (§8.5) */
	assert_int_equal(sa.peer_vtag, sb.local_vtag);
	assert_int_equal(sb.peer_vtag, sa.local_vtag);
	assert_int_not_equal(sa.local_vtag, 0);
	assert_int_equal(sa.peer_port, 5002);
	assert_int_equal(sb.peer_port, 5001);
	/* §5.1.1: streams min(OS, peer MIS): defaults 10 out, so 10 both ways */
	assert_int_equal(sa.os, 10);
	assert_int_equal(sb.is, 10);
	/* exactly one of each setup chunk */
	assert_int_equal(net.n[A].chunk_count[WIRE_CT_INIT], 1);
	assert_int_equal(net.n[B].chunk_count[WIRE_CT_INIT_ACK], 1);
	assert_int_equal(net.n[A].chunk_count[WIRE_CT_COOKIE_ECHO], 1);
	assert_int_equal(net.n[B].chunk_count[WIRE_CT_COOKIE_ACK], 1);
	/* the cookie exchange gave A an RTT sample of 2 x 10 ms */
	assert_int_equal(sa.paths[0].srtt, 20);
	net_free(&net);
}

static void rfc9260_5_1_6_t1_init_retransmitted(void **st)
{
	struct net net;
	int A, B;
	struct sockaddr_storage peer = v4("198.51.100.2");
	const struct sockaddr *pp[1] = { (struct sockaddr *)&peer };
	struct sce_config cb = base_cfg(5002, "198.51.100.2", NULL);
	int64_t id;
	uint64_t t0;
	(void)st;

	net_init(&net, 2);
	cb.listen = true;
	A = net_add(&net, base_cfg(5001, "198.51.100.1", NULL), 3);
	B = net_add(&net, cb, 4);
	net.n[A].drop_type = WIRE_CT_INIT;
	net.n[A].drop_n = 2; /* the first INIT and its first retransmission */
	t0 = net.now;
	id = sce_connect(net.n[A].ep, pp, 1, 5002, net.now);
	assert_true(id > 0);
	net_run(&net, 2500);
	assert_int_equal(state_of(&net, A, (uint32_t)id), SCE_COOKIE_WAIT);
	net_run(&net, 1000);
	/* RTO.Initial 1 s, doubled: INITs at t0, t0+1 s, t0+3 s (§6.3.3 E2) */
	assert_int_equal(net.n[A].chunk_count[WIRE_CT_INIT], 3);
	assert_int_equal(state_of(&net, A, (uint32_t)id), SCE_ESTABLISHED);
	assert_true(net.now >= t0 + 3000);
	(void)B;
	net_free(&net);
}

static void rfc9260_5_1_max_init_retrans_cant_start(void **st)
{
	struct net net;
	int A;
	struct sockaddr_storage peer = v4("198.51.100.9"); /* nobody there */
	const struct sockaddr *pp[1] = { (struct sockaddr *)&peer };
	struct sce_config ca = base_cfg(5001, "198.51.100.1", NULL);
	struct sce_event ev;
	int64_t id;
	(void)st;

	net_init(&net, 3);
	ca.max_init_retrans = 3;
	ca.rto_max = 4000;
	A = net_add(&net, ca, 5);
	id = sce_connect(net.n[A].ep, pp, 1, 5002, net.now);
	net_run(&net, 60000);
	assert_int_equal(net.n[A].chunk_count[WIRE_CT_INIT], 4); /* 1 + 3 retransmissions */
	assert_true(next_event(&net, A, SCE_EV_CANT_START, &ev));
	assert_int_equal(ev.assoc_id, (uint32_t)id);
	assert_int_equal(state_of(&net, A, (uint32_t)id), SCE_CLOSED);
	assert_int_equal(sce_next_deadline(net.n[A].ep), SCE_NEVER);
	net_free(&net);
}

static void rfc9260_8_4_init_to_non_listener_aborted(void **st)
{
	struct net net;
	int A, B;
	struct sockaddr_storage peer = v4("198.51.100.2");
	const struct sockaddr *pp[1] = { (struct sockaddr *)&peer };
	struct sce_event ev;
	int64_t id;
	struct sce_status sa;
	(void)st;

	net_init(&net, 4);
	A = net_add(&net, base_cfg(5001, "198.51.100.1", NULL), 6);
	B = net_add(&net, base_cfg(5002, "198.51.100.2", NULL), 7); /* not listening */
	id = sce_connect(net.n[A].ep, pp, 1, 5002, net.now);
	sce_status(net.n[A].ep, (uint32_t)id, &sa);
	net_run(&net, 100);
	assert_int_equal(net.n[B].chunk_count[WIRE_CT_ABORT], 1);
	/* §8.4: tag = the INIT's Initiate Tag, T bit clear */
	assert_int_equal(net.last.vtag, sa.local_vtag);
	assert_int_equal(net.last.chunks[0].flags & WIRE_FLAG_T, 0);
	assert_true(next_event(&net, A, SCE_EV_CANT_START, &ev));
	assert_int_equal(state_of(&net, A, (uint32_t)id), SCE_CLOSED);
	net_free(&net);
}


static void rfc9260_5_1_5_cookie_tamper_rejected(void **st)
{
	struct rawpeer r;
	struct wire_packet w;
	struct sce_ep_stats es;
	uint8_t bad[512];
	uint32_t ids[4];
	(void)st;

	rp_init(&r, base_cfg(EN_PORT, "198.51.100.2", NULL));
	rp_init_exchange(&r, NULL);
	/* §5.1.3: no state after the INIT-ACK */
	assert_int_equal(sce_assoc_ids(r.ep, ids, 4), 0);
	for (size_t i = 0; i < r.cookie_len; i += 7) {
		memcpy(bad, r.cookie, r.cookie_len);
		bad[i] ^= 0x01;
		/* §5.1.5: a cookie failing the MAC is silently discarded */
		assert_int_equal(rp_echo(&r, bad, r.cookie_len, r.en_tag), -1);
		assert_false(rp_take(&r, &w, NULL, NULL));
	}
	/* a truncated cookie too */
	assert_int_equal(rp_echo(&r, r.cookie, r.cookie_len - 1, r.en_tag), -1);
	sce_ep_get_stats(r.ep, &es);
	assert_int_equal(es.bad_cookie, (r.cookie_len + 6) / 7 + 1);
	assert_int_equal(sce_assoc_ids(r.ep, ids, 4), 0);
	/* the right cookie with the wrong tag in the common header: discarded */
	assert_int_equal(rp_echo(&r, r.cookie, r.cookie_len, r.en_tag + 1), -1);
	assert_false(rp_take(&r, &w, NULL, NULL));
	/* the genuine one works */
	assert_int_equal(rp_echo(&r, r.cookie, r.cookie_len, r.en_tag), 0);
	assert_true(rp_take(&r, &w, NULL, NULL));
	assert_int_equal(w.chunks[0].type, WIRE_CT_COOKIE_ACK);
	wire_packet_free(&w);
	assert_int_equal(sce_assoc_ids(r.ep, ids, 4), 1);
	rp_free(&r);
}

static void rfc9260_5_1_5_stale_cookie_error(void **st)
{
	struct rawpeer r;
	struct wire_packet w;
	struct sce_config c = base_cfg(EN_PORT, "198.51.100.2", NULL);
	const struct wire_field *causes;
	uint32_t ids[4];
	(void)st;

	c.cookie_life = 1000;
	rp_init(&r, c);
	rp_init_exchange(&r, NULL);
	r.now += 1500;
	assert_int_equal(rp_echo(&r, r.cookie, r.cookie_len, r.en_tag), -1);
	assert_true(rp_take(&r, &w, NULL, NULL));
	assert_int_equal(w.chunks[0].type, WIRE_CT_ERROR);
	assert_int_equal(w.vtag, RP_TAG);
	causes = wire_fl_get(&w.chunks[0].fields, "causes");
	assert_non_null(causes);
	assert_int_equal(causes->list->n, 1);
	assert_int_equal(wire_fl_get(causes->list->v[0].list, "code")->u, WIRE_EC_STALE_COOKIE);
	/* §3.3.10.3: staleness in microseconds: 500 ms past the life */
	assert_int_equal(wire_fl_get(causes->list->v[0].list, "staleness_us")->u, 500000);
	wire_packet_free(&w);
	assert_int_equal(sce_assoc_ids(r.ep, ids, 4), 0);
	rp_free(&r);
}

static void rfc9260_5_2_4_duplicate_cookie_echo_acked_again(void **st)
{
	struct rawpeer r;
	struct wire_packet w;
	uint32_t ids[4];
	(void)st;

	rp_init(&r, base_cfg(EN_PORT, "198.51.100.2", NULL));
	rp_assoc(&r);
	/* the COOKIE ACK was "lost": the same COOKIE ECHO again -> case D */
	r.now += 1000;
	assert_int_equal(rp_echo(&r, r.cookie, r.cookie_len, r.en_tag), 0);
	assert_true(rp_take(&r, &w, NULL, NULL));
	assert_int_equal(w.chunks[0].type, WIRE_CT_COOKIE_ACK);
	wire_packet_free(&w);
	assert_int_equal(sce_assoc_ids(r.ep, ids, 4), 1);
	assert_int_equal(state_of_ep(r.ep, r.id), SCE_ESTABLISHED);
	rp_free(&r);
}

static void rfc9260_8_5_wrong_vtag_discarded(void **st)
{
	struct rawpeer r;
	struct wire_packet w;
	struct sce_ep_stats es;
	struct sce_event ev;
	(void)st;

	rp_init(&r, base_cfg(EN_PORT, "198.51.100.2", NULL));
	rp_assoc(&r);
	while (sce_pop_event(r.ep, &ev))
		;
	assert_int_equal(rp_data(&r, r.en_tag ^ 0x5a5a, RP_TSN, 0, 0, "x"), 0);
	assert_false(rp_take(&r, &w, NULL, NULL));
	assert_false(sce_pop_event(r.ep, &ev));
	sce_ep_get_stats(r.ep, &es);
	assert_int_equal(es.bad_vtag, 1);
	/* the same DATA with the right tag is taken and acked at once (§5.1) */
	assert_int_equal(rp_data(&r, r.en_tag, RP_TSN, 0, 0, "x"), 0);
	rp_expect_sack(&r, &w, RP_TSN);
	wire_packet_free(&w);
	assert_true(sce_pop_event(r.ep, &ev));
	assert_int_equal(ev.type, SCE_EV_DATA);
	rp_free(&r);
}

static void rfc9260_8_5_1_init_needs_zero_tag_and_alone(void **st)
{
	struct rawpeer r;
	struct wire_buf ch;
	struct wire_packet w;
	(void)st;

	rp_init(&r, base_cfg(EN_PORT, "198.51.100.2", NULL));
	wire_buf_init(&ch);
	wire_craft_init(&ch, false, RP_TAG, 65536, 10, 10, RP_TSN, NULL, 0);
	assert_int_equal(rp_send(&r, 1234, &ch), -1); /* tag not 0 */
	assert_false(rp_take(&r, &w, NULL, NULL));
	wire_craft_cookie_ack(&ch);                     /* INIT + another chunk */
	assert_int_equal(rp_send(&r, 0, &ch), -1);
	assert_false(rp_take(&r, &w, NULL, NULL));
	wire_buf_reset(&ch);
	wire_craft_init(&ch, false, 0, 65536, 10, 10, RP_TSN, NULL, 0); /* Initiate Tag 0 */
	rp_send(&r, 0, &ch);
	assert_false(rp_take(&r, &w, NULL, NULL));
	wire_buf_free(&ch);
	rp_free(&r);
}

static void rfc9260_8_4_ootb_replies(void **st)
{
	struct rawpeer r;
	struct wire_buf ch;
	struct wire_packet w;
	(void)st;

	rp_init(&r, base_cfg(EN_PORT, "198.51.100.2", NULL));
	/* item 8: DATA for no association -> ABORT, T set, tag reflected */
	assert_int_equal(rp_data(&r, 0xdeadbeef, 5, 0, 0, "hi"), -1);
	assert_true(rp_take(&r, &w, NULL, NULL));
	assert_int_equal(w.chunks[0].type, WIRE_CT_ABORT);
	assert_int_equal(w.chunks[0].flags & WIRE_FLAG_T, WIRE_FLAG_T);
	assert_int_equal(w.vtag, 0xdeadbeef);
	wire_packet_free(&w);
	/* item 5: SHUTDOWN ACK -> SHUTDOWN COMPLETE, T set, tag reflected */
	wire_buf_init(&ch);
	wire_craft_shutdown_ack(&ch);
	rp_send(&r, 0xabcd, &ch);
	assert_true(rp_take(&r, &w, NULL, NULL));
	assert_int_equal(w.chunks[0].type, WIRE_CT_SHUTDOWN_COMPLETE);
	assert_int_equal(w.chunks[0].flags & WIRE_FLAG_T, WIRE_FLAG_T);
	assert_int_equal(w.vtag, 0xabcd);
	wire_packet_free(&w);
	/* items 2, 6, 7: ABORT, SHUTDOWN COMPLETE, COOKIE ACK -> silence */
	wire_buf_reset(&ch);
	wire_craft_abort(&ch, false, NULL, 0);
	rp_send(&r, 1, &ch);
	wire_buf_reset(&ch);
	wire_craft_shutdown_complete(&ch, false);
	rp_send(&r, 1, &ch);
	wire_buf_reset(&ch);
	wire_craft_cookie_ack(&ch);
	rp_send(&r, 1, &ch);
	assert_false(rp_take(&r, &w, NULL, NULL));
	/* a bad CRC is dropped before anything else (§6.8) */
	{
		struct wire_buf pkt;
		struct sce_ep_stats es;
		wire_buf_init(&pkt);
		wire_buf_reset(&ch);
		wire_craft_data(&ch, 3, 1, 0, 0, 0, (const uint8_t *)"x", 1);
		wire_craft_packet(&pkt, RP_PORT, EN_PORT, 1, ch.p, ch.len);
		pkt.p[pkt.len - 1] ^= 1;
		assert_int_equal(sce_input(r.ep, r.now, (struct sockaddr *)&r.me,
					   (struct sockaddr *)&r.en, pkt.p, pkt.len), -1);
		assert_false(rp_take(&r, &w, NULL, NULL));
		sce_ep_get_stats(r.ep, &es);
		assert_int_equal(es.bad_crc, 1);
		wire_buf_free(&pkt);
	}
	wire_buf_free(&ch);
	rp_free(&r);
}

static void gaps_of(const struct wire_packet *w, char *out, size_t n)
{
	const struct wire_field *g = wire_fl_get(&w->chunks[0].fields, "gaps");
	const struct wire_field *d = wire_fl_get(&w->chunks[0].fields, "dups");
	size_t o = 0;
	out[0] = 0;
	for (size_t i = 0; g && i < g->list->n; i++)
		o += (size_t)snprintf(out + o, n - o, "%s%u-%u", i ? "," : "",
				      (unsigned)wire_fl_get(g->list->v[i].list, "start")->u,
				      (unsigned)wire_fl_get(g->list->v[i].list, "end")->u);
	o += (size_t)snprintf(out + o, n - o, " dups");
	for (size_t i = 0; d && i < d->list->n; i++)
		o += (size_t)snprintf(out + o, n - o, " %u", (unsigned)d->list->v[i].u);
}

static void rfc9260_3_3_4_gap_blocks_and_duplicates(void **st)
{
	struct rawpeer r;
	struct wire_packet w;
	char g[128];
	struct sce_rcvinfo ri;
	char buf[16];
	(void)st;

	rp_init(&r, base_cfg(EN_PORT, "198.51.100.2", NULL));
	rp_assoc(&r);
	rp_data(&r, r.en_tag, RP_TSN, 0, 0, "m0");
	rp_expect_sack(&r, &w, RP_TSN); /* first DATA: at once */
	wire_packet_free(&w);
	/* 101 missing: 102, 103, 105 arrive; every packet SACKed (§7.2.4) */
	rp_data(&r, r.en_tag, RP_TSN + 2, 0, 2, "m2");
	rp_expect_sack(&r, &w, RP_TSN);
	gaps_of(&w, g, sizeof g);
	assert_string_equal(g, "2-2 dups");
	wire_packet_free(&w);
	rp_data(&r, r.en_tag, RP_TSN + 3, 0, 3, "m3");
	rp_expect_sack(&r, &w, RP_TSN);
	wire_packet_free(&w);
	rp_data(&r, r.en_tag, RP_TSN + 5, 1, 0, "s1");
	rp_expect_sack(&r, &w, RP_TSN);
	gaps_of(&w, g, sizeof g);
	assert_string_equal(g, "2-3,5-5 dups");
	wire_packet_free(&w);
	/* duplicates: one below cum, one in a gap block (§6.2: SACK at once) */
	rp_data(&r, r.en_tag, RP_TSN, 0, 0, "m0");
	rp_expect_sack(&r, &w, RP_TSN);
	gaps_of(&w, g, sizeof g);
	assert_string_equal(g, "2-3,5-5 dups 100");
	wire_packet_free(&w);
	rp_data(&r, r.en_tag, RP_TSN + 3, 0, 3, "m3");
	rp_expect_sack(&r, &w, RP_TSN);
	gaps_of(&w, g, sizeof g);
	assert_string_equal(g, "2-3,5-5 dups 103"); /* dups reported once */
	wire_packet_free(&w);
	/* only m0 is deliverable on stream 0 so far, s1 on stream 1 */
	assert_int_equal(sce_recv(r.ep, r.id, &ri, buf, sizeof buf, r.now), 2);
	assert_memory_equal(buf, "m0", 2);
	assert_int_equal(sce_recv(r.ep, r.id, &ri, buf, sizeof buf, r.now), 2);
	assert_memory_equal(buf, "s1", 2);
	assert_int_equal(ri.sid, 1);
	assert_int_equal(sce_recv(r.ep, r.id, &ri, buf, sizeof buf, r.now), -EAGAIN);
	/* 101 fills the hole: cum 103, gap 5-5 now offset 2 */
	rp_data(&r, r.en_tag, RP_TSN + 1, 0, 1, "m1");
	rp_expect_sack(&r, &w, RP_TSN + 3);
	gaps_of(&w, g, sizeof g);
	assert_string_equal(g, "2-2 dups");
	wire_packet_free(&w);
	for (int i = 1; i <= 3; i++) {
		assert_int_equal(sce_recv(r.ep, r.id, &ri, buf, sizeof buf, r.now), 2);
		assert_int_equal(buf[1], '0' + i);
		assert_int_equal(ri.ssn, i);
	}
	rp_free(&r);
}

static void rfc9260_6_2_delayed_sack(void **st)
{
	struct rawpeer r;
	struct wire_packet w;
	(void)st;

	rp_init(&r, base_cfg(EN_PORT, "198.51.100.2", NULL));
	rp_assoc(&r);
	rp_data(&r, r.en_tag, RP_TSN, 0, 0, "a");
	rp_expect_sack(&r, &w, RP_TSN);
	wire_packet_free(&w);
	/* one packet: the SACK waits for SACK.Delay (200 ms) */
	r.now += 10;
	rp_data(&r, r.en_tag, RP_TSN + 1, 0, 1, "b");
	assert_false(rp_take(&r, &w, NULL, NULL));
	assert_int_equal(sce_next_deadline(r.ep), r.now + 200);
	sce_on_timer(r.ep, r.now + 199);
	assert_false(rp_take(&r, &w, NULL, NULL));
	r.now += 200;
	sce_on_timer(r.ep, r.now);
	rp_expect_sack(&r, &w, RP_TSN + 1);
	wire_packet_free(&w);
	/* two packets: the second is acked at once */
	rp_data(&r, r.en_tag, RP_TSN + 2, 0, 2, "c");
	assert_false(rp_take(&r, &w, NULL, NULL));
	rp_data(&r, r.en_tag, RP_TSN + 3, 0, 3, "d");
	rp_expect_sack(&r, &w, RP_TSN + 3);
	wire_packet_free(&w);
	rp_free(&r);
}

static void rfc9260_6_5_invalid_stream_error(void **st)
{
	struct rawpeer r;
	struct wire_packet w;
	struct sce_event ev;
	(void)st;

	rp_init(&r, base_cfg(EN_PORT, "198.51.100.2", NULL));
	rp_assoc(&r);
	while (sce_pop_event(r.ep, &ev))
		;
	rp_data(&r, r.en_tag, RP_TSN, 50, 0, "bad stream");
	assert_true(rp_take(&r, &w, NULL, NULL));
	/* the TSN is acknowledged and an ERROR says why it was dropped */
	assert_int_equal(w.nchunks, 2);
	assert_int_equal(w.chunks[0].type, WIRE_CT_SACK); /* §6.5: ERROR follows the SACK */
	assert_int_equal(fu(&w.chunks[0], "cum_tsn"), RP_TSN);
	assert_int_equal(w.chunks[1].type, WIRE_CT_ERROR);
	{
		const struct wire_field *c = wire_fl_get(&w.chunks[1].fields, "causes");
		assert_int_equal(wire_fl_get(c->list->v[0].list, "code")->u, WIRE_EC_INVALID_STREAM);
		assert_int_equal(wire_fl_get(c->list->v[0].list, "sid")->u, 50);
	}
	wire_packet_free(&w);
	assert_false(sce_pop_event(r.ep, &ev));
	rp_free(&r);
}

static void rfc9260_6_2_data_without_user_data_aborts(void **st)
{
	struct rawpeer r;
	struct wire_packet w;
	struct wire_buf ch;
	struct sce_event ev;
	(void)st;

	rp_init(&r, base_cfg(EN_PORT, "198.51.100.2", NULL));
	rp_assoc(&r);
	wire_buf_init(&ch);
	wire_craft_data(&ch, 3, RP_TSN, 0, 0, 0, NULL, 0);
	rp_send(&r, r.en_tag, &ch);
	wire_buf_free(&ch);
	assert_true(rp_take(&r, &w, NULL, NULL));
	assert_int_equal(w.chunks[0].type, WIRE_CT_ABORT);
	assert_int_equal(w.vtag, RP_TAG);
	wire_packet_free(&w);
	assert_true(sce_pop_event(r.ep, &ev)); /* COMM_UP */
	assert_true(sce_pop_event(r.ep, &ev));
	assert_int_equal(ev.type, SCE_EV_COMM_LOST);
	assert_int_equal(ev.error, WIRE_EC_NO_USER_DATA);
	rp_free(&r);
}

static void rfc9260_5_2_2_init_adding_address_aborted(void **st)
{
	struct rawpeer r;
	struct wire_packet w;
	struct wire_buf pb, ch;
	struct sockaddr_storage extra = v4("203.0.113.77");
	(void)st;

	rp_init(&r, base_cfg(EN_PORT, "198.51.100.2", NULL));
	rp_assoc(&r);
	wire_buf_init(&pb);
	wire_buf_init(&ch);
	wire_param_addr(&pb, (struct sockaddr *)&extra);
	wire_craft_init(&ch, false, 0x22222222, 65536, 10, 10, 900, pb.p, pb.len);
	rp_send(&r, 0, &ch);
	assert_true(rp_take(&r, &w, NULL, NULL));
	assert_int_equal(w.chunks[0].type, WIRE_CT_ABORT);
	assert_int_equal(w.vtag, 0x22222222); /* the new Initiate Tag */
	{
		const struct wire_field *c = wire_fl_get(&w.chunks[0].fields, "causes");
		assert_int_equal(wire_fl_get(c->list->v[0].list, "code")->u,
				 WIRE_EC_RESTART_NEW_ADDRS);
	}
	wire_packet_free(&w);
	assert_int_equal(state_of_ep(r.ep, r.id), SCE_ESTABLISHED);
	/* without the new address: INIT-ACK with a new tag, TCB unchanged */
	wire_buf_reset(&ch);
	wire_craft_init(&ch, false, 0x22222222, 65536, 10, 10, 900, NULL, 0);
	rp_send(&r, 0, &ch);
	assert_true(rp_take(&r, &w, NULL, NULL));
	assert_int_equal(w.chunks[0].type, WIRE_CT_INIT_ACK);
	assert_int_not_equal(fu(&w.chunks[0], "init_tag"), r.en_tag);
	wire_packet_free(&w);
	assert_int_equal(state_of_ep(r.ep, r.id), SCE_ESTABLISHED);
	wire_buf_free(&pb);
	wire_buf_free(&ch);
	rp_free(&r);
}

/* ------------------------------------------------------------------ */
/* Data transfer through the network                                   */
/* ------------------------------------------------------------------ */

static int send_msg(struct net *net, int node, uint32_t id, uint16_t sid, const void *p, size_t n,
		    bool unordered)
{
	struct sce_sendinfo si = { .sid = sid, .ppid = 42, .unordered = unordered };
	return sce_send(net->n[node].ep, id, &si, p, n, net->now);
}

/* drain every message of node/id into a counter per stream; checks that
 * message k on stream s carries "s:k" (in order per stream, exactly once) */
struct rx_check {
	unsigned next[16];
	unsigned total;
};

static void drain_check(struct net *net, int node, uint32_t id, struct rx_check *rc)
{
	char buf[4096];
	struct sce_rcvinfo ri;
	ssize_t n;
	while ((n = sce_recv(net->n[node].ep, id, &ri, buf, sizeof buf - 1, net->now)) > 0) {
		unsigned s, k;
		buf[n < (ssize_t)sizeof buf - 1 ? n : (ssize_t)sizeof buf - 1] = 0;
		assert_int_equal(sscanf(buf, "%u:%u", &s, &k), 2);
		assert_int_equal(s, ri.sid);
		assert_true(s < 16);
		assert_int_equal(k, rc->next[s]); /* in order, no loss, no duplicate */
		assert_int_equal(ri.ppid, 42);
		rc->next[s]++;
		rc->total++;
	}
}

static void rfc9260_6_1_data_and_sack(void **st)
{
	struct net net;
	int A, B;
	uint32_t ida, idb;
	struct rx_check rc = { 0 };
	struct sce_status sa;
	char m[32];
	(void)st;

	net_init(&net, 5);
	setup_pair(&net, &A, &B, &ida, &idb, base_cfg(5001, "198.51.100.1", NULL),
		   base_cfg(5002, "198.51.100.2", NULL));
	for (unsigned k = 0; k < 20; k++) {
		snprintf(m, sizeof m, "%u:%u", k % 3, k / 3);
		assert_int_equal(send_msg(&net, A, ida, (uint16_t)(k % 3), m, strlen(m), false), 0);
	}
	net_run(&net, 1000);
	drain_check(&net, B, idb, &rc);
	assert_int_equal(rc.total, 20);
	sce_status(net.n[A].ep, ida, &sa);
	assert_int_equal(sa.outstanding, 0);
	assert_int_equal(sa.paths[0].flight, 0);
	assert_int_equal(sa.cum_ack, sa.next_tsn - 1);
	assert_int_equal(sa.rtx_t3 + sa.rtx_fast, 0);
	assert_int_equal(net.n[A].data_rtx, 0);
	assert_true(net.n[B].chunk_count[WIRE_CT_SACK] >= 1);
	/* wrong stream / empty message / unknown association */
	assert_int_equal(send_msg(&net, A, ida, 10, "x", 1, false), -EINVAL);
	assert_int_equal(send_msg(&net, A, ida, 0, "x", 0, false), -EINVAL);
	assert_int_equal(send_msg(&net, A, 999, 0, "x", 1, false), -ENOENT);
	net_free(&net);
}

static void rfc9260_6_9_fragmentation_and_reassembly(void **st)
{
	struct net net;
	int A, B;
	uint32_t ida, idb;
	static uint8_t big[20000], got[20000];
	struct sce_rcvinfo ri;
	unsigned max_data = 0;
	(void)st;

	net_init(&net, 6);
	setup_pair(&net, &A, &B, &ida, &idb, base_cfg(5001, "198.51.100.1", NULL),
		   base_cfg(5002, "198.51.100.2", NULL));
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (uint8_t)(i * 7 + 3);
	net.n[A].reorder_pm = 300; /* fragments arrive out of order */
	assert_int_equal(send_msg(&net, A, ida, 1, big, sizeof big, false), 0);
	assert_int_equal(send_msg(&net, A, ida, 1, "after", 5, false), 0);
	assert_int_equal(send_msg(&net, A, ida, 2, big, 3000, true), 0);
	net_run(&net, 3000);
	/* 1500 MTU: 1452 bytes of user data per DATA chunk (1500-20-12-16) */
	max_data = (unsigned)net.n[A].chunk_count[WIRE_CT_DATA];
	assert_true(max_data >= 14 + 1 + 3);
	/* the unordered message may overtake; take what comes and check each */
	for (int k = 0; k < 3; k++) {
		ssize_t n = sce_recv(net.n[B].ep, idb, &ri, got, sizeof got, net.now);
		if (ri.sid == 1 && n == (ssize_t)sizeof big) {
			assert_memory_equal(got, big, sizeof big);
			assert_false(ri.unordered);
		} else if (ri.sid == 1) {
			assert_int_equal(n, 5);
			assert_memory_equal(got, "after", 5);
		} else {
			assert_int_equal(ri.sid, 2);
			assert_true(ri.unordered);
			assert_int_equal(n, 3000);
			assert_memory_equal(got, big, 3000);
		}
	}
	assert_int_equal(sce_recv(net.n[B].ep, idb, &ri, got, sizeof got, net.now), -EAGAIN);
	net_free(&net);
}

static void rfc9260_6_3_3_t3_retransmit_and_backoff(void **st)
{
	struct net net;
	int A, B;
	uint32_t ida, idb;
	struct sce_status sa;
	struct rx_check rc = { 0 };
	uint32_t cwnd0, rto0;
	uint64_t t0;
	(void)st;

	net_init(&net, 7);
	setup_pair(&net, &A, &B, &ida, &idb, base_cfg(5001, "198.51.100.1", NULL),
		   base_cfg(5002, "198.51.100.2", NULL));
	sce_status(net.n[A].ep, ida, &sa);
	cwnd0 = sa.paths[0].cwnd;
	rto0 = sa.paths[0].rto;
	assert_int_equal(rto0, 1000); /* RTO.Min clamps the 20 ms sample (§6.3.1 C6) */
	net.n[A].drop_type = WIRE_CT_DATA;
	net.n[A].drop_n = 2; /* the DATA and its first retransmission */
	t0 = net.now;
	assert_int_equal(send_msg(&net, A, ida, 0, "0:0", 3, false), 0);
	net_run(&net, 1500);
	/* one T3 expiry at t0 + 1 s: ssthresh, cwnd = 1 PMDCS, RTO doubled */
	sce_status(net.n[A].ep, ida, &sa);
	assert_int_equal(sa.rtx_t3, 1);
	assert_int_equal(sa.paths[0].rto, 2000);
	assert_int_equal(sa.paths[0].cwnd, 1500 - 20 - 12 - 16);
	assert_int_equal(sa.paths[0].ssthresh, 4 * (1500 - 20 - 12 - 16));
	assert_int_equal(sa.assoc_errors, 1);
	assert_true(cwnd0 > sa.paths[0].cwnd);
	drain_check(&net, B, idb, &rc);
	assert_int_equal(rc.total, 0);
	/* second expiry 2 s later: delivered after it */
	net_run(&net, 2000);
	sce_status(net.n[A].ep, ida, &sa);
	assert_int_equal(sa.rtx_t3, 2);
	drain_check(&net, B, idb, &rc);
	assert_int_equal(rc.total, 1);
	net_run(&net, 500);
	sce_status(net.n[A].ep, ida, &sa);
	assert_int_equal(sa.outstanding, 0);
	assert_int_equal(sa.assoc_errors, 0); /* reset by the ack (§8.1) */
	assert_int_equal(sa.paths[0].rto, 4000); /* Karn: no sample from it */
	assert_true(net.now >= t0 + 3000);
	net_free(&net);
}

static void rfc9260_7_2_4_fast_retransmit(void **st)
{
	struct net net;
	int A, B;
	uint32_t ida, idb;
	struct sce_status sa;
	struct rx_check rc = { 0 };
	char m[600];
	uint64_t t0;
	(void)st;

	net_init(&net, 8);
	setup_pair(&net, &A, &B, &ida, &idb, base_cfg(5001, "198.51.100.1", NULL),
		   base_cfg(5002, "198.51.100.2", NULL));
	/* grow cwnd a little first */
	for (unsigned k = 0; k < 40; k++) {
		memset(m, 'x', sizeof m);
		snprintf(m, sizeof m, "0:%u", k);
		m[strlen(m)] = ' ';
		send_msg(&net, A, ida, 0, m, sizeof m, false);
		net_run(&net, 30);
		drain_check(&net, B, idb, &rc);
	}
	net_run(&net, 500);
	drain_check(&net, B, idb, &rc);
	assert_int_equal(rc.total, 40);
	sce_status(net.n[A].ep, ida, &sa);
	/* drop one DATA packet in a burst of 8 */
	net.n[A].drop_type = WIRE_CT_DATA;
	net.n[A].drop_n = 1;
	t0 = net.now;
	for (unsigned k = 40; k < 48; k++) {
		memset(m, 'y', sizeof m);
		snprintf(m, sizeof m, "0:%u", k);
		m[strlen(m)] = ' ';
		assert_int_equal(send_msg(&net, A, ida, 0, m, sizeof m, false), 0);
	}
	net_run(&net, 200); /* well below the RTO of 1 s */
	drain_check(&net, B, idb, &rc);
	sce_status(net.n[A].ep, ida, &sa);
	assert_int_equal(sa.rtx_fast, 1);
	assert_int_equal(sa.rtx_t3, 0);
	assert_int_equal(rc.total, 48);
	/* §7.2.3: cwnd halved, not below 4 PMDCS */
	assert_int_equal(sa.paths[0].ssthresh, sa.paths[0].cwnd);
	assert_true(net.now < t0 + 1000);
	net_free(&net);
}

static void stress_1000_messages_5pct_loss_both_ways(void **st)
{
	struct net net;
	int A, B;
	uint32_t ida, idb;
	struct rx_check rc = { 0 };
	struct sce_status sa;
	unsigned sent = 0, k[8] = { 0 };
	char m[2400];
	(void)st;

	net_init(&net, 9);
	setup_pair(&net, &A, &B, &ida, &idb, base_cfg(5001, "198.51.100.1", NULL),
		   base_cfg(5002, "198.51.100.2", NULL));
	net.n[A].loss_pm = net.n[B].loss_pm = 50;
	net.n[A].dup_pm = net.n[B].dup_pm = 10;
	net.n[A].reorder_pm = net.n[B].reorder_pm = 50;
	while (sent < 1000) {
		uint16_t s = (uint16_t)(rng_next(&net.rng) % 8);
		size_t len;
		snprintf(m, sizeof m, "%u:%u ", s, k[s]);
		len = strlen(m) + rng_next(&net.rng) % 2000; /* some fragmented */
		memset(m + strlen(m), 'p', len - strlen(m));
		int r = send_msg(&net, A, ida, s, m, len, false);
		if (r == -EAGAIN) {
			net_run(&net, 50);
			drain_check(&net, B, idb, &rc);
			continue;
		}
		assert_int_equal(r, 0);
		k[s]++;
		sent++;
		if (sent % 20 == 0) {
			net_run(&net, 5);
			drain_check(&net, B, idb, &rc);
		}
	}
	for (int i = 0; i < 600 && rc.total < 1000; i++) {
		net_run(&net, 1000);
		drain_check(&net, B, idb, &rc);
	}
	assert_int_equal(rc.total, 1000);
	for (int s = 0; s < 8; s++)
		assert_int_equal(rc.next[s], k[s]);
	sce_status(net.n[A].ep, ida, &sa);
	assert_int_equal(sa.state, SCE_ESTABLISHED);
	printf("stress: A sent %llu dropped %llu, B sent %llu dropped %llu, t3 %llu fast %llu, %llu ms\n", (unsigned long long)net.n[A].sent, (unsigned long long)net.n[A].dropped, (unsigned long long)net.n[B].sent, (unsigned long long)net.n[B].dropped, (unsigned long long)sa.rtx_t3, (unsigned long long)sa.rtx_fast, (unsigned long long)(net.now - 1000000));
	assert_true(net.n[A].dropped > 20 && net.n[B].dropped > 5);
	assert_true(sa.rtx_fast + sa.rtx_t3 > 0);
	net_run(&net, 5000);
	sce_status(net.n[A].ep, ida, &sa);
	assert_int_equal(sa.outstanding, 0);
	net_free(&net);
}

/* ------------------------------------------------------------------ */
/* Restart, collision                                                  */
/* ------------------------------------------------------------------ */

static void rfc9260_5_2_4_restart_detected(void **st)
{
	struct net net;
	int A, B;
	uint32_t ida, idb;
	struct sce_status sa, sb, sb2;
	struct sce_event ev;
	struct rx_check rc = { 0 };
	struct sockaddr_storage peer = v4("198.51.100.2");
	const struct sockaddr *pp[1] = { (struct sockaddr *)&peer };
	int64_t id;
	(void)st;

	net_init(&net, 10);
	setup_pair(&net, &A, &B, &ida, &idb, base_cfg(5001, "198.51.100.1", NULL),
		   base_cfg(5002, "198.51.100.2", NULL));
	send_msg(&net, A, ida, 0, "0:0", 3, false);
	net_run(&net, 500);
	drain_check(&net, B, idb, &rc);
	assert_int_equal(rc.total, 1);
	sce_status(net.n[B].ep, idb, &sb);
	while (sce_pop_event(net.n[B].ep, &ev))
		;
	/* A crashes and comes back with no memory of the association */
	net_restart_node(&net, A, 999);
	id = sce_connect(net.n[A].ep, pp, 1, 5002, net.now);
	assert_true(id > 0);
	net_run(&net, 500);
	assert_true(next_event(&net, A, SCE_EV_COMM_UP, NULL));
	/* B: same association id, RESTART not COMM_LOST / COMM_UP */
	assert_true(sce_pop_event(net.n[B].ep, &ev));
	assert_int_equal(ev.type, SCE_EV_RESTART);
	assert_int_equal(ev.assoc_id, idb);
	assert_false(sce_pop_event(net.n[B].ep, &ev));
	sce_status(net.n[A].ep, (uint32_t)id, &sa);
	sce_status(net.n[B].ep, idb, &sb2);
	assert_int_equal(sb2.state, SCE_ESTABLISHED);
	assert_int_equal(sb2.peer_vtag, sa.local_vtag);
	assert_int_equal(sa.peer_vtag, sb2.local_vtag);
	assert_int_not_equal(sb2.local_vtag, sb.local_vtag); /* the INIT-ACK's new tag */
	assert_int_not_equal(sb2.peer_vtag, sb.peer_vtag);
	/* data flows again, SSNs and TSNs from scratch */
	memset(&rc, 0, sizeof rc);
	send_msg(&net, A, (uint32_t)id, 0, "0:0", 3, false);
	send_msg(&net, B, idb, 1, "1:0", 3, false);
	net_run(&net, 500);
	drain_check(&net, B, idb, &rc);
	assert_int_equal(rc.total, 1);
	drain_check(&net, A, (uint32_t)id, &rc);
	assert_int_equal(rc.total, 2);
	net_free(&net);
}

static void rfc9260_5_2_1_init_collision(void **st)
{
	struct net net;
	int A, B;
	struct sce_config ca = base_cfg(5001, "198.51.100.1", NULL);
	struct sce_config cb = base_cfg(5002, "198.51.100.2", NULL);
	const struct sockaddr *pa[1] = { (struct sockaddr *)&cb.laddrs[0] };
	const struct sockaddr *pb[1] = { (struct sockaddr *)&ca.laddrs[0] };
	int64_t ida, idb;
	struct sce_status sa, sb;
	uint32_t ids[4];
	struct rx_check rc = { 0 };
	(void)st;

	net_init(&net, 11);
	ca.listen = cb.listen = true;
	A = net_add(&net, ca, 1);
	B = net_add(&net, cb, 2);
	ida = sce_connect(net.n[A].ep, pa, 1, 5002, net.now);
	idb = sce_connect(net.n[B].ep, pb, 1, 5001, net.now);
	assert_true(ida > 0 && idb > 0);
	net_run(&net, 1000);
	/* one association each side, the one each opened */
	assert_int_equal(sce_assoc_ids(net.n[A].ep, ids, 4), 1);
	assert_int_equal(sce_assoc_ids(net.n[B].ep, ids, 4), 1);
	sce_status(net.n[A].ep, (uint32_t)ida, &sa);
	sce_status(net.n[B].ep, (uint32_t)idb, &sb);
	assert_int_equal(sa.state, SCE_ESTABLISHED);
	assert_int_equal(sb.state, SCE_ESTABLISHED);
	assert_int_equal(sa.peer_vtag, sb.local_vtag);
	assert_int_equal(sb.peer_vtag, sa.local_vtag);
	assert_int_equal(count_events(&net, A, SCE_EV_COMM_UP), 1);
	assert_int_equal(count_events(&net, B, SCE_EV_COMM_UP), 1);
	send_msg(&net, A, (uint32_t)ida, 0, "0:0", 3, false);
	net_run(&net, 500);
	drain_check(&net, B, (uint32_t)idb, &rc);
	assert_int_equal(rc.total, 1);
	net_free(&net);
}

/* ------------------------------------------------------------------ */
/* Multi-homing: heartbeat, path states, failover                      */
/* ------------------------------------------------------------------ */

static void rfc9260_8_3_heartbeat_confirms_second_address(void **st)
{
	struct net net;
	int A, B;
	uint32_t ida, idb;
	struct sce_status sa;
	struct sce_event ev;
	struct sce_config cb = base_cfg(5002, "198.51.100.2", "203.0.113.2");
	(void)st;

	net_init(&net, 12);
	setup_pair(&net, &A, &B, &ida, &idb, base_cfg(5001, "198.51.100.1", NULL), cb);
	sce_status(net.n[A].ep, ida, &sa);
	/* §5.1.2: the INIT-ACK listed both addresses; §5.4: the second is
	 * confirmed by a HEARTBEAT-ACK (setup_pair ran 500 ms) */
	assert_int_equal(sa.npaths, 2);
	assert_true(sa.paths[0].primary && sa.paths[0].confirmed);
	assert_true(same_addr(&sa.paths[1].addr, &cb.laddrs[1]));
	assert_true(sa.paths[1].confirmed);
	assert_true(net.n[A].chunk_count[WIRE_CT_HEARTBEAT] >= 1);
	assert_true(net.n[B].chunk_count[WIRE_CT_HEARTBEAT_ACK] >= 1);
	assert_true(next_event(&net, A, SCE_EV_PEER_ADDR_CHANGE, &ev));
	assert_int_equal(ev.addr_state, SCE_ADDR_CONFIRMED);
	assert_true(same_addr(&ev.addr, &cb.laddrs[1]));
	/* the HEARTBEAT round trip is the path's first RTT sample */
	assert_int_equal(sa.paths[1].srtt, 20);
	net_free(&net);
}

static void rfc9260_8_3_unconfirmed_address_unreachable_no_data(void **st)
{
	struct net net;
	int A, B;
	uint32_t ida, idb;
	struct sce_status sa;
	struct rx_check rc = { 0 };
	(void)st;

	net_init(&net, 13);
	net_down(&net, "203.0.113.2"); /* the second address never answers */
	setup_pair(&net, &A, &B, &ida, &idb, base_cfg(5001, "198.51.100.1", NULL),
		   base_cfg(5002, "198.51.100.2", "203.0.113.2"));
	net_run(&net, 5000);
	sce_status(net.n[A].ep, ida, &sa);
	assert_false(sa.paths[1].confirmed);
	/* data only to the confirmed address (§5.4) */
	for (int k = 0; k < 5; k++) {
		char m[16];
		snprintf(m, sizeof m, "0:%d", k);
		send_msg(&net, A, ida, 0, m, strlen(m), false);
	}
	net_run(&net, 500);
	drain_check(&net, B, idb, &rc);
	assert_int_equal(rc.total, 5);
	sce_status(net.n[A].ep, ida, &sa);
	assert_int_equal(sa.rtx_t3, 0);
	net_free(&net);
}

static void rfc9260_8_2_failover_when_primary_dies(void **st)
{
	struct net net;
	int A, B;
	uint32_t ida, idb;
	struct sce_status sa;
	struct sce_event ev;
	struct rx_check rc = { 0 };
	struct sce_config ca = base_cfg(5001, "198.51.100.1", NULL);
	bool unreach = false, avail = false;
	unsigned k = 0;
	char m[32];
	(void)st;

	ca.path_max_retrans = 2;
	ca.hb_interval = 1000;
	net_init(&net, 14);
	setup_pair(&net, &A, &B, &ida, &idb, ca, base_cfg(5002, "198.51.100.2", "203.0.113.2"));
	sce_status(net.n[A].ep, ida, &sa);
	assert_true(sa.paths[1].confirmed);
	while (sce_pop_event(net.n[A].ep, &ev))
		;
	net_down(&net, "198.51.100.2"); /* the primary dies */
	for (int round = 0; round < 40; round++) {
		for (int j = 0; j < 3; j++) {
			snprintf(m, sizeof m, "0:%u", k++);
			assert_int_equal(send_msg(&net, A, ida, 0, m, strlen(m), false), 0);
		}
		net_run(&net, 1000);
		drain_check(&net, B, idb, &rc);
		while (sce_pop_event(net.n[A].ep, &ev))
			if (ev.type == SCE_EV_PEER_ADDR_CHANGE && ev.addr_state == SCE_ADDR_UNREACHABLE)
				unreach = true;
	}
	/* everything arrived over the second path, in order */
	net_run(&net, 10000);
	drain_check(&net, B, idb, &rc);
	assert_int_equal(rc.total, k);
	assert_true(unreach);
	sce_status(net.n[A].ep, ida, &sa);
	assert_int_equal(sa.state, SCE_ESTABLISHED);
	assert_false(sa.paths[0].active);
	assert_true(sa.paths[1].active);
	assert_true(sa.rtx_t3 >= 1);
	/* new data goes straight to the second path now: no retransmission */
	{
		uint64_t t3 = sa.rtx_t3;
		snprintf(m, sizeof m, "0:%u", k++);
		send_msg(&net, A, ida, 0, m, strlen(m), false);
		net_run(&net, 500);
		drain_check(&net, B, idb, &rc);
		assert_int_equal(rc.total, k);
		sce_status(net.n[A].ep, ida, &sa);
		assert_int_equal(sa.rtx_t3, t3);
	}
	/* the primary comes back: a HEARTBEAT-ACK makes it active again */
	net.ndown = 0;
	net_run(&net, 70000);
	while (sce_pop_event(net.n[A].ep, &ev))
		if (ev.type == SCE_EV_PEER_ADDR_CHANGE && ev.addr_state == SCE_ADDR_AVAILABLE)
			avail = true;
	assert_true(avail);
	sce_status(net.n[A].ep, ida, &sa);
	assert_true(sa.paths[0].active);
	net_free(&net);
}

static void rfc9260_8_1_peer_unreachable_comm_lost(void **st)
{
	struct net net;
	int A, B;
	uint32_t ida, idb;
	struct sce_config ca = base_cfg(5001, "198.51.100.1", NULL);
	struct sce_event ev;
	(void)st;

	ca.assoc_max_retrans = 3;
	ca.rto_max = 2000;
	net_init(&net, 15);
	setup_pair(&net, &A, &B, &ida, &idb, ca, base_cfg(5002, "198.51.100.2", NULL));
	net_down(&net, "198.51.100.2");
	send_msg(&net, A, ida, 0, "0:0", 3, false);
	net_run(&net, 30000);
	assert_true(next_event(&net, A, SCE_EV_COMM_LOST, &ev));
	assert_int_equal(ev.assoc_id, ida);
	assert_int_equal(state_of(&net, A, ida), SCE_CLOSED);
	/* 1 + Association.Max.Retrans transmissions of the DATA */
	assert_int_equal(net.n[A].chunk_count[WIRE_CT_DATA], 4);
	net_free(&net);
}

/* ------------------------------------------------------------------ */
/* Shutdown, abort                                                     */
/* ------------------------------------------------------------------ */

static void rfc9260_9_2_shutdown_delivers_queued_data(void **st)
{
	struct net net;
	int A, B;
	uint32_t ida, idb;
	struct rx_check rc = { 0 };
	struct sce_event ev;
	char m[32];
	(void)st;

	net_init(&net, 16);
	setup_pair(&net, &A, &B, &ida, &idb, base_cfg(5001, "198.51.100.1", NULL),
		   base_cfg(5002, "198.51.100.2", NULL));
	net.n[A].loss_pm = 200;
	for (unsigned k = 0; k < 30; k++) {
		snprintf(m, sizeof m, "0:%u", k);
		send_msg(&net, A, ida, 0, m, strlen(m), false);
	}
	assert_int_equal(sce_shutdown(net.n[A].ep, ida, net.now), 0);
	assert_int_equal(state_of(&net, A, ida), SCE_SHUTDOWN_PENDING);
	/* no new data once shutdown was asked for */
	assert_int_equal(send_msg(&net, A, ida, 0, "0:99", 4, false), -ENOTCONN);
	net_run(&net, 120000);
	drain_check(&net, B, idb, &rc);
	assert_int_equal(rc.total, 30);
	assert_true(next_event(&net, B, SCE_EV_SHUTDOWN_EVENT, NULL));
	assert_true(next_event(&net, B, SCE_EV_SHUTDOWN_COMPLETE, &ev));
	assert_true(next_event(&net, A, SCE_EV_SHUTDOWN_COMPLETE, &ev));
	assert_int_equal(ev.state, SCE_CLOSED);
	assert_int_equal(state_of(&net, A, ida), SCE_CLOSED);
	assert_int_equal(state_of(&net, B, idb), SCE_CLOSED);
	assert_true(net.n[A].chunk_count[WIRE_CT_SHUTDOWN] >= 1);
	assert_true(net.n[B].chunk_count[WIRE_CT_SHUTDOWN_ACK] >= 1);
	assert_true(net.n[A].chunk_count[WIRE_CT_SHUTDOWN_COMPLETE] >= 1);
	assert_int_equal(sce_next_deadline(net.n[A].ep), SCE_NEVER);
	assert_int_equal(sce_next_deadline(net.n[B].ep), SCE_NEVER);
	assert_int_equal(sce_release(net.n[A].ep, ida), 0);
	assert_int_equal(sce_release(net.n[A].ep, ida), -ENOENT);
	net_free(&net);
}

static void rfc9260_9_2_shutdown_ack_lost_t2_retransmits(void **st)
{
	struct net net;
	int A, B;
	uint32_t ida, idb;
	(void)st;

	net_init(&net, 17);
	setup_pair(&net, &A, &B, &ida, &idb, base_cfg(5001, "198.51.100.1", NULL),
		   base_cfg(5002, "198.51.100.2", NULL));
	net.n[B].drop_type = WIRE_CT_SHUTDOWN_ACK;
	net.n[B].drop_n = 1;
	assert_int_equal(sce_shutdown(net.n[A].ep, ida, net.now), 0);
	net_run(&net, 500);
	assert_int_equal(state_of(&net, A, ida), SCE_SHUTDOWN_SENT);
	assert_int_equal(state_of(&net, B, idb), SCE_SHUTDOWN_ACK_SENT);
	net_run(&net, 5000);
	/* one of them retransmitted after T2 and the exchange completed */
	assert_true(net.n[A].chunk_count[WIRE_CT_SHUTDOWN] + net.n[B].chunk_count[WIRE_CT_SHUTDOWN_ACK] >= 3);
	assert_int_equal(state_of(&net, A, ida), SCE_CLOSED);
	assert_int_equal(state_of(&net, B, idb), SCE_CLOSED);
	assert_true(next_event(&net, A, SCE_EV_SHUTDOWN_COMPLETE, NULL));
	assert_true(next_event(&net, B, SCE_EV_SHUTDOWN_COMPLETE, NULL));
	net_free(&net);
}

static void rfc9260_9_1_user_abort_with_cause(void **st)
{
	struct net net;
	int A, B;
	uint32_t ida, idb;
	struct sce_event ev;
	const struct wire_field *c;
	(void)st;

	net_init(&net, 18);
	setup_pair(&net, &A, &B, &ida, &idb, base_cfg(5001, "198.51.100.1", NULL),
		   base_cfg(5002, "198.51.100.2", NULL));
	send_msg(&net, A, ida, 0, "0:0", 3, false);
	assert_int_equal(sce_abort(net.n[A].ep, ida, "bye now", net.now), 0);
	assert_true(next_event(&net, A, SCE_EV_COMM_LOST, &ev));
	assert_int_equal(ev.error, WIRE_EC_USER_ABORT);
	net_collect(&net); /* inspects the ABORT: the last packet A sent */
	assert_int_equal(net.last.chunks[net.last.nchunks - 1].type, WIRE_CT_ABORT);
	c = wire_fl_get(&net.last.chunks[net.last.nchunks - 1].fields, "causes");
	assert_int_equal(wire_fl_get(c->list->v[0].list, "code")->u, WIRE_EC_USER_ABORT);
	assert_string_equal(wire_fl_get(c->list->v[0].list, "reason")->s, "bye now");
	net_run(&net, 500);
	assert_true(next_event(&net, B, SCE_EV_COMM_LOST, &ev));
	assert_int_equal(ev.error, WIRE_EC_USER_ABORT);
	assert_int_equal(state_of(&net, B, idb), SCE_CLOSED);
	/* §9.1: nobody answers an ABORT */
	assert_int_equal(net.n[B].chunk_count[WIRE_CT_ABORT], 0);
	assert_int_equal(sce_abort(net.n[A].ep, ida, NULL, net.now), -ENOTCONN);
	net_free(&net);
}

/* ------------------------------------------------------------------ */
/* Robustness: mutated packets with a valid CRC never crash it         */
/* ------------------------------------------------------------------ */

static void robustness_mutated_packets(void **st)
{
	struct net net;
	int A, B;
	uint32_t ida, idb;
	struct rng r = { 12345 };
	static uint8_t seen[64][1600];
	static size_t seenlen[64];
	size_t nseen = 0;
	struct sce_packet *p;
	(void)st;

	net_init(&net, 19);
	setup_pair(&net, &A, &B, &ida, &idb, base_cfg(5001, "198.51.100.1", NULL),
		   base_cfg(5002, "198.51.100.2", NULL));
	/* collect some real packets from A */
	for (int k = 0; k < 30; k++) {
		char m[400];
		snprintf(m, sizeof m, "0:%d", k);
		send_msg(&net, A, ida, (uint16_t)(k % 3), m, 50 + 11 * (size_t)k, k % 4 == 0);
		while ((p = sce_pop_packet(net.n[A].ep))) {
			if (nseen < 64 && p->len <= 1600) {
				memcpy(seen[nseen], p->data, p->len);
				seenlen[nseen++] = p->len;
			}
			sce_input(net.n[B].ep, net.now, (struct sockaddr *)&p->src,
				  (struct sockaddr *)&p->dst, p->data, p->len);
			sce_packet_free(p);
		}
		while ((p = sce_pop_packet(net.n[B].ep)))
			sce_packet_free(p);
	}
	assert_true(nseen > 5);
	for (int it = 0; it < 20000; it++) {
		uint8_t buf[1600];
		size_t i = rng_next(&r) % nseen, len = seenlen[i];
		struct sockaddr_storage src = v4("198.51.100.1"), dst = v4("198.51.100.2");
		memcpy(buf, seen[i], len);
		for (int m = 0, nm = 1 + (int)(rng_next(&r) % 6); m < nm; m++) {
			size_t at = 12 + rng_next(&r) % (len - 12);
			buf[at] = (uint8_t)rng_next(&r);
		}
		if (rng_next(&r) % 4 == 0)
			len = 12 + rng_next(&r) % (len - 12);
		if (rng_next(&r) % 2)
			memcpy(buf + 4, seen[i] + 4, 4); /* keep the right tag often */
		wire_sctp_set_checksum(buf, len);
		sce_input(net.n[B].ep, net.now, (struct sockaddr *)&src, (struct sockaddr *)&dst,
			  buf, len);
		net.now += rng_next(&r) % 50;
		if (sce_next_deadline(net.n[B].ep) <= net.now)
			sce_on_timer(net.n[B].ep, net.now);
		while ((p = sce_pop_packet(net.n[B].ep))) {
			struct wire_packet w;
			/* whatever it answers still decodes cleanly */
			assert_int_equal(wire_decode_sctp(p->data, p->len, &w), 0);
			assert_true(w.crc_ok);
			wire_packet_free(&w);
			sce_packet_free(p);
		}
		{
			char b2[2048];
			while (sce_recv(net.n[B].ep, idb, NULL, b2, sizeof b2, net.now) > 0)
				;
		}
		{
			struct sce_event ev;
			while (sce_pop_event(net.n[B].ep, &ev))
				;
		}
	}
	net_free(&net);
}

static int rp_data_flags(struct rawpeer *r, uint8_t flags, uint32_t tsn, uint16_t sid, uint16_t ssn,
			 const char *text)
{
	struct wire_buf ch;
	int rc;
	wire_buf_init(&ch);
	wire_craft_data(&ch, flags, tsn, sid, ssn, 0, (const uint8_t *)text, strlen(text));
	rc = rp_send(r, r->en_tag, &ch);
	wire_buf_free(&ch);
	return rc;
}

static void rfc3758_3_6_forward_tsn_receipt(void **st)
{
	struct rawpeer r;
	struct wire_packet w;
	struct wire_buf ch;
	struct wire_sid_ssn skip[] = { { 0, 3 }, { 1, 0 } };
	struct sce_rcvinfo ri;
	struct sce_status ss;
	char buf[32], g[64];
	const uint8_t BE = WIRE_DATA_FLAG_B | WIRE_DATA_FLAG_E;
	(void)st;

	rp_init(&r, base_cfg(EN_PORT, "198.51.100.2", NULL));
	rp_assoc(&r);
	assert_true(r.en_prsctp); /* §3.3: advertised in the INIT-ACK */
	rp_data_flags(&r, BE, 100, 0, 0, "a");
	rp_expect_sack(&r, &w, 100);
	wire_packet_free(&w);
	/* 101 (s0 #1), 103 (s0 #3) and 105 (tail of s1 #0) are abandoned */
	rp_data_flags(&r, BE, 102, 0, 2, "c");
	rp_data_flags(&r, WIRE_DATA_FLAG_B, 104, 1, 0, "frag");
	rp_data_flags(&r, BE, 106, 0, 4, "e");
	while (rp_take(&r, &w, NULL, NULL))
		wire_packet_free(&w);
	assert_int_equal(sce_recv(r.ep, r.id, &ri, buf, sizeof buf, r.now), 2 - 1);
	assert_int_equal(sce_recv(r.ep, r.id, &ri, buf, sizeof buf, r.now), -EAGAIN);
	wire_buf_init(&ch);
	wire_craft_forward_tsn(&ch, 105, skip, 2);
	rp_send(&r, r.en_tag, &ch);
	/* cum point 105, then 106 locally: no gaps left */
	rp_expect_sack(&r, &w, 106);
	gaps_of(&w, g, sizeof g);
	assert_string_equal(g, " dups");
	wire_packet_free(&w);
	/* stranded s0 #2 and s0 #4 are delivered; the s1 fragment is gone */
	assert_int_equal(sce_recv(r.ep, r.id, &ri, buf, sizeof buf, r.now), 1);
	assert_int_equal(buf[0], 'c');
	assert_int_equal(ri.ssn, 2);
	assert_int_equal(sce_recv(r.ep, r.id, &ri, buf, sizeof buf, r.now), 1);
	assert_int_equal(buf[0], 'e');
	assert_int_equal(sce_recv(r.ep, r.id, &ri, buf, sizeof buf, r.now), -EAGAIN);
	sce_status(r.ep, r.id, &ss);
	assert_int_equal(ss.rwnd, 131072); /* nothing held any more */
	assert_int_equal(ss.peer_cum_tsn, 106);
	/* an out-of-date FORWARD TSN gets a SACK; a late skipped TSN is a dup */
	rp_send(&r, r.en_tag, &ch);
	rp_expect_sack(&r, &w, 106);
	wire_packet_free(&w);
	rp_data_flags(&r, BE, 101, 0, 1, "b");
	rp_expect_sack(&r, &w, 106);
	gaps_of(&w, g, sizeof g);
	assert_string_equal(g, " dups 101");
	wire_packet_free(&w);
	/* stream 1 continues at #1 */
	rp_data_flags(&r, BE, 107, 1, 1, "s1");
	assert_int_equal(sce_recv(r.ep, r.id, &ri, buf, sizeof buf, r.now), 2);
	assert_int_equal(ri.sid, 1);
	assert_int_equal(ri.ssn, 1);
	wire_buf_free(&ch);
	rp_free(&r);
}

static void rfc3758_3_5_expired_message_skipped_with_forward_tsn(void **st)
{
	struct net net;
	int A, B;
	uint32_t ida, idb;
	struct sce_sendinfo si = { .sid = 0, .ppid = 42, .ttl_ms = 500 };
	struct sce_status sa, sb;
	struct sce_event ev;
	struct rx_check rc = { 0 };
	static char big[3000];
	(void)st;

	net_init(&net, 20);
	setup_pair(&net, &A, &B, &ida, &idb, base_cfg(5001, "198.51.100.1", NULL),
		   base_cfg(5002, "198.51.100.2", NULL));
	while (sce_pop_event(net.n[A].ep, &ev))
		;
	/* a 3-fragment message with a 500 ms lifetime, its packets lost */
	memset(big, 'z', sizeof big);
	memcpy(big, "0:0 ", 4);
	net.n[A].drop_type = WIRE_CT_DATA;
	net.n[A].drop_n = 3;
	assert_int_equal(sce_send(net.n[A].ep, ida, &si, big, sizeof big, net.now), 0);
	net_run(&net, 1);
	net.n[A].drop_n = 0;
	/* then reliable messages on the same stream: held behind SSN 0 */
	send_msg(&net, A, ida, 0, "0:1", 3, false);
	send_msg(&net, A, ida, 0, "0:2", 3, false);
	net_run(&net, 300);
	drain_check(&net, B, idb, &rc);
	assert_int_equal(rc.total, 0);
	/* T3 at 1 s finds it expired: abandoned, FORWARD TSN (RFC 3758 §3.5 A5) */
	net_run(&net, 1500);
	sce_status(net.n[A].ep, ida, &sa);
	assert_int_equal(sa.abandoned, 3);
	assert_int_equal(net.n[A].data_rtx, 0); /* abandoned, never retransmitted */
	assert_int_equal(net.n[A].dropped, 3);
	assert_true(sa.fwd_tsn_sent >= 1);
	assert_true(net.n[A].chunk_count[WIRE_CT_FORWARD_TSN] >= 1);
	assert_int_equal(sa.outstanding, 0);
	assert_int_equal(sa.paths[0].flight, 0);
	assert_true(next_event(&net, A, SCE_EV_SEND_FAILED, &ev));
	assert_int_equal(ev.sid, 0);
	/* B skipped SSN 0 and delivered 1 and 2; the 3 TSNs were never resent */
	rc.next[0] = 1;
	drain_check(&net, B, idb, &rc);
	assert_int_equal(rc.total, 2);
	sce_status(net.n[B].ep, idb, &sb);
	assert_int_equal(sb.peer_cum_tsn, sa.next_tsn - 1);
	assert_int_equal(sb.gaps, 0);
	assert_int_equal(sb.rwnd, 131072);
	net_free(&net);
}

static void rp_reset_req(struct rawpeer *r, uint32_t seq, uint32_t last_tsn, const uint16_t *sids,
			 size_t n)
{
	struct wire_buf pb, ch;
	wire_buf_init(&pb);
	wire_buf_init(&ch);
	wire_param_out_ssn_reset(&pb, seq, 0, last_tsn, sids, n);
	wire_craft_reconfig(&ch, pb.p, pb.len);
	assert_int_equal(rp_send(r, r->en_tag, &ch), 0);
	wire_buf_free(&pb);
	wire_buf_free(&ch);
}

/* the next packet: SACK (cum) then RE-CONFIG with one response */
static void rp_expect_reconf_resp(struct rawpeer *r, uint32_t cum, uint32_t seq, uint32_t result)
{
	struct wire_packet w;
	const struct wire_field *ps;
	size_t i = 0;
	assert_true(rp_take(r, &w, NULL, NULL));
	if (w.chunks[0].type == WIRE_CT_SACK) {
		assert_int_equal(fu(&w.chunks[0], "cum_tsn"), cum);
		i = 1;
	}
	assert_true(w.nchunks > i);
	assert_int_equal(w.chunks[i].type, WIRE_CT_RECONFIG);
	ps = wire_fl_get(&w.chunks[i].fields, "params");
	assert_int_equal(ps->list->n, 1);
	assert_int_equal(wire_fl_get(ps->list->v[0].list, "resp_seq")->u, seq);
	assert_int_equal(wire_fl_get(ps->list->v[0].list, "result")->u, result);
	wire_packet_free(&w);
}

static ssize_t rp_read(struct rawpeer *r, struct sce_rcvinfo *ri, char *buf)
{
	ssize_t n = sce_recv(r->ep, r->id, ri, buf, 31, r->now);
	if (n >= 0)
		buf[n] = 0;
	return n;
}

static void rfc6525_5_2_2_outgoing_ssn_reset_answered(void **st)
{
	struct rawpeer r;
	struct wire_packet w;
	struct sce_rcvinfo ri;
	struct sce_status ss;
	char buf[32];
	const uint8_t BE = WIRE_DATA_FLAG_B | WIRE_DATA_FLAG_E;
	const uint16_t s0[] = { 0 };
	(void)st;

	rp_init(&r, base_cfg(EN_PORT, "198.51.100.2", NULL));
	rp_assoc(&r);
	assert_true(r.en_reconf);
	rp_data_flags(&r, BE, 100, 0, 0, "a");
	rp_data_flags(&r, BE, 101, 0, 1, "b");
	while (rp_take(&r, &w, NULL, NULL))
		wire_packet_free(&w);
	/* §5.1.1: the first request carries our initial TSN as its number */
	rp_reset_req(&r, RP_TSN, 101, s0, 1);
	rp_expect_reconf_resp(&r, 101, RP_TSN, 1 /* Success - Performed */);
	rp_data_flags(&r, BE, 102, 0, 0, "c"); /* stream 0 starts again at SSN 0 */
	for (int k = 0; k < 3; k++) {
		assert_int_equal(rp_read(&r, &ri, buf), 1);
		assert_int_equal(buf[0], 'a' + k);
	}
	assert_int_equal(ri.ssn, 0);
	while (rp_take(&r, &w, NULL, NULL))
		wire_packet_free(&w);
	/* a retransmitted request gets the same answer; a wild number is refused */
	rp_reset_req(&r, RP_TSN, 101, s0, 1);
	rp_expect_reconf_resp(&r, 102, RP_TSN, 1);
	rp_reset_req(&r, RP_TSN + 50, 101, s0, 1);
	rp_expect_reconf_resp(&r, 102, RP_TSN + 50, 5 /* Error - Bad Sequence Number */);
	/* deferred: all streams, last TSN 104 while 103 and 104 are missing */
	rp_reset_req(&r, RP_TSN + 1, 104, NULL, 0);
	rp_expect_reconf_resp(&r, 102, RP_TSN + 1, 6 /* In progress */);
	rp_data_flags(&r, BE, 105, 0, 0, "f"); /* new numbering: held */
	while (rp_take(&r, &w, NULL, NULL))
		wire_packet_free(&w);
	assert_int_equal(rp_read(&r, &ri, buf), -EAGAIN);
	rp_data_flags(&r, BE, 103, 0, 1, "d");
	assert_int_equal(rp_read(&r, &ri, buf), 1);
	assert_string_equal(buf, "d");
	while (rp_take(&r, &w, NULL, NULL))
		wire_packet_free(&w);
	rp_data_flags(&r, BE, 104, 0, 2, "e");
	/* cum reached 105 (>= 104): reset done, answered unasked, "f" released */
	rp_expect_reconf_resp(&r, 105, RP_TSN + 1, 1);
	assert_int_equal(rp_read(&r, &ri, buf), 1);
	assert_string_equal(buf, "e");
	assert_int_equal(rp_read(&r, &ri, buf), 1);
	assert_string_equal(buf, "f");
	assert_int_equal(ri.ssn, 0);
	assert_int_equal(rp_read(&r, &ri, buf), -EAGAIN);
	sce_status(r.ep, r.id, &ss);
	assert_int_equal(ss.streams_reset, 2);
	assert_int_equal(ss.rwnd, 131072);
	rp_free(&r);
}

static void rfc9260_6_1_receiver_window_flow_control(void **st)
{
	struct net net;
	int A, B;
	uint32_t ida, idb;
	struct sce_status sa, sb;
	struct rx_check rc = { 0 };
	struct sce_config cb = base_cfg(5002, "198.51.100.2", NULL);
	static char m[1000];
	unsigned k = 0;
	(void)st;

	cb.a_rwnd = 20000;
	net_init(&net, 21);
	setup_pair(&net, &A, &B, &ida, &idb, base_cfg(5001, "198.51.100.1", NULL), cb);
	/* B's application does not read: 100 KB cannot all be in flight */
	for (; k < 100; k++) {
		memset(m, 'w', sizeof m);
		snprintf(m, sizeof m, "0:%u", k);
		m[strlen(m)] = ' ';
		assert_int_equal(send_msg(&net, A, ida, 0, m, sizeof m, false), 0);
	}
	net_run(&net, 20000);
	sce_status(net.n[B].ep, idb, &sb);
	sce_status(net.n[A].ep, ida, &sa);
	assert_true(sb.rwnd < 1000);                   /* window (nearly) closed */
	assert_true(sa.peer_rwnd < 1000);
	assert_true(sa.queued > 70000);                /* most of it still queued */
	assert_true(sb.data_recv <= 21);               /* at most the window + probes */
	assert_int_equal(sb.gaps, 0);
	/* reading opens the window; window updates + probes move the rest */
	for (int i = 0; i < 200 && rc.total < 100; i++) {
		drain_check(&net, B, idb, &rc);
		net_run(&net, 200);
	}
	drain_check(&net, B, idb, &rc);
	assert_int_equal(rc.total, 100);
	sce_status(net.n[A].ep, ida, &sa);
	assert_int_equal(sa.queued, 0);
	net_free(&net);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc9260_5_1_handshake_both_roles),
		cmocka_unit_test(rfc9260_5_1_6_t1_init_retransmitted),
		cmocka_unit_test(rfc9260_5_1_max_init_retrans_cant_start),
		cmocka_unit_test(rfc9260_8_4_init_to_non_listener_aborted),
		cmocka_unit_test(rfc9260_5_1_5_cookie_tamper_rejected),
		cmocka_unit_test(rfc9260_5_1_5_stale_cookie_error),
		cmocka_unit_test(rfc9260_5_2_4_duplicate_cookie_echo_acked_again),
		cmocka_unit_test(rfc9260_5_2_2_init_adding_address_aborted),
		cmocka_unit_test(rfc9260_8_5_wrong_vtag_discarded),
		cmocka_unit_test(rfc9260_8_5_1_init_needs_zero_tag_and_alone),
		cmocka_unit_test(rfc9260_8_4_ootb_replies),
		cmocka_unit_test(rfc9260_3_3_4_gap_blocks_and_duplicates),
		cmocka_unit_test(rfc9260_6_2_delayed_sack),
		cmocka_unit_test(rfc9260_6_5_invalid_stream_error),
		cmocka_unit_test(rfc9260_6_2_data_without_user_data_aborts),
		cmocka_unit_test(rfc9260_6_1_data_and_sack),
		cmocka_unit_test(rfc9260_6_9_fragmentation_and_reassembly),
		cmocka_unit_test(rfc9260_6_1_receiver_window_flow_control),
		cmocka_unit_test(rfc9260_6_3_3_t3_retransmit_and_backoff),
		cmocka_unit_test(rfc9260_7_2_4_fast_retransmit),
		cmocka_unit_test(stress_1000_messages_5pct_loss_both_ways),
		cmocka_unit_test(rfc9260_5_2_4_restart_detected),
		cmocka_unit_test(rfc9260_5_2_1_init_collision),
		cmocka_unit_test(rfc9260_8_3_heartbeat_confirms_second_address),
		cmocka_unit_test(rfc9260_8_3_unconfirmed_address_unreachable_no_data),
		cmocka_unit_test(rfc9260_8_2_failover_when_primary_dies),
		cmocka_unit_test(rfc9260_8_1_peer_unreachable_comm_lost),
		cmocka_unit_test(rfc9260_9_2_shutdown_delivers_queued_data),
		cmocka_unit_test(rfc9260_9_2_shutdown_ack_lost_t2_retransmits),
		cmocka_unit_test(rfc9260_9_1_user_abort_with_cause),
		cmocka_unit_test(rfc3758_3_6_forward_tsn_receipt),
		cmocka_unit_test(rfc3758_3_5_expired_message_skipped_with_forward_tsn),
		cmocka_unit_test(rfc6525_5_2_2_outgoing_ssn_reset_answered),
		cmocka_unit_test(robustness_mutated_packets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
