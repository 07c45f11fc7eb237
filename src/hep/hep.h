/*
 * hep.h: HEP, the Homer Encapsulation Protocol (HEP/EEP), as HOMER,
 * heplify-server, sngrep, Kamailio's siptrace and OpenSIPS speak it.
 *
 * HEPv3 (the "HEP3" chunked format): a 6-byte header ("HEP3", total
 * length) followed by chunks of vendor id, type id, length (header
 * included) and value, all integers in network byte order.  HEPv1 and
 * HEPv2 (a fixed header: version, header length, family, IP protocol,
 * ports, addresses; v2 adds seconds, microseconds and a 16-bit capture
 * id) are still sent by Kamailio's siptrace and older agents and are
 * decoded too.  doc/HEP.md lists the chunks sipwatch reads and writes.
 *
 * Three parts:
 * - hep-encode.c / hep-decode.c: pure functions over byte buffers;
 *   every read of received bytes goes through a bounds-checked cursor.
 * - hep-send.c (--hep): a sender thread fed by a bounded queue, so the
 *   capture thread never blocks on the network; UDP, or TCP with
 *   reconnection.
 * - hep-listen.c (--hep-listen): a collector polled by the engine's live
 *   loop; every HEP packet carrying SIP becomes a struct decode_pkt with
 *   the agent's addresses and timestamp.  The same message reported by
 *   two agents is fed once.
 */
#ifndef SW_HEP_H
#define SW_HEP_H

#include <stddef.h>
#include <stdint.h>

#include "decode/decode.h"

struct pollfd;

#define HEP_MAX_PACKET		65535	/* HEPv3 length is 16 bits */
#define HEP_PROTO_SIP		1	/* HEP protocol type: SIP */
#define HEP_PROTO_RTCP		5	/* RTCP, as JSON (hep_rtcp_json()) */
#define HEP_IPPROTO_UDP		17
#define HEP_IPPROTO_TCP		6
#define HEP_IPPROTO_SCTP	132
#define HEP_FAMILY_INET		2	/* AF_INET as HEP carries it */
#define HEP_FAMILY_INET6	10	/* AF_INET6 (Linux value), as HEP carries it */

/* Generic chunk types (vendor 0x0000), HEPv3 specification. */
#define HEP_CHUNK_FAMILY	0x0001
#define HEP_CHUNK_IPPROTO	0x0002
#define HEP_CHUNK_SRC4		0x0003
#define HEP_CHUNK_DST4		0x0004
#define HEP_CHUNK_SRC6		0x0005
#define HEP_CHUNK_DST6		0x0006
#define HEP_CHUNK_SPORT		0x0007
#define HEP_CHUNK_DPORT		0x0008
#define HEP_CHUNK_TS_SEC	0x0009
#define HEP_CHUNK_TS_USEC	0x000a
#define HEP_CHUNK_PROTO_TYPE	0x000b
#define HEP_CHUNK_CAPTURE_ID	0x000c
#define HEP_CHUNK_KEEPALIVE	0x000d
#define HEP_CHUNK_AUTH_KEY	0x000e
#define HEP_CHUNK_PAYLOAD	0x000f
#define HEP_CHUNK_PAYLOAD_Z	0x0010	/* compressed payload */
#define HEP_CHUNK_CORRELATION	0x0011
#define HEP_CHUNK_VLAN		0x0012

/*
 * Why a received packet was not used.  Stable dotted names (hep_error_
 * name()) appear in the report and the metrics.
 */
