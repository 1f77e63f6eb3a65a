/* Data and events: send (sctp_sendv, RFC 6458 §9.12), recv, wait, drain.
 * Arrivals are queued per socket by the session's reader; recv and wait
 * take from that queue, so nothing is seen twice or lost to the prompt. */
#include "cmds.h"
#include "kern/kconn.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#define SH_SEND_MAX (64 * 1024 * 1024)

static const sh_opt send_opts[] = {
	{"--assoc", SH_OPT_INT, "ID", "the association (default: the socket's only one)"},
	{"--to", SH_OPT_STR, "ADDR[:PORT]", "send to this peer (one-to-many: may start an association)"},
	{"--stream", SH_OPT_INT, "N", "stream id (default 0)"},
	{"--ppid", SH_OPT_INT, "N", "payload protocol identifier (default 0)"},
	{"--unordered", SH_OPT_FLAG, NULL, "unordered delivery (U bit)"},
	{"--ttl", SH_OPT_INT, "MS", "PR-SCTP: abandon after MS ms (RFC 3758, SCTP_PR_SCTP_TTL)"},
	{"--rtx", SH_OPT_INT, "N", "PR-SCTP: abandon after N retransmissions (SCTP_PR_SCTP_RTX)"},
	{"--prio", SH_OPT_INT, "N", "PR-SCTP: priority policy (SCTP_PR_SCTP_PRIO)"},
	{"--addr-over", SH_OPT_STR, "ADDR", "send on the path to this peer address (SCTP_ADDR_OVER)"},
	{"--size", SH_OPT_INT, "N", "send N bytes: DATA repeated, or a-z pattern"},
	{"--context", SH_OPT_INT, "N", "context echoed in send-failed events"},
	{"--socket", SH_OPT_STR, "S", "the socket (default: the current host's startup socket)"},
	{"--timeout", SH_OPT_INT, "MS", "wait up to MS ms for send buffer space, and for a new association's id (default 10000)"},
	{NULL, 0, NULL, NULL},
};

static int peer_port(sh_sock *k, int id)
{
	struct sctp_status st;
	if (id && kc_status(k->fd, id, &st) == 0)
		return sh_sa_port((struct sockaddr *)&st.sstat_primary.spinfo_address);
	return SH_DEFAULT_PORT;
}

