/*
 * wiredump -- test CLI for the wire codec.
 *
 *   wiredump [-u port] [-U] [-v] FILE.pcap     one line per packet + per chunk
 *   wiredump -w OUT.pcap [-l 1|101]            write the canned samples
 *   wiredump -s DIR                            samples as raw files (fuzz seeds)
 *   wiredump -L                                tshark field names (-e list)
 *   wiredump -C TSHARK.tsv [-K] FILE.pcap      compare with tshark -T fields
 *                                              (-K: capture with CRC offload)
 *   wiredump -W OUT.pcap                       write the malformed samples (raw IP)
 *   wiredump -M TSHARK.tsv FILE.pcap           compare malformed-packet verdicts
 *
 * -C expects tshark output made with the -L fields in that order, plus
 * the leading columns frame.number, _ws.malformed, _ws.expert.severity,
 * _ws.expert.message (see wire-vs-tshark.sh).  It prints PASS/FAIL lines and
 * "N passed, N failed"; exit status 1 if anything failed.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include "wire.h"
#include "pcap.h"
#include "vectors/samples.h"

/* ---- field extraction for the tshark comparison ------------------- */

#define ANY (-1)
struct cmp_field {
	const char *ts;       /* tshark field */
	int ct1, ct2;         /* chunk types to look in (ANY: all) */
	const char *name;     /* our field name */
	bool rec;             /* search nested lists too */
	const char *inside;   /* only inside records with this item name */
	int filter;           /* 4/6: only addresses of that family */
};

