/* wayout.c — the working way out of the handover study, with the plain
 * socket API (RFC 6458): the media stream moves from A–B(–C) to a new, direct
 * A–C association that A's application opens simply by sending to C's address
 * on its one-to-many socket. No SCTP extension is needed; see
 * docs/handover.md, "Way out (b)".
 *
 *   C: media back end. Receives media relayed by B (B–C, stream 1) and, after
 *      the move, directly from A (A–C, stream 1); delivers in sequence with no
 *      loss or duplicate, holding early direct messages until the relayed
 *      ones up to the switch point have arrived. It accepts direct media only
 *      after B's EXPECT (on B–C) and only from an association whose peer holds
 *      the address EXPECT names and whose messages carry EXPECT's token.
 *   B: web front end. Relays A's media to C; after MOVE_AT media messages
 *      tells C (EXPECT from=<a> token=<t>) and then A (MOVE to=<c>:<port>
 *      token=<t>), both on the control stream (0).
 *   A: client. Sends media (stream 1) every INTERVAL ms and a control message
 *      (stream 0) every 4th; on B's MOVE sends media to the address MOVE names
 *      (A has no other knowledge of C): the kernel sets up the A–C
 *      association implicitly (RFC 6458 §3.1.4, §7.5).
 *
 * Run each role in its lab host (scripts/labnet up), C first:
 *   ip netns exec C wayout c & ip netns exec B wayout b & ip netns exec A wayout a
 * Options: -n messages (200) -i interval ms (5) -m move after (100)
 *          -P make before break (B role): B tells A to PREPARE halfway to the
 *             move; A opens A–C then and, on MOVE, switches only once the
 *             A–C association is up (SCTP_COMM_UP, RFC 6458 §6.1.1)
 *          -A/-B/-C addresses (198.51.100.1/.2/.3), -p port (5000)
 * Each role prints one JSON line with its counts; C's holds the figures.
 *
 * No send blocks: every sendmsg is MSG_DONTWAIT, and a message the kernel
 * cannot take yet (EAGAIN: send buffer full) waits in a per-destination queue
 * that the poll loop flushes in order.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define S_CONTROL 0
#define S_MEDIA 1
#define MAXMSG 4096
#define TEXT 320

static const char *addr_a = "198.51.100.1", *addr_b = "198.51.100.2", *addr_c = "198.51.100.3";
static int port = 5000, nmsg = 200, interval_ms = 5, move_at = 100, prepare = 0;

static int64_t now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t); /* one clock: the lab's hosts share a kernel */
	return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static void die(const char *what)
{
	fprintf(stderr, "wayout: %s: %s\n", what, strerror(errno));
	exit(1);
}

static struct sockaddr_in sin_of(const char *a, int p)
{
	struct sockaddr_in s = {.sin_family = AF_INET, .sin_port = htons((uint16_t)p)};
	if (inet_pton(AF_INET, a, &s.sin_addr) != 1) {
		fprintf(stderr, "wayout: bad address %s\n", a);
		exit(2);
	}
	return s;
}

static void setopt(int fd, int name, const void *v, socklen_t len, const char *what)
{
	if (setsockopt(fd, IPPROTO_SCTP, name, v, len) < 0)
		die(what);
}

/* A one-to-many socket on the port, listening, with per-message info and the
 * notifications the roles act on. */
