/*
 * samples.c -- canned SCTP packets built with the wire encoder (see
 * samples.h).  Each covers one or a few chunk types with non-trivial
 * field values so decoders (ours and Wireshark's) can be compared.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include "samples.h"

#define SPORT 5001
#define DPORT 5002

static void sin4(struct sockaddr_storage *ss, const char *a)
{
	struct sockaddr_in *s = (struct sockaddr_in *)ss;
	memset(ss, 0, sizeof(*ss));
	s->sin_family = AF_INET;
	inet_pton(AF_INET, a, &s->sin_addr);
}

static void sin6(struct sockaddr_storage *ss, const char *a)
{
	struct sockaddr_in6 *s = (struct sockaddr_in6 *)ss;
	memset(ss, 0, sizeof(*ss));
	s->sin6_family = AF_INET6;
	inet_pton(AF_INET6, a, &s->sin6_addr);
}

struct builder {
	struct wire_sample *v;
	size_t n, cap;
	int err;
};

static void add(struct builder *B, const char *name, int family, uint16_t udp,
		uint32_t vtag, struct wire_buf *chunks)
{
	struct wire_sample *s;
	if (chunks->err)
		B->err = 1;
	if (B->n == B->cap) {
		B->cap = B->cap ? 2 * B->cap : 32;
		B->v = realloc(B->v, B->cap * sizeof(*B->v));
		if (!B->v)
			abort();
	}
	s = &B->v[B->n++];
	s->name = name;
	s->family = family;
	s->udp_port = udp;
	wire_buf_init(&s->pkt);
	if (wire_craft_packet(&s->pkt, SPORT, DPORT, vtag, chunks->p, chunks->len) < 0)
		B->err = 1;
	wire_buf_reset(chunks);
}

size_t wire_samples_build(struct wire_sample **out)
{
	struct builder B = { 0 };
	struct wire_buf c, p, q;
	struct sockaddr_storage a4, a6, b4;
	uint8_t rnd[32], cookie[40], payload[100];
	size_t i;

	wire_buf_init(&c);
	wire_buf_init(&p);
	wire_buf_init(&q);
	for (i = 0; i < sizeof(rnd); i++)
		rnd[i] = (uint8_t)(i * 7 + 1);
	for (i = 0; i < sizeof(cookie); i++)
		cookie[i] = (uint8_t)(0xC0 + i);
	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)('a' + i % 26);
	sin4(&a4, "192.0.2.1");
	sin4(&b4, "198.51.100.7");
	sin6(&a6, "2001:db8::1");

	/* 1. INIT with many parameters (RFC 9260 §3.3.2, RFC 5061, RFC 4895) */
	{
		static const uint8_t ext[] = { WIRE_CT_FORWARD_TSN, WIRE_CT_ASCONF,
					       WIRE_CT_ASCONF_ACK, WIRE_CT_AUTH,
					       WIRE_CT_RECONFIG, WIRE_CT_IDATA,
					       WIRE_CT_IFORWARD_TSN };
		static const uint8_t authc[] = { WIRE_CT_ASCONF, WIRE_CT_ASCONF_ACK };
		static const uint16_t hm[] = { WIRE_HMAC_SHA256, WIRE_HMAC_SHA1 };
		static const uint16_t at[] = { WIRE_PT_IPV4, WIRE_PT_IPV6 };
		wire_param_addr(&p, (struct sockaddr *)&a4);
		wire_param_addr(&p, (struct sockaddr *)&a6);
		wire_param_u32(&p, WIRE_PT_COOKIE_PRESERVATIVE, 5000);
		wire_param_supported_addr_types(&p, at, 2);
		wire_param_raw(&p, WIRE_PT_ECN_CAPABLE, NULL, 0);
		wire_param_raw(&p, WIRE_PT_FORWARD_TSN_SUPPORTED, NULL, 0);
		wire_param_supported_ext(&p, ext, sizeof(ext));
		wire_param_random(&p, rnd, sizeof(rnd));
		wire_param_chunks(&p, authc, sizeof(authc));
		wire_param_hmac_algo(&p, hm, 2);
		wire_param_u32(&p, WIRE_PT_ADAPTATION, 0x01020304);
		wire_craft_init(&c, false, 0x11223344, 106496, 10, 65535, 1000, p.p, p.len);
		wire_buf_reset(&p);
		add(&B, "init", AF_INET, 0, 0, &c);
	}
	/* 2. INIT-ACK: cookie, unrecognized parameter, host name (§3.3.3) */
	{
		wire_param_raw(&p, WIRE_PT_STATE_COOKIE, cookie, sizeof(cookie));
		wire_param_addr(&q, (struct sockaddr *)&b4);
		wire_param_raw(&p, WIRE_PT_UNRECOGNIZED, q.p, q.len);
		wire_buf_reset(&q);
		wire_param_raw(&p, WIRE_PT_HOST_NAME, (const uint8_t *)"peer.example", 13);
		wire_param_addr(&p, (struct sockaddr *)&a4);
		wire_craft_init(&c, true, 0x55667788, 131072, 5, 5, 77777, p.p, p.len);
		wire_buf_reset(&p);
		add(&B, "init-ack", AF_INET, 0, 0x11223344, &c);
	}
	/* 3. COOKIE-ECHO bundled with DATA (§3.3.11, §3.3.1) */
	wire_craft_cookie_echo(&c, cookie, sizeof(cookie));
	wire_craft_data(&c, WIRE_DATA_FLAG_B | WIRE_DATA_FLAG_E, 1000, 1, 0, 51,
			payload, 10);
	add(&B, "cookie-echo+data", AF_INET, 0, 0x55667788, &c);
	/* 4. COOKIE-ACK (§3.3.12) */
	wire_craft_cookie_ack(&c);
	add(&B, "cookie-ack", AF_INET, 0, 0x11223344, &c);
	/* 5. DATA fragments, unordered, I bit (§3.3.1, RFC 7053) */
	wire_craft_data(&c, WIRE_DATA_FLAG_B, 1001, 2, 7, 0, payload, 100);
	wire_craft_data(&c, 0, 1002, 2, 7, 0, payload, 33);
	wire_craft_data(&c, WIRE_DATA_FLAG_E | WIRE_DATA_FLAG_I, 1003, 2, 7, 0, payload, 1);
	wire_craft_data(&c, WIRE_DATA_FLAG_B | WIRE_DATA_FLAG_E | WIRE_DATA_FLAG_U, 1004, 3,
			0, 0x12345678, payload, 4);
	add(&B, "data", AF_INET6, 0, 0x55667788, &c);
	/* 6. SACK with gaps and dups (§3.3.4) */
	{
		static const struct wire_gap g[] = { { 2, 3 }, { 5, 9 } };
		static const uint32_t d[] = { 1000, 1001 };
		wire_craft_sack(&c, 1001, 106496, g, 2, d, 2);
		add(&B, "sack", AF_INET6, 0, 0x11223344, &c);
	}
	/* 7/8. HEARTBEAT / HEARTBEAT-ACK (§3.3.5, §3.3.6) */
	wire_craft_heartbeat(&c, false, (const uint8_t *)"hb-info-0123456789", 18);
	add(&B, "heartbeat", AF_INET, 0, 0x55667788, &c);
	wire_craft_heartbeat(&c, true, (const uint8_t *)"hb-info-0123456789", 18);
	add(&B, "heartbeat-ack", AF_INET, 0, 0x11223344, &c);
	/* 9. ABORT, T bit, user abort + protocol violation (§3.3.7, §3.3.10.12-13) */
	wire_craft_cause(&q, WIRE_EC_USER_ABORT, (const uint8_t *)"bye now", 7);
	wire_craft_cause(&q, WIRE_EC_PROTOCOL_VIOLATION, (const uint8_t *)"bad", 3);
	wire_craft_abort(&c, true, q.p, q.len);
	wire_buf_reset(&q);
	add(&B, "abort", AF_INET, 0, 0x11223344, &c);
	/* 10. ERROR with many causes (§3.3.10.x, RFC 5061 §4.3, RFC 4895 §4.1) */
	{
		uint8_t v[16];
		memset(v, 0, sizeof(v));
		v[0] = 0; v[1] = 9;                              /* sid 9 */
		wire_craft_cause(&q, WIRE_EC_INVALID_STREAM, v, 4);
		v[0] = 0; v[1] = 0; v[2] = 0; v[3] = 1; v[4] = 0; v[5] = 7; /* 1 missing: 7 */
		wire_craft_cause(&q, WIRE_EC_MISSING_PARAM, v, 6);
		v[0] = 0; v[1] = 0; v[2] = 0x27; v[3] = 0x10;     /* 10000 us */
		wire_craft_cause(&q, WIRE_EC_STALE_COOKIE, v, 4);
		wire_craft_cause(&q, WIRE_EC_OUT_OF_RESOURCE, NULL, 0);
		wire_param_addr(&p, (struct sockaddr *)&b4);
		wire_craft_cause(&q, WIRE_EC_UNRESOLVABLE_ADDR, p.p, p.len);
		wire_buf_reset(&p);
		{
			static const uint8_t uc[] = { 0x7f, 0x00, 0x00, 0x08, 1, 2, 3, 4 };
			wire_craft_cause(&q, WIRE_EC_UNRECOGNIZED_CHUNK, uc, sizeof(uc));
		}
		wire_craft_cause(&q, WIRE_EC_INVALID_PARAM, NULL, 0);
		wire_param_raw(&p, 0x8077, (const uint8_t *)"\x01\x02\x03\x04", 4);
		wire_craft_cause(&q, WIRE_EC_UNRECOGNIZED_PARAMS, p.p, p.len);
		wire_buf_reset(&p);
		v[0] = 0; v[1] = 0; v[2] = 0x03; v[3] = 0xE8;     /* tsn 1000 */
		wire_craft_cause(&q, WIRE_EC_NO_USER_DATA, v, 4);
		wire_craft_cause(&q, WIRE_EC_COOKIE_WHILE_SHUTDOWN, NULL, 0);
		wire_param_addr(&p, (struct sockaddr *)&b4);
		wire_craft_cause(&q, WIRE_EC_RESTART_NEW_ADDRS, p.p, p.len);
		wire_buf_reset(&p);
		v[0] = 0x00; v[1] = 0x03;                          /* HMAC id 3 */
		wire_craft_cause(&q, WIRE_EC_UNSUPPORTED_HMAC, v, 2);
		wire_craft_error(&c, q.p, q.len);
		wire_buf_reset(&q);
		add(&B, "error", AF_INET, 0, 0x55667788, &c);
	}
	/* 11-13. SHUTDOWN, SHUTDOWN-ACK, SHUTDOWN-COMPLETE (§3.3.8, 9, 13) */
	wire_craft_shutdown(&c, 1004);
	add(&B, "shutdown", AF_INET, 0, 0x11223344, &c);
	wire_craft_shutdown_ack(&c);
	add(&B, "shutdown-ack", AF_INET, 0, 0x55667788, &c);
	wire_craft_shutdown_complete(&c, true);
	add(&B, "shutdown-complete", AF_INET, 0, 0x55667788, &c);
	/* 14. ECNE + CWR (RFC 3168 App. A) */
	wire_craft_ecne(&c, 1003);
	wire_craft_cwr(&c, 1003);
	add(&B, "ecne+cwr", AF_INET, 0, 0x11223344, &c);
	/* 15. FORWARD-TSN (RFC 3758 §3.2) */
	{
		static const struct wire_sid_ssn s[] = { { 1, 4 }, { 3, 65535 } };
		wire_craft_forward_tsn(&c, 1010, s, 2);
		add(&B, "forward-tsn", AF_INET, 0, 0x55667788, &c);
	}
	/* 16. I-DATA first + middle fragment (RFC 8260 §2.1) */
	wire_craft_idata(&c, WIRE_DATA_FLAG_B, 2000, 4, 17, 99, payload, 40);
	wire_craft_idata(&c, WIRE_DATA_FLAG_E, 2001, 4, 17, 1, payload, 21);
	add(&B, "i-data", AF_INET6, 0, 0x55667788, &c);
	/* 17. I-FORWARD-TSN (RFC 8260 §2.3.1) */
	{
		static const struct wire_ifwd s[] = { { 4, false, 17 }, { 5, true, 3 } };
		wire_craft_iforward_tsn(&c, 2001, s, 2);
		add(&B, "i-forward-tsn", AF_INET6, 0, 0x55667788, &c);
	}
	/* 18. AUTH + ASCONF (RFC 4895 §4.1, RFC 5061 §4.1.1) */
	{
		struct wire_asconf_req r[3];
		uint8_t h[20];
		memset(h, 0xAB, sizeof(h));
		r[0].type = WIRE_PT_ADD_IP;
		r[0].corr_id = 0x01023474;
		sin4(&r[0].addr, "192.0.2.9");
		r[1].type = WIRE_PT_DEL_IP;
		r[1].corr_id = 0x01023476;
		sin6(&r[1].addr, "2001:db8::9");
		r[2].type = WIRE_PT_SET_PRIMARY;
		r[2].corr_id = 0x01023479;
		sin4(&r[2].addr, "192.0.2.9");
		wire_craft_auth(&c, 0, WIRE_HMAC_SHA1, h, sizeof(h));
		wire_craft_asconf(&c, 42, (struct sockaddr *)&a4, r, 3);
		add(&B, "auth+asconf", AF_INET, 0, 0x55667788, &c);
	}
	/* 19. ASCONF-ACK: success + error indication (RFC 5061 §4.1.2) */
	wire_param_success_ind(&p, 0x01023474);
	wire_param_asconf_addr(&q, WIRE_PT_DEL_IP, 0x01023476, (struct sockaddr *)&a6);
	{
		struct wire_buf cause;
		wire_buf_init(&cause);
		wire_craft_cause(&cause, WIRE_EC_DEL_LAST_ADDR, q.p, q.len);
		wire_param_error_ind(&p, 0x01023476, cause.p, cause.len);
		wire_buf_free(&cause);
	}
	wire_buf_reset(&q);
	wire_craft_asconf_ack(&c, 42, p.p, p.len);
	wire_buf_reset(&p);
	add(&B, "asconf-ack", AF_INET, 0, 0x11223344, &c);
	/* 20. RE-CONFIG: outgoing + incoming SSN reset (RFC 6525 §4.1, §4.2) */
	{
		static const uint16_t sids[] = { 1, 2, 5 };
		wire_param_out_ssn_reset(&p, 100, 99, 1004, sids, 3);
		wire_param_in_ssn_reset(&p, 101, sids, 1);
		wire_craft_reconfig(&c, p.p, p.len);
		wire_buf_reset(&p);
		add(&B, "reconfig-ssn-reset", AF_INET, 0, 0x55667788, &c);
	}
	/* 21. RE-CONFIG: SSN/TSN reset (§4.3) */
	wire_param_ssn_tsn_reset(&p, 102);
	wire_craft_reconfig(&c, p.p, p.len);
	wire_buf_reset(&p);
	add(&B, "reconfig-ssn-tsn-reset", AF_INET, 0, 0x55667788, &c);
	/* 22. RE-CONFIG: add outgoing + incoming streams (§4.5, §4.6) */
	wire_param_add_streams(&p, false, 103, 4);
	wire_param_add_streams(&p, true, 104, 2);
	wire_craft_reconfig(&c, p.p, p.len);
	wire_buf_reset(&p);
	add(&B, "reconfig-add-streams", AF_INET, 0, 0x55667788, &c);
	/* 23. RE-CONFIG: responses (§4.4) */
	wire_param_reconfig_resp(&p, 100, 1, false, 0, 0);
	wire_param_reconfig_resp(&p, 102, 1, true, 5000, 0x80000000u + 1005);
	wire_craft_reconfig(&c, p.p, p.len);
	wire_buf_reset(&p);
	add(&B, "reconfig-response", AF_INET, 0, 0x11223344, &c);
	/* 24. PAD + HEARTBEAT (RFC 4820 §3) */
	wire_craft_heartbeat(&c, false, (const uint8_t *)"probe", 5);
	wire_craft_pad(&c, 200);
	add(&B, "heartbeat+pad", AF_INET, 0, 0x55667788, &c);
	/* 25. ABORT without T bit, no causes */
	wire_craft_abort(&c, false, NULL, 0);
	add(&B, "abort-plain", AF_INET, 0, 0x11223344, &c);
	/* 26. DATA over UDP (RFC 6951) */
	wire_craft_data(&c, WIRE_DATA_FLAG_B | WIRE_DATA_FLAG_E, 3000, 0, 1, 0, payload, 20);
	add(&B, "udp-encap-data", AF_INET, WIRE_UDP_ENCAP_PORT, 0x55667788, &c);
	/* 27. SACK, no gaps, IPv6 over UDP */
	wire_craft_sack(&c, 3000, 65536, NULL, 0, NULL, 0);
	add(&B, "udp-encap-sack", AF_INET6, WIRE_UDP_ENCAP_PORT, 0x11223344, &c);

	/* 28. NR-SACK (type 16): 1 gap, 1 NR gap, 1 dup (no builder: raw) */
	{
		static const uint8_t v[] = { 0, 0, 0x03, 0xe8, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0,
					     0, 2, 0, 3, 0, 5, 0, 6, 0, 0, 0x03, 0xe7 };
		wire_craft_raw_chunk(&c, WIRE_CT_NR_SACK, 0, v, sizeof(v));
		add(&B, "nr-sack", AF_INET, 0, 0x11223344, &c);
	}

	wire_buf_free(&c);
	wire_buf_free(&p);
	wire_buf_free(&q);
	if (B.err) {
		wire_samples_free(B.v, B.n);
		return 0;
	}
	*out = B.v;
	return B.n;
}

