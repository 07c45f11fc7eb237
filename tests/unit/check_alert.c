/*
 * check_alert.c: src/alert: the alert value and its JSON, text and
 * key=value forms, the file sinks, and the rate limit in front of them
 * (alert-rate.c).
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "alert/alert.h"
#include "alert/alert-rate.h"

/* Alerts out of the tracker become JSON lines with the documented keys. */
START_TEST(test_alert_json)
{
	struct alert	 a;
	json_t		*o;

	alert_init(&a, 1700000000123456LL, "refer-no-notify", ALERT_WARNING,
	    "abc@host", 8, "10.0.0.1:5060", "10.0.0.2:5060", "REFER", 202);
	o = alert_to_json(&a);
	ck_assert_str_eq(json_string_value(json_object_get(o, "rule")),
	    "refer-no-notify");
	ck_assert_str_eq(json_string_value(json_object_get(o, "severity")),
	    "warning");
	ck_assert_str_eq(json_string_value(json_object_get(o, "call_id")),
	    "abc@host");
	ck_assert_int_eq(json_integer_value(json_object_get(o, "code")), 202);
	ck_assert(json_real_value(json_object_get(o, "time")) ==
	    1700000000.123456);
	ck_assert_ptr_nonnull(json_object_get(o, "summary"));
	ck_assert_ptr_nonnull(json_object_get(o, "advice"));
	/* Evidence flags only when set. */
	ck_assert_ptr_null(json_object_get(o, "gap"));
	ck_assert_ptr_null(json_object_get(o, "partial_parse"));
	ck_assert_ptr_null(json_object_get(o, "drops_nearby"));
	json_decref(o);
	alert_clear(&a);
}
END_TEST

/*
 * An alert drawn from incomplete evidence says which kind: JSON
 * booleans, and the same names in the key=value line (incomplete=).
 */
START_TEST(test_alert_incomplete)
{
	struct alert	 a;
	json_t		*o;
	char		 buf[ALERT_INCOMPLETE_LEN], *t;

	alert_init(&a, 1700000000123456LL, "invite-timeout", ALERT_ERROR,
	    "abc@host", 8, "10.0.0.1:5060", "10.0.0.2:5060", "INVITE", 0);
	ck_assert_str_eq(alert_incomplete(&a, buf, sizeof buf), "");
	t = alert_format_kv(&a);
	ck_assert_ptr_null(strstr(t, "incomplete="));
	free(t);
	a.partial_parse = 1;
	ck_assert_str_eq(alert_incomplete(&a, buf, sizeof buf),
	    "partial_parse");
	a.drops_nearby = 1;
	ck_assert_str_eq(alert_incomplete(&a, buf, sizeof buf),
	    "partial_parse,drops_nearby");
	a.gap = 1;
	ck_assert_str_eq(alert_incomplete(&a, buf, sizeof buf),
	    "gap,partial_parse,drops_nearby");
	a.partial_parse = 0;
	ck_assert_str_eq(alert_incomplete(&a, buf, sizeof buf),
	    "gap,drops_nearby");
	o = alert_to_json(&a);
	ck_assert(json_is_true(json_object_get(o, "gap")));
	ck_assert_ptr_null(json_object_get(o, "partial_parse"));
	ck_assert(json_is_true(json_object_get(o, "drops_nearby")));
	json_decref(o);
	t = alert_format_kv(&a);
	ck_assert_ptr_nonnull(strstr(t, " incomplete=gap,drops_nearby "));
	free(t);
	alert_clear(&a);
}
END_TEST


/* The two file sinks: one JSON object per line; one readable line. */
START_TEST(test_alert_sinks)
{
	struct alert_out	*out;
	struct alert		 a;
	char			 path[] = "/tmp/check_alert.XXXXXX", line[4096];
	char			*cause = NULL;
	FILE			*fp;
	json_t			*o;
	json_error_t		 err;
	int			 fd;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	alert_init(&a, 1700000000000001LL, "bad-gateway", ALERT_ERROR, "x@y",
	    3, "192.0.2.1:5060", "192.0.2.2:5060", "INVITE", 502);
	out = alert_out_create();
	ck_assert_int_eq(alert_out_add(out, &alert_sink_json, path, &cause),
	    0);
	ck_assert_int_eq(alert_out_add(out, &alert_sink_text, path, &cause),
	    0);
	alert_out_emit(out, &a);
	alert_out_close(out);
	alert_clear(&a);

	fp = fopen(path, "r");
	ck_assert_ptr_nonnull(fp);
	ck_assert_ptr_nonnull(fgets(line, sizeof line, fp));
	o = json_loads(line, 0, &err);
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(json_string_value(json_object_get(o, "rule")),
	    "bad-gateway");
	ck_assert_str_eq(json_string_value(json_object_get(o, "src")),
	    "192.0.2.1:5060");
	json_decref(o);
	ck_assert_ptr_nonnull(fgets(line, sizeof line, fp));
	ck_assert_str_eq(line, "2023-11-14T22:13:20.000001Z error bad-gateway "
	    "x@y 192.0.2.1:5060 -> 192.0.2.2:5060 INVITE 502: \n");
	fclose(fp);
	unlink(path);

	/* An unwritable target is an error with a cause, not a crash. */
	out = alert_out_create();
	ck_assert_int_eq(alert_out_add(out, &alert_sink_json,
	    "/nonexistent/dir/alerts", &cause), -1);
	ck_assert_ptr_nonnull(cause);
	free(cause);
	alert_out_close(out);
}
END_TEST


