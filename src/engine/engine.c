/*
 * engine.c: the capture loop and the per-packet path.
 *
 * The capture thread reads packets, decodes them, recognises SIP by its
 * start line and pushes SIP payloads into the parse pipeline.  Parsed
 * messages come back on this same thread, in capture order, where they are
 * counted (and, further on, tracked).  Nothing here blocks on the terminal
 * or on output sinks.
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

#include "capture/capture.h"
#include "core/log.h"
#include "core/xmalloc.h"
#include "decode/decode.h"
#include "engine/engine.h"
#include "pipeline/pipeline.h"
#include "report/report.h"
#include "sip/sip.h"
#include "stats/stats.h"
#include "track/retrans.h"

struct engine {
	const struct engine_opts *opts;
	struct capture		*cap;
	struct decode_ctx	*dec;
	struct pipeline		*pl;
	struct retrans		*rt;
	struct stats		 st;
	int			 dlt;
	uint64_t		 frame;
	int			 frame_sip;	/* current frame carried SIP */
};

static volatile sig_atomic_t	 engine_stopping;
static struct capture		*engine_cap;	/* for engine_stop() */

void
engine_stop(void)
{
	engine_stopping = 1;
	if (engine_cap != NULL)
		capture_breakloop(engine_cap);
}

/* Parsed (or failed) SIP message, in capture order. */
static void
engine_consume(struct pipe_item *it, void *arg)
{
	struct engine	*e = arg;

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
	if (retrans_check_digest(e->rt, it->ts_us, it->digest)) {
		e->st.retransmissions++;
		log_debug("frame %llu: retransmission",
		    (unsigned long long)it->frame);
	}
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
	e->frame_sip = 1;
	pipeline_push(e->pl, pkt, kind, line.status, e->frame);
}

static void
engine_packet(int64_t ts_us, const uint8_t *data, size_t caplen,
    size_t wirelen, void *arg)
{
	struct engine	*e = arg;
	int		 ev;

	e->frame++;
	e->st.packets++;
	e->st.bytes += wirelen;
	if (e->st.first_ts_us == 0)
		e->st.first_ts_us = ts_us;
	e->st.last_ts_us = ts_us;

	e->frame_sip = 0;
	ev = decode_frame(e->dec, e->dlt, ts_us, data, caplen, wirelen,
	    engine_payload, e);
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
	}
	return (0);
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
	e.pl = pipeline_create(opts->workers, engine_consume, &e);
	engine_cap = e.cap;

	if (capture_is_live(e.cap)) {
		/* Like tcpdump: tells scripts and people the capture is up. */
		if (log_get_verbosity() > 0)
			log_warnx("listening on %s, link-type %d, %u parse "
			    "threads", opts->capture.device, e.dlt,
			    opts->workers);
		status = engine_loop_live(&e);
	} else
		status = engine_loop_file(&e);
	pipeline_stop(e.pl);
	engine_cap = NULL;
	(void)capture_stats(e.cap, &e.st.kernel_drops, &e.st.if_drops);

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
	clock_gettime(CLOCK_MONOTONIC, &t1);
	rs.wall_s = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (getrusage(RUSAGE_THREAD, &ru) == 0)
		rs.capture_cpu_s = (double)ru.ru_utime.tv_sec +
		    (double)ru.ru_utime.tv_usec / 1e6 +
		    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	rs.parse_cpu_s = pipeline_parse_cpu(e.pl);
	if (opts->report == ENGINE_REPORT_JSON)
		report_print_json(&rs, stdout);
	else if (opts->report == ENGINE_REPORT_TEXT)
		report_print_text(&rs, stdout);

	pipeline_destroy(e.pl);
	retrans_destroy(e.rt);
	decode_destroy(e.dec);
	capture_close(e.cap);
	return (status);
}
