/* Bulk traffic: `bulk send` loads an association with N messages (or for D
 * seconds) in one C loop, and `bulk sink` makes a socket receive-and-discard,
 * counting per stream, so sctpsh can be the load while a person watches the
 * association (a failover under traffic, a FORWARD-TSN under load).
 *
 * Why in C: a Tcl loop of `send` costs a command dispatch, a dict and a
 * queue item per message; here a message costs one sendmsg, and at a sink
 * one recvmsg. Sender and sink may live in the same sctpsh (hosts A and B of
 * the lab): the send loop then reads the sinks itself whenever the send
 * buffer is full, so the receiver's window opens again and nothing
 * deadlocks. Every wait honours --timeout (no progress for MS ms) and Ctrl-C,
 * and the Tcl event loop keeps running (other sockets' arrivals, trace). */
#include "sctpsh.h"
#include "kern/kconn.h"
#include "kern/ksock.h"
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* cmds/sock.c */
int sockc_assoc(sh_call *c, sh_sock *k, int *id, struct sctp_status *st);

#define BULK_STREAMS 64           /* per-stream counts for streams 0..63, the rest as "other" */
#define BULK_MAX_SIZE (1 << 20)   /* a message of up to 1 MiB */
#define BULK_RCVBUF (64 * 1024)   /* larger messages arrive in pieces (no MSG_EOR) */

typedef struct bulk_sink {
	Tcl_WideInt msgs, bytes, notifs;
	Tcl_WideInt per_stream[BULK_STREAMS + 1];
	double since, first, last; /* CLOCK_MONOTONIC s: sink on, first and last message */
} bulk_sink;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Called by sh_sock_pump (shell/session.c) for a socket with a sink: data
 * counted and dropped, notifications queued as usual (wait still sees them).
 * Returns the number of pieces read. */
int sh_sink_pump(sh_sock *k)
{
	static unsigned char *buf;
	bulk_sink *sk = k->sink;
	int got = 0;
	if (!sk || (!buf && !(buf = malloc(BULK_RCVBUF))))
		return 0;
	for (; k->fd >= 0 && got < 4096; got++) {
		k_rcv r;
		int n = k_recv(k->fd, buf, BULK_RCVBUF, &r);
		if (n < 0)
			break; /* EAGAIN, or an error the next call reports */
		if (r.is_notif) {
			int type, assoc;
			Tcl_Obj *d = sh_notif_dict(buf, (size_t)n, &type, &assoc);
			sh_queue_push(k->sess, k, 1, type, assoc, d);
			sk->notifs++;
			continue;
		}
		sk->bytes += n;
		if (!r.eor) /* a piece of a larger message: counted once its end arrives */
			continue;
		sk->msgs++;
		unsigned sid = r.have_rcvinfo ? r.ri.rcv_sid : 0;
		sk->per_stream[sid < BULK_STREAMS ? sid : BULK_STREAMS]++;
		sk->last = now_s();
		if (!sk->first)
			sk->first = sk->last;
	}
	return got;
}

static Tcl_Obj *per_stream_dict(const Tcl_WideInt *cnt)
{
	Tcl_Obj *d = Tcl_NewDictObj();
	for (int i = 0; i <= BULK_STREAMS; i++)
		if (cnt[i])
			Tcl_DictObjPut(NULL, d, i < BULK_STREAMS ? Tcl_NewIntObj(i) : Tcl_NewStringObj("other", -1),
				       Tcl_NewWideIntObj(cnt[i]));
	return d;
}

static Tcl_Obj *rate_result(Tcl_WideInt msgs, Tcl_WideInt bytes, double secs, const Tcl_WideInt *ps)
{
	Tcl_Obj *d = Tcl_NewDictObj();
#define P(k, v) Tcl_DictObjPut(NULL, d, Tcl_NewStringObj(k, -1), v)
	P("messages", Tcl_NewWideIntObj(msgs));
	P("bytes", Tcl_NewWideIntObj(bytes));
	P("seconds", Tcl_NewDoubleObj(secs));
	P("mbps", Tcl_NewDoubleObj(secs > 0 ? (double)bytes / secs / 1e6 : 0)); /* MB/s, 10^6 bytes */
	P("msgs_per_s", Tcl_NewDoubleObj(secs > 0 ? (double)msgs / secs : 0));
	P("per_stream", per_stream_dict(ps));
#undef P
	return d;
}

static int sock_ok(sh_call *c, sh_sock **out)
{
	if (sh_sock_resolve(c, out) != TCL_OK)
		return TCL_ERROR;
	if ((*out)->fd < 0)
		return sh_err(c->ip, "closed", "socket %s is closed", (*out)->name);
	return TCL_OK;
}