/* An incident's lines carry its id, subject, count, first and last. */
START_TEST(test_incident_fields)
{
	struct alert	 a;
	json_t		*o;
	char		*t;

	alert_init(&a, 1795000061801000LL, "server-error-burst", ALERT_ERROR,
	    "c@h", 3, "192.0.2.10:5060", "192.0.2.20:5060", "OPTIONS", 503);
	a.event = ALERT_EVENT_UPDATE;
	snprintf(a.incident, sizeof a.incident, "%s", "7c9dc777ef6840bc");
	free(a.subject);
	a.subject = strdup("server 192.0.2.10:5060");
	a.count = 301;
	a.first_us = 1795000001801000LL;
	a.last_us = 1795000061801000LL;
	o = alert_to_json(&a);
	ck_assert_str_eq(json_string_value(json_object_get(o, "event")),
	    "update");
	ck_assert_str_eq(json_string_value(json_object_get(o, "incident")),
	    "7c9dc777ef6840bc");
	ck_assert_str_eq(json_string_value(json_object_get(o, "subject")),
	    "server 192.0.2.10:5060");
	ck_assert_int_eq(json_integer_value(json_object_get(o, "count")), 301);
	ck_assert(json_real_value(json_object_get(o, "first")) ==
	    1795000001.801);
	json_decref(o);
	t = alert_format_text(&a);
	ck_assert_ptr_nonnull(strstr(t, " error update server-error-burst "));
	free(t);
	t = alert_format_kv(&a);
	ck_assert_ptr_nonnull(strstr(t, " event=update incident=7c9dc777ef6840bc "
	    "subject=\"server 192.0.2.10:5060\" count=301 "
	    "first=2026-11-18T11:06:41Z last=2026-11-18T11:07:41Z "));
	free(t);
	alert_clear(&a);
}
END_TEST

/* A sink that counts what reaches it, for the rate limit. */
static int	 counted, counted_suppressed;
static uint64_t	 held_reported;

static void *
count_open(const char *target, char **cause)
{
	(void)target;
	(void)cause;
	return (&counted);
}

static void
count_emit(void *state, const struct alert *a)
{
	(void)state;
	if (a->event == ALERT_EVENT_SUPPRESSED) {
		counted_suppressed++;
		held_reported += a->count;
		ck_assert_str_eq(a->rule, "alert-rate-limit");
	} else
		counted++;
}

static void
count_close(void *state)
{
	(void)state;
}

static const struct alert_sink_ops count_sink = {
	.name = "count",
	.open = count_open,
	.emit = count_emit,
	.close = count_close,
};

/*
 * The token bucket: BURST lines at once, then RATE per second; what it
 * holds back is reported once the bucket is full again, exactly.
 */
START_TEST(test_rate_limit)
{
	struct alert_out	*out = alert_out_create();
	struct alert_rate	*r;
	struct alert		 a;
	char			*cause = NULL;
	json_t			*root;
	int			 i;

	counted = counted_suppressed = 0;
	held_reported = 0;
	ck_assert_int_eq(alert_out_add(out, &count_sink, "", &cause), 0);
	r = alert_rate_create(10, 5, out);
	/* 100 lines within 0.99 s: 5 at once, then one per 100 ms. */
	for (i = 0; i < 100; i++) {
		alert_init(&a, 1000000000000000LL + i * 10000, "global-failure",
		    ALERT_NOTICE, NULL, 0, NULL, NULL, NULL, 603);
		alert_rate_emit(r, &a);
		alert_clear(&a);
	}
	ck_assert_int_eq(counted, 5 + 9);
	ck_assert_int_eq(counted_suppressed, 0);
	/* Quiet: the notice comes once the bucket is full again. */
	alert_rate_advance(r, 1000000000000000LL + 2000000);
	ck_assert_int_eq(counted_suppressed, 1);
	ck_assert_uint_eq(held_reported, 100 - 14);
	alert_rate_finish(r, 1000000000000000LL + 3000000);
	ck_assert_int_eq(counted_suppressed, 1);
	root = json_object();
	alert_rate_report(root, r);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(
	    root, "alert_rate"), "suppressed")), 86);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(
	    json_object_get(root, "alert_rate"), "suppressed_by_rule"),
	    "global-failure")), 86);
	json_decref(root);
	alert_rate_destroy(r);

	/* No limit: everything goes through. */
	counted = 0;
	r = alert_rate_create(0, 0, out);
	for (i = 0; i < 100; i++) {
		alert_init(&a, 1000000000000000LL, "scanner", ALERT_WARNING,
		    NULL, 0, NULL, NULL, NULL, 0);
		alert_rate_emit(r, &a);
		alert_clear(&a);
	}
	ck_assert_int_eq(counted, 100);
	alert_rate_destroy(r);
	alert_out_close(out);
}
END_TEST

static Suite *
alert_suite(void)
{
	Suite	*s = suite_create("alert");
	TCase	*tc = tcase_create("alert");

	tcase_add_test(tc, test_alert_json);
	tcase_add_test(tc, test_alert_incomplete);
	tcase_add_test(tc, test_alert_sinks);
	tcase_add_test(tc, test_incident_fields);
	tcase_add_test(tc, test_rate_limit);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr = srunner_create(alert_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
