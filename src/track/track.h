/*
 * track.h: SIP transaction, dialog and call tracking, and the anomaly
 * rules that need that state (src/rules names and explains them).
 *
 * The tracker follows every message the capture shows, as a passive
 * observer that sees both directions:
 *
 * - transactions, matched per hop as RFC 3261 17.1.3 and 17.2.3 say
 *   (top-Via branch with the z9hG4bK cookie + sent-by + CSeq method, ACK
 *   for a non-2xx and CANCEL handled as 9.1 / 17.1.1.3 describe, and the
 *   RFC 2543 fallback when there is no cookie), so retransmissions are
 *   recognised and counted, not taken for new transactions;
 * - dialogs by Call-ID and tags (RFC 3261 12), and calls (INVITE
 *   dialogs) with their setup time, post-dial delay, answer, duration,
 *   final code and who ended them;
 * - the implicit subscription of a REFER (RFC 3515, RFC 7647: 200 and
 *   202 alike), its NOTIFYs and their message/sipfrag bodies;
 * - Retry-After back-offs per (client, server) and callee hints per
 *   (caller, target) (RFC 3261 20.33, 21.5.4), and per-peer counts for
 *   bursts, scanners and authentication failures.
 *
 * Time is the packet time only: timers (B, F, the 2xx/ACK rule, Timer N
 * for REFER) fire when track_advance() moves time past their deadline,
 * and the alert's time is the deadline, so live capture and replay give
 * the same alerts.  Everything is bounded: each table has a cap (the
 * least recently used entry is evicted when it is full) and an idle
 * timeout; evictions are counted in the report.
 *
 * Single-threaded: all calls on one thread (the engine's main thread).
 */
#ifndef SW_TRACK_H
#define SW_TRACK_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/addr.h"
#include "rules/rules.h"

struct alert;
struct media;
struct sip_msg;
struct sw_addr;
struct sw_cidr;
struct track_media;
struct track_media_stream;

struct track_opts {
	int64_t		 t1_us;		/* T1 (RFC 3261 17.1.1.1); µs */
	unsigned	 max_transactions;
	unsigned	 max_call_ids;	/* Call-ID records (--max-call-ids) */
	unsigned	 max_peers;	/* records per peer table */
	unsigned	 burst_k;	/* server-error-burst: K 5xx ... */
	int64_t		 burst_window_us; /* ... within W (µs) */
	unsigned	 scan_users;	/* scanner: distinct users probed */
	unsigned	 auth_failures;	/* auth-failure-burst: failures ... */
	int64_t		 auth_window_us; /* ... within this window (µs) */
	int64_t		 incident_window_us; /* an incident's update lines:
					   at most one per window (µs) */
	int64_t		 incident_hold_us; /* an incident ends after this
					   long without occurrence (µs) */
	unsigned	 max_incidents;	/* incidents open at once */
	unsigned	 fail_pct;	/* call-failure-rate: failures above
					   PCT % of call attempts ... */
	unsigned	 fail_min;	/* ... of at least N attempts ... */
	int64_t		 fail_window_us; /* ... within this window (µs) */
	/* Attacks (track-attack.c): the operator's own networks
	   (--local-net; none given: the private ranges, sw_addr_is_private)
	   and the dial prefixes of fraud destinations (--fraud-prefix; none
	   given: TRACK_FRAUD_PREFIXES).  Borrowed for the tracker's life. */
	const struct sw_cidr *local_nets;
	unsigned	 nlocal_nets;
	const char *const *fraud_prefixes;
	unsigned	 nfraud_prefixes;
	rules_kb_fix_fn	*kb_fix;	/* knowledge-base fix text, or NULL */
	void		*kb_arg;
};

