/* opt get|set|list: SCTP socket options (RFC 6458 §8 and Linux extensions).
 *
 * One table of option descriptors drives get, set, list (help) and
 * completion.  Values go in and out as dicts with named fields:
 *     opt get rtoinfo                      → initial 200 max 1000 min 100
 *     opt set rtoinfo initial 300 min 100  (fields not given keep their value)
 *     opt set nodelay 1                    (a one-field option takes a bare value)
 * so `opt set X {*}[opt get X]` round-trips.  Without --assoc the socket's
 * defaults are read/written (SCTP_FUTURE_ASSOC on one-to-many sockets: new
 * associations inherit them); with --assoc ID that association's. */
#define _GNU_SOURCE
#include "cmds.h"
#include "kern/kinfo.h"
#include "wire/wire.h"
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>



typedef struct bitname {
	unsigned bit;
	const char *name;
} bitname;

enum fkind {
	F_UINT,   /* unsigned integer of size 1, 2 or 4 */
	F_INT,    /* signed 32-bit */
	F_BOOL,   /* integer 0/1 shown as boolean */
	F_FLAGS,  /* bit set: a list of names (or a number) */
	F_ENUM,   /* one of names (or a number) */
	F_NET32,  /* 32-bit in network byte order (ppid) */
	F_PADDR,  /* a peer address of the association (sockaddr_storage) */
	F_LADDR,  /* a local address of the association */
	F_CHUNK,  /* an SCTP chunk type (u8): name or number */
};

typedef struct ofield {
	const char *name;  /* first: Tcl_GetIndexFromObjStruct */
	size_t off;
	int size;
	enum fkind kind;
	int ro;            /* read-only (the kernel reports it; set ignores it) */
	const bitname *names;
	const char *help;
} ofield;

struct odesc;
typedef int(opt_get_fn)(sh_call *c, const struct odesc *o, sh_sock *k, sctp_assoc_t id, Tcl_Obj *d);
typedef int(opt_set_fn)(sh_call *c, const struct odesc *o, sh_sock *k, sctp_assoc_t id, Tcl_Obj *const *kv,
			int n);

enum { A_GET = 1, A_SET = 2, A_RW = 3 };

typedef struct odesc {
	const char *name;   /* first: Tcl_GetIndexFromObjStruct */
	const char *sockopt;
	int optname;
	size_t size;
	long assoc_off;     /* where the sctp_assoc_t goes; -1: a socket-wide option */
	long addr_off;      /* where --addr goes; -1: no per-address form */
	int access;
	int need_assoc;     /* only meaningful for an association */
	const ofield *fields;
	opt_get_fn *get;    /* custom (else the generic struct codec) */
	opt_set_fn *set;
	const char *summary;
} odesc;

/* ---- names --------------------------------------------------------------- */

static const bitname spp_flags[] = {
	{SPP_HB_ENABLE, "hb-enable"},
	{SPP_HB_DISABLE, "hb-disable"},
	{SPP_HB_DEMAND, "hb-demand"},
	{SPP_PMTUD_ENABLE, "pmtud-enable"},
	{SPP_PMTUD_DISABLE, "pmtud-disable"},
	{SPP_SACKDELAY_ENABLE, "sackdelay-enable"},
	{SPP_SACKDELAY_DISABLE, "sackdelay-disable"},
	{SPP_HB_TIME_IS_ZERO, "hb-time-is-zero"},
	{SPP_IPV6_FLOWLABEL, "ipv6-flowlabel"},
	{SPP_DSCP, "dscp"},
	{0, NULL},
};

static const bitname strreset_flags[] = {
	{SCTP_ENABLE_RESET_STREAM_REQ, "reset-streams"},
	{SCTP_ENABLE_RESET_ASSOC_REQ, "reset-assoc"},
	{SCTP_ENABLE_CHANGE_ASSOC_REQ, "add-streams"},
	{0, NULL},
};

static const bitname pr_policies[] = {
	{SCTP_PR_SCTP_NONE, "none"},
	{SCTP_PR_SCTP_TTL, "ttl"},
	{SCTP_PR_SCTP_RTX, "rtx"},
	{SCTP_PR_SCTP_PRIO, "prio"},
	{0, NULL},
};

static const bitname snd_flags[] = {
	{SCTP_UNORDERED, "unordered"},
	{SCTP_ADDR_OVER, "addr-over"},
	{SCTP_ABORT, "abort"},
	{SCTP_SACK_IMMEDIATELY, "sack-immediately"},
	{SCTP_SENDALL, "sendall"},
	{SCTP_EOF, "eof"},
	{0, NULL},
};

static const struct evname {
	const char *name;
	int type;
} events[] = {
	{"assoc-change", SCTP_ASSOC_CHANGE},
	{"peer-addr-change", SCTP_PEER_ADDR_CHANGE},
	{"send-failed", SCTP_SEND_FAILED_EVENT},
	{"remote-error", SCTP_REMOTE_ERROR},
	{"shutdown", SCTP_SHUTDOWN_EVENT},
	{"partial-delivery", SCTP_PARTIAL_DELIVERY_EVENT},
	{"adaptation", SCTP_ADAPTATION_INDICATION},
	{"authentication", SCTP_AUTHENTICATION_EVENT},
	{"sender-dry", SCTP_SENDER_DRY_EVENT},
	{"stream-reset", SCTP_STREAM_RESET_EVENT},
	{"assoc-reset", SCTP_ASSOC_RESET_EVENT},
	{"stream-change", SCTP_STREAM_CHANGE_EVENT},
	{NULL, 0},
};

/* ---- field tables ---------------------------------------------------------- */

#define FLD(T, m, n, k, ro, names, help) {n, offsetof(T, m), (int)sizeof(((T *)0)->m), k, ro, names, help}
#define FEND {NULL, 0, 0, 0, 0, NULL, NULL}

