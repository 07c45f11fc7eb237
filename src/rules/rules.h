/*
 * rules.h: the anomaly rules: what each one is called, how severe it is,
 * which knowledge-base code it relates to, and how its alert explains
 * what happened and what to do.
 *
 * Detection lives in the tracker (src/track), which knows transactions,
 * dialogs and peers; when a rule's condition holds it fills a struct
 * rule_ctx with what it saw and calls rules_alert(), which turns that
 * into a struct alert (src/alert).  Summary and advice are built here,
 * from the message's own values (the Retry-After given, whether it was
 * honoured, the Contact of a 3xx, the Server/Warning of the element that
 * sent a 502 ...), followed by the knowledge-base "fix" text when one is
 * available: the one place KB text enters an alert is rules_alert().
 *
 * Rule ids are stable: they appear in alerts, in the report and in
 * doc/ALERTS.md, and tests match on them.
 */
#ifndef SW_RULES_H
#define SW_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "alert/alert.h"

struct sw_addr;

enum rule_id {
	RULE_INVITE_TIMEOUT = 0,
	RULE_NON_INVITE_TIMEOUT,
	RULE_ACK_MISSING,
	RULE_RETRANSMISSION,
	RULE_REFER_NO_NOTIFY,
	RULE_REFER_REJECTED,
	RULE_TRANSFER_FAILED,
	RULE_RETRY_AFTER_VIOLATION,
	RULE_PREMATURE_RETRY,
	RULE_SERVER_ERROR_BURST,
	RULE_BAD_GATEWAY,
	RULE_REDIRECT_LOOP,
	RULE_GLOBAL_FAILURE,
	RULE_SCANNER,
	RULE_AUTH_FAILURE_BURST,
	RULE_LOOP_DETECTED,
	/* issue 14: the failures engineers meet (rules-reg.c, rules-sub.c,
	 * rules-media.c, rules-rate.c) */
	RULE_REGISTRATION_FAILED,
	RULE_SUBSCRIPTION_FAILED,
	RULE_MEDIA_REJECTED,
	RULE_CALL_FAILURE_RATE,
	RULE_ACCOUNT_COMPROMISED,	/* attack rules: rules-attack.c */
	RULE_TOLL_FRAUD,
	/* issue 16: media (rules-rtp.c) */
	RULE_NO_MEDIA,
	RULE_ONE_WAY_MEDIA,
	RULE_MEDIA_NAT_MISMATCH,
	RULE_MEDIA_QUALITY,
	RULE_MEDIA_TIMEOUT,
	RULE_LATE_MEDIA,
	RULE_COUNT
};

/*
 * What a rule's incidents are about: the subject that makes two verdicts
 * of the same rule one incident (src/track/track-incident.c), taken from
 * the rule context (struct rule_ctx).
 */
enum rule_subject {
	RULE_SUBJ_CALL = 0,	/* the Call-ID */
	RULE_SUBJ_SRC,		/* the sender's endpoint (ip:port) */
	RULE_SUBJ_DST,		/* the destination endpoint (ip:port) */
	RULE_SUBJ_SRC_IP,	/* the sender's IP address, whatever its port */
	RULE_SUBJ_TARGET	/* the AOR or user (rule_ctx.target) */
};

struct rule_ctx;
struct rule_text;

/*
 * Write the summary and advice of an alert for CTX into TEXT (in the
 * user's language): what happened with the numbers that prove it, then
 * what it usually means and what to check.
 */
typedef void	rule_text_fn(const struct rule_ctx *ctx, struct rule_text *text);

/*
 * One rule: everything about it but its detection, which the tracker does
 * in the file DETECTOR names.  Each rule is one const entry (rules-*.c,
 * designated initialisers, as tmux's cmd_entry); rules.c collects them.
 * Every string is static (English; TRIGGER is translated when shown).
 */
struct rule_entry {
	const char		*id;		/* "refer-no-notify" (stable) */
	enum alert_severity	 severity;
	int			 kb_code;	/* related KB response code */
	int			 kb_advice;	/* append the KB "fix" text */
	const char		*rfc;		/* where the rule comes from */
	const char		*trigger;	/* one line: when it fires */
	enum rule_subject	 subject;	/* what its incidents are about */
	const char		*role;		/* the subject's name in lines:
						   "call", "server", "client",
						   "source", "aor" */
	int			 burst;		/* its incidents are cleared (a
						   "clear" line) once the
						   condition has been absent
						   for the hold time; others
						   end silently */
	int			 hold_s;	/* its incidents end after this
						   long without an occurrence
						   (seconds); 0: --alert-hold */
	const char		*detector;	/* "src/track/track-txn.c (...)" */
	rule_text_fn		*text;
	int			 attack;	/* its subject is an attack source
						   (scanner, auth-failure-burst,
						   account-compromised,
						   toll-fraud): never absorbed
						   as attack traffic, and its
						   incidents last at least
						   RULE_ATTACK_HOLD_S */
};

/* How long an attack incident stays open without occurrence (seconds):
 * attackers come back in rounds minutes apart. */
#define RULE_ATTACK_HOLD_S	3600

