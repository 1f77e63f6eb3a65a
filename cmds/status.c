/* status, assocs: what the kernel knows about associations.
 *   status   one association in depth: SCTP_STATUS, every path
 *            (SCTP_GET_PEER_ADDR_INFO), local addresses, both verification
 *            tags (sock_diag: struct sctp_info), SCTP_GET_ASSOC_STATS
 *   assocs   one row per association of every socket (SCTP_GET_ASSOC_ID_LIST)
 * Also the association picker the opt and reconf families share. */
#define _GNU_SOURCE
#include "cmds.h"
#include "kern/kdiag.h"
#include "kern/kinfo.h"
#include <errno.h>
#include <string.h>
#include <sys/stat.h>



const char *st_state_name(int st)
{
	switch (st) {
	case SCTP_EMPTY: return "empty";
	case SCTP_CLOSED: return "closed";
	case SCTP_COOKIE_WAIT: return "cookie-wait";
	case SCTP_COOKIE_ECHOED: return "cookie-echoed";
	case SCTP_ESTABLISHED: return "established";
	case SCTP_SHUTDOWN_PENDING: return "shutdown-pending";
	case SCTP_SHUTDOWN_SENT: return "shutdown-sent";
	case SCTP_SHUTDOWN_RECEIVED: return "shutdown-received";
	case SCTP_SHUTDOWN_ACK_SENT: return "shutdown-ack-sent";
	}
	return "unknown";
}

static const char *path_state_name(int st)
{
	switch (st) {
	case SCTP_INACTIVE: return "inactive";
	case SCTP_PF: return "potentially-failed";
	case SCTP_ACTIVE: return "active";
	case SCTP_UNCONFIRMED: return "unconfirmed";
	}
	return "unknown";
}

Tcl_Obj *st_ids_obj(const sctp_assoc_t *ids, int n)
{
	Tcl_Obj *l = sh_list();
	for (int i = 0; i < n; i++)
		Tcl_ListObjAppendElement(NULL, l, Tcl_NewWideIntObj(ids[i]));
	return l;
}

/* The socket (--socket, else the current host's startup socket) and the
 * association (--assoc ID; else the only one on the socket).
 * need=0: no --assoc and no association is fine (*idp = 0: socket defaults,
 * SCTP_FUTURE_ASSOC); need=1: an association is required. */
int st_pick_assoc(sh_call *c, sh_sock **kp, sctp_assoc_t *idp, int need)
{
	sh_sock *k;
	int want;
	if (sh_sock_resolve(c, &k) != TCL_OK || sh_get_assoc(c, &want) != TCL_OK)
		return TCL_ERROR;
	if (k->fd < 0)
		return sh_err(c->ip, "closed", "socket %s is closed", k->name);
	*kp = k;
	*idp = 0;
	if (k->type == SOCK_STREAM) {
		/* one-to-one: the socket is the association (ids do not apply) */
		struct sctp_status st;
		int e = k_status(k->fd, 0, &st);
		if (e < 0 || st.sstat_state < SCTP_COOKIE_WAIT) {
			if (!need && !want)
				return TCL_OK;
			return sh_err(c->ip, "noassoc", "socket %s (one-to-one) has no association", k->name);
		}
		if (want && want != st.sstat_assoc_id)
			return sh_err(c->ip, "noassoc", "socket %s has association %d, not %d", k->name,
				      (int)st.sstat_assoc_id, want);
		*idp = 0;
		return TCL_OK;
	}
	sctp_assoc_t ids[256];
	int n = k_assoc_ids(k->fd, ids, 256);
	if (n < 0)
		return sh_err_errno(c->ip, "getsockopt(SCTP_GET_ASSOC_ID_LIST)", n);
	if (want) {
		for (int i = 0; i < n; i++)
			if (ids[i] == want) {
				*idp = want;
				return TCL_OK;
			}
		Tcl_Obj *l = st_ids_obj(ids, n);
		Tcl_IncrRefCount(l);
		sh_err(c->ip, "noassoc", "socket %s on host %s has no association %d (it has: %s)", k->name,
		       k->host->name, want, n ? Tcl_GetString(l) : "none");
		Tcl_DecrRefCount(l);
		return TCL_ERROR;
	}
	if (!need)
		return TCL_OK;
	if (n == 1) {
		*idp = ids[0];
		return TCL_OK;
	}
	if (n == 0)
		return sh_err(c->ip, "noassoc", "socket %s on host %s has no association (connect first; see: assocs)",
			      k->name, k->host->name);
	Tcl_Obj *l = st_ids_obj(ids, n);
	Tcl_IncrRefCount(l);
	sh_err(c->ip, "ambiguous", "socket %s on host %s has %d associations (%s): choose one with --assoc ID",
	       k->name, k->host->name, n, Tcl_GetString(l));
	Tcl_DecrRefCount(l);
	return TCL_ERROR;
}

