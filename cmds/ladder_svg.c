/* ladder: the drawings: chunk labels, the text ladder and the SVGs.
 *
 * The SVGs are self-contained (no external fonts, CSS or scripts: generic
 * font families, inline attributes), valid XML (every text escaped, invalid
 * UTF-8 and control characters replaced), and each packet is a
 * <g class="pkt"> whose chunk labels are <text class="chunk" data-type=T>,
 * so a test (or a script) can count them with XPath. */
#define _GNU_SOURCE
#include "ladder.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FONT "font-family=\"DejaVu Sans Mono, Liberation Mono, monospace\""
#define CHW 6.7  /* advance of one character at 11px, for the label backgrounds */
#define LINE 14  /* label line height */

static const char *const kind_color[] = {
	[LK_DATA] = "#1f5fbf",      [LK_SACK] = "#2e8b2e",   [LK_HANDSHAKE] = "#6a3d9a",
	[LK_SHUTDOWN] = "#8c564b",  [LK_ABORT] = "#d62728",  [LK_HEARTBEAT] = "#7f7f7f",
	[LK_ASCONF] = "#e07b00",    [LK_RECONF] = "#17a2b8", [LK_FWD] = "#b8860b",
	[LK_OTHER] = "#333333",
};
static const char *const kind_name[] = {
	[LK_DATA] = "DATA",         [LK_SACK] = "SACK",          [LK_HANDSHAKE] = "INIT/COOKIE",
	[LK_SHUTDOWN] = "SHUTDOWN", [LK_ABORT] = "ABORT/ERROR",  [LK_HEARTBEAT] = "HEARTBEAT",
	[LK_ASCONF] = "ASCONF",     [LK_RECONF] = "RE-CONFIG",   [LK_FWD] = "FORWARD-TSN",
	[LK_OTHER] = "other",
};

/* Text as XML character data / attribute value.  Tcl strings are "modified"
 * UTF-8 (NUL as C0 80) and may carry bytes that are not UTF-8 at all: each
 * sequence is checked, and what XML 1.0 cannot hold becomes '?'. */
static void xml_text(Tcl_DString *ds, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned c = *p;
		switch (c) {
		case '&': Tcl_DStringAppend(ds, "&amp;", 5); p++; continue;
		case '<': Tcl_DStringAppend(ds, "&lt;", 4); p++; continue;
		case '>': Tcl_DStringAppend(ds, "&gt;", 4); p++; continue;
		case '"': Tcl_DStringAppend(ds, "&quot;", 6); p++; continue;
		case '\'': Tcl_DStringAppend(ds, "&apos;", 6); p++; continue;
		}
		if (c == 0xc0 && p[1] == 0x80) { /* Tcl's NUL */
			Tcl_DStringAppend(ds, "?", 1);
			p += 2;
			continue;
		}
		if (c < 0x80) {
			Tcl_DStringAppend(ds, c < 0x20 && c != '\t' ? "?" : (const char *)p, 1);
			p++;
			continue;
		}
		int len = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
		int ok = len > 0;
		for (int i = 1; ok && i < len; i++)
			ok = (p[i] & 0xc0) == 0x80;
		if (ok && len == 3) {
			unsigned cp = (c & 0x0f) << 12 | (p[1] & 0x3f) << 6 | (p[2] & 0x3f);
			ok = cp >= 0x800 && (cp < 0xd800 || cp > 0xdfff) && cp != 0xfffe && cp != 0xffff;
		} else if (ok && len == 4) {
			unsigned cp = (c & 0x07) << 18 | (p[1] & 0x3f) << 12 | (p[2] & 0x3f) << 6 | (p[3] & 0x3f);
			ok = cp >= 0x10000 && cp <= 0x10ffff;
		}
		if (ok) {
			Tcl_DStringAppend(ds, (const char *)p, len);
			p += len;
		} else {
			Tcl_DStringAppend(ds, "?", 1);
			p++;
		}
	}
}

static void svg_head(Tcl_DString *ds, int w, int h)
{
	lad_printf(ds,
		   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" height=\"%d\" "
		   "viewBox=\"0 0 %d %d\">\n"
		   "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
		   w, h, w, h, w, h);
}

static void text_at(Tcl_DString *ds, double x, double y, const char *anchor, const char *attrs, const char *s)
{
	lad_printf(ds, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" %s %s>", x, y, anchor, FONT, attrs);
	xml_text(ds, s);
	Tcl_DStringAppend(ds, "</text>\n", -1);
}

/* ---- chunk labels -------------------------------------------------------- */

enum lad_kind lad_kind_of(const char *t)
{
	if (!strcmp(t, "DATA") || !strcmp(t, "I-DATA"))
		return LK_DATA;
	if (!strcmp(t, "SACK") || !strcmp(t, "NR-SACK"))
		return LK_SACK;
	if (!strncmp(t, "INIT", 4) || !strncmp(t, "COOKIE", 6))
		return LK_HANDSHAKE;
	if (!strncmp(t, "SHUTDOWN", 8))
		return LK_SHUTDOWN;
	if (!strcmp(t, "ABORT") || !strcmp(t, "ERROR") || !strcmp(t, "DECODE-ERROR"))
		return LK_ABORT;
	if (!strncmp(t, "HEARTBEAT", 9))
		return LK_HEARTBEAT;
	if (!strncmp(t, "ASCONF", 6))
		return LK_ASCONF;
	if (!strcmp(t, "RE-CONFIG"))
		return LK_RECONF;
	if (strstr(t, "FORWARD-TSN"))
		return LK_FWD;
	return LK_OTHER;
}

