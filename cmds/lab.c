/* lab, host, on: one shell drives the lab's hosts A, B and C.
 * The network itself (namespaces, LANs, shaping, drop rules, UDP
 * encapsulation) is scripts/labnet's job; this file runs it and opens each
 * host's sockets inside its namespace, so one process holds them all. */
#define _GNU_SOURCE
#include "sctpsh.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *const lab_hosts[] = {"A", "B", "C", NULL};

/* Run scripts/labnet with args; its stdout becomes the Tcl result. */
static int labnet(sh_call *c, int argc, const char *const argv[])
{
	char path[1100];
	snprintf(path, sizeof path, "%s/labnet", c->s->libdir);
	if (access(path, X_OK) != 0)
		return sh_err(c->ip, "nolab", "lab: %s not found or not executable (set SCTPSH_LIBDIR)", path);
	const char *av[32];
	int n = 0;
	av[n++] = path;
	for (int i = 0; i < argc && n < 30; i++)
		av[n++] = argv[i];
	if (sh_eval_exec(c->s, c->ip, n, av) != TCL_OK) {
		Tcl_Obj *m = Tcl_ObjPrintf("lab: labnet %s failed: %s", argc ? argv[0] : "",
					   Tcl_GetStringResult(c->ip));
		Tcl_SetObjResult(c->ip, m);
		Tcl_SetErrorCode(c->ip, "SCTPSH", "lab", NULL);
		return TCL_ERROR;
	}
	return TCL_OK;
}

