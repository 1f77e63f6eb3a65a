/* Sockets and associations: socket, close, bind, bindx, listen, connect,
 * peeloff, shutdown, abort (RFC 6458 §3, §4, §9).
 *
 * Also the helpers the addr and io families share (sockc_*), declared
 * where they are used. */
#include "cmds.h"
#include "kern/kconn.h"
#include "kern/ksock.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAXADDRS 32

/* ---- shared helpers ------------------------------------------------------ */

/* Like sh_err_errno but with our own text: errorCode {SCTPSH errno ENAME}. */
int sockc_errno(Tcl_Interp *ip, const char *ename, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	Tcl_SetObjResult(ip, Tcl_NewStringObj(buf, -1));
	Tcl_SetErrorCode(ip, "SCTPSH", "errno", ename, NULL);
	return TCL_ERROR;
}

/* "no association" error with errorCode {SCTPSH noassoc}. */
int sockc_noassoc(sh_call *c, sh_sock *k, int id)
{
	return sh_err(c->ip, "noassoc", "no association %d on socket %s (host %s; see: sockets, assocs)",
		      id, k->name, k->host ? k->host->name : "?");
}

/* The association a command acts on: --assoc ID (checked to exist on k), or
 * else the socket's only association. *st gets its SCTP_STATUS when st. */
int sockc_assoc(sh_call *c, sh_sock *k, int *id, struct sctp_status *st)
{
	struct sctp_status tmp;
	if (!st)
		st = &tmp;
	if (sh_get_assoc(c, id) != TCL_OK)
		return TCL_ERROR;
	if (k->fd < 0)
		return sh_err(c->ip, "closed", "socket %s is closed", k->name);
	if (*id) {
		int e = kc_status(k->fd, *id, st);
		if (e < 0 || (int)st->sstat_assoc_id != *id)
			return sockc_noassoc(c, k, *id);
		return TCL_OK;
	}
	if (k->type == SOCK_STREAM) {
		if (kc_status(k->fd, 0, st) < 0)
			return sh_err(c->ip, "noassoc", "socket %s has no association (connect first)", k->name);
		*id = (int)st->sstat_assoc_id;
		return TCL_OK;
	}
	sctp_assoc_t ids[8];
	int n = kc_assoc_ids(k->fd, ids, 8);
	if (n < 0)
		return sh_err_errno(c->ip, "getsockopt(SCTP_GET_ASSOC_ID_LIST)", n);
	if (n == 0)
		return sh_err(c->ip, "noassoc", "socket %s (host %s) has no association (connect first)",
			      k->name, k->host ? k->host->name : "?");
	if (n > 1) {
		char list[128] = "";
		for (int i = 0; i < n && i < 8; i++) {
			size_t l = strlen(list);
			snprintf(list + l, sizeof list - l, "%s%d", i ? " " : "", (int)ids[i]);
		}
		return sh_err(c->ip, "usage", "socket %s has %d associations (%s%s): say which with --assoc ID",
			      k->name, n, list, n > 8 ? " ..." : "");
	}
	*id = (int)ids[0];
	if (kc_status(k->fd, *id, st) < 0)
		return sockc_noassoc(c, k, *id);
	return TCL_OK;
}

/* Parse a list of Tcl address objects (each may itself be "A,B") into out. */
int sockc_addrs(sh_call *c, Tcl_Obj *const *objs, int nobj, int defport, struct sockaddr_storage *out,
		int max, int *n)
{
	*n = 0;
	for (int i = 0; i < nobj; i++) {
		char err[256];
		int got = 0;
		if (sh_addrs_parse(Tcl_GetString(objs[i]), defport, out + *n, max - *n, &got, err,
				   sizeof err) < 0)
			return sh_err(c->ip, "badaddr", "%s", err);
		*n += got;
	}
	return TCL_OK;
}

/* The addresses as given, for "call(ARGS)" in error messages. */
void sockc_argstr(char *buf, size_t len, Tcl_Obj *const *objs, int nobj)
{
	buf[0] = '\0';
	for (int i = 0; i < nobj; i++) {
		size_t l = strlen(buf);
		snprintf(buf + l, len - l, "%s%s", i ? " " : "", Tcl_GetString(objs[i]));
	}
}