static void causes(char *b, size_t n, Tcl_Obj *d)
{
	FOREACH_ELEM(d, "causes", c, lad_lcat(b, n, " (%s)", lad_gets(c, "name")));
}

/* The fields that matter, per chunk type (RFC 9260 §3.3, RFC 5061, RFC 6525, RFC 3758, RFC 8260). */
void lad_make_label(lad_chunk *k)
{
	Tcl_Obj *d = k->d;
	const char *t = k->type;
	char *b = k->label;
	size_t n = sizeof k->label;
	snprintf(b, n, "%s", t);
	if (!strcmp(t, "DATA") || !strcmp(t, "I-DATA")) {
		lad_lcat(b, n, " TSN=%u S%u", lad_getu(d, "tsn"), lad_getu(d, "sid"));
		if (!strcmp(t, "DATA"))
			lad_lcat(b, n, " SSN%u", lad_getu(d, "ssn"));
		else
			lad_lcat(b, n, " MID%u", lad_getu(d, "mid"));
		lad_lcat(b, n, " %uB", lad_getu(d, "payload_len"));
		const char *fl = lad_gets(d, "flags");
		if (strcmp(fl, "BE"))
			lad_lcat(b, n, " [%s]", *fl ? fl : "middle");
		if (k->rtx)
			lad_lcat(b, n, " RTX");
	} else if (!strcmp(t, "SACK") || !strcmp(t, "NR-SACK")) {
		uint32_t cum = lad_getu(d, "cum_tsn");
		lad_lcat(b, n, " cum=%u a_rwnd=%u", cum, lad_getu(d, "a_rwnd"));
		/* gap ack blocks are offsets from the cumulative TSN (RFC 9260 §3.3.4): shown as TSNs */
		int first = 1;
		FOREACH_ELEM(d, "gaps", g, {
			lad_lcat(b, n, "%s%u-%u", first ? " gaps " : ",", cum + lad_getu(g, "start"), cum + lad_getu(g, "end"));
			first = 0;
		});
		first = 1;
		FOREACH_ELEM(d, "nr_gaps", g, {
			lad_lcat(b, n, "%s%u-%u", first ? " nr-gaps " : ",", cum + lad_getu(g, "start"), cum + lad_getu(g, "end"));
			first = 0;
		});
		first = 1;
		FOREACH_ELEM(d, "dups", x, {
			Tcl_WideInt v = 0;
			Tcl_GetWideIntFromObj(NULL, x, &v);
			lad_lcat(b, n, "%s%u", first ? " dups " : ",", (uint32_t)v);
			first = 0;
		});
	} else if (!strcmp(t, "INIT") || !strcmp(t, "INIT-ACK")) {
		lad_lcat(b, n, " tag=%u tsn=%u os=%u mis=%u a_rwnd=%u", lad_getu(d, "init_tag"), lad_getu(d, "init_tsn"),
		     lad_getu(d, "os"), lad_getu(d, "mis"), lad_getu(d, "a_rwnd"));
		FOREACH_ELEM(d, "params", p, {
			const char *pn = lad_gets(p, "name");
			if (!strcmp(pn, "ipv4-address") || !strcmp(pn, "ipv6-address"))
				lad_lcat(b, n, " +%s", lad_gets(p, "addr"));
		});
	} else if (!strcmp(t, "SHUTDOWN")) {
		lad_lcat(b, n, " cum=%u", lad_getu(d, "cum_tsn"));
	} else if (!strcmp(t, "SHUTDOWN-COMPLETE")) {
		if (lad_getu(d, "t"))
			lad_lcat(b, n, " T");
	} else if (!strcmp(t, "ABORT") || !strcmp(t, "ERROR")) {
		if (lad_getu(d, "t"))
			lad_lcat(b, n, " T");
		causes(b, n, d);
	} else if (!strcmp(t, "ASCONF") || !strcmp(t, "ASCONF-ACK")) {
		lad_lcat(b, n, " serial=%u", lad_getu(d, "serial"));
		FOREACH_ELEM(d, "params", p, {
			const char *pn = lad_gets(p, "name");
			if (!strcmp(pn, "add-ip-address"))
				lad_lcat(b, n, " add %s", lad_gets(p, "addr"));
			else if (!strcmp(pn, "delete-ip-address"))
				lad_lcat(b, n, " del %s", lad_gets(p, "addr"));
			else if (!strcmp(pn, "set-primary-address"))
				lad_lcat(b, n, " primary %s", lad_gets(p, "addr"));
			else if (!strcmp(pn, "success-indication"))
				lad_lcat(b, n, " ok#%u", lad_getu(p, "corr_id"));
			else if (!strcmp(pn, "error-cause-indication")) {
				lad_lcat(b, n, " error#%u", lad_getu(p, "corr_id"));
				causes(b, n, p);
			} else
				lad_lcat(b, n, " %s", pn);
		});
	} else if (!strcmp(t, "RE-CONFIG")) {
		FOREACH_ELEM(d, "params", p, {
			const char *pn = lad_gets(p, "name");
			if (!strcmp(pn, "reconfig-response"))
				lad_lcat(b, n, " response seq=%u %s", lad_getu(p, "resp_seq"), lad_gets(p, "result_name"));
			else {
				lad_lcat(b, n, " %s seq=%u", pn, lad_getu(p, "req_seq"));
				if (lad_get(p, "new_streams"))
					lad_lcat(b, n, " +%u", lad_getu(p, "new_streams"));
				int first = 1;
				FOREACH_ELEM(p, "streams", s, {
					Tcl_WideInt v = 0;
					Tcl_GetWideIntFromObj(NULL, s, &v);
					lad_lcat(b, n, "%s%u", first ? " S" : ",", (uint32_t)v);
					first = 0;
				});
			}
		});
	} else if (!strcmp(t, "FORWARD-TSN") || !strcmp(t, "I-FORWARD-TSN")) {
		lad_lcat(b, n, " new_cum=%u", lad_getu(d, "new_cum_tsn"));
		FOREACH_ELEM(d, "streams", s, {
			if (lad_get(s, "mid"))
				lad_lcat(b, n, " S%u:MID%u", lad_getu(s, "sid"), lad_getu(s, "mid"));
			else
				lad_lcat(b, n, " S%u:%u", lad_getu(s, "sid"), lad_getu(s, "ssn"));
		});
	} else if (!strcmp(t, "AUTH")) {
		lad_lcat(b, n, " key=%u %s", lad_getu(d, "key_id"), lad_gets(d, "hmac_name"));
	} else if (!strcmp(t, "ECNE") || !strcmp(t, "CWR")) {
		lad_lcat(b, n, " lowest=%u", lad_getu(d, "lowest_tsn"));
	} else if (!strcmp(t, "PAD")) {
		lad_lcat(b, n, " %uB", lad_getu(d, "pad_len"));
	}
	Tcl_Obj *err = lad_get(d, "error");
	if (err)
		lad_lcat(b, n, " (error: %s)", Tcl_GetString(err));
}