static const ofield f_rtoinfo[] = {
	FLD(struct sctp_rtoinfo, srto_initial, "initial", F_UINT, 0, NULL, "initial RTO, ms (RFC 9260 RTO.Initial)"),
	FLD(struct sctp_rtoinfo, srto_max, "max", F_UINT, 0, NULL, "RTO.Max, ms"),
	FLD(struct sctp_rtoinfo, srto_min, "min", F_UINT, 0, NULL, "RTO.Min, ms"),
	FEND,
};
static const ofield f_initmsg[] = {
	FLD(struct sctp_initmsg, sinit_num_ostreams, "ostreams", F_UINT, 0, NULL, "outbound streams asked for in INIT"),
	FLD(struct sctp_initmsg, sinit_max_instreams, "istreams", F_UINT, 0, NULL, "most inbound streams accepted"),
	FLD(struct sctp_initmsg, sinit_max_attempts, "attempts", F_UINT, 0, NULL, "INIT retransmissions (Max.Init.Retransmits)"),
	FLD(struct sctp_initmsg, sinit_max_init_timeo, "timeo", F_UINT, 0, NULL, "largest INIT RTO, ms"),
	FEND,
};
static const ofield f_assocparams[] = {
	FLD(struct sctp_assocparams, sasoc_asocmaxrxt, "asocmaxrxt", F_UINT, 0, NULL, "Association.Max.Retrans"),
	FLD(struct sctp_assocparams, sasoc_number_peer_destinations, "peer-destinations", F_UINT, 1, NULL, "peer addresses"),
	FLD(struct sctp_assocparams, sasoc_peer_rwnd, "peer-rwnd", F_UINT, 1, NULL, "peer's receive window"),
	FLD(struct sctp_assocparams, sasoc_local_rwnd, "local-rwnd", F_UINT, 1, NULL, "our receive window"),
	FLD(struct sctp_assocparams, sasoc_cookie_life, "cookie-life", F_UINT, 0, NULL, "Valid.Cookie.Life, ms"),
	FEND,
};
static const ofield f_paddrparams[] = {
	FLD(struct sctp_paddrparams, spp_hbinterval, "hbinterval", F_UINT, 0, NULL, "HB.interval, ms"),
	FLD(struct sctp_paddrparams, spp_pathmaxrxt, "pathmaxrxt", F_UINT, 0, NULL, "Path.Max.Retrans"),
	FLD(struct sctp_paddrparams, spp_pathmtu, "pathmtu", F_UINT, 0, NULL, "path MTU (set with flags pmtud-disable)"),
	FLD(struct sctp_paddrparams, spp_sackdelay, "sackdelay", F_UINT, 0, NULL, "SACK delay, ms"),
	FLD(struct sctp_paddrparams, spp_flags, "flags", F_FLAGS, 0, spp_flags, "hb-enable|hb-disable|pmtud-enable|..."),
	FLD(struct sctp_paddrparams, spp_ipv6_flowlabel, "flowlabel", F_UINT, 0, NULL, "IPv6 flow label (flags ipv6-flowlabel)"),
	FLD(struct sctp_paddrparams, spp_dscp, "dscp", F_UINT, 0, NULL, "DSCP (flags dscp)"),
	FEND,
};
static const ofield f_sack[] = {
	FLD(struct sctp_sack_info, sack_delay, "delay", F_UINT, 0, NULL, "delayed SACK timer, ms (0: off)"),
	FLD(struct sctp_sack_info, sack_freq, "freq", F_UINT, 0, NULL, "packets per SACK"),
	FEND,
};
static const ofield f_int[] = {{"value", 0, 4, F_INT, 0, NULL, "the value"}, FEND};
static const ofield f_bool[] = {{"value", 0, 4, F_BOOL, 0, NULL, "on (1) or off (0)"}, FEND};
static const ofield f_av[] = {
	FLD(struct sctp_assoc_value, assoc_value, "value", F_UINT, 0, NULL, "the value"),
	FEND,
};
static const ofield f_avbool[] = {
	FLD(struct sctp_assoc_value, assoc_value, "value", F_BOOL, 0, NULL, "on (1) or off (0)"),
	FEND,
};
static const ofield f_strreset[] = {
	FLD(struct sctp_assoc_value, assoc_value, "flags", F_FLAGS, 0, strreset_flags,
	    "requests this end accepts and may send: reset-streams reset-assoc add-streams"),
	FEND,
};
static const ofield f_prinfo[] = {
	FLD(struct sctp_default_prinfo, pr_policy, "policy", F_ENUM, 0, pr_policies, "none|ttl|rtx|prio"),
	FLD(struct sctp_default_prinfo, pr_value, "value", F_UINT, 0, NULL, "ttl ms, retransmissions, or priority"),
	FEND,
};
static const ofield f_keyid[] = {
	FLD(struct sctp_authkeyid, scact_keynumber, "keynumber", F_UINT, 0, NULL, "shared key identifier"),
	FEND,
};
static const ofield f_authchunk[] = {
	FLD(struct sctp_authchunk, sauth_chunk, "chunk", F_CHUNK, 0, NULL, "chunk type to authenticate (name or number)"),
	FEND,
};
static const ofield f_sndinfo[] = {
	FLD(struct sctp_sndinfo, snd_sid, "stream", F_UINT, 0, NULL, "stream"),
	FLD(struct sctp_sndinfo, snd_flags, "flags", F_FLAGS, 0, snd_flags, "unordered addr-over sack-immediately ..."),
	FLD(struct sctp_sndinfo, snd_ppid, "ppid", F_NET32, 0, NULL, "payload protocol identifier"),
	FLD(struct sctp_sndinfo, snd_context, "context", F_UINT, 0, NULL, "context"),
	FEND,
};
static const ofield f_prim[] = {
	{"addr", offsetof(struct sctp_prim, ssp_addr), sizeof(struct sockaddr_storage), F_PADDR, 0, NULL,
	 "the peer address to send to"},
	FEND,
};
static const ofield f_peerprim[] = {
	{"addr", offsetof(struct sctp_setpeerprim, sspp_addr), sizeof(struct sockaddr_storage), F_LADDR, 0, NULL,
	 "our address the peer should make primary"},
	FEND,
};
static const ofield f_thlds[] = {
	FLD(struct sctp_paddrthlds_v2, spt_pathmaxrxt, "pathmaxrxt", F_UINT, 0, NULL, "Path.Max.Retrans"),
	FLD(struct sctp_paddrthlds_v2, spt_pathpfthld, "pathpfthld", F_UINT, 0, NULL, "potentially-failed threshold (RFC 7829)"),
	FLD(struct sctp_paddrthlds_v2, spt_pathcpthld, "pathcpthld", F_UINT, 0, NULL, "primary path switchover threshold"),
	FEND,
};
static const ofield f_adapt[] = {
	FLD(struct sctp_setadaptation, ssb_adaptation_ind, "value", F_UINT, 0, NULL, "adaptation layer indication"),
	FEND,
};
/* fields of the custom options, for list/help/completion */
static const ofield f_authkey[] = {
	{"keynumber", 0, 2, F_UINT, 0, NULL, "shared key identifier"},
	{"secret", 0, 0, F_UINT, 0, NULL, "the key (text)"},
	FEND,
};
static const ofield f_chunks[] = {{"chunks", 0, 0, F_UINT, 1, NULL, "chunk type names"}, FEND};
static const ofield f_interleave[] = {
	{"fragment-interleave", 0, 4, F_INT, 0, NULL, "SCTP_FRAGMENT_INTERLEAVE level 0, 1 or 2"},
	{"supported", 0, 4, F_BOOL, 0, NULL, "SCTP_INTERLEAVING_SUPPORTED: offer I-DATA (RFC 8260)"},
	FEND,
};
static const ofield f_events[] = {
	{"assoc-change", 0, 0, F_BOOL, 0, NULL, ""}, {"peer-addr-change", 0, 0, F_BOOL, 0, NULL, ""},
	{"send-failed", 0, 0, F_BOOL, 0, NULL, ""}, {"remote-error", 0, 0, F_BOOL, 0, NULL, ""},
	{"shutdown", 0, 0, F_BOOL, 0, NULL, ""}, {"partial-delivery", 0, 0, F_BOOL, 0, NULL, ""},
	{"adaptation", 0, 0, F_BOOL, 0, NULL, ""}, {"authentication", 0, 0, F_BOOL, 0, NULL, ""},
	{"sender-dry", 0, 0, F_BOOL, 0, NULL, ""}, {"stream-reset", 0, 0, F_BOOL, 0, NULL, ""},
	{"assoc-reset", 0, 0, F_BOOL, 0, NULL, ""}, {"stream-change", 0, 0, F_BOOL, 0, NULL, ""},
	FEND,
};

