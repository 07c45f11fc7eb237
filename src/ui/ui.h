/*
 * ui.h: the ncurses dashboard: its model, filled by the capture thread,
 * and the UI thread that draws it.
 *
 * The capture thread (the engine's consumer) feeds the model with every
 * parsed message, every alert and, a few times a second, the counters.
 * The model keeps bounded tables: calls (by Call-ID, least recently
 * updated evicted first) with their messages and raw bytes, remote
 * elements (peers), a ring of alerts and a per-second history of the
 * response classes.  A mutex guards the model; the capture thread holds
 * it only to update, the UI thread only to copy what it draws into its
 * own snapshot (doc/DASHBOARD.md).  Nothing here waits for the terminal.
 *
 * The UI thread owns ncurses: it takes a snapshot at 4 Hz, renders it
 * into a cell grid (src/ui/ui-int.h, testable without a terminal),
 * copies the grid to the screen and reads keys.
 */
#ifndef SW_UI_H
#define SW_UI_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct alert;
struct track_call_tally;
struct track_obs;
struct sip_msg;
struct stats;
struct sw_addr;

/* Bounds of the model; zero fields take the defaults below. */
struct ui_model_limits {
	unsigned	max_calls;	/* calls (Call-IDs with an INVITE)
					   kept: --max-calls */
	unsigned	max_others;	/* other Call-IDs kept (REGISTER,
					   OPTIONS ...) */
	unsigned	max_msgs;	/* messages kept per call */
	size_t		max_call_bytes;	/* raw bytes kept per call */
	size_t		max_bytes;	/* raw bytes kept in all */
	unsigned	max_peers;	/* remote elements kept */
	unsigned	max_alerts;	/* alerts kept (a ring) */
};

#define UI_DEFAULT_MAX_CALLS		20000	/* as sngrep's default */
#define UI_DEFAULT_MAX_OTHERS		5000
#define UI_MAX_CALLS_MAX		1000000	/* --max-calls at most */
#define UI_DEFAULT_MAX_MSGS		200
#define UI_DEFAULT_MAX_CALL_BYTES	(256 * 1024)
#define UI_DEFAULT_MAX_BYTES		(64 * 1024 * 1024)
#define UI_DEFAULT_MAX_PEERS		4096
#define UI_DEFAULT_MAX_ALERTS		1000

struct ui_model;

/*
 * A new, empty model with limits L (copied; NULL for the defaults).
 * Never NULL; aborts on allocation failure.  Free with
 * ui_model_destroy() once no thread uses it.
 */
struct ui_model	*ui_model_create(const struct ui_model_limits *l);
void		 ui_model_destroy(struct ui_model *);

/* What the model holds and what its caps made it let go. */
struct ui_model_usage {
	unsigned	max_calls;	/* the cap on calls */
	unsigned	calls;		/* calls held */
	unsigned	others;		/* other Call-IDs held */
	uint64_t	calls_seen;	/* calls seen in all */
	uint64_t	calls_evicted;	/* calls no longer held (the calls
					   list says "N older calls not
					   shown") */
	uint64_t	others_evicted;	/* other Call-IDs no longer held */
	uint64_t	bytes_released;	/* calls whose raw bytes went to stay
					   within max_bytes */
	size_t		bytes;		/* raw message bytes held */
};

/* Fill OUT (caller's storage) with M's usage; takes the mutex. */
void	ui_model_usage(struct ui_model *m, struct ui_model_usage *out);

/*
 * The usage U as the report's "dashboard" object (a new reference).
 * Aborts on allocation failure.
 */
json_t	*ui_model_usage_json(const struct ui_model_usage *u);

/*
 * What is being read: KIND is "interface" or "file", NAME the device or
 * file name (both copied).  LIVE is 1 for a live capture.  SPEED is the
 * replay speed (0: as fast as possible).  Call before the UI starts.
 */
void	ui_model_source(struct ui_model *, const char *kind, const char *name,
	    int live, double speed);

/*
 * The tracker's observations (track_subscribe(); ARG is the struct
 * ui_model), in capture order: every message (kept for the ladder within
 * the byte limits; the peers' counts and the response-class history),
 * the calls' states and times, transfers, how final responses count for
 * the peers' shares, post-dial delays per server, back-offs.  What is
 * kept is copied.  Takes the model's mutex; never blocks on the UI
 * otherwise.
 */