static const struct cmp_field cmp_fields[] = {
	{ "sctp.data_tsn_raw", WIRE_CT_DATA, WIRE_CT_IDATA, "tsn", false, NULL, 0 },
	{ "sctp.data_sid", WIRE_CT_DATA, WIRE_CT_IDATA, "sid", false, NULL, 0 },
	{ "sctp.data_ssn", WIRE_CT_DATA, WIRE_CT_DATA, "ssn", false, NULL, 0 },
	{ "sctp.data_mid", WIRE_CT_IDATA, WIRE_CT_IDATA, "mid", false, NULL, 0 },
	{ "sctp.data_fsn", WIRE_CT_IDATA, WIRE_CT_IDATA, "fsn", false, NULL, 0 },
	{ "sctp.data_payload_proto_id", WIRE_CT_DATA, WIRE_CT_IDATA, "ppid", false, NULL, 0 },
	{ "sctp.sack_cumulative_tsn_ack_raw", WIRE_CT_SACK, WIRE_CT_SACK, "cum_tsn", false, NULL, 0 },
	{ "sctp.sack_a_rwnd", WIRE_CT_SACK, WIRE_CT_SACK, "a_rwnd", false, NULL, 0 },
	{ "sctp.sack_gap_block_start", WIRE_CT_SACK, WIRE_CT_SACK, "start", true, NULL, 0 },
	{ "sctp.sack_gap_block_end", WIRE_CT_SACK, WIRE_CT_SACK, "end", true, NULL, 0 },
	{ "sctp.sack_duplicate_tsn", WIRE_CT_SACK, WIRE_CT_SACK, "tsn", true, NULL, 0 },
	{ "sctp.nr_sack_a_rwnd", WIRE_CT_NR_SACK, WIRE_CT_NR_SACK, "a_rwnd", false, NULL, 0 },
	{ "sctp.nr_sack_gap_block_start", WIRE_CT_NR_SACK, WIRE_CT_NR_SACK, "start", true, "gap", 0 },
	{ "sctp.nr_sack_gap_block_end", WIRE_CT_NR_SACK, WIRE_CT_NR_SACK, "end", true, "gap", 0 },
	{ "sctp.nr_sack_nr_gap_block_start", WIRE_CT_NR_SACK, WIRE_CT_NR_SACK, "start", true, "nr_gap", 0 },
	{ "sctp.nr_sack_nr_gap_block_end", WIRE_CT_NR_SACK, WIRE_CT_NR_SACK, "end", true, "nr_gap", 0 },
	{ "sctp.nr_sack_duplicate_tsn", WIRE_CT_NR_SACK, WIRE_CT_NR_SACK, "tsn", true, NULL, 0 },
	{ "sctp.shutdown_cumulative_tsn_ack", WIRE_CT_SHUTDOWN, WIRE_CT_SHUTDOWN, "cum_tsn", false, NULL, 0 },
	{ "sctp.forward_tsn_tsn", WIRE_CT_FORWARD_TSN, WIRE_CT_FORWARD_TSN, "new_cum_tsn", false, NULL, 0 },
	{ "sctp.forward_tsn_sid", WIRE_CT_FORWARD_TSN, WIRE_CT_FORWARD_TSN, "sid", true, NULL, 0 },
	{ "sctp.forward_tsn_ssn", WIRE_CT_FORWARD_TSN, WIRE_CT_FORWARD_TSN, "ssn", true, NULL, 0 },
	{ "sctp.forward_tsn_mid", WIRE_CT_IFORWARD_TSN, WIRE_CT_IFORWARD_TSN, "mid", true, NULL, 0 },
	{ "sctp.init_initiate_tag", WIRE_CT_INIT, WIRE_CT_INIT, "init_tag", false, NULL, 0 },
	{ "sctp.init_initial_tsn", WIRE_CT_INIT, WIRE_CT_INIT, "init_tsn", false, NULL, 0 },
	{ "sctp.init_credit", WIRE_CT_INIT, WIRE_CT_INIT, "a_rwnd", false, NULL, 0 },
	{ "sctp.initack_initiate_tag", WIRE_CT_INIT_ACK, WIRE_CT_INIT_ACK, "init_tag", false, NULL, 0 },
	{ "sctp.initack_initial_tsn", WIRE_CT_INIT_ACK, WIRE_CT_INIT_ACK, "init_tsn", false, NULL, 0 },
	{ "sctp.parameter_type", ANY, ANY, "type", true, "param", 0 },
	{ "sctp.parameter_ipv4_address", ANY, ANY, "addr", true, NULL, 4 },
	{ "sctp.parameter_ipv6_address", ANY, ANY, "addr", true, NULL, 6 },
	{ "sctp.cause_code", ANY, ANY, "code", true, "cause", 0 },
	{ "sctp.asconf_seq_nr_number", WIRE_CT_ASCONF, WIRE_CT_ASCONF, "serial", false, NULL, 0 },
	{ "sctp.asconf_ack_seq_nr_number", WIRE_CT_ASCONF_ACK, WIRE_CT_ASCONF_ACK, "serial", false, NULL, 0 },
	{ "sctp.correlation_id", ANY, ANY, "corr_id", true, NULL, 0 },
	{ "sctp.parameter_reconfig_request_sequence_number", WIRE_CT_RECONFIG, WIRE_CT_RECONFIG, "req_seq", true, NULL, 0 },
	{ "sctp.parameter_reconfig_response_sequence_number", WIRE_CT_RECONFIG, WIRE_CT_RECONFIG, "resp_seq", true, NULL, 0 },
	{ "sctp.parameter_reconfig_response_result", WIRE_CT_RECONFIG, WIRE_CT_RECONFIG, "result", true, NULL, 0 },
	{ "sctp.parameter_reconfig_sid", WIRE_CT_RECONFIG, WIRE_CT_RECONFIG, "sid", true, NULL, 0 },
	{ "sctp.shared_key_id", WIRE_CT_AUTH, WIRE_CT_AUTH, "key_id", false, NULL, 0 },
	{ "sctp.hmac_id", ANY, ANY, "hmac_id", true, NULL, 0 },
	{ "sctp.i_forward_tsn_tsn", WIRE_CT_IFORWARD_TSN, WIRE_CT_IFORWARD_TSN, "new_cum_tsn", false, NULL, 0 },
	{ "sctp.i_forward_tsn_sid", WIRE_CT_IFORWARD_TSN, WIRE_CT_IFORWARD_TSN, "sid", true, NULL, 0 },
	{ "sctp.i_forward_tsn_u_bit", WIRE_CT_IFORWARD_TSN, WIRE_CT_IFORWARD_TSN, "u", true, NULL, 0 },
	{ "sctp.abort_t_bit", WIRE_CT_ABORT, WIRE_CT_ABORT, "t", false, NULL, 0 },
	{ "sctp.ecne_lowest_tsn", WIRE_CT_ECNE, WIRE_CT_ECNE, "lowest_tsn", false, NULL, 0 },
	{ "sctp.cwr_lowest_tsn", WIRE_CT_CWR, WIRE_CT_CWR, "lowest_tsn", false, NULL, 0 },
};
#define NCMP (sizeof(cmp_fields) / sizeof(cmp_fields[0]))

