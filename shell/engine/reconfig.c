/*
 * reconfig.c -- RE-CONFIG receiver side (RFC 6525): answering an Outgoing
 * SSN Reset Request from the peer (§5.2.2), including deferred reset
 * processing while data below the Sender's Last Assigned TSN is missing.
 * Every other request type is answered "Denied" (§5.2.1: a response is
 * always sent).  We never send requests ourselves.
 */
#include <stdlib.h>
#include <string.h>
#include "engine_int.h"

/* Re-configuration Response results, RFC 6525 §4.4 */
#define RR_NOTHING 0
#define RR_PERFORMED 1
#define RR_DENIED 2
#define RR_BAD_SEQ 5
#define RR_IN_PROGRESS 6

static void respond(struct sce_assoc *a, uint32_t seq, uint32_t result)
{
	struct wire_buf pb, ch;
	int path = a->last_rx_path >= 0 ? a->last_rx_path : sce_data_path(a);

	wire_buf_init(&pb);
	wire_buf_init(&ch);
	wire_param_reconfig_resp(&pb, seq, result, false, 0, 0);
	wire_craft_reconfig(&ch, pb.p, pb.len);
	/* after the SACK, which §5.2.1 recommends bundling */
	if (!ch.err)
		sce_ctl_queue_late(a, path, ch.p, ch.len);
	wire_buf_free(&pb);
	wire_buf_free(&ch);
}

bool sce_reset_affects(const struct sce_assoc *a, uint16_t sid)
{
	if (!a->reset.pending)
		return false;
	if (!a->reset.nsids)
		return true;
	for (size_t i = 0; i < a->reset.nsids; i++)
		if (a->reset.sids[i] == sid)
			return true;
	return false;
}

/* Deferred reset done once the cumulative TSN reached the last TSN. */
void sce_reset_check(struct sce_assoc *a)
{
	struct sce_msgq q;
	struct sce_msg *m;

	if (!a->reset.pending || TSN_LT(a->cum_tsn, a->reset.last_tsn))
		return;
	if (a->reset.nsids == 0)
		memset(a->ssn_in, 0, (a->is ? a->is : 1) * sizeof(uint16_t));
	for (size_t i = 0; i < a->reset.nsids; i++)
		a->ssn_in[a->reset.sids[i]] = 0;
	a->reset.pending = false;
	a->reconf_in_seq++;
	a->reconf_last_result = RR_PERFORMED;
	a->streams_reset++;
	respond(a, a->reset.req_seq, RR_PERFORMED);
	/* release what was held: the new SSN numbering of those streams */
	TAILQ_INIT(&q);
	TAILQ_CONCAT(&q, &a->deferq, link);
	while ((m = TAILQ_FIRST(&q))) {
		TAILQ_REMOVE(&q, m, link);
		a->opend_bytes -= m->len;
		sce_deliver(a, m);
	}
}

static void out_ssn_reset(struct sce_assoc *a, const uint8_t *p, size_t plen)
{
	uint32_t seq = sce_get32(p + 4), last_tsn = sce_get32(p + 12);
	size_t n = (plen - 16) / 2;

	if (seq != a->reconf_in_seq) {
		if (seq == a->reconf_in_seq - 1)
			respond(a, seq, a->reconf_last_result); /* a retransmission */
		else if (a->reset.pending && seq == a->reset.req_seq)
			respond(a, seq, RR_IN_PROGRESS);
		else
			respond(a, seq, RR_BAD_SEQ);
		return;
	}
	if (a->reset.pending) {
		respond(a, seq, RR_IN_PROGRESS);
		return;
	}
	if (n > sizeof a->reset.sids / sizeof a->reset.sids[0])
		goto denied;
	for (size_t i = 0; i < n; i++) {
		uint16_t sid = sce_get16(p + 16 + 2 * i);
		if (sid >= a->is)
			goto denied;
		a->reset.sids[i] = sid;
	}
	a->reset.nsids = n;
	a->reset.last_tsn = last_tsn;
	a->reset.req_seq = seq;
	a->reset.pending = true;
	if (TSN_LT(a->cum_tsn, last_tsn)) {
		respond(a, seq, RR_IN_PROGRESS); /* deferred reset processing */
		return;
	}
	sce_reset_check(a);
	return;
denied:
	a->reconf_in_seq++;
	a->reconf_last_result = RR_DENIED;
	respond(a, seq, RR_DENIED);
}

void sce_handle_reconfig(struct sce_assoc *a, const uint8_t *c, size_t len)
{
	for (size_t off = 4; off + 4 <= len;) {
		uint16_t t = sce_get16(c + off), pl = sce_get16(c + off + 2);
		if (pl < 4 || off + pl > len)
			return;
		switch (t) {
		case WIRE_PT_OUT_SSN_RESET:
			if (pl >= 16)
				out_ssn_reset(a, c + off, pl);
			a->sack_now = true;
			break;
		case WIRE_PT_IN_SSN_RESET:
		case WIRE_PT_SSN_TSN_RESET:
		case WIRE_PT_ADD_OUT_STREAMS:
		case WIRE_PT_ADD_IN_STREAMS:
			if (pl >= 8) {
				uint32_t seq = sce_get32(c + off + 4);
				if (seq == a->reconf_in_seq) {
					a->reconf_in_seq++;
					a->reconf_last_result = RR_DENIED;
					respond(a, seq, RR_DENIED);
				} else {
					respond(a, seq, seq == a->reconf_in_seq - 1
								? a->reconf_last_result : RR_BAD_SEQ);
				}
			}
			a->sack_now = true;
			break;
		default:
			break; /* responses to requests we never sent */
		}
		off += PAD4(pl);
	}
}
