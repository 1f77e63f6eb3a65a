/* Session start, shared by the shell (shell/main.c) and the Tcl package
 * (Sctpsh_Init in shell/pkg.c), so both set up an interpreter the same way. */
#ifndef SH_PKG_H
#define SH_PKG_H
#include "sctpsh.h"

typedef struct sh_start {
	const char *netns;      /* --netns NAME (or a path), NULL: where we run */
	int port;               /* port of the startup socket */
	int nosock;             /* no startup socket */
	const struct sockaddr_storage *binds;
	int nbinds;
	const char *exedir;     /* directory of the binary or shared object: finds scripts/ in a checkout */
} sh_start;

enum {
	SH_START_OK = 0,
	SH_START_FATAL,         /* --netns cannot be entered: nothing usable */
	SH_START_NOSOCKET,      /* commands are there, the startup socket failed */
};

/* In interpreter ip: the ::sctpsh variables, every command, the first host,
 * the SCTP probe (without SCTP s->sctp_why says why; kernel commands then
 * fail with errorCode {SCTPSH nosctp}) and, with SCTP and unless o->nosock,
 * the startup socket. `package provide sctpsh` last, so scripts written for
 * tclsh that `package require sctpsh` also run in the shell. On a failure
 * other than no SCTP, err holds the message. */
int sh_session_start(sh_session *s, Tcl_Interp *ip, const sh_start *o, char *err, size_t errlen);

#endif
