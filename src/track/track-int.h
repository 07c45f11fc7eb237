/*
 * track-int.h: the tracker's internal types, shared by src/track/track-*.c
 * only (track.h is the public interface).
 *
 * Tables:
 *   txn   one per transaction per hop (RFC 3261 17), keyed by a 128-bit
 *         digest of the matching key;
 *   cidrec one per Call-ID ("Call-ID record"): the dialogs (by tags) that
 *         share the Call-ID, the INVITE call, REFER subscriptions and the
 *         rules already raised; owns its transactions;
 *   peer  small per-peer tables (back-offs, callee hints, 5xx bursts,
 *         scanners, authentication failures).
 * Each table has a cap and LRU lists (sys/queue.h TAILQs, ordered by last
 * activity); full tables evict their least recently used entry and idle
 * entries expire.  Deadlines sit in one indexed binary min-heap.
 */
#ifndef SW_TRACK_INT_H
#define SW_TRACK_INT_H

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * Every table here is keyed by a struct tkey, already a well-mixed
 * digest: uthash can take its first bytes as the bucket hash instead of
 * hashing the key again.
 */
#define HASH_FUNCTION(keyptr, keylen, hashv) \
	memcpy(&(hashv), (keyptr), sizeof (hashv))
#include "core/hash.h"

#include "alert/alert.h"
#include "decode/decode.h"
#include "rules/rules.h"
#include "sip/sip.h"
#include "track/track.h"

struct sip_sdp;

/* ------------------------------------------------------------------ */
/* Keys and hashing (track-util.c). */

struct tkey {
	uint64_t	a, b;
};

struct thash {
	uint64_t	a, b;
	uint64_t	n;
};

void		 th_init(struct thash *, uint64_t seed);
void		 th_bytes(struct thash *, const void *, size_t);
/* Bytes, ASCII letters folded to lower case. */
void		 th_lower(struct thash *, const void *, size_t);
void		 th_u64(struct thash *, uint64_t);
/* A sip_str and a separator (absent and empty strings differ). */
void		 th_str(struct thash *, const struct sip_str *);
struct tkey	 th_final(const struct thash *);
uint64_t	 th_final64(const struct thash *);

/* 64-bit digest of a sip_str (0 when absent). */
uint64_t	 track_hash_str(const struct sip_str *);
/* 64-bit digest of an address (family, ip, port; without port if !PORT). */
uint64_t	 track_hash_addr(const struct sw_addr *, int port);
/* Digest of a name-addr's user@host (host case-folded): an identity. */
uint64_t	 track_hash_nameaddr(const struct sip_nameaddr *);
/*
 * Digest of a SIP URI compared as RFC 3261 19.1.4 would for routing:
 * scheme, user, host (case-folded) and port (the default port dropped);
 * parameters and headers ignored.  0 for an empty URI.
 */
uint64_t	 track_hash_uri(const char *uri, size_t len);

/* Is the transport reliable (not UDP)? */
int		 track_reliable(int transport);

/* Latency histogram (ms) with about 3% resolution, bounded size. */
#define HIST_BUCKETS	1216
struct hist {
	uint32_t	b[HIST_BUCKETS];
	uint64_t	n;
};
void		 hist_add(struct hist *, int64_t ms);
/* Percentile P (0..100) in ms; -1 when empty. */
int64_t		 hist_pct(const struct hist *, double p);

/* ------------------------------------------------------------------ */
/* Timers (track-timer.c). */

enum ttimer_kind {
	TT_TXN = 1,	/* Timer B / F of a client transaction */
	TT_CIDREC,	/* ack-missing, refer-no-notify */
	TT_INCIDENT	/* an incident's update or end */
};

struct ttimer {
	int64_t		 deadline;
	unsigned	 idx;		/* 1-based heap slot; 0 = not queued */
	uint8_t		 kind;		/* enum ttimer_kind */
};

struct theap {
	struct ttimer	**v;		/* v[1..n] */
	unsigned	  n;
	unsigned	  cap;
};

void		 theap_init(struct theap *, unsigned cap);
void		 theap_free(struct theap *);
/* Queue T at DEADLINE, or move it there if queued. */
void		 theap_set(struct theap *, struct ttimer *, int64_t deadline);
void		 theap_remove(struct theap *, struct ttimer *);
/* The earliest timer, or NULL. */
struct ttimer	*theap_top(const struct theap *);

#define container_of(p, type, member) \
	((type *)(void *)((char *)(p) - offsetof(type, member)))

/* ------------------------------------------------------------------ */
/* Transactions (track-txn.c). */

#define TXN_F_TIMED_OUT		0x01	/* Timer B/F rule decided */
#define TXN_F_RETRANS_ALERT	0x02	/* retransmission rule raised */
#define TXN_F_HAS_AUTH		0x04	/* request carried credentials */
#define TXN_F_INITIAL_INVITE	0x08	/* INVITE without To-tag */
#define TXN_F_IN_DIALOG		0x10	/* request had a To-tag */
#define TXN_F_RFC2543		0x20	/* keyed by the RFC 2543 fallback */
#define TXN_F_ORPHAN		0x40	/* request not seen: from a response */
#define TXN_F_TIMER_H		0x80	/* waiting for the ACK of a non-2xx */
#define TXN_F_SRD		0x100	/* its session request delay was
					   published (initial INVITE) */
#define TXN_F_INFERRED		0x200	/* a response was not captured but
					   the messages show it existed */
#define TXN_F_RETRANS_DUE	0x400	/* retransmitted: the verdict waits
					   for the outcome (txn_retrans()) */
#define TXN_F_REPORTED		0x800	/* its final response is the subject
					   of another rule's verdict */
#define TXN_F_SUB_TERM		0x1000	/* NOTIFY: Subscription-State:
					   terminated */

enum txn_lru {
	TXN_LRU_OPEN = 0,	/* no final response yet */
	TXN_LRU_DONE,		/* final response seen */
	TXN_LRU_COUNT
};

struct cidrec;

