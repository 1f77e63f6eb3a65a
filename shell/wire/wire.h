/*
 * wire.h -- sctpsh wire codec: pure bytes in, structures out (and back).
 *
 * No sockets, no clocks, no Tcl, no global mutable state.  Everything is
 * prefixed wire_ / WIRE_ / WF_.
 *
 * Layers:
 *   decode   frame (Ethernet / raw IP / SLL / SLL2) -> IPv4/IPv6 -> [UDP
 *            encapsulation, RFC 6951] -> SCTP common header -> chunks.
 *            Each chunk carries a generic, ordered field list (name, kind,
 *            value) so a consumer can turn any chunk into a dict or a text
 *            line with one code path.
 *   craft    chunk / parameter / cause builders appending to a growable
 *            buffer, the SCTP packet encoder (common header + CRC32c) and
 *            an IPv4/IPv6 (+ optional UDP) encoder.
 *   auth     SHA-1/SHA-256 HMAC, RFC 4895 association shared key, signing
 *            and verifying the AUTH chunk of a crafted packet.
 *   pcap     classic pcap writer, classic pcap + pcapng reader (pcap.h).
 *
 * References (texts in shared/rfc): RFC 9260 (base SCTP), RFC 3758
 * (FORWARD-TSN), RFC 4895 (AUTH), RFC 5061 (ASCONF), RFC 6525 (RE-CONFIG),
 * RFC 6951 (UDP encapsulation), RFC 7053 (I bit), RFC 8260 (I-DATA).
 */
#ifndef SCTPSH_WIRE_H
#define SCTPSH_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <sys/socket.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Chunk type numbers                                                  */
/* ------------------------------------------------------------------ */
enum {
	WIRE_CT_DATA = 0,              /* RFC 9260 §3.3.1 */
	WIRE_CT_INIT = 1,              /* RFC 9260 §3.3.2 */
	WIRE_CT_INIT_ACK = 2,          /* RFC 9260 §3.3.3 */
	WIRE_CT_SACK = 3,              /* RFC 9260 §3.3.4 */
	WIRE_CT_HEARTBEAT = 4,         /* RFC 9260 §3.3.5 */
	WIRE_CT_HEARTBEAT_ACK = 5,     /* RFC 9260 §3.3.6 */
	WIRE_CT_ABORT = 6,             /* RFC 9260 §3.3.7 */
	WIRE_CT_SHUTDOWN = 7,          /* RFC 9260 §3.3.8 */
	WIRE_CT_SHUTDOWN_ACK = 8,      /* RFC 9260 §3.3.9 */
	WIRE_CT_ERROR = 9,             /* RFC 9260 §3.3.10 */
	WIRE_CT_COOKIE_ECHO = 10,      /* RFC 9260 §3.3.11 */
	WIRE_CT_COOKIE_ACK = 11,       /* RFC 9260 §3.3.12 */
	WIRE_CT_ECNE = 12,             /* RFC 9260 §3.2 (reserved), RFC 3168 App. A */
	WIRE_CT_CWR = 13,              /* RFC 9260 §3.2 (reserved), RFC 3168 App. A */
	WIRE_CT_SHUTDOWN_COMPLETE = 14,/* RFC 9260 §3.3.13 */
	WIRE_CT_AUTH = 15,             /* RFC 4895 §4.1 */
	WIRE_CT_NR_SACK = 16,          /* draft-tuexen-tsvwg-sctp-multipath (NR-SACK) */
	WIRE_CT_IDATA = 64,            /* RFC 8260 §2.1 */
	WIRE_CT_ASCONF_ACK = 128,      /* RFC 5061 §4.1.2 */
	WIRE_CT_RECONFIG = 130,        /* RFC 6525 §3.1 */
	WIRE_CT_PAD = 132,             /* RFC 4820 §3 */
	WIRE_CT_FORWARD_TSN = 192,     /* RFC 3758 §3.2 */
	WIRE_CT_ASCONF = 193,          /* RFC 5061 §4.1.1 */
	WIRE_CT_IFORWARD_TSN = 194,    /* RFC 8260 §2.3.1 */
};

