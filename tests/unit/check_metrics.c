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
#include "media/media.h"
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

/* RTP streams that ended: loss totals and the quality histograms. */
START_TEST(test_metrics_streams)
{
	struct metrics_src		 ms;
	struct metrics_obs		*o;
	struct media_stream_info	 in;
	struct media			*m;
	struct stats			 st;
	char				*text;
	size_t				 len;

	o = metrics_obs_create();
	memset(&in, 0, sizeof in);
	in.expected = 500;
	in.lost = 25;			/* 5 % */
	in.lost_pct = 5.0;
	in.jitter_known = 1;
	in.mean_jitter_ms = 12.5;
	in.quality.known = 1;
	in.quality.mos = 3.3;
	metrics_obs_stream(&in, o);
	in.expected = 100;
	in.lost = -2;			/* duplicates: no loss */
	in.lost_pct = -2.0;
	in.jitter_known = 0;		/* clock rate unknown */
	in.quality.known = 0;		/* codec not scored */
	metrics_obs_stream(&in, o);

	memset(&st, 0, sizeof st);
	memset(&ms, 0, sizeof ms);
	ms.stats = &st;
	ms.obs = o;
	m = media_create(NULL);
	ms.media = m;
	text = metrics_render(&ms, &len);
	ck_assert_ptr_nonnull(strstr(text,
	    "# TYPE sipwatch_rtp_streams_active gauge\n"));
	ck_assert_ptr_nonnull(strstr(text,
	    "sipwatch_rtp_expected_packets_total 600\n"));
	ck_assert_ptr_nonnull(strstr(text,
	    "sipwatch_rtp_lost_packets_total 25\n"));
	ck_assert_ptr_nonnull(strstr(text,
	    "sipwatch_rtp_mos_bucket{le=\"3.1\"} 0\n"));
	ck_assert_ptr_nonnull(strstr(text,
	    "sipwatch_rtp_mos_bucket{le=\"3.6\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(text, "sipwatch_rtp_mos_count 1\n"));
	ck_assert_ptr_nonnull(strstr(text,
	    "sipwatch_rtp_jitter_seconds_bucket{le=\"0.01\"} 0\n"));
	ck_assert_ptr_nonnull(strstr(text,
	    "sipwatch_rtp_jitter_seconds_bucket{le=\"0.02\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(text,
	    "sipwatch_rtp_jitter_seconds_sum 0.012500\n"));
	/* 0 and 5 %: le="0" holds one, le="0.05" both. */
	ck_assert_ptr_nonnull(strstr(text,
	    "sipwatch_rtp_loss_ratio_bucket{le=\"0\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(text,
	    "sipwatch_rtp_loss_ratio_bucket{le=\"0.03\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(text,
	    "sipwatch_rtp_loss_ratio_bucket{le=\"0.05\"} 2\n"));
	ck_assert_ptr_nonnull(strstr(text,
	    "sipwatch_rtp_loss_ratio_count 2\n"));
	free(text);
	media_destroy(m);
	metrics_obs_destroy(o);
}
END_TEST

static Suite *
metrics_suite(void)
{
	Suite	*s = suite_create("metrics");
	TCase	*tc = tcase_create("metrics");

	tcase_add_test(tc, test_metrics_render);
	tcase_add_test(tc, test_metrics_streams);
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
