/*
 * media-int.h: the media analyser's tables, shared by the files of
 * src/media and nothing else.
 *
 * Three tables, all uthash with a hash value computed here:
 *
 * - flows, by UDP 5-tuple: which call (announcement) a flow belongs to,
 *   and the SSRC changes on it;
 * - streams, by 5-tuple and SSRC: the RFC 3550 measurements; a stream
 *   points to its flow, which counts it;
 * - announcements (struct media_exp) by id and by (Call-ID, m= line,
 *   party), and the endpoints they announce (struct media_ep, by address
 *   and port), through which flows find their call.
 *
 * Streams and flows come from free lists, refilled only up to the caps,
 * so the steady state allocates nothing.  Announcements are reference
 * counted: the flows tied to one and the finished streams that name it
 * keep it alive after it was replaced or withdrawn.
 */
#ifndef SW_MEDIA_INT_H
#define SW_MEDIA_INT_H

#include <sys/queue.h>

#include <stdint.h>

#include "core/hash.h"
#include "media/media.h"

/* BSD's, which glibc's <sys/queue.h> lacks: E may be removed by BODY. */
#ifndef TAILQ_FOREACH_SAFE
#define TAILQ_FOREACH_SAFE(var, head, field, tvar)			\
	for ((var) = TAILQ_FIRST(head);					\
	    (var) != NULL && ((tvar) = TAILQ_NEXT(var, field), 1);	\
	    (var) = (tvar))
#endif

/* RFC 3550 A.1 */
#define MEDIA_SEQ_MOD		(1u << 16)
#define MEDIA_MAX_DROPOUT	3000
#define MEDIA_MAX_MISORDER	100
#define MEDIA_MIN_SEQUENTIAL	2

#define MEDIA_SR_KEEP		4	/* sender reports remembered for RTT */
#define MEDIA_JB_WINDOW_MS	2000.0	/* jitter buffer anchor window */

/* A UDP 5-tuple (the protocol is always UDP here). */
struct media_fkey {
	uint8_t		 family;	/* 4 or 6 */
	uint8_t		 pad[3];	/* zero */
	uint16_t	 sport, dport;	/* host order */
	uint8_t		 src[16], dst[16];
};

struct media_skey {
	struct media_fkey f;
	uint32_t	 ssrc;
};

/* An endpoint (address and port) that an announcement covers. */
struct media_epkey {
	uint8_t		 family;
	uint8_t		 pad;
	uint16_t	 port;
	uint8_t		 ip[16];
};

struct media_exp;

struct media_ep {
	UT_hash_handle		 hh;
	struct media_epkey	 key;
	struct media_exp	*exp;
	enum media_match	 match;	/* SDP: the announced address; NAT: the
					   signalling address */
	TAILQ_ENTRY(media_ep)	 free_entry;
};

/* The payload map of an announcement. */
struct media_pmap {
	int		 pt;
	const char	*name;		/* in the announcement's block */
	uint32_t	 clock;
	unsigned	 channels;
};

struct media_exp {
	UT_hash_handle		 hh;		/* by id */
	UT_hash_handle		 hk;		/* by key (call, line, party) */
	uint64_t		 id;
	char			*block;		/* one allocation: key, Call-ID,
						   payload names */
	size_t			 keylen;	/* key bytes at block */
	const char		*call_id;	/* in block, NUL-terminated */
	size_t			 call_id_len;
	unsigned		 mline;
	unsigned		 leg;
	enum media_party	 party;
	struct sw_addr		 rtp;
	struct sw_addr		 signal;
	uint16_t		 rtcp_port;
	int			 rtcp_mux;
	enum sdp_dir		 dir;
	unsigned		 ptime_ms;
	struct media_pmap	 pmap[MEDIA_PT_KEEP];
	unsigned		 npmap;
	int64_t			 ts_us;
	int			 live;		/* in the tables, not replaced */
	unsigned		 refs;		/* flows + finished streams +
						   1 while live */
	struct media_ep		*ep[2];		/* SDP and NAT endpoints it
						   holds in the index */
	TAILQ_HEAD(, media_flow) flows;		/* flows tied to it */
	TAILQ_ENTRY(media_exp)	 fifo;		/* live ones, oldest first */
};

/* How a flow is tied to a call. */
struct media_assoc {
	struct media_exp	*exp;		/* NULL: not tied (ref held) */
	enum media_match	 match;
	int			 from_party;	/* the flow's source is the party */
};

struct media_stream;

