/*
 * data.c -- user data: fragmentation and TSN assignment (§6.9, §6.1),
 * receipt, duplicate detection, reassembly and ordered / unordered
 * delivery (§6.5, §6.6, §6.9), SACK generation with gap blocks and
 * duplicate TSNs (§6.2, §3.3.4), SACK processing (§6.2.1), T3-rtx (§6.3.2,
 * §6.3.3), fast retransmit (§7.2.4) and congestion control (§7.2).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "engine_int.h"

static uint32_t chunk_size(const struct sce_chunk *c)
{
	return DATA_HDR + PAD4((uint32_t)c->len);
}

int sce_data_init(struct sce_assoc *a)
{
	free(a->ssn_out);
	free(a->ssn_in);
	a->ssn_out = calloc(a->os ? a->os : 1, sizeof(uint16_t));
	a->ssn_in = calloc(a->is ? a->is : 1, sizeof(uint16_t));
	return a->ssn_out && a->ssn_in ? 0 : -1;
}

void sce_rcv_reset(struct sce_assoc *a, uint32_t peer_itsn)
{
	struct sce_rchunk *r;
	struct sce_msg *m;

	a->peer_itsn = peer_itsn;
	a->cum_tsn = peer_itsn - 1; /* §5.1: initial TSN minus one */
	a->highest_tsn = a->cum_tsn;
	a->nrtsn = 0;
	a->ndups = 0;
	a->data_seen = false;
	while ((r = TAILQ_FIRST(&a->reasm))) {
		TAILQ_REMOVE(&a->reasm, r, link);
		free(r);
	}
	while ((m = TAILQ_FIRST(&a->opend))) {
		TAILQ_REMOVE(&a->opend, m, link);
		free(m);
	}
	while ((m = TAILQ_FIRST(&a->deferq))) {
		TAILQ_REMOVE(&a->deferq, m, link);
		free(m);
	}
	a->reasm_bytes = a->opend_bytes = 0;
	/* RFC 6525 §5.1.1: request sequence numbers start at the initial TSN */
	a->reconf_in_seq = peer_itsn;
	a->reconf_last_result = 0;
	a->reset.pending = false;
}

void sce_data_free(struct sce_assoc *a)
{
	struct sce_chunk *c;
	struct sce_msg *m;

	while ((c = TAILQ_FIRST(&a->unsent))) {
		TAILQ_REMOVE(&a->unsent, c, link);
		free(c);
	}
	while ((c = TAILQ_FIRST(&a->sent))) {
		TAILQ_REMOVE(&a->sent, c, link);
		free(c);
	}
	a->queued_bytes = 0;
	a->flight_payload = 0;
	sce_rcv_reset(a, a->peer_itsn);
	while ((m = TAILQ_FIRST(&a->readq))) {
		TAILQ_REMOVE(&a->readq, m, link);
		free(m);
	}
	a->read_bytes = 0;
	free(a->rtsn);
	a->rtsn = NULL;
	a->caprtsn = 0;
}

bool sce_all_acked(const struct sce_assoc *a)
{
	return TAILQ_EMPTY(&a->unsent) && TAILQ_EMPTY(&a->sent);
}

uint32_t sce_rwnd(const struct sce_assoc *a)
{
	size_t held = a->reasm_bytes + a->opend_bytes + a->read_bytes;
	uint32_t w = a->ep->cfg.a_rwnd;

	return held >= w ? 0 : w - (uint32_t)held;
}

/* ------------------------------------------------------------------ */
/* Sending                                                             */
/* ------------------------------------------------------------------ */

