/* The wire view: trace (capture, print, collect, wait, read pcap),
 * forward-tsn (RFC 3758) and inject (crafted chunks for live associations).
 *
 * Capture: one AF_PACKET socket per interface of each traced host, opened
 * inside the host's network namespace (shell/kern/kraw.c) and watched by the
 * Tcl event loop.  Every packet is shown once: a host's outgoing frames are
 * always taken; incoming frames only when their sender (known by its MAC
 * address) is not traced itself.  Frames are decoded by the wire codec
 * (shell/wire), one dict per chunk, kept for `trace collect` and `trace wait`,
 * queued as `chunk` events on the startup sockets of the sending and the
 * receiving lab host, printed above the prompt when interactive, and
 * written to a pcap file Wireshark reads.
 *
 * Crafting: addresses, ports and verification tags come from the kernel
 * (SCTP socket options and sock_diag, shell/kern/kdiag.c), or from another
 * lab host's association, or from the trace, or are given; the codec builds
 * the chunk and the packet (CRC32c); a raw socket with header inclusion in
 * the current host's namespace sends it. */
#define _GNU_SOURCE
#include "cmds.h"
#include "kern/kdiag.h"
#include "kern/kraw.h"
#include "kern/kinfo.h"
#include "wire/pcap.h"
#include "wire/wire.h"
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/if_arp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TR_MAX_CAPS 32
#define TR_MAX_MACS 64
#define TR_KEEP 100000     /* chunk dicts kept for trace collect */
#define TR_WAITQ 20000     /* chunk dicts not yet taken by trace wait */
#define TR_SNAP 262144
#define TR_PAYLOAD_MAX 256 /* payload bytes kept (hex) in a chunk dict */


struct tr_state;

typedef struct tr_cap {
	int fd;
	char host[32];
	char ifname[IF_NAMESIZE];
	int ifindex, hatype;
	struct tr_state *st;
} tr_cap;

typedef struct tr_mac {
	unsigned char mac[6];
	char host[32];
} tr_mac;

typedef struct tr_state {
	sh_session *s;
	tr_cap *caps[TR_MAX_CAPS];
	int ncaps;
	tr_mac macs[TR_MAX_MACS];
	int nmacs;
	FILE *pcap;
	char pcap_path[1024];
	unsigned long pcap_frames;
	uint16_t udp_port;
	int quiet;
	Tcl_Obj *seen;  /* every chunk dict, oldest first (bounded) */
	Tcl_Obj *waitq; /* chunk dicts trace wait has not taken */
	unsigned long packets, chunks, errors, dropped;
} tr_state;

static tr_state *st_get(sh_session *s)
{
	tr_state *st = s->trace;
	if (st)
		return st;
	st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	st->s = s;
	st->seen = Tcl_NewListObj(0, NULL);
	Tcl_IncrRefCount(st->seen);
	st->waitq = Tcl_NewListObj(0, NULL);
	Tcl_IncrRefCount(st->waitq);
	st->udp_port = WIRE_UDP_ENCAP_PORT;
	s->trace = st;
	return st;
}

/* ---- field lists → Tcl ------------------------------------------------- */

static Tcl_Obj *hex_obj(const uint8_t *p, size_t n)
{
	Tcl_Obj *o = Tcl_NewObj();
	static const char hx[] = "0123456789abcdef";
	char *b = malloc(n * 2 + 1);
	if (!b)
		return o;
	for (size_t i = 0; i < n; i++) {
		b[2 * i] = hx[p[i] >> 4];
		b[2 * i + 1] = hx[p[i] & 15];
	}
	Tcl_SetStringObj(o, b, (Tcl_Size)(n * 2));
	free(b);
	return o;
}

static Tcl_Obj *fl_obj(const struct wire_fieldlist *l);

static Tcl_Obj *field_obj(const struct wire_field *f)
{
	switch (f->kind) {
	case WF_U64:
		return Tcl_NewWideIntObj((Tcl_WideInt)f->u);
	case WF_STR:
		return Tcl_NewStringObj(f->s ? f->s : "", -1);
	case WF_HEX:
		return hex_obj(f->bytes, f->len);
	case WF_LIST:
		return f->list ? fl_obj(f->list) : sh_list();
	}
	return Tcl_NewObj();
}

static Tcl_Obj *fl_obj(const struct wire_fieldlist *l)
{
	Tcl_Obj *o = l->array ? sh_list() : Tcl_NewDictObj();
	for (size_t i = 0; i < l->n; i++) {
		Tcl_Obj *v = field_obj(&l->v[i]);
		if (l->array)
			Tcl_ListObjAppendElement(NULL, o, v);
		else
			Tcl_DictObjPut(NULL, o, Tcl_NewStringObj(l->v[i].name, -1), v);
	}
	return o;
}

static const char *addrport(const struct sockaddr_storage *sa, char *b, size_t n)
{
	return sh_addrport_str((const struct sockaddr *)sa, b, n);
}

/* ---- one decoded packet → chunk dicts ---------------------------------- */

typedef struct tr_meta {
	struct timespec ts;
	const char *host;  /* sending lab host, "" if not known */
	const char *to;    /* receiving lab host, "" */
	const char *iface; /* where it was captured, "" when read from a file */
	long frame;        /* frame number in a pcap file (1-based), 0 live */
	int offload;       /* CRC filled in by us (checksum offload) */
	const uint8_t *sctp; /* the SCTP packet (pkt->sctp_len bytes), or NULL */
} tr_meta;

/* Where the SCTP packet starts in a frame: the end of the IP packet
 * (its length field) minus the SCTP bytes the decoder saw. */
static const uint8_t *sctp_start(const uint8_t *f, size_t len, int linktype, const struct wire_packet *pkt)
{
	size_t off;
	switch (linktype) {
	case WIRE_DLT_EN10MB: off = 14; break;
	case WIRE_DLT_RAW: off = 0; break;
	case WIRE_DLT_LINUX_SLL: off = 16; break;
	case WIRE_DLT_LINUX_SLL2: off = 20; break;
	default: return NULL;
	}
	if (!pkt->have_sctp || len < off + 1)
		return NULL;
	const uint8_t *ip = f + off;
	size_t end;
	if ((ip[0] >> 4) == 4 && len >= off + 20)
		end = off + (size_t)(ip[2] << 8 | ip[3]);
	else if ((ip[0] >> 4) == 6 && len >= off + 40)
		end = off + 40 + (size_t)(ip[4] << 8 | ip[5]);
	else
		return NULL;
	if (end > len)
		end = len;
	if (end < off + pkt->sctp_len)
		return NULL;
	return f + end - pkt->sctp_len;
}

static Tcl_Obj *time_obj(const struct timespec *ts)
{
	return Tcl_ObjPrintf("%lld.%06ld", (long long)ts->tv_sec, ts->tv_nsec / 1000);
}

/* Common keys of every chunk dict of a packet. */
static Tcl_Obj *base_dict(const struct wire_packet *pkt, const tr_meta *m)
{
	Tcl_Obj *d = Tcl_NewDictObj();
	if (m->frame)
		PUTI(d, "frame", m->frame);
	PUT(d, "time", time_obj(&m->ts));
	if (!m->frame) {
		PUTS(d, "host", m->host);
		PUTS(d, "to", m->to);
		PUTS(d, "iface", m->iface);
	}
	PUTS(d, "src", pkt->src);
	PUTS(d, "dst", pkt->dst);
	PUTI(d, "sport", pkt->sport);
	PUTI(d, "dport", pkt->dport);
	PUTI(d, "vtag", pkt->vtag);
	if (pkt->udp_encap) {
		PUTI(d, "udp_sport", pkt->udp_sport);
		PUTI(d, "udp_dport", pkt->udp_dport);
	}
	if (pkt->have_sctp)
		PUTS(d, "crc", m->offload ? "offload" : pkt->crc_ok ? "ok" : "bad");
	return d;
}

static Tcl_Obj *chunk_dict(const struct wire_packet *pkt, const struct wire_chunk *c, size_t idx,
			   const tr_meta *m)
{
	Tcl_Obj *d = base_dict(pkt, m);
	const char *nm = wire_chunk_type_name(c->type);
	if (!strcmp(nm, "UNKNOWN"))
		PUT(d, "type", Tcl_ObjPrintf("UNKNOWN-%u", c->type));
	else
		PUTS(d, "type", nm);
	PUTI(d, "ctype", c->type);
	PUTI(d, "chunk_flags", c->flags);
	PUTI(d, "length", c->length);
	PUTI(d, "index", idx + 1);
	for (size_t i = 0; i < c->fields.n; i++) {
		const struct wire_field *f = &c->fields.v[i];
		if (f->kind == WF_HEX && !strcmp(f->name, "payload")) {
			PUTI(d, "payload_len", f->len);
			PUT(d, "payload", hex_obj(f->bytes, f->len < TR_PAYLOAD_MAX ? f->len : TR_PAYLOAD_MAX));
			continue;
		}
		PUT(d, f->name, field_obj(f));
	}
	if (c->error)
		PUTS(d, "error", c->error);
	/* the handshake's raw bytes: AUTH key vectors (RFC 4895 §6.1) */
	if (m->sctp && (c->type == WIRE_CT_INIT || c->type == WIRE_CT_INIT_ACK) && !c->error &&
	    c->offset + c->length <= pkt->sctp_len)
		PUT(d, "chunk_hex", hex_obj(m->sctp + c->offset, c->length));
	return d;
}

static Tcl_Obj *error_dict(const struct wire_packet *pkt, const tr_meta *m)
{
	Tcl_Obj *d = base_dict(pkt, m);
	PUTS(d, "type", "DECODE-ERROR");
	PUTS(d, "error", pkt->error[0] ? pkt->error : "decode error");
	return d;
}

/* Frames the codec says are not SCTP at all (other protocols) are skipped;
 * SCTP that does not decode becomes a DECODE-ERROR entry. */
static int not_sctp(const struct wire_packet *pkt)
{
	if (pkt->have_sctp)
		return 0;
	return strstr(pkt->error, "is not SCTP") || strstr(pkt->error, "is not IP") ||
	       strstr(pkt->error, "not an IP packet") || strstr(pkt->error, "fragment");
}

static void fmt_line(char *buf, size_t n, const struct wire_packet *pkt, const tr_meta *m,
		     const struct wire_chunk *c)
{
	struct tm tm;
	time_t t = m->ts.tv_sec;
	localtime_r(&t, &tm);
	char s[80], d[80], who[80], rest[1024];
	addrport(&pkt->src_sa, s, sizeof s);
	addrport(&pkt->dst_sa, d, sizeof d);
	if (!pkt->have_sctp) {
		snprintf(s, sizeof s, "%s", pkt->src[0] ? pkt->src : "?");
		snprintf(d, sizeof d, "%s", pkt->dst[0] ? pkt->dst : "?");
	}
	if (m->host[0] || m->to[0])
		snprintf(who, sizeof who, "%s%s%s ", m->host[0] ? m->host : "?", m->to[0] ? ">" : "", m->to);
	else
		who[0] = 0;
	if (c) {
		wire_chunk_line(c, rest, sizeof rest);
	} else {
		snprintf(rest, sizeof rest, "decode error: %s", pkt->error[0] ? pkt->error : "?");
	}
	snprintf(buf, n, "%02d:%02d:%02d.%06ld %s%s -> %s vtag 0x%08x%s %s", tm.tm_hour, tm.tm_min,
		 tm.tm_sec, m->ts.tv_nsec / 1000, who, s, d, pkt->vtag, pkt->udp_encap ? " udp" : "",
		 rest);
}

/* ---- live capture ------------------------------------------------------ */

static const char *mac_owner(tr_state *st, const unsigned char *mac)
{
	for (int i = 0; i < st->nmacs; i++)
		if (!memcmp(st->macs[i].mac, mac, 6))
			return st->macs[i].host;
	return "";
}

static int host_traced(tr_state *st, const char *host)
{
	for (int i = 0; i < st->ncaps; i++)
		if (st->caps[i] && !strcmp(st->caps[i]->host, host))
			return 1;
	return 0;
}

static void bounded_append(Tcl_Obj *list, Tcl_Obj *v, int max, unsigned long *dropped)
{
	Tcl_Size n;
	Tcl_ListObjLength(NULL, list, &n);
	if (n >= max) {
		Tcl_Size cut = max / 10 + 1;
		Tcl_ListObjReplace(NULL, list, 0, cut, 0, NULL);
		if (dropped)
			*dropped += (unsigned long)cut;
	}
	Tcl_ListObjAppendElement(NULL, list, v);
}

/* Queue a chunk as a `chunk` event on host's startup socket, with the
 * association that host holds with peer (addr:port), when it has one. */
static void push_event(tr_state *st, const char *hostname, const struct sockaddr_storage *peer,
		       Tcl_Obj *d)
{
	if (!hostname[0])
		return;
	sh_host *h = sh_host_find(st->s, hostname);
	if (!h || !h->startup || h->startup->fd < 0)
		return;
	int assoc = peer->ss_family ? kr_assoc_of_peer(h->startup->fd, (const struct sockaddr *)peer) : 0;
	if (assoc < 0)
		assoc = 0;
	Tcl_Obj *e = Tcl_DuplicateObj(d);
	PUTI(e, "assoc", assoc);
	/* the trace prints its own line: keep the queue's echo quiet */
	int inter = st->s->interactive;
	st->s->interactive = 0;
	sh_queue_push(st->s, h->startup, 1, SH_EVENT_CHUNK, assoc, e);
	st->s->interactive = inter;
}

