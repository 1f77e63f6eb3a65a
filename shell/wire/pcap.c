/*
 * pcap.c -- classic pcap writer and classic pcap / pcapng reader.
 * See pcap.h.  All reads are bounds-checked against the buffer.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pcap.h"

#define WIRE_PCAP_MAGIC_US 0xa1b2c3d4U
#define WIRE_PCAP_MAGIC_NS 0xa1b23c4dU
#define WIRE_PCAPNG_SHB 0x0A0D0D0AU
#define WIRE_PCAPNG_BOM 0x1A2B3C4DU
#define WIRE_PCAPNG_IDB 1U
#define WIRE_PCAPNG_PB 2U   /* obsolete Packet Block */
#define WIRE_PCAPNG_SPB 3U
#define WIRE_PCAPNG_EPB 6U
#define WIRE_PCAP_MAX_FILE (1u << 30)

static void wire_pcap_err(char *err, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void wire_pcap_err(char *err, size_t n, const char *fmt, ...)
{
	va_list ap;
	if (!err || !n)
		return;
	va_start(ap, fmt);
	vsnprintf(err, n, fmt, ap);
	va_end(ap);
}

static uint32_t wire_rd32(const struct wire_pcap_reader *r, const uint8_t *p)
{
	uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		     (uint32_t)p[3] << 24;   /* little-endian */
	return r->swap ? __builtin_bswap32(v) : v;
}

static uint16_t wire_rd16(const struct wire_pcap_reader *r, const uint8_t *p)
{
	uint16_t v = (uint16_t)(p[0] | p[1] << 8);
	return r->swap ? __builtin_bswap16(v) : v;
}

static uint32_t wire_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* "swap" here means: the file is big-endian (we read little-endian). */

int wire_pcap_open_mem(struct wire_pcap_reader *r, const uint8_t *buf, size_t len,
		       char *err, size_t errlen)
{
	uint32_t m;
	memset(r, 0, sizeof(*r));
	r->buf = buf;
	r->len = len;
	if (len < 4) {
		wire_pcap_err(err, errlen, "file too short (%zu bytes) for a pcap header", len);
		return -1;
	}
	m = wire_le32(buf);
	if (m == WIRE_PCAPNG_SHB) {
		r->ng = true;
		/* section header is parsed by wire_pcap_next */
		if (len < 12) {
			wire_pcap_err(err, errlen, "pcapng section header truncated");
			return -1;
		}
		m = wire_le32(buf + 8);
		if (m != WIRE_PCAPNG_BOM && m != __builtin_bswap32(WIRE_PCAPNG_BOM)) {
			wire_pcap_err(err, errlen, "pcapng: bad byte-order magic 0x%08x", m);
			return -1;
		}
		return 0;
	}
	if (m == WIRE_PCAP_MAGIC_US || m == WIRE_PCAP_MAGIC_NS) {
		r->swap = false;
	} else if (__builtin_bswap32(m) == WIRE_PCAP_MAGIC_US ||
		   __builtin_bswap32(m) == WIRE_PCAP_MAGIC_NS) {
		r->swap = true;
		m = __builtin_bswap32(m);
	} else {
		wire_pcap_err(err, errlen, "not a pcap or pcapng file (magic 0x%08x)", m);
		return -1;
	}
	if (len < 24) {
		wire_pcap_err(err, errlen, "pcap file header truncated (%zu bytes)", len);
		return -1;
	}
	r->nsec = m == WIRE_PCAP_MAGIC_NS;
	/* linktype: low 16 bits (upper bits carry FCS info) */
	r->linktype = (int)(wire_rd32(r, buf + 20) & 0xFFFF);
	r->off = 24;
	return 0;
}

int wire_pcap_open_file(struct wire_pcap_reader *r, const char *path,
			char *err, size_t errlen)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, k;
	memset(r, 0, sizeof(*r));
	if (!fp) {
		wire_pcap_err(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (len == cap) {
			uint8_t *nb;
			if (cap >= WIRE_PCAP_MAX_FILE) {
				wire_pcap_err(err, errlen, "%s: file too large", path);
				goto fail;
			}
			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap);
			if (!nb) {
				wire_pcap_err(err, errlen, "%s: out of memory", path);
				goto fail;
			}
			buf = nb;
		}
		k = fread(buf + len, 1, cap - len, fp);
		len += k;
		if (k == 0)
			break;
	}
	if (ferror(fp)) {
		wire_pcap_err(err, errlen, "%s: read error", path);
		goto fail;
	}
	fclose(fp);
	if (wire_pcap_open_mem(r, buf, len, err, errlen) < 0) {
		free(buf);
		r->buf = NULL;
		return -1;
	}
	r->owned = buf;
	return 0;
fail:
	fclose(fp);
	free(buf);
	return -1;
}

