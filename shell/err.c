/* Errors as Tcl errors with machine-readable errorCodes scripts can trap. */
#include "sctpsh.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int sh_err_errno(Tcl_Interp *ip, const char *call, int err)
{
	if (err < 0)
		err = -err;
	errno = err;
	const char *name = Tcl_ErrnoId(); /* reads errno */
	Tcl_SetObjResult(ip, Tcl_ObjPrintf("%s: %s (%s)", call, name, Tcl_ErrnoMsg(err)));
	Tcl_SetErrorCode(ip, "SCTPSH", "errno", name, NULL);
	return TCL_ERROR;
}

int sh_err(Tcl_Interp *ip, const char *code, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	Tcl_SetObjResult(ip, Tcl_NewStringObj(buf, -1));
	Tcl_SetErrorCode(ip, "SCTPSH", code, NULL);
	return TCL_ERROR;
}

/* Every errorCode class a command may raise ({SCTPSH CLASS ...}); the man
 * page's ERRORS section is printed from this table, and a host test checks
 * that the sources raise no class missing here. */
const sh_errdoc sh_errcodes[] = {
	{"usage", "wrong arguments: a missing, extra or unknown argument or option; the message is the usage "
		  "(errorCode {SCTPSH usage CMD})"},
	{"errno", "a system call failed: {SCTPSH errno ENAME}, the message names the call, the errno name and its text"},
	{"timeout", "nothing arrived (or no buffer space came free) within --timeout"},
	{"interrupted", "Ctrl-C (SIGINT) stopped a waiting command"},
	{"badvalue", "a value out of range or of the wrong kind (a stream number, a count, a time)"},
	{"badaddr", "not an IP address, or not an address of that association or host"},
	{"badname", "not a net.sctp setting name"},
	{"badfield", "opt: not a field of that option, or a field value that is not valid"},
	{"badopt", "opt: not a socket option name (opt list names them)"},
	{"badchunk", "ladder/inject: not a chunk dict, or a chunk type sctpsh cannot build"},
	{"badinput", "ladder: the input is not a list of chunk dicts"},
	{"badhosts", "ladder: --hosts is not a dict {NAME {ADDR ...} ...}"},
	{"baddrops", "ladder: --drops is not a list of packet numbers"},
	{"badpath", "a file name that cannot be used (e.g. ~user of no user)"},
	{"noassoc", "no such association on the socket"},
	{"ambiguous", "the socket has several associations: choose one with --assoc"},
	{"state", "the association is not in the state the command needs (e.g. not established)"},
	{"closed", "the socket is closed"},
	{"nosocket", "no such socket, or the host has no startup socket"},
	{"nohost", "no such host (lab hosts A, B, C, or local)"},
	{"wildcard", "the endpoint is bound to the wildcard address, where Linux cannot add or remove addresses"},
	{"noasconf", "the peer did not agree to ADD-IP / ASCONF (RFC 5061) on this association"},
	{"noprsctp", "the peer did not agree to PR-SCTP (RFC 3758) on this association"},
	{"noreconf", "the peer did not agree to RE-CONFIG (RFC 6525) on this association"},
	{"auth-required", "the peer requires this chunk to be authenticated (RFC 4895) and sctpsh has no key for it"},
	{"interleaving", "I-DATA (RFC 8260) is in use, where the command needs DATA (or the reverse)"},
	{"beyond-sent", "a TSN beyond what the association has sent"},
	{"novtag", "the verification tags of the association are not known (start trace before the handshake)"},
	{"notrace", "the trace has no such chunk (trace on, then let it happen)"},
	{"craft", "a chunk or packet could not be built"},
	{"trace", "the capture cannot start (too many interfaces, no raw socket)"},
	{"pcap", "a pcap file cannot be read or written, or is not a pcap"},
	{"toowide", "more addresses than a ladder can show as columns"},
	{"readonly", "opt set of a field the kernel only reports"},
	{"writeonly", "opt get of an option that can only be set"},
	{"unsupported", "the kernel or sctpsh cannot do this (the message says which)"},
	{"nosctp", "the kernel here has no SCTP (use scripts/sctplab)"},
	{"nolab", "the lab scripts are not found"},
	{"lab", "the lab failed (its own message follows)"},
	{"nosysctl", "no such net.sctp setting on that host"},
	{"nomem", "out of memory"},
	{"internal", "a bug in sctpsh: please report it with the command"},
	{NULL, NULL},
};