/* ---- bulk sink on|off|stats ------------------------------------------ */

static const sh_opt sink_opts[] = {
	{"--socket", SH_OPT_STR, "S", "the socket (default: the current host's startup socket)"},
	{NULL, 0, NULL, NULL},
};

/* seconds: from the first to the last message counted (the receiving rate) */
static Tcl_Obj *sink_result(sh_sock *k, int on)
{
	bulk_sink *sk = k->sink;
	Tcl_Obj *d = rate_result(sk->msgs, sk->bytes, sk->msgs > 1 ? sk->last - sk->first : 0, sk->per_stream);
	Tcl_DictObjPut(NULL, d, Tcl_NewStringObj("socket", -1), Tcl_NewStringObj(k->name, -1));
	Tcl_DictObjPut(NULL, d, Tcl_NewStringObj("events", -1), Tcl_NewWideIntObj(sk->notifs));
	Tcl_DictObjPut(NULL, d, Tcl_NewStringObj("sink", -1), Tcl_NewStringObj(on ? "on" : "off", -1));
	return d;
}

static int cmd_bulk_sink(sh_call *c)
{
	static const char *const what[] = {"on", "off", "stats", NULL};
	enum { ON, OFF, STATS };
	int w;
	if (Tcl_GetIndexFromObj(c->ip, c->pos[0], what, "action", 0, &w) != TCL_OK) {
		Tcl_SetErrorCode(c->ip, "SCTPSH", "usage", "sink", NULL);
		return TCL_ERROR;
	}
	sh_sock *k;
	if (sock_ok(c, &k) != TCL_OK)
		return TCL_ERROR;
	if (w == ON) {
		/* on again: the counts start over */
		if (!k->sink && !(k->sink = calloc(1, sizeof(bulk_sink))))
			return sh_err(c->ip, "nomem", "bulk sink: out of memory");
		memset(k->sink, 0, sizeof(bulk_sink));
		((bulk_sink *)k->sink)->since = now_s();
		sh_sock_pump(c->s, k); /* what is waiting already is counted too */
		Tcl_SetObjResult(c->ip, sink_result(k, 1));
		return TCL_OK;
	}
	if (!k->sink)
		return sh_err(c->ip, "state", "bulk sink %s: socket %s is not a sink (bulk sink on --socket %s)",
			      what[w], k->name, k->name);
	sh_sock_pump(c->s, k);
	Tcl_SetObjResult(c->ip, sink_result(k, w != OFF));
	if (w == OFF) {
		free(k->sink);
		k->sink = NULL;
	}
	return TCL_OK;
}

/* ---- bulk send ------------------------------------------------------- */

static const sh_opt send_opts[] = {
	{"--socket", SH_OPT_STR, "S", "the socket (default: the current host's startup socket)"},
	{"--assoc", SH_OPT_INT, "ID", "the association (default: the socket's only one)"},
	{"--count", SH_OPT_INT, "N", "send N messages"},
	{"--seconds", SH_OPT_STR, "D", "send for D seconds (a number; with --count: whichever ends first)"},
	{"--size", SH_OPT_INT, "B", "message size in bytes (default 1000)"},
	{"--streams", SH_OPT_INT, "K", "round-robin over streams 0..K-1 (default 1)"},
	{"--ppid", SH_OPT_INT, "N", "payload protocol identifier (default 0)"},
	{"--unordered", SH_OPT_FLAG, NULL, "unordered delivery (U bit)"},
	{"--ttl", SH_OPT_INT, "MS", "PR-SCTP: abandon each message after MS ms (RFC 3758, SCTP_PR_SCTP_TTL)"},
	{"--rtx", SH_OPT_INT, "N", "PR-SCTP: abandon after N retransmissions (SCTP_PR_SCTP_RTX)"},
	{"--timeout", SH_OPT_INT, "MS", "fail when no message could be queued for MS ms (default 10000)"},
	{NULL, 0, NULL, NULL},
};

static int wide_opt(sh_call *c, const char *name, Tcl_WideInt def, Tcl_WideInt lo, Tcl_WideInt hi,
		    Tcl_WideInt *out)
{
	sh_optval *v = sh_opt_get(c, name);
	*out = v->set ? v->i : def;
	if (*out < lo || *out > hi)
		return sh_err(c->ip, "badvalue", "bulk send: %s %lld is out of range (%lld..%lld)", name,
			      (long long)*out, (long long)lo, (long long)hi);
	return TCL_OK;
}

/* Is k still a socket of the session? A Tcl event run meanwhile may close it. */
static int alive(sh_session *s, sh_sock *k, int fd)
{
	for (int i = 0; i < SH_MAX_SOCKS; i++)
		if (s->socks[i] == k)
			return k->fd == fd;
	return 0;
}

