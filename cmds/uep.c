/* uep: user-space SCTP endpoints (shell/engine) on a lab host, on the wire
 * over UDP encapsulation (RFC 6951, shell/uep/udp.c), driven by the Tcl
 * event loop: a file handler per UDP socket and one timer for the engine's
 * next deadline.  Same options and result dicts as the kernel commands
 * (send/recv/wait/status), so a script can swap one peer for the other.
 * Everything the engine delivers is queued per endpoint at once (events as
 * wait dicts, messages as recv dicts), so nothing is seen twice or lost. */
#define _GNU_SOURCE
#include "cmds.h"
#include "engine/engine.h"
#include "uep/udp.h"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UEP_MAX 32
#define UEP_QUEUE_MAX 20000
#define UEP_MSG_MAX (256 * 1024)

enum { K_DATA, K_ASSOC, K_PADDR, K_SENDFAILED, K_REMOTEERR, K_SHUTDOWN };

typedef struct uep_item {
	struct uep_item *next;
	int kind;
	uint32_t assoc;
	int astate;            /* K_ASSOC: the SCE_EV_* it came from */
	Tcl_Obj *dict;
} uep_item;

typedef struct uep {
	char name[16];
	char host[32];
	sh_session *s;
	struct uep_udp u;
	struct sce_endpoint *ep;
	Tcl_TimerToken timer;
	uint64_t timer_at;
	uep_item *qh, *qt;
	int qlen;
	unsigned long dropped;
	uint16_t port;
	int listen;
} uep;

static uep *ueps[UEP_MAX];
static int uep_next;

static void drive(uep *e);

static void q_push(uep *e, int kind, uint32_t assoc, int astate, Tcl_Obj *d)
{
	uep_item *it = (uep_item *)ckalloc(sizeof *it);
	it->next = NULL;
	it->kind = kind;
	it->assoc = assoc;
	it->astate = astate;
	it->dict = d;
	Tcl_IncrRefCount(d);
	if (e->qt)
		e->qt->next = it;
	else
		e->qh = it;
	e->qt = it;
	if (++e->qlen > UEP_QUEUE_MAX) { /* bound memory: drop the oldest */
		uep_item *o = e->qh;
		e->qh = o->next;
		Tcl_DecrRefCount(o->dict);
		ckfree(o);
		e->qlen--;
		e->dropped++;
	}
}

static void q_free(uep *e)
{
	for (uep_item *it = e->qh, *n; it; it = n) {
		n = it->next;
		Tcl_DecrRefCount(it->dict);
		ckfree(it);
	}
	e->qh = e->qt = NULL;
	e->qlen = 0;
}

static const char *ev_state(int t)
{
	switch (t) {
	case SCE_EV_COMM_UP: return "comm-up";
	case SCE_EV_COMM_LOST: return "comm-lost";
	case SCE_EV_RESTART: return "restart";
	case SCE_EV_SHUTDOWN_COMPLETE: return "shutdown-comp";
	case SCE_EV_CANT_START: return "cant-str-assoc";
	}
	return "unknown";
}

static const char *addr_state(enum sce_addr_state s)
{
	switch (s) {
	case SCE_ADDR_AVAILABLE: return "available";
	case SCE_ADDR_UNREACHABLE: return "unreachable";
	case SCE_ADDR_CONFIRMED: return "confirmed";
	case SCE_ADDR_MADE_PRIM: return "made-primary";
	}
	return "unknown";
}

/* The peer address messages are credited to: the engine does not report
 * which path a message came in on, so the association's primary path. */
static Tcl_Obj *primary_addr(uep *e, uint32_t id)
{
	struct sce_status st;
	if (sce_status(e->ep, id, &st) == 0)
		for (size_t i = 0; i < st.npaths; i++)
			if (st.paths[i].primary)
				return sh_addr_obj((struct sockaddr *)&st.paths[i].addr);
	return Tcl_NewStringObj("", 0);
}

static void take_messages(uep *e, uint32_t id, uint64_t now)
{
	static uint8_t *buf;
	if (!buf && !(buf = malloc(UEP_MSG_MAX)))
		return;
	for (;;) {
		struct sce_rcvinfo ri;
		ssize_t n = sce_recv(e->ep, id, &ri, buf, UEP_MSG_MAX, now);
		if (n < 0)
			return;
		size_t len = (size_t)n > UEP_MSG_MAX ? UEP_MSG_MAX : (size_t)n;
		Tcl_Obj *d = Tcl_NewDictObj();
		PUTI(d, "assoc", id);
		PUTI(d, "stream", ri.sid);
		PUTI(d, "ssn", ri.ssn);
		PUTI(d, "tsn", ri.tsn);
		PUTI(d, "ppid", ri.ppid);
		PUT(d, "from", primary_addr(e, id));
		Tcl_Obj *fl = sh_list();
		if (ri.unordered)
			Tcl_ListObjAppendElement(NULL, fl, Tcl_NewStringObj("unordered", -1));
		if ((size_t)n > len)
			Tcl_ListObjAppendElement(NULL, fl, Tcl_NewStringObj("truncated", -1));
		PUT(d, "flags", fl);
		PUTI(d, "size", n);
		PUT(d, "data", Tcl_NewByteArrayObj(buf, (Tcl_Size)len));
		q_push(e, K_DATA, id, 0, d);
	}
}

