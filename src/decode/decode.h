/*
 * decode.h: link, network and transport decoding of captured frames.
 *
 * The decoder turns one captured frame into zero or more transport
 * payloads (struct decode_pkt) handed to a callback.  UDP gives at most one
 * payload per frame; the stream and fragment reassemblers slot in behind
 * the same callback and may give several (or none, while they wait).
 *
 * Every frame is hostile: each read goes through a bounds-checked cursor
 * (core/cursor.h) and every problem is counted as a named event
 * (decode_event_name()), never printed, never fatal.
 *
 * Return convention of decode_frame() and of every decoding step under it
 * (decode-int.h): DECODE_DELIVERED when at least one payload was handed
 * to the callback while the frame was decoded, else the enum decode_event
 * (>= 0) that says why none was, already counted in decode_stats().
 */
#ifndef SW_DECODE_H
#define SW_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "core/addr.h"

/*
 * Result of decode_frame(): at least one payload was delivered.  Every
 * other result is an enum decode_event, so never equal to this.
 */
#define DECODE_DELIVERED	(-1)

/* Transport a payload came over (struct decode_pkt.transport). */
enum decode_transport {
	DECODE_TP_UDP = 0,
	DECODE_TP_TCP,
	DECODE_TP_SCTP,
	DECODE_TP_TLS,
	DECODE_TP_WS,
	DECODE_TP_COUNT
};
/* "UDP", "TCP", "SCTP", "TLS", "WS"; "?" out of range.  Static storage. */
const char	*decode_transport_name(enum decode_transport);

/* Flags on a delivered payload. */
#define DECODE_F_IPFRAG		0x01	/* rebuilt from IP fragments */
#define DECODE_F_TCPREASM	0x02	/* rebuilt from several TCP segments */
#define DECODE_F_GAP		0x04	/* the stream had a gap before this */
#define DECODE_F_TRUNC		0x08	/* cut by the capture snap length */
#define DECODE_F_SCTPREASM	0x10	/* rebuilt from several SCTP DATA chunks */

/*
 * One transport payload.  PAYLOAD and FRAME are borrowed: valid only during
 * the callback.  Anything kept must be copied.
 */
struct decode_pkt {
	int64_t		 ts_us;		/* packet time, microseconds since the epoch */
	int		 dlt;		/* libpcap DLT_* of the frame */
	struct sw_addr	 src;
	struct sw_addr	 dst;
	uint8_t		 transport;	/* enum decode_transport */
	uint8_t		 flags;		/* DECODE_F_* */
	uint8_t		 nvlan;
	uint8_t		 encap;		/* tunnel levels peeled, any kind */
	uint16_t	 vlan[2];	/* outer first; host order */
	const uint8_t	*payload;
	size_t		 len;
	const uint8_t	*frame;		/* the whole captured frame */
	size_t		 caplen;	/* bytes captured */
	size_t		 wirelen;	/* bytes on the wire */
};

/*
 * Counted events, with stable dotted names.  Most are malformed input;
 * a few (DECODE_EV_NOT_IP, DECODE_EV_L4_OTHER ...) are ordinary traffic
 * that is simply not SIP.
 */
