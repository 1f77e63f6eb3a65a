/* Unit tests of shell/addr.c: the address forms every command accepts.
 *   198.51.100.1  198.51.100.1:5000  2001:db8:1::1  [2001:db8:1::1]:5000
 *   lists (connectx): 198.51.100.1,203.0.113.1:5000  [2001:db8:1::1,198.51.100.1]:5000 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include "sctpsh.h"

static char err[256];

static void expect_v4(const struct sockaddr_storage *ss, const char *addr, int port)
{
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
	struct in_addr want;
	assert_int_equal(ss->ss_family, AF_INET);
	assert_int_equal(inet_pton(AF_INET, addr, &want), 1);
	assert_memory_equal(&s4->sin_addr, &want, sizeof want);
	assert_int_equal(ntohs(s4->sin_port), port);
	assert_int_equal(sh_sa_port((const struct sockaddr *)ss), port);
	assert_int_equal(sh_sa_len((const struct sockaddr *)ss), sizeof(struct sockaddr_in));
}

static void expect_v6(const struct sockaddr_storage *ss, const char *addr, int port)
{
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
	struct in6_addr want;
	assert_int_equal(ss->ss_family, AF_INET6);
	assert_int_equal(inet_pton(AF_INET6, addr, &want), 1);
	assert_memory_equal(&s6->sin6_addr, &want, sizeof want);
	assert_int_equal(ntohs(s6->sin6_port), port);
	assert_int_equal(sh_sa_len((const struct sockaddr *)ss), sizeof(struct sockaddr_in6));
}

static void test_v4_plain_and_port(void **st)
{
	(void)st;
	struct sockaddr_storage ss;
	assert_int_equal(sh_addr_parse("198.51.100.1", 5000, &ss, err, sizeof err), 0);
	expect_v4(&ss, "198.51.100.1", 5000);
	assert_int_equal(sh_addr_parse("203.0.113.2:6001", 5000, &ss, err, sizeof err), 0);
	expect_v4(&ss, "203.0.113.2", 6001);
	assert_int_equal(sh_addr_parse("198.51.100.3:0", 5000, &ss, err, sizeof err), 0);
	expect_v4(&ss, "198.51.100.3", 0);
	assert_int_equal(sh_addr_parse("198.51.100.3:65535", 1, &ss, err, sizeof err), 0);
	expect_v4(&ss, "198.51.100.3", 65535);
}

static void test_v6_forms(void **st)
{
	(void)st;
	struct sockaddr_storage ss;
	assert_int_equal(sh_addr_parse("2001:db8:1::1", 5000, &ss, err, sizeof err), 0);
	expect_v6(&ss, "2001:db8:1::1", 5000);
	assert_int_equal(sh_addr_parse("[2001:db8:2::3]:5002", 5000, &ss, err, sizeof err), 0);
	expect_v6(&ss, "2001:db8:2::3", 5002);
	assert_int_equal(sh_addr_parse("[2001:db8:2::3]", 7, &ss, err, sizeof err), 0);
	expect_v6(&ss, "2001:db8:2::3", 7);
	assert_int_equal(sh_addr_parse("::1", 5000, &ss, err, sizeof err), 0);
	expect_v6(&ss, "::1", 5000);
	/* without brackets a trailing :N is part of the IPv6 address, not a port */
	assert_int_equal(sh_addr_parse("2001:db8:1::1:5000", 9, &ss, err, sizeof err), 0);
	expect_v6(&ss, "2001:db8:1::1:5000", 9);
}

static void test_bad_single(void **st)
{
	(void)st;
	static const char *const bad[] = {
		"",			/* empty */
		"198.51.100.256",	/* octet out of range */
		"198.51.100",		/* too short */
		"host.example",		/* names are not resolved */
		"198.51.100.1:70000",	/* port out of range */
		"198.51.100.1:",	/* empty port */
		"198.51.100.1:-1",	/* negative port */
		"198.51.100.1:50x",	/* junk in port */
		"[2001:db8::1",		/* missing ] */
		"[2001:db8::1]x",	/* junk after ] */
		"[2001:db8::1]:",	/* empty port */
		"[198.51.100.999]:1",	/* bad address in brackets */
		"[]:5000",		/* nothing in brackets */
		"198.51.100.1,203.0.113.1", /* a list where one address is expected */
		"2001:db8:::1",		/* malformed IPv6 */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct sockaddr_storage ss;
		err[0] = '\0';
		if (sh_addr_parse(bad[i], 5000, &ss, err, sizeof err) != -1)
			fail_msg("accepted bad address \"%s\"", bad[i]);
		assert_true(strlen(err) > 0); /* always says why */
	}
	struct sockaddr_storage ss;
	assert_int_equal(sh_addr_parse(NULL, 5000, &ss, err, sizeof err), -1);
}

static void test_error_messages(void **st)
{
	(void)st;
	struct sockaddr_storage ss;
	assert_int_equal(sh_addr_parse("198.51.100.1:99999", 5000, &ss, err, sizeof err), -1);
	assert_non_null(strstr(err, "port"));
	assert_int_equal(sh_addr_parse("nonsense", 5000, &ss, err, sizeof err), -1);
	assert_non_null(strstr(err, "nonsense"));
	assert_int_equal(sh_addr_parse("[2001:db8::1", 5000, &ss, err, sizeof err), -1);
	assert_non_null(strstr(err, "]"));
	/* a tiny buffer is truncated, never overrun (ASan watches) */
	char small[8];
	assert_int_equal(sh_addr_parse("nonsense", 5000, &ss, small, sizeof small), -1);
	assert_int_equal(strlen(small), sizeof small - 1);
}