#define TRACK_DEFAULT_T1_US		500000
#define TRACK_DEFAULT_MAX_TRANSACTIONS	65536
#define TRACK_DEFAULT_MAX_CALL_IDS	32768
#define TRACK_DEFAULT_MAX_PEERS		8192
#define TRACK_DEFAULT_BURST_K		10
#define TRACK_DEFAULT_BURST_WINDOW_US	(60 * 1000000LL)
#define TRACK_DEFAULT_SCAN_USERS	10
#define TRACK_DEFAULT_AUTH_FAILURES	3
#define TRACK_DEFAULT_AUTH_WINDOW_US	(60 * 1000000LL)
#define TRACK_DEFAULT_INCIDENT_WINDOW_US (60 * 1000000LL)
#define TRACK_DEFAULT_INCIDENT_HOLD_US	(120 * 1000000LL)
#define TRACK_DEFAULT_MAX_INCIDENTS	4096
#define TRACK_DEFAULT_FAIL_PCT		30
#define TRACK_DEFAULT_FAIL_MIN		10
#define TRACK_DEFAULT_FAIL_WINDOW_US	(300 * 1000000LL)
#define TRACK_BURST_K_MAX		1000
#define TRACK_SCAN_USERS_MAX		64
#define TRACK_AUTH_FAILURES_MAX		64
/* International dial prefixes: ITU E.164 "+", 00 (most of the world), 011
 * (NANP), 9011 (NANP PBX with 9 for an outside line), 810 (Russia, CIS). */
#define TRACK_FRAUD_PREFIXES		{ "+", "00", "011", "9011", "810" }

/*
 * Fill O (caller's storage) with the defaults above: T1 = 500 ms (RFC 3261
 * 17.1.1.1 and Table 4), caps, K = 10 5xx in W = 60 s, 10 users for a
 * scan, 3 auth failures in 60 s, call attempts failing above 30 % of at
 * least 10 within 300 s.  Cannot fail.
 */
void	track_opts_default(struct track_opts *o);

/*
 * Called for every alert, in packet-time order, on the tracker's thread.
 * The alert is only valid during the call (copy what is kept).
 */
typedef void track_alert_fn(const struct alert *, void *arg);

struct track;

/*
 * Create a tracker with options O (copied; zero fields take the
 * defaults) that reports alerts to EMIT (may be NULL: alerts are then
 * only counted).  Tables are allocated lazily up to their caps.  Never
 * NULL; aborts on allocation failure.  Free with track_destroy().
 */
struct track	*track_create(const struct track_opts *o, track_alert_fn *emit,
		    void *arg);
void		 track_destroy(struct track *);

/*
 * Move the tracker's clock to NOW_US (µs since the epoch, packet time or,
 * when a live capture is idle, the wall clock).  Every timer whose
 * deadline lies before NOW_US fires, in deadline order, and idle entries
 * expire.  A NOW_US earlier than the clock is ignored (time never goes
 * back).
 */
void	track_advance(struct track *, int64_t now_us);

/*
 * Track one parsed message seen at TS_US (µs) from SRC to DST over
 * TRANSPORT (enum decode_transport).  MSG is borrowed: nothing in it is
 * kept after the call.  Calls track_advance(TS_US) first.  Messages
 * without Call-ID or Via are counted as untracked.  FLAGS are the
 * decoder's DECODE_F_* bits: with DECODE_F_GAP (bytes were missing from
 * the TCP stream before this message) every later alert about the same
 * Call-ID says that its verdict may rest on an incomplete capture.
 * Implements the matching of RFC 3261 17.1.3 / 17.2.3 and the rules
 * listed in rules.h.
 */
void	track_message(struct track *, const struct sip_msg *msg, int64_t ts_us,
	    const struct sw_addr *src, const struct sw_addr *dst,
	    int transport, int flags);

/* track_message() FLAGS beside DECODE_F_*: the pipeline saw these bytes
 * between the same endpoints within 64*T1 (a retransmission). */
#define TRACK_F_RETRANS		0x100

