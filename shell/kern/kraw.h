/* Kernel-facing raw packet access for the wire view (cmds/trace.c):
 * AF_PACKET capture sockets on a host's interfaces, raw IP injection
 * (IP_HDRINCL / IPV6_HDRINCL, so any source address can be written), and
 * the few SCTP socket options the crafting commands need (peer addresses,
 * primary path, the peer's AUTH chunk list).
 *
 * Plain C, no Tcl.  Functions that open sockets do so in the calling
 * thread's current network namespace (the caller setns()es there and
 * back); the sockets stay in that namespace after the thread returns.
 * Every function returns >= 0 on success or -errno. */
#ifndef KRAW_H
#define KRAW_H
#include <net/if.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/time.h>

#define KR_MAX_IFS 16

typedef struct kr_if {
	char name[IF_NAMESIZE];
	int ifindex;
	int hatype;              /* ARPHRD_ETHER, ARPHRD_NONE, ... */
	unsigned char mac[8];
	int maclen;
} kr_if;

/* Interfaces of the current namespace except loopback (name, index, MAC).
 * Returns the count (at most max). */
int kr_list_ifs(kr_if *out, int max);

/* AF_PACKET SOCK_RAW socket bound to ifindex, non-blocking, close-on-exec,
 * PACKET_AUXDATA on (checksum status), nanosecond timestamps, and a
 * classic BPF filter (Ethernet interfaces) letting only IPv4/IPv6 SCTP and
 * UDP through (UDP for RFC 6951 encapsulation; the decoder sorts those out). */
int kr_capture_open(int ifindex, int hatype);

/* sll_pkttype values (linux/if_packet.h) */
#define KR_PKT_HOST 0
#define KR_PKT_OUTGOING 4

typedef struct kr_frame {
	int pkttype;             /* PACKET_HOST, PACKET_OUTGOING, ... */
	int hatype;
	int ifindex;
	int csum_partial;        /* TP_STATUS_CSUMNOTREADY: checksum not yet computed (offload) */
	size_t caplen;           /* bytes stored in buf */
	size_t origlen;          /* bytes of the frame */
	struct timespec ts;
	unsigned char src_mac[8];
} kr_frame;

/* Receive one frame; -EAGAIN when none is waiting. */
int kr_capture_recv(int fd, void *buf, size_t len, kr_frame *f);

/* Send a complete IP packet (IPv4 or IPv6 header included) towards dst
 * from the current namespace through a raw socket with header inclusion. */
int kr_inject_ip(const struct sockaddr *dst, const void *pkt, size_t len);

/* The source address the current namespace's routing picks towards dst
 * (connect a UDP socket, getsockname). */
int kr_route_src(const struct sockaddr *dst, struct sockaddr_storage *src);

/* A numeric sysctl of the current namespace, e.g. "net/sctp/encap_port". */
int kr_sysctl_int(const char *path, long *val);

/* SCTP socket options (no namespace needed) ------------------------------ */

/* Association of the socket whose peer is addr (SCTP_GET_PEER_ADDR_INFO
 * with assoc id 0); the id, or -errno (-EINVAL: none). */
int kr_assoc_of_peer(int fd, const struct sockaddr *addr);
/* Peer / local addresses of an association (sctp_getpaddrs / sctp_getladdrs);
 * v4-mapped IPv6 addresses come back as sockaddr_in.  Returns the count. */
int kr_paddrs(int fd, int assoc, struct sockaddr_storage *out, int max);
int kr_laddrs(int fd, int assoc, struct sockaddr_storage *out, int max);
/* SCTP_PRIMARY_ADDR: the primary path's peer address. */
int kr_primary(int fd, int assoc, struct sockaddr_storage *addr);
/* SCTP_PEER_AUTH_CHUNKS (RFC 6458 §8.2.4): chunk types the peer requires
 * us to authenticate (RFC 4895).  Returns the count (types stored up to
 * max); 0 with AUTH not in use on the association. */
int kr_peer_auth_chunks(int fd, int assoc, uint8_t *types, int max);
/* The socket's inode (for sock_diag lookups). */
int kr_inode(int fd, uint32_t *ino);
/* Same address (not port), v4-mapped IPv6 equal to IPv4. */
#endif
