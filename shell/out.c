/* One code path for output: commands return Tcl values (dicts, lists of
 * dicts); this file renders them for a person (text) or as JSON (cJSON).
 * JSON types come from the commands' field declarations (see jtype below). */
#include "sctpsh.h"
#include <cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char *tname(Tcl_Obj *o)
{
	return o->typePtr ? o->typePtr->name : "";
}

static int is_dict(Tcl_Obj *o)
{
	return !strcmp(tname(o), "dict");
}

static int is_list(Tcl_Obj *o)
{
	return !strcmp(tname(o), "list");
}

static int is_num(Tcl_Obj *o)
{
	const char *t = tname(o);
	return !strcmp(t, "int") || !strcmp(t, "wideInt") || !strcmp(t, "double") ||
	       !strcmp(t, "bignum");
}

/* JSON types are declared, not guessed: each command lists its result's
 * fields once (sh_cmd.fields, "key:T ..."), so a field renders the same
 * whatever a script did to the value since (a `string length` turns an int
 * or a one-element list into a plain string inside Tcl). T is n (number),
 * s (string), b (boolean: true/false), a (address: string, "" = null),
 * l (list of strings), ln (list of numbers), r (list of dicts: rows),
 * d (dict). A key may be qualified by the key of the dict it sits in
 * ("paths.primary:b", "stats.*:n"); lookups try parent.key, parent.*, key.
 * Undeclared fields fall back to the value's Tcl representation. */
enum jt { JT_ANY, JT_NUM, JT_STR, JT_BOOL, JT_ADDR, JT_LIST, JT_NLIST, JT_ROWS, JT_DICT };

static Tcl_HashTable jtypes;
static int jready;

static void jdeclare(const char *decl)
{
	static const struct { const char *code; enum jt t; } codes[] = {
		{"n", JT_NUM}, {"s", JT_STR}, {"b", JT_BOOL}, {"a", JT_ADDR}, {"l", JT_LIST},
		{"ln", JT_NLIST}, {"r", JT_ROWS}, {"d", JT_DICT},
	};
	const char *p = decl;
	while (*p) {
		while (*p == ' ' || *p == '\n')
			p++;
		const char *e = p;
		while (*e && *e != ' ' && *e != '\n')
			e++;
		const char *colon = memchr(p, ':', (size_t)(e - p));
		if (colon) {
			char key[96], code[4];
			size_t kl = (size_t)(colon - p), cl = (size_t)(e - colon - 1);
			if (kl < sizeof key && cl < sizeof code) {
				memcpy(key, p, kl);
				key[kl] = 0;
				memcpy(code, colon + 1, cl);
				code[cl] = 0;
				for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
					if (strcmp(code, codes[i].code))
						continue;
					int isnew; /* a key declared twice: the first declaration stays */
					Tcl_HashEntry *h = Tcl_CreateHashEntry(&jtypes, key, &isnew);
					if (isnew)
						Tcl_SetHashValue(h, (ClientData)(intptr_t)codes[i].t);
				}
			}
		}
		p = e;
	}
}

static void jwalk(const sh_cmd *c)
{
	for (; c && c->name; c++) {
		if (c->fields)
			jdeclare(c->fields);
		jwalk(c->subs);
	}
}

static enum jt jfind(const char *key)
{
	Tcl_HashEntry *h = Tcl_FindHashEntry(&jtypes, key);
	return h ? (enum jt)(intptr_t)Tcl_GetHashValue(h) : JT_ANY;
}

static enum jt jtype(const char *parent, const char *key)
{
	if (!jready) {
		Tcl_InitHashTable(&jtypes, TCL_STRING_KEYS);
		int it;
		for (const sh_cmd *c = sh_cmd_first(&it); c; c = sh_cmd_next(&it)) {
			if (c->fields)
				jdeclare(c->fields);
			jwalk(c->subs);
		}
		jready = 1;
	}
	char q[200];
	enum jt t = JT_ANY;
	if (parent && *parent) {
		snprintf(q, sizeof q, "%s.%s", parent, key);
		t = jfind(q);
		if (t == JT_ANY) {
			snprintf(q, sizeof q, "%s.*", parent);
			t = jfind(q);
		}
	}
	return t != JT_ANY ? t : jfind(key);
}

static cJSON *to_json(Tcl_Obj *v, const char *name, enum jt t);