static void take_events(uep *e, uint64_t now)
{
	struct sce_event ev;
	while (sce_pop_event(e->ep, &ev)) {
		Tcl_Obj *d = Tcl_NewDictObj();
		int kind;
		switch (ev.type) {
		case SCE_EV_DATA:
			Tcl_DecrRefCount(d);
			take_messages(e, ev.assoc_id, now);
			continue;
		case SCE_EV_COMM_UP: case SCE_EV_COMM_LOST: case SCE_EV_RESTART:
		case SCE_EV_SHUTDOWN_COMPLETE: case SCE_EV_CANT_START: {
			struct sce_status st;
			kind = K_ASSOC;
			PUTS(d, "event", "assoc-change");
			PUTI(d, "assoc", ev.assoc_id);
			PUTS(d, "state", ev_state(ev.type));
			PUTI(d, "error", ev.error);
			if (sce_status(e->ep, ev.assoc_id, &st) == 0) {
				PUTI(d, "outstreams", st.os);
				PUTI(d, "instreams", st.is);
			}
			break;
		}
		case SCE_EV_PEER_ADDR_CHANGE:
			kind = K_PADDR;
			PUTS(d, "event", "peer-addr-change");
			PUTI(d, "assoc", ev.assoc_id);
			PUT(d, "addr", sh_addr_obj((struct sockaddr *)&ev.addr));
			PUTS(d, "state", addr_state(ev.addr_state));
			PUTI(d, "error", ev.error);
			break;
		case SCE_EV_SEND_FAILED:
			kind = K_SENDFAILED;
			PUTS(d, "event", "send-failed");
			PUTI(d, "assoc", ev.assoc_id);
			PUTI(d, "error", ev.error);
			PUTI(d, "stream", ev.sid);
			PUTI(d, "size", ev.len);
			break;
		case SCE_EV_REMOTE_ERROR:
			kind = K_REMOTEERR;
			PUTS(d, "event", "remote-error");
			PUTI(d, "assoc", ev.assoc_id);
			PUTI(d, "cause", ev.error);
			break;
		case SCE_EV_SHUTDOWN_EVENT:
			kind = K_SHUTDOWN;
			PUTS(d, "event", "shutdown");
			PUTI(d, "assoc", ev.assoc_id);
			break;
		default:
			Tcl_DecrRefCount(d);
			continue;
		}
		q_push(e, kind, ev.assoc_id, (int)ev.type, d);
		if (e->s->interactive) {
			Tcl_Obj *line = Tcl_ObjPrintf("[%s %s] ", e->host, e->name);
			Tcl_AppendObjToObj(line, d);
			Tcl_IncrRefCount(line);
			sh_print_async(e->s, Tcl_GetString(line));
			Tcl_DecrRefCount(line);
		}
	}
}

static void on_timer(ClientData cd)
{
	uep *e = cd;
	e->timer = NULL;
	sce_on_timer(e->ep, uep_now_ms());
	drive(e);
}

static void on_readable(ClientData cd, int mask)
{
	(void)mask;
	uep *e = cd;
	uint64_t now = uep_now_ms();
	for (int i = 0; i < 2; i++)
		if (e->u.fd[i] >= 0)
			uep_udp_read(&e->u, e->u.fd[i], now);
	drive(e);
}

/* After every input to the engine: send what it queued, take its events,
 * and re-arm the one timer at its next deadline (I/O contract, engine.h). */
static void drive(uep *e)
{
	uint64_t now = uep_now_ms();
	/* a due deadline first, so a timer never starves behind a busy socket */
	if (sce_next_deadline(e->ep) <= now)
		sce_on_timer(e->ep, now);
	uep_udp_flush(&e->u);
	take_events(e, now);
	uep_udp_flush(&e->u); /* sce_recv may have opened the window: SACK */
	uint64_t dl = sce_next_deadline(e->ep);
	if (e->timer && dl != e->timer_at) {
		Tcl_DeleteTimerHandler(e->timer);
		e->timer = NULL;
	}
	if (!e->timer && dl != SCE_NEVER) {
		uint64_t ms = dl > now ? dl - now : 0;
		e->timer_at = dl;
		e->timer = Tcl_CreateTimerHandler((int)(ms > 3600000 ? 3600000 : ms), on_timer, e);
	}
}

/* ---- lookup and blocking ---------------------------------------------- */

static uep *find(const char *name)
{
	for (int i = 0; i < UEP_MAX; i++)
		if (ueps[i] && !strcmp(ueps[i]->name, name))
			return ueps[i];
	return NULL;
}

