/* reset-streams, reset-assoc, add-streams: RFC 6525 stream reconfiguration
 * through the Linux socket options SCTP_RESET_STREAMS, SCTP_RESET_ASSOC and
 * SCTP_ADD_STREAMS.
 *
 * The kernel sends a request only when the association negotiated RE-CONFIG
 * (both ends offered it: sysctl reconf_enable or opt reconfig-supported,
 * before the association) and this end allows that request type
 * (SCTP_ENABLE_STREAM_RESET).  The second we fix on the spot for the
 * association (reported as `enabled`); the first cannot be fixed afterwards,
 * so we say so.  The peer answers "denied" unless it allows the request type
 * too (RFC 6525 §5.2: its SCTP_ENABLE_STREAM_RESET). */
#define _GNU_SOURCE
#include "cmds.h"
#include "kern/kinfo.h"
#include <errno.h>
#include <string.h>



static const char *req_name(int bit)
{
	return bit == SCTP_ENABLE_RESET_STREAM_REQ	 ? "reset-streams"
	       : bit == SCTP_ENABLE_RESET_ASSOC_REQ ? "reset-assoc"
						    : "add-streams";
}

/* Before a request: does the association speak RE-CONFIG, and does this end
 * allow the request type?  Enable it for the association when not. */
static int prepare(sh_call *c, sh_sock *k, sctp_assoc_t id, int bit, Tcl_Obj *res)
{
	struct sctp_assoc_value av = {.assoc_id = id};
	socklen_t l = sizeof av;
	int e = k_getopt(k->fd, SCTP_RECONFIG_SUPPORTED, &av, &l);
	if (e == 0 && !av.assoc_value)
		return sh_err(c->ip, "noreconf",
			      "association %d did not negotiate RE-CONFIG (RFC 6525 §3: both INITs must list it in "
			      "Supported Extensions); it cannot be added now: before connecting, on both ends, "
			      "`sysctl reconf_enable 1` (then new sockets, e.g. lab reset) or `opt set reconfig-supported 1`",
			      (int)id);
	av.assoc_id = id;
	av.assoc_value = 0;
	l = sizeof av;
	if ((e = k_getopt(k->fd, SCTP_ENABLE_STREAM_RESET, &av, &l)) < 0)
		return sh_err_errno(c->ip, "getsockopt(SCTP_ENABLE_STREAM_RESET)", e);
	Tcl_Obj *en = sh_list();
	if (!(av.assoc_value & (unsigned)bit)) {
		av.assoc_id = id;
		av.assoc_value |= (unsigned)bit;
		if ((e = k_setopt(k->fd, SCTP_ENABLE_STREAM_RESET, &av, sizeof av)) < 0) {
			Tcl_DecrRefCount(en);
			return sh_err_errno(c->ip, "setsockopt(SCTP_ENABLE_STREAM_RESET)", e);
		}
		Tcl_ListObjAppendElement(NULL, en, Tcl_NewStringObj(req_name(bit), -1));
	}
	PUT(res, "enabled", en);
	return TCL_OK;
}

static int req_errno(sh_call *c, const char *call, int e)
{
	sh_err_errno(c->ip, call, e);
	const char *why = NULL;
	switch (-e) {
	case EINPROGRESS:
		why = "an earlier reconfiguration request of this association is still unanswered "
		      "(RFC 6525 §5.1.1: one outstanding request): wait for its event";
		break;
	case EAGAIN:
		why = "data is still queued for those streams: the kernel resets only idle streams "
		      "(RFC 6525 §5.1.2); wait for sender-dry and retry";
		break;
	case ENOPROTOOPT:
		why = "the association does not allow this request (RE-CONFIG not negotiated, or SCTP_ENABLE_STREAM_RESET)";
		break;
	case EINVAL:
		why = "the kernel refused the request (stream number out of range, or too many streams)";
		break;
	}
	if (why)
		Tcl_AppendResult(c->ip, ": ", why, NULL);
	return TCL_ERROR;
}

/* --wait MS: take the resulting event from the socket's queue into res */
static int await(sh_call *c, sh_sock *k, sctp_assoc_t id, int type, Tcl_Obj *res)
{
	sh_optval *w = sh_opt_get(c, "--wait");
	if (!w->set)
		return TCL_OK;
	Tcl_Obj *ev;
	if (sh_queue_take(c, k, 1, type, (int)id, (long)w->i, &ev) != TCL_OK)
		return TCL_ERROR;
	PUT(res, "event", ev);
	Tcl_DecrRefCount(ev); /* the dict holds it now */
	Tcl_Obj *fl = NULL;
	Tcl_DictObjGet(NULL, ev, Tcl_NewStringObj("flags", -1), &fl);
	if (fl && strstr(Tcl_GetString(fl), "denied"))
		PUTS(res, "note", "the peer denied the request: it must allow it too (on the peer: opt set "
				  "enable-stream-reset flags {reset-streams reset-assoc add-streams})");
	return TCL_OK;
}