static uint32_t sock_inode(int fd)
{
	struct stat sb;
	return fstat(fd, &sb) < 0 ? 0 : (uint32_t)sb.st_ino;
}

static Tcl_Obj *addrs_obj(const struct sockaddr_storage *a, int n)
{
	Tcl_Obj *l = sh_list();
	for (int i = 0; i < n; i++)
		Tcl_ListObjAppendElement(NULL, l, sh_addr_obj((const struct sockaddr *)&a[i]));
	return l;
}

static Tcl_Obj *stats_obj(const struct sctp_assoc_stats *s)
{
	Tcl_Obj *d = Tcl_NewDictObj();
	PUTI(d, "rtxchunks", s->sas_rtxchunks);
	PUTI(d, "gapcnt", s->sas_gapcnt);
	PUTI(d, "outofseqtsns", s->sas_outofseqtsns);
	PUTI(d, "osacks", s->sas_osacks);
	PUTI(d, "isacks", s->sas_isacks);
	PUTI(d, "octrlchunks", s->sas_octrlchunks);
	PUTI(d, "ictrlchunks", s->sas_ictrlchunks);
	PUTI(d, "oodchunks", s->sas_oodchunks);
	PUTI(d, "iodchunks", s->sas_iodchunks);
	PUTI(d, "ouodchunks", s->sas_ouodchunks);
	PUTI(d, "iuodchunks", s->sas_iuodchunks);
	PUTI(d, "idupchunks", s->sas_idupchunks);
	PUTI(d, "opackets", s->sas_opackets);
	PUTI(d, "ipackets", s->sas_ipackets);
	PUTI(d, "maxrto", s->sas_maxrto);
	const struct sockaddr *ma = (const struct sockaddr *)&s->sas_obs_rto_ipaddr;
	PUT(d, "maxrto-addr",
	    ma->sa_family == AF_INET || ma->sa_family == AF_INET6 ? sh_addr_obj(ma) : Tcl_NewStringObj("", 0));
	return d;
}

static int cmd_status(sh_call *c)
{
	sh_sock *k;
	sctp_assoc_t id;
	if (st_pick_assoc(c, &k, &id, 1) != TCL_OK)
		return TCL_ERROR;
	struct sctp_status st;
	int e = k_status(k->fd, id, &st);
	if (e < 0)
		return sh_err_errno(c->ip, "getsockopt(SCTP_STATUS)", e);
	struct sockaddr_storage prim, peers[K_MAX_ADDRS], locals[K_MAX_ADDRS];
	memcpy(&prim, (char *)&st + offsetof(struct sctp_status, sstat_primary) +
			      offsetof(struct sctp_paddrinfo, spinfo_address), sizeof prim);
	int np = k_paddrs(k->fd, id, peers, K_MAX_ADDRS);
	if (np < 0)
		return sh_err_errno(c->ip, "sctp_getpaddrs", np);
	int nl = k_laddrs(k->fd, id, locals, K_MAX_ADDRS);
	if (nl < 0)
		return sh_err_errno(c->ip, "sctp_getladdrs", nl);

	Tcl_Obj *d = Tcl_NewDictObj();
	PUTI(d, "assoc", st.sstat_assoc_id);
	PUTS(d, "socket", k->name);
	PUTS(d, "host", k->host->name);
	PUTS(d, "state", st_state_name(st.sstat_state));
	PUTI(d, "instreams", st.sstat_instrms);
	PUTI(d, "outstreams", st.sstat_outstrms);
	PUTI(d, "rwnd", st.sstat_rwnd);
	PUTI(d, "unacked", st.sstat_unackdata);
	PUTI(d, "pending", st.sstat_penddata);
	PUTI(d, "fragmentation-point", st.sstat_fragmentation_point);
	PUT(d, "primary", sh_addr_obj((struct sockaddr *)&prim));
	int lport = nl > 0 ? sh_sa_port((struct sockaddr *)&locals[0]) : k->port;
	int pport = np > 0 ? sh_sa_port((struct sockaddr *)&peers[0]) : 0;
	PUTI(d, "local-port", lport);
	PUTI(d, "peer-port", pport);

	/* verification tags: only sock_diag shows them (RFC 9260 §8.5) */
	k_diag_assoc *da = ckalloc(sizeof *da);
	int de = sh_in_netns(c->s, k->host);
	if (de == 0)
		de = k_diag_find(sock_inode(k->fd), pport, peers, np, da);
	sh_back_netns(c->s);
	if (de == 0 && da->have_info) {
		PUTI(d, "vtag", da->info.sctpi_tag);
		PUTI(d, "peer-vtag", da->info.sctpi_peer_tag);
		PUTI(d, "peer-rwnd", da->info.sctpi_peer_rwnd);
		PUTI(d, "overall-error", da->info.sctpi_overall_error);
	} else {
		PUTS(d, "vtag", "");
		PUTS(d, "peer-vtag", "");
		PUTS(d, "vtag-error", de == -ENOENT ? "association not found by sock_diag"
				     : de < 0 ? Tcl_ErrnoMsg(-de) : "no INET_DIAG_INFO");
	}
	ckfree(da);

	Tcl_Obj *paths = sh_list();
	for (int i = 0; i < np; i++) {
		struct sctp_paddrinfo pi;
		Tcl_Obj *p = Tcl_NewDictObj();
		PUT(p, "addr", sh_addr_obj((struct sockaddr *)&peers[i]));
		if ((e = k_paddrinfo(k->fd, id, &peers[i], &pi)) == 0) {
			PUTS(p, "state", path_state_name(pi.spinfo_state));
			PUTI(p, "cwnd", pi.spinfo_cwnd);
			PUTI(p, "srtt", pi.spinfo_srtt);
			PUTI(p, "rto", pi.spinfo_rto);
			PUTI(p, "mtu", pi.spinfo_mtu);
		} else {
			PUTS(p, "state", "unknown");
			PUTS(p, "error", Tcl_ErrnoMsg(-e));
		}
		PUT(p, "primary", Tcl_NewBooleanObj(k_same_addr((struct sockaddr *)&peers[i], (struct sockaddr *)&prim)));
		Tcl_ListObjAppendElement(NULL, paths, p);
	}
	PUT(d, "paths", paths);
	PUT(d, "local", addrs_obj(locals, nl));
	struct sctp_assoc_stats as;
	if ((e = k_assoc_stats(k->fd, id, &as)) == 0)
		PUT(d, "stats", stats_obj(&as));
	else
		PUT(d, "stats", Tcl_NewDictObj());
	Tcl_SetObjResult(c->ip, d);
	return TCL_OK;
}

