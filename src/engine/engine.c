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
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "alert/alert.h"
#include "capture/capture.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/xmalloc.h"
#include "decode/decode.h"
#include "engine/engine.h"
#include "engine/engine-svc.h"
#include "kb/kb.h"
#include "pipeline/pipeline.h"
#include "report/report.h"
#include "sip/sip.h"
#include "stats/stats.h"
#include "track/retrans.h"
#include "track/track.h"
#include "ui/ui.h"

struct engine {
	const struct engine_opts *opts;
	struct capture		*cap;
	struct decode_ctx	*dec;
	struct pipeline		*pl;
	struct retrans		*rt;
	struct track		*tr;		/* transactions, dialogs, rules */
	struct alert_out	*ao;		/* where alerts go */
	struct kb		*kb;		/* for alert advice; may be NULL */
	struct stats		 st;
	int			 dlt;
	uint64_t		 frame;
	int			 frame_sip;	/* current frame carried SIP */
	struct engine_svc	 svc;		/* syslog, -w, -Z ... */
	struct ui_model		*um;		/* the dashboard's, or NULL */
	struct ui		*ui;
	int64_t			 ui_pushed_ms;	/* last counters pushed */
	int64_t			 pace_ts0;	/* --speed: first packet time */
	int64_t			 pace_wall0;	/* ... and the clock then (µs) */
};

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

