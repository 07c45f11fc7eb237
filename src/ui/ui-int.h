/*
 * ui-int.h: the dashboard's internals, shared by the src/ui files and
 * the unit tests (tests/unit/check_ui_model.c); nothing outside src/ui
 * includes it.
 *
 * Layers, as in tmux (grid / screen / tty) and htop (compute apart from
 * drawing):
 *
 *   ui-model.c    the model the capture thread fills; snapshots of it
 *   ui-view.c     what is shown: filters, sorting, rates, labels, layout
 *   ui-canvas.c   a grid of cells (character + semantic colour)
 *   ui-render.c   the screens, drawn into a canvas
 *   ui-ladder.c   the ladder diagram of one call, drawn into a canvas
 *   ui-keys.c     what each key does (state changes, save, language)
 *   ui-pcap.c     a call's messages as a pcap file
 *   ui-term.c     ncurses: the thread, the terminal, colours, keys
 *
 * Everything but ui-term.c runs without a terminal.
 */
#ifndef SW_UI_INT_H
#define SW_UI_INT_H

#include <stddef.h>
#include <stdint.h>

#include "alert/alert.h"
#include "decode/decode.h"
#include "stats/stats.h"
#include "track/track.h"
#include "ui/ui.h"

struct kb;
struct _GString;		/* GString (glib) */

#define UI_CALLID_MAX	128	/* bytes of a Call-ID kept, NUL included */
#define UI_NAME_MAX	64	/* caller, callee, Refer-To */
#define UI_METHOD_MAX	16
#define UI_REASON_MAX	48
#define UI_CODEC_MAX	16	/* a codec's name, NUL included */
#define UI_CALL_HOSTS	8	/* elements a call's ladder shows */
#define UI_LEGS_MAX	8	/* legs of a call merged in one ladder */
#define UI_HIST_SECS	300	/* seconds of response-class history */
#define UI_PDD_SAMPLES	32	/* post-dial delays kept per peer */
#define UI_SOURCE_MAX	256
#define UI_RULES_MAX	32	/* distinct rules counted */
#define UI_INPUT_MAX	512	/* a line typed at a prompt */
#define UI_ATTACKS_MAX	32	/* attack sources kept (most recent) */
#define UI_CODE_BITS	((700 - 100 + 7) / 8)

/* What a call looks like from the messages seen. */
enum ui_call_state {
	UI_CALL_OTHER = 0,	/* no INVITE: REGISTER, OPTIONS ... */
	UI_CALL_TRYING,		/* INVITE sent, nothing or 100 back */
	UI_CALL_RINGING,	/* 18x */
	UI_CALL_ANSWERED,	/* 2xx to the INVITE */
	UI_CALL_FAILED,		/* final >= 300 (code) */
	UI_CALL_CANCELLED,	/* CANCEL, then 487 */
	UI_CALL_ENDED,		/* BYE after the answer */
	UI_CALL_TIMEOUT		/* no response within Timer B */
};

/* A transfer (REFER, RFC 3515) within the call. */
enum ui_xfer {
	UI_XFER_NONE = 0,
	UI_XFER_REQUESTED,	/* REFER sent */
	UI_XFER_ACCEPTED,	/* 2xx to the REFER */
	UI_XFER_DONE,		/* NOTIFY with a 2xx sipfrag */
	UI_XFER_FAILED		/* REFER rejected or sipfrag >= 300 (code) */
};

/* One message of a call, as kept. */
struct ui_msg {
	int64_t		 ts_us;
	struct sw_addr	 src;
	struct sw_addr	 dst;
	uint8_t		 transport;	/* enum decode_transport */
	uint8_t		 retrans;
	uint8_t		 is_request;
	uint8_t		 has_sdp;
	uint8_t		 leg;		/* merged legs: which (0 = A) */
	int		 status;	/* responses; 0 for requests */
	uint32_t	 cseq;
	char		 method[UI_METHOD_MAX];	/* or the CSeq method */
	char		 reason[UI_REASON_MAX];
	uint8_t		*raw;		/* owned; NULL past the byte limit */
	size_t		 raw_len;
};

