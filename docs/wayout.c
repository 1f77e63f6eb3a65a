/* wayout.c — the working way out of the handover study, with the plain
 * socket API (RFC 6458): the media stream moves from A–B(–C) to a new, direct
 * A–C association that A's application opens simply by sending to C's address
 * on its one-to-many socket. No SCTP extension is needed; see
 * docs/handover.md, "Way out (b)".
 *
 *   C: media back end. Receives media relayed by B (B–C, stream 1) and, after
 *      the move, directly from A (A–C, stream 1); delivers in sequence with no
 *      loss or duplicate, holding early direct messages until the relayed
 *      ones up to the switch point have arrived.
 *   B: web front end. Relays A's media to C; after MOVE_AT media messages
 *      tells A on the control stream (0) to send media to C.
 *   A: client. Sends media (stream 1) every INTERVAL ms and a control message
 *      (stream 0) every 4th; on B's MOVE sends media to C's address: the
 *      kernel sets up the A–C association implicitly (RFC 6458 §3.1.1 / 4.2).
 *
 * Run each role in its lab host (scripts/labnet up), C first:
 *   ip netns exec C wayout c & ip netns exec B wayout b & ip netns exec A wayout a
 * Options: -n messages (200) -i interval ms (5) -m move after (100)
 *          -P make before break (B role): B tells A to PREPARE halfway to the
 *             move, and A opens A–C then, so the move itself waits for nothing
 *          -A/-B/-C addresses (198.51.100.1/.2/.3), -p port (5000)
 * Each role prints one JSON line with its counts; C's holds the gap.
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
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define S_CONTROL 0
#define S_MEDIA 1

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

static struct sockaddr_in sin_of(const char *a)
{
	struct sockaddr_in s = {.sin_family = AF_INET, .sin_port = htons(port)};
	if (inet_pton(AF_INET, a, &s.sin_addr) != 1) {
		fprintf(stderr, "wayout: bad address %s\n", a);
		exit(2);
	}
	return s;
}

/* A one-to-many socket on the port, listening, with per-message info. */
static int endpoint(void)
{
	int fd = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
	if (fd < 0)
		die("socket");
	struct sockaddr_in any = {.sin_family = AF_INET, .sin_port = htons(port)};
	if (bind(fd, (struct sockaddr *)&any, sizeof any) < 0)
		die("bind");
	int on = 1;
	if (setsockopt(fd, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof on) < 0)
		die("setsockopt(SCTP_RECVRCVINFO)");
	/* no Nagle: media messages are small and must leave at once */
	setsockopt(fd, IPPROTO_SCTP, SCTP_NODELAY, &on, sizeof on);
	struct sctp_initmsg im = {.sinit_num_ostreams = 4, .sinit_max_instreams = 4};
	setsockopt(fd, IPPROTO_SCTP, SCTP_INITMSG, &im, sizeof im);
	if (listen(fd, 8) < 0)
		die("listen");
	return fd;
}

/* Send to an address: on a one-to-many socket the first send opens the
 * association (the application never calls connect). */
static void send_to_flags(int fd, const char *addr, int stream, const char *text, int flags);

static void send_to(int fd, const char *addr, int stream, const char *text)
{
	send_to_flags(fd, addr, stream, text, 0);
}

static void send_to_flags(int fd, const char *addr, int stream, const char *text, int flags)
{
	struct sockaddr_in to = sin_of(addr);
	struct sctp_sndinfo si = {.snd_sid = (uint16_t)stream};
	for (int tries = 0;; tries++) {
		if (sctp_sendv(fd, &(struct iovec){(void *)text, strlen(text)}, 1, (struct sockaddr *)&to, 1,
			       &si, sizeof si, SCTP_SENDV_SNDINFO, flags) >= 0)
			return;
		if (flags & MSG_DONTWAIT && errno == EINPROGRESS)
			return; /* the association is being set up; the message is queued */
		if (errno != EAGAIN && errno != ENOMEM && errno != ECONNREFUSED)
			die("sctp_sendv");
		if (tries > 200)
			die("sctp_sendv (retrying)");
		usleep(10000); /* peer not listening yet: C and B start first */
	}
}