/* ---- the text ladder ------------------------------------------------------ */

static void put_centered(char *row, int width, int center, const char *s, int maxw)
{
	int l = (int)strlen(s);
	if (l > maxw)
		l = maxw;
	int x = center - l / 2;
	if (x < 0)
		x = 0;
	for (int i = 0; i < l && x + i < width; i++)
		row[x + i] = s[i];
}

static void row_end(Tcl_DString *ds, char *row, int width, const char *detail)
{
	int e = width;
	while (e > 0 && row[e - 1] == ' ')
		e--;
	Tcl_DStringAppend(ds, row, e);
	if (detail && *detail) {
		for (int i = e; i < width; i++)
			Tcl_DStringAppend(ds, " ", 1);
		Tcl_DStringAppend(ds, "  ", 2);
		Tcl_DStringAppend(ds, detail, -1);
	}
	Tcl_DStringAppend(ds, "\n", 1);
}

#define TL 19 /* "   0.123456 #1234  " */

void lad_text_ladder(const lad_model *m, int colw, Tcl_DString *ds)
{
	int width = TL + m->ncol * colw;
	char *row = ckalloc(width + 1);
	int *cx = (int *)ckalloc(sizeof(int) * (m->ncol + 1));
	for (int i = 0; i < m->ncol; i++)
		cx[i] = TL + colw / 2 + i * colw;
	/* host names over their columns, then the addresses */
	if (m->nhosts) {
		memset(row, ' ', width);
		for (int h = 0; h < m->nhosts; h++)
			if (m->hosts[h].n)
				put_centered(row, width, (cx[m->hosts[h].first] + cx[m->hosts[h].first + m->hosts[h].n - 1]) / 2,
					     m->hosts[h].name, colw * m->hosts[h].n - 1);
		row_end(ds, row, width, NULL);
	}
	memset(row, ' ', width);
	memcpy(row, "  time (s)  #", 13);
	for (int i = 0; i < m->ncol; i++)
		put_centered(row, width, cx[i], m->col[i].key, colw - 1);
	row_end(ds, row, width, NULL);
	double prev = m->t0;
	for (int i = 0; i < m->np; i++) {
		const lad_pkt *p = &m->p[i];
		/* a long pause is shown: timers (T3-rtx, T1-init, heartbeats) stand out */
		if (p->t - prev >= 0.2) {
			memset(row, ' ', width);
			for (int c = 0; c < m->ncol; c++)
				row[cx[c]] = ':';
			char gap[48];
			snprintf(gap, sizeof gap, "... %.3f s ...", p->t - prev);
			row_end(ds, row, width, gap);
		}
		prev = p->t;
		memset(row, ' ', width);
		char lead[TL + 24];
		snprintf(lead, sizeof lead, "%11.6f #%-5ld", p->t - m->t0, p->num);
		memcpy(row, lead, strlen(lead) < TL ? strlen(lead) : TL);
		for (int c = 0; c < m->ncol; c++)
			row[cx[c]] = '|';
		int a = cx[p->from], b = cx[p->to];
		char types[160] = "";
		for (int k = 0; k < p->nch; k++)
			lad_lcat(types, sizeof types, "%s%s", k ? "+" : "", m->c[p->first + k].type);
		if (a == b) {
			row[a] = 'o';
		} else {
			int dir = b > a ? 1 : -1;
			int end = p->lost ? a + (b - a) / 2 : b - dir; /* a lost packet ends half way, in an X */
			for (int x = a + dir; x != end + dir; x += dir)
				row[x] = '-';
			row[end] = p->lost ? 'X' : dir > 0 ? '>' : '<';
			int span = abs(end - a) - 3;
			int tl = (int)strlen(types);
			if (span >= 4 && !p->lost) { /* a lost arrow stays bare: its X is the point */
				if (tl > span)
					tl = span;
				int lo = a < end ? a : end;
				int x0 = lo + 2 + (span - tl) / 2;
				memcpy(row + x0, types, tl);
			}
		}
		for (int k = 0; k < p->nch; k++) {
			char det[400];
			snprintf(det, sizeof det, "%s", m->c[p->first + k].label);
			if (k == 0 && p->lost)
				lad_lcat(det, sizeof det, "  LOST");
			if (k == 0 && p->vtag_bad)
				lad_lcat(det, sizeof det, "  VTAG %u, expected %u", p->vtag, p->vtag_want);
			if (k > 0) {
				memset(row, ' ', width);
				for (int c = 0; c < m->ncol; c++)
					row[cx[c]] = '|';
			}
			row_end(ds, row, width, det);
		}
	}
	ckfree(row);
	ckfree(cx);
}