/*
 * The capture's cumulative drop count DROPS (pcap_stats(3PCAP) ps_drop +
 * ps_ifdrop: packets the kernel or the interface lost, not the network),
 * read now; the rise since the previous call is placed between the two
 * calls' packet times (the tracker's clock).  Every alert whose time lies
 * within 64*T1 after such a span carries drops_nearby (alert.h), as does
 * its incident in the report: a missing response may be the capture's
 * loss.  Live captures only (a file has no drop count); call it about
 * once a second.
 */
void	track_capture_drops(struct track *, uint64_t drops);

/*
 * End of input: no more messages will come.  Timers whose deadline lies
 * beyond the last packet do not fire (the capture did not see the
 * outcome); they become "pending at end of capture" entries in the
 * report.  Calls still open are counted as active.  Call once.
 */
void	track_finish(struct track *);

/*
 * Add the tracker's report sections to the JSON object ROOT:
 * "transactions", "call_ids", "dialogs", "calls", "transfers", "peers", "alerts" and
 * "pending_at_end" (doc/ALERTS.md).  The signature of report_src.extend;
 * ARG is the struct track.  Aborts on allocation failure.
 */
void	track_report(json_t *root, void *arg);

/* ------------------------------------------------------------------ */
/*
 * Observations: the facts the tracker decides, published as they happen,
 * for the views (dashboard model, metrics, service layer) to store and
 * render.  A view derives no SIP semantics of its own: a call's state,
 * its post-dial delay, a transfer's outcome, a back-off, whether a final
 * response is a failure, all come from here.  Observations are delivered
 * on the tracker's thread, in packet-time order, to every subscriber in
 * the order they subscribed; everything they point to is borrowed for the
 * duration of the call.
 */

enum track_obs_type {
	TRACK_OBS_MESSAGE = 0,	/* a message, before any rule reads it */
	TRACK_OBS_CALL,		/* a call began, or its state changed */
	TRACK_OBS_TRANSFER,	/* a REFER subscription changed state */
	TRACK_OBS_FINAL,	/* the first final response of a transaction */
	TRACK_OBS_SRD,		/* an initial INVITE's session request delay,
				   at one hop */
	TRACK_OBS_BACKOFF,	/* a server asked a client to back off */
	TRACK_OBS_RELEASE,	/* a Call-ID record went away */
	TRACK_OBS_ATTACK,	/* an attack rule spoke about a source IP */
	TRACK_OBS_MEDIA		/* a call's media facts changed */
};

/* What an attack achieved, worst first kept (the dashboard's outcome). */
enum track_attack_outcome {
	TRACK_ATTACK_NOTHING = 0,	/* probing, guessing, refused */
	TRACK_ATTACK_COMPROMISED,	/* its credentials were accepted */
	TRACK_ATTACK_FRAUD_ANSWERED	/* a fraud call it placed was answered */
};

/* A call (an initial INVITE and what it led to), as the tracker sees it. */
enum track_call_state {
	TRACK_CALL_TRYING = 1,	/* INVITE sent, nothing beyond 100 back */
	TRACK_CALL_EARLY,	/* a 101-199 came */
	TRACK_CALL_ANSWERED,	/* a 2xx came */
	TRACK_CALL_ENDED,	/* BYE after the answer */
	TRACK_CALL_FAILED,	/* a final >= 300 and no answer */
	TRACK_CALL_CANCELLED,	/* CANCELled by the caller before an answer */
	TRACK_CALL_TIMEOUT	/* no response within Timer B (RFC 3261
				   17.1.1.2) at the first hop */
};

/*
 * How a final response counts (RFC 6076 4): a success, a redirect, a
 * digest challenge the client is expected to answer (RFC 3261 22.2; not a
 * failure), the called user's choice (480, 486, 487, 600, 603: not the
 * network's fault, RFC 6076 4.7), or a failure.
 */
enum track_final_class {
	TRACK_FINAL_SUCCESS = 0,
	TRACK_FINAL_REDIRECT,
	TRACK_FINAL_CHALLENGE,
	TRACK_FINAL_USER,
	TRACK_FINAL_FAILURE
};

/* The class of final response CODE (200..699) to METHOD (enum sip_method). */
enum track_final_class track_final_class(int code, int method);

