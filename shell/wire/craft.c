/*
 * craft.c -- SCTP chunk / parameter / cause builders, the SCTP packet
 * encoder (common header + CRC32c) and an IPv4/IPv6 (+UDP) encoder.
 *
 * Builders append to a struct wire_buf.  Errors are sticky in b->err so a
 * sequence of calls can be checked once at the end; every builder also
 * returns 0 / -1.
 *
 * AUTH: wire_craft_auth() writes the AUTH chunk (RFC 4895 §4.1), with a
 * caller-supplied HMAC or zeroes; auth.c computes the association shared
 * key from the RANDOM / CHUNKS / HMAC-ALGO parameters of INIT and INIT-ACK
 * (§6.1) and signs the finished packet (§6.2).  A caller that does not
 * know both INIT and INIT-ACK (and the endpoint pair key, if any) cannot
 * authenticate: it must refuse to inject chunk types the peer listed in
 * its CHUNKS parameter, as the peer silently discards them unauthenticated
 * (§6.3).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include "wire.h"

#define WIRE_BUF_MAX (1u << 24)  /* refuse to grow beyond 16 MiB */

void wire_buf_init(struct wire_buf *b)
{
	memset(b, 0, sizeof(*b));
}

void wire_buf_free(struct wire_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

void wire_buf_reset(struct wire_buf *b)
{
	b->len = 0;
	b->err = 0;
	b->tlv_end = b->tlv_end_padded = 0;
}

static bool wire_buf_room(struct wire_buf *b, size_t n)
{
	size_t nc;
	uint8_t *np;
	if (b->err)
		return false;
	if (n > WIRE_BUF_MAX || b->len + n > WIRE_BUF_MAX) {
		b->err = -1;
		return false;
	}
	if (b->len + n <= b->cap)
		return true;
	nc = b->cap ? b->cap : 256;
	while (nc < b->len + n)
		nc *= 2;
	np = realloc(b->p, nc);
	if (!np) {
		b->err = -1;
		return false;
	}
	b->p = np;
	b->cap = nc;
	return true;
}

void wire_buf_put(struct wire_buf *b, const void *p, size_t n)
{
	if (!n || !wire_buf_room(b, n))
		return;
	if (p)
		memcpy(b->p + b->len, p, n);
	else
		memset(b->p + b->len, 0, n);
	b->len += n;
}

void wire_buf_u8(struct wire_buf *b, uint8_t v)
{
	wire_buf_put(b, &v, 1);
}

void wire_buf_u16(struct wire_buf *b, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	wire_buf_put(b, x, 2);
}

void wire_buf_u32(struct wire_buf *b, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
	wire_buf_put(b, x, 4);
}

void wire_buf_pad4(struct wire_buf *b)
{
	size_t k = (4 - (b->len & 3)) & 3;
	if (k)
		wire_buf_put(b, NULL, k);
}

/* ---- TLV framing (RFC 9260 §3.2, §3.2.1) ----------------------------- */

static size_t wire_tlv_begin(struct wire_buf *b, uint16_t hi)
{
	size_t h = b->len;
	wire_buf_u16(b, hi);
	wire_buf_u16(b, 0);
	return h;
}

static int wire_tlv_end(struct wire_buf *b, size_t h)
{
	size_t n;
	if (b->err || h + 4 > b->len)
		return b->err = -1;
	n = b->len - h;
	/* the value ends with a nested TLV: leave out its padding
	 * (RFC 9260 §3.2, "Chunk Length"; same rule for nested params) */
	if (b->tlv_end_padded == b->len && b->tlv_end > h + 4 && b->tlv_end <= b->len)
		n = b->tlv_end - h;
	if (n > 0xFFFF) {
		b->err = -1;
		return -1;
	}
	b->p[h + 2] = (uint8_t)(n >> 8);
	b->p[h + 3] = (uint8_t)n;
	wire_buf_pad4(b);
	b->tlv_end = h + n;
	b->tlv_end_padded = b->len;
	return b->err ? -1 : 0;
}

/* where does the last TLV of a well-formed list end (unpadded)? */
static size_t wire_tlvs_unpadded(const uint8_t *p, size_t n)
{
	size_t off = 0, last = n;
	while (off + 4 <= n) {
		size_t l = (size_t)(p[off + 2] << 8 | p[off + 3]);
		if (l < 4 || l > n - off)
			return n;
		last = off + l;
		off += (l + 3) & ~(size_t)3;
	}
	return off >= n ? last : n;
}

void wire_buf_put_tlvs(struct wire_buf *b, const uint8_t *p, size_t n)
{
	size_t start = b->len;
	if (!n)
		return;
	wire_buf_put(b, p, n);
	if (b->err)
		return;
	b->tlv_end = start + wire_tlvs_unpadded(p, n);
	b->tlv_end_padded = b->len;
}

size_t wire_chunk_begin(struct wire_buf *b, uint8_t type, uint8_t flags)
{
	return wire_tlv_begin(b, (uint16_t)(type << 8 | flags));
}

int wire_chunk_end(struct wire_buf *b, size_t h)
{
	return wire_tlv_end(b, h);
}

size_t wire_param_begin(struct wire_buf *b, uint16_t type)
{
	return wire_tlv_begin(b, type);
}

int wire_param_end(struct wire_buf *b, size_t h)
{
	return wire_tlv_end(b, h);
}

/* ---- chunks ----------------------------------------------------------- */

int wire_craft_raw_chunk(struct wire_buf *b, uint8_t type, uint8_t flags,
			 const uint8_t *value, size_t vlen)
{
	size_t h = wire_chunk_begin(b, type, flags);
	wire_buf_put(b, value, vlen);
	return wire_chunk_end(b, h);
}

/* RFC 9260 §3.3.1 */
int wire_craft_data(struct wire_buf *b, uint8_t flags, uint32_t tsn, uint16_t sid,
		    uint16_t ssn, uint32_t ppid, const uint8_t *payload, size_t plen)
{
	size_t h = wire_chunk_begin(b, WIRE_CT_DATA, flags);
	wire_buf_u32(b, tsn);
	wire_buf_u16(b, sid);
	wire_buf_u16(b, ssn);
	wire_buf_u32(b, ppid);
	wire_buf_put(b, payload, plen);
	return wire_chunk_end(b, h);
}

/* RFC 8260 §2.1: PPID when B is set, FSN otherwise */
int wire_craft_idata(struct wire_buf *b, uint8_t flags, uint32_t tsn, uint16_t sid,
		     uint32_t mid, uint32_t ppid_fsn, const uint8_t *payload, size_t plen)
{
	size_t h = wire_chunk_begin(b, WIRE_CT_IDATA, flags);
	wire_buf_u32(b, tsn);
	wire_buf_u16(b, sid);
	wire_buf_u16(b, 0);
	wire_buf_u32(b, mid);
	wire_buf_u32(b, ppid_fsn);
	wire_buf_put(b, payload, plen);
	return wire_chunk_end(b, h);
}

/* RFC 9260 §3.3.4 */
int wire_craft_sack(struct wire_buf *b, uint32_t cum_tsn, uint32_t a_rwnd,
		    const struct wire_gap *gaps, size_t ngaps,
		    const uint32_t *dups, size_t ndups)
{
	size_t h, i;
	if (ngaps > 0xFFFF || ndups > 0xFFFF)
		return b->err = -1;
	h = wire_chunk_begin(b, WIRE_CT_SACK, 0);
	wire_buf_u32(b, cum_tsn);
	wire_buf_u32(b, a_rwnd);
	wire_buf_u16(b, (uint16_t)ngaps);
	wire_buf_u16(b, (uint16_t)ndups);
	for (i = 0; i < ngaps; i++) {
		wire_buf_u16(b, gaps[i].start);
		wire_buf_u16(b, gaps[i].end);
	}
	for (i = 0; i < ndups; i++)
		wire_buf_u32(b, dups[i]);
	return wire_chunk_end(b, h);
}

/* RFC 9260 §3.3.2 / §3.3.3 */
int wire_craft_init(struct wire_buf *b, bool ack, uint32_t init_tag, uint32_t a_rwnd,
		    uint16_t os, uint16_t mis, uint32_t init_tsn,
		    const uint8_t *params, size_t plen)
{
	size_t h = wire_chunk_begin(b, ack ? WIRE_CT_INIT_ACK : WIRE_CT_INIT, 0);
	wire_buf_u32(b, init_tag);
	wire_buf_u32(b, a_rwnd);
	wire_buf_u16(b, os);
	wire_buf_u16(b, mis);
	wire_buf_u32(b, init_tsn);
	wire_buf_put_tlvs(b, params, plen);
	return wire_chunk_end(b, h);
}

/* RFC 9260 §3.3.5 / §3.3.6: Heartbeat Info TLV, type 1 */
int wire_craft_heartbeat(struct wire_buf *b, bool ack, const uint8_t *info, size_t ilen)
{
	size_t h = wire_chunk_begin(b, ack ? WIRE_CT_HEARTBEAT_ACK : WIRE_CT_HEARTBEAT, 0);
	wire_param_raw(b, WIRE_PT_HEARTBEAT_INFO, info, ilen);
	return wire_chunk_end(b, h);
}

/* RFC 9260 §3.3.7 */
int wire_craft_abort(struct wire_buf *b, bool tbit, const uint8_t *causes, size_t clen)
{
	size_t h = wire_chunk_begin(b, WIRE_CT_ABORT, tbit ? WIRE_FLAG_T : 0);
	wire_buf_put_tlvs(b, causes, clen);
	return wire_chunk_end(b, h);
}

/* RFC 9260 §3.3.10 */
int wire_craft_error(struct wire_buf *b, const uint8_t *causes, size_t clen)
{
	size_t h = wire_chunk_begin(b, WIRE_CT_ERROR, 0);
	wire_buf_put_tlvs(b, causes, clen);
	return wire_chunk_end(b, h);
}

/* RFC 9260 §3.3.8 */
int wire_craft_shutdown(struct wire_buf *b, uint32_t cum_tsn)
{
	size_t h = wire_chunk_begin(b, WIRE_CT_SHUTDOWN, 0);
	wire_buf_u32(b, cum_tsn);
	return wire_chunk_end(b, h);
}

int wire_craft_shutdown_ack(struct wire_buf *b)
{
	return wire_craft_raw_chunk(b, WIRE_CT_SHUTDOWN_ACK, 0, NULL, 0);
}

/* RFC 9260 §3.3.13 */
int wire_craft_shutdown_complete(struct wire_buf *b, bool tbit)
{
	return wire_craft_raw_chunk(b, WIRE_CT_SHUTDOWN_COMPLETE, tbit ? WIRE_FLAG_T : 0,
				    NULL, 0);
}

/* RFC 9260 §3.3.11, §3.3.12 */
int wire_craft_cookie_echo(struct wire_buf *b, const uint8_t *cookie, size_t len)
{
	return wire_craft_raw_chunk(b, WIRE_CT_COOKIE_ECHO, 0, cookie, len);
}

int wire_craft_cookie_ack(struct wire_buf *b)
{
	return wire_craft_raw_chunk(b, WIRE_CT_COOKIE_ACK, 0, NULL, 0);
}

/* RFC 3168 App. A: ECNE / CWR carry the lowest TSN */
int wire_craft_ecne(struct wire_buf *b, uint32_t lowest_tsn)
{
	size_t h = wire_chunk_begin(b, WIRE_CT_ECNE, 0);
	wire_buf_u32(b, lowest_tsn);
	return wire_chunk_end(b, h);
}

int wire_craft_cwr(struct wire_buf *b, uint32_t lowest_tsn)
{
	size_t h = wire_chunk_begin(b, WIRE_CT_CWR, 0);
	wire_buf_u32(b, lowest_tsn);
	return wire_chunk_end(b, h);
}

/* RFC 3758 §3.2 */
int wire_craft_forward_tsn(struct wire_buf *b, uint32_t new_cum_tsn,
			   const struct wire_sid_ssn *s, size_t n)
{
	size_t h = wire_chunk_begin(b, WIRE_CT_FORWARD_TSN, 0), i;
	wire_buf_u32(b, new_cum_tsn);
	for (i = 0; i < n; i++) {
		wire_buf_u16(b, s[i].sid);
		wire_buf_u16(b, s[i].ssn);
	}
	return wire_chunk_end(b, h);
}

/* RFC 8260 §2.3.1 */
int wire_craft_iforward_tsn(struct wire_buf *b, uint32_t new_cum_tsn,
			    const struct wire_ifwd *s, size_t n)
{
	size_t h = wire_chunk_begin(b, WIRE_CT_IFORWARD_TSN, 0), i;
	wire_buf_u32(b, new_cum_tsn);
	for (i = 0; i < n; i++) {
		wire_buf_u16(b, s[i].sid);
		wire_buf_u16(b, s[i].unordered ? 1 : 0);
		wire_buf_u32(b, s[i].mid);
	}
	return wire_chunk_end(b, h);
}

/* RFC 4895 §4.1 */
int wire_craft_auth(struct wire_buf *b, uint16_t key_id, uint16_t hmac_id,
		    const uint8_t *hmac, size_t hlen)
{
	size_t h = wire_chunk_begin(b, WIRE_CT_AUTH, 0);
	wire_buf_u16(b, key_id);
	wire_buf_u16(b, hmac_id);
	wire_buf_put(b, hmac, hlen);
	return wire_chunk_end(b, h);
}

/* RFC 5061 §4.1.1 */
int wire_craft_asconf(struct wire_buf *b, uint32_t serial, const struct sockaddr *addr,
		      const struct wire_asconf_req *reqs, size_t n)
{
	size_t h = wire_chunk_begin(b, WIRE_CT_ASCONF, 0), i;
	wire_buf_u32(b, serial);
	wire_param_addr(b, addr);
	for (i = 0; i < n; i++)
		wire_param_asconf_addr(b, reqs[i].type, reqs[i].corr_id,
				       (const struct sockaddr *)&reqs[i].addr);
	return wire_chunk_end(b, h);
}

/* RFC 5061 §4.1.2 */
int wire_craft_asconf_ack(struct wire_buf *b, uint32_t serial,
			  const uint8_t *params, size_t plen)
{
	size_t h = wire_chunk_begin(b, WIRE_CT_ASCONF_ACK, 0);
	wire_buf_u32(b, serial);
	wire_buf_put_tlvs(b, params, plen);
	return wire_chunk_end(b, h);
}

/* RFC 6525 §3.1 */
int wire_craft_reconfig(struct wire_buf *b, const uint8_t *params, size_t plen)
{
	size_t h = wire_chunk_begin(b, WIRE_CT_RECONFIG, 0);
	wire_buf_put_tlvs(b, params, plen);
	return wire_chunk_end(b, h);
}

/* RFC 4820 §3 */
int wire_craft_pad(struct wire_buf *b, size_t padlen)
{
	return wire_craft_raw_chunk(b, WIRE_CT_PAD, 0, NULL, padlen);
}

/* ---- parameters ------------------------------------------------------ */

int wire_param_raw(struct wire_buf *b, uint16_t type, const uint8_t *v, size_t n)
{
	size_t h = wire_param_begin(b, type);
	wire_buf_put(b, v, n);
	return wire_param_end(b, h);
}

/* RFC 9260 §3.3.2.1.1 / §3.3.2.1.2 */
int wire_param_addr(struct wire_buf *b, const struct sockaddr *sa)
{
	if (!sa)
		return b->err = -1;
	if (sa->sa_family == AF_INET)
		return wire_param_raw(b, WIRE_PT_IPV4,
				      (const uint8_t *)&((const struct sockaddr_in *)sa)->sin_addr, 4);
	if (sa->sa_family == AF_INET6)
		return wire_param_raw(b, WIRE_PT_IPV6,
				      (const uint8_t *)&((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
	return b->err = -1;
}

/* RFC 5061 §4.2.7 */
int wire_param_supported_ext(struct wire_buf *b, const uint8_t *types, size_t n)
{
	return wire_param_raw(b, WIRE_PT_SUPPORTED_EXT, types, n);
}

/* RFC 9260 §3.3.2.1.5 */
int wire_param_supported_addr_types(struct wire_buf *b, const uint16_t *types, size_t n)
{
	size_t h = wire_param_begin(b, WIRE_PT_SUPPORTED_ADDR_TYPES), i;
	for (i = 0; i < n; i++)
		wire_buf_u16(b, types[i]);
	return wire_param_end(b, h);
}

/* RFC 4895 §3.1 - §3.3 */
int wire_param_random(struct wire_buf *b, const uint8_t *r, size_t n)
{
	return wire_param_raw(b, WIRE_PT_RANDOM, r, n);
}

int wire_param_chunks(struct wire_buf *b, const uint8_t *types, size_t n)
{
	return wire_param_raw(b, WIRE_PT_CHUNKS, types, n);
}

int wire_param_hmac_algo(struct wire_buf *b, const uint16_t *ids, size_t n)
{
	size_t h = wire_param_begin(b, WIRE_PT_HMAC_ALGO), i;
	for (i = 0; i < n; i++)
		wire_buf_u16(b, ids[i]);
	return wire_param_end(b, h);
}

int wire_param_u32(struct wire_buf *b, uint16_t type, uint32_t v)
{
	size_t h = wire_param_begin(b, type);
	wire_buf_u32(b, v);
	return wire_param_end(b, h);
}

/* RFC 5061 §4.2.1, §4.2.2, §4.2.4 */
int wire_param_asconf_addr(struct wire_buf *b, uint16_t type, uint32_t corr_id,
			   const struct sockaddr *sa)
{
	size_t h = wire_param_begin(b, type);
	wire_buf_u32(b, corr_id);
	wire_param_addr(b, sa);
	return wire_param_end(b, h);
}

/* RFC 5061 §4.2.5 */
int wire_param_success_ind(struct wire_buf *b, uint32_t corr_id)
{
	return wire_param_u32(b, WIRE_PT_SUCCESS_IND, corr_id);
}

/* RFC 5061 §4.2.3 */
int wire_param_error_ind(struct wire_buf *b, uint32_t corr_id,
			 const uint8_t *causes, size_t clen)
{
	size_t h = wire_param_begin(b, WIRE_PT_ERROR_CAUSE_IND);
	wire_buf_u32(b, corr_id);
	wire_buf_put_tlvs(b, causes, clen);
	return wire_param_end(b, h);
}

/* RFC 6525 §4.1 */
int wire_param_out_ssn_reset(struct wire_buf *b, uint32_t req_seq, uint32_t resp_seq,
			     uint32_t last_tsn, const uint16_t *sids, size_t n)
{
	size_t h = wire_param_begin(b, WIRE_PT_OUT_SSN_RESET), i;
	wire_buf_u32(b, req_seq);
	wire_buf_u32(b, resp_seq);
	wire_buf_u32(b, last_tsn);
	for (i = 0; i < n; i++)
		wire_buf_u16(b, sids[i]);
	return wire_param_end(b, h);
}

/* RFC 6525 §4.2 */
int wire_param_in_ssn_reset(struct wire_buf *b, uint32_t req_seq,
			    const uint16_t *sids, size_t n)
{
	size_t h = wire_param_begin(b, WIRE_PT_IN_SSN_RESET), i;
	wire_buf_u32(b, req_seq);
	for (i = 0; i < n; i++)
		wire_buf_u16(b, sids[i]);
	return wire_param_end(b, h);
}

/* RFC 6525 §4.3 */
int wire_param_ssn_tsn_reset(struct wire_buf *b, uint32_t req_seq)
{
	return wire_param_u32(b, WIRE_PT_SSN_TSN_RESET, req_seq);
}

/* RFC 6525 §4.4 */
int wire_param_reconfig_resp(struct wire_buf *b, uint32_t resp_seq, uint32_t result,
			     bool with_tsns, uint32_t sender_next, uint32_t receiver_next)
{
	size_t h = wire_param_begin(b, WIRE_PT_RECONFIG_RESP);
	wire_buf_u32(b, resp_seq);
	wire_buf_u32(b, result);
	if (with_tsns) {
		wire_buf_u32(b, sender_next);
		wire_buf_u32(b, receiver_next);
	}
	return wire_param_end(b, h);
}

/* RFC 6525 §4.5 / §4.6 */
int wire_param_add_streams(struct wire_buf *b, bool incoming, uint32_t req_seq,
			   uint16_t nstreams)
{
	size_t h = wire_param_begin(b, incoming ? WIRE_PT_ADD_IN_STREAMS : WIRE_PT_ADD_OUT_STREAMS);
	wire_buf_u32(b, req_seq);
	wire_buf_u16(b, nstreams);
	wire_buf_u16(b, 0);
	return wire_param_end(b, h);
}

/* RFC 9260 §3.3.10: cause TLVs share the parameter format */
int wire_craft_cause(struct wire_buf *b, uint16_t code, const uint8_t *info, size_t n)
{
	return wire_param_raw(b, code, info, n);
}

/* ---- packets ----------------------------------------------------------- */

/* RFC 9260 §3.1, §6.8 */
int wire_craft_packet(struct wire_buf *out, uint16_t sport, uint16_t dport,
		      uint32_t vtag, const uint8_t *chunks, size_t clen)
{
	wire_buf_reset(out);
	wire_buf_u16(out, sport);
	wire_buf_u16(out, dport);
	wire_buf_u32(out, vtag);
	wire_buf_u32(out, 0);
	wire_buf_put(out, chunks, clen);
	if (out->err)
		return -1;
	wire_sctp_set_checksum(out->p, out->len);
	return 0;
}

static uint32_t wire_sum16(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	size_t i;
	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

int wire_craft_ip(struct wire_buf *out, const struct sockaddr *src,
		  const struct sockaddr *dst, uint8_t ttl,
		  uint16_t udp_sport, uint16_t udp_dport,
		  const uint8_t *payload, size_t plen)
{
	struct wire_ip_opts o;
	memset(&o, 0, sizeof(o));
	o.ttl = ttl;
	o.udp_sport = udp_sport;
	o.udp_dport = udp_dport;
	return wire_craft_ip_opts(out, src, dst, &o, payload, plen);
}

int wire_craft_ip_opts(struct wire_buf *out, const struct sockaddr *src,
		       const struct sockaddr *dst, const struct wire_ip_opts *o,
		       const uint8_t *payload, size_t plen)
{
	uint16_t udp_sport = o ? o->udp_sport : 0, udp_dport = o ? o->udp_dport : 0;
	bool udp = udp_sport || udp_dport;
	size_t l4len = plen + (udp ? 8 : 0);
	uint8_t proto = udp ? IPPROTO_UDP : IPPROTO_SCTP;
	uint8_t ttl = o && o->ttl ? o->ttl : 64, tos = o ? o->tos : 0;
	const uint8_t *sa, *da;
	size_t alen, udp_off;
	uint32_t ps;

	wire_buf_reset(out);
	if (!src || !dst || src->sa_family != dst->sa_family)
		return out->err = -1;
	if (src->sa_family == AF_INET) {
		/* RFC 791 */
		size_t h;
		uint16_t c;
		if (l4len + 20 > 0xFFFF)
			return out->err = -1;
		sa = (const uint8_t *)&((const struct sockaddr_in *)src)->sin_addr;
		da = (const uint8_t *)&((const struct sockaddr_in *)dst)->sin_addr;
		alen = 4;
		h = out->len;
		wire_buf_u8(out, 0x45);
		wire_buf_u8(out, tos);
		wire_buf_u16(out, (uint16_t)(20 + l4len));
		wire_buf_u16(out, o ? o->id : 0);
		wire_buf_u16(out, o && o->no_df ? 0 : 0x4000);
		wire_buf_u8(out, ttl);
		wire_buf_u8(out, proto);
		wire_buf_u16(out, 0);
		wire_buf_put(out, sa, 4);
		wire_buf_put(out, da, 4);
		if (out->err)
			return -1;
		c = wire_inet_csum(out->p + h, 20, 0);
		out->p[h + 10] = (uint8_t)(c >> 8);
		out->p[h + 11] = (uint8_t)c;
	} else if (src->sa_family == AF_INET6) {
		/* RFC 8200 §3 */
		if (l4len > 0xFFFF)
			return out->err = -1;
		sa = (const uint8_t *)&((const struct sockaddr_in6 *)src)->sin6_addr;
		da = (const uint8_t *)&((const struct sockaddr_in6 *)dst)->sin6_addr;
		alen = 16;
		wire_buf_u32(out, 0x60000000u | (uint32_t)tos << 20 |
				  (o ? o->flow_label & 0xFFFFF : 0));
		wire_buf_u16(out, (uint16_t)l4len);
		wire_buf_u8(out, proto);
		wire_buf_u8(out, ttl);
		wire_buf_put(out, sa, 16);
		wire_buf_put(out, da, 16);
	} else {
		return out->err = -1;
	}
	udp_off = out->len;
	if (udp) {
		/* RFC 6951 §5.3 */
		wire_buf_u16(out, udp_sport);
		wire_buf_u16(out, udp_dport);
		wire_buf_u16(out, (uint16_t)l4len);
		wire_buf_u16(out, 0);
	}
	wire_buf_put(out, payload, plen);
	if (out->err)
		return -1;
	if (udp) {
		uint16_t c;
		/* pseudo header (RFC 768 / RFC 8200 §8.1) */
		ps = wire_sum16(sa, alen) + wire_sum16(da, alen) + proto + (uint32_t)l4len;
		c = wire_inet_csum(out->p + udp_off, l4len, ps);
		if (c == 0)
			c = 0xFFFF;
		out->p[udp_off + 6] = (uint8_t)(c >> 8);
		out->p[udp_off + 7] = (uint8_t)c;
	}
	return 0;
}

int wire_frame_wrap(struct wire_buf *out, int linktype, const uint8_t *ip, size_t len)
{
	wire_buf_reset(out);
	if (linktype == WIRE_DLT_EN10MB) {
		static const uint8_t macs[12] = { 0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01 };
		wire_buf_put(out, macs, 12);
		wire_buf_u16(out, len && (ip[0] >> 4) == 6 ? 0x86DD : 0x0800);
	} else if (linktype != WIRE_DLT_RAW) {
		return out->err = -1;
	}
	wire_buf_put(out, ip, len);
	return out->err ? -1 : 0;
}
