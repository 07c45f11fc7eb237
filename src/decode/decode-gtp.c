/*
 * decode-gtp.c: GTP-U, the user plane of mobile cores (3GPP TS 29.281).
 *
 * In VoLTE and IMS the SIP between a handset and its P-CSCF travels as
 * the handset's own IP packets inside G-PDUs on UDP port 2152 (S1-U,
 * S5/S8-U, N3, N9).  A capture on those links sees the operator's
 * addresses outside and the handset's inside; the inner packet is decoded
 * and its addresses are the ones reported, as for every other tunnel.
 *
 * Header (TS 29.281 5.1): flags (version 1, protocol type 1, E, S, PN),
 * message type, a length counting every byte after the first eight, and
 * the TEID.  When any of E, S or PN is set, a sequence number, an N-PDU
 * number and the type of the first extension header follow (four bytes;
 * the type means something only when E is set).  Each extension header
 * (5.2) gives its length in units of four bytes, counting its length and
 * next-type bytes, and ends with the type of the next one (0: none).
 * Message types other than G-PDU (255) are path management (echo, error
 * indication, end marker, ...) and carry no user packet.
 */
#include "config.h"

#include "decode/decode-int.h"

#define GTP_FLAG_E	0x04	/* extension header present */
#define GTP_FLAG_S	0x02	/* sequence number present */
#define GTP_FLAG_PN	0x01	/* N-PDU number present */
#define GTP_MSG_GPDU	255
#define GTP_EXT_MAX	16	/* extension headers followed */

/*
 * True when the UDP payload under C starts like a GTP-U header: at least
 * eight bytes, version 1, protocol type 1 (GTP rather than GTP').
 */
int
decode_gtpu_is(const struct cursor *c)
{
	return (cur_left(c) >= 8 && (cur_peek(c, 0) & 0xf0) == 0x30);
}

/*
 * Decode one GTP-U message (TS 29.281 5.1, 5.2); C covers the UDP payload,
 * which decode_gtpu_is() accepted.  The length field bounds the message.
 * Returns what the inner IP decoder returned, or the event that stopped
 * here.
 */
int
decode_gtpu(struct decode_ctx *ctx, struct decode_pkt *pkt, struct cursor *c)
{
	uint16_t	len;
	uint8_t		fl, type, nxt, elen;
	int		i;

	if (decode_encap_enter(pkt) == -1)
		return (decode_event(ctx, DECODE_EV_ENCAP_TOO_DEEP));
	/* flags, message type, length, TEID */
	if (cur_get_u8(c, &fl) == -1 || cur_get_u8(c, &type) == -1 ||
	    cur_get_be16(c, &len) == -1 || cur_skip(c, 4) == -1)
		return (decode_event(ctx, DECODE_EV_GTP_TRUNCATED));
	if (decode_limit(ctx, pkt, c, len) == -1)
		return (decode_event(ctx, DECODE_EV_GTP_TRUNCATED));
	if (type != GTP_MSG_GPDU)
		return (decode_event(ctx, DECODE_EV_GTP_SIGNALLING));
	if (fl & (GTP_FLAG_E | GTP_FLAG_S | GTP_FLAG_PN)) {
		/* sequence number, N-PDU number, next extension type */
		if (cur_skip(c, 3) == -1 || cur_get_u8(c, &nxt) == -1)
			return (decode_event(ctx, DECODE_EV_GTP_TRUNCATED));
		if (!(fl & GTP_FLAG_E))
			nxt = 0;
		for (i = 0; nxt != 0; i++) {
			if (i >= GTP_EXT_MAX || cur_get_u8(c, &elen) == -1 ||
			    elen == 0 || cur_skip(c, (size_t)elen * 4 - 2) == -1 ||
			    cur_get_u8(c, &nxt) == -1)
				return (decode_event(ctx, DECODE_EV_GTP_BAD_EXT));
		}
	}
	return (decode_ip_any(ctx, pkt, c, DECODE_EV_GTP_TRUNCATED,
	    DECODE_EV_GTP_NOT_IP));
}