struct media_flow {
	UT_hash_handle		 hh;
	struct media_fkey	 key;
	unsigned		 nssrc;		/* SSRCs seen on it so far */
	unsigned		 nstreams;
	uint64_t		 assoc_gen;	/* announcement generation the
						   association was made at */
	struct media_assoc	 assoc;
	TAILQ_ENTRY(media_flow)	 exp_entry;	/* in assoc.exp->flows, or in
						   m->free_flows when free */
	TAILQ_HEAD(, media_stream) streams;
};

/* What a payload type means for a stream: cached on each PT change. */
enum media_ptkind {
	MEDIA_PT_AUDIO = 0,	/* a codec (or anything not below) */
	MEDIA_PT_CN,		/* comfort noise (RFC 3389) */
	MEDIA_PT_DTMF		/* telephone-event (RFC 4733) */
};

struct media_sr {
	uint32_t	 ntp_mid[MEDIA_SR_KEEP];	/* middle 32 bits of the
						   SR's NTP time ... */
	int64_t		 seen_us[MEDIA_SR_KEEP];	/* ... when the capture
						   saw it */
};

/*
 * A stream.  What every packet touches comes first, in as few cache lines
 * as possible (the table is walked in no order at millions of packets a
 * second); what RTCP, the end of the stream and the report use follows.
 */
struct media_stream {
	UT_hash_handle		 hh;
	struct media_skey	 key;
	unsigned		 ssrc_changes;	/* SSRCs on the flow before it */
	struct media_flow	*flow;
	uint64_t		 gen;		/* announcement generation the
						   flow and PT meaning were
						   looked at */
	int64_t			 lru_us;	/* last moved to the LRU tail */

	/* RFC 3550 A.1, A.3 */
	uint16_t		 max_seq;
	uint8_t			 probation;
	uint8_t			 validated;
	uint8_t			 last_kind;	/* enum media_ptkind */
	uint8_t			 prev_cn;	/* the previous packet was CN */
	uint8_t			 have_last;	/* A.8 has a previous packet */
	uint8_t			 pre_bad;	/* before validation, a packet was
						   not within MAX_DROPOUT ahead
						   of first_seq */
	uint32_t		 cycles;
	uint32_t		 bad_seq;
	uint64_t		 received;
	uint64_t		 window;	/* bit k: max_seq - k received */
	uint64_t		 packets;
	uint64_t		 bytes;
	int64_t			 first_us, last_us;
	uint64_t		 drops_last;

	/* Payload types */
	uint8_t			 pt_seen[16];
	int16_t			 last_pt;	/* -1 before the first */
	int16_t			 pt_main;
	uint32_t		 clock;		/* of last_pt; 0 unknown */
	uint32_t		 main_clock;
	uint32_t		 last_ts;

	/* RFC 3550 A.8, arrival times relative to first_us, ms */
	uint32_t		 ts_step;	/* smallest forward step */
	double			 last_arr_ms;
	double			 jitter_ms;
	double			 max_jitter_ms;
	double			 jitter_sum;
	uint64_t		 jitter_n;
	double			 last_any_ms;	/* any packet, for max delta */
	double			 max_delta_ms;
	/* Nominal jitter buffer: transit relative to the earliest */
	int64_t			 ts_ext;	/* extended RTP timestamp */
	double			 jb_cur_min, jb_prev_min, jb_win_ms;
	uint32_t		 markers;

	/* Less often: sequence anomalies, CN, DTMF */
	uint32_t		 base_seq;
	uint16_t		 run_base;	/* first packet of the probation
						   run */
	uint16_t		 run;
	uint16_t		 first_seq;	/* the stream's first packet */
	uint16_t		 pre_off_max;	/* before validation: furthest
						   ahead of first_seq */
	uint64_t		 prev_expected;	/* epochs before a restart */
	uint64_t		 prev_received;
	uint32_t		 duplicates;	/* (32 bits: 2.7 years at 50/s) */
	uint32_t		 out_of_order;
	uint32_t		 seq_errors;
	uint32_t		 restarts;
	uint32_t		 ts_resets;
	uint32_t		 cn;
	uint32_t		 late;
	uint32_t		 bursts;	/* loss bursts (gaps), for BurstR */
	uint32_t		 dtmf_events;
	uint32_t		 dtmf_ts;
	uint8_t			 dtmf_have;
	uint8_t			 ndtmf;
	uint8_t			 evicted;	/* ended by the cap */
	uint8_t			 ended;		/* kept for the report */
	uint8_t			 late_run;	/* the previous packet was late */
	char			 dtmf[MEDIA_DTMF_KEEP + 1];
	uint64_t		 drops_first;

	TAILQ_ENTRY(media_stream) lru;		/* m->probation or m->active */
	TAILQ_ENTRY(media_stream) flow_entry;