static int get_uep(sh_call *c, uep **out)
{
	const char *n = Tcl_GetString(c->pos[0]);
	if (!(*out = find(n)))
		return sh_err(c->ip, "nosocket", "no user-space endpoint named \"%s\" (see: uep list)", n);
	return TCL_OK;
}

static long get_timeout(sh_call *c, long def)
{
	sh_optval *v = sh_opt_get(c, "--timeout");
	return v && v->set ? (long)v->i : def;
}

static int check_stream(sh_call *c, int *sid)
{
	sh_optval *v = sh_opt_get(c, "--stream");
	*sid = 0;
	if (v && v->set) {
		if (v->i < 0 || v->i > 65535)
			return sh_err(c->ip, "badvalue", "--stream expects 0..65535, got %s", v->s);
		*sid = (int)v->i;
	}
	return TCL_OK;
}

/* The association of --assoc, else the endpoint's only one. */
static int pick_assoc(sh_call *c, uep *e, uint32_t *id)
{
	int a;
	if (sh_get_assoc(c, &a) != TCL_OK)
		return TCL_ERROR;
	struct sce_status st;
	if (a) {
		if (sce_status(e->ep, (uint32_t)a, &st) != 0)
			return sh_err(c->ip, "noassoc", "no association %d on %s (see: uep status %s)", a, e->name,
				      e->name);
		*id = (uint32_t)a;
		return TCL_OK;
	}
	uint32_t ids[64];
	size_t n = sce_assoc_ids(e->ep, ids, 64), live = 0;
	for (size_t i = 0; i < n && i < 64; i++)
		if (sce_status(e->ep, ids[i], &st) == 0 && st.state != SCE_CLOSED) {
			*id = ids[i];
			live++;
		}
	if (live == 1)
		return TCL_OK;
	if (!live && n == 1) { /* only a closed one: still queryable */
		*id = ids[0];
		return TCL_OK;
	}
	if (!live)
		return sh_err(c->ip, "noassoc", "%s has no association (uep connect, or wait for one)", e->name);
	return sh_err(c->ip, "ambiguous", "%s has %zu associations: choose one with --assoc", e->name, live);
}

/* Take the first queued item matching (kinds mask, assoc or 0, astate or 0),
 * running the event loop up to timeout_ms (-1 forever); Ctrl-C ends it. */
static int take(sh_call *c, uep *e, unsigned kinds, uint32_t assoc, int astate, long timeout_ms,
		const char *what, Tcl_Obj **out)
{
	Tcl_Time t0, now;
	Tcl_GetTime(&t0);
	for (;;) {
		uep_item *prev = NULL;
		for (uep_item *it = e->qh; it; prev = it, it = it->next) {
			if (!(kinds & (1u << it->kind)) || (assoc && it->assoc != assoc) ||
			    (astate && it->astate != astate))
				continue;
			if (prev)
				prev->next = it->next;
			else
				e->qh = it->next;
			if (e->qt == it)
				e->qt = prev;
			e->qlen--;
			*out = it->dict;
			ckfree(it);
			return TCL_OK;
		}
		Tcl_GetTime(&now);
		long el = (long)((now.sec - t0.sec) * 1000 + (now.usec - t0.usec) / 1000);
		if (timeout_ms >= 0 && el >= timeout_ms)
			return sh_err(c->ip, "timeout", "timeout: no %s on %s within %ld ms", what, e->name, timeout_ms);
		long slice = timeout_ms < 0 ? 100 : timeout_ms - el;
		if (slice > 100)
			slice = 100;
		if (sh_wait_events(c->s, c->ip, slice, NULL) != TCL_OK)
			return TCL_ERROR;
		if (!find(c->npos ? Tcl_GetString(c->pos[0]) : "") )
			return sh_err(c->ip, "closed", "endpoint closed while waiting");
	}
}

/* ---- verbs ---------------------------------------------------------------- */

static void uep_destroy(uep *e)
{
	for (int i = 0; i < UEP_MAX; i++)
		if (ueps[i] == e)
			ueps[i] = NULL;
	if (e->timer)
		Tcl_DeleteTimerHandler(e->timer);
	for (int i = 0; i < 2; i++)
		if (e->u.fd[i] >= 0)
			Tcl_DeleteFileHandler(e->u.fd[i]);
	uep_udp_close(&e->u);
	if (e->ep)
		sce_ep_free(e->ep);
	q_free(e);
	ckfree(e);
}

static int get_port(sh_call *c, const char *opt, int def, int *out)
{
	sh_optval *v = sh_opt_get(c, opt);
	*out = def;
	if (v && v->set) {
		if (v->i < 1 || v->i > 65535)
			return sh_err(c->ip, "badvalue", "%s expects a port 1..65535, got %s", opt, v->s);
		*out = (int)v->i;
	}
	return TCL_OK;
}