/* A call (one Call-ID) without its messages: one row of the list. */
struct ui_call_row {
	uint64_t		 id;		/* serial, never reused */
	uint64_t		 gen;		/* changes with every update */
	char			 call_id[UI_CALLID_MAX];
	char			 caller[UI_NAME_MAX];
	char			 callee[UI_NAME_MAX];
	char			 refer_to[UI_NAME_MAX];
	char			 method[UI_METHOD_MAX];	/* first request */
	int			 invite;	/* an INVITE was seen */
	enum ui_call_state	 state;
	int			 code;		/* final code (FAILED; OTHER:
						   the last final response) */
	int			 ended_by;	/* enum track_call_end */
	uint64_t		 leg_group;	/* the tracker's: the same for
						   the legs of one call; 0 none */
	int			 legs_by;	/* enum track_legs_by */
	char			 reason[UI_REASON_MAX];	/* of the final
						   response CODE, as sent */
	enum ui_xfer		 xfer;
	int			 xfer_code;
	int64_t			 start_us;	/* first message */
	int64_t			 answer_us;	/* 0: not answered */
	int64_t			 end_us;	/* 0: not ended */
	int64_t			 last_us;	/* last message */
	struct sw_addr		 hosts[UI_CALL_HOSTS];	/* first seen first */
	unsigned		 nhosts;
	unsigned		 nmsgs;		/* messages seen */
	unsigned		 dropped;	/* seen but not kept */
	unsigned		 nalerts;
	char			 rules[UI_NAME_MAX];	/* the rules of the
						   incidents raised about it,
						   space-separated (cut) */
	uint32_t		 methods;	/* 1 << enum sip_method seen */
	uint8_t			 codes[UI_CODE_BITS];	/* codes seen */
	/* Media, as the tracker published it (TRACK_OBS_MEDIA). */
	char			 codec[UI_CODEC_MAX];	/* "" unknown */
	int			 mos_known;
	double			 mos;		/* the worst stream's (G.107) */
	unsigned		 mflags;	/* TRACK_MEDIA_* */
	unsigned		 nstreams;	/* RTP streams found */
};

/* A call with its messages (the detail view, pcap saving). */
struct ui_call {
	struct ui_call_row	 row;
	struct ui_msg		*msgs;
	unsigned		 nmsgs;
	int			 has_alert;
	struct alert		 alert;		/* the most severe incident
						   raised about the call, the
						   latest of those (owned) */
	unsigned		 nlegs;		/* legs merged (0, or 2 and
						   more: ui_model_call_legs()) */
	struct ui_call_row	*legs;		/* their rows, oldest first,
						   msgs[].leg indexes them */
	/* Its RTP streams (every leg's, in order of first packet), as the
	 * tracker last published them; STREAMS_TOTAL were found. */
	struct track_media_stream *streams;
	unsigned		 nstreams;
	unsigned		 streams_total;
};

/* One remote SIP element (ip:port). */
struct ui_peer_row {
	struct sw_addr	 addr;
	uint64_t	 sent;		/* messages it sent */
	uint64_t	 received;
	uint64_t	 finals;	/* final responses it sent */
	uint64_t	 c4, c5, c6;	/* of which 4xx, 5xx, 6xx */
	int64_t		 backoff_until_us;	/* Retry-After: 0 none */
	long		 retry_after;	/* seconds asked */
	int		 backoff_code;	/* the response that asked */
	int64_t		 pdd_median_us;	/* -1: no sample */
	unsigned	 npdd;
	int64_t		 last_us;
};

/* One attack source, as the tracker's attack observations left it. */
struct ui_attack_row {
	uint64_t	 requests;
	uint64_t	 fraud_calls;
	int64_t		 first_us;
	int64_t		 last_us;
	struct sw_addr	 source;	/* the IP (port 0) */
	enum track_attack_outcome outcome;	/* the worst so far */
	unsigned	 kinds;		/* RULE_ATK_* seen */
	unsigned	 hosts;		/* distinct targets */
	unsigned	 users;
	unsigned	 accounts;	/* accounts whose credentials failed */
	char		 kind[ALERT_RULE_LEN];	/* the latest attack rule */
};

/* An alert in the snapshot. */
struct ui_alert_item {
	uint64_t	 seq;		/* 1, 2 ... in arrival order */
	struct alert	 a;		/* owned copy */
};

struct ui_rule_count {
	char			 rule[ALERT_RULE_LEN];
	enum alert_severity	 severity;
	uint64_t		 n;
};

/*
 * A copy of the model, owned by the UI thread: what it draws from.
 * ui_model_snapshot() refreshes it; alerts are copied incrementally.
 */
struct ui_snap {
	char			 kind[16];	/* "interface" / "file" */
	char			 source[UI_SOURCE_MAX];
	int			 live;
	double			 speed;
	int			 finished;
	int			 status;
	int			 have_stats;
	struct stats		 st;
	unsigned		 transactions;
	unsigned		 call_ids;	/* Call-ID records held */
	uint64_t		 done;		/* file bytes read */
	uint64_t		 total;
	int64_t			 now_us;	/* model clock */

	uint64_t		 codes[700];	/* responses by code */
	uint64_t		 cls_total[6];	/* responses per class */
	uint32_t		 hist[UI_HIST_SECS][6];	/* last = now's second */

	struct ui_alert_item	*alerts;	/* newest first */
	unsigned		 nalerts;
	unsigned		 alerts_cap;
	uint64_t		 alert_seq;	/* newest copied */
	uint64_t		 alerts_total;
	struct ui_rule_count	 rules[UI_RULES_MAX];
	unsigned		 nrules;

