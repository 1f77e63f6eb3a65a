/*
 * names.c -- name tables: chunk types, parameter types, error causes,
 * RE-CONFIG results, HMAC identifiers.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "wire.h"

struct wire_name16 {
	uint16_t v;
	const char *name;
};

/* Canonical chunk names (RFC 9260 §3.2, RFC 3758 §3.2, RFC 4895 §4.1,
 * RFC 5061 §4.1, RFC 6525 §3.1, RFC 8260 §2.1/§2.3.1, RFC 4820 §3). */
static const struct wire_name16 wire_chunk_names[] = {
	{ WIRE_CT_DATA, "DATA" },
	{ WIRE_CT_INIT, "INIT" },
	{ WIRE_CT_INIT_ACK, "INIT-ACK" },
	{ WIRE_CT_SACK, "SACK" },
	{ WIRE_CT_HEARTBEAT, "HEARTBEAT" },
	{ WIRE_CT_HEARTBEAT_ACK, "HEARTBEAT-ACK" },
	{ WIRE_CT_ABORT, "ABORT" },
	{ WIRE_CT_SHUTDOWN, "SHUTDOWN" },
	{ WIRE_CT_SHUTDOWN_ACK, "SHUTDOWN-ACK" },
	{ WIRE_CT_ERROR, "ERROR" },
	{ WIRE_CT_COOKIE_ECHO, "COOKIE-ECHO" },
	{ WIRE_CT_COOKIE_ACK, "COOKIE-ACK" },
	{ WIRE_CT_ECNE, "ECNE" },
	{ WIRE_CT_CWR, "CWR" },
	{ WIRE_CT_SHUTDOWN_COMPLETE, "SHUTDOWN-COMPLETE" },
	{ WIRE_CT_AUTH, "AUTH" },
	{ WIRE_CT_NR_SACK, "NR-SACK" },
	{ WIRE_CT_IDATA, "I-DATA" },
	{ WIRE_CT_ASCONF_ACK, "ASCONF-ACK" },
	{ WIRE_CT_RECONFIG, "RE-CONFIG" },
	{ WIRE_CT_PAD, "PAD" },
	{ WIRE_CT_FORWARD_TSN, "FORWARD-TSN" },
	{ WIRE_CT_ASCONF, "ASCONF" },
	{ WIRE_CT_IFORWARD_TSN, "I-FORWARD-TSN" },
};

/* extra spellings accepted by wire_chunk_type_from_name() */
static const struct wire_name16 wire_chunk_aliases[] = {
	{ WIRE_CT_DATA, "PAYLOAD" },
	{ WIRE_CT_INIT_ACK, "INITACK" },
	{ WIRE_CT_HEARTBEAT, "HB" },
	{ WIRE_CT_HEARTBEAT, "HEARTBEAT-REQUEST" },
	{ WIRE_CT_HEARTBEAT_ACK, "HB-ACK" },
	{ WIRE_CT_HEARTBEAT_ACK, "HEARTBEATACK" },
	{ WIRE_CT_SHUTDOWN_ACK, "SHUTDOWNACK" },
	{ WIRE_CT_ERROR, "OPERATION-ERROR" },
	{ WIRE_CT_COOKIE_ECHO, "COOKIE" },
	{ WIRE_CT_COOKIE_ECHO, "COOKIEECHO" },
	{ WIRE_CT_COOKIE_ACK, "COOKIEACK" },
	{ WIRE_CT_ECNE, "ECN-ECHO" },
	{ WIRE_CT_SHUTDOWN_COMPLETE, "SHUTDOWNCOMPLETE" },
	{ WIRE_CT_IDATA, "IDATA" },
	{ WIRE_CT_ASCONF_ACK, "ASCONFACK" },
	{ WIRE_CT_RECONFIG, "RECONFIG" },
	{ WIRE_CT_RECONFIG, "RE-CONFIGURATION" },
	{ WIRE_CT_RECONFIG, "STREAM-RESET" },
	{ WIRE_CT_FORWARD_TSN, "FWD-TSN" },
	{ WIRE_CT_FORWARD_TSN, "FWDTSN" },
	{ WIRE_CT_FORWARD_TSN, "FORWARDTSN" },
	{ WIRE_CT_IFORWARD_TSN, "I-FWD-TSN" },
	{ WIRE_CT_IFORWARD_TSN, "IFWDTSN" },
	{ WIRE_CT_IFORWARD_TSN, "IFORWARD-TSN" },
	{ WIRE_CT_IFORWARD_TSN, "IFORWARDTSN" },
	{ WIRE_CT_NR_SACK, "NRSACK" },
};

