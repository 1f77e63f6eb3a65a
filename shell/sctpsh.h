/* sctpsh — shared types of the shell core.
 *
 * Layers (each readable alone):
 *   shell/kern/   kernel-facing: sockets, sockopts, sock_diag; plain C, returns -errno
 *   shell/wire/   wire codec: bytes in, structures out; no sockets, no Tcl
 *   shell/ (top) core: command table, option parsing, output, REPL, session
 *   cmds/          Tcl-facing commands, one file per family
 */
#ifndef SCTPSH_H
#define SCTPSH_H

#include <tcl.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#ifndef TCL_SIZE_MAX
typedef int Tcl_Size; /* Tcl 8.6 */
#endif

#define SCTPSH_VERSION "0.1.0"
#define SH_DEFAULT_PORT 5000
#define SH_MAX_HOSTS 8
#define SH_MAX_OPTS 24

/* ---- command table ---------------------------------------------------- */

enum sh_optkind {
	SH_OPT_FLAG,  /* --name              */
	SH_OPT_INT,   /* --name N (wide int) */
	SH_OPT_STR,   /* --name TEXT         */
	SH_OPT_LIST,  /* --name X, repeatable: values collected in a Tcl list */
};

typedef struct sh_opt {
	const char *name;     /* "--stream": first field, for Tcl_GetIndexFromObjStruct */
	enum sh_optkind kind;
	const char *arg;      /* metavariable for usage: "N", "ADDR" */
	const char *help;
} sh_opt;

typedef struct sh_optval {
	int set;
	Tcl_WideInt i;
	const char *s;
	Tcl_Obj *obj;         /* the value as given (INT, STR); list for LIST */
} sh_optval;

struct sh_session;
struct sh_cmd;

/* A parsed invocation: options by index into cmd->opts, then positionals. */
typedef struct sh_call {
	struct sh_session *s;
	Tcl_Interp *ip;
	const struct sh_cmd *cmd;
	sh_optval ov[SH_MAX_OPTS];
	int npos;
	Tcl_Obj *const *pos;
} sh_call;

typedef int(sh_proc)(sh_call *c);

typedef struct sh_cmd {
	const char *name;     /* first field, for Tcl_GetIndexFromObjStruct */
	const char *args;     /* positional synopsis, e.g. "ADDR..." */
	const char *summary;  /* one line for help, man page and completion */
	const sh_opt *opts;   /* NULL-name terminated, may be NULL */
	int minpos, maxpos;   /* positional count; maxpos -1 = unbounded */
	sh_proc *proc;        /* NULL when subs is set */
	const struct sh_cmd *subs; /* subcommands, NULL-name terminated */
	const char *help;     /* longer text, optional */
	const char *fields;   /* the result's JSON field types, "key:T ..." (shell/out.c) */
} sh_cmd;

/* Every family file in cmds/ exports one table. */
extern const sh_cmd sh_cmds_sock[];    /* cmds/sock.c    */
extern const sh_cmd sh_cmds_addr[];    /* cmds/addr.c    */
extern const sh_cmd sh_cmds_io[];      /* cmds/io.c      */
extern const sh_cmd sh_cmds_status[];  /* cmds/status.c  */
extern const sh_cmd sh_cmds_opt[];     /* cmds/opt.c     */
extern const sh_cmd sh_cmds_reconf[];  /* cmds/reconf.c  */
extern const sh_cmd sh_cmds_lab[];     /* cmds/lab.c     */
extern const sh_cmd sh_cmds_trace[];   /* cmds/trace.c   */
extern const sh_cmd sh_cmds_misc[];    /* cmds/misc.c    */
extern const sh_cmd sh_cmds_sysctl[];  /* cmds/sysctl.c  */
extern const sh_cmd sh_cmds_replay[];  /* cmds/replay.c  */

/* Iterate over every top-level command of every family. */
const sh_cmd *sh_cmd_first(int *it);
const sh_cmd *sh_cmd_next(int *it);
const sh_cmd *sh_cmd_find(const char *name);
int sh_register_commands(struct sh_session *s, Tcl_Interp *ip);
/* Usage line "name sub ARGS [--opt X]..." into a new Tcl_Obj. */
Tcl_Obj *sh_usage(const sh_cmd *cmd, const char *prefix);
/* Option value helpers, by option name (must exist in cmd->opts). */
sh_optval *sh_opt_get(sh_call *c, const char *name);
int sh_opt_isset(sh_call *c, const char *name);

