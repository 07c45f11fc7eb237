/*
 * check_engine.c: src/engine: one run of sipwatch on a capture file as
 * main.c starts it (engine_run()): the report it prints, the alert lines
 * the incidents become, the exit status for a capture that cannot be
 * opened, the same report whatever the number of parse workers, and the
 * rate limit in front of every sink (engine_svc).
 *
 * Each test runs in its own process (Check's fork mode): engine_run()
 * writes the report on standard output, which the test sends to a file.
 */
#include "config.h"

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <jansson.h>

#include "engine/engine.h"
#include "sip/sip.h"

static char *
srcdir_path(const char *rel)
{
	const char	*top;

	top = getenv("top_srcdir");
	if (top == NULL || *top == '\0')
		top = SW_TOP_SRCDIR;
	return (g_strdup_printf("%s/%s", top, rel));
}

/* The options main.c starts from, reading pcaps/NAME. */
static void
opts_for(struct engine_opts *o, const char *pcap, char **path,
    char **datadir)
{
	char	*rel;

	memset(o, 0, sizeof *o);
	rel = g_strdup_printf("pcaps/%s", pcap);
	*path = srcdir_path(rel);
	g_free(rel);
	*datadir = srcdir_path("data");
	o->capture.file = *path;
	o->capture.promisc = 1;
	o->datadir = *datadir;
	track_opts_default(&o->track);
	engine_svc_opts_default(&o->svc);
}

/*
 * Run O with standard output in a file; return what was written (caller
 * frees) and the exit status in *STATUS.
 */
static char *
run_captured(const struct engine_opts *o, int *status)
{
	char	 tmpl[] = "/tmp/check_engine.XXXXXX";
	char	*out;
	gsize	 len;
	int	 fd, saved;

	fd = mkstemp(tmpl);
	ck_assert_int_ge(fd, 0);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_ge(dup2(fd, STDOUT_FILENO), 0);
	*status = engine_run(o);
	fflush(stdout);
	ck_assert_int_ge(dup2(saved, STDOUT_FILENO), 0);
	close(saved);
	close(fd);
	ck_assert(g_file_get_contents(tmpl, &out, &len, NULL));
	unlink(tmpl);
	return (out);
}

/* The report of a run, without what depends on the machine or the time. */
static json_t *
report_of(const char *out)
{
	json_error_t	 err;
	json_t		*r;

	r = json_loads(out, 0, &err);
	ck_assert_msg(r != NULL, "report is not JSON: %s", err.text);
	json_object_del(r, "performance");
	json_object_del(r, "source");
	return (r);
}

/* Lines of alert file PATH whose "rule" is RULE and "event" is EVENT. */
static int
count_alerts(const char *path, const char *rule, const char *event)
{
	char		*text, **lines;
	json_t		*a;
	int		 i, n = 0;

	ck_assert(g_file_get_contents(path, &text, NULL, NULL));
	lines = g_strsplit(text, "\n", -1);
	for (i = 0; lines[i] != NULL; i++) {
		if (*lines[i] == '\0')
			continue;
		a = json_loads(lines[i], 0, NULL);
		ck_assert_msg(a != NULL, "alert line is not JSON: %s",
		    lines[i]);
		if (strcmp(json_string_value(json_object_get(a, "rule")),
		    rule) == 0 &&
		    strcmp(json_string_value(json_object_get(a, "event")),
		    event) == 0)
			n++;
		json_decref(a);
	}
	g_strfreev(lines);
	g_free(text);
	return (n);
}

/*
 * retry-after-violation.pcap: a client gets 503 with Retry-After: 30 and
 * sends a new INVITE 5.1 s later (tshark counts 6 SIP messages: INVITE,
 * 503, ACK twice).  The report counts them, the incident is raised once
 * and closed by its last update at the end of the capture.
 */
START_TEST(test_run_report_and_alerts)
{
	struct engine_opts	 o;
	char			*path, *datadir, *out, alerts[] =
				    "/tmp/check_engine_alerts.XXXXXX";
	json_t			*r, *sip, *inc;
	int			 status, fd;

	fd = mkstemp(alerts);
	ck_assert_int_ge(fd, 0);
	close(fd);
	opts_for(&o, "retry-after-violation.pcap", &path, &datadir);
	o.report = ENGINE_REPORT_JSON;
	o.alerts = alerts;
	o.workers = 0;
	out = run_captured(&o, &status);
	ck_assert_int_eq(status, 0);
	r = report_of(out);
	sip = json_object_get(r, "sip");
	ck_assert_int_eq(json_integer_value(json_object_get(sip,
	    "messages")), 6);
	ck_assert_int_eq(json_integer_value(json_object_get(
	    json_object_get(sip, "requests"), "INVITE")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(
	    json_object_get(sip, "responses"), "503")), 2);
	inc = json_object_get(r, "incidents");
	ck_assert_ptr_nonnull(inc);
	ck_assert_int_eq(count_alerts(alerts, "retry-after-violation",
	    "raise"), 1);
	/* No other rule speaks about this capture. */
	ck_assert_int_eq(count_alerts(alerts, "bad-gateway", "raise"), 0);
	ck_assert_int_eq(count_alerts(alerts, "invite-timeout", "raise"), 0);
	json_decref(r);
	unlink(alerts);
	g_free(out);
	g_free(path);
	g_free(datadir);
}
END_TEST