static int cmd_create(sh_call *c)
{
	sh_session *s = c->s;
	sh_optval *hv = sh_opt_get(c, "--host"), *av = sh_opt_get(c, "--addr");
	sh_host *h = hv->set ? sh_host_find(s, hv->s) : sh_cur_host(s);
	if (!h)
		return sh_err(c->ip, "nohost", "no host named \"%s\" (lab up makes A, B, C)", hv->s);
	int port, uport;
	if (get_port(c, "--port", SH_DEFAULT_PORT, &port) != TCL_OK ||
	    get_port(c, "--udp-port", UEP_DEFAULT_UDP_PORT, &uport) != TCL_OK)
		return TCL_ERROR;
	int slot = -1;
	for (int i = 0; i < UEP_MAX && slot < 0; i++)
		if (!ueps[i])
			slot = i;
	if (slot < 0)
		return sh_err(c->ip, "nomem", "too many user-space endpoints (at most %d; uep close one)", UEP_MAX);
	struct sockaddr_storage addrs[SCE_MAX_LADDRS];
	int n = 0;
	if (av->set) {
		Tcl_Size nl;
		Tcl_Obj **l;
		Tcl_ListObjGetElements(NULL, av->obj, &nl, &l);
		if (nl > SCE_MAX_LADDRS)
			return sh_err(c->ip, "badvalue", "at most %d --addr", SCE_MAX_LADDRS);
		for (Tcl_Size i = 0; i < nl; i++)
			if (sh_get_addr(c->ip, l[i], 0, &addrs[n++]) != TCL_OK)
				return TCL_ERROR;
	}
	int e = sh_in_netns(s, h);
	if (e < 0)
		return sh_err_errno(c->ip, "setns", -e);
	uep *u = (uep *)ckalloc(sizeof *u);
	memset(u, 0, sizeof *u);
	u->u.fd[0] = u->u.fd[1] = -1;
	if (!av->set) {
		n = uep_local_addrs(addrs, SCE_MAX_LADDRS);
		if (n <= 0) {
			sh_back_netns(s);
			ckfree(u);
			if (n < 0)
				return sh_err_errno(c->ip, "getifaddrs", -n);
			return sh_err(c->ip, "badaddr", "host %s has no address to bind (is the lab up?)", h->name);
		}
	}
	e = uep_udp_open(&u->u, addrs, (size_t)n, (uint16_t)uport, (uint16_t)uport);
	sh_back_netns(s);
	if (e < 0) {
		ckfree(u);
		char what[160];
		snprintf(what, sizeof what, "bind UDP port %d on host %s%s", uport, h->name,
			 e == -EADDRINUSE ? " (the kernel's SCTP listens there when net.sctp.udp_port is set)" : "");
		return sh_err_errno(c->ip, what, -e);
	}
	struct sce_config cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.port = (uint16_t)port;
	memcpy(cfg.laddrs, addrs, sizeof addrs[0] * (size_t)n);
	cfg.nladdrs = (size_t)n;
	cfg.random = uep_random;
	cfg.encap_overhead = 8; /* the UDP header (RFC 6951 §5.6) */
	cfg.listen = sh_opt_isset(c, "--listen");
	if (!(u->ep = sce_ep_new(&cfg))) {
		uep_udp_close(&u->u);
		ckfree(u);
		return sh_err(c->ip, "nomem", "uep create: the engine refused the configuration");
	}
	u->u.ep = u->ep;
	u->s = s;
	u->port = (uint16_t)port;
	u->listen = cfg.listen;
	snprintf(u->name, sizeof u->name, "u%d", uep_next++);
	snprintf(u->host, sizeof u->host, "%s", h->name);
	ueps[slot] = u;
	for (int i = 0; i < 2; i++)
		if (u->u.fd[i] >= 0)
			Tcl_CreateFileHandler(u->u.fd[i], TCL_READABLE, on_readable, u);
	Tcl_SetObjResult(c->ip, Tcl_NewStringObj(u->name, -1));
	return TCL_OK;
}

