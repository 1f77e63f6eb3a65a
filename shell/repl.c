/* The interactive prompt: libedit line editing, persistent history, tab
 * completion from the command table, multi-line Tcl input, and the Tcl event
 * loop running while the user types (so arrivals print above the prompt). */
#include "sctpsh.h"
#include <errno.h>
#include <histedit.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

typedef struct repl {
	sh_session *s;
	EditLine *el;
	History *hist;
	HistEvent ev;
	char histfile[1024];
	char prompt[96];
	int continuation;
	int cancelled;
	int in_gets;
	int stdin_ready;
} repl;

static char *prompt_fn(EditLine *el)
{
	repl *r;
	el_get(el, EL_CLIENTDATA, &r);
	sh_host *h = sh_cur_host(r->s);
	if (r->continuation)
		snprintf(r->prompt, sizeof r->prompt, "%*s> ", (int)strlen(h->name) + 7, "...");
	else
		snprintf(r->prompt, sizeof r->prompt, "sctpsh[%s]> ", h->name);
	return r->prompt;
}

static void stdin_readable(ClientData cd, int mask)
{
	(void)mask;
	((repl *)cd)->stdin_ready = 1;
}

/* Ctrl-C while editing: drop the line (and any multi-line command) and
 * hand libedit a newline, so el_gets returns and a fresh prompt appears. */
static int cancel_line(EditLine *el, repl *r, wchar_t *wc)
{
	const LineInfo *li = el_line(el);
	el_cursor(el, (int)(li->lastchar - li->cursor));
	li = el_line(el);
	el_deletestr(el, (int)(li->cursor - li->buffer));
	printf("^C");
	fflush(stdout);
	r->cancelled = 1;
	*wc = L'\n';
	return 1;
}

/* libedit's read-character hook: run Tcl events until a key arrives. */
static int getc_fn(EditLine *el, wchar_t *wc)
{
	repl *r;
	el_get(el, EL_CLIENTDATA, &r);
	for (;;) {
		r->stdin_ready = 0;
		Tcl_CreateFileHandler(0, TCL_READABLE, stdin_readable, r);
		while (!r->stdin_ready && !sh_interrupted)
			sh_wait_events(r->s, r->s->ip, 100, &r->stdin_ready);
		Tcl_DeleteFileHandler(0);
		if (sh_interrupted) { /* SIGINT at the prompt */
			sh_interrupted = 0;
			return cancel_line(el, r, wc);
		}
		char buf[MB_LEN_MAX];
		size_t have = 0;
		mbstate_t mbs;
		memset(&mbs, 0, sizeof mbs);
		for (;;) {
			ssize_t n = read(0, buf + have, 1);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return n == 0 ? 0 : -1;
			have++;
			size_t c = mbrtowc(wc, buf, have, &mbs);
			if (c == (size_t)-2 && have < sizeof buf)
				continue;
			if (c == (size_t)-1 || c == (size_t)-2)
				*wc = (unsigned char)buf[0];
			if (*wc == 3) /* ^C read as a key: the tty is raw while editing */
				return cancel_line(el, r, wc);
			return 1;
		}
	}
}

void sh_print_async(sh_session *s, const char *line)
{
	repl *r = s->repl;
	if (!r || !s->at_prompt) {
		printf("%s\n", line);
		fflush(stdout);
		return;
	}
	/* clear the line being edited, print, then let libedit redraw it */
	printf("\r\033[K%s\n", line);
	fflush(stdout);
	el_set(r->el, EL_REFRESH);
}

/* ---- completion from the command table ---- */

static void add_cand(const char *word, const char *cand, const char **out, int *n, int max)
{
	if (*n < max && !strncmp(word, cand, strlen(word)))
		out[(*n)++] = cand;
}

