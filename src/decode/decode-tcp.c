/*
 * decode-tcp.c: TCP (RFC 9293) header.
 *
 * The header is validated (so malformed segments are told apart from
 * ordinary ones), then the segment goes to the stream layer
 * (decode-tcp-stream.c), which reorders it and cuts SIP messages out of
 * the byte stream (RFC 3261 18.3 framing, decode-tcp-sip.c).
 */
#include "config.h"

#include "decode/decode-tcp.h"

/*
 * TCP header (RFC 9293 3.1); C covers exactly the TCP segment (header and
 * data).  Options are skipped; the data goes to the stream layer.  Returns
 * DECODE_DELIVERED when at least one payload was delivered (from this
 * segment or from held bytes it completed), else the event that describes
 * the segment.  The checksum is not verified.
 */
int
decode_tcp(struct decode_ctx *ctx, struct decode_pkt *pkt, struct cursor *c)
{
	uint16_t	sport = 0, dport = 0;
	uint32_t	seq = 0, ack = 0;
	uint8_t		off = 0, flags = 0;
	size_t		hlen;

	if (cur_left(c) < 20)
		return (decode_event(ctx, DECODE_EV_TCP_TRUNCATED));
	(void)cur_get_be16(c, &sport);
	(void)cur_get_be16(c, &dport);
	(void)cur_get_be32(c, &seq);
	(void)cur_get_be32(c, &ack);
	(void)cur_get_u8(c, &off);
	(void)cur_get_u8(c, &flags);
	hlen = (size_t)(off >> 4) * 4;
	/* 14 bytes read so far; the header is HLEN. */
	if (hlen < 20 || hlen - 14 > cur_left(c))
		return (decode_event(ctx, DECODE_EV_TCP_BAD_HLEN));
	(void)cur_skip(c, hlen - 14);
	pkt->src.port = sport;
	pkt->dst.port = dport;
	pkt->transport = DECODE_TP_TCP;
	return (tcp_stream_segment(ctx, pkt, seq, flags, c));
}