static opt_get_fn get_events, get_chunks, get_interleave;
static opt_set_fn set_events, set_authkey, set_interleave;

#define AV(n, so, opt, fl, summ) \
	{n, so, opt, sizeof(struct sctp_assoc_value), offsetof(struct sctp_assoc_value, assoc_id), -1, A_RW, 0, fl, NULL, NULL, summ}
#define SOCKINT(n, so, opt, fl, summ) {n, so, opt, sizeof(int), -1, -1, A_RW, 0, fl, NULL, NULL, summ}

static const odesc opts[] = {
	{"rtoinfo", "SCTP_RTOINFO", SCTP_RTOINFO, sizeof(struct sctp_rtoinfo), offsetof(struct sctp_rtoinfo, srto_assoc_id),
	 -1, A_RW, 0, f_rtoinfo, NULL, NULL, "retransmission timeout bounds (RFC 6458 §8.1.1)"},
	{"initmsg", "SCTP_INITMSG", SCTP_INITMSG, sizeof(struct sctp_initmsg), -1, -1, A_RW, 0, f_initmsg, NULL, NULL,
	 "streams and INIT retries for new associations (§8.1.3)"},
	{"assocparams", "SCTP_ASSOCINFO", SCTP_ASSOCINFO, sizeof(struct sctp_assocparams),
	 offsetof(struct sctp_assocparams, sasoc_assoc_id), -1, A_RW, 0, f_assocparams, NULL, NULL,
	 "association retransmissions, windows, cookie life (§8.1.2)"},
	{"paddrparams", "SCTP_PEER_ADDR_PARAMS", SCTP_PEER_ADDR_PARAMS, sizeof(struct sctp_paddrparams),
	 offsetof(struct sctp_paddrparams, spp_assoc_id), offsetof(struct sctp_paddrparams, spp_address), A_RW, 0,
	 f_paddrparams, NULL, NULL, "heartbeat, path retransmissions, PMTU; --addr for one path (§8.1.12)"},
	{"delayed-sack", "SCTP_DELAYED_SACK", SCTP_DELAYED_SACK, sizeof(struct sctp_sack_info),
	 offsetof(struct sctp_sack_info, sack_assoc_id), -1, A_RW, 0, f_sack, NULL, NULL, "delayed SACK (§8.1.19)"},
	SOCKINT("nodelay", "SCTP_NODELAY", SCTP_NODELAY, f_bool, "disable Nagle-like bundling delay (§8.1.5)"),
	AV("maxseg", "SCTP_MAXSEG", SCTP_MAXSEG, f_av, "largest DATA chunk payload (fragmentation point) (§8.1.16)"),
	AV("maxburst", "SCTP_MAX_BURST", SCTP_MAX_BURST, f_av, "Max.Burst (§8.1.24)"),
	SOCKINT("autoclose", "SCTP_AUTOCLOSE", SCTP_AUTOCLOSE, f_int, "close idle associations after N s, one-to-many (§8.1.8)"),
	AV("context", "SCTP_CONTEXT", SCTP_CONTEXT, f_av, "default context for sends (§8.1.25)"),
	{"primary", "SCTP_PRIMARY_ADDR", SCTP_PRIMARY_ADDR, sizeof(struct sctp_prim), offsetof(struct sctp_prim, ssp_assoc_id),
	 -1, A_RW, 1, f_prim, NULL, NULL, "the peer address we send to (§8.1.9)"},
	{"peer-primary", "SCTP_SET_PEER_PRIMARY_ADDR", SCTP_SET_PEER_PRIMARY_ADDR, sizeof(struct sctp_setpeerprim),
	 offsetof(struct sctp_setpeerprim, sspp_assoc_id), -1, A_SET, 1, f_peerprim, NULL, NULL,
	 "ask the peer to make our address ADDR its primary: ASCONF Set Primary (RFC 5061 §4.2.5, §8.1.10)"},
	{"thresholds", "SCTP_PEER_ADDR_THLDS_V2", SCTP_PEER_ADDR_THLDS_V2, sizeof(struct sctp_paddrthlds_v2),
	 offsetof(struct sctp_paddrthlds_v2, spt_assoc_id), offsetof(struct sctp_paddrthlds_v2, spt_address), A_RW, 0,
	 f_thlds, NULL, NULL, "path failure / potentially-failed thresholds; --addr for one path (RFC 7829)"},
	AV("pr-supported", "SCTP_PR_SUPPORTED", SCTP_PR_SUPPORTED, f_avbool, "offer PR-SCTP, FORWARD-TSN (RFC 3758)"),
	{"default-prinfo", "SCTP_DEFAULT_PRINFO", SCTP_DEFAULT_PRINFO, sizeof(struct sctp_default_prinfo),
	 offsetof(struct sctp_default_prinfo, pr_assoc_id), -1, A_RW, 0, f_prinfo, NULL, NULL,
	 "default PR-SCTP policy of sends (RFC 7496 §4)"},
	AV("reconfig-supported", "SCTP_RECONFIG_SUPPORTED", SCTP_RECONFIG_SUPPORTED, f_avbool,
	   "offer RE-CONFIG (RFC 6525); set before the association exists"),
	{"enable-stream-reset", "SCTP_ENABLE_STREAM_RESET", SCTP_ENABLE_STREAM_RESET, sizeof(struct sctp_assoc_value),
	 offsetof(struct sctp_assoc_value, assoc_id), -1, A_RW, 0, f_strreset, NULL, NULL,
	 "which RFC 6525 requests are allowed (RFC 6525 §6.3.2)"},
	AV("asconf-supported", "SCTP_ASCONF_SUPPORTED", SCTP_ASCONF_SUPPORTED, f_avbool, "offer ADD-IP, ASCONF (RFC 5061)"),
	SOCKINT("auto-asconf", "SCTP_AUTO_ASCONF", SCTP_AUTO_ASCONF, f_bool,
		"send ASCONF when host addresses change (wildcard-bound sockets) (RFC 6458 §8.1.23)"),
	AV("auth-supported", "SCTP_AUTH_SUPPORTED", SCTP_AUTH_SUPPORTED, f_avbool, "offer AUTH (RFC 4895)"),
	AV("ecn-supported", "SCTP_ECN_SUPPORTED", SCTP_ECN_SUPPORTED, f_avbool, "offer ECN"),
	AV("expose-pf-state", "SCTP_EXPOSE_POTENTIALLY_FAILED_STATE", SCTP_EXPOSE_POTENTIALLY_FAILED_STATE, f_av,
	   "report potentially-failed paths (RFC 7829 §7.3)"),
	{"auth-key", "SCTP_AUTH_KEY", SCTP_AUTH_KEY, 0, 0, -1, A_SET, 0, f_authkey, NULL, set_authkey,
	 "add a shared key: keynumber N secret TEXT (RFC 4895, RFC 6458 §8.1.20)"},
	{"auth-active-key", "SCTP_AUTH_ACTIVE_KEY", SCTP_AUTH_ACTIVE_KEY, sizeof(struct sctp_authkeyid),
	 offsetof(struct sctp_authkeyid, scact_assoc_id), -1, A_RW, 0, f_keyid, NULL, NULL,
	 "the key used to send (§8.1.21)"},
	{"auth-deactivate-key", "SCTP_AUTH_DEACTIVATE_KEY", SCTP_AUTH_DEACTIVATE_KEY, sizeof(struct sctp_authkeyid),
	 offsetof(struct sctp_authkeyid, scact_assoc_id), -1, A_SET, 0, f_keyid, NULL, NULL,
	 "stop sending with a key (§8.3.4)"},
	{"auth-delete-key", "SCTP_AUTH_DELETE_KEY", SCTP_AUTH_DELETE_KEY, sizeof(struct sctp_authkeyid),
	 offsetof(struct sctp_authkeyid, scact_assoc_id), -1, A_SET, 0, f_keyid, NULL, NULL,
	 "delete a key (§8.3.4)"},
	{"auth-chunk", "SCTP_AUTH_CHUNK", SCTP_AUTH_CHUNK, sizeof(struct sctp_authchunk), -1, -1, A_SET, 0, f_authchunk,
	 NULL, NULL, "require AUTH for a chunk type we receive (§8.3.2)"},
	{"local-auth-chunks", "SCTP_LOCAL_AUTH_CHUNKS", SCTP_LOCAL_AUTH_CHUNKS, 0, 0, -1, A_GET, 0, f_chunks, get_chunks,
	 NULL, "chunk types we require authenticated (§8.2.6)"},
	{"peer-auth-chunks", "SCTP_PEER_AUTH_CHUNKS", SCTP_PEER_AUTH_CHUNKS, 0, 0, -1, A_GET, 1, f_chunks, get_chunks,
	 NULL, "chunk types the peer requires authenticated (§8.2.5)"},
	{"interleaving", "SCTP_FRAGMENT_INTERLEAVE+SCTP_INTERLEAVING_SUPPORTED", 0, 0, 0, -1, A_RW, 0, f_interleave,
	 get_interleave, set_interleave, "message interleaving, I-DATA (RFC 8260; §8.1.20)"},
	{"events", "SCTP_EVENT", SCTP_EVENT, 0, 0, -1, A_RW, 0, f_events, get_events, set_events,
	 "which notifications are on (§6.2.2); sctpsh needs them on to see events"},
	{"default-send-param", "SCTP_DEFAULT_SNDINFO", SCTP_DEFAULT_SNDINFO, sizeof(struct sctp_sndinfo),
	 offsetof(struct sctp_sndinfo, snd_assoc_id), -1, A_RW, 0, f_sndinfo, NULL, NULL,
	 "defaults for sends without per-message info (§8.1.31)"},
	SOCKINT("mappedv4", "SCTP_I_WANT_MAPPED_V4_ADDR", SCTP_I_WANT_MAPPED_V4_ADDR, f_bool,
		"report IPv4 peers as v4-mapped IPv6 (§8.1.14)"),
	SOCKINT("disable-fragments", "SCTP_DISABLE_FRAGMENTS", SCTP_DISABLE_FRAGMENTS, f_bool,
		"refuse messages larger than one chunk (§8.1.15)"),
	SOCKINT("partial-delivery-point", "SCTP_PARTIAL_DELIVERY_POINT", SCTP_PARTIAL_DELIVERY_POINT, f_int,
		"bytes before partial delivery starts (§8.1.21)"),
	{"adaptation-layer", "SCTP_ADAPTATION_LAYER", SCTP_ADAPTATION_LAYER, sizeof(struct sctp_setadaptation), -1, -1,
	 A_RW, 0, f_adapt, NULL, NULL, "adaptation layer indication sent in INIT (RFC 5061 §4.2.7; §8.1.10)"},
	{NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL},
};