enum decode_event {
	DECODE_EV_LINK_UNSUPPORTED = 0,
	DECODE_EV_ETH_TRUNCATED,
	DECODE_EV_VLAN_TRUNCATED,
	DECODE_EV_VLAN_TOO_DEEP,
	DECODE_EV_SLL_TRUNCATED,
	DECODE_EV_SLL2_TRUNCATED,
	DECODE_EV_NULL_TRUNCATED,
	DECODE_EV_NULL_UNKNOWN_FAMILY,
	DECODE_EV_NOT_IP,
	DECODE_EV_IPV4_TRUNCATED,
	DECODE_EV_IPV4_BAD_VERSION,
	DECODE_EV_IPV4_BAD_HLEN,
	DECODE_EV_IPV4_BAD_TOTAL_LEN,
	DECODE_EV_IPV4_FRAGMENT,
	DECODE_EV_IPV6_TRUNCATED,
	DECODE_EV_IPV6_BAD_VERSION,
	DECODE_EV_IPV6_BAD_EXT,
	DECODE_EV_IPV6_JUMBO,
	DECODE_EV_IPV6_FRAGMENT,
	DECODE_EV_IP_ENCRYPTED,
	DECODE_EV_L4_OTHER,
	DECODE_EV_UDP_TRUNCATED,
	DECODE_EV_UDP_BAD_LEN,
	DECODE_EV_UDP_EMPTY,
	DECODE_EV_TCP_TRUNCATED,
	DECODE_EV_TCP_BAD_HLEN,
	DECODE_EV_TCP_NOT_DECODED,
	DECODE_EV_SNAPLEN_CUT,
	DECODE_EV_FRAG_REASSEMBLED,
	DECODE_EV_FRAG_DUPLICATE,
	DECODE_EV_FRAG_OVERLAP,
	DECODE_EV_FRAG_INVALID,
	DECODE_EV_FRAG_TIMEOUT,
	DECODE_EV_FRAG_EVICTED,
	/* TCP streams (decode-tcp*.c) */
	DECODE_EV_TCP_PARTIAL,
	DECODE_EV_TCP_MIDSTREAM,
	DECODE_EV_TCP_OUT_OF_ORDER,
	DECODE_EV_TCP_RETRANSMISSION,
	DECODE_EV_TCP_OVERLAP,
	DECODE_EV_TCP_OVERLAP_CONFLICT,
	DECODE_EV_TCP_GAP,
	DECODE_EV_TCP_TIMEOUT,
	DECODE_EV_TCP_EVICTED,
	DECODE_EV_TCP_BUFFER_FULL,
	DECODE_EV_TCP_CLOSED_PARTIAL,
	DECODE_EV_TCP_SIP_NO_CLEN,
	DECODE_EV_TCP_SIP_RESYNC,
	DECODE_EV_TCP_SIP_TOO_LARGE,
	DECODE_EV_TLS_ENCRYPTED,
	DECODE_EV_WS_CONTROL,
	DECODE_EV_WS_BAD_FRAME,
	DECODE_EV_WS_COMPRESSED,
	DECODE_EV_WS_TOO_LARGE,
	/* encapsulations (decode-encap.c) and SCTP (decode-sctp.c) */
	DECODE_EV_GRE_TRUNCATED,
	DECODE_EV_GRE_UNSUPPORTED,
	DECODE_EV_ERSPAN_TRUNCATED,
	DECODE_EV_VXLAN_TRUNCATED,
	DECODE_EV_MPLS_TRUNCATED,
	DECODE_EV_ENCAP_TOO_DEEP,
	DECODE_EV_SCTP_TRUNCATED,
	DECODE_EV_SCTP_BAD_CHUNK,
	DECODE_EV_SCTP_FRAGMENTED,
	DECODE_EV_SCTP_NO_DATA,
	/* PPP and PPPoE (decode-ppp.c), enhanced GRE (decode-encap.c) */
	DECODE_EV_PPP_TRUNCATED,
	DECODE_EV_PPP_NOT_IP,
	DECODE_EV_PPP_COMPRESSED,
	DECODE_EV_PPPOE_TRUNCATED,
	DECODE_EV_PPPOE_BAD_HEADER,
	DECODE_EV_PPPOE_DISCOVERY,
	DECODE_EV_GRE_ACK_ONLY,
	/* GTP-U (decode-gtp.c) */
	DECODE_EV_GTP_TRUNCATED,
	DECODE_EV_GTP_BAD_EXT,
	DECODE_EV_GTP_SIGNALLING,
	DECODE_EV_GTP_NOT_IP,
	/* SCTP user message reassembly (decode-sctp-reasm.c) */
	DECODE_EV_SCTP_REASSEMBLED,
	DECODE_EV_SCTP_DUPLICATE,
	DECODE_EV_SCTP_CONFLICT,
	DECODE_EV_SCTP_TIMEOUT,
	DECODE_EV_SCTP_EVICTED,
	DECODE_EV_SCTP_TOO_LARGE,
	DECODE_EV_SCTP_INCOMPLETE,
	DECODE_EV_COUNT
};

/*
 * Stable dotted name ("decode.ipv4.truncated") and one-line explanation,
 * in static storage; "decode.unknown" and "unknown decode event" for a
 * value out of range.
 */
const char	*decode_event_name(enum decode_event);
const char	*decode_event_text(enum decode_event);
/*
 * 1 for events that mean malformed or cut input, 0 for those that are
 * merely not SIP (decode.l3.not_ip, decode.tcp.partial, ...); 1 out of
 * range.
 */