struct txn {
	UT_hash_handle		 hh;
	struct tkey		 key;
	TAILQ_ENTRY(txn)	 lru;
	TAILQ_ENTRY(txn)	 cidrec_entry;	/* in its record's list */
	struct ttimer		 tm;
	struct cidrec		*cidrec;	/* owner, never NULL */
	struct sw_addr		 client;	/* sender of the request */
	struct sw_addr		 server;
	int64_t			 first_us;	/* first transmission */
	int64_t			 last_send_us;	/* last transmission */
	int64_t			 last_us;	/* last activity */
	int64_t			 prov_us;	/* first provisional, 0 none */
	int64_t			 peer_us;	/* the server last sent the client
					   something in this Call-ID, 0 none */
	int64_t			 final_us;	/* first final, 0 none */
	uint64_t		 from_h;	/* From URI (caller identity) */
	uint64_t		 to_h;		/* To URI (AOR for REGISTER) */
	uint64_t		 ruser_h;	/* Request-URI user */
	uint64_t		 ruri_h;	/* whole Request-URI */
	uint64_t		 nonce_h;	/* nonce in the credentials */
	uint32_t		 cseq;
	uint16_t		 sends;		/* request transmissions */
	uint16_t		 final_sends;	/* final response transmissions */
	uint16_t		 final_code;
	uint16_t		 acks;		/* ACKs for a non-2xx final */
	uint8_t			 method;	/* enum sip_method */
	uint8_t			 transport;	/* enum decode_transport */
	uint16_t		 flags;		/* TXN_F_* */
	uint8_t			 lru_class;	/* enum txn_lru */
	uint8_t			 max_fwd;	/* the request's Max-Forwards
						   (255: absent or more) */
	char			 method_name[16]; /* for SIP_METHOD_OTHER */
	char			*hnames;	/* INVITE over a reliable
						   transport: its header names
						   (sip_header_names(), owned) */
};

/* ------------------------------------------------------------------ */
/* Call-ID records (track-cidrec.c), dialogs and calls (track-call.c),
 * REFER subscriptions (track-refer.c). */

#define CIDREC_DIALOGS	4	/* dialogs (tag pairs) kept per Call-ID */
#define CIDREC_REFERS	4	/* REFER subscriptions kept per Call-ID */
#define CALL_TRIED	8	/* redirect targets kept per call */
#define CIDREC_FIRED	8	/* recent (rule, request) alerts kept */
#define CIDREC_CALLID_INLINE 48	/* longer Call-IDs are allocated */

enum cidrec_lru {
	CIDREC_LRU_SHORT = 0,	/* nothing under way: kept for retransmissions */
	CIDREC_LRU_OPEN,		/* a call being set up, a transfer going on */
	CIDREC_LRU_LONG,		/* a call is up: silent for as long as it lasts */
	CIDREC_LRU_COUNT
};

enum dialog_state {
	DIALOG_EARLY = 1,
	DIALOG_CONFIRMED,
	DIALOG_TERMINATED
};

struct dialog {
	uint64_t	tags;		/* digest of the tag pair, unordered */
	uint8_t		state;		/* enum dialog_state */
};

/* A call's state: 0 (no call) or an enum track_call_state (track.h). */
#define CALL_NONE	0

struct call {
	uint8_t		 state;		/* CALL_NONE, enum track_call_state */
	uint8_t		 ended_by;	/* enum track_call_end */
	uint8_t		 counted;	/* accounted in the report */
	uint8_t		 cancelled;
	uint8_t		 global_fired;
	uint8_t		 redirect_fired;
	uint8_t		 ntried;
	uint8_t		 srd_failed;	/* a failed SRD was counted */
	uint8_t		 outcome;	/* counted in calls.outcomes[] */
	uint8_t		 legs_by;	/* enum track_legs_by */
	uint64_t	 leg_group;	/* track-legs.c */
	struct call_note *note;		/* who, and why it failed (owned) */
	uint64_t	 caller_tag;	/* From-tag of the first INVITE */
	int64_t		 invite_us;	/* first INVITE */
	int64_t		 srd_us;	/* session request delay reached: the
					   first 101-199 or 2xx (RFC 6076
					   4.3); 0 not yet */
	int64_t		 answer_us;	/* first 2xx */
	int64_t		 final_us;
	int64_t		 end_us;	/* BYE */
	int		 final_code;	/* last final to the initial INVITE */
	uint64_t	 tried[CALL_TRIED];	/* URI digests tried */

	/* The 2xx/ACK rule (RFC 3261 13.3.1.4) for the latest INVITE. */
	uint8_t		 ack_pending;
	uint8_t		 ack_callee_bye;
	uint16_t	 ack_2xx_sends;	/* most transmissions at one hop */
	uint32_t	 ack_cseq;
	int		 ack_code;
	int64_t		 ack_deadline;
	struct sw_addr	 ack_src;	/* of the 2xx */
	struct sw_addr	 ack_dst;
	char		*ack_contact;	/* Contact of the 2xx (owned) */
};

enum refer_state {
	REFER_SENT = 1,
	REFER_ACCEPTED,
	REFER_REJECTED
};

struct refer {
	uint8_t		 used;
	uint8_t		 state;		/* enum refer_state */
	uint8_t		 norefersub;	/* 2xx said Refer-Sub: false */
	uint8_t		 terminated;	/* Subscription-State: terminated */
	uint8_t		 fired;		/* outcome rule raised */
	uint32_t	 cseq;
	uint64_t	 referrer_tag;	/* From-tag of the REFER */
	int64_t		 sent_us;
	int64_t		 accepted_us;
	int64_t		 deadline;	/* refer-no-notify, 0 none */
	int64_t		 notify_us;	/* first NOTIFY, 0 none */
	int		 accept_code;
	int		 frag_code;	/* last sipfrag status, 0 none */
	struct sw_addr	 src;		/* of the REFER */
	struct sw_addr	 dst;
	struct sw_addr	 acc_src;	/* of its 2xx */
	struct sw_addr	 acc_dst;
	char		*refer_to;	/* owned */
};

/*
 * What a few rules need to quote from earlier messages of a Call-ID,
 * allocated when the first of them is seen; every string is owned and
 * bounded (CIDINFO_MAX bytes).
 */
#define CIDINFO_MAX	200

struct cidinfo {
	char		*offer;		/* latest SDP offer of an INVITE or
					   UPDATE, summarised (sip_sdp_format()) */
	char		*media;		/* the media the last 2xx agreed */
	char		*event;		/* event package of the latest SUBSCRIBE
					   or NOTIFY */
	char		*aor;		/* AOR of the latest REGISTER */
	uint32_t	 offer_cseq;	/* CSeq of OFFER's request ... */
	uint8_t		 offer_method;	/* ... and its method */
};