static int cmd_connect(sh_call *c)
{
	uep *e;
	if (get_uep(c, &e) != TCL_OK)
		return TCL_ERROR;
	struct sockaddr_storage peers[SCE_MAX_PATHS];
	int n = 0;
	char err[256];
	if (sh_addrs_parse(Tcl_GetString(c->pos[1]), SH_DEFAULT_PORT, peers, SCE_MAX_PATHS, &n, err, sizeof err) < 0)
		return sh_err(c->ip, "badaddr", "%s", err);
	int uport = 0;
	if (get_port(c, "--udp-port", 0, &uport) != TCL_OK)
		return TCL_ERROR;
	const struct sockaddr *pp[SCE_MAX_PATHS];
	for (int i = 0; i < n; i++) {
		pp[i] = (struct sockaddr *)&peers[i];
		if (e->u.fd[peers[i].ss_family == AF_INET6] < 0)
			return sh_err(c->ip, "badaddr", "%s has no local address of the family of %s", e->name,
				      Tcl_GetString(c->pos[1]));
		if (uport)
			uep_udp_set_peer_port(&e->u, pp[i], (uint16_t)uport);
	}
	int64_t id = sce_connect(e->ep, pp, (size_t)n, (uint16_t)sh_sa_port(pp[0]), uep_now_ms());
	if (id < 0)
		return sockc_errno(c->ip, id == -EEXIST ? "EEXIST" : "EINVAL", "uep connect %s: %s",
				   Tcl_GetString(c->pos[1]),
				   id == -EEXIST ? "already associated with that peer" : strerror((int)-id));
	drive(e);
	/* like the kernel's connect: return once the association is up; the
	 * comm-up event stays queued for uep wait */
	long tmo = get_timeout(c, 10000);
	Tcl_Time t0, now;
	Tcl_GetTime(&t0);
	for (;;) {
		struct sce_status st;
		if (sce_status(e->ep, (uint32_t)id, &st) != 0)
			return sh_err(c->ip, "internal", "association %lld vanished", (long long)id);
		if (st.state == SCE_ESTABLISHED)
			break;
		if (st.state == SCE_CLOSED)
			return sockc_errno(c->ip, "ECONNREFUSED", "uep connect %s: the association could not start "
					   "(ABORT received or INIT retransmissions exhausted)", Tcl_GetString(c->pos[1]));
		Tcl_GetTime(&now);
		long el = (long)((now.sec - t0.sec) * 1000 + (now.usec - t0.usec) / 1000);
		if (tmo >= 0 && el >= tmo) {
			sce_abort(e->ep, (uint32_t)id, "connect timed out", uep_now_ms());
			drive(e);
			return sh_err(c->ip, "timeout", "timeout: uep connect %s not established within %ld ms (aborted)",
				      Tcl_GetString(c->pos[1]), tmo);
		}
		long slice = tmo < 0 || tmo - el > 100 ? 100 : tmo - el;
		if (sh_wait_events(c->s, c->ip, slice, NULL) != TCL_OK)
			return TCL_ERROR;
		if (!find(Tcl_GetString(c->pos[0])))
			return sh_err(c->ip, "closed", "endpoint closed while connecting");
	}
	Tcl_SetObjResult(c->ip, Tcl_NewWideIntObj(id));
	return TCL_OK;
}

static int cmd_wait(sh_call *c)
{
	static const char *const names[] = {"assoc-change", "peer-addr-change", "send-failed", "remote-error",
					    "shutdown", "comm-up", "comm-lost", "restart", "shutdown-comp",
					    "cant-str-assoc", "any", NULL};
	static const int kinds[] = {K_ASSOC, K_PADDR, K_SENDFAILED, K_REMOTEERR, K_SHUTDOWN, K_ASSOC, K_ASSOC,
				    K_ASSOC, K_ASSOC, K_ASSOC, -1};
	static const int states[] = {0, 0, 0, 0, 0, SCE_EV_COMM_UP, SCE_EV_COMM_LOST, SCE_EV_RESTART,
				     SCE_EV_SHUTDOWN_COMPLETE, SCE_EV_CANT_START, 0};
	uep *e;
	int idx, a;
	if (get_uep(c, &e) != TCL_OK)
		return TCL_ERROR;
	if (Tcl_GetIndexFromObj(c->ip, c->pos[1], names, "event", 0, &idx) != TCL_OK) {
		Tcl_SetErrorCode(c->ip, "SCTPSH", "usage", "uep", NULL);
		return TCL_ERROR;
	}
	if (sh_get_assoc(c, &a) != TCL_OK)
		return TCL_ERROR;
	unsigned mask = kinds[idx] < 0 ? ~(1u << K_DATA) : 1u << kinds[idx];
	Tcl_Obj *out;
	if (take(c, e, mask, (uint32_t)a, states[idx], get_timeout(c, 5000), names[idx], &out) != TCL_OK)
		return TCL_ERROR;
	Tcl_SetObjResult(c->ip, out);
	Tcl_DecrRefCount(out);
	return TCL_OK;
}