/* Chunk flag bits */
#define WIRE_DATA_FLAG_E 0x01      /* RFC 9260 §3.3.1 */
#define WIRE_DATA_FLAG_B 0x02
#define WIRE_DATA_FLAG_U 0x04
#define WIRE_DATA_FLAG_I 0x08      /* RFC 7053 §3 */
#define WIRE_FLAG_T 0x01           /* ABORT / SHUTDOWN-COMPLETE T bit, RFC 9260 §3.3.7 */

/* Parameter types (RFC 9260 §3.3.2.1, RFC 5061 §4.2, RFC 4895 §3,
 * RFC 6525 §4, RFC 3758 §3.1) */
enum {
	WIRE_PT_HEARTBEAT_INFO = 1,
	WIRE_PT_IPV4 = 5,
	WIRE_PT_IPV6 = 6,
	WIRE_PT_STATE_COOKIE = 7,
	WIRE_PT_UNRECOGNIZED = 8,
	WIRE_PT_COOKIE_PRESERVATIVE = 9,
	WIRE_PT_HOST_NAME = 11,
	WIRE_PT_SUPPORTED_ADDR_TYPES = 12,
	WIRE_PT_OUT_SSN_RESET = 13,
	WIRE_PT_IN_SSN_RESET = 14,
	WIRE_PT_SSN_TSN_RESET = 15,
	WIRE_PT_RECONFIG_RESP = 16,
	WIRE_PT_ADD_OUT_STREAMS = 17,
	WIRE_PT_ADD_IN_STREAMS = 18,
	WIRE_PT_ECN_CAPABLE = 0x8000,
	WIRE_PT_ZERO_CHECKSUM = 0x8001,
	WIRE_PT_RANDOM = 0x8002,
	WIRE_PT_CHUNKS = 0x8003,
	WIRE_PT_HMAC_ALGO = 0x8004,
	WIRE_PT_PADDING = 0x8005,
	WIRE_PT_SUPPORTED_EXT = 0x8008,
	WIRE_PT_FORWARD_TSN_SUPPORTED = 0xC000,
	WIRE_PT_ADD_IP = 0xC001,
	WIRE_PT_DEL_IP = 0xC002,
	WIRE_PT_ERROR_CAUSE_IND = 0xC003,
	WIRE_PT_SET_PRIMARY = 0xC004,
	WIRE_PT_SUCCESS_IND = 0xC005,
	WIRE_PT_ADAPTATION = 0xC006,
};

/* Error cause codes (RFC 9260 §3.3.10, RFC 5061 §4.3, RFC 4895 §4) */
enum {
	WIRE_EC_INVALID_STREAM = 1,     /* RFC 9260 §3.3.10.x */
	WIRE_EC_MISSING_PARAM = 2,
	WIRE_EC_STALE_COOKIE = 3,
	WIRE_EC_OUT_OF_RESOURCE = 4,
	WIRE_EC_UNRESOLVABLE_ADDR = 5,
	WIRE_EC_UNRECOGNIZED_CHUNK = 6,
	WIRE_EC_INVALID_PARAM = 7,
	WIRE_EC_UNRECOGNIZED_PARAMS = 8,
	WIRE_EC_NO_USER_DATA = 9,
	WIRE_EC_COOKIE_WHILE_SHUTDOWN = 10,
	WIRE_EC_RESTART_NEW_ADDRS = 11,
	WIRE_EC_USER_ABORT = 12,
	WIRE_EC_PROTOCOL_VIOLATION = 13,
	WIRE_EC_DEL_LAST_ADDR = 0x00A0,
	WIRE_EC_RESOURCE_SHORTAGE = 0x00A1,
	WIRE_EC_DEL_SOURCE_ADDR = 0x00A2,
	WIRE_EC_ILLEGAL_ASCONF_ACK = 0x00A3,
	WIRE_EC_NO_AUTHORIZATION = 0x00A4,
	WIRE_EC_UNSUPPORTED_HMAC = 0x0105,
};

/* HMAC identifiers, RFC 4895 §3.3 */
#define WIRE_HMAC_SHA1 1
#define WIRE_HMAC_SHA256 3

/* Default UDP encapsulation port, RFC 6951 §5.1 / §8 */
#define WIRE_UDP_ENCAP_PORT 9899