/* fixed leading columns */
static const char *lead_fields[] = {
	"frame.number", "_ws.malformed", "_ws.expert.severity", "_ws.expert.message",
	"sctp.srcport", "sctp.dstport", "sctp.verification_tag", "sctp.checksum",
	"sctp.checksum.status", "sctp.chunk_type", "sctp.chunk_length",
	"ip.checksum.status", "udp.checksum.status",
};
#define NLEAD (sizeof(lead_fields) / sizeof(lead_fields[0]))

struct strbuf {
	char s[8192];
	size_t n;
};

static void sb_add(struct strbuf *b, const char *v)
{
	int r = snprintf(b->s + b->n, sizeof(b->s) - b->n, "%s%s", b->n ? "," : "", v);
	if (r > 0 && (size_t)r < sizeof(b->s) - b->n)
		b->n += (size_t)r;
}

static void sb_addu(struct strbuf *b, unsigned long long u)
{
	char t[32];
	snprintf(t, sizeof(t), "%llu", u);
	sb_add(b, t);
}

static void collect(const struct wire_fieldlist *l, const struct cmp_field *cf,
		    const char *item, struct strbuf *out)
{
	size_t i;
	for (i = 0; i < l->n; i++) {
		const struct wire_field *f = &l->v[i];
		if (strcmp(f->name, cf->name) == 0 && (!cf->inside || (item && strcmp(item, cf->inside) == 0))) {
			if (f->kind == WF_U64)
				sb_addu(out, (unsigned long long)f->u);
			else if (f->kind == WF_STR) {
				if (!cf->filter || (cf->filter == 4) == (strchr(f->s, ':') == NULL))
					sb_add(out, f->s);
			}
		}
		if (f->kind == WF_LIST && cf->rec)
			collect(f->list, cf, f->name, out);
	}
}

/* parameter types in Wireshark's order: the address parameter nested in
 * ASCONF add/delete/set-primary params (and the ASCONF's own address
 * parameter) is a separate "addr" field in our representation */
static void collect_ptypes(const struct wire_fieldlist *l, const char *item,
			   struct strbuf *out)
{
	size_t i;
	const struct wire_field *a = wire_fl_get(l, "addr");
	if (item && strcmp(item, "param") == 0) {
		const struct wire_field *t = wire_fl_get(l, "type");
		if (t)
			sb_addu(out, (unsigned long long)t->u);
		if (a && wire_fl_get(l, "corr_id"))
			sb_addu(out, strchr(a->s, ':') ? 6 : 5);
	}
	for (i = 0; i < l->n; i++)
		if (l->v[i].kind == WF_LIST)
			collect_ptypes(l->v[i].list, l->v[i].name, out);
}

