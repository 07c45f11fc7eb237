/*
 * engine.c: the capture loop and the per-packet path.
 *
 * The capture thread reads packets, decodes them, recognises SIP by its
 * start line and pushes SIP payloads into the parse pipeline.  Parsed
 * messages come back on this same thread, in capture order, where they are
 * counted and tracked (src/track), which raises alerts (src/alert).
 * With the dashboard, messages, alerts and counters also go to its
 * model (src/ui), which the UI thread copies from; nothing here blocks
 * on the terminal or on output sinks.  A replay at --speed=N sleeps
 * here, between packets, to follow their timestamps.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "alert/alert.h"
#include "capture/capture.h"
#include "capture/capture-dump.h"
#include "core/clock.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/sink.h"
#include "core/xmalloc.h"
#include "decode/decode.h"
#include "engine/engine.h"
#include "engine/engine-svc.h"
#include "hep/hep.h"
#include "kb/kb.h"
#include "media/media.h"
#include "metrics/metrics.h"
#include "pipeline/pipeline.h"
#include "report/report.h"
#include "sip/sip.h"
#include "stats/stats.h"
#include "pipeline/retrans.h"
#include "track/track.h"
#include "ui/ui.h"

struct engine {
	const struct engine_opts *opts;
	struct capture		*cap;
	struct decode_ctx	*dec;
	struct pipeline		*pl;
	struct retrans		*rt;
	struct track		*tr;		/* transactions, dialogs, rules */
	struct media		*media;		/* RTP and RTCP (src/media) */
	int64_t			 media_drops_ms; /* capture drops last given */
	struct alert_out	*ao;		/* where alerts go */
	struct kb		*kb;		/* loaded for alert advice, or NULL */
	struct stats		 st;
	int			 dlt;
	uint64_t		 frame;
	int			 frame_sip;	/* current frame carried SIP */
	struct engine_svc	 svc;		/* syslog, -w, -Z ... */
	struct ui_model		*um;		/* the dashboard's (or for
						   --export), or NULL */
	struct ui		*ui;
	struct ui_model_usage	 um_usage;	/* the model's, at its end */
	int			 um_used;	/* um_usage is filled */
	/*
	 * The SIP frames of the calls, for exports (the dashboard's e and
	 * s, --export=pcap): fed on this thread, written on the UI thread,
	 * hence the mutex.  NULL without a dashboard or --export, and for
	 * HEP input (no frames).
	 */
	struct capture_save	*frames;
	pthread_mutex_t		 frames_mtx;
	const uint8_t		*cur_data;	/* the frame being decoded */
	size_t			 cur_caplen;
	size_t			 cur_wirelen;
	int64_t			 cur_ts;
	int			 cur_kept;	/* it is in the frame store */
	int64_t			 ui_pushed_ms;	/* last counters pushed */
	int64_t			 pace_ts0;	/* --speed: first packet time */
	int64_t			 pace_wall0;	/* ... and the clock then (µs) */
	struct hep_sender	*hs;		/* --hep, or NULL */
	struct hep_listener	*hl;		/* --hep-listen, or NULL */
	int64_t			 hep_last_ts;	/* packet time of the last HEP
						   message ... */
	int64_t			 hep_last_wall;	/* ... and the clock then (µs) */
	struct metrics		*mx;		/* --metrics(-file), or NULL */
	struct metrics_obs	*mobs;
	int64_t			 mx_last_ms;	/* last rendered (monotonic) */
	int64_t			 progress_ms;	/* last progress line; 0 none */
	int64_t			 start_ms;
};

/* Every fd the live loop polls: pcap, the HEP socket, HEP agents. */
#define ENGINE_POLL_MAX	(2 + HEP_LISTEN_MAX_CONN)

static volatile sig_atomic_t	 engine_stopping;
static struct capture		*engine_cap;	/* for engine_stop() */
static struct ui		*engine_ui;	/* for engine_stop() */

void
engine_stop(void)
{
	engine_stopping = 1;
	if (engine_cap != NULL)
		capture_breakloop(engine_cap);
	if (engine_ui != NULL)
		ui_stop(engine_ui);
}

/* The user quit the dashboard: stop the capture (on the UI thread). */
static void
engine_ui_quit(void *arg)
{
	(void)arg;
	engine_stopping = 1;
	if (engine_cap != NULL)
		capture_breakloop(engine_cap);
}

/*
 * The counters to the dashboard, at most every 100 ms unless FORCE:
 * packets, drops (pcap_stats, live), the tracker's tables, replay
 * progress.
 */
static void
engine_ui_stats(struct engine *e, int force)
{
	struct track_usage	u;
	struct track_call_tally	tally;
	uint64_t		done = 0, total = 0;
	int64_t			now;

	if (e->um == NULL)
		return;
	now = sw_clock_us(CLOCK_MONOTONIC) / 1000;
	if (!force && now - e->ui_pushed_ms < 100)
		return;
	e->ui_pushed_ms = now;
	if (e->cap == NULL)
		;
	else if (capture_is_live(e->cap))
		(void)capture_stats(e->cap, &e->st.kernel_drops,
		    &e->st.if_drops);
	else
		capture_progress(e->cap, &done, &total);
	track_usage(e->tr, &u);
	ui_model_stats(e->um, &e->st, u.transactions, u.call_ids, done, total);
	track_call_tally(e->tr, &tally);
	ui_model_calls(e->um, &tally);
}