/* Receive one message; returns its length (0 on timeout), the stream and sender. */
static int recv_msg(int fd, char *buf, size_t len, int *stream, char *from, int timeout_ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	if (poll(&p, 1, timeout_ms) <= 0)
		return 0;
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
	if (flags & MSG_NOTIFICATION)
		return recv_msg(fd, buf, len, stream, from, timeout_ms);
	buf[n] = '\0';
	if (getenv("WAYOUT_DEBUG"))
		fprintf(stderr, "recv from %s: %s\n", inet_ntop(AF_INET, &sa.sin_addr, from, INET_ADDRSTRLEN), buf);
	*stream = infotype == SCTP_RECVV_RCVINFO ? ri.rcv_sid : -1;
	inet_ntop(AF_INET, &sa.sin_addr, from, INET_ADDRSTRLEN);
	return (int)n;
}

static int role_a(int fd)
{
	const char *media_to = addr_b;
	int control = 0, moved_at = -1;
	int64_t move_seen = 0;
	send_to(fd, addr_b, S_CONTROL, "hello from A");
	for (int seq = 0; seq < nmsg; seq++) {
		char buf[256], from[INET_ADDRSTRLEN];
		int stream;
		/* B's MOVE arrives on the control stream */
		while (recv_msg(fd, buf, sizeof buf, &stream, from, 0) > 0)
			if (stream == S_CONTROL && !strncmp(buf, "PREPARE ", 8))
				/* make before break: open A–C now, without waiting — a blocking
				 * send to a new peer waits until the association is up */
				send_to_flags(fd, addr_c, S_CONTROL, "hello from A", MSG_DONTWAIT);
			else if (stream == S_CONTROL && !strncmp(buf, "MOVE ", 5) && moved_at < 0) {
				media_to = addr_c;
				moved_at = seq;
				move_seen = now_us();
			}
		/* the first direct message tells C where the relayed ones end */
		snprintf(buf, sizeof buf, "seq=%d t=%lld last-relayed=%d", seq, (long long)now_us(),
			 moved_at < 0 ? -1 : moved_at - 1);
		send_to(fd, media_to, S_MEDIA, buf);
		if (seq % 4 == 0) {
			snprintf(buf, sizeof buf, "control %d", control++);
			send_to(fd, addr_b, S_CONTROL, buf);
		}
		usleep((useconds_t)interval_ms * 1000);
	}
	send_to(fd, addr_b, S_CONTROL, "END");
	send_to(fd, addr_c, S_CONTROL, "END");
	printf("{\"role\":\"A\",\"sent\":%d,\"control\":%d,\"moved_at\":%d,\"move_seen_us\":%lld}\n", nmsg,
	       control, moved_at, (long long)move_seen);
	sleep(1); /* let the last messages be acknowledged before close */
	return moved_at < 0;
}

static int role_b(int fd)
{
	int relayed = 0, control = 0, bc = 0, moved = 0;
	send_to(fd, addr_c, S_CONTROL, "hello from B"); /* opens B–C */
	for (;;) {
		char buf[256], from[INET_ADDRSTRLEN];
		int stream;
		if (!recv_msg(fd, buf, sizeof buf, &stream, from, 5000))
			break;
		/* Only A sends to B here. Do not filter on the source address: recvmsg()'s
		 * msg_name is the packet's source, which can be any of A's addresses. */
		if (stream == S_MEDIA) {
			char relay[300];
			snprintf(relay, sizeof relay, "via-B %s", buf);
			send_to(fd, addr_c, S_MEDIA, relay); /* relay on B–C */
			if (++relayed == move_at / 2 && prepare) {
				char m[96];
				snprintf(m, sizeof m, "PREPARE %s %d", addr_c, port);
				send_to(fd, addr_a, S_CONTROL, m);
			}
			if (relayed == move_at && !moved) {
				char m[96];
				snprintf(m, sizeof m, "MOVE %s %d", addr_c, port);
				send_to(fd, addr_a, S_CONTROL, m);
				moved = 1;
			}
		} else if (!strcmp(buf, "END")) {
			break;
		} else {
			control++;
			/* B–C's own control stream keeps running throughout */
			snprintf(buf, sizeof buf, "bc-control %d", bc++);
			send_to(fd, addr_c, S_CONTROL, buf);
		}
	}
	send_to(fd, addr_c, S_CONTROL, "END");
	printf("{\"role\":\"B\",\"relayed\":%d,\"control_from_a\":%d,\"bc_control\":%d}\n", relayed, control,
	       bc);
	sleep(1);
	return 0;
}

