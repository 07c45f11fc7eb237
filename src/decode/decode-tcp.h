/*
 * decode-tcp.h: internals shared by decode-tcp.c, decode-tcp-stream.c,
 * decode-tcp-sip.c and decode-ws.c only.
 *
 * A TCP connection is two half-streams, one per direction.  The stream
 * layer (decode-tcp-stream.c) puts each half's bytes in sequence order and
 * hands contiguous runs to the application layer, which decides once what
 * the half carries (SIP, a WebSocket upgrade, TLS, something else) and
 * then cuts SIP messages out of it (decode-tcp-sip.c, decode-ws.c).
 *
 * Ownership: every buffer here is owned by its half and counted in the
 * table's byte total (struct decode_tcp.bytes), which is capped.
 */
#ifndef SW_DECODE_TCP_H
#define SW_DECODE_TCP_H

#include <stdint.h>
#include <sys/queue.h>
#include <sys/types.h>

#include "core/hash.h"

#include "decode/decode-int.h"

/* Limits (packet time for the timeouts). */
#define TCP_MAX_STREAMS		16384		/* connections held */
#define TCP_MAX_BYTES		(64u * 1024 * 1024) /* bytes held, all streams */
#define TCP_HALF_MAX_OOO	(256u * 1024)	/* out-of-order bytes per half */
#define TCP_HALF_MAX_SEGS	256		/* out-of-order segments per half */
#define TCP_MSG_MAX		(256u * 1024)	/* longest message buffered */
#define TCP_HDR_MAX		(64u * 1024)	/* longest SIP header block */
#define TCP_IDLE_US		(60 * 1000000LL)	/* idle stream dropped */
#define TCP_HOLE_US		(10 * 1000000LL)	/* hole declared a gap */
#define TCP_MIDSTREAM_SCAN	(64u * 1024)	/* bytes scanned for a start line */
#define TCP_CLASSIFY_MAX	(8u * 1024)	/* bytes held to decide a half */

/* What a half carries. */
enum tcp_mode {
	TCP_MODE_UNKNOWN = 0,	/* not decided yet */
	TCP_MODE_SIP,		/* SIP messages framed by Content-Length */
	TCP_MODE_WS_HTTP,	/* WebSocket upgrade: HTTP header to skip */
	TCP_MODE_WS,		/* WebSocket frames carrying SIP */
	TCP_MODE_TLS,		/* encrypted, not decoded */
	TCP_MODE_OTHER		/* not SIP: ignored */
};

/* TCP header flags (RFC 9293 3.1). */
#define TCP_FIN		0x01
#define TCP_SYN		0x02
#define TCP_RST		0x04
#define TCP_ACK		0x10

/* A segment held out of order: bytes [seq, seq + len). */
struct tcp_seg {
	struct tcp_seg	*next;		/* by sequence number */
	uint32_t	 seq;
	uint32_t	 len;
	uint8_t		 data[];
};

/* WebSocket state of one half (decode-ws.c). */
struct tcp_ws {
	uint8_t		*msg;		/* message being assembled (unmasked) */
	size_t		 len;
	size_t		 cap;
	int		 active;	/* a fragmented message is in progress */
	int		 skip;		/* dropping the rest of this message */
	int		 multi;		/* its bytes came from several segments */
};

struct tcp_half {
	uint32_t	 next_seq;	/* next byte expected */
	uint32_t	 fin_seq;	/* sequence number of the FIN */
	unsigned	 synced:1;	/* next_seq is valid */
	unsigned	 syn:1;		/* its SYN was seen */
	unsigned	 fin:1;		/* FIN seen */
	unsigned	 closed:1;	/* every byte up to the FIN consumed */
	unsigned	 midstream:1;	/* joined without its start */
	unsigned	 gap:1;		/* flag the next message DECODE_F_GAP */
	unsigned	 resync:1;	/* look for a start line before framing */
	unsigned	 http_req:1;	/* WebSocket upgrade requested with sip */
	unsigned	 cut:1;		/* last segment cut by the snap length */
	unsigned	 seen_sip:1;	/* a SIP start line was found */
	uint8_t		 mode;		/* enum tcp_mode */
	uint32_t	 scanned;	/* bytes scanned while resynchronising */
	uint64_t	 skip;		/* stream bytes still to discard */