void wire_samples_free(struct wire_sample *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		wire_buf_free(&s[i].pkt);
	free(s);
}

int wire_sample_ip(const struct wire_sample *s, struct wire_buf *ip)
{
	struct sockaddr_storage src, dst;
	if (s->family == AF_INET6) {
		sin6(&src, "2001:db8::1");
		sin6(&dst, "2001:db8::2");
	} else {
		sin4(&src, "192.0.2.1");
		sin4(&dst, "192.0.2.2");
	}
	return wire_craft_ip(ip, (struct sockaddr *)&src, (struct sockaddr *)&dst, 64,
			     s->udp_port, s->udp_port, s->pkt.p, s->pkt.len);
}

const struct wire_bad_sample wire_bad_samples[] = {
	{ "sack-past-end", "0b000004 03000014 0000007a 0001a000", true,
	  "chunk 2 (SACK): length 20 runs past packet end (12 bytes left)" },
	{ "zero-length-chunk", "00000000 00000000", true,
	  "chunk 1 (DATA): length 0 is less than 4" },
	{ "trailing-2-bytes", "0b000004 0000", true,
	  "chunk 2: 2 bytes left, too short for a chunk header" },
	{ "sack-too-short", "0300000c 00000001 00000001", true,
	  "chunk 1 (SACK): length 12 too short, needs at least 16" },
	{ "sack-gaps-missing", "03000010 00000001 00000001 00020000", true,
	  "chunk 1 (SACK): 2 gap blocks and 0 duplicate TSNs need 24 bytes, 16 present" },
	{ "init-param-past-end",
	  "0100001c 11223344 0001a000 000a0800 000003e8 00050010 c0000201", true,
	  "chunk 1 (INIT): param 1 (ipv4-address): length 16 runs past the end (8 bytes left)" },
	{ "init-param-len-2", "01000018 11223344 0001a000 000a0800 000003e8 00050002", true,
	  "chunk 1 (INIT): param 1 (ipv4-address): length 2 is less than 4" },
	{ "init-short-ipv6",
	  "0100001c 11223344 0001a000 000a0800 000003e8 00060008 00000000", true,
	  "chunk 1 (INIT): param 1 (ipv6-address): value is 4 bytes, needs at least 16" },
	{ "abort-cause-past-end", "06000008 000c0010", true,
	  "chunk 1 (ABORT): cause 1 (user-initiated-abort): length 16 runs past the end (4 bytes left)" },
	{ "no-chunks", "", false, "SCTP packet has no chunks" },
	{ "fwd-tsn-stray-bytes", "c000000e 000003f2 00010004 0003", false,
	  "chunk 1 (FORWARD-TSN): 2 stray bytes after the stream/SSN pairs" },
	{ "asconf-no-address", "c1000008 00000001", false,
	  "chunk 1 (ASCONF): missing the mandatory address parameter" },
	{ "data-too-short", "0003000c 00000001 00000000", false,
	  "chunk 1 (DATA): length 12 too short, needs at least 16" },
};
const size_t wire_bad_samples_n = sizeof(wire_bad_samples) / sizeof(wire_bad_samples[0]);

int wire_bad_sample_pkt(const struct wire_bad_sample *s, struct wire_buf *pkt)
{
	struct wire_buf ch;
	const char *h;
	int hi = -1, rc;
	wire_buf_init(&ch);
	for (h = s->chunks_hex; *h; h++) {
		int v;
		if (*h >= '0' && *h <= '9')
			v = *h - '0';
		else if (*h >= 'a' && *h <= 'f')
			v = *h - 'a' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			wire_buf_u8(&ch, (uint8_t)(hi << 4 | v));
			hi = -1;
		}
	}
	rc = wire_craft_packet(pkt, SPORT, DPORT, 0x1234, ch.p, ch.len);
	wire_buf_free(&ch);
	return rc;
}
