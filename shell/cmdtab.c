/* The command table: one list of families drives dispatch, help, the man
 * page's command section and the completions, so they cannot drift. */
#include "sctpsh.h"
#include <string.h>
#include <stdlib.h>

extern const sh_cmd sh_cmds_ladder[]; /* cmds/ladder.c */
extern const sh_cmd sh_cmds_bulk[];   /* cmds/bulk.c */
extern const sh_cmd sh_cmds_uep[];    /* cmds/uep.c */

static const sh_cmd *const families[] = {
	sh_cmds_sock, sh_cmds_addr, sh_cmds_io, sh_cmds_bulk, sh_cmds_status, sh_cmds_opt,
	sh_cmds_reconf, sh_cmds_sysctl, sh_cmds_lab, sh_cmds_trace, sh_cmds_ladder, sh_cmds_replay, sh_cmds_uep, sh_cmds_misc, NULL,
};

/* it encodes family*1000 + index within the family */
static const sh_cmd *advance(int *it)
{
	for (;;) {
		int f = *it / 1000, i = *it % 1000;
		if (!families[f])
			return NULL;
		if (families[f][i].name)
			return &families[f][i];
		*it = (f + 1) * 1000;
	}
}

const sh_cmd *sh_cmd_first(int *it)
{
	*it = 0;
	return advance(it);
}

const sh_cmd *sh_cmd_next(int *it)
{
	(*it)++;
	return advance(it);
}