int sce_queue_msg(struct sce_assoc *a, const struct sce_sendinfo *si, const void *data,
		  size_t len, uint64_t now)
{
	const struct sce_config *cfg = &a->ep->cfg;
	uint32_t frag = UINT32_MAX;
	size_t off = 0;
	uint16_t ssn;
	struct sce_chunkq tmp;

	if (si->sid >= a->os || len == 0)
		return -EINVAL; /* §6.2: no DATA chunk without user data */
	if (len > cfg->sndbuf)
		return -EMSGSIZE;
	if (a->queued_bytes + len > cfg->sndbuf)
		return -EAGAIN;
	/* §6.9: fragment to the smallest PMTU, so a retransmission fits any path */
	for (size_t i = 0; i < a->npaths; i++)
		if (sce_pmdcs(&a->paths[i]) < frag)
			frag = sce_pmdcs(&a->paths[i]);
	frag &= ~3u;
	ssn = si->unordered ? 0 : a->ssn_out[si->sid];
	TAILQ_INIT(&tmp);
	while (off < len) {
		size_t n = len - off > frag ? frag : len - off;
		struct sce_chunk *c = calloc(1, sizeof(*c) + n);
		if (!c) {
			while ((c = TAILQ_FIRST(&tmp))) {
				TAILQ_REMOVE(&tmp, c, link);
				free(c);
			}
			return -ENOMEM;
		}
		c->sid = si->sid;
		c->ssn = ssn;
		c->ppid = si->ppid;
		c->flags = (uint8_t)((off == 0 ? WIRE_DATA_FLAG_B : 0) |
				     (off + n == len ? WIRE_DATA_FLAG_E : 0) |
				     (si->unordered ? WIRE_DATA_FLAG_U : 0));
		c->expires = si->ttl_ms ? now + si->ttl_ms : 0;
		c->path = -1;
		c->len = n;
		memcpy(c->data, (const uint8_t *)data + off, n);
		TAILQ_INSERT_TAIL(&tmp, c, link);
		off += n;
	}
	TAILQ_CONCAT(&a->unsent, &tmp, link);
	a->queued_bytes += len;
	if (!si->unordered)
		a->ssn_out[si->sid]++;
	return 0;
}

/* ------------------------------------------------------------------ */
/* PR-SCTP sender side, RFC 3758 §3.5                                  */
/* ------------------------------------------------------------------ */

static void abandon(struct sce_assoc *a, struct sce_chunk *c)
{
	if (c->in_flight) {
		c->in_flight = false;
		a->paths[c->path].flight -= chunk_size(c);
		a->flight_payload -= (uint32_t)c->len;
	}
	c->abandoned = true;
	c->rtx = c->fast_now = false;
	a->abandoned++;
	if (c->flags & WIRE_DATA_FLAG_B) {
		struct sce_event *ev = sce_event(a, SCE_EV_SEND_FAILED, 0);
		if (ev) {
			ev->sid = c->sid;
			ev->len = c->len;
		}
	}
}

/* A2, A3: abandon messages whose lifetime ended, every fragment of them */
static void prsctp_abandon_expired(struct sce_assoc *a, uint64_t now)
{
	struct sce_chunk *c;

	if (!a->peer_prsctp)
		return;
	TAILQ_FOREACH(c, &a->sent, link)
		if (!c->abandoned && !c->acked && c->expires && now >= c->expires)
			abandon(a, c);
	/* the unsent rest of a message whose first part was sent */
	while ((c = TAILQ_FIRST(&a->unsent)) && !(c->flags & WIRE_DATA_FLAG_B) &&
	       c->expires && now >= c->expires) {
		TAILQ_REMOVE(&a->unsent, c, link);
		a->queued_bytes -= c->len;
		free(c);
	}
}

/* C1-C5: move the Advanced.Peer.Ack.Point over abandoned chunks, tell the
 * peer with FORWARD TSN (to a confirmed path), keep a T3 running. */
static void prsctp_advance(struct sce_assoc *a, uint64_t now)
{
	struct wire_sid_ssn ss[64];
	size_t ns = 0;
	uint32_t adv = a->cum_ack;
	struct sce_chunk *c;
	struct wire_buf b;
	int path;
	bool t3 = false;

	if (!a->peer_prsctp)
		return;
	TAILQ_FOREACH(c, &a->sent, link) {
		if (TSN_LE(c->tsn, adv))
			continue;
		if (c->tsn != adv + 1 || !c->abandoned)
			break;
		if (!(c->flags & WIRE_DATA_FLAG_U)) {
			/* C4: each stream once, with its highest abandoned SSN */
			size_t i;
			for (i = 0; i < ns && ss[i].sid != c->sid; i++)
				;
			if (i == ns) {
				if (ns == sizeof ss / sizeof ss[0])
					break; /* C4: lower the point to what fits */
				ss[ns++].sid = c->sid;
				ss[i].ssn = c->ssn;
			} else if (SSN_LT(ss[i].ssn, c->ssn)) {
				ss[i].ssn = c->ssn;
			}
		}
		adv = c->tsn;
	}
	if (!TSN_GT(adv, a->cum_ack))
		return;
	path = sce_data_path(a);
	wire_buf_init(&b);
	wire_craft_forward_tsn(&b, adv, ss, ns);
	if (!b.err) {
		sce_ctl_queue(a, path, b.p, b.len);
		a->fwd_tsn_sent++;
	}
	wire_buf_free(&b);
	for (size_t i = 0; i < a->npaths; i++)
		t3 |= a->paths[i].t3 != 0;
	if (!t3)
		a->paths[path].t3 = now + a->paths[path].rto; /* C5 */
}

