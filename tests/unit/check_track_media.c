/*
 * check_track_media.c: calls and their media (issue 16): the tracker's
 * SDP offer/answer announced to the media analyser, and the six media
 * rules, on synthetic SIP (sip_parse()) and RTP (media_packet()) fed in
 * packet-time order as the engine feeds them: before each RTP packet the
 * tracker's deadlines up to its time fire.
 *
 * Each test asserts the exact incidents raised (rule and Call-ID, and
 * where it matters the time, the side and the cause), that nothing else
 * fired, and the call's media facts as the tracker publishes them.
 */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <jansson.h>

#include "alert/alert.h"
#include "decode/decode.h"
#include "media/media.h"
#include "rules/rules.h"
#include "sip/sip.h"
#include "track/track.h"
#include "fixtures.h"

#include "track-got.h"

#define T0	1700000000000000LL	/* µs */
static struct media	*md;
static struct track	*tr;

/* The last TRACK_OBS_MEDIA of each call, as a view would store it. */
static struct track_media	obs_media;
static char			obs_call[64];
static char			obs_codec[16];
static int			nobs;
/* ... and its streams. */
static struct track_media_stream obs_streams[TRACK_MEDIA_STREAMS_KEEP];
static unsigned			obs_nstreams, obs_streams_total;

static void
collect(const struct alert *a, void *arg)
{
	(void)arg;
	got_note(a);
}

static void
observe(const struct track_obs *o, void *arg)
{
	(void)arg;
	if (o->type != TRACK_OBS_MEDIA)
		return;
	nobs++;
	obs_media = *o->u.media.media;
	snprintf(obs_call, sizeof obs_call, "%s", o->call_id);
	snprintf(obs_codec, sizeof obs_codec, "%s",
	    obs_media.codec != NULL ? obs_media.codec : "");
	obs_media.codec = NULL;
	ck_assert_uint_le(o->u.media.nstreams, TRACK_MEDIA_STREAMS_KEEP);
	ck_assert_uint_le(o->u.media.nstreams, o->u.media.streams_total);
	obs_nstreams = o->u.media.nstreams;
	obs_streams_total = o->u.media.streams_total;
	if (obs_nstreams > 0)
		memcpy(obs_streams, o->u.media.streams,
		    obs_nstreams * sizeof obs_streams[0]);
}

static void
setup(void)
{
	struct track_opts	o;

	track_opts_default(&o);
	ngot = nobs = 0;
	obs_nstreams = obs_streams_total = 0;
	md = media_create(NULL);
	tr = track_create(&o, collect, NULL);
	track_media_init(tr, md, NULL);
	ck_assert_int_eq(track_subscribe(tr, observe, NULL), 0);
}

static void
teardown(void)
{
	track_destroy(tr);
	media_destroy(md);
	tr = NULL;
	md = NULL;
}

/* The end of the capture at T_MS, as the engine ends a run. */
static void
finish(int64_t t_ms)
{
	track_advance(tr, T0 + t_ms * 1000);
	track_finish(tr);
	media_finish(md, T0 + t_ms * 1000);
}

static struct sw_addr
addr(const char *s)
{
	struct sw_addr	a;

	fixture_addr(&a, s);
	return (a);
}

/* One SIP message at T_MS (fixture_sip_text()). */
static void
sip(int64_t t_ms, const char *src, const char *dst, const char *text)
{
	char		 buf[8192];
	size_t		 n;
	struct sip_msg	*m;
	enum sip_error	 err;
	struct sw_addr	 s = addr(src), d = addr(dst);

	n = fixture_sip_text(text, buf, sizeof buf);
	ck_assert_msg(sip_parse((const uint8_t *)buf, n, &m, &err) == 0,
	    "parse failed (%d): %s", err, buf);
	track_message(tr, m, T0 + t_ms * 1000, &s, &d, DECODE_TP_UDP, 0);
	sip_msg_free(m);
}

/* An SDP body: IP, PORT, direction attribute DIR (NULL none), VERSION. */
static const char *
sdp(const char *ip, unsigned port, const char *dir, unsigned version)
{
	static char	buf[2][512];
	static int	k;
	char		*b = buf[k++ & 1];

	snprintf(b, sizeof buf[0],
	    "v=0\no=- 42 %u IN IP4 %s\ns=-\nc=IN IP4 %s\nt=0 0\n"
	    "m=audio %u RTP/AVP 0 101\na=rtpmap:0 PCMU/8000\n"
	    "a=rtpmap:101 telephone-event/8000\n%s%s%s",
	    version, ip, ip, port, dir != NULL ? "a=" : "",
	    dir != NULL ? dir : "", dir != NULL ? "\n" : "");
	return (b);
}