static void live_packet(tr_state *st, const struct wire_packet *pkt, const tr_meta *m)
{
	char line[1400];
	int show = st->s->interactive && !st->quiet;
	st->packets++;
	if (!pkt->have_sctp || (pkt->nchunks == 0 && pkt->error[0])) {
		st->errors++;
		Tcl_Obj *d = error_dict(pkt, m);
		bounded_append(st->seen, d, TR_KEEP, &st->dropped);
		bounded_append(st->waitq, d, TR_WAITQ, NULL);
		if (show) {
			fmt_line(line, sizeof line, pkt, m, NULL);
			sh_print_async(st->s, line);
		}
		return;
	}
	for (size_t i = 0; i < pkt->nchunks; i++) {
		const struct wire_chunk *c = &pkt->chunks[i];
		Tcl_Obj *d = chunk_dict(pkt, c, i, m);
		st->chunks++;
		if (c->error)
			st->errors++;
		bounded_append(st->seen, d, TR_KEEP, &st->dropped);
		bounded_append(st->waitq, d, TR_WAITQ, NULL);
		push_event(st, m->host, &pkt->dst_sa, d);
		if (strcmp(m->to, m->host))
			push_event(st, m->to, &pkt->src_sa, d);
		if (show) {
			fmt_line(line, sizeof line, pkt, m, c);
			sh_print_async(st->s, line);
		}
	}
}

/* Offset of the SCTP common header in an Ethernet frame (no VLAN, no
 * IPv6 extension headers), or 0. */
static size_t sctp_offset(const uint8_t *f, size_t len, size_t *sctp_len)
{
	if (len < 14 + 20)
		return 0;
	uint16_t et = (uint16_t)(f[12] << 8 | f[13]);
	const uint8_t *ip = f + 14;
	if (et == 0x0800 && (ip[0] >> 4) == 4 && ip[9] == IPPROTO_SCTP) {
		size_t ihl = (size_t)(ip[0] & 15) * 4, tot = (size_t)(ip[2] << 8 | ip[3]);
		if (ihl < 20 || tot < ihl + 12 || 14 + tot > len)
			return 0;
		*sctp_len = tot - ihl;
		return 14 + ihl;
	}
	if (et == 0x86dd && len >= 14 + 40 && (ip[0] >> 4) == 6 && ip[6] == IPPROTO_SCTP) {
		size_t pl = (size_t)(ip[4] << 8 | ip[5]);
		if (pl < 12 || 14 + 40 + pl > len)
			return 0;
		*sctp_len = pl;
		return 14 + 40;
	}
	return 0;
}

static void on_frame(tr_cap *cap, uint8_t *buf, kr_frame *f)
{
	tr_state *st = cap->st;
	const char *sender, *receiver = "";
	int ether = f->hatype == ARPHRD_ETHER && f->caplen >= 14;
	if (f->pkttype == PACKET_OUTGOING) {
		sender = cap->host;
		if (ether)
			receiver = mac_owner(st, buf);
	} else if (f->pkttype == PACKET_HOST || f->pkttype == PACKET_BROADCAST ||
		   f->pkttype == PACKET_MULTICAST) {
		sender = ether ? mac_owner(st, buf + 6) : "";
		if (sender[0] && host_traced(st, sender))
			return; /* its sender's capture shows it */
		receiver = cap->host;
	} else {
		return;
	}
	struct wire_buf wrapped;
	wire_buf_init(&wrapped);
	const uint8_t *fr = buf;
	size_t flen = f->caplen;
	if (!ether) { /* raw IP (tun-like devices): frame it as Ethernet for the pcap */
		if (wire_frame_wrap(&wrapped, WIRE_DLT_EN10MB, buf, f->caplen) < 0) {
			wire_buf_free(&wrapped);
			return;
		}
		fr = wrapped.p;
		flen = wrapped.len;
	}
	struct wire_decode_opts o = {st->udp_port, false};
	struct wire_packet pkt;
	wire_decode_frame(fr, flen, WIRE_DLT_EN10MB, &o, &pkt);
	if (not_sctp(&pkt)) {
		wire_packet_free(&pkt);
		wire_buf_free(&wrapped);
		return;
	}
	int offload = 0;
	if (pkt.have_sctp && !pkt.crc_ok && f->csum_partial && !pkt.udp_encap) {
		/* checksum offload (veth): the kernel left the CRC to the "hardware";
		 * fill it in so the pcap and our decode show what the peer checks */
		size_t sl = 0, off = sctp_offset(fr, flen, &sl);
		if (off && fr == buf) {
			wire_sctp_set_checksum(buf + off, sl);
			wire_packet_free(&pkt);
			wire_decode_frame(fr, flen, WIRE_DLT_EN10MB, &o, &pkt);
			offload = 1;
		}
	}
	if (st->pcap) {
		wire_pcap_write_frame(st->pcap, fr, flen, (uint64_t)f->ts.tv_sec, (uint32_t)(f->ts.tv_nsec / 1000));
		fflush(st->pcap);
		st->pcap_frames++;
	}
	tr_meta m = {f->ts, sender, receiver, cap->ifname, 0, offload, sctp_start(fr, flen, WIRE_DLT_EN10MB, &pkt)};
	live_packet(st, &pkt, &m);
	wire_packet_free(&pkt);
	wire_buf_free(&wrapped);
}

static void cap_close(tr_state *st, int i)
{
	tr_cap *cap = st->caps[i];
	if (!cap)
		return;
	Tcl_DeleteFileHandler(cap->fd);
	close(cap->fd);
	free(cap);
	st->caps[i] = st->caps[--st->ncaps];
	st->caps[st->ncaps] = NULL;
}

/* Frames of every capture socket, put in time order before they are shown:
 * a request and its answer are captured on different hosts' sockets. */
typedef struct tr_pending {
	tr_cap *cap;
	kr_frame f;
	uint8_t *data;
	unsigned seq;
} tr_pending;

