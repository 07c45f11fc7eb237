/*
 * check_metrics.c: src/metrics: the counters the metrics keep from the
 * tracker's observations, and the Prometheus text they render.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "core/addr.h"
#include "decode/decode.h"
#include "metrics/metrics.h"
#include "sip/sip.h"
#include "stats/stats.h"
#include "track/track.h"

#include "fixtures.h"

/* Metrics: families, histogram buckets, escaping. */
START_TEST(test_metrics_render)
{
	struct metrics_src	 ms;
	struct metrics_obs	*o;
	struct stats		 st;
	struct sip_msg		*m;
	struct sw_addr		 a, b;
	struct track		*tr;
	enum sip_error		 err;
	static const char	 ringing[] =
	    "SIP/2.0 180 Ringing\r\n"
	    "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-1\r\n"
	    "From: <sip:alice@192.0.2.1>;tag=a1\r\n"
	    "To: <sip:bob@192.0.2.2>;tag=b1\r\n"
	    "Call-ID: c1@192.0.2.1\r\n"
	    "CSeq: 1 INVITE\r\n"
	    "Content-Length: 0\r\n\r\n";
	static const char	 ok[] =
	    "SIP/2.0 200 OK\r\n"
	    "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-1\r\n"
	    "From: <sip:alice@192.0.2.1>;tag=a1\r\n"
	    "To: <sip:bob@192.0.2.2>;tag=b1\r\n"
	    "Call-ID: c1@192.0.2.1\r\n"
	    "CSeq: 1 INVITE\r\n"
	    "Content-Length: 0\r\n\r\n";
	char			*text;
	size_t			 len;

	sip_global_init();
	fixture_addr(&a, "192.0.2.1:5060");
	fixture_addr(&b, "192.0.2.2:5060");
	o = metrics_obs_create();
	/* The metrics are a view of the tracker's observations. */
	tr = track_create(NULL, NULL, NULL);
	ck_assert_int_eq(track_subscribe(tr, metrics_obs_observe, o), 0);
	ck_assert_int_eq(sip_parse((const uint8_t *)fixture_invite, sizeof fixture_invite - 1,
	    &m, &err), 0);
	track_message(tr, m, 1000000, &a, &b, DECODE_TP_UDP, 0);
	sip_msg_free(m);
	ck_assert_int_eq(sip_parse((const uint8_t *)ringing,
	    sizeof ringing - 1, &m, &err), 0);
	track_message(tr, m, 1300000, &b, &a, DECODE_TP_UDP, 0); /* PDD 0.3 s */
	track_message(tr, m, 1400000, &b, &a, DECODE_TP_UDP,
	    TRACK_F_RETRANS);				/* again: once */
	sip_msg_free(m);
	ck_assert_int_eq(sip_parse((const uint8_t *)ok, sizeof ok - 1, &m,
	    &err), 0);
	track_message(tr, m, 3500000, &b, &a, DECODE_TP_UDP, 0); /* setup 2.5 s */
	sip_msg_free(m);
	track_destroy(tr);

	memset(&st, 0, sizeof st);
	stats_count_request(&st, "INV\"ITE", 7);
	stats_count_response(&st, 180);
	memset(&ms, 0, sizeof ms);
	ms.stats = &st;
	ms.obs = o;
	text = metrics_render(&ms, &len);
	ck_assert_uint_eq(strlen(text), len);
	ck_assert_ptr_nonnull(strstr(text,
	    "# TYPE sipwatch_sip_requests_total counter\n"));
	ck_assert_ptr_nonnull(strstr(text,
	    "sipwatch_sip_requests_total{method=\"INV\\\"ITE\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(text,
	    "sipwatch_sip_responses_total{code=\"180\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(text,
	    "sipwatch_peer_responses_total{peer=\"192.0.2.2\",class=\"1xx\"} 2\n"));
	ck_assert_ptr_nonnull(strstr(text,
	    "sipwatch_peer_responses_total{peer=\"192.0.2.2\",class=\"2xx\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(text,
	    "sipwatch_call_pdd_seconds_bucket{le=\"0.25\"} 0\n"));
	ck_assert_ptr_nonnull(strstr(text,
	    "sipwatch_call_pdd_seconds_bucket{le=\"0.5\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(text,
	    "sipwatch_call_pdd_seconds_count 1\n"));
	ck_assert_ptr_nonnull(strstr(text,
	    "sipwatch_call_setup_seconds_bucket{le=\"2\"} 0\n"));
	ck_assert_ptr_nonnull(strstr(text,
	    "sipwatch_call_setup_seconds_bucket{le=\"3\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(text,
	    "sipwatch_call_setup_seconds_bucket{le=\"+Inf\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(text,
	    "sipwatch_call_setup_seconds_sum 2.500000\n"));
	free(text);
	metrics_obs_destroy(o);
}
END_TEST


static Suite *
metrics_suite(void)
{
	Suite	*s = suite_create("metrics");
	TCase	*tc = tcase_create("metrics");

	tcase_add_test(tc, test_metrics_render);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr = srunner_create(metrics_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