/*
 * --speed=N: wait until packet time TS_US is due (N times the recorded
 * pace).  Everything before it is parsed and shown first.  Wakes every
 * 100 ms to notice engine_stop().  Time going back does not wait.
 */
static void
engine_pace(struct engine *e, int64_t ts_us)
{
	struct timespec	ts;
	int64_t		due, now, left;

	if (e->pace_wall0 == 0) {
		e->pace_ts0 = ts_us;
		e->pace_wall0 = sw_clock_us(CLOCK_MONOTONIC);
		return;
	}
	due = e->pace_wall0 + (int64_t)((double)(ts_us - e->pace_ts0) /
	    e->opts->speed);
	if (sw_clock_us(CLOCK_MONOTONIC) >= due)
		return;
	pipeline_flush(e->pl);
	engine_ui_stats(e, 1);
	while (!engine_stopping &&
	    (now = sw_clock_us(CLOCK_MONOTONIC)) < due) {
		left = due - now;
		if (left > 100000)
			left = 100000;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)left * 1000;
		nanosleep(&ts, NULL);
	}
}

/* Parsed (or failed) SIP message, in capture order. */
static void
engine_consume(struct pipe_item *it, void *arg)
{
	struct engine	*e = arg;
	int		 retrans;

	if (it->kind == SIP_DETECT_REQUEST) {
		const uint8_t *sp = memchr(it->data, ' ', it->len);

		stats_count_request(&e->st, (const char *)it->data,
		    sp != NULL ? (size_t)(sp - it->data) : 0);
	} else
		stats_count_response(&e->st, it->status);

	if (it->err != SIP_ERR_NONE) {
		e->st.parse_errors++;
		e->st.parse_error_by[it->err]++;
	}
	if (it->msg != NULL && it->msg->partial)
		e->st.parse_salvaged++;
	if ((retrans = retrans_check_digest(e->rt, it->ts_us, it->digest))) {
		e->st.retransmissions++;
		log_debug("frame %llu: retransmission",
		    (unsigned long long)it->frame);
	}
	/* Timers first: a deadline before this packet fires before it. */
	track_advance(e->tr, it->ts_us);
	/* The views (dashboard, metrics) are the tracker's subscribers. */
	if (it->msg != NULL)
		track_message(e->tr, it->msg, it->ts_us, &it->src, &it->dst,
		    it->transport, it->flags | (retrans ? TRACK_F_RETRANS : 0));
	engine_svc_message(&e->svc, it);
	if (e->frames != NULL && it->msg != NULL &&
	    it->msg->call_id.s != NULL) {
		pthread_mutex_lock(&e->frames_mtx);
		capture_save_message(e->frames, it->frame, it->msg->call_id.s,
		    it->msg->call_id.len);
		pthread_mutex_unlock(&e->frames_mtx);
	}
	/* --hep: a copy to the collector; never waits (drops are counted). */
	if (e->hs != NULL)
		(void)hep_sender_push(e->hs, it->ts_us, &it->src, &it->dst,
		    it->transport, it->msg != NULL ?
		    (const uint8_t *)it->msg->call_id.s : NULL,
		    it->msg != NULL ? it->msg->call_id.len : 0, it->data,
		    it->len);
}

/*
 * With --hep-listen: a copy of A into C naming the agent that last
 * reported a message from A's source (or else to its destination).
 * Returns 1 with C to be cleared by the caller, or 0 when A already has
 * an agent or none is known.
 */
static int
engine_alert_agent(struct engine *e, const struct alert *a, struct alert *c)
{
	const struct hep_agent	*ag = NULL;
	struct sw_addr		 addr;

	if (a->agent[0] != '\0')
		return (0);
	if (sw_addr_parse(a->src, &addr) == 0)
		ag = hep_listener_peer_agent(e->hl, &addr);
	if (ag == NULL && sw_addr_parse(a->dst, &addr) == 0)
		ag = hep_listener_peer_agent(e->hl, &addr);
	if (ag == NULL)
		return (0);
	alert_copy(c, a);
	hep_agent_format(ag, c->agent, sizeof c->agent);
	return (1);
}

/* An alert from the tracker: to every sink, as it fires. */
static void
engine_alert(const struct alert *a, void *arg)
{
	struct engine	*e = arg;
	struct alert	 c;

	/* Collecting HEP: name the agent that reported the message. */
	if (e->hl != NULL && engine_alert_agent(e, a, &c)) {
		engine_alert(&c, e);
		alert_clear(&c);
		return;
	}
	engine_svc_alert(&e->svc, a);
	if (e->um != NULL)
		ui_model_alert(e->um, a);
}

/* The knowledge base's "fix" text for CODE, for alert advice. */
static const char *
engine_kb_fix(int code, void *arg)
{
	const struct kb_entry	*k;

	if ((k = kb_lookup(arg, code)) == NULL)
		return (NULL);
	return (k->fix);
}

