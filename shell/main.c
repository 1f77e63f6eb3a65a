/* sctpsh: an interactive, scriptable shell over Linux kernel SCTP. */
#define _GNU_SOURCE
#include "sctpsh.h"
#include "pkg.h"
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int sh_repl(sh_session *s);
int sh_pipe_loop(sh_session *s);
void sh_dump_commands(FILE *f, int man);

static void usage(FILE *f)
{
	fprintf(f,
		"usage: sctpsh [OPTIONS]                  interactive prompt\n"
		"       sctpsh [OPTIONS] -c 'COMMANDS'    run commands, print the result\n"
		"       sctpsh [OPTIONS] FILE.tcl [ARGS]  run a script (argv holds ARGS)\n"
		"       sctpsh [OPTIONS] --step FILE.tcl  replay it a command at a time (replay --step)\n"
		"options:\n"
		"  --port N        port of the startup socket (default %d)\n"
		"  --bind ADDR     bind the startup socket to ADDR (repeatable; IPv4 and IPv6 mix)\n"
		"  --netns NAME    open the startup socket in network namespace NAME\n"
		"  --json          results as JSON text\n"
		"  --no-socket     start without a socket\n"
		"  -c COMMANDS     evaluate COMMANDS and exit\n"
		"  --version, --help\n"
		"Inside, type 'help' for the commands. Without SCTP in this kernel, run the lab:\n"
		"  scripts/sctplab shell\n",
		SH_DEFAULT_PORT);
}

