/*
 * decode-ip.c: IPv4 (RFC 791) and IPv6 (RFC 8200) headers, IPv6 extension
 * headers, IP-in-IP; dispatch to UDP, TCP, SCTP and GRE.
 *
 * Length rules: the IP length field is trusted only as far as the captured
 * bytes reach.  Ethernet padding beyond the IP length is trimmed.  A length
 * that points past the captured data is a snap-length cut when the frame
 * was cut by libpcap (caplen < wirelen) and a lie otherwise.
 */
#include "config.h"

#include <string.h>

#include "decode/decode-int.h"

#define IPPROTO_IPIP_	4
#define IPPROTO_TCP_	6
#define IPPROTO_UDP_	17
#define IPPROTO_IPV6_	41
#define IPPROTO_GRE_	47
#define IPPROTO_ESP_	50
#define IPPROTO_SCTP_	132
#define IPV6_EXT_MAX	16	/* extension headers followed */

int
decode_ip_payload(struct decode_ctx *ctx, struct decode_pkt *pkt,
    uint8_t proto, struct cursor *c)
{
	switch (proto) {
	case IPPROTO_UDP_:
		return (decode_udp(ctx, pkt, c));
	case IPPROTO_TCP_:
		return (decode_tcp(ctx, pkt, c));
	case IPPROTO_SCTP_:
		return (decode_sctp(ctx, pkt, c));
	case IPPROTO_IPIP_:
	case IPPROTO_IPV6_:
		/* Tunnelled IP: the inner header gives the addresses. */
		if (decode_encap_enter(pkt) == -1)
			return (decode_event(ctx, DECODE_EV_ENCAP_TOO_DEEP));
		if (proto == IPPROTO_IPIP_)
			return (decode_ipv4(ctx, pkt, c));
		return (decode_ipv6(ctx, pkt, c));
	case IPPROTO_GRE_:
		return (decode_gre(ctx, pkt, c));
	case IPPROTO_ESP_:
		return (decode_event(ctx, DECODE_EV_IP_ENCRYPTED));
	}
	return (decode_event(ctx, DECODE_EV_L4_OTHER));
}

/*
 * Limit cursor C to the LEN bytes a length field announces.  Returns 0, or
 * -1 when LEN runs past the captured bytes of a frame that was not cut by
 * the snap length (the length field lies).  A frame cut by the snap length
 * keeps what was captured, is flagged DECODE_F_TRUNC and counted once as
 * decode.snaplen_cut.
 */
int
decode_limit(struct decode_ctx *ctx, struct decode_pkt *pkt, struct cursor *c,
    size_t len)
{
	if (len <= cur_left(c)) {
		c->end = c->p + len;
		return (0);
	}
	if (pkt->caplen < pkt->wirelen) {
		if (!(pkt->flags & DECODE_F_TRUNC)) {
			pkt->flags |= DECODE_F_TRUNC;
			ctx->stats.events[DECODE_EV_SNAPLEN_CUT]++;
		}
		return (0);
	}
	return (-1);
}

int
decode_ipv4(struct decode_ctx *ctx, struct decode_pkt *pkt, struct cursor *c)
{
	const uint8_t	*h = c->p;
	size_t		 hlen, total;
	uint16_t	 frag;

	if (cur_left(c) < 20)
		return (decode_event(ctx, DECODE_EV_IPV4_TRUNCATED));
	if ((h[0] >> 4) != 4)
		return (decode_event(ctx, DECODE_EV_IPV4_BAD_VERSION));
	hlen = (size_t)(h[0] & 0x0f) * 4;
	if (hlen < 20)
		return (decode_event(ctx, DECODE_EV_IPV4_BAD_HLEN));
	if (hlen > cur_left(c))
		return (decode_event(ctx, DECODE_EV_IPV4_TRUNCATED));
	total = ((size_t)h[2] << 8) | h[3];
	if (total < hlen)
		return (decode_event(ctx, DECODE_EV_IPV4_BAD_TOTAL_LEN));
	if (decode_limit(ctx, pkt, c, total) == -1)
		return (decode_event(ctx, DECODE_EV_IPV4_BAD_TOTAL_LEN));

	pkt->src.family = pkt->dst.family = 4;
	memset(pkt->src.ip, 0, sizeof pkt->src.ip);
	memset(pkt->dst.ip, 0, sizeof pkt->dst.ip);
	memcpy(pkt->src.ip, h + 12, 4);
	memcpy(pkt->dst.ip, h + 16, 4);

	(void)cur_skip(c, hlen);
	frag = (uint16_t)(((h[6] << 8) | h[7]) & 0x3fff);	/* MF + offset */
	if (frag != 0) {
		struct frag_key_in fk;

		fk.id = ((uint32_t)h[4] << 8) | h[5];
		fk.off = (uint32_t)(frag & 0x1fff) * 8;
		fk.more = (frag & 0x2000) != 0;
		fk.proto = h[9];
		return (decode_frag_add(ctx, pkt, &fk, c));
	}
	return (decode_ip_payload(ctx, pkt, h[9], c));
}