struct fired {
	uint8_t		 rule;
	uint8_t		 method;
	uint32_t	 cseq;
};

struct cidrec {
	UT_hash_handle		 hh;
	struct tkey		 key;
	TAILQ_ENTRY(cidrec)	 lru;
	TAILQ_HEAD(, txn)	 txns;
	struct ttimer		 tm;
	uint8_t			 lru_class;	/* enum cidrec_lru */
	uint8_t			 ndialogs;
	uint8_t			 nfired;
	uint8_t			 gap;		/* a message came after a TCP gap */
	uint8_t			 partial;	/* a message was salvaged after a
					   parse error (sip_msg.partial) */
	int64_t			 first_us;
	int64_t			 last_us;
	char			*call_id;	/* inline or owned */
	size_t			 call_id_len;
	char			 call_id_buf[CIDREC_CALLID_INLINE];
	struct dialog		 dialogs[CIDREC_DIALOGS];
	struct call		 call;
	struct refer		*refers;	/* [CIDREC_REFERS], on demand */
	struct fired		 fired[CIDREC_FIRED];
	struct cidinfo		*info;		/* on demand (cidrec_info()) */
	struct cmedia		*media;		/* SDP and media facts, on
						   demand (track-sdp.c) */
};

/* ------------------------------------------------------------------ */
/* Peer tables (track-peer.c). */

enum peer_kind {
	PEER_BACKOFF = 0,	/* (client, server): 503/500 Retry-After */
	PEER_HINT,		/* (caller, target): callee Retry-After */
	PEER_BURST,		/* server: recent 5xx */
	PEER_SOURCE,		/* source IP: what it probed, guessed and
				   called, whether it is an attacker
				   (track-attack.c) */
	/* issue 14 (track-reg.c, track-sub.c, track-rate.c, track-txn.c) */
	PEER_REG,		/* AOR: registration outcomes */
	PEER_REGSRV,		/* registrar: the last AOR it left unanswered */
	PEER_SUB,		/* (subscriber, package): 481/489 answers */
	PEER_RATE,		/* server: call attempts and failures */
	PEER_CONN,		/* (client, server) connection: INVITEs it
				   answered and the headers they carried */
	PEER_KIND_COUNT
};

#define RATE_SLOTS	8	/* call-failure-rate window slots */
#define CONN_NAMES	20	/* header names kept per connection */

struct srcrec;

struct peer {
	UT_hash_handle		 hh;
	struct tkey		 key;
	TAILQ_ENTRY(peer)	 lru;
	int64_t			 last_us;
	int64_t			 expire_us;	/* idle expiry */
	union {
		struct {
			int64_t	 since_us;	/* the response */
			int64_t	 until_us;
			long	 retry_after;
			int	 code;
			int	 fired;
		} backoff;
		struct {
			int64_t	 since_us;
			int64_t	 until_us;
			long	 retry_after;
			int	 code;
			int	 fired;
		} hint;
		struct {
			int64_t	*ts;		/* ring of K times */
			uint16_t *codes;	/* ring of K codes */
			unsigned  next;
			unsigned  n;
		} burst;
		struct srcrec	*src;		/* owned (track-attack.c) */
		struct {
			int64_t	 since_us;	/* first failure since the last
						   binding, 0 none */
			uint32_t fails;
			uint8_t	 stale;		/* stale challenges in a row */
			uint8_t	 brief;		/* 423s in a row */
		} reg;
		struct {
			uint64_t aor;		/* the AOR (digest) */
			int64_t	 us;
		} regsrv;
		struct {
			int64_t	 first_us;
			uint32_t refused;	/* 481/489 answers */
		} sub;
		struct {
			int64_t	 slot_us;	/* start of the newest slot */
			uint16_t att[RATE_SLOTS];	/* attempts */
			uint16_t f4[RATE_SLOTS];	/* 4xx failures */
			uint16_t f5[RATE_SLOTS];	/* 5xx failures */
			uint16_t to[RATE_SLOTS];	/* timeouts */
			uint8_t	 head;		/* index of the newest slot */
		} rate;
		struct {
			int64_t	 answer_us;	/* last INVITE answered */
			uint32_t answered;
			uint32_t names[CONN_NAMES];	/* header name digests */
			uint8_t	 nnames;
		} conn;
	} u;
};

struct ptab {
	struct peer		*hash;
	TAILQ_HEAD(, peer)	 lru;
	unsigned		 n;
	unsigned		 cap;
	uint64_t		 created;
	uint64_t		 evicted;
	uint64_t		 expired;
};

/* ------------------------------------------------------------------ */
/* Incidents (track-incident.c). */

#define INCIDENT_SUBJECT_MAX	320	/* "server [v6]:port", "call <Call-ID>" */
#define INCIDENT_KEEP		1000	/* incidents listed in the report */

struct incident {
	UT_hash_handle		 hh;
	struct tkey		 key;		/* rule and subject */
	TAILQ_ENTRY(incident)	 lru;		/* by last occurrence */
	struct ttimer		 tm;		/* next update or the end */
	uint8_t			 rule;		/* enum rule_id */
	uint8_t			 burst;		/* ends with a clear line */
	uint8_t			 ended;
	char			 id[ALERT_INCIDENT_LEN];
	char			*subject;	/* owned */
	int64_t			 first_us;
	int64_t			 last_us;
	int64_t			 pub_us;	/* its last line */
	uint64_t		 count;		/* occurrences */
	uint64_t		 pub_count;	/* as of its last line */
	unsigned		 rec;		/* 1 + its report record, 0 none */
	unsigned		 evidence;	/* RULE_F_INCOMPLETE bits of every
					   occurrence so far */
	struct alert		 example;	/* the latest verdict's text */
};

/* An incident as the report lists it. */
struct incident_rec {
	char		 id[ALERT_INCIDENT_LEN];
	uint8_t		 rule;
	uint8_t		 ended;
	unsigned	 evidence;	/* RULE_F_INCOMPLETE bits */
	char		*subject;
	char		*summary;	/* of the verdict that raised it */
	int64_t		 first_us;
	int64_t		 last_us;
	uint64_t	 count;
};

