/*
 * check_media.c: the media analyser (src/media): RTP measured as RFC 3550
 * defines it (loss, wrap, duplicates, reordering, restarts, jitter),
 * comfort noise, DTMF, the nominal jitter buffer, RTCP SR/RR/XR and RTT,
 * announcements tying streams to calls (SDP, NAT, symmetric RTP,
 * replacement, reuse), the caps, and the E-model against G.107.
 */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "media/media.h"
#include "sip/sip.h"

#define T0	1700000000000000LL	/* µs */
#define MS	1000LL

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void
pkt_init(struct decode_pkt *p, const char *src, const char *dst, int64_t ts,
    const uint8_t *data, size_t len)
{
	memset(p, 0, sizeof *p);
	ck_assert_int_eq(sw_addr_parse(src, &p->src), 0);
	ck_assert_int_eq(sw_addr_parse(dst, &p->dst), 0);
	p->transport = DECODE_TP_UDP;
	p->ts_us = ts;
	p->payload = data;
	p->len = len;
}

/* One RTP packet (RFC 3550 5.1) with PLEN bytes of PAYLOAD (NULL: 0xff). */
static enum media_kind
rtp(struct media *m, const char *src, const char *dst, uint32_t ssrc,
    uint16_t seq, uint32_t ts, int pt, int marker, int64_t t,
    const uint8_t *payload, size_t plen)
{
	uint8_t			buf[1500];
	struct decode_pkt	p;

	buf[0] = 0x80;
	buf[1] = (uint8_t)((marker ? 0x80 : 0) | pt);
	put16(buf + 2, seq);
	put32(buf + 4, ts);
	put32(buf + 8, ssrc);
	if (payload != NULL)
		memcpy(buf + 12, payload, plen);
	else
		memset(buf + 12, 0xff, plen);
	pkt_init(&p, src, dst, t, buf, 12 + plen);
	return (media_packet(m, &p));
}

/* A G.711 packet of a 20 ms stream: number I from seq BASE. */
static enum media_kind
g711(struct media *m, const char *src, const char *dst, uint32_t ssrc,
    uint16_t seq, int64_t t)
{
	return (rtp(m, src, dst, ssrc, seq, (uint32_t)seq * 160, 0, 0, t, NULL,
	    160));
}

/* The streams, collected. */
#define NINFO	64
static struct media_stream_info	infos[NINFO];
static char			callids[NINFO][64];
static unsigned			ninfo;

static void
collect(const struct media_stream_info *in, void *arg)
{
	(void)arg;
	if (ninfo == NINFO)
		return;
	infos[ninfo] = *in;
	snprintf(callids[ninfo], sizeof callids[ninfo], "%s", in->call_id);
	infos[ninfo].call_id = callids[ninfo];
	infos[ninfo].payload = NULL;	/* borrowed, not kept */
	ninfo++;
}

static void
gather(struct media *m)
{
	ninfo = 0;
	media_streams(m, collect, NULL);
}

static const struct media_stream_info *
find(uint32_t ssrc, unsigned nth)
{
	unsigned	i;

	for (i = 0; i < ninfo; i++) {
		if (infos[i].ssrc == ssrc && nth-- == 0)
			return (&infos[i]);
	}
	ck_abort_msg("stream 0x%08x not found", (unsigned)ssrc);
	return (NULL);
}

#define A	"192.0.2.10:4000"
#define B	"192.0.2.20:6000"

START_TEST(test_clean)
{
	struct media			*m = media_create(NULL);
	const struct media_stream_info	*s;
	struct media_emodel_in		 e;
	int				 i;

	for (i = 0; i < 100; i++)
		ck_assert_int_eq(g711(m, A, B, 0x11, (uint16_t)(1000 + i),
		    T0 + i * 20 * MS), MEDIA_RTP);
	media_finish(m, T0 + 3000 * MS);
	gather(m);
	ck_assert_uint_eq(ninfo, 1);
	s = find(0x11, 0);
	ck_assert_uint_eq(s->packets, 100);
	ck_assert_uint_eq(s->bytes, 100 * 160);
	ck_assert_uint_eq(s->expected, 100);
	ck_assert_int_eq(s->lost, 0);
	ck_assert_uint_eq(s->duplicates, 0);
	ck_assert_uint_eq(s->out_of_order, 0);
	ck_assert_uint_eq(s->seq_errors, 0);
	ck_assert_int_eq(s->jitter_known, 1);
	ck_assert_double_eq_tol(s->jitter_ms, 0, 1e-9);
	ck_assert_double_eq_tol(s->max_delta_ms, 20, 1e-9);
	ck_assert_double_eq_tol(s->frame_ms, 20, 1e-9);
	ck_assert_int_eq(s->pt, 0);
	ck_assert_uint_eq(s->clock, 8000);
	ck_assert_int_eq(s->validated, 1);
	ck_assert_str_eq(s->call_id, "");
	ck_assert_int_eq(s->match, MEDIA_MATCH_NONE);
	ck_assert_int_eq(s->first_us, T0);
	ck_assert_int_eq(s->last_us, T0 + 99 * 20 * MS);
	/* G.711, no loss: the jitter buffer (60) + one 20 ms packet. */
	ck_assert_int_eq(s->quality.known, 1);
	ck_assert_str_eq(s->quality.codec, "G.711");
	media_emodel_default(&e);
	e.bpl = 25.1;
	e.t_ms = e.ta_ms = 80;
	e.tr_ms = 160;
	ck_assert_double_eq_tol(s->quality.r, media_emodel_r(&e), 1e-9);
	ck_assert_double_eq_tol(s->quality.delay_ms, 80, 1e-9);
	ck_assert_double_eq_tol(s->quality.mos, media_emodel_mos(s->quality.r),
	    1e-9);
	media_destroy(m);
}
END_TEST