/* A request from alice or a response to her; BODY: an SDP or NULL. */
static const char *
req(const char *method, const char *branch, const char *callid,
    const char *ftag, const char *ttag, unsigned cseq, const char *body)
{
	static char	buf[4096];

	snprintf(buf, sizeof buf,
	    "%s sip:bob@10.0.0.2 SIP/2.0\n"
	    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=%s\n"
	    "Max-Forwards: 70\n"
	    "From: <sip:alice@example.com>;tag=%s\n"
	    "To: <sip:bob@example.com>%s%s\n"
	    "Call-ID: %s\n"
	    "CSeq: %u %s\n"
	    "Contact: <sip:alice@10.0.0.1>%s%s",
	    method, branch, ftag, ttag != NULL ? ";tag=" : "",
	    ttag != NULL ? ttag : "", callid, cseq, method,
	    body != NULL ? "\nContent-Type: application/sdp\n\n" : "",
	    body != NULL ? body : "");
	return (buf);
}

static const char *
resp(int code, const char *reason, const char *branch, const char *callid,
    const char *ftag, const char *ttag, unsigned cseq, const char *method,
    const char *body)
{
	static char	buf[4096];

	snprintf(buf, sizeof buf,
	    "SIP/2.0 %d %s\n"
	    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=%s\n"
	    "From: <sip:alice@example.com>;tag=%s\n"
	    "To: <sip:bob@example.com>%s%s\n"
	    "Call-ID: %s\n"
	    "CSeq: %u %s\n"
	    "Contact: <sip:bob@10.0.0.2>%s%s",
	    code, reason, branch, ftag, ttag != NULL ? ";tag=" : "",
	    ttag != NULL ? ttag : "", callid, cseq, method,
	    body != NULL ? "\nContent-Type: application/sdp\n\n" : "",
	    body != NULL ? body : "");
	return (buf);
}

#define A	"10.0.0.1:5060"		/* alice's SIP */
#define B	"10.0.0.2:5060"		/* bob's SIP */
#define AM	"10.0.0.1:4000"		/* alice's RTP */
#define BM	"10.0.0.2:6000"		/* bob's RTP */

/* INVITE (offer AM) at T, 180, 200 (answer BM) at T + 1000, ACK. */
static void
call_up(const char *cid, int64_t t, const char *offer, const char *answer)
{
	sip(t, A, B, req("INVITE", "z9hG4bKi1", cid, "at", NULL, 1,
	    offer != NULL ? offer : sdp("10.0.0.1", 4000, NULL, 1)));
	sip(t + 200, B, A, resp(180, "Ringing", "z9hG4bKi1", cid, "at", "bt",
	    1, "INVITE", NULL));
	sip(t + 1000, B, A, resp(200, "OK", "z9hG4bKi1", cid, "at", "bt", 1,
	    "INVITE", answer != NULL ? answer : sdp("10.0.0.2", 6000, NULL,
	    1)));
	sip(t + 1010, A, B, req("ACK", "z9hG4bKa1", cid, "at", "bt", 1, NULL));
}

static void
call_bye(const char *cid, int64_t t)
{
	sip(t, A, B, req("BYE", "z9hG4bKb1", cid, "at", "bt", 9, NULL));
	sip(t + 10, B, A, resp(200, "OK", "z9hG4bKb1", cid, "at", "bt", 9,
	    "BYE", NULL));
}

/* One RTP flow: 20 ms PCMU packets from FROM to TO in [START, END) ms;
 * every LOSS-th sequence number is not sent (0: none). */
struct flow {
	const char	*from, *to;
	uint32_t	 ssrc;
	int64_t		 start, end;
	unsigned	 loss;
	uint16_t	 seq;
};

