/*
 * engine.c -- the endpoint: demultiplexing of received packets,
 * association setup (RFC 9260 §5.1) with an HMAC-SHA256 state cookie
 * (§5.1.3, nettle), duplicate / unexpected setup chunks and restart (§5.2),
 * verification tags (§8.5, §8.5.1), out-of-the-blue packets (§8.4),
 * shutdown (§9.2), abort (§9.1), timers and the public API (engine.h).
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <nettle/hmac.h>
#include <nettle/memops.h>
#include "engine_int.h"

#define COOKIE_MAGIC 0x53434531u      /* "SCE1" */
#define COOKIE_FIXED 56u
#define COOKIE_ADDR 17u
#define MAX_CHUNKS 512

const char *sce_state_name(enum sce_state s)
{
	static const char *const n[] = {
		"CLOSED", "COOKIE-WAIT", "COOKIE-ECHOED", "ESTABLISHED",
		"SHUTDOWN-PENDING", "SHUTDOWN-SENT", "SHUTDOWN-RECEIVED",
		"SHUTDOWN-ACK-SENT",
	};
	return (unsigned)s < sizeof n / sizeof n[0] ? n[s] : "?";
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

uint32_t sce_rand32(struct sce_endpoint *ep)
{
	uint32_t v;
	ep->cfg.random(ep->cfg.random_ctx, &v, sizeof v);
	return v;
}

uint32_t sce_rand_tag(struct sce_endpoint *ep)
{
	uint32_t v;
	do
		v = sce_rand32(ep);
	while (v == 0); /* §5.3.1: tags are 1..2^32-1 */
	return v;
}

bool sce_addr_eq(const struct sockaddr *x, const struct sockaddr *y)
{
	if (x->sa_family != y->sa_family)
		return false;
	if (x->sa_family == AF_INET)
		return ((const struct sockaddr_in *)x)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)y)->sin_addr.s_addr;
	if (x->sa_family == AF_INET6)
		return !memcmp(&((const struct sockaddr_in6 *)x)->sin6_addr,
			       &((const struct sockaddr_in6 *)y)->sin6_addr, 16);
	return false;
}

static bool addr_unicast(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		uint32_t a = ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr);
		return a != 0 && a != 0xffffffffu && (a >> 28) != 0xe;
	}
	if (sa->sa_family == AF_INET6) {
		const uint8_t *b = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
		static const uint8_t any[16];
		return b[0] != 0xff && memcmp(b, any, 16) != 0;
	}
	return false;
}

/* address from an IPv4 / IPv6 Address parameter value */
static bool addr_from_param(uint16_t type, const uint8_t *v, size_t n, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (type == WIRE_PT_IPV4 && n == 4) {
		struct sockaddr_in *s = (struct sockaddr_in *)ss;
		s->sin_family = AF_INET;
		memcpy(&s->sin_addr, v, 4);
		return true;
	}
	if (type == WIRE_PT_IPV6 && n == 16) {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)ss;
		s->sin6_family = AF_INET6;
		memcpy(&s->sin6_addr, v, 16);
		return true;
	}
	return false;
}

static int local_index(const struct sce_endpoint *ep, const struct sockaddr *sa)
{
	for (size_t i = 0; i < ep->cfg.nladdrs; i++)
		if (sce_addr_eq((const struct sockaddr *)&ep->cfg.laddrs[i], sa))
			return (int)i;
	return -1;
}

/* ------------------------------------------------------------------ */
/* Events                                                              */
/* ------------------------------------------------------------------ */

static struct sce_event *ev_push(struct sce_endpoint *ep)
{
	struct sce_event *e;

	if (ep->ev_n == ep->ev_cap) {
		size_t nc = ep->ev_cap ? ep->ev_cap * 2 : 64;
		struct sce_event *n = malloc(nc * sizeof(*n));
		if (!n)
			return NULL;
		for (size_t i = 0; i < ep->ev_n; i++)
			n[i] = ep->ev[(ep->ev_head + i) % ep->ev_cap];
		free(ep->ev);
		ep->ev = n;
		ep->ev_head = 0;
		ep->ev_cap = nc;
	}
	e = &ep->ev[(ep->ev_head + ep->ev_n++) % ep->ev_cap];
	memset(e, 0, sizeof(*e));
	return e;
}

struct sce_event *sce_event(struct sce_assoc *a, enum sce_event_type t, uint16_t error)
{
	struct sce_event *e = ev_push(a->ep);

	if (!e)
		return NULL;
	e->type = t;
	e->assoc_id = a->id;
	e->state = a->state;
	e->error = error;
	return e;
}

void sce_event_addr(struct sce_assoc *a, int path, enum sce_addr_state st)
{
	struct sce_event *e = sce_event(a, SCE_EV_PEER_ADDR_CHANGE, 0);

	if (!e)
		return;
	e->addr = a->paths[path].addr;
	e->addr_state = st;
}

bool sce_pop_event(struct sce_endpoint *ep, struct sce_event *ev)
{
	if (!ep->ev_n)
		return false;
	*ev = ep->ev[ep->ev_head];
	ep->ev_head = (ep->ev_head + 1) % ep->ev_cap;
	ep->ev_n--;
	return true;
}

struct sce_packet *sce_pop_packet(struct sce_endpoint *ep)
{
	struct sce_packet *p = ep->out_head;

	if (!p)
		return NULL;
	ep->out_head = p->next;
	if (!ep->out_head)
		ep->out_tail = &ep->out_head;
	p->next = NULL;
	return p;
}

void sce_packet_free(struct sce_packet *p)
{
	free(p);
}

/* ------------------------------------------------------------------ */
/* Endpoint and association objects                                    */
/* ------------------------------------------------------------------ */

#define DEF(f, v) do { if (!c->f) c->f = (v); } while (0)

struct sce_endpoint *sce_ep_new(const struct sce_config *cfg)
{
	struct sce_endpoint *ep;
	struct sce_config *c;

	if (!cfg || !cfg->port || !cfg->nladdrs || cfg->nladdrs > SCE_MAX_LADDRS || !cfg->random)
		return NULL;
	for (size_t i = 0; i < cfg->nladdrs; i++)
		if (cfg->laddrs[i].ss_family != AF_INET && cfg->laddrs[i].ss_family != AF_INET6)
			return NULL;
	ep = calloc(1, sizeof(*ep));
	if (!ep)
		return NULL;
	ep->cfg = *cfg;
	c = &ep->cfg;
	DEF(rto_initial, 1000);
	DEF(rto_min, 1000);
	DEF(rto_max, 60000);
	DEF(hb_interval, 30000);
	DEF(sack_delay, 200);
	DEF(cookie_life, 60000);
	DEF(max_init_retrans, 8);
	DEF(assoc_max_retrans, 10);
	DEF(path_max_retrans, 5);
	DEF(a_rwnd, 131072);
	DEF(sndbuf, 1u << 20);
	DEF(os, 10);
	DEF(mis, 65535);
	DEF(mtu, 1500);
	if (c->sack_delay > 500)
		c->sack_delay = 500; /* §6.2: SACK.Delay MUST NOT exceed 500 ms */
	if (c->a_rwnd < 1500)
		c->a_rwnd = 1500;    /* §6.1: at least one MTU-size message */
	if (c->mtu < 576)
		c->mtu = 576;
	if (c->rto_min > c->rto_max)
		c->rto_min = c->rto_max;
	ep->cfg.random(ep->cfg.random_ctx, ep->secret, sizeof ep->secret);
	TAILQ_INIT(&ep->assocs);
	ep->next_id = 1;
	ep->out_tail = &ep->out_head;
	return ep;
}

static void assoc_free(struct sce_assoc *a)
{
	struct sce_ctl *c;

	sce_data_free(a);
	free(a->ssn_out);
	free(a->ssn_in);
	while ((c = TAILQ_FIRST(&a->ctl))) {
		TAILQ_REMOVE(&a->ctl, c, link);
		free(c);
	}
	wire_buf_free(&a->init_chunk);
	wire_buf_free(&a->cookie);
	free(a);
}

void sce_ep_free(struct sce_endpoint *ep)
{
	struct sce_assoc *a;
	struct sce_packet *p;

	if (!ep)
		return;
	while ((a = TAILQ_FIRST(&ep->assocs))) {
		TAILQ_REMOVE(&ep->assocs, a, link);
		assoc_free(a);
	}
	while ((p = sce_pop_packet(ep)))
		free(p);
	free(ep->ev);
	free(ep);
}

void sce_ep_set_listen(struct sce_endpoint *ep, bool on)
{
	ep->cfg.listen = on;
}