	struct ui_peer_row	*peers;		/* most recent first */
	unsigned		 npeers;
	unsigned		 peers_cap;

	struct ui_attack_row	 attacks[UI_ATTACKS_MAX];	/* newest
						   first */
	unsigned		 nattacks;

	struct ui_call_row	*calls;		/* newest first */
	unsigned		 ncalls;
	unsigned		 calls_cap;
	struct track_call_tally	 tally;		/* the tracker's, by outcome */
	int			 have_tally;
	uint64_t		 calls_total;	/* Call-IDs seen */
	uint64_t		 calls_seen;	/* calls (INVITE) seen */
	uint64_t		 calls_evicted;	/* calls no longer held */
	uint64_t		 others_evicted; /* other Call-IDs no longer
						   held */
	unsigned		 max_calls;	/* the model's cap on calls */
	uint64_t		 gen;		/* model updates so far */
};

/* ui-model.c */

/*
 * Refresh SNAP (zeroed the first time) from the model, holding the
 * mutex only to copy.  LIVE models read the wall clock for now_us.
 */
void	ui_model_snapshot(struct ui_model *, struct ui_snap *snap);
/* Free what SNAP owns (not SNAP itself) and zero it. */
void	ui_snap_free(struct ui_snap *snap);

/*
 * A copy of the call CALL_ID with its messages and raw bytes, or NULL
 * if the model does not hold it (never seen or evicted).  GEN, when not
 * NULL and equal to the call's generation, means the caller's copy is
 * current: NULL is returned and *GEN is left alone; otherwise *GEN gets
 * the generation.  Caller frees with ui_call_free().
 */
struct ui_call	*ui_model_call(struct ui_model *, const char *call_id,
		    uint64_t *gen);
void		 ui_call_free(struct ui_call *);
/*
 * As ui_model_call(), with the other legs of the same call (the tracker's
 * leg group; UI_LEGS_MAX at most, the oldest first) merged in: their
 * messages in time order, each with its leg, their elements as one set
 * of hosts, row the first leg's with the merged hosts.  GEN covers every
 * leg.  A call without other legs comes back as ui_model_call() gives it.
 */
struct ui_call	*ui_model_call_legs(struct ui_model *, const char *call_id,
		    uint64_t *gen);

/* The model's limits (after defaults were applied). */
void	ui_model_get_limits(struct ui_model *, struct ui_model_limits *out);

/* ui-view.c */

/* Time since T0 as "12s", "3m05s", "2h03m". */
void	ui_fmt_duration(char *buf, size_t len, int64_t us);
/* Time of day of TS_US in UTC, "HH:MM:SS" (the status line says UTC). */
void	ui_fmt_clock(char *buf, size_t len, int64_t ts_us);
/*
 * A peer's address: "ip:port", or "ip:*" for a client the tracker counts
 * by its IP alone (port 0: it sent requests from several ports).
 */
void	ui_fmt_peer(char *buf, size_t len, const struct sw_addr *a);
/* "INVITE", "180 Ringing": the ladder label of M (REASON when given). */
void	ui_fmt_msg_label(char *buf, size_t len, const struct ui_msg *m);

/* The call's state, translated: "ringing", "failed 486" ... */
void	ui_call_state_text(char *buf, size_t len, const struct ui_call_row *);
/*
 * The call's media for the calls list: "PCMU 4.36" (the codec the SDP
 * negotiated and the worst stream's MOS as the tracker published them;
 * "-" for what is not known) into BUF, "" when the call has no media
 * facts; *MARK gets the translated mark of a one-way or no-media call
 * ("one-way", "no RTP"), or NULL.
 */
void	ui_call_media_text(char *buf, size_t len, const struct ui_call_row *,
	    const char **mark);
/* Is CODE (100..699) among those the call saw? */
int	ui_call_has_code(const struct ui_call_row *, int code);

/* Packets and SIP messages per second, from successive snapshots. */
struct ui_rates {
	uint64_t	packets;	/* at the previous update */
	uint64_t	messages;
	int64_t		t_us;		/* wall (live) or packet time */
	double		pps;
	double		mps;
	int		average;	/* whole-capture average (replay done) */
};
/* Update R from SNAP; WALL_US is the wall clock (live captures). */
void	ui_rates_update(struct ui_rates *r, const struct ui_snap *snap,
	    int64_t wall_us);

/* One of the most frequent response codes. */
struct ui_top_code {
	int		code;
	uint64_t	n;
};
/*
 * Up to MAX codes of CODES[700] (responses by code) by count, most
 * first, then the lower code; returns how many.
 */
unsigned ui_top_codes(const uint64_t *codes, struct ui_top_code *out,
	    unsigned max);