static void
rtp_send(const struct flow *f, int64_t t_ms)
{
	uint8_t			 b[12 + 160];
	struct decode_pkt	 p;
	int64_t			 ts = T0 + t_ms * 1000, d;
	uint32_t		 rts = (uint32_t)(t_ms / 20 * 160);

	memset(b, 0xff, sizeof b);
	b[0] = 0x80;
	b[1] = 0;
	b[2] = (uint8_t)(f->seq >> 8);
	b[3] = (uint8_t)f->seq;
	b[4] = (uint8_t)(rts >> 24);
	b[5] = (uint8_t)(rts >> 16);
	b[6] = (uint8_t)(rts >> 8);
	b[7] = (uint8_t)rts;
	b[8] = (uint8_t)(f->ssrc >> 24);
	b[9] = (uint8_t)(f->ssrc >> 16);
	b[10] = (uint8_t)(f->ssrc >> 8);
	b[11] = (uint8_t)f->ssrc;
	memset(&p, 0, sizeof p);
	p.src = addr(f->from);
	p.dst = addr(f->to);
	p.transport = DECODE_TP_UDP;
	p.ts_us = ts;
	p.payload = b;
	p.len = sizeof b;
	/* As the engine does (engine_media()). */
	if ((d = track_next_deadline(tr)) != 0 && d < ts)
		track_advance(tr, ts);
	ck_assert_int_eq(media_packet(md, &p), MEDIA_RTP);
}

/* Every flow of F[N] from FROM to TO ms, in time order. */
static void
run(struct flow *f, unsigned n, int64_t from, int64_t to)
{
	int64_t		t;
	unsigned	i;

	for (t = from; t < to; t += 20) {
		for (i = 0; i < n; i++) {
			if (t < f[i].start || t >= f[i].end)
				continue;
			f[i].seq++;
			if (f[i].loss != 0 && f[i].seq % f[i].loss == 0)
				continue;
			rtp_send(&f[i], t + (int64_t)i);
		}
	}
}

/* The report's per-call media summary of CID. */
static json_t *
summary(json_t *root, const char *cid)
{
	json_t	*calls, *c;
	size_t	 i;

	calls = json_object_get(json_object_get(root, "media"), "calls");
	json_array_foreach(calls, i, c) {
		if (strcmp(json_string_value(json_object_get(c, "call_id")),
		    cid) == 0)
			return (c);
	}
	ck_abort_msg("no media summary for %s", cid);
	return (NULL);
}

static json_int_t
packets(json_t *c, const char *dir)
{
	return (json_integer_value(json_object_get(json_object_get(c, dir),
	    "packets")));
}

/* ------------------------------------------------------------------ */

/* A clean call: no incident; the streams are the call's; the facts. */
START_TEST(test_clean_call)
{
	struct flow	f[] = {
		{ AM, BM, 0xa, 1000, 11000, 0, 0 },
		{ BM, AM, 0xb, 1000, 11000, 0, 0 },
	};
	json_t		*root, *c;

	call_up("clean", 0, NULL, NULL);
	run(f, 2, 1000, 11000);
	call_bye("clean", 11000);
	finish(12000);
	expect(NULL);

	/* Published (TRACK_OBS_MEDIA) as a view stores them. */
	ck_assert_int_gt(nobs, 0);
	ck_assert_str_eq(obs_call, "clean");
	ck_assert_str_eq(obs_codec, "PCMU");
	ck_assert_uint_eq(obs_media.streams, 2);
	ck_assert_uint_eq(obs_media.packets[0], 500);
	ck_assert_uint_eq(obs_media.packets[1], 500);
	ck_assert_int_eq(obs_media.first_us[0], T0 + 1000 * 1000);
	ck_assert_uint_eq(obs_media.flags, 0);
	ck_assert_int_eq(obs_media.mos_known, 1);
	ck_assert(obs_media.worst_mos > 4.3);

	root = json_object();
	track_report(root, tr);
	c = summary(root, "clean");
	ck_assert_int_eq(packets(c, "caller_to_callee"), 500);
	ck_assert_int_eq(packets(c, "callee_to_caller"), 500);
	ck_assert_int_eq(json_integer_value(json_object_get(c, "streams")), 2);
	ck_assert_str_eq(json_string_value(json_object_get(c, "codec")),
	    "PCMU");
	ck_assert(json_is_false(json_object_get(c, "one_way")));
	ck_assert(json_is_false(json_object_get(c, "no_media")));
	json_decref(root);

	/* Each stream carries its call (the report's "media" section). */
	root = json_object();
	media_report(root, md);
	c = json_array_get(json_object_get(json_object_get(root, "media"),
	    "streams"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(c, "call_id")),
	    "clean");
	json_decref(root);
}
END_TEST

/*
 * The streams as TRACK_OBS_MEDIA carries them: each with the figures the
 * report gives, the packets sent after the BYE included (published again
 * when the capture ends), in order of first packet, the direction known.
 */