/* Refuse an IPv6 address on an AF_INET socket with a clear message. */
int sockc_family_ok(sh_call *c, sh_sock *k, const struct sockaddr_storage *a, int n)
{
	if (k->family != AF_INET)
		return TCL_OK;
	for (int i = 0; i < n; i++)
		if (a[i].ss_family == AF_INET6) {
			char b[80];
			return sh_err(c->ip, "badaddr",
				      "%s is an IPv6 address but socket %s is IPv4 only (socket --family inet6)",
				      sh_addr_str((const struct sockaddr *)&a[i], b, sizeof b), k->name);
		}
	return TCL_OK;
}

/* Peel association id off a one-to-many socket into a new one-to-one socket
 * on the same host; items already queued for it move along. */
sh_sock *sockc_peeloff(sh_call *c, sh_sock *k, int id)
{
	sh_session *s = c->s;
	sh_sock_pump(s, k); /* what the kernel holds for others stays on k */
	int e = sh_in_netns(s, k->host); /* sctp_peeloff creates the socket in our netns */
	if (e < 0) {
		sh_err_errno(c->ip, "setns", e);
		return NULL;
	}
	int nfd = kc_peeloff(k->fd, id);
	sh_back_netns(s);
	if (nfd < 0) {
		char call[64];
		snprintf(call, sizeof call, "sctp_peeloff(%s, %d)", k->name, id);
		if (nfd == -EINVAL)
			sh_err(c->ip, "noassoc", "%s: no association %d on one-to-many socket %s", call, id,
			       k->name);
		else
			sh_err_errno(c->ip, call, nfd);
		return NULL;
	}
	int on = 1;
	setsockopt(nfd, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof on);
	k_subscribe_all(nfd);
	sh_sock *nk = sh_sock_adopt(s, k->host, nfd, SOCK_STREAM, k->family);
	if (!nk) {
		close(nfd);
		sh_err(c->ip, "internal", "too many sockets");
		return NULL;
	}
	nk->port = k->port;
	/* move queued items of this association */
	sh_item *prev = NULL, *it = k->qhead;
	while (it) {
		sh_item *next = it->next;
		if (it->assoc == id) {
			if (prev)
				prev->next = next;
			else
				k->qhead = next;
			if (k->qtail == it)
				k->qtail = prev;
			k->qlen--;
			it->next = NULL;
			if (nk->qtail)
				nk->qtail->next = it;
			else
				nk->qhead = it;
			nk->qtail = it;
			nk->qlen++;
		} else {
			prev = it;
		}
		it = next;
	}
	return nk;
}

/* ---- socket, close ------------------------------------------------------- */

/* Tcl's own close/socket (renamed to ::sctpsh::tcl::NAME at registration)
 * for their usual arguments: channels, TCP host/port. */
static int tcl_builtin(sh_call *c, const char *name)
{
	Tcl_Obj *cmd = Tcl_ObjPrintf("::sctpsh::tcl::%s", name);
	Tcl_CmdInfo info;
	if (!Tcl_GetCommandInfo(c->ip, Tcl_GetString(cmd), &info)) {
		Tcl_DecrRefCount(cmd);
		return sh_err(c->ip, "usage", "%s: Tcl's %s is not available here", name, name);
	}
	Tcl_Obj **v = (Tcl_Obj **)ckalloc(sizeof(Tcl_Obj *) * (c->npos + 1));
	v[0] = cmd;
	Tcl_IncrRefCount(cmd);
	for (int i = 0; i < c->npos; i++)
		v[i + 1] = c->pos[i];
	int rc = Tcl_EvalObjv(c->ip, c->npos + 1, v, 0);
	Tcl_DecrRefCount(cmd);
	ckfree(v);
	return rc;
}

static const sh_opt socket_opts[] = {
	{"--type", SH_OPT_STR, "one-to-many|one-to-one", "socket style (default one-to-many)"},
	{"--family", SH_OPT_STR, "inet|inet6", "address family (default inet6: IPv4 and IPv6)"},
	{"--port", SH_OPT_INT, "N", "local port (default: any; one-to-many listens on it)"},
	{"--bind", SH_OPT_LIST, "ADDR", "bind this local address (repeat for several: sctp_bindx)"},
	{"--host", SH_OPT_STR, "H", "create it on host H (default: the current host)"},
	{"--no-listen", SH_OPT_FLAG, NULL, "one-to-many: do not listen (accept no association)"},
	{NULL, 0, NULL, NULL},
};

