/*
 * path.c -- destination transport addresses of an association: RTO
 * (RFC 9260 §6.3.1), congestion state (§7.2.1), error counting and path
 * state (§8.1, §8.2), HEARTBEAT (§8.3), address confirmation (§5.4),
 * choice of the path for new data and for retransmissions (§6.4, §6.4.1).
 */
#include <netinet/in.h>
#include <string.h>
#include "engine_int.h"

uint32_t sce_pmdcs(const struct sce_path *p)
{
	return p->pmtu - COMMON_HDR - DATA_HDR;
}

/* §7.2.1: initial cwnd min(4 * PMDCS, max(2 * PMDCS, 4404 | 4344)) */
void sce_path_reset_cc(struct sce_assoc *a, struct sce_path *p)
{
	uint32_t m = sce_pmdcs(p);
	uint32_t floor = p->addr.ss_family == AF_INET6 ? 4344 : 4404;
	uint32_t c = 2 * m > floor ? 2 * m : floor;

	p->cwnd = 4 * m < c ? 4 * m : c;
	p->ssthresh = a->peer_rwnd ? a->peer_rwnd : 0x7fffffff;
	p->pba = 0;
	p->flight = 0;
	p->rtt_pending = false;
}

int sce_path_find(const struct sce_assoc *a, const struct sockaddr *sa)
{
	for (size_t i = 0; i < a->npaths; i++)
		if (sce_addr_eq((const struct sockaddr *)&a->paths[i].addr, sa))
			return (int)i;
	return -1;
}

/* Adds a path (or finds it).  Returns its index, -1 if full / bad family. */
int sce_path_add(struct sce_assoc *a, const struct sockaddr *sa, bool confirmed)
{
	const struct sce_config *cfg = &a->ep->cfg;
	struct sce_path *p;
	int i = sce_path_find(a, sa);
	size_t iph;

	if (i >= 0) {
		if (confirmed)
			a->paths[i].confirmed = true;
		return i;
	}
	if (a->npaths >= SCE_MAX_PATHS || (sa->sa_family != AF_INET && sa->sa_family != AF_INET6))
		return -1;
	p = &a->paths[a->npaths];
	memset(p, 0, sizeof(*p));
	memcpy(&p->addr, sa, sa->sa_family == AF_INET ? sizeof(struct sockaddr_in)
						    : sizeof(struct sockaddr_in6));
	p->lidx = 0;
	for (size_t l = 0; l < cfg->nladdrs; l++)
		if (cfg->laddrs[l].ss_family == sa->sa_family) {
			p->lidx = (int)l;
			break;
		}
	p->active = true;
	p->confirmed = confirmed;
	iph = sa->sa_family == AF_INET6 ? 40 : 20;
	p->pmtu = (uint32_t)(cfg->mtu - iph - cfg->encap_overhead);
	p->rto = cfg->rto_initial;
	sce_path_reset_cc(a, p);
	return (int)a->npaths++;
}

/* §6.3.1 C2-C7, in ms; alpha 1/8, beta 1/4, G = 1 ms */
void sce_rtt_sample(struct sce_assoc *a, struct sce_path *p, uint32_t r)
{
	const struct sce_config *cfg = &a->ep->cfg;
	uint32_t rto;

	if (!p->rtt_measured) {
		p->srtt = r;
		p->rttvar = r / 2;
		p->rtt_measured = true;
	} else {
		uint32_t d = p->srtt > r ? p->srtt - r : r - p->srtt;
		p->rttvar = (3 * p->rttvar + d) / 4;
		p->srtt = (7 * p->srtt + r) / 8;
	}
	if (p->rttvar == 0)
		p->rttvar = 1;
	rto = p->srtt + 4 * p->rttvar;
	if (rto < cfg->rto_min)
		rto = cfg->rto_min;
	if (rto > cfg->rto_max)
		rto = cfg->rto_max;
	p->rto = rto;
}

/* A path answered (data acked, HEARTBEAT-ACK): clear error counters (§8.1, §8.2) */
void sce_path_ok(struct sce_assoc *a, int path)
{
	a->paths[path].errors = 0;
	a->assoc_errors = 0;
}

/* T3 expiry, unanswered HEARTBEAT: count errors; a path past
 * Path.Max.Retrans becomes inactive (§8.2), an association past
 * Association.Max.Retrans is lost (§8.1). */
void sce_path_error(struct sce_assoc *a, int path, uint64_t now)
{
	const struct sce_config *cfg = &a->ep->cfg;
	struct sce_path *p = &a->paths[path];

	(void)now;
	p->errors++;
	a->assoc_errors++;
	if (p->active && p->errors > cfg->path_max_retrans) {
		p->active = false;
		sce_event_addr(a, path, SCE_ADDR_UNREACHABLE);
		if (path == a->primary) {
			int np = sce_data_path(a);
			if (np != path)
				sce_event_addr(a, np, SCE_ADDR_MADE_PRIM);
		}
	}
	if (a->assoc_errors > cfg->assoc_max_retrans)
		sce_assoc_close(a, SCE_EV_COMM_LOST, 0);
}

/* The path new data goes to: the primary while it is active, else the
 * first active confirmed path, else the primary (§6.4). */
int sce_data_path(struct sce_assoc *a)
{
	if (a->paths[a->primary].active && a->paths[a->primary].confirmed)
		return a->primary;
	for (size_t i = 0; i < a->npaths; i++)
		if (a->paths[i].active && a->paths[i].confirmed)
			return (int)i;
	return a->primary;
}