/* ---- value codecs ------------------------------------------------------------ */

static uint64_t rd(const unsigned char *b, const ofield *f)
{
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	switch (f->size) {
	case 1: memcpy(&u8, b + f->off, 1); return u8;
	case 2: memcpy(&u16, b + f->off, 2); return u16;
	default: memcpy(&u32, b + f->off, 4); return u32;
	}
}

static void wr(unsigned char *b, const ofield *f, uint64_t v)
{
	uint8_t u8 = (uint8_t)v;
	uint16_t u16 = (uint16_t)v;
	uint32_t u32 = (uint32_t)v;
	switch (f->size) {
	case 1: memcpy(b + f->off, &u8, 1); break;
	case 2: memcpy(b + f->off, &u16, 2); break;
	default: memcpy(b + f->off, &u32, 4); break;
	}
}

static Tcl_Obj *names_obj(const bitname *t, uint64_t v, int flags)
{
	if (!flags) {
		for (; t->name; t++)
			if (t->bit == v)
				return Tcl_NewStringObj(t->name, -1);
		return Tcl_NewWideIntObj((Tcl_WideInt)v);
	}
	Tcl_Obj *l = sh_list();
	uint64_t left = v;
	for (; t->name; t++)
		if (t->bit && (v & t->bit) == t->bit) {
			Tcl_ListObjAppendElement(NULL, l, Tcl_NewStringObj(t->name, -1));
			left &= ~(uint64_t)t->bit;
		}
	if (left)
		Tcl_ListObjAppendElement(NULL, l, Tcl_ObjPrintf("0x%llx", (unsigned long long)left));
	return l;
}

static Tcl_Obj *field_obj(const unsigned char *b, const ofield *f)
{
	uint64_t v;
	switch (f->kind) {
	case F_INT: {
		int32_t i;
		memcpy(&i, b + f->off, 4);
		return Tcl_NewIntObj(i);
	}
	case F_BOOL: return Tcl_NewBooleanObj(rd(b, f) != 0);
	case F_FLAGS: return names_obj(f->names, rd(b, f), 1);
	case F_ENUM: return names_obj(f->names, rd(b, f), 0);
	case F_NET32: return Tcl_NewWideIntObj(ntohl((uint32_t)rd(b, f)));
	case F_CHUNK: return Tcl_NewStringObj(wire_chunk_type_name((uint8_t)rd(b, f)), -1);
	case F_PADDR:
	case F_LADDR: {
		struct sockaddr_storage ss;
		memcpy(&ss, b + f->off, sizeof ss);
		if (ss.ss_family != AF_INET && ss.ss_family != AF_INET6)
			return Tcl_NewStringObj("", 0);
		return sh_addr_obj((struct sockaddr *)&ss);
	}
	default: v = rd(b, f); return Tcl_NewWideIntObj((Tcl_WideInt)v);
	}
}