static int cmd_socket(sh_call *c)
{
	static const char *const types[] = {"one-to-many", "one-to-one", NULL};
	static const char *const fams[] = {"inet", "inet6", NULL};
	sh_session *s = c->s;
	int type = SOCK_SEQPACKET, family = AF_INET6, port = 0, idx;
	sh_optval *v;
	if (c->npos)
		return tcl_builtin(c, "socket"); /* Tcl's TCP socket: socket ?-opts? host port */
	if (!s->sctp_ok)
		return sh_err(c->ip, "nosctp", "%s", s->sctp_why);
	if ((v = sh_opt_get(c, "--type"))->set) {
		if (Tcl_GetIndexFromObj(c->ip, v->obj, types, "type", 0, &idx) != TCL_OK) {
			Tcl_SetErrorCode(c->ip, "SCTPSH", "usage", NULL);
			return TCL_ERROR;
		}
		type = idx ? SOCK_STREAM : SOCK_SEQPACKET;
	}
	if ((v = sh_opt_get(c, "--family"))->set) {
		if (Tcl_GetIndexFromObj(c->ip, v->obj, fams, "family", 0, &idx) != TCL_OK) {
			Tcl_SetErrorCode(c->ip, "SCTPSH", "usage", NULL);
			return TCL_ERROR;
		}
		family = idx ? AF_INET6 : AF_INET;
	}
	if ((v = sh_opt_get(c, "--port"))->set) {
		if (v->i < 0 || v->i > 65535)
			return sh_err(c->ip, "usage", "--port expects 0..65535, got %s", v->s);
		port = (int)v->i;
	}
	sh_host *h = sh_cur_host(s);
	if ((v = sh_opt_get(c, "--host"))->set && !(h = sh_host_find(s, v->s)))
		return sh_err(c->ip, "nohost", "no host named \"%s\" (see: hosts)", v->s);
	struct sockaddr_storage addrs[MAXADDRS];
	int n = 0;
	if ((v = sh_opt_get(c, "--bind"))->set) {
		Tcl_Size no;
		Tcl_Obj **objs;
		Tcl_ListObjGetElements(NULL, v->obj, &no, &objs);
		if (sockc_addrs(c, objs, (int)no, port, addrs, MAXADDRS, &n) != TCL_OK)
			return TCL_ERROR;
		if (family == AF_INET)
			for (int i = 0; i < n; i++)
				if (addrs[i].ss_family == AF_INET6)
					return sh_err(c->ip, "badaddr",
						      "--bind %s: an IPv6 address on an --family inet socket",
						      Tcl_GetString(objs[0]));
		/* one port for all: the first given (or --port) */
		int p0 = sh_sa_port((struct sockaddr *)&addrs[0]);
		if (!port)
			port = p0;
	}
	int err = 0;
	sh_sock *k = sh_sock_new(s, h, type, family, &err);
	if (!k)
		return sh_err_errno(c->ip, family == AF_INET6 ? "socket(AF_INET6, IPPROTO_SCTP)"
							      : "socket(AF_INET, IPPROTO_SCTP)",
				    err);
	int e = 0;
	const char *what = NULL;
	if (n || port) {
		what = n ? "sctp_bindx" : "bind";
		e = k_bind_addrs(k->fd, family, port, addrs, n);
	}
	if (!e && type == SOCK_SEQPACKET && !sh_opt_isset(c, "--no-listen")) {
		what = "listen";
		e = k_listen(k->fd, 16);
	}
	if (e < 0) {
		char call[300], args[200];
		sockc_argstr(args, sizeof args, NULL, 0);
		if (n) {
			Tcl_Size no;
			Tcl_Obj **objs;
			Tcl_ListObjGetElements(NULL, sh_opt_get(c, "--bind")->obj, &no, &objs);
			sockc_argstr(args, sizeof args, objs, (int)no);
		} else if (port) {
			snprintf(args, sizeof args, "port %d", port);
		}
		snprintf(call, sizeof call, "%s(%s)", what, args);
		sh_sock_close(s, k);
		return sh_err_errno(c->ip, call, e);
	}
	int lp = kc_local_port(k->fd);
	k->port = lp > 0 ? lp : port;
	Tcl_SetObjResult(c->ip, Tcl_NewStringObj(k->name, -1));
	return TCL_OK;
}