START_TEST(test_streams_published)
{
	struct flow	f[] = {
		{ BM, AM, 0xb, 1500, 11500, 10, 0 },
		{ AM, BM, 0xa, 1000, 11500, 0, 0 },
	};
	json_t		*root, *st, *e;
	char		 a[SW_ADDRSTRLEN];
	size_t		 i;
	unsigned	 k;

	call_up("pub", 0, NULL, NULL);
	run(f, 2, 1000, 11000);
	call_bye("pub", 11000);
	/* After the BYE: the report counts these, so does the view. */
	run(f, 2, 11000, 11500);
	finish(12000);
	ck_assert_uint_eq(obs_streams_total, 2);
	ck_assert_uint_eq(obs_nstreams, 2);
	/* In order of first packet: alice's (from 1001 ms: run() sends
	 * flow I at I ms) first. */
	ck_assert_uint_eq(obs_streams[0].ssrc, 0xa);
	ck_assert_uint_eq(obs_streams[1].ssrc, 0xb);
	ck_assert_int_eq(obs_streams[0].dir_known, 1);
	ck_assert_int_eq(obs_streams[0].to_caller, 0);
	ck_assert_int_eq(obs_streams[1].to_caller, 1);
	ck_assert_str_eq(obs_streams[0].payload, "PCMU");
	ck_assert_str_eq(sw_addr_format(&obs_streams[1].src, a, sizeof a), BM);
	ck_assert_str_eq(sw_addr_format(&obs_streams[1].dst, a, sizeof a), AM);
	ck_assert_int_eq(obs_streams[0].first_us, T0 + 1001 * 1000);
	ck_assert_int_eq(obs_streams[1].mos_known, 1);
	ck_assert_int_eq(obs_streams[1].jitter_known, 1);
	/* The same figures as the report's streams. */
	root = json_object();
	media_report(root, md);
	st = json_object_get(json_object_get(root, "media"), "streams");
	ck_assert_uint_eq(json_array_size(st), 2);
	json_array_foreach(st, i, e) {
		for (k = 0; k < obs_nstreams; k++) {
			if (strtoul(json_string_value(json_object_get(e,
			    "ssrc")), NULL, 16) == obs_streams[k].ssrc)
				break;
		}
		ck_assert_uint_lt(k, obs_nstreams);
		ck_assert_int_eq(json_integer_value(json_object_get(e,
		    "packets")), (json_int_t)obs_streams[k].packets);
		ck_assert_int_eq(json_integer_value(json_object_get(e, "lost")),
		    obs_streams[k].lost);
		ck_assert(fabs(json_real_value(json_object_get(e, "mos")) -
		    obs_streams[k].mos) < 0.006);
	}
	/* 500 packets from alice (1000 to 11000 ms, then to 11500 ms). */
	ck_assert_uint_eq(obs_streams[0].packets, 525);
	ck_assert_int_gt(obs_streams[1].lost, 0);
	json_decref(root);
}
END_TEST

/* More streams than are copied: the count exact, the busiest kept. */
START_TEST(test_streams_bounded)
{
	struct flow	f[TRACK_MEDIA_STREAMS_KEEP + 3];
	unsigned	i;

	memset(f, 0, sizeof f);
	for (i = 0; i < TRACK_MEDIA_STREAMS_KEEP + 3; i++) {
		f[i].from = BM;
		f[i].to = AM;
		f[i].ssrc = 0x100 + i;
		/* The first three are the shortest. */
		f[i].start = 1000 + (i < 3 ? 9000 : 100 * i);
		f[i].end = 11000;
	}
	call_up("many", 0, NULL, NULL);
	run(f, TRACK_MEDIA_STREAMS_KEEP + 3, 1000, 11000);
	call_bye("many", 11000);
	finish(12000);
	ck_assert_uint_eq(obs_streams_total, TRACK_MEDIA_STREAMS_KEEP + 3);
	ck_assert_uint_eq(obs_nstreams, TRACK_MEDIA_STREAMS_KEEP);
	for (i = 0; i < obs_nstreams; i++) {
		ck_assert_uint_ge(obs_streams[i].ssrc, 0x103);
		if (i > 0)
			ck_assert_int_le(obs_streams[i - 1].first_us,
			    obs_streams[i].first_us);
	}
}
END_TEST