/* Restart T3 for every path with unacknowledged data, stop it elsewhere. */
static void t3_update(struct sce_assoc *a, const bool *restart, uint64_t now)
{
	bool outstanding[SCE_MAX_PATHS] = { false };
	struct sce_chunk *c;

	TAILQ_FOREACH(c, &a->sent, link)
		if (!c->acked && c->path >= 0)
			outstanding[c->path] = true;
	for (size_t i = 0; i < a->npaths; i++) {
		struct sce_path *p = &a->paths[i];
		if (!outstanding[i]) {
			p->t3 = 0; /* §6.3.2 R2 */
			if (!p->flight)
				p->pba = 0; /* §7.2.2: all acknowledged */
		} else if (restart[i] || !p->t3) {
			p->t3 = now + p->rto; /* §6.3.2 R3 */
		}
	}
}

void sce_t3_expired(struct sce_assoc *a, int path, uint64_t now)
{
	const struct sce_config *cfg = &a->ep->cfg;
	struct sce_path *p = &a->paths[path];
	uint32_t m = sce_pmdcs(p);
	struct sce_chunk *c;

	p->t3 = 0;
	/* §6.3.3 E1, §7.2.3: ssthresh = max(cwnd/2, 4*PMDCS), cwnd = PMDCS */
	p->ssthresh = p->cwnd / 2 > 4 * m ? p->cwnd / 2 : 4 * m;
	p->cwnd = m;
	p->pba = 0;
	/* E2: back off the timer */
	p->rto = p->rto * 2 > cfg->rto_max ? cfg->rto_max : p->rto * 2;
	prsctp_abandon_expired(a, now); /* RFC 3758 §3.5 A5 */
	/* E3: everything outstanding on the path is to be retransmitted */
	TAILQ_FOREACH(c, &a->sent, link) {
		if (c->path != path || c->acked || c->abandoned)
			continue;
		if (c->in_flight) {
			c->in_flight = false;
			p->flight -= chunk_size(c);
			a->flight_payload -= (uint32_t)c->len;
			a->peer_rwnd += (uint32_t)c->len; /* §6.2.1 */
		}
		c->rtx = true;
	}
	p->rtt_pending = false;
	sce_path_error(a, path, now); /* §8.1, §8.2 */
	if (a->state == SCE_CLOSED)
		return;
	prsctp_advance(a, now);
	/* the packet goes out with this flush; T3 starts there (R1) */
}

/* ------------------------------------------------------------------ */
/* SACK processing, §6.2.1                                             */
/* ------------------------------------------------------------------ */