static void pump_sinks(sh_session *s)
{
	for (int i = 0; i < SH_MAX_SOCKS; i++)
		if (s->socks[i] && s->socks[i]->sink && s->socks[i]->fd >= 0)
			sh_sink_pump(s->socks[i]);
}

/* Run what the Tcl event loop has ready (file handlers of other sockets,
 * trace's capture, timers), without waiting. */
static void run_events(void)
{
	for (int i = 0; i < 256 && Tcl_DoOneEvent(TCL_ALL_EVENTS | TCL_DONT_WAIT); i++)
		;
}

static int cmd_bulk_send(sh_call *c)
{
	sh_sock *k;
	Tcl_WideInt count, size, streams, ppid, timeout, ttl, rtx;
	double secs = 0;
	if (sock_ok(c, &k) != TCL_OK)
		return TCL_ERROR;
	sh_optval *sv = sh_opt_get(c, "--seconds");
	if (!sh_opt_isset(c, "--count") && !sv->set)
		return sh_err(c->ip, "usage", "bulk send: say how much: --count N or --seconds D");
	if (wide_opt(c, "--count", 1, 1, (Tcl_WideInt)1 << 40, &count) != TCL_OK)
		return TCL_ERROR;
	if (!sh_opt_isset(c, "--count"))
		count = 0; /* until --seconds ends */
	if (sv->set && (Tcl_GetDoubleFromObj(NULL, sv->obj, &secs) != TCL_OK || !(secs > 0 && secs <= 86400)))
		return sh_err(c->ip, "badvalue", "bulk send: --seconds expects a number of seconds in (0, 86400], got \"%s\"",
			      sv->s);
	if (wide_opt(c, "--size", 1000, 1, BULK_MAX_SIZE, &size) != TCL_OK ||
	    wide_opt(c, "--streams", 1, 1, 65535, &streams) != TCL_OK ||
	    wide_opt(c, "--ppid", 0, 0, 0xffffffffLL, &ppid) != TCL_OK ||
	    wide_opt(c, "--timeout", 10000, 1, 86400000, &timeout) != TCL_OK ||
	    wide_opt(c, "--ttl", 0, 0, 0xffffffffLL, &ttl) != TCL_OK ||
	    wide_opt(c, "--rtx", 0, 0, 0xffffffffLL, &rtx) != TCL_OK)
		return TCL_ERROR;
	if (sh_opt_isset(c, "--ttl") && sh_opt_isset(c, "--rtx"))
		return sh_err(c->ip, "usage", "bulk send: one PR-SCTP policy: --ttl or --rtx");
	int id = 0;
	struct sctp_status st;
	if (sockc_assoc(c, k, &id, &st) != TCL_OK)
		return TCL_ERROR;
	if (streams > st.sstat_outstrms)
		return sh_err(c->ip, "badvalue", "bulk send: --streams %lld but association %d has %u outbound streams "
			      "(ask for more with: connect --streams N)", (long long)streams, id, st.sstat_outstrms);
	kc_send p;
	memset(&p, 0, sizeof p);
	p.assoc = id;
	p.ppid = (uint32_t)ppid;
	p.flags = sh_opt_isset(c, "--unordered") ? SCTP_UNORDERED : 0;
	if (sh_opt_isset(c, "--ttl")) {
		p.pr_policy = SCTP_PR_SCTP_TTL;
		p.pr_value = (uint32_t)ttl;
	} else if (sh_opt_isset(c, "--rtx")) {
		p.pr_policy = SCTP_PR_SCTP_RTX;
		p.pr_value = (uint32_t)rtx;
	}
	unsigned char *buf = malloc((size_t)size);
	if (!buf)
		return sh_err(c->ip, "nomem", "bulk send: out of memory for a %lld-byte message", (long long)size);
	for (Tcl_WideInt i = 0; i < size; i++)
		buf[i] = (unsigned char)('a' + i % 26);

	sh_session *s = c->s;
	int fd = k->fd;
	Tcl_WideInt per_stream[BULK_STREAMS + 1] = {0}, msgs = 0, bytes = 0;
	double t0 = now_s(), end = secs > 0 ? t0 + secs : 0, last_ok = t0, next_events = t0 + 0.05,
	       next_progress = t0 + 1;
	int progress = s->interactive && isatty(2), rc = TCL_OK;
	uint16_t sid = 0;
	while (!count || msgs < count) {
		double now = now_s();
		if (end && now >= end)
			break;
		if (sh_interrupted) { /* left set: the REPL clears it before the next command */
			rc = sh_err(c->ip, "interrupted", "bulk send: interrupted after %lld messages", (long long)msgs);
			break;
		}
		p.sid = sid;
		int n = kc_sendv(fd, buf, (size_t)size, NULL, &p);
		if (n >= 0) {
			per_stream[sid < BULK_STREAMS ? sid : BULK_STREAMS]++;
			msgs++;
			bytes += size;
			last_ok = now;
			sid = (uint16_t)((sid + 1) % streams);
			/* a sink in this shell is read often, so its window stays open */
			if ((msgs & 15) == 0)
				pump_sinks(s);
		} else if (n == -EAGAIN || n == -EWOULDBLOCK || n == -ENOBUFS) {
			/* send buffer full: read the sinks, wait for room or for their data */
			pump_sinks(s);
			if ((now - last_ok) * 1000 >= (double)timeout) {
				rc = sh_err(c->ip, "timeout", "bulk send: no room in the send buffer for %lld ms after "
					    "%lld messages (EAGAIN; is the peer reading? see: bulk sink)",
					    (long long)timeout, (long long)msgs);
				break;
			}
			struct pollfd pf[SH_MAX_SOCKS + 1];
			nfds_t np = 0;
			pf[np++] = (struct pollfd){.fd = fd, .events = POLLOUT};
			for (int i = 0; i < SH_MAX_SOCKS; i++)
				if (s->socks[i] && s->socks[i]->sink && s->socks[i]->fd >= 0)
					pf[np++] = (struct pollfd){.fd = s->socks[i]->fd, .events = POLLIN};
			/* a short slice: Ctrl-C (EINTR or the flag), the deadlines and the event loop */
			if (poll(pf, np, 20) > 0)
				pump_sinks(s);
		} else {
			char call[160];
			snprintf(call, sizeof call, "bulk send: sctp_sendv(%lld bytes, assoc %d, stream %u) after %lld messages",
				 (long long)size, id, sid, (long long)msgs);
			rc = sh_err_errno(c->ip, call, n);
			if (n == -EMSGSIZE)
				Tcl_AppendResult(c->ip, ": the message is larger than the socket's send buffer (SO_SNDBUF)",
						 NULL);
			break;
		}
		if (now >= next_events) {
			run_events();
			if (!alive(s, k, fd)) {
				rc = sh_err(c->ip, "closed", "bulk send: the socket was closed after %lld messages",
					    (long long)msgs);
				break;
			}
			next_events = now + 0.05;
		}
		if (progress && now >= next_progress) {
			fprintf(stderr, "\rbulk send: %lld messages, %.1f MB/s   ", (long long)msgs,
				(double)bytes / (now - t0) / 1e6);
			next_progress = now + 1;
		}
	}
	double t1 = now_s();
	if (progress)
		fprintf(stderr, "\r%50s\r", "");
	free(buf);
	pump_sinks(s);
	if (rc != TCL_OK)
		return rc;
	Tcl_Obj *d = rate_result(msgs, bytes, t1 - t0, per_stream);
	Tcl_DictObjPut(NULL, d, Tcl_NewStringObj("assoc", -1), Tcl_NewIntObj(id));
	Tcl_SetObjResult(c->ip, d);
	return TCL_OK;
}