/* The caller never sends: one-way-media 5 s after the answer, naming it. */
START_TEST(test_one_way_never_sent)
{
	struct flow	f[] = { { BM, AM, 0xb, 1000, 12000, 0, 0 } };
	json_t		*root;

	call_up("ow1", 0, NULL, NULL);
	run(f, 1, 1000, 12000);
	call_bye("ow1", 12000);
	finish(13000);
	expect("one-way-media", "ow1", NULL);
	/* Certain 5 s into the silence, judged within the next second. */
	ck_assert_int_ge(got[0].ts, T0 + 6000 * 1000);
	ck_assert_int_le(got[0].ts, T0 + 7100 * 1000);
	ck_assert_str_eq(got[0].src, AM);
	ck_assert_str_eq(got[0].dst, BM);
	ck_assert_ptr_nonnull(strstr(got[0].summary, "the caller (10.0.0.1:4000) "
	    "sent 0 RTP"));
	ck_assert_ptr_nonnull(strstr(got[0].advice, "The callee hears nothing "
	    "from the caller"));
	ck_assert_ptr_nonnull(strstr(got[0].advice, "sent no RTP stream"));
	root = json_object();
	track_report(root, tr);
	ck_assert(json_is_true(json_object_get(summary(root, "ow1"),
	    "one_way")));
	json_decref(root);
}
END_TEST

/*
 * The callee's stream stops after 3 s while the caller's goes on: one-way
 * after 15 s of silence (a pause of a few seconds is voice activity
 * detection), not media-timeout (the caller still sends).
 */
START_TEST(test_one_way_stopped)
{
	struct flow	f[] = {
		{ AM, BM, 0xa, 1000, 30000, 0, 0 },
		{ BM, AM, 0xb, 1000, 4000, 0, 0 },
	};

	call_up("ow2", 0, NULL, NULL);
	run(f, 2, 1000, 30000);
	call_bye("ow2", 30000);
	finish(31000);
	expect("one-way-media", "ow2", NULL);
	ck_assert_int_ge(got[0].ts, T0 + 19000 * 1000);
	ck_assert_int_le(got[0].ts, T0 + 20100 * 1000);
	ck_assert_str_eq(got[0].src, BM);
	ck_assert_ptr_nonnull(strstr(got[0].advice, "stream stopped"));
}
END_TEST

/* A pause of 8 s in one direction (silence suppression) is not one-way. */
START_TEST(test_pause_is_not_one_way)
{
	struct flow	f[] = {
		{ AM, BM, 0xa, 1000, 20000, 0, 0 },
		{ BM, AM, 0xb, 1000, 4000, 0, 0 },
		{ BM, AM, 0xb, 12000, 20000, 0, 150 },
	};

	call_up("vad", 0, NULL, NULL);
	run(f, 3, 1000, 20000);
	call_bye("vad", 20000);
	finish(21000);
	expect(NULL);
}
END_TEST

/*
 * Hold (RFC 3264 8.4): the caller re-INVITEs sendonly, the callee answers
 * recvonly; music on hold one way, then nothing for 20 s: neither
 * one-way-media nor media-timeout.  Resumed, both flow again.
 */
START_TEST(test_hold)
{
	struct flow	f[] = {
		{ AM, BM, 0xa, 1000, 5000, 0, 0 },
		{ BM, AM, 0xb, 1000, 5000, 0, 0 },
		{ AM, BM, 0xa, 5000, 15000, 0, 200 },	/* music on hold */
		{ AM, BM, 0xa, 35000, 45000, 0, 700 },
		{ BM, AM, 0xb, 35000, 45000, 0, 200 },
	};

	call_up("hold", 0, NULL, NULL);
	run(f, 5, 1000, 5000);
	sip(5000, A, B, req("INVITE", "z9hG4bKi2", "hold", "at", "bt", 2,
	    sdp("10.0.0.1", 4000, "sendonly", 2)));
	sip(5050, B, A, resp(200, "OK", "z9hG4bKi2", "hold", "at", "bt", 2,
	    "INVITE", sdp("10.0.0.2", 6000, "recvonly", 2)));
	sip(5060, A, B, req("ACK", "z9hG4bKa2", "hold", "at", "bt", 2, NULL));
	ck_assert(obs_media.flags & TRACK_MEDIA_HOLD);
	run(f, 5, 5000, 35000);
	sip(35000, A, B, req("INVITE", "z9hG4bKi3", "hold", "at", "bt", 3,
	    sdp("10.0.0.1", 4000, "sendrecv", 3)));
	sip(35050, B, A, resp(200, "OK", "z9hG4bKi3", "hold", "at", "bt", 3,
	    "INVITE", sdp("10.0.0.2", 6000, "sendrecv", 3)));
	sip(35060, A, B, req("ACK", "z9hG4bKa3", "hold", "at", "bt", 3, NULL));
	ck_assert(!(obs_media.flags & TRACK_MEDIA_HOLD));
	run(f, 5, 35000, 45000);
	call_bye("hold", 45000);
	finish(46000);
	expect(NULL);
}
END_TEST

