/* Session state: hosts (network namespaces), sockets and their queues.
 * Every socket fd is watched by the Tcl event loop; whatever arrives is
 * queued per socket (printing at the prompt does not consume), and
 * recv/wait take from the queue, so scripts see everything exactly once. */
#define _GNU_SOURCE
#include "sctpsh.h"
#include "kern/ksock.h"
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SH_QUEUE_MAX 10000
#define SH_RCVBUF (256 * 1024)

volatile int sh_interrupted;

/* Ctrl-C wakes the event loop at once: the SIGINT handler writes a byte to
 * this pipe (write() is async-signal-safe), whose read end the event loop
 * watches, so waits need no short polling slices to notice it. */
static int wake_pipe[2] = {-1, -1};

static void wake_drain(ClientData cd, int mask)
{
	(void)cd;
	(void)mask;
	char b[64];
	while (read(wake_pipe[0], b, sizeof b) > 0)
		;
}

int sh_interrupt_init(void)
{
	if (wake_pipe[0] >= 0)
		return 0;
	if (pipe2(wake_pipe, O_NONBLOCK | O_CLOEXEC) < 0)
		return -errno;
	Tcl_CreateFileHandler(wake_pipe[0], TCL_READABLE, wake_drain, NULL);
	return 0;
}

void sh_interrupt_note(void)
{
	int e = errno;
	sh_interrupted = 1;
	if (wake_pipe[1] >= 0) {
		ssize_t n = write(wake_pipe[1], "", 1);
		(void)n; /* full pipe: a wake-up is already pending */
	}
	errno = e;
}

sh_host *sh_cur_host(sh_session *s)
{
	return &s->hosts[s->cur];
}

sh_host *sh_host_find(sh_session *s, const char *name)
{
	for (int i = 0; i < s->nhosts; i++)
		if (!strcmp(s->hosts[i].name, name))
			return &s->hosts[i];
	return NULL;
}

sh_host *sh_host_add(sh_session *s, const char *name, int nsfd)
{
	sh_host *h = sh_host_find(s, name);
	if (h)
		return h;
	if (s->nhosts >= SH_MAX_HOSTS)
		return NULL;
	h = &s->hosts[s->nhosts++];
	memset(h, 0, sizeof *h);
	snprintf(h->name, sizeof h->name, "%s", name);
	h->nsfd = nsfd;
	return h;
}

void sh_host_remove(sh_session *s, sh_host *h)
{
	for (int i = 0; i < SH_MAX_SOCKS; i++)
		if (s->socks[i] && s->socks[i]->host == h)
			sh_sock_close(s, s->socks[i]);
	if (h->nsfd >= 0)
		close(h->nsfd);
	int idx = (int)(h - s->hosts);
	/* keep pointers of the remaining sockets valid: hosts move down */
	for (int i = idx; i + 1 < s->nhosts; i++) {
		s->hosts[i] = s->hosts[i + 1];
		for (int k = 0; k < SH_MAX_SOCKS; k++)
			if (s->socks[k] && s->socks[k]->host == &s->hosts[i + 1])
				s->socks[k]->host = &s->hosts[i];
	}
	s->nhosts--;
	if (s->cur >= s->nhosts || s->cur == idx)
		s->cur = 0;
	else if (s->cur > idx)
		s->cur--;
}

int sh_in_netns(sh_session *s, sh_host *h)
{
	(void)s;
	if (!h || h->nsfd < 0)
		return 0;
	return setns(h->nsfd, CLONE_NEWNET) < 0 ? -errno : 0;
}

int sh_back_netns(sh_session *s)
{
	if (s->origns < 0)
		return 0;
	return setns(s->origns, CLONE_NEWNET) < 0 ? -errno : 0;
}

sh_sock *sh_sock_find(sh_session *s, const char *name)
{
	for (int i = 0; i < SH_MAX_SOCKS; i++)
		if (s->socks[i] && !strcmp(s->socks[i]->name, name))
			return s->socks[i];
	return NULL;
}

static void on_readable(ClientData cd, int mask);

sh_sock *sh_sock_adopt(sh_session *s, sh_host *h, int fd, int type, int family)
{
	int slot = -1;
	for (int i = 0; i < SH_MAX_SOCKS; i++)
		if (!s->socks[i]) {
			slot = i;
			break;
		}
	if (slot < 0)
		return NULL;
	sh_sock *k = calloc(1, sizeof *k);
	if (!k)
		return NULL;
	snprintf(k->name, sizeof k->name, "s%d", s->nextsock++);
	k->fd = fd;
	k->type = type;
	k->family = family;
	k->host = h;
	k->sess = s;
	s->socks[slot] = k;
	Tcl_CreateFileHandler(fd, TCL_READABLE, on_readable, k);
	return k;
}