/* Link types (tcpdump.org LINKTYPE_*) */
#define WIRE_DLT_EN10MB 1
#define WIRE_DLT_RAW 101
#define WIRE_DLT_LINUX_SLL 113
#define WIRE_DLT_LINUX_SLL2 276

/* ------------------------------------------------------------------ */
/* Name tables                                                         */
/* ------------------------------------------------------------------ */
/* Canonical upper-case chunk name ("FORWARD-TSN"); "UNKNOWN" if not known. */
const char *wire_chunk_type_name(uint8_t type);
/* Case-insensitive; '-', '_' and ' ' are equivalent; accepts aliases
 * ("FWD-TSN", "HB", "RECONFIG", "INIT_ACK", ...) and decimal/0x numbers.
 * Returns 0..255 or -1. */
int wire_chunk_type_from_name(const char *name);
/* lower-case kebab names, e.g. "ipv4-address"; NULL if unknown */
const char *wire_param_type_name(uint16_t type);
const char *wire_cause_name(uint16_t code);
const char *wire_reconfig_result_name(uint32_t result); /* RFC 6525 §4.4 */
const char *wire_hmac_name(uint16_t id);                 /* "sha1", "sha256" */

/* ------------------------------------------------------------------ */
/* Generic field lists                                                 */
/* ------------------------------------------------------------------ */
enum wire_fkind {
	WF_U64,   /* unsigned integer: .u */
	WF_STR,   /* text: .s (NUL terminated, printable) */
	WF_HEX,   /* bytes: .bytes/.len raw, .s lower-case hex text */
	WF_LIST,  /* nested list: .list */
};

/* field flag: not worth showing in the one-line summary (payloads...) */
#define WF_NOLINE 0x1

struct wire_fieldlist;

struct wire_field {
	const char *name;        /* static string, lower-case */
	enum wire_fkind kind;
	unsigned flags;          /* WF_NOLINE */
	uint64_t u;
	char *s;
	uint8_t *bytes;
	size_t len;
	struct wire_fieldlist *list;
};

/*
 * An ordered list of fields.  If .array is false the list is a record
 * (names are keys, unique: render as a dict).  If .array is true, the list
 * is a sequence of items whose names are only item labels ("gap", "param",
 * "cause", ...): render as a list of values.
 */
struct wire_fieldlist {
	bool array;
	size_t n, cap;
	struct wire_field *v;
};

void wire_fieldlist_init(struct wire_fieldlist *l, bool array);
void wire_fieldlist_free(struct wire_fieldlist *l); /* frees contents */
struct wire_field *wire_fl_u64(struct wire_fieldlist *l, const char *name, uint64_t u);
struct wire_field *wire_fl_str(struct wire_fieldlist *l, const char *name, const char *s);
struct wire_field *wire_fl_hex(struct wire_fieldlist *l, const char *name, const uint8_t *p, size_t n);
/* returns the new nested (empty) list */
struct wire_fieldlist *wire_fl_list(struct wire_fieldlist *l, const char *name, bool array);
/* lookup by name in a record list (first match), NULL if absent */
const struct wire_field *wire_fl_get(const struct wire_fieldlist *l, const char *name);

/* ------------------------------------------------------------------ */
/* Decoded packet                                                      */
/* ------------------------------------------------------------------ */
struct wire_chunk {
	uint8_t type;
	uint8_t flags;
	uint16_t length;             /* Chunk Length as on the wire */
	size_t offset;               /* offset of the chunk in the SCTP packet */
	struct wire_fieldlist fields;/* record; see wire_decode_chunk */
	char *error;                 /* NULL, or why this chunk is (partly) bad */
};