/*
 * Live capture, link idle: let the tracker's clock follow the wall clock
 * so timers fire without traffic.  Everything captured so far is parsed
 * and consumed first, and the clock is held back by the poll interval so
 * a packet still in the kernel buffer cannot be overtaken.
 */
static void
engine_idle_clock(struct engine *e)
{
	int64_t		now;

	if ((now = sw_clock_us(CLOCK_REALTIME)) == 0)
		return;
	if (e->hl != NULL) {
		/*
		 * HEP: the agents' clocks, or a replay's timestamps, need not
		 * be ours.  Packet time moves on from the last HEP message by
		 * the wall time since it came.
		 */
		if (e->hep_last_wall == 0)
			return;
		now = e->hep_last_ts + (now - e->hep_last_wall);
	}
	pipeline_flush(e->pl);
	now -= 500000;
	track_advance(e->tr, now);
	media_advance(e->media, now);
	engine_svc_clock(&e->svc, now);
}

/*
 * --hep: an RTCP compound the media analyser recognised, as HOMER's agents
 * send it (protocol type 5, JSON), with the Call-ID of the call its
 * reports are about as correlation id.  Never waits (drops are counted).
 */
static void
engine_hep_rtcp(struct engine *e, const struct decode_pkt *pkt)
{
	const char	*cid;
	char		*json;
	size_t		 cid_len;

	if ((json = hep_rtcp_json(pkt->payload, pkt->len)) == NULL)
		return;
	cid = media_packet_call_id(e->media, &cid_len);
	(void)hep_sender_push_proto(e->hs, HEP_PROTO_RTCP, pkt->ts_us,
	    &pkt->src, &pkt->dst, pkt->transport, (const uint8_t *)cid,
	    cid_len, (const uint8_t *)json, strlen(json));
	free(json);
}

/*
 * A UDP payload that is not SIP, for the media analyser.  When it looks
 * like RTP or RTCP (version 2), the SIP messages captured before it are
 * tracked first, so the SDP that ties it to a call is known, and the
 * tracker's deadlines up to its time fire (the media rules look at the
 * streams as they are then).  Payloads in capture order, whatever the
 * parse workers.
 */
static void
engine_media(struct engine *e, const struct decode_pkt *pkt)
{
	enum media_kind	 kind;
	const char	*cid;
	size_t		 cid_len;
	int64_t		 d;

	if (pkt->len >= 4 && (pkt->payload[0] >> 6) == 2) {
		if (pipeline_busy(e->pl))
			pipeline_sync(e->pl);
		if ((d = track_next_deadline(e->tr)) != 0 && d < pkt->ts_us)
			track_advance(e->tr, pkt->ts_us);
	}
	if ((kind = media_packet(e->media, pkt)) == MEDIA_NONE)
		return;
	/* The call's original frames: --save-alerted, exports. */
	if ((cid = media_packet_call_id(e->media, &cid_len)) != NULL) {
		engine_svc_media_frame(&e->svc, cid, cid_len);
		if (e->frames != NULL && e->cur_data != NULL) {
			pthread_mutex_lock(&e->frames_mtx);
			capture_save_media(e->frames, e->frame, e->cur_ts,
			    e->cur_data, e->cur_caplen, e->cur_wirelen, cid,
			    cid_len);
			pthread_mutex_unlock(&e->frames_mtx);
		}
	}
	if (kind == MEDIA_RTCP && e->hs != NULL)
		engine_hep_rtcp(e, pkt);
}

/* A transport payload from the decoder. */
static void
engine_payload(const struct decode_pkt *pkt, void *arg)
{
	struct engine		*e = arg;
	struct sip_startline	 line;
	enum sip_detect		 kind;

	kind = sip_detect(pkt->payload, pkt->len, &line);
	switch (kind) {
	case SIP_DETECT_NOT_SIP:
		/* RTP and RTCP are on UDP (src/media). */
		if (pkt->transport == DECODE_TP_UDP)
			engine_media(e, pkt);
		return;
	case SIP_DETECT_KEEPALIVE:
		e->st.keepalives++;
		return;
	case SIP_DETECT_REQUEST:
	case SIP_DETECT_RESPONSE:
		break;
	}
	if (!e->frame_sip)
		engine_svc_sip_frame(&e->svc);
	e->frame_sip = 1;
	if (e->frames != NULL && e->cur_data != NULL && !e->cur_kept) {
		e->cur_kept = 1;
		pthread_mutex_lock(&e->frames_mtx);
		capture_save_frame(e->frames, e->frame, e->cur_ts, e->cur_data,
		    e->cur_caplen, e->cur_wirelen);
		pthread_mutex_unlock(&e->frames_mtx);
	}
	pipeline_push(e->pl, pkt, kind, line.status, e->frame);
}