/* Loss, reordering and a duplicate: A.3's lost is expected - received. */
START_TEST(test_loss_reorder_dup)
{
	struct media			*m = media_create(NULL);
	const struct media_stream_info	*s;
	int				 i, seq;

	for (i = 0; i < 100; i++) {
		seq = 1000 + i;
		if (i == 10 || i == 11)
			continue;		/* lost */
		if (i == 20)
			seq = 1021;		/* 21 before 20 */
		else if (i == 21)
			seq = 1020;
		ck_assert_int_eq(g711(m, A, B, 0x22, (uint16_t)seq,
		    T0 + i * 20 * MS), MEDIA_RTP);
		if (i == 30)
			(void)g711(m, A, B, 0x22, (uint16_t)seq,
			    T0 + i * 20 * MS + 1 * MS);	/* twice */
	}
	media_finish(m, T0 + 3000 * MS);
	gather(m);
	s = find(0x22, 0);
	ck_assert_uint_eq(s->packets, 99);
	ck_assert_uint_eq(s->expected, 100);
	ck_assert_int_eq(s->lost, 1);		/* 2 lost, 1 duplicate */
	ck_assert_uint_eq(s->duplicates, 1);
	ck_assert_uint_eq(s->out_of_order, 1);
	ck_assert_uint_eq(s->seq_errors, 4);	/* gap, jump, late, dup */
	ck_assert_uint_eq(s->loss_bursts, 2);	/* 10-11, and 20 (late) */
	ck_assert_double_eq_tol(s->lost_pct, 1.0, 1e-9);
	media_destroy(m);
}
END_TEST

/* Sequence wrap (A.1 cycles) and a restart after a big jump. */
START_TEST(test_wrap_restart)
{
	struct media			*m = media_create(NULL);
	const struct media_stream_info	*s;
	int				 i;

	for (i = 0; i < 100; i++)
		(void)g711(m, A, B, 0x33, (uint16_t)(65500 + i),
		    T0 + i * 20 * MS);
	for (i = 0; i < 50; i++)
		(void)g711(m, A, B, 0x44, (uint16_t)(100 + i),
		    T0 + i * 20 * MS);
	/* The source restarts 40000 numbers further: A.1 resynchronises on
	 * the second packet; the first after the jump is not counted. */
	for (i = 0; i < 50; i++)
		(void)g711(m, A, B, 0x44, (uint16_t)(40000 + i),
		    T0 + (50 + i) * 20 * MS);
	media_finish(m, T0 + 5000 * MS);
	gather(m);
	s = find(0x33, 0);
	ck_assert_uint_eq(s->expected, 100);
	ck_assert_int_eq(s->lost, 0);
	ck_assert_uint_eq(s->seq_errors, 0);
	s = find(0x44, 0);
	ck_assert_uint_eq(s->packets, 100);
	ck_assert_uint_eq(s->restarts, 1);
	ck_assert_uint_eq(s->expected, 99);
	ck_assert_int_eq(s->lost, 0);
	media_destroy(m);
}
END_TEST

/* A.8 against a reference computed here: arrivals 0 / +4 ms alternately. */
START_TEST(test_jitter)
{
	struct media			*m = media_create(NULL);
	const struct media_stream_info	*s;
	double				 j = 0, jmax = 0, sum = 0, d, a, pa = 0;
	int				 i, n = 0;

	for (i = 0; i < 200; i++) {
		a = i * 20.0 + (i % 2 ? 4.0 : 0.0);
		(void)g711(m, A, B, 0x55, (uint16_t)(7 + i),
		    T0 + (int64_t)(a * 1000));
		if (i > 0) {
			d = (a - pa) - 20.0;
			j += (fabs(d) - j) / 16;
			if (j > jmax)
				jmax = j;
			sum += j;
			n++;
		}
		pa = a;
	}
	media_finish(m, T0 + 10000 * MS);
	gather(m);
	s = find(0x55, 0);
	ck_assert_double_eq_tol(s->jitter_ms, j, 1e-6);
	ck_assert_double_eq_tol(s->max_jitter_ms, jmax, 1e-6);
	ck_assert_double_eq_tol(s->mean_jitter_ms, sum / n, 1e-6);
	ck_assert_double_eq_tol(s->max_delta_ms, 24, 1e-6);
	ck_assert_uint_eq(s->late, 0);
	media_destroy(m);
}
END_TEST

/* Probation (A.1): an unannounced single packet is only a candidate; a
 * stream whose first packets are not in sequence counts from its first. */
START_TEST(test_probation)
{
	struct media			*m = media_create(NULL);
	const struct media_stream_info	*s;
	struct media_stats		 st;
	int				 i;

	(void)g711(m, A, B, 0x66, 500, T0);
	(void)g711(m, A, "192.0.2.30:7000", 0x77, 100, T0);
	for (i = 0; i < 20; i++)	/* 100, then 113.. in sequence */
		(void)g711(m, A, "192.0.2.30:7000", 0x77, (uint16_t)(113 + i),
		    T0 + (i + 1) * 20 * MS);
	media_finish(m, T0 + 1000 * MS);
	media_stats(m, &st);
	ck_assert_uint_eq(st.streams, 1);
	ck_assert_uint_eq(st.candidates, 1);
	ck_assert_uint_eq(st.candidate_packets, 1);
	gather(m);
	ck_assert_uint_eq(ninfo, 1);
	s = find(0x77, 0);
	ck_assert_uint_eq(s->packets, 21);
	ck_assert_uint_eq(s->expected, 33);	/* 100 .. 132 */
	ck_assert_int_eq(s->lost, 12);
	media_destroy(m);
}
END_TEST

/* Marker bits, comfort noise (RFC 3389), an SSRC change on the 5-tuple,
 * a timestamp reset, capture drops while the stream runs. */
START_TEST(test_marker_cn_ssrc)
{
	struct media			*m = media_create(NULL);
	const struct media_stream_info	*s;
	uint8_t				 cn = 0x40;
	int				 i;

	for (i = 0; i < 10; i++)
		(void)rtp(m, A, B, 0x88, (uint16_t)i, (uint32_t)i * 160, 0,
		    i == 0 || i == 6, T0 + i * 20 * MS, NULL, 160);
	for (i = 10; i < 13; i++)	/* silence: CN every 20 ms */
		(void)rtp(m, A, B, 0x88, (uint16_t)i, (uint32_t)i * 160, 13, 0,
		    T0 + i * 20 * MS, &cn, 1);
	media_capture_drops(m, 7);
	for (i = 13; i < 20; i++)
		(void)g711(m, A, B, 0x88, (uint16_t)i, T0 + i * 20 * MS);
	/* The sender's clock goes back 2 s, the sequence goes on. */
	for (i = 20; i < 30; i++)
		(void)rtp(m, A, B, 0x88, (uint16_t)i, (uint32_t)i * 160 - 16000,
		    0, 0, T0 + i * 20 * MS, NULL, 160);
	for (i = 0; i < 5; i++)		/* new SSRC, same 5-tuple */
		(void)g711(m, A, B, 0x99, (uint16_t)(300 + i),
		    T0 + (30 + i) * 20 * MS);
	media_finish(m, T0 + 2000 * MS);
	gather(m);
	s = find(0x88, 0);
	ck_assert_uint_eq(s->markers, 2);
	ck_assert_uint_eq(s->comfort_noise, 3);
	ck_assert_uint_eq(s->pt_seen[0], 0x01);		/* PT 0 */
	ck_assert_uint_eq(s->pt_seen[1], 0x20);		/* PT 13 */
	ck_assert_int_eq(s->pt, 0);
	ck_assert_uint_eq(s->capture_drops, 7);
	ck_assert_uint_eq(s->ts_resets, 1);
	ck_assert_double_lt(s->max_jitter_ms, 1.0);
	ck_assert_int_eq(s->lost, 0);
	s = find(0x99, 0);
	ck_assert_uint_eq(s->ssrc_changes, 1);
	ck_assert_uint_eq(s->packets, 5);
	media_destroy(m);
}
END_TEST

