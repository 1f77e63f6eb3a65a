/*
 * samples.h -- a canned set of SCTP packets, built with the wire encoder,
 * covering every chunk type the codec knows.  Shared by test_wire.c,
 * wiredump.c (-w: write them to a pcap for wire-vs-tshark.sh) and the
 * fuzzer's seed corpus.
 */
#ifndef SCTPSH_WIRE_SAMPLES_H
#define SCTPSH_WIRE_SAMPLES_H
#include <stddef.h>
#include <stdint.h>
#include "wire.h"

struct wire_sample {
	const char *name;
	struct wire_buf pkt;     /* SCTP packet (common header + chunks) */
	int family;              /* AF_INET / AF_INET6 for the IP wrapping */
	uint16_t udp_port;       /* non-zero: wrap in UDP (RFC 6951) */
};

/* Builds the samples; returns how many (array allocated), 0 on failure. */
size_t wire_samples_build(struct wire_sample **out);
void wire_samples_free(struct wire_sample *s, size_t n);
/* IP packet for a sample (uses 192.0.2.1 > 192.0.2.2 or 2001:db8::1 > ::2) */
int wire_sample_ip(const struct wire_sample *s, struct wire_buf *ip);

/*
 * Malformed packets: chunk bytes (hex) behind a common header with a valid
 * CRC.  our_error is the exact first error our decoder reports;
 * tshark_flags says whether tshark 4.0 reports them as malformed (the
 * others we are stricter about, e.g. stray bytes in FORWARD-TSN).
 */
struct wire_bad_sample {
	const char *name;
	const char *chunks_hex;
	bool tshark_flags;
	const char *our_error;
};
extern const struct wire_bad_sample wire_bad_samples[];
extern const size_t wire_bad_samples_n;
/* SCTP packet (ports 5001 > 5002, vtag 0x1234) for a bad sample */
int wire_bad_sample_pkt(const struct wire_bad_sample *s, struct wire_buf *pkt);

#endif