static void
engine_packet(int64_t ts_us, const uint8_t *data, size_t caplen,
    size_t wirelen, void *arg)
{
	struct engine	*e = arg;
	int		 ev;

	if (e->opts->speed > 0)
		engine_pace(e, ts_us);
	e->frame++;
	e->st.packets++;
	e->st.bytes += wirelen;
	if (e->st.first_ts_us == 0)
		e->st.first_ts_us = ts_us;
	e->st.last_ts_us = ts_us;
	engine_svc_packet(&e->svc, e->frame, ts_us, data, caplen, wirelen);

	e->frame_sip = 0;
	e->cur_data = data;
	e->cur_caplen = caplen;
	e->cur_wirelen = wirelen;
	e->cur_ts = ts_us;
	e->cur_kept = 0;
	/* Per packet: a pcapng file may mix link types. */
	ev = decode_frame(e->dec, capture_datalink(e->cap), ts_us, data, caplen,
	    wirelen,
	    engine_payload, e);
	engine_svc_packet_end(&e->svc);
	e->cur_data = NULL;
	if (e->frame_sip)
		e->st.sip_packets++;
	else if (ev != DECODE_DELIVERED && decode_event_is_error(ev))
		e->st.decode_errors++;
	else
		e->st.non_sip++;
}

/*
 * A SIP message from a HEP agent (hep_listener_read()): counted as a
 * packet, then on the same path as a captured payload.
 */
static void
engine_hep_payload(const struct decode_pkt *pkt, void *arg)
{
	struct engine	*e = arg;

	e->frame++;
	e->st.packets++;
	e->st.bytes += pkt->len;
	if (e->st.first_ts_us == 0)
		e->st.first_ts_us = pkt->ts_us;
	e->st.last_ts_us = pkt->ts_us;
	e->frame_sip = 0;
	engine_payload(pkt, e);
	if (e->frame_sip)
		e->st.sip_packets++;
	else
		e->st.non_sip++;
	e->hep_last_ts = pkt->ts_us;
	e->hep_last_wall = sw_clock_us(CLOCK_REALTIME);
}

/*
 * Every output of the run (core/sink.h) into V[0 .. SW_SINKS_MAX): the
 * alert sinks, the service layer's, --hep.  Returns how many.
 */
static unsigned
engine_sinks(struct engine *e, struct sw_sink *v)
{
	struct hep_send_stats	hs;
	unsigned		n;

	n = alert_out_sinks(e->ao, v, SW_SINKS_MAX);
	n += engine_svc_sinks(&e->svc, v + n, SW_SINKS_MAX - n);
	if (e->hs != NULL && n < SW_SINKS_MAX) {
		hep_sender_stats(e->hs, &hs);
		memset(&v[n], 0, sizeof v[n]);
		v[n].kind = "hep";
		v[n].target = e->opts->hep_url;
		v[n].sent = hs.sent;
		v[n].failed = hs.failed;
		v[n].dropped = hs.dropped_full + hs.dropped_too_large +
		    hs.dropped_shutdown;
		v[n].queued = hs.queue_len;
		n++;
	}
	return (n);
}

/*
 * --metrics, --metrics-file: render the counters for the HTTP thread
 * and the file about once a second (every time when FINAL).
 */
static void
engine_metrics(struct engine *e, int final)
{
	struct metrics_src	 ms;
	struct sw_sink		 sinks[SW_SINKS_MAX];
	uint64_t		 done, total;
	int64_t			 now;
	size_t			 len;
	char			*text;

	if (e->mx == NULL)
		return;
	now = sw_clock_ms(CLOCK_MONOTONIC);
	if (!final && now - e->mx_last_ms < 1000)
		return;
	e->mx_last_ms = now;
	memset(&ms, 0, sizeof ms);
	ms.stats = &e->st;
	ms.decode = decode_stats(e->dec);
	ms.track = e->tr;
	ms.obs = e->mobs;
	ms.media = e->media;
	ms.hep_send = e->hs;
	ms.hep_listen = e->hl;
	ms.sinks = sinks;
	ms.nsinks = engine_sinks(e, sinks);
	ms.progress_done = ms.progress_total = -1;
	if (e->cap != NULL && capture_is_live(e->cap)) {
		ms.live = capture_stats(e->cap, &ms.kernel_drops,
		    &ms.if_drops) == 0;
	} else if (e->cap != NULL) {
		capture_progress(e->cap, &done, &total);
		ms.progress_done = (int64_t)done;
		ms.progress_total = (int64_t)total;
	}
	text = metrics_render(&ms, &len);
	metrics_publish(e->mx, text, len, final);
}

/*
 * Offline with -N on a terminal: bytes read of the total, messages per
 * second and the time left, on one stderr line rewritten at most once a
 * second; FINAL clears it.  stdout (the report) is never touched.
 */
static void
engine_progress(struct engine *e, int final)
{
	uint64_t	done, total;
	int64_t		now, el;
	double		rate, eta;

	if (!e->opts->progress || e->cap == NULL)
		return;
	if (final) {
		if (e->progress_ms != 0)
			fputs("\r\033[K", stderr);
		return;
	}
	now = sw_clock_ms(CLOCK_MONOTONIC);
	if (now - (e->progress_ms != 0 ? e->progress_ms : e->start_ms) < 1000)
		return;
	e->progress_ms = now;
	capture_progress(e->cap, &done, &total);
	el = now - e->start_ms;
	rate = el > 0 ? (double)e->st.messages * 1000.0 / (double)el : 0;
	if (total > 0 && done > 0 && done <= total) {
		eta = (double)(total - done) * (double)el / (double)done /
		    1000.0;
		fputc('\r', stderr);
		fprintf(stderr, _("%.1f of %.1f MiB (%.0f%%), %.0f "
		    "messages/s, %d:%02d left"), (double)done / 1048576.0,
		    (double)total / 1048576.0, 100.0 * (double)done /
		    (double)total, rate, (int)(eta / 60), (int)eta % 60);
	} else {
		fputc('\r', stderr);
		fprintf(stderr, _("%.1f MiB, %.0f messages/s"),
		    (double)done / 1048576.0, rate);
	}
	fputs("\033[K", stderr);
	fflush(stderr);
}