static int endpoint(void)
{
	int fd = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
	if (fd < 0)
		die("socket");
	struct sockaddr_in any = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	if (bind(fd, (struct sockaddr *)&any, sizeof any) < 0)
		die("bind");
	int on = 1;
	setopt(fd, SCTP_RECVRCVINFO, &on, sizeof on, "setsockopt(SCTP_RECVRCVINFO)");
	/* no Nagle: media messages are small and must leave at once */
	setopt(fd, SCTP_NODELAY, &on, sizeof on, "setsockopt(SCTP_NODELAY)");
	struct sctp_initmsg im = {.sinit_num_ostreams = 4, .sinit_max_instreams = 4};
	setopt(fd, SCTP_INITMSG, &im, sizeof im, "setsockopt(SCTP_INITMSG)");
	/* With I-DATA enabled on the endpoint, socket.c sctp_sendmsg_to_asoc
	 * waits for a new association's handshake with the socket's send timeout
	 * whatever MSG_DONTWAIT says. It is off unless a socket asks for it
	 * (SCTP_INTERLEAVING_SUPPORTED, which needs SCTP_FRAGMENT_INTERLEAVE);
	 * check, so that the first send to C cannot block A's loop. */
	struct sctp_assoc_value intl = {.assoc_id = SCTP_FUTURE_ASSOC};
	socklen_t il = sizeof intl;
	if (getsockopt(fd, IPPROTO_SCTP, SCTP_INTERLEAVING_SUPPORTED, &intl, &il) < 0)
		die("getsockopt(SCTP_INTERLEAVING_SUPPORTED)");
	if (intl.assoc_value) {
		fprintf(stderr, "wayout: I-DATA is on for this socket; a send to a new peer would block\n");
		exit(1);
	}
	/* RFC 6458 §6.2.2: the notifications are off until subscribed */
	static const uint16_t events[] = {SCTP_ASSOC_CHANGE, SCTP_SEND_FAILED_EVENT};
	for (size_t i = 0; i < sizeof events / sizeof events[0]; i++) {
		struct sctp_event ev = {.se_assoc_id = SCTP_FUTURE_ASSOC, .se_type = events[i], .se_on = 1};
		setopt(fd, SCTP_EVENT, &ev, sizeof ev, "setsockopt(SCTP_EVENT)");
	}
	if (listen(fd, 8) < 0)
		die("listen");
	return fd;
}

/* ---- sending: never blocks; EAGAIN queues per destination, in order ---- */
struct out {
	int stream;
	char text[TEXT];
};
struct dest {
	struct sockaddr_in to;
	int head, n;
	struct out q[256];
};
static struct dest dests[4];
static int ndests;

static struct dest *dest_of(const struct sockaddr_in *to)
{
	for (int i = 0; i < ndests; i++)
		if (dests[i].to.sin_addr.s_addr == to->sin_addr.s_addr && dests[i].to.sin_port == to->sin_port)
			return &dests[i];
	if (ndests == (int)(sizeof dests / sizeof dests[0])) {
		fprintf(stderr, "wayout: too many destinations\n");
		exit(1);
	}
	dests[ndests].to = *to;
	return &dests[ndests++];
}

/* 1 sent, 0 the kernel has no room (EAGAIN); anything else is fatal */
static int send_now(int fd, struct sockaddr_in *to, int stream, const char *text)
{
	struct sctp_sndinfo si = {.snd_sid = (uint16_t)stream};
	if (sctp_sendv(fd, &(struct iovec){(void *)text, strlen(text)}, 1, (struct sockaddr *)to, 1, &si, sizeof si,
		       SCTP_SENDV_SNDINFO, MSG_DONTWAIT) >= 0)
		return 1;
	if (errno == EAGAIN || errno == EWOULDBLOCK)
		return 0;
	die("sctp_sendv");
	return -1;
}

static void flush(int fd)
{
	for (int i = 0; i < ndests; i++) {
		struct dest *d = &dests[i];
		while (d->n && send_now(fd, &d->to, d->q[d->head].stream, d->q[d->head].text)) {
			d->head = (d->head + 1) % 256;
			d->n--;
		}
	}
}

static int queued(void)
{
	int n = 0;
	for (int i = 0; i < ndests; i++)
		n += dests[i].n;
	return n;
}

/* Send to an address: on a one-to-many socket the first send opens the
 * association (the application never calls connect, RFC 6458 §7.5). */
static void send_to(int fd, struct sockaddr_in to, int stream, const char *text)
{
	struct dest *d = dest_of(&to);
	if (!d->n && send_now(fd, &to, stream, text))
		return;
	if (d->n == 256) {
		fprintf(stderr, "wayout: send queue full\n");
		exit(1);
	}
	struct out *o = &d->q[(d->head + d->n++) % 256];
	o->stream = stream;
	snprintf(o->text, sizeof o->text, "%s", text);
}

