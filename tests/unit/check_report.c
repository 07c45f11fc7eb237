/*
 * check_report.c: src/stats and src/report: counting requests by method
 * and responses by code, and the JSON and text reports built from the
 * counters and the sections other modules add.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "decode/decode.h"
#include "report/report.h"
#include "stats/stats.h"

START_TEST(test_stats_counting)
{
	struct stats	st;
	char		name[STATS_METHOD_LEN + 2];
	int		i;

	memset(&st, 0, sizeof st);
	stats_count_request(&st, "INVITE", 6);
	stats_count_request(&st, "INVITE", 6);
	stats_count_request(&st, "OPTIONS", 7);
	stats_count_response(&st, 200);
	stats_count_response(&st, 99);		/* out of range: not a code */
	ck_assert_uint_eq(st.messages, 5);
	ck_assert_uint_eq(st.requests, 3);
	ck_assert_uint_eq(st.nmethods, 2);
	ck_assert_uint_eq(st.methods[0].count, 2);
	ck_assert_uint_eq(st.codes[200], 1);
	/* A method token longer than kept, and more methods than kept. */
	memset(name, 'X', sizeof name);
	stats_count_request(&st, name, sizeof name);
	ck_assert_uint_eq(st.method_other, 1);
	for (i = 0; i < STATS_METHODS_MAX + 3; i++) {
		snprintf(name, sizeof name, "M%d", i);
		stats_count_request(&st, name, strlen(name));
	}
	ck_assert_uint_eq(st.nmethods, STATS_METHODS_MAX);
	ck_assert_uint_gt(st.method_other, 1);
}
END_TEST

static void
extend(json_t *root, void *arg)
{
	json_object_set_new(root, "extra", json_string(arg));
}

START_TEST(test_report_json_text)
{
	struct stats		 st;
	struct decode_stats	 ds;
	struct report_src	 rs;
	json_t			*r, *sip;
	FILE			*fp;
	char			*buf = NULL;
	size_t			 len = 0;

	memset(&st, 0, sizeof st);
	memset(&ds, 0, sizeof ds);
	st.packets = 10;
	st.first_ts_us = 1700000000000000LL;
	st.last_ts_us = 1700000001000000LL;
	stats_count_request(&st, "REGISTER", 8);
	stats_count_response(&st, 401);
	memset(&rs, 0, sizeof rs);
	rs.source_type = "file";
	rs.source_name = "x.pcap";
	rs.stats = &st;
	rs.decode = &ds;
	rs.extend = extend;
	rs.extend_arg = "added";
	r = report_build(&rs);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(r,
	    "source"), "name")), "x.pcap");
	sip = json_object_get(r, "sip");
	ck_assert_int_eq(json_integer_value(json_object_get(sip, "messages")),
	    2);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(
	    sip, "requests"), "REGISTER")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(
	    sip, "responses"), "401")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(r, "extra")),
	    "added");
	json_decref(r);

	fp = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(report_print_text(&rs, fp), 0);
	fclose(fp);
	ck_assert_ptr_nonnull(strstr(buf, "x.pcap"));
	ck_assert_ptr_nonnull(strstr(buf, "REGISTER"));
	free(buf);
}
END_TEST

/*
 * The capture-integrity section: frames dropped, undecodable, SIP
 * messages unreadable or read in part, TCP gaps, the share of frames
 * lost, the reasons; and its line in the text report, with the
 * incidents drawn from incomplete evidence (the tracker's counts).
 */
static void
extend_incidents(json_t *root, void *arg)
{
	json_t	*inc = json_object(), *ev = json_object();

	(void)arg;
	json_object_set_new(ev, "incidents", json_integer(2));
	json_object_set_new(ev, "gap", json_integer(1));
	json_object_set_new(ev, "partial_parse", json_integer(1));
	json_object_set_new(ev, "drops_nearby", json_integer(1));
	json_object_set_new(inc, "count", json_integer(5));
	json_object_set_new(inc, "incomplete_evidence", ev);
	json_object_set_new(root, "incidents", inc);
}