/* ------------------------------------------------------------------ */
/* Responses held for their request (track-reorder.c). */

#define TRACK_REORDER_US	200000		/* how long, µs of packet time */
#define TRACK_HELD_MAX		256		/* responses held at most ... */
#define TRACK_HELD_BYTES	(1024 * 1024)	/* ... and their bytes */

struct held {
	int64_t		 ts;
	struct tkey	 key;		/* of its transaction */
	struct sw_addr	 src;
	struct sw_addr	 dst;
	int		 transport;
	int		 flags;		/* track_message() FLAGS */
	uint8_t		*raw;		/* owned copy; NULL: processed */
	size_t		 len;
};

/* ------------------------------------------------------------------ */
/* The tracker. */

/* The evidence flags an incident collects (rules.h RULE_F_*). */
#define RULE_F_INCOMPLETE	(RULE_F_GAP | RULE_F_PARTIAL | RULE_F_DROPS)

/*
 * Capture drops (track_capture_drops()): the packet-time spans in which
 * the capture's drop counter rose, newest last; consecutive rises make
 * one span.
 */
#define TRACK_DROPS_KEEP	16

struct drop_span {
	int64_t		 from;		/* the poll before the rise, µs */
	int64_t		 to;		/* the poll that saw it, µs */
};

#define PENDING_KEEP	1000	/* pending_at_end entries listed */

struct pending {
	uint8_t		 rule;
	int64_t		 deadline;
	char		*call_id;
};

#define ATTACK_UA_CLEAN	64	/* struct track attack.ua_clean[] */

struct track {
	struct track_opts	 o;
	track_alert_fn		*emit;
	void			*emit_arg;
	struct {
		track_obs_fn	*fn;
		void		*arg;
	}			 subs[TRACK_SUBSCRIBERS_MAX];
	int64_t			 now;		/* clock, µs; 0 before the first */
	int64_t			 timer64;	/* 64*T1 */
	int64_t			 first_us;
	int64_t			 last_us;	/* last message */
	int64_t			 jump_from;	/* the clock stepped from here (while
					   timers fire, else 0) */
	int			 unjudged;	/* the firing timer's deadline lies
					   inside that step: no verdict */
	int			 cur_partial;	/* the message being processed was
					   salvaged (sip_msg.partial) */
	/* The SDP body of the message being processed, read once
	   (track_sdp(), track-sdp.c) */
	const struct sip_msg	*sdp_msg;	/* whose it is; NULL: none read */
	struct sip_sdp		*sdp;		/* NULL: unreadable */
	void			*sdp_buf;	/* the parse's block */
	size_t			 sdp_cap;

	/* capture drops (track_capture_drops()) */
	struct drop_span	 drops[TRACK_DROPS_KEEP];	/* a ring */
	unsigned		 drops_head;	/* oldest span */
	unsigned		 ndrops;
	uint64_t		 drops_seen;	/* the counter as last given */
	int64_t			 drops_polled;	/* packet time of that poll */
	uint64_t		 drop_spans;	/* spans recorded in all */
	int			 finished;
	unsigned		 nsubs;

	/* transactions */
	struct txn		*txns;		/* uthash head */
	TAILQ_HEAD(, txn)	 txn_lru[TXN_LRU_COUNT];
	unsigned		 ntxn;
	struct txn		*txn_free;	/* free list (via hh.next) */
	unsigned		 ntxn_free;
	int64_t			 txn_idle[TXN_LRU_COUNT];

	/* Call-ID records */
	struct cidrec		*cidrecs;
	TAILQ_HEAD(, cidrec)	 cidrec_lru[CIDREC_LRU_COUNT];
	unsigned		 ncidrec;
	struct cidrec		*cidrec_free_list;
	unsigned		 ncidrec_free;
	int64_t			 cidrec_idle[CIDREC_LRU_COUNT];

	struct ptab		 peers[PEER_KIND_COUNT];
	struct track_ident	*ident;		/* track-ident.c */
	struct track_legs	*legs;		/* track-legs.c */
	struct track_failures	*failures;	/* the calls that failed, for
						   the report (track-call.c) */
	struct theap		 heap;

	/* counters for the report */
	struct {
		uint64_t	created;
		uint64_t	by_method[SIP_METHOD_COUNT];
		uint64_t	rfc2543;
		uint64_t	retransmissions;	/* request resends */
		uint64_t	resp_retransmissions;	/* final resends */
		uint64_t	acks_non2xx;
		uint64_t	acks_2xx;
		uint64_t	acks_unmatched;
		uint64_t	completed;
		uint64_t	timed_out;
		uint64_t	timer_h;		/* non-2xx never ACKed */
		uint64_t	orphan_responses;
		uint64_t	not_captured;		/* responses shown by
							   later messages */
		uint64_t	path_duplicates;
		uint64_t	capture_duplicates;	/* same packet twice */
		uint64_t	untracked;
		uint64_t	clock_jumps;	/* steps of the packet clock */
		uint64_t	unjudged;	/* timers inside such a step */
		uint64_t	evicted;
		uint64_t	evicted_pending;	/* with a timer running */
		uint64_t	expired;
	} tx;
	struct {
		uint64_t	records;
		uint64_t	dialogs;		/* tag pairs created */
		uint64_t	early;
		uint64_t	confirmed;
		uint64_t	terminated;
		uint64_t	forks_dropped;		/* beyond CIDREC_DIALOGS */
		uint64_t	evicted;
		uint64_t	evicted_pending;
		uint64_t	expired;
	} dl;
	struct {
		uint64_t	attempts;
		uint64_t	answered;
		uint64_t	failed;
		uint64_t	cancelled;
		uint64_t	active;
		uint64_t	ended_by[TRACK_END_COUNT];
		uint64_t	final_codes[700];
		uint64_t	ack_unobserved;	/* no ACK seen, 2xx not resent */
		uint64_t	answer_inferred; /* 2xx not captured, the ACK or
						   BYE shows it */
		struct hist	setup;
		struct hist	pdd;		/* successful SRD */
		struct hist	pdd_failed;	/* failed SRD */
		struct hist	duration;	/* seconds */
		uint64_t	outcomes[8];	/* calls by their outcome so far
						   (track-call.c, track_call_tally) */
	} calls;
	struct {
		uint64_t	refers;
		uint64_t	accepted;
		uint64_t	accepted_202;
		uint64_t	rejected;
		uint64_t	notifies;
		uint64_t	notifies_unmatched;
		uint64_t	notifies_reversed;	/* From/To as in REFER */
		uint64_t	succeeded;
		uint64_t	failed;
		uint64_t	no_notify;
		uint64_t	norefersub;
		uint64_t	dropped;	/* beyond CIDREC_REFERS */
	} xfer;

