/* help, sockets, hosts: commands about the shell itself. */
#include "sctpsh.h"
#include <string.h>

static void help_one(Tcl_Obj *out, const sh_cmd *c, const char *prefix)
{
	if (c->subs) {
		char p[96];
		snprintf(p, sizeof p, "%s%s%s", prefix, *prefix ? " " : "", c->name);
		Tcl_AppendPrintfToObj(out, "%s — %s\n", p, c->summary);
		for (const sh_cmd *sc = c->subs; sc->name; sc++)
			help_one(out, sc, p);
		return;
	}
	Tcl_Obj *u = sh_usage(c, prefix);
	Tcl_IncrRefCount(u);
	Tcl_AppendPrintfToObj(out, "%s\n    %s\n", Tcl_GetString(u), c->summary);
	Tcl_DecrRefCount(u);
	for (const sh_opt *o = c->opts; o && o->name; o++)
		Tcl_AppendPrintfToObj(out, "      %s%s%s  %s\n", o->name, o->arg ? " " : "",
				      o->arg ? o->arg : "", o->help ? o->help : "");
	if (c->help)
		Tcl_AppendPrintfToObj(out, "    %s\n", c->help);
}

static int cmd_help(sh_call *c)
{
	Tcl_Obj *out = Tcl_NewObj();
	int it;
	if (c->npos == 0) {
		Tcl_AppendToObj(out, "commands (help NAME for details; every command takes --json):\n", -1);
		for (const sh_cmd *x = sh_cmd_first(&it); x; x = sh_cmd_next(&it))
			Tcl_AppendPrintfToObj(out, "  %-14s %s\n", x->name, x->summary);
	} else {
		const char *name = Tcl_GetString(c->pos[0]);
		const sh_cmd *x = sh_cmd_find(name);
		if (!x) {
			Tcl_DecrRefCount(out);
			return sh_err(c->ip, "usage", "no command \"%s\" (type help for the list)", name);
		}
		help_one(out, x, "");
	}
	Tcl_Size len;
	char *txt = Tcl_GetStringFromObj(out, &len);
	if (len && txt[len - 1] == '\n')
		Tcl_SetObjLength(out, len - 1);
	Tcl_SetObjResult(c->ip, out);
	return TCL_OK;
}

Tcl_Obj *sh_sockets_list(sh_session *s)
{
	Tcl_Obj *l = sh_list();
	for (int i = 0; i < SH_MAX_SOCKS; i++) {
		sh_sock *k = s->socks[i];
		if (!k)
			continue;
		Tcl_Obj *d = Tcl_NewDictObj();
		Tcl_DictObjPut(NULL, d, Tcl_NewStringObj("name", -1), Tcl_NewStringObj(k->name, -1));
		Tcl_DictObjPut(NULL, d, Tcl_NewStringObj("host", -1), Tcl_NewStringObj(k->host->name, -1));
		Tcl_DictObjPut(NULL, d, Tcl_NewStringObj("type", -1),
			       Tcl_NewStringObj(k->type == SOCK_STREAM ? "one-to-one" : "one-to-many", -1));
		Tcl_DictObjPut(NULL, d, Tcl_NewStringObj("fd", -1), Tcl_NewIntObj(k->fd));
		Tcl_DictObjPut(NULL, d, Tcl_NewStringObj("port", -1), Tcl_NewIntObj(k->port));
		Tcl_DictObjPut(NULL, d, Tcl_NewStringObj("queued", -1), Tcl_NewIntObj(k->qlen));
		Tcl_DictObjPut(NULL, d, Tcl_NewStringObj("startup", -1),
			       Tcl_NewBooleanObj(k->host->startup == k));
		Tcl_ListObjAppendElement(NULL, l, d);
	}
	return l;
}

static int cmd_sockets(sh_call *c)
{
	Tcl_SetObjResult(c->ip, sh_sockets_list(c->s));
	return TCL_OK;
}

int sh_eval_exec(sh_session *s, Tcl_Interp *ip, int argc, const char *const argv[])
{
	(void)s;
	Tcl_Obj *l = Tcl_NewListObj(0, NULL);
	Tcl_ListObjAppendElement(NULL, l, Tcl_NewStringObj("exec", -1));
	for (int i = 0; i < argc; i++)
		Tcl_ListObjAppendElement(NULL, l, Tcl_NewStringObj(argv[i], -1));
	/* helpers never read the terminal: at the prompt, stdin is the user's tty */
	Tcl_ListObjAppendElement(NULL, l, Tcl_NewStringObj("</dev/null", -1));
	Tcl_IncrRefCount(l);
	int rc = Tcl_EvalObjEx(ip, l, TCL_EVAL_GLOBAL);
	Tcl_DecrRefCount(l);
	return rc;
}

