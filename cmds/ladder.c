/* ladder: sequence diagrams ("ladders") and TSN plots of SCTP traffic, from
 * the chunk dicts `trace read FILE` (any pcap/pcapng) or `trace collect`
 * (a live trace) return:
 *     ladder text [trace read cap.pcapng] --hosts {A {198.51.100.1 203.0.113.1} B 198.51.100.2}
 *     ladder svg  [trace collect] --out ladder.svg --title "ADD-IP" --drops {12 13}
 *     ladder tsn  [trace read cap.pcapng] --out tsn.svg
 *
 * One column per endpoint address, grouped by host; one arrow per packet with
 * its bundled chunks listed on it; time down the page.  Chunk dicts of one
 * packet share frame/time/addresses/ports/tag and count up in `index`.
 *
 * Lost packets: `lab drop` and `lab link --loss` drop on the sender's egress
 * (nf_tables output hook, netem), before the capture point, so a trace never
 * holds the dropped packet.  Packets are drawn as lost when --drops names
 * their number (the pcap frame, else the packet's ordinal: both are printed)
 * or when a chunk dict carries `dropped 1` (a capture taken before the loss,
 * e.g. tcpdump on the sender, or a dict the user marked). */
#define _GNU_SOURCE
#include "cmds.h"
#include "ladder.h"
#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define LAD_MAX_HOSTS 64

/* ---- small helpers ------------------------------------------------------ */

Tcl_Obj *lad_get(Tcl_Obj *d, const char *key)
{
	Tcl_Obj *k = Tcl_NewStringObj(key, -1), *v = NULL;
	Tcl_IncrRefCount(k);
	if (Tcl_DictObjGet(NULL, d, k, &v) != TCL_OK)
		v = NULL;
	Tcl_DecrRefCount(k);
	return v;
}

int lad_geti(Tcl_Obj *d, const char *key, Tcl_WideInt *v)
{
	Tcl_Obj *o = lad_get(d, key);
	*v = 0;
	return o && Tcl_GetWideIntFromObj(NULL, o, v) == TCL_OK;
}

uint32_t lad_getu(Tcl_Obj *d, const char *key)
{
	Tcl_WideInt v;
	lad_geti(d, key, &v);
	return (uint32_t)v;
}

const char *lad_gets(Tcl_Obj *d, const char *key)
{
	Tcl_Obj *o = lad_get(d, key);
	return o ? Tcl_GetString(o) : "";
}

void lad_printf(Tcl_DString *ds, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof buf) {
		Tcl_DStringAppend(ds, buf, n);
		return;
	}
	char *big = malloc((size_t)n + 1);
	if (!big)
		return;
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	Tcl_DStringAppend(ds, big, n);
	free(big);
}

/* append to a fixed label buffer, cutting with "..." when full */
void lad_lcat(char *buf, size_t len, const char *fmt, ...)
{
	size_t have = strlen(buf);
	if (have + 4 >= len)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf + have, len - have, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n >= len - have)
		memcpy(buf + len - 4, "...", 4);
}

