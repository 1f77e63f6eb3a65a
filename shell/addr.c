/* Address parsing and formatting. Pure functions (no sockets), unit-tested
 * in tests/unit/test_addr.c. Accepted forms:
 *   198.51.100.1   198.51.100.1:5000   2001:db8:1::1   [2001:db8:1::1]:5000
 *   lists for connectx: 198.51.100.1,203.0.113.1:5000  [2001:db8:1::1,198.51.100.1]:5000 */
#include "sctpsh.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

socklen_t sh_sa_len(const struct sockaddr *sa)
{
	return sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
}

int sh_sa_port(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
	if (sa->sa_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)sa)->sin_port);
	return 0;
}

static int parse_port(const char *p, int *port)
{
	char *end;
	long v = strtol(p, &end, 10);
	if (!*p || *end || v < 0 || v > 65535)
		return -1;
	*port = (int)v;
	return 0;
}

/* One bare address (no brackets, no port). */
static int parse_bare(const char *a, int port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, a, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		return 0;
	}
	if (inet_pton(AF_INET6, a, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		return 0;
	}
	return -1;
}

int sh_addrs_parse(const char *text, int defport, struct sockaddr_storage *out, int max, int *n,
		   char *err, size_t errlen)
{
	char buf[1024];
	int port = defport;
	*n = 0;
	if (!text || !*text) {
		snprintf(err, errlen, "empty address: expected ADDR[,ADDR...][:PORT]");
		return -1;
	}
	if (strlen(text) >= sizeof buf) {
		snprintf(err, errlen, "address list too long");
		return -1;
	}
	strcpy(buf, text);
	char *list = buf;
	if (buf[0] == '[') {
		char *close = strchr(buf, ']');
		if (!close) {
			snprintf(err, errlen, "bad address \"%s\": missing ']'", text);
			return -1;
		}
		*close = '\0';
		list = buf + 1;
		if (close[1] == ':') {
			if (parse_port(close + 2, &port)) {
				snprintf(err, errlen, "bad port in \"%s\": expected 0..65535", text);
				return -1;
			}
		} else if (close[1]) {
			snprintf(err, errlen, "bad address \"%s\": junk after ']'", text);
			return -1;
		}
	} else {
		/* a port suffix only when the last element is IPv4 (one colon) */
		char *last = strrchr(buf, ',');
		last = last ? last + 1 : buf;
		char *colon = strchr(last, ':');
		if (colon && colon == strrchr(last, ':')) {
			*colon = '\0';
			if (parse_port(colon + 1, &port)) {
				snprintf(err, errlen, "bad port in \"%s\": expected 0..65535", text);
				return -1;
			}
		}
	}
	char *save = NULL;
	for (char *tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (*n >= max) {
			snprintf(err, errlen, "too many addresses (at most %d)", max);
			return -1;
		}
		if (parse_bare(tok, port, &out[*n])) {
			snprintf(err, errlen,
				 "bad address \"%s\": expected an IPv4 or IPv6 address (e.g. 198.51.100.1, "
				 "2001:db8:1::1, [2001:db8:1::1]:5000)",
				 tok);
			return -1;
		}
		(*n)++;
	}
	if (*n == 0) {
		snprintf(err, errlen, "no address in \"%s\"", text);
		return -1;
	}
	return 0;
}

int sh_addr_parse(const char *text, int defport, struct sockaddr_storage *ss, char *err, size_t errlen)
{
	int n;
	if (text && strchr(text, ',')) {
		snprintf(err, errlen, "bad address \"%s\": expected one address, not a list", text);
		return -1;
	}
	return sh_addrs_parse(text, defport, ss, 1, &n, err, errlen);
}

const char *sh_addr_str(const struct sockaddr *sa, char *buf, size_t len)
{
	const void *a = sa->sa_family == AF_INET6 ? (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr
						   : (const void *)&((const struct sockaddr_in *)sa)->sin_addr;
	if (sa->sa_family != AF_INET && sa->sa_family != AF_INET6) {
		snprintf(buf, len, "family%d", sa->sa_family);
		return buf;
	}
	/* show v4-mapped addresses as plain IPv4: that is what the peer uses */
	if (sa->sa_family == AF_INET6 &&
	    IN6_IS_ADDR_V4MAPPED(&((const struct sockaddr_in6 *)sa)->sin6_addr)) {
		inet_ntop(AF_INET, (const char *)a + 12, buf, len);
		return buf;
	}
	inet_ntop(sa->sa_family, a, buf, len);
	return buf;
}

const char *sh_addrport_str(const struct sockaddr *sa, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	sh_addr_str(sa, a, sizeof a);
	if (sa->sa_family == AF_INET6 && strchr(a, ':'))
		snprintf(buf, len, "[%s]:%d", a, sh_sa_port(sa));
	else
		snprintf(buf, len, "%s:%d", a, sh_sa_port(sa));
	return buf;
}
