/*
 * fields.c -- generic (name, kind, value) field lists and their one-line
 * rendering.  See struct wire_fieldlist in wire.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include "wire.h"

static void *wire_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q) {
		fputs("wire: out of memory\n", stderr);
		abort();
	}
	return q;
}

void wire_fieldlist_init(struct wire_fieldlist *l, bool array)
{
	memset(l, 0, sizeof(*l));
	l->array = array;
}

void wire_fieldlist_free(struct wire_fieldlist *l)
{
	size_t i;
	if (!l)
		return;
	for (i = 0; i < l->n; i++) {
		struct wire_field *f = &l->v[i];
		free(f->s);
		free(f->bytes);
		if (f->list) {
			wire_fieldlist_free(f->list);
			free(f->list);
		}
	}
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

static struct wire_field *wire_fl_add(struct wire_fieldlist *l, const char *name,
				      enum wire_fkind kind)
{
	struct wire_field *f;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = wire_xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	f = &l->v[l->n++];
	memset(f, 0, sizeof(*f));
	f->name = name;
	f->kind = kind;
	return f;
}

struct wire_field *wire_fl_u64(struct wire_fieldlist *l, const char *name, uint64_t u)
{
	struct wire_field *f = wire_fl_add(l, name, WF_U64);
	f->u = u;
	return f;
}

struct wire_field *wire_fl_str(struct wire_fieldlist *l, const char *name, const char *s)
{
	struct wire_field *f = wire_fl_add(l, name, WF_STR);
	size_t n = strlen(s);
	f->s = wire_xrealloc(NULL, n + 1);
	memcpy(f->s, s, n + 1);
	f->len = n;
	return f;
}

struct wire_field *wire_fl_hex(struct wire_fieldlist *l, const char *name,
			       const uint8_t *p, size_t n)
{
	static const char hx[] = "0123456789abcdef";
	struct wire_field *f = wire_fl_add(l, name, WF_HEX);
	size_t i;
	f->bytes = wire_xrealloc(NULL, n);
	if (n)
		memcpy(f->bytes, p, n);
	f->len = n;
	f->s = wire_xrealloc(NULL, 2 * n + 1);
	for (i = 0; i < n; i++) {
		f->s[2 * i] = hx[p[i] >> 4];
		f->s[2 * i + 1] = hx[p[i] & 15];
	}
	f->s[2 * n] = 0;
	return f;
}

struct wire_fieldlist *wire_fl_list(struct wire_fieldlist *l, const char *name, bool array)
{
	struct wire_field *f = wire_fl_add(l, name, WF_LIST);
	f->list = wire_xrealloc(NULL, sizeof(*f->list));
	wire_fieldlist_init(f->list, array);
	return f->list;
}

const struct wire_field *wire_fl_get(const struct wire_fieldlist *l, const char *name)
{
	size_t i;
	for (i = 0; l && i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	return NULL;
}

void wire_fieldlist_copy(struct wire_fieldlist *dst, const struct wire_fieldlist *src)
{
	size_t i;
	wire_fieldlist_init(dst, src->array);
	for (i = 0; i < src->n; i++) {
		const struct wire_field *s = &src->v[i];
		struct wire_field *d = NULL;
		switch (s->kind) {
		case WF_U64:
			d = wire_fl_u64(dst, s->name, s->u);
			break;
		case WF_STR:
			d = wire_fl_str(dst, s->name, s->s);
			break;
		case WF_HEX:
			d = wire_fl_hex(dst, s->name, s->bytes, s->len);
			break;
		case WF_LIST:
			d = wire_fl_add(dst, s->name, WF_LIST);
			d->list = wire_xrealloc(NULL, sizeof(*d->list));
			wire_fieldlist_copy(d->list, s->list);
			break;
		}
		d->flags = s->flags;
	}
}

void wire_chunk_fields(const struct wire_chunk *c, struct wire_fieldlist *out)
{
	size_t i;
	struct wire_fieldlist tmp;
	wire_fl_u64(out, "type", c->type);
	wire_fl_str(out, "name", wire_chunk_type_name(c->type));
	wire_fl_u64(out, "flags", c->flags)->flags |= WF_NOLINE;
	wire_fl_u64(out, "len", c->length);
	if (c->error)
		wire_fl_str(out, "error", c->error);
	wire_fieldlist_copy(&tmp, &c->fields);
	for (i = 0; i < tmp.n; i++) {
		/* move the copied fields over */
		struct wire_field *d = wire_fl_add(out, tmp.v[i].name, tmp.v[i].kind);
		*d = tmp.v[i];
	}
	free(tmp.v);
}

