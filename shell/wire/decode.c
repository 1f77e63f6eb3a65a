/*
 * decode.c -- SCTP packet and chunk decoder.
 *
 * Every length read from the input is checked against what is actually
 * available before use.  On a problem the first error is recorded (packet
 * ->error, chunk ->error) and decoding goes on as far as it is meaningful.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wire.h"

#define WIRE_MAX_DEPTH 6   /* nesting of params in causes in params ... */

static inline uint16_t wire_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t wire_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline size_t wire_pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* first-error-wins error sink */
struct wire_derr {
	bool set;
	char msg[256];
};

static void wire_derr(struct wire_derr *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void wire_derr(struct wire_derr *e, const char *fmt, ...)
{
	va_list ap;
	if (e->set)
		return;
	e->set = true;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

/* printable copy of a byte string (for host names, abort reasons) */
static void wire_fl_text(struct wire_fieldlist *l, const char *name,
			 const uint8_t *p, size_t n)
{
	char buf[256];
	size_t i, k = 0;
	for (i = 0; i < n && k < sizeof(buf) - 5; i++) {
		uint8_t c = p[i];
		if (c == 0 && i + 1 == n)
			break; /* trailing NUL (host name, RFC 9260 §3.3.2.1.4) */
		if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') {
			buf[k++] = (char)c;
		} else {
			k += (size_t)snprintf(buf + k, sizeof(buf) - k, "\\x%02x", c);
		}
	}
	buf[k] = 0;
	wire_fl_str(l, name, buf);
}

static bool wire_printable(const uint8_t *p, size_t n)
{
	size_t i;
	if (!n)
		return false;
	for (i = 0; i < n; i++)
		if ((p[i] < 0x20 || p[i] >= 0x7f) && !(p[i] == 0 && i + 1 == n))
			return false;
	return true;
}

static void wire_chunk_name_str(char *buf, size_t n, uint8_t t)
{
	const char *s = wire_chunk_type_name(t);
	if (strcmp(s, "UNKNOWN") == 0)
		snprintf(buf, n, "%u", t);
	else
		snprintf(buf, n, "%s", s);
}

/* need vn >= k, else error; returns true if ok */
static bool wire_need(struct wire_derr *e, const char *pfx, size_t vn, size_t k)
{
	if (vn >= k)
		return true;
	wire_derr(e, "%svalue is %zu bytes, needs at least %zu", pfx, vn, k);
	return false;
}

static void wire_decode_tlvs(struct wire_fieldlist *arr, const uint8_t *p, size_t n,
			     bool causes, int depth, const char *pfx,
			     struct wire_derr *e);

/* ---- parameter values ---------------------------------------------- */

static void wire_decode_addr_value(struct wire_fieldlist *r, uint16_t type,
				   const uint8_t *v, size_t vn, const char *pfx,
				   struct wire_derr *e)
{
	char a[INET6_ADDRSTRLEN];
	if (type == WIRE_PT_IPV4) {
		if (!wire_need(e, pfx, vn, 4))
			return;
		inet_ntop(AF_INET, v, a, sizeof(a));
		wire_fl_str(r, "addr", a);
		if (vn != 4)
			wire_derr(e, "%sIPv4 address parameter value is %zu bytes, not 4", pfx, vn);
	} else {
		if (!wire_need(e, pfx, vn, 16))
			return;
		inet_ntop(AF_INET6, v, a, sizeof(a));
		wire_fl_str(r, "addr", a);
		if (vn != 16)
			wire_derr(e, "%sIPv6 address parameter value is %zu bytes, not 16", pfx, vn);
	}
}

/* If v..vn starts with an IPv4/IPv6 address TLV, add "addr" and return
 * the padded TLV size consumed; else 0. */
static size_t wire_take_addr_tlv(struct wire_fieldlist *r, const uint8_t *v, size_t vn,
				 const char *pfx, struct wire_derr *e)
{
	uint16_t t, len;
	if (vn < 4)
		return 0;
	t = wire_be16(v);
	len = wire_be16(v + 2);
	if (t != WIRE_PT_IPV4 && t != WIRE_PT_IPV6)
		return 0;
	if (len < 4 || len > vn) {
		wire_derr(e, "%saddress parameter length %u runs past its container (%zu bytes left)",
			  pfx, len, vn);
		return 0;
	}
	wire_decode_addr_value(r, t, v + 4, len - 4u, pfx, e);
	return wire_pad4(len) > vn ? vn : wire_pad4(len);
}

static void wire_decode_param_value(struct wire_fieldlist *r, uint16_t type,
				    const uint8_t *v, size_t vn, int depth,
				    const char *pfx, struct wire_derr *e)
{
	struct wire_fieldlist *l;
	size_t i, k;
	char nb[16];

	switch (type) {
	case WIRE_PT_HEARTBEAT_INFO:        /* RFC 9260 §3.3.5 */
		wire_fl_hex(r, "info", v, vn);
		break;
	case WIRE_PT_IPV4:                  /* RFC 9260 §3.3.2.1.1 */
	case WIRE_PT_IPV6:                  /* RFC 9260 §3.3.2.1.2 */
		wire_decode_addr_value(r, type, v, vn, pfx, e);
		break;
	case WIRE_PT_STATE_COOKIE:          /* RFC 9260 §3.3.3.1.1 */
		wire_fl_hex(r, "cookie", v, vn);
		break;
	case WIRE_PT_UNRECOGNIZED:          /* RFC 9260 §3.3.3.1.2 */
		l = wire_fl_list(r, "params", true);
		wire_decode_tlvs(l, v, vn, false, depth + 1, pfx, e);
		break;
	case WIRE_PT_COOKIE_PRESERVATIVE:   /* RFC 9260 §3.3.2.1.3 */
		if (wire_need(e, pfx, vn, 4))
			wire_fl_u64(r, "life_increment", wire_be32(v));
		break;
	case WIRE_PT_HOST_NAME:             /* RFC 9260 §3.3.2.1.4 */
		wire_fl_text(r, "hostname", v, vn);
		break;
	case WIRE_PT_SUPPORTED_ADDR_TYPES:  /* RFC 9260 §3.3.2.1.5 */
		l = wire_fl_list(r, "types", true);
		for (i = 0; i + 2 <= vn; i += 2) {
			uint16_t at = wire_be16(v + i);
			const char *s = at == WIRE_PT_IPV4 ? "ipv4" :
					at == WIRE_PT_IPV6 ? "ipv6" :
					at == WIRE_PT_HOST_NAME ? "hostname" : NULL;
			if (!s) {
				snprintf(nb, sizeof(nb), "%u", at);
				s = nb;
			}
			wire_fl_str(l, "type", s);
		}
		if (vn & 1)
			wire_derr(e, "%sodd value length %zu", pfx, vn);
		break;
	case WIRE_PT_OUT_SSN_RESET:         /* RFC 6525 §4.1 */
		if (!wire_need(e, pfx, vn, 12))
			break;
		wire_fl_u64(r, "req_seq", wire_be32(v));
		wire_fl_u64(r, "resp_seq", wire_be32(v + 4));
		wire_fl_u64(r, "last_tsn", wire_be32(v + 8));
		l = wire_fl_list(r, "streams", true);
		for (i = 12; i + 2 <= vn; i += 2)
			wire_fl_u64(l, "sid", wire_be16(v + i));
		if ((vn - 12) & 1)
			wire_derr(e, "%sodd stream list length", pfx);
		break;
	case WIRE_PT_IN_SSN_RESET:          /* RFC 6525 §4.2 */
		if (!wire_need(e, pfx, vn, 4))
			break;
		wire_fl_u64(r, "req_seq", wire_be32(v));
		l = wire_fl_list(r, "streams", true);
		for (i = 4; i + 2 <= vn; i += 2)
			wire_fl_u64(l, "sid", wire_be16(v + i));
		if ((vn - 4) & 1)
			wire_derr(e, "%sodd stream list length", pfx);
		break;
	case WIRE_PT_SSN_TSN_RESET:         /* RFC 6525 §4.3 */
		if (wire_need(e, pfx, vn, 4))
			wire_fl_u64(r, "req_seq", wire_be32(v));
		break;
	case WIRE_PT_RECONFIG_RESP: {       /* RFC 6525 §4.4 */
		const char *rn;
		if (!wire_need(e, pfx, vn, 8))
			break;
		wire_fl_u64(r, "resp_seq", wire_be32(v));
		wire_fl_u64(r, "result", wire_be32(v + 4));
		rn = wire_reconfig_result_name(wire_be32(v + 4));
		wire_fl_str(r, "result_name", rn ? rn : "unknown");
		if (vn >= 16) {
			wire_fl_u64(r, "sender_next_tsn", wire_be32(v + 8));
			wire_fl_u64(r, "receiver_next_tsn", wire_be32(v + 12));
		}
		if (vn != 8 && vn != 16)
			wire_derr(e, "%sresponse length %zu is neither 12 nor 20", pfx, vn + 4);
		break;
	}
	case WIRE_PT_ADD_OUT_STREAMS:       /* RFC 6525 §4.5 */
	case WIRE_PT_ADD_IN_STREAMS:        /* RFC 6525 §4.6 */
		if (!wire_need(e, pfx, vn, 8))
			break;
		wire_fl_u64(r, "req_seq", wire_be32(v));
		wire_fl_u64(r, "new_streams", wire_be16(v + 4));
		break;
	case WIRE_PT_ECN_CAPABLE:           /* RFC 9260 §3.3.2 (reserved) */
	case WIRE_PT_FORWARD_TSN_SUPPORTED: /* RFC 3758 §3.1 */
	case WIRE_PT_ZERO_CHECKSUM:
		if (vn)
			wire_fl_hex(r, "value", v, vn);
		break;
	case WIRE_PT_RANDOM:                /* RFC 4895 §3.1 */
		wire_fl_hex(r, "random", v, vn);
		break;
	case WIRE_PT_CHUNKS:                /* RFC 4895 §3.2 */
	case WIRE_PT_SUPPORTED_EXT:         /* RFC 5061 §4.2.7 */
		l = wire_fl_list(r, "chunks", true);
		for (i = 0; i < vn; i++) {
			wire_chunk_name_str(nb, sizeof(nb), v[i]);
			wire_fl_str(l, "chunk", nb);
		}
		break;
	case WIRE_PT_HMAC_ALGO:             /* RFC 4895 §3.3 */
		l = wire_fl_list(r, "hmac_ids", true);
		for (i = 0; i + 2 <= vn; i += 2)
			wire_fl_u64(l, "hmac_id", wire_be16(v + i));
		if (vn & 1)
			wire_derr(e, "%sodd HMAC list length %zu", pfx, vn);
		break;
	case WIRE_PT_PADDING:               /* RFC 4820 §4 */
		wire_fl_u64(r, "pad_len", vn);
		break;
	case WIRE_PT_ADD_IP:                /* RFC 5061 §4.2.1 */
	case WIRE_PT_DEL_IP:                /* RFC 5061 §4.2.2 */
	case WIRE_PT_SET_PRIMARY:           /* RFC 5061 §4.2.4 */
		if (!wire_need(e, pfx, vn, 4))
			break;
		wire_fl_u64(r, "corr_id", wire_be32(v));
		k = wire_take_addr_tlv(r, v + 4, vn - 4, pfx, e);
		if (k == 0 && vn > 4)
			wire_derr(e, "%sno IPv4/IPv6 address parameter after the correlation ID", pfx);
		else if (vn == 4)
			wire_derr(e, "%smissing address parameter", pfx);
		break;
	case WIRE_PT_ERROR_CAUSE_IND:       /* RFC 5061 §4.2.3 */
		if (!wire_need(e, pfx, vn, 4))
			break;
		wire_fl_u64(r, "corr_id", wire_be32(v));
		l = wire_fl_list(r, "causes", true);
		wire_decode_tlvs(l, v + 4, vn - 4, true, depth + 1, pfx, e);
		break;
	case WIRE_PT_SUCCESS_IND:           /* RFC 5061 §4.2.5 */
		if (wire_need(e, pfx, vn, 4))
			wire_fl_u64(r, "corr_id", wire_be32(v));
		break;
	case WIRE_PT_ADAPTATION:            /* RFC 5061 §4.2.6 */
		if (wire_need(e, pfx, vn, 4))
			wire_fl_u64(r, "indication", wire_be32(v));
		break;
	default:
		wire_fl_hex(r, "value", v, vn);
		break;
	}
}

/* ---- error cause values (RFC 9260 §3.3.10) ------------------------- */

static void wire_decode_cause_value(struct wire_fieldlist *r, uint16_t code,
				    const uint8_t *v, size_t vn, int depth,
				    const char *pfx, struct wire_derr *e)
{
	struct wire_fieldlist *l;
	size_t i;
	switch (code) {
	case WIRE_EC_INVALID_STREAM:        /* §3.3.10.1 */
		if (wire_need(e, pfx, vn, 2))
			wire_fl_u64(r, "sid", wire_be16(v));
		break;
	case WIRE_EC_MISSING_PARAM: {       /* §3.3.10.2 */
		uint32_t cnt;
		char nb[16];
		if (!wire_need(e, pfx, vn, 4))
			break;
		cnt = wire_be32(v);
		wire_fl_u64(r, "count", cnt);
		l = wire_fl_list(r, "missing", true);
		for (i = 4; i + 2 <= vn && (i - 4) / 2 < cnt; i += 2) {
			uint16_t t = wire_be16(v + i);
			const char *s = wire_param_type_name(t);
			if (!s) {
				snprintf(nb, sizeof(nb), "%u", t);
				s = nb;
			}
			wire_fl_str(l, "param", s);
		}
		if ((uint64_t)cnt * 2 > vn - 4)
			wire_derr(e, "%s%u missing parameters announced, room for %zu", pfx,
				  cnt, (vn - 4) / 2);
		break;
	}
	case WIRE_EC_STALE_COOKIE:          /* §3.3.10.3 */
		if (wire_need(e, pfx, vn, 4))
			wire_fl_u64(r, "staleness_us", wire_be32(v));
		break;
	case WIRE_EC_NO_USER_DATA:          /* §3.3.10.9 */
		if (wire_need(e, pfx, vn, 4))
			wire_fl_u64(r, "tsn", wire_be32(v));
		break;
	case WIRE_EC_UNRESOLVABLE_ADDR:     /* §3.3.10.5 */
	case WIRE_EC_UNRECOGNIZED_PARAMS:   /* §3.3.10.8 */
	case WIRE_EC_RESTART_NEW_ADDRS:     /* §3.3.10.11 */
	case WIRE_EC_DEL_LAST_ADDR:         /* RFC 5061 §4.3.1 */
	case WIRE_EC_RESOURCE_SHORTAGE:     /* RFC 5061 §4.3.2 */
	case WIRE_EC_DEL_SOURCE_ADDR:       /* RFC 5061 §4.3.3 */
	case WIRE_EC_NO_AUTHORIZATION:      /* RFC 5061 §4.3.5 */
		l = wire_fl_list(r, "params", true);
		wire_decode_tlvs(l, v, vn, false, depth + 1, pfx, e);
		break;
	case WIRE_EC_UNRECOGNIZED_CHUNK: {  /* §3.3.10.6 */
		char nb[24];
		if (!wire_need(e, pfx, vn, 4))
			break;
		wire_fl_u64(r, "chunk_type", v[0]);
		wire_chunk_name_str(nb, sizeof(nb), v[0]);
		wire_fl_str(r, "chunk_name", nb);
		wire_fl_u64(r, "chunk_len", wire_be16(v + 2));
		wire_fl_hex(r, "chunk", v, vn);
		break;
	}
	case WIRE_EC_USER_ABORT:            /* §3.3.10.12 */
	case WIRE_EC_PROTOCOL_VIOLATION: {  /* §3.3.10.13 */
		/* text, or text + NUL + binary detail (as Linux sends) */
		const uint8_t *z = memchr(v, 0, vn);
		size_t tn = z ? (size_t)(z - v) : vn;
		if (wire_printable(v, vn)) {
			wire_fl_text(r, "reason", v, vn);
		} else if (tn >= 4 && wire_printable(v, tn)) {
			wire_fl_text(r, "reason", v, tn);
			wire_fl_hex(r, "extra", v + tn + 1, vn - tn - 1);
		} else {
			wire_fl_hex(r, "reason", v, vn);
		}
		break;
	}
	case WIRE_EC_UNSUPPORTED_HMAC:      /* RFC 4895 §4.1 */
		if (wire_need(e, pfx, vn, 2))
			wire_fl_u64(r, "hmac_id", wire_be16(v));
		break;
	case WIRE_EC_OUT_OF_RESOURCE:       /* §3.3.10.4 */
	case WIRE_EC_INVALID_PARAM:         /* §3.3.10.7 */
	case WIRE_EC_COOKIE_WHILE_SHUTDOWN: /* §3.3.10.10 */
	case WIRE_EC_ILLEGAL_ASCONF_ACK:    /* RFC 5061 §4.3.4 */
		if (vn)
			wire_fl_hex(r, "value", v, vn);
		break;
	default:
		wire_fl_hex(r, "value", v, vn);
		break;
	}
}

/*
 * A sequence of TLVs (parameters, RFC 9260 §3.2.1, or error causes,
 * §3.3.10) into the array arr.  Padding of the last TLV may be absent.
 */
static void wire_decode_tlvs(struct wire_fieldlist *arr, const uint8_t *p, size_t n,
			     bool causes, int depth, const char *pfx,
			     struct wire_derr *e)
{
	const char *what = causes ? "cause" : "param";
	size_t off = 0;
	unsigned idx = 0;
	char sub[192], nb[16];

	if (depth > WIRE_MAX_DEPTH) {
		wire_derr(e, "%sparameters nested too deeply", pfx);
		return;
	}
	while (off < n) {
		uint16_t type, len;
		size_t vn;
		const char *name;
		struct wire_fieldlist *r;
		idx++;
		if (n - off < 4) {
			wire_derr(e, "%s%zu trailing bytes after %s %u, too short for a %s header",
				  pfx, n - off, what, idx - 1, what);
			return;
		}
		type = wire_be16(p + off);
		len = wire_be16(p + off + 2);
		name = causes ? wire_cause_name(type) : wire_param_type_name(type);
		if (!name) {
			snprintf(nb, sizeof(nb), "%s-%u", causes ? "cause" : "param", type);
			name = nb;
		}
		snprintf(sub, sizeof(sub), "%s%s %u (%s): ", pfx, what, idx, name);
		r = wire_fl_list(arr, what, false);
		wire_fl_u64(r, causes ? "code" : "type", type);
		wire_fl_str(r, "name", name);
		wire_fl_u64(r, "len", len);
		if (len < 4) {
			wire_derr(e, "%slength %u is less than 4", sub, len);
			return;
		}
		vn = len - 4u;
		if (len > n - off) {
			wire_derr(e, "%slength %u runs past the end (%zu bytes left)", sub, len,
				  n - off);
			vn = n - off - 4;
		}
		if (causes)
			wire_decode_cause_value(r, type, p + off + 4, vn, depth, sub, e);
		else
			wire_decode_param_value(r, type, p + off + 4, vn, depth, sub, e);
		if (len > n - off)
			return;
		off += wire_pad4(len);
	}
}

/* ---- chunks -------------------------------------------------------- */

static void wire_data_flags(struct wire_fieldlist *l, uint8_t fl)
{
	char s[8];
	int k = 0;
	if (fl & WIRE_DATA_FLAG_I)
		s[k++] = 'I';
	if (fl & WIRE_DATA_FLAG_U)
		s[k++] = 'U';
	if (fl & WIRE_DATA_FLAG_B)
		s[k++] = 'B';
	if (fl & WIRE_DATA_FLAG_E)
		s[k++] = 'E';
	s[k] = 0;
	wire_fl_str(l, "flags", s);
}

/* returns false (and sets the error) if the chunk value is shorter than k */
static bool wire_chunk_need(struct wire_derr *e, const char *pfx, uint16_t length,
			    size_t vn, size_t k)
{
	if (vn >= k)
		return true;
	if (length >= 4 + k)
		return false; /* truncated by the packet: error already set */
	wire_derr(e, "%slength %u too short, needs at least %zu", pfx, length, k + 4);
	return false;
}

static void wire_decode_sack(struct wire_fieldlist *f, const uint8_t *v, size_t vn,
			     bool nr, uint16_t length, const char *pfx, struct wire_derr *e)
{
	uint16_t ngap, nnr = 0, ndup;
	size_t need, i, off;
	struct wire_fieldlist *l, *g;
	uint32_t cum;
	size_t hdr = nr ? 16 : 12;
	if (!wire_chunk_need(e, pfx, length, vn, hdr))
		return;
	cum = wire_be32(v);
	ngap = wire_be16(v + 8);
	if (nr) {
		nnr = wire_be16(v + 10);
		ndup = wire_be16(v + 12);
	} else {
		ndup = wire_be16(v + 10);
	}
	wire_fl_u64(f, "cum_tsn", cum);
	wire_fl_u64(f, "a_rwnd", wire_be32(v + 4));
	wire_fl_u64(f, "n_gaps", ngap);
	if (nr)
		wire_fl_u64(f, "n_nr_gaps", nnr);
	wire_fl_u64(f, "n_dups", ndup);
	need = hdr + 4u * ngap + 4u * nnr + 4u * ndup;
	if (need > vn)
		wire_derr(e, "%s%u gap blocks%s and %u duplicate TSNs need %zu bytes, %zu present",
			  pfx, ngap, nr ? " (+NR)" : "", ndup, need + 4, vn + 4);
	off = hdr;
	for (int pass = 0; pass < (nr ? 2 : 1); pass++) {
		uint16_t cnt = pass ? nnr : ngap;
		l = wire_fl_list(f, pass ? "nr_gaps" : "gaps", true);
		for (i = 0; i < cnt && off + 4 <= vn; i++, off += 4) {
			uint16_t s = wire_be16(v + off), en = wire_be16(v + off + 2);
			g = wire_fl_list(l, pass ? "nr_gap" : "gap", false);
			wire_fl_u64(g, "start", s);
			wire_fl_u64(g, "end", en);
		}
		if (i < cnt)
			off = vn;
	}
	l = wire_fl_list(f, "dups", true);
	for (i = 0; i < ndup && off + 4 <= vn; i++, off += 4)
		wire_fl_u64(l, "tsn", wire_be32(v + off));
	if (need < vn)
		wire_derr(e, "%s%zu unexpected bytes after the duplicate TSNs", pfx, vn - need);
}

void wire_chunk_free(struct wire_chunk *c)
{
	if (!c)
		return;
	wire_fieldlist_free(&c->fields);
	free(c->error);
	c->error = NULL;
}

int wire_decode_chunk(const uint8_t *p, size_t avail, unsigned idx, struct wire_chunk *c)
{
	struct wire_derr e = { false, "" };
	struct wire_fieldlist *f = &c->fields, *l, *g;
	const uint8_t *v;
	size_t vn, i;
	char pfx[64];
	const char *nm;

	memset(c, 0, sizeof(*c));
	wire_fieldlist_init(f, false);
	if (avail < 4) {
		wire_derr(&e, "chunk %u: %zu bytes left, too short for a chunk header", idx, avail);
		goto out;
	}
	c->type = p[0];
	c->flags = p[1];
	c->length = wire_be16(p + 2);
	nm = wire_chunk_type_name(c->type);
	if (strcmp(nm, "UNKNOWN") == 0)
		snprintf(pfx, sizeof(pfx), "chunk %u (type %u): ", idx, c->type);
	else
		snprintf(pfx, sizeof(pfx), "chunk %u (%s): ", idx, nm);
	if (c->length < 4) {
		wire_derr(&e, "%slength %u is less than 4", pfx, c->length);
		goto out;
	}
	vn = c->length - 4u;
	if (c->length > avail) {
		wire_derr(&e, "%slength %u runs past packet end (%zu bytes left)", pfx,
			  c->length, avail);
		vn = avail - 4;
	}
	v = p + 4;

	switch (c->type) {
	case WIRE_CT_DATA:                  /* RFC 9260 §3.3.1 */
		if (!wire_chunk_need(&e, pfx, c->length, vn, 12))
			break;
		wire_fl_u64(f, "tsn", wire_be32(v));
		wire_fl_u64(f, "sid", wire_be16(v + 4));
		wire_fl_u64(f, "ssn", wire_be16(v + 6));
		wire_fl_u64(f, "ppid", wire_be32(v + 8));
		wire_data_flags(f, c->flags);
		wire_fl_hex(f, "payload", v + 12, vn - 12)->flags |= WF_NOLINE;
		break;
	case WIRE_CT_IDATA:                 /* RFC 8260 §2.1 */
		if (!wire_chunk_need(&e, pfx, c->length, vn, 16))
			break;
		wire_fl_u64(f, "tsn", wire_be32(v));
		wire_fl_u64(f, "sid", wire_be16(v + 4));
		wire_fl_u64(f, "mid", wire_be32(v + 8));
		if (c->flags & WIRE_DATA_FLAG_B)
			wire_fl_u64(f, "ppid", wire_be32(v + 12));
		else
			wire_fl_u64(f, "fsn", wire_be32(v + 12));
		wire_data_flags(f, c->flags);
		wire_fl_hex(f, "payload", v + 16, vn - 16)->flags |= WF_NOLINE;
		break;
	case WIRE_CT_SACK:                  /* RFC 9260 §3.3.4 */
		wire_decode_sack(f, v, vn, false, c->length, pfx, &e);
		break;
	case WIRE_CT_NR_SACK:
		wire_decode_sack(f, v, vn, true, c->length, pfx, &e);
		break;
	case WIRE_CT_INIT:                  /* RFC 9260 §3.3.2 */
	case WIRE_CT_INIT_ACK:              /* RFC 9260 §3.3.3 */
		if (!wire_chunk_need(&e, pfx, c->length, vn, 16))
			break;
		wire_fl_u64(f, "init_tag", wire_be32(v));
		wire_fl_u64(f, "a_rwnd", wire_be32(v + 4));
		wire_fl_u64(f, "os", wire_be16(v + 8));
		wire_fl_u64(f, "mis", wire_be16(v + 10));
		wire_fl_u64(f, "init_tsn", wire_be32(v + 12));
		l = wire_fl_list(f, "params", true);
		wire_decode_tlvs(l, v + 16, vn - 16, false, 0, pfx, &e);
		break;
	case WIRE_CT_HEARTBEAT:             /* RFC 9260 §3.3.5 */
	case WIRE_CT_HEARTBEAT_ACK:         /* RFC 9260 §3.3.6 */
		if (vn >= 4 && wire_be16(v) == WIRE_PT_HEARTBEAT_INFO &&
		    wire_be16(v + 2) >= 4 && wire_be16(v + 2) <= vn)
			wire_fl_hex(f, "info", v + 4, wire_be16(v + 2) - 4u);
		l = wire_fl_list(f, "params", true);
		wire_decode_tlvs(l, v, vn, false, 0, pfx, &e);
		f->v[f->n - 1].flags |= WF_NOLINE;
		if (vn == 0)
			wire_derr(&e, "%smissing Heartbeat Info parameter", pfx);
		break;
	case WIRE_CT_ABORT:                 /* RFC 9260 §3.3.7 */
	case WIRE_CT_ERROR:                 /* RFC 9260 §3.3.10 */
		if (c->type == WIRE_CT_ABORT)
			wire_fl_u64(f, "t", c->flags & WIRE_FLAG_T);
		l = wire_fl_list(f, "causes", true);
		wire_decode_tlvs(l, v, vn, true, 0, pfx, &e);
		break;
	case WIRE_CT_SHUTDOWN:              /* RFC 9260 §3.3.8 */
		if (wire_chunk_need(&e, pfx, c->length, vn, 4))
			wire_fl_u64(f, "cum_tsn", wire_be32(v));
		break;
	case WIRE_CT_SHUTDOWN_COMPLETE:     /* RFC 9260 §3.3.13 */
		wire_fl_u64(f, "t", c->flags & WIRE_FLAG_T);
		/* fall through */
	case WIRE_CT_SHUTDOWN_ACK:          /* RFC 9260 §3.3.9 */
	case WIRE_CT_COOKIE_ACK:            /* RFC 9260 §3.3.12 */
		if (vn)
			wire_fl_hex(f, "extra", v, vn);
		break;
	case WIRE_CT_COOKIE_ECHO:           /* RFC 9260 §3.3.11 */
		wire_fl_hex(f, "cookie", v, vn);
		break;
	case WIRE_CT_ECNE:                  /* RFC 3168 App. A */
	case WIRE_CT_CWR:
		if (wire_chunk_need(&e, pfx, c->length, vn, 4))
			wire_fl_u64(f, "lowest_tsn", wire_be32(v));
		break;
	case WIRE_CT_AUTH: {                /* RFC 4895 §4.1 */
		const char *hn;
		if (!wire_chunk_need(&e, pfx, c->length, vn, 4))
			break;
		wire_fl_u64(f, "key_id", wire_be16(v));
		wire_fl_u64(f, "hmac_id", wire_be16(v + 2));
		hn = wire_hmac_name(wire_be16(v + 2));
		wire_fl_str(f, "hmac_name", hn ? hn : "unknown");
		wire_fl_hex(f, "hmac", v + 4, vn - 4);
		break;
	}
	case WIRE_CT_ASCONF: {              /* RFC 5061 §4.1.1 */
		size_t k;
		if (!wire_chunk_need(&e, pfx, c->length, vn, 4))
			break;
		wire_fl_u64(f, "serial", wire_be32(v));
		k = wire_take_addr_tlv(f, v + 4, vn - 4, pfx, &e);
		if (k == 0)
			wire_derr(&e, "%smissing the mandatory address parameter", pfx);
		l = wire_fl_list(f, "params", true);
		wire_decode_tlvs(l, v + 4 + k, vn - 4 - k, false, 0, pfx, &e);
		break;
	}
	case WIRE_CT_ASCONF_ACK:            /* RFC 5061 §4.1.2 */
		if (!wire_chunk_need(&e, pfx, c->length, vn, 4))
			break;
		wire_fl_u64(f, "serial", wire_be32(v));
		l = wire_fl_list(f, "params", true);
		wire_decode_tlvs(l, v + 4, vn - 4, false, 0, pfx, &e);
		break;
	case WIRE_CT_RECONFIG:              /* RFC 6525 §3.1 */
		l = wire_fl_list(f, "params", true);
		wire_decode_tlvs(l, v, vn, false, 0, pfx, &e);
		if (vn == 0)
			wire_derr(&e, "%sno request or response parameter", pfx);
		break;
	case WIRE_CT_PAD:                   /* RFC 4820 §3 */
		wire_fl_u64(f, "pad_len", vn);
		break;
	case WIRE_CT_FORWARD_TSN:           /* RFC 3758 §3.2 */
		if (!wire_chunk_need(&e, pfx, c->length, vn, 4))
			break;
		wire_fl_u64(f, "new_cum_tsn", wire_be32(v));
		l = wire_fl_list(f, "streams", true);
		for (i = 4; i + 4 <= vn; i += 4) {
			g = wire_fl_list(l, "stream", false);
			wire_fl_u64(g, "sid", wire_be16(v + i));
			wire_fl_u64(g, "ssn", wire_be16(v + i + 2));
		}
		if ((vn - 4) % 4 && c->length <= avail)
			wire_derr(&e, "%s%zu stray bytes after the stream/SSN pairs", pfx,
				  (vn - 4) % 4);
		break;
	case WIRE_CT_IFORWARD_TSN:          /* RFC 8260 §2.3.1 */
		if (!wire_chunk_need(&e, pfx, c->length, vn, 4))
			break;
		wire_fl_u64(f, "new_cum_tsn", wire_be32(v));
		l = wire_fl_list(f, "streams", true);
		for (i = 4; i + 8 <= vn; i += 8) {
			g = wire_fl_list(l, "stream", false);
			wire_fl_u64(g, "sid", wire_be16(v + i));
			wire_fl_u64(g, "u", v[i + 3] & 1);
			wire_fl_u64(g, "mid", wire_be32(v + i + 4));
		}
		if ((vn - 4) % 8 && c->length <= avail)
			wire_derr(&e, "%s%zu stray bytes after the stream entries", pfx,
				  (vn - 4) % 8);
		break;
	default:
		wire_fl_hex(f, "value", v, vn);
		break;
	}
out:
	if (e.set) {
		c->error = strdup(e.msg);
		if (!c->error)
			abort();
		return -1;
	}
	return 0;
}

/* ---- packet layers ------------------------------------------------- */

static void wire_perr(struct wire_packet *pkt, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void wire_perr(struct wire_packet *pkt, const char *fmt, ...)
{
	va_list ap;
	if (pkt->error[0])
		return;
	va_start(ap, fmt);
	vsnprintf(pkt->error, sizeof(pkt->error), fmt, ap);
	va_end(ap);
	if (!pkt->error[0])
		snprintf(pkt->error, sizeof(pkt->error), "decode error");
}

void wire_packet_free(struct wire_packet *pkt)
{
	size_t i;
	if (!pkt)
		return;
	for (i = 0; i < pkt->nchunks; i++)
		wire_chunk_free(&pkt->chunks[i]);
	free(pkt->chunks);
	pkt->chunks = NULL;
	pkt->nchunks = 0;
}

static void wire_pkt_reset(struct wire_packet *pkt, int linktype)
{
	memset(pkt, 0, sizeof(*pkt));
	pkt->linktype = linktype;
}

/* start of the buffer handed to the public entry point (for sctp_offset);
 * passed explicitly, no global state */
struct wire_dctx {
	const uint8_t *base;
};

static int wire_decode_sctp_inner(const struct wire_dctx *d, const uint8_t *p, size_t len,
				  struct wire_packet *pkt)
{
	size_t off = 12, cap = 0;
	unsigned idx = 0;
	uint32_t crc;

	pkt->sctp_len = len;
	pkt->sctp_offset = (size_t)(p - d->base);
	if (len < 12) {
		wire_perr(pkt, "SCTP packet is %zu bytes, shorter than the 12-byte common header",
			  len);
		return -1;
	}
	/* RFC 9260 §3.1 */
	pkt->have_sctp = true;
	pkt->sport = wire_be16(p);
	pkt->dport = wire_be16(p + 2);
	pkt->vtag = wire_be32(p + 4);
	pkt->checksum = wire_be32(p + 8);
	crc = wire_sctp_checksum(p, len);
	/* stored little-endian (App. A); present it as read big-endian, like
	 * Wireshark does */
	pkt->checksum_calc = __builtin_bswap32(crc);
	pkt->crc_ok = pkt->checksum == pkt->checksum_calc;

	if (len == 12)
		wire_perr(pkt, "SCTP packet has no chunks");
	while (off < len) {
		struct wire_chunk *c;
		idx++;
		if (len - off < 4) {
			wire_perr(pkt, "chunk %u: %zu bytes left, too short for a chunk header",
				  idx, len - off);
			break;
		}
		if (pkt->nchunks == cap) {
			struct wire_chunk *nc;
			cap = cap ? cap * 2 : 4;
			nc = realloc(pkt->chunks, cap * sizeof(*nc));
			if (!nc)
				abort();
			pkt->chunks = nc;
		}
		c = &pkt->chunks[pkt->nchunks++];
		wire_decode_chunk(p + off, len - off, idx, c);
		c->offset = off;
		if (c->error)
			wire_perr(pkt, "%s", c->error);
		if (c->length < 4 || c->length > len - off)
			break;
		off += wire_pad4(c->length);
	}
	return pkt->error[0] ? -1 : 0;
}

int wire_decode_sctp(const uint8_t *p, size_t len, struct wire_packet *pkt)
{
	struct wire_dctx d = { p };
	wire_pkt_reset(pkt, -1);
	return wire_decode_sctp_inner(&d, p, len, pkt);
}

static void wire_set_sa(struct wire_packet *pkt, int af, const uint8_t *s, const uint8_t *d)
{
	pkt->ip_version = af == AF_INET ? 4 : 6;
	if (af == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&pkt->src_sa;
		struct sockaddr_in *b = (struct sockaddr_in *)&pkt->dst_sa;
		a->sin_family = b->sin_family = AF_INET;
		memcpy(&a->sin_addr, s, 4);
		memcpy(&b->sin_addr, d, 4);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&pkt->src_sa;
		struct sockaddr_in6 *b = (struct sockaddr_in6 *)&pkt->dst_sa;
		a->sin6_family = b->sin6_family = AF_INET6;
		memcpy(&a->sin6_addr, s, 16);
		memcpy(&b->sin6_addr, d, 16);
	}
	inet_ntop(af, s, pkt->src, sizeof(pkt->src));
	inet_ntop(af, d, pkt->dst, sizeof(pkt->dst));
}

static void wire_set_ports(struct wire_packet *pkt)
{
	if (!pkt->have_sctp)
		return;
	if (pkt->src_sa.ss_family == AF_INET) {
		((struct sockaddr_in *)&pkt->src_sa)->sin_port = htons(pkt->sport);
		((struct sockaddr_in *)&pkt->dst_sa)->sin_port = htons(pkt->dport);
	} else if (pkt->src_sa.ss_family == AF_INET6) {
		((struct sockaddr_in6 *)&pkt->src_sa)->sin6_port = htons(pkt->sport);
		((struct sockaddr_in6 *)&pkt->dst_sa)->sin6_port = htons(pkt->dport);
	}
}

/* transport: proto at p..len */
static int wire_decode_l4(const struct wire_dctx *d, uint8_t proto, const uint8_t *p, size_t len,
			  const struct wire_decode_opts *opts, struct wire_packet *pkt)
{
	uint16_t port = opts && opts->udp_port ? opts->udp_port : WIRE_UDP_ENCAP_PORT;
	if (proto == IPPROTO_SCTP) {
		wire_decode_sctp_inner(d, p, len, pkt);
	} else if (proto == IPPROTO_UDP) {
		uint16_t ulen;
		if (len < 8) {
			wire_perr(pkt, "UDP header truncated (%zu bytes)", len);
			return -1;
		}
		pkt->udp_sport = wire_be16(p);
		pkt->udp_dport = wire_be16(p + 2);
		ulen = wire_be16(p + 4);
		if (!(opts && opts->udp_any) && pkt->udp_sport != port && pkt->udp_dport != port) {
			wire_perr(pkt, "UDP %u > %u is not SCTP encapsulation (port %u)",
				  pkt->udp_sport, pkt->udp_dport, port);
			return -1;
		}
		pkt->udp_encap = true;  /* RFC 6951 §5.4 */
		if (ulen < 8) {
			wire_perr(pkt, "UDP length %u is less than 8", ulen);
			return -1;
		}
		if (ulen > len)
			wire_perr(pkt, "UDP length %u exceeds the %zu bytes present", ulen, len);
		else
			len = ulen;
		wire_decode_sctp_inner(d, p + 8, len - 8, pkt);
	} else {
		wire_perr(pkt, "IP protocol %u is not SCTP", proto);
		return -1;
	}
	wire_set_ports(pkt);
	return pkt->error[0] ? -1 : 0;
}

static int wire_decode_ip_inner(const struct wire_dctx *d, const uint8_t *p, size_t len,
				const struct wire_decode_opts *opts, struct wire_packet *pkt)
{
	if (len < 1) {
		wire_perr(pkt, "empty IP packet");
		return -1;
	}
	if ((p[0] >> 4) == 4) {
		size_t ihl;
		uint16_t tot, frag;
		if (len < 20) {
			wire_perr(pkt, "IPv4 header truncated (%zu bytes)", len);
			return -1;
		}
		ihl = (size_t)(p[0] & 15) * 4;
		tot = wire_be16(p + 2);
		if (ihl < 20 || ihl > len) {
			wire_perr(pkt, "bad IPv4 header length %zu (%zu bytes present)", ihl, len);
			return -1;
		}
		wire_set_sa(pkt, AF_INET, p + 12, p + 16);
		pkt->ip_ttl = p[8];
		pkt->ip_tos = p[1];
		if (tot < ihl) {
			wire_perr(pkt, "IPv4 total length %u is less than the header length %zu",
				  tot, ihl);
			return -1;
		}
		if (tot > len)
			wire_perr(pkt, "IPv4 total length %u exceeds the %zu bytes captured", tot, len);
		else
			len = tot;  /* drop link-layer padding */
		frag = wire_be16(p + 6);
		if (frag & 0x1FFF) {
			wire_perr(pkt, "IPv4 fragment at offset %u (not reassembled)",
				  (frag & 0x1FFF) * 8);
			return -1;
		}
		if (frag & 0x2000)
			wire_perr(pkt, "IPv4 first fragment (not reassembled)");
		return wire_decode_l4(d, p[9], p + ihl, len - ihl, opts, pkt);
	}
	if ((p[0] >> 4) == 6) {
		uint16_t plen;
		uint8_t nh;
		size_t off = 40;
		int hops = 0;
		if (len < 40) {
			wire_perr(pkt, "IPv6 header truncated (%zu bytes)", len);
			return -1;
		}
		wire_set_sa(pkt, AF_INET6, p + 8, p + 24);
		pkt->ip_ttl = p[7];
		pkt->ip_tos = (uint8_t)((p[0] & 0x0F) << 4 | p[1] >> 4);
		plen = wire_be16(p + 4);
		if ((size_t)plen + 40 > len)
			wire_perr(pkt, "IPv6 payload length %u exceeds the %zu bytes captured",
				  plen, len - 40);
		else
			len = (size_t)plen + 40;
		nh = p[6];
		/* skip extension headers (RFC 8200 §4) */
		for (;;) {
			size_t hl;
			if (nh == 0 || nh == 43 || nh == 60 || nh == 135 || nh == 139 ||
			    nh == 140) {
				if (len - off < 2) {
					wire_perr(pkt, "IPv6 extension header %u truncated", nh);
					return -1;
				}
				hl = ((size_t)p[off + 1] + 1) * 8;
			} else if (nh == 44) {  /* fragment header */
				if (len - off < 8) {
					wire_perr(pkt, "IPv6 fragment header truncated");
					return -1;
				}
				if ((wire_be16(p + off + 2) & 0xFFF8) != 0) {
					wire_perr(pkt, "IPv6 fragment (not reassembled)");
					return -1;
				}
				if (wire_be16(p + off + 2) & 1)
					wire_perr(pkt, "IPv6 first fragment (not reassembled)");
				hl = 8;
			} else if (nh == 51) {  /* AH, RFC 4302: length in 4-octet units - 2 */
				if (len - off < 2) {
					wire_perr(pkt, "IPv6 AH header truncated");
					return -1;
				}
				hl = ((size_t)p[off + 1] + 2) * 4;
			} else {
				break;
			}
			if (hl > len - off) {
				wire_perr(pkt, "IPv6 extension header %u (%zu bytes) runs past the packet",
					  nh, hl);
				return -1;
			}
			nh = p[off];
			off += hl;
			if (++hops > 16) {
				wire_perr(pkt, "too many IPv6 extension headers");
				return -1;
			}
		}
		return wire_decode_l4(d, nh, p + off, len - off, opts, pkt);
	}
	wire_perr(pkt, "not an IP packet (version %u)", p[0] >> 4);
	return -1;
}

int wire_decode_ip(const uint8_t *p, size_t len, const struct wire_decode_opts *opts,
		   struct wire_packet *pkt)
{
	struct wire_dctx d = { p };
	wire_pkt_reset(pkt, WIRE_DLT_RAW);
	return wire_decode_ip_inner(&d, p, len, opts, pkt);
}

static int wire_decode_ethertype(const struct wire_dctx *d, uint16_t et, const uint8_t *p,
				 size_t len, const struct wire_decode_opts *opts,
				 struct wire_packet *pkt)
{
	if (et == 0x0800 || et == 0x86DD)
		return wire_decode_ip_inner(d, p, len, opts, pkt);
	wire_perr(pkt, "ethertype 0x%04x is not IP", et);
	return -1;
}

int wire_decode_frame(const uint8_t *f, size_t len, int linktype,
		      const struct wire_decode_opts *opts, struct wire_packet *pkt)
{
	struct wire_dctx dc = { f };
	const struct wire_dctx *d = &dc;
	wire_pkt_reset(pkt, linktype);
	switch (linktype) {
	case WIRE_DLT_EN10MB: {
		size_t off = 12;
		uint16_t et;
		int tags = 0;
		if (len < 14) {
			wire_perr(pkt, "Ethernet header truncated (%zu bytes)", len);
			return -1;
		}
		et = wire_be16(f + 12);
		/* 802.1Q / 802.1ad VLAN tags */
		while ((et == 0x8100 || et == 0x88A8) && tags < 4) {
			off += 4;
			tags++;
			if (len < off + 2) {
				wire_perr(pkt, "VLAN tag truncated");
				return -1;
			}
			et = wire_be16(f + off);
		}
		return wire_decode_ethertype(d, et, f + off + 2, len - off - 2, opts, pkt);
	}
	case 0:    /* DLT_NULL: 4-byte address family in host byte order */
	case 108:  /* DLT_LOOP: network byte order */
		if (len < 4) {
			wire_perr(pkt, "loopback header truncated");
			return -1;
		}
		return wire_decode_ip_inner(d, f + 4, len - 4, opts, pkt);
	case WIRE_DLT_RAW:
	case 12:   /* DLT_RAW on some BSDs */
	case 14:
		return wire_decode_ip_inner(d, f, len, opts, pkt);
	case WIRE_DLT_LINUX_SLL:
		if (len < 16) {
			wire_perr(pkt, "Linux cooked (SLL) header truncated (%zu bytes)", len);
			return -1;
		}
		return wire_decode_ethertype(d, wire_be16(f + 14), f + 16, len - 16, opts, pkt);
	case WIRE_DLT_LINUX_SLL2:
		if (len < 20) {
			wire_perr(pkt, "Linux cooked (SLL2) header truncated (%zu bytes)", len);
			return -1;
		}
		return wire_decode_ethertype(d, wire_be16(f), f + 20, len - 20, opts, pkt);
	default:
		wire_perr(pkt, "unsupported link type %d", linktype);
		return -1;
	}
}