/* Resumed from hold, the callee never sends again: one-way, and why. */
START_TEST(test_hold_not_resumed)
{
	struct flow	f[] = {
		{ AM, BM, 0xa, 1000, 5000, 0, 0 },
		{ BM, AM, 0xb, 1000, 5000, 0, 0 },
		{ AM, BM, 0xa, 10000, 25000, 0, 200 },
	};

	call_up("hnr", 0, NULL, NULL);
	run(f, 3, 1000, 5000);
	sip(5000, A, B, req("INVITE", "z9hG4bKi2", "hnr", "at", "bt", 2,
	    sdp("10.0.0.1", 4000, "inactive", 2)));
	sip(5050, B, A, resp(200, "OK", "z9hG4bKi2", "hnr", "at", "bt", 2,
	    "INVITE", sdp("10.0.0.2", 6000, "inactive", 2)));
	run(f, 3, 5000, 10000);
	sip(10000, A, B, req("INVITE", "z9hG4bKi3", "hnr", "at", "bt", 3,
	    sdp("10.0.0.1", 4000, NULL, 3)));
	sip(10050, B, A, resp(200, "OK", "z9hG4bKi3", "hnr", "at", "bt", 3,
	    "INVITE", sdp("10.0.0.2", 6000, NULL, 3)));
	run(f, 3, 10000, 25000);
	call_bye("hnr", 25000);
	finish(26000);
	expect("one-way-media", "hnr", NULL);
	ck_assert_str_eq(got[0].src, BM);
	ck_assert_ptr_nonnull(strstr(got[0].advice, "put on hold and did not "
	    "restart after the resume"));
}
END_TEST

/* Both directions stop, the call stays up: media-timeout after 15 s. */
START_TEST(test_media_timeout)
{
	struct flow	f[] = {
		{ AM, BM, 0xa, 1000, 4000, 0, 0 },
		{ BM, AM, 0xb, 1000, 4000, 0, 0 },
	};

	call_up("to", 0, NULL, NULL);
	run(f, 2, 1000, 4000);
	/* The tracker's clock moves on without RTP (live: the idle clock). */
	track_advance(tr, T0 + 25000 * 1000LL);
	call_bye("to", 25000);
	finish(26000);
	expect("media-timeout", "to", NULL);
	ck_assert_int_ge(got[0].ts, T0 + 18980 * 1000);
	ck_assert_int_le(got[0].ts, T0 + 20100 * 1000);
	ck_assert_ptr_nonnull(strstr(got[0].summary, "RTP stopped in both "
	    "directions"));
}
END_TEST

/*
 * No RTP at all: no-media, but only where this capture is on the media
 * path (it saw the hosts' RTP in an earlier call); a capture of the SIP
 * alone says nothing about media.
 */
START_TEST(test_no_media)
{
	struct flow	f[] = {
		{ "10.0.0.1:4100", "10.0.0.2:6100", 0xc, 1000, 3000, 0, 0 },
		{ "10.0.0.2:6100", "10.0.0.1:4100", 0xd, 1000, 3000, 0, 0 },
	};

	/* Signalling only: silent. */
	call_up("nm0", 0, NULL, NULL);
	track_advance(tr, T0 + 12000 * 1000LL);
	call_bye("nm0", 12000);
	expect(NULL);

	/* A call with RTP between these hosts, then one without. */
	call_up("seen", 20000, sdp("10.0.0.1", 4100, NULL, 1),
	    sdp("10.0.0.2", 6100, NULL, 1));
	f[0].start += 20000; f[0].end += 20000;
	f[1].start += 20000; f[1].end += 20000;
	run(f, 2, 21000, 23000);
	call_bye("seen", 23000);
	call_up("nm1", 30000, NULL, NULL);
	track_advance(tr, T0 + 42000 * 1000LL);
	call_bye("nm1", 42000);
	finish(43000);
	expect("no-media", "nm1", NULL);
	ck_assert_int_ge(got[0].ts, T0 + 36000 * 1000);
	ck_assert_int_le(got[0].ts, T0 + 37100 * 1000);
}
END_TEST