/* Responses of class C (1..6) over the last N seconds of history. */
uint64_t ui_hist_sum(const struct ui_snap *, int c, unsigned n);

/* The median of a peer's post-dial delays (µs); -1 for no sample. */
int64_t	ui_median(const int64_t *v, unsigned n);

/* A rectangle of the screen. */
struct ui_rect {
	int	x, y, w, h;
};

/* Where the main screen's parts go on a W x H screen. */
struct ui_layout {
	struct ui_rect	status;		/* status lines */
	struct ui_rect	codes;
	struct ui_rect	alerts;
	struct ui_rect	peers;
	struct ui_rect	calls;
	struct ui_rect	keys;		/* key hints / prompt */
};
void	ui_layout_main(int w, int h, struct ui_layout *out);

/* Where the detail view's parts go. */
struct ui_detail_layout {
	struct ui_rect	title;
	struct ui_rect	alert;		/* h 0: not opened from an alert */
	struct ui_rect	ladder;
	struct ui_rect	message;	/* the raw message */
	struct ui_rect	explain;	/* the knowledge base */
	struct ui_rect	keys;
	int		split;		/* message and explanation side by
					   side; else one of them (lower) */
};
void	ui_layout_detail(int w, int h, int with_alert,
	    struct ui_detail_layout *out);

/* Keep SEL visible: adjust *TOP for ROWS rows of N items. */
void	ui_scroll_fix(int *top, int sel, int n, int rows);

struct ui_ctx;
/*
 * Calls (with show_all, Call-IDs) the model's caps let go, that the
 * calls list says are not shown on its last row.
 */
uint64_t ui_calls_not_shown(const struct ui_ctx *ctx);
/* Rows of calls in a calls panel H rows high (title and notice out). */
int	ui_calls_rows(const struct ui_ctx *ctx, int h);

/* ui-canvas.c */

/* Semantic colours; ui-term.c maps them to colour pairs or attributes. */
enum ui_colour {
	UI_COL_NORMAL = 0,
	UI_COL_DIM,
	UI_COL_LABEL,		/* a field's name */
	UI_COL_TITLE,		/* a panel's title */
	UI_COL_TITLE_FOCUS,	/* the focused panel's title */
	UI_COL_HEADER,		/* column headings */
	UI_COL_SELECT,		/* the cursor row */
	UI_COL_STATUS,		/* the status bar */
	UI_COL_KEYS,		/* the key hints bar */
	UI_COL_KEY,		/* a key in the hints */
	UI_COL_PROMPT,
	UI_COL_MESSAGE,		/* a notice on the key bar */
	UI_COL_PAUSED,
	UI_COL_CRITICAL,
	UI_COL_ERROR,
	UI_COL_WARNING,
	UI_COL_NOTICE,
	UI_COL_INFO,
	UI_COL_1XX,
	UI_COL_2XX,
	UI_COL_3XX,
	UI_COL_4XX,
	UI_COL_5XX,
	UI_COL_6XX,
	UI_COL_REQUEST,		/* a request arrow */
	UI_COL_RETRANS,		/* a retransmission */
	UI_COL_GOOD,		/* answered, transferred */
	UI_COL_BAD,		/* failed */
	UI_COL_COUNT
};

/* The colour of severity S and of response class C (1..6). */
enum ui_colour	ui_colour_severity(enum alert_severity s);
enum ui_colour	ui_colour_class(int c);

/* One cell: a character (0 continues the wide character on its left). */
struct ui_cell {
	uint32_t	ch;
	uint8_t		colour;
};

/* A W x H grid of cells, drawn into by ui-render.c. */
struct ui_canvas {
	int		 w, h;
	int		 utf8;		/* box and block characters allowed */
	struct ui_cell	*cells;
};

/* Size C to W x H (at least 1 x 1), cleared.  Aborts on OOM. */
void	ui_canvas_resize(struct ui_canvas *c, int w, int h);
void	ui_canvas_free(struct ui_canvas *c);
/* Fill every cell with a space of colour NORMAL. */
void	ui_canvas_clear(struct ui_canvas *c);
/*
 * Write UTF-8 TEXT at X, Y in COLOUR, at most MAXW columns (wide
 * characters count two; a wide character that would not fit is not
 * written); control characters and bytes that are not UTF-8 show
 * escaped as \xHH (sw_utf8_escape()).  Returns the columns used.
 */
int	ui_canvas_text(struct ui_canvas *c, int x, int y, int maxw,
	    enum ui_colour colour, const char *text);
/* As ui_canvas_text(), formatted. */
int	ui_canvas_printf(struct ui_canvas *c, int x, int y, int maxw,
	    enum ui_colour colour, const char *fmt, ...)
	    __attribute__((format(printf, 6, 7)));