static int pending_cmp(const void *a, const void *b)
{
	const tr_pending *x = a, *y = b;
	if (x->f.ts.tv_sec != y->f.ts.tv_sec)
		return x->f.ts.tv_sec < y->f.ts.tv_sec ? -1 : 1;
	if (x->f.ts.tv_nsec != y->f.ts.tv_nsec)
		return x->f.ts.tv_nsec < y->f.ts.tv_nsec ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

#define TR_BATCH 512

static void drain_all(tr_state *st)
{
	static uint8_t *buf;
	if (!buf && !(buf = malloc(TR_SNAP)))
		return;
	tr_pending *pend = calloc(TR_BATCH, sizeof *pend);
	if (!pend)
		return;
	unsigned np = 0;
	for (int i = st->ncaps - 1; i >= 0; i--) {
		tr_cap *cap = st->caps[i];
		while (np < TR_BATCH) {
			kr_frame f;
			int n = kr_capture_recv(cap->fd, buf, TR_SNAP, &f);
			if (n == -EAGAIN || n == -EINTR)
				break;
			if (n < 0) { /* the interface went away: stop watching this socket */
				for (unsigned k = 0; k < np; k++)
					if (pend[k].cap == cap)
						pend[k].cap = NULL;
				cap_close(st, i);
				break;
			}
			uint8_t *copy = malloc(f.caplen ? f.caplen : 1);
			if (!copy)
				break;
			memcpy(copy, buf, f.caplen);
			pend[np].cap = cap;
			pend[np].f = f;
			pend[np].data = copy;
			pend[np].seq = np;
			np++;
		}
	}
	qsort(pend, np, sizeof *pend, pending_cmp);
	for (unsigned k = 0; k < np; k++) {
		if (pend[k].cap)
			on_frame(pend[k].cap, pend[k].data, &pend[k].f);
		free(pend[k].data);
	}
	free(pend);
}

static void on_cap(ClientData cd, int mask)
{
	(void)mask;
	tr_cap *cap = cd;
	drain_all(cap->st);
}

/* MAC addresses of every host's interfaces: who sent and who receives a frame. */
static void learn_macs(tr_state *st)
{
	sh_session *s = st->s;
	st->nmacs = 0;
	for (int h = 0; h < s->nhosts; h++) {
		kr_if ifs[KR_MAX_IFS];
		if (sh_in_netns(s, &s->hosts[h]) < 0) {
			sh_back_netns(s);
			continue;
		}
		int n = kr_list_ifs(ifs, KR_MAX_IFS);
		sh_back_netns(s);
		for (int i = 0; i < n && st->nmacs < TR_MAX_MACS; i++) {
			if (ifs[i].maclen != 6)
				continue;
			memcpy(st->macs[st->nmacs].mac, ifs[i].mac, 6);
			snprintf(st->macs[st->nmacs].host, sizeof st->macs[0].host, "%s", s->hosts[h].name);
			st->nmacs++;
		}
	}
}

static int trace_host_on(sh_call *c, tr_state *st, sh_host *h, Tcl_Obj *ifaces)
{
	if (host_traced(st, h->name)) {
		for (int i = 0; i < st->ncaps; i++)
			if (!strcmp(st->caps[i]->host, h->name))
				Tcl_ListObjAppendElement(NULL, ifaces,
							 Tcl_ObjPrintf("%s:%s", h->name, st->caps[i]->ifname));
		return TCL_OK;
	}
	kr_if ifs[KR_MAX_IFS];
	int e = sh_in_netns(c->s, h);
	if (e < 0) {
		sh_back_netns(c->s);
		return sh_err_errno(c->ip, "setns", -e);
	}
	int n = kr_list_ifs(ifs, KR_MAX_IFS);
	int fds[KR_MAX_IFS], nf = 0, err = 0;
	for (int i = 0; i < n; i++) {
		int fd = kr_capture_open(ifs[i].ifindex, ifs[i].hatype);
		if (fd < 0) {
			err = fd;
			break;
		}
		fds[nf++] = fd;
	}
	sh_back_netns(c->s);
	if (n < 0)
		return sh_err_errno(c->ip, "getifaddrs", -n);
	if (err || nf + st->ncaps > TR_MAX_CAPS) {
		for (int i = 0; i < nf; i++)
			close(fds[i]);
		if (!err)
			return sh_err(c->ip, "trace", "trace: too many interfaces to capture on");
		Tcl_Obj *m = Tcl_ObjPrintf("trace on host %s: ", h->name);
		sh_err_errno(c->ip, "socket(AF_PACKET)", -err);
		Tcl_AppendObjToObj(m, Tcl_GetObjResult(c->ip));
		Tcl_SetObjResult(c->ip, m);
		return TCL_ERROR;
	}
	if (nf == 0)
		return sh_err(c->ip, "trace", "trace: host %s has no interface to capture on", h->name);
	for (int i = 0; i < nf; i++) {
		tr_cap *cap = calloc(1, sizeof *cap);
		if (!cap) {
			close(fds[i]);
			continue;
		}
		cap->fd = fds[i];
		cap->st = st;
		cap->ifindex = ifs[i].ifindex;
		cap->hatype = ifs[i].hatype;
		snprintf(cap->host, sizeof cap->host, "%s", h->name);
		snprintf(cap->ifname, sizeof cap->ifname, "%.15s", ifs[i].name);
		st->caps[st->ncaps++] = cap;
		Tcl_CreateFileHandler(cap->fd, TCL_READABLE, on_cap, cap);
		Tcl_ListObjAppendElement(NULL, ifaces, Tcl_ObjPrintf("%s:%s", h->name, cap->ifname));
	}
	return TCL_OK;
}

static void pcap_close(tr_state *st)
{
	if (st->pcap) {
		fclose(st->pcap);
		st->pcap = NULL;
	}
}

static Tcl_Obj *trace_status(tr_state *st)
{
	Tcl_Obj *d = Tcl_NewDictObj();
	Tcl_Obj *hosts = sh_list(), *ifs = sh_list();
	for (int i = 0; i < st->ncaps; i++) {
		Tcl_Obj *nm = Tcl_NewStringObj(st->caps[i]->host, -1);
		int dup = 0;
		for (int j = 0; j < i; j++)
			if (!strcmp(st->caps[j]->host, st->caps[i]->host))
				dup = 1;
		Tcl_IncrRefCount(nm);
		if (!dup)
			Tcl_ListObjAppendElement(NULL, hosts, nm);
		Tcl_DecrRefCount(nm);
		Tcl_ListObjAppendElement(NULL, ifs, Tcl_ObjPrintf("%s:%s", st->caps[i]->host, st->caps[i]->ifname));
	}
	PUTS(d, "state", st->ncaps ? "on" : "off");
	PUT(d, "hosts", hosts);
	PUT(d, "interfaces", ifs);
	PUTS(d, "pcap", st->pcap ? st->pcap_path : "");
	PUTI(d, "pcap_frames", st->pcap_frames);
	PUTI(d, "packets", st->packets);
	PUTI(d, "chunks", st->chunks);
	PUTI(d, "errors", st->errors);
	Tcl_Size n;
	Tcl_ListObjLength(NULL, st->seen, &n);
	PUTI(d, "kept", n);
	Tcl_ListObjLength(NULL, st->waitq, &n);
	PUTI(d, "unwaited", n);
	PUTI(d, "udp_port", st->udp_port);
	return d;
}

static int udp_port_opt(sh_call *c, uint16_t *port)
{
	sh_optval *v = sh_opt_get(c, "--udp-port");
	if (v && v->set) {
		if (v->i < 1 || v->i > 65535)
			return sh_err(c->ip, "usage", "--udp-port expects 1..65535, got %s", Tcl_GetString(v->obj));
		*port = (uint16_t)v->i;
	}
	return TCL_OK;
}

static int trace_on(sh_call *c)
{
	tr_state *st = st_get(c->s);
	if (!st)
		return sh_err(c->ip, "nomem", "out of memory");
	sh_optval *hv = sh_opt_get(c, "--host");
	int all = sh_opt_isset(c, "--all");
	if (all && hv->set)
		return sh_err(c->ip, "usage", "trace on: give --host or --all, not both");
	if (udp_port_opt(c, &st->udp_port) != TCL_OK)
		return TCL_ERROR;
	sh_host *hosts[SH_MAX_HOSTS];
	int nh = 0;
	if (all) {
		for (int i = 0; i < c->s->nhosts; i++)
			if (c->s->hosts[i].nsfd >= 0)
				hosts[nh++] = &c->s->hosts[i];
		if (!nh)
			return sh_err(c->ip, "nolab", "trace on --all: no lab hosts (run: lab up)");
	} else if (hv->set) {
		Tcl_Size n;
		Tcl_Obj **el;
		Tcl_ListObjGetElements(NULL, hv->obj, &n, &el);
		for (Tcl_Size i = 0; i < n && nh < SH_MAX_HOSTS; i++) {
			sh_host *h = sh_host_find(c->s, Tcl_GetString(el[i]));
			if (!h)
				return sh_err(c->ip, "nohost", "trace on: no host \"%s\"", Tcl_GetString(el[i]));
			hosts[nh++] = h;
		}
	} else {
		hosts[nh++] = sh_cur_host(c->s);
	}
	sh_optval *pv = sh_opt_get(c, "--pcap");
	if (pv->set) {
		FILE *fp = fopen(pv->s, "wb");
		if (!fp) {
			int e = errno;
			char call[1100];
			snprintf(call, sizeof call, "trace on: fopen(--pcap %s)", pv->s);
			sh_err_errno(c->ip, call, e);
			/* the lab VM writes only where sctplab shares (docs/lab.md) */
			if (e == EROFS && getenv("SCTPLAB_IN_VM"))
				Tcl_AppendResult(c->ip, "; in the lab VM only the checkout, $HOME, the current "
						 "directory, /var/tmp and SCTPLAB_RW paths are writable", NULL);
			return TCL_ERROR;
		}
		if (wire_pcap_write_header(fp, WIRE_DLT_EN10MB, TR_SNAP) < 0) {
			fclose(fp);
			return sh_err(c->ip, "pcap", "trace on: cannot write %s", pv->s);
		}
		fflush(fp);
		pcap_close(st);
		st->pcap = fp;
		snprintf(st->pcap_path, sizeof st->pcap_path, "%s", pv->s);
		st->pcap_frames = 0;
	}
	st->quiet = sh_opt_isset(c, "--quiet");
	/* captures of hosts that are gone (lab down) hold their old namespaces: close them */
	for (int i = st->ncaps - 1; i >= 0; i--)
		if (!sh_host_find(c->s, st->caps[i]->host))
			cap_close(st, i);
	learn_macs(st);
	Tcl_Obj *ifaces = sh_list();
	Tcl_IncrRefCount(ifaces);
	for (int i = 0; i < nh; i++)
		if (trace_host_on(c, st, hosts[i], ifaces) != TCL_OK) {
			Tcl_DecrRefCount(ifaces);
			return TCL_ERROR;
		}
	Tcl_DecrRefCount(ifaces);
	Tcl_SetObjResult(c->ip, trace_status(st));
	return TCL_OK;
}

static int trace_off(sh_call *c)
{
	tr_state *st = st_get(c->s);
	if (!st)
		return sh_err(c->ip, "nomem", "out of memory");
	/* take what is already waiting in the sockets first */
	drain_all(st);
	sh_optval *hv = sh_opt_get(c, "--host");
	if (hv->set) {
		Tcl_Size n;
		Tcl_Obj **el;
		Tcl_ListObjGetElements(NULL, hv->obj, &n, &el);
		for (Tcl_Size k = 0; k < n; k++)
			for (int i = st->ncaps - 1; i >= 0; i--)
				if (!strcmp(st->caps[i]->host, Tcl_GetString(el[k])))
					cap_close(st, i);
	} else {
		while (st->ncaps)
			cap_close(st, st->ncaps - 1);
	}
	Tcl_Obj *r = trace_status(st);
	if (!st->ncaps)
		pcap_close(st);
	Tcl_SetObjResult(c->ip, r);
	return TCL_OK;
}

static int trace_show(sh_call *c)
{
	tr_state *st = st_get(c->s);
	if (!st)
		return sh_err(c->ip, "nomem", "out of memory");
	Tcl_SetObjResult(c->ip, trace_status(st));
	return TCL_OK;
}

/* ---- matching chunk dicts ---------------------------------------------- */

static const char *dget(Tcl_Obj *d, const char *k)
{
	Tcl_Obj *v = NULL;
	Tcl_Obj *key = Tcl_NewStringObj(k, -1);
	Tcl_IncrRefCount(key);
	Tcl_DictObjGet(NULL, d, key, &v);
	Tcl_DecrRefCount(key);
	return v ? Tcl_GetString(v) : NULL;
}

static int dget_u(Tcl_Obj *d, const char *k, Tcl_WideInt *out)
{
	Tcl_Obj *v = NULL;
	Tcl_Obj *key = Tcl_NewStringObj(k, -1);
	Tcl_IncrRefCount(key);
	Tcl_DictObjGet(NULL, d, key, &v);
	Tcl_DecrRefCount(key);
	return v && Tcl_GetWideIntFromObj(NULL, v, out) == TCL_OK;
}

typedef struct tr_filter {
	const char *type;  /* canonical name, NULL = any */
	const char *host, *from, *to;
	Tcl_Obj *where;    /* dict of key value that must match exactly */
} tr_filter;

/* TYPE → canonical name ("any" → NULL); error when unknown. */
static int type_arg(sh_call *c, const char *t, const char **out)
{
	if (!strcasecmp(t, "any")) {
		*out = NULL;
		return TCL_OK;
	}
	if (!strcasecmp(t, "decode-error")) {
		*out = "DECODE-ERROR";
		return TCL_OK;
	}
	int n = wire_chunk_type_from_name(t);
	if (n < 0)
		return sh_err(c->ip, "usage", "unknown chunk type \"%s\" (DATA, SACK, FORWARD-TSN, HEARTBEAT, ..., a number, or any)", t);
	*out = wire_chunk_type_name((uint8_t)n);
	if (!strcmp(*out, "UNKNOWN")) {
		static char buf[32];
		snprintf(buf, sizeof buf, "UNKNOWN-%d", n);
		*out = buf;
	}
	return TCL_OK;
}

static int match(const tr_filter *f, Tcl_Obj *d)
{
	const char *v;
	if (f->type && (!(v = dget(d, "type")) || strcmp(v, f->type)))
		return 0;
	if (f->from && (!(v = dget(d, "host")) || strcmp(v, f->from)))
		return 0;
	if (f->to && (!(v = dget(d, "to")) || strcmp(v, f->to)))
		return 0;
	if (f->host) {
		const char *a = dget(d, "host"), *b = dget(d, "to");
		if (!((a && !strcmp(a, f->host)) || (b && !strcmp(b, f->host))))
			return 0;
	}
	if (f->where) {
		Tcl_DictSearch s;
		Tcl_Obj *k, *wv;
		int done;
		if (Tcl_DictObjFirst(NULL, f->where, &s, &k, &wv, &done) != TCL_OK)
			return 0;
		for (; !done; Tcl_DictObjNext(&s, &k, &wv, &done)) {
			Tcl_Obj *dv = NULL;
			Tcl_DictObjGet(NULL, d, k, &dv);
			if (!dv || strcmp(Tcl_GetString(dv), Tcl_GetString(wv))) {
				Tcl_DictObjDone(&s);
				return 0;
			}
		}
	}
	return 1;
}

static int filter_opts(sh_call *c, tr_filter *f)
{
	memset(f, 0, sizeof *f);
	sh_optval *v;
	if ((v = sh_opt_get(c, "--host")) && v->set)
		f->host = v->s;
	if ((v = sh_opt_get(c, "--from")) && v->set)
		f->from = v->s;
	if ((v = sh_opt_get(c, "--to")) && v->set)
		f->to = v->s;
	if ((v = sh_opt_get(c, "--type")) && v->set && type_arg(c, v->s, &f->type) != TCL_OK)
		return TCL_ERROR;
	if ((v = sh_opt_get(c, "--where")) && v->set) {
		Tcl_Size n;
		if (Tcl_DictObjSize(NULL, v->obj, &n) != TCL_OK)
			return sh_err(c->ip, "usage", "--where expects a dict (key value ...), got \"%s\"", v->s);
		f->where = v->obj;
	}
	return TCL_OK;
}

static int trace_wait(sh_call *c)
{
	tr_state *st = st_get(c->s);
	if (!st)
		return sh_err(c->ip, "nomem", "out of memory");
	tr_filter f;
	if (filter_opts(c, &f) != TCL_OK || type_arg(c, Tcl_GetString(c->pos[0]), &f.type) != TCL_OK)
		return TCL_ERROR;
	sh_optval *tv = sh_opt_get(c, "--timeout");
	long timeout = tv->set ? (long)tv->i : 5000;
	Tcl_Time end, now;
	Tcl_GetTime(&end);
	if (timeout >= 0) {
		end.sec += timeout / 1000;
		end.usec += (timeout % 1000) * 1000;
		if (end.usec >= 1000000) {
			end.sec++;
			end.usec -= 1000000;
		}
	}
	for (;;) {
		drain_all(st);
		Tcl_Size n;
		Tcl_Obj **el;
		Tcl_ListObjGetElements(NULL, st->waitq, &n, &el);
		for (Tcl_Size i = 0; i < n; i++) {
			if (!match(&f, el[i]))
				continue;
			Tcl_Obj *d = el[i];
			Tcl_IncrRefCount(d);
			Tcl_ListObjReplace(NULL, st->waitq, i, 1, 0, NULL);
			Tcl_SetObjResult(c->ip, d);
			Tcl_DecrRefCount(d);
			return TCL_OK;
		}
		if (!st->ncaps)
			return sh_err(c->ip, "trace", "trace wait: no %s seen and the trace is off (trace on first)",
				      f.type ? f.type : "chunk");
		Tcl_GetTime(&now);
		long left = (long)((end.sec - now.sec) * 1000 + (end.usec - now.usec) / 1000);
		if (timeout >= 0 && left <= 0) {
			Tcl_SetObjResult(c->ip, Tcl_ObjPrintf("timeout: no %s seen within %ld ms",
							       f.type ? f.type : "chunk", timeout));
			Tcl_SetErrorCode(c->ip, "SCTPSH", "timeout", NULL);
			return TCL_ERROR;
		}
		if (sh_wait_events(c->s, c->ip, timeout < 0 || left > 50 ? 50 : left, NULL) != TCL_OK)
			return TCL_ERROR;
	}
}

static int trace_collect(sh_call *c)
{
	tr_state *st = st_get(c->s);
	if (!st)
		return sh_err(c->ip, "nomem", "out of memory");
	tr_filter f;
	if (filter_opts(c, &f) != TCL_OK)
		return TCL_ERROR;
	drain_all(st);
	Tcl_Obj *out = sh_list();
	Tcl_Size n;
	Tcl_Obj **el;
	Tcl_ListObjGetElements(NULL, st->seen, &n, &el);
	for (Tcl_Size i = 0; i < n; i++)
		if (match(&f, el[i]))
			Tcl_ListObjAppendElement(NULL, out, el[i]);
	if (sh_opt_isset(c, "--clear")) {
		Tcl_SetListObj(st->seen, 0, NULL);
		Tcl_SetListObj(st->waitq, 0, NULL);
	}
	Tcl_SetObjResult(c->ip, out);
	return TCL_OK;
}

/* ---- offline: pcap / pcapng files ------------------------------------- */

static int trace_read(sh_call *c)
{
	const char *path = Tcl_GetString(c->pos[0]);
	uint16_t port = WIRE_UDP_ENCAP_PORT;
	if (udp_port_opt(c, &port) != TCL_OK)
		return TCL_ERROR;
	tr_filter f;
	if (filter_opts(c, &f) != TCL_OK)
		return TCL_ERROR;
	int lines = sh_opt_isset(c, "--lines");
	struct wire_pcap_reader r;
	char err[256];
	if (wire_pcap_open_file(&r, path, err, sizeof err) < 0)
		return sh_err(c->ip, "pcap", "trace read %s: %s", path, err);
	Tcl_Obj *out = sh_list();
	Tcl_IncrRefCount(out);
	struct wire_pcap_frame fr;
	long frame = 0;
	int rc;
	struct wire_decode_opts o = {port, false};
	while ((rc = wire_pcap_next(&r, &fr, err, sizeof err)) == 1) {
		frame++;
		struct wire_packet pkt;
		wire_decode_frame(fr.data, fr.caplen, fr.linktype, &o, &pkt);
		if (not_sctp(&pkt)) {
			wire_packet_free(&pkt);
			continue;
		}
		tr_meta m = {{(time_t)fr.ts_sec, (long)fr.ts_nsec}, "", "", "", frame, 0,
			     sctp_start(fr.data, fr.caplen, fr.linktype, &pkt)};
		if (!pkt.have_sctp || (pkt.nchunks == 0 && pkt.error[0])) {
			if (lines) {
				char line[1400];
				fmt_line(line, sizeof line, &pkt, &m, NULL);
				Tcl_ListObjAppendElement(NULL, out, Tcl_ObjPrintf("%ld %s", frame, line));
			} else {
				Tcl_Obj *d = error_dict(&pkt, &m);
				Tcl_IncrRefCount(d);
				if (match(&f, d))
					Tcl_ListObjAppendElement(NULL, out, d);
				Tcl_DecrRefCount(d);
			}
		}
		for (size_t i = 0; pkt.have_sctp && i < pkt.nchunks; i++) {
			Tcl_Obj *d = chunk_dict(&pkt, &pkt.chunks[i], i, &m);
			Tcl_IncrRefCount(d);
			if (match(&f, d)) {
				if (lines) {
					char line[1400];
					fmt_line(line, sizeof line, &pkt, &m, &pkt.chunks[i]);
					Tcl_ListObjAppendElement(NULL, out, Tcl_ObjPrintf("%ld %s", frame, line));
				} else {
					Tcl_ListObjAppendElement(NULL, out, d);
				}
			}
			Tcl_DecrRefCount(d);
		}
		wire_packet_free(&pkt);
	}
	wire_pcap_close(&r);
	if (rc < 0) {
		Tcl_DecrRefCount(out);
		return sh_err(c->ip, "pcap", "trace read %s: frame %ld: %s", path, frame + 1, err);
	}
	Tcl_SetObjResult(c->ip, out);
	Tcl_DecrRefCount(out);
	return TCL_OK;
}

/* ---- crafting: where a packet goes and with which tag ------------------ */

typedef struct tr_ctx {
	struct sockaddr_storage src, dst; /* with the SCTP ports */
	uint32_t vtag;          /* the tag the receiver expects (its own) */
	uint32_t mytag;         /* the sender's own tag (T bit: reflected) */
	int have_vtag, have_mytag;
	const char *vtag_from;  /* "sock_diag", "trace", "option", "packet" */
	int peer_capable;       /* struct sctp_info sctpi_peer_capable, -1 unknown */
	uint8_t auth[256];      /* chunk types the receiver wants authenticated */
	int nauth;              /* -1 unknown */
	char desc[96];          /* "A assoc 3", "B assoc 2 (like)", "explicit" */
} tr_ctx;

static void set_port(struct sockaddr_storage *ss, int port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
	else if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
}

/* The latest traced packet from src:sport to dport (any destination address
 * when dst is NULL) with a non-zero tag: its verification tag. */
static int trace_vtag(sh_session *s, const char *src, int sport, const char *dst, int dport, uint32_t *vt)
{
	tr_state *st = s->trace;
	if (!st)
		return 0;
	Tcl_Size n;
	Tcl_Obj **el;
	Tcl_ListObjGetElements(NULL, st->seen, &n, &el);
	for (Tcl_Size i = n - 1; i >= 0; i--) {
		Tcl_WideInt sp, dp, v;
		const char *a = dget(el[i], "src"), *b = dget(el[i], "dst"), *t = dget(el[i], "type");
		if (!a || !b || !t || !dget_u(el[i], "sport", &sp) || !dget_u(el[i], "dport", &dp) ||
		    !dget_u(el[i], "vtag", &v))
			continue;
		if (sp != sport || dp != dport || strcmp(a, src) || (dst && strcmp(b, dst)) || v == 0 ||
		    !strcmp(t, "INIT") || !strcmp(t, "DECODE-ERROR"))
			continue;
		*vt = (uint32_t)v;
		return 1;
	}
	return 0;
}

/* Fill ctx from association id on socket k of host h: peer (primary or
 * --to), local address (routing), ports, both tags (sock_diag), the peer's
 * capabilities and AUTH chunk list. */
static int ctx_from_assoc(sh_call *c, sh_host *h, sh_sock *k, int assoc, const char *to, tr_ctx *x)
{
	struct sockaddr_storage peers[K_DIAG_MAXADDR], locs[K_DIAG_MAXADDR];
	int np = kr_paddrs(k->fd, assoc, peers, K_DIAG_MAXADDR);
	if (np <= 0)
		return sh_err(c->ip, "noassoc", "no association %d on socket %s (host %s)%s", assoc, k->name,
			      h->name, np < 0 ? ": sctp_getpaddrs failed" : "");
	int nl = kr_laddrs(k->fd, assoc, locs, K_DIAG_MAXADDR);
	int dport = sh_sa_port((struct sockaddr *)&peers[0]);
	int sport = nl > 0 ? sh_sa_port((struct sockaddr *)&locs[0]) : k->port;
	if (to) {
		struct sockaddr_storage t;
		Tcl_Obj *to_obj = Tcl_NewStringObj(to, -1);
		Tcl_IncrRefCount(to_obj);
		int ge = sh_get_addr(c->ip, to_obj, dport, &t);
		Tcl_DecrRefCount(to_obj);
		if (ge != TCL_OK)
			return TCL_ERROR;
		int found = 0;
		for (int i = 0; i < np; i++)
			if (k_same_addr((struct sockaddr *)&t, (struct sockaddr *)&peers[i]))
				found = 1;
		if (!found)
			return sh_err(c->ip, "badaddr", "%s is not a peer address of association %d", to, assoc);
		x->dst = t;
	} else if (kr_primary(k->fd, assoc, &x->dst) < 0) {
		x->dst = peers[0];
	}
	set_port(&x->dst, dport);
	uint32_t ino = 0;
	kr_inode(k->fd, &ino);
	k_diag_assoc *da = calloc(1, sizeof *da);
	if (!da)
		return sh_err(c->ip, "nomem", "out of memory");
	int e = sh_in_netns(c->s, h);
	int de = -ENOENT, re = -ENOENT;
	if (e >= 0) {
		de = k_diag_find(ino, dport, peers, np, da);
		re = kr_route_src((struct sockaddr *)&x->dst, &x->src);
	}
	sh_back_netns(c->s);
	/* the routing's source if it is one of the association's, else the first local address */
	int ok = 0;
	for (int i = 0; re == 0 && i < nl; i++)
		if (k_same_addr((struct sockaddr *)&x->src, (struct sockaddr *)&locs[i]))
			ok = 1;
	if (!ok) {
		for (int i = 0; i < nl && !ok; i++)
			if (locs[i].ss_family == x->dst.ss_family) {
				x->src = locs[i];
				ok = 1;
			}
	}
	if (!ok) {
		free(da);
		return sh_err(c->ip, "badaddr", "association %d has no local address of the peer's family", assoc);
	}
	set_port(&x->src, sport);
	x->peer_capable = -1;
	if (de == 0 && da->have_info) {
		x->vtag = da->info.sctpi_peer_tag;
		x->mytag = da->info.sctpi_tag;
		x->have_vtag = x->have_mytag = 1;
		x->vtag_from = "sock_diag";
		x->peer_capable = da->info.sctpi_peer_capable;
	}
	free(da);
	if (!x->have_vtag) {
		char a[80], b[80];
		sh_addr_str((struct sockaddr *)&x->src, a, sizeof a);
		sh_addr_str((struct sockaddr *)&x->dst, b, sizeof b);
		if (trace_vtag(c->s, a, sport, NULL, dport, &x->vtag)) {
			x->have_vtag = 1;
			x->vtag_from = "trace";
		}
		if (trace_vtag(c->s, b, dport, NULL, sport, &x->mytag))
			x->have_mytag = 1;
	}
	int na = kr_peer_auth_chunks(k->fd, assoc, x->auth, (int)sizeof x->auth);
	x->nauth = na < 0 ? -1 : na;
	snprintf(x->desc, sizeof x->desc, "%s assoc %d", h->name, assoc);
	return TCL_OK;
}

static int parse_u32(sh_call *c, Tcl_Obj *o, const char *what, uint32_t *v)
{
	Tcl_WideInt w;
	if (Tcl_GetWideIntFromObj(NULL, o, &w) != TCL_OK || w < 0 || w > 0xffffffffLL)
		return sh_err(c->ip, "usage", "%s expects an integer 0..4294967295, got \"%s\"", what, Tcl_GetString(o));
	*v = (uint32_t)w;
	return TCL_OK;
}

/* --assoc ID [--to] [--socket] | --like H:ID | --reply TYPE | --src --dst --vtag */
static int resolve_ctx(sh_call *c, tr_ctx *x, int need_tag)
{
	if (c->s->trace)
		drain_all(c->s->trace); /* the trace up to now: tags, TSNs, HEARTBEAT info */
	memset(x, 0, sizeof *x);
	x->nauth = -1;
	x->peer_capable = -1;
	sh_optval *av = sh_opt_get(c, "--assoc"), *lv = sh_opt_get(c, "--like"),
		  *rv = sh_opt_get(c, "--reply"), *sv = sh_opt_get(c, "--src"), *dv = sh_opt_get(c, "--dst"),
		  *vv = sh_opt_get(c, "--vtag"), *tv = sh_opt_get(c, "--to");
	int modes = av->set + lv->set + (rv && rv->set);
	if (modes > 1)
		return sh_err(c->ip, "usage", "give one of --assoc, --like, --reply");
	if (av->set) {
		int assoc;
		sh_sock *k;
		if (sh_get_assoc(c, &assoc) != TCL_OK || sh_sock_resolve(c, &k) != TCL_OK)
			return TCL_ERROR;
		if (k->fd < 0)
			return sh_err(c->ip, "closed", "socket %s is closed", k->name);
		if (ctx_from_assoc(c, k->host, k, assoc, tv->set ? tv->s : NULL, x) != TCL_OK)
			return TCL_ERROR;
	} else if (lv->set) {
		char hn[40];
		const char *colon = strrchr(lv->s, ':');
		char *end;
		long id = colon ? strtol(colon + 1, &end, 10) : 0;
		if (!colon || colon == lv->s || (size_t)(colon - lv->s) >= sizeof hn || !colon[1] || *end || id <= 0)
			return sh_err(c->ip, "usage", "--like expects HOST:ASSOC (e.g. B:3), got \"%s\"", lv->s);
		snprintf(hn, sizeof hn, "%.*s", (int)(colon - lv->s), lv->s);
		sh_host *h = sh_host_find(c->s, hn);
		if (!h)
			return sh_err(c->ip, "nohost", "--like: no host \"%s\"", hn);
		if (!h->startup || h->startup->fd < 0)
			return sh_err(c->ip, "nosocket", "--like: host %s has no startup socket", hn);
		if (ctx_from_assoc(c, h, h->startup, (int)id, tv->set ? tv->s : NULL, x) != TCL_OK)
			return TCL_ERROR;
		snprintf(x->desc, sizeof x->desc, "like %.32s assoc %ld", hn, id);
	} else if (rv && rv->set) {
		/* answer the latest traced chunk of that type, as its receiver would */
		const char *type;
		if (type_arg(c, rv->s, &type) != TCL_OK)
			return TCL_ERROR;
		tr_state *st = c->s->trace;
		Tcl_Obj *hit = NULL;
		if (st) {
			Tcl_Size n;
			Tcl_Obj **el;
			Tcl_ListObjGetElements(NULL, st->seen, &n, &el);
			for (Tcl_Size i = n - 1; i >= 0 && !hit; i--) {
				const char *t = dget(el[i], "type");
				if (t && (!type || !strcmp(t, type)))
					hit = el[i];
			}
		}
		if (!hit)
			return sh_err(c->ip, "notrace", "--reply %s: no such chunk in the trace (trace on, then let it happen)", rv->s);
		Tcl_WideInt sp = 0, dp = 0;
		char ebuf[160];
		const char *a = dget(hit, "src"), *b = dget(hit, "dst");
		dget_u(hit, "sport", &sp);
		dget_u(hit, "dport", &dp);
		if (!a || !b || sh_addr_parse(b, (int)dp, &x->src, ebuf, sizeof ebuf) < 0 ||
		    sh_addr_parse(a, (int)sp, &x->dst, ebuf, sizeof ebuf) < 0)
			return sh_err(c->ip, "notrace", "--reply: the traced chunk has no addresses");
		set_port(&x->src, (int)dp);
		set_port(&x->dst, (int)sp);
		if (trace_vtag(c->s, b, (int)dp, NULL, (int)sp, &x->vtag)) {
			x->have_vtag = 1;
			x->vtag_from = "trace";
		}
		Tcl_WideInt v;
		if (dget_u(hit, "vtag", &v)) {
			x->mytag = (uint32_t)v;
			x->have_mytag = 1;
		}
		snprintf(x->desc, sizeof x->desc, "reply to %s", type ? type : "chunk");
	} else {
		if (!dv->set)
			return sh_err(c->ip, "usage", "where to? give --assoc ID, --like HOST:ID, --reply TYPE, or --dst ADDR:PORT (with --src, --vtag)");
		if (sh_get_addr(c->ip, dv->obj, SH_DEFAULT_PORT, &x->dst) != TCL_OK)
			return TCL_ERROR;
		if (sv->set) {
			if (sh_get_addr(c->ip, sv->obj, SH_DEFAULT_PORT, &x->src) != TCL_OK)
				return TCL_ERROR;
		} else {
			int e = sh_in_netns(c->s, sh_cur_host(c->s));
			int re = e < 0 ? e : kr_route_src((struct sockaddr *)&x->dst, &x->src);
			sh_back_netns(c->s);
			if (re < 0)
				return sh_err_errno(c->ip, "route to --dst", -re);
			set_port(&x->src, SH_DEFAULT_PORT);
		}
		snprintf(x->desc, sizeof x->desc, "explicit");
	}
	if (sv->set && modes) { /* override the source (address spoofing is the point) */
		int port = sh_sa_port((struct sockaddr *)&x->src);
		if (sh_get_addr(c->ip, sv->obj, port, &x->src) != TCL_OK)
			return TCL_ERROR;
	}
	if (dv->set && modes) {
		int port = sh_sa_port((struct sockaddr *)&x->dst);
		if (sh_get_addr(c->ip, dv->obj, port, &x->dst) != TCL_OK)
			return TCL_ERROR;
	}
	if (vv->set) {
		if (parse_u32(c, vv->obj, "--vtag", &x->vtag) != TCL_OK)
			return TCL_ERROR;
		x->have_vtag = 1;
		x->vtag_from = "option";
	}
	if (x->src.ss_family != x->dst.ss_family)
		return sh_err(c->ip, "badaddr", "source and destination are not of the same family");
	if (need_tag && !x->have_vtag)
		return sh_err(c->ip, "novtag",
			      "no verification tag known for %s (no sock_diag, nothing in the trace): give --vtag N",
			      x->desc);
	return TCL_OK;
}

static Tcl_Obj *ctx_dict(const tr_ctx *x, uint32_t vtag)
{
	Tcl_Obj *d = Tcl_NewDictObj();
	char b[80];
	PUTS(d, "src", sh_addr_str((struct sockaddr *)&x->src, b, sizeof b));
	PUTI(d, "sport", sh_sa_port((struct sockaddr *)&x->src));
	PUTS(d, "dst", sh_addr_str((struct sockaddr *)&x->dst, b, sizeof b));
	PUTI(d, "dport", sh_sa_port((struct sockaddr *)&x->dst));
	PUTI(d, "vtag", vtag);
	PUTS(d, "vtag_from", x->vtag_from ? x->vtag_from : "");
	PUTS(d, "context", x->desc);
	return d;
}

static int auth_required(const tr_ctx *x, uint8_t type)
{
	for (int i = 0; i < x->nauth; i++)
		if (x->auth[i] == type)
			return 1;
	return 0;
}

/* ---- AUTH (RFC 4895) from the traced handshake ---------------------------- */

static int parse_hex(sh_call *c, const char *s, const char *what, struct wire_buf *b);

typedef struct tr_auth {
	int on;
	uint16_t key_id, hmac_id;
	struct wire_buf key;    /* association shared key, §6.1 */
} tr_auth;

/* The latest traced INIT or INIT-ACK whose Initiate Tag is tag. */
static Tcl_Obj *find_init(sh_session *s, uint32_t tag)
{
	tr_state *st = s->trace;
	if (!st)
		return NULL;
	Tcl_Size n;
	Tcl_Obj **el;
	Tcl_ListObjGetElements(NULL, st->seen, &n, &el);
	for (Tcl_Size i = n - 1; i >= 0; i--) {
		const char *t = dget(el[i], "type");
		Tcl_WideInt it;
		if (!t || (strcmp(t, "INIT") && strcmp(t, "INIT-ACK")) || !dget_u(el[i], "init_tag", &it) ||
		    (uint32_t)it != tag || !dget(el[i], "chunk_hex"))
			continue;
		return el[i];
	}
	return NULL;
}

static void hex_put(const char *h, struct wire_buf *b)
{
	int hi = -1;
	for (; *h; h++) {
		int v = isdigit((unsigned char)*h) ? *h - '0' : tolower((unsigned char)*h) - 'a' + 10;
		if (v < 0 || v > 15)
			continue;
		if (hi < 0)
			hi = v;
		else {
			wire_buf_u8(b, (uint8_t)(hi << 4 | v));
			hi = -1;
		}
	}
}

/* The HMAC identifier the receiver asked for first that the codec has (§6.1). */
static int pick_hmac(Tcl_Obj *init)
{
	Tcl_Obj *params = NULL, *key = Tcl_NewStringObj("params", -1);
	Tcl_IncrRefCount(key);
	Tcl_DictObjGet(NULL, init, key, &params);
	Tcl_DecrRefCount(key);
	Tcl_Size n, m;
	Tcl_Obj **el, **ids;
	if (!params || Tcl_ListObjGetElements(NULL, params, &n, &el) != TCL_OK)
		return -1;
	for (Tcl_Size i = 0; i < n; i++) {
		const char *nm = dget(el[i], "name");
		Tcl_Obj *hl = NULL, *k = Tcl_NewStringObj("hmac_ids", -1);
		Tcl_IncrRefCount(k);
		Tcl_DictObjGet(NULL, el[i], k, &hl);
		Tcl_DecrRefCount(k);
		if (!nm || !strstr(nm, "hmac") || !hl || Tcl_ListObjGetElements(NULL, hl, &m, &ids) != TCL_OK)
			continue;
		for (Tcl_Size j = 0; j < m; j++) {
			int id;
			const char *sv = Tcl_GetString(ids[j]);
			if (Tcl_GetIntFromObj(NULL, ids[j], &id) != TCL_OK)
				id = !strcasecmp(sv, "sha1") ? WIRE_HMAC_SHA1 : !strcasecmp(sv, "sha256") ? WIRE_HMAC_SHA256 : -1;
			if (id > 0 && wire_hmac_len((uint16_t)id))
				return id;
		}
	}
	return -1;
}

/* Association key and HMAC identifier from the traced INIT and INIT-ACK
 * (their RANDOM, CHUNKS, HMAC-ALGO), with the endpoint pair key given by
 * --auth-key (default: none, Linux's null key 0).  0, or -1 with why. */
static int auth_setup(sh_call *c, const tr_ctx *x, tr_auth *a, char *why, size_t wn)
{
	memset(a, 0, sizeof *a);
	wire_buf_init(&a->key);
	if (!x->have_vtag || !x->have_mytag) {
		snprintf(why, wn, "both verification tags are needed to find the handshake");
		return -1;
	}
	Tcl_Obj *rcv = find_init(c->s, x->vtag), *snd = find_init(c->s, x->mytag);
	if (!rcv || !snd) {
		snprintf(why, wn, "the association's INIT and INIT-ACK are not in the trace (trace on before it starts), "
			 "so the association key (RFC 4895 §6.1) cannot be computed");
		return -1;
	}
	struct wire_buf cr, cs, vr, vs, ek;
	wire_buf_init(&cr);
	wire_buf_init(&cs);
	wire_buf_init(&vr);
	wire_buf_init(&vs);
	wire_buf_init(&ek);
	hex_put(dget(rcv, "chunk_hex"), &cr);
	hex_put(dget(snd, "chunk_hex"), &cs);
	int rc = -1;
	sh_optval *kv = sh_opt_get(c, "--auth-key"), *iv = sh_opt_get(c, "--key-id");
	if (kv && kv->set && parse_hex(c, kv->s, "--auth-key", &ek) != TCL_OK) {
		snprintf(why, wn, "%s", Tcl_GetStringResult(c->ip));
		goto out;
	}
	if (wire_auth_key_vector(cr.p, cr.len, &vr) < 0 || wire_auth_key_vector(cs.p, cs.len, &vs) < 0) {
		snprintf(why, wn, "the handshake has no RANDOM parameter: AUTH was not negotiated");
		goto out;
	}
	if (wire_auth_assoc_key(ek.p, ek.len, vs.p, vs.len, vr.p, vr.len, &a->key) < 0 || a->key.err) {
		snprintf(why, wn, "cannot compute the association key");
		goto out;
	}
	int id = pick_hmac(rcv);
	if (id < 0) {
		snprintf(why, wn, "the receiver lists no HMAC identifier the codec has (SHA-1, SHA-256)");
		goto out;
	}
	a->hmac_id = (uint16_t)id;
	a->key_id = iv && iv->set ? (uint16_t)iv->i : 0;
	a->on = 1;
	rc = 0;
out:
	wire_buf_free(&cr);
	wire_buf_free(&cs);
	wire_buf_free(&vr);
	wire_buf_free(&vs);
	wire_buf_free(&ek);
	if (rc)
		wire_buf_free(&a->key);
	return rc;
}

static void auth_free(tr_auth *a)
{
	if (a->on)
		wire_buf_free(&a->key);
	a->on = 0;
}

/* Build the SCTP packet around chunks and send it from the current host
 * (UDP-encapsulated when the host's net.sctp.encap_port says so). */
static int send_packet(sh_call *c, const tr_ctx *x, uint32_t vtag, struct wire_buf *chunks, int raw,
		       Tcl_Obj *res, const tr_auth *a)
{
	struct wire_buf pkt, ip, signed_chunks;
	wire_buf_init(&pkt);
	wire_buf_init(&ip);
	wire_buf_init(&signed_chunks);
	int rc = TCL_ERROR;
	if (a && a->on && !raw) {
		/* AUTH first, covering the chunks after it (RFC 4895 §6.2) */
		if (wire_craft_auth(&signed_chunks, a->key_id, a->hmac_id, NULL, wire_hmac_len(a->hmac_id)) < 0) {
			sh_err(c->ip, "craft", "cannot build the AUTH chunk");
			goto out;
		}
		wire_buf_put(&signed_chunks, chunks->p, chunks->len);
		chunks = &signed_chunks;
	}
	if (raw) {
		wire_buf_put(&pkt, chunks->p, chunks->len);
		if (!pkt.err)
			wire_sctp_set_checksum(pkt.p, pkt.len);
	} else if (wire_craft_packet(&pkt, (uint16_t)sh_sa_port((struct sockaddr *)&x->src),
				     (uint16_t)sh_sa_port((struct sockaddr *)&x->dst), vtag, chunks->p,
				     chunks->len) < 0) {
		sh_err(c->ip, "craft", "cannot build the SCTP packet");
		goto out;
	}
	if (pkt.err) {
		sh_err(c->ip, "craft", "cannot build the SCTP packet");
		goto out;
	}
	if (a && a->on && !raw) {
		if (wire_auth_sign(pkt.p, pkt.len, 12, a->key.p, a->key.len) < 0) {
			sh_err(c->ip, "craft", "cannot sign the packet (AUTH)");
			goto out;
		}
		Tcl_Obj *ad = Tcl_NewDictObj();
		PUTI(ad, "key_id", a->key_id);
		PUTI(ad, "hmac_id", a->hmac_id);
		PUT(res, "auth", ad);
	}
	sh_host *h = sh_cur_host(c->s);
	int e = sh_in_netns(c->s, h);
	long eport = 0, uport = 0;
	if (e >= 0 && !sh_opt_isset(c, "--no-udp")) {
		kr_sysctl_int("net/sctp/encap_port", &eport);
		kr_sysctl_int("net/sctp/udp_port", &uport);
	}
	if (e < 0) {
		sh_back_netns(c->s);
		sh_err_errno(c->ip, "setns", -e);
		goto out;
	}
	uint16_t us = 0, ud = 0;
	if (eport > 0 && eport < 65536) {
		ud = (uint16_t)eport;
		us = uport > 0 && uport < 65536 ? (uint16_t)uport : ud;
	}
	if (wire_craft_ip(&ip, (struct sockaddr *)&x->src, (struct sockaddr *)&x->dst, 64, us, ud, pkt.p, pkt.len) < 0) {
		sh_back_netns(c->s);
		sh_err(c->ip, "craft", "cannot build the IP packet");
		goto out;
	}
	int n = 0;
	int dry = sh_opt_isset(c, "--dry-run");
	if (!dry)
		n = kr_inject_ip((struct sockaddr *)&x->dst, ip.p, ip.len);
	sh_back_netns(c->s);
	if (n < 0) {
		sh_err_errno(c->ip, "sendto(raw socket)", -n);
		goto out;
	}
	/* describe what went out, decoded by the codec */
	struct wire_packet d;
	wire_decode_sctp(pkt.p, pkt.len, &d);
	Tcl_Obj *lines = sh_list();
	for (size_t i = 0; i < d.nchunks; i++) {
		char l[1024];
		wire_chunk_line(&d.chunks[i], l, sizeof l);
		Tcl_ListObjAppendElement(NULL, lines, Tcl_NewStringObj(l, -1));
	}
	wire_packet_free(&d);
	PUTS(res, "host", h->name);
	PUTI(res, "sent", dry ? 0 : (Tcl_WideInt)ip.len);
	if (ud) {
		PUTI(res, "udp_sport", us);
		PUTI(res, "udp_dport", ud);
	}
	PUT(res, "chunks", lines);
	PUT(res, "packet", hex_obj(pkt.p, pkt.len));
	rc = TCL_OK;
out:
	wire_buf_free(&pkt);
	wire_buf_free(&ip);
	wire_buf_free(&signed_chunks);
	return rc;
}

/* ---- forward-tsn (RFC 3758 §3.2) --------------------------------------- */

/* From the trace: the peer's latest cumulative TSN ack (SACK from dst to src)
 * and the highest DATA TSN we sent (src to dst), serial arithmetic ignored
 * (latest seen wins). */
static void tsn_context(sh_session *s, const tr_ctx *x, int *have_cum, uint32_t *cum, int *have_sent,
			uint32_t *sent)
{
	*have_cum = *have_sent = 0;
	tr_state *st = s->trace;
	if (!st)
		return;
	char a[80], b[80];
	sh_addr_str((struct sockaddr *)&x->src, a, sizeof a);
	sh_addr_str((struct sockaddr *)&x->dst, b, sizeof b);
	int sp = sh_sa_port((struct sockaddr *)&x->src), dp = sh_sa_port((struct sockaddr *)&x->dst);
	Tcl_Size n;
	Tcl_Obj **el;
	Tcl_ListObjGetElements(NULL, st->seen, &n, &el);
	for (Tcl_Size i = n - 1; i >= 0 && !(*have_cum && *have_sent); i--) {
		Tcl_WideInt esp, edp, v, vt;
		const char *t = dget(el[i], "type");
		if (!t || !dget_u(el[i], "sport", &esp) || !dget_u(el[i], "dport", &edp) ||
		    !dget_u(el[i], "vtag", &vt))
			continue;
		if (!*have_cum && (!strcmp(t, "SACK") || !strcmp(t, "NR-SACK")) && esp == dp && edp == sp &&
		    (!x->have_mytag || vt == x->mytag) && dget_u(el[i], "cum_tsn", &v)) {
			*cum = (uint32_t)v;
			*have_cum = 1;
		}
		if (!*have_sent && (!strcmp(t, "DATA") || !strcmp(t, "I-DATA")) && esp == sp && edp == dp &&
		    (uint32_t)vt == x->vtag && dget_u(el[i], "tsn", &v)) {
			*sent = (uint32_t)v;
			*have_sent = 1;
		}
	}
}

static int cmd_forward_tsn(sh_call *c)
{
	tr_ctx x;
	if (!sh_opt_isset(c, "--assoc") && !sh_opt_isset(c, "--like") && !sh_opt_isset(c, "--dst"))
		return sh_err(c->ip, "usage", "forward-tsn: --assoc ID is required (or --like HOST:ID, or --dst with --vtag)");
	sh_optval *cv = sh_opt_get(c, "--cum-tsn");
	if (!cv->set)
		return sh_err(c->ip, "usage", "forward-tsn: --cum-tsn N (or +K: K past the peer's last SACK in the trace) is required");
	if (resolve_ctx(c, &x, 1) != TCL_OK)
		return TCL_ERROR;
	int unauth = sh_opt_isset(c, "--unauthenticated");
	int need_auth = auth_required(&x, WIRE_CT_FORWARD_TSN) && !unauth;
	tr_auth au;
	memset(&au, 0, sizeof au);
	/* PR-SCTP negotiated? (sctpi_peer_capable bit 1, Linux sctp_get_sctp_info) */
	if (x.peer_capable >= 0 && !(x.peer_capable & 0x2) && !sh_opt_isset(c, "--force"))
		return sh_err(c->ip, "noprsctp",
			      "forward-tsn: the peer did not announce PR-SCTP (Forward-TSN-Supported, RFC 3758 §3.1); "
			      "it would answer with an ERROR (unrecognized chunk); --force sends it anyway");
	int have_cum, have_sent;
	uint32_t peer_cum = 0, sent = 0, cum;
	tsn_context(c->s, &x, &have_cum, &peer_cum, &have_sent, &sent);
	if (c->s->trace && !sh_opt_isset(c, "--force")) {
		/* RFC 8260 §2.3: with I-DATA the association uses I-FORWARD-TSN instead */
		Tcl_Size n;
		Tcl_Obj **el;
		Tcl_ListObjGetElements(NULL, ((tr_state *)c->s->trace)->seen, &n, &el);
		for (Tcl_Size i = n - 1; i >= 0; i--) {
			const char *t = dget(el[i], "type");
			Tcl_WideInt vt;
			if (t && !strcmp(t, "I-DATA") && dget_u(el[i], "vtag", &vt) && (uint32_t)vt == x.vtag)
				return sh_err(c->ip, "interleaving",
					      "forward-tsn: this association carries I-DATA (RFC 8260 interleaving), where "
					      "FORWARD-TSN is replaced by I-FORWARD-TSN (§2.3.1): use inject I-FORWARD-TSN "
					      "new_cum_tsn N streams {{SID U MID}} (--force sends FORWARD-TSN anyway)");
		}
	}
	const char *cs = Tcl_GetString(cv->obj);
	if (cs[0] == '+') {
		uint32_t k;
		Tcl_Obj *ko = Tcl_NewStringObj(cs + 1, -1);
		Tcl_IncrRefCount(ko);
		int r = parse_u32(c, ko, "--cum-tsn +K", &k);
		Tcl_DecrRefCount(ko);
		if (r != TCL_OK)
			return TCL_ERROR;
		if (!have_cum)
			return sh_err(c->ip, "notrace", "forward-tsn --cum-tsn +%u: no SACK from the peer in the trace (trace on first, or give the TSN)", k);
		cum = peer_cum + k;
	} else if (parse_u32(c, cv->obj, "--cum-tsn", &cum) != TCL_OK) {
		return TCL_ERROR;
	}
	/* RFC 3758 §3.6: the receiver moves its cumulative TSN to the New
	 * Cumulative TSN and SACKs it; a TSN this sender never sent would come
	 * back in that SACK, and the sender treats a SACK beyond what it sent as
	 * a protocol violation (RFC 9260 §6.2; Linux aborts the association). */
	if (have_sent && (int32_t)(cum - sent) > 0 && !sh_opt_isset(c, "--force"))
		return sh_err(c->ip, "beyond-sent",
			      "forward-tsn: New Cumulative TSN %u is beyond the highest TSN this association sent (%u, "
			      "from the trace): the peer would SACK a TSN never sent and the sender would abort "
			      "(RFC 9260 §6.2); --force sends it anyway", cum, sent);
	struct wire_sid_ssn ss[256];
	size_t nss = 0;
	sh_optval *sv = sh_opt_get(c, "--stream");
	if (sv->set) {
		Tcl_Size n;
		Tcl_Obj **el;
		Tcl_ListObjGetElements(NULL, sv->obj, &n, &el);
		for (Tcl_Size i = 0; i < n; i++) {
			unsigned sid, ssn;
			char tail;
			if (nss >= 256)
				return sh_err(c->ip, "usage", "forward-tsn: at most 256 --stream entries");
			if (sscanf(Tcl_GetString(el[i]), "%u:%u%c", &sid, &ssn, &tail) != 2 || sid > 65535 || ssn > 65535)
				return sh_err(c->ip, "usage", "--stream expects SID:SSN (0..65535 each), got \"%s\"",
					      Tcl_GetString(el[i]));
			ss[nss].sid = (uint16_t)sid;
			ss[nss].ssn = (uint16_t)ssn;
			nss++;
		}
	}
	if (need_auth) {
		char why[256];
		if (auth_setup(c, &x, &au, why, sizeof why) < 0)
			return sh_err(c->ip, "auth-required",
				      "forward-tsn: the peer requires FORWARD-TSN to be authenticated (it is in its AUTH chunk "
				      "list, SCTP_PEER_AUTH_CHUNKS; RFC 4895 §6.2) and it cannot be signed here: %s; a bare "
				      "FORWARD-TSN would be silently discarded (--unauthenticated sends it anyway)", why);
	}
	struct wire_buf ch;
	wire_buf_init(&ch);
	if (wire_craft_forward_tsn(&ch, cum, ss, nss) < 0 || ch.err) {
		wire_buf_free(&ch);
		auth_free(&au);
		return sh_err(c->ip, "craft", "cannot build the FORWARD-TSN chunk");
	}
	Tcl_Obj *res = ctx_dict(&x, x.vtag);
	PUTI(res, "new_cum_tsn", cum);
	if (have_cum)
		PUTI(res, "peer_cum_tsn", peer_cum);
	if (have_sent)
		PUTI(res, "highest_tsn_sent", sent);
	Tcl_IncrRefCount(res);
	int rc = send_packet(c, &x, x.vtag, &ch, 0, res, &au);
	wire_buf_free(&ch);
	auth_free(&au);
	if (rc == TCL_OK)
		Tcl_SetObjResult(c->ip, res);
	Tcl_DecrRefCount(res);
	return rc;
}

/* ---- inject ------------------------------------------------------------ */

static int parse_hex(sh_call *c, const char *s, const char *what, struct wire_buf *b)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	int hi = -1;
	for (; *s; s++) {
		if (isspace((unsigned char)*s) || *s == ':' || *s == '-')
			continue;
		int v = isdigit((unsigned char)*s) ? *s - '0'
			: (tolower((unsigned char)*s) >= 'a' && tolower((unsigned char)*s) <= 'f')
				? tolower((unsigned char)*s) - 'a' + 10
				: -1;
		if (v < 0)
			return sh_err(c->ip, "usage", "%s: not hexadecimal at \"%.10s\"", what, s);
		if (hi < 0) {
			hi = v;
		} else {
			wire_buf_u8(b, (uint8_t)(hi << 4 | v));
			hi = -1;
		}
	}
	if (hi >= 0)
		return sh_err(c->ip, "usage", "%s: odd number of hex digits", what);
	return TCL_OK;
}

