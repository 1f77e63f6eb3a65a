/* sysctl: read and write net.sctp.* of a host's network namespace.
 *
 * /proc/sys/net shows the network namespace of the thread that looks the
 * path up (net_ctl_header_lookup uses current->nsproxy->net_ns), so we
 * setns() into the host's namespace, open the file, and come back; the
 * lab test (tests/tcl/sysctl.test) checks that A and B really differ.
 * The kernel copies most of these values into a socket when it is created
 * (and into an association from its socket), so a write affects new sockets. */
#define _GNU_SOURCE
#include "cmds.h"
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SYSCTL_DIR "/proc/sys/net/sctp"


/* "net.sctp.rto-initial" → "rto_initial"; 0 or -1 when not a plain name */
static int norm_name(const char *in, char *out, size_t len)
{
	if (!strncmp(in, "net.sctp.", 9))
		in += 9;
	else if (!strncmp(in, "net/sctp/", 9))
		in += 9;
	size_t n = strlen(in);
	if (n == 0 || n >= len)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char ch = in[i] == '-' ? '_' : in[i];
		if (!(islower((unsigned char)ch) || isdigit((unsigned char)ch) || ch == '_'))
			return -1;
		out[i] = ch;
	}
	out[n] = '\0';
	return 0;
}

/* read one file (we are in the namespace); -errno or length */
static int read_file(const char *name, char *buf, size_t len)
{
	char path[256];
	snprintf(path, sizeof path, SYSCTL_DIR "/%s", name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, len - 1);
	int e = errno;
	close(fd);
	if (n < 0)
		return -e;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	return (int)n;
}

static int write_file(const char *name, const char *val)
{
	char path[256];
	snprintf(path, sizeof path, SYSCTL_DIR "/%s", name);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	size_t l = strlen(val);
	ssize_t n = write(fd, val, l);
	int e = errno;
	close(fd);
	if (n < 0)
		return -e;
	return (size_t)n == l ? 0 : -EIO;
}

