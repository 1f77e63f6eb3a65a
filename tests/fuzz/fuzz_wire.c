/*
 * fuzz_wire.c -- libFuzzer target for the wire codec.
 *
 * The first input byte selects the entry point:
 *   0  wire_decode_sctp (SCTP packet)
 *   1  wire_decode_ip   (IPv4/IPv6 packet, UDP port 9899 or any)
 *   2  pcap / pcapng reader, each frame through wire_decode_frame
 *   3  RFC 4895 helpers: key vector of an INIT, AUTH verify at offset 12
 *   4+ wire_decode_frame with the link type picked by the second byte
 * Everything decoded is also rendered (chunk lines, field lines) so the
 * renderers see the same inputs.  Seeds: `wiredump -s DIR`.
 *
 * Build: clang -fsanitize=fuzzer,address,undefined -Ishell/wire
 *        tests/fuzz/fuzz_wire.c shell/wire/(all .c files); see Makefile.wire
 */
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include "wire.h"
#include "pcap.h"

static void wire_fuzz_render(const struct wire_packet *pkt)
{
	static char line[4096];
	struct wire_fieldlist all;
	size_t i;
	wire_packet_line(pkt, line, sizeof(line));
	wire_packet_fields(pkt, &all);
	wire_fields_line(&all, line, sizeof(line));
	wire_fieldlist_free(&all);
	for (i = 0; i < pkt->nchunks; i++) {
		wire_chunk_line(&pkt->chunks[i], line, sizeof(line));
		wire_chunk_line(&pkt->chunks[i], line, 7);   /* truncating output */
		wire_fields_line(&pkt->chunks[i].fields, line, sizeof(line));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int lts[] = { WIRE_DLT_EN10MB, WIRE_DLT_RAW, WIRE_DLT_LINUX_SLL,
				   WIRE_DLT_LINUX_SLL2, 0, 108, 12 };
	struct wire_packet pkt;
	struct wire_decode_opts o = { 0, false };
	uint8_t sel;

	if (size < 1)
		return 0;
	sel = data[0];
	data++;
	size--;
	switch (sel) {
	case 0:
		wire_decode_sctp(data, size, &pkt);
		wire_fuzz_render(&pkt);
		wire_packet_free(&pkt);
		break;
	case 1:
		o.udp_any = size > 0 && (data[size - 1] & 1);
		wire_decode_ip(data, size, &o, &pkt);
		wire_fuzz_render(&pkt);
		wire_packet_free(&pkt);
		break;
	case 2: {
		struct wire_pcap_reader r;
		struct wire_pcap_frame f;
		char err[256];
		int n = 0;
		if (wire_pcap_open_mem(&r, data, size, err, sizeof(err)) < 0)
			break;
		while (n++ < 1000 && wire_pcap_next(&r, &f, err, sizeof(err)) == 1) {
			wire_decode_frame(f.data, f.caplen, f.linktype, &o, &pkt);
			wire_fuzz_render(&pkt);
			wire_packet_free(&pkt);
		}
		wire_pcap_close(&r);
		break;
	}
	case 3: {
		struct wire_buf v;
		wire_buf_init(&v);
		wire_auth_key_vector(data, size, &v);
		wire_auth_verify(data, size, 12, v.p, v.len);
		wire_buf_free(&v);
		break;
	}
	default:
		if (size < 1)
			break;
		wire_decode_frame(data + 1, size - 1, lts[data[0] % (sizeof(lts) / sizeof(lts[0]))],
				  &o, &pkt);
		wire_fuzz_render(&pkt);
		wire_packet_free(&pkt);
		break;
	}
	return 0;
}