/* The entry of rule ID, or NULL when ID is out of range. */
const struct rule_entry	*rules_entry(enum rule_id id);

/* The rule whose id string is NAME, or -1.  Implements no RFC. */
int			 rules_find(const char *name);

/* What the tracker saw, for rules_alert().  Unused fields stay 0/NULL. */
struct rule_ctx {
	enum rule_id		 rule;
	int64_t			 ts_us;		/* when the verdict became
						   certain (µs, packet time) */
	const char		*call_id;	/* LEN bytes, need not end in NUL */
	size_t			 call_id_len;
	const struct sw_addr	*src;		/* of the message the rule is */
	const struct sw_addr	*dst;		/* about; may be NULL */
	const char		*method;	/* request method name */
	int			 code;		/* status code, 0 none */
	int			 kb_code;	/* KB code, 0: rule's default */
	const char		*transport;	/* "UDP", "TCP" ... */

	long			 n;		/* count: sends, 5xx, users ... */
	long			 n2;		/* second count (rule-specific) */
	long			 retry_after;	/* Retry-After seconds, -1 none */
	int64_t			 elapsed_us;	/* since the reference event */
	int64_t			 window_us;	/* timer or window length */
	int			 codes[5];	/* 500, 502, 503, 504, other 5xx */
	int			 flags;		/* RULE_F_* */

	const char		*reason;	/* reason phrase of the response */
	const char		*server;	/* Server / User-Agent */
	const char		*warning;	/* Warning header */
	const char		*reason_hdr;	/* Reason header (RFC 3326) */
	const char		*contact;	/* 3xx Contact, Refer-To ... */
	const char		*target;	/* R-URI user, AOR, callee ... */
	const char		*peer;		/* another element ("ip:port") */
	/* issue 14 section 4-5: what the evidence shows */
	const char		*offer;		/* offered media (SDP summary) */
	const char		*answer;	/* media the answer accepts */
	const char		*accept;	/* Accept header of the answer */
	const char		*prev;		/* media in use before the offer */
	const char		*headers;	/* header names (comma list) */
	const struct rule_attack *attack;	/* attack rules: the source */
	const struct rule_media	*media;		/* issue 16: media evidence */
};

/*
 * What the tracker knows about one attack source (src/track/track-attack.c)
 * when an attack rule speaks: the counts and lists its text quotes.
 * Strings are borrowed for the duration of rules_alert().  Counts of
 * distinct values stop growing at ATTACK_DISTINCT_MAX (then "at least").
 */
struct rule_attack {
	unsigned	 kinds;		/* RULE_ATK_* seen so far */
	unsigned	 tool_flags;	/* RULE_TOOL_* fingerprints matched */
	const char	*tool;		/* the tool recognised, or NULL */
	const char	*agent;		/* its User-Agent, or NULL */
	uint64_t	 requests;	/* requests it sent */
	unsigned	 hosts;		/* distinct destination IPs */
	unsigned	 endpoints;	/* distinct destination ip:port */
	unsigned	 users;		/* distinct users probed */
	uint64_t	 refused;	/* answered 401/403/404/407 */
	uint64_t	 unanswered;	/* no final response (Timer B/F) */
	uint64_t	 finals;	/* final responses it got */
	uint64_t	 auth_failures;	/* credentials rejected */
	unsigned	 accounts;	/* distinct accounts tried */
	const char	*account_list;	/* "100@pbx, 101@pbx" */
	const char	*target_list;	/* "198.51.100.7, 198.51.100.8" */
	const char	*account;	/* compromise: the account */
	const char	*binding;	/* compromise: the Contact installed */
	uint64_t	 fraud_attempts; /* calls to fraud destinations */
	uint64_t	 fraud_answered;
	const char	*number;	/* the latest fraud destination */
	const char	*device;	/* fraud: the answering device */
	int64_t		 duration_us;	/* fraud: answered call, -1 not ended */
	uint64_t	 absorbed[5];	/* refusals: 503, other 5xx, 482/483,
					   6xx, timeouts/retransmissions */
	int64_t		 first_503_us;	/* first 503 to it (µs), 0 none */
	int64_t		 first_us;	/* first seen (µs) */
	int		 local;		/* inside the local networks */
	int		 registered;	/* registered before it was flagged */
	int		 relayed;	/* seen through a proxy */
};

/* rule_attack.kinds */
#define RULE_ATK_TOOL		0x01	/* a known tool's fingerprint */
#define RULE_ATK_VERTICAL	0x02	/* many users on one target */
#define RULE_ATK_HORIZONTAL	0x04	/* many hosts or ports */
#define RULE_ATK_FRAUD_TRY	0x08	/* calls to fraud destinations */
#define RULE_ATK_GUESSING	0x10	/* credentials rejected */

/* rule_attack.tool_flags: which fingerprints matched */
#define RULE_TOOL_UA		0x01	/* User-Agent on the list */
#define RULE_TOOL_DISPLAY	0x02	/* From/To display "sipvicious" */
#define RULE_TOOL_CONTACT	0x04	/* Contact/From sip:..@1.1.1.1 */
#define RULE_TOOL_TAG		0x08	/* SIPVicious From-tag format */
#define RULE_TOOL_BRANCH	0x10	/* branch z9hG4bK-<digits> and a
					   decimal Call-ID */