static void our_value(const struct wire_packet *pkt, const struct cmp_field *cf,
		      struct strbuf *out)
{
	size_t i;
	for (i = 0; i < pkt->nchunks; i++) {
		const struct wire_chunk *c = &pkt->chunks[i];
		if (cf->ct1 != ANY && c->type != cf->ct1 && c->type != cf->ct2)
			continue;
		if (strcmp(cf->ts, "sctp.parameter_type") == 0) {
			const struct wire_field *a = wire_fl_get(&c->fields, "addr");
			if (c->type == WIRE_CT_ASCONF && a)
				sb_addu(out, strchr(a->s, ':') ? 6 : 5);
			collect_ptypes(&c->fields, NULL, out);
			continue;
		}
		collect(&c->fields, cf, NULL, out);
	}
}

/* chunk types / lengths incl. chunks quoted in Unrecognized Chunk causes */
static void chunk_list(const struct wire_packet *pkt, bool lengths, struct strbuf *out)
{
	static const struct cmp_field ct = { "", ANY, ANY, "chunk_type", true, NULL, 0 };
	static const struct cmp_field cl = { "", ANY, ANY, "chunk_len", true, NULL, 0 };
	size_t i;
	for (i = 0; i < pkt->nchunks; i++) {
		sb_addu(out, lengths ? pkt->chunks[i].length : pkt->chunks[i].type);
		collect(&pkt->chunks[i].fields, lengths ? &cl : &ct, NULL, out);
	}
}