sh_sock *sh_sock_new(sh_session *s, sh_host *h, int type, int family, int *err)
{
	int e = sh_in_netns(s, h);
	if (e < 0) {
		*err = e;
		return NULL;
	}
	int fd = k_socket(family, type);
	sh_back_netns(s);
	if (fd < 0) {
		*err = fd;
		return NULL;
	}
	if ((e = k_subscribe_all(fd)) < 0) {
		close(fd);
		*err = e;
		return NULL;
	}
	sh_sock *k = sh_sock_adopt(s, h, fd, type, family);
	if (!k) {
		close(fd);
		*err = -EMFILE;
	}
	return k;
}

sh_sock *sh_sock_open_default(sh_session *s, sh_host *h, int port,
			      const struct sockaddr_storage *addrs, int naddrs, int *err,
			      const char **what)
{
	int family = AF_INET6;
	for (int i = 0; i < naddrs; i++)
		if (addrs[i].ss_family == AF_INET6)
			family = AF_INET6;
	*what = "socket(AF_INET6, SOCK_SEQPACKET, IPPROTO_SCTP)";
	sh_sock *k = sh_sock_new(s, h, SOCK_SEQPACKET, family, err);
	if (!k && *err == -EAFNOSUPPORT) {
		family = AF_INET; /* IPv6 disabled: IPv4 only */
		*what = "socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP)";
		k = sh_sock_new(s, h, SOCK_SEQPACKET, family, err);
	}
	if (!k)
		return NULL;
	k->port = port;
	int e;
	*what = naddrs ? "sctp_bindx" : "bind";
	if ((e = k_bind_addrs(k->fd, family, port, addrs, naddrs)) < 0 ||
	    (*what = "listen", e = k_listen(k->fd, 16)) < 0) {
		*err = e;
		sh_sock_close(s, k);
		return NULL;
	}
	if (!h->startup)
		h->startup = k;
	return k;
}

static void queue_free(sh_sock *k)
{
	sh_item *it = k->qhead;
	while (it) {
		sh_item *n = it->next;
		Tcl_DecrRefCount(it->dict);
		ckfree(it);
		it = n;
	}
	k->qhead = k->qtail = NULL;
	k->qlen = 0;
}

void sh_sock_close(sh_session *s, sh_sock *k)
{
	for (int i = 0; i < SH_MAX_SOCKS; i++)
		if (s->socks[i] == k)
			s->socks[i] = NULL;
	for (int i = 0; i < s->nhosts; i++)
		if (s->hosts[i].startup == k)
			s->hosts[i].startup = NULL;
	if (k->fd >= 0) {
		Tcl_DeleteFileHandler(k->fd);
		close(k->fd);
	}
	queue_free(k);
	free(k->part);
	free(k->sink);
	free(k);
}

int sh_sock_resolve(sh_call *c, sh_sock **out)
{
	sh_optval *v = sh_opt_get(c, "--socket");
	sh_sock *k;
	if (v && v->set) {
		k = sh_sock_find(c->s, v->s);
		if (!k)
			return sh_err(c->ip, "nosocket", "no socket named \"%s\" (see: sockets)", v->s);
	} else {
		k = sh_cur_host(c->s)->startup;
		if (!k) {
			if (!c->s->sctp_ok)
				return sh_err(c->ip, "nosctp", "no socket: %s", c->s->sctp_why);
			return sh_err(c->ip, "nosocket", "host %s has no socket open (open one with: socket)",
				      sh_cur_host(c->s)->name);
		}
	}
	*out = k;
	return TCL_OK;
}