/* "200" → int, "4096 16384 6291456" → list of ints, else the text */
static Tcl_Obj *value_obj(const char *s)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (*s && !*end && !isspace((unsigned char)*s))
		return Tcl_NewWideIntObj((Tcl_WideInt)v);
	Tcl_Obj *l = Tcl_NewListObj(0, NULL);
	const char *p = s;
	int allnum = *p != '\0';
	while (*p) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		v = strtoll(p, &end, 10);
		if (end == p || (*end && !isspace((unsigned char)*end))) {
			allnum = 0;
			break;
		}
		Tcl_ListObjAppendElement(NULL, l, Tcl_NewWideIntObj((Tcl_WideInt)v));
		p = end;
	}
	if (allnum)
		return l;
	Tcl_DecrRefCount(l);
	return Tcl_NewStringObj(s, -1);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmd_sysctl(sh_call *c)
{
	sh_session *s = c->s;
	sh_optval *hv = sh_opt_get(c, "--host");
	sh_host *h = sh_cur_host(s);
	if (hv->set && !(h = sh_host_find(s, hv->s)))
		return sh_err(c->ip, "nohost", "no host named \"%s\" (see: hosts)", hv->s);
	char name[128];
	if (c->npos >= 1 && norm_name(Tcl_GetString(c->pos[0]), name, sizeof name) < 0)
		return sh_err(c->ip, "badname", "\"%s\" is not a net.sctp setting name (like rto_initial; see: sysctl)",
			      Tcl_GetString(c->pos[0]));
	char newval[512] = "";
	if (c->npos == 2) {
		/* a list of numbers is written space-separated */
		Tcl_Size n;
		Tcl_Obj **el;
		if (Tcl_ListObjGetElements(NULL, c->pos[1], &n, &el) != TCL_OK || n == 0)
			return sh_err(c->ip, "badvalue", "sysctl %s: empty or malformed value \"%s\"", name,
				      Tcl_GetString(c->pos[1]));
		size_t off = 0;
		for (Tcl_Size i = 0; i < n; i++) {
			const char *w = Tcl_GetString(el[i]);
			int k = snprintf(newval + off, sizeof newval - off, "%s%s", i ? " " : "", w);
			if (k < 0 || (size_t)k >= sizeof newval - off)
				return sh_err(c->ip, "badvalue", "sysctl %s: value too long", name);
			off += (size_t)k;
		}
		if (strchr(newval, '\n'))
			return sh_err(c->ip, "badvalue", "sysctl %s: the value cannot hold a newline", name);
	}

	int e = sh_in_netns(s, h);
	if (e < 0) {
		sh_back_netns(s);
		return sh_err_errno(c->ip, "setns", e);
	}
	Tcl_Obj *res = NULL;
	char buf[1024];
	const char *call = NULL;
	if (c->npos == 0) {
		/* every setting, sorted, as a dict */
		DIR *d = opendir(SYSCTL_DIR);
		if (!d) {
			e = -errno;
			call = "opendir(" SYSCTL_DIR ")";
		} else {
			char *names[256];
			int nn = 0;
			struct dirent *de;
			while ((de = readdir(d)) && nn < 256)
				if (de->d_name[0] != '.')
					names[nn++] = strdup(de->d_name);
			closedir(d);
			qsort(names, (size_t)nn, sizeof names[0], cmp_str);
			res = Tcl_NewDictObj();
			for (int i = 0; i < nn; i++) {
				if (names[i] && read_file(names[i], buf, sizeof buf) >= 0)
					Tcl_DictObjPut(NULL, res, Tcl_NewStringObj(names[i], -1), value_obj(buf));
				free(names[i]);
			}
		}
	} else {
		e = read_file(name, buf, sizeof buf);
		if (e < 0)
			call = "read";
		else if (c->npos == 1)
			res = value_obj(buf);
		else {
			res = Tcl_NewDictObj();
			PUTS(res, "host", h->name);
			PUTS(res, "name", name);
			PUT(res, "old", value_obj(buf));
			e = write_file(name, newval);
			if (e < 0)
				call = "write";
			else if ((e = read_file(name, buf, sizeof buf)) < 0)
				call = "read";
			else {
				e = 0;
				PUT(res, "value", value_obj(buf));
				PUTS(res, "note", "sockets already open keep the values they were created with; "
						  "new sockets (socket, lab reset) and their associations get the new one");
			}
		}
	}
	sh_back_netns(s);
	if (e < 0) {
		if (res)
			Tcl_DecrRefCount(res);
		if (e == -ENOENT)
			return sh_err(c->ip, "nosysctl", "no setting net.sctp.%s on host %s (see: sysctl)%s", c->npos ? name : "",
				      h->name, c->npos ? "" : ": no SCTP in this kernel?");
		char what[200];
		snprintf(what, sizeof what, "sysctl net.sctp.%s on host %s: %s", c->npos ? name : "*", h->name, call);
		sh_err_errno(c->ip, what, e);
		if (e == -EINVAL)
			Tcl_AppendResult(c->ip, ": the kernel refused the value \"", newval, "\" (out of range?)", NULL);
		if (e == -EACCES || e == -EPERM)
			Tcl_AppendResult(c->ip, ": writing needs root (CAP_NET_ADMIN in the namespace)", NULL);
		return TCL_ERROR;
	}
	Tcl_SetObjResult(c->ip, res);
	return TCL_OK;
}

static const sh_opt sysctl_opts[] = {
	{"--host", SH_OPT_STR, "H", "the host whose namespace to use (default: the current host)"},
	{NULL, 0, NULL, NULL},
};

const sh_cmd sh_cmds_sysctl[] = {
	{"sysctl", "?NAME ?VALUE??", "read (all as a dict, or one) or write net.sctp.* of a host's network namespace",
	 sysctl_opts, 0, 2, cmd_sysctl, NULL,
	 "NAME as in /proc/sys/net/sctp (rto_initial; net.sctp. prefix and - for _ accepted). Writing returns\n"
	 "    {host name old value note}: sockets already open keep their values; new sockets get the new one."},
	{NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL},
};