/* A REFER subscription (RFC 3515), as the tracker sees it. */
enum track_xfer_state {
	TRACK_XFER_REQUESTED = 1,	/* REFER sent */
	TRACK_XFER_ACCEPTED,		/* 200/202 to the REFER */
	TRACK_XFER_REJECTED,		/* a final >= 300 to the REFER */
	TRACK_XFER_SUCCEEDED,		/* a NOTIFY's sipfrag said 2xx */
	TRACK_XFER_FAILED,		/* a NOTIFY's sipfrag said >= 300 */
	TRACK_XFER_NO_NOTIFY		/* accepted, no NOTIFY within 64*T1 */
};

/* Who or what ended a call (the report's calls.ended_by). */
enum track_call_end {
	TRACK_END_NONE = 0,	/* still up, or not seen to end */
	TRACK_END_CALLER,	/* BYE from the caller */
	TRACK_END_CALLEE,	/* BYE from the callee */
	TRACK_END_CANCEL,	/* CANCEL before answer */
	TRACK_END_REJECTED,	/* final >= 300 */
	TRACK_END_TIMEOUT,	/* no final response (Timer B) */
	TRACK_END_COUNT
};

struct track_obs {
	enum track_obs_type	 type;
	int64_t			 ts_us;		/* packet time, µs */
	const char		*call_id;	/* NUL-terminated; "" if none */
	size_t			 call_id_len;
	union {
		struct {			/* TRACK_OBS_MESSAGE */
			const struct sip_msg	*msg;
			const struct sw_addr	*src;
			const struct sw_addr	*dst;
			/* What each end counts as in per-peer views: its
			   ip:port, or for a source that sent requests from
			   several ports and never a response (a scanner),
			   its IP alone, port 0 (track-ident.c). */
			const struct sw_addr	*src_peer;
			const struct sw_addr	*dst_peer;
			int			 transport;
			int			 retrans; /* the same bytes were
						   seen within 64*T1 */
		} msg;
		struct {			/* TRACK_OBS_CALL */
			enum track_call_state	 state;
			enum track_call_end	 ended_by;
			int			 final_code; /* 0 none */
			int64_t			 invite_us;
			int64_t			 srd_us;	/* 0 none */
			int64_t			 answer_us;	/* 0 none */
			int64_t			 end_us;	/* 0 none */
			/* The initial INVITE, when this observation is
			   the call's beginning; NULL otherwise. */
			const struct sip_msg	*invite;
			/* Measured now (µs), -1 otherwise: the report's
			   calls.pdd_ms, pdd_failed_ms and setup_ms
			   count exactly these. */
			int64_t			 srd_sample;
			int64_t			 srd_failed_sample;
			int64_t			 setup_sample;
			uint64_t		 leg_group; /* the same for
						   every leg of one call */
			int			 legs_by; /* enum
						   track_legs_by */
		} call;
		struct {			/* TRACK_OBS_TRANSFER */
			enum track_xfer_state	 state;
			int			 code;	/* REFER response or
							   sipfrag status */
			const char		*refer_to; /* or NULL */
			/* The REFER, when this observation is its
			   request (REQUESTED); NULL otherwise. */
			const struct sip_msg	*refer;
		} xfer;
		struct {			/* TRACK_OBS_FINAL */
			const struct sw_addr	*server; /* sent the response */
			const struct sw_addr	*client;
			int			 method;  /* enum sip_method */
			int			 code;
			enum track_final_class	 cls;
		} final;
		struct {			/* TRACK_OBS_SRD */
			const struct sw_addr	*server;
			const struct sw_addr	*client;
			int64_t			 srd_us;
			int			 failed;	/* to a failure, not
							   a 1xx or 2xx */
		} srd;
		struct {			/* TRACK_OBS_BACKOFF */
			const struct sw_addr	*server;
			const struct sw_addr	*client;
			int64_t			 until_us;
			long			 retry_after;	/* seconds */
			int			 code;
		} backoff;
		struct {			/* TRACK_OBS_RELEASE */
			int			 evicted; /* the table was full */
		} release;
		struct {			/* TRACK_OBS_ATTACK */
			const struct sw_addr	*source; /* the IP (port 0) */
			enum rule_id		 rule;	 /* the rule that spoke */
			enum track_attack_outcome outcome; /* so far */
			int			 first;	 /* flagged just now */
			int64_t			 until_us; /* flagged until: its
						   last occurrence + the
						   attack hold */
			const struct rule_attack *facts;
			const char		*reason; /* one line, English,
						   for a blocklist */
		} attack;
		struct {			/* TRACK_OBS_MEDIA */
			const struct track_media *media;
			/* The call's RTP streams at the tracker's latest
			   look (struct track_media_stream): NSTREAMS of
			   them copied, STREAMS_TOTAL found in all. */
			const struct track_media_stream *streams;
			unsigned		 nstreams;
			unsigned		 streams_total;
		} media;
	} u;
};