	/* incidents */
	struct incident		*incidents;	/* uthash head */
	TAILQ_HEAD(, incident)	 inc_lru;
	struct incident_rec	*inc_recs;	/* [INCIDENT_KEEP] */
	unsigned		 ninc;
	unsigned		 ninc_recs;
	struct {
		uint64_t	opened;
		uint64_t	updates;
		uint64_t	clears;
		uint64_t	ended;
		uint64_t	evicted;
		uint64_t	by_rule[RULE_COUNT];
		uint64_t	occurrences[RULE_COUNT];
		uint64_t	by_sev[ALERT_SEVERITY_COUNT];
		uint64_t	gap;		/* incidents with evidence ... */
		uint64_t	partial;	/* ... of each kind (an incident */
		uint64_t	drops;		/* may count in several) */
		uint64_t	incomplete;	/* ... of any kind */
	} inc;

	/* responses held for their request */
	struct held		*held;		/* ring of TRACK_HELD_MAX */
	unsigned		 held_head;
	unsigned		 nheld;
	size_t			 held_bytes;
	struct {
		uint64_t	held;
		uint64_t	matched;	/* their request came */
		uint64_t	released;
		uint64_t	overflow;
		uint64_t	lost;
	} reorder;

	/* attack sources (track-attack.c) */
	struct {
		uint64_t	flagged;	/* sources flagged (again) */
		uint64_t	compromised;	/* accounts taken over */
		uint64_t	fraud_calls;	/* calls to fraud destinations */
		uint64_t	fraud_answered;
		uint64_t	absorbed;	/* other rules' verdicts */
		/* User-Agents that name no attack tool, by digest
		   (track_hash_str()), direct-mapped: a phone model's is
		   searched once, not once per source */
		uint64_t	ua_clean[ATTACK_UA_CLEAN];
	} attack;

	struct pending		*pending;
	unsigned		 npending;
	uint64_t		 pending_total;
	uint64_t		 pending_by_rule[RULE_COUNT];

	struct tmedia		*md;		/* media, or NULL (track-sdp.c) */
};

/* track.c */
/*
 * Raise C's verdict as an occurrence of its incident, with the evidence
 * flags the tracker knows of: RULE_F_PARTIAL when the message being
 * processed was salvaged, RULE_F_DROPS when the capture dropped packets
 * near C's time (track_drops_near()).
 */
void		 track_raise(struct track *, const struct rule_ctx *);
/*
 * Did the capture's drop counter rise in a span that overlaps the 64*T1
 * (the longest a transaction's evidence lasts, RFC 3261 17) before TS?
 */
int		 track_drops_near(const struct track *, int64_t ts);
/* An observation of TYPE at TS about record CR (NULL: none) into O. */
void		 track_obs_init(struct track_obs *o, enum track_obs_type type,
		    int64_t ts, const struct cidrec *cr);
/* Deliver O to every subscriber (track_subscribe()). */
void		 track_publish(struct track *, const struct track_obs *o);
/*
 * A burst rule's condition still holds: one more occurrence of its open
 * incident for SRC (and TARGET), if there is one.
 */
void		 track_still(struct track *, enum rule_id, int64_t ts,
		    const struct sw_addr *src, const char *target);
/*
 * Has (RULE, CSEQ, METHOD) already raised an alert in D?  If not,
 * remember it and return 0.
 */
int		 track_fired(struct cidrec *, enum rule_id, uint32_t cseq,
		    int method);
void		 track_ctx_init(struct rule_ctx *, enum rule_id, int64_t ts,
		    const struct cidrec *);
/*
 * What a verdict about response M quotes from it: its code (also the KB
 * code), reason phrase, Warning, Server (else User-Agent), Retry-After.
 * The strings are borrowed from M.
 */
void		 track_ctx_final(struct rule_ctx *, const struct sip_msg *m);

/* track-txn.c */
struct tkey	 txn_key(const struct sip_msg *, int method);
struct txn	*txn_find(struct track *, const struct tkey *);
struct txn	*txn_create(struct track *, struct cidrec *, const struct tkey *);
void		 txn_touch(struct track *, struct txn *, int64_t now);
void		 txn_free(struct track *, struct txn *, int evicted);
void		 txn_expire(struct track *, int64_t now);
void		 txn_set_class(struct track *, struct txn *, enum txn_lru);
const char	*txn_method_name(const struct txn *);
void		 txn_timer(struct track *, struct txn *);
/*
 * T's final response (or, PROV, a provisional) was not captured but later
 * messages show it existed: no Timer B/F verdict for it.
 */
void		 txn_inferred(struct track *, struct txn *, int prov);
/*
 * The retransmission verdict of T, held since its third send (the second
 * on a reliable transport) until its outcome is known: raised at TS unless
 * T timed out (the timeout says it), another rule reported its final
 * response, or the element T's server forwarded it to never answered
 * (that silent element is the one reported).  END: the capture ended.
 */
void		 txn_retrans(struct track *, struct txn *, int64_t ts, int end);
/* Did T's server forward it to a next hop that never answered? */
int		 txn_downstream_silent(const struct txn *t);
/* T, an INVITE over a reliable transport, got its first response. */
void		 txn_conn_answered(struct track *, struct txn *, int64_t ts);
/* A message from SRC to DST in CR: the other side spoke to open clients. */
void		 txn_peer_spoke(struct cidrec *, const struct sw_addr *src,
		    const struct sw_addr *dst, int64_t ts);

/* track-cidrec.c */
struct cidrec	*cidrec_get(struct track *, const struct sip_str *call_id,
		    int64_t now, int create);