static int cmd_send(sh_call *c)
{
	uep *e;
	uint32_t id;
	int sid;
	if (get_uep(c, &e) != TCL_OK || pick_assoc(c, e, &id) != TCL_OK || check_stream(c, &sid) != TCL_OK)
		return TCL_ERROR;
	struct sce_sendinfo si = {.sid = (uint16_t)sid, .unordered = sh_opt_isset(c, "--unordered")};
	sh_optval *v;
	if ((v = sh_opt_get(c, "--ppid"))->set) {
		if (v->i < 0 || v->i > 0xffffffffLL)
			return sh_err(c->ip, "badvalue", "--ppid expects 0..4294967295, got %s", v->s);
		si.ppid = (uint32_t)v->i;
	}
	if ((v = sh_opt_get(c, "--ttl"))->set) {
		if (v->i < 1 || v->i > 0xffffffffLL)
			return sh_err(c->ip, "badvalue", "--ttl expects 1..4294967295 ms, got %s", v->s);
		si.ttl_ms = (uint32_t)v->i;
	}
	Tcl_Size dl;
	const unsigned char *data = Tcl_GetByteArrayFromObj(c->pos[1], &dl);
	if (!dl)
		return sh_err(c->ip, "usage", "uep send: nothing to send (DATA is empty)");
	struct sce_status st;
	if (sce_status(e->ep, id, &st) == 0 && st.state == SCE_ESTABLISHED && sid >= st.os)
		return sockc_errno(c->ip, "EINVAL", "uep send: stream %d beyond the association's %d outbound streams",
				   sid, st.os);
	long tmo = get_timeout(c, 10000);
	Tcl_Time t0, now;
	Tcl_GetTime(&t0);
	for (;;) {
		int r = sce_send(e->ep, id, &si, data, (size_t)dl, uep_now_ms());
		if (r == 0)
			break;
		if (r != -EAGAIN) {
			static const struct { int e; const char *n, *why; } m[] = {
				{-EINVAL, "EINVAL", "bad stream or empty message"},
				{-ENOENT, "ENOENT", "no such association"},
				{-ENOTCONN, "ENOTCONN", "the association is not established (or is shutting down)"},
				{-EMSGSIZE, "EMSGSIZE", "larger than the send buffer"},
			};
			for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
				if (m[i].e == r)
					return sockc_errno(c->ip, m[i].n, "uep send: %s", m[i].why);
			return sh_err_errno(c->ip, "uep send", -r);
		}
		Tcl_GetTime(&now);
		long el = (long)((now.sec - t0.sec) * 1000 + (now.usec - t0.usec) / 1000);
		if (tmo >= 0 && el >= tmo)
			return sh_err(c->ip, "timeout", "timeout: no send buffer space on %s within %ld ms", e->name, tmo);
		drive(e);
		if (sh_wait_events(c->s, c->ip, tmo < 0 || tmo - el > 50 ? 50 : tmo - el, NULL) != TCL_OK)
			return TCL_ERROR;
		if (!find(Tcl_GetString(c->pos[0])))
			return sh_err(c->ip, "closed", "endpoint closed while sending");
	}
	drive(e);
	Tcl_Obj *d = Tcl_NewDictObj();
	PUTI(d, "assoc", id);
	PUTI(d, "stream", sid);
	PUTI(d, "bytes", dl);
	Tcl_SetObjResult(c->ip, d);
	return TCL_OK;
}

static int cmd_recv(sh_call *c)
{
	uep *e;
	int a;
	if (get_uep(c, &e) != TCL_OK || sh_get_assoc(c, &a) != TCL_OK)
		return TCL_ERROR;
	Tcl_Obj *out;
	if (take(c, e, 1u << K_DATA, (uint32_t)a, 0, get_timeout(c, 5000), "message", &out) != TCL_OK)
		return TCL_ERROR;
	Tcl_SetObjResult(c->ip, out);
	Tcl_DecrRefCount(out);
	return TCL_OK;
}

