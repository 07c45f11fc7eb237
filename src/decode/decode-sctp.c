/*
 * decode-sctp.c: SCTP (RFC 9260) DATA and I-DATA (RFC 8260) chunks.
 *
 * SIP over SCTP (RFC 4168 5) carries one SIP message per user message.
 * A DATA chunk with both B and E set is a whole user message and becomes
 * one payload (transport DECODE_TP_SCTP); several may be bundled in one
 * packet.  A user message split over several chunks goes to the
 * reassembler (decode-sctp-reasm.c), which hands it on once every piece
 * has been seen.  A retransmitted whole chunk is handed on again, as
 * Wireshark shows it again: SCTP association state is not kept; a
 * retransmitted piece of a split message is recognised and ignored.
 */
#include "config.h"

#include "decode/decode-int.h"

#define SCTP_DATA	0
#define SCTP_IDATA	64
#define SCTP_MAX_CHUNKS	64	/* chunks looked at per packet */

/*
 * SCTP common header and chunks (RFC 9260 3); C covers exactly the SCTP
 * packet.  Looks at up to SCTP_MAX_CHUNKS chunks: a DATA (RFC 9260 3.3.1)
 * or I-DATA (RFC 8260 2.1) chunk with B and E set is delivered, one split
 * over several goes to the reassembler, other chunks are skipped.  Returns
 * DECODE_DELIVERED when at least one payload was delivered, else the last
 * event counted for the packet, or decode.sctp.no_data when there was none.
 * Every malformed chunk is counted, even in a packet that delivered a
 * payload.  The checksum is not verified.
 */
int
decode_sctp(struct decode_ctx *ctx, struct decode_pkt *pkt, struct cursor *c)
{
	struct sctp_chunk_in	in;
	struct cursor		ch;
	uint32_t		vtag, tsn, mid, fsn;
	uint16_t		sport, dport, clen, sid, ssn;
	uint8_t			type, flags;
	size_t			pad;
	uint64_t		before = ctx->stats.payloads;
	int			i, r;
	int			ev = DECODE_EV_SCTP_NO_DATA;
	int			counted = 0;	/* EV counted already */

	/* source port, destination port, verification tag, checksum */
	if (cur_get_be16(c, &sport) == -1 || cur_get_be16(c, &dport) == -1 ||
	    cur_get_be32(c, &vtag) == -1 || cur_skip(c, 4) == -1)
		return (decode_event(ctx, DECODE_EV_SCTP_TRUNCATED));
	pkt->src.port = sport;
	pkt->dst.port = dport;
	pkt->transport = DECODE_TP_SCTP;
	for (i = 0; i < SCTP_MAX_CHUNKS && cur_left(c) > 0; i++) {
		if (cur_get_u8(c, &type) == -1 || cur_get_u8(c, &flags) == -1 ||
		    cur_get_be16(c, &clen) == -1 || clen < 4 ||
		    cur_get_cursor(c, (size_t)clen - 4, &ch) == -1) {
			/* Cut by the snap length: the chunks before it count. */
			if (!(pkt->flags & DECODE_F_TRUNC)) {
				ev = decode_event(ctx,
				    DECODE_EV_SCTP_BAD_CHUNK);
				counted = 1;
			}
			break;
		}
		/* CH covers its value; then its padding (the last may lack it). */
		pad = (4 - (clen & 3)) & 3;
		(void)cur_skip(c, pad);
		if (type != SCTP_DATA && type != SCTP_IDATA)
			continue;
		/*
		 * DATA: TSN, stream, SSN, PPID.  I-DATA: TSN, stream,
		 * reserved, MID, then the PPID in the first piece and the
		 * fragment sequence number (FSN) in the others.
		 */
		mid = fsn = 0;
		ssn = 0;
		if (cur_get_be32(&ch, &tsn) == -1 ||
		    cur_get_be16(&ch, &sid) == -1 ||
		    (type == SCTP_DATA && (cur_get_be16(&ch, &ssn) == -1 ||
		    cur_skip(&ch, 4) == -1)) ||
		    (type == SCTP_IDATA && (cur_skip(&ch, 2) == -1 ||
		    cur_get_be32(&ch, &mid) == -1 ||
		    cur_get_be32(&ch, &fsn) == -1))) {
			ev = decode_event(ctx, DECODE_EV_SCTP_BAD_CHUNK);
			counted = 1;
			continue;
		}
		if ((flags & (SCTP_CHUNK_B | SCTP_CHUNK_E)) !=
		    (SCTP_CHUNK_B | SCTP_CHUNK_E)) {
			in.vtag = vtag;
			in.stream = sid;
			in.flags = flags & (SCTP_CHUNK_U | SCTP_CHUNK_B |
			    SCTP_CHUNK_E);
			in.idata = type == SCTP_IDATA;
			if (in.idata) {
				in.id = mid;
				in.pos = (flags & SCTP_CHUNK_B) ? 0 : fsn;
			} else {
				in.id = (flags & SCTP_CHUNK_U) ? 0 : ssn;
				in.pos = tsn;
			}
			if ((r = decode_sctp_reasm_add(ctx, pkt, &in,
			    &ch)) != DECODE_DELIVERED) {
				ev = r;		/* counted by the reassembler */
				counted = 1;
			}
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
		return (DECODE_DELIVERED);
	if (counted)
		return (ev);
	return (decode_event(ctx, ev));
}
