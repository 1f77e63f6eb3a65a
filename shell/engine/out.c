/*
 * out.c -- packet assembly: control chunks first, then SACK, then DATA
 * (RFC 9260 §6.10: control chunks precede DATA in a bundle), one packet
 * per destination, never above the path's PMTU.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include "engine_int.h"

static void set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
}

static size_t sa_len(const struct sockaddr *sa)
{
	return sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
					 : sizeof(struct sockaddr_in);
}

void sce_out_raw(struct sce_endpoint *ep, uint32_t assoc_id, const struct sockaddr *src,
		 const struct sockaddr *dst, uint16_t sport, uint16_t dport,
		 uint32_t vtag, const uint8_t *chunks, size_t clen)
{
	struct wire_buf b;
	struct sce_packet *p;

	wire_buf_init(&b);
	if (wire_craft_packet(&b, sport, dport, vtag, chunks, clen) < 0) {
		wire_buf_free(&b);
		return;
	}
	p = calloc(1, sizeof(*p) + b.len);
	if (!p) {
		wire_buf_free(&b);
		return;
	}
	if (src)
		memcpy(&p->src, src, sa_len(src));
	memcpy(&p->dst, dst, sa_len(dst));
	set_port(&p->src, sport);
	set_port(&p->dst, dport);
	p->assoc_id = assoc_id;
	p->len = b.len;
	memcpy(p->data, b.p, b.len);
	wire_buf_free(&b);
	*ep->out_tail = p;
	ep->out_tail = &p->next;
	ep->st.out_packets++;
}

void sce_out_path(struct sce_assoc *a, int path, const uint8_t *chunks, size_t clen)
{
	struct sce_path *p = &a->paths[path];
	struct sce_endpoint *ep = a->ep;

	sce_out_raw(ep, a->id, (const struct sockaddr *)&ep->cfg.laddrs[p->lidx],
		    (const struct sockaddr *)&p->addr, ep->cfg.port, a->pport, a->ptag,
		    chunks, clen);
}

static void ctl_queue(struct sce_assoc *a, int path, const uint8_t *chunk, size_t len, bool late)
{
	struct sce_ctl *c = malloc(sizeof(*c) + len);

	if (!c)
		return;
	c->path = path;
	c->after_sack = late;
	c->len = len;
	memcpy(c->data, chunk, len);
	TAILQ_INSERT_TAIL(&a->ctl, c, link);
}

void sce_ctl_queue(struct sce_assoc *a, int path, const uint8_t *chunk, size_t len)
{
	ctl_queue(a, path, chunk, len, false);
}

void sce_ctl_queue_late(struct sce_assoc *a, int path, const uint8_t *chunk, size_t len)
{
	ctl_queue(a, path, chunk, len, true);
}


/* The packet being filled. */
struct pasm {
	struct sce_assoc *a;
	int path;
	struct wire_buf ch;
	bool has_data;
};

static void pasm_flush(struct pasm *pa)
{
	if (pa->path >= 0 && pa->ch.len)
		sce_out_path(pa->a, pa->path, pa->ch.p, pa->ch.len);
	wire_buf_reset(&pa->ch);
	pa->has_data = false;
}

static size_t pasm_room(const struct pasm *pa, int path)
{
	return pa->a->paths[path].pmtu - COMMON_HDR - (pa->path == path ? pa->ch.len : 0);
}

/* make room for need bytes in a packet to path */
static void pasm_want(struct pasm *pa, int path, size_t need)
{
	if (pa->path != path || pasm_room(pa, path) < need) {
		pasm_flush(pa);
		pa->path = path;
	}
}

static void emit_ctl(struct sce_assoc *a, struct pasm *pa, bool late)
{
	struct sce_ctl *ctl, *tmp;

	TAILQ_FOREACH_SAFE(ctl, &a->ctl, link, tmp) {
		if (ctl->after_sack != late)
			continue;
		TAILQ_REMOVE(&a->ctl, ctl, link);
		if (ctl->path >= 0 && (size_t)ctl->path < a->npaths) {
			pasm_want(pa, ctl->path, ctl->len);
			wire_buf_put(&pa->ch, ctl->data, ctl->len);
		}
		free(ctl);
	}
}

static void emit_sack(struct sce_assoc *a, struct pasm *pa)
{
	int path = a->last_rx_path >= 0 ? a->last_rx_path : a->primary;
	struct wire_buf s;

	wire_buf_init(&s);
	sce_build_sack(a, &s, a->paths[path].pmtu - COMMON_HDR);
	if (!s.err) {
		pasm_want(pa, path, s.len);
		wire_buf_put(&pa->ch, s.p, s.len);
	}
	wire_buf_free(&s);
	a->sack_now = false;
	a->sack_due = 0;
	a->pkts_unacked = 0;
	a->ndups = 0;
	a->last_adv_rwnd = sce_rwnd(a);
}