static int parse_names(Tcl_Interp *ip, const ofield *f, Tcl_Obj *o, uint64_t *out)
{
	Tcl_WideInt w;
	if (Tcl_GetWideIntFromObj(NULL, o, &w) == TCL_OK && w >= 0) {
		*out = (uint64_t)w;
		return TCL_OK;
	}
	Tcl_Size n;
	Tcl_Obj **el;
	if (Tcl_ListObjGetElements(ip, o, &n, &el) != TCL_OK)
		return TCL_ERROR;
	if (f->kind == F_ENUM && n != 1)
		goto bad;
	*out = 0;
	for (Tcl_Size i = 0; i < n; i++) {
		int idx = -1;
		for (int j = 0; f->names[j].name; j++)
			if (!strcmp(f->names[j].name, Tcl_GetString(el[i])))
				idx = j;
		if (idx < 0) {
			Tcl_Obj *m;
		bad:
			m = Tcl_ObjPrintf("field %s expects %s", f->name, f->kind == F_ENUM ? "one of" : "a list of");
			for (const bitname *t = f->names; t->name; t++)
				Tcl_AppendPrintfToObj(m, " %s", t->name);
			Tcl_AppendPrintfToObj(m, " (or a number), got \"%s\"", Tcl_GetString(o));
			Tcl_SetObjResult(ip, m);
			Tcl_SetErrorCode(ip, "SCTPSH", "badvalue", NULL);
			return TCL_ERROR;
		}
		*out |= f->names[idx].bit;
	}
	return TCL_OK;
}

/* find addr among the association's peer (or local) addresses: the kernel
 * looks transports up by address and port, in its own (unmapped) form */
static int assoc_addr(sh_call *c, sh_sock *k, sctp_assoc_t id, Tcl_Obj *o, int local, struct sockaddr_storage *out)
{
	struct sockaddr_storage want, have[K_MAX_ADDRS];
	if (sh_get_addr(c->ip, o, 0, &want) != TCL_OK)
		return TCL_ERROR;
	if (!id && k->type != SOCK_STREAM)
		return sh_err(c->ip, "usage", "an address needs an association: give --assoc ID");
	int n = local ? k_laddrs(k->fd, id, have, K_MAX_ADDRS) : k_paddrs(k->fd, id, have, K_MAX_ADDRS);
	if (n < 0)
		return sh_err_errno(c->ip, local ? "sctp_getladdrs" : "sctp_getpaddrs", n);
	for (int i = 0; i < n; i++)
		if (k_same_addr((struct sockaddr *)&want, (struct sockaddr *)&have[i])) {
			*out = have[i];
			k_unmap(out);
			return TCL_OK;
		}
	Tcl_Obj *l = sh_list();
	for (int i = 0; i < n; i++)
		Tcl_ListObjAppendElement(NULL, l, sh_addr_obj((struct sockaddr *)&have[i]));
	Tcl_IncrRefCount(l);
	sh_err(c->ip, "badaddr", "%s is not a %s address of association %d (those are: %s)", Tcl_GetString(o),
	       local ? "local" : "peer", (int)id, Tcl_GetString(l));
	Tcl_DecrRefCount(l);
	return TCL_ERROR;
}

static int parse_field(sh_call *c, sh_sock *k, sctp_assoc_t id, const ofield *f, Tcl_Obj *o, unsigned char *b)
{
	Tcl_WideInt w;
	uint64_t u;
	switch (f->kind) {
	case F_BOOL: {
		int on;
		if (Tcl_GetBooleanFromObj(NULL, o, &on) != TCL_OK)
			return sh_err(c->ip, "badvalue", "field %s expects a boolean (1/0, on/off), got \"%s\"", f->name,
				      Tcl_GetString(o));
		wr(b, f, (uint64_t)on);
		return TCL_OK;
	}
	case F_FLAGS:
	case F_ENUM:
		if (parse_names(c->ip, f, o, &u) != TCL_OK)
			return TCL_ERROR;
		wr(b, f, u);
		return TCL_OK;
	case F_CHUNK: {
		int t = wire_chunk_type_from_name(Tcl_GetString(o));
		if (t < 0)
			return sh_err(c->ip, "badvalue", "field %s expects a chunk type (name like DATA, ASCONF or 0..255), got \"%s\"",
				      f->name, Tcl_GetString(o));
		wr(b, f, (uint64_t)t);
		return TCL_OK;
	}
	case F_PADDR:
	case F_LADDR: {
		struct sockaddr_storage ss;
		if (assoc_addr(c, k, id, o, f->kind == F_LADDR, &ss) != TCL_OK)
			return TCL_ERROR;
		memcpy(b + f->off, &ss, sizeof ss);
		return TCL_OK;
	}
	case F_INT:
		if (Tcl_GetWideIntFromObj(NULL, o, &w) != TCL_OK || w < INT32_MIN || w > INT32_MAX)
			return sh_err(c->ip, "badvalue", "field %s expects an integer, got \"%s\"", f->name, Tcl_GetString(o));
		{
			int32_t i = (int32_t)w;
			memcpy(b + f->off, &i, 4);
		}
		return TCL_OK;
	default: {
		uint64_t max = f->size == 1 ? 0xff : f->size == 2 ? 0xffff : 0xffffffffu;
		if (Tcl_GetWideIntFromObj(NULL, o, &w) != TCL_OK || w < 0 || (uint64_t)w > max)
			return sh_err(c->ip, "badvalue", "field %s expects an integer 0..%llu, got \"%s\"", f->name,
				      (unsigned long long)max, Tcl_GetString(o));
		wr(b, f, f->kind == F_NET32 ? htonl((uint32_t)w) : (uint64_t)w);
		return TCL_OK;
	}
	}
}

/* ---- kernel errors with the reason a person needs ------------------------- */

static int opt_errno(sh_call *c, const char *what, const odesc *o, int e)
{
	sh_err_errno(c->ip, what, e);
	const char *hint = NULL;
	if (!strncmp(o->name, "auth-", 5) && (e == -EACCES || e == -EOPNOTSUPP))
		hint = "AUTH is off for this endpoint or association: `sysctl auth_enable 1` (then new sockets) or "
		       "`opt set auth-supported 1` before connecting; both ends must support it (RFC 4895)";
	else if (!strcmp(o->name, "peer-primary") && (e == -EPERM || e == -EADDRNOTAVAIL))
		hint = "the peer must support ADD-IP (asconf-supported, sysctl addip_enable) and the address must be ours";
	else if (e == -EINVAL && o->need_assoc)
		hint = "this option needs an established association (--assoc ID)";
	else if (e == -EINVAL && o->assoc_off < 0 && sh_opt_isset(c, "--assoc"))
		hint = "socket-wide option: leave out --assoc";
	else if (!strcmp(o->name, "autoclose") && e == -EOPNOTSUPP)
		hint = "autoclose applies to one-to-many sockets only";
	if (hint) {
		Tcl_AppendResult(c->ip, "; ", hint, NULL);
	}
	return TCL_ERROR;
}

/* ---- generic get/set ---------------------------------------------------------- */

#define OPTBUF 1024

static int addr_into(sh_call *c, const odesc *o, sh_sock *k, sctp_assoc_t id, unsigned char *b)
{
	sh_optval *av = sh_opt_get(c, "--addr");
	if (!av->set)
		return TCL_OK;
	if (o->addr_off < 0)
		return sh_err(c->ip, "usage", "option %s has no per-address form (--addr is for paddrparams, thresholds)",
			      o->name);
	struct sockaddr_storage ss;
	if (assoc_addr(c, k, id, av->obj, 0, &ss) != TCL_OK)
		return TCL_ERROR;
	memcpy(b + o->addr_off, &ss, sizeof ss);
	return TCL_OK;
}