/* Chunk fields given as "name value" pairs after the chunk type. */
typedef struct tr_fields {
	Tcl_Obj *d;
	sh_call *c;
	const char *chunk;
	const char *const *known;
} tr_fields;

static Tcl_Obj *fget(tr_fields *f, const char *name)
{
	Tcl_Obj *v = NULL;
	Tcl_Obj *k = Tcl_NewStringObj(name, -1);
	Tcl_IncrRefCount(k);
	Tcl_DictObjGet(NULL, f->d, k, &v);
	Tcl_DecrRefCount(k);
	return v;
}

static int fu32(tr_fields *f, const char *name, int required, uint32_t def, uint32_t max, uint32_t *out)
{
	Tcl_Obj *v = fget(f, name);
	if (!v) {
		if (required)
			return sh_err(f->c->ip, "usage", "inject %s: field %s is required", f->chunk, name);
		*out = def;
		return TCL_OK;
	}
	Tcl_WideInt w;
	if (Tcl_GetWideIntFromObj(NULL, v, &w) != TCL_OK || w < 0 || (uint64_t)w > max)
		return sh_err(f->c->ip, "usage", "inject %s: field %s expects an integer 0..%u, got \"%s\"", f->chunk,
			      name, max, Tcl_GetString(v));
	*out = (uint32_t)w;
	return TCL_OK;
}

