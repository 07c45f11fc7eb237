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

/*
 * Tunnel levels peeled per frame, at most: each IP-in-IP, GRE and GTP-U
 * header, MPLS label stack and tunnelled Ethernet frame (ERSPAN, VXLAN,
 * GRE 0x6558, MPLS pseudowire) counts one.
 */
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

/*
 * decode-link.c: dispatch on ETHERTYPE (host order), peeling up to four
 * 802.1Q/802.1ad tags first (C after the ethertype field).
 */
int	decode_ethertype(struct decode_ctx *, struct decode_pkt *,
	    uint16_t ethertype, struct cursor *);

/*
 * decode-link.c: IPv4 or IPv6 by the version nibble of the byte at C;
 * the event EMPTY when there is no byte, OTHER when the version is
 * neither 4 nor 6.
 */
int	decode_ip_any(struct decode_ctx *, struct decode_pkt *, struct cursor *,
	    enum decode_event empty, enum decode_event other);

/* decode-ip.c: C at the IPv4 (RFC 791 3.1) / IPv6 (RFC 8200 3) header. */
int	decode_ipv4(struct decode_ctx *, struct decode_pkt *, struct cursor *);
int	decode_ipv6(struct decode_ctx *, struct decode_pkt *, struct cursor *);

/*
 * decode-ip.c: C limited to the LEN bytes a length field announces.
 * Returns 0 (also when the snap length cut them: PKT flagged
 * DECODE_F_TRUNC, decode.snaplen_cut counted once per frame), or -1 when
 * LEN runs past the bytes of a frame that was not cut (the field lies).
 */
int	decode_limit(struct decode_ctx *, struct decode_pkt *, struct cursor *,
	    size_t len);

/*
 * decode-ip.c: dispatch on the IP protocol number PROTO (C at the upper
 * header); follow the IPv6 extension chain from next header NXT.
 */
int	decode_ip_payload(struct decode_ctx *, struct decode_pkt *,
	    uint8_t proto, struct cursor *);
int	decode_ipv6_ext(struct decode_ctx *, struct decode_pkt *,
	    uint8_t nxt, struct cursor *);

/*
 * decode-ipfrag.c: C covers the fragment's data (copied when held);
 * pending is the number of datagrams held.
 */
int	decode_frag_add(struct decode_ctx *, struct decode_pkt *,
	    const struct frag_key_in *, struct cursor *);
void	decode_frag_destroy(struct decode_ctx *);
unsigned decode_frag_pending(const struct decode_ctx *);

/*
 * decode-udp.c (RFC 768) / decode-tcp.c (RFC 9293 3.1): C covers exactly
 * the IP payload.
 */
int	decode_udp(struct decode_ctx *, struct decode_pkt *, struct cursor *);
int	decode_tcp(struct decode_ctx *, struct decode_pkt *, struct cursor *);

/*
 * decode-tcp-stream.c: the TCP stream table.  Flush: see decode_flush();
 * destroy frees the table (held bytes dropped).
 */
void	decode_tcp_flush(struct decode_ctx *, int64_t ts_us);
void	decode_tcp_destroy(struct decode_ctx *);

/*
 * decode-encap.c: one more tunnel level for PKT.  Returns 0, or -1 when
 * that makes more than DECODE_ENCAP_MAX: the caller then returns
 * decode_event(ctx, DECODE_EV_ENCAP_TOO_DEEP).
 */
int	decode_encap_enter(struct decode_pkt *);

/*
 * decode-encap.c: C at the inner Ethernet header, the GRE header (covering
 * the GRE packet), the MPLS label stack, the VXLAN header (covering the
 * UDP payload).  decode_vxlan_is() is true when the UDP payload under C
 * starts with a VXLAN header (RFC 7348 5: I flag set, reserved zero).
 */
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

/*
 * decode-sctp-reasm.c (RFC 9260 6.9, RFC 8260 2.1): C covers the chunk's
 * user data (copied when held).  Flush drops and counts what is incomplete
 * (decode.sctp.incomplete); destroy frees the table.
 */
int	decode_sctp_reasm_add(struct decode_ctx *, struct decode_pkt *,
	    const struct sctp_chunk_in *, struct cursor *);
void	decode_sctp_reasm_flush(struct decode_ctx *);
void	decode_sctp_reasm_destroy(struct decode_ctx *);

/*
 * decode-ppp.c: C at the PPP frame (RFC 1661) / the PPPoE session header
 * (RFC 2516 5); BARE for DLT_PPP_ETHER, which has no ethertype.
 */
int	decode_ppp(struct decode_ctx *, struct decode_pkt *, struct cursor *);
int	decode_pppoe(struct decode_ctx *, struct decode_pkt *, struct cursor *,
	    int bare);

/*
 * decode-gtp.c (3GPP TS 29.281): C covers the UDP payload.
 * decode_gtpu_is() is true when it starts like a GTP-U header.
 */
int	decode_gtpu_is(const struct cursor *);
int	decode_gtpu(struct decode_ctx *, struct decode_pkt *, struct cursor *);

#endif
