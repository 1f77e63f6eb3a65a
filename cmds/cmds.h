/* What the command families in cmds/ share: the association and address
 * pickers of cmds/sock.c and cmds/status.c, and the dict-building macros.
 * One header instead of hand-copied prototypes in each file. */
#ifndef SCTPSH_CMDS_H
#define SCTPSH_CMDS_H
#include "sctpsh.h"
#include <netinet/in.h>
#include <netinet/sctp.h>

/* Put key k with value v (a Tcl_Obj, an integer, a C string) into dict d. */
#define PUT(d, k, v) Tcl_DictObjPut(NULL, d, Tcl_NewStringObj(k, -1), v)
#define PUTI(d, k, v) PUT(d, k, Tcl_NewWideIntObj((Tcl_WideInt)(v)))
#define PUTS(d, k, v) PUT(d, k, Tcl_NewStringObj(v, -1))

/* ---- cmds/sock.c ---- */
/* errorCode {SCTPSH errno ENAME} with a message of our own. */
int sockc_errno(Tcl_Interp *ip, const char *ename, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* errorCode {SCTPSH noassoc}: association id is not on socket k. */
int sockc_noassoc(sh_call *c, sh_sock *k, int id);
/* The association of --assoc, or the socket's only one (ambiguous / noassoc errors);
 * st (may be NULL) gets its SCTP_STATUS. */
int sockc_assoc(sh_call *c, sh_sock *k, int *id, struct sctp_status *st);
/* Parse nobj address words (ADDR[:PORT], defport if none) into out[max]. */
int sockc_addrs(sh_call *c, Tcl_Obj *const *objs, int nobj, int defport, struct sockaddr_storage *out,
		int max, int *n);
/* The words joined by spaces, for messages. */
void sockc_argstr(char *buf, size_t len, Tcl_Obj *const *objs, int nobj);
/* Are the n addresses of a family socket k can use? (badaddr error if not) */
int sockc_family_ok(sh_call *c, sh_sock *k, const struct sockaddr_storage *a, int n);
/* sctp_peeloff association id of k into a new socket of this shell. */
sh_sock *sockc_peeloff(sh_call *c, sh_sock *k, int id);

/* ---- cmds/status.c ---- */
const char *st_state_name(int st);
/* --socket/--assoc to a socket and association (need: an association is required). */
int st_pick_assoc(sh_call *c, sh_sock **kp, sctp_assoc_t *idp, int need);
Tcl_Obj *st_ids_obj(const sctp_assoc_t *ids, int n);
#endif