/* W cells from X, Y set to CH (a Unicode character) in COLOUR. */
void	ui_canvas_fill(struct ui_canvas *c, int x, int y, int w,
	    enum ui_colour colour, uint32_t ch);
/* Change the colour of W cells from X, Y (characters are kept). */
void	ui_canvas_paint(struct ui_canvas *c, int x, int y, int w,
	    enum ui_colour colour);
/* Row Y as UTF-8 text, trailing spaces removed.  Caller frees. */
char	*ui_canvas_row(const struct ui_canvas *c, int y);
/* The whole canvas as text, one line per row.  Caller frees. */
char	*ui_canvas_text_dump(const struct ui_canvas *c);

/* Display columns of UTF-8 TEXT (wide characters count two). */
int	 ui_text_width(const char *text);
/*
 * Columns the character at P takes as ui_canvas_text() draws it: 0, 1 or
 * 2, or 4 for each byte drawn as \xHH (a control character, a byte that
 * is not UTF-8); *NEXT gets the next character.  ui-text.c.
 */
int	 ui_text_char_width(const char *p, const char **next);

/* ui-state: the UI thread's state (ui-keys.c, ui-render.c). */

enum ui_view {
	UI_VIEW_MAIN = 0,
	UI_VIEW_DETAIL,		/* ladder, explanation, raw message */
	UI_VIEW_KB,		/* one code, or two compared */
	UI_VIEW_HELP
};

enum ui_panel {
	UI_PANEL_CODES = 0,
	UI_PANEL_ALERTS,
	UI_PANEL_PEERS,
	UI_PANEL_CALLS,
	UI_PANEL_COUNT
};

enum ui_prompt {
	UI_PROMPT_NONE = 0,
	UI_PROMPT_FILTER,
	UI_PROMPT_COMPARE,
	UI_PROMPT_SAVE,		/* the file to export to */
	UI_PROMPT_EXPORT,	/* a key: the format */
	UI_PROMPT_QUIT		/* a key: q or y quits, others stay */
};

/* Where a row of the calls list sits among the legs of its call. */
enum ui_vleg {
	UI_VLEG_NONE = 0,	/* a call alone */
	UI_VLEG_FIRST,		/* the first leg; the others follow */
	UI_VLEG_MID,
	UI_VLEG_LAST
};

/* What the lower part of the detail view shows on a narrow screen. */
enum ui_lower {
	UI_LOWER_MESSAGE = 0,
	UI_LOWER_KB,		/* the alert's summary and advice, then the
				   knowledge base */
	UI_LOWER_STREAMS	/* the call's RTP streams */
};

/*
 * The lower pane after Tab (BACK: Shift-Tab): the message, the
 * explanation, then the streams when the call has MEDIA; side by side
 * (SPLIT), the message and explanation together, then the streams.
 * ui-keys.c.
 */
enum ui_lower	ui_lower_next(enum ui_lower cur, int split, int media,
		    int back);
/* Does the call have media to show in the detail view's streams pane? */
int	ui_call_has_media(const struct ui_call *call);
/* Is RULE one of the media rules (their alerts open the streams pane)? */
int	ui_rule_is_media(const char *rule);

#define UI_TOP_CODES	16
#define UI_VIEW_STACK	4
#define UI_LANGS	4

/* Everything the UI thread keeps between frames. */
struct ui_ctx {
	struct ui_model		*model;		/* borrowed */
	const char		*datadir;	/* kb; NULL: default */
	struct ui_snap		 snap;
	struct ui_rates		 rates;
	int			 w, h;		/* screen size */
	int			 utf8;
	int			 colour;	/* colours in use (not NO_COLOR) */

	enum ui_view		 view;
	enum ui_view		 stack[UI_VIEW_STACK];	/* for going back */
	unsigned		 depth;
	enum ui_panel		 focus;
	int			 sel[UI_PANEL_COUNT];	/* cursor, per panel */
	int			 top[UI_PANEL_COUNT];	/* first row shown */
	/* What the cursor is on, so it stays there as rows come in. */
	uint64_t		 sel_alert;	/* seq */
	uint64_t		 sel_call;	/* id */
	struct sw_addr		 sel_peer;
	int			 sel_code;
	int			 paused;
	int			 show_all;	/* calls: every Call-ID */
	char			 filter[UI_INPUT_MAX];
	enum ui_prompt		 prompt;
	char			 input[UI_INPUT_MAX];
	char			 message[256];	/* notice on the key bar */
	int			 quit;