/* RTP starts 3 s after the answer: late-media. */
START_TEST(test_late_media)
{
	struct flow	f[] = {
		{ AM, BM, 0xa, 4000, 10000, 0, 0 },
		{ BM, AM, 0xb, 4000, 10000, 0, 0 },
	};

	call_up("late", 0, NULL, NULL);
	run(f, 2, 1000, 10000);
	call_bye("late", 10000);
	finish(11000);
	expect("late-media", "late", NULL);
	ck_assert_ptr_nonnull(strstr(got[0].summary, "3.0 s after the answer"));
}
END_TEST

/* 20 % of the callee's packets lost: media-quality names the stream. */
START_TEST(test_quality)
{
	struct flow	f[] = {
		{ AM, BM, 0xa, 1000, 12000, 0, 0 },
		{ BM, AM, 0xb, 1000, 12000, 5, 0 },
	};
	json_t		*root, *c;

	call_up("q", 0, NULL, NULL);
	run(f, 2, 1000, 12000);
	call_bye("q", 12000);
	finish(13000);
	expect("media-quality", "q", NULL);
	ck_assert_str_eq(got[0].src, BM);
	ck_assert_str_eq(got[0].dst, AM);
	ck_assert_ptr_nonnull(strstr(got[0].summary, "packets lost (19."));
	ck_assert_ptr_nonnull(strstr(got[0].advice, "loss above 5.0 %"));
	root = json_object();
	track_report(root, tr);
	c = summary(root, "q");
	ck_assert(json_real_value(json_object_get(c, "worst_loss_pct")) > 19.0);
	ck_assert(json_real_value(json_object_get(c, "worst_mos")) < 3.1);
	json_decref(root);
}
END_TEST

/*
 * The caller announces its private address while its SIP arrives from a
 * public one (a NAT without SIP ALG): media-nat-mismatch; the callee's
 * RTP goes to the NAT's address (symmetric RTP), nothing comes back:
 * one-way-media says the NAT is why.
 */
START_TEST(test_nat)
{
	struct flow	f[] = {
		{ BM, "198.51.100.7:4000", 0xb, 1000, 10000, 0, 0 },
	};
	const char	*pub = "198.51.100.7:5060";

	sip(0, pub, B, req("INVITE", "z9hG4bKi1", "nat", "at", NULL, 1,
	    sdp("10.0.0.1", 4000, NULL, 1)));
	sip(1000, B, pub, resp(200, "OK", "z9hG4bKi1", "nat", "at", "bt", 1,
	    "INVITE", sdp("10.0.0.2", 6000, NULL, 1)));
	sip(1010, pub, B, req("ACK", "z9hG4bKa1", "nat", "at", "bt", 1, NULL));
	run(f, 1, 1000, 10000);
	call_bye("nat", 10000);
	finish(11000);
	expect("media-nat-mismatch", "nat", "one-way-media", "nat", NULL);
	ck_assert_ptr_nonnull(strstr(got[0].summary, "private address "
	    "10.0.0.1:4000 while its SIP came from the public address "
	    "198.51.100.7"));
	ck_assert_ptr_nonnull(strstr(got[1].advice, "behind a NAT"));
	ck_assert(obs_media.packets[1] > 400);	/* tied through the NAT */
}
END_TEST

/* RTP from the caller's host but another port than announced. */
START_TEST(test_other_port)
{
	struct flow	f[] = {
		{ "10.0.0.1:4002", BM, 0xa, 1000, 8000, 0, 0 },
		{ BM, AM, 0xb, 1000, 8000, 0, 0 },
	};

	call_up("port", 0, NULL, NULL);
	run(f, 2, 1000, 8000);
	call_bye("port", 8000);
	finish(9000);
	expect("media-nat-mismatch", "port", NULL);
	ck_assert_str_eq(got[0].src, "10.0.0.1:4002");
	ck_assert_ptr_nonnull(strstr(got[0].summary, "another port"));
}
END_TEST

/*
 * A re-INVITE offering T.38 is refused (488): the offer changes nothing
 * (RFC 3264 8), the call goes on with audio both ways expected, so the
 * caller's silence after it is one-way audio.
 */