/* One packet 100 ms late for a 60 ms jitter buffer. */
START_TEST(test_late)
{
	struct media			*m = media_create(NULL);
	const struct media_stream_info	*s;
	int				 i;

	/* In capture order: 25 comes 101 ms late, after 30. */
	for (i = 0; i < 50; i++) {
		if (i != 25)
			(void)g711(m, A, B, 0xAA, (uint16_t)i,
			    T0 + i * 20 * MS);
		if (i == 30)
			(void)g711(m, A, B, 0xAA, 25, T0 + 601 * MS);
	}
	media_finish(m, T0 + 2000 * MS);
	gather(m);
	s = find(0xAA, 0);
	ck_assert_uint_eq(s->late, 1);
	ck_assert_int_eq(s->lost, 0);
	ck_assert_uint_eq(s->out_of_order, 1);
	/* The E-model counts it as lost: 1 in 50. */
	ck_assert_double_eq_tol(s->quality.ppl, 2.0, 1e-9);
	media_destroy(m);
}
END_TEST

/* ------------------------------------------------------------------ */
/* RTCP */

/* An RTCP header at P: version 2, COUNT, PT, LENGTH words - 1. */
static size_t
rtcp_hdr(uint8_t *p, int count, int pt, size_t len)
{
	p[0] = (uint8_t)(0x80 | count);
	p[1] = (uint8_t)pt;
	put16(p + 2, (uint16_t)(len / 4 - 1));
	return (4);
}

static size_t
rr_block(uint8_t *p, uint32_t ssrc, uint8_t fraction, int32_t cum,
    uint32_t ext_max, uint32_t jitter, uint32_t lsr, uint32_t dlsr)
{
	put32(p, ssrc);
	put32(p + 4, ((uint32_t)fraction << 24) | ((uint32_t)cum & 0xffffff));
	put32(p + 8, ext_max);
	put32(p + 12, jitter);
	put32(p + 16, lsr);
	put32(p + 20, dlsr);
	return (24);
}

static enum media_kind
send_raw(struct media *m, const char *src, const char *dst, int64_t t,
    const uint8_t *buf, size_t len)
{
	struct decode_pkt	p;

	pkt_init(&p, src, dst, t, buf, len);
	return (media_packet(m, &p));
}

