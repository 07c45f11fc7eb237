/*
 * decode-encap.c: tunnels seen on mirror ports and access links: GRE
 * (RFC 2784, RFC 2890) carrying IP, Ethernet (transparent bridging,
 * 0x6558), ERSPAN type I, II and III (draft-foschiano-erspan), MPLS or PPP;
 * enhanced GRE (version 1, RFC 2637 4.1: PPTP) carrying PPP; VXLAN
 * (RFC 7348, UDP 4789); MPLS label stacks (RFC 3032) over IPv4, IPv6 or
 * an Ethernet pseudowire with its control word (RFC 4448).
 *
 * The inner headers replace the outer addresses in the packet; each level
 * counts towards DECODE_ENCAP_MAX so nesting cannot loop.
 */
#include "config.h"

#include "decode/decode-int.h"

#define GRE_CSUM	0x8000
#define GRE_ROUTING	0x4000
#define GRE_KEY		0x2000
#define GRE_SEQ		0x1000
#define GRE_ACK		0x0080	/* enhanced GRE: acknowledgment number present */
#define GRE_VERSION	0x0007

#define GRE_PT_IPV4	0x0800
#define GRE_PT_IPV6	0x86dd
#define GRE_PT_TEB	0x6558	/* transparent Ethernet bridging */
#define GRE_PT_ERSPAN	0x88be	/* type I (no sequence) or II */
#define GRE_PT_ERSPAN3	0x22eb
#define GRE_PT_MPLS	0x8847
#define GRE_PT_MPLS_MC	0x8848
#define GRE_PT_PPP	0x880b

#define MPLS_MAX_LABELS	8

/*
 * One more tunnel level for PKT.  Returns 0, or -1 when the frame nests
 * more than DECODE_ENCAP_MAX tunnels; the caller returns
 * decode_event(ctx, DECODE_EV_ENCAP_TOO_DEEP).
 */
int
decode_encap_enter(struct decode_pkt *pkt)
{
	if (++pkt->encap > DECODE_ENCAP_MAX)
		return (-1);
	return (0);
}

/*
 * An Ethernet frame inside a tunnel (IEEE 802.3: destination, source,
 * ethertype); C at its destination address.
 */
int
decode_ether(struct decode_ctx *ctx, struct decode_pkt *pkt, struct cursor *c)
{
	uint16_t	type;

	if (decode_encap_enter(pkt) == -1)
		return (decode_event(ctx, DECODE_EV_ENCAP_TOO_DEEP));
	if (cur_skip(c, 12) == -1 || cur_get_be16(c, &type) == -1)
		return (decode_event(ctx, DECODE_EV_ETH_TRUNCATED));
	return (decode_ethertype(ctx, pkt, type, c));
}

/*
 * ERSPAN type II (VERSION 1: two 32-bit words) or type III (VERSION 2:
 * three, then the 8-byte platform subheader when O is set) header
 * (draft-foschiano-erspan), then the mirrored Ethernet frame; a type III
 * frame type other than Ethernet is not decoded.
 */
static int
decode_erspan(struct decode_ctx *ctx, struct decode_pkt *pkt,
    struct cursor *c, int version)
{
	uint32_t	w0, w1, w2;

	if (cur_get_be32(c, &w0) == -1 || cur_get_be32(c, &w1) == -1)
		return (decode_event(ctx, DECODE_EV_ERSPAN_TRUNCATED));
	if ((int)(w0 >> 28) != version)
		return (decode_event(ctx, DECODE_EV_ERSPAN_TRUNCATED));
	if (version == 2) {
		/* Timestamp in w1; SGT, P, FT, HW ID, D, Gra, O in w2. */
		if (cur_get_be32(c, &w2) == -1)
			return (decode_event(ctx, DECODE_EV_ERSPAN_TRUNCATED));
		if (((w2 >> 10) & 0x1f) != 0)	/* frame type: Ethernet */
			return (decode_event(ctx, DECODE_EV_GRE_UNSUPPORTED));
		if ((w2 & 1) && cur_skip(c, 8) == -1)	/* subheader */
			return (decode_event(ctx, DECODE_EV_ERSPAN_TRUNCATED));
	}
	return (decode_ether(ctx, pkt, c));
}

/*
 * Enhanced GRE (RFC 2637 4.1), as PPTP carries PPP: version 1, protocol
 * 0x880b, a key field holding the payload length and the call id, then a
 * sequence number when S is set and an acknowledgment number when A is
 * set.  A packet with payload length 0 only acknowledges.  FL and PT are
 * the flags word and protocol already read; C is after them.
 */
static int
decode_gre_v1(struct decode_ctx *ctx, struct decode_pkt *pkt,
    struct cursor *c, uint16_t fl, uint16_t pt)
{
	uint16_t	plen;

	if (pt != GRE_PT_PPP || !(fl & GRE_KEY) ||
	    (fl & (GRE_CSUM | GRE_ROUTING)))
		return (decode_event(ctx, DECODE_EV_GRE_UNSUPPORTED));
	/* Payload length, call id, then the optional numbers. */
	if (cur_get_be16(c, &plen) == -1 || cur_skip(c, 2) == -1 ||
	    ((fl & GRE_SEQ) && cur_skip(c, 4) == -1) ||
	    ((fl & GRE_ACK) && cur_skip(c, 4) == -1))
		return (decode_event(ctx, DECODE_EV_GRE_TRUNCATED));
	if (plen == 0)
		return (decode_event(ctx, DECODE_EV_GRE_ACK_ONLY));
	if (decode_limit(ctx, pkt, c, plen) == -1)
		return (decode_event(ctx, DECODE_EV_GRE_TRUNCATED));
	return (decode_ppp(ctx, pkt, c));
}