static int fhex(tr_fields *f, const char *name, struct wire_buf *b, int *given)
{
	Tcl_Obj *v = fget(f, name);
	*given = v != NULL;
	if (!v)
		return TCL_OK;
	char what[64];
	snprintf(what, sizeof what, "inject %s: field %s", f->chunk, name);
	return parse_hex(f->c, Tcl_GetString(v), what, b);
}

static int check_fields(tr_fields *f)
{
	Tcl_DictSearch s;
	Tcl_Obj *k, *v;
	int done;
	Tcl_DictObjFirst(NULL, f->d, &s, &k, &v, &done);
	for (; !done; Tcl_DictObjNext(&s, &k, &v, &done)) {
		int ok = 0;
		for (const char *const *n = f->known; *n; n++)
			if (!strcmp(*n, Tcl_GetString(k)))
				ok = 1;
		if (!ok) {
			Tcl_Obj *names = Tcl_NewObj();
			for (const char *const *n = f->known; *n; n++)
				Tcl_AppendPrintfToObj(names, "%s%s", n == f->known ? "" : ", ", *n);
			Tcl_IncrRefCount(names);
			sh_err(f->c->ip, "usage", "inject %s: unknown field \"%s\" (fields: %s)", f->chunk,
			       Tcl_GetString(k), Tcl_GetString(names));
			Tcl_DecrRefCount(names);
			Tcl_DictObjDone(&s);
			return TCL_ERROR;
		}
	}
	return TCL_OK;
}