enum hep_error {
	HEP_OK = 0,
	HEP_ERR_TRUNCATED,	/* hep.truncated: shorter than its header */
	HEP_ERR_BAD_VERSION,	/* hep.bad_version: neither HEP3 nor v1/v2 */
	HEP_ERR_BAD_LENGTH,	/* hep.bad_length: length field disagrees */
	HEP_ERR_BAD_CHUNK,	/* hep.bad_chunk: chunk length < 6 or past the end */
	HEP_ERR_BAD_FAMILY,	/* hep.bad_family: not IPv4 or IPv6 */
	HEP_ERR_NO_ADDRESS,	/* hep.no_address: addresses missing or of the wrong size */
	HEP_ERR_NO_PAYLOAD,	/* hep.no_payload: no (or an empty) payload */
	HEP_ERR_COMPRESSED,	/* hep.compressed: compressed payload, not decoded */
	HEP_ERR_NOT_SIP,	/* hep.not_sip: protocol type other than SIP */
	HEP_ERR_AUTH,		/* hep.auth: auth key missing or wrong (listener) */
	HEP_ERR_COUNT
};

/* "hep.truncated" ...; "hep.ok" for HEP_OK, "?" out of range. */
const char	*hep_error_name(enum hep_error);

/*
 * One decoded HEP packet.  Pointers point into the buffer given to
 * hep_decode() (borrowed: valid while it is).
 */
struct hep_msg {
	int		 version;	/* 1, 2 or 3 */
	struct sw_addr	 src;		/* ports in host order */
	struct sw_addr	 dst;
	uint8_t		 ip_proto;	/* IANA protocol number: 17, 6, 132 */
	int64_t		 ts_us;		/* capture time, µs since the epoch;
					   0 when the packet has none (v1) */
	uint8_t		 proto_type;	/* HEP protocol type; v1/v2: SIP */
	int		 has_capture_id;
	uint32_t	 capture_id;	/* agent id (v2: 16 bits) */
	const uint8_t	*auth;		/* auth key, AUTH_LEN bytes, or NULL */
	size_t		 auth_len;
	const uint8_t	*correlation;	/* correlation id, or NULL */
	size_t		 correlation_len;
	const uint8_t	*payload;	/* the captured message */
	size_t		 len;
	uint16_t	 vlan;		/* 0 when absent */
	unsigned	 unknown_chunks; /* chunks skipped (vendor or type) */
};

/*
 * Decode one HEP packet of LEN bytes in BUF (hostile input: every read
 * is bounds-checked, nothing is read outside BUF).  HEPv3 must be the
 * whole of BUF (its length field must equal LEN); v1/v2 take the rest of
 * BUF after the fixed header as payload.  v2 times are read in the
 * little-endian order Kamailio and captagent write them (they store the
 * host's struct timeval as is), and the two padding bytes they send
 * after the capture id are skipped.  Fills OUT and returns HEP_OK, or the
 * reason the packet cannot be used (OUT is then partly filled).  A
 * packet whose protocol type is not SIP returns HEP_ERR_NOT_SIP with OUT
 * fully filled.
 */
enum hep_error	 hep_decode(const uint8_t *buf, size_t len, struct hep_msg *out);

/*
 * Stream framing (HEP over TCP): the length of the HEPv3 packet that
 * starts BUF (LEN bytes available).  Returns the packet length (6 ..
 * 65535), 0 when fewer than 6 bytes are there yet, or -1 when BUF does
 * not start with a HEPv3 header (the stream cannot be resynchronised).
 */
long		 hep_frame_length(const uint8_t *buf, size_t len);

/* What hep_encode() writes; every pointer is borrowed for the call. */
struct hep_encode_in {
	const struct sw_addr	*src;		/* family 4 or 6; ports host order */
	const struct sw_addr	*dst;		/* same family as SRC */
	uint8_t			 ip_proto;	/* 17, 6 or 132 */
	int64_t			 ts_us;		/* µs since the epoch */
	uint32_t		 capture_id;
	const char		*auth;		/* auth key or NULL */
	size_t			 auth_len;
	const uint8_t		*correlation;	/* Call-ID or NULL */
	size_t			 correlation_len;
	const uint8_t		*payload;
	size_t			 len;
	uint8_t			 proto_type;	/* HEP_PROTO_*; 0: SIP */
};

