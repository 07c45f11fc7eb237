/*
 * engine-svc.h: what makes sipwatch a good citizen of the host it runs
 * on, wired into the engine's packet path: the rate limit in front of
 * every alert sink, syslog sinks, -w evidence with rotation,
 * --save-alerted per-call pcaps, the --blocklist file (engine-block.h),
 * SIGHUP reopening, and -Z privilege dropping.  doc/OPERATIONS.md.
 *
 * The engine embeds a struct engine_svc and calls the functions below at
 * fixed points; with no option of this module given, each is a few
 * pointer tests.  All on the engine's thread, except engine_reopen()
 * (a signal handler).
 */
#ifndef SW_ENGINE_SVC_H
#define SW_ENGINE_SVC_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "alert/alert-rate.h"
#include "capture/capture-dump.h"

#define ENGINE_SVC_REMOTE_MAX	4

struct engine_svc_opts {
	const char		*syslog;	/* --syslog: facility, or NULL */
	const char		*syslog_socket;	/* NULL: /dev/log */
	const char		*remote[ENGINE_SVC_REMOTE_MAX];
	unsigned		 nremote;	/* --syslog-remote URLs */
	unsigned		 rate;		/* --alert-rate: lines per
						   second (0: no limit) */
	unsigned		 rate_burst;	/* ... and bucket depth */
	struct capture_dump_opts dump;		/* -w (file NULL: off) */
	const char		*save_alerted;	/* directory, or NULL */
	const char		*user;		/* -Z, or NULL */
	const char		*blocklist;	/* --blocklist FILE, or NULL */
};

/* Defaults: nothing on, the rate limit at ALERT_RATE_RATE/BURST. */
void	engine_svc_opts_default(struct engine_svc_opts *o);

struct alert;
struct alert_out;
struct engine_block;
struct pipe_item;
struct track;

struct engine_svc {
	const struct engine_svc_opts *o;
	struct alert_out	*out;		/* every sink (borrowed) */
	struct alert_rate	*rate;		/* in front of OUT */
	struct capture_dump	*dump;
	struct capture_save	*save;
	struct engine_block	*block;		/* --blocklist */
	struct track		*tr;
	const uint8_t		*cur;		/* frame being decoded */
	uint64_t		 cur_frame;
	int64_t			 cur_ts;
	size_t			 cur_caplen;
	size_t			 cur_wirelen;
	int			 cur_kept;
	int64_t			 now_us;	/* packet time, for --blocklist */
};

/*
 * Open what O asks for (O is borrowed for the whole run): the syslog
 * sinks (added to OUT, the engine's sinks), the rate limit in front of
 * OUT, -w for link type DLT and SNAPLEN, the --save-alerted directory
 * and its subscription to TR; then drop privileges (-Z).  Call after the
 * capture, the alert file and the knowledge base are open and before any
 * thread is started.  Returns 0, or -1 with *CAUSE set (caller frees);
 * then engine_svc_close() still must be called.
 */
int	engine_svc_open(struct engine_svc *, const struct engine_svc_opts *o,
	    struct alert_out *out, struct track *tr, int dlt, int snaplen,
	    char **cause);

/* An incident line from the tracker: through the rate limit to OUT. */
void	engine_svc_alert(struct engine_svc *, const struct alert *a);

/*
 * Frame number FRAME at TS_US (µs), CAPLEN bytes at DATA (borrowed until
 * engine_svc_packet_end()), WIRELEN on the wire: written to -w.
 */
void	engine_svc_packet(struct engine_svc *, uint64_t frame, int64_t ts_us,
	    const uint8_t *data, size_t caplen, size_t wirelen);

/* The frame being decoded carries SIP (first payload): --save-alerted. */
void	engine_svc_sip_frame(struct engine_svc *);

/*
 * The frame being decoded carries RTP or RTCP of the call CALL_ID (LEN
 * bytes, borrowed; media_packet_call_id()): --save-alerted keeps it with
 * the call's frames.
 */
void	engine_svc_media_frame(struct engine_svc *, const char *call_id,
	    size_t len);

/* The frame is decoded: DATA is no longer valid. */
void	engine_svc_packet_end(struct engine_svc *);

/* A parsed message was tracked (capture order). */
void	engine_svc_message(struct engine_svc *, const struct pipe_item *it);

/* The tracker's clock moved to NOW_US without a message (idle link). */
void	engine_svc_clock(struct engine_svc *, int64_t now_us);

/*
 * Regular work, never blocking: a pending SIGHUP reopens --alerts and
 * -w, queued syslog messages are sent, -w is flushed every second.
 */
void	engine_svc_tick(struct engine_svc *);

/*
 * End of input at LAST_US (the last packet time), after track_finish():
 * every call that raised an alert is saved, what the rate limit still
 * holds back is reported, the tracker subscription is removed; then
 * every alert sink (the engine's too) is drained and -w flushed, so
 * that the counts the report shows are final.
 */
void	engine_svc_finish(struct engine_svc *, int64_t last_us);

struct sw_sink;

/*
 * The outputs of this module (core/sink.h) into V[0 .. MAX): -w,
 * --save-alerted (the syslog sinks are among the engine's alert sinks).
 * Returns how many were filled; their strings are borrowed from S.
 */
unsigned engine_svc_sinks(struct engine_svc *s, struct sw_sink *v,
	    unsigned max);

/* Add this module's report sections to ROOT (none when all is off). */
void	engine_svc_report(json_t *root, struct engine_svc *);

/*
 * Close everything: syslog queues are drained (bounded wait), -w is
 * flushed and closed.  Safe after a failed engine_svc_open().
 */
void	engine_svc_close(struct engine_svc *);

/* Ask for --alerts and -w to be reopened (SIGHUP); async-signal-safe. */
void	engine_reopen(void);

#endif