static const sh_opt sock_only_opts[] = {
	{"--socket", SH_OPT_STR, "S", "the socket (default: the current host's startup socket)"},
	{NULL, 0, NULL, NULL},
};

static int cmd_close(sh_call *c)
{
	sh_sock *k;
	if (c->npos >= 1 && Tcl_GetChannel(c->ip, Tcl_GetString(c->pos[0]), NULL))
		return tcl_builtin(c, "close"); /* a Tcl channel */
	Tcl_ResetResult(c->ip);
	if (c->npos > 1)
		return sh_err(c->ip, "usage", "close: too many arguments: usage: close ?SOCKET? [--socket S]");
	if (c->npos == 1) {
		const char *name = Tcl_GetString(c->pos[0]);
		if (!(k = sh_sock_find(c->s, name)))
			return sh_err(c->ip, "nosocket", "no socket named \"%s\" (see: sockets)", name);
	} else if (sh_sock_resolve(c, &k) != TCL_OK) {
		return TCL_ERROR;
	}
	sh_sock_close(c->s, k);
	return TCL_OK;
}

/* ---- bind, bindx, listen ------------------------------------------------- */

static int bind_common(sh_call *c, int mode /* 0 bind, 1 add, 2 rem */)
{
	sh_sock *k;
	if (sh_sock_resolve(c, &k) != TCL_OK)
		return TCL_ERROR;
	if (k->fd < 0)
		return sh_err(c->ip, "closed", "socket %s is closed", k->name);
	struct sockaddr_storage a[MAXADDRS];
	int n, bound = kc_local_port(k->fd);
	if (bound < 0)
		bound = 0;
	if (sockc_addrs(c, c->pos, c->npos, bound, a, MAXADDRS, &n) != TCL_OK ||
	    sockc_family_ok(c, k, a, n) != TCL_OK)
		return TCL_ERROR;
	char args[256], call[300];
	sockc_argstr(args, sizeof args, c->pos, c->npos);
	int e, old = 0, nonlocal = mode == 1 && sh_opt_isset(c, "--nonlocal");
	if (nonlocal && (e = kc_freebind(k->fd, k->family, 1, &old)) < 0)
		return sh_err_errno(c->ip, "setsockopt(IP_FREEBIND)", e);
	if (mode == 0) {
		snprintf(call, sizeof call, "bind(%s)", args);
		e = kc_bind(k->fd, &a[0]);
		if (e == -EINVAL && bound)
			return sockc_errno(c->ip, "EINVAL", "%s: EINVAL: socket %s is already bound to port %d "
				      "(add addresses with: bindx add)", call, k->name, bound);
		if (!e && n > 1) {
			/* the rest on the port bind() chose */
			int p = kc_local_port(k->fd);
			for (int i = 1; i < n; i++)
				if (!sh_sa_port((struct sockaddr *)&a[i])) {
					if (a[i].ss_family == AF_INET6)
						((struct sockaddr_in6 *)&a[i])->sin6_port = htons(p);
					else
						((struct sockaddr_in *)&a[i])->sin_port = htons(p);
				}
			snprintf(call, sizeof call, "sctp_bindx(%s, ADD)", args);
			e = kc_bindx(k->fd, &a[1], n - 1, SCTP_BINDX_ADD_ADDR);
		}
	} else {
		snprintf(call, sizeof call, "sctp_bindx(%s, %s)", args, mode == 1 ? "ADD" : "REM");
		e = kc_bindx(k->fd, a, n, mode == 1 ? SCTP_BINDX_ADD_ADDR : SCTP_BINDX_REM_ADDR);
	}
	if (nonlocal)
		kc_freebind(k->fd, k->family, old, NULL);
	if (e == -EADDRNOTAVAIL && mode != 2)
		return sockc_errno(c->ip, "EADDRNOTAVAIL", "%s: EADDRNOTAVAIL: not an address of host %s%s", call,
			      k->host->name, mode == 1 ? " (--nonlocal binds it anyway)" : "");
	if (e < 0)
		return sh_err_errno(c->ip, call, e);
	int lp = kc_local_port(k->fd);
	if (lp > 0)
		k->port = lp;
	return TCL_OK;
}