/* ---- notifications ---- */
struct up {
	sctp_assoc_t id;
	int64_t at; /* when SCTP_COMM_UP arrived */
	struct sockaddr_in peer[8];
	int npeer;
};
static struct up ups[8];
static int nups, assoc_failed, send_failed;

static int peer_has(const struct up *u, const char *addr)
{
	struct in_addr a;
	if (inet_pton(AF_INET, addr, &a) != 1)
		return 0;
	for (int i = 0; i < u->npeer; i++)
		if (u->peer[i].sin_addr.s_addr == a.s_addr)
			return 1;
	return 0;
}

static const struct up *up_of(sctp_assoc_t id)
{
	for (int i = 0; i < nups; i++)
		if (ups[i].id == id)
			return &ups[i];
	return NULL;
}

/* the association that is up and has addr among its peer addresses */
static const struct up *up_with(const char *addr)
{
	for (int i = 0; i < nups; i++)
		if (peer_has(&ups[i], addr))
			return &ups[i];
	return NULL;
}

static void notification(int fd, const char *buf, ssize_t n)
{
	const union sctp_notification *sn = (const void *)buf;
	if (n < (ssize_t)sizeof sn->sn_header)
		return;
	if (sn->sn_header.sn_type == SCTP_ASSOC_CHANGE && n >= (ssize_t)sizeof sn->sn_assoc_change) {
		const struct sctp_assoc_change *ac = &sn->sn_assoc_change;
		if ((ac->sac_state == SCTP_COMM_UP || ac->sac_state == SCTP_RESTART) && nups < 8 &&
		    !up_of(ac->sac_assoc_id)) {
			struct up *u = &ups[nups++];
			u->id = ac->sac_assoc_id;
			u->at = now_us();
			struct sockaddr *addrs;
			int k = sctp_getpaddrs(fd, ac->sac_assoc_id, &addrs);
			for (int i = 0; i < k && u->npeer < 8; i++)
				if (((struct sockaddr_in *)addrs)[i].sin_family == AF_INET)
					u->peer[u->npeer++] = ((struct sockaddr_in *)addrs)[i];
			if (k > 0)
				sctp_freepaddrs(addrs);
		} else if (ac->sac_state == SCTP_COMM_LOST || ac->sac_state == SCTP_CANT_STR_ASSOC) {
			assoc_failed++;
			fprintf(stderr, "wayout: association %d %s (error %u)\n", (int)ac->sac_assoc_id,
				ac->sac_state == SCTP_COMM_LOST ? "lost" : "could not be started", ac->sac_error);
		}
	} else if (sn->sn_header.sn_type == SCTP_SEND_FAILED_EVENT) {
		send_failed++;
		fprintf(stderr, "wayout: a message could not be sent (association %d)\n",
			(int)sn->sn_send_failed_event.ssf_assoc_id);
	}
}

/* Receive one message; returns its length (0 on timeout), stream, association.
 * Notifications are handled on the way. Flushes queued sends meanwhile. */
static int recv_msg(int fd, char *buf, size_t len, int *stream, sctp_assoc_t *assoc, int timeout_ms)
{
	int64_t end = now_us() + (int64_t)timeout_ms * 1000;
	for (;;) {
		flush(fd);
		int64_t left = (end - now_us()) / 1000;
		struct pollfd p = {.fd = fd, .events = POLLIN | (queued() ? POLLOUT : 0)};
		if (poll(&p, 1, left > 0 ? (int)left : 0) < 0 && errno != EINTR)
			die("poll");
		if (!(p.revents & POLLIN)) {
			if (left <= 0)
				return 0;
			continue;
		}
		struct sockaddr_in sa;
		socklen_t sl = sizeof sa;
		struct sctp_rcvinfo ri;
		socklen_t il = sizeof ri;
		unsigned int infotype = 0;
		int flags = 0;
		ssize_t n = sctp_recvv(fd, &(struct iovec){buf, len - 1}, 1, (struct sockaddr *)&sa, &sl, &ri, &il,
				       &infotype, &flags);
		if (n < 0)
			die("sctp_recvv");
		if (flags & MSG_NOTIFICATION) {
			notification(fd, buf, n);
			continue;
		}
		buf[n] = '\0';
		if (getenv("WAYOUT_DEBUG"))
			fprintf(stderr, "recv: %s\n", buf);
		*stream = infotype == SCTP_RECVV_RCVINFO ? ri.rcv_sid : -1;
		*assoc = infotype == SCTP_RECVV_RCVINFO ? ri.rcv_assoc_id : 0;
		return (int)n;
	}
}

