/* SCTP notifications (RFC 6458 §6.1) as Tcl dicts. */
#include "sctpsh.h"
#include "kern/ksock.h"
#include <string.h>

static const struct {
	int type;
	const char *name;
} events[] = {
	{SCTP_ASSOC_CHANGE, "assoc-change"},
	{SCTP_PEER_ADDR_CHANGE, "peer-addr-change"},
	{SCTP_SEND_FAILED_EVENT, "send-failed"},
	{SCTP_SEND_FAILED, "send-failed"},
	{SCTP_REMOTE_ERROR, "remote-error"},
	{SCTP_SHUTDOWN_EVENT, "shutdown"},
	{SCTP_PARTIAL_DELIVERY_EVENT, "partial-delivery"},
	{SCTP_ADAPTATION_INDICATION, "adaptation"},
	{SCTP_AUTHENTICATION_EVENT, "authentication"},
	{SCTP_SENDER_DRY_EVENT, "sender-dry"},
	{SCTP_STREAM_RESET_EVENT, "stream-reset"},
	{SCTP_ASSOC_RESET_EVENT, "assoc-reset"},
	{SCTP_STREAM_CHANGE_EVENT, "stream-change"},
	{SH_EVENT_CHUNK, "chunk"},
};

const char *const sh_event_names[] = {
	"assoc-change", "peer-addr-change", "send-failed", "remote-error", "shutdown",
	"partial-delivery", "adaptation", "authentication", "sender-dry", "stream-reset",
	"assoc-reset", "stream-change", "chunk", NULL,
};

const char *sh_event_name(int type)
{
	for (size_t i = 0; i < sizeof events / sizeof events[0]; i++)
		if (events[i].type == type)
			return events[i].name;
	return "unknown";
}

int sh_event_type(const char *name)
{
	for (size_t i = 0; i < sizeof events / sizeof events[0]; i++)
		if (!strcmp(events[i].name, name))
			return events[i].type;
	return -1;
}

#define PUT(d, k, v) Tcl_DictObjPut(NULL, d, Tcl_NewStringObj(k, -1), v)
#define PUTI(d, k, v) PUT(d, k, Tcl_NewWideIntObj((Tcl_WideInt)(v)))
#define PUTS(d, k, v) PUT(d, k, Tcl_NewStringObj(v, -1))

static const char *assoc_state(int s)
{
	switch (s) {
	case SCTP_COMM_UP: return "comm-up";
	case SCTP_COMM_LOST: return "comm-lost";
	case SCTP_RESTART: return "restart";
	case SCTP_SHUTDOWN_COMP: return "shutdown-comp";
	case SCTP_CANT_STR_ASSOC: return "cant-str-assoc";
	}
	return "unknown";
}

static const char *paddr_state(int s)
{
	switch (s) {
	case SCTP_ADDR_AVAILABLE: return "available";
	case SCTP_ADDR_UNREACHABLE: return "unreachable";
	case SCTP_ADDR_REMOVED: return "removed";
	case SCTP_ADDR_ADDED: return "added";
	case SCTP_ADDR_MADE_PRIM: return "made-primary";
	case SCTP_ADDR_CONFIRMED: return "confirmed";
	case SCTP_ADDR_POTENTIALLY_FAILED: return "potentially-failed";
	}
	return "unknown";
}

typedef struct flagname {
	unsigned bit;
	const char *name;
} flagname;

static Tcl_Obj *flags_list(unsigned v, const flagname *tab, int n)
{
	Tcl_Obj *l = Tcl_NewListObj(0, NULL);
	for (int i = 0; i < n; i++)
		if (v & tab[i].bit)
			Tcl_ListObjAppendElement(NULL, l, Tcl_NewStringObj(tab[i].name, -1));
	return l;
}