/* Receives observations; ARG is the subscriber's. */
typedef void track_obs_fn(const struct track_obs *obs, void *arg);

#define TRACK_SUBSCRIBERS_MAX	8

/*
 * Deliver every observation to FN (with ARG) from now on.  Returns 0, or
 * -1 when TRACK_SUBSCRIBERS_MAX are already subscribed.
 */
int	track_subscribe(struct track *, track_obs_fn *fn, void *arg);

/* Stop delivering to FN with ARG (no-op if not subscribed). */
void	track_unsubscribe(struct track *, track_obs_fn *fn, const void *arg);


/* Incidents of one rule, or of all (track_incidents()). */
struct track_incident_counts {
	uint64_t	opened;		/* incidents raised */
	uint64_t	occurrences;	/* verdicts they counted */
	unsigned	open;		/* open now */
};

/*
 * The incident counts of RULE (all rules when RULE is RULE_COUNT) into
 * OUT (caller's storage).  Cannot fail.  Implements no RFC.
 */
void	track_incidents(const struct track *, enum rule_id rule,
	    struct track_incident_counts *out);

/* Attack sources (track-attack.c), for the metrics. */
struct track_attack_counts {
	unsigned	flagged;	/* source IPs flagged now */
	uint64_t	flagged_total;	/* flaggings since the start */
	uint64_t	compromised;	/* accounts whose credentials an
					   attacker got accepted */
	uint64_t	fraud_calls;	/* calls to fraud destinations */
	uint64_t	fraud_answered;	/* ... answered */
	uint64_t	absorbed;	/* other rules' verdicts counted into
					   an attacker's incident */
};

/* The attack counts into OUT (caller's storage).  Cannot fail. */
void	track_attacks(const struct track *, struct track_attack_counts *out);

/*
 * Calls by their outcome so far (every call the tracker has seen, held or
 * released, by what its latest state says), and the RFC 6076 ratios over
 * the calls that have an outcome.  A call whose INVITE was challenged
 * (401, 407) and retried with credentials is one call, judged by the
 * retry.  The ratios are per cent, or -1 when no call has an outcome
 * besides a redirect:
 *   ser  = answered / (decided - redirected)		 (RFC 6076 4.6)
 *   seer = (answered + rejected) / (decided - redirected) (RFC 6076 4.7)
 * where decided is every call but those in progress.
 */
struct track_call_tally {
	uint64_t	attempts;	/* calls (initial INVITEs) */
	uint64_t	in_progress;	/* trying or ringing */
	uint64_t	answered;	/* a 2xx came: talking, or ended */
	uint64_t	failed;		/* a final >= 400 that is not the
					   called user's choice (401 and 407
					   not retried included) */
	uint64_t	rejected;	/* 480, 486, 600, 603: the called
					   user's (RFC 6076 4.7) */
	uint64_t	redirected;	/* 3xx */
	uint64_t	cancelled;	/* CANCEL, or 487 */
	uint64_t	timed_out;	/* no response within Timer B */
	double		ser;		/* answer-seizure ratio, %; -1 none */
	double		seer;		/* network effectiveness, %; -1 none */
};
/* Fill OUT (caller's storage).  Cannot fail. */
void	track_call_tally(const struct track *, struct track_call_tally *out);