/* ---- the ladder --------------------------------------------------------------- */

#define LM 120   /* left margin: time and packet number */
#define TOPH 40  /* title */

static int pkt_lines(const lad_pkt *p)
{
	return p->nch + (p->vtag_bad ? 1 : 0) + (p->lost ? 1 : 0);
}

/* The colour key under the ladder, in rows that fit the width; returns the rows. */
static int legend(Tcl_DString *ds, int width, double y, int draw)
{
	double lx = 8, ly = y;
	int rows = 1;
	for (int k = 0; k <= LK_OTHER + 1; k++) {
		const char *name = k <= LK_OTHER ? kind_name[k] : "lost  (bold: retransmission)";
		double w = 14 + strlen(name) * CHW + 14;
		if (lx > 8 && lx + w > width - 4) {
			lx = 8;
			ly += 16;
			rows++;
		}
		if (draw && k <= LK_OTHER) {
			lad_printf(ds, "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" fill=\"%s\"/>\n", lx, ly - 9,
				   kind_color[k]);
		} else if (draw) {
			lad_printf(ds, "<path d=\"M %.1f %.1f l 10 10 M %.1f %.1f l -10 10\" stroke=\"#d62728\" stroke-width=\"2.5\"/>\n",
				   lx, ly - 9, lx + 10, ly - 9);
		}
		if (draw)
			text_at(ds, lx + 14, ly, "start", "font-size=\"11\" fill=\"#333333\"", name);
		lx += w;
	}
	return rows;
}