static int start(sh_call *c, sh_sock **k, sctp_assoc_t *id, Tcl_Obj **res, struct sctp_status *st)
{
	sh_optval *w = sh_opt_get(c, "--wait");
	if (w->set && w->i < 0)
		return sh_err(c->ip, "usage", "--wait expects milliseconds >= 0, got %s", Tcl_GetString(w->obj));
	if (st_pick_assoc(c, k, id, 1) != TCL_OK)
		return TCL_ERROR;
	int e = k_status((*k)->fd, *id, st);
	if (e < 0)
		return sh_err_errno(c->ip, "getsockopt(SCTP_STATUS)", e);
	if (st->sstat_state != SCTP_ESTABLISHED)
		return sh_err(c->ip, "state", "association %d is not established", (int)st->sstat_assoc_id);
	*res = Tcl_NewDictObj();
	PUTI(*res, "assoc", st->sstat_assoc_id);
	return TCL_OK;
}

static int finish(sh_call *c, Tcl_Obj *res, int rc)
{
	if (rc == TCL_OK)
		Tcl_SetObjResult(c->ip, res);
	else
		Tcl_DecrRefCount(res);
	return rc;
}

static int cmd_reset_streams(sh_call *c)
{
	int out = sh_opt_isset(c, "--out"), in = sh_opt_isset(c, "--in");
	if (!out && !in)
		return sh_err(c->ip, "usage", "reset-streams needs --out (our outgoing streams, RFC 6525 §5.1.2) "
					      "and/or --in (ask the peer to reset its outgoing, §5.1.3)");
	if (c->npos > 65535)
		return sh_err(c->ip, "usage", "too many streams");
	uint16_t list[c->npos ? c->npos : 1];
	for (int i = 0; i < c->npos; i++) {
		Tcl_WideInt w;
		if (Tcl_GetWideIntFromObj(NULL, c->pos[i], &w) != TCL_OK || w < 0 || w > 65535)
			return sh_err(c->ip, "badvalue", "stream numbers are 0..65535, got \"%s\"", Tcl_GetString(c->pos[i]));
		list[i] = (uint16_t)w;
	}
	sh_sock *k;
	sctp_assoc_t id;
	Tcl_Obj *res;
	struct sctp_status st;
	if (start(c, &k, &id, &res, &st) != TCL_OK)
		return TCL_ERROR;
	for (int i = 0; i < c->npos; i++) {
		if (out && list[i] >= st.sstat_outstrms)
			return finish(c, res, sh_err(c->ip, "badvalue", "stream %d does not exist: association %d has %d outgoing streams (0..%d)",
						     list[i], (int)id, st.sstat_outstrms, st.sstat_outstrms - 1));
		if (in && list[i] >= st.sstat_instrms)
			return finish(c, res, sh_err(c->ip, "badvalue", "stream %d does not exist: association %d has %d incoming streams (0..%d)",
						     list[i], (int)id, st.sstat_instrms, st.sstat_instrms - 1));
	}
	if (prepare(c, k, id, SCTP_ENABLE_RESET_STREAM_REQ, res) != TCL_OK)
		return finish(c, res, TCL_ERROR);
	int flags = (out ? SCTP_STREAM_RESET_OUTGOING : 0) | (in ? SCTP_STREAM_RESET_INCOMING : 0);
	int e = k_reset_streams(k->fd, id, flags, list, c->npos);
	if (e < 0)
		return finish(c, res, req_errno(c, "setsockopt(SCTP_RESET_STREAMS)", e));
	Tcl_Obj *dir = sh_list();
	if (out)
		Tcl_ListObjAppendElement(NULL, dir, Tcl_NewStringObj("out", -1));
	if (in)
		Tcl_ListObjAppendElement(NULL, dir, Tcl_NewStringObj("in", -1));
	PUT(res, "direction", dir);
	if (c->npos) {
		Tcl_Obj *sl = sh_list();
		for (int i = 0; i < c->npos; i++)
			Tcl_ListObjAppendElement(NULL, sl, Tcl_NewIntObj(list[i]));
		PUT(res, "streams", sl);
	} else
		PUTS(res, "streams", "all");
	return finish(c, res, await(c, k, id, SCTP_STREAM_RESET_EVENT, res));
}

static int cmd_reset_assoc(sh_call *c)
{
	sh_sock *k;
	sctp_assoc_t id;
	Tcl_Obj *res;
	struct sctp_status st;
	if (start(c, &k, &id, &res, &st) != TCL_OK)
		return TCL_ERROR;
	if (prepare(c, k, id, SCTP_ENABLE_RESET_ASSOC_REQ, res) != TCL_OK)
		return finish(c, res, TCL_ERROR);
	int e = k_reset_assoc(k->fd, id);
	if (e < 0)
		return finish(c, res, req_errno(c, "setsockopt(SCTP_RESET_ASSOC)", e));
	return finish(c, res, await(c, k, id, SCTP_ASSOC_RESET_EVENT, res));
}