static cJSON *dict_json(Tcl_Obj *v, const char *name)
{
	cJSON *o = cJSON_CreateObject();
	Tcl_DictSearch srch;
	Tcl_Obj *k, *val;
	int done;
	if (Tcl_DictObjFirst(NULL, v, &srch, &k, &val, &done) == TCL_OK) {
		for (; !done; Tcl_DictObjNext(&srch, &k, &val, &done)) {
			const char *ks = Tcl_GetString(k);
			cJSON_AddItemToObject(o, ks, to_json(val, ks, jtype(name, ks)));
		}
		Tcl_DictObjDone(&srch);
	}
	return o;
}

static cJSON *list_json(Tcl_Obj *v, const char *name, enum jt el_t)
{
	Tcl_Size n;
	Tcl_Obj **el;
	cJSON *a = cJSON_CreateArray();
	if (Tcl_ListObjGetElements(NULL, v, &n, &el) == TCL_OK)
		for (Tcl_Size i = 0; i < n; i++)
			cJSON_AddItemToArray(a, to_json(el[i], name, el_t));
	return a;
}

/* name: the key this value sits under (children of a dict are looked up
 * under it; list elements keep it, so rows of "paths" are paths.*). */
static cJSON *to_json(Tcl_Obj *v, const char *name, enum jt t)
{
	Tcl_WideInt w;
	double d;
	int b;
	Tcl_Size n;
	switch (t) {
	case JT_NUM:
		if (Tcl_GetWideIntFromObj(NULL, v, &w) == TCL_OK)
			return cJSON_CreateNumber((double)w);
		if (Tcl_GetDoubleFromObj(NULL, v, &d) == TCL_OK)
			return cJSON_CreateNumber(d);
		break;
	case JT_BOOL:
		if (Tcl_GetBooleanFromObj(NULL, v, &b) == TCL_OK)
			return cJSON_CreateBool(b);
		break;
	case JT_ADDR:
		if (!*Tcl_GetString(v))
			return cJSON_CreateNull();
		break;
	case JT_STR:
		break;
	case JT_LIST:
	case JT_NLIST:
	case JT_ROWS:
		if (Tcl_ListObjLength(NULL, v, &n) == TCL_OK)
			return list_json(v, name, t == JT_LIST ? JT_STR : t == JT_NLIST ? JT_NUM : JT_DICT);
		break;
	case JT_DICT:
		if (Tcl_DictObjSize(NULL, v, &n) == TCL_OK)
			return dict_json(v, name);
		break;
	case JT_ANY:
		if (is_dict(v))
			return dict_json(v, name);
		if (is_list(v))
			return list_json(v, name, JT_ANY);
		if (is_num(v)) {
			if (Tcl_GetWideIntFromObj(NULL, v, &w) == TCL_OK)
				return cJSON_CreateNumber((double)w);
			if (Tcl_GetDoubleFromObj(NULL, v, &d) == TCL_OK)
				return cJSON_CreateNumber(d);
		}
		if (!strcmp(tname(v), "boolean") || !strcmp(tname(v), "booleanString")) {
			if (Tcl_GetBooleanFromObj(NULL, v, &b) == TCL_OK)
				return cJSON_CreateBool(b);
		}
		break;
	}
	return cJSON_CreateString(Tcl_GetString(v));
}

/* The top of a value to render. A kept result that became a plain string
 * (a script printed it) is a dict again when its first key is declared by
 * some command, or a list of such dicts (rows). Only here, at the top: a
 * string field deeper down stays a string. */
static cJSON *top_json(Tcl_Obj *v)
{
	if (is_dict(v) || is_list(v) || is_num(v))
		return to_json(v, NULL, JT_ANY);
	Tcl_Obj *copy = Tcl_DuplicateObj(v); /* parse a copy: v keeps its representation */
	Tcl_IncrRefCount(copy);
	Tcl_Obj **el = NULL, **el2;
	Tcl_Size n = 0, m;
	cJSON *j = NULL;
	if (Tcl_ListObjGetElements(NULL, copy, &n, &el) == TCL_OK && n > 1) {
		if (!(n % 2) && jtype(NULL, Tcl_GetString(el[0])) != JT_ANY)
			j = dict_json(copy, NULL);
		else if (Tcl_ListObjGetElements(NULL, el[0], &m, &el2) == TCL_OK && m >= 2 && !(m % 2) &&
			 jtype(NULL, Tcl_GetString(el2[0])) != JT_ANY)
			j = list_json(copy, NULL, JT_DICT);
	} else if (n == 1 && Tcl_ListObjGetElements(NULL, el[0], &m, &el2) == TCL_OK && m >= 2 && !(m % 2) &&
		   jtype(NULL, Tcl_GetString(el2[0])) != JT_ANY) {
		j = list_json(copy, NULL, JT_DICT); /* one row */
	}
	Tcl_DecrRefCount(copy);
	return j ? j : to_json(v, NULL, JT_ANY);
}