void lad_svg_ladder(const lad_model *m, const char *title, Tcl_DString *ds)
{
	/* columns wide enough for most labels; longer ones run over a white backing */
	int longest = 12;
	for (int i = 0; i < m->np; i++) {
		const lad_pkt *p = &m->p[i];
		int span = abs(p->to - p->from);
		if (span < 1)
			span = 1;
		for (int k = 0; k < p->nch; k++) {
			int l = (int)strlen(m->c[p->first + k].label) / span;
			if (l > longest)
				longest = l;
		}
	}
	for (int i = 0; i < m->ncol; i++)
		if ((int)strlen(m->col[i].key) > longest)
			longest = (int)strlen(m->col[i].key);
	int colw = (int)(longest * CHW) + 24;
	if (colw < 160)
		colw = 160;
	if (colw > 300)
		colw = 300;
	int ncol = m->ncol ? m->ncol : 1;
	int width = LM + ncol * colw + 20;
	int top = (title ? TOPH : 12) + (m->nhosts ? 24 : 0) + 24;
	/* heights first: a row per packet, its labels above its arrow */
	int y = top + 16;
	double prev = m->t0;
	for (int i = 0; i < m->np; i++) {
		if (m->p[i].t - prev >= 0.2)
			y += 26;
		prev = m->p[i].t;
		y += LINE * pkt_lines(&m->p[i]) + 16;
	}
	int bottom = y + 10;
	int height = bottom + 30 + 16 * legend(NULL, width, 0, 0);
	svg_head(ds, width, height);
	double *cx = (double *)ckalloc(sizeof(double) * (ncol + 1));
	for (int i = 0; i < ncol; i++)
		cx[i] = LM + colw / 2.0 + i * colw;
	if (title)
		text_at(ds, width / 2.0, 26, "middle", "font-size=\"16\" font-weight=\"bold\" fill=\"#000000\"", title);
	int hy = title ? TOPH : 12;
	for (int h = 0; h < m->nhosts; h++) {
		const lad_host *ho = &m->hosts[h];
		if (!ho->n)
			continue;
		double x0 = cx[ho->first] - colw / 2.0 + 6, x1 = cx[ho->first + ho->n - 1] + colw / 2.0 - 6;
		lad_printf(ds, "<rect class=\"host\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" rx=\"6\" fill=\"#eef2f8\" "
			       "stroke=\"#9aa9c2\"/>\n", x0, hy, x1 - x0, bottom - hy);
		text_at(ds, (x0 + x1) / 2, hy + 17, "middle", "font-size=\"14\" font-weight=\"bold\" fill=\"#23395d\"", ho->name);
	}
	int ay = hy + (m->nhosts ? 24 : 0) + 14;
	for (int i = 0; i < m->ncol; i++) {
		text_at(ds, cx[i], ay, "middle", "class=\"col\" font-size=\"12\" fill=\"#000000\"", m->col[i].key);
		lad_printf(ds, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888888\" stroke-width=\"1.2\"/>\n",
			   cx[i], ay + 6, cx[i], bottom);
	}
	text_at(ds, 8, ay, "start", "font-size=\"11\" fill=\"#555555\"", "time (s)   #");
	y = top + 16;
	prev = m->t0;
	for (int i = 0; i < m->np; i++) {
		const lad_pkt *p = &m->p[i];
		if (p->t - prev >= 0.2) {
			/* a pause (a timer ran): a dashed band with its length */
			char gap[48];
			snprintf(gap, sizeof gap, "%.3f s later", p->t - prev);
			lad_printf(ds, "<line x1=\"4\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#bbbbbb\" stroke-dasharray=\"4 4\"/>\n",
				   y + 14, width - 4, y + 14);
			text_at(ds, 8, y + 10, "start", "font-size=\"10\" font-style=\"italic\" fill=\"#777777\"", gap);
			y += 26;
		}
		prev = p->t;
		int nl = pkt_lines(p);
		double ya = y + LINE * nl + 4; /* the arrow */
		double x1 = cx[p->from], x2 = cx[p->to];
		const char *color = kind_color[LK_OTHER];
		for (int k = 0; k < p->nch; k++)
			if (strcmp(m->c[p->first + k].type, "AUTH") || k == p->nch - 1) {
				color = kind_color[m->c[p->first + k].kind];
				break;
			}
		lad_printf(ds, "<g class=\"pkt\" data-num=\"%ld\" data-lost=\"%d\" data-vtag-ok=\"%d\">\n", p->num, p->lost,
			   !p->vtag_bad);
		char tl[48];
		snprintf(tl, sizeof tl, "%.6f", p->t - m->t0);
		text_at(ds, 8, ya + 4, "start", "font-size=\"11\" fill=\"#333333\"", tl);
		snprintf(tl, sizeof tl, "#%ld", p->num);
		text_at(ds, LM - 8, ya + 4, "end", "font-size=\"11\" fill=\"#777777\"", tl);
		double dir = x2 >= x1 ? 1 : -1;
		double xe = p->lost ? x1 + (x2 - x1) / 2 : x2;
		if (x1 == x2) {
			/* both ends in one column: a small loop */
			lad_printf(ds, "<path d=\"M %.1f %.1f h 24 v 10 h -20\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\"/>\n",
				   x1, ya - 10, color);
		} else if (p->lost) {
			lad_printf(ds, "<line class=\"arrow lost\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
				       "stroke-width=\"1.6\" stroke-dasharray=\"6 3\"/>\n", x1, ya, xe, ya, color);
			lad_printf(ds, "<path d=\"M %.1f %.1f l 12 12 M %.1f %.1f l -12 12\" stroke=\"#d62728\" stroke-width=\"2.5\"/>\n",
				   xe - 6, ya - 6, xe + 6, ya - 6);
		} else {
			lad_printf(ds, "<line class=\"arrow\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
				       "stroke-width=\"1.6\"/>\n", x1, ya, x2 - dir * 8, ya, color);
			lad_printf(ds, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"%s\"/>\n", x2, ya, x2 - dir * 10,
				   ya - 4.5, x2 - dir * 10, ya + 4.5, color);
		}
		/* labels centred over the (drawn part of the) arrow, on a white backing */
		double mid = x1 == x2 ? x1 + 30 : (x1 + xe) / 2;
		const char *anchor = x1 == x2 ? "start" : "middle";
		int maxl = 0;
		for (int k = 0; k < p->nch; k++)
			if ((int)strlen(m->c[p->first + k].label) > maxl)
				maxl = (int)strlen(m->c[p->first + k].label);
		if (maxl < 30 && (p->vtag_bad || p->lost))
			maxl = 30;
		double bw = maxl * CHW + 8, bx = x1 == x2 ? mid - 4 : mid - bw / 2;
		lad_printf(ds, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"#ffffff\" fill-opacity=\"0.85\"/>\n",
			   bx, ya - 4 - LINE * nl, bw, LINE * nl);
		double yl = ya - 7 - LINE * (nl - 1);
		for (int k = 0; k < p->nch; k++, yl += LINE) {
			const lad_chunk *c = &m->c[p->first + k];
			Tcl_DString attrs;
			Tcl_DStringInit(&attrs);
			Tcl_DStringAppend(&attrs, "class=\"chunk\" data-type=\"", -1);
			xml_text(&attrs, c->type);
			lad_printf(&attrs, "\" font-size=\"11\" fill=\"%s\"%s", kind_color[c->kind],
				   c->rtx ? " font-weight=\"bold\"" : "");
			text_at(ds, mid, yl, anchor, Tcl_DStringValue(&attrs), c->label);
			Tcl_DStringFree(&attrs);
		}
		if (p->vtag_bad) {
			char v[96];
			snprintf(v, sizeof v, "vtag %u, expected %u", p->vtag, p->vtag_want);
			text_at(ds, mid, yl, anchor, "class=\"vtag-bad\" font-size=\"11\" font-weight=\"bold\" fill=\"#d62728\"", v);
			yl += LINE;
		}
		if (p->lost)
			text_at(ds, mid, yl, anchor, "class=\"lost\" font-size=\"11\" font-weight=\"bold\" fill=\"#d62728\"",
				"lost");
		Tcl_DStringAppend(ds, "</g>\n", -1);
		y = (int)ya + 12; /* = LINE * nl + 16 per packet, as laid out above */
	}
	if (!m->np)
		text_at(ds, width / 2.0, top + 10, "middle", "font-size=\"13\" fill=\"#777777\"", "(no SCTP packets)");
	ckfree(cx);
	legend(ds, width, bottom + 26, 1);
	Tcl_DStringAppend(ds, "</svg>\n", -1);
}

/* ---- the TSN plot ---------------------------------------------------------------- */

/* a "nice" tick step (1, 2 or 5 times a power of ten) for about n ticks over span */
static double nice_step(double span, int n)
{
	double raw = span / n, p = 1;
	if (raw <= 0)
		return 1;
	while (p * 10 <= raw)
		p *= 10;
	while (p > raw)
		p /= 10;
	return raw <= p ? p : raw <= 2 * p ? 2 * p : raw <= 5 * p ? 5 * p : 10 * p;
}