#define RULE_TOOL_FORGED	0x20	/* Metasploit sip_invite_spoof:
					   no branch, no From-tag, Call-ID
					   1NN<Via host> */

/* rule_ctx.flags */
#define RULE_F_PROVISIONAL	0x0001	/* a provisional had been seen */
#define RULE_F_CALLEE_BYE	0x0002	/* the callee then sent BYE */
#define RULE_F_RELIABLE		0x0004	/* reliable transport (TCP ...) */
#define RULE_F_IN_DIALOG	0x0008	/* request inside a dialog */
#define RULE_F_NONCE_REPEAT	0x0010	/* credentials reused a nonce */
#define RULE_F_STALE		0x0020	/* challenge said stale=true */
#define RULE_F_UA_MATCH		0x0040	/* scanner: User-Agent matched */
#define RULE_F_VIA_REPEAT	0x0080	/* loop: a Via repeats */
#define RULE_F_FINAL_SEEN	0x0100	/* a final response had been seen */
#define RULE_F_SELF		0x0200	/* redirect to the URI itself */
#define RULE_F_GAP		0x0400	/* a TCP gap preceded a message of the call */
#define RULE_F_NO_KB		0x0800	/* the code's KB text does not fit
					   (488 to a REFER is not codecs) */
#define RULE_F_AUTH		0x1000	/* the request carried credentials */
#define RULE_F_DISCARDED	0x2000	/* the server answered other requests
					   on the same connection */
#define RULE_F_ANSWERED		0x4000	/* CANCEL: its INVITE was answered */
#define RULE_F_REPLACES		0x8000	/* REFER: Refer-To carries Replaces */
#define RULE_F_PARTIAL		0x10000	/* a message of the evidence was
					   salvaged after a parse error */
#define RULE_F_DROPS		0x20000	/* the capture dropped packets near
					   the verdict (pcap_stats) */

/*
 * The evidence of the media rules (issue 16; rule_ctx.media), from the
 * calls' SDP and the RTP streams tied to them.  Addresses are "ip:port"
 * text; NULL when unknown.
 */
struct rule_media {
	const char	*party;		/* the party the verdict is about:
					   "caller" / "callee" (one-way: the
					   silent side; nat: whose SDP) */
	const char	*party_rtp;	/* its announced RTP endpoint */
	const char	*party_sig;	/* where its SIP came from */
	const char	*other_rtp;	/* the other party's RTP endpoint */
	const char	*rtp_src;	/* an RTP source the cause quotes */
	const char	*codec;
	uint64_t	 sent;		/* one-way: packets the silent side
					   sent, the other side sent */
	uint64_t	 heard;
	int64_t		 silence_us;	/* one-way, timeout: how long */
	int64_t		 hold_us;	/* a hold (0 none) ... */
	int64_t		 resume_us;	/* ... and its resume */
	unsigned	 cause;		/* RULE_MC_* */
	/* media-quality */
	double		 loss_pct;
	int64_t		 lost, expected;
	double		 jitter_ms;	/* mean interarrival jitter */
	double		 mos;		/* 0: not scored */
	uint64_t	 late;		/* packets later than the nominal
					   jitter buffer (the MOS counts them
					   lost) */
	double		 max_loss_pct;	/* the thresholds */
	double		 max_jitter_ms;
	double		 min_mos;
	unsigned	 streams;
	const char	*leg;		/* signalling hop "ip:port <-> ip:port" */
};

/* rule_media.cause */
#define RULE_MC_PRIVATE		0x01	/* private SDP address, public SIP */
#define RULE_MC_OTHER_PORT	0x02	/* RTP from another port or address
					   than announced */
#define RULE_MC_NEVER_SENT	0x04	/* the silent side sent no packet */
#define RULE_MC_HOLD		0x08	/* stopped at a hold, not resumed */
#define RULE_MC_PEER_PRIVATE	0x10	/* the other side announced a private
					   address behind public SIP */
#define RULE_MC_SHARED		0x20	/* media set up directly between two
					   legs of a B2BUA (same endpoints) */
#define RULE_MC_RELAY		0x40	/* the silent side's RTP reaches the
					   relay another hop's SDP announced
					   (rtp_src), nothing leaves it */

/*
 * The knowledge-base hook: the "fix" text for response code CODE in the
 * user's language, or NULL.  ARG is the caller's.  The returned string
 * is borrowed and must stay valid during the call to rules_alert().
 */
typedef const char	*rules_kb_fix_fn(int code, void *arg);

/*
 * Build the alert for CTX into OUT (which the caller releases with
 * alert_clear()): rule id and severity from the catalogue, time, call,
 * addresses, method and code from CTX, and a summary and advice in the
 * user's language (gettext) built from CTX's values.  When KB_FIX is
 * not NULL the knowledge-base fix for the alert's KB code is appended
 * to the advice.  Never fails.
 */
void	rules_alert(const struct rule_ctx *ctx, rules_kb_fix_fn *kb_fix,
	    void *kb_arg, struct alert *out);

#endif
