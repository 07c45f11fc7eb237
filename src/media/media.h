/*
 * media.h: RTP and RTCP measured on the wire, tied to the calls that
 * announced them, and scored with the E-model.
 *
 * The media module sees every UDP payload the SIP detector rejected
 * (engine_payload()).  It recognises RTP (RFC 3550 5.1) and RTCP (RFC 3550
 * 6, RFC 3611) and keeps one stream per 5-tuple and SSRC, measured exactly
 * as RFC 3550 defines it: packets, payload octets, expected and lost
 * (A.1, A.3: sequence wrap, duplicates and reordering are not loss),
 * interarrival jitter (A.8, in ms with the payload's clock rate), plus
 * duplicates, late packets, sequence errors, SSRC changes, payload types,
 * marker bits, comfort noise (RFC 3389), DTMF events (RFC 4733), and
 * what the endpoints themselves reported in RTCP SR/RR and XR VoIP
 * metrics (RFC 3611 4.7), kept beside the measured values.  Voice quality
 * comes from the ITU-T G.107 E-model (media_emodel_*(), doc/MEDIA.md).
 *
 * Calls: the tracker announces, from the SDP offer/answer (RFC 3264),
 * where each party expects to receive media (media_expect()).  A stream
 * is tied to a call when its destination or source is an announced
 * endpoint, or the announcing party's signalling address with the
 * announced port (NAT rewrote the address: symmetric RTP, comedia).  A
 * flow no SDP announced is kept and counted as unannounced, never
 * guessed into a call.  Unannounced flows must pass RFC 3550 A.1's
 * probation (two packets in sequence) before they are streams.
 *
 * Cost: no allocation per packet, constant work per packet (one hash
 * lookup of the stream, a few arithmetic updates).  Everything is
 * bounded: the stream and expectation tables have caps (the least
 * recently active unvalidated flow, then stream, is evicted and counted),
 * idle streams end, and the finished streams kept for the report are
 * capped with exact counts.
 *
 * Single-threaded: every call on the capture thread (the engine's).
 */
#ifndef SW_MEDIA_H
#define SW_MEDIA_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/addr.h"
#include "sip/sip-sdp.h"

struct decode_pkt;
struct media;

#define MEDIA_DEFAULT_MAX_STREAMS	32768	/* streams and candidates held */
#define MEDIA_DEFAULT_MAX_EXPECT	32768	/* live announcements */
#define MEDIA_DEFAULT_REPORT_MAX	1000	/* streams listed in the report */
#define MEDIA_DEFAULT_IDLE_US	(300 * 1000000LL) /* a stream silent this
						   long has ended */
#define MEDIA_DEFAULT_PROBATION_IDLE_US (60 * 1000000LL) /* unvalidated */
#define MEDIA_DEFAULT_JB_MS	60.0	/* nominal jitter buffer depth */
#define MEDIA_PT_KEEP		16	/* payload map entries per announcement */
#define MEDIA_DTMF_KEEP		32	/* DTMF digits kept per stream */

struct media_opts {
	unsigned	 max_streams;	/* 0: MEDIA_DEFAULT_MAX_STREAMS */
	unsigned	 max_expect;	/* 0: MEDIA_DEFAULT_MAX_EXPECT */
	unsigned	 report_max;	/* 0: MEDIA_DEFAULT_REPORT_MAX */
	int64_t		 idle_us;	/* 0: MEDIA_DEFAULT_IDLE_US */
	int64_t		 probation_idle_us; /* 0: the default */
	double		 jb_ms;		/* nominal fixed jitter buffer, ms: a
					   packet later than this behind the
					   earliest is "late" (E-model loss);
					   0: MEDIA_DEFAULT_JB_MS */
};

/* Fill O with the defaults above.  Cannot fail. */
void	media_opts_default(struct media_opts *o);

/*
 * Create the media analyser with options O (copied; zero fields take the
 * defaults; NULL: all defaults).  Tables grow lazily up to their caps.
 * Never NULL; aborts on allocation failure.  Free with media_destroy().
 */
struct media	*media_create(const struct media_opts *o);
void		 media_destroy(struct media *);

/* What media_packet() made of a payload. */
enum media_kind {
	MEDIA_NONE = 0,		/* neither RTP nor RTCP */
	MEDIA_RTP,
	MEDIA_RTCP
};