/* JSON of any value, with the field types the commands declare (shell/out.c):
 * what `--json` gives, for a value a script kept and used in the meantime. */
static const sh_opt json_opts[] = {
	{"--pretty", SH_OPT_FLAG, NULL, "indented, one field per line"},
	{NULL, 0, NULL, NULL},
};

static int cmd_json(sh_call *c)
{
	Tcl_SetObjResult(c->ip, sh_render_json(c->pos[0], sh_opt_isset(c, "--pretty")));
	return TCL_OK;
}

const sh_cmd sh_cmds_misc[] = {
	{"help", "?COMMAND?", "list the commands, or show one command's usage and options", NULL, 0, 1,
	 cmd_help, NULL, NULL},
	{"sockets", "", "list this shell's sockets (name, host, type, queued arrivals)", NULL, 0, 0,
	 cmd_sockets, NULL, NULL, "name:s host:s type:s fd:n port:n queued:n startup:b"},
	{"json", "VALUE", "render VALUE (a result kept by a script) as JSON, as --json would", json_opts, 1, 1,
	 cmd_json, NULL,
	 "Fields have the JSON type their command declares (numbers, true/false, strings, null for an "
	 "unknown address), whatever the script did with the value; other fields are guessed from their "
	 "Tcl value. Binary message data is rendered as text, one character per byte (U+0000-U+00FF)."},
	{NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL},
};

/* roff-escape: backslashes and leading dots/quotes */
static void roff(FILE *f, const char *t)
{
	for (; t && *t; t++) {
		if (*t == '\\')
			fputs("\\e", f);
		else if (*t == '-')
			fputs("\\-", f);
		else
			fputc(*t, f);
	}
}

static void man_one(FILE *f, const sh_cmd *c, const char *prefix)
{
	if (c->subs) {
		char p[96];
		snprintf(p, sizeof p, "%s%s%s", prefix, *prefix ? " " : "", c->name);
		for (const sh_cmd *sc = c->subs; sc->name; sc++)
			man_one(f, sc, p);
		return;
	}
	Tcl_Obj *u = sh_usage(c, prefix);
	Tcl_IncrRefCount(u);
	fputs(".TP\n.B ", f);
	roff(f, Tcl_GetString(u));
	fputs("\n", f);
	Tcl_DecrRefCount(u);
	roff(f, c->summary);
	fputs(".\n", f);
	if (c->help) {
		fputs(" ", f);
		roff(f, c->help);
		fputs("\n", f);
	}
	for (const sh_opt *o = c->opts; o && o->name; o++) {
		fputs(".RS\n.TP\n.B ", f);
		roff(f, o->name);
		if (o->arg) {
			fputs(" \\fI", f);
			roff(f, o->arg);
			fputs("\\fR", f);
		}
		fputs("\n", f);
		roff(f, o->help);
		fputs("\n.RE\n", f);
	}
}

/* The man page's COMMANDS section and the completions' word lists come
 * from the command table (sctpsh --man-commands / --list-commands). */
void sh_dump_commands(FILE *f, int man)
{
	int it;
	for (const sh_cmd *c = sh_cmd_first(&it); c; c = sh_cmd_next(&it)) {
		if (man) {
			man_one(f, c, "");
			continue;
		}
		fprintf(f, "%s", c->name);
		for (const sh_cmd *sc = c->subs; sc && sc->name; sc++)
			fprintf(f, " %s", sc->name);
		for (const sh_opt *o = c->opts; o && o->name; o++)
			fprintf(f, " %s", o->name);
		fprintf(f, "\n");
	}
	if (!man)
		return;
	fprintf(f, ".SH ERRORS\nEvery error is a Tcl error whose errorCode is a list {SCTPSH CLASS ...}; "
		   "scripts trap them with try ... trap {SCTPSH CLASS} or catch. The classes:\n");
	for (const sh_errdoc *e = sh_errcodes; e->code; e++) {
		fprintf(f, ".TP\n.B ");
		roff(f, e->code);
		fprintf(f, "\n");
		roff(f, e->meaning);
		fprintf(f, "\n");
	}
}