/* The directory of this binary: a checkout holds scripts/ there (shell/pkg.c). */
static const char *exe_dir(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	char *slash = strrchr(buf, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	return buf;
}

/* The error of a -c command or script: Tcl's stack trace when it has one; a
 * script that cannot be opened leaves only the result ("couldn't read
 * file ...: no such file or directory"), never a "(null)". */
static void script_error(Tcl_Interp *ip)
{
	const char *ei = Tcl_GetVar2(ip, "errorInfo", NULL, TCL_GLOBAL_ONLY);
	fprintf(stderr, "sctpsh: %s\n", ei && *ei ? ei : Tcl_GetStringResult(ip));
}

int main(int argc, char **argv)
{
	static sh_session S;
	sh_session *s = &S;
	const char *cmds = NULL, *netns = NULL;
	int port = SH_DEFAULT_PORT, nosock = 0, step = 0;
	struct sockaddr_storage binds[32];
	int nbinds = 0;
	enum { O_PORT = 256, O_BIND, O_NETNS, O_JSON, O_VERSION, O_HELP, O_NOSOCK, O_MAN, O_LIST, O_STEP };
	static const struct option lo[] = {
		{"port", required_argument, NULL, O_PORT},   {"bind", required_argument, NULL, O_BIND},
		{"netns", required_argument, NULL, O_NETNS}, {"json", no_argument, NULL, O_JSON},
		{"version", no_argument, NULL, O_VERSION},   {"help", no_argument, NULL, O_HELP},
		{"no-socket", no_argument, NULL, O_NOSOCK},  {"man-commands", no_argument, NULL, O_MAN},
		{"list-commands", no_argument, NULL, O_LIST}, {"step", no_argument, NULL, O_STEP},
		{NULL, 0, NULL, 0},
	};
	setlocale(LC_CTYPE, "");
	Tcl_FindExecutable(argv[0]); /* before any Tcl_Obj, even for --man-commands */
	int o;
	while ((o = getopt_long(argc, argv, "+c:h", lo, NULL)) != -1) {
		char err[256];
		switch (o) {
		case 'c': cmds = optarg; break;
		case O_PORT: {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end || v < 0 || v > 65535) {
				fprintf(stderr, "sctpsh: --port expects 0..65535, got \"%s\"\n", optarg);
				return 2;
			}
			port = (int)v;
			break;
		}
		case O_BIND:
			if (nbinds >= 32 || sh_addr_parse(optarg, 0, &binds[nbinds], err, sizeof err) < 0) {
				fprintf(stderr, "sctpsh: --bind: %s\n", nbinds >= 32 ? "too many addresses" : err);
				return 2;
			}
			nbinds++;
			break;
		case O_NETNS: netns = optarg; break;
		case O_JSON: s->json = 1; break;
		case O_NOSOCK: nosock = 1; break;
		case O_STEP: step = 1; break;
		case O_VERSION: printf("sctpsh %s (Tcl %s)\n", SCTPSH_VERSION, TCL_PATCH_LEVEL); return 0;
		case O_MAN: sh_dump_commands(stdout, 1); return 0;
		case O_LIST: sh_dump_commands(stdout, 0); return 0;
		case 'h':
		case O_HELP: usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}

	Tcl_Interp *ip = Tcl_CreateInterp();
	if (Tcl_Init(ip) != TCL_OK)
		fprintf(stderr, "sctpsh: Tcl_Init: %s (continuing)\n", Tcl_GetStringResult(ip));
	char dir[PATH_MAX], err[512];
	sh_start st = {.netns = netns, .port = port, .nosock = nosock, .binds = binds,
		       .nbinds = nbinds, .exedir = exe_dir(dir, sizeof dir)};
	switch (sh_session_start(s, ip, &st, err, sizeof err)) {
	case SH_START_FATAL:
		fprintf(stderr, "sctpsh: %s\n", err);
		return 2;
	case SH_START_NOSOCKET:
		fprintf(stderr, "sctpsh: %s\n", err);
		if (cmds || optind < argc)
			return 1;
		break;
	}
	if (!s->sctp_ok && !nosock)
		fprintf(stderr, "sctpsh: %s\n", s->sctp_why);

	if (cmds) {
		int rc = Tcl_EvalEx(ip, cmds, -1, TCL_EVAL_GLOBAL);
		if (rc != TCL_OK) {
			script_error(ip);
			return 1;
		}
		Tcl_Obj *res = Tcl_GetObjResult(ip);
		if (*Tcl_GetString(res)) {
			Tcl_Obj *t = s->json ? sh_render_json(res, 1) : sh_render_text(res);
			Tcl_IncrRefCount(t);
			printf("%s\n", Tcl_GetString(t));
			Tcl_DecrRefCount(t);
		}
		fflush(stdout);
		return 0;
	}
	if (optind < argc) {
		/* a script: argv0 is its path, argv its arguments, as in tclsh */
		Tcl_Obj *av = Tcl_NewListObj(0, NULL);
		for (int i = optind + 1; i < argc; i++)
			Tcl_ListObjAppendElement(NULL, av, Tcl_NewStringObj(argv[i], -1));
		Tcl_SetVar2Ex(ip, "argv", NULL, av, TCL_GLOBAL_ONLY);
		Tcl_SetVar2Ex(ip, "argc", NULL, Tcl_NewIntObj(argc - optind - 1), TCL_GLOBAL_ONLY);
		Tcl_SetVar2(ip, "argv0", NULL, argv[optind], TCL_GLOBAL_ONLY);
		int rc;
		if (step) { /* cmds/replay.c: replay FILE --step */
			Tcl_Obj *r = Tcl_NewListObj(0, NULL);
			Tcl_ListObjAppendElement(NULL, r, Tcl_NewStringObj("replay", -1));
			Tcl_ListObjAppendElement(NULL, r, Tcl_NewStringObj(argv[optind], -1));
			Tcl_ListObjAppendElement(NULL, r, Tcl_NewStringObj("--step", -1));
			Tcl_IncrRefCount(r);
			rc = Tcl_EvalObjEx(ip, r, TCL_EVAL_GLOBAL);
			Tcl_DecrRefCount(r);
		} else {
			rc = Tcl_EvalFile(ip, argv[optind]);
		}
		if (rc != TCL_OK) {
			script_error(ip);
			return 1;
		}
		fflush(stdout);
		return 0;
	}
	Tcl_SetVar2Ex(ip, "argv", NULL, Tcl_NewListObj(0, NULL), TCL_GLOBAL_ONLY);
	Tcl_SetVar2(ip, "tcl_interactive", NULL, isatty(0) ? "1" : "0", TCL_GLOBAL_ONLY);
	if (isatty(0)) {
		printf("sctpsh %s — type 'help' for commands, Ctrl-D to leave\n", SCTPSH_VERSION);
		return sh_repl(s);
	}
	return sh_pipe_loop(s);
}