int		 decode_event_is_error(enum decode_event);

/* A TLS server endpoint (first seen first), for "encrypted, not decoded". */
struct decode_tls_server {
	struct sw_addr	server;		/* the side that got the SYN or sent ServerHello */
	uint64_t	connections;
	uint64_t	bytes;		/* TCP payload bytes seen, both directions */
};
#define DECODE_TLS_KEEP	32	/* servers listed; more are counted in tls_unlisted */

struct decode_stats {
	uint64_t	events[DECODE_EV_COUNT];
	uint64_t	payloads;		/* payloads delivered */
	/* Reassembly (report "reassembly" section). */
	uint64_t	tcp_streams;		/* TCP connections tracked */
	uint64_t	tcp_sip_streams;	/* ... whose bytes were SIP */
	uint64_t	ws_streams;		/* ... WebSocket with the sip subprotocol */
	uint64_t	tls_streams;		/* ... TLS: encrypted, not decoded */
	uint64_t	tcp_messages;		/* SIP messages delivered from TCP/WS */
	uint64_t	tcp_reassembled;	/* ... that spanned several segments */
	uint64_t	tcp_gap_bytes;		/* stream bytes never captured, skipped */
	uint64_t	tcp_dropped_bytes;	/* held bytes dropped (caps, timeouts, RST) */
	uint64_t	tcp_peak_streams;	/* most connections held at once */
	uint64_t	tcp_peak_bytes;		/* most bytes held at once */
	uint64_t	sctp_messages;		/* SIP messages from SCTP DATA chunks */
	uint64_t	sctp_peak_bytes;	/* most SCTP chunk bytes held at once */
	struct decode_tls_server tls[DECODE_TLS_KEEP];
	unsigned	ntls;
	uint64_t	tls_unlisted;		/* TLS connections to servers not listed */
};

/*
 * Called once per transport payload, on the thread calling decode_frame()
 * or decode_flush(); ARG is the caller's.  The packet and its bytes are
 * borrowed (see struct decode_pkt).
 */
typedef void decode_deliver_fn(const struct decode_pkt *, void *arg);

struct decode_ctx;

/*
 * Create a decoder context: counters at zero; the fragment, TCP stream and
 * SCTP reassembly tables it owns are made on first use.  Never NULL
 * (aborts when out of memory).  Not thread-safe: one thread per context.
 */
struct decode_ctx	*decode_create(void);
/* Free CTX and everything it holds (held bytes dropped); NULL is ignored. */
void			 decode_destroy(struct decode_ctx *);
/* Counters, owned by the context; valid until decode_destroy(). */
const struct decode_stats *decode_stats(const struct decode_ctx *);

/*
 * Decode one frame of link type DLT (a libpcap DLT_* value): CAPLEN bytes
 * captured of WIRELEN on the wire (a WIRELEN below CAPLEN is taken as
 * CAPLEN), at TS_US (microseconds since the epoch).  FRAME is borrowed:
 * read during the call only; the reassemblers copy what they hold.
 * Calls DELIVER(pkt, ARG) for every payload found: the frame's own, and
 * messages held from earlier frames that this one completes.
 *
 * Returns DECODE_DELIVERED when DELIVER was called at least once, else the
 * enum decode_event that stopped decoding (counted).  Events met on the
 * way of a frame that delivered (decode.snaplen_cut, a malformed SCTP
 * chunk beside a good one, a TCP overlap ...) are counted, not returned.
 */
int	decode_frame(struct decode_ctx *, int dlt, int64_t ts_us,
	    const uint8_t *frame, size_t caplen, size_t wirelen,
	    decode_deliver_fn *deliver, void *arg);

/*
 * End of input.  TCP: each hole that will now never be filled is counted
 * as decode.tcp.gap, the unfinished message before it dropped, and the
 * bytes held behind it framed and delivered through DELIVER; what is still
 * unfinished after that stays held.  SCTP: user messages missing a piece
 * are dropped and counted as decode.sctp.incomplete.  IP fragments stay
 * held.  TS_US (microseconds since the epoch, the last packet time) is the
 * time of what is delivered.  The context stays usable.
 */
void	decode_flush(struct decode_ctx *, int64_t ts_us,
	    decode_deliver_fn *deliver, void *arg);

/* True when libpcap link type DLT is one decode_frame() understands. */
int	decode_dlt_supported(int dlt);

#endif