static int cmd_bind(sh_call *c) { return bind_common(c, 0); }
static int cmd_bindx_add(sh_call *c) { return bind_common(c, 1); }
static int cmd_bindx_rem(sh_call *c) { return bind_common(c, 2); }

static const sh_opt bindx_add_opts[] = {
	{"--socket", SH_OPT_STR, "S", "the socket (default: the current host's startup socket)"},
	{"--nonlocal", SH_OPT_FLAG, NULL, "allow an address this host does not own (IP_FREEBIND)"},
	{NULL, 0, NULL, NULL},
};

static const sh_cmd bindx_subs[] = {
	{"add", "ADDR...", "add local addresses to the endpoint (sctp_bindx ADD; ASCONF ADD-IP to peers)",
	 bindx_add_opts, 1, -1, cmd_bindx_add, NULL, NULL},
	{"rem", "ADDR...", "remove local addresses (sctp_bindx REM; ASCONF DELETE-IP to peers)",
	 sock_only_opts, 1, -1, cmd_bindx_rem, NULL, NULL},
	{NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL},
};

static const sh_opt listen_opts[] = {
	{"--socket", SH_OPT_STR, "S", "the socket (default: the current host's startup socket)"},
	{"--backlog", SH_OPT_INT, "N", "listen backlog (default 16)"},
	{NULL, 0, NULL, NULL},
};

static int cmd_listen(sh_call *c)
{
	sh_sock *k;
	if (sh_sock_resolve(c, &k) != TCL_OK)
		return TCL_ERROR;
	sh_optval *v = sh_opt_get(c, "--backlog");
	int backlog = 16;
	if (v->set) {
		if (v->i < 0 || v->i > 65535)
			return sh_err(c->ip, "usage", "--backlog expects 0..65535, got %s", v->s);
		backlog = (int)v->i;
	}
	int e = k_listen(k->fd, backlog);
	if (e < 0)
		return sh_err_errno(c->ip, "listen", e);
	int lp = kc_local_port(k->fd);
	if (lp > 0)
		k->port = lp;
	return TCL_OK;
}

/* ---- connect ------------------------------------------------------------- */

static const sh_opt connect_opts[] = {
	{"--socket", SH_OPT_STR, "S", "the socket (default: the current host's startup socket)"},
	{"--streams", SH_OPT_INT, "N", "outbound streams to ask for (SCTP_INITMSG)"},
	{"--instreams", SH_OPT_INT, "N", "maximum inbound streams to accept"},
	{"--timeout", SH_OPT_INT, "MS", "give up (and abort) after MS ms (default 10000)"},
	{NULL, 0, NULL, NULL},
};