const sh_cmd *sh_cmd_find(const char *name)
{
	int it;
	for (const sh_cmd *c = sh_cmd_first(&it); c; c = sh_cmd_next(&it))
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static const sh_opt json_opt = {"--json", SH_OPT_FLAG, NULL, "return the result as JSON text"};

Tcl_Obj *sh_usage(const sh_cmd *cmd, const char *prefix)
{
	Tcl_Obj *u = Tcl_NewStringObj(prefix ? prefix : "", -1);
	if (prefix && *prefix)
		Tcl_AppendToObj(u, " ", 1);
	Tcl_AppendToObj(u, cmd->name, -1);
	if (cmd->subs) {
		Tcl_AppendToObj(u, " ", 1);
		for (const sh_cmd *sc = cmd->subs; sc->name; sc++)
			Tcl_AppendStringsToObj(u, sc == cmd->subs ? "" : "|", sc->name, NULL);
		Tcl_AppendToObj(u, " ...", -1);
		return u;
	}
	if (cmd->args && *cmd->args)
		Tcl_AppendStringsToObj(u, " ", cmd->args, NULL);
	for (const sh_opt *o = cmd->opts; o && o->name; o++) {
		Tcl_AppendStringsToObj(u, " [", o->name, NULL);
		if (o->arg)
			Tcl_AppendStringsToObj(u, " ", o->arg, NULL);
		Tcl_AppendToObj(u, o->kind == SH_OPT_LIST ? "]..." : "]", -1);
	}
	return u;
}

static int usage_error(Tcl_Interp *ip, const sh_cmd *cmd, const char *prefix, const char *why)
{
	Tcl_Obj *m = Tcl_NewStringObj(why ? why : "", -1);
	if (why)
		Tcl_AppendToObj(m, ": ", 2);
	Tcl_AppendToObj(m, "usage: ", -1);
	Tcl_AppendObjToObj(m, sh_usage(cmd, prefix));
	Tcl_SetObjResult(ip, m);
	Tcl_SetErrorCode(ip, "SCTPSH", "usage", cmd->name, NULL);
	return TCL_ERROR;
}

sh_optval *sh_opt_get(sh_call *c, const char *name)
{
	int i = 0;
	for (const sh_opt *o = c->cmd->opts; o && o->name; o++, i++)
		if (!strcmp(o->name, name))
			return &c->ov[i];
	return NULL;
}

int sh_opt_isset(sh_call *c, const char *name)
{
	sh_optval *v = sh_opt_get(c, name);
	return v && v->set;
}

/* Parse "--opt value" pairs anywhere among positionals; "--" ends options.
 * Options are matched with Tcl_GetIndexFromObjStruct, so unique prefixes
 * work and a wrong one gets Tcl's standard "bad option" message. */
static int parse(sh_call *c, const char *prefix, int objc, Tcl_Obj *const objv[], int *json,
		 Tcl_Obj ***posbuf)
{
	const sh_cmd *cmd = c->cmd;
	int nopts = 0;
	while (cmd->opts && cmd->opts[nopts].name)
		nopts++;
	if (nopts >= SH_MAX_OPTS)
		return sh_err(c->ip, "internal", "too many options for %s", cmd->name);
	/* a table of names: the command's options then --json */
	sh_opt table[SH_MAX_OPTS + 2];
	memcpy(table, cmd->opts ? cmd->opts : &json_opt, sizeof(sh_opt) * nopts);
	table[nopts] = json_opt;
	memset(&table[nopts + 1], 0, sizeof(sh_opt));
	Tcl_Obj **pos = (Tcl_Obj **)ckalloc(sizeof(Tcl_Obj *) * (objc + 1));
	int np = 0, endopts = 0;
	for (int i = 0; i < objc; i++) {
		const char *a = Tcl_GetString(objv[i]);
		if (endopts || a[0] != '-' || a[1] != '-' || a[2] == '\0') {
			if (!endopts && !strcmp(a, "--")) {
				endopts = 1;
				continue;
			}
			pos[np++] = objv[i];
			continue;
		}
		int idx;
		/* table lives on the stack, at the same address for every command:
		 * look up a fresh copy, or Tcl's index cache in the (often shared
		 * literal) argument would return another command's option index */
		Tcl_Obj *name = Tcl_NewStringObj(a, -1);
		Tcl_IncrRefCount(name);
		int found = Tcl_GetIndexFromObjStruct(c->ip, name, table, sizeof(sh_opt), "option", 0, &idx);
		Tcl_DecrRefCount(name);
		if (found != TCL_OK) {
			Tcl_AppendResult(c->ip, "\nusage: ", Tcl_GetString(sh_usage(cmd, prefix)), NULL);
			Tcl_SetErrorCode(c->ip, "SCTPSH", "usage", cmd->name, NULL);
			ckfree(pos);
			return TCL_ERROR;
		}
		if (idx == nopts) {
			*json = 1;
			continue;
		}
		const sh_opt *o = &table[idx];
		sh_optval *v = &c->ov[idx];
		if (o->kind == SH_OPT_FLAG) {
			v->set = 1;
			continue;
		}
		if (i + 1 >= objc) {
			char why[128];
			snprintf(why, sizeof why, "option %s needs a value (%s)", o->name,
				 o->arg ? o->arg : "value");
			ckfree(pos);
			return usage_error(c->ip, cmd, prefix, why);
		}
		Tcl_Obj *val = objv[++i];
		if (o->kind == SH_OPT_INT) {
			if (Tcl_GetWideIntFromObj(NULL, val, &v->i) != TCL_OK) {
				ckfree(pos);
				return sh_err(c->ip, "usage", "option %s expects an integer (%s), got \"%s\"",
					      o->name, o->arg ? o->arg : "N", Tcl_GetString(val));
			}
		}
		if (o->kind == SH_OPT_LIST) {
			if (!v->obj) {
				v->obj = Tcl_NewListObj(0, NULL);
				Tcl_IncrRefCount(v->obj);
			}
			Tcl_ListObjAppendElement(NULL, v->obj, val);
		} else {
			if (v->obj)
				Tcl_DecrRefCount(v->obj);
			v->obj = val;
			Tcl_IncrRefCount(val);
			v->s = Tcl_GetString(val);
		}
		v->set = 1;
	}
	if (np < cmd->minpos || (cmd->maxpos >= 0 && np > cmd->maxpos)) {
		ckfree(pos);
		return usage_error(c->ip, cmd, prefix,
				   np < cmd->minpos ? "missing argument" : "too many arguments");
	}
	*posbuf = pos;
	c->npos = np;
	c->pos = pos;
	return TCL_OK;
}

static void release(sh_call *c)
{
	for (int i = 0; i < SH_MAX_OPTS; i++)
		if (c->ov[i].obj)
			Tcl_DecrRefCount(c->ov[i].obj);
}

static int dispatch(ClientData cd, Tcl_Interp *ip, int objc, Tcl_Obj *const objv[])
{
	sh_session *s = cd;
	const sh_cmd *cmd = sh_cmd_find(Tcl_GetString(objv[0]));
	char prefix[64] = "";
	int first = 1;
	if (!cmd)
		return sh_err(ip, "internal", "unknown command %s", Tcl_GetString(objv[0]));
	while (cmd->subs) {
		if (objc <= first) {
			Tcl_WrongNumArgs(ip, first, objv, "subcommand ?arg ...?");
			Tcl_AppendResult(ip, "\nusage: ", Tcl_GetString(sh_usage(cmd, prefix)), NULL);
			Tcl_SetErrorCode(ip, "SCTPSH", "usage", cmd->name, NULL);
			return TCL_ERROR;
		}
		int idx;
		if (Tcl_GetIndexFromObjStruct(ip, objv[first], cmd->subs, sizeof(sh_cmd), "subcommand",
					      0, &idx) != TCL_OK) {
			Tcl_SetErrorCode(ip, "SCTPSH", "usage", cmd->name, NULL);
			return TCL_ERROR;
		}
		size_t pl = strlen(prefix);
		snprintf(prefix + pl, sizeof prefix - pl, "%s%s", pl ? " " : "", cmd->name);
		cmd = &cmd->subs[idx];
		first++;
	}
	sh_call c;
	memset(&c, 0, sizeof c);
	c.s = s;
	c.ip = ip;
	c.cmd = cmd;
	int json = 0;
	Tcl_Obj **pos = NULL;
	int rc = parse(&c, prefix, objc - first, objv + first, &json, &pos);
	if (rc == TCL_OK) {
		Tcl_ResetResult(ip);
		rc = cmd->proc(&c);
	}
	if (pos)
		ckfree(pos);
	release(&c);
	if (rc == TCL_OK && json)
		Tcl_SetObjResult(ip, sh_render_json(Tcl_GetObjResult(ip), 0));
	return rc;
}

int sh_register_commands(sh_session *s, Tcl_Interp *ip)
{
	int it;
	for (const sh_cmd *c = sh_cmd_first(&it); c; c = sh_cmd_next(&it)) {
		/* a Tcl built-in of the same name (close, socket) stays reachable as
		 * ::sctpsh::tcl::NAME, so our command can hand Tcl's usage over to it */
		Tcl_CmdInfo info;
		if (Tcl_GetCommandInfo(ip, c->name, &info) && info.objProc != dispatch) {
			Tcl_Obj *cmd = Tcl_ObjPrintf("namespace eval ::sctpsh::tcl {}; rename ::%s ::sctpsh::tcl::%s",
						     c->name, c->name);
			Tcl_IncrRefCount(cmd);
			Tcl_EvalObjEx(ip, cmd, TCL_EVAL_GLOBAL);
			Tcl_DecrRefCount(cmd);
			Tcl_ResetResult(ip);
		}
		Tcl_CreateObjCommand(ip, c->name, dispatch, s, NULL);
	}
	return TCL_OK;
}
