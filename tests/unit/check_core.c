/*
 * check_core.c: src/core: endpoints (addr.c), the JSON helpers (json.c),
 * RFC 3339 times (timefmt.c), HOST:PORT parsing (hostport.c) and the
 * bounds-checked cursor (cursor.h).
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/addr.h"
#include "core/cursor.h"
#include "core/hostport.h"
#include "core/json.h"
#include "core/timefmt.h"

START_TEST(test_addr_format_parse)
{
	struct sw_addr	a, b;
	char		buf[SW_ADDRSTRLEN];

	ck_assert_int_eq(sw_addr_parse("192.0.2.1:5060", &a), 0);
	ck_assert_int_eq(a.family, 4);
	ck_assert_int_eq(a.port, 5060);
	ck_assert_str_eq(sw_addr_format(&a, buf, sizeof buf),
	    "192.0.2.1:5060");
	ck_assert_str_eq(sw_addr_format_ip(&a, buf, sizeof buf), "192.0.2.1");
	ck_assert_int_eq(sw_addr_parse("[2001:db8::1]:5061", &b), 0);
	ck_assert_int_eq(b.family, 6);
	ck_assert_int_eq(b.port, 5061);
	ck_assert_str_eq(sw_addr_format(&b, buf, sizeof buf),
	    "[2001:db8::1]:5061");
	/* A bare address has port 0; the text round-trips. */
	ck_assert_int_eq(sw_addr_parse("2001:db8::2", &b), 0);
	ck_assert_int_eq(b.port, 0);
	ck_assert_int_eq(sw_addr_parse("10.1.2.3", &b), 0);
	ck_assert_int_eq(b.family, 4);
	/* Refused, and the result zeroed. */
	ck_assert_int_eq(sw_addr_parse("192.0.2.1:65536", &b), -1);
	ck_assert_int_eq(b.family, 0);
	ck_assert_int_eq(sw_addr_parse("192.0.2.1:", &b), -1);
	ck_assert_int_eq(sw_addr_parse("[2001:db8::1", &b), -1);
	ck_assert_int_eq(sw_addr_parse("[2001:db8::1]x", &b), -1);
	ck_assert_int_eq(sw_addr_parse("host.example:5060", &b), -1);
	ck_assert_int_eq(sw_addr_parse("", &b), -1);
	ck_assert_int_eq(sw_addr_parse("1.2.3.4:+5", &b), -1);
}
END_TEST

START_TEST(test_addr_compare_private)
{
	struct sw_addr	a, b;
	static const struct {
		const char	*ip;
		int		 private;
	} v[] = {
		{ "10.0.0.1", 1 }, { "172.16.0.1", 1 }, { "172.31.255.1", 1 },
		{ "172.32.0.1", 0 }, { "192.168.1.1", 1 }, { "127.0.0.1", 1 },
		{ "169.254.1.1", 1 }, { "100.64.0.1", 1 }, { "100.128.0.1", 0 },
		{ "192.0.2.1", 0 }, { "8.8.8.8", 0 }, { "::1", 1 },
		{ "fd00::1", 1 }, { "fe80::1", 1 }, { "2001:db8::1", 0 },
		{ "::ffff:10.0.0.1", 1 }, { "::ffff:8.8.8.8", 0 },
	};
	unsigned	i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		ck_assert_int_eq(sw_addr_parse(v[i].ip, &a), 0);
		ck_assert_msg(sw_addr_is_private(&a) == v[i].private, "%s",
		    v[i].ip);
	}
	ck_assert_int_eq(sw_addr_parse("192.0.2.1:5060", &a), 0);
	ck_assert_int_eq(sw_addr_parse("192.0.2.1:5080", &b), 0);
	ck_assert_int_eq(sw_addr_ip_cmp(&a, &b), 0);
	ck_assert_int_lt(sw_addr_cmp(&a, &b), 0);
	ck_assert_int_gt(sw_addr_cmp(&b, &a), 0);
	ck_assert_int_eq(sw_addr_parse("[::1]:5060", &b), 0);
	ck_assert_int_ne(sw_addr_cmp(&a, &b), 0);
}
END_TEST

START_TEST(test_json_helpers)
{
	json_t	*o = json_object();
	char	*text;

	sw_json_set(o, "n", sw_json_uint(42));
	sw_json_set(o, "big", sw_json_uint(UINT64_MAX));
	/* Not UTF-8: the other bytes become '?'; control characters are
	 * escaped as JSON requires. */
	sw_json_set(o, "s", sw_json_wire("a\xff" "b\x1b"));
	sw_json_set(o, "null", sw_json_wire(NULL));
	text = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
	ck_assert_str_eq(text, "{\"big\":9223372036854775807,\"n\":42,"
	    "\"null\":\"\",\"s\":\"a?b\\u001B\"}");
	free(text);
	json_decref(o);
}
END_TEST