static char *
report_text(const struct report_src *rs)
{
	FILE	*fp;
	char	*buf = NULL;
	size_t	 len = 0;

	fp = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(report_print_text(rs, fp), 0);
	fclose(fp);
	return (buf);
}

START_TEST(test_report_integrity)
{
	struct stats		 st;
	struct decode_stats	 ds;
	struct report_src	 rs;
	json_t			*r, *in;
	char			*text;

	memset(&st, 0, sizeof st);
	memset(&ds, 0, sizeof ds);
	memset(&rs, 0, sizeof rs);
	rs.source_type = "interface";
	rs.source_name = "eth0";
	rs.stats = &st;
	rs.decode = &ds;
	st.packets = 196;
	ds.events[DECODE_EV_L4_OTHER] = 50;	/* ordinary, not a loss */

	/* Nothing lost. */
	r = report_build(&rs);
	in = json_object_get(r, "integrity");
	ck_assert(json_is_true(json_object_get(in, "complete")));
	ck_assert_int_eq(json_integer_value(json_object_get(in,
	    "frames_dropped")), 0);
	ck_assert_int_eq(json_object_size(json_object_get(in, "by_reason")),
	    0);
	json_decref(r);
	text = report_text(&rs);
	ck_assert_ptr_nonnull(strstr(text, "Integrity: complete"));
	free(text);

	st.kernel_drops = 3;
	st.if_drops = 1;
	st.decode_errors = 2;
	ds.events[DECODE_EV_IPV4_TRUNCATED] = 2;
	st.parse_errors = 3;
	st.parse_salvaged = 1;
	ds.events[DECODE_EV_TCP_GAP] = 1;
	ds.tcp_gap_bytes = 300;
	r = report_build(&rs);
	in = json_object_get(r, "integrity");
	ck_assert(json_is_false(json_object_get(in, "complete")));
	ck_assert_int_eq(json_integer_value(json_object_get(in, "frames")),
	    200);
	ck_assert_int_eq(json_integer_value(json_object_get(in,
	    "frames_dropped")), 4);
	ck_assert_int_eq(json_integer_value(json_object_get(in,
	    "frames_undecodable")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(in,
	    "messages_unreadable")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(in,
	    "messages_salvaged")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(in, "tcp_gaps")),
	    1);
	ck_assert_int_eq(json_integer_value(json_object_get(in,
	    "tcp_gap_bytes")), 300);
	/* 4 dropped + 2 undecodable + 2 unreadable of 200 frames. */
	ck_assert(json_real_value(json_object_get(in, "frames_lost_pct")) ==
	    4.0);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(
	    in, "by_reason"), "decode.ipv4.truncated")), 2);
	ck_assert_ptr_null(json_object_get(json_object_get(in, "by_reason"),
	    "decode.l4.other"));
	json_decref(r);

	rs.extend = extend_incidents;
	text = report_text(&rs);
	ck_assert_ptr_nonnull(strstr(text, "Integrity: 8 of 200 frames "
	    "(4.00 %) lost or unreadable: 4 frames dropped by the capture, "
	    "2 undecodable frames, 2 unreadable SIP messages, 1 SIP message "
	    "read in part after a parse error, 1 TCP gap (300 bytes "
	    "missing); by reason: decode.ipv4.truncated 2, decode.tcp.gap "
	    "1\n"));
	ck_assert_ptr_nonnull(strstr(text, "  2 of 5 incidents rest on "
	    "incomplete evidence (gap 1, partial_parse 1, drops_nearby 1)\n"));
	free(text);
}
END_TEST

static Suite *
report_suite(void)
{
	Suite	*s = suite_create("report");
	TCase	*tc = tcase_create("report");

	tcase_add_test(tc, test_stats_counting);
	tcase_add_test(tc, test_report_json_text);
	tcase_add_test(tc, test_report_integrity);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr = srunner_create(report_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