static int cmd_send(sh_call *c)
{
	sh_sock *k;
	if (sh_sock_resolve(c, &k) != TCL_OK)
		return TCL_ERROR;
	if (k->fd < 0)
		return sh_err(c->ip, "closed", "socket %s is closed", k->name);
	sh_optval *to = sh_opt_get(c, "--to"), *ao = sh_opt_get(c, "--addr-over"), *v;
	kc_send p;
	memset(&p, 0, sizeof p);
	int id = 0, npr = 0;
	struct sockaddr_storage dst;
	int have_dst = 0;
	if (to->set && (sh_opt_isset(c, "--assoc") || ao->set))
		return sh_err(c->ip, "usage", "send: --to ADDR names the peer; do not combine it with %s",
			      ao->set ? "--addr-over" : "--assoc");
	if (to->set) {
		if (sh_get_addr(c->ip, to->obj, SH_DEFAULT_PORT, &dst) != TCL_OK ||
		    sockc_family_ok(c, k, &dst, 1) != TCL_OK)
			return TCL_ERROR;
		have_dst = 1;
		id = (int)kc_assoc_of_peer(k->fd, &dst);
		if (k->type == SOCK_STREAM && !id)
			return sh_err(c->ip, "noassoc", "send --to %s: socket %s is one-to-one and not associated "
				      "with that address", to->s, k->name);
	} else {
		if (sockc_assoc(c, k, &id, NULL) != TCL_OK)
			return TCL_ERROR;
	}
	struct sctp_status st;
	int known = id && kc_status(k->fd, id, &st) == 0;
	if (ao->set) {
		if (sh_get_addr(c->ip, ao->obj, peer_port(k, id), &dst) != TCL_OK)
			return TCL_ERROR;
		if (kc_assoc_of_peer(k->fd, &dst) != id)
			return sh_err(c->ip, "badaddr", "--addr-over %s: not a peer address of association %d "
				      "(see: status)", ao->s, id);
		have_dst = 1;
		p.flags |= SCTP_ADDR_OVER;
	}
	if ((v = sh_opt_get(c, "--stream"))->set) {
		if (v->i < 0 || v->i > 65535)
			return sh_err(c->ip, "usage", "--stream expects 0..65535, got %s", v->s);
		p.sid = (uint16_t)v->i;
	}
	if (known && p.sid >= st.sstat_outstrms)
		return sockc_errno(c->ip, "EINVAL", "send: stream %d beyond the association's %d outbound streams "
			      "(EINVAL; ask for more with: connect --streams N)", p.sid, st.sstat_outstrms);
	if ((v = sh_opt_get(c, "--ppid"))->set) {
		if (v->i < 0 || v->i > 0xffffffffLL)
			return sh_err(c->ip, "usage", "--ppid expects 0..4294967295, got %s", v->s);
		p.ppid = (uint32_t)v->i;
	}
	if ((v = sh_opt_get(c, "--context"))->set) {
		if (v->i < 0 || v->i > 0xffffffffLL)
			return sh_err(c->ip, "usage", "--context expects 0..4294967295, got %s", v->s);
		p.context = (uint32_t)v->i;
	}
	if (sh_opt_isset(c, "--unordered"))
		p.flags |= SCTP_UNORDERED;
	static const struct {
		const char *opt;
		uint16_t policy;
	} prs[] = {{"--ttl", SCTP_PR_SCTP_TTL}, {"--rtx", SCTP_PR_SCTP_RTX}, {"--prio", SCTP_PR_SCTP_PRIO}};
	for (int i = 0; i < 3; i++)
		if ((v = sh_opt_get(c, prs[i].opt))->set) {
			if (v->i < 0 || v->i > 0xffffffffLL)
				return sh_err(c->ip, "usage", "%s expects 0..4294967295, got %s", prs[i].opt, v->s);
			p.pr_policy = prs[i].policy;
			p.pr_value = (uint32_t)v->i;
			npr++;
		}
	if (npr > 1)
		return sh_err(c->ip, "usage", "send: --ttl, --rtx and --prio are exclusive (one PR-SCTP policy)");
	/* the payload, binary-safe */
	Tcl_Size dl = 0;
	const unsigned char *data = c->npos ? Tcl_GetByteArrayFromObj(c->pos[0], &dl) : NULL;
	unsigned char *buf = NULL;
	size_t len = (size_t)dl;
	if ((v = sh_opt_get(c, "--size"))->set) {
		if (v->i < 1 || v->i > SH_SEND_MAX)
			return sh_err(c->ip, "usage", "--size expects 1..%d, got %s", SH_SEND_MAX, v->s);
		len = (size_t)v->i;
		if (!(buf = malloc(len)))
			return sh_err(c->ip, "nomem", "send --size %s: out of memory", v->s);
		for (size_t i = 0; i < len; i++)
			buf[i] = dl ? data[i % (size_t)dl] : (unsigned char)('a' + i % 26);
		data = buf;
	}
	if (!len)
		return sh_err(c->ip, "usage", "send: nothing to send (give DATA or --size N)");
	p.assoc = id;
	long timeout = 10000;
	if ((v = sh_opt_get(c, "--timeout"))->set)
		timeout = (long)v->i;
	Tcl_Time t0, now;
	Tcl_GetTime(&t0);
	int n;
	for (;;) {
		n = kc_sendv(k->fd, data, len, have_dst ? &dst : NULL, &p);
		if (n != -EAGAIN)
			break;
		/* send buffer full: let the event loop run (Ctrl-C works) */
		Tcl_GetTime(&now);
		long el = (long)((now.sec - t0.sec) * 1000 + (now.usec - t0.usec) / 1000);
		if (timeout >= 0 && el >= timeout) {
			free(buf);
			return sh_err(c->ip, "timeout", "send: no send buffer space within %ld ms (EAGAIN); the message was not queued",
				      timeout);
		}
		if (sh_wait_events(c->s, c->ip, 20, NULL) != TCL_OK) {
			free(buf);
			return TCL_ERROR;
		}
	}
	free(buf);
	if (n < 0) {
		char call[200];
		snprintf(call, sizeof call, "sctp_sendv(%zu bytes, assoc %d, stream %d)", len, id, p.sid);
		if (n == -EINVAL && id && !known)
			return sockc_noassoc(c, k, id);
		if (n == -EINVAL && id && kc_status(k->fd, id, &st) == 0 && p.sid >= st.sstat_outstrms)
			return sockc_errno(c->ip, "EINVAL", "send: stream %d beyond the association's %d outbound "
				      "streams (EINVAL)", p.sid, st.sstat_outstrms);
		if (n == -EMSGSIZE) {
			sh_err_errno(c->ip, call, n);
			Tcl_AppendResult(c->ip, ": the message is larger than the socket's send buffer "
				  "(SO_SNDBUF) or fragmentation is disabled", NULL);
			return TCL_ERROR;
		}
		return sh_err_errno(c->ip, call, n);
	}
	if (!id && have_dst)
		id = (int)kc_assoc_of_peer(k->fd, &dst); /* an implicitly started association */
	/* Linux gives an association started by sendmsg() its id only when the
	 * INIT ACK arrives (sctp_process_init); until then it is listed as id 0 and
	 * cannot be found by address. Wait for it (event loop running, Ctrl-C) up to
	 * --timeout, as the blocking sendmsg() did; assoc 0 if it did not come. */
	while (!id && have_dst) {
		Tcl_GetTime(&now);
		long el = (long)((now.sec - t0.sec) * 1000 + (now.usec - t0.usec) / 1000);
		if (timeout >= 0 && el >= timeout)
			break;
		if (sh_wait_events(c->s, c->ip, 5, NULL) != TCL_OK)
			return TCL_ERROR;
		id = (int)kc_assoc_of_peer(k->fd, &dst);
	}
	Tcl_Obj *d = Tcl_NewDictObj();
	Tcl_DictObjPut(NULL, d, Tcl_NewStringObj("assoc", -1), Tcl_NewIntObj(id));
	Tcl_DictObjPut(NULL, d, Tcl_NewStringObj("stream", -1), Tcl_NewIntObj(p.sid));
	Tcl_DictObjPut(NULL, d, Tcl_NewStringObj("bytes", -1), Tcl_NewWideIntObj(n));
	Tcl_SetObjResult(c->ip, d);
	return TCL_OK;
}