struct wire_packet {
	/* link / network layer (zero when decoding SCTP only) */
	int linktype;                /* WIRE_DLT_* or -1 */
	int ip_version;              /* 4, 6, or 0 */
	char src[48], dst[48];       /* numeric addresses as text, "" if none */
	struct sockaddr_storage src_sa, dst_sa; /* sin/sin6 with SCTP ports */
	uint8_t ip_ttl;              /* TTL / hop limit */
	uint8_t ip_tos;              /* IPv4 TOS / IPv6 traffic class: DSCP<<2 | ECN */
	bool udp_encap;              /* RFC 6951 */
	uint16_t udp_sport, udp_dport;
	/* SCTP common header, RFC 9260 §3.1 */
	bool have_sctp;              /* common header was decoded */
	uint16_t sport, dport;
	uint32_t vtag;
	uint32_t checksum;           /* the 4 bytes read big-endian (as Wireshark
				      * shows them) */
	uint32_t checksum_calc;      /* what they should be, same byte order */
	bool crc_ok;
	size_t sctp_len;             /* bytes of SCTP packet available */
	size_t sctp_offset;          /* where the SCTP common header starts in
				      * the decoded input (frame / IP packet) */
	/* chunks */
	size_t nchunks;
	struct wire_chunk *chunks;
	/* first decode error, "" if none; decoding continues as far as valid */
	char error[256];
};

struct wire_decode_opts {
	uint16_t udp_port;           /* UDP encap port; 0 = WIRE_UDP_ENCAP_PORT */
	bool udp_any;                /* treat every UDP datagram as SCTP/UDP */
};

/* All return 0 if everything decoded cleanly, -1 if pkt->error is set.
 * In both cases pkt must be released with wire_packet_free(). */
int wire_decode_frame(const uint8_t *frame, size_t len, int linktype,
		      const struct wire_decode_opts *opts, struct wire_packet *pkt);
int wire_decode_ip(const uint8_t *p, size_t len,
		   const struct wire_decode_opts *opts, struct wire_packet *pkt);
int wire_decode_sctp(const uint8_t *p, size_t len, struct wire_packet *pkt);
void wire_packet_free(struct wire_packet *pkt);

/*
 * Decode one chunk's value.  p points at the chunk header, avail is what is
 * available (may be less than the declared length: fields are then decoded
 * as far as possible and an error is set).  Returns 0 / -1 like above.
 * idx (1-based) is used in error texts only.
 */
int wire_decode_chunk(const uint8_t *p, size_t avail, unsigned idx,
		      struct wire_chunk *c);
void wire_chunk_free(struct wire_chunk *c);

/* Deep copy of a field list (dst is initialised here). */
void wire_fieldlist_copy(struct wire_fieldlist *dst, const struct wire_fieldlist *src);
/* A chunk as one record: type name flags len [error] then its fields,
 * appended to out (an initialised record list). */
void wire_chunk_fields(const struct wire_chunk *c, struct wire_fieldlist *out);
/* A packet as one record, for dict / JSON rendering with one code path:
 * [ip src dst ttl tos] [udp_sport udp_dport] sport dport vtag checksum crc_ok
 * [error] chunks[chunk records].  out is initialised here; free it with
 * wire_fieldlist_free(). */
void wire_packet_fields(const struct wire_packet *pkt, struct wire_fieldlist *out);

/* One-line summaries, snprintf semantics (return the would-be length). */
int wire_chunk_line(const struct wire_chunk *c, char *buf, size_t n);
int wire_packet_line(const struct wire_packet *pkt, char *buf, size_t n);
/* Render any field list like the line does: "a=1 b=[x,y] c={d=1}" */
int wire_fields_line(const struct wire_fieldlist *l, char *buf, size_t n);

/* ------------------------------------------------------------------ */
/* CRC32c (RFC 9260 §6.8, Appendix A)                                  */
/* ------------------------------------------------------------------ */
uint32_t wire_crc32c_update(uint32_t crc, const void *p, size_t n); /* raw register */
uint32_t wire_crc32c(const void *p, size_t n);  /* standard CRC-32C: init ~0, final ~ */
/* CRC32c of an SCTP packet, its checksum field taken as zero.  The packet
 * carries this value least-significant byte first (RFC 9260 App. A, the
 * reflected bit order), which wire_sctp_set_checksum() writes; read back
 * big-endian (as Wireshark shows it, wire_packet.checksum) it is the
 * byte-swapped value. */
uint32_t wire_sctp_checksum(const uint8_t *pkt, size_t len);
void wire_sctp_set_checksum(uint8_t *pkt, size_t len);
/* Internet checksum (RFC 1071) over p..n plus a partial sum (pseudo
 * header); the complemented result, to be stored big-endian.  Over data
 * that already contains a correct checksum it returns 0. */