#define WIRE_NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *wire_lookup16(const struct wire_name16 *t, size_t n, uint16_t v)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (t[i].v == v)
			return t[i].name;
	return NULL;
}

const char *wire_chunk_type_name(uint8_t type)
{
	const char *s = wire_lookup16(wire_chunk_names, WIRE_NELEM(wire_chunk_names), type);
	return s ? s : "UNKNOWN";
}

/* compare ignoring case, treating '-', '_' and ' ' as the same */
static int wire_name_eq(const char *a, const char *b)
{
	for (;; a++, b++) {
		int ca = (unsigned char)*a, cb = (unsigned char)*b;
		if (ca == '_' || ca == ' ')
			ca = '-';
		if (cb == '_' || cb == ' ')
			cb = '-';
		ca = toupper(ca);
		cb = toupper(cb);
		if (ca != cb)
			return 0;
		if (!ca)
			return 1;
	}
}

int wire_chunk_type_from_name(const char *name)
{
	size_t i;
	char *end;
	unsigned long v;
	if (!name || !*name)
		return -1;
	for (i = 0; i < WIRE_NELEM(wire_chunk_names); i++)
		if (wire_name_eq(name, wire_chunk_names[i].name))
			return wire_chunk_names[i].v;
	for (i = 0; i < WIRE_NELEM(wire_chunk_aliases); i++)
		if (wire_name_eq(name, wire_chunk_aliases[i].name))
			return wire_chunk_aliases[i].v;
	if (isdigit((unsigned char)name[0])) {
		v = strtoul(name, &end, 0);
		if (*end == 0 && v <= 255)
			return (int)v;
	}
	return -1;
}

/* RFC 9260 §3.3.2.1, §3.3.3.1, §3.3.5; RFC 3758 §3.1; RFC 4895 §3;
 * RFC 5061 §4.2; RFC 6525 §4; RFC 4820 §4 (padding); RFC 9653 (zero
 * checksum acceptable). */
static const struct wire_name16 wire_param_names[] = {
	{ WIRE_PT_HEARTBEAT_INFO, "heartbeat-info" },
	{ WIRE_PT_IPV4, "ipv4-address" },
	{ WIRE_PT_IPV6, "ipv6-address" },
	{ WIRE_PT_STATE_COOKIE, "state-cookie" },
	{ WIRE_PT_UNRECOGNIZED, "unrecognized-parameter" },
	{ WIRE_PT_COOKIE_PRESERVATIVE, "cookie-preservative" },
	{ WIRE_PT_HOST_NAME, "host-name-address" },
	{ WIRE_PT_SUPPORTED_ADDR_TYPES, "supported-address-types" },
	{ WIRE_PT_OUT_SSN_RESET, "outgoing-ssn-reset-request" },
	{ WIRE_PT_IN_SSN_RESET, "incoming-ssn-reset-request" },
	{ WIRE_PT_SSN_TSN_RESET, "ssn-tsn-reset-request" },
	{ WIRE_PT_RECONFIG_RESP, "reconfig-response" },
	{ WIRE_PT_ADD_OUT_STREAMS, "add-outgoing-streams-request" },
	{ WIRE_PT_ADD_IN_STREAMS, "add-incoming-streams-request" },
	{ WIRE_PT_ECN_CAPABLE, "ecn-capable" },
	{ WIRE_PT_ZERO_CHECKSUM, "zero-checksum-acceptable" },
	{ WIRE_PT_RANDOM, "random" },
	{ WIRE_PT_CHUNKS, "chunk-list" },
	{ WIRE_PT_HMAC_ALGO, "requested-hmac-algorithm" },
	{ WIRE_PT_PADDING, "padding" },
	{ WIRE_PT_SUPPORTED_EXT, "supported-extensions" },
	{ WIRE_PT_FORWARD_TSN_SUPPORTED, "forward-tsn-supported" },
	{ WIRE_PT_ADD_IP, "add-ip-address" },
	{ WIRE_PT_DEL_IP, "delete-ip-address" },
	{ WIRE_PT_ERROR_CAUSE_IND, "error-cause-indication" },
	{ WIRE_PT_SET_PRIMARY, "set-primary-address" },
	{ WIRE_PT_SUCCESS_IND, "success-indication" },
	{ WIRE_PT_ADAPTATION, "adaptation-layer-indication" },
};