/*
 * The legs of one call across B2BUAs and SBCs (RFC 7092 3.1: a B2BUA
 * starts a new dialog, with a Call-ID of its own): TRACK_OBS_CALL's
 * leg_group is the same for every leg, and legs_by says how a leg was
 * linked to an earlier one (track-legs.c).
 */
enum track_legs_by {
	TRACK_LEGS_NONE = 0,	/* the first leg, or alone */
	TRACK_LEGS_HEADER,	/* X-Call-ID or X-CID */
	TRACK_LEGS_CORRELATE,	/* the header of track_correlate() */
	TRACK_LEGS_CALLID,	/* its Call-ID is the earlier one's with a
				   tail or a head ("..._b2b-1") */
	TRACK_LEGS_B2BUA	/* the element that received the earlier
				   INVITE sent it, within 5 s, same caller */
};
/*
 * --correlate=HEADER[:REGEX]: a header whose value (or REGEX's first
 * group, POSIX extended) links the legs that carry it, or names the
 * Call-ID of an earlier leg.  Returns 0, or -1 with *CAUSE set (caller
 * frees) for a bad REGEX.
 */
int	track_correlate(struct track *, const char *spec, char **cause);

/*
 * Entries currently held, and evicted because a cap was reached, copied
 * into OUT (caller's storage).  Cannot fail.  Implements no RFC.
 */
struct track_usage {
	unsigned	transactions;
	unsigned	call_ids;	/* Call-ID records */
	unsigned	peers;		/* all peer tables together */
	unsigned	peer_cap;	/* their caps together */
	unsigned	timers;		/* pending deadlines */
	uint64_t	evicted;	/* every table together */
};
void	track_usage(const struct track *, struct track_usage *out);

/* ------------------------------------------------------------------ */
/*
 * Media (issue 16; track-sdp.c, track-rtp.c): the calls' SDP offer and
 * answer (RFC 3264) announced to the media analyser (media_expect()), so
 * that RTP streams are tied to calls, and the media rules (no-media,
 * one-way-media, media-nat-mismatch, media-quality, media-timeout,
 * late-media) judged from what the streams carried.
 */

/* Thresholds of the media rules (doc/ALERTS.md). */
struct track_media_opts {
	int64_t		 no_media_us;	/* no-media: no RTP this long after
					   the answer (µs) */
	int64_t		 one_way_us;	/* one-way-media: one direction silent
					   this long while the other flows */
	int64_t		 timeout_us;	/* media-timeout: every direction
					   silent this long, call up */
	int64_t		 late_us;	/* late-media: first RTP this long
					   after the answer */
	double		 loss_pct;	/* media-quality: loss above (%) ... */
	double		 jitter_ms;	/* ... mean jitter above (ms) ... */
	double		 mos;		/* ... or MOS below */
};

#define TRACK_MEDIA_NO_MEDIA_US	(5 * 1000000LL)
#define TRACK_MEDIA_ONE_WAY_US	(5 * 1000000LL)
#define TRACK_MEDIA_TIMEOUT_US	(15 * 1000000LL)
#define TRACK_MEDIA_LATE_US	(2 * 1000000LL)
#define TRACK_MEDIA_LOSS_PCT	5.0
#define TRACK_MEDIA_JITTER_MS	30.0
#define TRACK_MEDIA_MOS		3.1

/* Fill O with the defaults above.  Cannot fail. */
void	track_media_opts_default(struct track_media_opts *o);

/*
 * Announce the calls' SDP to M (borrowed: it must outlive the tracker)
 * and judge their media with O (copied; NULL: the defaults).  Without
 * this call the tracker reads no SDP and raises no media rule.  Call
 * before the first message.
 */