static int
engine_loop_file(struct engine *e)
{
	char	*cause;
	int	 n;

	for (;;) {
		n = capture_dispatch(e->cap, 1024, engine_packet, e, &cause);
		engine_svc_tick(&e->svc);
		engine_ui_stats(e, 0);
		engine_progress(e, 0);
		engine_metrics(e, 0);
		if (n == CAPTURE_EOF || n == CAPTURE_BREAK || engine_stopping ||
		    log_stdout_closed())
			return (0);
		if (n == CAPTURE_ERROR) {
			log_warnx("%s: %s", e->opts->capture.file != NULL ?
			    e->opts->capture.file : "(stream)", cause);
			free(cause);
			return (2);
		}
	}
}

/*
 * Live: the capture's drops, about once a second, so that each RTP
 * stream can tell the capture's loss from the network's, and each alert
 * whether the capture lost packets near its evidence (drops_nearby).
 */
static void
engine_capture_drops(struct engine *e)
{
	int64_t	now;

	if (e->cap == NULL || !capture_is_live(e->cap))
		return;
	now = sw_clock_ms(CLOCK_MONOTONIC);
	if (now - e->media_drops_ms < 1000)
		return;
	e->media_drops_ms = now;
	if (capture_stats(e->cap, &e->st.kernel_drops, &e->st.if_drops) ==
	    0) {
		media_capture_drops(e->media, e->st.kernel_drops +
		    e->st.if_drops);
		track_capture_drops(e->tr, e->st.kernel_drops +
		    e->st.if_drops);
	}
}

/*
 * Live: poll the pcap fd and the HEP listener's sockets (either may be
 * absent) with a 250 ms tick, and read whatever is ready.
 */
/*
 * Stopping (SIGINT/SIGTERM): what the kernel already holds was captured
 * before the signal, so read it rather than lose it, including the ring
 * block not yet handed over (capture_hold_ms()).  Non-blocking; a
 * pending breakloop request makes one read return at once, hence the
 * retry.  Bounded, in case packets keep arriving.
 */
static void
engine_drain(struct engine *e)
{
	char	*cause;
	int64_t	 until;
	int	 reads, n;

	if (e->cap == NULL)
		return;
	until = sw_clock_ms(CLOCK_MONOTONIC) + capture_hold_ms(e->cap) + 20;
	for (reads = 0; reads < 64;) {
		n = capture_dispatch(e->cap, -1, engine_packet, e, &cause);
		if (n == CAPTURE_ERROR) {
			free(cause);
			return;
		}
		if (n > 0 || n == CAPTURE_BREAK) {
			reads++;
			continue;
		}
		if (sw_clock_ms(CLOCK_MONOTONIC) >= until)
			return;
		(void)poll(NULL, 0, 10);
	}
}

static int
engine_loop_live(struct engine *e)
{
	struct pollfd	 pfd[ENGINE_POLL_MAX];
	struct timespec	 now, last_kick;
	char		*cause;
	long		 since;
	int		 n, fd;
	unsigned	 nfd;

	clock_gettime(CLOCK_MONOTONIC, &last_kick);
	fd = e->cap != NULL ? capture_fd(e->cap) : -1;
	while (!engine_stopping && !log_stdout_closed()) {
		nfd = 0;
		if (fd != -1) {
			pfd[nfd].fd = fd;
			pfd[nfd].events = POLLIN;
			nfd++;
		}
		if (e->hl != NULL)
			nfd += hep_listener_pollfds(e->hl, pfd + nfd,
			    ENGINE_POLL_MAX - nfd);
		if (nfd > 0 && poll(pfd, nfd, 250) == -1 && errno != EINTR) {
			log_warn("poll");
			return (2);
		}
		n = 0;
		if (e->cap != NULL) {
			n = capture_dispatch(e->cap, -1, engine_packet, e,
			    &cause);
			if (n == CAPTURE_BREAK)
				break;
			if (n == CAPTURE_ERROR) {
				log_warnx("%s: %s", e->opts->capture.device,
				    cause);
				free(cause);
				return (2);
			}
		}
		if (e->hl != NULL)
			n += (int)hep_listener_read(e->hl,
			    sw_clock_us(CLOCK_REALTIME), engine_hep_payload, e);
		/*
		 * Hand the partly filled batch to the workers when the link
		 * went quiet or every 10 ms, so verdicts stay prompt without
		 * waking the workers for every few packets.
		 */
		clock_gettime(CLOCK_MONOTONIC, &now);
		since = (now.tv_sec - last_kick.tv_sec) * 1000 +
		    (now.tv_nsec - last_kick.tv_nsec) / 1000000;
		if (n == 0 || since >= 10) {
			pipeline_kick(e->pl);
			last_kick = now;
		}
		pipeline_poll(e->pl);
		if (n == 0)
			engine_idle_clock(e);
		engine_capture_drops(e);
		engine_svc_tick(&e->svc);
		engine_ui_stats(e, 0);
		engine_metrics(e, 0);
	}
	engine_drain(e);
	return (0);
}