/* parse "WORD to=IP:PORT token=T" */
static int parse_to(const char *m, char *ip, int *p, unsigned *token)
{
	const char *s = strstr(m, " to=");
	if (!s || sscanf(s, " to=%15[0-9.]:%d token=%u", ip, p, token) != 3)
		return 0;
	return 1;
}

static int role_a(int fd)
{
	struct sockaddr_in b = sin_of(addr_b, port), media_to = b, target = {0};
	char target_ip[16] = "none";
	int control = 0, moved_at = -1, want_move = 0, prepared = 0, cut_up = 0;
	unsigned token = 0;
	int64_t move_seen = 0, cut_at = 0, first_c_send = 0;
	send_to(fd, b, S_CONTROL, "hello from A");
	for (int seq = 0; seq < nmsg; seq++) {
		char buf[TEXT], m[TEXT];
		int stream;
		sctp_assoc_t as;
		/* B's PREPARE and MOVE arrive on the control stream; this poll also
		 * paces the media (one message every interval_ms) */
		int64_t tick = now_us() + (int64_t)interval_ms * 1000;
		while (recv_msg(fd, buf, sizeof buf, &stream, &as, (int)((tick - now_us()) / 1000)) > 0) {
			char ip[16];
			int p;
			unsigned t;
			if (stream != S_CONTROL || !parse_to(buf, ip, &p, &t) || moved_at >= 0)
				continue;
			if (!strncmp(buf, "PREPARE ", 8) && !prepared) {
				/* make before break: open A–C now; the message rides
				 * with COOKIE ECHO (RFC 9260 §5.1) */
				target = sin_of(ip, p);
				snprintf(target_ip, sizeof target_ip, "%s", ip);
				token = t;
				snprintf(m, sizeof m, "hello from A token=%u", token);
				first_c_send = now_us();
				send_to(fd, target, S_CONTROL, m);
				prepared = 1;
			} else if (!strncmp(buf, "MOVE ", 5) && !want_move) {
				target = sin_of(ip, p);
				snprintf(target_ip, sizeof target_ip, "%s", ip);
				token = t;
				want_move = 1;
				move_seen = now_us();
			}
		}
		/* make before break: cut over only once A–C is up (SCTP_COMM_UP) */
		if (want_move && moved_at < 0 && (!prepared || up_with(target_ip))) {
			cut_up = up_with(target_ip) != NULL;
			media_to = target;
			moved_at = seq;
			cut_at = now_us();
			if (!first_c_send)
				first_c_send = cut_at;
		}
		/* the first direct message tells C where the relayed ones end */
		snprintf(buf, sizeof buf, "seq=%d t=%lld last-relayed=%d token=%u", seq, (long long)now_us(),
			 moved_at < 0 ? -1 : moved_at - 1, token);
		send_to(fd, media_to, S_MEDIA, buf);
		if (seq % 4 == 0) {
			snprintf(buf, sizeof buf, "control %d", control++);
			send_to(fd, b, S_CONTROL, buf);
		}
	}
	/* RTT of A–C, measured on that association: A's first send to C to
	 * SCTP_COMM_UP is INIT, INIT ACK, COOKIE ECHO, COOKIE ACK = 2 RTT. The
	 * kernel's own SRTT (SCTP_STATUS, RFC 6458 §8.2.1) is reported too, but
	 * raw: socket.c sctp_getsockopt_sctp_status copies transport->srtt, in
	 * jiffies, while spinfo_rto is converted to ms. Read while A–C is up. */
	int srtt = -1, rto = -1;
	double rtt = -1;
	const struct up *u = up_with(target_ip);
	if (u) {
		rtt = (u->at - first_c_send) / 2000.0;
		struct sctp_status st = {.sstat_assoc_id = u->id};
		socklen_t sl = sizeof st;
		if (getsockopt(fd, IPPROTO_SCTP, SCTP_STATUS, &st, &sl) < 0)
			die("getsockopt(SCTP_STATUS)");
		srtt = (int)st.sstat_primary.spinfo_srtt;
		rto = (int)st.sstat_primary.spinfo_rto;
	}
	send_to(fd, b, S_CONTROL, "END");
	if (moved_at >= 0)
		send_to(fd, target, S_CONTROL, "END");
	/* let the last messages leave and be acknowledged before close */
	char buf[TEXT];
	int stream;
	sctp_assoc_t as;
	while (recv_msg(fd, buf, sizeof buf, &stream, &as, 1000) > 0)
		;
	printf("{\"role\":\"A\",\"sent\":%d,\"control\":%d,\"moved_at\":%d,\"moved_to\":\"%s\",\"move_seen_us\":%lld,"
	       "\"cut_wait_ms\":%.3f,\"up_at_cut\":%d,\"rtt_ac_ms\":%.3f,\"kernel_srtt_ac_jiffies\":%d,\"rto_ac_ms\":%d,\"queued\":%d,\"assoc_failed\":%d,"
	       "\"send_failed\":%d}\n",
	       nmsg, control, moved_at, target_ip, (long long)move_seen,
	       cut_at ? (cut_at - move_seen) / 1000.0 : -1.0, cut_up, rtt, srtt, rto, queued(),
	       assoc_failed, send_failed);
	return moved_at < 0 || queued() || assoc_failed || send_failed;
}

