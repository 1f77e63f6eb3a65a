/*
 * auth.c -- SCTP-AUTH (RFC 4895) helpers: SHA-1 / SHA-256 (FIPS 180-4),
 * HMAC (RFC 2104), the association shared key (RFC 4895 §6.1) and
 * signing / verifying a packet's AUTH chunk (§6.2, §6.3).
 *
 * Pure functions over bytes; no key storage, no clocks.
 */
#include <string.h>
#include "wire.h"

/* ---- SHA-1 (FIPS 180-4 §6.1) --------------------------------------------- */

struct wire_sha1 {
	uint32_t h[5];
	uint64_t len;
	uint8_t buf[64];
	size_t n;
};

static inline uint32_t wire_rol(uint32_t x, int k)
{
	return (x << k) | (x >> (32 - k));
}

static inline uint32_t wire_ror(uint32_t x, int k)
{
	return (x >> k) | (x << (32 - k));
}

static inline uint32_t wire_ld32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void wire_st32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void wire_sha1_block(struct wire_sha1 *s, const uint8_t *b)
{
	uint32_t w[80], a, bb, c, d, e, t;
	int i;
	for (i = 0; i < 16; i++)
		w[i] = wire_ld32(b + 4 * i);
	for (; i < 80; i++)
		w[i] = wire_rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	a = s->h[0]; bb = s->h[1]; c = s->h[2]; d = s->h[3]; e = s->h[4];
	for (i = 0; i < 80; i++) {
		uint32_t f, k;
		if (i < 20) {
			f = (bb & c) | (~bb & d);
			k = 0x5A827999;
		} else if (i < 40) {
			f = bb ^ c ^ d;
			k = 0x6ED9EBA1;
		} else if (i < 60) {
			f = (bb & c) | (bb & d) | (c & d);
			k = 0x8F1BBCDC;
		} else {
			f = bb ^ c ^ d;
			k = 0xCA62C1D6;
		}
		t = wire_rol(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = wire_rol(bb, 30);
		bb = a;
		a = t;
	}
	s->h[0] += a; s->h[1] += bb; s->h[2] += c; s->h[3] += d; s->h[4] += e;
}

static void wire_sha1_init(struct wire_sha1 *s)
{
	static const uint32_t iv[5] = { 0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476,
					0xC3D2E1F0 };
	memcpy(s->h, iv, sizeof(iv));
	s->len = 0;
	s->n = 0;
}

static void wire_sha1_update(struct wire_sha1 *s, const uint8_t *p, size_t n)
{
	s->len += n;
	while (n) {
		size_t k = 64 - s->n < n ? 64 - s->n : n;
		memcpy(s->buf + s->n, p, k);
		s->n += k;
		p += k;
		n -= k;
		if (s->n == 64) {
			wire_sha1_block(s, s->buf);
			s->n = 0;
		}
	}
}

static void wire_sha1_final(struct wire_sha1 *s, uint8_t out[20])
{
	uint64_t bits = s->len * 8;
	uint8_t pad[72] = { 0x80 };
	size_t padn = (s->n < 56 ? 56 - s->n : 120 - s->n);
	int i;
	wire_sha1_update(s, pad, padn);
	for (i = 0; i < 8; i++)
		pad[i] = (uint8_t)(bits >> (56 - 8 * i));
	wire_sha1_update(s, pad, 8);
	for (i = 0; i < 5; i++)
		wire_st32(out + 4 * i, s->h[i]);
}

/* ---- SHA-256 (FIPS 180-4 §6.2) ------------------------------------------- */

struct wire_sha256 {
	uint32_t h[8];
	uint64_t len;
	uint8_t buf[64];
	size_t n;
};

static const uint32_t wire_sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2,
};