/*
 * Write IN as one HEPv3 packet (protocol type IN->proto_type, SIP when 0)
 * into BUF of CAP bytes:
 * chunks family, IP protocol, source and destination address, ports,
 * seconds, microseconds, protocol type, capture id, auth key (when
 * given), correlation id (when given) and payload, in that order, every
 * integer in network byte order.  Returns the packet length, or 0 when
 * it does not fit in CAP (or in HEP_MAX_PACKET) or the families differ.
 */
size_t		 hep_encode(const struct hep_encode_in *in, uint8_t *buf,
		    size_t cap);

/*
 * The RTCP compound P (LEN bytes, hostile: every read bounds-checked) as
 * the JSON payload HOMER's capture agents (heplify, captagent) send with
 * protocol type 5: "ssrc", "type" and "report_count" of the first sender
 * or receiver report, its "sender_information" (ntp_timestamp_sec,
 * ntp_timestamp_usec, rtp_timestamp, packets, octets), "report_blocks"
 * (source_ssrc, fraction_lost, packets_lost (signed), highest_seq_no,
 * ia_jitter, lsr, dlsr: RFC 3550 6.4.1 fields as sent, in their units),
 * the first XR VoIP metrics block as "report_blocks_xr" (RFC 3611 4.7)
 * and the first SDES's "sdes_ssrc".  Returns a NUL-terminated string the
 * caller frees, or NULL when P holds no SR, RR or XR VoIP metrics (an
 * SDES, BYE or APP alone, or bytes that are not RTCP).  Aborts on
 * allocation failure.
 */
char		*hep_rtcp_json(const uint8_t *p, size_t len);

/* The IANA protocol number HEP carries for a decode transport. */
uint8_t		 hep_ip_proto(enum decode_transport);
/* The decode transport for a HEP IP protocol (UDP for unknown ones). */
enum decode_transport hep_transport(uint8_t ip_proto);

/*
 * Parse "udp://HOST:PORT" or "tcp://HOST:PORT" (HOST may be a name, an
 * IPv4 address or a bracketed IPv6 address; "udp:HOST:PORT" as sngrep
 * writes it is accepted too).  On success returns 0 with *TCP set to 1
 * for TCP and *HOST, *PORT newly allocated (caller frees).  Returns -1
 * with *CAUSE set (caller frees) otherwise.
 */
int		 hep_url_parse(const char *url, int *tcp, char **host,
		    char **port, char **cause);

/* ------------------------------------------------------------------ */
/* hep-send.c: --hep */

struct hep_send_opts {
	const char	*url;		/* udp://HOST:PORT or tcp://HOST:PORT */
	uint32_t	 capture_id;	/* --hep-id */
	const char	*password;	/* --hep-password, or NULL */
	unsigned	 queue_max;	/* packets queued at most (0: default) */
};

#define HEP_SEND_QUEUE_DEFAULT	8192
#define HEP_SEND_QUEUE_BYTES	(32u * 1024 * 1024)	/* queued bytes at most */

/*
 * Counters of a sender; a consistent copy from hep_sender_stats().
 * queued = sent + failed + dropped_shutdown + queue_len (core/sink.h).
 */
struct hep_send_stats {
	uint64_t	queued;		/* accepted into the queue */
	uint64_t	sent;		/* delivered: acknowledged by the
					   collector's TCP, or a UDP datagram
					   not refused (ICMP) within a second */
	uint64_t	bytes;		/* HEP bytes written to the socket
					   (a packet sent again counts again) */
	uint64_t	failed;		/* lost to an error: a datagram refused
					   (ICMP) or whose send failed */
	uint64_t	dropped_full;	/* queue full (count or bytes cap) */
	uint64_t	dropped_too_large; /* would not fit in one HEP packet */
	uint64_t	dropped_shutdown; /* still queued or unacknowledged
					   when the sender stopped */
	uint64_t	connects;	/* TCP connections made */
	uint64_t	connect_failures;
	unsigned	queue_len;	/* queued now, or sent and awaiting the
					   TCP acknowledgement or the UDP
					   settling */
	unsigned	queue_peak;
};