static int cmd_connect(sh_call *c)
{
	sh_sock *k;
	if (sh_sock_resolve(c, &k) != TCL_OK)
		return TCL_ERROR;
	struct sockaddr_storage a[MAXADDRS];
	int n;
	if (sockc_addrs(c, c->pos, 1, SH_DEFAULT_PORT, a, MAXADDRS, &n) != TCL_OK ||
	    sockc_family_ok(c, k, a, n) != TCL_OK)
		return TCL_ERROR;
	int os = 0, is = 0;
	long timeout = 10000;
	sh_optval *v;
	if ((v = sh_opt_get(c, "--streams"))->set) {
		if (v->i < 1 || v->i > 65535)
			return sh_err(c->ip, "usage", "--streams expects 1..65535, got %s", v->s);
		os = (int)v->i;
	}
	if ((v = sh_opt_get(c, "--instreams"))->set) {
		if (v->i < 1 || v->i > 65535)
			return sh_err(c->ip, "usage", "--instreams expects 1..65535, got %s", v->s);
		is = (int)v->i;
	}
	if ((v = sh_opt_get(c, "--timeout"))->set)
		timeout = (long)v->i;
	char call[300];
	snprintf(call, sizeof call, "sctp_connectx(%s)", Tcl_GetString(c->pos[0]));
	sctp_assoc_t id = 0;
	int e = kc_connectx(k->fd, a, n, os, is, &id);
	if (e < 0 && e != -EINPROGRESS)
		return sh_err_errno(c->ip, call, e);
	/* Wait for this association's COMM_UP (or failure). The assoc-change
	 * event is taken from the queue: connect's result reports it; other
	 * queued items stay where they are. */
	Tcl_Obj *ev = NULL;
	if (sh_queue_take(c, k, 1, SCTP_ASSOC_CHANGE, (int)id, timeout, &ev) != TCL_OK) {
		Tcl_Obj *why = Tcl_DuplicateObj(Tcl_GetObjResult(c->ip));
		Tcl_Obj *opts = Tcl_GetReturnOptions(c->ip, TCL_ERROR), *code = NULL;
		Tcl_IncrRefCount(opts);
		Tcl_DictObjGet(NULL, opts, Tcl_NewStringObj("-errorcode", -1), &code);
		int timed_out = code && strstr(Tcl_GetString(code), "timeout");
		Tcl_DecrRefCount(opts);
		/* do not leave a half-open association behind */
		if (k->fd >= 0 && k->type == SOCK_SEQPACKET && id) {
			kc_send p = {.assoc = id, .flags = SCTP_ABORT};
			kc_sendv(k->fd, NULL, 0, NULL, &p);
		}
		Tcl_IncrRefCount(why);
		if (timed_out)
			sh_err(c->ip, "timeout", "%s: no COMM_UP within %ld ms (association %d aborted)", call,
			       timeout, (int)id);
		else
			Tcl_SetObjResult(c->ip, why);
		Tcl_DecrRefCount(why);
		return TCL_ERROR;
	}
	Tcl_Obj *state = NULL, *err = NULL;
	Tcl_DictObjGet(NULL, ev, Tcl_NewStringObj("state", -1), &state);
	Tcl_DictObjGet(NULL, ev, Tcl_NewStringObj("error", -1), &err);
	const char *st = state ? Tcl_GetString(state) : "?";
	if (strcmp(st, "comm-up") && strcmp(st, "restart")) {
		int en = 0;
		if (err)
			Tcl_GetIntFromObj(NULL, err, &en);
		Tcl_DecrRefCount(ev);
		if (en <= 0 || en > 4095)
			en = ECONNREFUSED;
		sh_err_errno(c->ip, call, en);
		Tcl_AppendResult(c->ip, " [assoc-change ", st, "]", NULL);
		return TCL_ERROR;
	}
	Tcl_DecrRefCount(ev);
	Tcl_SetObjResult(c->ip, Tcl_NewWideIntObj(id));
	return TCL_OK;
}

/* ---- peeloff, shutdown, abort ------------------------------------------- */

static const sh_opt assoc_opts[] = {
	{"--assoc", SH_OPT_INT, "ID", "the association (default: the socket's only one)"},
	{"--socket", SH_OPT_STR, "S", "the socket (default: the current host's startup socket)"},
	{NULL, 0, NULL, NULL},
};

static int cmd_peeloff(sh_call *c)
{
	sh_sock *k;
	int id;
	if (sh_sock_resolve(c, &k) != TCL_OK)
		return TCL_ERROR;
	if (k->type != SOCK_SEQPACKET)
		return sh_err(c->ip, "usage", "peeloff: socket %s is one-to-one already", k->name);
	if (sockc_assoc(c, k, &id, NULL) != TCL_OK)
		return TCL_ERROR;
	sh_sock *nk = sockc_peeloff(c, k, id);
	if (!nk)
		return TCL_ERROR;
	Tcl_SetObjResult(c->ip, Tcl_NewStringObj(nk->name, -1));
	return TCL_OK;
}

static int cmd_shutdown(sh_call *c)
{
	sh_sock *k;
	int id, e;
	if (sh_sock_resolve(c, &k) != TCL_OK || sockc_assoc(c, k, &id, NULL) != TCL_OK)
		return TCL_ERROR;
	if (k->type == SOCK_STREAM) {
		if ((e = kc_shutdown_wr(k->fd)) < 0)
			return sh_err_errno(c->ip, "shutdown(SHUT_WR)", e);
	} else {
		kc_send p = {.assoc = id, .flags = SCTP_EOF};
		if ((e = kc_sendv(k->fd, NULL, 0, NULL, &p)) < 0)
			return sh_err_errno(c->ip, "sctp_sendv(SCTP_EOF)", e);
	}
	Tcl_SetObjResult(c->ip, Tcl_NewWideIntObj(id));
	return TCL_OK;
}