void		 cidrec_touch(struct track *, struct cidrec *, int64_t now);
void		 cidrec_free(struct track *, struct cidrec *, int evicted);
void		 cidrec_expire(struct track *, int64_t now);
void		 cidrec_timer(struct track *, struct cidrec *);
void		 cidrec_rearm(struct track *, struct cidrec *);
void		 cidrec_close_call(struct track *, struct cidrec *);
void		 cidrec_request(struct track *, struct cidrec *, struct txn *,
		    const struct sip_msg *, int64_t ts,
		    const struct sw_addr *src, const struct sw_addr *dst);
void		 cidrec_pending(struct track *, struct cidrec *);
void		 cidrec_classify(struct track *, struct cidrec *);
/* CR's cidinfo, allocated on first use. */
struct cidinfo	*cidrec_info(struct cidrec *);
/* Replace *DST (owned) by a copy of LEN bytes at S, cut to CIDINFO_MAX. */
void		 cidinfo_set(char **dst, const char *s, size_t len);
void		 track_pending_txn(struct track *, struct txn *);

/* track-call.c */
void		 call_invite(struct track *, struct cidrec *, struct txn *,
		    const struct sip_msg *, int64_t ts);
void		 call_bye(struct track *, struct cidrec *,
		    const struct sip_msg *, int64_t ts);
void		 cidrec_ack(struct track *, struct cidrec *,
		    const struct sip_msg *, int64_t ts);
void		 cidrec_response(struct track *, struct cidrec *, struct txn *,
		    const struct sip_msg *, int64_t ts,
		    const struct sw_addr *src, const struct sw_addr *dst,
		    int first_final);
void		 call_timer(struct track *, struct cidrec *, int64_t now);
void		 call_evidence(struct track *, struct cidrec *,
		    const struct sip_msg *, int64_t ts, int final);
/* Publish CR's call as it is now (TRACK_OBS_CALL); INVITE when it began. */
void		 call_publish(struct track *, struct cidrec *, int64_t ts,
		    const struct sip_msg *invite);
/* The same with the delays measured at TS (µs, -1 none). */
void		 call_publish_samples(struct track *, struct cidrec *,
		    int64_t ts, int64_t srd, int64_t srd_failed, int64_t setup);

/* track-refer.c */
void		 refer_request(struct track *, struct cidrec *,
		    const struct sip_msg *, int64_t ts,
		    const struct sw_addr *src, const struct sw_addr *dst);
void		 refer_response(struct track *, struct cidrec *,
		    const struct sip_msg *, int64_t ts,
		    const struct sw_addr *src, const struct sw_addr *dst);
void		 refer_notify(struct track *, struct cidrec *,
		    const struct sip_msg *, int64_t ts,
		    const struct sw_addr *src, const struct sw_addr *dst);
void		 refer_timer(struct track *, struct cidrec *, int64_t now);

/* track.c: track_message() after the clock moved (held responses too). */
#define TRACK_F_HELD	0x200	/* a held response, processed now */
void		 track_process(struct track *, const struct sip_msg *,
		    int64_t ts, const struct sw_addr *src,
		    const struct sw_addr *dst, int transport, int flags);

/* track-reorder.c */
/* Is a response with transaction key K held? */
int		 reorder_pending(const struct track *, const struct tkey *k);
/* Hold response M (its bytes are copied) for its request. */
void		 reorder_hold(struct track *, const struct sip_msg *m,
		    const struct tkey *k, int64_t ts, const struct sw_addr *src,
		    const struct sw_addr *dst, int transport, int flags);
/* The request of key K came at TS: process its held responses now. */
void		 reorder_release(struct track *, const struct tkey *k,
		    int64_t ts);
/* Process the held responses whose window ended before NOW. */
void		 reorder_advance(struct track *, int64_t now);
/* End of input: process every held response. */
void		 reorder_flush(struct track *);
void		 reorder_destroy(struct track *);

/* track-incident.c */
/* A verdict: open its incident (a raise line) or count an occurrence. */
void		 incident_raise(struct track *, const struct rule_ctx *);
/*
 * Another occurrence of RULE's condition for the subject these fields
 * make, counted only if that incident is open; returns 1 if it was.
 */
int		 incident_note(struct track *, enum rule_id, int64_t ts,
		    const char *call_id, size_t call_id_len,
		    const struct sw_addr *src, const struct sw_addr *dst,
		    const char *target);
/* Is the incident of RULE for that subject open? */
int		 incident_open(struct track *, enum rule_id,
		    const char *call_id, size_t call_id_len,
		    const struct sw_addr *src, const struct sw_addr *dst,
		    const char *target);
/*
 * The condition of RULE's incident for that subject is over (e.g. the AOR
 * registered): end it at TS now, with a clear line saying WHY for burst
 * rules.  Returns 1 if an incident was open.
 */
int		 incident_clear(struct track *, enum rule_id, int64_t ts,
		    const char *call_id, size_t call_id_len,
		    const struct sw_addr *src, const struct sw_addr *dst,
		    const char *target, const char *why);
void		 incident_timer(struct track *, struct incident *);
void		 incident_finish(struct track *);
void		 incident_destroy(struct track *);
void		 incident_report(json_t *root, struct track *);

/* track-reg.c: registrations (RFC 3261 10), registration-failed */
void		 reg_request(struct track *, struct cidrec *,
		    const struct sip_msg *);
void		 reg_final(struct track *, struct cidrec *, struct txn *,
		    const struct sip_msg *, int64_t ts);
/* T, a REGISTER, got no final response: 1 if registration-failed said so. */
int		 reg_timeout(struct track *, struct txn *);

/* track-sub.c: subscriptions (RFC 6665), subscription-failed */
void		 sub_request(struct track *, struct cidrec *, struct txn *,
		    const struct sip_msg *);
void		 sub_final(struct track *, struct cidrec *, struct txn *,
		    const struct sip_msg *, int64_t ts);

/* track-media.c: offers and answers (RFC 3264), media-rejected */
void		 media_request(struct track *, struct cidrec *,
		    const struct sip_msg *);
void		 media_final(struct track *, struct cidrec *, struct txn *,
		    const struct sip_msg *, int64_t ts);
/* Did the request M answers carry an offer CR remembers? */
int		 media_offered(const struct cidrec *, const struct sip_msg *m);

/* track-rate.c: call-failure-rate (RFC 6076 4.6-4.8) */
/* The outcome of initial INVITE T at its hop: CODE, 0 for Timer B. */
void		 rate_outcome(struct track *, struct txn *, int code,
		    int64_t ts);