void sh_queue_push(sh_session *s, sh_sock *k, int is_event, int type, int assoc, Tcl_Obj *dict)
{
	sh_item *it = (sh_item *)ckalloc(sizeof *it);
	it->next = NULL;
	it->is_event = is_event;
	it->event_type = type;
	it->assoc = assoc;
	it->dict = dict;
	Tcl_IncrRefCount(dict);
	if (k->qtail)
		k->qtail->next = it;
	else
		k->qhead = it;
	k->qtail = it;
	if (++k->qlen > SH_QUEUE_MAX) { /* bound memory: drop the oldest */
		sh_item *old = k->qhead;
		k->qhead = old->next;
		Tcl_DecrRefCount(old->dict);
		ckfree(old);
		k->qlen--;
		k->dropped++;
	}
	if (s->interactive) {
		/* one line per arrival, shown above the prompt */
		Tcl_Obj *line = Tcl_ObjPrintf("[%s %s] ", k->host ? k->host->name : "?", k->name);
		Tcl_Obj *flat = Tcl_DuplicateObj(dict);
		Tcl_Obj *data = NULL;
		Tcl_DictObjGet(NULL, flat, Tcl_NewStringObj("data", -1), &data);
		if (data) {
			Tcl_Size n;
			unsigned char *b = Tcl_GetByteArrayFromObj(data, &n);
			Tcl_Obj *shown = Tcl_NewObj();
			for (Tcl_Size i = 0; i < n && i < 48; i++)
				Tcl_AppendPrintfToObj(shown, "%c", b[i] >= 32 && b[i] < 127 ? b[i] : '.');
			if (n > 48)
				Tcl_AppendToObj(shown, "...", 3);
			Tcl_DictObjPut(NULL, flat, Tcl_NewStringObj("data", -1), shown);
		}
		Tcl_AppendObjToObj(line, flat);
		Tcl_IncrRefCount(line);
		Tcl_IncrRefCount(flat);
		sh_print_async(s, Tcl_GetString(line));
		Tcl_DecrRefCount(flat);
		Tcl_DecrRefCount(line);
	}
}

static void deliver_msg(sh_session *s, sh_sock *k, const unsigned char *buf, size_t len, k_rcv *r)
{
	Tcl_Obj *d = Tcl_NewDictObj();
#define P(key, v) Tcl_DictObjPut(NULL, d, Tcl_NewStringObj(key, -1), v)
	P("assoc", Tcl_NewWideIntObj(r->ri.rcv_assoc_id));
	P("stream", Tcl_NewIntObj(r->ri.rcv_sid));
	P("ssn", Tcl_NewIntObj(r->ri.rcv_ssn));
	P("tsn", Tcl_NewWideIntObj(r->ri.rcv_tsn));
	P("cumtsn", Tcl_NewWideIntObj(r->ri.rcv_cumtsn));
	P("ppid", Tcl_NewWideIntObj(ntohl(r->ri.rcv_ppid)));
	P("from", r->fromlen ? sh_addr_obj((struct sockaddr *)&r->from) : Tcl_NewStringObj("", 0));
	Tcl_Obj *fl = Tcl_NewListObj(0, NULL);
	if (r->ri.rcv_flags & SCTP_UNORDERED)
		Tcl_ListObjAppendElement(NULL, fl, Tcl_NewStringObj("unordered", -1));
	P("flags", fl);
	P("size", Tcl_NewWideIntObj((Tcl_WideInt)len));
	P("data", Tcl_NewByteArrayObj(buf, (Tcl_Size)len));
#undef P
	sh_queue_push(s, k, 0, 0, (int)r->ri.rcv_assoc_id, d);
}

void sh_sock_pump(sh_session *s, sh_sock *k)
{
	static unsigned char *buf;
	if (k->sink) {
		sh_sink_pump(k);
		return;
	}
	if (!buf && !(buf = malloc(SH_RCVBUF)))
		return;
	for (int rounds = 0; k->fd >= 0 && rounds < 256; rounds++) {
		k_rcv r;
		int n = k_recv(k->fd, buf, SH_RCVBUF, &r);
		if (n < 0)
			return; /* EAGAIN, or an error the next syscall will report */
		if (r.is_notif) {
			int type, assoc;
			Tcl_Obj *d = sh_notif_dict(buf, (size_t)n, &type, &assoc);
			sh_queue_push(s, k, 1, type, assoc, d);
			continue;
		}
		if (!r.eor || k->partlen) {
			/* part of a larger message: assemble until MSG_EOR */
			if (k->partlen + (size_t)n > k->partcap) {
				size_t cap = (k->partlen + (size_t)n) * 2;
				unsigned char *p = realloc(k->part, cap);
				if (!p)
					return;
				k->part = p;
				k->partcap = cap;
			}
			memcpy(k->part + k->partlen, buf, (size_t)n);
			k->partlen += (size_t)n;
			if (!r.eor)
				continue;
			deliver_msg(s, k, k->part, k->partlen, &r);
			k->partlen = 0;
			continue;
		}
		deliver_msg(s, k, buf, (size_t)n, &r);
	}
}

static void on_readable(ClientData cd, int mask)
{
	(void)mask;
	sh_sock *k = cd;
	sh_sock_pump(k->sess, k);
}

static void tick(ClientData cd)
{
	*(int *)cd = 1;
}

