/* The session start shared by the shell and the Tcl package, and the
 * package's entry point: `package require sctpsh` in tclsh or wish loads
 * the commands from libsctpsh.so (built with USE_TCL_STUBS, so it runs in
 * any Tcl 8.6 interpreter; the shell links Tcl directly). */
#define _GNU_SOURCE
#include "pkg.h"
#include "kern/ksock.h"
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef SH_DATADIR
#define SH_DATADIR "/usr/local/share/sctpsh"
#endif

/* Where bundled scripts live: $SCTPSH_LIBDIR; scripts/ in the checkout the
 * binary (./sctpsh) or the library (build/libsctpsh.so) was built in; else
 * the installed DATADIR. */
static void find_libdir(sh_session *s, const char *exedir)
{
	const char *env = getenv("SCTPSH_LIBDIR");
	if (env) {
		snprintf(s->libdir, sizeof s->libdir, "%s", env);
		return;
	}
	static const char *const rel[] = {"/scripts", "/../../scripts", NULL}; /* ./sctpsh, build/sctpshV/ */
	for (int i = 0; exedir && rel[i]; i++) {
		char probe[PATH_MAX + 32];
		snprintf(probe, sizeof probe, "%s%s/labnet", exedir, rel[i]);
		if (access(probe, F_OK) == 0) {
			snprintf(probe, sizeof probe, "%s%s", exedir, rel[i]);
			char *r = realpath(probe, NULL); /* build/sctpshV/../../scripts reads badly */
			const char *d = r ? r : probe;
			size_t n = strlen(d) < sizeof s->libdir ? strlen(d) : sizeof s->libdir - 1;
			memcpy(s->libdir, d, n);
			s->libdir[n] = '\0';
			free(r);
			return;
		}
	}
	snprintf(s->libdir, sizeof s->libdir, "%s", SH_DATADIR);
}

static int open_netns(const char *name)
{
	char path[PATH_MAX];
	if (strchr(name, '/'))
		snprintf(path, sizeof path, "%s", name);
	else
		snprintf(path, sizeof path, "/var/run/netns/%s", name);
	return open(path, O_RDONLY | O_CLOEXEC);
}

int sh_session_start(sh_session *s, Tcl_Interp *ip, const sh_start *o, char *err, size_t errlen)
{
	s->ip = ip;
	Tcl_SetAssocData(ip, "sctpsh", NULL, s); /* one session per interpreter: Sctpsh_Init checks */
	s->origns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	find_libdir(s, o->exedir);
	Tcl_Eval(ip, "namespace eval ::sctpsh {}"); /* the variables below live there */
	Tcl_SetVar2(ip, "sctpsh::libdir", NULL, s->libdir, TCL_GLOBAL_ONLY);
	Tcl_SetVar2(ip, "sctpsh::version", NULL, SCTPSH_VERSION, TCL_GLOBAL_ONLY);
	sh_register_commands(s, ip);

	int nsfd = -1;
	if (o->netns && (nsfd = open_netns(o->netns)) < 0) {
		snprintf(err, errlen, "--netns %s: open: %s (create it with: ip netns add %s, or lab up)",
			 o->netns, strerror(errno), o->netns);
		return SH_START_FATAL;
	}
	sh_host *h = sh_host_add(s, o->netns ? o->netns : "local", nsfd);
	s->cur = 0;
	if (sh_in_netns(s, h) < 0) {
		snprintf(err, errlen, "setns(%s): %s", o->netns, strerror(errno));
		return SH_START_FATAL;
	}
	int e = k_probe_sctp();
	sh_back_netns(s);
	s->sctp_ok = e == 0;
	int rc = SH_START_OK;
	if (!s->sctp_ok) {
		snprintf(s->sctp_why, sizeof s->sctp_why,
			 "this kernel has no SCTP (socket: %s); for a lab with SCTP run: scripts/sctplab shell",
			 strerror(-e));
	} else if (!o->nosock) {
		const char *what;
		if (!sh_sock_open_default(s, h, o->port, o->binds, o->nbinds, &e, &what)) {
			snprintf(err, errlen, "startup socket: %s: %s%s", what, strerror(-e),
				 e == -EADDRINUSE ? " (another sctpsh? try --port N)" : "");
			rc = SH_START_NOSOCKET;
		}
	}
	Tcl_PkgProvideEx(ip, "sctpsh", SCTPSH_VERSION, NULL);
	return rc;
}