uint16_t wire_inet_csum(const void *p, size_t n, uint32_t sum);

/* ------------------------------------------------------------------ */
/* Crafting                                                            */
/* ------------------------------------------------------------------ */
struct wire_buf {
	uint8_t *p;
	size_t len, cap;
	int err;                     /* sticky: set on overflow / bad args */
	/* end of the last TLV written without / with its padding, so that an
	 * enclosing TLV's length can leave out that padding (RFC 9260 §3.2:
	 * the Chunk Length excludes the padding of the last parameter) */
	size_t tlv_end, tlv_end_padded;
};
void wire_buf_init(struct wire_buf *b);
void wire_buf_free(struct wire_buf *b);
void wire_buf_reset(struct wire_buf *b);
void wire_buf_put(struct wire_buf *b, const void *p, size_t n);
void wire_buf_u8(struct wire_buf *b, uint8_t v);
void wire_buf_u16(struct wire_buf *b, uint16_t v);   /* network order */
void wire_buf_u32(struct wire_buf *b, uint32_t v);
void wire_buf_pad4(struct wire_buf *b);              /* zero pad to 4 */
/* append a pre-built TLV list (params / causes); remembers where its last
 * TLV ends so the enclosing chunk length leaves out the final padding */
void wire_buf_put_tlvs(struct wire_buf *b, const uint8_t *p, size_t n);

/* Generic TLV framing.  begin returns a handle (offset); end fills in the
 * length (excluding padding) and pads to 4 bytes.  end returns -1 (and
 * sets b->err) if the TLV exceeds 65535 bytes. */
size_t wire_chunk_begin(struct wire_buf *b, uint8_t type, uint8_t flags);
int wire_chunk_end(struct wire_buf *b, size_t h);
size_t wire_param_begin(struct wire_buf *b, uint16_t type);
int wire_param_end(struct wire_buf *b, size_t h);

/* Whole chunks, each appended to b (a chunk list).  Return 0 or -1. */
int wire_craft_raw_chunk(struct wire_buf *b, uint8_t type, uint8_t flags,
			 const uint8_t *value, size_t vlen);
int wire_craft_data(struct wire_buf *b, uint8_t flags, uint32_t tsn, uint16_t sid,
		    uint16_t ssn, uint32_t ppid, const uint8_t *payload, size_t plen);
int wire_craft_idata(struct wire_buf *b, uint8_t flags, uint32_t tsn, uint16_t sid,
		     uint32_t mid, uint32_t ppid_fsn, const uint8_t *payload, size_t plen);
struct wire_gap { uint16_t start, end; };            /* offsets from cum TSN */
int wire_craft_sack(struct wire_buf *b, uint32_t cum_tsn, uint32_t a_rwnd,
		    const struct wire_gap *gaps, size_t ngaps,
		    const uint32_t *dups, size_t ndups);
/* INIT (ack=false) / INIT-ACK (ack=true); params: pre-built TLVs (padded) */
int wire_craft_init(struct wire_buf *b, bool ack, uint32_t init_tag, uint32_t a_rwnd,
		    uint16_t os, uint16_t mis, uint32_t init_tsn,
		    const uint8_t *params, size_t plen);
/* HEARTBEAT (ack=false) carries info in a Heartbeat Info param (type 1);
 * HEARTBEAT-ACK echoes it (RFC 9260 §3.3.5, §3.3.6). */
int wire_craft_heartbeat(struct wire_buf *b, bool ack, const uint8_t *info, size_t ilen);
/* causes: pre-built cause TLVs (see wire_craft_cause) */
int wire_craft_abort(struct wire_buf *b, bool tbit, const uint8_t *causes, size_t clen);
int wire_craft_error(struct wire_buf *b, const uint8_t *causes, size_t clen);
int wire_craft_shutdown(struct wire_buf *b, uint32_t cum_tsn);
int wire_craft_shutdown_ack(struct wire_buf *b);
int wire_craft_shutdown_complete(struct wire_buf *b, bool tbit);
int wire_craft_cookie_echo(struct wire_buf *b, const uint8_t *cookie, size_t len);
int wire_craft_cookie_ack(struct wire_buf *b);
int wire_craft_ecne(struct wire_buf *b, uint32_t lowest_tsn);
int wire_craft_cwr(struct wire_buf *b, uint32_t lowest_tsn);
struct wire_sid_ssn { uint16_t sid, ssn; };
int wire_craft_forward_tsn(struct wire_buf *b, uint32_t new_cum_tsn,
			   const struct wire_sid_ssn *s, size_t n);