START_TEST(test_rtcp)
{
	struct media			*m = media_create(NULL);
	const struct media_stream_info	*s;
	struct media_stats		 st;
	uint8_t				 b[256];
	size_t				 n;
	int				 i;

	for (i = 0; i < 50; i++) {
		(void)g711(m, A, B, 0xA1, (uint16_t)(1000 + i),
		    T0 + i * 20 * MS);
		(void)g711(m, B, A, 0xB2, (uint16_t)(5000 + i),
		    T0 + i * 20 * MS);
	}
	/* SR from A (RTCP on port + 1), sender SSRC 0xA1, NTP 11223344.5566 */
	n = rtcp_hdr(b, 0, 200, 28);
	put32(b + n, 0xA1);
	put32(b + n + 4, 0x11223344);
	put32(b + n + 8, 0x55660000);
	put32(b + n + 12, 8000);
	put32(b + n + 16, 50);
	put32(b + n + 20, 8000);
	ck_assert_int_eq(send_raw(m, "192.0.2.10:4001", "192.0.2.20:6001",
	    T0 + 1000 * MS, b, 28), MEDIA_RTCP);
	/* RR from B 700 ms later, about 0xA1, echoing that SR with DLSR 0.5 s:
	 * round trip 200 ms. */
	n = rtcp_hdr(b, 1, 201, 32);
	put32(b + n, 0xB2);
	n += 4;
	n += rr_block(b + n, 0xA1, 25, 5, 1049, 80, 0x33445566, 32768);
	ck_assert_int_eq(send_raw(m, "192.0.2.20:6001", "192.0.2.10:4001",
	    T0 + 1700 * MS, b, n), MEDIA_RTCP);
	/* The next interval: 10 more lost of 100 expected (delta, 10 %). */
	n = rtcp_hdr(b, 1, 201, 32);
	put32(b + n, 0xB2);
	n += 4;
	n += rr_block(b + n, 0xA1, 26, 15, 1149, 160, 0, 0);
	/* ... with an XR VoIP metrics block (RFC 3611 4.7) after it. */
	n += rtcp_hdr(b + n, 0, 207, 44);
	put32(b + n, 0xB2);
	n += 4;
	b[n] = 7;			/* BT */
	b[n + 1] = 0;
	put16(b + n + 2, 8);		/* 36 bytes */
	put32(b + n + 4, 0xA1);
	b[n + 8] = 12;			/* loss rate 12/256 */
	b[n + 9] = 0;
	memset(b + n + 10, 0, 6);
	put16(b + n + 16, 200);		/* round trip delay */
	put16(b + n + 18, 30);		/* end system delay */
	b[n + 20] = b[n + 21] = b[n + 22] = b[n + 23] = 0;
	b[n + 24] = 80;			/* R */
	b[n + 25] = 127;
	b[n + 26] = 41;			/* MOS-LQ x10 */
	b[n + 27] = 39;			/* MOS-CQ x10 */
	b[n + 28] = b[n + 29] = 0;
	put16(b + n + 30, 40);		/* JB nominal */
	put16(b + n + 32, 80);		/* JB maximum */
	put16(b + n + 34, 100);
	n += 36;
	ck_assert_int_eq(send_raw(m, "192.0.2.20:6001", "192.0.2.10:4001",
	    T0 + 6000 * MS, b, n), MEDIA_RTCP);
	/* Lengths that lie: not RTCP, counted. */
	n = rtcp_hdr(b, 0, 201, 40);
	ck_assert_int_eq(send_raw(m, "192.0.2.20:6001", "192.0.2.10:4001",
	    T0 + 6000 * MS, b, 8), MEDIA_NONE);
	/* A report about a stream nobody saw. */
	n = rtcp_hdr(b, 1, 201, 32);
	put32(b + n, 0xB2);
	n += 4;
	n += rr_block(b + n, 0xDEAD, 0, 0, 0, 0, 0, 0);
	ck_assert_int_eq(send_raw(m, "192.0.2.20:6001", "192.0.2.10:4001",
	    T0 + 6000 * MS, b, n), MEDIA_RTCP);
	/* rtcp-mux (RFC 5761): an RR on the RTP ports themselves. */
	n = rtcp_hdr(b, 1, 201, 32);
	put32(b + n, 0xA1);
	n += 4;
	n += rr_block(b + n, 0xB2, 0, 0, 5049, 8, 0, 0);
	ck_assert_int_eq(send_raw(m, A, B, T0 + 6000 * MS, b, n), MEDIA_RTCP);

	media_stats(m, &st);
	ck_assert_uint_eq(st.rtcp_packets, 5);
	ck_assert_uint_eq(st.rtcp_bad, 1);
	ck_assert_uint_eq(st.rtcp_unmatched, 1);
	media_finish(m, T0 + 7000 * MS);
	gather(m);
	s = find(0xA1, 0);
	ck_assert_uint_eq(s->rtcp.sr, 1);
	ck_assert_uint_eq(s->rtcp.sr_packets, 50);
	ck_assert_uint_eq(s->rtcp.rr, 2);
	ck_assert_double_eq_tol(s->rtcp.rr_fraction_lost_pct, 100.0 * 26 / 256,
	    1e-9);
	ck_assert_double_eq_tol(s->rtcp.rr_fraction_lost_max_pct,
	    100.0 * 26 / 256, 1e-5);
	ck_assert_int_eq(s->rtcp.rr_cum_lost, 15);
	ck_assert_double_eq_tol(s->rtcp.rr_interval_lost_max_pct, 10, 1e-5);
	ck_assert_double_eq_tol(s->rtcp.rr_jitter_ms, 20, 1e-5);
	ck_assert_double_eq_tol(s->rtcp.rr_jitter_max_ms, 20, 1e-5);
	ck_assert_uint_eq(s->rtcp.rtt, 1);
	ck_assert_double_eq_tol(s->rtcp.rtt_ms, 200, 1e-5);
	ck_assert_uint_eq(s->rtcp.xr, 1);
	ck_assert_double_eq_tol(s->rtcp.xr_loss_pct, 100.0 * 12 / 256, 1e-5);
	ck_assert_int_eq(s->rtcp.xr_r_factor, 80);
	ck_assert_double_eq_tol(s->rtcp.xr_mos_lq, 4.1, 1e-5);
	ck_assert_double_eq_tol(s->rtcp.xr_mos_cq, 3.9, 1e-5);
	ck_assert_uint_eq(s->rtcp.xr_rtt_ms, 200);
	ck_assert_uint_eq(s->rtcp.xr_esd_ms, 30);
	ck_assert_uint_eq(s->rtcp.xr_jb_nominal_ms, 40);
	ck_assert_uint_eq(s->rtcp.xr_jb_max_ms, 80);
	/* The round trip enters the E-model's delay: 60 + 20 + 200 / 2. */
	ck_assert_int_eq(s->quality.delay_rtcp, 1);
	ck_assert_double_eq_tol(s->quality.delay_ms, 180, 1e-9);
	s = find(0xB2, 0);
	ck_assert_uint_eq(s->rtcp.rr, 1);
	ck_assert_double_eq_tol(s->rtcp.rr_jitter_ms, 1, 1e-5);
	media_destroy(m);
}
END_TEST

