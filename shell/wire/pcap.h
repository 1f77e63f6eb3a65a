/*
 * pcap.h -- classic pcap writer, classic pcap / pcapng reader.
 *
 * Formats: classic pcap (tcpdump.org "pcap" file format, draft-ietf-opsawg-
 * pcap): magic 0xa1b2c3d4 (usec) or 0xa1b23c4d (nsec), either byte order;
 * pcapng (draft-ietf-opsawg-pcapng): SHB, IDB (with if_tsresol), EPB, SPB,
 * obsolete PB; other blocks skipped; both byte orders; several sections.
 *
 * The reader works on a memory buffer (so it can be fuzzed); open_file
 * loads the file into memory.  Frames point into that buffer.
 */
#ifndef SCTPSH_WIRE_PCAP_H
#define SCTPSH_WIRE_PCAP_H

#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include "wire.h"

#ifdef __cplusplus
extern "C" {
#endif

struct wire_pcap_frame {
	const uint8_t *data;     /* captured bytes */
	uint32_t caplen;         /* bytes in data */
	uint32_t origlen;        /* length on the wire */
	int linktype;            /* LINKTYPE_* of the frame's interface */
	uint64_t ts_sec;
	uint32_t ts_nsec;
	uint32_t ifindex;        /* pcapng interface id, 0 for classic pcap */
};

#define WIRE_PCAP_MAX_IF 64

struct wire_pcap_reader {
	uint8_t *owned;          /* buffer allocated by open_file, or NULL */
	const uint8_t *buf;
	size_t len, off;
	bool ng;                 /* pcapng */
	bool swap;               /* byte order differs from the file's writer */
	/* classic */
	int linktype;
	bool nsec;
	/* pcapng, per section */
	unsigned nif;
	int if_linktype[WIRE_PCAP_MAX_IF];
	uint64_t if_tsdiv[WIRE_PCAP_MAX_IF];   /* units per second */
	uint32_t if_snaplen[WIRE_PCAP_MAX_IF];
	unsigned nframes;
};

/* 0 on success; on error -1 and a message in err. */
int wire_pcap_open_mem(struct wire_pcap_reader *r, const uint8_t *buf, size_t len,
		       char *err, size_t errlen);
int wire_pcap_open_file(struct wire_pcap_reader *r, const char *path,
			char *err, size_t errlen);
/* 1: a frame; 0: end of file; -1: error (message in err). */
int wire_pcap_next(struct wire_pcap_reader *r, struct wire_pcap_frame *f,
		   char *err, size_t errlen);
void wire_pcap_close(struct wire_pcap_reader *r);

/* Classic pcap writing (microsecond timestamps, native byte order as the
 * format allows; we always write little-endian).  Into a buffer: */
int wire_pcap_put_header(struct wire_buf *b, int linktype, uint32_t snaplen);
int wire_pcap_put_frame(struct wire_buf *b, const uint8_t *data, size_t len,
			uint64_t ts_sec, uint32_t ts_usec);
/* Or to a stdio stream: */
int wire_pcap_write_header(FILE *fp, int linktype, uint32_t snaplen);
int wire_pcap_write_frame(FILE *fp, const uint8_t *data, size_t len,
			  uint64_t ts_sec, uint32_t ts_usec);

#ifdef __cplusplus
}
#endif
#endif
