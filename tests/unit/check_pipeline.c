/*
 * check_pipeline.c: the parse pipeline hands every message on exactly once,
 * in push order, with the same results whatever the number of workers;
 * the retransmission digests (retrans.c).
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/addr.h"
#include "core/xmalloc.h"
#include "pipeline/pipeline.h"
#include "pipeline/retrans.h"

#define NMSG	5000

struct seen {
	uint64_t	next;		/* frame number expected next */
	unsigned	parsed;
	unsigned	failed;
	unsigned	kept;
	char		*keep;		/* a Call-ID copied by the consumer */
};

static void
consume(struct pipe_item *it, void *arg)
{
	struct seen	*s = arg;
	char		 cid[32];

	ck_assert_uint_eq(it->frame, s->next);
	s->next++;
	if (it->frame % 10 == 0) {
		/* Every tenth payload is garbage. */
		ck_assert_ptr_null(it->msg);
		ck_assert_int_ne(it->err, SIP_ERR_NONE);
		s->failed++;
		return;
	}
	ck_assert_ptr_nonnull(it->msg);
	snprintf(cid, sizeof cid, "call-%llu", (unsigned long long)it->frame);
	ck_assert_str_eq(it->msg->call_id.s, cid);
	ck_assert_uint_eq(it->msg->cseq, (uint32_t)it->frame);
	s->parsed++;
	if (s->keep == NULL) {
		/* What is kept past the call is copied: the storage is reused. */
		s->keep = xstrdup(it->msg->call_id.s);
		s->kept++;
	}
}

static void
run_pipeline(unsigned workers, int kick_every)
{
	struct pipeline		*pl;
	struct seen		 s;
	struct decode_pkt	 pkt;
	char			 buf[512];
	uint64_t		 i;
	int			 n;

	memset(&s, 0, sizeof s);
	s.next = 1;
	pl = pipeline_create(workers, consume, &s);
	memset(&pkt, 0, sizeof pkt);
	for (i = 1; i <= NMSG; i++) {
		if (i % 10 == 0)
			n = snprintf(buf, sizeof buf, "OPTIONS garbage\r\n\r\n");
		else
			n = snprintf(buf, sizeof buf,
			    "OPTIONS sip:a@example.org SIP/2.0\r\n"
			    "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK%llu\r\n"
			    "From: <sip:a@example.org>;tag=1\r\n"
			    "To: <sip:a@example.org>\r\n"
			    "Call-ID: call-%llu\r\nCSeq: %llu OPTIONS\r\n"
			    "Content-Length: 0\r\n\r\n",
			    (unsigned long long)i, (unsigned long long)i,
			    (unsigned long long)i);
		pkt.payload = (const uint8_t *)buf;
		pkt.len = (size_t)n;
		pkt.ts_us = (int64_t)i;
		pipeline_push(pl, &pkt, SIP_DETECT_REQUEST, 0, i);
		/* The payload buffer is reused at once: the push copied it. */
		memset(buf, 'x', sizeof buf);
		if (kick_every > 0 && i % (uint64_t)kick_every == 0) {
			pipeline_kick(pl);
			pipeline_poll(pl);
		}
	}
	pipeline_flush(pl);
	ck_assert_uint_eq(s.next, NMSG + 1);
	ck_assert_uint_eq(s.failed, NMSG / 10);
	ck_assert_uint_eq(s.parsed, NMSG - NMSG / 10);
	ck_assert_uint_eq(s.kept, 1);
	ck_assert_str_eq(s.keep, "call-1");
	free(s.keep);
	pipeline_destroy(pl);
}

START_TEST(test_inline)
{
	run_pipeline(0, 0);
}
END_TEST

START_TEST(test_one_worker)
{
	run_pipeline(1, 0);
}
END_TEST

START_TEST(test_many_workers)
{
	run_pipeline(4, 0);
}
END_TEST

START_TEST(test_live_kicks)
{
	/* Live capture hands over small partial batches. */
	run_pipeline(3, 7);
}
END_TEST

/*
 * A retransmission is the same bytes between the same two endpoints
 * within the window; other bytes, the other direction, or later, are not.
 */
START_TEST(test_retrans)
{
	struct retrans	*rt = retrans_create(4, 32000000);
	struct sw_addr	 a, b, c;
	static const uint8_t	 m1[] = "INVITE sip:x SIP/2.0\r\n\r\n";
	static const uint8_t	 m2[] = "INVITE sip:y SIP/2.0\r\n\r\n";
	int		 i;

	ck_assert_int_eq(sw_addr_parse("192.0.2.1:5060", &a), 0);
	ck_assert_int_eq(sw_addr_parse("192.0.2.2:5060", &b), 0);
	ck_assert_int_eq(sw_addr_parse("192.0.2.3:5060", &c), 0);
	ck_assert_int_eq(retrans_check(rt, 0, &a, &b, m1, sizeof m1), 0);
	ck_assert_int_eq(retrans_check(rt, 500000, &a, &b, m1, sizeof m1), 1);
	ck_assert_int_eq(retrans_check(rt, 600000, &b, &a, m1, sizeof m1), 0);
	ck_assert_int_eq(retrans_check(rt, 700000, &a, &c, m1, sizeof m1), 0);
	ck_assert_int_eq(retrans_check(rt, 800000, &a, &b, m2, sizeof m2), 0);
	/* Past the window: a new message, not a retransmission. */
	ck_assert_int_eq(retrans_check(rt, 40000000, &a, &b, m1, sizeof m1),
	    0);
	ck_assert_uint_eq(retrans_digest(&a, &b, m1, sizeof m1),
	    retrans_digest(&a, &b, m1, sizeof m1));
	ck_assert_uint_ne(retrans_digest(&a, &b, m1, sizeof m1),
	    retrans_digest(&b, &a, m1, sizeof m1));
	/* The table holds 4 entries: the oldest go when it is full. */
	for (i = 0; i < 8; i++)
		(void)retrans_check_digest(rt, 41000000 + i, (uint64_t)i + 1);
	ck_assert_uint_gt(retrans_evictions(rt), 0);
	retrans_destroy(rt);
}
END_TEST

static Suite *
pipeline_suite(void)
{
	Suite	*s = suite_create("pipeline");
	TCase	*tc = tcase_create("order");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_inline);
	tcase_add_test(tc, test_one_worker);
	tcase_add_test(tc, test_many_workers);
	tcase_add_test(tc, test_live_kicks);
	tcase_add_test(tc, test_retrans);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sip_global_init();
	sr = srunner_create(pipeline_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