/* normalise one tshark / our value list: numbers (incl. 0x..) to decimal */
static void norm(const char *in, char *out, size_t n)
{
	char tmp[8192], *tok, *save = NULL;
	size_t k = 0;
	snprintf(tmp, sizeof(tmp), "%s", in);
	out[0] = 0;
	for (tok = strtok_r(tmp, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *end;
		unsigned long long v;
		int r;
		errno = 0;
		v = strtoull(tok, &end, 0);
		if (*tok && *end == 0 && !errno && isdigit((unsigned char)tok[0]))
			r = snprintf(out + k, n - k, "%s%llu", k ? "," : "", v);
		else
			r = snprintf(out + k, n - k, "%s%s", k ? "," : "", tok);
		if (r < 0 || (size_t)r >= n - k)
			break;
		k += (size_t)r;
	}
}

static int split_tabs(char *line, char **cols, int max)
{
	int n = 0;
	char *p = line;
	line[strcspn(line, "\r\n")] = 0;
	cols[n++] = p;
	while (*p && n < max) {
		if (*p == '\t') {
			*p = 0;
			cols[n++] = p + 1;
		} else if (*p == '\n' || *p == '\r') {
			*p = 0;
			break;
		}
		p++;
	}
	return n;
}

/* offload: a loopback capture where CRCs may never have been filled in
 * (checksum offload): tshark's "bad checksum" expert info is then expected.
 * Always: both must agree on good/bad, and for a bad one the CRC tshark says
 * it "should be" must be the one we computed. */
static int compare(const char *tsv, const char *pcapf, const struct wire_decode_opts *o,
		   bool offload)
{
	struct wire_pcap_reader r;
	struct wire_pcap_frame f;
	char err[256], *line = NULL;
	size_t cap = 0;
	FILE *fp = fopen(tsv, "r");
	int pass = 0, fail = 0, rc;
	unsigned frame = 0;
	struct wire_sample *samples = NULL;
	size_t nsamples = wire_samples_build(&samples);

	if (!fp) {
		perror(tsv);
		return 2;
	}
	if (wire_pcap_open_file(&r, pcapf, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	while ((rc = wire_pcap_next(&r, &f, err, sizeof(err))) == 1) {
		struct wire_packet pkt;
		char *cols[NLEAD + NCMP + 4];
		int nc;
		size_t i;
		const char *sname = offload ? "capture" : frame < nsamples ? samples[frame].name : "?";
		char msg[16384];
		size_t mk = 0;
		struct strbuf sb;
		char a[8192], b[8192];

		frame++;
		if (getline(&line, &cap, fp) < 0) {
			printf("FAIL frame %u (%s): no tshark output line\n", frame, sname);
			fail++;
			continue;
		}
		nc = split_tabs(line, cols, (int)(NLEAD + NCMP));
		if (nc != (int)(NLEAD + NCMP)) {
			printf("FAIL frame %u (%s): tshark line has %d columns, expected %zu\n",
			       frame, sname, nc, NLEAD + NCMP);
			fail++;
			continue;
		}
		wire_decode_frame(f.data, f.caplen, f.linktype, o, &pkt);
		msg[0] = 0;
#define MSG(...) do { int _r = snprintf(msg + mk, sizeof(msg) - mk, __VA_ARGS__); \
		if (_r > 0 && (size_t)_r < sizeof(msg) - mk) mk += (size_t)_r; } while (0)
		if (pkt.error[0])
			MSG(" [our decoder: %s]", pkt.error);
		if (cols[1][0])
			MSG(" [tshark: malformed]");
		{
			/* the CRC tshark says a bad packet should carry must be ours */
			const char *sb = strstr(cols[3], "Bad SCTP checksum. [should be ");
			if (sb) {
				unsigned long want = strtoul(sb + strlen("Bad SCTP checksum. [should be "),
							     NULL, 16);
				if (want != pkt.checksum_calc)
					MSG(" [CRC: tshark computes 0x%08lx, we 0x%08x]", want,
					    pkt.checksum_calc);
			}
			/* severities: chat 0x00200000, note 0x00400000, warn 0x00600000,
			 * error 0x00800000; with offload only the bad-checksum one is
			 * expected */
			if (cols[2][0] && !(offload && sb && !strchr(cols[3], ','))) {
				char *s2 = cols[2], *tok, *sv = NULL;
				for (tok = strtok_r(s2, ",", &sv); tok; tok = strtok_r(NULL, ",", &sv))
					if (strtoul(tok, NULL, 0) >= 0x00600000) {
						MSG(" [tshark expert: %s]", cols[3]);
						break;
					}
			}
		}
		/* lead columns */
		sb.n = 0; sb.s[0] = 0;
		sb_addu(&sb, pkt.sport);
		norm(cols[4], a, sizeof(a)); norm(sb.s, b, sizeof(b));
		if (strcmp(a, b)) MSG(" sctp.srcport: tshark=%s ours=%s", a, b);
		sb.n = 0; sb.s[0] = 0;
		sb_addu(&sb, pkt.dport);
		norm(cols[5], a, sizeof(a)); norm(sb.s, b, sizeof(b));
		if (strcmp(a, b)) MSG(" sctp.dstport: tshark=%s ours=%s", a, b);
		sb.n = 0; sb.s[0] = 0;
		sb_addu(&sb, pkt.vtag);
		norm(cols[6], a, sizeof(a)); norm(sb.s, b, sizeof(b));
		if (strcmp(a, b)) MSG(" vtag: tshark=%s ours=%s", a, b);
		sb.n = 0; sb.s[0] = 0;
		sb_addu(&sb, pkt.checksum);
		norm(cols[7], a, sizeof(a)); norm(sb.s, b, sizeof(b));
		if (strcmp(a, b)) MSG(" checksum: tshark=%s ours=%s", a, b);
		/* checksum.status: 1 = good */
		if (strcmp(cols[8], pkt.crc_ok ? "1" : "0"))
			MSG(" checksum.status: tshark=%s ours=%s", cols[8], pkt.crc_ok ? "good" : "bad");
		sb.n = 0; sb.s[0] = 0;
		chunk_list(&pkt, false, &sb);
		norm(cols[9], a, sizeof(a)); norm(sb.s, b, sizeof(b));
		if (strcmp(a, b)) MSG(" chunk_type: tshark=%s ours=%s", a, b);
		sb.n = 0; sb.s[0] = 0;
		chunk_list(&pkt, true, &sb);
		norm(cols[10], a, sizeof(a)); norm(sb.s, b, sizeof(b));
		if (strcmp(a, b)) MSG(" chunk_length: tshark=%s ours=%s", a, b);
		/* our IPv4 header and UDP checksums, as judged by tshark */
		if (cols[11][0] && strcmp(cols[11], "1"))
			MSG(" ip.checksum.status=%s", cols[11]);
		if (cols[12][0] && strcmp(cols[12], "1"))
			MSG(" udp.checksum.status=%s", cols[12]);
		if (pkt.ip_version == 4 && strcmp(cols[11], "1"))
			MSG(" ip.checksum.status not checked");
		if (pkt.udp_encap && strcmp(cols[12], "1"))
			MSG(" udp.checksum.status not checked");
		for (i = 0; i < NCMP; i++) {
			sb.n = 0; sb.s[0] = 0;
			our_value(&pkt, &cmp_fields[i], &sb);
			norm(cols[NLEAD + i], a, sizeof(a));
			norm(sb.s, b, sizeof(b));
			if (strcmp(a, b))
				MSG(" %s: tshark=%s ours=%s", cmp_fields[i].ts, a[0] ? a : "(none)",
				    b[0] ? b : "(none)");
		}
		if (mk) {
			printf("FAIL frame %u (%s):%s\n", frame, sname, msg);
			fail++;
		} else {
			printf("PASS frame %u (%s)\n", frame, sname);
			pass++;
		}
		wire_packet_free(&pkt);
	}
	if (rc < 0) {
		printf("FAIL pcap read: %s\n", err);
		fail++;
	}
	if (frame == 0) {
		printf("FAIL no frames\n");
		fail++;
	}
	printf("%d passed, %d failed\n", pass, fail);
	free(line);
	fclose(fp);
	wire_pcap_close(&r);
	wire_samples_free(samples, nsamples);
	return fail ? 1 : 0;
}

/* malformed samples: ours must report exactly our_error; tshark must flag
 * the packet (malformed or expert error) where tshark_flags is set.  The
 * TSV has the lead columns (-L). */
static int compare_bad(const char *tsv, const char *pcapf)
{
	struct wire_pcap_reader r;
	struct wire_pcap_frame f;
	char err[256], *line = NULL;
	size_t cap = 0, i = 0;
	FILE *fp = fopen(tsv, "r");
	int pass = 0, fail = 0;
	if (!fp || wire_pcap_open_file(&r, pcapf, err, sizeof(err)) < 0) {
		fprintf(stderr, "wiredump: cannot open %s / %s\n", tsv, pcapf);
		return 2;
	}
	while (wire_pcap_next(&r, &f, err, sizeof(err)) == 1 && i < wire_bad_samples_n) {
		const struct wire_bad_sample *s = &wire_bad_samples[i++];
		struct wire_packet pkt;
		char *cols[NLEAD + NCMP + 4];
		bool ts_flag = false;
		int nc;
		if (getline(&line, &cap, fp) < 0) {
			printf("FAIL bad %s: no tshark line\n", s->name);
			fail++;
			continue;
		}
		nc = split_tabs(line, cols, (int)NLEAD);
		if (nc >= 3) {
			char *tok, *sv = NULL;
			if (cols[1][0])
				ts_flag = true;
			for (tok = strtok_r(cols[2], ",", &sv); tok; tok = strtok_r(NULL, ",", &sv))
				if (strtoul(tok, NULL, 0) >= 0x00600000)
					ts_flag = true;
		}
		wire_decode_frame(f.data, f.caplen, f.linktype, NULL, &pkt);
		if (strcmp(pkt.error, s->our_error)) {
			printf("FAIL bad %s: our error \"%s\", expected \"%s\"\n", s->name,
			       pkt.error, s->our_error);
			fail++;
		} else if (s->tshark_flags && !ts_flag) {
			printf("FAIL bad %s: tshark did not flag it\n", s->name);
			fail++;
		} else {
			printf("PASS bad %s: ours: %s; tshark: %s\n", s->name, pkt.error,
			       ts_flag ? "malformed" : "accepts it (we are stricter)");
			pass++;
		}
		wire_packet_free(&pkt);
	}
	if (i != wire_bad_samples_n) {
		printf("FAIL bad samples: read %zu of %zu frames\n", i, wire_bad_samples_n);
		fail++;
	}
	printf("%d passed, %d failed\n", pass, fail);
	free(line);
	fclose(fp);
	wire_pcap_close(&r);
	return fail ? 1 : 0;
}

static int write_bad(const char *path)
{
	struct wire_buf pk, ip;
	struct sockaddr_in s = { .sin_family = AF_INET }, d = { .sin_family = AF_INET };
	FILE *fp = fopen(path, "wb");
	size_t i;
	int rc = 0;
	if (!fp) {
		perror(path);
		return 1;
	}
	s.sin_addr.s_addr = htonl(0xC0000201);
	d.sin_addr.s_addr = htonl(0xC0000202);
	wire_buf_init(&pk);
	wire_buf_init(&ip);
	rc |= wire_pcap_write_header(fp, WIRE_DLT_RAW, 65535);
	for (i = 0; i < wire_bad_samples_n; i++) {
		rc |= wire_bad_sample_pkt(&wire_bad_samples[i], &pk);
		rc |= wire_craft_ip(&ip, (struct sockaddr *)&s, (struct sockaddr *)&d, 64, 0, 0,
				    pk.p, pk.len);
		rc |= wire_pcap_write_frame(fp, ip.p, ip.len, 1700000000 + i, 0);
	}
	wire_buf_free(&pk);
	wire_buf_free(&ip);
	if (fclose(fp))
		rc = -1;
	return rc ? 1 : 0;
}

/* ---- dump / write ---------------------------------------------------- */

static int dump(const char *path, const struct wire_decode_opts *o, bool verbose)
{
	struct wire_pcap_reader r;
	struct wire_pcap_frame f;
	char err[256];
	static char line[1 << 16];
	int rc;
	unsigned n = 0;
	if (wire_pcap_open_file(&r, path, err, sizeof(err)) < 0) {
		fprintf(stderr, "wiredump: %s\n", err);
		return 2;
	}
	while ((rc = wire_pcap_next(&r, &f, err, sizeof(err))) == 1) {
		struct wire_packet pkt;
		size_t i;
		n++;
		wire_decode_frame(f.data, f.caplen, f.linktype, o, &pkt);
		wire_packet_line(&pkt, line, sizeof(line));
		printf("#%u %llu.%06u %s\n", n, (unsigned long long)f.ts_sec, f.ts_nsec / 1000,
		       line);
		for (i = 0; i < pkt.nchunks; i++) {
			if (verbose)
				wire_fields_line(&pkt.chunks[i].fields, line, sizeof(line));
			else
				wire_chunk_line(&pkt.chunks[i], line, sizeof(line));
			printf("  %s%s\n", verbose ? wire_chunk_type_name(pkt.chunks[i].type) : "",
			       line);
		}
		wire_packet_free(&pkt);
	}
	wire_pcap_close(&r);
	if (rc < 0) {
		fprintf(stderr, "wiredump: %s\n", err);
		return 1;
	}
	return 0;
}

static int write_samples(const char *path, int linktype)
{
	struct wire_sample *s;
	size_t n = wire_samples_build(&s), i;
	struct wire_buf ip, fr;
	FILE *fp;
	int rc = 0;
	if (!n) {
		fprintf(stderr, "wiredump: building samples failed\n");
		return 1;
	}
	fp = fopen(path, "wb");
	if (!fp) {
		perror(path);
		return 1;
	}
	wire_buf_init(&ip);
	wire_buf_init(&fr);
	rc |= wire_pcap_write_header(fp, linktype, 65535);
	for (i = 0; i < n; i++) {
		rc |= wire_sample_ip(&s[i], &ip);
		rc |= wire_frame_wrap(&fr, linktype, ip.p, ip.len);
		rc |= wire_pcap_write_frame(fp, fr.p, fr.len, 1700000000 + i, (uint32_t)i * 1000);
	}
	wire_buf_free(&ip);
	wire_buf_free(&fr);
	wire_samples_free(s, n);
	if (fclose(fp) != 0)
		rc = -1;
	return rc ? 1 : 0;
}

static int write_seeds(const char *dir)
{
	struct wire_sample *s;
	size_t n = wire_samples_build(&s), i;
	struct wire_buf ip, pc;
	char path[4096];
	wire_buf_init(&ip);
	wire_buf_init(&pc);
	for (i = 0; i < n; i++) {
		FILE *fp;
		wire_sample_ip(&s[i], &ip);
		/* seed format of fuzz_wire.c: first byte selects the entry point */
		snprintf(path, sizeof(path), "%s/ip-%s", dir, s[i].name);
		fp = fopen(path, "wb");
		if (!fp) {
			perror(path);
			return 1;
		}
		fputc(1, fp);
		fwrite(ip.p, 1, ip.len, fp);
		fclose(fp);
		snprintf(path, sizeof(path), "%s/sctp-%s", dir, s[i].name);
		fp = fopen(path, "wb");
		if (!fp)
			return 1;
		fputc(0, fp);
		fwrite(s[i].pkt.p, 1, s[i].pkt.len, fp);
		fclose(fp);
		wire_buf_reset(&pc);
		wire_pcap_put_header(&pc, WIRE_DLT_RAW, 65535);
		wire_pcap_put_frame(&pc, ip.p, ip.len, 1, 2);
		snprintf(path, sizeof(path), "%s/pcap-%s", dir, s[i].name);
		fp = fopen(path, "wb");
		if (!fp)
			return 1;
		fputc(2, fp);
		fwrite(pc.p, 1, pc.len, fp);
		fclose(fp);
	}
	wire_buf_free(&ip);
	wire_buf_free(&pc);
	wire_samples_free(s, n);
	return 0;
}

static void usage(void)
{
	fputs("usage: wiredump [-u port] [-U] [-v] FILE.pcap\n"
	      "       wiredump -w OUT.pcap [-l linktype]\n"
	      "       wiredump -s SEED-DIR\n"
	      "       wiredump -L\n"
	      "       wiredump -C TSHARK.tsv FILE.pcap\n"
	      "       wiredump -W OUT.pcap\n"
	      "       wiredump -M TSHARK.tsv FILE.pcap\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	struct wire_decode_opts o = { 0, false };
	const char *wpath = NULL, *cpath = NULL, *sdir = NULL, *bpath = NULL, *mpath = NULL;
	int linktype = WIRE_DLT_EN10MB, c;
	bool list = false, verbose = false, offload = false;
	size_t i;
	while ((c = getopt(argc, argv, "u:Uw:l:s:LC:vW:M:K")) != -1) {
		switch (c) {
		case 'u': o.udp_port = (uint16_t)atoi(optarg); break;
		case 'U': o.udp_any = true; break;
		case 'w': wpath = optarg; break;
		case 'l': linktype = atoi(optarg); break;
		case 's': sdir = optarg; break;
		case 'L': list = true; break;
		case 'C': cpath = optarg; break;
		case 'v': verbose = true; break;
		case 'W': bpath = optarg; break;
		case 'M': mpath = optarg; break;
		case 'K': offload = true; break;
		default: usage();
		}
	}
	if (list) {
		for (i = 0; i < NLEAD; i++)
			printf("%s\n", lead_fields[i]);
		for (i = 0; i < NCMP; i++)
			printf("%s\n", cmp_fields[i].ts);
		return 0;
	}
	if (wpath)
		return write_samples(wpath, linktype);
	if (sdir)
		return write_seeds(sdir);
	if (bpath)
		return write_bad(bpath);
	if (optind != argc - 1)
		usage();
	if (cpath)
		return compare(cpath, argv[optind], &o, offload);
	if (mpath)
		return compare_bad(mpath, argv[optind]);
	return dump(argv[optind], &o, verbose);
}