void wire_packet_fields(const struct wire_packet *pkt, struct wire_fieldlist *out)
{
	struct wire_fieldlist *cl;
	size_t i;
	wire_fieldlist_init(out, false);
	if (pkt->ip_version) {
		wire_fl_u64(out, "ip", (uint64_t)pkt->ip_version);
		wire_fl_str(out, "src", pkt->src);
		wire_fl_str(out, "dst", pkt->dst);
		wire_fl_u64(out, "ttl", pkt->ip_ttl);
		wire_fl_u64(out, "tos", pkt->ip_tos);
	}
	if (pkt->udp_encap) {
		wire_fl_u64(out, "udp_sport", pkt->udp_sport);
		wire_fl_u64(out, "udp_dport", pkt->udp_dport);
	}
	if (pkt->have_sctp) {
		wire_fl_u64(out, "sport", pkt->sport);
		wire_fl_u64(out, "dport", pkt->dport);
		wire_fl_u64(out, "vtag", pkt->vtag);
		wire_fl_u64(out, "checksum", pkt->checksum);
		wire_fl_u64(out, "crc_ok", pkt->crc_ok);
	}
	if (pkt->error[0])
		wire_fl_str(out, "error", pkt->error);
	cl = wire_fl_list(out, "chunks", true);
	for (i = 0; i < pkt->nchunks; i++)
		wire_chunk_fields(&pkt->chunks[i], wire_fl_list(cl, "chunk", false));
}

/* ---- line rendering ------------------------------------------------ */

struct wire_out {
	char *buf;
	size_t n, len;
};

