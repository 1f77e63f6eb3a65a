/*
 * udp.h -- the user-space SCTP engine (shell/engine) on the wire over UDP
 * encapsulation (RFC 6951).  No Tcl here: the command layer (cmds/uep.c)
 * owns the event loop and calls these when a socket is readable or the
 * engine's deadline passed.
 *
 * One uep_udp = one engine endpoint + one UDP socket per address family it
 * has local addresses of, bound to the wildcard address and the local
 * encapsulation port (RFC 6951 §5.1: one well-known port, 9899 by default).
 * The destination address of each datagram is read with IP_PKTINFO /
 * IPV6_RECVPKTINFO and the source of each outgoing packet is set the same
 * way, so the engine's multihomed paths keep their addresses; datagrams to
 * an address that is not one of the endpoint's are dropped.
 *
 * RFC 6951 §5.4: the UDP source port of what a peer address sent is
 * remembered and used as the destination port of what we send it; until
 * one arrives the configured remote encapsulation port is used.
 */
#ifndef SCTPSH_UEP_UDP_H
#define SCTPSH_UEP_UDP_H

#include "engine/engine.h"
#include <stdint.h>
#include <sys/socket.h>

#define UEP_DEFAULT_UDP_PORT 9899   /* RFC 6951 §5.1: the IANA-assigned port */
#define UEP_MAX_PEERPORTS 32

struct uep_udp {
	int fd[2];                  /* [0] AF_INET, [1] AF_INET6; -1 if unused */
	uint16_t udp_port;          /* local UDP port (host order) */
	uint16_t encap_port;        /* remote UDP port until the peer told us */
	struct sce_endpoint *ep;    /* set by the caller */
	struct sockaddr_storage laddrs[SCE_MAX_LADDRS];
	size_t nladdrs;
	struct {
		struct sockaddr_storage addr;
		uint16_t port;
	} peer[UEP_MAX_PEERPORTS];  /* learned remote UDP ports (§5.4) */
	size_t npeer;
	uint64_t rx, tx, rx_dropped, tx_errors;
	int last_errno;             /* of the last failed sendmsg, for status */
};

/* Monotonic milliseconds: the engine's clock (it reads none itself). */
uint64_t uep_now_ms(void);
/* Random bytes for the engine (getrandom(2)); matches sce_random_fn. */
void uep_random(void *ctx, void *buf, size_t n);
/* The addresses of the current network namespace's interfaces, loopback
 * and IPv6 link-local excluded; returns the count (<= max) or -errno. */
int uep_local_addrs(struct sockaddr_storage *out, size_t max);

/* Open the UDP socket(s) in the current network namespace for laddrs[0..n-1]
 * on udp_port.  0 or -errno (e.g. -EADDRINUSE: the kernel's own SCTP owns
 * that UDP port here: net.sctp.udp_port). */
int uep_udp_open(struct uep_udp *u, const struct sockaddr_storage *laddrs, size_t n,
		 uint16_t udp_port, uint16_t encap_port);
void uep_udp_close(struct uep_udp *u);

/* Read every pending datagram of fd into the engine (non-blocking); returns
 * the number of datagrams handed to sce_input. */
int uep_udp_read(struct uep_udp *u, int fd, uint64_t now);
/* Send every packet the engine has queued; returns the number sent. */
int uep_udp_flush(struct uep_udp *u);

/* The remote UDP port for a peer address (learned, else encap_port);
 * set one by hand (e.g. connect --udp-port). */
uint16_t uep_udp_peer_port(const struct uep_udp *u, const struct sockaddr *sa);
void uep_udp_set_peer_port(struct uep_udp *u, const struct sockaddr *sa, uint16_t port);

#endif