/*
 * The parse workers change only where parsing runs: the tracker sees the
 * messages in capture order, so the report is the same with none, one or
 * two workers (on a capture with retransmissions, transactions and an
 * incident).
 */
START_TEST(test_run_workers_same_report)
{
	struct engine_opts	 o;
	char			*path, *datadir, *out, *a, *b;
	json_t			*r0, *r2;
	int			 status;

	opts_for(&o, "invite-timeout.pcap", &path, &datadir);
	o.report = ENGINE_REPORT_JSON;
	o.workers = 0;
	out = run_captured(&o, &status);
	ck_assert_int_eq(status, 0);
	r0 = report_of(out);
	g_free(out);
	o.workers = 2;
	out = run_captured(&o, &status);
	ck_assert_int_eq(status, 0);
	r2 = report_of(out);
	g_free(out);
	a = json_dumps(r0, JSON_SORT_KEYS);
	b = json_dumps(r2, JSON_SORT_KEYS);
	ck_assert_str_eq(a, b);
	ck_assert_int_gt(json_integer_value(json_object_get(
	    json_object_get(r0, "sip"), "retransmissions")), 0);
	free(a);
	free(b);
	json_decref(r0);
	json_decref(r2);
	g_free(path);
	g_free(datadir);
}
END_TEST

/*
 * A capture that cannot be opened (a missing file, a filter libpcap
 * cannot compile): exit status 1, no report printed.
 */
static const struct {
	const char	*pcap;
	const char	*filter;
} open_failures[] = {
	{ "no-such-capture.pcap", NULL },
	{ "call-normal.pcap", "port port" },
};

START_TEST(test_run_open_failure)
{
	struct engine_opts	 o;
	char			*path, *datadir, *out;
	int			 status;

	opts_for(&o, open_failures[_i].pcap, &path, &datadir);
	o.report = ENGINE_REPORT_JSON;
	o.capture.filter = open_failures[_i].filter;
	out = run_captured(&o, &status);
	ck_assert_int_eq(status, 1);
	ck_assert_str_eq(out, "");
	g_free(out);
	g_free(path);
	g_free(datadir);
}
END_TEST

/*
 * --alert-rate in front of every sink: with a limit of one line a
 * second and a bucket of one, the scanner capture's burst of incident
 * lines is cut, and the report's alert_rate section counts what was
 * held back; the alert file holds exactly the lines let through.
 */
START_TEST(test_run_rate_limit)
{
	struct engine_opts	 o;
	char			*path, *datadir, *out, *text, alerts[] =
				    "/tmp/check_engine_rate.XXXXXX";
	json_t			*r, *rate;
	json_int_t		 lines, lost;
	int			 status, fd, n, i;

	fd = mkstemp(alerts);
	ck_assert_int_ge(fd, 0);
	close(fd);
	opts_for(&o, "server-error-burst.pcap", &path, &datadir);
	o.report = ENGINE_REPORT_JSON;
	o.alerts = alerts;
	o.svc.rate = 1;
	o.svc.rate_burst = 1;
	out = run_captured(&o, &status);
	ck_assert_int_eq(status, 0);
	r = report_of(out);
	rate = json_object_get(r, "alert_rate");
	ck_assert_ptr_nonnull(rate);
	lines = json_integer_value(json_object_get(rate, "lines"));
	ck_assert_int_ge(lines, 1);
	ck_assert(g_file_get_contents(alerts, &text, NULL, NULL));
	for (n = 0, i = 0; text[i] != '\0'; i++)
		if (text[i] == '\n')
			n++;
	/* Every line let through is in the file, and only those. */
	lost = json_integer_value(json_object_get(rate, "suppressed"));
	ck_assert_int_eq(n, lines);
	ck_assert_int_gt(lost, 0);
	g_free(text);
	json_decref(r);
	unlink(alerts);
	g_free(out);
	g_free(path);
	g_free(datadir);
}
END_TEST

static Suite *
engine_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("engine");
	tc = tcase_create("run");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_run_report_and_alerts);
	tcase_add_test(tc, test_run_workers_same_report);
	tcase_add_loop_test(tc, test_run_open_failure, 0,
	    (int)(sizeof open_failures / sizeof open_failures[0]));
	tcase_add_test(tc, test_run_rate_limit);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sip_global_init();	/* as main.c does before engine_run() */
	sr = srunner_create(engine_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
