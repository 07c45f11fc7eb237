/*
 * metrics.h: sipwatch's counters for Prometheus (--metrics, an HTTP
 * endpoint; --metrics-file, a file for node_exporter's textfile
 * collector), in the text exposition format 0.0.4.  doc/METRICS.md
 * lists every metric.
 *
 * Three parts:
 * - metrics-observe.c: what the other modules do not count the way
 *   Prometheus wants it: responses per peer and class, and post-dial
 *   delay and setup time as histograms in seconds, fed one parsed
 *   message at a time on the capture thread.
 * - metrics-render.c: the text, built from a struct metrics_src on the
 *   capture thread (which owns every table it reads).
 * - metrics-serve.c: the HTTP endpoint (libmicrohttpd, its own thread)
 *   and the file.  The capture thread renders a new text about once a
 *   second and swaps it in under a mutex; the HTTP thread only copies
 *   the current text, never touching a live table.
 */
#ifndef SW_METRICS_H
#define SW_METRICS_H

#include <stddef.h>
#include <stdint.h>

struct decode_stats;
struct hep_listener;
struct media;
struct media_stream_info;
struct hep_sender;
struct sip_msg;
struct stats;
struct sw_addr;
struct sw_sink;
struct track;

/* Histogram bucket bounds (seconds) of the call latency histograms. */
#define METRICS_LAT_BUCKETS	13
extern const double metrics_lat_bounds[METRICS_LAT_BUCKETS];

/* Bounds of the RTP stream histograms (doc/METRICS.md, "Media"): MOS,
 * mean interarrival jitter (seconds) and loss (ratio, 0 to 1). */
#define METRICS_MOS_BUCKETS	10
#define METRICS_JITTER_BUCKETS	10
#define METRICS_LOSS_BUCKETS	10
extern const double metrics_mos_bounds[METRICS_MOS_BUCKETS];
extern const double metrics_jitter_bounds[METRICS_JITTER_BUCKETS];
extern const double metrics_loss_bounds[METRICS_LOSS_BUCKETS];

#define METRICS_HIST_MAX	13	/* bounds of any histogram, at most */

struct metrics_hist {
	const double	*bounds;	/* NBOUNDS increasing upper bounds */
	unsigned	 nbounds;
	uint64_t	 bucket[METRICS_HIST_MAX];	/* not cumulative */
	uint64_t	 over;		/* above the last bound (+Inf only) */
	uint64_t	 count;
	double		 sum;		/* in the histogram's unit */
};

#define METRICS_PEERS_MAX	256	/* peers labelled; more are "other" */

/* ------------------------------------------------------------------ */
/* metrics-observe.c */

struct metrics_obs;
struct track_obs;

/* An empty observer; never NULL.  Free with metrics_obs_destroy(). */
struct metrics_obs *metrics_obs_create(void);
void		 metrics_obs_destroy(struct metrics_obs *);

/*
 * The tracker's observations (track_subscribe(); ARG is the struct
 * metrics_obs): every response counts for its sender (by IP) in its
 * class (1xx .. 6xx); each call's session request delay (post-dial
 * delay, RFC 6076 4.3) and setup time as the tracker measured them.
 */
void		 metrics_obs_observe(const struct track_obs *obs, void *arg);

/*
 * An RTP stream that ended, with its final figures as the media module
 * measured them (media_on_end(); ARG is the struct metrics_obs): its
 * expected and lost packets (RFC 3550 A.3; a negative loss counts as 0)
 * are added to the totals, and its MOS (G.107, when scored), mean
 * interarrival jitter (RFC 3550 A.8, when the clock rate is known) and
 * loss ratio (when a packet was expected) to the histograms.  Capture
 * thread only.
 */
void		 metrics_obs_stream(const struct media_stream_info *info,
		    void *arg);

/* ------------------------------------------------------------------ */
/* metrics-render.c */

/* What is rendered; every pointer but the first may be NULL. */
struct metrics_src {
	const struct stats		*stats;
	const struct decode_stats	*decode;
	const struct track		*track;
	const struct metrics_obs	*obs;
	const struct media		*media;		/* RTP and RTCP counters */
	struct hep_sender		*hep_send;
	const struct hep_listener	*hep_listen;
	int				 live;		/* kernel counters valid */
	uint64_t			 kernel_drops;	/* pcap_stats */
	uint64_t			 if_drops;
	int64_t				 progress_done;	/* bytes read, -1 unknown */
	int64_t				 progress_total;
	const struct sw_sink		*sinks;		/* every output */
	unsigned			 nsinks;
};

/*
 * The exposition text for SRC (every metric with HELP and TYPE; label
 * values escaped as the format requires).  Returns a string the caller
 * frees, its length in *LEN.  Never NULL (aborts on allocation failure).
 */
char		*metrics_render(const struct metrics_src *src, size_t *len);

/* ------------------------------------------------------------------ */
/* metrics-serve.c */

struct metrics;

/*
 * Start serving: LISTEN ("ADDR:PORT", "[V6]:PORT" or ":PORT" for every
 * address; NULL for none) over HTTP at /metrics, and/or write FILE (NULL
 * for none) every METRICS_FILE_INTERVAL_S seconds and at exit, replacing
 * it atomically (a temporary file in the same directory, renamed).
 * Returns the handle (caller owns it: metrics_destroy()), or NULL with
 * *CAUSE set (caller frees) when the address cannot be bound.  Until the
 * first metrics_publish() the endpoint answers 503.
 */
#define METRICS_FILE_INTERVAL_S	10
struct metrics	*metrics_create(const char *listen, const char *file,
		    char **cause);

/*
 * Hand over TEXT (LEN bytes, from metrics_render(); taken over) as what
 * the endpoint serves from now on, and write the file when it is due
 * (FINAL: now, whatever the interval).  A file that cannot be written is
 * reported once on stderr and does not stop the run.
 */
void		 metrics_publish(struct metrics *, char *text, size_t len,
		    int final);

/* Stop the HTTP thread and free everything.  NULL is accepted. */
void		 metrics_destroy(struct metrics *);

#endif