#define BULK_FIELDS "messages:n bytes:n seconds:n mbps:n msgs_per_s:n per_stream.*:n assoc:n events:n " \
		    "socket:s sink:s"

static const sh_cmd bulk_subs[] = {
	{"send", "", "send N messages (or for D seconds) in one C loop; returns messages, bytes, seconds, mbps, per_stream",
	 send_opts, 0, 0, cmd_bulk_send, NULL,
	 "Messages go round-robin over streams 0..K-1 (--streams). seconds is the time to queue them all "
	 "in the kernel; mbps is MB/s (10^6 bytes). When the send buffer is full the loop reads every "
	 "sink of this shell (bulk sink on), so sender and receiver can share one sctpsh. No room for "
	 "--timeout ms is a {SCTPSH timeout} error; Ctrl-C stops it ({SCTPSH interrupted}).",
	 BULK_FIELDS},
	{"sink", "on|off|stats", "receive-and-discard on a socket, counting messages per stream", sink_opts, 1, 1,
	 cmd_bulk_sink, NULL,
	 "on: data arriving on the socket is counted and dropped instead of queued for recv "
	 "(notifications are still queued for wait); on again starts the counts over. stats: the counts "
	 "so far (seconds: first to last message). off: the final counts, and recv gets data again.",
	 BULK_FIELDS},
	{NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL},
};

const sh_cmd sh_cmds_bulk[] = {
	{"bulk", "", "bulk traffic from C: load an association (send), discard it at the peer (sink)", NULL, 0, 0,
	 NULL, bulk_subs, NULL, NULL},
	{NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