/* The latest traced HEARTBEAT towards our source from our destination
 * (the one we answer): its Heartbeat Info. */
static int echo_info(sh_session *s, const tr_ctx *x, struct wire_buf *b)
{
	tr_state *st = s->trace;
	if (!st)
		return 0;
	char a[80], d[80];
	sh_addr_str((struct sockaddr *)&x->src, a, sizeof a);
	sh_addr_str((struct sockaddr *)&x->dst, d, sizeof d);
	Tcl_Size n;
	Tcl_Obj **el;
	Tcl_ListObjGetElements(NULL, st->seen, &n, &el);
	for (Tcl_Size i = n - 1; i >= 0; i--) {
		const char *t = dget(el[i], "type"), *sa = dget(el[i], "src"), *da = dget(el[i], "dst");
		const char *info = dget(el[i], "info");
		if (!t || strcmp(t, "HEARTBEAT") || !sa || !da || !info || strcmp(sa, d) || strcmp(da, a))
			continue;
		struct wire_buf tmp;
		wire_buf_init(&tmp);
		const char *p = info;
		int hi = -1;
		for (; *p; p++) {
			int v = isdigit((unsigned char)*p) ? *p - '0' : tolower((unsigned char)*p) - 'a' + 10;
			if (hi < 0)
				hi = v;
			else {
				wire_buf_u8(&tmp, (uint8_t)(hi << 4 | v));
				hi = -1;
			}
		}
		wire_buf_put(b, tmp.p, tmp.len);
		wire_buf_free(&tmp);
		return 1;
	}
	return 0;
}

static int addr_list(sh_call *c, Tcl_Obj *v, uint16_t type, struct wire_asconf_req *reqs, size_t *n, size_t max)
{
	Tcl_Size k;
	Tcl_Obj **el;
	if (!v)
		return TCL_OK;
	if (Tcl_ListObjGetElements(c->ip, v, &k, &el) != TCL_OK)
		return TCL_ERROR;
	for (Tcl_Size i = 0; i < k; i++) {
		if (*n >= max)
			return sh_err(c->ip, "usage", "inject ASCONF: too many addresses");
		memset(&reqs[*n], 0, sizeof reqs[*n]);
		reqs[*n].type = type;
		reqs[*n].corr_id = (uint32_t)(*n + 1);
		if (sh_get_addr(c->ip, el[i], 0, &reqs[*n].addr) != TCL_OK)
			return TCL_ERROR;
		(*n)++;
	}
	return TCL_OK;
}

