/* sock_diag netlink (NETLINK_SOCK_DIAG, INET_DIAG for IPPROTO_SCTP): the
 * kernel's view of every SCTP association in the current network namespace,
 * as iproute2's `ss --sctp -i` reads it.  Its INET_DIAG_INFO carries
 * struct sctp_info (linux/sctp.h), which holds what no socket option gives:
 * both verification tags, sctpi_tag (ours) and sctpi_peer_tag.
 * Plain C, no Tcl; returns >= 0 or -errno. */
#ifndef KDIAG_H
#define KDIAG_H
#include <netinet/in.h>
#include <netinet/sctp.h> /* includes linux/sctp.h: struct sctp_info */
#include <stdint.h>
#include <sys/socket.h>

#define K_DIAG_MAXADDR 16

typedef struct k_diag_assoc {
	uint32_t inode;          /* the socket's inode (fstat st_ino of its fd) */
	int family;              /* socket family */
	int sport, dport;        /* local port, peer port */
	int state;               /* enum sctp_sstat_state (asoc->state) */
	int have_info;
	struct sctp_info info;   /* sctpi_tag, sctpi_peer_tag, counters, primary path */
	struct sockaddr_storage locals[K_DIAG_MAXADDR];
	int nlocals;
	struct sockaddr_storage peers[K_DIAG_MAXADDR];
	int npeers;
} k_diag_assoc;

/* Calls cb for every association (not endpoints) in the calling thread's
 * network namespace; cb returns nonzero to stop. Returns the number seen or -errno
 * (-ENOENT: no sctp_diag module). */
typedef int (*k_diag_cb)(const k_diag_assoc *a, void *arg);
int k_diag_assocs(k_diag_cb cb, void *arg);

/* The association of socket inode `inode` whose peer port is dport and
 * whose peer addresses include one of peers[0..npeers). 0 found, -ENOENT not. */
int k_diag_find(uint32_t inode, int dport, const struct sockaddr_storage *peers, int npeers,
		k_diag_assoc *out);
#endif