/* ---- session: hosts, sockets, queues ----------------------------------- */

typedef struct sh_item {
	struct sh_item *next;
	int is_event;          /* notification, else a data message */
	int event_type;        /* SCTP_ASSOC_CHANGE… or a sh_wire_event code */
	int assoc;             /* sctp_assoc_t as int */
	Tcl_Obj *dict;         /* owned reference */
} sh_item;

typedef struct sh_sock {
	char name[16];         /* s0, s1, ... */
	int fd;                /* -1 once closed */
	int type;              /* SOCK_SEQPACKET (one-to-many) or SOCK_STREAM */
	int family;
	int port;
	struct sh_host *host;
	struct sh_session *sess;
	sh_item *qhead, *qtail;
	int qlen;
	unsigned long dropped; /* queue overflow count */
	/* partial message being assembled (no MSG_EOR yet) */
	unsigned char *part;
	size_t partlen, partcap;
	void *sink;            /* bulk sink on: data counted and dropped (cmds/bulk.c) */
} sh_sock;

typedef struct sh_host {
	char name[32];         /* "local", "A", "B", "C" or a --netns name */
	int nsfd;              /* -1: the namespace sctpsh started in */
	sh_sock *startup;      /* default socket for commands on this host */
} sh_host;

#define SH_MAX_SOCKS 256

typedef struct sh_session {
	Tcl_Interp *ip;
	sh_host hosts[SH_MAX_HOSTS];
	int nhosts;
	int cur;               /* index of the current host */
	sh_sock *socks[SH_MAX_SOCKS];
	int nextsock;
	int origns;            /* fd of the namespace we started in */
	int json;              /* --json given globally */
	int interactive;       /* REPL on a terminal: print arrivals */
	int at_prompt;         /* REPL is waiting for input */
	int evaluating;        /* REPL is running a command (Ctrl-C cancels it) */
	int sctp_ok;           /* kernel has SCTP */
	char sctp_why[160];    /* why not, when !sctp_ok */
	char libdir[1024];     /* where labnet, lib Tcl scripts live */
	void *repl;            /* REPL state while interactive */
	void *trace;           /* wire view state, owned by cmds/trace.c */
} sh_session;

extern volatile int sh_interrupted; /* set by SIGINT */
/* The wake pipe that lets SIGINT end a wait at once (call before installing
 * the handler); 0 or -errno. */
int sh_interrupt_init(void);
/* From the SIGINT handler (async-signal-safe): set sh_interrupted, wake the loop. */
void sh_interrupt_note(void);

sh_host *sh_cur_host(sh_session *s);
sh_host *sh_host_find(sh_session *s, const char *name);
sh_host *sh_host_add(sh_session *s, const char *name, int nsfd);
void sh_host_remove(sh_session *s, sh_host *h);
/* Create a socket on host h (type SOCK_SEQPACKET/SOCK_STREAM); binds nothing. */
sh_sock *sh_sock_new(sh_session *s, sh_host *h, int type, int family, int *err);
/* Open the usual one-to-many socket: bound to addrs (or wildcard) on port, listening,
 * subscribed to every notification. On failure returns NULL and sets *err and *what. */
sh_sock *sh_sock_open_default(sh_session *s, sh_host *h, int port,
			      const struct sockaddr_storage *addrs, int naddrs,
			      int *err, const char **what);
void sh_sock_close(sh_session *s, sh_sock *k);
sh_sock *sh_sock_find(sh_session *s, const char *name);
/* The socket named by --socket (or the current host's startup socket). */
int sh_sock_resolve(sh_call *c, sh_sock **out);
/* Adopt an existing fd (e.g. from peeloff). */
sh_sock *sh_sock_adopt(sh_session *s, sh_host *h, int fd, int type, int family);
/* Run fn in host h's network namespace (setns there and back). */
int sh_in_netns(sh_session *s, sh_host *h);
int sh_back_netns(sh_session *s);

/* Queue: take the first item matching (is_event, type or -1, assoc or 0).
 * Waits up to timeout_ms (-1 forever) running the Tcl event loop; returns
 * TCL_OK with *out (caller owns the dict ref) or TCL_ERROR (timeout, Ctrl-C). */
int sh_queue_take(sh_call *c, sh_sock *k, int is_event, int type, int assoc,
		  long timeout_ms, Tcl_Obj **out);
