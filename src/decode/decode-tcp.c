/*
 * decode-tcp.c: TCP (RFC 9293) header validation.
 *
 * Segments with data are counted as not decoded until stream reassembly
 * (RFC 3261 18.3 framing) is in place; the header is still validated so
 * malformed segments are told apart from ordinary ones.
 */
#include "config.h"

#include "decode/decode-int.h"

int
decode_tcp(struct decode_ctx *ctx, struct decode_pkt *pkt, struct cursor *c)
{
	uint16_t	sport = 0, dport = 0;
	size_t		hlen;

	if (cur_left(c) < 20)
		return (decode_event(ctx, DECODE_EV_TCP_TRUNCATED));
	(void)cur_get_be16(c, &sport);
	(void)cur_get_be16(c, &dport);
	hlen = (size_t)(c->p[8] >> 4) * 4;	/* data offset, after seq/ack */
	if (hlen < 20 || hlen - 4 > cur_left(c))
		return (decode_event(ctx, DECODE_EV_TCP_BAD_HLEN));
	(void)cur_skip(c, hlen - 4);
	pkt->src.port = sport;
	pkt->dst.port = dport;
	pkt->transport = DECODE_TP_TCP;
	if (cur_left(c) == 0)
		return (decode_event(ctx, DECODE_EV_L4_OTHER));
	return (decode_event(ctx, DECODE_EV_TCP_NOT_DECODED));
}