	/* In-order bytes not consumed yet (a partial message). */
	uint8_t		*buf;
	size_t		 len;
	size_t		 cap;
	size_t		 fresh;		/* offset where the newest segment starts */
	size_t		 hdr_scan;	/* end-of-headers search resumes here */

	/* Out-of-order segments. */
	struct tcp_seg	*ooo;
	unsigned	 nooo;
	size_t		 ooo_bytes;
	int64_t		 hole_us;	/* when the current hole opened */

	struct tcp_ws	*ws;
};

struct tcp_key {
	uint8_t		family;
	uint8_t		pad;
	uint16_t	port[2];	/* host order */
	uint8_t		ip[2][16];
};

struct tcp_conn {
	struct tcp_key		 key;	/* endpoint 0 sorts before endpoint 1 */
	UT_hash_handle		 hh;
	TAILQ_ENTRY(tcp_conn)	 lru;	/* least recently used first */
	int64_t			 last_us;
	struct sw_addr		 ep[2];	/* ep[i] sends half[i] */
	struct tcp_half		 half[2];
	uint8_t			 ignored; /* TLS or not SIP: on the cheap list */
	uint8_t			 client;  /* index of the side that sent SYN, or 2 */
	uint8_t			 counted; /* sip / ws / tls stream counted */
	int			 tls;	  /* index in stats.tls[], or -1 */
	uint64_t		 tls_bytes;
};

TAILQ_HEAD(tcp_lru, tcp_conn);

struct decode_tcp {
	struct tcp_conn		*table;
	struct tcp_lru		 live;		/* SIP or undecided */
	struct tcp_lru		 cheap;		/* TLS or not SIP */
	unsigned		 count;
	size_t			 bytes;		/* buffers + held segments */
	/* Set while a frame is decoded: the packet the bytes came from. */
	struct decode_pkt	*pkt;
	struct tcp_conn		*cur;		/* never evicted meanwhile */
	int			 no_evict;	/* flushing: fail rather than evict */
};

/* Sequence-number comparisons modulo 2^32 (RFC 9293 3.4). */
#define SEQ_LT(a, b)	((int32_t)((uint32_t)(a) - (uint32_t)(b)) < 0)
#define SEQ_LEQ(a, b)	((int32_t)((uint32_t)(a) - (uint32_t)(b)) <= 0)
#define SEQ_GT(a, b)	((int32_t)((uint32_t)(a) - (uint32_t)(b)) > 0)

/* decode-tcp-stream.c */
int	tcp_stream_segment(struct decode_ctx *, struct decode_pkt *,
	    uint32_t seq, uint8_t flags, struct cursor *seg);
int	tcp_buf_reserve(struct decode_ctx *, struct tcp_half *, size_t len);
void	tcp_account(struct decode_ctx *, ssize_t delta);
void	tcp_deliver(struct decode_ctx *, struct tcp_conn *, int dir,
	    const uint8_t *p, size_t len, uint8_t transport, uint8_t flags);

/* decode-tcp-sip.c */
size_t	tcp_app_consume(struct decode_ctx *, struct tcp_conn *, int dir,
	    const uint8_t *p, size_t n, size_t fresh);
void	tcp_tls_note(struct decode_ctx *, struct tcp_conn *, int dir);

/* decode-ws.c */
size_t	tcp_ws_consume(struct decode_ctx *, struct tcp_conn *, int dir,
	    const uint8_t *p, size_t n, size_t fresh);
int	tcp_ws_sniff(const uint8_t *p, size_t n);
void	tcp_ws_free(struct decode_ctx *, struct tcp_half *);

#endif