static void test_lists(void **st)
{
	(void)st;
	struct sockaddr_storage a[4];
	int n = -1;
	assert_int_equal(sh_addrs_parse("198.51.100.2,203.0.113.2:5001", 5000, a, 4, &n, err, sizeof err), 0);
	assert_int_equal(n, 2);
	expect_v4(&a[0], "198.51.100.2", 5001); /* the port applies to all */
	expect_v4(&a[1], "203.0.113.2", 5001);
	assert_int_equal(sh_addrs_parse("198.51.100.2,203.0.113.2", 5000, a, 4, &n, err, sizeof err), 0);
	assert_int_equal(n, 2);
	expect_v4(&a[1], "203.0.113.2", 5000);
	assert_int_equal(sh_addrs_parse("[2001:db8:1::2,198.51.100.2]:6000", 5000, a, 4, &n, err, sizeof err),
			 0);
	assert_int_equal(n, 2);
	expect_v6(&a[0], "2001:db8:1::2", 6000);
	expect_v4(&a[1], "198.51.100.2", 6000);
	assert_int_equal(sh_addrs_parse("2001:db8:1::2,2001:db8:2::2", 5000, a, 4, &n, err, sizeof err), 0);
	assert_int_equal(n, 2);
	expect_v6(&a[1], "2001:db8:2::2", 5000);
	/* a single address is a list of one */
	assert_int_equal(sh_addrs_parse("203.0.113.3", 5000, a, 4, &n, err, sizeof err), 0);
	assert_int_equal(n, 1);
}

static void test_bad_lists(void **st)
{
	(void)st;
	struct sockaddr_storage a[2];
	int n;
	assert_int_equal(sh_addrs_parse("198.51.100.1,198.51.100.2,198.51.100.3", 5000, a, 2, &n, err,
					sizeof err), -1);
	assert_non_null(strstr(err, "too many"));
	assert_int_equal(sh_addrs_parse("198.51.100.1,bogus", 5000, a, 2, &n, err, sizeof err), -1);
	assert_non_null(strstr(err, "bogus"));
	assert_int_equal(sh_addrs_parse(",", 5000, a, 2, &n, err, sizeof err), -1);
	assert_int_equal(sh_addrs_parse("[2001:db8::1,198.51.100.1]:x", 5000, a, 2, &n, err, sizeof err), -1);
	/* an over-long text is refused, not truncated */
	char big[2048];
	memset(big, '1', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(sh_addrs_parse(big, 5000, a, 2, &n, err, sizeof err), -1);
}

static void test_format(void **st)
{
	(void)st;
	struct sockaddr_storage ss;
	char b[80];
	assert_int_equal(sh_addr_parse("198.51.100.1:5000", 0, &ss, err, sizeof err), 0);
	assert_string_equal(sh_addr_str((struct sockaddr *)&ss, b, sizeof b), "198.51.100.1");
	assert_string_equal(sh_addrport_str((struct sockaddr *)&ss, b, sizeof b), "198.51.100.1:5000");
	assert_int_equal(sh_addr_parse("[2001:db8:1::1]:5001", 0, &ss, err, sizeof err), 0);
	assert_string_equal(sh_addr_str((struct sockaddr *)&ss, b, sizeof b), "2001:db8:1::1");
	assert_string_equal(sh_addrport_str((struct sockaddr *)&ss, b, sizeof b), "[2001:db8:1::1]:5001");
	/* v4-mapped IPv6 (what a dual-stack socket reports) reads as IPv4 */
	assert_int_equal(sh_addr_parse("[::ffff:198.51.100.2]:5000", 0, &ss, err, sizeof err), 0);
	assert_string_equal(sh_addr_str((struct sockaddr *)&ss, b, sizeof b), "198.51.100.2");
	assert_string_equal(sh_addrport_str((struct sockaddr *)&ss, b, sizeof b), "198.51.100.2:5000");
	/* round trip: what we print parses back to the same thing */
	static const char *const rt[] = {"203.0.113.3:1", "[2001:db8:2::3]:65535", "[::1]:5000"};
	for (size_t i = 0; i < 3; i++) {
		struct sockaddr_storage x, y;
		assert_int_equal(sh_addr_parse(rt[i], 0, &x, err, sizeof err), 0);
		assert_string_equal(sh_addrport_str((struct sockaddr *)&x, b, sizeof b), rt[i]);
		assert_int_equal(sh_addr_parse(b, 0, &y, err, sizeof err), 0);
		assert_memory_equal(&x, &y, sh_sa_len((struct sockaddr *)&x));
	}
	/* an unknown family is named, not misread */
	memset(&ss, 0, sizeof ss);
	ss.ss_family = AF_UNIX;
	assert_string_equal(sh_addr_str((struct sockaddr *)&ss, b, sizeof b), "family1");
	assert_int_equal(sh_sa_port((struct sockaddr *)&ss), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v4_plain_and_port),
		cmocka_unit_test(test_v6_forms),
		cmocka_unit_test(test_bad_single),
		cmocka_unit_test(test_error_messages),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_bad_lists),
		cmocka_unit_test(test_format),
	};
	return cmocka_run_group_tests_name("shell/addr.c", tests, NULL, NULL);
}