static long get_timeout(sh_call *c, long def)
{
	sh_optval *v = sh_opt_get(c, "--timeout");
	return v && v->set ? (long)v->i : def;
}

static const sh_opt recv_opts[] = {
	{"--timeout", SH_OPT_INT, "MS", "wait up to MS ms (default 5000; -1 forever)"},
	{"--assoc", SH_OPT_INT, "ID", "only a message of this association"},
	{"--socket", SH_OPT_STR, "S", "the socket (default: the current host's startup socket)"},
	{NULL, 0, NULL, NULL},
};

static int cmd_recv(sh_call *c)
{
	sh_sock *k;
	int id;
	Tcl_Obj *out;
	if (sh_sock_resolve(c, &k) != TCL_OK || sh_get_assoc(c, &id) != TCL_OK)
		return TCL_ERROR;
	if (sh_queue_take(c, k, 0, -1, id, get_timeout(c, 5000), &out) != TCL_OK)
		return TCL_ERROR;
	Tcl_SetObjResult(c->ip, out);
	Tcl_DecrRefCount(out);
	return TCL_OK;
}

static const sh_opt wait_opts[] = {
	{"--assoc", SH_OPT_INT, "ID", "only an event of this association"},
	{"--timeout", SH_OPT_INT, "MS", "wait up to MS ms (default 5000; -1 forever)"},
	{"--socket", SH_OPT_STR, "S", "the socket (default: the current host's startup socket)"},
	{NULL, 0, NULL, NULL},
};