static int role_c(int fd)
{
	int next = 0, dup = 0, relayed = 0, direct = 0, bc = 0, last_relayed = -2, ends = 0;
	int held[4096] = {0};
	static int64_t sent[4096];
	int64_t t_last_relayed = 0, t_first_direct = 0, first_direct_sent = 0, t_prev = 0, max_gap = 0;
	while (ends < 2) { /* until A and B both said END: B–C's control stream is counted too */
		char buf[320], from[INET_ADDRSTRLEN];
		int stream;
		if (!recv_msg(fd, buf, sizeof buf, &stream, from, 5000))
			break;
		if (stream == S_CONTROL) {
			if (!strcmp(buf, "END"))
				ends++;
			else if (!strncmp(buf, "bc-control", 10))
				bc++;
			continue;
		}
		/* relayed or direct is told by content, not by msg_name: the source
		 * address of a packet can be any address of the peer */
		int is_direct = strncmp(buf, "via-B ", 6) != 0;
		int seq = -1, lr = -1;
		long long t = 0;
		if (sscanf(is_direct ? buf : buf + 6, "seq=%d t=%lld last-relayed=%d", &seq, &t, &lr) != 3 ||
		    seq < 0 || seq >= 4096)
			continue;
		if (is_direct && last_relayed == -2)
			last_relayed = lr; /* the switch point, from A's first direct message */
		if (seq < next || held[seq]) {
			dup++;
			continue;
		}
		held[seq] = 1 + is_direct;
		sent[seq] = t;
		/* deliver in order: direct messages wait in a lobby until the relayed
		 * ones up to the switch point have arrived */
		while (next < nmsg && held[next]) {
			int64_t at = now_us();
			if (held[next] == 2) {
				direct++;
				if (!t_first_direct) {
					t_first_direct = at;
					first_direct_sent = sent[next];
				}
			} else {
				relayed++;
				t_last_relayed = at;
			}
			/* steady state only: the first messages wait for A–B and B–C to open */
			if (t_prev && next > 10 && at - t_prev > max_gap)
				max_gap = at - t_prev;
			t_prev = at;
			next++;
		}
	}
	int lost = nmsg - next;
	double gap = t_first_direct && t_last_relayed ? (t_first_direct - t_last_relayed) / 1000.0 : -1;
	/* first_direct_ms: from A's send of the first direct message to its
	 * delivery at C — it includes the A–C handshake (INIT … COOKIE-ECHO) unless -P
	 * opened A–C before; max_interval_ms: the longest pause in delivery at C after
	 * the first 10 messages, against the sending interval */
	double first_direct = t_first_direct ? (t_first_direct - first_direct_sent) / 1000.0 : -1;
	printf("{\"role\":\"C\",\"delivered\":%d,\"lost\":%d,\"dup\":%d,\"relayed\":%d,\"direct\":%d,"
	       "\"switch_after\":%d,\"gap_ms\":%.3f,\"first_direct_ms\":%.3f,\"max_interval_ms\":%.3f,"
	       "\"interval_ms\":%d,\"bc_control\":%d}\n",
	       next, lost, dup, relayed, direct, last_relayed, gap, first_direct, max_gap / 1000.0, interval_ms,
	       bc);
	return lost || dup;
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
	if (optind + 1 != argc || nmsg < 1 || nmsg > 4096 || strlen(argv[optind]) != 1)
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