START_TEST(test_timefmt)
{
	char	buf[SW_TIME_LEN];

	ck_assert_str_eq(sw_time_rfc3339(1795000001801000LL, 0, buf,
	    sizeof buf), "2026-11-18T11:06:41Z");
	ck_assert_str_eq(sw_time_rfc3339(1795000001801000LL, 6, buf,
	    sizeof buf), "2026-11-18T11:06:41.801000Z");
	ck_assert_str_eq(sw_time_rfc3339(1795000001801000LL, 3, buf,
	    sizeof buf), "2026-11-18T11:06:41.801Z");
	ck_assert_str_eq(sw_time_rfc3339(0, 6, buf, sizeof buf),
	    "1970-01-01T00:00:00.000000Z");
	/* Before the epoch: the fraction counts forward from the second. */
	ck_assert_str_eq(sw_time_rfc3339(-1, 6, buf, sizeof buf),
	    "1969-12-31T23:59:59.999999Z");
}
END_TEST

START_TEST(test_hostport)
{
	char	*host, *port, *cause;

	ck_assert_int_eq(hostport_parse("192.0.2.1:514", "x", &host, &port,
	    &cause), 0);
	ck_assert_str_eq(host, "192.0.2.1");
	ck_assert_str_eq(port, "514");
	free(host);
	free(port);
	ck_assert_int_eq(hostport_parse("[2001:db8::1]:6514", "x", &host,
	    &port, &cause), 0);
	ck_assert_str_eq(host, "2001:db8::1");
	free(host);
	free(port);
	ck_assert_int_eq(hostport_parse("[]:514", "x", &host, &port, &cause),
	    -1);
	free(cause);
	ck_assert_int_eq(hostport_parse("h:0", "x", &host, &port, &cause),
	    -1);
	free(cause);
	ck_assert_int_eq(hostport_parse("h:123456", "x", &host, &port,
	    &cause), -1);
	free(cause);
	ck_assert_int_eq(hostport_parse("h", "x", &host, &port, &cause), -1);
	ck_assert_ptr_null(host);
	free(cause);
}
END_TEST

START_TEST(test_cursor)
{
	static const uint8_t	 p[] = { 0x01, 0x02, 0x03, 0x04, 0x05 };
	struct cursor		 c;
	uint8_t			 u8, b[4];
	uint16_t		 u16;
	uint32_t		 u32;

	cur_init(&c, p, sizeof p);
	ck_assert_int_eq(cur_get_be16(&c, &u16), 0);
	ck_assert_uint_eq(u16, 0x0102);
	ck_assert_int_eq(cur_get_le16(&c, &u16), 0);
	ck_assert_uint_eq(u16, 0x0403);
	ck_assert_uint_eq(cur_left(&c), 1);
	/* Short reads fail and move nothing. */
	ck_assert_int_eq(cur_get_be16(&c, &u16), -1);
	ck_assert_int_eq(cur_get_be32(&c, &u32), -1);
	ck_assert_int_eq(cur_get_bytes(&c, b, 2), -1);
	ck_assert_int_eq(cur_skip(&c, 2), -1);
	ck_assert_uint_eq(cur_left(&c), 1);
	ck_assert_int_eq(cur_get_u8(&c, &u8), 0);
	ck_assert_uint_eq(u8, 5);
	ck_assert_int_eq(cur_get_u8(&c, &u8), -1);
	cur_init(&c, p, sizeof p);
	ck_assert_int_eq(cur_get_be32(&c, &u32), 0);
	ck_assert_uint_eq(u32, 0x01020304);
}
END_TEST