void wire_pcap_close(struct wire_pcap_reader *r)
{
	free(r->owned);
	memset(r, 0, sizeof(*r));
}

static int wire_pcap_next_classic(struct wire_pcap_reader *r, struct wire_pcap_frame *f,
				  char *err, size_t errlen)
{
	const uint8_t *p;
	uint32_t incl;
	if (r->off == r->len)
		return 0;
	if (r->len - r->off < 16) {
		wire_pcap_err(err, errlen, "frame %u: record header truncated (%zu bytes left)",
			      r->nframes + 1, r->len - r->off);
		return -1;
	}
	p = r->buf + r->off;
	incl = wire_rd32(r, p + 8);
	if (incl > r->len - r->off - 16) {
		wire_pcap_err(err, errlen, "frame %u: captured length %u runs past end of file "
			      "(%zu bytes left)", r->nframes + 1, incl, r->len - r->off - 16);
		return -1;
	}
	f->ts_sec = wire_rd32(r, p);
	f->ts_nsec = wire_rd32(r, p + 4);
	if (!r->nsec)
		f->ts_nsec = f->ts_nsec * 1000u;
	f->caplen = incl;
	f->origlen = wire_rd32(r, p + 12);
	f->data = p + 16;
	f->linktype = r->linktype;
	f->ifindex = 0;
	r->off += 16 + (size_t)incl;
	r->nframes++;
	return 1;
}

/* pcapng if_tsresol (option 9): bit7 0 -> 10^-n, 1 -> 2^-n */
static uint64_t wire_tsresol(uint8_t v)
{
	uint64_t d = 1;
	unsigned n = v & 0x7F, i;
	if (v & 0x80) {
		if (n > 63)
			return 0;
		return (uint64_t)1 << n;
	}
	if (n > 19)
		return 0;
	for (i = 0; i < n; i++)
		d *= 10;
	return d;
}

static int wire_pcapng_idb(struct wire_pcap_reader *r, const uint8_t *body, size_t n,
			   char *err, size_t errlen)
{
	size_t off = 8;
	unsigned i;
	if (n < 8) {
		wire_pcap_err(err, errlen, "pcapng: interface description block too short");
		return -1;
	}
	if (r->nif >= WIRE_PCAP_MAX_IF) {
		wire_pcap_err(err, errlen, "pcapng: more than %d interfaces", WIRE_PCAP_MAX_IF);
		return -1;
	}
	i = r->nif++;
	r->if_linktype[i] = wire_rd16(r, body);
	r->if_snaplen[i] = wire_rd32(r, body + 4);
	r->if_tsdiv[i] = 1000000;
	/* options: code(2) len(2) value padded to 4 */
	while (n - off >= 4) {
		uint16_t code = wire_rd16(r, body + off), olen = wire_rd16(r, body + off + 2);
		size_t plen = ((size_t)olen + 3) & ~(size_t)3;
		if (code == 0)
			break;
		if (plen > n - off - 4)
			break; /* malformed options: ignore the rest */
		if (code == 9 && olen >= 1) {
			uint64_t d = wire_tsresol(body[off + 4]);
			if (d)
				r->if_tsdiv[i] = d;
		}
		off += 4 + plen;
	}
	return 0;
}