static void sack_process(struct sce_assoc *a, uint64_t now, uint32_t cum, uint32_t arwnd,
			 const uint8_t *gaps, unsigned ngaps)
{
	uint32_t acked[SCE_MAX_PATHS] = { 0 };
	uint32_t flight_before[SCE_MAX_PATHS];
	bool restart[SCE_MAX_PATHS] = { false };
	bool fast_mark[SCE_MAX_PATHS] = { false };
	bool new_cum = TSN_GT(cum, a->cum_ack);
	bool any_new_fast = false;
	uint32_t htna = cum;
	bool have_htna = false;
	uint32_t highest_gap = cum;
	struct sce_chunk *c, *tmp;

	if (TSN_LT(cum, a->cum_ack))
		return; /* out-of-order SACK */
	if (TSN_GE(cum, a->next_tsn))
		return; /* acks what was never sent: ignore */
	for (size_t i = 0; i < a->npaths; i++)
		flight_before[i] = a->paths[i].flight;
	TAILQ_FOREACH_SAFE(c, &a->sent, link, tmp) {
		bool in_gap = false;
		if (TSN_LE(c->tsn, cum)) {
			if (!c->acked && !c->abandoned) { /* A2: no credit for abandoned */
				acked[c->path] += chunk_size(c);
				htna = c->tsn;
				have_htna = true;
				sce_path_ok(a, c->path);
			}
			restart[c->path] = true;
			if (c->in_flight) {
				a->paths[c->path].flight -= chunk_size(c);
				a->flight_payload -= (uint32_t)c->len;
			}
			if (c->nsent == 1 && a->paths[c->path].rtt_pending &&
			    a->paths[c->path].rtt_tsn == c->tsn) {
				a->paths[c->path].rtt_pending = false;
				sce_rtt_sample(a, &a->paths[c->path], (uint32_t)(now - c->sent_at));
			}
			TAILQ_REMOVE(&a->sent, c, link);
			free(c);
			continue;
		}
		for (unsigned g = 0; g < ngaps; g++) {
			uint32_t s = cum + sce_get16(gaps + 4 * g);
			uint32_t e = cum + sce_get16(gaps + 4 * g + 2);
			if (TSN_GE(c->tsn, s) && TSN_LE(c->tsn, e)) {
				in_gap = true;
				break;
			}
		}
		if (in_gap) {
			highest_gap = c->tsn;
			if (!c->acked && !c->abandoned) {
				c->acked = true;
				acked[c->path] += chunk_size(c);
				htna = c->tsn;
				have_htna = true;
				sce_path_ok(a, c->path);
				if (c->in_flight) {
					c->in_flight = false;
					a->paths[c->path].flight -= chunk_size(c);
					a->flight_payload -= (uint32_t)c->len;
				}
				c->rtx = false;
				if (c->nsent == 1 && a->paths[c->path].rtt_pending &&
				    a->paths[c->path].rtt_tsn == c->tsn) {
					a->paths[c->path].rtt_pending = false;
					sce_rtt_sample(a, &a->paths[c->path],
						       (uint32_t)(now - c->sent_at));
				}
			}
		} else if (c->acked && !c->abandoned) {
			/* reneged (§6.2.1): back to unacknowledged; T3 covers it */
			c->acked = false;
			c->miss++;
		}
	}
	a->cum_ack = cum;
	/* miss indications, HTNA (§7.2.4) */
	TAILQ_FOREACH(c, &a->sent, link) {
		bool missing;
		if (c->acked || c->fast_done || c->nsent == 0 || c->abandoned)
			continue;
		if (a->fast_recovery && new_cum)
			missing = TSN_LT(c->tsn, highest_gap);
		else
			missing = have_htna && TSN_LT(c->tsn, htna);
		if (!missing)
			continue;
		if (++c->miss < 3)
			continue;
		c->fast_done = true;
		c->rtx = true;
		if (c->in_flight) {
			c->in_flight = false;
			a->paths[c->path].flight -= chunk_size(c);
			a->flight_payload -= (uint32_t)c->len;
		}
		fast_mark[c->path] = true;
		any_new_fast = true;
	}
	/* rwnd: a_rwnd minus what is still in flight (§6.2.1) */
	a->peer_rwnd = arwnd > a->flight_payload ? arwnd - a->flight_payload : 0;
	/* cwnd growth first (§7.2.4 note), §7.2.1 / §7.2.2 */
	for (size_t i = 0; i < a->npaths; i++) {
		struct sce_path *p = &a->paths[i];
		uint32_t m = sce_pmdcs(p);
		if (!acked[i])
			continue;
		if (p->cwnd <= p->ssthresh) {
			if (new_cum && flight_before[i] >= p->cwnd && !a->fast_recovery)
				p->cwnd += acked[i] < m ? acked[i] : m;
		} else {
			p->pba += acked[i];
			if (p->pba >= p->cwnd && flight_before[i] >= p->cwnd) {
				p->pba -= p->cwnd;
				p->cwnd += m;
			} else if (p->pba > p->cwnd) {
				p->pba = p->cwnd;
			}
		}
	}
	if (a->fast_recovery && TSN_GE(cum, a->fr_exit))
		a->fast_recovery = false;
	if (any_new_fast) {
		if (!a->fast_recovery) {
			/* §7.2.3 on each path that lost data, one packet now */
			for (size_t i = 0; i < a->npaths; i++) {
				struct sce_path *p = &a->paths[i];
				uint32_t m = sce_pmdcs(p);
				if (!fast_mark[i])
					continue;
				p->ssthresh = p->cwnd / 2 > 4 * m ? p->cwnd / 2 : 4 * m;
				p->cwnd = p->ssthresh;
				p->pba = 0;
			}
			a->fast_recovery = true;
			a->fr_exit = a->next_tsn - 1;
			TAILQ_FOREACH(c, &a->sent, link)
				if (c->rtx && c->fast_done && c->nsent == 1)
					c->fast_now = true;
		}
		/* T3 restarts if the first outstanding chunk is retransmitted */
		c = TAILQ_FIRST(&a->sent);
		if (c && c->fast_now)
			restart[c->path] = true;
	}
	prsctp_abandon_expired(a, now);
	prsctp_advance(a, now);
	t3_update(a, restart, now);
}