/* ---- assocs -------------------------------------------------------------- */

static Tcl_Obj *assoc_row(sh_sock *k, sctp_assoc_t id)
{
	struct sctp_status st;
	if (k_status(k->fd, id, &st) < 0)
		return NULL;
	if (k->type == SOCK_STREAM && st.sstat_state < SCTP_COOKIE_WAIT)
		return NULL;
	struct sockaddr_storage prim, peers[K_MAX_ADDRS];
	memcpy(&prim, (char *)&st + offsetof(struct sctp_status, sstat_primary) +
			      offsetof(struct sctp_paddrinfo, spinfo_address), sizeof prim);
	int np = k_paddrs(k->fd, id, peers, K_MAX_ADDRS);
	if (np < 0)
		np = 0;
	Tcl_Obj *d = Tcl_NewDictObj();
	PUTS(d, "socket", k->name);
	PUTS(d, "host", k->host->name);
	PUTI(d, "assoc", st.sstat_assoc_id);
	PUTS(d, "state", st_state_name(st.sstat_state));
	PUT(d, "primary", sh_addr_obj((struct sockaddr *)&prim));
	PUTI(d, "peer-port", np ? sh_sa_port((struct sockaddr *)&peers[0]) : 0);
	PUT(d, "peers", addrs_obj(peers, np));
	PUTI(d, "outstreams", st.sstat_outstrms);
	PUTI(d, "instreams", st.sstat_instrms);
	return d;
}

struct others {
	Tcl_Obj *list;
	const char *host;
	uint32_t *inodes;
	int ninodes;
};

static int other_cb(const k_diag_assoc *a, void *p)
{
	struct others *o = p;
	for (int i = 0; i < o->ninodes; i++)
		if (o->inodes[i] == a->inode)
			return 0; /* one of ours: listed already */
	Tcl_Obj *d = Tcl_NewDictObj();
	PUTS(d, "socket", "");
	PUTS(d, "host", o->host);
	PUTS(d, "assoc", "");
	/* sock_diag reports the kernel's internal state (SCTP_STATE_CLOSED = 0, ...),
	 * one less than the socket API's sstat_state (SCTP_EMPTY = 0, SCTP_CLOSED = 1) */
	PUTS(d, "state", st_state_name((a->have_info ? (int)a->info.sctpi_state : a->state) + 1));
	PUT(d, "primary", a->have_info ? sh_addr_obj((const struct sockaddr *)&a->info.sctpi_p_address)
				       : Tcl_NewStringObj("", 0));
	PUTI(d, "peer-port", a->dport);
	PUT(d, "peers", addrs_obj(a->peers, a->npeers));
	PUTI(d, "outstreams", a->have_info ? a->info.sctpi_outstrms : 0);
	PUTI(d, "instreams", a->have_info ? a->info.sctpi_instrms : 0);
	PUTI(d, "local-port", a->sport);
	PUTI(d, "inode", a->inode);
	Tcl_ListObjAppendElement(NULL, o->list, d);
	return 0;
}