START_TEST(test_rejected_offer)
{
	struct flow	f[] = {
		{ AM, BM, 0xa, 1000, 3000, 0, 0 },
		{ BM, AM, 0xb, 1000, 15000, 0, 0 },
	};
	const char	*t38 = "v=0\no=- 42 2 IN IP4 10.0.0.1\ns=-\n"
	    "c=IN IP4 10.0.0.1\nt=0 0\nm=image 4000 udptl t38\n";
	json_t		*root;

	call_up("t38", 0, NULL, NULL);
	run(f, 2, 1000, 3000);
	sip(3000, A, B, req("INVITE", "z9hG4bKi2", "t38", "at", "bt", 2, t38));
	sip(3050, B, A, resp(488, "Not Acceptable Here", "z9hG4bKi2", "t38",
	    "at", "bt", 2, "INVITE", NULL));
	sip(3060, A, B, req("ACK", "z9hG4bKi2", "t38", "at", "bt", 2, NULL));
	run(f, 2, 3000, 15000);
	call_bye("t38", 15000);
	finish(16000);
	/* The refusal is media-rejected's (issue 14); the audio after it
	 * is this test's. */
	expect("media-rejected", "t38", "one-way-media", "t38", NULL);
	ck_assert_str_eq(got[1].src, AM);
	root = json_object();
	track_report(root, tr);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(
	    json_object_get(root, "media"), "sdp"), "offers_rejected")), 1);
	json_decref(root);
}
END_TEST

/*
 * Through a proxy that hands the caller the address of a media relay
 * (10.0.0.8:7000) instead of the callee's: two legs, each announced.  The
 * relay takes the caller's RTP and forwards nothing to the callee: the
 * hop next to the callee shows the one-way audio, the other hop where the
 * caller's RTP went.
 */
START_TEST(test_relay_drops)
{
	struct flow	f[] = {
		{ AM, "10.0.0.8:7000", 0xa, 1000, 12000, 0, 0 },
		{ BM, AM, 0xb, 1000, 12000, 0, 0 },
	};
	const char	*K = "10.0.0.9:5060";

	sip(0, A, K, req("INVITE", "z9hG4bKi1", "relay", "at", NULL, 1,
	    sdp("10.0.0.1", 4000, NULL, 1)));
	sip(5, K, B, req("INVITE", "z9hG4bKk1", "relay", "at", NULL, 1,
	    sdp("10.0.0.1", 4000, NULL, 1)));
	sip(1000, B, K, resp(200, "OK", "z9hG4bKk1", "relay", "at", "bt", 1,
	    "INVITE", sdp("10.0.0.2", 6000, NULL, 1)));
	sip(1005, K, A, resp(200, "OK", "z9hG4bKi1", "relay", "at", "bt", 1,
	    "INVITE", sdp("10.0.0.8", 7000, NULL, 7)));
	sip(1010, A, K, req("ACK", "z9hG4bKa1", "relay", "at", "bt", 1, NULL));
	sip(1015, K, B, req("ACK", "z9hG4bKa2", "relay", "at", "bt", 1, NULL));
	run(f, 2, 1000, 12000);
	call_bye("relay", 12000);
	finish(13000);
	expect("one-way-media", "relay", NULL);
	ck_assert_str_eq(got[0].src, AM);
	ck_assert_str_eq(got[0].dst, BM);
	ck_assert_ptr_nonnull(strstr(got[0].advice, "reaches 10.0.0.8:7000"));
	ck_assert_ptr_nonnull(strstr(got[0].advice, "towards the callee "
	    "(10.0.0.2:6000)"));
}
END_TEST

static Suite *
track_media_suite(void)
{
	Suite	*s = suite_create("track_media");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_clean_call);
	tcase_add_test(tc, test_streams_published);
	tcase_add_test(tc, test_streams_bounded);
	tcase_add_test(tc, test_one_way_never_sent);
	tcase_add_test(tc, test_one_way_stopped);
	tcase_add_test(tc, test_pause_is_not_one_way);
	tcase_add_test(tc, test_hold);
	tcase_add_test(tc, test_hold_not_resumed);
	tcase_add_test(tc, test_media_timeout);
	tcase_add_test(tc, test_no_media);
	tcase_add_test(tc, test_late_media);
	tcase_add_test(tc, test_quality);
	tcase_add_test(tc, test_nat);
	tcase_add_test(tc, test_other_port);
	tcase_add_test(tc, test_rejected_offer);
	tcase_add_test(tc, test_relay_drops);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sip_global_init();
	sr = srunner_create(track_media_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