int sh_wait_events(sh_session *s, Tcl_Interp *ip, long ms, int *done)
{
	(void)s;
	Tcl_Time now, end;
	Tcl_GetTime(&now);
	end = now;
	if (ms >= 0) {
		end.sec += ms / 1000;
		end.usec += (ms % 1000) * 1000;
		if (end.usec >= 1000000) {
			end.sec++;
			end.usec -= 1000000;
		}
	}
	while (!(done && *done)) {
		if (sh_interrupted) /* left set: the REPL clears it before the next command */
			return sh_err(ip, "interrupted", "interrupted");
		Tcl_GetTime(&now);
		long left = ms < 0 ? -1
				   : (long)((end.sec - now.sec) * 1000 + (end.usec - now.usec) / 1000);
		if (ms >= 0 && left <= 0)
			return TCL_OK;
		/* Ctrl-C wakes us through the wake pipe (sh_interrupt_init); without
		 * it (no handler installed), wake every 100 ms to look at the flag */
		long slice = wake_pipe[0] >= 0 ? left : (left < 0 || left > 100 ? 100 : left);
		int fired = 0;
		Tcl_TimerToken t = slice >= 0 ? Tcl_CreateTimerHandler((int)slice, tick, &fired) : NULL;
		Tcl_DoOneEvent(TCL_ALL_EVENTS);
		if (t)
			Tcl_DeleteTimerHandler(t);
	}
	return TCL_OK;
}

int sh_queue_take(sh_call *c, sh_sock *k, int is_event, int type, int assoc, long timeout_ms,
		  Tcl_Obj **out)
{
	Tcl_Time now, end;
	Tcl_GetTime(&end);
	if (timeout_ms >= 0) {
		end.sec += timeout_ms / 1000;
		end.usec += (timeout_ms % 1000) * 1000;
		if (end.usec >= 1000000) {
			end.sec++;
			end.usec -= 1000000;
		}
	}
	for (;;) {
		sh_sock_pump(c->s, k);
		sh_item *prev = NULL;
		for (sh_item *it = k->qhead; it; prev = it, it = it->next) {
			if (it->is_event != is_event)
				continue;
			if (is_event && type != -1 && it->event_type != type &&
			    !(type == SCTP_SEND_FAILED_EVENT && it->event_type == SCTP_SEND_FAILED))
				continue;
			if (assoc && it->assoc != assoc)
				continue;
			if (prev)
				prev->next = it->next;
			else
				k->qhead = it->next;
			if (k->qtail == it)
				k->qtail = prev;
			k->qlen--;
			*out = it->dict; /* the queue's reference passes to the caller */
			ckfree(it);
			return TCL_OK;
		}
		if (k->fd < 0)
			return sh_err(c->ip, "closed", "socket %s is closed", k->name);
		Tcl_GetTime(&now);
		long left = (long)((end.sec - now.sec) * 1000 + (end.usec - now.usec) / 1000);
		if (timeout_ms >= 0 && left <= 0) {
			Tcl_SetObjResult(c->ip, Tcl_ObjPrintf("timeout: no %s on %s within %ld ms",
							       is_event ? (type == -1 ? "event" : sh_event_name(type))
									: "message",
							       k->name, timeout_ms));
			Tcl_SetErrorCode(c->ip, "SCTPSH", "timeout", NULL);
			return TCL_ERROR;
		}
		int dummy = 0;
		if (sh_wait_events(c->s, c->ip, timeout_ms < 0 ? 100 : (left < 100 ? left : 100), &dummy) !=
		    TCL_OK)
			return TCL_ERROR;
	}
}

int sh_get_addr(Tcl_Interp *ip, Tcl_Obj *o, int defport, struct sockaddr_storage *ss)
{
	char err[256];
	if (sh_addr_parse(Tcl_GetString(o), defport, ss, err, sizeof err) < 0)
		return sh_err(ip, "badaddr", "%s", err);
	return TCL_OK;
}

Tcl_Obj *sh_addr_obj(const struct sockaddr *sa)
{
	char b[80];
	return Tcl_NewStringObj(sh_addr_str(sa, b, sizeof b), -1);
}

int sh_get_assoc(sh_call *c, int *assoc)
{
	sh_optval *v = sh_opt_get(c, "--assoc");
	*assoc = 0;
	if (v && v->set) {
		if (v->i <= 0 || v->i > 0x7fffffff)
			return sh_err(c->ip, "usage", "--assoc expects an association id (a positive integer; see: assocs), got %s",
				      Tcl_GetString(v->obj));
		*assoc = (int)v->i;
	}
	return TCL_OK;
}