struct wire_ifwd { uint16_t sid; bool unordered; uint32_t mid; };
int wire_craft_iforward_tsn(struct wire_buf *b, uint32_t new_cum_tsn,
			    const struct wire_ifwd *s, size_t n);
/* AUTH chunk (RFC 4895 §4.1).  hmac may be NULL: hlen zero bytes are
 * written (the form the HMAC is computed over); sign the finished packet
 * with wire_auth_sign(). */
int wire_craft_auth(struct wire_buf *b, uint16_t key_id, uint16_t hmac_id,
		    const uint8_t *hmac, size_t hlen);
/* ASCONF request entry (RFC 5061 §4.2.1, §4.2.2, §4.2.4) */
struct wire_asconf_req {
	uint16_t type;                  /* WIRE_PT_ADD_IP / DEL_IP / SET_PRIMARY */
	uint32_t corr_id;
	struct sockaddr_storage addr;   /* AF_INET or AF_INET6 */
};
int wire_craft_asconf(struct wire_buf *b, uint32_t serial, const struct sockaddr *addr,
		      const struct wire_asconf_req *reqs, size_t n);
/* ASCONF-ACK: params = pre-built response TLVs (success / error indication) */
int wire_craft_asconf_ack(struct wire_buf *b, uint32_t serial,
			  const uint8_t *params, size_t plen);
/* RE-CONFIG: params = pre-built request/response TLVs (wire_param_*) */
int wire_craft_reconfig(struct wire_buf *b, const uint8_t *params, size_t plen);
int wire_craft_pad(struct wire_buf *b, size_t padlen);

/* Parameters / causes, appended to b (a parameter list) */
int wire_param_raw(struct wire_buf *b, uint16_t type, const uint8_t *v, size_t n);
int wire_param_addr(struct wire_buf *b, const struct sockaddr *sa); /* type 5 / 6 */
int wire_param_supported_ext(struct wire_buf *b, const uint8_t *types, size_t n);
int wire_param_supported_addr_types(struct wire_buf *b, const uint16_t *types, size_t n);
int wire_param_random(struct wire_buf *b, const uint8_t *r, size_t n);
int wire_param_chunks(struct wire_buf *b, const uint8_t *types, size_t n);
int wire_param_hmac_algo(struct wire_buf *b, const uint16_t *ids, size_t n);
int wire_param_u32(struct wire_buf *b, uint16_t type, uint32_t v); /* 0xC006, 9, ... */
int wire_param_asconf_addr(struct wire_buf *b, uint16_t type, uint32_t corr_id,
			   const struct sockaddr *sa);             /* 0xC001/2/4 */
int wire_param_success_ind(struct wire_buf *b, uint32_t corr_id);
int wire_param_error_ind(struct wire_buf *b, uint32_t corr_id,
			 const uint8_t *causes, size_t clen);
/* RFC 6525 §4.1 - §4.6 */
int wire_param_out_ssn_reset(struct wire_buf *b, uint32_t req_seq, uint32_t resp_seq,
			     uint32_t last_tsn, const uint16_t *sids, size_t n);
int wire_param_in_ssn_reset(struct wire_buf *b, uint32_t req_seq,
			    const uint16_t *sids, size_t n);
int wire_param_ssn_tsn_reset(struct wire_buf *b, uint32_t req_seq);
int wire_param_reconfig_resp(struct wire_buf *b, uint32_t resp_seq, uint32_t result,
			     bool with_tsns, uint32_t sender_next, uint32_t receiver_next);
int wire_param_add_streams(struct wire_buf *b, bool incoming, uint32_t req_seq,
			   uint16_t nstreams);
int wire_craft_cause(struct wire_buf *b, uint16_t code, const uint8_t *info, size_t n);