static int role_b(int fd)
{
	struct sockaddr_in a = sin_of(addr_a, port), c = sin_of(addr_c, port);
	int relayed = 0, control = 0, bc = 0, moved = 0, told = 0;
	int64_t last_media_rx = 0;
	unsigned token;
	if (getentropy(&token, sizeof token) < 0)
		die("getentropy");
	send_to(fd, c, S_CONTROL, "hello from B"); /* opens B–C */
	for (;;) {
		char buf[TEXT], m[TEXT];
		int stream;
		sctp_assoc_t as;
		if (!recv_msg(fd, buf, sizeof buf, &stream, &as, 5000))
			break;
		/* Only A sends to B here. Do not filter on the source address: recvmsg()'s
		 * msg_name is the packet's source, which can be any of A's addresses. */
		if (stream == S_MEDIA) {
			last_media_rx = now_us();
			char relay[TEXT + 8];
			snprintf(relay, sizeof relay, "via-B %s", buf);
			send_to(fd, c, S_MEDIA, relay); /* relay on B–C */
			++relayed;
			if (!told && relayed >= (prepare ? move_at / 2 : move_at)) {
				/* C first, so that it can check A's direct messages */
				snprintf(m, sizeof m, "EXPECT from=%s token=%u", addr_a, token);
				send_to(fd, c, S_CONTROL, m);
				told = 1;
				if (prepare) {
					snprintf(m, sizeof m, "PREPARE to=%s:%d token=%u", addr_c, port, token);
					send_to(fd, a, S_CONTROL, m);
				}
			}
			if (relayed == move_at && !moved) {
				snprintf(m, sizeof m, "MOVE to=%s:%d token=%u", addr_c, port, token);
				send_to(fd, a, S_CONTROL, m);
				moved = 1;
			}
		} else if (!strcmp(buf, "END")) {
			break;
		} else {
			control++;
			/* B–C's own control stream keeps running throughout */
			snprintf(buf, sizeof buf, "bc-control %d", bc++);
			send_to(fd, c, S_CONTROL, buf);
		}
	}
	char end[64];
	snprintf(end, sizeof end, "END last-media-rx=%lld", (long long)last_media_rx);
	send_to(fd, c, S_CONTROL, end);
	char buf[TEXT];
	int stream;
	sctp_assoc_t as;
	while (recv_msg(fd, buf, sizeof buf, &stream, &as, 1000) > 0)
		;
	printf("{\"role\":\"B\",\"relayed\":%d,\"control_from_a\":%d,\"bc_control\":%d,\"last_media_rx_us\":%lld,"
	       "\"queued\":%d,\"assoc_failed\":%d,\"send_failed\":%d}\n",
	       relayed, control, bc, (long long)last_media_rx, queued(), assoc_failed, send_failed);
	return queued() || assoc_failed || send_failed;
}