Tcl_Obj *sh_render_json(Tcl_Obj *v, int pretty)
{
	cJSON *j = top_json(v);
	char *txt = pretty ? cJSON_Print(j) : cJSON_PrintUnformatted(j);
	Tcl_Obj *r = Tcl_NewStringObj(txt ? txt : "null", -1);
	cJSON_free(txt);
	cJSON_Delete(j);
	return r;
}

/* A short scalar form of nested values for table cells. */
static void cell(Tcl_Obj *out, Tcl_Obj *v)
{
	if (is_dict(v) || is_list(v)) {
		Tcl_Obj *j = sh_render_json(v, 0);
		Tcl_IncrRefCount(j);
		Tcl_AppendObjToObj(out, j);
		Tcl_DecrRefCount(j);
		return;
	}
	Tcl_AppendObjToObj(out, v);
}

static void text(Tcl_Obj *out, Tcl_Obj *v, int indent);

/* a non-empty list whose first element is a dict: shown as a nested table */
static int table_like(Tcl_Obj *v)
{
	Tcl_Size n;
	Tcl_Obj **el;
	return Tcl_ListObjGetElements(NULL, v, &n, &el) == TCL_OK && n > 0 && is_dict(el[0]);
}

static void dict_text(Tcl_Obj *out, Tcl_Obj *v, int indent)
{
	Tcl_DictSearch srch;
	Tcl_Obj *k, *val;
	int done, w = 0;
	if (Tcl_DictObjFirst(NULL, v, &srch, &k, &val, &done) != TCL_OK)
		return;
	for (; !done; Tcl_DictObjNext(&srch, &k, &val, &done)) {
		int l = (int)strlen(Tcl_GetString(k));
		if (l > w)
			w = l;
	}
	Tcl_DictObjDone(&srch);
	Tcl_DictObjFirst(NULL, v, &srch, &k, &val, &done);
	for (; !done; Tcl_DictObjNext(&srch, &k, &val, &done)) {
		Tcl_AppendPrintfToObj(out, "%*s%-*s", indent, "", w, Tcl_GetString(k));
		if (is_dict(val) || (is_list(val) && table_like(val))) {
			/* nested structure: on its own lines */
			Tcl_Size n = 0;
			if (is_dict(val))
				Tcl_DictObjSize(NULL, val, &n);
			else
				Tcl_ListObjLength(NULL, val, &n);
			if (n == 0) {
				Tcl_AppendToObj(out, is_dict(val) ? "  {}\n" : "  -\n", -1);
				continue;
			}
			Tcl_AppendToObj(out, "\n", 1);
			text(out, val, indent + 2);
			continue;
		}
		Tcl_AppendToObj(out, "  ", 2);
		cell(out, val);
		Tcl_AppendToObj(out, "\n", 1);
	}
	Tcl_DictObjDone(&srch);
}

/* A list of dicts with the same keys becomes a table. */
static int table_text(Tcl_Obj *out, Tcl_Obj *v, int indent)
{
	Tcl_Size n, nk;
	Tcl_Obj **el;
	if (Tcl_ListObjGetElements(NULL, v, &n, &el) != TCL_OK || n == 0 || !is_dict(el[0]))
		return 0;
	if (Tcl_DictObjSize(NULL, el[0], &nk) != TCL_OK || nk == 0 || nk > 32)
		return 0;
	Tcl_Obj *keys[32];
	int w[32];
	Tcl_DictSearch srch;
	Tcl_Obj *k, *val;
	int done, i = 0;
	Tcl_DictObjFirst(NULL, el[0], &srch, &k, &val, &done);
	for (; !done && i < 32; Tcl_DictObjNext(&srch, &k, &val, &done), i++) {
		keys[i] = k;
		w[i] = (int)strlen(Tcl_GetString(k));
	}
	Tcl_DictObjDone(&srch);
	for (Tcl_Size r = 0; r < n; r++) {
		if (!is_dict(el[r]))
			return 0;
		for (i = 0; i < nk; i++) {
			Tcl_Obj *c = NULL;
			Tcl_DictObjGet(NULL, el[r], keys[i], &c);
			Tcl_Obj *t = Tcl_NewObj();
			Tcl_IncrRefCount(t);
			if (c)
				cell(t, c);
			int l = (int)strlen(Tcl_GetString(t));
			Tcl_DecrRefCount(t);
			if (l > w[i])
				w[i] = l;
		}
	}
	Tcl_AppendPrintfToObj(out, "%*s", indent, "");
	for (i = 0; i < nk; i++)
		Tcl_AppendPrintfToObj(out, "%-*s%s", w[i], Tcl_GetString(keys[i]), i + 1 < nk ? "  " : "\n");
	for (Tcl_Size r = 0; r < n; r++) {
		Tcl_AppendPrintfToObj(out, "%*s", indent, "");
		for (i = 0; i < nk; i++) {
			Tcl_Obj *c = NULL;
			Tcl_DictObjGet(NULL, el[r], keys[i], &c);
			Tcl_Obj *t = Tcl_NewObj();
			Tcl_IncrRefCount(t);
			if (c)
				cell(t, c);
			Tcl_AppendPrintfToObj(out, "%-*s%s", i + 1 < nk ? w[i] : 0, Tcl_GetString(t),
					      i + 1 < nk ? "  " : "\n");
			Tcl_DecrRefCount(t);
		}
	}
	return 1;
}

