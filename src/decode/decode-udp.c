/*
 * decode-udp.c: UDP (RFC 768).  One datagram is one payload, except VXLAN
 * (port 4789), whose inner frame is decoded (decode-encap.c), and GTP-U
 * (port 2152), whose inner IP packet is decoded (decode-gtp.c).
 */
#include "config.h"

#include "decode/decode-int.h"

#define UDP_PORT_VXLAN	4789
#define UDP_PORT_GTPU	2152

/*
 * UDP header (RFC 768); C covers exactly the IP payload.  The length field
 * bounds the payload (what follows it is padding).  A non-empty payload is
 * delivered with the ports (host order) unless it is VXLAN or GTP-U, whose
 * inner packet is decoded instead.  The checksum is not verified.
 */
int
decode_udp(struct decode_ctx *ctx, struct decode_pkt *pkt, struct cursor *c)
{
	uint16_t	sport, dport, ulen, sum;
	size_t		plen;

	if (cur_get_be16(c, &sport) == -1 || cur_get_be16(c, &dport) == -1 ||
	    cur_get_be16(c, &ulen) == -1 || cur_get_be16(c, &sum) == -1)
		return (decode_event(ctx, DECODE_EV_UDP_TRUNCATED));
	if (ulen < 8)
		return (decode_event(ctx, DECODE_EV_UDP_BAD_LEN));
	if (decode_limit(ctx, pkt, c, (size_t)ulen - 8) == -1)
		return (decode_event(ctx, DECODE_EV_UDP_BAD_LEN));
	plen = cur_left(c);
	if (plen == 0)
		return (decode_event(ctx, DECODE_EV_UDP_EMPTY));
	/* VXLAN (RFC 7348): flags I set, reserved bytes zero. */
	if (dport == UDP_PORT_VXLAN && decode_vxlan_is(c))
		return (decode_vxlan(ctx, pkt, c));
	/* GTP-U (3GPP TS 29.281): version 1, protocol type GTP. */
	if ((dport == UDP_PORT_GTPU || sport == UDP_PORT_GTPU) &&
	    decode_gtpu_is(c))
		return (decode_gtpu(ctx, pkt, c));
	pkt->src.port = sport;
	pkt->dst.port = dport;
	pkt->transport = DECODE_TP_UDP;
	pkt->payload = c->p;
	pkt->len = plen;
	ctx->stats.payloads++;
	ctx->deliver(pkt, ctx->arg);
	return (DECODE_DELIVERED);
}