int lad_write_file(Tcl_Interp *ip, const char *cmd, const char *path, const char *buf, size_t len)
{
	char what[1200];
	/* the path as Tcl's own open takes it (~ for the home directory) */
	Tcl_Obj *po = Tcl_NewStringObj(path, -1);
	Tcl_IncrRefCount(po);
	const char *native = Tcl_FSGetNativePath(po);
	if (!native) {
		Tcl_DecrRefCount(po);
		return sh_err(ip, "badpath", "%s: cannot use \"%s\" as a file name (no such user?)", cmd, path);
	}
	int fd = open(native, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	Tcl_DecrRefCount(po);
	if (fd < 0) {
		int e = errno;
		snprintf(what, sizeof what, "%s: open(%s)", cmd, path);
		return sh_err_errno(ip, what, -e);
	}
	size_t off = 0;
	while (off < len) {
		ssize_t n = write(fd, buf + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;
			close(fd);
			snprintf(what, sizeof what, "%s: write(%s)", cmd, path);
			return sh_err_errno(ip, what, -e);
		}
		off += (size_t)n;
	}
	if (close(fd) < 0) { /* NFS, 9p: a deferred write error shows here */
		int e = errno;
		snprintf(what, sizeof what, "%s: close(%s)", cmd, path);
		return sh_err_errno(ip, what, -e);
	}
	return TCL_OK;
}

/* ---- string → int tables (Tcl hash tables own the keys) ----------------- */

static int ht_get(Tcl_HashTable *h, const char *k, int def)
{
	Tcl_HashEntry *e = Tcl_FindHashEntry(h, k);
	return e ? (int)(intptr_t)Tcl_GetHashValue(e) : def;
}

static void ht_put(Tcl_HashTable *h, const char *k, int v)
{
	int isnew;
	Tcl_HashEntry *e = Tcl_CreateHashEntry(h, k, &isnew);
	Tcl_SetHashValue(e, (ClientData)(intptr_t)v);
}

static void ht_del(Tcl_HashTable *h, const char *k)
{
	Tcl_HashEntry *e = Tcl_FindHashEntry(h, k);
	if (e)
		Tcl_DeleteHashEntry(e);
}

/* Addresses that belong to one endpoint (union-find over address strings):
 * the INIT/INIT-ACK sender's source and listed addresses (RFC 9260 §5.1.2),
 * an ASCONF sender's source and the addresses it adds (RFC 5061 §4.1.1), and
 * the addresses of one --hosts entry. */
typedef struct uf {
	Tcl_HashTable id;
	int *parent;
	int n, cap;
	char **names;
} uf;

static int uf_id(uf *u, const char *a)
{
	int v = ht_get(&u->id, a, -1);
	if (v >= 0)
		return v;
	if (u->n == u->cap) {
		u->cap = u->cap ? u->cap * 2 : 64;
		u->parent = (int *)ckrealloc(u->parent, sizeof(int) * u->cap);
		u->names = (char **)ckrealloc(u->names, sizeof(char *) * u->cap);
	}
	u->parent[u->n] = u->n;
	u->names[u->n] = strdup(a);
	ht_put(&u->id, a, u->n);
	return u->n++;
}

static int uf_root(uf *u, int i)
{
	while (u->parent[i] != i)
		i = u->parent[i] = u->parent[u->parent[i]];
	return i;
}

static void uf_join(uf *u, const char *a, const char *b)
{
	if (!*a || !*b)
		return;
	int x = uf_root(u, uf_id(u, a)), y = uf_root(u, uf_id(u, b));
	if (x != y)
		u->parent[x < y ? y : x] = x < y ? x : y; /* the first seen stays the root */
}

static void uf_free(uf *u)
{
	for (int i = 0; i < u->n; i++)
		free(u->names[i]);
	ckfree(u->parent);
	ckfree(u->names);
	Tcl_DeleteHashTable(&u->id);
}

/* ---- building the model --------------------------------------------------- */

static void addr_port(char *out, size_t n, const char *a, int port)
{
	snprintf(out, n, strchr(a, ':') ? "[%s]:%d" : "%s:%d", a, port);
}

void lad_free(lad_model *m)
{
	for (int i = 0; i < m->nc; i++)
		Tcl_DecrRefCount(m->c[i].d);
	for (int i = 0; i < m->nflow; i++)
		ckfree(m->flowname[i]);
	if (m->p)
		ckfree(m->p);
	if (m->c)
		ckfree(m->c);
	if (m->col)
		ckfree(m->col);
	if (m->hosts)
		ckfree(m->hosts);
	if (m->flowname)
		ckfree(m->flowname);
	if (m->flowassoc)
		ckfree(m->flowassoc);
	memset(m, 0, sizeof *m);
}

static const char *const need_keys[] = {"time", "src", "dst", "type"};

static int bad_chunk(Tcl_Interp *ip, const char *cmd, Tcl_Size i, Tcl_Obj *el, const char *why)
{
	Tcl_Size len;
	const char *s = Tcl_GetStringFromObj(el, &len);
	return sh_err(ip, "badchunk",
		      "%s: element %ld of the input is not a chunk dict (as trace read or trace collect return): %s: \"%.60s%s\"",
		      cmd, (long)i + 1, why, s, len > 60 ? "..." : "");
}

/* The hosts: {NAME {ADDR ...} ...}; an ADDR may also be ADDR:PORT / [V6]:PORT to split
 * one address shared by both ends (loopback captures). */
static int parse_hosts(Tcl_Interp *ip, const char *cmd, Tcl_Obj *hosts, Tcl_Obj ***hv, Tcl_Size *nh)
{
	*nh = 0;
	if (!hosts)
		return TCL_OK;
	if (Tcl_ListObjGetElements(NULL, hosts, nh, hv) != TCL_OK || (*nh & 1))
		return sh_err(ip, "badhosts", "%s: --hosts wants a dict {NAME {ADDR ...} ...}, got \"%s\"", cmd,
			      Tcl_GetString(hosts));
	if (*nh / 2 > LAD_MAX_HOSTS)
		return sh_err(ip, "badhosts", "%s: --hosts: at most %d hosts", cmd, LAD_MAX_HOSTS);
	for (Tcl_Size i = 0; i < *nh; i += 2) {
		Tcl_Size na;
		Tcl_Obj **av;
		if (Tcl_ListObjGetElements(NULL, (*hv)[i + 1], &na, &av) != TCL_OK || na == 0)
			return sh_err(ip, "badhosts", "%s: --hosts: host \"%s\" wants a list of addresses, got \"%s\"", cmd,
				      Tcl_GetString((*hv)[i]), Tcl_GetString((*hv)[i + 1]));
		if (strlen(Tcl_GetString((*hv)[i])) >= sizeof(((lad_host *)0)->name))
			return sh_err(ip, "badhosts", "%s: --hosts: host name \"%.60s...\" too long", cmd,
				      Tcl_GetString((*hv)[i]));
	}
	return TCL_OK;
}

/* Does a --hosts address entry name column key ck (address addr)? */
static int entry_matches(const char *entry, const char *ck, const char *addr)
{
	return !strcmp(entry, ck) || !strcmp(entry, addr);
}

static int cmp_pair(const void *a, const void *b)
{
	const int *x = a, *y = b;
	return x[0] != y[0] ? (x[0] < y[0] ? -1 : 1) : (x[1] < y[1] ? -1 : x[1] > y[1]);
}

typedef struct pass1 {
	char addr[2][64]; /* src, dst of each packet, for the column keys */
} pass1;

int lad_build(Tcl_Interp *ip, const char *cmd, Tcl_Obj *chunks, Tcl_Obj *hosts, Tcl_Obj *drops, lad_model *m)
{
	memset(m, 0, sizeof *m);
	Tcl_Size n;
	Tcl_Obj **el;
	if (Tcl_ListObjGetElements(NULL, chunks, &n, &el) != TCL_OK)
		return sh_err(ip, "badinput", "%s: the input is not a list of chunk dicts (as trace read or trace collect return)",
			      cmd);
	Tcl_Obj **hv = NULL;
	Tcl_Size nh = 0;
	if (parse_hosts(ip, cmd, hosts, &hv, &nh) != TCL_OK)
		return TCL_ERROR;
	Tcl_Size ndrop = 0;
	Tcl_Obj **dv = NULL;
	long *dropnum = NULL;
	if (drops) {
		if (Tcl_ListObjGetElements(NULL, drops, &ndrop, &dv) != TCL_OK)
			return sh_err(ip, "baddrops", "%s: --drops wants a list of packet numbers, got \"%s\"", cmd,
				      Tcl_GetString(drops));
		dropnum = (long *)ckalloc(sizeof(long) * (ndrop + 1));
		for (Tcl_Size i = 0; i < ndrop; i++) {
			Tcl_WideInt v;
			if (Tcl_GetWideIntFromObj(NULL, dv[i], &v) != TCL_OK || v < 1) {
				ckfree(dropnum);
				return sh_err(ip, "baddrops", "%s: --drops: \"%s\" is not a packet number (1, 2, ...)", cmd,
					      Tcl_GetString(dv[i]));
			}
			dropnum[i] = (long)v;
		}
	}
	Tcl_HashTable dropset; /* the --drops numbers */
	Tcl_InitHashTable(&dropset, TCL_ONE_WORD_KEYS);
	for (Tcl_Size i = 0; i < ndrop; i++) {
		int isnew;
		Tcl_CreateHashEntry(&dropset, (const char *)(intptr_t)dropnum[i], &isnew);
	}

	m->c = (lad_chunk *)ckalloc(sizeof(lad_chunk) * (n + 1));
	m->p = (lad_pkt *)ckalloc(sizeof(lad_pkt) * (n + 1));
	memset(m->p, 0, sizeof(lad_pkt) * (n + 1));
	pass1 *pa = (pass1 *)ckalloc(sizeof(pass1) * (n + 1));
	Tcl_HashTable selfaddr, colidx, expect, sent, flows, assocs;
	Tcl_InitHashTable(&selfaddr, TCL_STRING_KEYS);
	Tcl_InitHashTable(&colidx, TCL_STRING_KEYS);
	Tcl_InitHashTable(&expect, TCL_STRING_KEYS);
	Tcl_InitHashTable(&sent, TCL_STRING_KEYS);
	Tcl_InitHashTable(&flows, TCL_STRING_KEYS);
	Tcl_InitHashTable(&assocs, TCL_STRING_KEYS);
	uf u;
	memset(&u, 0, sizeof u);
	Tcl_InitHashTable(&u.id, TCL_STRING_KEYS);
	/* without --hosts, the host names a live trace gives ({NAME {ADDR ...} ...}) */
	Tcl_Obj *auto_hosts = hosts ? NULL : Tcl_NewDictObj();
	Tcl_HashTable autoseen;
	Tcl_InitHashTable(&autoseen, TCL_STRING_KEYS);
	if (auto_hosts)
		Tcl_IncrRefCount(auto_hosts);
	int rc = TCL_ERROR;
	char **colkeys = NULL;
	int ncolkeys = 0;
	int64_t *fmax = NULL; /* per flow: the highest TSN sent so far, -1 none */
	int nfmax = 0;

	/* pass 1: chunks into packets */
	const char *prev_frame = NULL, *prev_time = NULL;
	Tcl_WideInt prev_index = 0;
	for (Tcl_Size i = 0; i < n; i++) {
		Tcl_Size sz;
		if (Tcl_DictObjSize(NULL, el[i], &sz) != TCL_OK) {
			bad_chunk(ip, cmd, i, el[i], "not a dict");
			goto out;
		}
		for (size_t k = 0; k < sizeof need_keys / sizeof need_keys[0]; k++)
			if (!lad_get(el[i], need_keys[k])) {
				char why[64];
				snprintf(why, sizeof why, "no key \"%s\"", need_keys[k]);
				bad_chunk(ip, cmd, i, el[i], why);
				goto out;
			}
		double t;
		/* seconds since 1970 (a pcap) or any origin; far out is not a time and would
		 * break the axes' arithmetic */
		if (Tcl_GetDoubleFromObj(NULL, lad_get(el[i], "time"), &t) != TCL_OK || !isfinite(t) || fabs(t) > 1e12) {
			bad_chunk(ip, cmd, i, el[i], "time is not a number of seconds");
			goto out;
		}
		Tcl_Obj *d = el[i];
		Tcl_WideInt sport, dport, vtag, index, frame;
		lad_geti(d, "sport", &sport);
		lad_geti(d, "dport", &dport);
		lad_geti(d, "vtag", &vtag);
		int have_index = lad_geti(d, "index", &index);
		int have_frame = lad_geti(d, "frame", &frame);
		const char *src = lad_gets(d, "src"), *dst = lad_gets(d, "dst");
		const char *fs = have_frame ? Tcl_GetString(lad_get(d, "frame")) : NULL;
		const char *ts = Tcl_GetString(lad_get(d, "time"));
		lad_pkt *p = m->np ? &m->p[m->np - 1] : NULL;
		int same = p && (fs ? prev_frame && !strcmp(fs, prev_frame)
				    : !prev_frame && !strcmp(ts, prev_time) && !strcmp(src, p->src) &&
					      !strcmp(dst, p->dst) && sport == p->sport && dport == p->dport &&
					      (uint32_t)vtag == p->vtag && have_index && index > prev_index);
		if (!same) {
			p = &m->p[m->np];
			p->num = have_frame ? (long)frame : m->np + 1;
			p->t = t;
			snprintf(p->src, sizeof p->src, "%s", src);
			snprintf(p->dst, sizeof p->dst, "%s", dst);
			p->sport = (int)sport;
			p->dport = (int)dport;
			p->vtag = (uint32_t)vtag;
			p->first = m->nc;
			snprintf(pa[m->np].addr[0], 64, "%s", src);
			snprintf(pa[m->np].addr[1], 64, "%s", dst);
			if (!strcmp(src, dst))
				ht_put(&selfaddr, src, 1);
			if (ndrop && Tcl_FindHashEntry(&dropset, (const char *)(intptr_t)p->num))
				p->lost = 1;
			m->np++;
		}
		prev_frame = fs;
		prev_time = ts;
		prev_index = have_index ? index : 0;
		lad_chunk *c = &m->c[m->nc++];
		memset(c, 0, sizeof *c);
		c->d = d;
		Tcl_IncrRefCount(d);
		c->flow = -1;
		snprintf(c->type, sizeof c->type, "%s", lad_gets(d, "type"));
		c->kind = lad_kind_of(c->type);
		Tcl_Obj *dr = lad_get(d, "dropped");
		int b;
		if (dr && Tcl_GetBooleanFromObj(NULL, dr, &b) == TCL_OK && b)
			p->lost = 1;
		p->nch++;
		/* a live trace names the lab hosts: host (sender) and to (receiver) */
		if (!hosts && auto_hosts) {
			const char *hn[2] = {lad_gets(d, "host"), lad_gets(d, "to")}, *ad[2] = {src, dst};
			for (int e = 0; e < 2; e++) {
				if (!*hn[e] || ht_get(&autoseen, ad[e], 0))
					continue;
				ht_put(&autoseen, ad[e], 1);
				Tcl_Obj *key = Tcl_NewStringObj(hn[e], -1), *lst = NULL;
				Tcl_IncrRefCount(key);
				if (Tcl_DictObjGet(NULL, auto_hosts, key, &lst) != TCL_OK || !lst)
					lst = Tcl_NewListObj(0, NULL);
				else if (Tcl_IsShared(lst))
					lst = Tcl_DuplicateObj(lst);
				Tcl_ListObjAppendElement(NULL, lst, Tcl_NewStringObj(ad[e], -1));
				Tcl_DictObjPut(NULL, auto_hosts, key, lst);
				Tcl_DecrRefCount(key);
			}
		}
		/* endpoint membership */
		if (!strcmp(c->type, "INIT") || !strcmp(c->type, "INIT-ACK") || !strcmp(c->type, "ASCONF")) {
			uf_id(&u, src);
			FOREACH_ELEM(d, "params", pr, {
				const char *pn = lad_gets(pr, "name");
				if (!strcmp(pn, "ipv4-address") || !strcmp(pn, "ipv6-address") ||
				    !strcmp(pn, "add-ip-address"))
					uf_join(&u, src, lad_gets(pr, "addr"));
			});
		}
	}
	if (m->np)
		m->t0 = m->p[0].t;
	if (!hosts && auto_hosts) {
		Tcl_Size sz = 0;
		Tcl_DictObjSize(NULL, auto_hosts, &sz);
		if (sz && Tcl_ListObjGetElements(NULL, auto_hosts, &nh, &hv) != TCL_OK)
			nh = 0;
		if (nh / 2 > LAD_MAX_HOSTS)
			nh = 0;
	}
	for (Tcl_Size i = 0; i + 1 < nh; i += 2) {
		Tcl_Size na;
		Tcl_Obj **av;
		Tcl_ListObjGetElements(NULL, hv[i + 1], &na, &av);
		for (Tcl_Size k = 1; k < na; k++)
			uf_join(&u, Tcl_GetString(av[0]), Tcl_GetString(av[k]));
	}

	/* column keys in order of first appearance */
	colkeys = (char **)ckalloc(sizeof(char *) * (2 * m->np + 2 * nh + 1));
	Tcl_HashTable seenkey;
	Tcl_InitHashTable(&seenkey, TCL_STRING_KEYS);
	for (int i = 0; i < m->np; i++)
		for (int e = 0; e < 2; e++) {
			char key[80];
			const char *a = pa[i].addr[e];
			if (ht_get(&selfaddr, a, 0))
				addr_port(key, sizeof key, a, e ? m->p[i].dport : m->p[i].sport);
			else
				snprintf(key, sizeof key, "%s", a);
			if (ht_get(&seenkey, key, -1) < 0) {
				ht_put(&seenkey, key, ncolkeys);
				/* "KEY\0ADDR": the key and the address it is of */
				size_t kl = strlen(key), al = strlen(a);
				char *both = malloc(kl + al + 2);
				if (!both)
					continue;
				memcpy(both, key, kl + 1);
				memcpy(both + kl + 1, a, al + 1);
				colkeys[ncolkeys++] = both;
			}
		}
	/* columns: each host's addresses in the order given, then the rest as they appeared */
	Tcl_Size nentries = 0;
	for (Tcl_Size i = 0; i + 1 < nh; i += 2) {
		Tcl_Size na;
		Tcl_Obj **av;
		Tcl_ListObjGetElements(NULL, hv[i + 1], &na, &av);
		nentries += na;
	}
	m->col = (lad_col *)ckalloc(sizeof(lad_col) * (ncolkeys + nentries + 1));
	m->hosts = (lad_host *)ckalloc(sizeof(lad_host) * (nh / 2 + 1));
	char *used = ckalloc(ncolkeys + 1);
	memset(used, 0, ncolkeys + 1);
	int colcap = ncolkeys + (int)nentries;
	for (Tcl_Size i = 0; i + 1 < nh; i += 2) {
		lad_host *h = &m->hosts[m->nhosts];
		snprintf(h->name, sizeof h->name, "%s", Tcl_GetString(hv[i]));
		h->first = m->ncol;
		Tcl_Size na;
		Tcl_Obj **av;
		Tcl_ListObjGetElements(NULL, hv[i + 1], &na, &av);
		for (Tcl_Size k = 0; k < na; k++) {
			const char *entry = Tcl_GetString(av[k]);
			int any = 0;
			for (int j = 0; j < ncolkeys; j++) {
				if (!used[j] && entry_matches(entry, colkeys[j], colkeys[j] + strlen(colkeys[j]) + 1)) {
					used[j] = 1;
					any = 1;
					if (m->ncol < colcap) {
						snprintf(m->col[m->ncol].key, sizeof m->col[0].key, "%s", colkeys[j]);
						m->col[m->ncol++].host = m->nhosts;
					}
				}
			}
			/* an address of the host that sent nothing still gets its column (multihoming) */
			if (!any && m->ncol < colcap && ht_get(&colidx, entry, -1) < 0) {
				snprintf(m->col[m->ncol].key, sizeof m->col[0].key, "%s", entry);
				m->col[m->ncol++].host = m->nhosts;
			}
			for (int j = h->first; j < m->ncol; j++)
				ht_put(&colidx, m->col[j].key, j);
		}
		h->n = m->ncol - h->first;
		m->nhosts++;
	}
	/* the rest as they appeared, but the addresses of one endpoint side by side:
	 * ordered by (first appearance of the endpoint, own appearance) */
	int *order = (int *)ckalloc(sizeof(int) * 2 * (ncolkeys + 1)), nord = 0;
	Tcl_HashTable firstof;
	Tcl_InitHashTable(&firstof, TCL_ONE_WORD_KEYS);
	for (int j = 0; j < ncolkeys; j++) {
		if (used[j])
			continue;
		int root = uf_root(&u, uf_id(&u, colkeys[j] + strlen(colkeys[j]) + 1)), isnew;
		Tcl_HashEntry *he = Tcl_CreateHashEntry(&firstof, (const char *)(intptr_t)root, &isnew);
		if (isnew)
			Tcl_SetHashValue(he, (ClientData)(intptr_t)j);
		order[2 * nord] = (int)(intptr_t)Tcl_GetHashValue(he);
		order[2 * nord + 1] = j;
		nord++;
	}
	Tcl_DeleteHashTable(&firstof);
	qsort(order, (size_t)nord, 2 * sizeof(int), cmp_pair);
	for (int o = 0; o < nord && m->ncol < colcap; o++) {
		int k = order[2 * o + 1];
		snprintf(m->col[m->ncol].key, sizeof m->col[0].key, "%s", colkeys[k]);
		m->col[m->ncol].host = -1;
		ht_put(&colidx, colkeys[k], m->ncol++);
	}
	ckfree(order);
	ckfree(used);
	Tcl_DeleteHashTable(&seenkey);

	/* pass 2: columns, verification tags, retransmissions, flows, labels */
	for (int i = 0; i < m->np; i++) {
		lad_pkt *p = &m->p[i];
		char key[80], ep[2][96];
		for (int e = 0; e < 2; e++) {
			const char *a = pa[i].addr[e];
			int port = e ? p->dport : p->sport;
			if (ht_get(&selfaddr, a, 0))
				addr_port(key, sizeof key, a, port);
			else
				snprintf(key, sizeof key, "%s", a);
			int ci = ht_get(&colidx, key, 0);
			if (e)
				p->to = ci;
			else
				p->from = ci;
			snprintf(ep[e], sizeof ep[e], "%d:%d", uf_root(&u, uf_id(&u, a)), port);
		}
		char fwd[200], rev[200];
		snprintf(fwd, sizeof fwd, "%s>%s", ep[0], ep[1]);
		snprintf(rev, sizeof rev, "%s>%s", ep[1], ep[0]);
		/* The tag this packet must carry (RFC 9260 §8.5, §8.5.1): 0 with INIT;
		 * the sender's own tag when the T bit is set; else the receiver's. */
		int want = -1, init = 0;
		int64_t wantv = -1;
		for (int k = 0; k < p->nch; k++) {
			lad_chunk *c = &m->c[p->first + k];
			if (!strcmp(c->type, "INIT"))
				init = 1;
			if ((!strcmp(c->type, "ABORT") || !strcmp(c->type, "SHUTDOWN-COMPLETE")) && lad_getu(c->d, "t"))
				want = 1;
		}
		if (init)
			wantv = 0;
		else {
			Tcl_HashEntry *he = Tcl_FindHashEntry(&expect, want == 1 ? rev : fwd);
			if (he)
				wantv = (int64_t)(uintptr_t)Tcl_GetHashValue(he);
		}
		if (wantv >= 0 && (uint32_t)wantv != p->vtag) {
			p->vtag_bad = 1;
			p->vtag_want = (uint32_t)wantv;
			m->nbadtag++;
		}
		for (int k = 0; k < p->nch; k++) {
			lad_chunk *c = &m->c[p->first + k];
			if (!strcmp(c->type, "INIT") || !strcmp(c->type, "INIT-ACK")) {
				/* the sender chose this tag: packets to it carry it */
				int isnew;
				Tcl_HashEntry *he = Tcl_CreateHashEntry(&expect, rev, &isnew);
				Tcl_SetHashValue(he, (ClientData)(uintptr_t)lad_getu(c->d, "init_tag"));
				if (!strcmp(c->type, "INIT"))
					ht_del(&expect, fwd); /* a new association: the peer's tag is not known yet */
			}
			int isdata = c->kind == LK_DATA, issack = c->kind == LK_SACK;
			if (!isdata && !issack)
				continue;
			const char *fk = isdata ? fwd : rev;
			int f = ht_get(&flows, fk, -1);
			if (f < 0) {
				f = m->nflow++;
				ht_put(&flows, fk, f);
				m->flowname = (char **)ckrealloc(m->flowname, sizeof(char *) * m->nflow);
				m->flowassoc = (int *)ckrealloc(m->flowassoc, sizeof(int) * m->nflow);
				/* name: host names when --hosts knows the addresses */
				char names[2][96];
				for (int e = 0; e < 2; e++) {
					int side = isdata ? e : 1 - e;
					int col = side ? p->to : p->from;
					const char *nm = m->col[col].host >= 0 ? m->hosts[m->col[col].host].name : pa[i].addr[side];
					addr_port(names[e], sizeof names[e], nm, side ? p->dport : p->sport);
				}
				m->flowname[f] = ckalloc(strlen(names[0]) + strlen(names[1]) + 8);
				sprintf(m->flowname[f], "%s -> %s", names[0], names[1]);
				/* one association for both directions */
				const char *a1 = strcmp(fwd, rev) < 0 ? fwd : rev;
				int an = ht_get(&assocs, a1, -1);
				if (an < 0) {
					an = assocs.numEntries + 1;
					ht_put(&assocs, a1, an);
				}
				m->flowassoc[f] = an;
			}
			c->flow = f;
			if (isdata) {
				/* a retransmission: a TSN this flow sent before, or one below the highest
				 * it sent (new DATA get TSNs in sequence, RFC 9260 §6.1, §1.6 serial
				 * arithmetic), which finds the resend of a packet dropped before the
				 * capture point (lab drop) whose first copy the trace never saw */
				uint32_t tsn = lad_getu(c->d, "tsn");
				char sk[240];
				snprintf(sk, sizeof sk, "%d#%u", f, tsn);
				if (ht_get(&sent, sk, 0))
					c->rtx = 1;
				ht_put(&sent, sk, 1);
				if (f >= nfmax) {
					fmax = (int64_t *)ckrealloc(fmax, sizeof(int64_t) * (f + 1));
					for (; nfmax <= f; nfmax++)
						fmax[nfmax] = -1;
				}
				if (fmax[f] >= 0 && (int32_t)(tsn - (uint32_t)fmax[f]) < 0)
					c->rtx = 1;
				if (fmax[f] < 0 || (int32_t)(tsn - (uint32_t)fmax[f]) > 0)
					fmax[f] = tsn;
			}
		}
		for (int k = 0; k < p->nch; k++)
			lad_make_label(&m->c[p->first + k]);
		if (p->lost)
			m->nlost++;
	}
	rc = TCL_OK;
out:
	for (int j = 0; j < ncolkeys; j++)
		free(colkeys[j]);
	if (colkeys)
		ckfree(colkeys);
	if (dropnum)
		ckfree(dropnum);
	Tcl_DeleteHashTable(&dropset);
	if (fmax)
		ckfree(fmax);
	ckfree(pa);
	uf_free(&u);
	Tcl_DeleteHashTable(&selfaddr);
	Tcl_DeleteHashTable(&colidx);
	Tcl_DeleteHashTable(&expect);
	Tcl_DeleteHashTable(&sent);
	Tcl_DeleteHashTable(&flows);
	Tcl_DeleteHashTable(&assocs);
	Tcl_DeleteHashTable(&autoseen);
	if (auto_hosts)
		Tcl_DecrRefCount(auto_hosts);
	if (rc != TCL_OK)
		lad_free(m);
	return rc;
}

/* ---- commands ------------------------------------------------------------- */

/* --hide TYPES: leave out packets whose chunks are all of these types (after the
 * analysis, so tags and retransmissions are still judged on every packet) */
static int hide(sh_call *c, const char *cmd, lad_model *m)
{
	sh_optval *h = sh_opt_get(c, "--hide");
	if (!h || !h->set)
		return TCL_OK;
	Tcl_Size n;
	Tcl_Obj **v;
	if (Tcl_ListObjGetElements(NULL, h->obj, &n, &v) != TCL_OK) {
		lad_free(m);
		return sh_err(c->ip, "usage", "%s: --hide wants a list of chunk types, got \"%s\"", cmd, h->s);
	}
	int k = 0;
	for (int i = 0; i < m->np; i++) {
		const lad_pkt *p = &m->p[i];
		int all = p->nch > 0;
		for (int j = 0; j < p->nch && all; j++) {
			int in = 0;
			for (Tcl_Size x = 0; x < n && !in; x++)
				in = !strcasecmp(Tcl_GetString(v[x]), m->c[p->first + j].type);
			all = in;
		}
		if (all) {
			m->nlost -= p->lost;
			m->nbadtag -= p->vtag_bad;
			continue;
		}
		m->p[k++] = *p;
	}
	m->np = k;
	return TCL_OK;
}

static int build(sh_call *c, const char *cmd, lad_model *m)
{
	sh_optval *h = sh_opt_get(c, "--hosts"), *d = sh_opt_get(c, "--drops");
	if (lad_build(c->ip, cmd, c->pos[0], h && h->set ? h->obj : NULL, d && d->set ? d->obj : NULL, m) != TCL_OK)
		return TCL_ERROR;
	if (sh_opt_get(c, "--tags") && sh_opt_isset(c, "--tags"))
		for (int i = 0; i < m->np; i++) /* the common header's tag, on the first chunk's label */
			if (m->p[i].nch)
				lad_lcat(m->c[m->p[i].first].label, sizeof m->c[0].label, " vtag=%u", m->p[i].vtag);
	return hide(c, cmd, m);
}

/* A ladder with more columns than anyone can read would also be huge (text:
 * rows times columns): refuse, and say what to do. */
static int too_wide(sh_call *c, const char *cmd, lad_model *m, int max)
{
	if (m->ncol <= max)
		return TCL_OK;
	int n = m->ncol;
	lad_free(m);
	return sh_err(c->ip, "toowide", "%s: %d addresses, more than the %d columns a ladder can show: "
				     "pick the packets (trace read --where, lsearch) or the hosts (--hosts)",
		      cmd, n, max);
}

static int cmd_text(sh_call *c)
{
	lad_model m;
	if (build(c, "ladder text", &m) != TCL_OK || too_wide(c, "ladder text", &m, 64) != TCL_OK)
		return TCL_ERROR;
	int colw = 0;
	for (int i = 0; i < m.ncol; i++)
		if ((int)strlen(m.col[i].key) + 3 > colw)
			colw = (int)strlen(m.col[i].key) + 3;
	if (colw < 16)
		colw = 16;
	sh_optval *w = sh_opt_get(c, "--width");
	if (w->set) {
		if (w->i < 6 || w->i > 200) {
			lad_free(&m);
			return sh_err(c->ip, "usage", "ladder text: --width wants 6..200 (characters between columns), got %lld",
				      (long long)w->i);
		}
		colw = (int)w->i;
	}
	Tcl_DString ds;
	Tcl_DStringInit(&ds);
	if (m.np)
		lad_text_ladder(&m, colw, &ds);
	else
		Tcl_DStringAppend(&ds, "(no SCTP packets)", -1);
	lad_free(&m);
	if (Tcl_DStringLength(&ds) && Tcl_DStringValue(&ds)[Tcl_DStringLength(&ds) - 1] == '\n')
		Tcl_DStringSetLength(&ds, Tcl_DStringLength(&ds) - 1);
	Tcl_DStringResult(c->ip, &ds);
	return TCL_OK;
}


/* The packets as the ladder sees them: one dict each. */
static int cmd_packets(sh_call *c)
{
	lad_model m;
	if (build(c, "ladder packets", &m) != TCL_OK)
		return TCL_ERROR;
	Tcl_Obj *out = sh_list();
	for (int i = 0; i < m.np; i++) {
		const lad_pkt *p = &m.p[i];
		Tcl_Obj *d = Tcl_NewDictObj(), *labels = sh_list(), *types = sh_list();
		PUTI(d, "num", p->num);
		PUT(d, "time", Tcl_ObjPrintf("%.6f", p->t - m.t0));
		PUTS(d, "from", m.col[p->from].key);
		PUTS(d, "to", m.col[p->to].key);
		PUTS(d, "from_host", m.col[p->from].host >= 0 ? m.hosts[m.col[p->from].host].name : "");
		PUTS(d, "to_host", m.col[p->to].host >= 0 ? m.hosts[m.col[p->to].host].name : "");
		PUTI(d, "vtag", p->vtag);
		PUTI(d, "vtag_ok", !p->vtag_bad);
		if (p->vtag_bad)
			PUTI(d, "vtag_expected", p->vtag_want);
		PUTI(d, "lost", p->lost);
		for (int k = 0; k < p->nch; k++) {
			Tcl_ListObjAppendElement(NULL, types, Tcl_NewStringObj(m.c[p->first + k].type, -1));
			Tcl_ListObjAppendElement(NULL, labels, Tcl_NewStringObj(m.c[p->first + k].label, -1));
		}
		PUT(d, "types", types);
		PUT(d, "labels", labels);
		Tcl_ListObjAppendElement(NULL, out, d);
	}
	lad_free(&m);
	Tcl_SetObjResult(c->ip, out);
	return TCL_OK;
}

static int need_out(sh_call *c, const char *cmd, const char **path)
{
	sh_optval *o = sh_opt_get(c, "--out");
	if (!o->set || !*o->s) {
		Tcl_Obj *u = sh_usage(c->cmd, "ladder");
		Tcl_IncrRefCount(u);
		sh_err(c->ip, "usage", "%s: --out FILE is required (where to write the SVG)\nusage: %s", cmd,
		       Tcl_GetString(u));
		Tcl_DecrRefCount(u);
		return TCL_ERROR;
	}
	*path = o->s;
	return TCL_OK;
}

static int cmd_svg(sh_call *c)
{
	const char *path;
	if (need_out(c, "ladder svg", &path) != TCL_OK)
		return TCL_ERROR;
	lad_model m;
	if (build(c, "ladder svg", &m) != TCL_OK || too_wide(c, "ladder svg", &m, 256) != TCL_OK)
		return TCL_ERROR;
	sh_optval *t = sh_opt_get(c, "--title");
	Tcl_DString ds;
	Tcl_DStringInit(&ds);
	lad_svg_ladder(&m, t->set ? t->s : NULL, &ds);
	int rc = lad_write_file(c->ip, "ladder svg", path, Tcl_DStringValue(&ds), (size_t)Tcl_DStringLength(&ds));
	Tcl_DStringFree(&ds);
	if (rc == TCL_OK) {
		Tcl_Obj *d = Tcl_NewDictObj(), *cols = sh_list();
		for (int i = 0; i < m.ncol; i++)
			Tcl_ListObjAppendElement(NULL, cols, Tcl_NewStringObj(m.col[i].key, -1));
		PUTS(d, "file", path);
		PUTI(d, "packets", m.np);
		PUTI(d, "chunks", m.nc);
		PUTI(d, "lost", m.nlost);
		PUTI(d, "vtag_mismatches", m.nbadtag);
		PUT(d, "columns", cols);
		Tcl_SetObjResult(c->ip, d);
	}
	lad_free(&m);
	return rc;
}

static int cmd_tsn(sh_call *c)
{
	const char *path;
	if (need_out(c, "ladder tsn", &path) != TCL_OK)
		return TCL_ERROR;
	sh_optval *a = sh_opt_get(c, "--assoc");
	if (a->set && a->i < 1)
		return sh_err(c->ip, "usage", "ladder tsn: --assoc wants an association number (1, 2, ...), got %lld",
			      (long long)a->i);
	lad_model m;
	if (build(c, "ladder tsn", &m) != TCL_OK)
		return TCL_ERROR;
	int an = a->set ? (int)a->i : 0, found = !an;
	for (int f = 0; f < m.nflow && !found; f++)
		found = m.flowassoc[f] == an;
	if (!found) {
		int most = 0;
		for (int f = 0; f < m.nflow; f++)
			if (m.flowassoc[f] > most)
				most = m.flowassoc[f];
		lad_free(&m);
		return sh_err(c->ip, "noassoc", "ladder tsn: no association %d in the input (it has %d with DATA or SACK)",
			      an, most);
	}
	int nsel = 0;
	for (int f = 0; f < m.nflow; f++)
		nsel += !an || m.flowassoc[f] == an;
	if (nsel > 64) {
		lad_free(&m);
		return sh_err(c->ip, "toowide", "ladder tsn: %d directions with DATA or SACK, more than the 64 panels a plot "
						"can show: pick one association (--assoc N)", nsel);
	}
	sh_optval *t = sh_opt_get(c, "--title");
	Tcl_DString ds;
	Tcl_DStringInit(&ds);
	Tcl_Obj *flows = NULL;
	int rc = lad_svg_tsn(c->ip, &m, t->set ? t->s : NULL, an, &ds, &flows);
	if (rc == TCL_OK)
		rc = lad_write_file(c->ip, "ladder tsn", path, Tcl_DStringValue(&ds), (size_t)Tcl_DStringLength(&ds));
	Tcl_DStringFree(&ds);
	if (rc == TCL_OK) {
		Tcl_Obj *d = Tcl_NewDictObj();
		PUTS(d, "file", path);
		PUT(d, "flows", flows);
		Tcl_SetObjResult(c->ip, d);
	} else if (flows) {
		Tcl_DecrRefCount(flows);
	}
	lad_free(&m);
	return rc;
}

/* ---- table ---------------------------------------------------------------- */

#define HOSTS_OPT {"--hosts", SH_OPT_STR, "DICT", "group addresses into hosts: {A {198.51.100.1 203.0.113.1} B ...}"}
#define DROPS_OPT {"--drops", SH_OPT_STR, "LIST", "packet numbers (pcap frames, else ordinals) to draw as lost"}
#define TAGS_OPT {"--tags", SH_OPT_FLAG, NULL, "show each packet's verification tag (common header)"}
#define HIDE_OPT {"--hide", SH_OPT_STR, "TYPES", "leave out packets of only these chunk types, e.g. {HEARTBEAT HEARTBEAT-ACK}"}

static const sh_opt svg_opts[] = {
	{"--out", SH_OPT_STR, "FILE", "write the SVG here (required)"},
	HOSTS_OPT,
	{"--title", SH_OPT_STR, "TEXT", "a title over the diagram"},
	DROPS_OPT,
	HIDE_OPT,
	TAGS_OPT,
	{NULL},
};
static const sh_opt text_opts[] = {
	HOSTS_OPT,
	DROPS_OPT,
	HIDE_OPT,
	TAGS_OPT,
	{"--width", SH_OPT_INT, "N", "characters between columns (default: the longest address + 3, at least 16)"},
	{NULL},
};
static const sh_opt packets_opts[] = {
	HOSTS_OPT,
	DROPS_OPT,
	HIDE_OPT,
	{NULL},
};
static const sh_opt tsn_opts[] = {
	{"--out", SH_OPT_STR, "FILE", "write the SVG here (required)"},
	{"--assoc", SH_OPT_INT, "N", "only association N (numbered as they first carry DATA or SACK)"},
	HOSTS_OPT,
	DROPS_OPT,
	{"--title", SH_OPT_STR, "TEXT", "a title over the plot"},
	{NULL},
};

static const sh_cmd ladder_subs[] = {
	{"svg", "CHUNKS", "draw the exchange as a sequence diagram, SVG (self-contained, for slides and docs)",
	 svg_opts, 1, 1, cmd_svg, NULL,
	 "Returns {file packets chunks lost vtag_mismatches columns}. One column per address (grouped by --hosts), "
	 "one arrow per packet with its chunks, time down the page, long pauses marked, lost packets ending in an X, "
	 "a wrong verification tag flagged in red."},
	{"text", "CHUNKS", "the same ladder as text for the terminal (details to the right of each arrow)",
	 text_opts, 1, 1, cmd_text},
	{"tsn", "CHUNKS", "TSN over time per association and direction, SVG: DATA, retransmissions, SACK cum-TSN, "
			  "gap blocks, a_rwnd",
	 tsn_opts, 1, 1, cmd_tsn, NULL,
	 "Returns {file flows}: per direction {assoc name data rtx sacks first_tsn last_tsn max_cum_tsn}."},
	{"packets", "CHUNKS", "the packets as the ladder sees them: num time from to vtag vtag_ok lost types labels",
	 packets_opts, 1, 1, cmd_packets},
	{NULL},
};

const sh_cmd sh_cmds_ladder[] = {
	{"ladder", NULL, "ladder diagrams and TSN plots from chunk dicts (trace read FILE, trace collect)", NULL, 0, 0,
	 NULL, ladder_subs,
	 "CHUNKS is a list of chunk dicts: ladder svg [trace read cap.pcapng] --out l.svg. lab drop and lab link --loss "
	 "drop before the capture point, so a trace never holds the dropped packet: mark lost ones with --drops."},
	{NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL},
};