int
decode_ipv6(struct decode_ctx *ctx, struct decode_pkt *pkt, struct cursor *c)
{
	const uint8_t	*h = c->p;
	size_t		 plen;
	uint8_t		 nxt;

	if (cur_left(c) < 40)
		return (decode_event(ctx, DECODE_EV_IPV6_TRUNCATED));
	if ((h[0] >> 4) != 6)
		return (decode_event(ctx, DECODE_EV_IPV6_BAD_VERSION));
	plen = ((size_t)h[4] << 8) | h[5];
	nxt = h[6];
	pkt->src.family = pkt->dst.family = 6;
	memcpy(pkt->src.ip, h + 8, 16);
	memcpy(pkt->dst.ip, h + 24, 16);
	(void)cur_skip(c, 40);
	if (plen == 0 && nxt == 0)
		return (decode_event(ctx, DECODE_EV_IPV6_JUMBO));
	if (decode_limit(ctx, pkt, c, plen) == -1)
		return (decode_event(ctx, DECODE_EV_IPV6_TRUNCATED));

	return (decode_ipv6_ext(ctx, pkt, nxt, c));
}

/*
 * Follow the IPv6 extension-header chain from next-header NXT; C is
 * positioned at that header.
 */
int
decode_ipv6_ext(struct decode_ctx *ctx, struct decode_pkt *pkt, uint8_t nxt,
    struct cursor *c)
{
	struct frag_key_in	 fk;
	size_t			 extlen;
	uint8_t			 b[8];
	uint16_t		 off;
	int			 i;

	for (i = 0; i < IPV6_EXT_MAX; i++) {
		switch (nxt) {
		case 0:		/* hop-by-hop options */
		case 43:	/* routing */
		case 60:	/* destination options */
		case 135:	/* mobility */
			if (cur_get_bytes(c, b, 2) == -1)
				return (decode_event(ctx, DECODE_EV_IPV6_BAD_EXT));
			extlen = ((size_t)b[1] + 1) * 8;
			if (cur_skip(c, extlen - 2) == -1)
				return (decode_event(ctx, DECODE_EV_IPV6_BAD_EXT));
			nxt = b[0];
			break;
		case 51:	/* AH: length in 4-octet units, minus 2 */
			if (cur_get_bytes(c, b, 2) == -1)
				return (decode_event(ctx, DECODE_EV_IPV6_BAD_EXT));
			extlen = ((size_t)b[1] + 2) * 4;
			if (cur_skip(c, extlen - 2) == -1)
				return (decode_event(ctx, DECODE_EV_IPV6_BAD_EXT));
			nxt = b[0];
			break;
		case 44:	/* fragment */
			if (cur_get_bytes(c, b, 8) == -1)
				return (decode_event(ctx, DECODE_EV_IPV6_BAD_EXT));
			off = (uint16_t)((b[2] << 8) | b[3]);
			/* An atomic fragment (offset 0, no M) is whole. */
			if ((off & 0xfff9) == 0) {
				nxt = b[0];
				break;
			}
			fk.id = ((uint32_t)b[4] << 24) | ((uint32_t)b[5] << 16) |
			    ((uint32_t)b[6] << 8) | b[7];
			fk.off = off & 0xfff8;
			fk.more = off & 1;
			/* The first fragment's header names what follows. */
			fk.proto = fk.off == 0 ? b[0] : -1;
			return (decode_frag_add(ctx, pkt, &fk, c));
		case 59:	/* no next header */
			return (decode_event(ctx, DECODE_EV_L4_OTHER));
		default:
			return (decode_ip_payload(ctx, pkt, nxt, c));
		}
	}
	return (decode_event(ctx, DECODE_EV_IPV6_BAD_EXT));
}
