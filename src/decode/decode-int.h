/*
 * decode-int.h: internals shared by the decode-*.c files only.
 *
 * Every decoding step below takes the context, the packet being built
 * (addresses, ports, flags are filled in as headers are read) and a cursor
 * positioned at the header it decodes, and returns as decode_frame() does:
 * DECODE_DELIVERED when a payload was handed to ctx->deliver, else the
 * decode event (>= 0) that stopped it, counted with decode_event() where
 * it is raised.  Helpers that only check something return 0 or -1 and let
 * the caller name and count the event.
 */
#ifndef SW_DECODE_INT_H
#define SW_DECODE_INT_H

#include "core/cursor.h"
#include "decode/decode.h"

struct decode_frag;
struct decode_tcp;
struct decode_sctp;

struct decode_ctx {
	struct decode_stats	 stats;
	decode_deliver_fn	*deliver;
	void			*arg;
	struct decode_frag	*frag;		/* IP reassembly, on first use */
	struct decode_tcp	*tcp;		/* TCP streams, on first use */
	struct decode_sctp	*sctp;		/* SCTP reassembly, on first use */
};

/* Tunnels (IP-in-IP, GRE, ERSPAN, VXLAN, MPLS, GTP-U) peeled per frame, at most. */
#define DECODE_ENCAP_MAX	8

/* What an IP header says about one fragment. */
struct frag_key_in {
	uint32_t	id;		/* identification (16 bits for IPv4) */
	uint32_t	off;		/* offset of its data, bytes */
	int		more;		/* more fragments follow */
	int		proto;		/* upper protocol if known here, else -1 */
};

/* Count event EV and return it, as the int a decoding step returns. */
static inline int
decode_event(struct decode_ctx *ctx, enum decode_event ev)
{
	ctx->stats.events[ev]++;
	return ((int)ev);
}

/* decode-link.c: dispatch on an ethertype (VLAN tags included). */
int	decode_ethertype(struct decode_ctx *, struct decode_pkt *,
	    uint16_t ethertype, struct cursor *);

/* decode-link.c: IPv4 or IPv6 by the version nibble; else EMPTY/OTHER. */
int	decode_ip_any(struct decode_ctx *, struct decode_pkt *, struct cursor *,
	    enum decode_event empty, enum decode_event other);

/* decode-ip.c: C is positioned at the IP header. */
int	decode_ipv4(struct decode_ctx *, struct decode_pkt *, struct cursor *);
int	decode_ipv6(struct decode_ctx *, struct decode_pkt *, struct cursor *);

/* decode-ip.c: C limited to LEN bytes; -1 if that runs past the capture. */
int	decode_limit(struct decode_ctx *, struct decode_pkt *, struct cursor *,
	    size_t len);

/* decode-ip.c: dispatch on the upper protocol / IPv6 extension chain. */
int	decode_ip_payload(struct decode_ctx *, struct decode_pkt *,
	    uint8_t proto, struct cursor *);
int	decode_ipv6_ext(struct decode_ctx *, struct decode_pkt *,
	    uint8_t nxt, struct cursor *);

/* decode-ipfrag.c: C covers the fragment's data. */
int	decode_frag_add(struct decode_ctx *, struct decode_pkt *,
	    const struct frag_key_in *, struct cursor *);
void	decode_frag_destroy(struct decode_ctx *);
unsigned decode_frag_pending(const struct decode_ctx *);

/* decode-udp.c / decode-tcp.c: C covers exactly the IP payload. */
int	decode_udp(struct decode_ctx *, struct decode_pkt *, struct cursor *);
int	decode_tcp(struct decode_ctx *, struct decode_pkt *, struct cursor *);

/* decode-tcp-stream.c: the TCP stream table. */
void	decode_tcp_flush(struct decode_ctx *, int64_t ts_us);
void	decode_tcp_destroy(struct decode_ctx *);

/*
 * decode-encap.c: one more tunnel level for PKT.  Returns 0, or -1 when
 * that makes more than DECODE_ENCAP_MAX: the caller then returns
 * decode_event(ctx, DECODE_EV_ENCAP_TOO_DEEP).
 */
int	decode_encap_enter(struct decode_pkt *);

/* decode-encap.c: C is positioned after the outer header named. */
int	decode_ether(struct decode_ctx *, struct decode_pkt *, struct cursor *);
int	decode_gre(struct decode_ctx *, struct decode_pkt *, struct cursor *);
int	decode_mpls(struct decode_ctx *, struct decode_pkt *, struct cursor *);
int	decode_vxlan_is(const struct cursor *);
int	decode_vxlan(struct decode_ctx *, struct decode_pkt *, struct cursor *);

/* decode-sctp.c: C covers exactly the IP payload. */
int	decode_sctp(struct decode_ctx *, struct decode_pkt *, struct cursor *);

/* One DATA or I-DATA chunk that carries part of a user message. */
struct sctp_chunk_in {
	uint32_t	vtag;		/* verification tag of the packet */
	uint32_t	id;		/* DATA: SSN (0 if unordered); I-DATA: MID */
	uint32_t	pos;		/* DATA: TSN; I-DATA: FSN (0 for the first) */
	uint16_t	stream;		/* stream identifier */
	uint8_t		idata;		/* 1 for I-DATA (RFC 8260) */
	uint8_t		flags;		/* chunk flags (U, B, E) */
};
#define SCTP_CHUNK_U	0x04		/* unordered */
#define SCTP_CHUNK_B	0x02		/* first piece of a user message */
#define SCTP_CHUNK_E	0x01		/* last piece */

/* decode-sctp-reasm.c: C covers the chunk's user data. */
int	decode_sctp_reasm_add(struct decode_ctx *, struct decode_pkt *,
	    const struct sctp_chunk_in *, struct cursor *);
void	decode_sctp_reasm_flush(struct decode_ctx *);
void	decode_sctp_reasm_destroy(struct decode_ctx *);

/* decode-ppp.c: C at the PPP frame / the PPPoE header. */
int	decode_ppp(struct decode_ctx *, struct decode_pkt *, struct cursor *);
int	decode_pppoe(struct decode_ctx *, struct decode_pkt *, struct cursor *,
	    int bare);

/* decode-gtp.c: C covers the UDP payload. */
int	decode_gtpu_is(const struct cursor *);
int	decode_gtpu(struct decode_ctx *, struct decode_pkt *, struct cursor *);

#endif
