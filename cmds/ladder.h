/* ladder: the model shared by cmds/ladder.c (input, text ladder, table) and
 * cmds/ladder_svg.c (SVG ladder and TSN plot).  Internal to the family. */
#ifndef LADDER_H
#define LADDER_H

#include "sctpsh.h"
#include <stdint.h>

enum lad_kind { /* colour classes of chunks (and of the arrow: its first non-AUTH chunk) */
	LK_DATA, LK_SACK, LK_HANDSHAKE, LK_SHUTDOWN, LK_ABORT, LK_HEARTBEAT, LK_ASCONF, LK_RECONF,
	LK_FWD, LK_OTHER,
};

typedef struct lad_chunk {
	Tcl_Obj *d;          /* the chunk dict (a reference held by the model) */
	char type[32];       /* "DATA", "SACK", "UNKNOWN-77" */
	char label[240];     /* "DATA TSN=1005 S1 SSN3 8B" */
	enum lad_kind kind;
	int rtx;             /* DATA/I-DATA whose TSN this flow sent before */
	int flow;            /* DATA: its flow; SACK: the flow it acknowledges; else -1 */
} lad_chunk;

typedef struct lad_pkt {
	long num;            /* the pcap frame number, else the packet's ordinal (1-based) */
	double t;            /* seconds (as in the dicts' time) */
	int from, to;        /* column indices */
	char src[64], dst[64];
	int sport, dport;
	uint32_t vtag;
	int first, nch;      /* chunks m->c[first .. first+nch-1] */
	int lost;            /* drawn as a lost arrow (--drops, or a dict key dropped 1) */
	int vtag_bad;        /* the tag is not the one the receiver chose (RFC 9260 §8.5) */
	uint32_t vtag_want;
} lad_pkt;

typedef struct lad_col {
	char key[80];        /* "198.51.100.1", or "127.0.0.1:7000" when both ends share the address */
	int host;            /* index into m->hosts, -1 */
} lad_col;

typedef struct lad_host {
	char name[48];
	int first, n;        /* its columns (contiguous) */
} lad_host;

typedef struct lad_model {
	lad_pkt *p;
	int np;
	lad_chunk *c;
	int nc;
	lad_col *col;
	int ncol;
	lad_host *hosts;
	int nhosts;
	double t0;           /* time of the first packet */
	int nlost, nbadtag;
	char **flowname;     /* "198.51.100.1:5000 -> 198.51.100.2:5000" (host names when known) */
	int *flowassoc;      /* association number (1-based) of each flow */
	int nflow;
} lad_model;

/* Parse a list of chunk dicts into packets and columns.  hosts: the --hosts
 * dict or NULL; drops: a list of packet numbers or NULL.  TCL_ERROR with an
 * {SCTPSH ...} errorCode on bad input; the model is then freed. */
int lad_build(Tcl_Interp *ip, const char *cmd, Tcl_Obj *chunks, Tcl_Obj *hosts, Tcl_Obj *drops,
	      lad_model *m);
void lad_free(lad_model *m);

/* Fields of a chunk dict: NULL / 0 / "" when absent. */
int lad_geti(Tcl_Obj *d, const char *key, Tcl_WideInt *v);
Tcl_Obj *lad_get(Tcl_Obj *d, const char *key);
uint32_t lad_getu(Tcl_Obj *d, const char *key);
const char *lad_gets(Tcl_Obj *d, const char *key);

/* each element of the list field key of d, as a dict, to fn */
#define FOREACH_ELEM(d, key, el, body)                                                       \
	do {                                                                                 \
		Tcl_Obj *l_ = lad_get(d, key), **v_;                                         \
		Tcl_Size n_ = 0;                                                             \
		if (l_ && Tcl_ListObjGetElements(NULL, l_, &n_, &v_) == TCL_OK)              \
			for (Tcl_Size i_ = 0; i_ < n_; i_++) {                               \
				Tcl_Obj *el = v_[i_];                                        \
				body;                                                        \
			}                                                                    \
	} while (0)

/* cmds/ladder_svg.c: the colour class of a chunk type, and its label (the fields
 * that matter; k->rtx must be set first) */
enum lad_kind lad_kind_of(const char *type);
void lad_make_label(lad_chunk *k);

/* Write buf to path; TCL_ERROR "CMD: open(PATH): ENAME (text)" {SCTPSH errno ENAME}. */
int lad_write_file(Tcl_Interp *ip, const char *cmd, const char *path, const char *buf, size_t len);
/* Append to a DString, printf style. */
void lad_printf(Tcl_DString *ds, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Append to a fixed label buffer, cutting with "..." when full. */
void lad_lcat(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* cmds/ladder_svg.c: the text ladder (columns colw characters apart), the SVGs */
void lad_text_ladder(const lad_model *m, int colw, Tcl_DString *out);
void lad_svg_ladder(const lad_model *m, const char *title, Tcl_DString *out);
/* The TSN plot; assoc 0: every association.  Returns a list of flow dicts in *flows. */
int lad_svg_tsn(Tcl_Interp *ip, const lad_model *m, const char *title, int assoc, Tcl_DString *out,
		Tcl_Obj **flows);

#endif