struct hep_sender;

/*
 * Resolve OPTS->url and start the sender thread.  Returns the sender
 * (caller owns it: hep_sender_destroy()), or NULL with *CAUSE set
 * (caller frees) when the URL is malformed or the name does not
 * resolve.  A TCP collector that is down is not an error: the thread
 * keeps trying (1 s, doubling to 30 s) and the queue fills meanwhile.
 */
struct hep_sender *hep_sender_create(const struct hep_send_opts *opts,
		    char **cause);

/*
 * Encode one SIP message of LEN bytes (copied) seen at TS_US from SRC to
 * DST over TRANSPORT, with correlation id CID (the Call-ID, CID_LEN
 * bytes, may be NULL) and queue it.  Never blocks: returns 0 when
 * queued, -1 when dropped (counted).  Call from one thread only.
 */
int		 hep_sender_push(struct hep_sender *, int64_t ts_us,
		    const struct sw_addr *src, const struct sw_addr *dst,
		    enum decode_transport transport, const uint8_t *cid,
		    size_t cid_len, const uint8_t *payload, size_t len);

/*
 * As hep_sender_push(), for a payload of HEP protocol type PROTO_TYPE
 * (HEP_PROTO_RTCP: the JSON of hep_rtcp_json(), CID the Call-ID of the
 * call the report is about, or NULL).  Counted with the SIP messages.
 */
int		 hep_sender_push_proto(struct hep_sender *, uint8_t proto_type,
		    int64_t ts_us, const struct sw_addr *src,
		    const struct sw_addr *dst, enum decode_transport transport,
		    const uint8_t *cid, size_t cid_len, const uint8_t *payload,
		    size_t len);

/* Copy the counters into OUT (under the sender's lock). */
void		 hep_sender_stats(struct hep_sender *, struct hep_send_stats *out);

/*
 * Stop: the thread sends what is queued for up to about two seconds of
 * wall clock, then whatever is left is counted as dropped_shutdown, and
 * the thread ends.  No more pushes after this; the counters stay
 * readable.  Calling it again does nothing.  Call from the pushing
 * thread.
 */
void		 hep_sender_stop(struct hep_sender *);

/* Stop if still running, and free everything.  NULL is accepted. */
void		 hep_sender_destroy(struct hep_sender *);

/* ------------------------------------------------------------------ */
/* hep-listen.c: --hep-listen */

#define HEP_LISTEN_MAX_CONN	128	/* TCP agents connected at once */
#define HEP_LISTEN_MAX_AGENTS	256	/* agents listed; more go to "other" */
#define HEP_LISTEN_MAX_PEERS	1024	/* endpoints whose agent is remembered */
#define HEP_DEDUP_SLOTS		(1u << 16)	/* messages remembered */
#define HEP_DEDUP_WINDOW_US	250000	/* same message, other agent: duplicate */

/* One capture agent: capture id + the address it sends from. */
struct hep_agent {
	uint32_t	capture_id;
	int		has_capture_id;
	struct sw_addr	addr;		/* port 0 */
	uint64_t	packets;	/* HEP packets received */
	uint64_t	messages;	/* SIP messages fed to the engine */
	uint64_t	duplicates;	/* already reported by another agent */
	uint64_t	errors;		/* packets rejected (hep_error) */
	int64_t		last_ts_us;	/* packet time of its last message */
};