/* Close what engine_open_outputs() opened. */
static void
engine_close_outputs(struct engine *e)
{
	hep_sender_destroy(e->hs);
	hep_listener_close(e->hl);
	metrics_destroy(e->mx);
	metrics_obs_destroy(e->mobs);
	e->hs = NULL;
	e->hl = NULL;
	e->mx = NULL;
	e->mobs = NULL;
}

/*
 * --hep, --hep-listen, --metrics, --metrics-file.  Returns 0, or 1 with
 * *CAUSE set (nothing is left open then).
 */
static int
engine_open_outputs(struct engine *e, char **cause)
{
	const struct engine_opts	*opts = e->opts;
	struct hep_send_opts		 ho;

	if (opts->hep_listen != NULL && (e->hl = hep_listener_open(
	    opts->hep_listen, opts->hep_password, cause)) == NULL)
		return (1);
	if (opts->hep_url != NULL) {
		memset(&ho, 0, sizeof ho);
		ho.url = opts->hep_url;
		ho.capture_id = opts->hep_id;
		ho.password = opts->hep_password;
		if ((e->hs = hep_sender_create(&ho, cause)) == NULL)
			goto fail;
	}
	if (opts->metrics != NULL || opts->metrics_file != NULL) {
		if ((e->mx = metrics_create(opts->metrics, opts->metrics_file,
		    cause)) == NULL)
			goto fail;
		e->mobs = metrics_obs_create();
	}
	return (0);
fail:
	engine_close_outputs(e);
	return (1);
}

/*
 * The alert sinks (--alerts, or readable lines with -N), the knowledge
 * base for their advice, and the tracker.  Returns 0, or 1 with *CAUSE
 * set when the alert file cannot be opened.
 */
static int
engine_open_alerts(struct engine *e, char **cause)
{
	const struct engine_opts	*opts = e->opts;
	struct track_opts		 to = opts->track;
	const struct kb			*kb;
	char				*why = NULL;

	e->ao = alert_out_create();
	if (opts->alerts != NULL) {
		if (alert_out_add(e->ao, &alert_sink_json, opts->alerts,
		    cause) == -1)
			return (1);
	} else if (opts->alerts_text) {
		if (alert_out_add(e->ao, &alert_sink_text, "-", cause) == -1)
			return (1);
	}
	kb = opts->kb;
	if (kb == NULL && (kb = e->kb = kb_load(opts->datadir,
	    i18n_language(), &why)) == NULL) {
		log_debug("alerts without knowledge-base advice: %s", why);
		free(why);
	}
	if (kb != NULL) {
		to.kb_fix = engine_kb_fix;
		to.kb_arg = (void *)(uintptr_t)kb;	/* read only */
	}
	e->tr = track_create(&to, engine_alert, e);
	track_media_init(e->tr, e->media, &opts->media);
	if (opts->correlate != NULL &&
	    track_correlate(e->tr, opts->correlate, &why) != 0) {
		*cause = xasprintf("--correlate: %s", why);
		free(why);
		return (1);
	}
	if (e->mobs != NULL)
		(void)track_subscribe(e->tr, metrics_obs_observe, e->mobs);
	return (0);
}

/* Exports: the original frames of CALL_IDS to PATH (ui_frames_fn). */
static int
engine_frames_write(void *arg, const char *const *call_ids, unsigned n,
    const char *path, uint64_t *frames, unsigned *calls, char **cause)
{
	struct engine	*e = arg;
	int		 r;

	pthread_mutex_lock(&e->frames_mtx);
	r = capture_save_write_calls(e->frames, call_ids, n, path, frames,
	    calls, cause);
	pthread_mutex_unlock(&e->frames_mtx);
	return (r);
}

/*
 * The dashboard's model (also without a dashboard, for --export), the
 * frame store for exports, and the UI thread, started before the parse
 * workers so that they inherit its signal mask (ui_start()).  Returns
 * 0, or 1 with *CAUSE set when the terminal cannot be used.
 */
