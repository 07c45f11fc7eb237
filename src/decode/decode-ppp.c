/*
 * decode-ppp.c: PPP (RFC 1661) as it reaches a capture: inside PPPoE
 * sessions (RFC 2516, DSL uplinks), inside GRE (enhanced GRE of PPTP,
 * RFC 2637, see decode-encap.c) and on the PPP link types (DLT_PPP,
 * DLT_PPP_SERIAL, DLT_PPP_ETHER).
 *
 * A PPP frame may start with the HDLC-like address and control bytes
 * 0xff 0x03 (RFC 1662 3.1), or not when Address-and-Control-Field
 * Compression was negotiated (RFC 1661 6.6); both are read.  The protocol
 * field is two bytes, or one when Protocol-Field-Compression was
 * negotiated (RFC 1661 6.5: a protocol number's last byte is odd, its
 * first even, so one odd byte is a whole compressed field).
 *
 * IPv4 and IPv6 go on to the IP decoders and MPLS to the label stack.
 * Compressed or encrypted datagrams (CCP, RFC 1962, which MPPE uses on
 * PPTP links; Van Jacobson TCP/IP header compression, RFC 1144) cannot be
 * read without the link's state and are counted as decode.ppp.compressed;
 * everything else (LCP, IPCP, PAP, CHAP, Multilink fragments ...) as
 * decode.ppp.not_ip.
 */
#include "config.h"

#include "decode/decode-int.h"

#define PPP_ADDRESS		0xff
#define PPP_CONTROL		0x03

#define PPP_IPV4		0x0021
#define PPP_VJ_COMP		0x002d	/* Van Jacobson compressed TCP/IP */
#define PPP_VJ_UNCOMP		0x002f	/* Van Jacobson uncompressed TCP/IP */
#define PPP_IPV6		0x0057
#define PPP_COMP_LINK		0x00fb	/* individual link compressed datagram */
#define PPP_COMP		0x00fd	/* compressed datagram (CCP, MPPE) */
#define PPP_MPLS		0x0281
#define PPP_MPLS_MC		0x0283

#define PPPOE_VER_TYPE		0x11	/* version 1, type 1 */
#define PPPOE_CODE_SESSION	0x00

/*
 * Decode one PPP frame (RFC 1661 2, RFC 1662 3.1); C covers it, from the
 * address byte if present.  Returns what the inner decoder returned, or
 * the event that stopped here.
 */
int
decode_ppp(struct decode_ctx *ctx, struct decode_pkt *pkt, struct cursor *c)
{
	uint16_t	proto;
	uint8_t		b;

	if (cur_peek(c, 0) == PPP_ADDRESS && cur_peek(c, 1) == PPP_CONTROL)
		(void)cur_skip(c, 2);
	if (cur_get_u8(c, &b) == -1)
		return (decode_event(ctx, DECODE_EV_PPP_TRUNCATED));
	proto = b;
	if ((b & 1) == 0) {
		if (cur_get_u8(c, &b) == -1)
			return (decode_event(ctx, DECODE_EV_PPP_TRUNCATED));
		proto = (uint16_t)((proto << 8) | b);
	}
	switch (proto) {
	case PPP_IPV4:
		return (decode_ipv4(ctx, pkt, c));
	case PPP_IPV6:
		return (decode_ipv6(ctx, pkt, c));
	case PPP_MPLS:
	case PPP_MPLS_MC:
		return (decode_mpls(ctx, pkt, c));
	case PPP_VJ_COMP:
	case PPP_VJ_UNCOMP:
	case PPP_COMP_LINK:
	case PPP_COMP:
		return (decode_event(ctx, DECODE_EV_PPP_COMPRESSED));
	}
	return (decode_event(ctx, DECODE_EV_PPP_NOT_IP));
}

/*
 * PPPoE session stage (RFC 2516 5, ethertype 0x8864): version and type 1,
 * code 0, a session id and the length of the PPP frame that follows (no
 * address and control bytes).  C is at the PPPoE header.  BARE is set for
 * DLT_PPP_ETHER, which has no Ethernet header and so no ethertype to tell
 * discovery (code other than 0) from session packets.  The length field
 * bounds the PPP frame (Ethernet padding after it is not read).
 */
int
decode_pppoe(struct decode_ctx *ctx, struct decode_pkt *pkt, struct cursor *c,
    int bare)
{
	uint16_t	len;
	uint8_t		vt, code;

	/* version/type, code, session id, length */
	if (cur_get_u8(c, &vt) == -1 || cur_get_u8(c, &code) == -1 ||
	    cur_skip(c, 2) == -1 || cur_get_be16(c, &len) == -1)
		return (decode_event(ctx, DECODE_EV_PPPOE_TRUNCATED));
	if (bare && vt == PPPOE_VER_TYPE && code != PPPOE_CODE_SESSION)
		return (decode_event(ctx, DECODE_EV_PPPOE_DISCOVERY));
	if (vt != PPPOE_VER_TYPE || code != PPPOE_CODE_SESSION)
		return (decode_event(ctx, DECODE_EV_PPPOE_BAD_HEADER));
	if (decode_limit(ctx, pkt, c, len) == -1)
		return (decode_event(ctx, DECODE_EV_PPPOE_TRUNCATED));
	return (decode_ppp(ctx, pkt, c));
}