/* SCTP packet: common header + chunk bytes, CRC32c filled in.
 * out is reset first. */
int wire_craft_packet(struct wire_buf *out, uint16_t sport, uint16_t dport,
		      uint32_t vtag, const uint8_t *chunks, size_t clen);

/* Full IP packet around a payload (an SCTP packet).  src/dst must be the
 * same family; ports of src/dst are ignored.  If udp_sport/udp_dport are
 * non-zero the payload is wrapped in UDP (RFC 6951) with a UDP checksum.
 * ttl 0 means 64.  IPv4 header checksum computed.  out is reset first.
 * (With a raw IPPROTO_SCTP socket without IP_HDRINCL the kernel builds the
 * IP header: send the wire_craft_packet() output instead.) */
int wire_craft_ip(struct wire_buf *out, const struct sockaddr *src,
		  const struct sockaddr *dst, uint8_t ttl,
		  uint16_t udp_sport, uint16_t udp_dport,
		  const uint8_t *payload, size_t plen);

/* ------------------------------------------------------------------ */
/* SCTP-AUTH, RFC 4895 (auth.c)                                        */
/* ------------------------------------------------------------------ */
/* Digest / HMAC for HMAC identifier 1 (SHA-1) or 3 (SHA-256); return the
 * output length (20 / 32) or 0 for an unknown identifier. */
size_t wire_hash(uint16_t hmac_id, const void *p, size_t n, uint8_t out[32]);
size_t wire_hmac_len(uint16_t hmac_id);
size_t wire_hmac(uint16_t hmac_id, const uint8_t *key, size_t klen,
		 const uint8_t *data, size_t dlen, uint8_t out[32]);
/* Key vector of one endpoint (§6.1): RANDOM, CHUNKS, HMAC-ALGO parameters
 * of its INIT or INIT-ACK chunk (chunk bytes from the chunk header on),
 * concatenated with type/length, without padding.  -1 if there is no
 * RANDOM parameter or the chunk is malformed. */
int wire_auth_key_vector(const uint8_t *chunk, size_t len, struct wire_buf *vec);
/* Association shared key (§6.1): endpoint pair key (may be empty) ||
 * numerically smaller key vector || larger one. */
int wire_auth_assoc_key(const uint8_t *ep_key, size_t eklen,
			const uint8_t *v1, size_t n1, const uint8_t *v2, size_t n2,
			struct wire_buf *key);
/* pkt is a complete SCTP packet whose AUTH chunk starts at auth_off (its
 * HMAC field sized for its HMAC identifier).  sign: fill in the HMAC
 * computed over the AUTH chunk (HMAC zeroed) and every chunk after it
 * (§6.2), then recompute the CRC32c.  verify: 1 match, 0 mismatch,
 * -1 malformed (§6.3). */
int wire_auth_sign(uint8_t *pkt, size_t len, size_t auth_off,
		   const uint8_t *key, size_t klen);
int wire_auth_verify(const uint8_t *pkt, size_t len, size_t auth_off,
		     const uint8_t *key, size_t klen);

/* The same with more control over the IP header. */
struct wire_ip_opts {
	uint8_t ttl;                 /* 0: 64 */
	uint8_t tos;                 /* IPv4 TOS / IPv6 traffic class (DSCP<<2 | ECN,
				      * e.g. 3 = CE for ECNE experiments) */
	uint16_t id;                 /* IPv4 identification */
	bool no_df;                  /* IPv4: clear DF (set by default) */
	uint32_t flow_label;         /* IPv6, 20 bits */
	uint16_t udp_sport, udp_dport; /* non-zero: UDP encapsulation */
};
int wire_craft_ip_opts(struct wire_buf *out, const struct sockaddr *src,
		       const struct sockaddr *dst, const struct wire_ip_opts *o,
		       const uint8_t *payload, size_t plen);

/* Link-layer framing of an IP packet for a pcap file of type linktype
 * (WIRE_DLT_EN10MB: zero MACs + ethertype; WIRE_DLT_RAW: as is). */
int wire_frame_wrap(struct wire_buf *out, int linktype, const uint8_t *ip, size_t len);

#ifdef __cplusplus
}
#endif
#endif