static int cmd_add_streams(sh_call *c)
{
	sh_optval *o = sh_opt_get(c, "--out"), *i = sh_opt_get(c, "--in");
	if (!o->set && !i->set)
		return sh_err(c->ip, "usage", "add-streams needs --out N and/or --in N (streams to add)");
	if ((o->set && (o->i < 0 || o->i > 65535)) || (i->set && (i->i < 0 || i->i > 65535)))
		return sh_err(c->ip, "badvalue", "stream counts to add are 0..65535");
	if (!o->i && !i->i)
		return sh_err(c->ip, "badvalue", "nothing to add: --out and --in are both 0");
	sh_sock *k;
	sctp_assoc_t id;
	Tcl_Obj *res;
	struct sctp_status st;
	if (start(c, &k, &id, &res, &st) != TCL_OK)
		return TCL_ERROR;
	if (st.sstat_outstrms + o->i > 65535 || st.sstat_instrms + i->i > 65535)
		return finish(c, res, sh_err(c->ip, "badvalue", "at most 65535 streams: association %d has %d out, %d in",
					     (int)id, st.sstat_outstrms, st.sstat_instrms));
	if (prepare(c, k, id, SCTP_ENABLE_CHANGE_ASSOC_REQ, res) != TCL_OK)
		return finish(c, res, TCL_ERROR);
	int e = k_add_streams(k->fd, id, (uint16_t)o->i, (uint16_t)i->i);
	if (e < 0)
		return finish(c, res, req_errno(c, "setsockopt(SCTP_ADD_STREAMS)", e));
	PUTI(res, "add-out", o->i);
	PUTI(res, "add-in", i->i);
	PUTI(res, "outstreams", st.sstat_outstrms);
	PUTI(res, "instreams", st.sstat_instrms);
	return finish(c, res, await(c, k, id, SCTP_STREAM_CHANGE_EVENT, res));
}

static const sh_opt rs_opts[] = {
	{"--out", SH_OPT_FLAG, NULL, "reset our outgoing streams (Outgoing SSN Reset Request, RFC 6525 §5.1.2)"},
	{"--in", SH_OPT_FLAG, NULL, "ask the peer to reset its outgoing streams (Incoming SSN Reset Request, §5.1.3)"},
	{"--assoc", SH_OPT_INT, "ID", "the association (default: the socket's only one)"},
	{"--socket", SH_OPT_STR, "S", "the socket (default: the current host's startup socket)"},
	{"--wait", SH_OPT_INT, "MS", "wait up to MS for the stream-reset event and return it as `event`"},
	{NULL, 0, NULL, NULL},
};

static const sh_opt ra_opts[] = {
	{"--assoc", SH_OPT_INT, "ID", "the association (default: the socket's only one)"},
	{"--socket", SH_OPT_STR, "S", "the socket (default: the current host's startup socket)"},
	{"--wait", SH_OPT_INT, "MS", "wait up to MS for the assoc-reset event and return it as `event`"},
	{NULL, 0, NULL, NULL},
};

static const sh_opt as_opts[] = {
	{"--out", SH_OPT_INT, "N", "outgoing streams to add (Add Outgoing Streams Request, RFC 6525 §5.1.5)"},
	{"--in", SH_OPT_INT, "N", "incoming streams to ask the peer to add (Add Incoming Streams Request, §5.1.6)"},
	{"--assoc", SH_OPT_INT, "ID", "the association (default: the socket's only one)"},
	{"--socket", SH_OPT_STR, "S", "the socket (default: the current host's startup socket)"},
	{"--wait", SH_OPT_INT, "MS", "wait up to MS for the stream-change event and return it as `event`"},
	{NULL, 0, NULL, NULL},
};

#define RECONF_NOTE                                                                                         \
	"Needs RE-CONFIG negotiated at association start-up (sysctl reconf_enable or opt reconfig-supported on " \
	"both ends);\n    this end's SCTP_ENABLE_STREAM_RESET is enabled for the association when needed (`enabled`),\n" \
	"    the peer's must allow the request or it answers denied. Without --wait the outcome arrives as an event."

const sh_cmd sh_cmds_reconf[] = {
	{"reset-streams", "?STREAM...?", "reset streams' SSNs to 0 (RFC 6525 SSN reset; no STREAM: all)", rs_opts, 0, -1,
	 cmd_reset_streams, NULL, RECONF_NOTE},
	{"reset-assoc", "", "reset the association's TSNs and all SSNs (SSN/TSN Reset Request, RFC 6525 §5.1.4)", ra_opts,
	 0, 0, cmd_reset_assoc, NULL, RECONF_NOTE},
	{"add-streams", "", "add outgoing and/or incoming streams (RFC 6525 §5.1.5, §5.1.6)", as_opts, 0, 0,
	 cmd_add_streams, NULL, RECONF_NOTE},
	{NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL},
};