static int raw_get(sh_call *c, const odesc *o, sh_sock *k, sctp_assoc_t id, unsigned char *b)
{
	memset(b, 0, OPTBUF);
	if (o->assoc_off >= 0)
		memcpy(b + o->assoc_off, &id, sizeof id);
	if (addr_into(c, o, k, id, b) != TCL_OK)
		return TCL_ERROR;
	socklen_t l = (socklen_t)o->size;
	int e = k_getopt(k->fd, o->optname, b, &l);
	if (e < 0) {
		char what[96];
		snprintf(what, sizeof what, "getsockopt(%s)", o->sockopt);
		return opt_errno(c, what, o, e);
	}
	return TCL_OK;
}

static int generic_get(sh_call *c, const odesc *o, sh_sock *k, sctp_assoc_t id, Tcl_Obj *d)
{
	unsigned char b[OPTBUF];
	if (raw_get(c, o, k, id, b) != TCL_OK)
		return TCL_ERROR;
	for (const ofield *f = o->fields; f->name; f++)
		PUT(d, f->name, field_obj(b, f));
	return TCL_OK;
}

/* kv: FIELD VALUE pairs (already checked to be even) */
static int generic_set(sh_call *c, const odesc *o, sh_sock *k, sctp_assoc_t id, Tcl_Obj *const *kv, int n)
{
	unsigned char b[OPTBUF];
	if (o->access & A_GET) {
		if (raw_get(c, o, k, id, b) != TCL_OK)
			return TCL_ERROR;
	} else {
		memset(b, 0, sizeof b);
		if (addr_into(c, o, k, id, b) != TCL_OK)
			return TCL_ERROR;
	}
	if (o->assoc_off >= 0)
		memcpy(b + o->assoc_off, &id, sizeof id);
	for (int i = 0; i < n; i += 2) {
		int idx;
		if (Tcl_GetIndexFromObjStruct(c->ip, kv[i], o->fields, sizeof(ofield), "field", TCL_EXACT, &idx) != TCL_OK) {
			Tcl_AppendResult(c->ip, " (of option ", o->name, ")", NULL);
			Tcl_SetErrorCode(c->ip, "SCTPSH", "badfield", NULL);
			return TCL_ERROR;
		}
		const ofield *f = &o->fields[idx];
		if (f->ro) {
			/* a round trip may carry it unchanged: accept that */
			Tcl_Obj *cur = field_obj(b, f);
			Tcl_IncrRefCount(cur);
			int same = !strcmp(Tcl_GetString(cur), Tcl_GetString(kv[i + 1]));
			Tcl_DecrRefCount(cur);
			if (!same)
				return sh_err(c->ip, "readonly", "field %s of %s is read-only (the kernel reports it)", f->name,
					      o->name);
			continue;
		}
		if (parse_field(c, k, id, f, kv[i + 1], b) != TCL_OK)
			return TCL_ERROR;
	}
	int e = k_setopt(k->fd, o->optname, b, (socklen_t)o->size);
	if (e < 0) {
		char what[96];
		snprintf(what, sizeof what, "setsockopt(%s)", o->sockopt);
		return opt_errno(c, what, o, e);
	}
	return TCL_OK;
}

/* ---- custom options ---------------------------------------------------------- */

static int get_events(sh_call *c, const odesc *o, sh_sock *k, sctp_assoc_t id, Tcl_Obj *d)
{
	for (const struct evname *e = events; e->name; e++) {
		struct sctp_event ev = {.se_assoc_id = id, .se_type = (uint16_t)e->type};
		socklen_t l = sizeof ev;
		int r = k_getopt(k->fd, SCTP_EVENT, &ev, &l);
		if (r < 0)
			return opt_errno(c, "getsockopt(SCTP_EVENT)", o, r);
		PUT(d, e->name, Tcl_NewBooleanObj(ev.se_on));
	}
	return TCL_OK;
}

static int set_events(sh_call *c, const odesc *o, sh_sock *k, sctp_assoc_t id, Tcl_Obj *const *kv, int n)
{
	/* check everything first, then apply */
	struct sctp_event evs[32];
	int ne = 0;
	for (int i = 0; i < n && ne < 32; i += 2) {
		int idx, on;
		if (Tcl_GetIndexFromObjStruct(c->ip, kv[i], events, sizeof events[0], "event", TCL_EXACT, &idx) != TCL_OK) {
			Tcl_SetErrorCode(c->ip, "SCTPSH", "badfield", NULL);
			return TCL_ERROR;
		}
		if (Tcl_GetBooleanFromObj(NULL, kv[i + 1], &on) != TCL_OK)
			return sh_err(c->ip, "badvalue", "event %s expects a boolean (1/0, on/off), got \"%s\"", events[idx].name,
				      Tcl_GetString(kv[i + 1]));
		evs[ne++] = (struct sctp_event){.se_assoc_id = id, .se_type = (uint16_t)events[idx].type, .se_on = (uint8_t)on};
	}
	for (int i = 0; i < ne; i++) {
		int r = k_setopt(k->fd, SCTP_EVENT, &evs[i], sizeof evs[i]);
		if (r < 0)
			return opt_errno(c, "setsockopt(SCTP_EVENT)", o, r);
	}
	return TCL_OK;
}

static int get_chunks(sh_call *c, const odesc *o, sh_sock *k, sctp_assoc_t id, Tcl_Obj *d)
{
	size_t sz = sizeof(struct sctp_authchunks) + 256;
	struct sctp_authchunks *a = ckalloc(sz);
	memset(a, 0, sz);
	a->gauth_assoc_id = id;
	socklen_t l = (socklen_t)sz;
	int r = k_getopt(k->fd, o->optname, a, &l);
	if (r < 0) {
		ckfree(a);
		char what[96];
		snprintf(what, sizeof what, "getsockopt(%s)", o->sockopt);
		return opt_errno(c, what, o, r);
	}
	Tcl_Obj *lst = sh_list();
	for (uint32_t i = 0; i < a->gauth_number_of_chunks && i < 256; i++)
		Tcl_ListObjAppendElement(NULL, lst, Tcl_NewStringObj(wire_chunk_type_name(a->gauth_chunks[i]), -1));
	ckfree(a);
	PUT(d, "chunks", lst);
	return TCL_OK;
}