static int cmp64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? -1 : a > b;
}

/* C's state: what arrived, when, and what was delivered */
static int held[MAXMSG], next_seq, dups, relayed_n, direct_n, last_relayed = -2, rejected, expect_seen;
static int64_t sent_at[MAXMSG], delivered_at[MAXMSG], first_direct_arrival, first_direct_sent;
static unsigned expect_token;
static char expect_from[16] = "none";
static sctp_assoc_t direct_assoc;
static struct {
	char text[TEXT];
	sctp_assoc_t assoc;
	int64_t at;
} stash[MAXMSG];
static int nstash;

/* one media message, relayed ("via-B ...") or direct, that arrived at time at */
static void take(const char *msg, sctp_assoc_t as, int64_t at)
{
	/* relayed or direct is told by content, not by msg_name: the source
	 * address of a packet can be any address of the peer */
	int is_direct = strncmp(msg, "via-B ", 6) != 0;
	if (is_direct && !expect_seen) {
		/* direct media before B's EXPECT (A's INIT can beat it): hold it,
		 * B's word decides whether it is accepted */
		if (nstash < MAXMSG) {
			snprintf(stash[nstash].text, TEXT, "%s", msg);
			stash[nstash].assoc = as;
			stash[nstash++].at = at;
		}
		return;
	}
	int seq = -1, lr = -1;
	unsigned tok = 0;
	long long t = 0;
	if (sscanf(is_direct ? msg : msg + 6, "seq=%d t=%lld last-relayed=%d token=%u", &seq, &t, &lr, &tok) != 4 ||
	    seq < 0 || seq >= nmsg)
		return;
	if (is_direct) {
		/* C acts on B's EXPECT: the token must match and the association's
		 * peer must hold the address B named; one direct association only */
		const struct up *u = up_of(as);
		if (tok != expect_token || !u || !peer_has(u, expect_from) || (direct_assoc && as != direct_assoc)) {
			rejected++;
			return;
		}
		direct_assoc = as;
		if (!first_direct_arrival) {
			first_direct_arrival = at;
			first_direct_sent = t;
		}
		if (last_relayed == -2)
			last_relayed = lr; /* the switch point, from A's first direct message */
	}
	if (seq < next_seq || held[seq]) {
		dups++;
		return;
	}
	held[seq] = 1 + is_direct;
	sent_at[seq] = t;
	/* deliver in order: direct messages wait in a lobby until the relayed
	 * ones up to the switch point have arrived */
	while (next_seq < nmsg && held[next_seq]) {
		delivered_at[next_seq] = now_us();
		if (held[next_seq] == 2)
			direct_n++;
		else
			relayed_n++;
		next_seq++;
	}
}