/* Compounds that are not: every cut of a valid one, padding misplaced. */
START_TEST(test_rtcp_hostile)
{
	struct media		*m = media_create(NULL);
	struct media_stats	 st;
	uint8_t			 b[64];
	size_t			 n, cut;
	unsigned		 ok = 0, bad = 0;

	n = rtcp_hdr(b, 1, 201, 32);
	put32(b + n, 1);
	n += 4;
	n += rr_block(b + n, 2, 0, 0, 0, 0, 0, 0);
	n += rtcp_hdr(b + n, 0, 203, 8);	/* BYE */
	put32(b + n, 1);
	n += 4;
	for (cut = 4; cut <= n; cut++) {
		if (send_raw(m, A, B, T0, b, cut) == MEDIA_RTCP)
			ok++;
		else
			bad++;
	}
	ck_assert_uint_eq(ok, 2);	/* the RR alone, and the whole */
	b[0] |= 0x20;			/* padding on the first of two */
	ck_assert_int_eq(send_raw(m, A, B, T0, b, n), MEDIA_NONE);
	media_stats(m, &st);
	ck_assert_uint_eq(st.rtcp_packets, 2);
	ck_assert_uint_eq(st.rtcp_bad + st.not_media + st.rtp_packets,
	    bad + 1);
	media_destroy(m);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Announcements */

static uint64_t
announce(struct media *m, const char *call, unsigned line,
    enum media_party party, const char *rtp_at, const char *signal,
    enum sdp_dir dir)
{
	static const struct media_payload pm[] = {
		{ 0, "PCMU", 8000, 1 },
		{ 101, "telephone-event", 8000, 1 },
	};
	struct media_expect	x;

	memset(&x, 0, sizeof x);
	x.call_id = call;
	x.call_id_len = strlen(call);
	x.mline = line;
	x.party = party;
	ck_assert_int_eq(sw_addr_parse(rtp_at, &x.rtp), 0);
	if (signal != NULL)
		ck_assert_int_eq(sw_addr_parse(signal, &x.signal), 0);
	x.dir = dir;
	x.payloads = pm;
	x.npayloads = 2;
	x.ts_us = T0;
	return (media_expect(m, &x));
}

/* Announced first: validated at once, tied; DTMF from the payload map. */
START_TEST(test_expect_dtmf)
{
	struct media			*m = media_create(NULL);
	const struct media_stream_info	*s;
	struct media_expect_status	 es;
	uint8_t				 ev[4];
	uint64_t			 id;
	int				 i, k;

	id = announce(m, "call-1", 0, MEDIA_PARTY_CALLEE, B, "192.0.2.20",
	    SDP_DIR_SENDRECV);
	ck_assert_uint_ne(id, 0);
	ck_assert_int_eq(g711(m, A, B, 0xC1, 10, T0), MEDIA_RTP);
	ck_assert_int_eq(media_expect_status(m, id, &es), 0);
	ck_assert_uint_eq(es.rx_streams, 1);	/* no probation */
	ck_assert_uint_eq(es.rx_packets, 1);
	/* '1' then '#': 3 packets, then 3 end packets, each event */
	for (k = 0; k < 2; k++) {
		for (i = 0; i < 6; i++) {
			ev[0] = k == 0 ? 1 : 11;
			ev[1] = (uint8_t)(i >= 3 ? 0x80 : 0) | 10;
			put16(ev + 2, (uint16_t)(160 * (i + 1)));
			(void)rtp(m, A, B, 0xC1, (uint16_t)(11 + k * 6 + i),
			    16000 + (uint32_t)k * 8000, 101, i == 0,
			    T0 + (1 + k * 6 + i) * 20 * MS, ev, 4);
		}
	}
	(void)g711(m, A, B, 0xC1, 23, T0 + 13 * 20 * MS);
	ck_assert_int_eq(media_expect_status(m, id, &es), 0);
	ck_assert_uint_eq(es.rx_packets, 14);
	ck_assert_int_eq(es.live, 1);
	media_finish(m, T0 + 2000 * MS);
	gather(m);
	s = find(0xC1, 0);
	ck_assert_uint_eq(s->dtmf_events, 2);
	ck_assert_str_eq(s->dtmf, "1#");
	ck_assert_str_eq(s->call_id, "call-1");
	ck_assert_int_eq(s->party, MEDIA_PARTY_CALLEE);
	ck_assert_int_eq(s->from_party, 0);
	ck_assert_int_eq(s->match, MEDIA_MATCH_SDP);
	ck_assert_int_eq(s->lost, 0);
	ck_assert_uint_eq(s->pt_seen[12], 0x20);	/* PT 101 */
	media_destroy(m);
}
END_TEST

/* NAT: the callee announced a private address; its SIP came from a
 * public one, where the far end sends.  Symmetric RTP from the
 * announced endpoint is tied to the party as its sender. */
START_TEST(test_expect_nat_symmetric)
{
	struct media			*m = media_create(NULL);
	const struct media_stream_info	*s;
	struct media_expect_status	 es;
	uint64_t			 id;
	int				 i;

	id = announce(m, "call-nat", 0, MEDIA_PARTY_CALLEE, "10.0.0.5:6000",
	    "203.0.113.5", SDP_DIR_SENDRECV);
	for (i = 0; i < 5; i++) {
		(void)g711(m, "198.51.100.1:4000", "203.0.113.5:6000", 0xD1,
		    (uint16_t)i, T0 + i * 20 * MS);
		(void)g711(m, "10.0.0.5:6000", "198.51.100.1:4000", 0xD2,
		    (uint16_t)i, T0 + i * 20 * MS);
	}
	ck_assert_int_eq(media_expect_status(m, id, &es), 0);
	ck_assert_uint_eq(es.rx_streams, 1);
	ck_assert_uint_eq(es.tx_streams, 1);
	ck_assert_uint_eq(es.nat_streams, 1);
	ck_assert_uint_eq(es.rx_packets, 5);
	ck_assert_int_eq(es.first_tx_us, T0);
	media_finish(m, T0 + 1000 * MS);
	gather(m);
	s = find(0xD1, 0);
	ck_assert_int_eq(s->match, MEDIA_MATCH_NAT);
	ck_assert_int_eq(s->from_party, 0);
	s = find(0xD2, 0);
	ck_assert_int_eq(s->match, MEDIA_MATCH_SDP);
	ck_assert_int_eq(s->from_party, 1);
	ck_assert_str_eq(s->call_id, "call-nat");
	media_destroy(m);
}
END_TEST

/* RTP before the SDP (early media, capture started mid-call): the
 * stream is tied from its next packet; an unannounced flow stays so. */
START_TEST(test_expect_late)
{
	struct media			*m = media_create(NULL);
	const struct media_stream_info	*s;
	struct media_stats		 st;
	int				 i;

	for (i = 0; i < 5; i++) {
		(void)g711(m, A, B, 0xE1, (uint16_t)i, T0 + i * 20 * MS);
		(void)g711(m, A, "192.0.2.99:8000", 0xE2, (uint16_t)i,
		    T0 + i * 20 * MS);
	}
	(void)announce(m, "call-late", 0, MEDIA_PARTY_CALLEE, B, NULL,
	    SDP_DIR_SENDRECV);
	for (i = 5; i < 10; i++)
		(void)g711(m, A, B, 0xE1, (uint16_t)i, T0 + i * 20 * MS);
	media_finish(m, T0 + 1000 * MS);
	media_stats(m, &st);
	ck_assert_uint_eq(st.streams_announced, 1);
	ck_assert_uint_eq(st.streams_unannounced, 1);
	gather(m);
	s = find(0xE1, 0);
	ck_assert_str_eq(s->call_id, "call-late");
	ck_assert_uint_eq(s->packets, 10);
	ck_assert_int_eq(s->lost, 0);
	s = find(0xE2, 0);
	ck_assert_str_eq(s->call_id, "");
	media_destroy(m);
}
END_TEST

/* A re-INVITE on the same endpoint (hold): the stream moves to the new
 * announcement; one on a new port: the old stream stays in the call. */
START_TEST(test_expect_replace)
{
	struct media			*m = media_create(NULL);
	const struct media_stream_info	*s;
	struct media_expect_status	 es;
	uint64_t			 id1, id2, id3;
	int				 i;

	id1 = announce(m, "call-r", 0, MEDIA_PARTY_CALLEE, B, NULL,
	    SDP_DIR_SENDRECV);
	for (i = 0; i < 5; i++)
		(void)g711(m, A, B, 0xF1, (uint16_t)i, T0 + i * 20 * MS);
	id2 = announce(m, "call-r", 0, MEDIA_PARTY_CALLEE, B, NULL,
	    SDP_DIR_RECVONLY);
	ck_assert_uint_ne(id2, id1);
	for (i = 5; i < 10; i++)
		(void)g711(m, A, B, 0xF1, (uint16_t)i, T0 + i * 20 * MS);
	ck_assert_int_eq(media_expect_status(m, id2, &es), 0);
	ck_assert_uint_eq(es.rx_packets, 10);
	/* The old one has nothing left tied to it: freed. */
	ck_assert_int_eq(media_expect_status(m, id1, &es), -1);
	/* Resume on a new port. */
	id3 = announce(m, "call-r", 0, MEDIA_PARTY_CALLEE, "192.0.2.20:6002",
	    NULL, SDP_DIR_SENDRECV);
	for (i = 10; i < 15; i++)
		(void)g711(m, A, "192.0.2.20:6002", 0xF1, (uint16_t)i,
		    T0 + i * 20 * MS);
	ck_assert_int_eq(media_expect_status(m, id3, &es), 0);
	ck_assert_uint_eq(es.rx_packets, 5);
	ck_assert_int_eq(media_expect_status(m, id2, &es), 0);
	ck_assert_int_eq(es.live, 0);
	ck_assert_uint_eq(es.rx_packets, 10);
	media_finish(m, T0 + 1000 * MS);
	gather(m);
	ck_assert_uint_eq(ninfo, 2);
	ck_assert_str_eq(find(0xF1, 0)->call_id, "call-r");
	ck_assert_str_eq(find(0xF1, 1)->call_id, "call-r");
	s = find(0xF1, 1);
	ck_assert_uint_eq(s->packets, 5);
	media_destroy(m);
}
END_TEST

/* The call ends; another call announces the same endpoint: the flow's
 * stream ends with the first call, a new one starts with the second. */
START_TEST(test_expect_end_reuse)
{
	struct media			*m = media_create(NULL);
	struct media_expect_status	 es;
	uint64_t			 id;
	int				 i;

	id = announce(m, "call-a", 0, MEDIA_PARTY_CALLEE, B, NULL,
	    SDP_DIR_SENDRECV);
	for (i = 0; i < 5; i++)
		(void)g711(m, A, B, 0x101, (uint16_t)i, T0 + i * 20 * MS);
	media_expect_end(m, "call-a", 6);
	ck_assert_int_eq(media_expect_status(m, id, &es), 0);
	ck_assert_int_eq(es.live, 0);
	(void)announce(m, "call-b", 0, MEDIA_PARTY_CALLEE, B, NULL,
	    SDP_DIR_SENDRECV);
	for (i = 5; i < 10; i++)
		(void)g711(m, A, B, 0x101, (uint16_t)i, T0 + i * 20 * MS);
	media_finish(m, T0 + 1000 * MS);
	gather(m);
	ck_assert_uint_eq(ninfo, 2);
	ck_assert_str_eq(find(0x101, 0)->call_id, "call-a");
	ck_assert_uint_eq(find(0x101, 0)->packets, 5);
	ck_assert_str_eq(find(0x101, 1)->call_id, "call-b");
	ck_assert_uint_eq(find(0x101, 1)->packets, 5);
	media_destroy(m);
}
END_TEST

/* Caps: announcements, streams, the report list; counts stay exact. */
START_TEST(test_caps)
{
	struct media_opts	 o;
	struct media		*m;
	struct media_stats	 st;
	char			 dst[32];
	int			 i, k;

	media_opts_default(&o);
	o.max_expect = 2;
	o.max_streams = 4;
	o.report_max = 3;
	m = media_create(&o);
	ck_assert_uint_ne(announce(m, "c1", 0, MEDIA_PARTY_CALLER,
	    "192.0.2.1:1000", NULL, SDP_DIR_SENDRECV), 0);
	ck_assert_uint_ne(announce(m, "c2", 0, MEDIA_PARTY_CALLER,
	    "192.0.2.1:1002", NULL, SDP_DIR_SENDRECV), 0);
	ck_assert_uint_ne(announce(m, "c3", 0, MEDIA_PARTY_CALLER,
	    "192.0.2.1:1004", NULL, SDP_DIR_SENDRECV), 0);
	ck_assert_uint_eq(announce(m, "c4", 0, MEDIA_PARTY_CALLER,
	    "192.0.2.1:0", NULL, SDP_DIR_SENDRECV), 0);
	for (i = 0; i < 10; i++) {
		snprintf(dst, sizeof dst, "192.0.2.50:%d", 2000 + 2 * i);
		for (k = 0; k < 3; k++)
			(void)g711(m, A, dst, (uint32_t)i, (uint16_t)k,
			    T0 + (i * 3 + k) * 20 * MS);
	}
	media_stats(m, &st);
	ck_assert_uint_eq(st.expect, 3);
	ck_assert_uint_eq(st.expect_live, 2);
	ck_assert_uint_eq(st.expect_evicted, 1);
	ck_assert_uint_eq(st.expect_refused, 1);
	ck_assert_uint_le(st.peak_streams, 4);
	ck_assert_uint_eq(st.evicted, 6);
	media_finish(m, T0 + 10000 * MS);
	media_stats(m, &st);
	ck_assert_uint_eq(st.streams, 10);
	ck_assert_uint_eq(st.listed, 3);
	ck_assert_uint_eq(st.unlisted, 7);
	gather(m);
	ck_assert_uint_eq(ninfo, 3);
	media_destroy(m);
}
END_TEST

/*
 * media_on_end(): every validated stream that ends is given once, with
 * its final figures, whether it ended idle, evicted or at the end of the
 * run and whether the report lists it or not; candidates are not.
 */
static unsigned	ended, ended_evicted, ended_tied, ended_active;
static uint64_t	ended_packets;

static void
on_end(const struct media_stream_info *in, void *arg)
{
	ck_assert_ptr_eq(arg, &ended);
	ended++;
	ended_packets += in->packets;
	if (in->evicted)
		ended_evicted++;
	if (in->active)
		ended_active++;
	if (strcmp(in->call_id, "c1") == 0) {
		ended_tied++;
		ck_assert_uint_eq(in->packets, 3);
		ck_assert_int_eq(in->lost, 1);
		ck_assert_uint_eq(in->expected, 4);
	}
}

START_TEST(test_on_end)
{
	struct media_opts	 o;
	struct media		*m;
	struct media_stats	 st;
	char			 dst[32];
	int			 i, k;

	media_opts_default(&o);
	o.max_streams = 4;
	o.report_max = 2;
	m = media_create(&o);
	ended = ended_evicted = ended_tied = ended_active = 0;
	ended_packets = 0;
	ck_assert_int_eq(media_on_end(m, on_end, &ended), 0);
	for (i = 1; i < MEDIA_END_FN_MAX; i++)
		ck_assert_int_eq(media_on_end(m, on_end, &ended), 0);
	ck_assert_int_eq(media_on_end(m, on_end, &ended), -1);
	media_destroy(m);

	m = media_create(&o);
	ended = ended_evicted = ended_tied = ended_active = 0;
	ended_packets = 0;
	ck_assert_int_eq(media_on_end(m, on_end, &ended), 0);
	/* One stream idle, ended early, unlisted by then. */
	for (k = 0; k < 3; k++)
		(void)g711(m, A, B, 0x301, (uint16_t)k, T0 + k * 20 * MS);
	media_advance(m, T0 + MEDIA_DEFAULT_IDLE_US + 2000 * MS);
	ck_assert_uint_eq(ended, 1);
	/* Eight more, four at a time: four evicted. */
	for (i = 0; i < 8; i++) {
		snprintf(dst, sizeof dst, "192.0.2.50:%d", 2000 + 2 * i);
		for (k = 0; k < 3; k++)
			(void)g711(m, A, dst, (uint32_t)i, (uint16_t)k,
			    T0 + MEDIA_DEFAULT_IDLE_US + (i * 3 + k + 200) *
			    20 * MS);
	}
	/* A candidate (one packet) and a stream tied to call c1, seq 2
	 * missing. */
	(void)g711(m, A, "192.0.2.77:9000", 0x401, 7,
	    T0 + MEDIA_DEFAULT_IDLE_US + 9000 * MS);
	ck_assert_uint_ne(announce(m, "c1", 0, MEDIA_PARTY_CALLER,
	    "192.0.2.1:1000", NULL, SDP_DIR_SENDRECV), 0);
	(void)g711(m, A, "192.0.2.1:1000", 0x501, 0,
	    T0 + MEDIA_DEFAULT_IDLE_US + 9100 * MS);
	(void)g711(m, A, "192.0.2.1:1000", 0x501, 1,
	    T0 + MEDIA_DEFAULT_IDLE_US + 9120 * MS);
	(void)g711(m, A, "192.0.2.1:1000", 0x501, 3,
	    T0 + MEDIA_DEFAULT_IDLE_US + 9160 * MS);
	media_finish(m, T0 + MEDIA_DEFAULT_IDLE_US + 10000 * MS);
	media_stats(m, &st);
	ck_assert_uint_eq(st.streams, 10);
	ck_assert_uint_eq(ended, st.streams);
	ck_assert_uint_eq(ended_evicted, st.evicted);
	ck_assert_uint_ge(st.evicted, 1);
	ck_assert_uint_eq(st.listed, 2);
	ck_assert_uint_eq(ended_tied, 1);
	ck_assert_uint_eq(ended_active, 0);
	ck_assert_uint_eq(ended_packets, st.rtp_packets - 1);
	media_destroy(m);
}
END_TEST

/*
 * media_packet_call_id(): the call of the last RTP packet or RTCP
 * compound, RTCP before any RTP included (the announced port less one);
 * NULL for what belongs to no call or is not media.
 */
START_TEST(test_packet_call_id)
{
	struct media		*m = media_create(NULL);
	struct decode_pkt	 p;
	uint8_t			 app[12] = { 0x80, 204, 0x00, 0x02, 1, 2, 3, 4,
				    'n', 'a', 'm', 'e' };
	const char		*cid;
	size_t			 len;

	ck_assert_uint_ne(announce(m, "c1", 0, MEDIA_PARTY_CALLER,
	    "192.0.2.1:1000", NULL, SDP_DIR_SENDRECV), 0);
	/* RTCP (APP alone) to the announced RTP port + 1, no RTP yet. */
	pkt_init(&p, "192.0.2.10:4001", "192.0.2.1:1001", T0, app,
	    sizeof app);
	ck_assert_int_eq(media_packet(m, &p), MEDIA_RTCP);
	ck_assert_ptr_nonnull(cid = media_packet_call_id(m, &len));
	ck_assert_uint_eq(len, 2);
	ck_assert_str_eq(cid, "c1");
	/* RTP to the announced port. */
	ck_assert_int_eq(g711(m, A, "192.0.2.1:1000", 0x601, 1, T0 + 20 * MS),
	    MEDIA_RTP);
	ck_assert_ptr_nonnull(cid = media_packet_call_id(m, &len));
	ck_assert_str_eq(cid, "c1");
	/* Not media: nothing. */
	app[0] = 0x40;
	pkt_init(&p, "192.0.2.10:4001", "192.0.2.1:1001", T0 + 40 * MS, app,
	    sizeof app);
	ck_assert_int_eq(media_packet(m, &p), MEDIA_NONE);
	ck_assert_ptr_null(media_packet_call_id(m, &len));
	ck_assert_uint_eq(len, 0);
	/* RTP of no call. */
	(void)g711(m, A, B, 0x602, 1, T0 + 60 * MS);
	ck_assert_ptr_null(media_packet_call_id(m, &len));
	/* The call's end and media_finish() free nothing the pointer needs:
	 * the finished streams hold the announcement. */
	ck_assert_int_eq(g711(m, A, "192.0.2.1:1000", 0x601, 2, T0 + 80 * MS),
	    MEDIA_RTP);
	media_expect_end(m, "c1", 2);
	media_finish(m, T0 + 100 * MS);
	ck_assert_ptr_nonnull(cid = media_packet_call_id(m, &len));
	ck_assert_str_eq(cid, "c1");
	media_destroy(m);
}
END_TEST

/* Idle streams end (and are listed); candidates expire sooner. */
START_TEST(test_idle)
{
	struct media		*m = media_create(NULL);
	struct media_stats	 st;
	int			 i;

	for (i = 0; i < 3; i++)
		(void)g711(m, A, B, 0x201, (uint16_t)i, T0 + i * 20 * MS);
	(void)g711(m, A, "192.0.2.77:9000", 0x202, 1, T0);
	media_advance(m, T0 + MEDIA_DEFAULT_PROBATION_IDLE_US + 3000 * MS);
	media_stats(m, &st);
	ck_assert_uint_eq(st.candidates, 1);
	ck_assert_uint_eq(st.streams_active, 1);
	media_advance(m, T0 + MEDIA_DEFAULT_IDLE_US + 3000 * MS);
	media_stats(m, &st);
	ck_assert_uint_eq(st.streams_active, 0);
	ck_assert_uint_eq(st.listed, 1);
	media_destroy(m);
}
END_TEST

/* Random bytes, half of them looking like version 2: every payload is
 * counted once as RTP, RTCP, bad RTCP or not media. */
START_TEST(test_hostile)
{
	struct media		*m;
	struct media_opts	 o;
	struct media_stats	 st;
	uint8_t			 b[64];
	uint64_t		 x = 88172645463325252ULL;
	size_t			 len, j;
	char			 src[32];
	int			 i;

	media_opts_default(&o);
	o.max_streams = 64;
	m = media_create(&o);
	for (i = 0; i < 20000; i++) {
		for (j = 0; j < sizeof b; j++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			b[j] = (uint8_t)x;
		}
		if (i % 2)
			b[0] = (uint8_t)(0x80 | (b[0] & 0x3f));
		len = (size_t)(x >> 40) % sizeof b;
		snprintf(src, sizeof src, "192.0.2.%d:%d", i % 7, 1000 + i % 13);
		(void)send_raw(m, src, B, T0 + i * MS, b, len);
	}
	media_stats(m, &st);
	ck_assert_uint_eq(st.rtp_packets + st.rtcp_packets + st.rtcp_bad +
	    st.not_media, 20000);
	ck_assert_uint_le(st.peak_streams, 64);
	media_finish(m, T0 + 30000 * MS);
	media_destroy(m);
}
END_TEST

/* ------------------------------------------------------------------ */
/* E-model (ITU-T G.107 (06/2015)) */

START_TEST(test_emodel)
{
	struct media_emodel_in	 e;
	double			 ie, bpl, la, r0;

	/* G.107 7.7: "the default values ... result in R = 93.2". */
	media_emodel_default(&e);
	r0 = media_emodel_r(&e);
	ck_assert_double_eq_tol(r0, 93.2, 0.05);
	/* Annex B (B-4) at the category boundaries of Table B.1. */
	ck_assert_double_eq_tol(media_emodel_mos(r0), 4.41, 0.005);
	ck_assert_double_eq_tol(media_emodel_mos(90), 4.34, 0.005);
	ck_assert_double_eq_tol(media_emodel_mos(80), 4.02, 0.005);
	ck_assert_double_eq_tol(media_emodel_mos(70), 3.60, 0.005);
	ck_assert_double_eq_tol(media_emodel_mos(60), 3.10, 0.005);
	ck_assert_double_eq_tol(media_emodel_mos(50), 2.58, 0.005);
	ck_assert_double_eq_tol(media_emodel_mos(-3), 1.0, 1e-12);
	ck_assert_double_eq_tol(media_emodel_mos(120), 4.5, 1e-12);
	/* G.113 Appendix I values. */
	ck_assert_str_eq(media_emodel_codec("pcmu", &ie, &bpl, &la), "G.711");
	ck_assert_double_eq_tol(bpl, 25.1, 1e-12);
	ck_assert_str_eq(media_emodel_codec("G729", &ie, &bpl, &la), "G.729A");
	ck_assert_double_eq_tol(ie, 11, 1e-12);
	ck_assert_double_eq_tol(bpl, 19.0, 1e-12);
	ck_assert_str_eq(media_emodel_codec("G723", &ie, &bpl, &la),
	    "G.723.1");
	ck_assert_double_eq_tol(ie, 15, 1e-12);
	ck_assert_double_eq_tol(bpl, 16.1, 1e-12);
	ck_assert_ptr_null(media_emodel_codec("opus", &ie, &bpl, &la));
	/* 7.5: Ie,eff = Ie + (95 - Ie) Ppl / (Ppl / BurstR + Bpl) */
	e.ie = 0;
	e.bpl = 25.1;
	e.ppl = 1;
	ck_assert_double_eq_tol(r0 - media_emodel_r(&e), 95.0 / 26.1, 1e-9);
	e.burst_r = 2;
	ck_assert_double_eq_tol(r0 - media_emodel_r(&e), 95.0 / 25.6, 1e-9);
	e.ie = 11;
	e.bpl = 19;
	e.ppl = 0;
	e.burst_r = 1;
	ck_assert_double_eq_tol(media_emodel_r(&e), r0 - 11, 1e-9);
	/* 7.4: Idd is 0 up to mT = 100 ms, and grows beyond. */
	media_emodel_default(&e);
	e.ta_ms = 100;
	ck_assert_double_eq_tol(media_emodel_r(&e), r0, 1e-9);
	e.ta_ms = 200;	/* X = 1: Idd = 25 (2^(1/6) - 3 (1 + 3^-6)^(1/6) + 2) */
	ck_assert_double_eq_tol(r0 - media_emodel_r(&e), 25 * (pow(2, 1.0 / 6) -
	    3 * pow(1 + pow(1.0 / 3, 6), 1.0 / 6) + 2), 1e-9);
	/* Delay lowers R monotonically. */
	media_emodel_default(&e);
	e.t_ms = e.ta_ms = 150;
	e.tr_ms = 300;
	r0 = media_emodel_r(&e);
	e.t_ms = e.ta_ms = 300;
	e.tr_ms = 600;
	ck_assert_double_lt(media_emodel_r(&e), r0);
}
END_TEST

static Suite *
media_suite(void)
{
	Suite	*s = suite_create("media");
	TCase	*tc = tcase_create("rtp");

	tcase_add_test(tc, test_clean);
	tcase_add_test(tc, test_loss_reorder_dup);
	tcase_add_test(tc, test_wrap_restart);
	tcase_add_test(tc, test_jitter);
	tcase_add_test(tc, test_probation);
	tcase_add_test(tc, test_marker_cn_ssrc);
	tcase_add_test(tc, test_late);
	tcase_add_test(tc, test_rtcp);
	tcase_add_test(tc, test_rtcp_hostile);
	tcase_add_test(tc, test_expect_dtmf);
	tcase_add_test(tc, test_expect_nat_symmetric);
	tcase_add_test(tc, test_expect_late);
	tcase_add_test(tc, test_expect_replace);
	tcase_add_test(tc, test_expect_end_reuse);
	tcase_add_test(tc, test_caps);
	tcase_add_test(tc, test_idle);
	tcase_add_test(tc, test_on_end);
	tcase_add_test(tc, test_packet_call_id);
	tcase_add_test(tc, test_hostile);
	tcase_add_test(tc, test_emodel);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(media_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
