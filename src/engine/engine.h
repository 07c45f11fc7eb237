/*
 * engine.h: one run of sipwatch: capture -> decode -> parse (pipeline) ->
 * count/track -> report.  main.c fills the options and calls engine_run().
 */
#ifndef SW_ENGINE_H
#define SW_ENGINE_H

#include "capture/capture.h"
#include "engine/engine-svc.h"
#include "track/track.h"

struct kb;

enum engine_report {
	ENGINE_REPORT_NONE = 0,
	ENGINE_REPORT_TEXT,	/* for a person: the summary, failed calls,
				   incidents */
	ENGINE_REPORT_JSON,
	ENGINE_REPORT_FULL	/* every counter, as text */
};

struct engine_opts {
	struct capture_opts	capture;
	unsigned		workers;	/* parse threads; 0 = inline */
	enum engine_report	report;
	int			progress;	/* progress on stderr (offline) */
	struct track_opts	track;		/* tracker and rules */
	struct track_media_opts	media;		/* media rules (issue 16) */
	const char		*alerts;	/* --alerts: JSON lines to this
						   file ("-": stdout), or NULL */
	int			alerts_text;	/* no --alerts: a readable line
						   per alert on stdout */
	struct engine_svc_opts	svc;		/* syslog, lifecycle, -w,
						   --save-alerted, -Z */
	int			ui;		/* the dashboard (src/ui) on the
						   terminal; the report, if any,
						   is printed after it ends */
	int			ui_model;	/* without UI: fill the dashboard's
						   model all the same (fuzzing,
						   tests), no terminal */
	double			speed;		/* replay at this multiple of the
						   recorded speed; 0: as fast as
						   possible */
	const char		*hep_url;	/* --hep: send to, or NULL */
	const char		*hep_listen;	/* --hep-listen: collect, or NULL */
	uint32_t		 hep_id;	/* --hep-id */
	const char		*hep_password;	/* --hep-password, or NULL */
	const char		*metrics;	/* --metrics ADDR:PORT, or NULL */
	const char		*metrics_file;	/* --metrics-file, or NULL */
	const struct kb		*kb;		/* alert advice from this knowledge
						   base (borrowed: must outlive
						   engine_run()); NULL: load the
						   one of the UI language */
	const char		*datadir;	/* --datadir: the data directory
						   (or its kb folder) of the
						   knowledge base the engine and
						   the dashboard load; NULL: the
						   default (kb_load()) */
	unsigned		 retrans_max;	/* digests kept for retransmission
						   detection; 0: the default,
						   RETRANS_DEFAULT_MAX */
	unsigned		 export_fmts;	/* --export: at the end of the
						   run, one file per format
						   (struct ui_export_opts) */
	const char		*export_filter;	/* --export-filter, or NULL */
	const char		*export_dir;	/* --export-dir: where --export
						   and the dashboard's e and s
						   write; NULL: "." */
	unsigned		 ui_max_calls;	/* --max-calls: calls the
						   dashboard holds; 0: the
						   default (UI_DEFAULT_MAX_CALLS) */
	const char		*correlate;	/* --correlate=HEADER[:REGEX]
						   (track_correlate()), or NULL */
};

/*
 * Run until the end of the file, a signal (engine_stop()) or an error;
 * print the report.  With the dashboard, a replay that reached the end
 * of the file keeps showing it until the user quits.  Returns the
 * process exit status: 0 on success, 1 when the capture (or the
 * dashboard's terminal) could not be opened, 2 on a capture error
 * during the run, 3 when the report could not be written (a message
 * says why).  With hep_listen and neither capture.device nor
 * capture.file, the HEP listener is the only source.
 */
int	engine_run(const struct engine_opts *);

/* Ask the running engine to stop; async-signal-safe. */
void	engine_stop(void);

#endif
