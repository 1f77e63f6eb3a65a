/* Dynamic addresses (RFC 5061 ADD-IP): addip, delip, setprim, setpeerprim.
 *
 * Linux applies sctp_bindx to the whole endpoint and sends ASCONF to every
 * ASCONF-capable association of the socket. With --assoc on a one-to-many
 * socket the association is first peeled off into its own one-to-one socket
 * (the result says which), so only that association is touched.
 *
 * --nonlocal: sctp_do_bind() asks af->available(): on Linux 6.1,
 * sctp_v4_available() accepts an address that is not local when the socket
 * has IP_FREEBIND or net.ipv4.ip_nonlocal_bind=1, and sctp_v6_available()
 * when ipv6_can_nonlocal_bind() (IPV6_FREEBIND/IP_FREEBIND, IP_TRANSPARENT or
 * net.ipv6.ip_nonlocal_bind=1). We set IP_FREEBIND/IPV6_FREEBIND on the
 * socket for the call and restore it afterwards. */
#include "cmds.h"
#include "kern/kconn.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>


#define MAXADDRS 32
#define ASCONF_HINT                                                                                \
	"enable ASCONF on both hosts before the association starts: sysctl net.sctp.addip_enable=1 " \
	"and net.sctp.auth_enable=1 (or net.sctp.addip_noauth_enable=1)"

static const sh_opt addip_opts[] = {
	{"--assoc", SH_OPT_INT, "ID", "touch only this association (peeled off a one-to-many socket)"},
	{"--nonlocal", SH_OPT_FLAG, NULL, "allow an address this host does not own (IP_FREEBIND)"},
	{"--socket", SH_OPT_STR, "S", "the socket (default: the current host's startup socket)"},
	{NULL, 0, NULL, NULL},
};

static const sh_opt delip_opts[] = {
	{"--assoc", SH_OPT_INT, "ID", "touch only this association (peeled off a one-to-many socket)"},
	{"--socket", SH_OPT_STR, "S", "the socket (default: the current host's startup socket)"},
	{NULL, 0, NULL, NULL},
};