	/* The filter (ui-filter.c), parsed from filter[]; NULL: none. */
	struct ui_filter	*fcompiled;
	struct ui_fcache	*fcache;	/* per call, for its gen */
	/* Export (ui-export.c): where, and what the prompts chose. */
	const char		*export_dir;	/* NULL: "." */
	ui_frames_fn		*frames;
	void			*frames_arg;
	char			**export_ids;	/* the calls, chosen at e */
	unsigned		 nexport_ids;
	int			 export_fmt;	/* enum ui_export_fmt */
	unsigned		 fepoch;
	unsigned		 nvhidden;	/* Call-IDs without INVITE the
						   filter matches, not listed */
	/* Help: the view it is about, scrolled. */
	enum ui_view		 help_for;
	int			 help_scroll;
	char			 fdraft[UI_INPUT_MAX];	/* did not parse */
	char			 export_title[UI_INPUT_MAX];

	/* What the panels list, after the filter (indexes into snap). */
	unsigned		*valerts;
	unsigned		*vpeers;	/* sorted */
	unsigned		*vcalls;
	uint8_t			*vlegs;		/* per vcalls[]: enum ui_vleg */
	unsigned		 nvalerts;
	unsigned		 nvpeers;
	unsigned		 nvcalls;
	unsigned		 vcap;
	struct ui_top_code	 top_codes[UI_TOP_CODES];
	unsigned		 ntop_codes;

	/* Detail view. */
	struct ui_call		*detail;	/* NULL: the call is not held */
	uint64_t		 detail_gen;
	char			 detail_callid[UI_CALLID_MAX];
	int			 detail_has_alert;
	struct alert		 detail_alert;	/* owned copy */
	int			 dsel;		/* selected message */
	int			 dtop;		/* first ladder row shown */
	int			 lscroll;	/* lower pane scroll */
	enum ui_lower		 lower;

	/* Knowledge-base view: one code, or two compared. */
	int			 kb_code[2];	/* [1] 0: one code */
	int			 kb_scroll;
	char			**kb_lines;
	size_t			 kb_nlines;
	int			 kb_width;	/* lines made for this width */
	char			 kb_lang[3];
	struct kb		*kbs[UI_LANGS];	/* loaded per language */
	int			 kb_failed[UI_LANGS];
};

/* ui-keys.c */

/* Keys other than characters (ui-term.c maps the terminal's). */
#define UI_KEY_BASE	0x110000
enum {
	UI_KEY_UP = UI_KEY_BASE,
	UI_KEY_DOWN,
	UI_KEY_LEFT,
	UI_KEY_RIGHT,
	UI_KEY_PGUP,
	UI_KEY_PGDN,
	UI_KEY_HOME,
	UI_KEY_END,
	UI_KEY_ENTER,
	UI_KEY_ESC,
	UI_KEY_TAB,
	UI_KEY_BTAB,
	UI_KEY_BACKSPACE,
	UI_KEY_RESIZE
};

/* Set up CTX for MODEL (borrowed) on a W x H screen. */
void	ui_ctx_init(struct ui_ctx *ctx, struct ui_model *model,
	    const char *datadir, int w, int h);
void	ui_ctx_free(struct ui_ctx *ctx);
/*
 * A new snapshot, unless paused (FORCE: even then), and the lists the
 * panels show.  WALL_US is the wall clock, for live rates.
 */
void	ui_ctx_refresh(struct ui_ctx *ctx, int force, int64_t wall_us);
/* Rebuild the filtered lists from the snapshot (after a filter edit). */
void	ui_ctx_lists(struct ui_ctx *ctx);
/*
 * Parse TEXT (ui-filter.c) and make it the filter ("" clears it); on a
 * parse error the filter is kept, the error goes on the key bar and
 * TEXT is offered again at the next "/".  Returns 0 or -1.
 */
int	ui_ctx_set_filter(struct ui_ctx *ctx, const char *text);
/* Handle one key (a Unicode character or UI_KEY_*). */
void	ui_key(struct ui_ctx *ctx, uint32_t key);
/*
 * The key of an escape sequence the terminal sent (SEQ: the N
 * characters after ESC, e.g. "[1~" for Home inside tmux), or 0 for one
 * to ignore (an Alt-combination, an unknown function key).  A lone ESC
 * is Esc; this is for what came with it.
 */
uint32_t ui_esc_decode(const uint32_t *seq, size_t n);
/* Keep every cursor visible and in range (after a change or resize). */
void	ui_ctx_scroll(struct ui_ctx *ctx);
/* The knowledge base in the current language (loaded once); or NULL. */
const struct kb	*ui_ctx_kb(struct ui_ctx *ctx);
/*
 * Open the detail view of CALL_ID (A: the alert it came from, or NULL);
 * a media alert (ui_rule_is_media()) opens it on the call's streams.
 */
void	ui_open_detail(struct ui_ctx *ctx, const char *call_id,
	    const struct alert *a);

/* ui-render.c */

/* Draw CTX's current view into C (sized to the screen). */
void	ui_render(struct ui_ctx *ctx, struct ui_canvas *c);
/* (Re)make the knowledge-base view's lines for WIDTH columns. */
void	ui_kb_lines(struct ui_ctx *ctx, int width);