struct hep_listen_stats {
	uint64_t	packets;	/* HEP packets received (decoded or not) */
	uint64_t	bytes;
	uint64_t	messages;	/* SIP messages fed */
	uint64_t	duplicates;	/* seen from another agent within the window */
	uint64_t	by_version[4];	/* [1] [2] [3] */
	uint64_t	errors[HEP_ERR_COUNT];
	uint64_t	tcp_accepted;
	uint64_t	tcp_refused;	/* beyond HEP_LISTEN_MAX_CONN */
	uint64_t	tcp_closed_bad;	/* stream not HEPv3: closed */
	uint64_t	tcp_closed_partial; /* closed mid-packet */
	uint64_t	agents_unlisted; /* packets from agents beyond the cap */
	uint64_t	peers_unlisted;	/* messages of endpoints beyond the cap */
	uint64_t	dedup_evicted;	/* remembered messages pushed out early */
};

struct hep_listener;

/*
 * Bind URL (udp://ADDR:PORT or tcp://ADDR:PORT) and listen.  PASSWORD,
 * when not NULL, is the auth key every packet must carry (HEPv3 chunk
 * 0x000e; v1/v2 packets, which cannot carry it, are then refused).
 * Returns the listener (caller owns it: hep_listener_close()), or NULL
 * with *CAUSE set (caller frees).  Sockets are non-blocking.
 */
struct hep_listener *hep_listener_open(const char *url, const char *password,
		    char **cause);

/*
 * Fill up to MAX pollfd entries with the sockets to poll for input
 * (the listening socket and each TCP connection).  Returns the number
 * filled.
 */
unsigned	 hep_listener_pollfds(const struct hep_listener *,
		    struct pollfd *pfd, unsigned max);

/*
 * Read what is ready on every socket without blocking (at most a few
 * thousand packets per call, so other sources are not starved), decode
 * it and call DELIVER once per SIP message, with a struct decode_pkt
 * whose addresses, ports, transport and time come from the HEP packet
 * (NOW_US, the wall clock in µs, stands in for a v1 packet's missing
 * time).  The packet is borrowed for the callback; FRAME is NULL and
 * DLT -1.  A message another agent reported within HEP_DEDUP_WINDOW_US
 * of packet time is counted as a duplicate and not delivered; the same
 * agent sending it again (a retransmission) is delivered.  Returns the
 * number of HEP packets read.
 */
unsigned	 hep_listener_read(struct hep_listener *, int64_t now_us,
		    decode_deliver_fn *deliver, void *arg);

/* The agent of the message being delivered (valid during DELIVER). */
const struct hep_agent *hep_listener_current_agent(const struct hep_listener *);

/* Counters, owned by the listener. */
const struct hep_listen_stats *hep_listener_stats(const struct hep_listener *);

/*
 * The agent that last reported a message from or to endpoint ADDR (IP
 * and port), or NULL when none did (or ADDR was beyond
 * HEP_LISTEN_MAX_PEERS).  Owned by the listener.
 */
const struct hep_agent *hep_listener_peer_agent(const struct hep_listener *,
		    const struct sw_addr *addr);

/*
 * Every endpoint remembered, with its agent and the messages analysed
 * from or to it: FN is called once per endpoint, in no set order.
 */
void		 hep_listener_peers(const struct hep_listener *,
		    void (*fn)(const struct sw_addr *, const struct hep_agent *,
		    uint64_t messages, void *arg), void *arg);

/* Agents seen, first seen first: *N entries, owned by the listener. */
const struct hep_agent *hep_listener_agents(const struct hep_listener *,
		    unsigned *n);

/*
 * The agent as "ID@IP" ("42@192.0.2.7"), or "IP" when it sent no capture
 * id (HEPv1), into BUF of LEN bytes.  Returns BUF.
 */
char		*hep_agent_format(const struct hep_agent *, char *buf, size_t len);

/* Close every socket and free the listener.  NULL is accepted. */
void		 hep_listener_close(struct hep_listener *);

/*
 * The "hep" report section: what was sent (SEND, may be NULL) and
 * received (LISTEN, may be NULL), with per-agent counts.  Returns a new
 * JSON object (a json_t *, declared void * to keep jansson out of this
 * header).
 */
void		*hep_report_json(struct hep_sender *send,
		    const struct hep_listener *listen);

#endif