static void text(Tcl_Obj *out, Tcl_Obj *v, int indent)
{
	if (is_dict(v)) {
		dict_text(out, v, indent);
		return;
	}
	if (is_list(v)) {
		if (table_text(out, v, indent))
			return;
		Tcl_Size n;
		Tcl_Obj **el;
		Tcl_ListObjGetElements(NULL, v, &n, &el);
		for (Tcl_Size i = 0; i < n; i++) {
			if (is_dict(el[i])) {
				text(out, el[i], indent);
				if (i + 1 < n)
					Tcl_AppendToObj(out, "\n", 1);
				continue;
			}
			Tcl_AppendPrintfToObj(out, "%*s", indent, "");
			cell(out, el[i]);
			Tcl_AppendToObj(out, "\n", 1);
		}
		return;
	}
	Tcl_AppendPrintfToObj(out, "%*s", indent, "");
	Tcl_AppendObjToObj(out, v);
	Tcl_AppendToObj(out, "\n", 1);
}

Tcl_Obj *sh_render_text(Tcl_Obj *v)
{
	Tcl_Obj *out = Tcl_NewObj();
	if (!is_dict(v) && !is_list(v)) {
		Tcl_AppendObjToObj(out, v);
		return out;
	}
	text(out, v, 0);
	/* no trailing newline: the caller prints one */
	Tcl_Size len;
	char *s = Tcl_GetStringFromObj(out, &len);
	if (len > 0 && s[len - 1] == '\n')
		Tcl_SetObjLength(out, len - 1);
	return out;
}

Tcl_Obj *sh_list(void)
{
	/* a one-element list emptied keeps the list type */
	Tcl_Obj *one = Tcl_NewObj();
	Tcl_Obj *l = Tcl_NewListObj(1, &one);
	Tcl_ListObjReplace(NULL, l, 0, 1, 0, NULL);
	return l;
}

/* JSON text (e.g. from scripts/labnet show --json) to a Tcl value. */
static Tcl_Obj *from_json(const cJSON *j)
{
	if (cJSON_IsObject(j)) {
		Tcl_Obj *d = Tcl_NewDictObj();
		for (const cJSON *c = j->child; c; c = c->next)
			Tcl_DictObjPut(NULL, d, Tcl_NewStringObj(c->string, -1), from_json(c));
		return d;
	}
	if (cJSON_IsArray(j)) {
		Tcl_Obj *l = sh_list();
		for (const cJSON *c = j->child; c; c = c->next)
			Tcl_ListObjAppendElement(NULL, l, from_json(c));
		return l;
	}
	if (cJSON_IsNumber(j)) {
		double d = j->valuedouble;
		if (d == (double)(Tcl_WideInt)d)
			return Tcl_NewWideIntObj((Tcl_WideInt)d);
		return Tcl_NewDoubleObj(d);
	}
	if (cJSON_IsBool(j))
		return Tcl_NewBooleanObj(cJSON_IsTrue(j));
	if (cJSON_IsString(j))
		return Tcl_NewStringObj(j->valuestring, -1);
	return Tcl_NewObj();
}

Tcl_Obj *sh_from_json(const char *text)
{
	cJSON *j = cJSON_Parse(text);
	if (!j)
		return NULL;
	Tcl_Obj *r = from_json(j);
	cJSON_Delete(j);
	return r;
}