static int set_authkey(sh_call *c, const odesc *o, sh_sock *k, sctp_assoc_t id, Tcl_Obj *const *kv, int n)
{
	Tcl_WideInt num = -1;
	Tcl_Obj *secret = NULL;
	for (int i = 0; i < n; i += 2) {
		int idx;
		if (Tcl_GetIndexFromObjStruct(c->ip, kv[i], o->fields, sizeof(ofield), "field", TCL_EXACT, &idx) != TCL_OK) {
			Tcl_SetErrorCode(c->ip, "SCTPSH", "badfield", NULL);
			return TCL_ERROR;
		}
		if (idx == 0) {
			if (Tcl_GetWideIntFromObj(NULL, kv[i + 1], &num) != TCL_OK || num < 0 || num > 0xffff)
				return sh_err(c->ip, "badvalue", "field keynumber expects 0..65535, got \"%s\"",
					      Tcl_GetString(kv[i + 1]));
		} else
			secret = kv[i + 1];
	}
	if (num < 0 || !secret)
		return sh_err(c->ip, "usage", "auth-key needs both fields: opt set auth-key keynumber N secret TEXT");
	Tcl_Size sl;
	const char *s = Tcl_GetStringFromObj(secret, &sl);
	if (sl > 0xffff)
		return sh_err(c->ip, "badvalue", "secret too long");
	size_t sz = sizeof(struct sctp_authkey) + (size_t)sl;
	struct sctp_authkey *ak = ckalloc(sz);
	memset(ak, 0, sz);
	ak->sca_assoc_id = id;
	ak->sca_keynumber = (uint16_t)num;
	ak->sca_keylength = (uint16_t)sl;
	memcpy(ak->sca_key, s, (size_t)sl);
	int r = k_setopt(k->fd, SCTP_AUTH_KEY, ak, (socklen_t)sz);
	memset(ak, 0, sz);
	ckfree(ak);
	if (r < 0)
		return opt_errno(c, "setsockopt(SCTP_AUTH_KEY)", o, r);
	return TCL_OK;
}

static int get_interleave(sh_call *c, const odesc *o, sh_sock *k, sctp_assoc_t id, Tcl_Obj *d)
{
	int fi = 0;
	socklen_t l = sizeof fi;
	int r = k_getopt(k->fd, SCTP_FRAGMENT_INTERLEAVE, &fi, &l);
	if (r < 0)
		return opt_errno(c, "getsockopt(SCTP_FRAGMENT_INTERLEAVE)", o, r);
	struct sctp_assoc_value av = {.assoc_id = id};
	l = sizeof av;
	r = k_getopt(k->fd, SCTP_INTERLEAVING_SUPPORTED, &av, &l);
	if (r < 0)
		return opt_errno(c, "getsockopt(SCTP_INTERLEAVING_SUPPORTED)", o, r);
	PUTI(d, "fragment-interleave", fi);
	PUT(d, "supported", Tcl_NewBooleanObj(av.assoc_value != 0));
	return TCL_OK;
}

static int set_interleave(sh_call *c, const odesc *o, sh_sock *k, sctp_assoc_t id, Tcl_Obj *const *kv, int n)
{
	int fi = -1, sup = -1;
	for (int i = 0; i < n; i += 2) {
		int idx;
		if (Tcl_GetIndexFromObjStruct(c->ip, kv[i], o->fields, sizeof(ofield), "field", TCL_EXACT, &idx) != TCL_OK) {
			Tcl_SetErrorCode(c->ip, "SCTPSH", "badfield", NULL);
			return TCL_ERROR;
		}
		if (idx == 0) {
			if (Tcl_GetIntFromObj(NULL, kv[i + 1], &fi) != TCL_OK || fi < 0 || fi > 2)
				return sh_err(c->ip, "badvalue", "field fragment-interleave expects 0, 1 or 2, got \"%s\"",
					      Tcl_GetString(kv[i + 1]));
		} else if (Tcl_GetBooleanFromObj(NULL, kv[i + 1], &sup) != TCL_OK)
			return sh_err(c->ip, "badvalue", "field supported expects a boolean, got \"%s\"", Tcl_GetString(kv[i + 1]));
	}
	/* the kernel wants fragment interleave before it offers I-DATA */
	if (fi >= 0) {
		int r = k_setopt(k->fd, SCTP_FRAGMENT_INTERLEAVE, &fi, sizeof fi);
		if (r < 0)
			return opt_errno(c, "setsockopt(SCTP_FRAGMENT_INTERLEAVE)", o, r);
	}
	if (sup >= 0) {
		struct sctp_assoc_value av = {.assoc_id = id, .assoc_value = (uint32_t)sup};
		int r = k_setopt(k->fd, SCTP_INTERLEAVING_SUPPORTED, &av, sizeof av);
		if (r < 0) {
			opt_errno(c, "setsockopt(SCTP_INTERLEAVING_SUPPORTED)", o, r);
			if (r == -EPERM)
				Tcl_AppendResult(c->ip, "; the kernel requires `sysctl intl_enable 1` and fragment-interleave 2 "
							"first: opt set interleaving fragment-interleave 2 supported 1", NULL);
			return TCL_ERROR;
		}
	}
	return TCL_OK;
}

/* ---- commands --------------------------------------------------------------- */

static int find_opt(sh_call *c, Tcl_Obj *name, const odesc **out)
{
	int idx;
	if (Tcl_GetIndexFromObjStruct(c->ip, name, opts, sizeof(odesc), "socket option", TCL_EXACT, &idx) != TCL_OK) {
		Tcl_AppendResult(c->ip, " (see: opt list)", NULL);
		Tcl_SetErrorCode(c->ip, "SCTPSH", "badopt", NULL);
		return TCL_ERROR;
	}
	*out = &opts[idx];
	return TCL_OK;
}

static int pick(sh_call *c, const odesc *o, sh_sock **k, sctp_assoc_t *id)
{
	if (o->assoc_off < 0 && o->get != get_interleave && sh_opt_isset(c, "--assoc"))
		return sh_err(c->ip, "usage", "%s is a socket-wide option (%s): leave out --assoc", o->name, o->sockopt);
	return st_pick_assoc(c, k, id, o->need_assoc);
}

static Tcl_Obj *fields_obj(const odesc *o)
{
	Tcl_Obj *l = sh_list();
	for (const ofield *f = o->fields; f->name; f++)
		Tcl_ListObjAppendElement(NULL, l, Tcl_NewStringObj(f->name, -1));
	return l;
}

static int cmd_list(sh_call *c)
{
	Tcl_Obj *l = sh_list();
	for (const odesc *o = opts; o->name; o++) {
		Tcl_Obj *d = Tcl_NewDictObj();
		PUTS(d, "name", o->name);
		PUTS(d, "access", o->access == A_RW ? "get set" : o->access == A_GET ? "get" : "set");
		PUTS(d, "scope", o->assoc_off < 0 && o->get != get_interleave ? "socket"
				 : o->need_assoc			      ? "assoc"
									      : "socket/assoc");
		PUT(d, "fields", fields_obj(o));
		PUTS(d, "sockopt", o->sockopt);
		PUTS(d, "summary", o->summary);
		Tcl_ListObjAppendElement(NULL, l, d);
	}
	Tcl_SetObjResult(c->ip, l);
	return TCL_OK;
}

static int cmd_get(sh_call *c)
{
	if (c->npos == 0)
		return cmd_list(c);
	const odesc *o;
	sh_sock *k;
	sctp_assoc_t id;
	if (find_opt(c, c->pos[0], &o) != TCL_OK)
		return TCL_ERROR;
	if (!(o->access & A_GET))
		return sh_err(c->ip, "writeonly", "%s can only be set (%s is write-only): opt set %s ...", o->name,
			      o->sockopt, o->name);
	if (pick(c, o, &k, &id) != TCL_OK)
		return TCL_ERROR;
	Tcl_Obj *d = Tcl_NewDictObj();
	Tcl_IncrRefCount(d);
	int rc = (o->get ? o->get : generic_get)(c, o, k, id, d);
	if (rc == TCL_OK)
		Tcl_SetObjResult(c->ip, d);
	Tcl_DecrRefCount(d);
	return rc;
}