static unsigned char complete_fn(EditLine *el, int ch)
{
	(void)ch;
	const LineInfo *li = el_line(el);
	char line[1024];
	size_t len = (size_t)(li->cursor - li->buffer);
	if (len >= sizeof line)
		return CC_ERROR;
	memcpy(line, li->buffer, len);
	line[len] = '\0';
	/* the words before the cursor; complete the last one */
	char *words[64];
	int nw = 0;
	char *save = NULL;
	char copy[1024];
	strcpy(copy, line);
	for (char *t = strtok_r(copy, " \t", &save); t && nw < 64; t = strtok_r(NULL, " \t", &save))
		words[nw++] = t;
	const char *cur = "";
	if (len > 0 && line[len - 1] != ' ' && line[len - 1] != '\t' && nw > 0)
		cur = words[--nw];
	/* a new command after [ or ; is not handled: complete at line start */
	const char *cands[256];
	int nc = 0, it;
	if (nw == 0) {
		for (const sh_cmd *c = sh_cmd_first(&it); c; c = sh_cmd_next(&it))
			add_cand(cur, c->name, cands, &nc, 256);
	} else {
		const sh_cmd *c = sh_cmd_find(words[0]);
		int w = 1;
		while (c && c->subs && w < nw) {
			const sh_cmd *sc = c->subs;
			while (sc->name && strcmp(sc->name, words[w]))
				sc++;
			c = sc->name ? sc : NULL;
			w++;
		}
		if (c && c->subs && w == nw) {
			for (const sh_cmd *sc = c->subs; sc->name; sc++)
				add_cand(cur, sc->name, cands, &nc, 256);
		} else if (c && !c->subs && cur[0] == '-') {
			for (const sh_opt *o = c->opts; o && o->name; o++)
				add_cand(cur, o->name, cands, &nc, 256);
			add_cand(cur, "--json", cands, &nc, 256);
		} else if (!strcmp(words[0], "opt") && nw >= 2 && cur[0] != '-') {
			/* option names and their fields come from cmds/opt.c's table */
			nc += sh_opt_complete((const char *const *)words + 1, nw - 1, cur, cands + nc, 256 - nc);
		} else if (c && !strcmp(c->name, "wait") && nw == 1) {
			for (int i = 0; sh_event_names[i]; i++)
				add_cand(cur, sh_event_names[i], cands, &nc, 256);
		} else if (c && !strcmp(c->name, "help") && nw == 1) {
			for (const sh_cmd *x = sh_cmd_first(&it); x; x = sh_cmd_next(&it))
				add_cand(cur, x->name, cands, &nc, 256);
		}
	}
	if (nc == 0)
		return CC_ERROR;
	/* longest common prefix */
	size_t common = strlen(cands[0]);
	for (int i = 1; i < nc; i++) {
		size_t k = 0;
		while (k < common && cands[i][k] == cands[0][k])
			k++;
		common = k;
	}
	size_t have = strlen(cur);
	if (common > have) {
		char ins[256];
		snprintf(ins, sizeof ins, "%.*s", (int)(common - have), cands[0] + have);
		el_insertstr(el, ins);
	}
	if (nc == 1) {
		el_insertstr(el, " ");
		return CC_REFRESH;
	}
	if (common == have) {
		printf("\n");
		for (int i = 0; i < nc; i++)
			printf("%s%s", cands[i], i + 1 < nc ? "  " : "\n");
		return CC_REDISPLAY;
	}
	return CC_REFRESH;
}

/* Ctrl-C while a command runs: our own waits (recv, wait) poll the flag;
 * anything else in Tcl (vwait, a loop) is cancelled through Tcl_CancelEval,
 * from an async handler because a signal handler may not call Tcl. */
static Tcl_AsyncHandler sigint_async;

static int sigint_proc(ClientData cd, Tcl_Interp *ip, int code)
{
	(void)ip;
	sh_session *s = cd;
	if (s->evaluating)
		Tcl_CancelEval(s->ip, Tcl_NewStringObj("interrupted", -1), NULL, 0);
	return code;
}

static void on_sigint(int sig)
{
	(void)sig;
	sh_interrupt_note();
	if (sigint_async)
		Tcl_AsyncMark(sigint_async);
}

/* Print a command's result: text for a person, JSON with --json (already rendered). */
static void show_result(sh_session *s, int rc)
{
	Tcl_Obj *res = Tcl_GetObjResult(s->ip);
	if (rc != TCL_OK) {
		fprintf(stdout, "error: %s\n", Tcl_GetString(res));
		fflush(stdout);
		return;
	}
	Tcl_Size len;
	Tcl_GetStringFromObj(res, &len);
	if (len == 0)
		return;
	Tcl_Obj *t = s->json ? sh_render_json(res, 1) : sh_render_text(res);
	Tcl_IncrRefCount(t);
	printf("%s\n", Tcl_GetString(t));
	fflush(stdout);
	Tcl_DecrRefCount(t);
}

