/* Kernel-facing socket primitives: plain C over libsctp, no Tcl.
 * Every function returns >= 0 on success or -errno. */
#ifndef KSOCK_H
#define KSOCK_H
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

int k_socket(int family, int type);
int k_subscribe_all(int fd);
/* bind the first address (or the wildcard of family) and sctp_bindx the rest */
int k_bind_addrs(int fd, int family, int port, const struct sockaddr_storage *addrs, int n);
int k_listen(int fd, int backlog);
/* Is there SCTP in this kernel (namespace)? 0 yes, -errno no. */
int k_probe_sctp(void);

typedef struct k_rcv {
	int is_notif;
	int eor;                 /* MSG_EOR: end of a message */
	int have_rcvinfo;
	struct sctp_rcvinfo ri;  /* sid, ssn, flags, ppid, tsn, cumtsn, assoc_id */
	struct sockaddr_storage from;
	socklen_t fromlen;
	size_t len;
} k_rcv;

/* Non-blocking receive of one piece (a notification, or a message or part of one). */
int k_recv(int fd, void *buf, size_t len, k_rcv *r);
#endif