static int open_host(sh_call *c, const char *name, int port, Tcl_Obj *res)
{
	sh_host *h = sh_host_find(c->s, name);
	if (!h) {
		char path[128];
		snprintf(path, sizeof path, "/var/run/netns/%s", name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return sh_err_errno(c->ip, "open(/var/run/netns/HOST)", errno);
		h = sh_host_add(c->s, name, fd);
		if (!h) {
			close(fd);
			return sh_err(c->ip, "lab", "too many hosts");
		}
	}
	if (!h->startup) {
		int err;
		const char *what;
		if (!sh_sock_open_default(c->s, h, port, NULL, 0, &err, &what)) {
			Tcl_Obj *m = Tcl_ObjPrintf("host %s: ", name);
			sh_err_errno(c->ip, what, err);
			Tcl_AppendObjToObj(m, Tcl_GetObjResult(c->ip));
			Tcl_SetObjResult(c->ip, m);
			return TCL_ERROR;
		}
	}
	Tcl_DictObjPut(NULL, res, Tcl_NewStringObj(name, -1), Tcl_NewStringObj(h->startup->name, -1));
	return TCL_OK;
}

static int port_opt(sh_call *c, int *port)
{
	sh_optval *v = sh_opt_get(c, "--port");
	*port = SH_DEFAULT_PORT;
	if (v && v->set) {
		if (v->i < 1 || v->i > 65535)
			return sh_err(c->ip, "usage", "--port expects 1..65535, got %s", Tcl_GetString(v->obj));
		*port = (int)v->i;
	}
	return TCL_OK;
}

static int lab_up(sh_call *c)
{
	int port;
	if (port_opt(c, &port) != TCL_OK)
		return TCL_ERROR;
	if (!c->s->sctp_ok)
		return sh_err(c->ip, "nosctp", "lab up: %s", c->s->sctp_why);
	const char *av[] = {"up"};
	if (labnet(c, 1, av) != TCL_OK)
		return TCL_ERROR;
	Tcl_Obj *res = Tcl_NewDictObj();
	for (int i = 0; lab_hosts[i]; i++)
		if (open_host(c, lab_hosts[i], port, res) != TCL_OK)
			return TCL_ERROR;
	Tcl_SetObjResult(c->ip, Tcl_NewDictObj());
	Tcl_DictObjPut(NULL, Tcl_GetObjResult(c->ip), Tcl_NewStringObj("sockets", -1), res);
	return TCL_OK;
}

/* Close a socket aborting its associations (SO_LINGER 0): fresh state, at once. */
static void close_abort(sh_session *s, sh_sock *k)
{
	struct linger l = {1, 0};
	if (k->fd >= 0)
		setsockopt(k->fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
	sh_sock_close(s, k);
}

static void close_host_socks(sh_session *s, sh_host *h)
{
	for (int i = 0; i < SH_MAX_SOCKS; i++)
		if (s->socks[i] && s->socks[i]->host == h)
			close_abort(s, s->socks[i]);
}

static int lab_down(sh_call *c)
{
	for (int i = 0; lab_hosts[i]; i++) {
		sh_host *h = sh_host_find(c->s, lab_hosts[i]);
		if (h) {
			close_host_socks(c->s, h);
			sh_host_remove(c->s, h);
		}
	}
	const char *av[] = {"down"};
	if (labnet(c, 1, av) != TCL_OK)
		return TCL_ERROR;
	Tcl_ResetResult(c->ip);
	return TCL_OK;
}

static int lab_reset(sh_call *c)
{
	int port;
	if (port_opt(c, &port) != TCL_OK)
		return TCL_ERROR;
	Tcl_Obj *res = Tcl_NewDictObj();
	for (int i = 0; lab_hosts[i]; i++) {
		sh_host *h = sh_host_find(c->s, lab_hosts[i]);
		if (!h)
			return sh_err(c->ip, "nolab", "lab reset: host %s is not up (run: lab up)", lab_hosts[i]);
		close_host_socks(c->s, h);
	}
	/* no shaping or drop rule of an earlier step survives a reset (one labnet run) */
	const char *av[] = {"reset"};
	if (labnet(c, 1, av) != TCL_OK)
		return TCL_ERROR;
	for (int i = 0; lab_hosts[i]; i++)
		if (open_host(c, lab_hosts[i], port, res) != TCL_OK)
			return TCL_ERROR;
	Tcl_SetObjResult(c->ip, Tcl_NewDictObj());
	Tcl_DictObjPut(NULL, Tcl_GetObjResult(c->ip), Tcl_NewStringObj("sockets", -1), res);
	return TCL_OK;
}

static int lab_show(sh_call *c)
{
	const char *av[] = {"show", "--json"};
	if (labnet(c, 2, av) != TCL_OK)
		return TCL_ERROR;
	Tcl_Obj *v = sh_from_json(Tcl_GetStringResult(c->ip));
	if (!v)
		return sh_err(c->ip, "lab", "lab show: labnet printed no JSON: %.200s", Tcl_GetStringResult(c->ip));
	if (Tcl_DictObjPut(NULL, v, Tcl_NewStringObj("sockets", -1), sh_sockets_list(c->s)) != TCL_OK)
		v = Tcl_NewDictObj(); /* labnet printed a non-object: should not happen */
	Tcl_SetObjResult(c->ip, v);
	return TCL_OK;
}

/* Pass the parsed options through to labnet, in table order. */
static int passthrough(sh_call *c, const char *verb)
{
	const char *av[32];
	int n = 0;
	av[n++] = verb;
	for (int i = 0; i < c->npos && n < 30; i++)
		av[n++] = Tcl_GetString(c->pos[i]);
	int i = 0;
	for (const sh_opt *o = c->cmd->opts; o && o->name && n < 30; o++, i++) {
		if (!c->ov[i].set)
			continue;
		av[n++] = o->name;
		if (o->kind != SH_OPT_FLAG)
			av[n++] = c->ov[i].s;
	}
	if (labnet(c, n, av) != TCL_OK)
		return TCL_ERROR;
	Tcl_Obj *v = sh_from_json(Tcl_GetStringResult(c->ip));
	if (v)
		Tcl_SetObjResult(c->ip, v);
	return TCL_OK;
}

static int lab_link(sh_call *c) { return passthrough(c, "link"); }
static int lab_drop(sh_call *c) { return passthrough(c, "drop"); }
static int lab_encap(sh_call *c)
{
	const char *v = Tcl_GetString(c->pos[0]);
	if (strcmp(v, "on") && strcmp(v, "off"))
		return sh_err(c->ip, "usage", "lab encap: expected on or off, got \"%s\"", v);
	return passthrough(c, "encap");
}

static int cmd_host(sh_call *c)
{
	if (c->npos == 1) {
		const char *name = Tcl_GetString(c->pos[0]);
		sh_host *h = sh_host_find(c->s, name);
		if (!h) {
			Tcl_Obj *names = Tcl_NewObj();
			for (int i = 0; i < c->s->nhosts; i++)
				Tcl_AppendPrintfToObj(names, "%s%s", i ? ", " : "", c->s->hosts[i].name);
			return sh_err(c->ip, "nohost", "no host \"%s\": must be %s", name, Tcl_GetString(names));
		}
		c->s->cur = (int)(h - c->s->hosts);
	}
	Tcl_Obj *l = sh_list();
	for (int i = 0; i < c->s->nhosts; i++) {
		sh_host *h = &c->s->hosts[i];
		Tcl_Obj *d = Tcl_NewDictObj();
		Tcl_DictObjPut(NULL, d, Tcl_NewStringObj("host", -1), Tcl_NewStringObj(h->name, -1));
		Tcl_DictObjPut(NULL, d, Tcl_NewStringObj("current", -1), Tcl_NewBooleanObj(i == c->s->cur));
		Tcl_DictObjPut(NULL, d, Tcl_NewStringObj("socket", -1),
			       Tcl_NewStringObj(h->startup ? h->startup->name : "", -1));
		Tcl_ListObjAppendElement(NULL, l, d);
	}
	if (c->npos == 1)
		Tcl_SetObjResult(c->ip, Tcl_NewStringObj(sh_cur_host(c->s)->name, -1));
	else
		Tcl_SetObjResult(c->ip, l);
	return TCL_OK;
}

static int cmd_on(sh_call *c)
{
	const char *name = Tcl_GetString(c->pos[0]);
	sh_host *h = sh_host_find(c->s, name);
	if (!h)
		return sh_err(c->ip, "nohost", "on: no host \"%s\" (lab up creates A, B, C)", name);
	char prev[32];
	snprintf(prev, sizeof prev, "%s", sh_cur_host(c->s)->name);
	c->s->cur = (int)(h - c->s->hosts);
	int rc = Tcl_EvalObjEx(c->ip, c->pos[1], 0);
	sh_host *p = sh_host_find(c->s, prev); /* hosts may have moved */
	c->s->cur = p ? (int)(p - c->s->hosts) : 0;
	if (rc == TCL_ERROR)
		Tcl_AppendObjToErrorInfo(c->ip, Tcl_ObjPrintf("\n    (on host %s)", name));
	return rc == TCL_RETURN ? TCL_OK : rc;
}

static const sh_opt port_opts[] = {
	{"--port", SH_OPT_INT, "N", "port of the hosts' startup sockets (default 5000)"},
	{NULL},
};
static const sh_opt link_opts[] = {
	{"--lan", SH_OPT_STR, "1|2", "which LAN (default both)"},
	{"--delay", SH_OPT_STR, "MS", "one-way delay on HOST's egress"},
	{"--jitter", SH_OPT_STR, "MS", "delay jitter"},
	{"--loss", SH_OPT_STR, "PCT", "random loss (not deterministic: see lab drop)"},
	{"--reorder", SH_OPT_STR, "PCT", "reordering"},
	{"--down", SH_OPT_FLAG, NULL, "take HOST's interface on that LAN down"},
	{"--up", SH_OPT_FLAG, NULL, "bring it up again"},
	{"--clear", SH_OPT_FLAG, NULL, "remove all shaping of HOST"},
	{NULL},
};
static const sh_opt drop_opts[] = {
	{"--lan", SH_OPT_STR, "1|2", "which LAN"},
	{"--chunk", SH_OPT_STR, "TYPE", "first chunk type to match (DATA, SACK, HEARTBEAT, ...)"},
	{"--src", SH_OPT_STR, "ADDR", "source address to match"},
	{"--dst", SH_OPT_STR, "ADDR", "destination address to match"},
	{"--count", SH_OPT_STR, "K", "drop exactly the next K matching packets"},
	{"--clear", SH_OPT_FLAG, NULL, "remove HOST's drop rules"},
	{"--show", SH_OPT_FLAG, NULL, "show the rules and their counters"},
	{NULL},
};

static const sh_cmd lab_subs[] = {
	{"up", "", "create hosts A, B, C (idempotent) and open a startup socket on each", port_opts, 0, 0,
	 lab_up},
	{"down", "", "close the hosts' sockets and remove the lab", NULL, 0, 0, lab_down},
	{"reset", "", "fresh state: abort every lab association, clear shaping and drop rules, new startup sockets", port_opts, 0, 0,
	 lab_reset},
	{"show", "", "hosts, addresses, net.sctp settings, shaping and sockets", NULL, 0, 0, lab_show},
	{"link", "HOST", "shape HOST's egress: delay, jitter, loss, reordering, link down/up", link_opts, 1,
	 1, lab_link},
	{"drop", "HOST", "drop exactly the next K packets that match (deterministic races)", drop_opts, 1, 1,
	 lab_drop},
	{"encap", "on|off", "run the hosts' SCTP over UDP (RFC 6951)", NULL, 1, 1, lab_encap},
	{NULL},
};

const sh_cmd sh_cmds_lab[] = {
	{"lab", NULL, "the lab: hosts A, B, C on two LANs with real kernel SCTP", NULL, 0, 0, NULL, lab_subs,
	 "LAN1 198.51.100.0/24 + 2001:db8:1::/64, LAN2 203.0.113.0/24 + 2001:db8:2::/64; "
	 "A = .1/::1, B = .2/::2, C = .3/::3."},
	{"host", "?NAME?", "switch the current host (the prompt shows it), or list hosts", NULL, 0, 1,
	 cmd_host},
	{"on", "HOST SCRIPT", "run SCRIPT with HOST as the current host; returns its result", NULL, 2, 2,
	 cmd_on},
	{NULL},
};