static void wire_out_printf(struct wire_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void wire_out_printf(struct wire_out *o, const char *fmt, ...)
{
	va_list ap;
	int r;
	char *dst = NULL;
	size_t room = 0;
	if (o->len < o->n) {
		dst = o->buf + o->len;
		room = o->n - o->len;
	}
	va_start(ap, fmt);
	r = vsnprintf(dst, room, fmt, ap);
	va_end(ap);
	if (r > 0)
		o->len += (size_t)r;
}

#define WIRE_LINE_HEX_MAX 16  /* bytes of a hex field shown in a line */

static void wire_out_value(struct wire_out *o, const struct wire_field *f);

static void wire_out_list(struct wire_out *o, const struct wire_fieldlist *l)
{
	size_t i, shown = 0;
	const struct wire_field *st, *en;
	/* a {start,end} record renders as start-end (gap blocks) */
	if (!l->array && l->n == 2 && (st = wire_fl_get(l, "start")) &&
	    (en = wire_fl_get(l, "end")) && st->kind == WF_U64 && en->kind == WF_U64) {
		wire_out_printf(o, "%llu-%llu", (unsigned long long)st->u,
				(unsigned long long)en->u);
		return;
	}
	if (l->array) {
		wire_out_printf(o, "[");
		for (i = 0; i < l->n; i++) {
			if (i)
				wire_out_printf(o, ",");
			wire_out_value(o, &l->v[i]);
		}
		wire_out_printf(o, "]");
		return;
	}
	wire_out_printf(o, "{");
	for (i = 0; i < l->n; i++) {
		if (l->v[i].flags & WF_NOLINE)
			continue;
		if (shown++)
			wire_out_printf(o, " ");
		wire_out_printf(o, "%s=", l->v[i].name);
		wire_out_value(o, &l->v[i]);
	}
	wire_out_printf(o, "}");
}

static void wire_out_value(struct wire_out *o, const struct wire_field *f)
{
	switch (f->kind) {
	case WF_U64:
		wire_out_printf(o, "%llu", (unsigned long long)f->u);
		break;
	case WF_STR:
		if (!f->s[0])
			wire_out_printf(o, "-");
		else if (strpbrk(f->s, " \t=,[]{}"))
			wire_out_printf(o, "\"%s\"", f->s);
		else
			wire_out_printf(o, "%s", f->s);
		break;
	case WF_HEX:
		if (f->len == 0)
			wire_out_printf(o, "-");
		else if (f->len <= WIRE_LINE_HEX_MAX)
			wire_out_printf(o, "%s", f->s);
		else
			wire_out_printf(o, "%.*s..(%zu bytes)", 2 * WIRE_LINE_HEX_MAX,
					f->s, f->len);
		break;
	case WF_LIST:
		wire_out_list(o, f->list);
		break;
	}
}

int wire_fields_line(const struct wire_fieldlist *l, char *buf, size_t n)
{
	struct wire_out o = { buf, n, 0 };
	size_t i, shown = 0;
	if (n)
		buf[0] = 0;
	for (i = 0; i < l->n; i++) {
		if (l->v[i].flags & WF_NOLINE)
			continue;
		if (shown++)
			wire_out_printf(&o, " ");
		wire_out_printf(&o, "%s=", l->v[i].name);
		wire_out_value(&o, &l->v[i]);
	}
	return (int)o.len;
}

/* Chunk line: "NAME k=v ... len=N".  DATA and SACK use the short forms
 * shown in the sctpsh docs: "SACK cum=122 a_rwnd=106496 gaps=[2-3] dups=[]". */
int wire_chunk_line(const struct wire_chunk *c, char *buf, size_t n)
{
	struct wire_out o = { buf, n, 0 };
	const char *nm = wire_chunk_type_name(c->type);
	size_t i, taken;
	if (n)
		buf[0] = 0;
	if (strcmp(nm, "UNKNOWN") == 0)
		wire_out_printf(&o, "CHUNK-%u", c->type);
	else
		wire_out_printf(&o, "%s", nm);
	for (i = 0; i < c->fields.n; i++) {
		const struct wire_field *f = &c->fields.v[i];
		const char *name = f->name;
		if (f->flags & WF_NOLINE)
			continue;
		if (c->type == WIRE_CT_SACK || c->type == WIRE_CT_NR_SACK) {
			if (strcmp(name, "cum_tsn") == 0)
				name = "cum";
			else if (strncmp(name, "n_", 2) == 0)
				continue;
		}
		wire_out_printf(&o, " %s=", name);
		wire_out_value(&o, f);
	}
	if (c->type == WIRE_CT_DATA || c->type == WIRE_CT_IDATA) {
		/* flags already in the field list as letters */
	} else if (c->flags && !wire_fl_get(&c->fields, "t")) {
		wire_out_printf(&o, " flags=0x%02x", c->flags);
	}
	wire_out_printf(&o, " len=%u", c->length);
	if (c->error) {
		wire_out_printf(&o, " error=\"%s\"", c->error);
	}
	taken = o.len;
	return (int)taken;
}

int wire_packet_line(const struct wire_packet *pkt, char *buf, size_t n)
{
	struct wire_out o = { buf, n, 0 };
	if (n)
		buf[0] = 0;
	if (pkt->ip_version)
		wire_out_printf(&o, "%s%s%s:%u > %s%s%s:%u ",
				pkt->ip_version == 6 ? "[" : "", pkt->src,
				pkt->ip_version == 6 ? "]" : "", pkt->sport,
				pkt->ip_version == 6 ? "[" : "", pkt->dst,
				pkt->ip_version == 6 ? "]" : "", pkt->dport);
	else if (pkt->have_sctp)
		wire_out_printf(&o, "%u > %u ", pkt->sport, pkt->dport);
	if (pkt->udp_encap)
		wire_out_printf(&o, "udp=%u>%u ", pkt->udp_sport, pkt->udp_dport);
	if (pkt->have_sctp)
		wire_out_printf(&o, "vtag=0x%08x crc=%s chunks=%zu", pkt->vtag,
				pkt->crc_ok ? "ok" : "bad", pkt->nchunks);
	if (pkt->error[0])
		wire_out_printf(&o, "%serror=\"%s\"", o.len ? " " : "", pkt->error);
	return (int)o.len;
}