static void wire_sha256_block(struct wire_sha256 *s, const uint8_t *b)
{
	uint32_t w[64], v[8], t1, t2;
	int i;
	for (i = 0; i < 16; i++)
		w[i] = wire_ld32(b + 4 * i);
	for (; i < 64; i++) {
		uint32_t s0 = wire_ror(w[i - 15], 7) ^ wire_ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = wire_ror(w[i - 2], 17) ^ wire_ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	memcpy(v, s->h, sizeof(v));
	for (i = 0; i < 64; i++) {
		uint32_t S1 = wire_ror(v[4], 6) ^ wire_ror(v[4], 11) ^ wire_ror(v[4], 25);
		uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
		uint32_t S0 = wire_ror(v[0], 2) ^ wire_ror(v[0], 13) ^ wire_ror(v[0], 22);
		uint32_t mj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
		t1 = v[7] + S1 + ch + wire_sha256_k[i] + w[i];
		t2 = S0 + mj;
		v[7] = v[6]; v[6] = v[5]; v[5] = v[4]; v[4] = v[3] + t1;
		v[3] = v[2]; v[2] = v[1]; v[1] = v[0]; v[0] = t1 + t2;
	}
	for (i = 0; i < 8; i++)
		s->h[i] += v[i];
}

static void wire_sha256_init(struct wire_sha256 *s)
{
	static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
					0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	memcpy(s->h, iv, sizeof(iv));
	s->len = 0;
	s->n = 0;
}

static void wire_sha256_update(struct wire_sha256 *s, const uint8_t *p, size_t n)
{
	s->len += n;
	while (n) {
		size_t k = 64 - s->n < n ? 64 - s->n : n;
		memcpy(s->buf + s->n, p, k);
		s->n += k;
		p += k;
		n -= k;
		if (s->n == 64) {
			wire_sha256_block(s, s->buf);
			s->n = 0;
		}
	}
}

static void wire_sha256_final(struct wire_sha256 *s, uint8_t out[32])
{
	uint64_t bits = s->len * 8;
	uint8_t pad[72] = { 0x80 };
	size_t padn = (s->n < 56 ? 56 - s->n : 120 - s->n);
	int i;
	wire_sha256_update(s, pad, padn);
	for (i = 0; i < 8; i++)
		pad[i] = (uint8_t)(bits >> (56 - 8 * i));
	wire_sha256_update(s, pad, 8);
	for (i = 0; i < 8; i++)
		wire_st32(out + 4 * i, s->h[i]);
}

size_t wire_hash(uint16_t hmac_id, const void *p, size_t n, uint8_t out[32])
{
	if (hmac_id == WIRE_HMAC_SHA1) {
		struct wire_sha1 s;
		wire_sha1_init(&s);
		wire_sha1_update(&s, p, n);
		wire_sha1_final(&s, out);
		return 20;
	}
	if (hmac_id == WIRE_HMAC_SHA256) {
		struct wire_sha256 s;
		wire_sha256_init(&s);
		wire_sha256_update(&s, p, n);
		wire_sha256_final(&s, out);
		return 32;
	}
	return 0;
}

size_t wire_hmac_len(uint16_t hmac_id)
{
	return hmac_id == WIRE_HMAC_SHA1 ? 20 : hmac_id == WIRE_HMAC_SHA256 ? 32 : 0;
}

/* RFC 2104: H(K ^ opad, H(K ^ ipad, text)); block size 64 for both */
size_t wire_hmac(uint16_t hmac_id, const uint8_t *key, size_t klen,
		 const uint8_t *data, size_t dlen, uint8_t out[32])
{
	uint8_t k[64], pad[64], inner[32];
	size_t hl = wire_hmac_len(hmac_id), i;
	if (!hl)
		return 0;
	memset(k, 0, sizeof(k));
	if (klen > 64)
		wire_hash(hmac_id, key, klen, k);
	else if (klen)
		memcpy(k, key, klen);
	for (i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x36;
	if (hmac_id == WIRE_HMAC_SHA1) {
		struct wire_sha1 s;
		wire_sha1_init(&s);
		wire_sha1_update(&s, pad, 64);
		wire_sha1_update(&s, data, dlen);
		wire_sha1_final(&s, inner);
		for (i = 0; i < 64; i++)
			pad[i] = k[i] ^ 0x5c;
		wire_sha1_init(&s);
		wire_sha1_update(&s, pad, 64);
		wire_sha1_update(&s, inner, 20);
		wire_sha1_final(&s, out);
	} else {
		struct wire_sha256 s;
		wire_sha256_init(&s);
		wire_sha256_update(&s, pad, 64);
		wire_sha256_update(&s, data, dlen);
		wire_sha256_final(&s, inner);
		for (i = 0; i < 64; i++)
			pad[i] = k[i] ^ 0x5c;
		wire_sha256_init(&s);
		wire_sha256_update(&s, pad, 64);
		wire_sha256_update(&s, inner, 32);
		wire_sha256_final(&s, out);
	}
	return hl;
}

/* ---- RFC 4895 §6.1 key vectors and association shared key ---------------- */

static uint16_t wire_g16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

int wire_auth_key_vector(const uint8_t *chunk, size_t len, struct wire_buf *vec)
{
	static const uint16_t order[3] = { WIRE_PT_RANDOM, WIRE_PT_CHUNKS, WIRE_PT_HMAC_ALGO };
	size_t clen, k;
	bool have_random = false;
	wire_buf_reset(vec);
	if (len < 20 || (chunk[0] != WIRE_CT_INIT && chunk[0] != WIRE_CT_INIT_ACK))
		return vec->err = -1;
	clen = wire_g16(chunk + 2);
	if (clen < 20 || clen > len)
		return vec->err = -1;
	/* RANDOM, CHUNKS, HMAC-ALGO in that order (as Linux and FreeBSD do),
	 * each with type and length but without padding */
	for (k = 0; k < 3; k++) {
		size_t off = 20;
		while (off + 4 <= clen) {
			uint16_t t = wire_g16(chunk + off), l = wire_g16(chunk + off + 2);
			if (l < 4 || l > clen - off)
				return vec->err = -1;
			if (t == order[k]) {
				wire_buf_put(vec, chunk + off, l);
				if (t == WIRE_PT_RANDOM)
					have_random = true;
				break;
			}
			off += ((size_t)l + 3) & ~(size_t)3;
		}
	}
	if (!have_random)
		return vec->err = -1;
	return vec->err ? -1 : 0;
}

/* numeric comparison of byte vectors in network byte order */
static int wire_vec_cmp(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
	while (an && !*a) {
		a++;
		an--;
	}
	while (bn && !*b) {
		b++;
		bn--;
	}
	if (an != bn)
		return an < bn ? -1 : 1;
	return an ? memcmp(a, b, an) : 0;
}

int wire_auth_assoc_key(const uint8_t *ep_key, size_t eklen,
			const uint8_t *v1, size_t n1, const uint8_t *v2, size_t n2,
			struct wire_buf *key)
{
	int c = wire_vec_cmp(v1, n1, v2, n2);
	wire_buf_reset(key);
	wire_buf_put(key, ep_key, eklen);
	if (c < 0 || (c == 0 && n1 <= n2)) {
		wire_buf_put(key, v1, n1);
		wire_buf_put(key, v2, n2);
	} else {
		wire_buf_put(key, v2, n2);
		wire_buf_put(key, v1, n1);
	}
	return key->err ? -1 : 0;
}

/* ---- RFC 4895 §6.2 / §6.3 ------------------------------------------------ */

/* locate and check the AUTH chunk at auth_off; returns HMAC length or 0 */
static size_t wire_auth_check(const uint8_t *pkt, size_t len, size_t off, uint16_t *id)
{
	size_t clen, hl;
	if (len < 12 || off < 12 || off + 8 > len || pkt[off] != WIRE_CT_AUTH)
		return 0;
	clen = wire_g16(pkt + off + 2);
	*id = wire_g16(pkt + off + 6);
	hl = wire_hmac_len(*id);
	if (!hl || clen != 8 + hl || off + clen > len)
		return 0;
	return hl;
}

int wire_auth_sign(uint8_t *pkt, size_t len, size_t auth_off,
		   const uint8_t *key, size_t klen)
{
	uint16_t id;
	uint8_t mac[32];
	size_t hl = wire_auth_check(pkt, len, auth_off, &id);
	if (!hl)
		return -1;
	memset(pkt + auth_off + 8, 0, hl);
	wire_hmac(id, key, klen, pkt + auth_off, len - auth_off, mac);
	memcpy(pkt + auth_off + 8, mac, hl);
	wire_sctp_set_checksum(pkt, len);
	return 0;
}

int wire_auth_verify(const uint8_t *pkt, size_t len, size_t auth_off,
		     const uint8_t *key, size_t klen)
{
	uint16_t id;
	uint8_t mac[32], *copy;
	size_t hl = wire_auth_check(pkt, len, auth_off, &id), n = len - auth_off;
	int ok;
	if (!hl)
		return -1;
	/* HMAC over the AUTH chunk with a zero HMAC field + what follows */
	{
		struct wire_buf b;
		wire_buf_init(&b);
		wire_buf_put(&b, pkt + auth_off, n);
		if (b.err) {
			wire_buf_free(&b);
			return -1;
		}
		copy = b.p;
		memset(copy + 8, 0, hl);
		wire_hmac(id, key, klen, copy, n, mac);
		ok = memcmp(mac, pkt + auth_off + 8, hl) == 0;
		wire_buf_free(&b);
	}
	return ok ? 1 : 0;
}