void	track_media_init(struct track *, struct media *m,
	    const struct track_media_opts *o);

/*
 * The earliest deadline the tracker waits for (µs), 0 none: a caller
 * that moves packet time without SIP (RTP) calls track_advance() once
 * time passes it.
 */
int64_t	track_next_deadline(const struct track *);

/* A call's media as the tracker decided it (TRACK_OBS_MEDIA, report). */
#define TRACK_MEDIA_ONE_WAY	0x01	/* one-way-media raised */
#define TRACK_MEDIA_NO_MEDIA	0x02	/* no-media raised */
#define TRACK_MEDIA_NAT		0x04	/* media-nat-mismatch raised */
#define TRACK_MEDIA_QUALITY	0x08	/* media-quality raised */
#define TRACK_MEDIA_TIMEOUT	0x10	/* media-timeout raised */
#define TRACK_MEDIA_LATE	0x20	/* late-media raised */
#define TRACK_MEDIA_HOLD	0x40	/* on hold now (a direction the SDP
					   stops: sendonly, inactive, 0.0.0.0) */
#define TRACK_MEDIA_T38		0x80	/* switched to T.38 (m=image udptl) */

struct track_media {
	unsigned	 flags;		/* TRACK_MEDIA_* */
	unsigned	 mlines;	/* m= lines negotiated (latest SDP) */
	const char	*codec;		/* the first audio line's first payload
					   name, NULL unknown */
	struct sw_addr	 caller_rtp;	/* where each party receives RTP
					   (latest SDP, first line); family 0 */
	struct sw_addr	 callee_rtp;	/*   when not announced */
	unsigned	 streams;	/* RTP streams tied to the call */
	uint64_t	 packets[2];	/* [0] caller -> callee, [1] back */
	int64_t		 first_us[2];	/* first and last RTP, µs, 0 none */
	int64_t		 last_us[2];
	int		 mos_known;	/* WORST_MOS is set */
	double		 worst_mos;	/* the lowest stream MOS (G.107) */
	double		 worst_loss_pct; /* the highest stream loss, % */
	double		 worst_jitter_ms; /* the highest mean jitter, ms */
};

/*
 * One RTP stream of a call, as the media analyser measured it (RFC 3550,
 * doc/MEDIA.md) when the tracker last looked: once a second of packet
 * time while the call is answered, at its end, and once more when the
 * tracker lets the call go or the capture ends (packets that came after
 * the BYE included).  TRACK_OBS_MEDIA carries up to
 * TRACK_MEDIA_STREAMS_KEEP of them, the streams the media module tied to
 * the call's current announcements (media_expect_streams()), with the
 * exact count of those; when there are more, the ones with the most
 * packets are kept.  They come in order of first packet.
 */
#define TRACK_MEDIA_STREAMS_KEEP	8

struct track_media_stream {
	int64_t		 first_us;	/* first and last packet, µs */
	int64_t		 last_us;
	uint64_t	 packets;	/* every packet of the stream */
	int64_t		 lost;		/* A.3: expected - received (< 0
					   with duplicates) */
	double		 lost_pct;	/* lost / expected, % */
	double		 mean_jitter_ms; /* A.8, ms; JITTER_KNOWN */
	double		 max_jitter_ms;
	double		 mos;		/* G.107 MOS-CQE; MOS_KNOWN */
	struct sw_addr	 src;		/* RTP source and destination */
	struct sw_addr	 dst;
	uint32_t	 ssrc;		/* host order */
	uint8_t		 jitter_known;	/* the payload's clock rate known */
	uint8_t		 mos_known;	/* scored (codec known, enough
					   packets) */
	uint8_t		 to_caller;	/* 1: callee -> caller; 0: caller ->
					   callee */
	uint8_t		 dir_known;	/* TO_CALLER is known */
	char		 payload[16];	/* the main payload's name (a=rtpmap,
					   RFC 3551), cut; "" unknown */
};

#endif