static int cmd_set(sh_call *c)
{
	const odesc *o;
	sh_sock *k;
	sctp_assoc_t id;
	if (find_opt(c, c->pos[0], &o) != TCL_OK)
		return TCL_ERROR;
	if (!(o->access & A_SET))
		return sh_err(c->ip, "readonly", "%s is read-only (%s): opt get %s", o->name, o->sockopt, o->name);
	int n = c->npos - 1;
	Tcl_Obj *const *kv = c->pos + 1;
	Tcl_Obj *pair[2];
	int nfields = 0;
	for (const ofield *f = o->fields; f->name; f++)
		nfields++;
	if (n == 1) {
		/* a bare value: for a one-field option, or a dict given as one word */
		Tcl_Size dn;
		Tcl_Obj **del;
		if (nfields == 1) {
			pair[0] = Tcl_NewStringObj(o->fields[0].name, -1);
			pair[1] = kv[0];
			kv = pair;
			n = 2;
		} else if (Tcl_ListObjGetElements(NULL, kv[0], &dn, &del) == TCL_OK && dn % 2 == 0 && dn > 0) {
			kv = del;
			n = (int)dn;
		}
	}
	if (n % 2) {
		Tcl_Obj *f = fields_obj(o);
		Tcl_IncrRefCount(f);
		sh_err(c->ip, "usage", "opt set %s expects FIELD VALUE pairs (fields: %s)%s", o->name, Tcl_GetString(f),
		       nfields == 1 ? " or one VALUE" : "");
		Tcl_DecrRefCount(f);
		return TCL_ERROR;
	}
	/* keep the pair objects alive while we use them */
	if (kv == pair)
		Tcl_IncrRefCount(pair[0]);
	int rc = pick(c, o, &k, &id);
	if (rc == TCL_OK)
		rc = (o->set ? o->set : generic_set)(c, o, k, id, kv, n);
	/* the result: what the kernel now says (it may clamp), else what was set */
	Tcl_Obj *d = Tcl_NewDictObj();
	Tcl_IncrRefCount(d);
	if (rc == TCL_OK && (o->access & A_GET))
		rc = (o->get ? o->get : generic_get)(c, o, k, id, d);
	else if (rc == TCL_OK)
		for (int i = 0; i + 1 < n; i += 2)
			if (strcmp(Tcl_GetString(kv[i]), "secret"))
				Tcl_DictObjPut(NULL, d, kv[i], kv[i + 1]);
	if (rc == TCL_OK)
		Tcl_SetObjResult(c->ip, d);
	Tcl_DecrRefCount(d);
	if (kv == pair)
		Tcl_DecrRefCount(pair[0]);
	return rc;
}

static const sh_opt opt_opts[] = {
	{"--assoc", SH_OPT_INT, "ID", "one association (default: the socket's defaults for new associations)"},
	{"--socket", SH_OPT_STR, "S", "the socket (default: the current host's startup socket)"},
	{"--addr", SH_OPT_STR, "ADDR", "one peer address (paddrparams, thresholds)"},
	{NULL, 0, NULL, NULL},
};

static const sh_opt list_opts[] = {{NULL, 0, NULL, NULL}};

#define OPT_HELP                                                                                                  \
	"Values are dicts of named fields, in and out: `opt get rtoinfo` gives {initial 200 max 1000 min 100};\n"  \
	"    `opt set rtoinfo initial 300 min 100` changes the fields given and returns the kernel's new value;\n" \
	"    a one-field option takes a bare value (`opt set nodelay 1`); `opt set X {*}[opt get X]` round-trips.\n" \
	"    Without --assoc: the socket's defaults, inherited by new associations. `opt list` names them all."

/* help text generated from the descriptor table at start-up, so help, get,
 * set and completion cannot drift apart */
static char opt_help[8192];

__attribute__((constructor)) static void opt_help_init(void)
{
	size_t off = (size_t)snprintf(opt_help, sizeof opt_help, "%s\n    Options (NAME: fields; [socket] socket-wide, "
					"[assoc] needs an association):", OPT_HELP);
	for (const odesc *o = opts; o->name && off < sizeof opt_help; o++) {
		off += (size_t)snprintf(opt_help + off, sizeof opt_help - off, "\n      %s%s%s:", o->name,
					o->assoc_off < 0 && o->get != get_interleave ? " [socket]"
					: o->need_assoc				     ? " [assoc]"
										     : "",
					o->access == A_GET ? " (get only)" : o->access == A_SET ? " (set only)" : "");
		for (const ofield *f = o->fields; f->name && off < sizeof opt_help; f++)
			off += (size_t)snprintf(opt_help + off, sizeof opt_help - off, " %s", f->name);
	}
}

/* Completion candidates after "opt get|set": option names, then field names
 * (for set: every other word). words[0] is "get" or "set". For the REPL. */
int sh_opt_complete(const char *const *words, int nw, const char *cur, const char **out, int max)
{
	int n = 0;
	size_t l = strlen(cur);
	if (nw == 1) {
		for (const odesc *o = opts; o->name && n < max; o++)
			if (!strncmp(cur, o->name, l))
				out[n++] = o->name;
		return n;
	}
	if (nw < 2 || strcmp(words[0], "set") || nw % 2)
		return 0;
	for (const odesc *o = opts; o->name; o++)
		if (!strcmp(o->name, words[1])) {
			if (o->get == get_events) {
				for (const struct evname *e = events; e->name && n < max; e++)
					if (!strncmp(cur, e->name, l))
						out[n++] = e->name;
				return n;
			}
			for (const ofield *f = o->fields; f->name && n < max; f++)
				if (!f->ro && !strncmp(cur, f->name, l))
					out[n++] = f->name;
		}
	return n;
}

static const sh_cmd opt_subs[] = {
	{"get", "?NAME?", "read a socket option as a dict (no NAME: the list)", opt_opts, 0, 1, cmd_get, NULL,
	 "The value is a dict of named fields; see help for opt set, or opt list.",
	 "initial:n max:n min:n ostreams:n istreams:n attempts:n timeo:n asocmaxrxt:n peer-destinations:n "
	 "peer-rwnd:n local-rwnd:n cookie-life:n hbinterval:n pathmaxrxt:n pathmtu:n sackdelay:n flowlabel:n "
	 "dscp:n delay:n freq:n pathpfthld:n pathcpthld:n addr:a"},
	{"set", "NAME FIELD VALUE ...", "change fields of a socket option", opt_opts, 2, -1, cmd_set, NULL, opt_help},
	{"list", "", "every option: name, access, scope, fields, sockopt, summary", list_opts, 0, 0, cmd_list, NULL, NULL},
	{NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL},
};

const sh_cmd sh_cmds_opt[] = {
	{"opt", "", "get and set SCTP socket options (RFC 6458 §8) as dicts of named fields", NULL, 0, 0, NULL, opt_subs,
	 OPT_HELP},
	{NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL},
};