const char *wire_param_type_name(uint16_t type)
{
	return wire_lookup16(wire_param_names, WIRE_NELEM(wire_param_names), type);
}

/* RFC 9260 §3.3.10.1-13, RFC 5061 §4.3, RFC 4895 §4, RFC 6951 §5.? (14) */
static const struct wire_name16 wire_cause_names[] = {
	{ WIRE_EC_INVALID_STREAM, "invalid-stream-identifier" },
	{ WIRE_EC_MISSING_PARAM, "missing-mandatory-parameter" },
	{ WIRE_EC_STALE_COOKIE, "stale-cookie" },
	{ WIRE_EC_OUT_OF_RESOURCE, "out-of-resource" },
	{ WIRE_EC_UNRESOLVABLE_ADDR, "unresolvable-address" },
	{ WIRE_EC_UNRECOGNIZED_CHUNK, "unrecognized-chunk-type" },
	{ WIRE_EC_INVALID_PARAM, "invalid-mandatory-parameter" },
	{ WIRE_EC_UNRECOGNIZED_PARAMS, "unrecognized-parameters" },
	{ WIRE_EC_NO_USER_DATA, "no-user-data" },
	{ WIRE_EC_COOKIE_WHILE_SHUTDOWN, "cookie-received-while-shutting-down" },
	{ WIRE_EC_RESTART_NEW_ADDRS, "restart-with-new-addresses" },
	{ WIRE_EC_USER_ABORT, "user-initiated-abort" },
	{ WIRE_EC_PROTOCOL_VIOLATION, "protocol-violation" },
	{ 14, "restart-with-new-encapsulation-port" },
	{ WIRE_EC_DEL_LAST_ADDR, "delete-last-remaining-ip-address" },
	{ WIRE_EC_RESOURCE_SHORTAGE, "operation-refused-resource-shortage" },
	{ WIRE_EC_DEL_SOURCE_ADDR, "delete-source-ip-address" },
	{ WIRE_EC_ILLEGAL_ASCONF_ACK, "illegal-asconf-ack" },
	{ WIRE_EC_NO_AUTHORIZATION, "request-refused-no-authorization" },
	{ WIRE_EC_UNSUPPORTED_HMAC, "unsupported-hmac-identifier" },
};

const char *wire_cause_name(uint16_t code)
{
	return wire_lookup16(wire_cause_names, WIRE_NELEM(wire_cause_names), code);
}

/* RFC 6525 §4.4, Table "resulttable" */
const char *wire_reconfig_result_name(uint32_t result)
{
	static const char *const r[] = {
		"success-nothing-to-do", "success-performed", "denied",
		"error-wrong-ssn", "error-request-already-in-progress",
		"error-bad-sequence-number", "in-progress",
	};
	return result < WIRE_NELEM(r) ? r[result] : NULL;
}

/* RFC 4895 §3.3 Table 2 */
const char *wire_hmac_name(uint16_t id)
{
	switch (id) {
	case WIRE_HMAC_SHA1:
		return "sha1";
	case WIRE_HMAC_SHA256:
		return "sha256";
	default:
		return NULL;
	}
}
