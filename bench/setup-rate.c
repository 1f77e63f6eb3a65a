/* bench/setup-rate.c - the plain-C reference for `figure: setup-rate`:
 * what sctpsh's `connect` loop in bench/bulk.tcl does, with nothing around
 * it. In lab host B, K one-to-many sockets listen on ports BASE..BASE+K-1;
 * in host A one one-to-many socket sets up an association to each of them
 * in turn: sctp_connectx, then wait for its COMM_UP on A's socket (and read
 * B's), as sctpsh's connect does. Prints "K SECONDS".
 *   setup-rate K BASE ADDR      (run as root inside the lab: uses /run/netns/A and B)
 * Every wait has a timeout (poll, 5 s): this never hangs. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void enter(const char *ns)
{
	char path[64];
	snprintf(path, sizeof path, "/run/netns/%s", ns);
	int fd = open(path, O_RDONLY);
	if (fd < 0 || setns(fd, CLONE_NEWNET) < 0)
		die(path);
	close(fd);
}

static int sctp_sock(void)
{
	int fd = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
	if (fd < 0)
		die("socket");
	struct sctp_event_subscribe ev = {0};
	ev.sctp_association_event = 1;
	if (setsockopt(fd, IPPROTO_SCTP, SCTP_EVENTS, &ev, sizeof ev) < 0)
		die("SCTP_EVENTS");
	fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

/* Wait (up to 5 s) for an SCTP_ASSOC_CHANGE on fd; returns its state. */
static int assoc_change(int fd)
{
	char buf[4096];
	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, 5000) <= 0) {
			fprintf(stderr, "setup-rate: no COMM_UP within 5 s\n");
			exit(1);
		}
		int flags = 0;
		ssize_t n = sctp_recvmsg(fd, buf, sizeof buf, NULL, NULL, NULL, &flags);
		if (n < 0 && errno == EAGAIN)
			continue;
		if (n < 0)
			die("sctp_recvmsg");
		if (flags & MSG_NOTIFICATION) {
			union sctp_notification *sn = (void *)buf;
			if (sn->sn_header.sn_type == SCTP_ASSOC_CHANGE)
				return sn->sn_assoc_change.sac_state;
		}
	}
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: setup-rate K BASEPORT B-ADDR\n");
		return 2;
	}
	int k = atoi(argv[1]), base = atoi(argv[2]);
	if (k < 1 || k > 10000 || base < 1 || base + k > 65535) {
		fprintf(stderr, "setup-rate: K 1..10000, ports below 65536\n");
		return 2;
	}
	int *srv = calloc((size_t)k, sizeof *srv);
	if (!srv)
		die("calloc");
	struct sockaddr_in sa = {.sin_family = AF_INET};
	if (inet_pton(AF_INET, argv[3], &sa.sin_addr) != 1) {
		fprintf(stderr, "setup-rate: bad address %s\n", argv[3]);
		return 2;
	}
	enter("B");
	for (int i = 0; i < k; i++) {
		srv[i] = sctp_sock();
		struct sockaddr_in b = {.sin_family = AF_INET, .sin_port = htons((uint16_t)(base + i))};
		if (bind(srv[i], (struct sockaddr *)&b, sizeof b) < 0 || listen(srv[i], 16) < 0)
			die("bind/listen in B");
	}
	enter("A");
	int cli = sctp_sock();
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < k; i++) {
		sa.sin_port = htons((uint16_t)(base + i));
		sctp_assoc_t id;
		if (sctp_connectx(cli, (struct sockaddr *)&sa, 1, &id) < 0 && errno != EINPROGRESS)
			die("sctp_connectx");
		if (assoc_change(cli) != SCTP_COMM_UP) {
			fprintf(stderr, "setup-rate: association %d did not come up\n", i);
			return 1;
		}
		assoc_change(srv[i]); /* B's COMM_UP, as sctpsh queues it */
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%d %.6f\n", k, (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}