/* track-peer.c */
void		 peer_init(struct track *);
void		 peer_destroy(struct track *);
void		 peer_expire(struct track *, int64_t now);
void		 peer_request(struct track *, struct cidrec *, struct txn *,
		    const struct sip_msg *, int64_t ts,
		    const struct sw_addr *src, const struct sw_addr *dst);
void		 peer_final(struct track *, struct cidrec *, struct txn *,
		    const struct sip_msg *, int64_t ts,
		    const struct sw_addr *src, const struct sw_addr *dst);
unsigned	 peer_count(const struct track *);
/* The record KEY of KIND; created (the LRU one evicted if full) if asked. */
struct peer	*peer_get(struct track *, enum peer_kind, const struct tkey *,
		    int64_t now, int create);
/* Activity on P at NOW: to the LRU tail, expiring at EXPIRE. */
void		 peer_touch(struct track *, enum peer_kind, struct peer *,
		    int64_t now, int64_t expire);

/* track-attack.c: attack sources, one record per source IP (PEER_SOURCE).
 * Called from peer_request() and peer_final() for every new request and
 * first final response, and from track_raise() for every verdict. */
void		 attack_request(struct track *, struct cidrec *, struct txn *,
		    const struct sip_msg *, int64_t ts,
		    const struct sw_addr *src, const struct sw_addr *dst);
void		 attack_final(struct track *, struct cidrec *, struct txn *,
		    const struct sip_msg *, int64_t ts,
		    const struct sw_addr *src, const struct sw_addr *dst);
void		 attack_src_free(struct srcrec *);
/*
 * Is the IP of ADDR (its port ignored) a flagged attack source at the
 * tracker's clock: one that an attack rule (rules.h, entry.attack) has
 * spoken about and that has not gone quiet for RULE_ATTACK_HOLD_S?  1 or
 * 0.  Implements no RFC.
 *
 * Other rules call it to keep attack traffic attack traffic: a verdict
 * that involves only a flagged source (timeouts and retransmissions of
 * its requests, 5xx, 482/483 and 6xx sent to it, its back-off
 * violations) raises no infrastructure alert; attack_absorb() counts it
 * into that source's incident instead.  track_raise() applies it to
 * every verdict whose rule is not an attack rule, so a rule needs to
 * call it itself only to keep such responses out of its own counts (as
 * server-error-burst does for the 5xx to attackers, registration-failed
 * for the attacker's REGISTERs and call-failure-rate for its call
 * attempts).
 */
int		 track_attacker(struct track *, const struct sw_addr *addr);
/* As track_attacker(), ADDR's IP already hashed: KEY is
 * track_hash_addr(ADDR, 0) (the per-message views hash each address
 * once). */
int		 track_attacker_hashed(struct track *,
		    const struct sw_addr *addr, uint64_t key);
/*
 * Has the IP of ADDR had credentials refused for two accounts or more,
 * from outside the local networks (--local-net), without ever having
 * registered?  1 or 0.  Not yet a flagged attacker (the slow variant of
 * password guessing needs more refusals), but no device of the operator's
 * own: registration-failed does not speak about its REGISTERs.
 */
int		 attack_guessing(struct track *, const struct sw_addr *addr);
/*
 * If verdict C involves a flagged source (its src or dst), count it into
 * that source's record and return 1 (the caller raises nothing);
 * otherwise 0.  Timeouts of any source's requests are counted as
 * unanswered probes either way.
 */
int		 attack_absorb(struct track *, const struct rule_ctx *c);
/* A 5xx from a server to ADDR, kept out of the server's burst: count it. */
void		 attack_note_5xx(struct track *, const struct sw_addr *addr,
		    int code, int64_t ts);
/* The report's "attacks" section: every flagged source with its facts. */
void		 attack_report(json_t *root, struct track *);

/* ------------------------------------------------------------------ */
/*
 * Media (issue 16): the calls' SDP offer/answer (RFC 3264) per signalling
 * hop ("leg"), announced to the media analyser (track-sdp.c), and the
 * media rules judged from the streams tied to each call (track-rtp.c).
 */

#define CM_LEGS		2	/* signalling hops whose SDP a call keeps */
#define CM_LINES	4	/* m= lines followed per SDP */
#define CM_RECENT	8	/* recent one-way and quality verdicts */
#define CM_CALLS_KEEP	1000	/* per-call media summaries in the report */

/* One party's m= line as its latest SDP at a leg describes it. */
struct cm_line {
	uint64_t	 id;		/* media announcement, 0 none */
	uint64_t	 id2;		/* a rejected offer's, whose endpoint
					   may still carry the flows, 0 none */
	struct sw_addr	 rtp;		/* c= address and m= port (port 0:
					   rejected or disabled) */
	uint8_t		 dir;		/* enum sdp_dir, effective */
	uint8_t		 flags;		/* CM_L_* */
	char		 codec[14];	/* first payload name, "" unknown */
};

#define CM_L_RTP	0x01	/* an RTP profile (RFC 3551 ...) */
#define CM_L_AUDIO	0x02	/* m=audio */
#define CM_L_T38	0x04	/* m=image udptl t38 */
#define CM_L_NULL	0x08	/* c=0.0.0.0: send nothing here (RFC 3264
				   8.4, RFC 2543 hold) */

/* One signalling hop of a call and the SDP each party sent over it. */
struct cm_leg {
	struct sw_addr	 sig[2];	/* [party - 1]: that side's SIP address */
	uint8_t		 used;
	uint8_t		 nlines[2];	/* [party - 1] */
	uint8_t		 offer_party;	/* a pending offer from, 0 none */
	uint8_t		 offer_method;	/* its request (enum sip_method) */
	uint8_t		 prev_nlines;
	uint32_t	 offer_cseq;
	uint64_t	 origin[2];	/* o= sess-id and version digest */
	uint64_t	 prev_origin;
	int64_t		 last_us;	/* last SDP on this leg */
	struct cm_line	 line[2][CM_LINES];
	struct cm_line	 prev[CM_LINES]; /* the offerer's lines before the
					   pending offer (RFC 3264 8: a
					   rejected offer changes nothing) */
};