static int build_chunk(sh_call *c, int type, tr_fields *f, const tr_ctx *x, struct wire_buf *b,
		       uint32_t *vtag, Tcl_Obj *res)
{
	static const char *const f_data[] = {"tsn", "sid", "ssn", "ppid", "flags", "data", "hex", NULL};
	static const char *const f_idata[] = {"tsn", "sid", "mid", "ppid", "fsn", "flags", "data", "hex", NULL};
	static const char *const f_sack[] = {"cum_tsn", "a_rwnd", "gaps", "dups", NULL};
	static const char *const f_hb[] = {"info", NULL};
	static const char *const f_abort[] = {"t", "cause", "info", NULL};
	static const char *const f_shut[] = {"cum_tsn", NULL};
	static const char *const f_t[] = {"t", NULL};
	static const char *const f_none[] = {NULL};
	static const char *const f_fwd[] = {"new_cum_tsn", "streams", NULL};
	static const char *const f_asconf[] = {"serial", "address", "add", "del", "primary", NULL};
	static const char *const f_value[] = {"hex", "flags", NULL};
	int r = 0;
	uint32_t t = 0;
	switch (type) {
	case WIRE_CT_DATA:
	case WIRE_CT_IDATA: {
		f->known = type == WIRE_CT_DATA ? f_data : f_idata;
		if (check_fields(f) != TCL_OK)
			return TCL_ERROR;
		uint32_t tsn, sid, ssn, ppid, fsn = 0;
		if (fu32(f, "tsn", 1, 0, 0xffffffffu, &tsn) != TCL_OK || fu32(f, "sid", 0, 0, 65535, &sid) != TCL_OK ||
		    fu32(f, type == WIRE_CT_DATA ? "ssn" : "mid", 0, 0, type == WIRE_CT_DATA ? 65535 : 0xffffffffu, &ssn) != TCL_OK ||
		    fu32(f, "ppid", 0, 0, 0xffffffffu, &ppid) != TCL_OK)
			return TCL_ERROR;
		if (type == WIRE_CT_IDATA && fu32(f, "fsn", 0, 0, 0xffffffffu, &fsn) != TCL_OK)
			return TCL_ERROR;
		uint8_t fl = WIRE_DATA_FLAG_B | WIRE_DATA_FLAG_E;
		Tcl_Obj *fo = fget(f, "flags");
		if (fo) {
			fl = 0;
			for (const char *p = Tcl_GetString(fo); *p; p++) {
				switch (toupper((unsigned char)*p)) {
				case 'B': fl |= WIRE_DATA_FLAG_B; break;
				case 'E': fl |= WIRE_DATA_FLAG_E; break;
				case 'U': fl |= WIRE_DATA_FLAG_U; break;
				case 'I': fl |= WIRE_DATA_FLAG_I; break;
				default:
					return sh_err(c->ip, "usage", "inject DATA: flags are letters of BEUI, got \"%s\"", Tcl_GetString(fo));
				}
			}
		}
		struct wire_buf pl;
		wire_buf_init(&pl);
		int given;
		if (fhex(f, "hex", &pl, &given) != TCL_OK) {
			wire_buf_free(&pl);
			return TCL_ERROR;
		}
		Tcl_Obj *dv = fget(f, "data");
		if (dv) {
			Tcl_Size n;
			const char *s = Tcl_GetStringFromObj(dv, &n);
			wire_buf_put(&pl, s, (size_t)n);
		}
		if (pl.len == 0)
			wire_buf_put(&pl, "x", 1); /* DATA must carry user data (RFC 9260 §6.2) */
		if (type == WIRE_CT_DATA)
			r = wire_craft_data(b, fl, tsn, (uint16_t)sid, (uint16_t)ssn, ppid, pl.p, pl.len);
		else
			r = wire_craft_idata(b, fl, tsn, (uint16_t)sid, ssn, (fl & WIRE_DATA_FLAG_B) ? ppid : fsn, pl.p, pl.len);
		wire_buf_free(&pl);
		break;
	}
	case WIRE_CT_SACK: {
		f->known = f_sack;
		if (check_fields(f) != TCL_OK)
			return TCL_ERROR;
		uint32_t cum, rwnd;
		if (fu32(f, "cum_tsn", 1, 0, 0xffffffffu, &cum) != TCL_OK ||
		    fu32(f, "a_rwnd", 0, 106496, 0xffffffffu, &rwnd) != TCL_OK)
			return TCL_ERROR;
		struct wire_gap gaps[64];
		uint32_t dups[64];
		size_t ng = 0, nd = 0;
		Tcl_Obj *gv = fget(f, "gaps"), *dv = fget(f, "dups");
		Tcl_Size n;
		Tcl_Obj **el;
		if (gv) {
			if (Tcl_ListObjGetElements(c->ip, gv, &n, &el) != TCL_OK)
				return TCL_ERROR;
			for (Tcl_Size i = 0; i < n; i++) {
				Tcl_Size m;
				Tcl_Obj **se;
				int a, e;
				if (ng >= 64 || Tcl_ListObjGetElements(NULL, el[i], &m, &se) != TCL_OK || m != 2 ||
				    Tcl_GetIntFromObj(NULL, se[0], &a) != TCL_OK || Tcl_GetIntFromObj(NULL, se[1], &e) != TCL_OK ||
				    a < 1 || a > 65535 || e < a || e > 65535)
					return sh_err(c->ip, "usage", "inject SACK: gaps is a list of {START END} offsets from cum_tsn (1..65535, START <= END, at most 64)");
				gaps[ng].start = (uint16_t)a;
				gaps[ng].end = (uint16_t)e;
				ng++;
			}
		}
		if (dv) {
			if (Tcl_ListObjGetElements(c->ip, dv, &n, &el) != TCL_OK)
				return TCL_ERROR;
			for (Tcl_Size i = 0; i < n; i++) {
				if (nd >= 64 || parse_u32(c, el[i], "inject SACK: dups", &dups[nd]) != TCL_OK)
					return nd >= 64 ? sh_err(c->ip, "usage", "inject SACK: at most 64 dups") : TCL_ERROR;
				nd++;
			}
		}
		r = wire_craft_sack(b, cum, rwnd, gaps, ng, dups, nd);
		break;
	}
	case WIRE_CT_HEARTBEAT:
	case WIRE_CT_HEARTBEAT_ACK: {
		f->known = f_hb;
		if (check_fields(f) != TCL_OK)
			return TCL_ERROR;
		struct wire_buf info;
		wire_buf_init(&info);
		int given;
		if (fhex(f, "info", &info, &given) != TCL_OK) {
			wire_buf_free(&info);
			return TCL_ERROR;
		}
		const char *from = "given";
		if (!given && type == WIRE_CT_HEARTBEAT_ACK) {
			if (!echo_info(c->s, x, &info)) {
				wire_buf_free(&info);
				return sh_err(c->ip, "notrace",
					      "inject HEARTBEAT-ACK: no info given and no HEARTBEAT from %s to %s in the trace to echo "
					      "(RFC 9260 §8.3: the ACK must echo the HEARTBEAT's info; Linux checks its nonce)",
					      "the destination", "the source");
			}
			from = "trace";
		} else if (!given) {
			static const uint8_t dflt[8] = {'s', 'c', 't', 'p', 's', 'h', 0, 1};
			wire_buf_put(&info, dflt, sizeof dflt);
			from = "default";
		}
		PUTS(res, "info_from", from);
		r = wire_craft_heartbeat(b, type == WIRE_CT_HEARTBEAT_ACK, info.p, info.len);
		wire_buf_free(&info);
		break;
	}
	case WIRE_CT_ABORT:
	case WIRE_CT_ERROR: {
		f->known = type == WIRE_CT_ABORT ? f_abort : f_abort + 1;
		if (check_fields(f) != TCL_OK)
			return TCL_ERROR;
		if (type == WIRE_CT_ABORT && fu32(f, "t", 0, 0, 1, &t) != TCL_OK)
			return TCL_ERROR;
		uint32_t code;
		struct wire_buf causes, info;
		wire_buf_init(&causes);
		wire_buf_init(&info);
		int given;
		if (fu32(f, "cause", 0, type == WIRE_CT_ABORT ? WIRE_EC_USER_ABORT : WIRE_EC_PROTOCOL_VIOLATION, 65535, &code) != TCL_OK ||
		    fhex(f, "info", &info, &given) != TCL_OK) {
			wire_buf_free(&causes);
			wire_buf_free(&info);
			return TCL_ERROR;
		}
		wire_craft_cause(&causes, (uint16_t)code, info.p, info.len);
		r = type == WIRE_CT_ABORT ? wire_craft_abort(b, t, causes.p, causes.len)
					  : wire_craft_error(b, causes.p, causes.len);
		wire_buf_free(&causes);
		wire_buf_free(&info);
		break;
	}
	case WIRE_CT_SHUTDOWN: {
		f->known = f_shut;
		uint32_t cum;
		if (check_fields(f) != TCL_OK || fu32(f, "cum_tsn", 1, 0, 0xffffffffu, &cum) != TCL_OK)
			return TCL_ERROR;
		r = wire_craft_shutdown(b, cum);
		break;
	}
	case WIRE_CT_SHUTDOWN_ACK:
	case WIRE_CT_COOKIE_ACK:
		f->known = f_none;
		if (check_fields(f) != TCL_OK)
			return TCL_ERROR;
		r = type == WIRE_CT_COOKIE_ACK ? wire_craft_cookie_ack(b) : wire_craft_shutdown_ack(b);
		break;
	case WIRE_CT_SHUTDOWN_COMPLETE:
		f->known = f_t;
		if (check_fields(f) != TCL_OK || fu32(f, "t", 0, 0, 1, &t) != TCL_OK)
			return TCL_ERROR;
		r = wire_craft_shutdown_complete(b, t);
		break;
	case WIRE_CT_FORWARD_TSN: {
		f->known = f_fwd;
		uint32_t cum;
		if (check_fields(f) != TCL_OK || fu32(f, "new_cum_tsn", 1, 0, 0xffffffffu, &cum) != TCL_OK)
			return TCL_ERROR;
		struct wire_sid_ssn ss[64];
		size_t nss = 0;
		Tcl_Obj *sv = fget(f, "streams");
		if (sv) {
			Tcl_Size n;
			Tcl_Obj **el;
			if (Tcl_ListObjGetElements(c->ip, sv, &n, &el) != TCL_OK)
				return TCL_ERROR;
			for (Tcl_Size i = 0; i < n; i++) {
				Tcl_Size m;
				Tcl_Obj **se;
				int a, e;
				if (nss >= 64 || Tcl_ListObjGetElements(NULL, el[i], &m, &se) != TCL_OK || m != 2 ||
				    Tcl_GetIntFromObj(NULL, se[0], &a) != TCL_OK || Tcl_GetIntFromObj(NULL, se[1], &e) != TCL_OK ||
				    a < 0 || a > 65535 || e < 0 || e > 65535)
					return sh_err(c->ip, "usage", "inject FORWARD-TSN: streams is a list of {SID SSN}");
				ss[nss].sid = (uint16_t)a;
				ss[nss].ssn = (uint16_t)e;
				nss++;
			}
		}
		r = wire_craft_forward_tsn(b, cum, ss, nss);
		break;
	}
	case WIRE_CT_IFORWARD_TSN: {
		static const char *const f_ifwd[] = {"new_cum_tsn", "streams", NULL};
		f->known = f_ifwd;
		uint32_t cum;
		if (check_fields(f) != TCL_OK || fu32(f, "new_cum_tsn", 1, 0, 0xffffffffu, &cum) != TCL_OK)
			return TCL_ERROR;
		struct wire_ifwd is[64];
		size_t nis = 0;
		Tcl_Obj *sv = fget(f, "streams");
		if (sv) {
			Tcl_Size n;
			Tcl_Obj **el;
			if (Tcl_ListObjGetElements(c->ip, sv, &n, &el) != TCL_OK)
				return TCL_ERROR;
			for (Tcl_Size i = 0; i < n; i++) {
				Tcl_Size m;
				Tcl_Obj **se;
				int a, u;
				Tcl_WideInt mid;
				if (nis >= 64 || Tcl_ListObjGetElements(NULL, el[i], &m, &se) != TCL_OK || m != 3 ||
				    Tcl_GetIntFromObj(NULL, se[0], &a) != TCL_OK || Tcl_GetIntFromObj(NULL, se[1], &u) != TCL_OK ||
				    Tcl_GetWideIntFromObj(NULL, se[2], &mid) != TCL_OK || a < 0 || a > 65535 || u < 0 || u > 1 ||
				    mid < 0 || mid > 0xffffffffLL)
					return sh_err(c->ip, "usage", "inject I-FORWARD-TSN: streams is a list of {SID U MID} (U 0 or 1)");
				is[nis].sid = (uint16_t)a;
				is[nis].unordered = u;
				is[nis].mid = (uint32_t)mid;
				nis++;
			}
		}
		r = wire_craft_iforward_tsn(b, cum, is, nis);
		break;
	}
	case WIRE_CT_ASCONF: {
		f->known = f_asconf;
		if (check_fields(f) != TCL_OK)
			return TCL_ERROR;
		uint32_t serial;
		if (!fget(f, "serial")) {
			/* RFC 5061 §5.2: the first serial is the sender's Initial TSN, then +1 each */
			int have = 0;
			tr_state *st = c->s->trace;
			Tcl_Size n;
			Tcl_Obj **el;
			if (st && x->have_vtag) {
				Tcl_ListObjGetElements(NULL, st->seen, &n, &el);
				for (Tcl_Size i = n - 1; i >= 0 && !have; i--) {
					const char *t = dget(el[i], "type");
					Tcl_WideInt vt, sn;
					if (t && !strcmp(t, "ASCONF") && dget_u(el[i], "vtag", &vt) && (uint32_t)vt == x->vtag &&
					    dget_u(el[i], "serial", &sn)) {
						serial = (uint32_t)sn + 1;
						have = 1;
					}
				}
			}
			Tcl_Obj *mine = x->have_mytag ? find_init(c->s, x->mytag) : NULL;
			Tcl_WideInt it;
			if (!have && mine && dget_u(mine, "init_tsn", &it)) {
				serial = (uint32_t)it;
				have = 1;
			}
			if (!have)
				return sh_err(c->ip, "usage", "inject ASCONF: field serial is required (no handshake in the trace to start from)");
			PUTI(res, "serial", serial);
		} else if (fu32(f, "serial", 1, 0, 0xffffffffu, &serial) != TCL_OK)
			return TCL_ERROR;
		struct sockaddr_storage addr = x->src;
		Tcl_Obj *av = fget(f, "address");
		if (av && sh_get_addr(c->ip, av, 0, &addr) != TCL_OK)
			return TCL_ERROR;
		struct wire_asconf_req reqs[16];
		size_t n = 0;
		if (addr_list(c, fget(f, "add"), WIRE_PT_ADD_IP, reqs, &n, 16) != TCL_OK ||
		    addr_list(c, fget(f, "del"), WIRE_PT_DEL_IP, reqs, &n, 16) != TCL_OK ||
		    addr_list(c, fget(f, "primary"), WIRE_PT_SET_PRIMARY, reqs, &n, 16) != TCL_OK)
			return TCL_ERROR;
		if (!n)
			return sh_err(c->ip, "usage", "inject ASCONF: give add, del or primary addresses");
		r = wire_craft_asconf(b, serial, (struct sockaddr *)&addr, reqs, n);
		break;
	}
	default: {
		/* any other type: a raw value */
		f->known = f_value;
		if (check_fields(f) != TCL_OK)
			return TCL_ERROR;
		uint32_t fl;
		struct wire_buf v;
		wire_buf_init(&v);
		int given;
		if (fu32(f, "flags", 0, 0, 255, &fl) != TCL_OK || fhex(f, "hex", &v, &given) != TCL_OK) {
			wire_buf_free(&v);
			return TCL_ERROR;
		}
		r = wire_craft_raw_chunk(b, (uint8_t)type, (uint8_t)fl, v.p, v.len);
		wire_buf_free(&v);
	}
	}
	if (r < 0 || b->err)
		return sh_err(c->ip, "craft", "inject: cannot build the %s chunk", f->chunk);
	/* T bit (ABORT, SHUTDOWN-COMPLETE): the tag is reflected, the sender's own (RFC 9260 §8.5.1) */
	if (t) {
		if (!x->have_mytag && !sh_opt_isset(c, "--vtag"))
			return sh_err(c->ip, "novtag", "inject %s with t 1: the sender's own tag is not known; give --vtag N",
				      f->chunk);
		if (!sh_opt_isset(c, "--vtag"))
			*vtag = x->mytag;
	}
	return TCL_OK;
}

