/*
 * decode-udp.c: UDP (RFC 768).  One datagram is one payload, except VXLAN
 * (port 4789), whose inner frame is decoded (decode-encap.c).
 */
#include "config.h"

#include "decode/decode-int.h"

#define UDP_PORT_VXLAN	4789

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
	plen = (size_t)ulen - 8;
	if (plen > cur_left(c)) {
		if (!(pkt->flags & DECODE_F_TRUNC) &&
		    pkt->caplen >= pkt->wirelen)
			return (decode_event(ctx, DECODE_EV_UDP_BAD_LEN));
		if (!(pkt->flags & DECODE_F_TRUNC)) {
			pkt->flags |= DECODE_F_TRUNC;
			ctx->stats.events[DECODE_EV_SNAPLEN_CUT]++;
		}
		plen = cur_left(c);
	}
	if (plen == 0)
		return (decode_event(ctx, DECODE_EV_UDP_EMPTY));
	/* VXLAN (RFC 7348): flags I set, reserved bytes zero. */
	if (dport == UDP_PORT_VXLAN && plen >= 8 && (c->p[0] & 0x08) &&
	    c->p[1] == 0 && c->p[2] == 0 && c->p[3] == 0 && c->p[7] == 0) {
		c->end = c->p + plen;
		return (decode_vxlan(ctx, pkt, c));
	}
	pkt->src.port = sport;
	pkt->dst.port = dport;
	pkt->transport = DECODE_TP_UDP;
	pkt->payload = c->p;
	pkt->len = plen;
	ctx->stats.payloads++;
	ctx->deliver(pkt, ctx->arg);
	return (-1);
}