/*
 * One UDP payload (PKT and its bytes borrowed for the call) that the SIP
 * detector rejected.  Recognises RTP (RFC 3550 5.1: version 2, a header
 * that fits, padding within the payload, not an RTCP packet type) and
 * RTCP (RFC 3550 6.1, A.2: a compound whose lengths add up to the
 * payload), updates the stream or attaches the report, and returns what
 * it was.  Packet time (PKT->ts_us, µs) drives expiry.  Never fails; bad
 * input is counted.
 */
enum media_kind	 media_packet(struct media *, const struct decode_pkt *pkt);

/*
 * The Call-ID (*LEN bytes, NUL-terminated) of the call the payload last
 * given to media_packet() belongs to, or NULL (*LEN 0) when it was
 * neither RTP nor RTCP or belongs to no call.  RTP: the call its stream
 * is tied to (media_expect()).  RTCP: the call of the first RTP stream
 * the compound is about: a sender report's own stream, a receiver
 * report's sender's stream, or the stream a report block or XR block
 * describes (RFC 3550 6.4, RFC 3611); failing those (APP, BYE, SDES
 * alone, RTCP before the RTP), the call of the RTP flow between the same
 * addresses with the ports less one (RFC 3550 11) or the same ports (RFC
 * 5761), else the call that announced the destination's (then the
 * source's) address with the port less one or the same.  Borrowed from
 * the analyser, valid
 * until the next call into it (the pointer is forgotten if the call's
 * announcement is freed).
 */
const char	*media_packet_call_id(const struct media *, size_t *len);

/*
 * Move the clock to NOW_US (µs since the epoch, packet time): streams
 * idle longer than their timeout end.  media_packet() does this itself
 * about once a second of packet time; call it when a live capture is idle.
 */
void	media_advance(struct media *, int64_t now_us);

/*
 * The capture's cumulative drop count so far (pcap_stats ps_drop +
 * ps_ifdrop): packets the capture lost, not the network.  Each stream
 * records how many were dropped while it was active, so its loss can be
 * told apart from capture loss.
 */
void	media_capture_drops(struct media *, uint64_t drops);

/* End of the run at NOW_US: every stream ends (and is listed). */
void	media_finish(struct media *, int64_t now_us);

/* ------------------------------------------------------------------ */
/* Announcements from the tracker (SDP offer/answer, RFC 3264). */

/* Which party of the call an announcement is about. */
enum media_party {
	MEDIA_PARTY_NONE = 0,
	MEDIA_PARTY_CALLER,	/* the UAC of the initial INVITE */
	MEDIA_PARTY_CALLEE
};
const char	*media_party_name(enum media_party);	/* "caller" ... */

/* One payload format as negotiated (a=rtpmap, or RFC 3551 static). */
struct media_payload {
	int		 pt;		/* 0..127 */
	const char	*name;		/* encoding name (borrowed, copied) */
	uint32_t	 clock;		/* Hz; 0 unknown */
	unsigned	 channels;
};

/*
 * What one party announced for one media line: where it receives RTP
 * (and RTCP), what it sends, how.  Strings and arrays are borrowed for
 * the call and copied.
 */
struct media_expect {
	const char	*call_id;	/* Call-ID of the dialog */
	size_t		 call_id_len;
	unsigned	 mline;		/* index of the m= line (RFC 3264 6:
					   lines pair by position) */
	unsigned	 leg;		/* the signalling hop the SDP was seen
					   on (0, 1 ...): a proxy that relays
					   media rewrites the SDP at each hop,
					   and each hop's announcement of the
					   party is kept apart */
	enum media_party party;		/* whose SDP this is */
	struct sw_addr	 rtp;		/* c= address and m= port: where PARTY
					   receives RTP (port 0: rejected) */
	uint16_t	 rtcp_port;	/* a=rtcp (RFC 3605); 0: rtp.port + 1
					   (RFC 3550 11) */
	int		 rtcp_mux;	/* a=rtcp-mux (RFC 5761) */
	struct sw_addr	 signal;	/* source address of PARTY's SIP message
					   (port ignored); family 0 unknown */
	enum sdp_dir	 dir;		/* PARTY's direction (RFC 3264 6.1) */
	unsigned	 ptime_ms;	/* a=ptime, 0 absent */
	const struct media_payload *payloads;	/* the payload map */
	unsigned	 npayloads;	/* kept up to MEDIA_PT_KEEP */
	int64_t		 ts_us;		/* packet time of the SDP */
};