static int64_t
engine_clock_us(clockid_t id)
{
	struct timespec	ts;

	clock_gettime(id, &ts);
	return ((int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
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
	uint64_t		done = 0, total = 0;
	int64_t			now;

	if (e->um == NULL)
		return;
	now = engine_clock_us(CLOCK_MONOTONIC) / 1000;
	if (!force && now - e->ui_pushed_ms < 100)
		return;
	e->ui_pushed_ms = now;
	if (capture_is_live(e->cap))
		(void)capture_stats(e->cap, &e->st.kernel_drops,
		    &e->st.if_drops);
	else
		capture_progress(e->cap, &done, &total);
	track_usage(e->tr, &u);
	ui_model_stats(e->um, &e->st, u.transactions, u.dialogs, done, total);
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
		e->pace_wall0 = engine_clock_us(CLOCK_MONOTONIC);
		return;
	}
	due = e->pace_wall0 + (int64_t)((double)(ts_us - e->pace_ts0) /
	    e->opts->speed);
	if ((now = engine_clock_us(CLOCK_MONOTONIC)) >= due)
		return;
	pipeline_flush(e->pl);
	engine_ui_stats(e, 1);
	while (!engine_stopping &&
	    (now = engine_clock_us(CLOCK_MONOTONIC)) < due) {
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
	if ((retrans = retrans_check_digest(e->rt, it->ts_us, it->digest))) {
		e->st.retransmissions++;
		log_debug("frame %llu: retransmission",
		    (unsigned long long)it->frame);
	}
	/* Timers first: a deadline before this packet fires before it. */
	track_advance(e->tr, it->ts_us);
	/* The dashboard first, so an alert about it finds its call. */
	if (it->msg != NULL && e->um != NULL)
		ui_model_message(e->um, it->msg, it->ts_us, &it->src, &it->dst,
		    it->transport, retrans);
	if (it->msg != NULL)
		track_message(e->tr, it->msg, it->ts_us, &it->src, &it->dst,
		    it->transport);
	engine_svc_message(&e->svc, it);
}

/* An alert from the tracker: to every sink, as it fires. */
static void
engine_alert(const struct alert *a, void *arg)
{
	struct engine	*e = arg;

	if (!engine_svc_alert(&e->svc, a))
		alert_out_emit(e->ao, a);
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
	struct timespec	ts;
	int64_t		now;

	if (clock_gettime(CLOCK_REALTIME, &ts) == -1)
		return;
	pipeline_flush(e->pl);
	now = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000 - 500000;
	track_advance(e->tr, now);
	engine_svc_clock(&e->svc, now);
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
	/* Per packet: a pcapng file may mix link types. */
	ev = decode_frame(e->dec, capture_datalink(e->cap), ts_us, data, caplen,
	    wirelen,
	    engine_payload, e);
	engine_svc_packet_end(&e->svc);
	if (e->frame_sip)
		e->st.sip_packets++;
	else if (ev >= 0 && decode_event_is_error(ev))
		e->st.decode_errors++;
	else
		e->st.non_sip++;
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
		if (n == CAPTURE_EOF || n == CAPTURE_BREAK || engine_stopping)
			return (0);
		if (n == CAPTURE_ERROR) {
			log_warnx("%s: %s", e->opts->capture.file, cause);
			free(cause);
			return (2);
		}
	}
}

static int
engine_loop_live(struct engine *e)
{
	struct pollfd	 pfd;
	struct timespec	 now, last_kick;
	char		*cause;
	long		 since;
	int		 n, fd;

	clock_gettime(CLOCK_MONOTONIC, &last_kick);
	fd = capture_fd(e->cap);
	while (!engine_stopping) {
		if (fd != -1) {
			pfd.fd = fd;
			pfd.events = POLLIN;
			if (poll(&pfd, 1, 250) == -1 && errno != EINTR) {
				log_warn("poll");
				return (2);
			}
		}
		n = capture_dispatch(e->cap, -1, engine_packet, e, &cause);
		if (n == CAPTURE_BREAK)
			break;
		if (n == CAPTURE_ERROR) {
			log_warnx("%s: %s", e->opts->capture.device, cause);
			free(cause);
			return (2);
		}
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
		engine_svc_tick(&e->svc);
		engine_ui_stats(e, 0);
	}
	return (0);
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
	if ((e->kb = kb_load(NULL, i18n_language(), &why)) == NULL) {
		log_debug("alerts without knowledge-base advice: %s", why);
		free(why);
	} else {
		to.kb_fix = engine_kb_fix;
		to.kb_arg = e->kb;
	}
	e->tr = track_create(&to, engine_alert, e);
	return (0);
}

/*
 * The dashboard: its model and the UI thread, started before the parse
 * workers so that they inherit its signal mask (ui_start()).  Returns 0,
 * or 1 with *CAUSE set when the terminal cannot be used.
 */
static int
engine_open_ui(struct engine *e, char **cause)
{
	const struct engine_opts	*opts = e->opts;
	struct ui_opts			 uo;

	e->um = ui_model_create(NULL);
	if (capture_is_live(e->cap))
		ui_model_source(e->um, "interface", opts->capture.device, 1, 0);
	else
		ui_model_source(e->um, "file", opts->capture.file != NULL ?
		    opts->capture.file : "(stream)", 0, opts->speed);
	memset(&uo, 0, sizeof uo);
	uo.quit = engine_ui_quit;
	uo.arg = e;
	if ((e->ui = ui_start(e->um, &uo, cause)) == NULL) {
		ui_model_destroy(e->um);
		e->um = NULL;
		return (1);
	}
	engine_ui = e->ui;
	return (0);
}

/* The report sections of the tracker and of the service layer. */
static void
engine_report_extend(json_t *root, void *arg)
{
	struct engine	*e = arg;

	track_report(root, e->tr);
	engine_svc_report(root, &e->svc);
}

int
engine_run(const struct engine_opts *opts)
{
	struct engine		 e;
	struct report_src	 rs;
	struct timespec		 t0, t1;
	struct rusage		 ru;
	char			*cause = NULL;
	int			 status;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&e, 0, sizeof e);
	e.opts = opts;
	if ((e.cap = capture_open(&opts->capture, &cause)) == NULL) {
		log_warnx("%s", cause);
		free(cause);
		return (1);
	}
	e.dlt = capture_datalink(e.cap);
	if (!decode_dlt_supported(e.dlt))
		log_warnx("link type %d is not supported: every frame will be "
		    "counted as decode.link.unsupported", e.dlt);
	e.dec = decode_create();
	e.rt = retrans_create(RETRANS_DEFAULT_MAX, RETRANS_DEFAULT_WINDOW_US);
	if ((status = engine_open_alerts(&e, &cause)) != 0) {
		log_warnx("%s", cause);
		free(cause);
		retrans_destroy(e.rt);
		decode_destroy(e.dec);
		capture_close(e.cap);
		return (status);
	}
	/* Syslog, -w, --save-alerted; then -Z, before any thread starts. */
	if (engine_svc_open(&e.svc, &opts->svc, e.ao, e.tr, e.dlt,
	    opts->capture.snaplen, &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
		engine_svc_close(&e.svc);
		track_destroy(e.tr);
		alert_out_close(e.ao);
		kb_free(e.kb);
		retrans_destroy(e.rt);
		decode_destroy(e.dec);
		capture_close(e.cap);
		return (1);
	}
	engine_cap = e.cap;
	if (opts->ui && (status = engine_open_ui(&e, &cause)) != 0) {
		log_warnx("%s", cause);
		free(cause);
		engine_cap = NULL;
		track_destroy(e.tr);
		alert_out_close(e.ao);
		kb_free(e.kb);
		retrans_destroy(e.rt);
		decode_destroy(e.dec);
		capture_close(e.cap);
		return (status);
	}
	e.pl = pipeline_create(opts->workers, engine_consume, &e);

	if (capture_is_live(e.cap)) {
		/* Like tcpdump: tells scripts and people the capture is up. */
		if (log_get_verbosity() > 0)
			log_warnx("listening on %s, link-type %d, %u parse "
			    "threads", opts->capture.device, e.dlt,
			    opts->workers);
		status = engine_loop_live(&e);
	} else
		status = engine_loop_file(&e);
	/* Messages held behind a TCP hole that can no longer be filled. */
	decode_flush(e.dec, e.st.last_ts_us, engine_payload, &e);
	pipeline_stop(e.pl);
	engine_cap = NULL;
	/*
	 * The capture went on until its last packet (SIP or not): deadlines
	 * up to then have passed; only later ones are pending at the end.
	 */
	if (e.st.last_ts_us != 0)
		track_advance(e.tr, e.st.last_ts_us + 1);
	track_finish(e.tr);
	engine_svc_finish(&e.svc, e.st.last_ts_us);
	(void)capture_stats(e.cap, &e.st.kernel_drops, &e.st.if_drops);
	if (e.um != NULL) {
		engine_ui_stats(&e, 1);
		ui_model_finish(e.um, status);
	}

	memset(&rs, 0, sizeof rs);
	if (opts->capture.file != NULL || opts->capture.stream != NULL) {
		rs.source_type = "file";
		rs.source_name = opts->capture.file != NULL ?
		    opts->capture.file : "(stream)";
	} else {
		rs.source_type = "interface";
		rs.source_name = opts->capture.device;
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
		ui_model_destroy(e.um);
		e.um = NULL;
	}
	if (opts->report == ENGINE_REPORT_JSON)
		report_print_json(&rs, stdout);
	else if (opts->report == ENGINE_REPORT_TEXT)
		report_print_text(&rs, stdout);

	pipeline_destroy(e.pl);
	engine_svc_close(&e.svc);
	track_destroy(e.tr);
	alert_out_close(e.ao);
	kb_free(e.kb);
	retrans_destroy(e.rt);
	decode_destroy(e.dec);
	capture_close(e.cap);
	return (status);
}