void sce_ep_get_stats(const struct sce_endpoint *ep, struct sce_ep_stats *st)
{
	*st = ep->st;
}

static struct sce_assoc *assoc_new(struct sce_endpoint *ep, uint16_t pport)
{
	struct sce_assoc *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->ep = ep;
	a->id = ep->next_id++;
	if (!ep->next_id)
		ep->next_id = 1;
	a->pport = pport;
	a->last_rx_path = -1;
	TAILQ_INIT(&a->unsent);
	TAILQ_INIT(&a->sent);
	TAILQ_INIT(&a->reasm);
	TAILQ_INIT(&a->opend);
	TAILQ_INIT(&a->readq);
	TAILQ_INIT(&a->deferq);
	TAILQ_INIT(&a->ctl);
	wire_buf_init(&a->init_chunk);
	wire_buf_init(&a->cookie);
	TAILQ_INSERT_TAIL(&ep->assocs, a, link);
	return a;
}

static struct sce_assoc *assoc_by_id(const struct sce_endpoint *ep, uint32_t id)
{
	struct sce_assoc *a;

	TAILQ_FOREACH(a, &ep->assocs, link)
		if (a->id == id)
			return a;
	return NULL;
}

/* The TCB a packet from (src, sport) belongs to (§5.1 implementation note). */
static struct sce_assoc *assoc_by_addr(struct sce_endpoint *ep, const struct sockaddr *src,
				       uint16_t sport)
{
	struct sce_assoc *a;

	TAILQ_FOREACH(a, &ep->assocs, link)
		if (a->state != SCE_CLOSED && a->pport == sport && sce_path_find(a, src) >= 0)
			return a;
	return NULL;
}

static void stop_timers(struct sce_assoc *a)
{
	a->t1 = a->t2 = a->sack_due = 0;
	for (size_t i = 0; i < a->npaths; i++)
		a->paths[i].t3 = a->paths[i].hb_due = 0;
}

/* Free the send side and reassembly, keep what the user can still read. */
static void drop_transfer_state(struct sce_assoc *a)
{
	struct sce_chunk *c;
	struct sce_ctl *k;

	while ((c = TAILQ_FIRST(&a->unsent))) {
		TAILQ_REMOVE(&a->unsent, c, link);
		free(c);
	}
	while ((c = TAILQ_FIRST(&a->sent))) {
		TAILQ_REMOVE(&a->sent, c, link);
		free(c);
	}
	while ((k = TAILQ_FIRST(&a->ctl))) {
		TAILQ_REMOVE(&a->ctl, k, link);
		free(k);
	}
	a->queued_bytes = 0;
	a->flight_payload = 0;
	a->fast_recovery = false;
	sce_rcv_reset(a, a->peer_itsn);
}

void sce_assoc_close(struct sce_assoc *a, enum sce_event_type t, uint16_t error)
{
	if (a->state == SCE_CLOSED)
		return;
	a->state = SCE_CLOSED;
	stop_timers(a);
	drop_transfer_state(a);
	sce_event(a, t, error);
}

/* ------------------------------------------------------------------ */
/* Chunks out                                                          */
/* ------------------------------------------------------------------ */

static void abort_chunk(struct wire_buf *b, bool tbit, uint16_t cause, const void *info,
			size_t ilen)
{
	struct wire_buf c;

	wire_buf_init(&c);
	if (cause)
		wire_craft_cause(&c, cause, info, ilen);
	wire_craft_abort(b, tbit, c.p, c.len);
	wire_buf_free(&c);
}

/* ABORT to the peer of an association, its tag (§9.1); not bundled with DATA */
void sce_send_abort(struct sce_assoc *a, uint16_t cause, const void *info, size_t ilen)
{
	struct wire_buf b;

	if (!a->ptag || !a->npaths)
		return; /* COOKIE-WAIT: the peer's tag is unknown, nothing to send */
	wire_buf_init(&b);
	abort_chunk(&b, false, cause, info, ilen);
	if (!b.err)
		sce_out_path(a, sce_data_path(a), b.p, b.len);
	wire_buf_free(&b);
}

/* ABORT or SHUTDOWN COMPLETE outside any TCB */
static void reply_raw(struct sce_endpoint *ep, const struct sockaddr *src,
		      const struct sockaddr *dst, uint16_t sport, uint32_t vtag,
		      const struct wire_buf *chunks)
{
	if (chunks->err)
		return;
	/* our reply leaves from the address the packet came to */
	sce_out_raw(ep, 0, dst, src, ep->cfg.port, sport, vtag, chunks->p, chunks->len);
}

/* ------------------------------------------------------------------ */
/* INIT / INIT-ACK parameters                                          */
/* ------------------------------------------------------------------ */

struct init_info {
	uint32_t tag, a_rwnd, itsn;
	uint16_t os, mis;
	struct sockaddr_storage addrs[SCE_MAX_PATHS];
	size_t naddrs;
	bool hostname;
	const uint8_t *cookie;
	size_t cookie_len;
	uint32_t preserve;           /* Cookie Preservative, ms */
	bool prsctp;
	struct wire_buf unrec;       /* parameters to report (§3.2.1) */
};

static bool param_known(uint16_t t)
{
	switch (t) {
	case WIRE_PT_IPV4: case WIRE_PT_IPV6: case WIRE_PT_STATE_COOKIE:
	case WIRE_PT_COOKIE_PRESERVATIVE: case WIRE_PT_HOST_NAME:
	case WIRE_PT_SUPPORTED_ADDR_TYPES: case WIRE_PT_ECN_CAPABLE:
	case WIRE_PT_FORWARD_TSN_SUPPORTED: case WIRE_PT_RANDOM: case WIRE_PT_CHUNKS:
	case WIRE_PT_HMAC_ALGO: case WIRE_PT_PADDING: case WIRE_PT_SUPPORTED_EXT:
	case WIRE_PT_ADAPTATION: case WIRE_PT_ZERO_CHECKSUM: case WIRE_PT_UNRECOGNIZED:
		return true;
	}
	return false;
}

/* Parse an INIT or INIT-ACK chunk (c, len = chunk length).  -1 if malformed. */
static int parse_init(const uint8_t *c, size_t len, struct init_info *ii)
{
	size_t off = 20;

	memset(ii, 0, sizeof(*ii));
	wire_buf_init(&ii->unrec);
	if (len < 20)
		return -1;
	ii->tag = sce_get32(c + 4);
	ii->a_rwnd = sce_get32(c + 8);
	ii->os = sce_get16(c + 12);
	ii->mis = sce_get16(c + 14);
	ii->itsn = sce_get32(c + 16);
	while (off + 4 <= len) {
		uint16_t t = sce_get16(c + off), pl = sce_get16(c + off + 2);
		const uint8_t *v = c + off + 4;
		if (pl < 4 || off + pl > len)
			return -1;
		if (!param_known(t)) {
			/* §3.2.1: the two high bits say stop / skip, report or not */
			if (t & 0x4000)
				wire_param_raw(&ii->unrec, WIRE_PT_UNRECOGNIZED, c + off, pl);
			if (!(t & 0x8000))
				break;
		} else if (t == WIRE_PT_IPV4 || t == WIRE_PT_IPV6) {
			struct sockaddr_storage ss;
			if (addr_from_param(t, v, pl - 4u, &ss) && ii->naddrs < SCE_MAX_PATHS &&
			    addr_unicast((struct sockaddr *)&ss))
				ii->addrs[ii->naddrs++] = ss;
		} else if (t == WIRE_PT_STATE_COOKIE) {
			ii->cookie = v;
			ii->cookie_len = pl - 4u;
		} else if (t == WIRE_PT_COOKIE_PRESERVATIVE && pl == 8) {
			ii->preserve = sce_get32(v);
		} else if (t == WIRE_PT_HOST_NAME) {
			ii->hostname = true;
		} else if (t == WIRE_PT_FORWARD_TSN_SUPPORTED) {
			ii->prsctp = true;
		}
		off += PAD4(pl);
	}
	return 0;
}

/* INIT / INIT-ACK parameters: Forward-TSN-Supported, and the local
 * addresses when we have more than one (§5.1.2). */