static int addip_common(sh_call *c, int add)
{
	sh_sock *k;
	if (sh_sock_resolve(c, &k) != TCL_OK)
		return TCL_ERROR;
	if (k->fd < 0)
		return sh_err(c->ip, "closed", "socket %s is closed", k->name);
	struct sockaddr_storage a[MAXADDRS];
	int n;
	if (sockc_addrs(c, c->pos, c->npos, k->port, a, MAXADDRS, &n) != TCL_OK ||
	    sockc_family_ok(c, k, a, n) != TCL_OK)
		return TCL_ERROR;
	for (int i = 0; i < n; i++)
		if (sh_sa_port((struct sockaddr *)&a[i]) != k->port) {
			return sh_err(c->ip, "badaddr", "%s: the port must be the socket's (%d)",
				      Tcl_GetString(c->pos[0]), k->port);
		}
	char args[256], call[320];
	sockc_argstr(args, sizeof args, c->pos, c->npos);
	snprintf(call, sizeof call, "sctp_bindx(%s, %s)", args, add ? "ADD" : "REM");
	if (kc_local_port(k->fd) > 0 && kc_bound_wildcard(k->fd) == 1)
		return sh_err(c->ip, "wildcard",
			      "%s: socket %s is bound to the wildcard address: Linux cannot add or remove "
			      "addresses of such an endpoint (sctp_do_bind refuses with EINVAL, REM with EBUSY); "
			      "use a socket bound to explicit addresses: socket --port N --bind ADDR --bind ADDR",
			      call, k->name);
	if (add && !sh_opt_isset(c, "--nonlocal")) {
		/* refuse before peeling anything off */
		for (int i = 0; i < n; i++) {
			int loc = sh_in_netns(c->s, k->host);
			if (loc == 0)
				loc = kc_addr_is_local(&a[i]);
			sh_back_netns(c->s);
			if (loc == 0) {
				char b[80];
				return sockc_errno(c->ip, "EADDRNOTAVAIL",
						   "%s: EADDRNOTAVAIL: %s is not an address of host %s "
						   "(--nonlocal adds it anyway)", call,
						   sh_addr_str((struct sockaddr *)&a[i], b, sizeof b), k->host->name);
			}
		}
	}
	sh_sock *t = k;
	int id = 0, peeled = 0, e;
	if (sh_opt_isset(c, "--assoc")) {
		if (sockc_assoc(c, k, &id, NULL) != TCL_OK)
			return TCL_ERROR;
		int cap = kc_asconf_capable(k->fd, id);
		if (cap == 0)
			return sh_err(c->ip, "noasconf",
				      "association %d does not use ASCONF (RFC 5061 §4.2.7: the peer must list "
				      "ASCONF in its supported extensions): %s", id, ASCONF_HINT);
		if (k->type == SOCK_SEQPACKET) {
			if (!(t = sockc_peeloff(c, k, id)))
				return TCL_ERROR;
			peeled = 1;
		}
	}
	int old = 0, nonlocal = add && sh_opt_isset(c, "--nonlocal");
	if (nonlocal && (e = kc_freebind(t->fd, t->family, 1, &old)) < 0)
		return sh_err_errno(c->ip, "setsockopt(IP_FREEBIND)", e);
	e = kc_bindx(t->fd, a, n, add ? SCTP_BINDX_ADD_ADDR : SCTP_BINDX_REM_ADDR);
	if (nonlocal)
		kc_freebind(t->fd, t->family, old, NULL);
	if (e < 0) {
		const char *why = "";
		if (e == -EADDRNOTAVAIL && add)
			why = ": not an address of this host (--nonlocal adds it anyway)";
		else if (e == -EADDRNOTAVAIL)
			why = ": not a usable address";
		else if (e == -EADDRINUSE && peeled)
			why = ": another socket on this port (the listening one) already holds that address";
		else if (e == -EINVAL && add)
			why = ": already bound here, or wrong port/family";
		else if (e == -EINVAL)
			why = ": not bound here";
		else if (e == -EBUSY)
			why = ": it is the endpoint's last address";
		sh_err_errno(c->ip, call, e);
		Tcl_AppendResult(c->ip, why, peeled ? " (the association stays peeled off on " : "",
				 peeled ? t->name : "", peeled ? ")" : "", NULL);
		return TCL_ERROR;
	}
	/* which associations will hear of it (ASCONF sent) */
	Tcl_Obj *sent = sh_list();
	sctp_assoc_t ids[64];
	int na;
	if (t->type == SOCK_STREAM) {
		struct sctp_status st;
		na = kc_status(t->fd, 0, &st) == 0 ? 1 : 0;
		ids[0] = st.sstat_assoc_id;
	} else {
		na = kc_assoc_ids(t->fd, ids, 64);
		if (na > 64)
			na = 64;
	}
	for (int i = 0; i < na; i++)
		if (kc_asconf_capable(t->fd, ids[i]) == 1)
			Tcl_ListObjAppendElement(NULL, sent, Tcl_NewIntObj((int)ids[i]));
	Tcl_Obj *d = Tcl_NewDictObj(), *al = sh_list();
	for (int i = 0; i < n; i++)
		Tcl_ListObjAppendElement(NULL, al, sh_addr_obj((struct sockaddr *)&a[i]));
	Tcl_DictObjPut(NULL, d, Tcl_NewStringObj("socket", -1), Tcl_NewStringObj(t->name, -1));
	Tcl_DictObjPut(NULL, d, Tcl_NewStringObj("peeled", -1), Tcl_NewBooleanObj(peeled));
	Tcl_DictObjPut(NULL, d, Tcl_NewStringObj("addrs", -1), al);
	Tcl_DictObjPut(NULL, d, Tcl_NewStringObj("asconf", -1), sent);
	Tcl_SetObjResult(c->ip, d);
	return TCL_OK;
}

static int cmd_addip(sh_call *c) { return addip_common(c, 1); }
static int cmd_delip(sh_call *c) { return addip_common(c, 0); }