/* ui-ladder.c */

/* A ladder's layout: the hosts as columns. */
struct ui_ladder {
	struct sw_addr	 hosts[UI_CALL_HOSTS];
	unsigned	 nhosts;
	int		 col[UI_CALL_HOSTS];	/* x of each lifeline */
	int		 time_w;		/* width of the time column */
};
/* Columns for CALL in a W-wide area. */
void	ui_ladder_layout(const struct ui_call *call, int w,
	    struct ui_ladder *out);
/*
 * Draw the ladder of CALL in the rectangle R of C: the host header on
 * the first row, then one row per message from message TOP, message SEL
 * highlighted.  Returns the number of message rows that fit.
 */
int	ui_ladder_draw(struct ui_canvas *c, const struct ui_rect *r,
	    const struct ui_call *call, int top, int sel);
/*
 * The message rows of CALL's ladder in R: R's height less the element
 * names (one row, or two when the names do not fit side by side).
 */
int	ui_ladder_rows(const struct ui_call *call, const struct ui_rect *r);

/* ui-pcap.c */

/*
 * Write CALL's kept messages to PATH as a pcap file (LINKTYPE_RAW: IPv4
 * or IPv6 with a UDP header, built from the addresses; the original
 * link layer is not kept).  Returns the number of packets written, or
 * -1 with *CAUSE set (caller frees).
 */
int	ui_pcap_write(const struct ui_call *call, const char *path,
	    char **cause);
/*
 * The same for N calls in one new file PATH (never an existing one),
 * their messages merged in time order.
 */
int	ui_pcap_write_calls(struct ui_call *const *calls, unsigned n,
	    const char *path, char **cause);


/* ui-text.c: text fitted to a width (every cut is marked). */

enum ui_fit {
	UI_FIT_END = 0,		/* keep the start: "Service Unavail…" */
	UI_FIT_START,		/* keep the end: "…/customer.pcap" */
	UI_FIT_MIDDLE,		/* keep both ends */
	UI_FIT_WORD		/* prose: keep the start, cut between words
				   when one ends near the cut */
};

/* The ellipsis that marks a cut: "…" (UTF8) or "~". */
const char	*ui_ellipsis(int utf8);
/*
 * TEXT in at most W columns: as it is when it fits, else cut as HOW says
 * with the ellipsis in the place of what was left out.  Never splits a
 * character.  Caller frees.
 */
char	*ui_text_fit(const char *text, int w, enum ui_fit how, int utf8);
/* Write TEXT fitted to W columns at X, Y; returns the columns used. */
int	 ui_canvas_fit(struct ui_canvas *c, int x, int y, int w,
	    enum ui_colour colour, const char *text, enum ui_fit how);
/* TEXT right-aligned in the W columns from X (fitted if wider). */
int	 ui_canvas_right(struct ui_canvas *c, int x, int y, int w,
	    enum ui_colour colour, const char *text);
/*
 * V in decimal, or shortened to W columns ("12.3M", "987k") when its
 * digits do not fit: a count is never cut.
 */
void	 ui_fmt_count(char *buf, size_t len, uint64_t v, int w);
/* V right-aligned in W columns, as ui_fmt_count() writes it. */
int	 ui_canvas_count(struct ui_canvas *c, int x, int y, int w,
	    enum ui_colour colour, uint64_t v);
/* Is S a number to be read whole (digits, "+", "*", "#", "-", ".")? */
int	 ui_text_is_number(const char *s);

/*
 * A column of a list.  WANT is the width its widest cell needs (0: not
 * shown); MIN the width it may be cut to, with an ellipsis (0 or WANT:
 * it is never cut, it is dropped instead); PRIO orders the columns by
 * importance (0 first; the highest goes first); FLEX columns get what
 * is left.  X and W are set by ui_cols_layout() (W 0: dropped).
 */
struct ui_col {
	int	want;
	int	min;
	int	prio;
	int	flex;
	int	x, w;
};
/*
 * Fit the N columns COLS in WIDTH columns from X0, GAP apart: cuttable
 * columns shrink (least important first), then whole columns are
 * dropped (least important first); the most important one stays even
 * when nothing else does.
 */
void	ui_cols_layout(struct ui_col *cols, int n, int x0, int width,
	    int gap);


/* ui-filter.c: the filter language (see the file for its grammar). */

struct ui_filter;

/*
 * What a filter is evaluated on: a call (ROW, with its messages CALL if
 * the caller has them, else fetched through FETCH when a term needs
 * them, at most once) and the alerts about it; or, with no ROW, one
 * ALERT on its own (its call is not held).
 */