static int
engine_open_ui(struct engine *e, char **cause)
{
	const struct engine_opts	*opts = e->opts;
	struct capture_save_opts	 so;
	struct ui_opts			 uo;
	struct ui_model_limits		 ul;

	memset(&ul, 0, sizeof ul);
	ul.max_calls = opts->ui_max_calls;
	e->um = ui_model_create(&ul);
	if (e->cap == NULL)
		ui_model_source(e->um, "hep", opts->hep_listen, 1, 0);
	else if (capture_is_live(e->cap))
		ui_model_source(e->um, "interface", opts->capture.device, 1, 0);
	else
		ui_model_source(e->um, "file", opts->capture.file != NULL ?
		    opts->capture.file : "(stream)", 0, opts->speed);
	if (e->cap != NULL) {
		memset(&so, 0, sizeof so);
		so.keep = 1;
		so.dlt = e->dlt;
		so.snaplen = opts->capture.snaplen;
		e->frames = capture_save_create(&so, cause);
		pthread_mutex_init(&e->frames_mtx, NULL);
	}
	if (!opts->ui) {
		/* --export without a dashboard: the model alone. */
		(void)track_subscribe(e->tr, ui_model_observe, e->um);
		return (0);
	}
	memset(&uo, 0, sizeof uo);
	uo.quit = engine_ui_quit;
	uo.arg = e;
	uo.datadir = opts->datadir;
	uo.export_dir = opts->export_dir;
	if (e->frames != NULL) {
		uo.frames = engine_frames_write;
		uo.frames_arg = e;
	}
	if ((e->ui = ui_start(e->um, &uo, cause)) == NULL) {
		ui_model_destroy(e->um);
		e->um = NULL;
		return (1);
	}
	engine_ui = e->ui;
	(void)track_subscribe(e->tr, ui_model_observe, e->um);
	return (0);
}

/* --export: the files, once everything was read and tracked. */
static void
engine_export(struct engine *e)
{
	const struct engine_opts	*opts = e->opts;
	struct ui_export_opts		 xo;

	if (opts->export_fmts == 0 || e->um == NULL)
		return;
	memset(&xo, 0, sizeof xo);
	xo.fmts = opts->export_fmts;
	xo.filter = opts->export_filter;
	xo.dir = opts->export_dir;
	if (e->frames != NULL) {
		xo.frames = engine_frames_write;
		xo.frames_arg = e;
	}
	(void)ui_export_run(e->um, &xo);
}

/* The report sections of the tracker, the service layer and HEP. */
static void
engine_report_extend(json_t *root, void *arg)
{
	struct engine	*e = arg;
	struct sw_sink	 sinks[SW_SINKS_MAX];

	media_report(root, e->media);
	track_report(root, e->tr);	/* adds the calls to "media" */
	engine_svc_report(root, &e->svc);
	report_sinks(root, sinks, engine_sinks(e, sinks));
	if (e->um_used)
		json_object_set_new(root, "dashboard",
		    ui_model_usage_json(&e->um_usage));
	if (e->hs != NULL || e->hl != NULL)
		json_object_set_new(root, "hep", hep_report_json(e->hs, e->hl));
}

/*
 * Release everything engine_run() opened, in the reverse order; every
 * piece may be missing (a set-up step that failed), so this serves the
 * error paths and the end of a run alike.
 */
static void
engine_free(struct engine *e)
{
	if (e->pl != NULL)
		pipeline_destroy(e->pl);
	e->pl = NULL;
	engine_svc_close(&e->svc);
	track_destroy(e->tr);
	media_destroy(e->media);
	e->media = NULL;
	alert_out_close(e->ao);
	kb_free(e->kb);
	retrans_destroy(e->rt);
	decode_destroy(e->dec);
	engine_close_outputs(e);
	if (e->frames != NULL) {
		capture_save_destroy(e->frames);
		pthread_mutex_destroy(&e->frames_mtx);
		e->frames = NULL;
	}
	if (e->um != NULL && e->ui == NULL) {
		ui_model_usage(e->um, &e->um_usage);
		e->um_used = 1;
		ui_model_destroy(e->um);	/* --export without a dashboard */
		e->um = NULL;
	}
	if (e->cap != NULL)
		capture_close(e->cap);
	e->tr = NULL;
	e->ao = NULL;
	e->kb = NULL;
	e->rt = NULL;
	e->dec = NULL;
	e->cap = NULL;
}