/* Append an item (takes the dict reference). Used by the reader and by the wire view. */
void sh_queue_push(sh_session *s, sh_sock *k, int is_event, int type, int assoc, Tcl_Obj *dict);
/* Drain readable data from a socket into its queue now. */
void sh_sock_pump(sh_session *s, sh_sock *k);
/* cmds/bulk.c: read a sink socket (k->sink set): count and drop data, queue events. */
int sh_sink_pump(sh_sock *k);
/* Run the event loop for up to ms milliseconds (or until *done), honouring Ctrl-C. */
int sh_wait_events(sh_session *s, Tcl_Interp *ip, long ms, int *done);

/* ---- output ------------------------------------------------------------ */

/* Render a value as text for a person: dicts as "key value" lines, lists of dicts as tables. */
Tcl_Obj *sh_render_text(Tcl_Obj *v);
/* Render as JSON text (cJSON); dict → object, list → array, numbers stay numbers. */
Tcl_Obj *sh_render_json(Tcl_Obj *v, int pretty);
/* Parse JSON text into a Tcl value; NULL if it is not JSON. */
Tcl_Obj *sh_from_json(const char *text);
/* Print a line above the prompt without garbling what the user is typing. */
void sh_print_async(sh_session *s, const char *line);

/* An empty list that renders as [] in JSON (Tcl_NewListObj(0) has no list type). */
Tcl_Obj *sh_list(void);

/* ---- errors ------------------------------------------------------------ */

/* "CALL: ENAME (text)", errorCode {SCTPSH errno ENAME}; returns TCL_ERROR. */
int sh_err_errno(Tcl_Interp *ip, const char *call, int err);
/* The documented errorCode classes (shell/err.c), NULL-terminated. */
typedef struct sh_errdoc {
	const char *code, *meaning;
} sh_errdoc;
extern const sh_errdoc sh_errcodes[];
/* errorCode {SCTPSH CODE}; returns TCL_ERROR. CODE must be in sh_errcodes. */
int sh_err(Tcl_Interp *ip, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- addresses (shell/addr.c; pure, unit-tested) ----------------------- */

/* Parse "ADDR", "ADDR:PORT", "[V6]:PORT", "V6"; port stays defport if absent.
 * Returns 0 or -1 with a message in err. */
int sh_addr_parse(const char *text, int defport, struct sockaddr_storage *ss, char *err, size_t errlen);
/* Parse "A1,A2,...[:PORT]" (a list for connectx); the port applies to all. */
int sh_addrs_parse(const char *text, int defport, struct sockaddr_storage *out, int max, int *n,
		   char *err, size_t errlen);
/* Format "ADDR" (no port) and "ADDR:PORT" / "[V6]:PORT". */
const char *sh_addr_str(const struct sockaddr *sa, char *buf, size_t len);
const char *sh_addrport_str(const struct sockaddr *sa, char *buf, size_t len);
socklen_t sh_sa_len(const struct sockaddr *sa);
int sh_sa_port(const struct sockaddr *sa);
/* Tcl helpers on top: parse with a Tcl error naming what was expected. */
int sh_get_addr(Tcl_Interp *ip, Tcl_Obj *o, int defport, struct sockaddr_storage *ss);
Tcl_Obj *sh_addr_obj(const struct sockaddr *sa);

/* ---- notifications (shell/notif.c) ----------------------------------- */
#define SH_EVENT_CHUNK 0x10000   /* a chunk seen by the wire view */
extern const char *const sh_event_names[]; /* NULL-terminated, for wait's completion */
const char *sh_event_name(int type);
int sh_event_type(const char *name);       /* -1 if unknown */
Tcl_Obj *sh_notif_dict(const void *buf, size_t len, int *type, int *assoc);

/* ---- misc -------------------------------------------------------------- */
int sh_get_assoc(sh_call *c, int *assoc); /* --assoc ID, 0 if absent */
int sh_eval_exec(sh_session *s, Tcl_Interp *ip, int argc, const char *const argv[]);
Tcl_Obj *sh_sockets_list(sh_session *s); /* cmds/misc.c: one dict per socket */
/* cmds/opt.c: completions for `opt get|set ...` (words after "opt") */
int sh_opt_complete(const char *const *words, int nw, const char *cur, const char **out, int max);
/* The REPL calls this after each top-level command it evaluated (cmds/replay.c: record). */
void sh_record_hook(sh_session *s, const char *text, int rc, Tcl_Obj *result);

#endif