/*
 * Announce E.  Returns its id (never 0), or 0 when the announcement
 * cannot be kept (port 0, no address, or the table is full after
 * evicting the oldest announcement; counted).  An announcement with the
 * same (call_id, mline, leg, party) replaces the earlier one (re-INVITE,
 * UPDATE, hold, resume): streams still matching move to the new one,
 * the others stay tied to the old one, which remains part of the call's
 * history.  Streams seen before the announcement are tied to it from
 * their next packet.
 */
uint64_t	 media_expect(struct media *, const struct media_expect *e);

/*
 * The call CALL_ID (LEN bytes) is over (BYE, CANCEL, final failure, or
 * the tracker forgot it): its announcements are withdrawn.  Streams tied
 * to it keep their call; they end when idle.
 */
void		 media_expect_end(struct media *, const char *call_id,
		    size_t len);

/* What the streams tied to one announcement carried. */
struct media_expect_status {
	int		 live;		/* not replaced nor withdrawn */
	unsigned	 rx_streams;	/* RTP streams to the party */
	unsigned	 tx_streams;	/* RTP streams from it */
	uint64_t	 rx_packets, tx_packets;
	int64_t		 first_rx_us, last_rx_us;	/* 0: none */
	int64_t		 first_tx_us, last_tx_us;
	unsigned	 nat_streams;	/* tied through the signalling address
					   (NAT rewrote the announced one) */
	unsigned	 shared;	/* endpoints of the announcement that
					   another call announced later (a
					   B2BUA's other leg, direct media).
					   The flows through an endpoint that
					   another announcement took over (of
					   this call, at another hop, or of
					   another call) are counted here too:
					   what the endpoints carry */
};

/*
 * Fill *S for announcement ID: live, or replaced or withdrawn but still
 * tied to streams.  0, or -1 when ID is unknown or was freed.
 */
int	 media_expect_status(const struct media *, uint64_t id,
	    struct media_expect_status *s);

/*
 * Call FN for every validated stream counted by media_expect_status(ID),
 * with FROM_PARTY 1 when the stream comes from the announcing party, 0
 * when it goes to it.  INFO is valid during the call.  0, or -1 when ID
 * is unknown or was freed.
 */
struct media_stream_info;
typedef void media_expect_fn(const struct media_stream_info *info,
		    int from_party, void *arg);
int	 media_expect_streams(const struct media *, uint64_t id,
	    media_expect_fn *fn, void *arg);

/*
 * Has the capture seen RTP between the hosts A and B (addresses, ports
 * ignored), or between either and several hosts (a media server or relay
 * on this capture's path)?  What the no-media rule asks before it speaks
 * of a call whose media may simply not pass the capture point.  Bounded:
 * MEDIA_HOSTS_MAX hosts are remembered, later ones are not.
 */
int	 media_path_seen(const struct media *, const struct sw_addr *a,
	    const struct sw_addr *b);
#define MEDIA_HOSTS_MAX	16384

/* ------------------------------------------------------------------ */
/* Streams. */

/* How a stream was tied to a call. */
enum media_match {
	MEDIA_MATCH_NONE = 0,	/* no announcement covers it */
	MEDIA_MATCH_SDP,	/* to or from the announced address:port */
	MEDIA_MATCH_NAT		/* to or from the party's signalling
				   address with the announced port */
};
const char	*media_match_name(enum media_match);	/* "none" ... */

/*
 * What the endpoints said about a stream in RTCP (RFC 3550 6.4, RFC 3611),
 * kept compact (it is part of every stream): RTCP's own field widths, and
 * floats for the derived figures.
 */