/* What one check of a call's streams found (track-rtp.c). */
struct cm_tally {
	uint64_t	 pkts[2];	/* [0] caller -> callee, [1] back */
	int64_t		 first[2], last[2];
	uint64_t	 stray[2];	/* from a party to an address the other
					   did not announce */
	unsigned	 streams;
	unsigned	 nat;		/* streams tied through a NAT alias */
	unsigned	 shared;	/* endpoints another call announced */
};

/*
 * What one leg's endpoints carried at the latest check, and the marks the
 * one-way rule keeps per direction [d].
 */
struct cm_legstate {
	struct cm_tally	 t;
	uint64_t	 at_ref[2];	/* packets of [d] when REF_US was set */
	uint64_t	 rev_mark[2];	/* packets of [!d] when [d] was last
					   seen to grow */
	int64_t		 grow_us[2];	/* ... and when */
	uint64_t	 seen[2];	/* packets of [d] at the last check */
};

/* A call's media: its legs, expectations and verdicts. */
struct cmedia {
	struct cm_leg	 leg[CM_LEGS];
	uint8_t		 cur;		/* the leg of the latest answer */
	uint8_t		 expect[2];	/* direction [d] is negotiated now */
	uint8_t		 hold;		/* an RTP line is held now */
	uint8_t		 t38;		/* a line switched to T.38 */
	uint8_t		 ended;		/* judged for good */
	uint16_t	 fired;		/* TRACK_MEDIA_* rules raised */
	int64_t		 invite_us;	/* of the call these facts are about */
	int64_t		 answer_us;	/* judged from, 0 not answered */
	int64_t		 ref_us;	/* the current expectation since */
	int64_t		 hold_us;	/* last hold, 0 none */
	int64_t		 resume_us;	/* last resume after it, 0 none */
	int64_t		 deadline;	/* next check, 0 none */
	int64_t		 next_quality;	/* next media-quality look */
	struct cm_legstate ls[CM_LEGS];	/* per leg: its endpoints' RTP */
	int64_t		 first_rtp_us;	/* first RTP of the call, 0 none */
	int64_t		 last_rtp_us;	/* last RTP seen at a check */
	uint64_t	 legs_dropped;
	struct cm_tally	 tally;		/* the latest check's: per direction
					   the most any leg carried */
	struct cm_tally	 hist;		/* announcements replaced since */
	struct track_media pub;		/* as published */
	uint64_t	 pub_digest;	/* of what was last published */
	char		 codec[14];
};

/* A call's media summary kept for the report. */
struct cm_rec {
	char		*call_id;
	struct track_media m;
	char		 codec[14];
};

/* The tracker's media state (track_media_init()). */
struct tmedia {
	struct media		*m;
	struct track_media_opts	 o;
	struct {
		uint64_t	 hash;	/* rule and media (cm_recent()) */
		int64_t		 ts;
	}			 recent[CM_RECENT];
	unsigned		 nrecent;
	struct cm_rec		*recs;	/* [CM_CALLS_KEEP] */
	unsigned		 nrecs;
	uint64_t		 calls;	/* calls with SDP */
	uint64_t		 calls_summarised;
	uint64_t		 sdp;	/* SDP bodies read */
	uint64_t		 sdp_errors;
	uint64_t		 sdp_problems;
	uint64_t		 announced;
	uint64_t		 refused;
	uint64_t		 rollbacks;	/* rejected offers undone */
	uint64_t		 legs_dropped;
};

/* track-sdp.c */
/*
 * The SDP body of M, read once per message (sip_sdp_parse_buf(), RFC
 * 4566) for the offer/answer summaries (track-media.c) and the media
 * announcements (cm_message()).  Returns 0 when M carries no SDP body
 * (no body, or a Content-Type other than application/sdp); else 1 with
 * *SDPP the parsed body, or NULL when it is unreadable.  The result is
 * the tracker's (a block it keeps for the next body) and lives until
 * track_sdp_done(), which track_process() calls before each message.
 */
int		 track_sdp(struct track *, const struct sip_msg *m,
		    const struct sip_sdp **sdpp);
void		 track_sdp_done(struct track *);
/* Message M of CR's Call-ID, after the call code saw it. */
void		 cm_message(struct track *, struct cidrec *,
		    const struct sip_msg *m, int64_t ts,
		    const struct sw_addr *src, const struct sw_addr *dst);
/* CR's media deadline (0 none), for cidrec_rearm(). */
int64_t		 cm_deadline(const struct cidrec *);
/* CR is freed, or the capture ended (FINISH): last judgement, summary. */
void		 cm_close(struct track *, struct cidrec *, int finish);
void		 cm_destroy(struct track *);
void		 cm_report(json_t *root, struct track *);
/* Publish CR's media facts (TRACK_OBS_MEDIA). */
void		 cm_publish(struct track *, struct cidrec *, int64_t ts);

/* track-rtp.c */
/* CR's media deadline passed at NOW (cidrec_timer()). */
void		 cm_timer(struct track *, struct cidrec *, int64_t now);
/* Look at CR's streams now (NOW, µs) and judge; FINAL: the call ended. */
void		 cm_check(struct track *, struct cidrec *, int64_t now,
		    int final);

/* track-ident.c: a message's ends as peers (ip:port, or a client's ip). */
void		 ident_message(struct track *, const struct sip_msg *,
		    const struct sw_addr *src, const struct sw_addr *dst,
		    struct sw_addr *src_peer, struct sw_addr *dst_peer);
void		 ident_destroy(struct track *);

/*
 * track-legs.c: the leg group of the call of CR, whose initial INVITE M
 * went from SRC to DST (NEW_CALL: the call starts with it; else a new
 * attempt, after a challenge).
 */
void		 legs_invite(struct track *, struct cidrec *,
		    const struct sip_msg *, const struct sw_addr *src,
		    const struct sw_addr *dst, int64_t ts, int new_call);
void		 legs_destroy(struct track *);

/*
 * track-call.c: the list of failed calls in the report.  At its close a
 * call that failed, was rejected or timed out joins the list (the last
 * TRACK_FAILURES_KEEP); its note is freed either way.
 */
#define TRACK_FAILURES_KEEP	1000
void		 call_note_close(struct track *, struct cidrec *);
void		 call_failures_report(json_t *calls, struct track *);
void		 call_failures_destroy(struct track *);

#endif