int
engine_run(const struct engine_opts *opts)
{
	struct engine		 e;
	struct report_src	 rs;
	struct timespec		 t0, t1;
	struct rusage		 ru;
	char			*cause = NULL;
	int			 status, r;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&e, 0, sizeof e);
	e.opts = opts;
	e.start_ms = sw_clock_ms(CLOCK_MONOTONIC);
	/* --hep-listen alone: the HEP agents are the only source. */
	if (opts->hep_listen == NULL || opts->capture.device != NULL ||
	    opts->capture.file != NULL || opts->capture.stream != NULL) {
		if ((e.cap = capture_open(&opts->capture, &cause)) == NULL) {
			log_warnx("%s", cause);
			free(cause);
			return (1);
		}
		e.dlt = capture_datalink(e.cap);
		if (!decode_dlt_supported(e.dlt))
			log_warnx("link type %d is not supported: every frame "
			    "will be counted as decode.link.unsupported",
			    e.dlt);
	}
	if (engine_open_outputs(&e, &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
		engine_free(&e);
		return (1);
	}
	e.dec = decode_create();
	e.media = media_create(NULL);
	if (e.mobs != NULL)
		(void)media_on_end(e.media, metrics_obs_stream, e.mobs);
	e.rt = retrans_create(opts->retrans_max != 0 ? opts->retrans_max :
	    RETRANS_DEFAULT_MAX, RETRANS_DEFAULT_WINDOW_US);
	if ((status = engine_open_alerts(&e, &cause)) != 0) {
		log_warnx("%s", cause);
		free(cause);
		engine_free(&e);
		return (status);
	}
	/* Syslog, -w, --save-alerted; then -Z, before any thread starts. */
	if (engine_svc_open(&e.svc, &opts->svc, e.ao, e.tr, e.dlt,
	    opts->capture.snaplen, &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
		engine_free(&e);
		return (1);
	}
	engine_cap = e.cap;
	if ((opts->ui || opts->export_fmts != 0) &&
	    (status = engine_open_ui(&e, &cause)) != 0) {
		log_warnx("%s", cause);
		free(cause);
		engine_cap = NULL;
		engine_free(&e);
		return (status);
	}
	if (!opts->ui && opts->ui_model) {
		/* The dashboard's model alone: fuzzing and tests. */
		e.um = ui_model_create(NULL);
		(void)track_subscribe(e.tr, ui_model_observe, e.um);
	}
	e.pl = pipeline_create(opts->workers, engine_consume, &e);

	if (e.cap == NULL || capture_is_live(e.cap)) {
		/* Like tcpdump: tells scripts and people the capture is up. */
		if (log_get_verbosity() > 0 && e.cap != NULL)
			log_warnx("listening on %s, link-type %d, %u parse "
			    "threads", opts->capture.device, e.dlt,
			    opts->workers);
		if (log_get_verbosity() > 0 && e.hl != NULL)
			log_warnx("collecting HEP on %s", opts->hep_listen);
		status = engine_loop_live(&e);
	} else
		status = engine_loop_file(&e);
	engine_progress(&e, 1);
	/* Messages held behind a TCP hole that can no longer be filled. */
	decode_flush(e.dec, e.st.last_ts_us, engine_payload, &e);
	pipeline_stop(e.pl);
	engine_cap = NULL;
	/*
	 * The capture went on until its last packet (SIP or not): deadlines
	 * up to then have passed; only later ones are pending at the end.
	 */
	if (e.cap != NULL && capture_is_live(e.cap) &&
	    capture_stats(e.cap, &e.st.kernel_drops, &e.st.if_drops) == 0)
		track_capture_drops(e.tr, e.st.kernel_drops + e.st.if_drops);
	if (e.st.last_ts_us != 0)
		track_advance(e.tr, e.st.last_ts_us + 1);
	track_finish(e.tr);
	engine_svc_finish(&e.svc, e.st.last_ts_us);
	if (e.cap != NULL)
		(void)capture_stats(e.cap, &e.st.kernel_drops,
		    &e.st.if_drops);
	media_capture_drops(e.media, e.st.kernel_drops + e.st.if_drops);
	media_finish(e.media, e.st.last_ts_us);
	if (e.um != NULL) {
		engine_ui_stats(&e, 1);
		ui_model_finish(e.um, status);
	}
	engine_export(&e);
	if (e.hs != NULL)
		hep_sender_stop(e.hs);	/* what was queued is sent first */
	engine_metrics(&e, 1);

	memset(&rs, 0, sizeof rs);
	if (e.cap == NULL) {
		rs.source_type = "hep";
		rs.source_name = opts->hep_listen;
	} else if (opts->capture.file != NULL || opts->capture.stream != NULL) {
		rs.source_type = "file";
		rs.source_name = opts->capture.file != NULL ?
		    opts->capture.file : "(stream)";
	} else {
		rs.source_type = "interface";
		rs.source_name = opts->capture.device;
		rs.kernel_drops_note = capture_drops_note(e.cap);
	}
	rs.stats = &e.st;
	rs.decode = decode_stats(e.dec);
	rs.workers = opts->workers;
	rs.extend = engine_report_extend;
	rs.extend_arg = &e;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	rs.wall_s = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (getrusage(RUSAGE_THREAD, &ru) == 0)
		rs.capture_cpu_s = (double)ru.ru_utime.tv_sec +
		    (double)ru.ru_utime.tv_usec / 1e6 +
		    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	rs.parse_cpu_s = pipeline_parse_cpu(e.pl);
	if (e.ui != NULL) {
		/* The final state stays on screen until the user quits. */
		ui_wait(e.ui);
		engine_ui = NULL;
		ui_free(e.ui);
	}
	if (e.um != NULL) {
		track_unsubscribe(e.tr, ui_model_observe, e.um);
		ui_model_usage(e.um, &e.um_usage);
		e.um_used = 1;
		ui_model_destroy(e.um);
		e.um = NULL;
	}
	/*
	 * Nobody reads standard output any more (| head): no report; its
	 * reader going away while it is written ends the run quietly too.
	 */
	if (log_stdout_closed())
		r = 0;
	else if (opts->report == ENGINE_REPORT_JSON)
		r = report_print_json(&rs, stdout);
	else if (opts->report == ENGINE_REPORT_TEXT)
		r = report_print_summary(&rs, stdout);
	else if (opts->report == ENGINE_REPORT_FULL)
		r = report_print_text(&rs, stdout);
	else
		r = 0;
	/* Any other error: the report is missing, which must not pass. */
	if (r != 0 && !log_stdout_epipe(errno)) {
		log_warn("cannot write the report");
		if (status == 0)
			status = 3;
	}

	engine_free(&e);
	return (status);
}