static int cmd_assocs(sh_call *c)
{
	sh_session *s = c->s;
	sh_optval *hv = sh_opt_get(c, "--host");
	sh_host *only = NULL;
	sh_sock *ks = NULL;
	if (hv->set && !(only = sh_host_find(s, hv->s)))
		return sh_err(c->ip, "nohost", "no host named \"%s\" (see: hosts)", hv->s);
	if (sh_opt_isset(c, "--socket") && sh_sock_resolve(c, &ks) != TCL_OK)
		return TCL_ERROR;
	Tcl_Obj *l = sh_list();
	for (int i = 0; i < SH_MAX_SOCKS; i++) {
		sh_sock *k = s->socks[i];
		if (!k || k->fd < 0 || (ks && k != ks) || (only && k->host != only))
			continue;
		if (k->type == SOCK_STREAM) {
			Tcl_Obj *r = assoc_row(k, 0);
			if (r)
				Tcl_ListObjAppendElement(NULL, l, r);
			continue;
		}
		sctp_assoc_t ids[256];
		int n = k_assoc_ids(k->fd, ids, 256);
		for (int j = 0; j < n; j++) {
			Tcl_Obj *r = assoc_row(k, ids[j]);
			if (r)
				Tcl_ListObjAppendElement(NULL, l, r);
		}
	}
	if (sh_opt_isset(c, "--all") && !ks) {
		/* associations of sockets this shell does not own (other programs, in
		 * the hosts' namespaces), as sock_diag shows them */
		uint32_t inodes[SH_MAX_SOCKS];
		int ni = 0;
		for (int i = 0; i < SH_MAX_SOCKS; i++)
			if (s->socks[i] && s->socks[i]->fd >= 0)
				inodes[ni++] = sock_inode(s->socks[i]->fd);
		for (int h = 0; h < s->nhosts; h++) {
			if (only && &s->hosts[h] != only)
				continue;
			struct others o = {l, s->hosts[h].name, inodes, ni};
			int e = sh_in_netns(s, &s->hosts[h]);
			if (e == 0)
				e = k_diag_assocs(other_cb, &o);
			sh_back_netns(s);
			if (e < 0) {
				Tcl_DecrRefCount(l);
				return sh_err_errno(c->ip, "sock_diag(SCTP)", e);
			}
		}
	}
	Tcl_SetObjResult(c->ip, l);
	return TCL_OK;
}

static const sh_opt status_opts[] = {
	{"--assoc", SH_OPT_INT, "ID", "the association (default: the socket's only one)"},
	{"--socket", SH_OPT_STR, "S", "the socket (default: the current host's startup socket)"},
	{NULL, 0, NULL, NULL},
};

static const sh_opt assocs_opts[] = {
	{"--socket", SH_OPT_STR, "S", "only this socket's associations"},
	{"--host", SH_OPT_STR, "H", "only sockets of host H"},
	{"--all", SH_OPT_FLAG, NULL, "also associations of other programs' sockets in the hosts' namespaces (sock_diag)"},
	{NULL, 0, NULL, NULL},
};

const sh_cmd sh_cmds_status[] = {
	{"status", "", "one association in depth: state, streams, paths, local addresses, vtags, counters",
	 status_opts, 0, 0, cmd_status, NULL,
	 "Fields: assoc socket host state instreams outstreams rwnd unacked pending fragmentation-point\n"
	 "    primary local-port peer-port vtag peer-vtag (sock_diag INET_DIAG_INFO: sctpi_tag, sctpi_peer_tag;\n"
	 "    RFC 9260 §8.5: our vtag is the peer's peer-vtag) peer-rwnd overall-error;\n"
	 "    paths: {addr state cwnd srtt rto mtu primary} per peer address (SCTP_GET_PEER_ADDR_INFO;\n"
	 "    state active|inactive|unconfirmed|potentially-failed); local: sctp_getladdrs;\n"
	 "    stats: SCTP_GET_ASSOC_STATS (the kernel restarts maxrto at every read).",
	 "assoc:n socket:s host:s state:s instreams:n outstreams:n rwnd:n unacked:n pending:n "
	 "fragmentation-point:n primary:a local-port:n peer-port:n vtag:n peer-vtag:n peer-rwnd:n "
	 "overall-error:n paths:r paths.addr:a paths.state:s paths.cwnd:n paths.srtt:n paths.rto:n "
	 "paths.mtu:n paths.primary:b local:l stats:d stats.*:n stats.maxrto-addr:a"},
	{"assocs", "", "every association of every socket (one row each)", assocs_opts, 0, 0, cmd_assocs, NULL,
	 "Rows: socket host assoc state primary peer-port peers outstreams instreams.",
	 "peers:l"},
	{NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL},
};
