/*
 * decode-sctp.c: SCTP (RFC 9260) DATA and I-DATA (RFC 8260) chunks.
 *
 * SIP over SCTP (RFC 4168 5) carries one SIP message per user message.
 * A DATA chunk with both B and E set is a whole user message and becomes
 * one payload (transport DECODE_TP_SCTP); several may be bundled in one
 * packet.  A user message split over several chunks is counted as
 * decode.sctp.fragmented and not reassembled (SIP messages fit one chunk
 * in practice).  A retransmitted chunk is handed on again, as Wireshark
 * shows it again: SCTP association state is not kept.
 */
#include "config.h"

#include "decode/decode-int.h"

#define SCTP_DATA	0
#define SCTP_IDATA	64
#define SCTP_B		0x02
#define SCTP_E		0x01
#define SCTP_MAX_CHUNKS	64	/* chunks looked at per packet */

int
decode_sctp(struct decode_ctx *ctx, struct decode_pkt *pkt, struct cursor *c)
{
	struct cursor	ch;
	uint16_t	sport, dport, clen;
	uint8_t		type, flags;
	size_t		hdr, pad;
	uint64_t	before = ctx->stats.payloads;
	int		i, ev = DECODE_EV_SCTP_NO_DATA;

	if (cur_get_be16(c, &sport) == -1 || cur_get_be16(c, &dport) == -1 ||
	    cur_skip(c, 8) == -1)
		return (decode_event(ctx, DECODE_EV_SCTP_TRUNCATED));
	pkt->src.port = sport;
	pkt->dst.port = dport;
	pkt->transport = DECODE_TP_SCTP;
	for (i = 0; i < SCTP_MAX_CHUNKS && cur_left(c) > 0; i++) {
		if (cur_get_u8(c, &type) == -1 || cur_get_u8(c, &flags) == -1 ||
		    cur_get_be16(c, &clen) == -1 || clen < 4 ||
		    (size_t)clen - 4 > cur_left(c)) {
			if (pkt->flags & DECODE_F_TRUNC)
				break;
			ev = DECODE_EV_SCTP_BAD_CHUNK;
			break;
		}
		cur_init(&ch, c->p, (size_t)clen - 4);
		(void)cur_skip(c, (size_t)clen - 4);
		pad = (4 - (clen & 3)) & 3;
		if (cur_left(c) >= pad)
			(void)cur_skip(c, pad);
		if (type != SCTP_DATA && type != SCTP_IDATA)
			continue;
		/* TSN, stream, SSN, PPID / TSN, stream, reserved, MID, PPID. */
		hdr = type == SCTP_DATA ? 12 : 16;
		if (cur_skip(&ch, hdr) == -1) {
			ev = DECODE_EV_SCTP_BAD_CHUNK;
			continue;
		}
		if ((flags & (SCTP_B | SCTP_E)) != (SCTP_B | SCTP_E)) {
			ev = DECODE_EV_SCTP_FRAGMENTED;
			ctx->stats.events[ev]++;
			continue;
		}
		if (cur_left(&ch) == 0)
			continue;
		pkt->payload = ch.p;
		pkt->len = cur_left(&ch);
		ctx->stats.payloads++;
		ctx->stats.sctp_messages++;
		ctx->deliver(pkt, ctx->arg);
	}
	if (ctx->stats.payloads != before)
		return (-1);
	if (ev == DECODE_EV_SCTP_FRAGMENTED)
		return (ev);
	return (decode_event(ctx, (enum decode_event)ev));
}