#define PW 960     /* plot width */
#define PL 96      /* left margin (TSN labels) */
#define PR 24
#define PH 300     /* TSN panel */
#define RH 110     /* a_rwnd panel */

typedef struct tsn_box {
	double x0, x1, y0, y1;     /* data ranges */
	double px, py, pw, ph;     /* panel in pixels */
} tsn_box;

static double bx(const tsn_box *b, double x)
{
	return b->x1 > b->x0 ? b->px + (x - b->x0) / (b->x1 - b->x0) * b->pw : b->px;
}
static double by(const tsn_box *b, double y)
{
	return b->y1 > b->y0 ? b->py + b->ph - (y - b->y0) / (b->y1 - b->y0) * b->ph : b->py + b->ph;
}

static void axes(Tcl_DString *ds, const tsn_box *b, uint32_t base, int tsn_labels, const char *ylabel)
{
	lad_printf(ds, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#fbfbfb\" stroke=\"#999999\"/>\n",
		   b->px, b->py, b->pw, b->ph);
	double st = nice_step(b->x1 - b->x0, 8);
	char l[48];
	for (double x = st * (long long)(b->x0 / st); x <= b->x1 + st / 1000; x += st) {
		if (x < b->x0 - st / 1000)
			continue;
		double X = bx(b, x);
		lad_printf(ds, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>\n", X, b->py, X,
			   b->py + b->ph);
		snprintf(l, sizeof l, st < 0.001 ? "%.4f" : st < 0.01 ? "%.3f" : st < 0.1 ? "%.2f" : "%.1f", x);
		text_at(ds, X, b->py + b->ph + 14, "middle", "font-size=\"10\" fill=\"#333333\"", l);
	}
	double sy = nice_step(b->y1 - b->y0, 6);
	if (tsn_labels && sy < 1)
		sy = 1;
	double y0 = sy * (long long)(b->y0 / sy);
	if (y0 < b->y0)
		y0 += sy;
	for (double y = y0; y <= b->y1 + sy / 1000; y += sy) {
		double Y = by(b, y);
		lad_printf(ds, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>\n", b->px, Y,
			   b->px + b->pw, Y);
		if (tsn_labels)
			snprintf(l, sizeof l, "%u", base + (uint32_t)(int64_t)y);
		else
			snprintf(l, sizeof l, "%.0f", y);
		text_at(ds, b->px - 6, Y + 4, "end", "font-size=\"10\" fill=\"#333333\"", l);
	}
	text_at(ds, b->px - 6, b->py - 6, "end", "font-size=\"11\" font-weight=\"bold\" fill=\"#333333\"", ylabel);
}