static void put_init_params(const struct sce_endpoint *ep, struct wire_buf *pb)
{
	/* RFC 3758 §3.3: FORWARD TSN; RFC 6525 §3.1 / RFC 5061 §4.2.7:
	 * RE-CONFIG (we answer stream resets) */
	static const uint8_t ext[] = { WIRE_CT_RECONFIG, WIRE_CT_FORWARD_TSN };
	wire_param_raw(pb, WIRE_PT_FORWARD_TSN_SUPPORTED, NULL, 0);
	wire_param_supported_ext(pb, ext, sizeof ext);
	if (ep->cfg.nladdrs < 2)
		return;
	for (size_t i = 0; i < ep->cfg.nladdrs; i++)
		wire_param_addr(pb, (const struct sockaddr *)&ep->cfg.laddrs[i]);
}

/* ------------------------------------------------------------------ */
/* State cookie, §5.1.3                                                */
/* ------------------------------------------------------------------ */

struct cookie {
	uint64_t created;
	uint32_t life;
	uint32_t my_tag, peer_tag, my_itsn, peer_itsn, peer_rwnd, my_tie, peer_tie;
	uint16_t os, is, peer_port, local_port;
	uint8_t naddrs, lidx, prsctp;
	struct sockaddr_storage addrs[SCE_MAX_PATHS];
};

static void cookie_mac(const struct sce_endpoint *ep, const uint8_t *p, size_t n,
		       uint8_t mac[COOKIE_MAC_LEN])
{
	struct hmac_sha256_ctx h;

	hmac_sha256_set_key(&h, sizeof ep->secret, ep->secret);
	hmac_sha256_update(&h, n, p);
	hmac_sha256_digest(&h, COOKIE_MAC_LEN, mac);
}

static void cookie_put(const struct sce_endpoint *ep, const struct cookie *k, struct wire_buf *out)
{
	uint8_t b[COOKIE_FIXED + COOKIE_ADDR * SCE_MAX_PATHS + COOKIE_MAC_LEN];
	size_t n = COOKIE_FIXED;

	memset(b, 0, sizeof b);
	sce_put32(b, COOKIE_MAGIC);
	sce_put32(b + 4, (uint32_t)(k->created >> 32));
	sce_put32(b + 8, (uint32_t)k->created);
	sce_put32(b + 12, k->life);
	sce_put32(b + 16, k->my_tag);
	sce_put32(b + 20, k->peer_tag);
	sce_put32(b + 24, k->my_itsn);
	sce_put32(b + 28, k->peer_itsn);
	sce_put32(b + 32, k->peer_rwnd);
	sce_put32(b + 36, k->my_tie);
	sce_put32(b + 40, k->peer_tie);
	sce_put16(b + 44, k->os);
	sce_put16(b + 46, k->is);
	sce_put16(b + 48, k->peer_port);
	sce_put16(b + 50, k->local_port);
	b[52] = k->naddrs;
	b[53] = k->lidx;
	b[54] = k->prsctp;
	for (size_t i = 0; i < k->naddrs; i++, n += COOKIE_ADDR) {
		const struct sockaddr_storage *ss = &k->addrs[i];
		if (ss->ss_family == AF_INET) {
			b[n] = 4;
			memcpy(b + n + 1, &((const struct sockaddr_in *)ss)->sin_addr, 4);
		} else {
			b[n] = 6;
			memcpy(b + n + 1, &((const struct sockaddr_in6 *)ss)->sin6_addr, 16);
		}
	}
	cookie_mac(ep, b, n, b + n);
	wire_buf_put(out, b, n + COOKIE_MAC_LEN);
}