static int cmd_inject(sh_call *c)
{
	sh_optval *rv = sh_opt_get(c, "--raw");
	tr_ctx x;
	if (rv->set) {
		if (c->npos)
			return sh_err(c->ip, "usage", "inject --raw HEX takes no chunk type or fields");
		struct wire_buf b;
		wire_buf_init(&b);
		if (parse_hex(c, rv->s, "inject --raw", &b) != TCL_OK) {
			wire_buf_free(&b);
			return TCL_ERROR;
		}
		if (b.len < 12) {
			wire_buf_free(&b);
			return sh_err(c->ip, "usage", "inject --raw: an SCTP packet is at least 12 bytes (common header), got %zu", b.len);
		}
		if (resolve_ctx(c, &x, 0) != TCL_OK) {
			wire_buf_free(&b);
			return TCL_ERROR;
		}
		Tcl_Obj *res = ctx_dict(&x, (uint32_t)b.p[4] << 24 | (uint32_t)b.p[5] << 16 | (uint32_t)b.p[6] << 8 | b.p[7]);
		Tcl_IncrRefCount(res);
		int rc = send_packet(c, &x, 0, &b, 1, res, NULL);
		wire_buf_free(&b);
		if (rc == TCL_OK)
			Tcl_SetObjResult(c->ip, res);
		Tcl_DecrRefCount(res);
		return rc;
	}
	if (c->npos < 1)
		return sh_err(c->ip, "usage", "inject CHUNK [FIELD VALUE]... (or inject --raw HEX): which chunk?");
	if ((c->npos - 1) % 2)
		return sh_err(c->ip, "usage", "inject: fields come in pairs (name value), got %d words", c->npos - 1);
	const char *cname = Tcl_GetString(c->pos[0]);
	int type = wire_chunk_type_from_name(cname);
	if (type < 0)
		return sh_err(c->ip, "usage", "inject: unknown chunk type \"%s\"", cname);
	if (type == WIRE_CT_AUTH || type == WIRE_CT_INIT || type == WIRE_CT_INIT_ACK || type == WIRE_CT_COOKIE_ECHO ||
	    type == WIRE_CT_ASCONF_ACK || type == WIRE_CT_RECONFIG)
		return sh_err(c->ip, "unsupported",
			      "inject %s: not crafted by name (needs keys, cookies or state the shell does not hold); "
			      "use inject --raw HEX", wire_chunk_type_name((uint8_t)type));
	if (resolve_ctx(c, &x, 1) != TCL_OK)
		return TCL_ERROR;
	int unauth = sh_opt_isset(c, "--unauthenticated");
	const char *tname = wire_chunk_type_name((uint8_t)type);
	int need_auth = !unauth && (auth_required(&x, (uint8_t)type) || type == WIRE_CT_ASCONF);
	if (need_auth && type == WIRE_CT_ASCONF && x.nauth == 0)
		return sh_err(c->ip, "auth-required",
			      "inject ASCONF: RFC 5061 §4.1.1 says ASCONF MUST be sent authenticated (AUTH, RFC 4895), "
			      "but AUTH is not in use on this association; a peer that enforces it discards a bare ASCONF "
			      "(--unauthenticated sends it anyway, e.g. to a peer with net.sctp.addip_noauth_enable=1)");
	tr_auth au;
	memset(&au, 0, sizeof au);
	if (need_auth) {
		char why[300];
		if (auth_setup(c, &x, &au, why, sizeof why) < 0)
			return sh_err(c->ip, "auth-required",
				      "inject %s: %s must be authenticated (%s) and it cannot be signed here: %s; "
				      "the peer would silently discard it (--unauthenticated sends it anyway)",
				      tname, tname,
				      type == WIRE_CT_ASCONF ? "RFC 5061 §4.1.1" : "in the peer's AUTH chunk list, SCTP_PEER_AUTH_CHUNKS; RFC 4895 §6.2",
				      why);
	}
	Tcl_Obj *fd = Tcl_NewDictObj();
	Tcl_IncrRefCount(fd);
	for (int i = 1; i + 1 < c->npos; i += 2)
		Tcl_DictObjPut(NULL, fd, c->pos[i], c->pos[i + 1]);
	tr_fields f = {fd, c, tname, NULL};
	Tcl_Obj *res = Tcl_NewDictObj();
	Tcl_IncrRefCount(res);
	struct wire_buf b;
	wire_buf_init(&b);
	uint32_t vtag = x.vtag;
	int rc = build_chunk(c, type, &f, &x, &b, &vtag, res);
	if (rc == TCL_OK) {
		Tcl_Obj *d = ctx_dict(&x, vtag);
		Tcl_DictObjPut(NULL, d, Tcl_NewStringObj("chunk", -1), Tcl_NewStringObj(tname, -1));
		/* merge what build_chunk noted */
		Tcl_DictSearch s;
		Tcl_Obj *k, *v;
		int done;
		Tcl_DictObjFirst(NULL, res, &s, &k, &v, &done);
		for (; !done; Tcl_DictObjNext(&s, &k, &v, &done))
			Tcl_DictObjPut(NULL, d, k, v);
		Tcl_IncrRefCount(d);
		rc = send_packet(c, &x, vtag, &b, 0, d, &au);
		if (rc == TCL_OK)
			Tcl_SetObjResult(c->ip, d);
		Tcl_DecrRefCount(d);
	}
	wire_buf_free(&b);
	auth_free(&au);
	Tcl_DecrRefCount(res);
	Tcl_DecrRefCount(fd);
	return rc;
}

/* ---- Tcl's own trace ------------------------------------------------------
 * The wire view's `trace` replaces Tcl's built-in command of that name
 * (tcltest and scripts use `trace add variable ...`); its subcommands are
 * passed to the built-in implementation, found in a scratch interpreter. */

static int tcl_trace(sh_call *c)
{
	static Tcl_CmdInfo builtin;
	static int have;
	if (!have) {
		Tcl_Interp *tmp = Tcl_CreateInterp();
		if (tmp && Tcl_GetCommandInfo(tmp, "trace", &builtin) && builtin.objProc)
			have = 1;
		if (tmp)
			Tcl_DeleteInterp(tmp);
		if (!have)
			return sh_err(c->ip, "internal", "Tcl's trace command is not available");
	}
	Tcl_Obj **objv = (Tcl_Obj **)ckalloc(sizeof(Tcl_Obj *) * (size_t)(c->npos + 2));
	objv[0] = Tcl_NewStringObj("trace", -1);
	objv[1] = Tcl_NewStringObj(c->cmd->name, -1);
	Tcl_IncrRefCount(objv[0]);
	Tcl_IncrRefCount(objv[1]);
	for (int i = 0; i < c->npos; i++)
		objv[i + 2] = c->pos[i];
	int rc = builtin.objProc(builtin.objClientData, c->ip, c->npos + 2, objv);
	Tcl_DecrRefCount(objv[0]);
	Tcl_DecrRefCount(objv[1]);
	ckfree(objv);
	return rc;
}

/* ---- table ------------------------------------------------------------- */

static const sh_opt on_opts[] = {
	{"--host", SH_OPT_LIST, "H", "trace this host (repeatable; default: the current host)"},
	{"--all", SH_OPT_FLAG, NULL, "trace every lab host"},
	{"--pcap", SH_OPT_STR, "FILE", "also write the packets to FILE (pcap, Ethernet)"},
	{"--udp-port", SH_OPT_INT, "N", "UDP port of SCTP over UDP, RFC 6951 (default 9899)"},
	{"--quiet", SH_OPT_FLAG, NULL, "do not print lines at the prompt (still collected and queued)"},
	{NULL},
};
static const sh_opt off_opts[] = {
	{"--host", SH_OPT_LIST, "H", "stop tracing only this host (repeatable)"},
	{NULL},
};
static const sh_opt wait_opts[] = {
	{"--timeout", SH_OPT_INT, "MS", "wait up to MS ms (default 5000; -1 forever)"},
	{"--host", SH_OPT_STR, "H", "only chunks sent by or to host H"},
	{"--from", SH_OPT_STR, "H", "only chunks sent by host H"},
	{"--to", SH_OPT_STR, "H", "only chunks sent to host H"},
	{"--where", SH_OPT_STR, "DICT", "only chunks whose fields have these values, e.g. {sid 1}"},
	{NULL},
};
static const sh_opt collect_opts[] = {
	{"--clear", SH_OPT_FLAG, NULL, "then forget them (and what trace wait has not taken)"},
	{"--type", SH_OPT_STR, "TYPE", "only chunks of TYPE"},
	{"--host", SH_OPT_STR, "H", "only chunks sent by or to host H"},
	{"--from", SH_OPT_STR, "H", "only chunks sent by host H"},
	{"--to", SH_OPT_STR, "H", "only chunks sent to host H"},
	{"--where", SH_OPT_STR, "DICT", "only chunks whose fields have these values"},
	{NULL},
};
static const sh_opt read_opts[] = {
	{"--udp-port", SH_OPT_INT, "N", "UDP port of SCTP over UDP, RFC 6951 (default 9899)"},
	{"--type", SH_OPT_STR, "TYPE", "only chunks of TYPE"},
	{"--where", SH_OPT_STR, "DICT", "only chunks whose fields have these values"},
	{"--lines", SH_OPT_FLAG, NULL, "one text line per chunk instead of dicts"},
	{NULL},
};

static const sh_cmd trace_subs[] = {
	{"on", "", "capture SCTP packets of hosts: one line per chunk, chunk events, optional pcap", on_opts, 0, 0,
	 trace_on, NULL,
	 "Each packet is shown once: outgoing frames of every traced host, incoming ones only from untraced senders. "
	 "Frames dropped by lab drop (host egress) are not seen. Run trace off before lab down: a capture keeps its "
	 "host's namespace alive."},
	{"off", "", "stop capturing (all hosts, or --host); closes the pcap when nothing is traced", off_opts, 0, 0,
	 trace_off},
	{"show", "", "what is traced, the pcap file and counters", NULL, 0, 0, trace_show},
	{"wait", "TYPE", "take the next traced chunk of TYPE (or any) not taken yet; its dict", wait_opts, 1, 1,
	 trace_wait},
	{"collect", "", "the chunk dicts seen so far (time, host, src, dst, sport, dport, vtag, type, fields...)",
	 collect_opts, 0, 0, trace_collect},
	{"read", "FILE", "decode a pcap/pcapng file offline: its chunk dicts (works without kernel SCTP)", read_opts,
	 1, 1, trace_read},
	{"add", "TYPE NAME OPS CMD", "Tcl's trace add (variable, command, execution traces)", NULL, 0, -1, tcl_trace},
	{"remove", "TYPE NAME OPS CMD", "Tcl's trace remove", NULL, 0, -1, tcl_trace},
	{"info", "TYPE NAME", "Tcl's trace info", NULL, 0, -1, tcl_trace},
	{"variable", "NAME OPS CMD", "Tcl's trace variable (deprecated form)", NULL, 0, -1, tcl_trace},
	{"vdelete", "NAME OPS CMD", "Tcl's trace vdelete (deprecated form)", NULL, 0, -1, tcl_trace},
	{"vinfo", "NAME", "Tcl's trace vinfo (deprecated form)", NULL, 0, -1, tcl_trace},
	{NULL},
};

#define ADDR_OPTS                                                                                      \
	{"--assoc", SH_OPT_INT, "ID", "an association of this host (addresses, ports, tags from the kernel)"}, \
	{"--socket", SH_OPT_STR, "S", "the socket holding --assoc (default: the current host's startup socket)"}, \
	{"--to", SH_OPT_STR, "ADDR", "this peer address instead of the primary path"},                       \
	{"--like", SH_OPT_STR, "HOST:ID", "pretend to be HOST on its association ID (sent from this host)"},  \
	{"--src", SH_OPT_STR, "ADDR:PORT", "source address (and port)"},                                      \
	{"--dst", SH_OPT_STR, "ADDR:PORT", "destination address (and port)"},                                 \
	{"--vtag", SH_OPT_STR, "N", "verification tag to write"},                                              \
	{"--unauthenticated", SH_OPT_FLAG, NULL, "send even where the peer requires AUTH (it will drop it)"}, \
	{"--no-udp", SH_OPT_FLAG, NULL, "plain SCTP even when net.sctp.encap_port is set"},                  \
	{"--dry-run", SH_OPT_FLAG, NULL, "build and show the packet, do not send it"},                         \
	{"--auth-key", SH_OPT_STR, "HEX", "endpoint pair shared key for AUTH (default: none, the null key)"},  \
	{"--key-id", SH_OPT_INT, "N", "shared key identifier for AUTH (default 0)"}

static const sh_opt fwd_opts[] = {
	ADDR_OPTS,
	{"--cum-tsn", SH_OPT_STR, "N|+K", "New Cumulative TSN (+K: K past the peer's last SACK in the trace)"},
	{"--stream", SH_OPT_LIST, "S:SSN", "stream S skipped up to SSN (repeatable)"},
	{"--force", SH_OPT_FLAG, NULL, "send even if the peer did not negotiate PR-SCTP"},
	{NULL},
};
static const sh_opt inject_opts[] = {
	ADDR_OPTS,
	{"--reply", SH_OPT_STR, "TYPE", "answer the latest traced TYPE chunk (addresses reversed)"},
	{"--raw", SH_OPT_STR, "HEX", "send this SCTP packet (common header + chunks) as given, CRC filled in"},
	{NULL},
};

const sh_cmd sh_cmds_trace[] = {
	{"trace", NULL, "the wire view: capture, print, wait on and decode SCTP chunks (pcap in and out)", NULL, 0, 0,
	 NULL, trace_subs,
	 "Chunk dicts: time host to iface src dst sport dport vtag crc type ctype chunk_flags length index, then the "
	 "chunk's fields (tsn sid ssn ppid cum_tsn gaps new_cum_tsn streams ...)."},
	{"forward-tsn", "", "craft an RFC 3758 FORWARD-TSN for a live association and inject it", fwd_opts, 0, 0,
	 cmd_forward_tsn, NULL,
	 "Ports, addresses and the peer's verification tag from the kernel (sock_diag); refuses when the peer "
	 "requires FORWARD-TSN to be authenticated."},
	{"inject", "?CHUNK? ?FIELD VALUE ...?",
	 "craft a chunk (DATA SACK HEARTBEAT HEARTBEAT-ACK ABORT ERROR SHUTDOWN* FORWARD-TSN ASCONF ...) and send it",
	 inject_opts, 0, -1, cmd_inject, NULL,
	 "Fields: DATA tsn sid ssn ppid flags data|hex; SACK cum_tsn a_rwnd gaps {{s e}} dups; HEARTBEAT(-ACK) info "
	 "(HEARTBEAT-ACK echoes the traced HEARTBEAT by default); ABORT t cause info; ASCONF serial address add del "
	 "primary; FORWARD-TSN new_cum_tsn streams {{sid ssn}}; I-FORWARD-TSN new_cum_tsn streams {{sid u mid}}; "
	 "other types: hex flags. Chunks the peer wants authenticated are signed (AUTH) with the key computed "
	 "from the traced INIT/INIT-ACK, or refused."},
	{NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL},
};