static int cmd_wait(sh_call *c)
{
	static const char *names[32];
	if (!names[0]) {
		int i = 0;
		for (; sh_event_names[i] && i < 30; i++)
			names[i] = sh_event_names[i];
		names[i] = "any";
	}
	int idx, id;
	if (Tcl_GetIndexFromObj(c->ip, c->pos[0], names, "event", 0, &idx) != TCL_OK) {
		Tcl_SetErrorCode(c->ip, "SCTPSH", "usage", "wait", NULL);
		return TCL_ERROR;
	}
	int type = strcmp(names[idx], "any") ? sh_event_type(names[idx]) : -1;
	sh_sock *k;
	Tcl_Obj *out;
	if (sh_sock_resolve(c, &k) != TCL_OK || sh_get_assoc(c, &id) != TCL_OK)
		return TCL_ERROR;
	if (sh_queue_take(c, k, 1, type, id, get_timeout(c, 5000), &out) != TCL_OK)
		return TCL_ERROR;
	Tcl_SetObjResult(c->ip, out);
	Tcl_DecrRefCount(out);
	return TCL_OK;
}

static const sh_opt drain_opts[] = {
	{"--socket", SH_OPT_STR, "S", "the socket (default: the current host's startup socket)"},
	{NULL, 0, NULL, NULL},
};

static int cmd_drain(sh_call *c)
{
	sh_sock *k;
	if (sh_sock_resolve(c, &k) != TCL_OK)
		return TCL_ERROR;
	sh_sock_pump(c->s, k);
	Tcl_Obj *l = sh_list();
	sh_item *it = k->qhead;
	while (it) {
		sh_item *n = it->next;
		Tcl_ListObjAppendElement(NULL, l, it->dict);
		Tcl_DecrRefCount(it->dict);
		ckfree(it);
		it = n;
	}
	k->qhead = k->qtail = NULL;
	k->qlen = 0;
	Tcl_SetObjResult(c->ip, l);
	return TCL_OK;
}

const sh_cmd sh_cmds_io[] = {
	{"send", "?DATA?", "send a message (sctp_sendv); returns {assoc stream bytes}", send_opts, 0, 1,
	 cmd_send, NULL,
	 "DATA is sent as bytes, binary-safe (a Tcl byte array: binary format, or what recv returned; "
	 "characters above U+00FF are cut to their low byte, so send text as [encoding convertto utf-8 $t]). "
	 "--to on a one-to-many socket may start an association; --addr-over "
	 "sends on the path to that peer address. Errors: unknown association (noassoc), stream "
	 "beyond the outbound count (EINVAL), message larger than the send buffer (EMSGSIZE).",
	 "assoc:n stream:n bytes:n"},
	{"recv", "", "take the next queued message: {assoc stream ssn tsn cumtsn ppid from flags size data}",
	 recv_opts, 0, 0, cmd_recv, NULL, "Timeout gives errorCode {SCTPSH timeout}.",
	 "assoc:n stream:n ssn:n tsn:n cumtsn:n ppid:n from:a size:n"},
	{"wait", "EVENT", "take the next queued notification EVENT (or any) and return its dict", wait_opts,
	 1, 1, cmd_wait, NULL,
	 "EVENT: assoc-change peer-addr-change send-failed remote-error shutdown partial-delivery "
	 "adaptation authentication sender-dry stream-reset assoc-reset stream-change chunk any.",
	 "event:s state:s cause:n instreams:n outstreams:n addr:a local-tsn:n remote-tsn:n keynumber:n "
	 "seq:n features:l streams:ln"},
	{"drain", "", "take everything queued on a socket (messages have data, events have event)",
	 drain_opts, 0, 0, cmd_drain, NULL, NULL},
	{NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL},
};