static void wire_ts_split(uint64_t ts, uint64_t div, struct wire_pcap_frame *f)
{
	f->ts_sec = ts / div;
#ifdef __SIZEOF_INT128__
	f->ts_nsec = (uint32_t)((unsigned __int128)(ts % div) * 1000000000u / div);
#else
	f->ts_nsec = (uint32_t)((double)(ts % div) * 1e9 / (double)div);
#endif
}

static int wire_pcap_next_ng(struct wire_pcap_reader *r, struct wire_pcap_frame *f,
			     char *err, size_t errlen)
{
	for (;;) {
		const uint8_t *p, *body;
		uint32_t type, blen, blen2;
		size_t bn;
		if (r->off == r->len)
			return 0;
		if (r->len - r->off < 12) {
			wire_pcap_err(err, errlen, "pcapng: block header truncated at offset %zu",
				      r->off);
			return -1;
		}
		p = r->buf + r->off;
		type = wire_le32(p);  /* SHB type is a palindrome */
		if (type == WIRE_PCAPNG_SHB) {
			uint32_t bom = wire_le32(p + 8);
			if (bom == WIRE_PCAPNG_BOM)
				r->swap = false;
			else if (bom == __builtin_bswap32(WIRE_PCAPNG_BOM))
				r->swap = true;
			else {
				wire_pcap_err(err, errlen, "pcapng: bad byte-order magic at offset %zu",
					      r->off);
				return -1;
			}
			r->nif = 0; /* new section: interface ids restart */
		}
		type = wire_rd32(r, p);
		blen = wire_rd32(r, p + 4);
		if (blen < 12 || blen % 4 || blen > r->len - r->off) {
			wire_pcap_err(err, errlen, "pcapng: block at offset %zu has bad length %u "
				      "(%zu bytes left)", r->off, blen, r->len - r->off);
			return -1;
		}
		blen2 = wire_rd32(r, p + blen - 4);
		if (blen2 != blen) {
			wire_pcap_err(err, errlen, "pcapng: block at offset %zu: trailing length %u "
				      "!= %u", r->off, blen2, blen);
			return -1;
		}
		body = p + 8;
		bn = blen - 12;
		r->off += blen;
		switch (type) {
		case WIRE_PCAPNG_SHB:
			if (bn < 16) {
				wire_pcap_err(err, errlen, "pcapng: section header too short");
				return -1;
			}
			if (wire_rd16(r, body + 4) != 1) {
				wire_pcap_err(err, errlen, "pcapng: unsupported major version %u",
					      wire_rd16(r, body + 4));
				return -1;
			}
			break;
		case WIRE_PCAPNG_IDB:
			if (wire_pcapng_idb(r, body, bn, err, errlen) < 0)
				return -1;
			break;
		case WIRE_PCAPNG_EPB:
		case WIRE_PCAPNG_PB: {
			uint32_t ifid, cap, orig;
			uint64_t ts;
			if (bn < 20) {
				wire_pcap_err(err, errlen, "pcapng: packet block too short");
				return -1;
			}
			if (type == WIRE_PCAPNG_PB)
				ifid = wire_rd16(r, body);
			else
				ifid = wire_rd32(r, body);
			ts = (uint64_t)wire_rd32(r, body + 4) << 32 | wire_rd32(r, body + 8);
			cap = wire_rd32(r, body + 12);
			orig = wire_rd32(r, body + 16);
			if (ifid >= r->nif) {
				wire_pcap_err(err, errlen, "pcapng: packet for undefined interface %u",
					      ifid);
				return -1;
			}
			if (cap > bn - 20) {
				wire_pcap_err(err, errlen, "pcapng: captured length %u runs past the "
					      "block (%zu bytes)", cap, bn - 20);
				return -1;
			}
			f->data = body + 20;
			f->caplen = cap;
			f->origlen = orig;
			f->linktype = r->if_linktype[ifid];
			f->ifindex = ifid;
			wire_ts_split(ts, r->if_tsdiv[ifid], f);
			r->nframes++;
			return 1;
		}
		case WIRE_PCAPNG_SPB: {
			uint32_t orig, cap;
			if (bn < 4) {
				wire_pcap_err(err, errlen, "pcapng: simple packet block too short");
				return -1;
			}
			if (r->nif == 0) {
				wire_pcap_err(err, errlen, "pcapng: simple packet block without interface");
				return -1;
			}
			orig = wire_rd32(r, body);
			cap = orig;
			if (cap > bn - 4)
				cap = (uint32_t)(bn - 4);
			if (r->if_snaplen[0] && cap > r->if_snaplen[0])
				cap = r->if_snaplen[0];
			f->data = body + 4;
			f->caplen = cap;
			f->origlen = orig;
			f->linktype = r->if_linktype[0];
			f->ifindex = 0;
			f->ts_sec = 0;
			f->ts_nsec = 0;
			r->nframes++;
			return 1;
		}
		default:
			break; /* NRB, ISB, DSB, custom ...: skipped */
		}
	}
}