static int role_c(int fd)
{
	int bc = 0, ends = 0;
	int64_t b_last_rx = 0;
	while (ends < 2) { /* until A and B both said END: B–C's control stream is counted too */
		char buf[TEXT];
		int stream;
		sctp_assoc_t as;
		if (!recv_msg(fd, buf, sizeof buf, &stream, &as, 5000))
			break;
		if (stream == S_MEDIA) {
			take(buf, as, now_us());
			continue;
		}
		long long t;
		if (!strncmp(buf, "END", 3)) {
			ends++;
			if (sscanf(buf, "END last-media-rx=%lld", &t) == 1)
				b_last_rx = t;
		} else if (!strncmp(buf, "bc-control", 10)) {
			bc++;
		} else if (!expect_seen && sscanf(buf, "EXPECT from=%15[0-9.] token=%u", expect_from, &expect_token) == 2) {
			expect_seen = 1;
			for (int i = 0; i < nstash; i++)
				take(stash[i].text, stash[i].assoc, stash[i].at);
			nstash = 0;
		}
	}
	int next = next_seq, relayed = relayed_n, direct = direct_n, dup = dups;
	int lost = nmsg - next;
	/* gap_ms, as docs/handover.md §10(b) item 7 defines it: C's application
	 * receives the first S message over A–C minus B's application received the
	 * last S message over A–B (negative: the two overlapped) */
	double gap = first_direct_arrival && b_last_rx ? (first_direct_arrival - b_last_rx) / 1000.0 : -1;
	/* first_direct_ms: A's send of the first direct message to its arrival at
	 * C — it includes the A–C handshake unless -P opened A–C before */
	double first_direct = first_direct_arrival ? (first_direct_arrival - first_direct_sent) / 1000.0 : -1;
	/* late_max_ms: the interruption against the media schedule. Message s is
	 * due at A's send time + the median delivery delay of the steady messages
	 * before the move (10 .. switch-10); its lateness is how much later it
	 * was delivered. late_n counts messages later than one interval. */
	int64_t base[MAXMSG];
	int nb = 0;
	for (int s = 10; s < next && s < last_relayed - 9; s++)
		base[nb++] = delivered_at[s] - sent_at[s];
	double late_max = -1;
	int late_n = 0;
	if (nb) {
		qsort(base, (size_t)nb, sizeof base[0], cmp64);
		int64_t b0 = base[nb / 2], worst = 0;
		for (int s = 10; s < next; s++) {
			int64_t l = delivered_at[s] - sent_at[s] - b0;
			if (l > worst)
				worst = l;
			if (l > (int64_t)interval_ms * 1000)
				late_n++;
		}
		late_max = worst / 1000.0;
	}
	printf("{\"role\":\"C\",\"delivered\":%d,\"lost\":%d,\"dup\":%d,\"relayed\":%d,\"direct\":%d,"
	       "\"switch_after\":%d,\"gap_ms\":%.3f,\"first_direct_ms\":%.3f,\"late_max_ms\":%.3f,\"late_n\":%d,"
	       "\"interval_ms\":%d,\"bc_control\":%d,\"expect_seen\":%d,\"expect_from\":\"%s\",\"rejected\":%d,"
	       "\"held_for_expect\":%d,\"assoc_failed\":%d}\n",
	       next, lost, dup, relayed, direct, last_relayed, gap, first_direct, late_max, late_n, interval_ms, bc,
	       expect_seen, expect_from, rejected, nstash, assoc_failed);
	return lost || dup || rejected || nstash;
}

int main(int argc, char **argv)
{
	int o;
	while ((o = getopt(argc, argv, "n:i:m:A:B:C:p:P")) != -1) {
		switch (o) {
		case 'n': nmsg = atoi(optarg); break;
		case 'i': interval_ms = atoi(optarg); break;
		case 'm': move_at = atoi(optarg); break;
		case 'A': addr_a = optarg; break;
		case 'B': addr_b = optarg; break;
		case 'C': addr_c = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 'P': prepare = 1; break;
		default: goto usage;
		}
	}
	if (optind + 1 != argc || nmsg < 1 || nmsg > MAXMSG || interval_ms < 1 || move_at < 2 || move_at >= nmsg ||
	    port < 1 || port > 65535 || strlen(argv[optind]) != 1)
		goto usage;
	setvbuf(stdout, NULL, _IOLBF, 0);
	int fd = endpoint();
	switch (argv[optind][0]) {
	case 'a': return role_a(fd);
	case 'b': return role_b(fd);
	case 'c': return role_c(fd);
	}
usage:
	fprintf(stderr, "usage: wayout [-n N] [-i MS] [-m K] [-P] [-A a] [-B a] [-C a] [-p port] a|b|c\n");
	return 2;
}