/* Networks: --local-net's CIDR, the /24 or /48 an attack text names. */
START_TEST(test_cidr)
{
	struct sw_cidr	c;
	struct sw_addr	a;
	char		buf[SW_ADDRSTRLEN];

	ck_assert_int_eq(sw_cidr_parse("192.0.2.77/24", &c), 0);
	ck_assert_int_eq(c.bits, 24);
	ck_assert_int_eq(sw_addr_parse("192.0.2.200:5060", &a), 0);
	ck_assert_int_eq(sw_cidr_match(&c, &a), 1);
	ck_assert_int_eq(sw_addr_parse("192.0.3.1", &a), 0);
	ck_assert_int_eq(sw_cidr_match(&c, &a), 0);
	ck_assert_int_eq(sw_cidr_parse("2001:db8::/32", &c), 0);
	ck_assert_int_eq(sw_addr_parse("[2001:db8:1::5]:5060", &a), 0);
	ck_assert_int_eq(sw_cidr_match(&c, &a), 1);
	ck_assert_int_eq(sw_cidr_parse("10.0.0.1", &c), 0);
	ck_assert_int_eq(c.bits, 32);
	ck_assert_int_eq(sw_cidr_parse("10.0.0.0/33", &c), -1);
	ck_assert_int_eq(sw_cidr_parse("10.0.0.0/", &c), -1);
	ck_assert_int_eq(sw_cidr_parse("10.0.0.0:5060/8", &c), -1);
	ck_assert_int_eq(sw_cidr_parse("nonsense/8", &c), -1);
	ck_assert_int_eq(sw_addr_parse("198.51.100.7:1", &a), 0);
	ck_assert_str_eq(sw_addr_format_net(&a, buf, sizeof buf),
	    "198.51.100.0/24");
}
END_TEST

/* Look-ahead and spans: exact at the end, -1 past it, nothing moved. */
START_TEST(test_cursor_lookahead)
{
	static const uint8_t	 p[] = { 'a', '\n', 0xff, 'b', '\n' };
	struct cursor		 c, sub;
	const uint8_t		*v;
	size_t			 at;

	cur_init(&c, p, sizeof p);
	ck_assert_int_eq(cur_peek(&c, 0), 'a');
	ck_assert_int_eq(cur_peek(&c, 2), 0xff);
	ck_assert_int_eq(cur_peek(&c, 4), '\n');
	ck_assert_int_eq(cur_peek(&c, 5), -1);
	ck_assert_int_eq(cur_peek(&c, SIZE_MAX), -1);

	ck_assert_int_eq(cur_peek_span(&c, 3, 2, &v), 0);
	ck_assert_ptr_eq(v, p + 3);
	ck_assert_int_eq(cur_peek_span(&c, 5, 0, &v), 0);
	ck_assert_int_eq(cur_peek_span(&c, 3, 3, &v), -1);
	ck_assert_int_eq(cur_peek_span(&c, 6, 0, &v), -1);
	ck_assert_int_eq(cur_peek_span(&c, 1, SIZE_MAX, &v), -1);

	ck_assert_int_eq(cur_find(&c, 0, '\n', &at), 0);
	ck_assert_uint_eq(at, 1);
	ck_assert_int_eq(cur_find(&c, 2, '\n', &at), 0);
	ck_assert_uint_eq(at, 4);
	ck_assert_int_eq(cur_find(&c, 5, '\n', &at), -1);
	ck_assert_int_eq(cur_find(&c, 0, 'z', &at), -1);
	ck_assert_uint_eq(cur_left(&c), sizeof p);

	/* Spans and sub-cursors advance only when all their bytes are there. */
	ck_assert_int_eq(cur_get_span(&c, 6, &v), -1);
	ck_assert_int_eq(cur_get_cursor(&c, 6, &sub), -1);
	ck_assert_int_eq(cur_limit(&c, 6), -1);
	ck_assert_uint_eq(cur_left(&c), sizeof p);
	ck_assert_int_eq(cur_get_span(&c, 1, &v), 0);
	ck_assert_ptr_eq(v, p);
	ck_assert_int_eq(cur_get_cursor(&c, 2, &sub), 0);
	ck_assert_uint_eq(cur_left(&sub), 2);
	ck_assert_int_eq(cur_peek(&sub, 1), 0xff);
	ck_assert_int_eq(cur_peek(&sub, 2), -1);
	ck_assert_uint_eq(cur_left(&c), 2);
	ck_assert_int_eq(cur_limit(&c, 1), 0);
	ck_assert_uint_eq(cur_left(&c), 1);
	ck_assert_int_eq(cur_find(&c, 0, '\n', &at), -1);
}
END_TEST

static Suite *
core_suite(void)
{
	Suite	*s = suite_create("core");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_addr_format_parse);
	tcase_add_test(tc, test_addr_compare_private);
	tcase_add_test(tc, test_json_helpers);
	tcase_add_test(tc, test_timefmt);
	tcase_add_test(tc, test_hostport);
	tcase_add_test(tc, test_cursor);
	tcase_add_test(tc, test_cidr);
	tcase_add_test(tc, test_cursor_lookahead);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr = srunner_create(core_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