void	ui_model_observe(const struct track_obs *obs, void *arg);

/* One alert (deep-copied into the ring; the oldest goes when full). */
void	ui_model_alert(struct ui_model *, const struct alert *a);

/*
 * The counters, copied: ST is the engine's (packets, drops, codes ...),
 * TRANSACTIONS and CALL_IDS (Call-ID records) what the tracker holds, DONE and TOTAL the
 * bytes of the file read so far and its size (0 when live or unknown).
 * The engine calls this a few times a second, and once at the end.
 */
void	ui_model_stats(struct ui_model *, const struct stats *st,
	    unsigned transactions, unsigned call_ids, uint64_t done,
	    uint64_t total);

/*
 * The tracker's calls by outcome and RFC 6076 ratios (track_call_tally()),
 * copied for the dashboard's counters; the engine calls this with
 * ui_model_stats().
 */
void	ui_model_calls(struct ui_model *, const struct track_call_tally *t);

/*
 * The capture ended (end of file, stop or error; STATUS is the engine's
 * exit status).  The dashboard keeps showing the final state.
 */
void	ui_model_finish(struct ui_model *, int status);

/*
 * Where exports find the calls' original frames (the engine's frame
 * store): write the frames of the N calls CALL_IDS to a new file PATH
 * (pcap, the capture's link type), in capture order, creating it only
 * when at least one frame is held; *FRAMES gets the frames written and
 * *CALLS the calls that had some.  Returns 0, or -1 with *CAUSE set
 * (caller frees).  Called on the UI thread, or by ui_export_run().
 */
typedef int ui_frames_fn(void *arg, const char *const *call_ids, unsigned n,
	    const char *path, uint64_t *frames, unsigned *calls, char **cause);

/* --export: what ui_export_run() writes at the end of a run. */
struct ui_export_opts {
	unsigned	 fmts;		/* 1 << enum ui_export_fmt (ui-int.h:
					   pcap 0, csv 1, text 2, html 3) */
	const char	*filter;	/* --export-filter, or NULL: all */
	const char	*dir;		/* --export-dir, or NULL: "." */
	ui_frames_fn	*frames;	/* NULL: rebuilt from the messages */
	void		*frames_arg;
};

/*
 * "pcap,html" into a mask of formats for ui_export_opts.fmts, or 0 with
 * *CAUSE set (caller frees) when a name is not a format.
 */
unsigned	ui_export_parse_formats(const char *list, char **cause);
/* Check the filter TEXT: 0, or -1 with *CAUSE set (caller frees). */
int		ui_filter_check(const char *text, char **cause);
/*
 * Write one file per format of O->fmts with every call (every Call-ID)
 * MODEL holds that O->filter matches, named as the dashboard names them,
 * and say on stderr where they went.  Returns 0, or -1 when a file could
 * not be written (said on stderr).
 */
int		ui_export_run(struct ui_model *model,
		    const struct ui_export_opts *o);

/* The dashboard. */
struct ui;

struct ui_opts {
	/*
	 * Called on the UI thread when the user quits (q on the main
	 * screen): the engine stops the capture.  May be NULL.
	 */
	void		 (*quit)(void *arg);
	void		*arg;
	const char	*datadir;	/* knowledge base; NULL for the default */
	const char	*export_dir;	/* where e and s write; NULL: "." */
	ui_frames_fn	*frames;	/* the calls' original frames, or NULL */
	void		*frames_arg;
};

/*
 * Start the UI thread on the terminal (stdout; keys from stdin, or from
 * /dev/tty when stdin is not a terminal).  MODEL is borrowed and must
 * outlive ui_wait().  While the dashboard runs, whatever is written to
 * stderr is shown on the status line and written to the real stderr
 * when it ends.  Returns the UI, or NULL with *CAUSE set (caller frees)
 * when the terminal cannot be set up.
 */
struct ui	*ui_start(struct ui_model *model, const struct ui_opts *o,
		    char **cause);

/* Ask the UI thread to end (as if q was pressed); async-signal-safe. */
void		 ui_stop(struct ui *);

/*
 * Wait for the UI thread to end (the user quit, or ui_stop()); the
 * terminal is restored and what was written to stderr meanwhile is
 * written there.  ui_stop() may still be called until ui_free().
 */
void		 ui_wait(struct ui *);
/* Free a UI that ui_wait() waited for; the model is not freed. */
void		 ui_free(struct ui *);

#endif