struct ui_filter_subject {
	const struct ui_call_row	 *row;
	const struct ui_call		 *call;
	const struct ui_call		*(*fetch)(void *arg);
	void				 *fetch_arg;
	int				  fetched;
	const struct alert *const	 *alerts;	/* about the call */
	unsigned			  nalerts;
	const struct alert		 *alert;	/* alone (no ROW) */
};

/*
 * Parse TEXT once into a filter (free with ui_filter_free()), or NULL
 * with *CAUSE set (caller frees): what is wrong and where.
 */
struct ui_filter *ui_filter_parse(const char *text, char **cause);
void	 ui_filter_free(struct ui_filter *);
/* Does F look into the raw messages (text, from, to, ua, hdr terms)? */
int	 ui_filter_needs_msgs(const struct ui_filter *f);
/* Does subject S match F?  A NULL filter matches everything. */
int	 ui_filter_eval(const struct ui_filter *f,
	    struct ui_filter_subject *s);
/*
 * Does the peer P match F on its own: ip and text terms against its
 * address, a code class against its 4xx/5xx/6xx, a code against the
 * back-off it asked for?  (The dashboard also lists the peers of the
 * calls that match.)
 */
int	 ui_filter_peer(const struct ui_filter *f,
	    const struct ui_peer_row *p);
/* "FIELDVALUE", the value quoted when it needs to be.  Caller frees. */
char	*ui_filter_quote(const char *field, const char *value);


/*
 * The alerts of a snapshot by Call-ID (newest first), for filters and
 * exports.  The index borrows from the snapshot: free it first.
 */
struct ui_alert_index;
struct ui_alert_index	*ui_alert_index_build(const struct ui_snap *s);
/* The alerts about CALL_ID (*N of them), or NULL; IDX may be NULL. */
const struct alert *const *ui_alert_index_get(
			    const struct ui_alert_index *idx,
			    const char *call_id, unsigned *n);
void			 ui_alert_index_free(struct ui_alert_index *);
/*
 * Does F match the call R of a snapshot of model M (its alerts from AI,
 * its messages fetched from M when a term needs them, then freed)?
 */
int	ui_filter_model_call(const struct ui_filter *f, struct ui_model *m,
	    const struct ui_call_row *r, const struct ui_alert_index *ai);

/* ui-export.c: calls as pcap, CSV, text or HTML (e and s, --export). */

enum ui_export_fmt {
	UI_EXPORT_PCAP = 0,
	UI_EXPORT_CSV,
	UI_EXPORT_TEXT,
	UI_EXPORT_HTML,
	UI_EXPORT_NFMT
};

/* "pcap", "csv", "text" (or "txt"), "html": the format, or -1. */
int		 ui_export_fmt_parse(const char *s);
const char	*ui_export_fmt_name(enum ui_export_fmt);

struct ui_export {
	struct ui_model		*model;		/* messages (borrowed) */
	const struct ui_snap	*snap;		/* rows and alerts */
	const char *const	*call_ids;	/* the calls, in order */
	unsigned		 ncalls;
	enum ui_export_fmt	 fmt;
	const char		*path;		/* a new file */
	const char		*title;		/* the filter, or "" */
	int64_t			 now_us;	/* wall clock, for the heading */
	ui_frames_fn		*frames;	/* original frames, or NULL */
	void			*frames_arg;
};

struct ui_export_result {
	unsigned	calls;		/* written */
	unsigned	not_held;	/* asked for, no longer held */
	unsigned	left_out;	/* over the per-file cap */
	uint64_t	items;		/* frames, packets, messages, rows */
	int		rebuilt;	/* pcap rebuilt from the messages */
};

/*
 * Write E's calls to E->path, a file created here (never an existing
 * one).  Returns 0 with *RES filled, or -1 with *CAUSE set (caller
 * frees; a partly written file is removed).
 */
int	 ui_export_write(const struct ui_export *e,
	    struct ui_export_result *res, char **cause);
/*
 * Append the LEN bytes at P (from the wire) to S as text a person
 * reads: valid UTF-8, tabs and newlines as they are (CR dropped), every
 * other control character and every invalid byte as \xNN; with HTML,
 * & < > " as entities.  S stays valid UTF-8.
 */
void	 ui_export_escape(struct _GString *s, const uint8_t *p, size_t len,
	    int html);
/* "Exported 3 calls (42 frames as captured) to PATH ..." into BUF. */
void	 ui_export_describe(char *buf, size_t len, const struct ui_export *e,
	    const struct ui_export_result *res);
/*
 * DIR/sipwatch-LABEL-YYYYmmddTHHMMSSZ.EXT for NOW_US (UTC), LABEL cut to
 * 48 bytes of [A-Za-z0-9._@+-] (others become '_'); "-2", "-3" ... when
 * the name is taken.  Caller frees.
 */
char	*ui_export_path(const char *dir, const char *label, int64_t now_us,
	    enum ui_export_fmt fmt);

#endif