struct media_rtcp_info {
	uint32_t	 sr;		/* sender reports from the stream's source */
	uint32_t	 sr_packets;	/* the last one's sender packet count */
	uint32_t	 sr_octets;	/* ... and octet count */
	uint32_t	 rr;		/* report blocks about the stream */
	float		 rr_fraction_lost_pct;	/* the last block's, % */
	float		 rr_fraction_lost_max_pct; /* worst interval, % */
	int32_t		 rr_cum_lost;	/* the last block's cumulative lost */
	float		 rr_interval_lost_max_pct; /* worst lost/expected
					   between two blocks (deltas) */
	float		 rr_jitter_ms;	/* the last block's, ms */
	float		 rr_jitter_max_ms;
	uint32_t	 rtt;		/* round trips measured (LSR/DLSR) */
	float		 rtt_ms;	/* the last one, ms */
	float		 rtt_max_ms;
	uint32_t	 xr;		/* XR VoIP metrics blocks (RFC 3611 4.7) */
	float		 xr_loss_pct;	/* the last block's loss rate, % */
	float		 xr_discard_pct; /* discard rate, % */
	float		 xr_mos_lq;	/* 0: unavailable */
	float		 xr_mos_cq;
	uint16_t	 xr_rtt_ms;	/* round trip delay, ms */
	uint16_t	 xr_esd_ms;	/* end system delay, ms */
	uint16_t	 xr_jb_nominal_ms;
	uint16_t	 xr_jb_max_ms;
	uint8_t		 xr_r_factor;	/* 127: unavailable */
	uint8_t		 rr_jitter_known;
};

/* The E-model's verdict on a stream (media_emodel_stream()). */
struct media_quality {
	int		 known;		/* 0: not scored, WHY says why */
	const char	*why;		/* static text when not known */
	const char	*codec;		/* codec entry used ("G.711") */
	double		 r;		/* transmission rating R (G.107) */
	double		 mos;		/* MOS-CQE (G.107 Annex B) */
	double		 ppl;		/* effective packet loss, % */
	double		 burst_r;	/* burstiness (G.107 7.5) */
	double		 delay_ms;	/* one-way mouth-to-ear T used */
	int		 delay_rtcp;	/* T includes the RTCP round trip */
};

/*
 * A stream as published: what was measured, what the endpoints reported
 * and the quality verdict.  CALL_ID and PAYLOAD borrow from the analyser
 * and are valid until its next call.
 */
struct media_stream_info {
	struct sw_addr	 src, dst;
	uint32_t	 ssrc;
	const char	*call_id;	/* "" when not tied to a call */
	enum media_party party;		/* the party the stream goes to ... */
	int		 from_party;	/* ... 0, or comes from (symmetric) */
	enum media_match match;
	int		 validated;	/* passed probation, or announced */
	int		 active;	/* still in the table (not ended) */
	int		 evicted;	/* ended by the table's cap */
	uint64_t	 packets;	/* every packet with this key */
	uint64_t	 bytes;		/* RTP payload octets (RFC 3550 6.4.1) */
	uint64_t	 expected;	/* A.3: extended highest - base + 1 */
	int64_t		 lost;		/* A.3: expected - received (duplicates
					   make it smaller, may be < 0) */
	double		 lost_pct;	/* lost / expected, % (0 when none) */
	uint64_t	 duplicates;	/* seen twice (within 64 packets) */
	uint64_t	 out_of_order;	/* arrived after a later one */
	uint64_t	 seq_errors;	/* not the next sequence number */
	uint64_t	 restarts;	/* A.1 resynchronisations (big jumps) */
	uint64_t	 ts_resets;	/* timestamp went back, sequence on:
					   jitter measured again from there */
	unsigned	 ssrc_changes;	/* SSRCs the 5-tuple carried before
					   this one's (RFC 3550 8.2) */
	uint64_t	 markers;	/* marker bits set */
	uint64_t	 comfort_noise;	/* CN packets (RFC 3389) */
	uint64_t	 dtmf_events;	/* RFC 4733 events (each once) */
	char		 dtmf[MEDIA_DTMF_KEEP + 1];	/* their digits */
	uint8_t		 pt_seen[16];	/* bitmap of payload types */
	int		 pt;		/* the main payload type (first not CN
					   nor DTMF), -1 none */
	const char	*payload;	/* its name, NULL when unknown */
	uint32_t	 clock;		/* its clock rate, Hz; 0 unknown */
	int		 jitter_known;	/* clock rate known */
	double		 jitter_ms;	/* A.8 J at the last packet */
	double		 max_jitter_ms;
	double		 mean_jitter_ms;
	double		 max_delta_ms;	/* longest gap between packets */
	uint64_t	 late;		/* later than the nominal jitter buffer */
	uint64_t	 loss_bursts;	/* runs of lost or late packets */
	double		 frame_ms;	/* packet interval from the timestamps
					   (smallest step); 0 unknown */
	int64_t		 first_us, last_us;
	uint64_t	 capture_drops;	/* capture drops while it was active */
	struct media_rtcp_info rtcp;
	struct media_quality quality;
};