/*
 * GRE header (RFC 2784 2, RFC 2890 2: version 0; RFC 2637 4.1: version 1
 * for PPTP); C covers the GRE packet.  The protocol type picks the inner
 * decoder; routing (RFC 1701) is not decoded.
 */
int
decode_gre(struct decode_ctx *ctx, struct decode_pkt *pkt, struct cursor *c)
{
	uint16_t	fl, pt;

	if (decode_encap_enter(pkt) == -1)
		return (decode_event(ctx, DECODE_EV_ENCAP_TOO_DEEP));
	if (cur_get_be16(c, &fl) == -1 || cur_get_be16(c, &pt) == -1)
		return (decode_event(ctx, DECODE_EV_GRE_TRUNCATED));
	if ((fl & GRE_VERSION) == 1)
		return (decode_gre_v1(ctx, pkt, c, fl, pt));
	if ((fl & GRE_VERSION) != 0 || (fl & GRE_ROUTING))
		return (decode_event(ctx, DECODE_EV_GRE_UNSUPPORTED));
	if (((fl & GRE_CSUM) && cur_skip(c, 4) == -1) ||
	    ((fl & GRE_KEY) && cur_skip(c, 4) == -1) ||
	    ((fl & GRE_SEQ) && cur_skip(c, 4) == -1))
		return (decode_event(ctx, DECODE_EV_GRE_TRUNCATED));
	switch (pt) {
	case GRE_PT_IPV4:
		return (decode_ipv4(ctx, pkt, c));
	case GRE_PT_IPV6:
		return (decode_ipv6(ctx, pkt, c));
	case GRE_PT_TEB:
		return (decode_ether(ctx, pkt, c));
	case GRE_PT_ERSPAN:
		/* Type I has no sequence number and no ERSPAN header. */
		if (!(fl & GRE_SEQ))
			return (decode_ether(ctx, pkt, c));
		return (decode_erspan(ctx, pkt, c, 1));
	case GRE_PT_ERSPAN3:
		return (decode_erspan(ctx, pkt, c, 2));
	case GRE_PT_MPLS:
	case GRE_PT_MPLS_MC:
		return (decode_mpls(ctx, pkt, c));
	case GRE_PT_PPP:
		return (decode_ppp(ctx, pkt, c));
	}
	return (decode_event(ctx, DECODE_EV_GRE_UNSUPPORTED));
}

/*
 * True when the UDP payload under C starts with a VXLAN header (RFC 7348
 * 5): eight bytes, the I flag set, the reserved bits of the first word and
 * the reserved last byte zero.  C does not move.
 */
int
decode_vxlan_is(const struct cursor *c)
{
	struct cursor	v = *c;
	uint32_t	w0, w1;

	if (cur_get_be32(&v, &w0) == -1 || cur_get_be32(&v, &w1) == -1)
		return (0);
	return ((w0 & 0x08ffffff) == 0x08000000 && (w1 & 0xff) == 0);
}

/*
 * VXLAN (RFC 7348 5): C covers the UDP payload, which decode_vxlan_is()
 * accepted.  The 8-byte header is skipped, then the inner Ethernet frame.
 */
int
decode_vxlan(struct decode_ctx *ctx, struct decode_pkt *pkt, struct cursor *c)
{
	if (cur_skip(c, 8) == -1)
		return (decode_event(ctx, DECODE_EV_VXLAN_TRUNCATED));
	return (decode_ether(ctx, pkt, c));
}

/*
 * MPLS label stack (RFC 3032 2.1) of at most MPLS_MAX_LABELS entries,
 * then what the first nibble after it says: 0 a pseudowire control word
 * and an Ethernet frame (RFC 4448 3), 4 or 6 an IP packet.
 */
int
decode_mpls(struct decode_ctx *ctx, struct decode_pkt *pkt, struct cursor *c)
{
	uint32_t	lse;
	int		i, b;

	if (decode_encap_enter(pkt) == -1)
		return (decode_event(ctx, DECODE_EV_ENCAP_TOO_DEEP));
	for (i = 0; ; i++) {
		if (i >= MPLS_MAX_LABELS || cur_get_be32(c, &lse) == -1)
			return (decode_event(ctx, DECODE_EV_MPLS_TRUNCATED));
		if (lse & 0x100)	/* bottom of stack */
			break;
	}
	if ((b = cur_peek(c, 0)) != -1 && (b >> 4) == 0) {
		/* Pseudowire control word, then an Ethernet frame. */
		if (cur_skip(c, 4) == -1)
			return (decode_event(ctx, DECODE_EV_MPLS_TRUNCATED));
		return (decode_ether(ctx, pkt, c));
	}
	return (decode_ip_any(ctx, pkt, c, DECODE_EV_MPLS_TRUNCATED,
	    DECODE_EV_MPLS_TRUNCATED));
}