int sh_repl(sh_session *s)
{
	repl r;
	memset(&r, 0, sizeof r);
	r.s = s;
	s->repl = &r;
	s->interactive = 1;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint; /* no SA_RESTART: a blocking read returns EINTR */
	sigint_async = Tcl_AsyncCreate(sigint_proc, s);
	if (sh_interrupt_init() < 0)
		fprintf(stderr, "sctpsh: no wake pipe (%s): Ctrl-C is noticed within 100 ms\n", strerror(errno));
	sigaction(SIGINT, &sa, NULL);

	r.hist = history_init();
	history(r.hist, &r.ev, H_SETSIZE, 2000);
	history(r.hist, &r.ev, H_SETUNIQUE, 1);
	const char *home = getenv("HOME");
	if (getenv("SCTPSH_HISTORY"))
		snprintf(r.histfile, sizeof r.histfile, "%s", getenv("SCTPSH_HISTORY"));
	else if (home)
		snprintf(r.histfile, sizeof r.histfile, "%s/.sctpsh_history", home);
	if (r.histfile[0])
		history(r.hist, &r.ev, H_LOAD, r.histfile);

	r.el = el_init("sctpsh", stdin, stdout, stderr);
	el_set(r.el, EL_CLIENTDATA, &r);
	el_set(r.el, EL_EDITOR, "emacs");
	el_set(r.el, EL_PROMPT, prompt_fn);
	el_set(r.el, EL_HIST, history, r.hist);
	el_set(r.el, EL_GETCFN, getc_fn);
	el_set(r.el, EL_ADDFN, "sh-complete", "complete a command, subcommand or option", complete_fn);
	el_set(r.el, EL_BIND, "^I", "sh-complete", NULL);
	el_source(r.el, NULL); /* ~/.editrc */

	Tcl_DString cmd;
	Tcl_DStringInit(&cmd);
	for (;;) {
		int n;
		s->at_prompt = 1;
		const char *line = el_gets(r.el, &n);
		s->at_prompt = 0;
		if (!line) {
			if (r.continuation) { /* Ctrl-D in the middle: drop the partial command */
				r.continuation = 0;
				Tcl_DStringSetLength(&cmd, 0);
			}
			printf("\n");
			break;
		}
		if (r.cancelled) { /* Ctrl-C: drop what was typed, multi-line too */
			r.cancelled = 0;
			r.continuation = 0;
			Tcl_DStringSetLength(&cmd, 0);
			continue;
		}
		Tcl_DStringAppend(&cmd, line, n);
		if (!Tcl_CommandComplete(Tcl_DStringValue(&cmd))) {
			r.continuation = 1;
			continue;
		}
		r.continuation = 0;
		char *text = Tcl_DStringValue(&cmd);
		size_t tl = strlen(text);
		while (tl && (text[tl - 1] == '\n' || text[tl - 1] == ' '))
			text[--tl] = '\0';
		if (tl) {
			history(r.hist, &r.ev, H_ENTER, text);
			if (r.histfile[0])
				history(r.hist, &r.ev, H_SAVE, r.histfile);
			sh_interrupted = 0;
			s->evaluating = 1;
			int rc = Tcl_EvalEx(s->ip, text, -1, TCL_EVAL_GLOBAL);
			s->evaluating = 0;
			/* a Ctrl-C whose async handler had not run yet, or whose
			 * cancel the command outran, must not cancel the next one */
			if (Tcl_AsyncReady())
				rc = Tcl_AsyncInvoke(s->ip, rc);
			Tcl_Canceled(s->ip, 0);
			sh_interrupted = 0;
			show_result(s, rc);
			sh_record_hook(s, text, rc, Tcl_GetObjResult(s->ip));
		}
		Tcl_DStringSetLength(&cmd, 0);
	}
	Tcl_DStringFree(&cmd);
	el_end(r.el);
	history_end(r.hist);
	s->repl = NULL;
	s->interactive = 0;
	return 0;
}

/* Commands from a non-terminal stdin: evaluate each complete command as it
 * comes and print its result, like the prompt but without line editing. */
int sh_pipe_loop(sh_session *s)
{
	Tcl_DString cmd;
	Tcl_DStringInit(&cmd);
	char line[65536];
	int status = 0;
	while (fgets(line, sizeof line, stdin)) {
		Tcl_DStringAppend(&cmd, line, -1);
		if (!Tcl_CommandComplete(Tcl_DStringValue(&cmd)))
			continue;
		int rc = Tcl_EvalEx(s->ip, Tcl_DStringValue(&cmd), -1, TCL_EVAL_GLOBAL);
		show_result(s, rc);
		sh_record_hook(s, Tcl_DStringValue(&cmd), rc, Tcl_GetObjResult(s->ip));
		if (rc != TCL_OK)
			status = 1;
		Tcl_DStringSetLength(&cmd, 0);
	}
	Tcl_DStringFree(&cmd);
	return status;
}