static void put_data(struct sce_assoc *a, struct pasm *pa, struct sce_chunk *c, int path,
		     uint64_t now)
{
	struct sce_path *p = &a->paths[path];
	uint32_t sz = DATA_HDR + PAD4((uint32_t)c->len);

	pasm_want(pa, path, sz);
	wire_craft_data(&pa->ch, c->flags, c->tsn, c->sid, c->ssn, c->ppid, c->data, c->len);
	pa->has_data = true;
	if (c->nsent > 0) {
		/* Karn (§6.3.1 C5): no sample from a retransmitted chunk or,
		 * for simplicity, from any chunk in flight on that path */
		a->paths[c->path].rtt_pending = false;
		p->rtt_pending = false;
	} else if (!p->rtt_pending) {
		p->rtt_pending = true;
		p->rtt_tsn = c->tsn;
	}
	c->path = path;
	c->sent_at = now;
	c->nsent++;
	c->rtx = false;
	c->fast_now = false;
	c->in_flight = true;
	c->miss = 0;
	p->flight += sz;
	a->flight_payload += (uint32_t)c->len;
	a->peer_rwnd = a->peer_rwnd > c->len ? a->peer_rwnd - (uint32_t)c->len : 0;
	p->last_data_tx = now;
	a->data_sent++;
	if (!p->t3)
		p->t3 = now + p->rto; /* §6.3.2 R1 */
}

static bool data_allowed(const struct sce_assoc *a)
{
	return a->state == SCE_ESTABLISHED || a->state == SCE_SHUTDOWN_PENDING ||
	       a->state == SCE_SHUTDOWN_RECEIVED;
}

void sce_flush(struct sce_assoc *a, uint64_t now)
{
	struct pasm pa = { .a = a, .path = -1 };
	struct sce_chunk *c, *tmp;
	bool sending_new;
	int path;

	if (a->state == SCE_CLOSED)
		return;
	wire_buf_init(&pa.ch);
	/* 1. control chunks, in the order queued */
	emit_ctl(a, &pa, false);
	if (a->state == SCE_COOKIE_WAIT || a->state == SCE_COOKIE_ECHOED) {
		pasm_flush(&pa);
		wire_buf_free(&pa.ch);
		return;
	}
	/* 2. SACK, if due now, or bundled with data (§6.2) */
	path = sce_data_path(a);
	sending_new = data_allowed(a) && !TAILQ_EMPTY(&a->unsent) &&
		      a->paths[path].flight < a->paths[path].cwnd;
	if (a->sack_now || (a->sack_due && sending_new &&
			    (a->last_rx_path < 0 || a->last_rx_path == path)))
		emit_sack(a, &pa);
	emit_ctl(a, &pa, true);
	/* 3. fast retransmit: one packet, regardless of cwnd (§7.2.4) */
	{
		int fpath = -1;
		TAILQ_FOREACH(c, &a->sent, link) {
			if (!c->fast_now)
				continue;
			if (fpath < 0) {
				fpath = a->paths[c->path].active ? c->path
								 : sce_rtx_path(a, c->path);
				pasm_want(&pa, fpath, a->paths[fpath].pmtu);
			}
			if (pasm_room(&pa, fpath) < DATA_HDR + PAD4(c->len))
				break;
			put_data(a, &pa, c, fpath, now);
			a->rtx_fast++;
		}
		TAILQ_FOREACH(c, &a->sent, link)
			c->fast_now = false;
	}
	/* 4. retransmissions marked by T3 / fast rtx, cwnd permitting */
	TAILQ_FOREACH(c, &a->sent, link) {
		int rp;
		if (!c->rtx || c->acked)
			continue;
		rp = sce_rtx_path(a, c->path);
		if (a->paths[rp].flight >= a->paths[rp].cwnd)
			break;
		put_data(a, &pa, c, rp, now);
		a->rtx_t3++;
	}
	/* 5. new data: cwnd (§6.1 B, §7.2.1) and peer rwnd (§6.1 A) */
	if (data_allowed(a)) {
		struct sce_path *p = &a->paths[path];
		TAILQ_FOREACH_SAFE(c, &a->unsent, link, tmp) {
			if (c->expires && now >= c->expires && (c->flags & WIRE_DATA_FLAG_B)) {
				/* PR-SCTP TTL over before first transmission: drop the
				 * whole message (its fragments follow contiguously) */
				uint16_t sid = c->sid;
				size_t total = 0;
				struct sce_chunk *n;
				do {
					n = TAILQ_NEXT(c, link);
					TAILQ_REMOVE(&a->unsent, c, link);
					total += c->len;
					a->queued_bytes -= c->len;
					bool end = c->flags & WIRE_DATA_FLAG_E;
					free(c);
					c = n;
					if (end)
						break;
				} while (c);
				{
					struct sce_event *ev = sce_event(a, SCE_EV_SEND_FAILED, 0);
					if (ev) {
						ev->sid = sid;
						ev->len = total;
					}
				}
				tmp = c;
				continue;
			}
			if (p->flight >= p->cwnd)
				break;
			if (c->len > a->peer_rwnd && a->flight_payload > 0)
				break; /* zero window probe only with nothing in flight */
			TAILQ_REMOVE(&a->unsent, c, link);
			a->queued_bytes -= c->len;
			c->tsn = a->next_tsn++;
			TAILQ_INSERT_TAIL(&a->sent, c, link);
			/* bundle a pending SACK into the first data packet */
			if (a->sack_due && pa.path < 0 && a->last_rx_path == path)
				emit_sack(a, &pa);
			put_data(a, &pa, c, path, now);
		}
	}
	pasm_flush(&pa);
	wire_buf_free(&pa.ch);
}