/* 0 valid, -1 malformed or bad MAC (§5.1.5 step 2) */
static int cookie_get(const struct sce_endpoint *ep, const uint8_t *b, size_t len, struct cookie *k)
{
	uint8_t mac[COOKIE_MAC_LEN];
	size_t n;

	if (len < COOKIE_FIXED + COOKIE_MAC_LEN || sce_get32(b) != COOKIE_MAGIC)
		return -1;
	n = COOKIE_FIXED + COOKIE_ADDR * (size_t)b[52];
	if (b[52] == 0 || b[52] > SCE_MAX_PATHS || len != n + COOKIE_MAC_LEN)
		return -1;
	cookie_mac(ep, b, n, mac);
	if (!memeql_sec(mac, b + n, COOKIE_MAC_LEN))
		return -1;
	memset(k, 0, sizeof(*k));
	k->created = (uint64_t)sce_get32(b + 4) << 32 | sce_get32(b + 8);
	k->life = sce_get32(b + 12);
	k->my_tag = sce_get32(b + 16);
	k->peer_tag = sce_get32(b + 20);
	k->my_itsn = sce_get32(b + 24);
	k->peer_itsn = sce_get32(b + 28);
	k->peer_rwnd = sce_get32(b + 32);
	k->my_tie = sce_get32(b + 36);
	k->peer_tie = sce_get32(b + 40);
	k->os = sce_get16(b + 44);
	k->is = sce_get16(b + 46);
	k->peer_port = sce_get16(b + 48);
	k->local_port = sce_get16(b + 50);
	k->naddrs = b[52];
	k->lidx = b[53];
	k->prsctp = b[54];
	for (size_t i = 0, o = COOKIE_FIXED; i < k->naddrs; i++, o += COOKIE_ADDR)
		if (!addr_from_param(b[o] == 4 ? WIRE_PT_IPV4 : WIRE_PT_IPV6, b + o + 1,
				     b[o] == 4 ? 4 : 16, &k->addrs[i]))
			return -1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* INIT (both roles), INIT-ACK, COOKIE-ECHO, COOKIE-ACK                 */
/* ------------------------------------------------------------------ */

static void send_init(struct sce_assoc *a, int path)
{
	struct sce_path *p = &a->paths[path];
	struct sce_endpoint *ep = a->ep;

	/* §8.5.1 A: a packet with INIT carries verification tag 0 */
	sce_out_raw(ep, a->id, (const struct sockaddr *)&ep->cfg.laddrs[p->lidx],
		    (const struct sockaddr *)&p->addr, ep->cfg.port, a->pport, 0,
		    a->init_chunk.p, a->init_chunk.len);
}

static int build_init(struct sce_assoc *a)
{
	struct sce_endpoint *ep = a->ep;
	struct wire_buf pb;
	int r;

	wire_buf_init(&pb);
	put_init_params(ep, &pb);
	if (a->cookie_preserve)
		wire_param_u32(&pb, WIRE_PT_COOKIE_PRESERVATIVE, a->cookie_preserve);
	wire_buf_reset(&a->init_chunk);
	r = wire_craft_init(&a->init_chunk, false, a->ltag, ep->cfg.a_rwnd, ep->cfg.os,
			    ep->cfg.mis, a->itsn, pb.p, pb.len);
	wire_buf_free(&pb);
	return r;
}

/* New addresses in an INIT for an existing TCB (§5.2.1, §5.2.2)? */
static bool init_adds_addrs(const struct sce_assoc *a, const struct sockaddr *src,
			    const struct init_info *ii, struct wire_buf *list)
{
	bool added = false;

	if (sce_path_find(a, src) < 0) {
		wire_param_addr(list, src);
		added = true;
	}
	for (size_t i = 0; i < ii->naddrs; i++)
		if (sce_path_find(a, (const struct sockaddr *)&ii->addrs[i]) < 0) {
			wire_param_addr(list, (const struct sockaddr *)&ii->addrs[i]);
			added = true;
		}
	return added;
}

static void send_init_ack(struct sce_endpoint *ep, uint64_t now, const struct sockaddr *src,
			  const struct sockaddr *dst, uint16_t sport, const struct init_info *ii,
			  uint32_t my_tag, uint32_t my_itsn, uint32_t ltie, uint32_t ptie)
{
	struct cookie k;
	struct wire_buf pb, ck, ch;
	int li = local_index(ep, dst);
	uint32_t extra = ii->preserve;

	memset(&k, 0, sizeof(k));
	k.created = now;
	/* honour a Cookie Preservative (§5.2.6), at most doubling the life */
	if (extra > ep->cfg.cookie_life)
		extra = ep->cfg.cookie_life;
	k.life = ep->cfg.cookie_life + extra;
	k.my_tag = my_tag;
	k.peer_tag = ii->tag;
	k.my_itsn = my_itsn;
	k.peer_itsn = ii->itsn;
	k.peer_rwnd = ii->a_rwnd;
	k.my_tie = ltie;
	k.peer_tie = ptie;
	/* §5.1.1: outbound streams are min(our OS, peer MIS) */
	k.os = ep->cfg.os < ii->mis ? ep->cfg.os : ii->mis;
	k.is = ep->cfg.mis < ii->os ? ep->cfg.mis : ii->os;
	k.peer_port = sport;
	k.local_port = ep->cfg.port;
	k.lidx = (uint8_t)(li < 0 ? 0 : li);
	k.prsctp = ii->prsctp;
	/* §5.1.2: the source of the INIT, then its listed addresses */
	memcpy(&k.addrs[0], src, src->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
							    : sizeof(struct sockaddr_in));
	k.naddrs = 1;
	for (size_t i = 0; i < ii->naddrs && k.naddrs < SCE_MAX_PATHS; i++) {
		bool dup = false;
		for (size_t j = 0; j < k.naddrs; j++)
			if (sce_addr_eq((const struct sockaddr *)&k.addrs[j],
					(const struct sockaddr *)&ii->addrs[i]))
				dup = true;
		if (!dup)
			k.addrs[k.naddrs++] = ii->addrs[i];
	}
	wire_buf_init(&pb);
	wire_buf_init(&ck);
	wire_buf_init(&ch);
	cookie_put(ep, &k, &ck);
	wire_param_raw(&pb, WIRE_PT_STATE_COOKIE, ck.p, ck.len);
	put_init_params(ep, &pb);
	if (ii->unrec.len)
		wire_buf_put_tlvs(&pb, ii->unrec.p, ii->unrec.len);
	wire_craft_init(&ch, true, my_tag, ep->cfg.a_rwnd, ep->cfg.os, ep->cfg.mis, my_itsn,
			pb.p, pb.len);
	/* §5.1: to the source of the INIT, with its Initiate Tag */
	reply_raw(ep, src, dst, sport, ii->tag, &ch);
	wire_buf_free(&pb);
	wire_buf_free(&ck);
	wire_buf_free(&ch);
}

static void abort_init(struct sce_endpoint *ep, const struct sockaddr *src,
		       const struct sockaddr *dst, uint16_t sport, uint32_t tag,
		       uint16_t cause, const void *info, size_t ilen)
{
	struct wire_buf b;

	/* §8.4 item 3, §5.1: the tag is the Initiate Tag, T bit clear */
	wire_buf_init(&b);
	abort_chunk(&b, false, cause, info, ilen);
	reply_raw(ep, src, dst, sport, tag, &b);
	wire_buf_free(&b);
}

static void handle_init(struct sce_endpoint *ep, uint64_t now, const struct sockaddr *src,
			const struct sockaddr *dst, uint16_t sport, const uint8_t *c, size_t len)
{
	struct init_info ii;
	struct sce_assoc *a;

	if (parse_init(c, len, &ii) < 0 || ii.tag == 0) {
		/* §3.3.2: Initiate Tag 0 -> silently discard */
		ep->st.bad_format++;
		wire_buf_free(&ii.unrec);
		return;
	}
	if (ii.os == 0 || ii.mis == 0) {
		abort_init(ep, src, dst, sport, ii.tag, WIRE_EC_INVALID_PARAM, NULL, 0);
		goto out;
	}
	if (ii.hostname) {
		abort_init(ep, src, dst, sport, ii.tag, WIRE_EC_UNRESOLVABLE_ADDR, NULL, 0);
		goto out;
	}
	a = assoc_by_addr(ep, src, sport);
	for (size_t i = 0; !a && i < ii.naddrs; i++)
		a = assoc_by_addr(ep, (const struct sockaddr *)&ii.addrs[i], sport);
	if (!a) {
		if (!ep->cfg.listen) {
			ep->st.ootb++;
			abort_init(ep, src, dst, sport, ii.tag, 0, NULL, 0);
			goto out;
		}
		send_init_ack(ep, now, src, dst, sport, &ii, sce_rand_tag(ep), sce_rand32(ep), 0, 0);
		goto out;
	}
	switch (a->state) {
	case SCE_COOKIE_WAIT:
		/* §5.2.1: same tag and TSN as our own INIT, no tie-tags */
		send_init_ack(ep, now, src, dst, sport, &ii, a->ltag, a->itsn, 0, 0);
		break;
	case SCE_SHUTDOWN_ACK_SENT: {
		/* §9.2: discard the INIT, retransmit SHUTDOWN ACK */
		struct wire_buf b;
		wire_buf_init(&b);
		wire_craft_shutdown_ack(&b);
		sce_out_path(a, sce_data_path(a), b.p, b.len);
		wire_buf_free(&b);
		break;
	}
	default: {
		struct wire_buf added;
		wire_buf_init(&added);
		if (init_adds_addrs(a, src, &ii, &added)) {
			/* §5.2.1 / §5.2.2: a restart must not add addresses */
			abort_init(ep, src, dst, sport, ii.tag, WIRE_EC_RESTART_NEW_ADDRS,
				   added.p, added.len);
		} else if (a->state == SCE_COOKIE_ECHOED) {
			a->ltie = a->ltag;
			a->ptie = a->ptag;
			send_init_ack(ep, now, src, dst, sport, &ii, a->ltag, a->itsn,
				      a->ltie, a->ptie);
		} else {
			/* §5.2.2: new tag, tie-tags = the current tags */
			a->ltie = a->ltag;
			a->ptie = a->ptag;
			send_init_ack(ep, now, src, dst, sport, &ii, sce_rand_tag(ep),
				      sce_rand32(ep), a->ltie, a->ptie);
		}
		wire_buf_free(&added);
		break;
	}
	}
out:
	wire_buf_free(&ii.unrec);
}

/* Peer side of the TCB from INIT-ACK / cookie values. */
static int assoc_set_peer(struct sce_assoc *a, uint32_t ptag, uint32_t peer_itsn,
			  uint32_t peer_rwnd, uint16_t os, uint16_t is, bool prsctp)
{
	a->ptag = ptag;
	sce_rcv_reset(a, peer_itsn);
	a->peer_rwnd = peer_rwnd;
	a->os = os;
	a->is = is;
	a->peer_prsctp = prsctp;
	return sce_data_init(a);
}

static void set_paths(struct sce_assoc *a, const struct sockaddr *confirmed,
		      const struct sockaddr_storage *addrs, size_t n, int lidx)
{
	a->npaths = 0;
	a->primary = 0;
	sce_path_add(a, confirmed, true);
	for (size_t i = 0; i < n; i++)
		sce_path_add(a, (const struct sockaddr *)&addrs[i], false);
	for (size_t i = 0; lidx >= 0 && i < a->npaths; i++)
		if (a->ep->cfg.laddrs[lidx].ss_family == a->paths[i].addr.ss_family)
			a->paths[i].lidx = lidx;
	a->last_rx_path = 0;
}

static void establish(struct sce_assoc *a, uint64_t now, enum sce_event_type ev)
{
	a->state = SCE_ESTABLISHED;
	a->t1 = 0;
	a->init_count = 0;
	sce_hb_start(a, now);
	sce_event(a, ev, 0);
}

static void queue_cookie_ack(struct sce_assoc *a, int path)
{
	struct wire_buf b;

	wire_buf_init(&b);
	wire_craft_cookie_ack(&b);
	sce_ctl_queue(a, path, b.p, b.len); /* first chunk of the packet (§5.1) */
	wire_buf_free(&b);
}

static void handle_init_ack(struct sce_assoc *a, uint64_t now, const struct sockaddr *src,
			    const struct sockaddr *dst, const uint8_t *c, size_t len)
{
	struct sce_endpoint *ep = a->ep;
	struct init_info ii;
	struct wire_buf b;
	uint16_t os, is;

	if (a->state != SCE_COOKIE_WAIT)
		return; /* §5.2.3 */
	if (parse_init(c, len, &ii) < 0) {
		wire_buf_free(&ii.unrec);
		return;
	}
	if (ii.tag == 0) {
		/* §3.3.3: Initiate Tag 0 -> destroy the TCB */
		sce_assoc_close(a, SCE_EV_CANT_START, WIRE_EC_INVALID_PARAM);
		goto out;
	}
	if (ii.os == 0 || ii.mis == 0 || !ii.cookie || ii.hostname) {
		uint8_t miss[6] = { 0, 0, 0, 1, 0, WIRE_PT_STATE_COOKIE };
		uint16_t cause = ii.hostname ? WIRE_EC_UNRESOLVABLE_ADDR
			       : !ii.cookie ? WIRE_EC_MISSING_PARAM : WIRE_EC_INVALID_PARAM;
		abort_init(ep, src, dst, a->pport, ii.tag, cause,
			   cause == WIRE_EC_MISSING_PARAM ? miss : NULL,
			   cause == WIRE_EC_MISSING_PARAM ? sizeof miss : 0);
		sce_assoc_close(a, SCE_EV_CANT_START, cause);
		goto out;
	}
	os = ep->cfg.os < ii.mis ? ep->cfg.os : ii.mis;
	is = ep->cfg.mis < ii.os ? ep->cfg.mis : ii.os;
	if (assoc_set_peer(a, ii.tag, ii.itsn, ii.a_rwnd, os, is, ii.prsctp) < 0) {
		sce_assoc_close(a, SCE_EV_CANT_START, WIRE_EC_OUT_OF_RESOURCE);
		goto out;
	}
	/* §5.1.2: the peer's addresses are the INIT-ACK's source and list */
	set_paths(a, src, ii.addrs, ii.naddrs, local_index(ep, dst));
	wire_buf_reset(&a->cookie);
	wire_buf_put(&a->cookie, ii.cookie, ii.cookie_len);
	a->state = SCE_COOKIE_ECHOED;
	a->init_count = 0;
	a->t1_rto = ep->cfg.rto_initial;
	a->t1_path = 0;
	a->t1 = now + a->t1_rto;
	a->echo_sent = now;
	wire_buf_init(&b);
	wire_craft_cookie_echo(&b, a->cookie.p, a->cookie.len);
	if (ii.unrec.len)
		wire_craft_error(&b, ii.unrec.p, ii.unrec.len); /* §3.2.2 */
	if (!b.err)
		sce_out_path(a, 0, b.p, b.len);
	wire_buf_free(&b);
out:
	wire_buf_free(&ii.unrec);
}

static void send_stale(struct sce_endpoint *ep, const struct sockaddr *src,
		       const struct sockaddr *dst, uint16_t sport, const struct cookie *k,
		       uint64_t now)
{
	struct wire_buf ca, ch;
	uint8_t st[4];
	uint64_t us = (now - (k->created + k->life)) * 1000;

	/* §3.3.10.3: measure of staleness in microseconds */
	sce_put32(st, us > UINT32_MAX ? UINT32_MAX : (uint32_t)us);
	wire_buf_init(&ca);
	wire_buf_init(&ch);
	wire_craft_cause(&ca, WIRE_EC_STALE_COOKIE, st, 4);
	wire_craft_error(&ch, ca.p, ca.len);
	reply_raw(ep, src, dst, sport, k->peer_tag, &ch);
	wire_buf_free(&ca);
	wire_buf_free(&ch);
	ep->st.stale_cookie++;
}

/* Install the TCB contents of a valid cookie (new association or restart). */
static int assoc_from_cookie(struct sce_assoc *a, const struct cookie *k,
			     const struct sockaddr *src)
{
	a->ltag = k->my_tag;
	a->itsn = a->next_tsn = k->my_itsn;
	a->cum_ack = k->my_itsn - 1;
	a->ltie = a->ptie = 0;
	if (assoc_set_peer(a, k->peer_tag, k->peer_itsn, k->peer_rwnd, k->os, k->is, k->prsctp) < 0)
		return -1;
	set_paths(a, (const struct sockaddr *)&k->addrs[0], k->addrs + 1, k->naddrs - 1u,
		  k->lidx < a->ep->cfg.nladdrs ? k->lidx : -1);
	a->last_rx_path = sce_path_find(a, src);
	if (a->last_rx_path < 0)
		a->last_rx_path = 0;
	return 0;
}

/*
 * COOKIE ECHO, first chunk of the packet (§5.1.5, §5.2.4).  Returns the
 * association the rest of the packet belongs to, or NULL to discard it.
 */
static struct sce_assoc *handle_cookie_echo(struct sce_endpoint *ep, uint64_t now,
					    const struct sockaddr *src,
					    const struct sockaddr *dst, uint16_t sport,
					    uint16_t dport, uint32_t vtag, const uint8_t *c,
					    size_t len)
{
	struct cookie k;
	struct sce_assoc *a;
	bool stale;
	int path;

	if (cookie_get(ep, c + 4, len - 4, &k) < 0) {
		ep->st.bad_cookie++; /* §5.1.5: silently discarded */
		return NULL;
	}
	if (k.peer_port != sport || k.local_port != dport || k.my_tag != vtag) {
		ep->st.bad_vtag++;
		return NULL;
	}
	stale = now > k.created + k.life;
	a = assoc_by_addr(ep, src, sport);
	for (size_t i = 0; !a && i < k.naddrs; i++)
		a = assoc_by_addr(ep, (const struct sockaddr *)&k.addrs[i], sport);
	if (!a) {
		if (stale) {
			send_stale(ep, src, dst, sport, &k, now);
			return NULL;
		}
		a = assoc_new(ep, sport);
		if (!a)
			return NULL;
		if (assoc_from_cookie(a, &k, src) < 0) {
			TAILQ_REMOVE(&ep->assocs, a, link);
			assoc_free(a);
			return NULL;
		}
		establish(a, now, SCE_EV_COMM_UP);
		queue_cookie_ack(a, a->last_rx_path);
		return a;
	}
	/* §5.2.4 */
	{
		bool lm = k.my_tag == a->ltag, pm = k.peer_tag == a->ptag;
		bool tie = k.my_tie && k.peer_tie && k.my_tie == a->ltag && k.peer_tie == a->ptag;
		if (stale && !(lm && pm)) {
			send_stale(ep, src, dst, sport, &k, now);
			return NULL;
		}
		path = sce_path_find(a, src);
		if (!lm && !pm && tie) {
			/* (A) peer restart */
			if (a->state == SCE_SHUTDOWN_ACK_SENT) {
				struct wire_buf b, ca;
				wire_buf_init(&b);
				wire_buf_init(&ca);
				wire_craft_shutdown_ack(&b);
				wire_craft_cause(&ca, WIRE_EC_COOKIE_WHILE_SHUTDOWN, NULL, 0);
				wire_craft_error(&b, ca.p, ca.len);
				sce_out_path(a, path >= 0 ? path : sce_data_path(a), b.p, b.len);
				wire_buf_free(&b);
				wire_buf_free(&ca);
				return NULL;
			}
			stop_timers(a);
			drop_transfer_state(a);
			if (assoc_from_cookie(a, &k, src) < 0) {
				sce_assoc_close(a, SCE_EV_COMM_LOST, WIRE_EC_OUT_OF_RESOURCE);
				return NULL;
			}
			a->t2 = 0;
			establish(a, now, SCE_EV_RESTART);
			queue_cookie_ack(a, a->last_rx_path);
			return a;
		}
		if (lm && (!pm || a->ptag == 0)) {
			/* (B) setup collision: take the peer's side from the cookie */
			bool was_setup = a->state == SCE_COOKIE_WAIT || a->state == SCE_COOKIE_ECHOED;
			if (assoc_set_peer(a, k.peer_tag, k.peer_itsn, k.peer_rwnd, k.os, k.is,
					   k.prsctp) < 0)
				return NULL;
			for (size_t i = 0; i < k.naddrs; i++)
				sce_path_add(a, (const struct sockaddr *)&k.addrs[i], i == 0);
			path = sce_path_find(a, src);
			a->last_rx_path = path >= 0 ? path : 0;
			a->t1 = 0;
			if (was_setup)
				establish(a, now, SCE_EV_COMM_UP);
			queue_cookie_ack(a, a->last_rx_path);
			return a;
		}
		if (!lm && pm && !k.my_tie && !k.peer_tie)
			return NULL; /* (C) late cookie */
		if (lm && pm) {
			/* (D) duplicate COOKIE ECHO */
			a->t1 = 0;
			if (a->state == SCE_COOKIE_ECHOED || a->state == SCE_COOKIE_WAIT)
				establish(a, now, SCE_EV_COMM_UP);
			a->last_rx_path = path >= 0 ? path : a->last_rx_path;
			queue_cookie_ack(a, a->last_rx_path >= 0 ? a->last_rx_path : 0);
			return a;
		}
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Shutdown, §9.2                                                      */
/* ------------------------------------------------------------------ */

static void queue_shutdown(struct sce_assoc *a)
{
	struct wire_buf b;
	int path = a->t2 ? sce_rtx_path(a, sce_data_path(a)) : sce_data_path(a);

	wire_buf_init(&b);
	if (a->state == SCE_SHUTDOWN_SENT)
		wire_craft_shutdown(&b, a->cum_tsn);
	else
		wire_craft_shutdown_ack(&b);
	sce_ctl_queue(a, path, b.p, b.len);
	wire_buf_free(&b);
}

void sce_check_shutdown(struct sce_assoc *a, uint64_t now)
{
	if (!sce_all_acked(a))
		return;
	if (a->state == SCE_SHUTDOWN_PENDING)
		a->state = SCE_SHUTDOWN_SENT;
	else if (a->state == SCE_SHUTDOWN_RECEIVED)
		a->state = SCE_SHUTDOWN_ACK_SENT;
	else
		return;
	a->t2 = 0;
	a->t2_count = 0;
	queue_shutdown(a);
	a->t2 = now + a->paths[sce_data_path(a)].rto;
	a->sack_due = 0; /* the SHUTDOWN carries the cumulative ack */
}

static void send_shutdown_complete(struct sce_assoc *a, int path)
{
	struct wire_buf b;

	wire_buf_init(&b);
	wire_craft_shutdown_complete(&b, false);
	sce_out_path(a, path >= 0 ? path : sce_data_path(a), b.p, b.len);
	wire_buf_free(&b);
}

static void handle_shutdown(struct sce_assoc *a, uint64_t now, const uint8_t *c, size_t len)
{
	if (len < 8)
		return;
	switch (a->state) {
	case SCE_ESTABLISHED:
	case SCE_SHUTDOWN_PENDING:
		sce_handle_cum_ack(a, now, sce_get32(c + 4));
		a->state = SCE_SHUTDOWN_RECEIVED;
		sce_event(a, SCE_EV_SHUTDOWN_EVENT, 0);
		sce_check_shutdown(a, now);
		break;
	case SCE_SHUTDOWN_RECEIVED:
		sce_handle_cum_ack(a, now, sce_get32(c + 4));
		sce_check_shutdown(a, now);
		break;
	case SCE_SHUTDOWN_SENT:
		/* shutdown collision: answer with SHUTDOWN ACK */
		sce_handle_cum_ack(a, now, sce_get32(c + 4));
		a->state = SCE_SHUTDOWN_ACK_SENT;
		a->t2_count = 0;
		a->t2 = 0;
		queue_shutdown(a);
		a->t2 = now + a->paths[sce_data_path(a)].rto;
		break;
	default:
		break;
	}
}

/* ------------------------------------------------------------------ */
/* Packets in                                                          */
/* ------------------------------------------------------------------ */

struct rxc {
	uint8_t type, flags;
	uint16_t len;
	const uint8_t *p;
};

static void report_unrecognized(struct sce_assoc *a, const struct rxc *k)
{
	struct wire_buf ca, ch;

	wire_buf_init(&ca);
	wire_buf_init(&ch);
	wire_craft_cause(&ca, WIRE_EC_UNRECOGNIZED_CHUNK, k->p, k->len);
	wire_craft_error(&ch, ca.p, ca.len);
	if (!ch.err && a->last_rx_path >= 0)
		sce_ctl_queue(a, a->last_rx_path, ch.p, ch.len);
	wire_buf_free(&ca);
	wire_buf_free(&ch);
}

static uint16_t first_cause(const struct rxc *k)
{
	return k->len >= 8 ? sce_get16(k->p + 4) : 0;
}

static bool has_cause(const struct rxc *k, uint16_t code)
{
	for (size_t off = 4; off + 4 <= k->len;) {
		uint16_t cl = sce_get16(k->p + off + 2);
		if (sce_get16(k->p + off) == code)
			return true;
		if (cl < 4)
			break;
		off += PAD4(cl);
	}
	return false;
}

static void handle_error(struct sce_assoc *a, uint64_t now, const struct rxc *k)
{
	if (has_cause(k, WIRE_EC_STALE_COOKIE)) {
		if (a->state != SCE_COOKIE_ECHOED)
			return; /* §5.2.6 */
		/* §5.2.6, third option: new INIT with a Cookie Preservative of
		 * the measured RTT plus at most one second */
		if (++a->init_count > a->ep->cfg.max_init_retrans) {
			sce_assoc_close(a, SCE_EV_CANT_START, WIRE_EC_STALE_COOKIE);
			return;
		}
		a->cookie_preserve = (a->echo_sent ? (uint32_t)(now - a->echo_sent) : 0) + 1000;
		a->ptag = 0;
		a->state = SCE_COOKIE_WAIT;
		build_init(a);
		send_init(a, 0);
		a->t1 = now + a->t1_rto;
		return;
	}
	sce_event(a, SCE_EV_REMOTE_ERROR, first_cause(k));
}

static void assoc_input(struct sce_assoc *a, uint64_t now, const struct sockaddr *src,
			const struct sockaddr *dst, uint32_t vtag, const struct rxc *ch,
			size_t n, size_t first)
{
	struct sce_endpoint *ep = a->ep;
	int path = sce_path_find(a, src);
	bool tag_ok = vtag == a->ltag;
	bool reflected = a->ptag != 0 && vtag == a->ptag;

	if (!tag_ok && !(a->state == SCE_COOKIE_WAIT && first < n &&
			 ch[first].type == WIRE_CT_INIT_ACK && vtag == a->ltag)) {
		/* §8.5.1 B, C: only a T-bit ABORT / SHUTDOWN COMPLETE with the
		 * peer's tag; E: SHUTDOWN ACK in COOKIE-* states is OOTB */
		for (size_t i = first; i < n; i++) {
			if (reflected && (ch[i].flags & WIRE_FLAG_T) &&
			    ch[i].type == WIRE_CT_ABORT) {
				sce_assoc_close(a, a->state <= SCE_COOKIE_ECHOED ? SCE_EV_CANT_START
										 : SCE_EV_COMM_LOST,
						first_cause(&ch[i]));
				return;
			}
			if (reflected && (ch[i].flags & WIRE_FLAG_T) &&
			    ch[i].type == WIRE_CT_SHUTDOWN_COMPLETE &&
			    a->state == SCE_SHUTDOWN_ACK_SENT) {
				sce_assoc_close(a, SCE_EV_SHUTDOWN_COMPLETE, 0);
				return;
			}
		}
		ep->st.bad_vtag++;
		return;
	}
	if (path >= 0) {
		int li = local_index(ep, dst);
		a->last_rx_path = path;
		if (li >= 0 && ep->cfg.laddrs[li].ss_family == a->paths[path].addr.ss_family)
			a->paths[path].lidx = li;
	}
	for (size_t i = first; i < n && a->state != SCE_CLOSED; i++) {
		const struct rxc *k = &ch[i];
		switch (k->type) {
		case WIRE_CT_DATA:
			if (a->state >= SCE_ESTABLISHED && a->state != SCE_SHUTDOWN_ACK_SENT)
				sce_handle_data(a, now, k->p, k->len);
			break;
		case WIRE_CT_SACK:
			if (a->state >= SCE_ESTABLISHED)
				sce_handle_sack(a, now, k->p, k->len);
			break;
		case WIRE_CT_HEARTBEAT:
			if (a->state >= SCE_COOKIE_ECHOED && path >= 0)
				sce_handle_heartbeat(a, path, k->p, k->len);
			break;
		case WIRE_CT_HEARTBEAT_ACK:
			if (a->state >= SCE_ESTABLISHED)
				sce_handle_heartbeat_ack(a, now, k->p, k->len);
			break;
		case WIRE_CT_ABORT:
			if (k->flags & WIRE_FLAG_T)
				break; /* T set needs the peer's tag (§8.5.1 B) */
			sce_assoc_close(a, a->state <= SCE_COOKIE_ECHOED ? SCE_EV_CANT_START
									 : SCE_EV_COMM_LOST,
					first_cause(k));
			return;
		case WIRE_CT_SHUTDOWN:
			handle_shutdown(a, now, k->p, k->len);
			break;
		case WIRE_CT_SHUTDOWN_ACK:
			if (a->state == SCE_COOKIE_WAIT || a->state == SCE_COOKIE_ECHOED) {
				/* §8.5.1 E: as OOTB, §8.4 item 5 */
				struct wire_buf b;
				wire_buf_init(&b);
				wire_craft_shutdown_complete(&b, true);
				reply_raw(ep, src, dst, a->pport, vtag, &b);
				wire_buf_free(&b);
				return;
			}
			if (a->state == SCE_SHUTDOWN_SENT || a->state == SCE_SHUTDOWN_ACK_SENT) {
				send_shutdown_complete(a, path);
				sce_assoc_close(a, SCE_EV_SHUTDOWN_COMPLETE, 0);
				return;
			}
			break;
		case WIRE_CT_SHUTDOWN_COMPLETE:
			if (a->state == SCE_SHUTDOWN_ACK_SENT && !(k->flags & WIRE_FLAG_T)) {
				sce_assoc_close(a, SCE_EV_SHUTDOWN_COMPLETE, 0);
				return;
			}
			break; /* §8.5.1 C: ignored in any other state */
		case WIRE_CT_ERROR:
			handle_error(a, now, k);
			break;
		case WIRE_CT_COOKIE_ACK:
			if (a->state == SCE_COOKIE_ECHOED) {
				/* RTT of the COOKIE ECHO, unless it was retransmitted */
				if (a->echo_sent && a->init_count == 0 && path >= 0)
					sce_rtt_sample(a, &a->paths[path], (uint32_t)(now - a->echo_sent));
				wire_buf_free(&a->cookie);
				establish(a, now, SCE_EV_COMM_UP);
			}
			break; /* §5.2.5: otherwise discarded */
		case WIRE_CT_INIT_ACK:
			handle_init_ack(a, now, src, dst, k->p, k->len);
			return; /* INIT ACK is alone in its packet (§5.1) */
		case WIRE_CT_COOKIE_ECHO:
			break; /* only as the first chunk, handled before */
		case WIRE_CT_RECONFIG:
			if (a->state >= SCE_ESTABLISHED && a->state != SCE_SHUTDOWN_ACK_SENT)
				sce_handle_reconfig(a, k->p, k->len);
			break;
		case WIRE_CT_FORWARD_TSN:
			if (a->state >= SCE_ESTABLISHED && a->state != SCE_SHUTDOWN_ACK_SENT)
				sce_handle_fwd_tsn(a, now, k->p, k->len);
			break;
		default:
			/* §3.2: upper two bits of the type: stop / skip, report */
			if (k->type & 0x40)
				report_unrecognized(a, k);
			if (!(k->type & 0x80))
				i = n;
			break;
		}
	}
	if (a->state == SCE_CLOSED)
		return;
	if (a->state == SCE_SHUTDOWN_SENT && a->rx_data) {
		/* §9.2: answer DATA in SHUTDOWN-SENT with SHUTDOWN, restart T2 */
		a->sack_now = true;
		queue_shutdown(a);
		a->t2 = now + a->paths[sce_data_path(a)].rto;
	}
	sce_after_data(a, now);
	sce_flush(a, now);
}

/* §8.4 */
static void ootb(struct sce_endpoint *ep, const struct sockaddr *src, const struct sockaddr *dst,
		 uint16_t sport, uint32_t vtag, const struct rxc *ch, size_t n)
{
	struct wire_buf b;

	ep->st.ootb++;
	if (!addr_unicast(src) || !addr_unicast(dst))
		return;
	for (size_t i = 0; i < n; i++)
		if (ch[i].type == WIRE_CT_ABORT)
			return;
	wire_buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		if (ch[i].type == WIRE_CT_SHUTDOWN_ACK) {
			wire_craft_shutdown_complete(&b, true);
			reply_raw(ep, src, dst, sport, vtag, &b);
			goto out;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (ch[i].type == WIRE_CT_SHUTDOWN_COMPLETE || ch[i].type == WIRE_CT_COOKIE_ACK ||
		    (ch[i].type == WIRE_CT_ERROR && has_cause(&ch[i], WIRE_EC_STALE_COOKIE)))
			goto out;
	}
	abort_chunk(&b, true, 0, NULL, 0);
	reply_raw(ep, src, dst, sport, vtag, &b);
out:
	wire_buf_free(&b);
}

int sce_input(struct sce_endpoint *ep, uint64_t now, const struct sockaddr *src,
	      const struct sockaddr *dst, const uint8_t *pkt, size_t len)
{
	struct rxc ch[MAX_CHUNKS];
	size_t n = 0, off = COMMON_HDR;
	uint16_t sport, dport;
	uint32_t vtag, crc;
	struct sce_assoc *a;
	size_t first = 0;

	ep->st.in_packets++;
	if (!src || !dst || len < COMMON_HDR + 4 ||
	    (src->sa_family != AF_INET && src->sa_family != AF_INET6)) {
		ep->st.bad_format++;
		return -1;
	}
	crc = (uint32_t)pkt[8] | (uint32_t)pkt[9] << 8 | (uint32_t)pkt[10] << 16 |
	      (uint32_t)pkt[11] << 24;
	if (crc != wire_sctp_checksum(pkt, len)) {
		ep->st.bad_crc++; /* §6.8: silently discard */
		return -1;
	}
	sport = sce_get16(pkt);
	dport = sce_get16(pkt + 2);
	vtag = sce_get32(pkt + 4);
	if (dport != ep->cfg.port || sport == 0) {
		ep->st.ootb++;
		return -1;
	}
	while (off + 4 <= len) {
		uint16_t cl = sce_get16(pkt + off + 2);
		if (cl < 4 || off + cl > len || n == MAX_CHUNKS) {
			ep->st.bad_format++;
			return -1;
		}
		ch[n].type = pkt[off];
		ch[n].flags = pkt[off + 1];
		ch[n].len = cl;
		ch[n].p = pkt + off;
		n++;
		off += PAD4(cl);
	}
	if (n == 0) {
		ep->st.bad_format++;
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (ch[i].type != WIRE_CT_INIT)
			continue;
		/* §8.5.1 A, §5.1: INIT alone, tag 0 */
		if (n != 1 || vtag != 0) {
			ep->st.bad_vtag++;
			return -1;
		}
		handle_init(ep, now, src, dst, sport, ch[0].p, ch[0].len);
		return 0;
	}
	a = assoc_by_addr(ep, src, sport);
	if (!a && ch[0].type == WIRE_CT_INIT_ACK) {
		/* the INIT ACK may come from another address of the peer */
		TAILQ_FOREACH(a, &ep->assocs, link)
			if (a->state == SCE_COOKIE_WAIT && a->ltag == vtag && a->pport == sport)
				break;
	}
	if (ch[0].type == WIRE_CT_COOKIE_ECHO) {
		a = handle_cookie_echo(ep, now, src, dst, sport, dport, vtag, ch[0].p, ch[0].len);
		if (!a)
			return -1;
		first = 1;
	}
	if (!a) {
		ootb(ep, src, dst, sport, vtag, ch, n);
		return -1;
	}
	assoc_input(a, now, src, dst, vtag, ch, n, first);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Timers                                                              */
/* ------------------------------------------------------------------ */

static void t1_expired(struct sce_assoc *a, uint64_t now)
{
	const struct sce_config *cfg = &a->ep->cfg;
	struct wire_buf b;

	a->t1 = 0;
	if (++a->init_count > cfg->max_init_retrans) {
		sce_assoc_close(a, SCE_EV_CANT_START, 0);
		return;
	}
	/* §6.3.3 E2 applies to T1 too (§5.1.6), across all peer addresses */
	a->t1_rto = a->t1_rto * 2 > cfg->rto_max ? cfg->rto_max : a->t1_rto * 2;
	if (a->npaths)
		a->t1_path = (a->t1_path + 1) % (int)a->npaths;
	if (a->state == SCE_COOKIE_WAIT) {
		send_init(a, a->t1_path);
	} else {
		wire_buf_init(&b);
		wire_craft_cookie_echo(&b, a->cookie.p, a->cookie.len);
		sce_out_path(a, a->t1_path, b.p, b.len);
		wire_buf_free(&b);
		a->echo_sent = 0; /* Karn: no RTT from a retransmitted COOKIE ECHO */
	}
	a->t1 = now + a->t1_rto;
}

static void t2_expired(struct sce_assoc *a, uint64_t now)
{
	const struct sce_config *cfg = &a->ep->cfg;
	int path = sce_data_path(a);
	struct sce_path *p = &a->paths[path];

	a->t2 = 0;
	a->t2_count++;
	p->rto = p->rto * 2 > cfg->rto_max ? cfg->rto_max : p->rto * 2;
	sce_path_error(a, path, now);
	if (a->state == SCE_CLOSED)
		return;
	a->t2 = 1; /* mark "retransmission" for queue_shutdown's path choice */
	queue_shutdown(a);
	a->t2 = now + p->rto;
}

void sce_on_timer(struct sce_endpoint *ep, uint64_t now)
{
	struct sce_assoc *a;

	TAILQ_FOREACH(a, &ep->assocs, link) {
		if (a->state == SCE_CLOSED)
			continue;
		if (a->t1 && a->t1 <= now)
			t1_expired(a, now);
		if (a->state != SCE_CLOSED && a->t2 && a->t2 <= now)
			t2_expired(a, now);
		for (size_t i = 0; i < a->npaths && a->state != SCE_CLOSED; i++)
			if (a->paths[i].t3 && a->paths[i].t3 <= now)
				sce_t3_expired(a, (int)i, now);
		for (size_t i = 0; i < a->npaths && a->state != SCE_CLOSED; i++)
			if (a->paths[i].hb_due && a->paths[i].hb_due <= now &&
			    a->state >= SCE_ESTABLISHED)
				sce_hb_timer(a, (int)i, now);
		if (a->state == SCE_CLOSED)
			continue;
		if (a->sack_due && a->sack_due <= now)
			a->sack_now = true;
		sce_flush(a, now);
	}
}

uint64_t sce_next_deadline(const struct sce_endpoint *ep)
{
	const struct sce_assoc *a;
	uint64_t d = SCE_NEVER;

#define MIN_T(t) do { if ((t) && (t) < d) d = (t); } while (0)
	TAILQ_FOREACH(a, &ep->assocs, link) {
		if (a->state == SCE_CLOSED)
			continue;
		MIN_T(a->t1);
		MIN_T(a->t2);
		MIN_T(a->sack_due);
		for (size_t i = 0; i < a->npaths; i++) {
			MIN_T(a->paths[i].t3);
			MIN_T(a->paths[i].hb_due);
		}
	}
#undef MIN_T
	return d;
}

/* ------------------------------------------------------------------ */
/* User requests                                                       */
/* ------------------------------------------------------------------ */

int64_t sce_connect(struct sce_endpoint *ep, const struct sockaddr *const *peers, size_t n,
		    uint16_t peer_port, uint64_t now)
{
	struct sce_assoc *a;

	if (!n || n > SCE_MAX_PATHS || !peer_port)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (!peers[i] || (peers[i]->sa_family != AF_INET && peers[i]->sa_family != AF_INET6) ||
		    !addr_unicast(peers[i]))
			return -EINVAL;
		if (assoc_by_addr(ep, peers[i], peer_port))
			return -EEXIST;
	}
	a = assoc_new(ep, peer_port);
	if (!a)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		sce_path_add(a, peers[i], false);
	a->ltag = sce_rand_tag(ep);
	a->itsn = a->next_tsn = sce_rand32(ep);
	a->cum_ack = a->itsn - 1;
	if (build_init(a) < 0) {
		TAILQ_REMOVE(&ep->assocs, a, link);
		assoc_free(a);
		return -ENOMEM;
	}
	a->state = SCE_COOKIE_WAIT;
	a->t1_rto = ep->cfg.rto_initial;
	a->t1_path = 0;
	a->t1 = now + a->t1_rto;
	send_init(a, 0);
	return a->id;
}

int sce_send(struct sce_endpoint *ep, uint32_t assoc_id, const struct sce_sendinfo *si,
	     const void *data, size_t len, uint64_t now)
{
	struct sce_assoc *a = assoc_by_id(ep, assoc_id);
	int r;

	if (!a)
		return -ENOENT;
	if (!si || (!data && len))
		return -EINVAL;
	if (a->state != SCE_ESTABLISHED)
		return -ENOTCONN; /* §9.2: no new data once shutdown began */
	r = sce_queue_msg(a, si, data, len, now);
	if (r == 0)
		sce_flush(a, now);
	return r;
}

ssize_t sce_recv(struct sce_endpoint *ep, uint32_t assoc_id, struct sce_rcvinfo *ri, void *buf,
		 size_t cap, uint64_t now)
{
	struct sce_assoc *a = assoc_by_id(ep, assoc_id);
	struct sce_msg *m;
	size_t len;
	uint32_t w;

	if (!a)
		return -ENOENT;
	m = TAILQ_FIRST(&a->readq);
	if (!m)
		return -EAGAIN;
	TAILQ_REMOVE(&a->readq, m, link);
	a->read_bytes -= m->len;
	if (ri)
		*ri = m->ri;
	if (buf)
		memcpy(buf, m->data, m->len < cap ? m->len : cap);
	len = m->len;
	free(m);
	/* §6.2: window update once it opened by a quarter of the buffer */
	w = sce_rwnd(a);
	if (a->state >= SCE_ESTABLISHED && a->state != SCE_CLOSED &&
	    w >= a->last_adv_rwnd + ep->cfg.a_rwnd / 4) {
		a->sack_now = true;
		sce_flush(a, now);
	}
	return (ssize_t)len;
}

int sce_shutdown(struct sce_endpoint *ep, uint32_t assoc_id, uint64_t now)
{
	struct sce_assoc *a = assoc_by_id(ep, assoc_id);

	if (!a)
		return -ENOENT;
	if (a->state == SCE_COOKIE_WAIT || a->state == SCE_COOKIE_ECHOED) {
		sce_assoc_close(a, SCE_EV_CANT_START, 0);
		return 0;
	}
	if (a->state != SCE_ESTABLISHED)
		return -ENOTCONN;
	a->state = SCE_SHUTDOWN_PENDING;
	sce_check_shutdown(a, now);
	sce_flush(a, now);
	return 0;
}

int sce_abort(struct sce_endpoint *ep, uint32_t assoc_id, const char *reason, uint64_t now)
{
	struct sce_assoc *a = assoc_by_id(ep, assoc_id);

	(void)now;
	if (!a)
		return -ENOENT;
	if (a->state == SCE_CLOSED)
		return -ENOTCONN;
	sce_send_abort(a, WIRE_EC_USER_ABORT, reason, reason ? strlen(reason) : 0);
	sce_assoc_close(a, SCE_EV_COMM_LOST, WIRE_EC_USER_ABORT);
	return 0;
}

int sce_release(struct sce_endpoint *ep, uint32_t assoc_id)
{
	struct sce_assoc *a = assoc_by_id(ep, assoc_id);

	if (!a)
		return -ENOENT;
	if (a->state != SCE_CLOSED)
		return -EBUSY;
	TAILQ_REMOVE(&ep->assocs, a, link);
	assoc_free(a);
	return 0;
}

int sce_set_primary(struct sce_endpoint *ep, uint32_t assoc_id, const struct sockaddr *peer)
{
	struct sce_assoc *a = assoc_by_id(ep, assoc_id);
	int i;

	if (!a)
		return -ENOENT;
	i = sce_path_find(a, peer);
	if (i < 0)
		return -EINVAL;
	a->primary = i;
	sce_event_addr(a, i, SCE_ADDR_MADE_PRIM);
	return 0;
}

size_t sce_assoc_ids(const struct sce_endpoint *ep, uint32_t *ids, size_t cap)
{
	const struct sce_assoc *a;
	size_t n = 0;

	TAILQ_FOREACH(a, &ep->assocs, link) {
		if (n < cap)
			ids[n] = a->id;
		n++;
	}
	return n;
}

int sce_status(const struct sce_endpoint *ep, uint32_t assoc_id, struct sce_status *st)
{
	const struct sce_assoc *a = assoc_by_id(ep, assoc_id);
	const struct sce_chunk *c;

	if (!a)
		return -ENOENT;
	memset(st, 0, sizeof(*st));
	st->state = a->state;
	st->local_vtag = a->ltag;
	st->peer_vtag = a->ptag;
	st->port = ep->cfg.port;
	st->peer_port = a->pport;
	st->os = a->os;
	st->is = a->is;
	st->next_tsn = a->next_tsn;
	st->cum_ack = a->cum_ack;
	TAILQ_FOREACH(c, &a->sent, link)
		st->outstanding++;
	st->peer_rwnd = a->peer_rwnd;
	st->peer_cum_tsn = a->cum_tsn;
	st->gaps = (uint32_t)a->nrtsn;
	st->rwnd = sce_rwnd(a);
	st->queued = (uint32_t)a->queued_bytes;
	st->assoc_errors = a->assoc_errors;
	st->rtx_t3 = a->rtx_t3;
	st->rtx_fast = a->rtx_fast;
	st->data_sent = a->data_sent;
	st->data_recv = a->data_recv;
	st->dups_recv = a->dups_recv;
	st->abandoned = a->abandoned;
	st->fwd_tsn_sent = a->fwd_tsn_sent;
	st->streams_reset = a->streams_reset;
	st->npaths = a->npaths;
	for (size_t i = 0; i < a->npaths; i++) {
		const struct sce_path *p = &a->paths[i];
		struct sce_path_status *ps = &st->paths[i];
		ps->addr = p->addr;
		ps->active = p->active;
		ps->confirmed = p->confirmed;
		ps->primary = (int)i == a->primary;
		ps->cwnd = p->cwnd;
		ps->ssthresh = p->ssthresh;
		ps->flight = p->flight;
		ps->pba = p->pba;
		ps->srtt = p->srtt;
		ps->rttvar = p->rttvar;
		ps->rto = p->rto;
		ps->errors = p->errors;
		ps->pmtu = p->pmtu;
	}
	return 0;
}