/*
 * Call FN for every stream (validated ones; unvalidated candidates are
 * only counted), the finished ones kept for the report, then the active
 * ones.  INFO is valid during the call.
 */
typedef void media_stream_fn(const struct media_stream_info *info,
		    void *arg);
void	media_streams(const struct media *, media_stream_fn *fn, void *arg);

/*
 * Call FN (with ARG) for every validated stream as it ends: silent for
 * idle_us, evicted by the cap, its flow tied to another call, or at
 * media_finish().  INFO holds the stream's final figures, the ones the
 * report lists (active 0), for every stream that ends, listed in the
 * report or not; valid during the call.  Candidates that never passed
 * probation are not streams and are not given.  Called on the analyser's
 * thread, from media_packet(), media_advance() and media_finish(); FN
 * must not call back into the analyser.  Returns 0, or -1 when
 * MEDIA_END_FN_MAX functions are already registered.  Implements no RFC.
 */
#define MEDIA_END_FN_MAX	4
int	media_on_end(struct media *, media_stream_fn *fn, void *arg);

/* Counters of the analyser (report "media" section). */
struct media_stats {
	uint64_t	 rtp_packets;	/* recognised as RTP */
	uint64_t	 rtcp_packets;	/* recognised as RTCP */
	uint64_t	 rtcp_bad;	/* RTCP packet types, lengths that lie */
	uint64_t	 rtcp_unmatched; /* report blocks about no known stream */
	uint64_t	 not_media;	/* UDP payloads neither */
	uint64_t	 streams;	/* validated streams ever */
	uint64_t	 streams_active;
	uint64_t	 streams_announced; /* tied to a call */
	uint64_t	 streams_unannounced;
	uint64_t	 candidates;	/* flows that never passed probation */
	uint64_t	 candidate_packets;
	uint64_t	 evicted;	/* streams ended by the cap */
	uint64_t	 listed;	/* streams kept for the report */
	uint64_t	 unlisted;	/* ended beyond report_max */
	uint64_t	 peak_streams;	/* most held at once */
	uint64_t	 expect;	/* announcements made */
	uint64_t	 expect_live;
	uint64_t	 expect_evicted;
	uint64_t	 expect_refused;
	uint64_t	 capture_drops;	/* the capture's drop count */
};
void	media_stats(const struct media *, struct media_stats *);

/*
 * Add the "media" section (doc/REPORT.md) to ROOT: the counters, then one
 * entry per stream (at most report_max, in order of first packet; the
 * counts are exact).
 */
void	media_report(json_t *root, const struct media *);

/* ------------------------------------------------------------------ */
/* The E-model (ITU-T G.107 (06/2015), narrowband; doc/MEDIA.md). */

/* Inputs that vary per stream; everything else takes G.107 Table 3's
 * default value. */
struct media_emodel_in {
	double	ie;		/* equipment impairment factor (G.113) */
	double	bpl;		/* packet-loss robustness factor (G.113) */
	double	ppl;		/* packet-loss probability, % */
	double	burst_r;	/* burst ratio (1: random loss) */
	double	t_ms;		/* mean one-way delay T, ms (echo path) */
	double	ta_ms;		/* absolute delay Ta, ms */
	double	tr_ms;		/* round-trip delay Tr, ms (listener echo) */
};

/* The defaults of G.107 Table 3 for these fields: Ie 0, Ppl 0, BurstR 1,
 * T = Ta = Tr = 0; Bpl 4.3 (G.711 without PLC, G.113 Table I.3), which
 * has no effect while Ppl is 0. */
void	media_emodel_default(struct media_emodel_in *);

/* The rating R = Ro - Is - Id - Ie,eff + A (G.107 7.1-7.5). */
double	media_emodel_r(const struct media_emodel_in *);

/* MOS-CQE from R (G.107 Annex B, B-4): 1 below 0, 4.5 above 100. */
double	media_emodel_mos(double r);

/*
 * The codec entry (G.113 Appendix I values) for encoding NAME (case
 * insensitive, as in a=rtpmap or RFC 3551) or NULL when sipwatch has no
 * narrowband Ie/Bpl pair for it.  *IE, *BPL and *LOOKAHEAD_MS (algorithmic
 * delay beyond the frame) receive its values; the return is its label.
 */
const char	*media_emodel_codec(const char *name, double *ie, double *bpl,
		    double *lookahead_ms);

#endif