/* ---- the Tcl package ------------------------------------------------------ */

/* The interpreter goes: close its sockets (their file handlers would call
 * into it) and namespaces. A session whose wire trace ran keeps its memory:
 * the trace's state is cmds/trace.c's and outlives the interpreter. */
static void pkg_delete(ClientData cd, Tcl_Interp *ip)
{
	sh_session *s = cd;
	(void)ip;
	for (int i = 0; i < SH_MAX_SOCKS; i++)
		if (s->socks[i])
			sh_sock_close(s, s->socks[i]);
	for (int i = 0; i < s->nhosts; i++)
		if (s->hosts[i].nsfd >= 0)
			close(s->hosts[i].nsfd);
	if (s->origns >= 0)
		close(s->origns);
	if (!s->trace)
		ckfree(s);
}

/* A setting the script gave before `package require sctpsh`, in the array
 * ::sctpsh::config: port, nosocket, netns, bind (a list of addresses), e.g.
 *   namespace eval ::sctpsh {variable config; set config(nosocket) 1} */
static Tcl_Obj *setting(Tcl_Interp *ip, const char *name)
{
	return Tcl_GetVar2Ex(ip, "::sctpsh::config", name, TCL_GLOBAL_ONLY);
}

static int pkg_error(Tcl_Interp *ip, const char *code, const char *msg)
{
	Tcl_SetObjResult(ip, Tcl_ObjPrintf("package sctpsh: %s", msg));
	Tcl_SetErrorCode(ip, "SCTPSH", code, NULL);
	return TCL_ERROR;
}

int Sctpsh_Init(Tcl_Interp *ip);
int Sctpsh_Init(Tcl_Interp *ip)
{
	if (!Tcl_InitStubs(ip, "8.6", 0))
		return TCL_ERROR;
	if (Tcl_GetAssocData(ip, "sctpsh", NULL))
		return Tcl_PkgProvideEx(ip, "sctpsh", SCTPSH_VERSION, NULL); /* the shell, or loaded twice */

	/* the startup socket, as the shell opens it; ::sctpsh::config(port|nosocket|netns|bind) change it */
	sh_start o = {.port = SH_DEFAULT_PORT};
	static struct sockaddr_storage binds[32];
	Tcl_Obj *v;
	if ((v = setting(ip, "port"))) {
		int port;
		if (Tcl_GetIntFromObj(NULL, v, &port) != TCL_OK || port < 0 || port > 65535)
			return pkg_error(ip, "usage", "::sctpsh::config(port) expects 0..65535");
		o.port = port;
	}
	if ((v = setting(ip, "nosocket")) && Tcl_GetBooleanFromObj(ip, v, &o.nosock) != TCL_OK)
		return TCL_ERROR;
	if ((v = setting(ip, "netns")))
		o.netns = Tcl_GetString(v);
	if ((v = setting(ip, "bind"))) {
		Tcl_Size n;
		Tcl_Obj **el;
		if (Tcl_ListObjGetElements(ip, v, &n, &el) != TCL_OK)
			return TCL_ERROR;
		if (n > 32)
			return pkg_error(ip, "usage", "::sctpsh::config(bind): too many addresses");
		for (Tcl_Size i = 0; i < n; i++)
			if (sh_get_addr(ip, el[i], 0, &binds[i]) != TCL_OK)
				return TCL_ERROR;
		o.binds = binds;
		o.nbinds = (int)n;
	}

	/* scripts/ next to the library when it runs from a checkout (build/libsctpsh.so) */
	char dir[PATH_MAX] = "";
	Dl_info di;
	if (dladdr((void *)Sctpsh_Init, &di) && di.dli_fname && strchr(di.dli_fname, '/')) {
		snprintf(dir, sizeof dir, "%s", di.dli_fname);
		*strrchr(dir, '/') = '\0';
		o.exedir = dir;
	}

	sh_session *s = (sh_session *)ckalloc(sizeof *s);
	memset(s, 0, sizeof *s);
	Tcl_CallWhenDeleted(ip, pkg_delete, s);
	char err[512];
	switch (sh_session_start(s, ip, &o, err, sizeof err)) {
	case SH_START_FATAL:
		return pkg_error(ip, "netns", err);
	case SH_START_NOSOCKET:
		strncat(err, "; or set ::sctpsh::config(port) or config(nosocket) before package require",
			sizeof err - strlen(err) - 1);
		return pkg_error(ip, "startup", err);
	}
	return TCL_OK;
}