static const char *lower_state(enum sce_state st, char *buf, size_t len)
{
	snprintf(buf, len, "%s", sce_state_name(st));
	for (char *p = buf; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return buf;
}

static int cmd_status(sh_call *c)
{
	uep *e;
	uint32_t id;
	if (get_uep(c, &e) != TCL_OK)
		return TCL_ERROR;
	Tcl_Obj *d = Tcl_NewDictObj();
	PUTS(d, "endpoint", e->name);
	PUTS(d, "host", e->host);
	PUTI(d, "local-port", e->port);
	PUTI(d, "udp-port", e->u.udp_port);
	if (pick_assoc(c, e, &id) != TCL_OK) {
		/* no association: --assoc given wrongly is an error, none at all is not */
		if (sh_opt_isset(c, "--assoc") || !strstr(Tcl_GetStringResult(c->ip), "has no association")) {
			Tcl_DecrRefCount(d);
			return TCL_ERROR;
		}
		Tcl_ResetResult(c->ip);
		PUTS(d, "state", "none");
		Tcl_SetObjResult(c->ip, d);
		return TCL_OK;
	}
	struct sce_status st;
	sce_status(e->ep, id, &st);
	char b[32];
	PUTI(d, "assoc", id);
	PUTS(d, "state", lower_state(st.state, b, sizeof b));
	PUTI(d, "vtag", st.local_vtag);
	PUTI(d, "peer-vtag", st.peer_vtag);
	PUTI(d, "peer-port", st.peer_port);
	PUTI(d, "outstreams", st.os);
	PUTI(d, "instreams", st.is);
	PUTI(d, "next-tsn", st.next_tsn);
	PUTI(d, "cum-ack", st.cum_ack);
	PUTI(d, "outstanding", st.outstanding);
	PUTI(d, "peer-cum-tsn", st.peer_cum_tsn);
	PUTI(d, "gaps", st.gaps);
	PUTI(d, "rwnd", st.rwnd);
	PUTI(d, "peer-rwnd", st.peer_rwnd);
	PUTI(d, "queued", st.queued);
	PUTI(d, "overall-error", st.assoc_errors);
	Tcl_Obj *stats = Tcl_NewDictObj();
	PUTI(stats, "rtx-t3", st.rtx_t3);
	PUTI(stats, "rtx-fast", st.rtx_fast);
	PUTI(stats, "data-sent", st.data_sent);
	PUTI(stats, "data-recv", st.data_recv);
	PUTI(stats, "dups-recv", st.dups_recv);
	PUTI(stats, "abandoned", st.abandoned);
	PUTI(stats, "fwd-tsn-sent", st.fwd_tsn_sent);
	PUTI(stats, "streams-reset", st.streams_reset);
	PUTI(stats, "udp-rx", e->u.rx);
	PUTI(stats, "udp-tx", e->u.tx);
	PUTI(stats, "udp-rx-dropped", e->u.rx_dropped);
	PUTI(stats, "udp-tx-errors", e->u.tx_errors);
	PUT(d, "stats", stats);
	Tcl_Obj *paths = sh_list();
	for (size_t i = 0; i < st.npaths; i++) {
		const struct sce_path_status *p = &st.paths[i];
		Tcl_Obj *pd = Tcl_NewDictObj();
		PUT(pd, "addr", sh_addr_obj((struct sockaddr *)&p->addr));
		PUTS(pd, "state", !p->confirmed ? "unconfirmed" : p->active ? "active" : "inactive");
		PUTI(pd, "primary", p->primary);
		PUTI(pd, "udp-port", uep_udp_peer_port(&e->u, (struct sockaddr *)&p->addr));
		PUTI(pd, "cwnd", p->cwnd);
		PUTI(pd, "ssthresh", p->ssthresh);
		PUTI(pd, "flight", p->flight);
		PUTI(pd, "rto", p->rto);
		PUTI(pd, "srtt", p->srtt);
		PUTI(pd, "rttvar", p->rttvar);
		PUTI(pd, "errors", p->errors);
		PUTI(pd, "pmtu", p->pmtu);
		Tcl_ListObjAppendElement(NULL, paths, pd);
	}
	PUT(d, "paths", paths);
	Tcl_SetObjResult(c->ip, d);
	return TCL_OK;
}

static int cmd_shutdown_abort(sh_call *c, int abort)
{
	uep *e;
	uint32_t id;
	if (get_uep(c, &e) != TCL_OK || pick_assoc(c, e, &id) != TCL_OK)
		return TCL_ERROR;
	int r = abort ? sce_abort(e->ep, id, c->npos > 1 ? Tcl_GetString(c->pos[1]) : NULL, uep_now_ms())
		      : sce_shutdown(e->ep, id, uep_now_ms());
	drive(e);
	if (r < 0)
		return sockc_errno(c->ip, r == -ENOTCONN ? "ENOTCONN" : r == -ENOENT ? "ENOENT" : "EINVAL",
				   "uep %s: association %u: %s", abort ? "abort" : "shutdown", id, strerror(-r));
	Tcl_SetObjResult(c->ip, Tcl_NewWideIntObj(id));
	return TCL_OK;
}

static int cmd_shutdown(sh_call *c) { return cmd_shutdown_abort(c, 0); }
static int cmd_abort(sh_call *c) { return cmd_shutdown_abort(c, 1); }

static int cmd_close(sh_call *c)
{
	uep *e;
	if (get_uep(c, &e) != TCL_OK)
		return TCL_ERROR;
	/* ABORT every live association so the peer does not wait out its timers */
	uint32_t ids[64];
	size_t n = sce_assoc_ids(e->ep, ids, 64);
	for (size_t i = 0; i < n && i < 64; i++) {
		struct sce_status st;
		if (sce_status(e->ep, ids[i], &st) == 0 && st.state != SCE_CLOSED)
			sce_abort(e->ep, ids[i], "endpoint closed", uep_now_ms());
	}
	uep_udp_flush(&e->u);
	uep_destroy(e);
	Tcl_ResetResult(c->ip);
	return TCL_OK;
}

static int cmd_list(sh_call *c)
{
	Tcl_Obj *l = sh_list();
	for (int i = 0; i < UEP_MAX; i++) {
		uep *e = ueps[i];
		if (!e)
			continue;
		Tcl_Obj *d = Tcl_NewDictObj();
		PUTS(d, "endpoint", e->name);
		PUTS(d, "host", e->host);
		PUTI(d, "local-port", e->port);
		PUTI(d, "udp-port", e->u.udp_port);
		PUTI(d, "listen", e->listen);
		uint32_t ids[64];
		size_t n = sce_assoc_ids(e->ep, ids, 64);
		Tcl_Obj *al = sh_list();
		for (size_t k = 0; k < n && k < 64; k++)
			Tcl_ListObjAppendElement(NULL, al, Tcl_NewWideIntObj(ids[k]));
		PUT(d, "assocs", al);
		PUTI(d, "queued", e->qlen);
		Tcl_ListObjAppendElement(NULL, l, d);
	}
	Tcl_SetObjResult(c->ip, l);
	return TCL_OK;
}

/* ---- table ------------------------------------------------------------------- */

static const sh_opt create_opts[] = {
	{"--host", SH_OPT_STR, "H", "the lab host whose network namespace it lives in (default: the current host)"},
	{"--port", SH_OPT_INT, "P", "local SCTP port (default 5000)"},
	{"--udp-port", SH_OPT_INT, "U", "local UDP encapsulation port, and the remote one by default (default 9899, RFC 6951)"},
	{"--addr", SH_OPT_LIST, "ADDR", "a local address (repeat; default: every address of the host)"},
	{"--listen", SH_OPT_FLAG, NULL, "accept associations (INIT from peers)"},
	{NULL, 0, NULL, NULL},
};
static const sh_opt connect_opts[] = {
	{"--udp-port", SH_OPT_INT, "U", "the peer's UDP encapsulation port (default: the endpoint's)"},
	{"--timeout", SH_OPT_INT, "MS", "give up (and abort) after MS ms (default 10000; -1 forever)"},
	{NULL, 0, NULL, NULL},
};
static const sh_opt wait_opts[] = {
	{"--timeout", SH_OPT_INT, "MS", "wait up to MS ms (default 5000; -1 forever)"},
	{"--assoc", SH_OPT_INT, "ID", "only an event of this association"},
	{NULL, 0, NULL, NULL},
};
static const sh_opt send_opts[] = {
	{"--assoc", SH_OPT_INT, "ID", "the association (default: the endpoint's only one)"},
	{"--stream", SH_OPT_INT, "N", "stream id (default 0)"},
	{"--ppid", SH_OPT_INT, "N", "payload protocol identifier (default 0)"},
	{"--unordered", SH_OPT_FLAG, NULL, "unordered delivery (U bit)"},
	{"--ttl", SH_OPT_INT, "MS", "PR-SCTP timed reliability: abandon after MS ms (RFC 3758)"},
	{"--timeout", SH_OPT_INT, "MS", "wait up to MS ms for send buffer space (default 10000)"},
	{NULL, 0, NULL, NULL},
};
static const sh_opt recv_opts[] = {
	{"--timeout", SH_OPT_INT, "MS", "wait up to MS ms (default 5000; -1 forever)"},
	{"--assoc", SH_OPT_INT, "ID", "only a message of this association"},
	{NULL, 0, NULL, NULL},
};
static const sh_opt assoc_opts[] = {
	{"--assoc", SH_OPT_INT, "ID", "the association (default: the endpoint's only one)"},
	{NULL, 0, NULL, NULL},
};

static const sh_cmd uep_subs[] = {
	{"create", "", "a user-space SCTP endpoint on a host, over UDP encapsulation; returns its name (u0...)",
	 create_opts, 0, 0, cmd_create, NULL,
	 "The host's kernel must not own the UDP port (keep net.sctp.udp_port 0 there).", NULL},
	{"connect", "NAME ADDR[,ADDR...][:PORT]", "open an association (INIT); returns its id once established",
	 connect_opts, 2, 2, cmd_connect, NULL, NULL, NULL},
	{"wait", "NAME EVENT", "take the next event (assoc-change comm-up comm-lost restart shutdown-comp "
	 "cant-str-assoc peer-addr-change send-failed remote-error shutdown any)", wait_opts, 2, 2, cmd_wait, NULL,
	 NULL, "event:s assoc:n state:s error:n outstreams:n instreams:n addr:a cause:n stream:n size:n"},
	{"send", "NAME DATA", "queue a message; returns {assoc stream bytes}", send_opts, 2, 2, cmd_send, NULL,
	 NULL, "assoc:n stream:n bytes:n"},
	{"recv", "NAME", "take the next delivered message {assoc stream ssn tsn ppid from flags size data}",
	 recv_opts, 1, 1, cmd_recv, NULL, NULL,
	 "assoc:n stream:n ssn:n tsn:n ppid:n from:s flags:l size:n data:s"},
	{"status", "NAME", "association state, tags, TSN state and every path's cwnd, ssthresh, RTO, SRTT",
	 assoc_opts, 1, 1, cmd_status, NULL, NULL, NULL},
	{"shutdown", "NAME", "graceful close (SHUTDOWN, RFC 9260 §9.2)", assoc_opts, 1, 1, cmd_shutdown, NULL,
	 NULL, NULL},
	{"abort", "NAME ?REASON?", "ABORT with a User-Initiated Abort cause (RFC 9260 §9.1)", assoc_opts, 1, 2,
	 cmd_abort, NULL, NULL, NULL},
	{"close", "NAME", "abort its associations and free the endpoint", NULL, 1, 1, cmd_close, NULL, NULL, NULL},
	{"list", "", "the user-space endpoints", NULL, 0, 0, cmd_list, NULL, NULL, NULL},
	{NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL},
};

const sh_cmd sh_cmds_uep[] = {
	{"uep", NULL, "user-space SCTP endpoints (sctpsh's own engine) over UDP encapsulation", NULL, 0, 0, NULL,
	 uep_subs, NULL, NULL},
	{NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
