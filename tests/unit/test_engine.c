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
__attribute__((unused)) static void net_restart_node(struct net *net, int i, uint64_t seed)
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

__attribute__((unused)) static void net_down(struct net *net, const char *a)
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
__attribute__((unused)) static unsigned count_events(struct net *net, int node, enum sce_event_type t)
{
	struct sce_event ev;
	unsigned k = 0;
	while (sce_pop_event(net->n[node].ep, &ev))
		if (ev.type == t)
			k++;
	return k;
}

static uint32_t only_assoc(struct net *net, int node)
{
	uint32_t ids[8];
	size_t n = sce_assoc_ids(net->n[node].ep, ids, 8);
	assert_true(n >= 1);
	return ids[n - 1];
}

static enum sce_state state_of(struct net *net, int node, uint32_t id)
{
	struct sce_status st;
	assert_int_equal(sce_status(net->n[node].ep, id, &st), 0);
	return st.state;
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc9260_5_1_handshake_both_roles),
		cmocka_unit_test(rfc9260_5_1_6_t1_init_retransmitted),
		cmocka_unit_test(rfc9260_5_1_max_init_retrans_cant_start),
		cmocka_unit_test(rfc9260_8_4_init_to_non_listener_aborted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