Tcl_Obj *sh_notif_dict(const void *buf, size_t len, int *type, int *assoc)
{
	const union sctp_notification *n = buf;
	Tcl_Obj *d = Tcl_NewDictObj();
	*type = len >= sizeof(n->sn_header) ? n->sn_header.sn_type : -1;
	*assoc = 0;
	PUTS(d, "event", sh_event_name(*type));
	switch (*type) {
	case SCTP_ASSOC_CHANGE: {
		const struct sctp_assoc_change *a = &n->sn_assoc_change;
		*assoc = (int)a->sac_assoc_id;
		PUTI(d, "assoc", a->sac_assoc_id);
		PUTS(d, "state", assoc_state(a->sac_state));
		PUTI(d, "error", a->sac_error);
		PUTI(d, "outstreams", a->sac_outbound_streams);
		PUTI(d, "instreams", a->sac_inbound_streams);
		/* RFC 6458 §6.1.1: sac_info lists the supported features on COMM_UP */
		Tcl_Obj *feat = Tcl_NewListObj(0, NULL);
		size_t il = a->sac_length > sizeof *a ? a->sac_length - sizeof *a : 0;
		static const char *fn[] = {"", "pr", "auth", "asconf", "multibuf", "reconfig"};
		if (a->sac_state == SCTP_COMM_UP || a->sac_state == SCTP_RESTART)
			for (size_t i = 0; i < il && i + sizeof *a < len; i++)
				if (a->sac_info[i] >= 1 && a->sac_info[i] <= 5)
					Tcl_ListObjAppendElement(NULL, feat, Tcl_NewStringObj(fn[a->sac_info[i]], -1));
		Tcl_Size nf;
		Tcl_ListObjLength(NULL, feat, &nf);
		if (nf) /* Linux 6.1 fills no sac_info on COMM_UP: then say nothing */
			PUT(d, "features", feat);
		else {
			Tcl_IncrRefCount(feat);
			Tcl_DecrRefCount(feat); /* frees the unused empty list */
		}
		break;
	}
	case SCTP_PEER_ADDR_CHANGE: {
		const struct sctp_paddr_change *p = &n->sn_paddr_change;
		*assoc = (int)p->spc_assoc_id;
		PUTI(d, "assoc", p->spc_assoc_id);
		PUT(d, "addr", sh_addr_obj((const struct sockaddr *)&p->spc_aaddr));
		PUTS(d, "state", paddr_state(p->spc_state));
		PUTI(d, "error", p->spc_error);
		break;
	}
	case SCTP_SEND_FAILED_EVENT: {
		const struct sctp_send_failed_event *f = &n->sn_send_failed_event;
		*assoc = (int)f->ssf_assoc_id;
		PUTI(d, "assoc", f->ssf_assoc_id);
		PUTS(d, "sent", (f->ssf_flags & SCTP_DATA_SENT) ? "sent" : "unsent");
		PUTI(d, "error", f->ssf_error);
		PUTI(d, "stream", f->ssfe_info.snd_sid);
		PUTI(d, "ppid", ntohl(f->ssfe_info.snd_ppid));
		size_t dl = f->ssf_length > sizeof *f ? f->ssf_length - sizeof *f : 0;
		if (dl > len - sizeof *f)
			dl = len > sizeof *f ? len - sizeof *f : 0;
		PUT(d, "data", Tcl_NewByteArrayObj(f->ssf_data, (Tcl_Size)dl));
		break;
	}
	case SCTP_REMOTE_ERROR: {
		const struct sctp_remote_error *r = &n->sn_remote_error;
		*assoc = (int)r->sre_assoc_id;
		PUTI(d, "assoc", r->sre_assoc_id);
		PUTI(d, "cause", ntohs(r->sre_error));
		break;
	}
	case SCTP_SHUTDOWN_EVENT:
		*assoc = (int)n->sn_shutdown_event.sse_assoc_id;
		PUTI(d, "assoc", *assoc);
		break;
	case SCTP_PARTIAL_DELIVERY_EVENT: {
		const struct sctp_pdapi_event *p = &n->sn_pdapi_event;
		*assoc = (int)p->pdapi_assoc_id;
		PUTI(d, "assoc", p->pdapi_assoc_id);
		PUTS(d, "indication", p->pdapi_indication == SCTP_PARTIAL_DELIVERY_ABORTED ? "aborted" : "other");
		PUTI(d, "stream", p->pdapi_stream);
		PUTI(d, "seq", p->pdapi_seq);
		break;
	}
	case SCTP_ADAPTATION_INDICATION:
		*assoc = (int)n->sn_adaptation_event.sai_assoc_id;
		PUTI(d, "assoc", *assoc);
		PUTI(d, "indication", n->sn_adaptation_event.sai_adaptation_ind);
		break;
	case SCTP_AUTHENTICATION_EVENT: {
		const struct sctp_authkey_event *a = &n->sn_authkey_event;
		*assoc = (int)a->auth_assoc_id;
		PUTI(d, "assoc", a->auth_assoc_id);
		PUTI(d, "keynumber", a->auth_keynumber);
		PUTS(d, "indication", a->auth_indication == SCTP_AUTH_NEW_KEY ? "new-key"
				      : a->auth_indication == SCTP_AUTH_FREE_KEY ? "free-key"
				      : a->auth_indication == SCTP_AUTH_NO_AUTH ? "no-auth" : "other");
		break;
	}
	case SCTP_SENDER_DRY_EVENT:
		*assoc = (int)n->sn_sender_dry_event.sender_dry_assoc_id;
		PUTI(d, "assoc", *assoc);
		break;
	case SCTP_STREAM_RESET_EVENT: {
		const struct sctp_stream_reset_event *r = &n->sn_strreset_event;
		static const flagname fl[] = {
			{SCTP_STREAM_RESET_INCOMING_SSN, "incoming"}, {SCTP_STREAM_RESET_OUTGOING_SSN, "outgoing"},
			{SCTP_STREAM_RESET_DENIED, "denied"}, {SCTP_STREAM_RESET_FAILED, "failed"}};
		*assoc = (int)r->strreset_assoc_id;
		PUTI(d, "assoc", r->strreset_assoc_id);
		PUT(d, "flags", flags_list(r->strreset_flags, fl, 4));
		Tcl_Obj *l = Tcl_NewListObj(0, NULL);
		size_t ns = r->strreset_length > sizeof *r ? (r->strreset_length - sizeof *r) / 2 : 0;
		for (size_t i = 0; i < ns && sizeof *r + 2 * (i + 1) <= len; i++)
			Tcl_ListObjAppendElement(NULL, l, Tcl_NewIntObj(r->strreset_stream_list[i]));
		PUT(d, "streams", l);
		break;
	}
	case SCTP_ASSOC_RESET_EVENT: {
		const struct sctp_assoc_reset_event *r = &n->sn_assocreset_event;
		static const flagname fl[] = {
			{SCTP_ASSOC_RESET_DENIED, "denied"}, {SCTP_ASSOC_RESET_FAILED, "failed"}};
		*assoc = (int)r->assocreset_assoc_id;
		PUTI(d, "assoc", *assoc);
		PUT(d, "flags", flags_list(r->assocreset_flags, fl, 2));
		PUTI(d, "local-tsn", r->assocreset_local_tsn);
		PUTI(d, "remote-tsn", r->assocreset_remote_tsn);
		break;
	}
	case SCTP_STREAM_CHANGE_EVENT: {
		const struct sctp_stream_change_event *r = &n->sn_strchange_event;
		static const flagname fl[] = {
			{SCTP_STREAM_CHANGE_DENIED, "denied"}, {SCTP_STREAM_CHANGE_FAILED, "failed"}};
		*assoc = (int)r->strchange_assoc_id;
		PUTI(d, "assoc", *assoc);
		PUT(d, "flags", flags_list(r->strchange_flags, fl, 2));
		PUTI(d, "instreams", r->strchange_instrms);
		PUTI(d, "outstreams", r->strchange_outstrms);
		break;
	}
	default:
		PUTI(d, "type", *type);
	}
	return d;
}