static const sh_opt prim_opts[] = {
	{"--assoc", SH_OPT_INT, "ID", "the association (default: the socket's only one)"},
	{"--socket", SH_OPT_STR, "S", "the socket (default: the current host's startup socket)"},
	{NULL, 0, NULL, NULL},
};

static int cmd_setprim(sh_call *c)
{
	sh_sock *k;
	int id, e;
	struct sctp_status st;
	if (sh_sock_resolve(c, &k) != TCL_OK || sockc_assoc(c, k, &id, &st) != TCL_OK)
		return TCL_ERROR;
	struct sockaddr_storage a;
	int pport = sh_sa_port((struct sockaddr *)&st.sstat_primary.spinfo_address);
	if (sh_get_addr(c->ip, c->pos[0], pport, &a) != TCL_OK)
		return TCL_ERROR;
	char call[200];
	snprintf(call, sizeof call, "setsockopt(SCTP_PRIMARY_ADDR, %s)", Tcl_GetString(c->pos[0]));
	if ((e = kc_set_primary(k->fd, id, &a)) < 0) {
		if (e == -EINVAL)
			return sh_err(c->ip, "badaddr", "%s: EINVAL: not a peer address of association %d "
				      "(see: status)", call, id);
		return sh_err_errno(c->ip, call, e);
	}
	Tcl_SetObjResult(c->ip, sh_addr_obj((struct sockaddr *)&a));
	return TCL_OK;
}

static int cmd_setpeerprim(sh_call *c)
{
	sh_sock *k;
	int id, e;
	if (sh_sock_resolve(c, &k) != TCL_OK || sockc_assoc(c, k, &id, NULL) != TCL_OK)
		return TCL_ERROR;
	struct sockaddr_storage a;
	if (sh_get_addr(c->ip, c->pos[0], k->port, &a) != TCL_OK)
		return TCL_ERROR;
	char call[200];
	snprintf(call, sizeof call, "setsockopt(SCTP_SET_PEER_PRIMARY_ADDR, %s)", Tcl_GetString(c->pos[0]));
	if ((e = kc_set_peer_primary(k->fd, id, &a)) < 0) {
		if (e == -EPERM)
			return sh_err(c->ip, "noasconf", "%s: EPERM: association %d does not use ASCONF "
				      "(Set Primary Address, RFC 5061 §4.2.5): %s", call, id, ASCONF_HINT);
		if (e == -EADDRNOTAVAIL)
			return sh_err(c->ip, "badaddr", "%s: EADDRNOTAVAIL: not a local address of association "
				      "%d (give one of this host's addresses in the association)", call, id);
		return sh_err_errno(c->ip, call, e);
	}
	Tcl_SetObjResult(c->ip, sh_addr_obj((struct sockaddr *)&a));
	return TCL_OK;
}

const sh_cmd sh_cmds_addr[] = {
	{"addip", "ADDR...", "add local addresses (sctp_bindx ADD: ASCONF ADD-IP, RFC 5061)", addip_opts, 1,
	 -1, cmd_addip, NULL,
	 "Returns {socket peeled addrs asconf}: asconf lists the associations told by ASCONF. "
	 "Without --assoc every association of the socket is told (Linux binds per endpoint); with "
	 "--assoc on a one-to-many socket the association is peeled off first into the new socket "
	 "named in the result. --nonlocal uses IP_FREEBIND (e.g. B announcing C's address)."},
	{"delip", "ADDR...", "remove local addresses (sctp_bindx REM: ASCONF DELETE-IP)", delip_opts, 1, -1,
	 cmd_delip, NULL, "Same rules as addip."},
	{"setprim", "ADDR", "set the local primary path to peer address ADDR (SCTP_PRIMARY_ADDR)",
	 prim_opts, 1, 1, cmd_setprim, NULL, NULL},
	{"setpeerprim", "ADDR",
	 "ask the peer to use our local ADDR as its primary (ASCONF Set Primary, SCTP_SET_PEER_PRIMARY_ADDR)",
	 prim_opts, 1, 1, cmd_setpeerprim, NULL, NULL},
	{NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL},
};