int wire_pcap_next(struct wire_pcap_reader *r, struct wire_pcap_frame *f,
		   char *err, size_t errlen)
{
	memset(f, 0, sizeof(*f));
	if (!r->buf)
		return 0;
	return r->ng ? wire_pcap_next_ng(r, f, err, errlen) : wire_pcap_next_classic(r, f, err, errlen);
}

/* ---- writer ---------------------------------------------------------- */

static void wire_put_le32(struct wire_buf *b, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
	wire_buf_put(b, x, 4);
}

static void wire_put_le16(struct wire_buf *b, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
	wire_buf_put(b, x, 2);
}

int wire_pcap_put_header(struct wire_buf *b, int linktype, uint32_t snaplen)
{
	wire_put_le32(b, WIRE_PCAP_MAGIC_US);
	wire_put_le16(b, 2);
	wire_put_le16(b, 4);
	wire_put_le32(b, 0);   /* thiszone */
	wire_put_le32(b, 0);   /* sigfigs */
	wire_put_le32(b, snaplen ? snaplen : 262144);
	wire_put_le32(b, (uint32_t)linktype);
	return b->err ? -1 : 0;
}

int wire_pcap_put_frame(struct wire_buf *b, const uint8_t *data, size_t len,
			uint64_t ts_sec, uint32_t ts_usec)
{
	if (len > 0xFFFFFFFFu)
		return b->err = -1;
	wire_put_le32(b, (uint32_t)ts_sec);
	wire_put_le32(b, ts_usec);
	wire_put_le32(b, (uint32_t)len);
	wire_put_le32(b, (uint32_t)len);
	wire_buf_put(b, data, len);
	return b->err ? -1 : 0;
}

static int wire_flush(FILE *fp, struct wire_buf *b)
{
	int rc = b->err ? -1 : 0;
	if (!rc && fwrite(b->p, 1, b->len, fp) != b->len)
		rc = -1;
	wire_buf_free(b);
	return rc;
}

int wire_pcap_write_header(FILE *fp, int linktype, uint32_t snaplen)
{
	struct wire_buf b;
	wire_buf_init(&b);
	wire_pcap_put_header(&b, linktype, snaplen);
	return wire_flush(fp, &b);
}

int wire_pcap_write_frame(FILE *fp, const uint8_t *data, size_t len,
			  uint64_t ts_sec, uint32_t ts_usec)
{
	struct wire_buf b;
	wire_buf_init(&b);
	wire_pcap_put_frame(&b, data, len, ts_sec, ts_usec);
	return wire_flush(fp, &b);
}