static int cmd_abort(sh_call *c)
{
	sh_sock *k;
	int id, e;
	if (sh_sock_resolve(c, &k) != TCL_OK || sockc_assoc(c, k, &id, NULL) != TCL_OK)
		return TCL_ERROR;
	Tcl_Size rl = 0;
	const char *reason = c->npos ? Tcl_GetStringFromObj(c->pos[0], &rl) : "";
	Tcl_Obj *d = Tcl_NewDictObj();
	Tcl_DictObjPut(NULL, d, Tcl_NewStringObj("assoc", -1), Tcl_NewIntObj(id));
	if (k->type == SOCK_STREAM) {
		/* SCTP_ABORT is refused on one-to-one sockets: SO_LINGER 0 + close */
		if ((e = kc_linger0(k->fd)) < 0) {
			Tcl_DecrRefCount(d);
			return sh_err_errno(c->ip, "setsockopt(SO_LINGER)", e);
		}
		Tcl_DictObjPut(NULL, d, Tcl_NewStringObj("closed", -1), Tcl_NewStringObj(k->name, -1));
		sh_sock_close(c->s, k);
	} else {
		kc_send p = {.assoc = id, .flags = SCTP_ABORT};
		if ((e = kc_sendv(k->fd, reason, (size_t)rl, NULL, &p)) < 0) {
			Tcl_DecrRefCount(d);
			return sh_err_errno(c->ip, "sctp_sendv(SCTP_ABORT)", e);
		}
	}
	Tcl_SetObjResult(c->ip, d);
	return TCL_OK;
}

const sh_cmd sh_cmds_sock[] = {
	{"socket", "", "open a new SCTP socket; returns its name (s1, s2...)", socket_opts, 0, -1,
	 cmd_socket, NULL,
	 "One-to-many sockets (SOCK_SEQPACKET) listen unless --no-listen; one-to-one sockets "
	 "(SOCK_STREAM) connect, or listen with: listen. Every notification is subscribed. "
	 "With positional arguments it is Tcl's TCP socket command."},
	{"close", "?SOCKET?", "close a socket (its associations are aborted or shut down)", sock_only_opts,
	 0, -1, cmd_close, NULL, "A Tcl channel (close $f) is closed by Tcl's close."},
	{"bind", "ADDR...", "bind() the first address, sctp_bindx ADD the others", sock_only_opts, 1, -1,
	 cmd_bind, NULL, "ADDR may carry :PORT (IPv6: [ADDR]:PORT)."},
	{"bindx", "add|rem ADDR...", "sctp_bindx: add or remove local addresses of the endpoint", NULL, 0,
	 0, NULL, bindx_subs, NULL},
	{"listen", "", "listen for associations", listen_opts, 0, 0, cmd_listen, NULL, NULL},
	{"connect", "ADDR[,ADDR...][:PORT]", "sctp_connectx; waits for COMM_UP; returns the association id",
	 connect_opts, 1, 1, cmd_connect, NULL,
	 "IPv6 with a port: [ADDR]:PORT or [ADDR,ADDR]:PORT; default port 5000. The assoc-change "
	 "(comm-up) of the new association is taken from the socket's queue; the peer's stays on the "
	 "peer (wait assoc-change there). On failure or timeout the association is aborted."},
	{"peeloff", "", "sctp_peeloff: move an association to a new one-to-one socket; returns its name",
	 assoc_opts, 0, 0, cmd_peeloff, NULL,
	 "Items already queued for the association move to the new socket."},
	{"shutdown", "", "graceful SHUTDOWN of an association (SCTP_EOF / shutdown())", assoc_opts, 0, 0,
	 cmd_shutdown, NULL, NULL},
	{"abort", "?REASON?", "ABORT an association (SCTP_ABORT, with a user-initiated-abort REASON)",
	 assoc_opts, 0, 1, cmd_abort, NULL,
	 "On a one-to-one socket: SO_LINGER 0 and close (the socket goes away, no REASON)."},
	{NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL},
};
