/*
 * check_alert_file.c: the JSON-lines alert sink when writes fail.  A
 * full disk is imitated with RLIMIT_FSIZE (writes past the limit fail
 * with EFBIG, the first one part-way), which needs no privilege.
 * - every line in the file is whole JSON;
 * - alerts that could not be written are kept and written, in order,
 *   once writing works again; those the backlog could not keep are
 *   marked by one "lost" line where they were missing;
 * - the sink's figures add up: sent + failed + dropped + queued = given.
 */
#include "config.h"

#include <sys/resource.h>

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "alert/alert.h"
#include "core/sink.h"
#include "core/xmalloc.h"
#include "fixtures.h"

#define NALERTS		5000
#define BACKLOG		4096	/* ALERT_FILE_BACKLOG */

static char	tmpdir[] = "/tmp/check_alert_file.XXXXXX";

static void
emit(struct alert_out *out, int i)
{
	struct alert	a;
	char		cid[32];

	snprintf(cid, sizeof cid, "c%d", i);
	alert_init(&a, (int64_t)i * 1000000, "global-failure", ALERT_ERROR,
	    cid, strlen(cid), "192.0.2.1:5060", "192.0.2.2:5060", "INVITE",
	    603);
	alert_out_emit(out, &a);
	alert_clear(&a);
}

START_TEST(test_json_full_disk)
{
	struct alert_out	*out;
	struct sw_sink		 k;
	struct rlimit		 old, small;
	json_t			*o;
	json_error_t		 jerr;
	FILE			*fp;
	char			 path[256], line[8192], *cause = NULL, cid[32];
	int			 i, n = 0, whole = -1, lost = -1, next = 0;

	signal(SIGXFSZ, SIG_IGN);
	snprintf(path, sizeof path, "%s/a.json", tmpdir);
	out = alert_out_create();
	ck_assert_msg(alert_out_add(out, &alert_sink_json, path, &cause) == 0,
	    "%s", cause);
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
	small = old;
	small.rlim_cur = 20000;
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
	for (i = 0; i < NALERTS; i++)
		emit(out, i);
	ck_assert_uint_eq(alert_out_sinks(out, &k, 1), 1);
	ck_assert_uint_eq(k.queued, BACKLOG);
	ck_assert_uint_eq(k.sent + k.dropped + k.queued, NALERTS);
	/* Space again; the retry is due a second after the failure. */
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
	sleep(1);
	usleep(300000);
	alert_out_flush(out);
	emit(out, NALERTS);
	ck_assert_uint_eq(alert_out_sinks(out, &k, 1), 1);
	ck_assert_str_eq(k.kind, "alerts-json");
	ck_assert_uint_eq(k.queued, 0);
	ck_assert_uint_eq(k.failed, 0);
	ck_assert_uint_eq(k.sent + k.dropped, NALERTS + 1);
	ck_assert_uint_gt(k.dropped, 0);
	alert_out_close(out);

	/* Whole lines, in order, the gap marked where it is. */
	ck_assert_ptr_nonnull(fp = fopen(path, "r"));
	while (fgets(line, sizeof line, fp) != NULL) {
		ck_assert_msg(line[strlen(line) - 1] == '\n', "line %d cut", n);
		o = json_loads(line, 0, &jerr);
		ck_assert_msg(o != NULL, "line %d: %s", n, jerr.text);
		if (strcmp(json_string_value(json_object_get(o, "event")),
		    "raise") != 0) {
			ck_assert_int_eq(lost, -1);
			ck_assert_str_eq(json_string_value(json_object_get(o,
			    "event")), "lost");
			ck_assert_str_eq(json_string_value(json_object_get(o,
			    "rule")), "alerts-lost");
			lost = (int)json_integer_value(json_object_get(o,
			    "count"));
			ck_assert_int_eq(lost, (int)k.dropped);
			/* Its times: the first and last alerts missing. */
			ck_assert(json_real_value(json_object_get(o, "time")) ==
			    (double)next);
			ck_assert(json_real_value(json_object_get(o, "first")) ==
			    (double)next);
			ck_assert(json_real_value(json_object_get(o, "last")) ==
			    (double)(next + lost - 1));
			whole = n;
			next += lost;
		} else {
			snprintf(cid, sizeof cid, "c%d", next);
			ck_assert_str_eq(json_string_value(json_object_get(o,
			    "call_id")), cid);
			next++;
		}
		json_decref(o);
		n++;
	}
	fclose(fp);
	ck_assert_int_ge(whole, 1);
	ck_assert_int_eq(next, NALERTS + 1);
	ck_assert_int_eq(n - 1, (int)k.sent);
}
END_TEST

/* Standard output that cannot be written: counted, never a crash. */
START_TEST(test_text_unwritable)
{
	struct alert_out	*out;
	struct sw_sink		 k;
	char			 path[256], *cause = NULL;

	snprintf(path, sizeof path, "/dev/full");
	out = alert_out_create();
	ck_assert_msg(alert_out_add(out, &alert_sink_text, path, &cause) == 0,
	    "%s", cause);
	emit(out, 1);
	emit(out, 2);
	alert_out_drain(out);
	ck_assert_uint_eq(alert_out_sinks(out, &k, 1), 1);
	ck_assert_uint_eq(k.sent, 0);
	ck_assert_uint_eq(k.failed, 2);
	ck_assert_uint_eq(k.queued, 0);
	alert_out_close(out);
}
END_TEST

static Suite *
alert_file_suite(void)
{
	Suite	*s = suite_create("alert-file");
	TCase	*tc = tcase_create("writes");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_json_full_disk);
	tcase_add_test(tc, test_text_unwritable);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (fixture_run_in_tmpdir(alert_file_suite(), tmpdir,
	    CK_FORK_GETENV));
}