void sce_handle_sack(struct sce_assoc *a, uint64_t now, const uint8_t *c, size_t len)
{
	unsigned ngaps, ndups;

	if (len < 16)
		return;
	ngaps = sce_get16(c + 12);
	ndups = sce_get16(c + 14);
	if (16 + 4 * (size_t)ngaps + 4 * (size_t)ndups > len)
		return; /* malformed */
	sack_process(a, now, sce_get32(c + 4), sce_get32(c + 8), c + 16, ngaps);
	sce_check_shutdown(a, now);
}

/* The Cumulative TSN Ack of a SHUTDOWN (§9.2): a SACK without gaps. */
void sce_handle_cum_ack(struct sce_assoc *a, uint64_t now, uint32_t cum)
{
	sack_process(a, now, cum, a->peer_rwnd + a->flight_payload, NULL, 0);
}

/* ------------------------------------------------------------------ */
/* Receiving                                                           */
/* ------------------------------------------------------------------ */

static bool tsn_seen(const struct sce_assoc *a, uint32_t tsn)
{
	size_t lo = 0, hi = a->nrtsn;

	if (TSN_LE(tsn, a->cum_tsn))
		return true;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (a->rtsn[mid] == tsn)
			return true;
		if (TSN_LT(a->rtsn[mid], tsn))
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static int tsn_record(struct sce_assoc *a, uint32_t tsn)
{
	size_t i;

	if (TSN_GT(tsn, a->highest_tsn))
		a->highest_tsn = tsn;
	if (tsn == a->cum_tsn + 1) {
		a->cum_tsn = tsn;
		i = 0;
		while (i < a->nrtsn && a->rtsn[i] == a->cum_tsn + 1)
			a->cum_tsn = a->rtsn[i++];
		if (i) {
			memmove(a->rtsn, a->rtsn + i, (a->nrtsn - i) * sizeof(uint32_t));
			a->nrtsn -= i;
		}
		return 0;
	}
	if (a->nrtsn == a->caprtsn) {
		size_t nc = a->caprtsn ? a->caprtsn * 2 : 64;
		uint32_t *n = realloc(a->rtsn, nc * sizeof(uint32_t));
		if (!n)
			return -1;
		a->rtsn = n;
		a->caprtsn = nc;
	}
	i = a->nrtsn;
	while (i > 0 && TSN_GT(a->rtsn[i - 1], tsn))
		i--;
	memmove(a->rtsn + i + 1, a->rtsn + i, (a->nrtsn - i) * sizeof(uint32_t));
	a->rtsn[i] = tsn;
	a->nrtsn++;
	return 0;
}

static void readq_put(struct sce_assoc *a, struct sce_msg *m)
{
	struct sce_event *ev;

	TAILQ_INSERT_TAIL(&a->readq, m, link);
	a->read_bytes += m->len;
	ev = sce_event(a, SCE_EV_DATA, 0);
	if (ev) {
		ev->sid = m->ri.sid;
		ev->len = m->len;
	}
}

static void deliver_in_order(struct sce_assoc *a, uint16_t sid);

/* §6.5 / §6.6: unordered at once, ordered in SSN order per stream */
static void deliver(struct sce_assoc *a, struct sce_msg *m)
{
	uint16_t sid = m->ri.sid;

	if (m->ri.unordered) {
		readq_put(a, m);
		return;
	}
	if (sce_reset_affects(a, sid) && TSN_GT(m->ri.tsn, a->reset.last_tsn)) {
		/* RFC 6525 §5.2.2 E2: numbered after the reset, hold it */
		TAILQ_INSERT_TAIL(&a->deferq, m, link);
		a->opend_bytes += m->len;
		return;
	}
	if (m->ri.ssn != a->ssn_in[sid]) {
		if (SSN_LT(m->ri.ssn, a->ssn_in[sid])) {
			free(m); /* SSN skipped by a FORWARD TSN: too late */
			return;
		}
		TAILQ_INSERT_TAIL(&a->opend, m, link);
		a->opend_bytes += m->len;
		return;
	}
	readq_put(a, m);
	a->ssn_in[sid]++;
	deliver_in_order(a, sid);
}

void sce_deliver(struct sce_assoc *a, struct sce_msg *m)
{
	deliver(a, m);
}

/* messages of stream sid waiting for the now expected SSN */
static void deliver_in_order(struct sce_assoc *a, uint16_t sid)
{
	bool again;

	do {
		struct sce_msg *o;
		again = false;
		TAILQ_FOREACH(o, &a->opend, link) {
			if (o->ri.sid == sid && o->ri.ssn == a->ssn_in[sid]) {
				TAILQ_REMOVE(&a->opend, o, link);
				a->opend_bytes -= o->len;
				readq_put(a, o);
				a->ssn_in[sid]++;
				again = true;
				break;
			}
		}
	} while (again);
}

static bool frag_follows(const struct sce_rchunk *p, const struct sce_rchunk *n)
{
	return n->tsn == p->tsn + 1 && n->sid == p->sid &&
	       (n->flags & WIRE_DATA_FLAG_U) == (p->flags & WIRE_DATA_FLAG_U) &&
	       ((n->flags & WIRE_DATA_FLAG_U) || n->ssn == p->ssn);
}

/* After inserting fragment r: is its message complete?  (§6.9) */
static void try_reassemble(struct sce_assoc *a, struct sce_rchunk *r)
{
	struct sce_rchunk *first = r, *last = r, *x, *n;
	struct sce_msg *m;
	size_t total = 0, off = 0;

	while (!(first->flags & WIRE_DATA_FLAG_B)) {
		x = TAILQ_PREV(first, sce_rchunkq, link);
		if (!x || !frag_follows(x, first) || (x->flags & WIRE_DATA_FLAG_E))
			return;
		first = x;
	}
	while (!(last->flags & WIRE_DATA_FLAG_E)) {
		x = TAILQ_NEXT(last, link);
		if (!x || !frag_follows(last, x) || (x->flags & WIRE_DATA_FLAG_B))
			return;
		last = x;
	}
	for (x = first;; x = TAILQ_NEXT(x, link)) {
		total += x->len;
		if (x == last)
			break;
	}
	m = malloc(sizeof(*m) + total);
	if (!m)
		return;
	m->ri.sid = first->sid;
	m->ri.ssn = first->ssn;
	m->ri.ppid = first->ppid;
	m->ri.tsn = first->tsn;
	m->ri.unordered = first->flags & WIRE_DATA_FLAG_U;
	m->len = total;
	for (x = first;; x = n) {
		bool end = x == last;
		n = TAILQ_NEXT(x, link);
		memcpy(m->data + off, x->data, x->len);
		off += x->len;
		a->reasm_bytes -= x->len;
		TAILQ_REMOVE(&a->reasm, x, link);
		free(x);
		if (end)
			break;
	}
	deliver(a, m);
}

void sce_handle_data(struct sce_assoc *a, uint64_t now, const uint8_t *c, size_t len)
{
	uint32_t tsn;
	uint16_t sid, ssn;
	uint8_t flags = c[1];
	size_t plen;
	size_t held = a->reasm_bytes + a->opend_bytes + a->read_bytes;
	bool had_gaps;

	(void)now;
	if (len < DATA_HDR)
		return;
	tsn = sce_get32(c + 4);
	sid = sce_get16(c + 8);
	ssn = sce_get16(c + 10);
	plen = len - DATA_HDR;
	if (plen == 0) {
		/* §6.2: DATA without user data -> ABORT "No User Data" */
		uint8_t info[4];
		sce_put32(info, tsn);
		sce_send_abort(a, WIRE_EC_NO_USER_DATA, info, 4);
		sce_assoc_close(a, SCE_EV_COMM_LOST, WIRE_EC_NO_USER_DATA);
		return;
	}
	a->rx_data = true; /* this packet had DATA, see sce_after_data */
	if (flags & WIRE_DATA_FLAG_I)
		a->sack_now = true; /* RFC 7053 */
	if (!a->data_seen) {
		a->data_seen = true;
		a->sack_now = true; /* §5.1: the first DATA is acked at once */
	}
	if (tsn_seen(a, tsn)) {
		if (a->ndups < MAX_DUPS)
			a->dups[a->ndups++] = tsn;
		a->dups_recv++;
		a->sack_now = true; /* §6.2: duplicates -> SACK without delay */
		return;
	}
	/* §6.2: window closed -> drop TSNs above the highest received; and
	 * never hold TSNs that a gap block could not describe */
	if ((TSN_GT(tsn, a->highest_tsn) && (sce_rwnd(a) == 0 || held + plen > 2u * a->ep->cfg.a_rwnd)) ||
	    tsn - a->cum_tsn > MAX_TSN_AHEAD) {
		a->sack_now = true;
		return;
	}
	had_gaps = a->nrtsn > 0;
	if (tsn_record(a, tsn) < 0)
		return;
	a->data_recv++;
	if (a->nrtsn || had_gaps)
		a->sack_now = true; /* §7.2.4: SACK every packet while a hole exists,
				     * and the one that fills it (RFC 5681 §4.2) */
	if (sid >= a->is) {
		/* §6.5: Invalid Stream Identifier; the TSN counts as received */
		uint8_t info[4];
		struct wire_buf b, e;
		sce_put16(info, sid);
		sce_put16(info + 2, 0);
		wire_buf_init(&b);
		wire_buf_init(&e);
		wire_craft_cause(&b, WIRE_EC_INVALID_STREAM, info, 4);
		wire_craft_error(&e, b.p, b.len);
		if (!e.err)
			sce_ctl_queue_late(a, a->last_rx_path, e.p, e.len); /* after the SACK */
		wire_buf_free(&b);
		wire_buf_free(&e);
		a->sack_now = true;
		return;
	}
	if ((flags & (WIRE_DATA_FLAG_B | WIRE_DATA_FLAG_E)) ==
	    (WIRE_DATA_FLAG_B | WIRE_DATA_FLAG_E)) {
		struct sce_msg *m = malloc(sizeof(*m) + plen);
		if (!m)
			return;
		m->ri.sid = sid;
		m->ri.ssn = ssn;
		m->ri.ppid = sce_get32(c + 12);
		m->ri.tsn = tsn;
		m->ri.unordered = flags & WIRE_DATA_FLAG_U;
		m->len = plen;
		memcpy(m->data, c + DATA_HDR, plen);
		deliver(a, m);
	} else {
		struct sce_rchunk *r = malloc(sizeof(*r) + plen), *x;
		if (!r)
			return;
		r->tsn = tsn;
		r->sid = sid;
		r->ssn = ssn;
		r->ppid = sce_get32(c + 12);
		r->flags = flags;
		r->len = plen;
		memcpy(r->data, c + DATA_HDR, plen);
		TAILQ_FOREACH_REVERSE(x, &a->reasm, sce_rchunkq, link)
			if (TSN_LT(x->tsn, tsn))
				break;
		if (x)
			TAILQ_INSERT_AFTER(&a->reasm, x, r, link);
		else
			TAILQ_INSERT_HEAD(&a->reasm, r, link);
		a->reasm_bytes += plen;
		try_reassemble(a, r);
	}
}

/*
 * FORWARD TSN receipt, RFC 3758 §3.6: move the cumulative TSN, forget
 * fragments that can no longer complete, and release ordered messages
 * stranded behind skipped SSNs.
 */
void sce_handle_fwd_tsn(struct sce_assoc *a, uint64_t now, const uint8_t *c, size_t len)
{
	uint32_t new_cum;
	size_t i = 0, nstreams;
	struct sce_rchunk *r, *tmp;

	(void)now;
	if (len < 8)
		return;
	new_cum = sce_get32(c + 4);
	nstreams = (len - 8) / 4;
	a->rx_data = true; /* SACK as if DATA had arrived */
	if (TSN_LE(new_cum, a->cum_tsn) || TSN_GE(new_cum, a->cum_tsn + 0x7fffffffu)) {
		a->sack_now = true; /* out of date: the last SACK may be lost */
		return;
	}
	if (a->nrtsn)
		a->sack_now = true; /* it closes (some of) the holes: tell at once */
	a->cum_tsn = new_cum;
	if (TSN_GT(new_cum, a->highest_tsn))
		a->highest_tsn = new_cum;
	while (i < a->nrtsn && TSN_LE(a->rtsn[i], a->cum_tsn))
		i++;
	while (i < a->nrtsn && a->rtsn[i] == a->cum_tsn + 1)
		a->cum_tsn = a->rtsn[i++];
	memmove(a->rtsn, a->rtsn + i, (a->nrtsn - i) * sizeof(uint32_t));
	a->nrtsn -= i;
	/* drop partial messages missing a TSN at or below the new cum point */
	TAILQ_FOREACH_SAFE(r, &a->reasm, link, tmp) {
		struct sce_rchunk *prev = TAILQ_PREV(r, sce_rchunkq, link);
		bool orphan = !(r->flags & WIRE_DATA_FLAG_B) &&
			      (!prev || prev->tsn != r->tsn - 1 || (prev->flags & WIRE_DATA_FLAG_E)) &&
			      TSN_LE(r->tsn - 1, a->cum_tsn);
		if (TSN_LE(r->tsn, new_cum) || orphan) {
			/* a fragment after a dropped one is an orphan too */
			struct sce_rchunk *n = TAILQ_NEXT(r, link);
			a->reasm_bytes -= r->len;
			TAILQ_REMOVE(&a->reasm, r, link);
			free(r);
			while (n && !(n->flags & WIRE_DATA_FLAG_B) && TSN_LE(n->tsn - 1, a->cum_tsn)) {
				struct sce_rchunk *nn = TAILQ_NEXT(n, link);
				a->reasm_bytes -= n->len;
				TAILQ_REMOVE(&a->reasm, n, link);
				free(n);
				n = nn;
			}
			tmp = n;
		}
	}
	for (size_t k = 0; k < nstreams; k++) {
		uint16_t sid = sce_get16(c + 8 + 4 * k), ssn = sce_get16(c + 10 + 4 * k);
		if (sid >= a->is || SSN_LT(ssn, a->ssn_in[sid]))
			continue;
		/* deliver what waits with SSN <= ssn, lowest first */
		for (;;) {
			struct sce_msg *m, *best = NULL;
			TAILQ_FOREACH(m, &a->opend, link)
				if (m->ri.sid == sid && !SSN_LT(ssn, m->ri.ssn) &&
				    (!best || SSN_LT(m->ri.ssn, best->ri.ssn)))
					best = m;
			if (!best)
				break;
			TAILQ_REMOVE(&a->opend, best, link);
			a->opend_bytes -= best->len;
			readq_put(a, best);
		}
		a->ssn_in[sid] = (uint16_t)(ssn + 1);
		deliver_in_order(a, sid);
	}
	if (a->nrtsn)
		a->sack_now = true;
}

/* Once per received packet that carried DATA: SACK now or delay it (§6.2). */
void sce_after_data(struct sce_assoc *a, uint64_t now)
{
	sce_reset_check(a);
	if (!a->rx_data)
		return;
	a->rx_data = false;
	a->pkts_unacked++;
	if (a->pkts_unacked >= 2)
		a->sack_now = true; /* every second packet */
	if (!a->sack_now && !a->sack_due)
		a->sack_due = now + a->ep->cfg.sack_delay;
}

void sce_build_sack(struct sce_assoc *a, struct wire_buf *b, size_t max)
{
	struct wire_gap gaps[256];
	size_t ng = 0, nd = a->ndups;
	size_t i = 0;

	/* §6.2: as many gap blocks as fit in one packet */
	while (i < a->nrtsn && ng < sizeof gaps / sizeof gaps[0]) {
		size_t j = i;
		while (j + 1 < a->nrtsn && a->rtsn[j + 1] == a->rtsn[j] + 1)
			j++;
		if (16 + 4 * (ng + 1) + 4 * nd > max)
			break;
		gaps[ng].start = (uint16_t)(a->rtsn[i] - a->cum_tsn);
		gaps[ng].end = (uint16_t)(a->rtsn[j] - a->cum_tsn);
		ng++;
		i = j + 1;
	}
	while (nd && 16 + 4 * ng + 4 * nd > max)
		nd--;
	wire_craft_sack(b, a->cum_tsn, sce_rwnd(a), gaps, ng, a->dups, nd);
}