/* §6.4.1: retransmit to an active path other than the last one, if any */
int sce_rtx_path(struct sce_assoc *a, int last)
{
	int dp;

	if (last < 0)
		return sce_data_path(a);
	for (size_t k = 1; k < a->npaths; k++) {
		size_t i = ((size_t)last + k) % a->npaths;
		if (a->paths[i].active && a->paths[i].confirmed)
			return (int)i;
	}
	if (a->paths[last].active)
		return last;
	dp = sce_data_path(a);
	return dp;
}

static uint64_t hb_next(struct sce_assoc *a, struct sce_path *p, uint64_t now)
{
	const struct sce_config *cfg = &a->ep->cfg;
	uint32_t jitter;

	if (!p->confirmed)
		return now + p->rto; /* §5.4: probe unconfirmed addresses each RTO */
	if (cfg->hb_interval == UINT32_MAX)
		return 0;
	/* §8.3: RTO + HB.interval, RTO jittered by +/- 50% */
	jitter = p->rto ? sce_rand32(a->ep) % (p->rto + 1) : 0;
	return now + cfg->hb_interval + p->rto / 2 + jitter;
}

void sce_hb_start(struct sce_assoc *a, uint64_t now)
{
	for (size_t i = 0; i < a->npaths; i++) {
		struct sce_path *p = &a->paths[i];
		p->hb_outstanding = false;
		p->hb_due = p->confirmed ? hb_next(a, p, now) : now;
	}
}

static void send_hb(struct sce_assoc *a, int path, uint64_t now)
{
	struct sce_path *p = &a->paths[path];
	uint8_t info[24];
	struct wire_buf b;

	/* Heartbeat Info is ours alone (§3.3.5): path index, nonce, send time */
	p->hb_nonce = (uint64_t)sce_rand32(a->ep) << 32 | sce_rand32(a->ep);
	sce_put32(info, (uint32_t)path);
	sce_put32(info + 4, (uint32_t)(p->hb_nonce >> 32));
	sce_put32(info + 8, (uint32_t)p->hb_nonce);
	sce_put32(info + 12, (uint32_t)(now >> 32));
	sce_put32(info + 16, (uint32_t)now);
	sce_put32(info + 20, a->ltag);
	wire_buf_init(&b);
	wire_craft_heartbeat(&b, false, info, sizeof info);
	if (!b.err)
		sce_ctl_queue(a, path, b.p, b.len);
	wire_buf_free(&b);
	p->hb_outstanding = true;
}

void sce_hb_timer(struct sce_assoc *a, int path, uint64_t now)
{
	const struct sce_config *cfg = &a->ep->cfg;
	struct sce_path *p = &a->paths[path];

	p->hb_due = 0;
	if (p->hb_outstanding) {
		/* §8.3: an unanswered HEARTBEAT counts as an error and doubles RTO */
		p->hb_outstanding = false;
		p->rto = p->rto * 2 > cfg->rto_max ? cfg->rto_max : p->rto * 2;
		sce_path_error(a, path, now);
		if (a->state == SCE_CLOSED)
			return;
	}
	/* only idle paths are probed (§8.3); unconfirmed ones always (§5.4) */
	if (!p->confirmed || !p->active || now - p->last_data_tx >= cfg->hb_interval ||
	    p->last_data_tx == 0)
		send_hb(a, path, now);
	p->hb_due = hb_next(a, p, now);
}

void sce_handle_heartbeat(struct sce_assoc *a, int path, const uint8_t *c, size_t len)
{
	struct wire_buf b;
	uint16_t plen;

	/* §8.3: echo the Heartbeat Info parameter unchanged */
	if (len < 8)
		return;
	plen = sce_get16(c + 6);
	if (plen < 4 || (size_t)plen + 4 > len)
		return;
	wire_buf_init(&b);
	wire_craft_heartbeat(&b, true, c + 8, plen - 4u);
	if (!b.err)
		sce_ctl_queue(a, path, b.p, b.len);
	wire_buf_free(&b);
}

void sce_handle_heartbeat_ack(struct sce_assoc *a, uint64_t now, const uint8_t *c, size_t len)
{
	struct sce_path *p;
	uint32_t idx;
	uint64_t nonce, sent;

	if (len < 8 + 24 || sce_get16(c + 4) != WIRE_PT_HEARTBEAT_INFO || sce_get16(c + 6) != 28)
		return;
	c += 8;
	idx = sce_get32(c);
	nonce = (uint64_t)sce_get32(c + 4) << 32 | sce_get32(c + 8);
	sent = (uint64_t)sce_get32(c + 12) << 32 | sce_get32(c + 16);
	if (idx >= a->npaths || sce_get32(c + 20) != a->ltag)
		return;
	p = &a->paths[idx];
	if (!p->hb_outstanding || nonce != p->hb_nonce || sent > now)
		return;
	p->hb_outstanding = false;
	sce_path_ok(a, (int)idx);
	sce_rtt_sample(a, p, (uint32_t)(now - sent));
	if (!p->confirmed) {
		p->confirmed = true;
		sce_event_addr(a, (int)idx, SCE_ADDR_CONFIRMED);
		p->hb_due = hb_next(a, p, now);
	}
	if (!p->active) {
		bool was_prim_down = (int)idx == a->primary;
		p->active = true;
		sce_event_addr(a, (int)idx, SCE_ADDR_AVAILABLE);
		if (was_prim_down)
			sce_event_addr(a, (int)idx, SCE_ADDR_MADE_PRIM);
	}
}