int lad_svg_tsn(Tcl_Interp *ip, const lad_model *m, const char *title, int assoc, Tcl_DString *ds, Tcl_Obj **flows)
{
	(void)ip;
	int *sel = (int *)ckalloc(sizeof(int) * (m->nflow + 1)), ns = 0, *fp = NULL;
	for (int f = 0; f < m->nflow; f++)
		if (!assoc || m->flowassoc[f] == assoc)
			sel[ns++] = f;
	/* each flow's packets, in order (fp[fs[f]] .. fp[fs[f+1]-1]): every panel
	 * visits only its own, so many flows stay linear */
	int *fs = (int *)ckalloc(sizeof(int) * (m->nflow + 2));
	memset(fs, 0, sizeof(int) * (m->nflow + 2));
	for (int pass = 0, *fp0 = NULL; pass < 2; pass++) {
		for (int i = 0; i < m->np; i++) {
			const lad_pkt *p = &m->p[i];
			for (int k = 0; k < p->nch; k++) {
				int f = m->c[p->first + k].flow, dup = 0;
				for (int j = 0; j < k && !dup; j++)
					dup = m->c[p->first + j].flow == f;
				if (f < 0 || dup)
					continue;
				if (pass == 0)
					fs[f + 2]++;
				else
					fp0[fs[f + 1]++] = i;
			}
		}
		if (pass == 0) {
			for (int f = 0; f < m->nflow; f++)
				fs[f + 2] += fs[f + 1];
			fp0 = (int *)ckalloc(sizeof(int) * (fs[m->nflow + 1] + 1));
			fp = fp0;
		}
	}
	int panel = 48 + PH + 40 + RH + 50;
	int top = title ? 44 : 16;
	int height = top + (ns ? ns : 1) * panel + 30;
	svg_head(ds, PW, height);
	if (title)
		text_at(ds, PW / 2.0, 28, "middle", "font-size=\"16\" font-weight=\"bold\" fill=\"#000000\"", title);
	*flows = sh_list();
	Tcl_IncrRefCount(*flows);
	if (!ns)
		text_at(ds, PW / 2.0, top + 30, "middle", "font-size=\"13\" fill=\"#777777\"",
			"(no DATA or SACK chunks in the input)");
	for (int si = 0; si < ns; si++) {
		int f = sel[si];
		/* the flow's base TSN (first DATA, else first cumulative ack + 1) and ranges; TSNs
		 * compare in serial number arithmetic (RFC 9260 §1.6) relative to it */
		int have_base = 0;
		uint32_t base = 0;
		double t0 = 0, t1 = 0, lo = 0, hi = 0, rmax = 0;
		int ndata = 0, nrtx = 0, nsack = 0, nev = 0;
		uint32_t last = 0, maxcum = 0;
		int have_cum = 0;
		for (int pass = 0; pass < 2; pass++)
			for (int q = fs[f]; q < fs[f + 1]; q++) {
				const lad_pkt *p = &m->p[fp[q]];
				for (int k = 0; k < p->nch; k++) {
					const lad_chunk *c = &m->c[p->first + k];
					if (c->flow != f)
						continue;
					Tcl_WideInt v;
					if (pass == 0) {
						if (!have_base && c->kind == LK_DATA) {
							lad_geti(c->d, "tsn", &v);
							base = (uint32_t)v;
							have_base = 1;
						}
						continue;
					}
					if (!have_base && c->kind == LK_SACK) {
						lad_geti(c->d, "cum_tsn", &v);
						base = (uint32_t)v + 1;
						have_base = 1;
					}
					double t = p->t - m->t0;
					double r0, r1;
					if (c->kind == LK_DATA) {
						lad_geti(c->d, "tsn", &v);
						r0 = r1 = (int32_t)((uint32_t)v - base);
						if (!ndata || (int32_t)((uint32_t)v - last) > 0)
							last = (uint32_t)v;
						ndata++;
						nrtx += c->rtx;
					} else {
						lad_geti(c->d, "cum_tsn", &v);
						uint32_t cum = (uint32_t)v;
						r0 = r1 = (int32_t)(cum - base);
						if (!have_cum || (int32_t)(cum - maxcum) > 0)
							maxcum = cum;
						have_cum = 1;
						Tcl_Obj *g = lad_get(c->d, "gaps"), **gv;
						Tcl_Size ng;
						if (g && Tcl_ListObjGetElements(NULL, g, &ng, &gv) == TCL_OK)
							for (Tcl_Size j = 0; j < ng; j++) {
								lad_geti(gv[j], "end", &v);
								if (r0 + (double)v > r1)
									r1 = r0 + (double)v;
							}
						lad_geti(c->d, "a_rwnd", &v);
						if ((double)v > rmax)
							rmax = (double)v;
						nsack++;
					}
					if (!nev || t < t0)
						t0 = t;
					if (!nev || t > t1)
						t1 = t;
					if (!nev || r0 < lo)
						lo = r0;
					if (!nev || r1 > hi)
						hi = r1;
					nev++;
				}
			}
		Tcl_Obj *fd = Tcl_NewDictObj();
		Tcl_DictObjPut(NULL, fd, Tcl_NewStringObj("assoc", -1), Tcl_NewIntObj(m->flowassoc[f]));
		Tcl_DictObjPut(NULL, fd, Tcl_NewStringObj("name", -1), Tcl_NewStringObj(m->flowname[f], -1));
		Tcl_DictObjPut(NULL, fd, Tcl_NewStringObj("data", -1), Tcl_NewIntObj(ndata));
		Tcl_DictObjPut(NULL, fd, Tcl_NewStringObj("rtx", -1), Tcl_NewIntObj(nrtx));
		Tcl_DictObjPut(NULL, fd, Tcl_NewStringObj("sacks", -1), Tcl_NewIntObj(nsack));
		if (ndata) {
			Tcl_DictObjPut(NULL, fd, Tcl_NewStringObj("first_tsn", -1), Tcl_NewWideIntObj(base));
			Tcl_DictObjPut(NULL, fd, Tcl_NewStringObj("last_tsn", -1), Tcl_NewWideIntObj(last));
		}
		if (have_cum)
			Tcl_DictObjPut(NULL, fd, Tcl_NewStringObj("max_cum_tsn", -1), Tcl_NewWideIntObj(maxcum));
		Tcl_ListObjAppendElement(NULL, *flows, fd);

		double py = top + si * panel;
		char head[256];
		snprintf(head, sizeof head, "association %d: %s   (%d DATA, %d retransmitted, %d SACK)", m->flowassoc[f],
			 m->flowname[f], ndata, nrtx, nsack);
		lad_printf(ds, "<g class=\"flow\" data-assoc=\"%d\">\n", m->flowassoc[f]);
		text_at(ds, PL, py + 20, "start", "font-size=\"13\" font-weight=\"bold\" fill=\"#000000\"", head);
		if (t1 - t0 < 1e-3) {
			t0 -= 5e-4;
			t1 += 5e-4;
		}
		double pad = (t1 - t0) * 0.02;
		if (hi - lo < 4) {
			lo -= 2;
			hi += 2;
		}
		double padY = (hi - lo) * 0.05;
		tsn_box b = {t0 - pad, t1 + pad, lo - padY, hi + padY, PL, py + 48, PW - PL - PR, PH};
		axes(ds, &b, base, 1, "TSN");
		tsn_box r = {b.x0, b.x1, 0, rmax > 0 ? rmax * 1.1 : 1, PL, b.py + PH + 40, PW - PL - PR, RH};
		axes(ds, &r, 0, 0, "a_rwnd");
		text_at(ds, PL + (PW - PL - PR) / 2.0, r.py + RH + 30, "middle", "font-size=\"11\" fill=\"#333333\"",
			"time (s) since the first packet");
		/* SACK: cumulative TSN as a step line, gap blocks as bars; a_rwnd below */
		Tcl_DString cum, rw;
		Tcl_DStringInit(&cum);
		Tcl_DStringInit(&rw);
		double lastY = 0, lastR = 0;
		int ncum = 0;
		for (int q = fs[f]; q < fs[f + 1]; q++) {
			const lad_pkt *p = &m->p[fp[q]];
			double X = bx(&b, p->t - m->t0);
			for (int k = 0; k < p->nch; k++) {
				const lad_chunk *c = &m->c[p->first + k];
				if (c->flow != f)
					continue;
				Tcl_WideInt v;
				if (c->kind == LK_SACK) {
					lad_geti(c->d, "cum_tsn", &v);
					double rc = (int32_t)((uint32_t)v - base);
					double Y = by(&b, rc);
					lad_geti(c->d, "a_rwnd", &v);
					double R = by(&r, (double)v);
					if (ncum)
						lad_printf(&cum, " %.1f,%.1f", X, lastY);
					lad_printf(&cum, " %.1f,%.1f", X, Y);
					if (ncum)
						lad_printf(&rw, " %.1f,%.1f", X, lastR);
					lad_printf(&rw, " %.1f,%.1f", X, R);
					lastY = Y;
					lastR = R;
					ncum++;
					/* each SACK also as a mark: one SACK alone makes no line */
					lad_printf(ds, "<rect class=\"sack\" x=\"%.1f\" y=\"%.1f\" width=\"5\" height=\"5\" fill=\"#2e8b2e\"/>\n",
						   X - 2.5, Y - 2.5);
					lad_printf(ds, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill=\"#6a3d9a\"/>\n", X, R);
					Tcl_Obj *g = lad_get(c->d, "gaps"), **gv;
					Tcl_Size ng;
					if (g && Tcl_ListObjGetElements(NULL, g, &ng, &gv) == TCL_OK)
						for (Tcl_Size j = 0; j < ng; j++) {
							Tcl_WideInt s, e;
							lad_geti(gv[j], "start", &s);
							lad_geti(gv[j], "end", &e);
							double ys = by(&b, rc + (double)s - 0.4), ye = by(&b, rc + (double)e + 0.4);
							lad_printf(ds, "<rect class=\"gap\" x=\"%.1f\" y=\"%.1f\" width=\"4\" height=\"%.1f\" "
								       "fill=\"#e07b00\" fill-opacity=\"0.8\"/>\n", X - 2, ye, ys - ye);
						}
				}
			}
		}
		if (ncum) {
			lad_printf(ds, "<polyline class=\"cum\" points=\"%s\" fill=\"none\" stroke=\"#2e8b2e\" stroke-width=\"1.8\"/>\n",
				   Tcl_DStringValue(&cum));
			lad_printf(ds, "<polyline class=\"rwnd\" points=\"%s\" fill=\"none\" stroke=\"#6a3d9a\" stroke-width=\"1.5\"/>\n",
				   Tcl_DStringValue(&rw));
		} else {
			text_at(ds, r.px + r.pw / 2, r.py + RH / 2.0, "middle", "font-size=\"11\" fill=\"#777777\"",
				"(no SACK for this direction in the input)");
		}
		Tcl_DStringFree(&cum);
		Tcl_DStringFree(&rw);
		/* DATA last, on top: dots, retransmissions as red diamonds, lost ones hollow */
		for (int q = fs[f]; q < fs[f + 1]; q++) {
			const lad_pkt *p = &m->p[fp[q]];
			double X = bx(&b, p->t - m->t0);
			for (int k = 0; k < p->nch; k++) {
				const lad_chunk *c = &m->c[p->first + k];
				if (c->flow != f || c->kind != LK_DATA)
					continue;
				Tcl_WideInt v;
				lad_geti(c->d, "tsn", &v);
				double Y = by(&b, (int32_t)((uint32_t)v - base));
				if (c->rtx)
					lad_printf(ds, "<polygon class=\"rtx\" data-tsn=\"%u\" points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f\" "
						       "fill=\"%s\" stroke=\"#d62728\" stroke-width=\"1.5\"/>\n", (uint32_t)v, X, Y - 5,
						   X + 5, Y, X, Y + 5, X - 5, Y, p->lost ? "none" : "#d62728");
				else
					lad_printf(ds, "<circle class=\"data\" data-tsn=\"%u\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\" "
						       "stroke=\"#1f5fbf\" stroke-width=\"1.2\"/>\n", (uint32_t)v, X, Y,
						   p->lost ? "none" : "#1f5fbf");
			}
		}
		/* legend */
		double lx = PW - PR - 400, ly = b.py - 8; /* over the panel's top right */
		lad_printf(ds, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#1f5fbf\"/>\n", lx, ly - 4);
		text_at(ds, lx + 8, ly, "start", "font-size=\"10\" fill=\"#333333\"", "DATA");
		lx += 52;
		lad_printf(ds, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"#d62728\"/>\n", lx, ly - 9, lx + 5,
			   ly - 4, lx, ly + 1, lx - 5, ly - 4);
		text_at(ds, lx + 8, ly, "start", "font-size=\"10\" fill=\"#333333\"", "retransmission");
		lx += 112;
		lad_printf(ds, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#2e8b2e\" stroke-width=\"1.8\"/>\n", lx - 6,
			   ly - 4, lx + 6, ly - 4);
		text_at(ds, lx + 10, ly, "start", "font-size=\"10\" fill=\"#333333\"", "SACK cum-TSN");
		lx += 100;
		lad_printf(ds, "<rect x=\"%.1f\" y=\"%.1f\" width=\"4\" height=\"10\" fill=\"#e07b00\"/>\n", lx - 2, ly - 9);
		text_at(ds, lx + 8, ly, "start", "font-size=\"10\" fill=\"#333333\"", "gap ack blocks");
		Tcl_DStringAppend(ds, "</g>\n", -1);
	}
	Tcl_DStringAppend(ds, "</svg>\n", -1);
	ckfree(sel);
	ckfree(fs);
	ckfree(fp);
	return TCL_OK;
}