	/* RTCP about this stream */
	struct media_rtcp_info	 rtcp;
	uint32_t		 rr_ext_max;	/* previous block: highest seq */
	struct media_sr		 sr;
	uint32_t		 nsr;
	int32_t			 rr_cum;	/* previous block: cumulative
						   lost */
	int			 rr_have;

	/* Set when the stream ends (kept in the report list) */
	struct media_assoc	 fin_assoc;
};

TAILQ_HEAD(media_slist, media_stream);

/* A host seen in RTP (media_path_seen()): its first peer, or several. */
struct media_host {
	UT_hash_handle		 hh;
	uint8_t			 key[20];	/* family, 3 zero bytes, ip */
	uint8_t			 peer[20];	/* the first peer's key */
	uint8_t			 many;		/* more than one peer */
};

struct media {
	struct media_opts	 o;
	int64_t			 now;
	int64_t			 next_tick;	/* media_advance() due */
	uint64_t		 drops;		/* capture drops so far */

	struct media_stream	*streams;	/* uthash by key */
	struct media_flow	*flows;
	unsigned		 nstreams;	/* held (validated + candidates) */
	unsigned		 nalloc;	/* stream objects allocated */
	unsigned		 nflows_alloc;
	struct media_slist	 probation;	/* candidates, LRU first */
	struct media_slist	 active;	/* validated, LRU first */
	struct media_slist	 free_streams;
	TAILQ_HEAD(, media_flow) free_flows;

	/* Announcements */
	struct media_exp	*exp_by_id;
	struct media_exp	*exp_by_key;
	struct media_ep		*eps;
	TAILQ_HEAD(, media_exp)	 exp_fifo;
	unsigned		 nexp;
	unsigned		 max_mline;	/* highest m= index announced */
	unsigned		 max_leg;	/* highest leg announced */
	uint64_t		 next_id;
	uint64_t		 exp_gen;	/* bumped by every announcement */

	/* Finished streams for the report */
	struct media_stream	*fin;
	unsigned		 nfin;
	unsigned		 fin_cap;

	/* Hosts seen in RTP, for media_path_seen() */
	struct media_host	*hosts;
	unsigned		 nhosts;

	struct media_stats	 st;

	/* The call of the last RTP packet or RTCP compound
	 * (media_packet_call_id()): valid until the next call into the
	 * analyser */
	const struct media_exp	*pkt_exp;

	/* Told of every validated stream that ends (media_on_end()) */
	struct {
		media_stream_fn	*fn;
		void		*arg;
	}			 on_end[MEDIA_END_FN_MAX];
	unsigned		 non_end;
};

/* media.c */
uint32_t	 media_hash(const void *, size_t);
struct media_stream *media_stream_find(struct media *,
		    const struct media_skey *);
void		 media_fkey_make(struct media_fkey *, const struct sw_addr *,
		    const struct sw_addr *);
void		 media_stream_end(struct media *, struct media_stream *,
		    int evicted, int free_flow);
struct media_stream *media_stream_new(struct media *,
		    const struct media_skey *, uint32_t, struct media_flow *,
		    int64_t);
void		 media_stream_validate(struct media *, struct media_stream *);
void		 media_stream_touch(struct media *, struct media_stream *,
		    int64_t);
struct media_flow *media_flow_get(struct media *, const struct media_fkey *);
void		 media_flow_free(struct media *, struct media_flow *);
void		 media_stream_evict(struct media *);
/* A validated stream between hosts SRC and DST (media_path_seen()). */
void		 media_hosts_add(struct media *, const struct media_fkey *);

/* media-expect.c (announcements stay findable by id until freed) */
int		 media_assoc_check(struct media *, struct media_flow *);
void		 media_exp_unref(struct media *, struct media_exp *);
void		 media_expect_free_all(struct media *);
/* The announcement that covers address A with PORT (SDP or NAT), or NULL. */
struct media_exp *media_exp_at(const struct media *, const struct sw_addr *a,
		    uint16_t port);

/* media-rtp.c */
enum media_kind	 media_rtp_packet(struct media *, const struct decode_pkt *);
void		 media_rtp_ptkind(struct media *, struct media_stream *, int pt);
void		 media_stream_info_fill(const struct media *,
		    const struct media_stream *, struct media_stream_info *);

/* media-rtcp.c */
int		 media_rtcp_packet(struct media *, const struct decode_pkt *);

/* media-emodel.c */
void		 media_emodel_stream(const struct media *,
		    const struct media_stream_info *, struct media_quality *);

#endif
