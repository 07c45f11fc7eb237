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

/*
 * Dispatch on the IP protocol number PROTO; C covers the upper-layer
 * packet (RFC 791 3.1 protocol, RFC 8200 3 next header).  IP-in-IP (4, 41)
 * counts one tunnel level; ESP (50) cannot be read.
 */
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
	if (cur_limit(c, len) == 0)
		return (0);
	if (pkt->caplen < pkt->wirelen) {
		if (!(pkt->flags & DECODE_F_TRUNC)) {
			pkt->flags |= DECODE_F_TRUNC;
			ctx->stats.events[DECODE_EV_SNAPLEN_CUT]++;
		}
		return (0);
	}
	return (-1);
}

/*
 * IPv4 header (RFC 791 3.1); C at it.  Sets PKT's addresses, limits C to
 * the total length, skips the options, then hands a fragment (MF set or
 * offset not 0) to the reassembler and anything else to
 * decode_ip_payload().
 */
int
decode_ipv4(struct decode_ctx *ctx, struct decode_pkt *pkt, struct cursor *c)
{
	struct cursor	h = *c;		/* the fixed header, read from a copy */
	uint8_t		vhl, proto, src[4], dst[4];
	uint16_t	total, id, frag;
	size_t		hlen;

	/*
	 * Version and IHL, type of service, total length, identification,
	 * flags and fragment offset, time to live, protocol, checksum,
	 * source and destination.  H limited to those 20 bytes first: one
	 * bounds check, which makes the compiler drop the others.
	 */
	if (cur_limit(&h, 20) == -1 ||
	    cur_get_u8(&h, &vhl) == -1 || cur_skip(&h, 1) == -1 ||
	    cur_get_be16(&h, &total) == -1 || cur_get_be16(&h, &id) == -1 ||
	    cur_get_be16(&h, &frag) == -1 || cur_skip(&h, 1) == -1 ||
	    cur_get_u8(&h, &proto) == -1 || cur_skip(&h, 2) == -1 ||
	    cur_get_bytes(&h, src, sizeof src) == -1 ||
	    cur_get_bytes(&h, dst, sizeof dst) == -1)
		return (decode_event(ctx, DECODE_EV_IPV4_TRUNCATED));
	if ((vhl >> 4) != 4)
		return (decode_event(ctx, DECODE_EV_IPV4_BAD_VERSION));
	hlen = (size_t)(vhl & 0x0f) * 4;
	if (hlen < 20)
		return (decode_event(ctx, DECODE_EV_IPV4_BAD_HLEN));
	if (hlen > cur_left(c))
		return (decode_event(ctx, DECODE_EV_IPV4_TRUNCATED));
	if (total < hlen)
		return (decode_event(ctx, DECODE_EV_IPV4_BAD_TOTAL_LEN));
	if (decode_limit(ctx, pkt, c, total) == -1)
		return (decode_event(ctx, DECODE_EV_IPV4_BAD_TOTAL_LEN));

	pkt->src.family = pkt->dst.family = 4;
	memset(pkt->src.ip, 0, sizeof pkt->src.ip);
	memset(pkt->dst.ip, 0, sizeof pkt->dst.ip);
	memcpy(pkt->src.ip, src, sizeof src);
	memcpy(pkt->dst.ip, dst, sizeof dst);

	/* HLEN is within both the total length and the captured bytes. */
	(void)cur_skip(c, hlen);
	frag &= 0x3fff;		/* MF + offset */
	if (frag != 0) {
		struct frag_key_in fk;

		fk.id = id;
		fk.off = (uint32_t)(frag & 0x1fff) * 8;
		fk.more = (frag & 0x2000) != 0;
		fk.proto = proto;
		return (decode_frag_add(ctx, pkt, &fk, c));
	}
	return (decode_ip_payload(ctx, pkt, proto, c));
}

/*
 * IPv6 header (RFC 8200 3); C at it.  Sets PKT's addresses, limits C to
 * the payload length (a jumbogram, RFC 2675, is refused), then follows the
 * extension headers.
 */
int
decode_ipv6(struct decode_ctx *ctx, struct decode_pkt *pkt, struct cursor *c)
{
	uint32_t	vtf;
	uint16_t	plen;
	uint8_t		nxt;

	if (cur_left(c) < 40)
		return (decode_event(ctx, DECODE_EV_IPV6_TRUNCATED));
	/*
	 * Version, traffic class and flow label, payload length, next
	 * header, hop limit, source and destination.
	 */
	if (cur_get_be32(c, &vtf) == -1 || cur_get_be16(c, &plen) == -1 ||
	    cur_get_u8(c, &nxt) == -1 || cur_skip(c, 1) == -1)
		return (decode_event(ctx, DECODE_EV_IPV6_TRUNCATED));
	if ((vtf >> 28) != 6)
		return (decode_event(ctx, DECODE_EV_IPV6_BAD_VERSION));
	pkt->src.family = pkt->dst.family = 6;
	if (cur_get_bytes(c, pkt->src.ip, 16) == -1 ||
	    cur_get_bytes(c, pkt->dst.ip, 16) == -1)
		return (decode_event(ctx, DECODE_EV_IPV6_TRUNCATED));
	if (plen == 0 && nxt == 0)
		return (decode_event(ctx, DECODE_EV_IPV6_JUMBO));
	if (decode_limit(ctx, pkt, c, plen) == -1)
		return (decode_event(ctx, DECODE_EV_IPV6_TRUNCATED));

	return (decode_ipv6_ext(ctx, pkt, nxt, c));
}

/*
 * Follow the IPv6 extension-header chain (RFC 8200 4) from next header
 * NXT, C at that header, for at most IPV6_EXT_MAX headers: hop-by-hop,
 * routing, destination options and mobility (length in 8-octet units,
 * not counting the first), AH (RFC 4302 2.2: 4-octet units, minus 2) are
 * skipped; a fragment header (4.5) that is not atomic goes to the
 * reassembler; anything else is the upper-layer header.
 */
int
decode_ipv6_ext(struct decode_ctx *ctx, struct decode_pkt *pkt, uint8_t nxt,
    struct cursor *c)
{
	struct frag_key_in	 fk;
	size_t			 extlen;
	uint8_t			 next, len;
	uint16_t		 off;
	int			 i;

	for (i = 0; i < IPV6_EXT_MAX; i++) {
		switch (nxt) {
		case 0:		/* hop-by-hop options */
		case 43:	/* routing */
		case 60:	/* destination options */
		case 135:	/* mobility */
			if (cur_get_u8(c, &next) == -1 ||
			    cur_get_u8(c, &len) == -1)
				goto bad;
			extlen = ((size_t)len + 1) * 8;
			if (cur_skip(c, extlen - 2) == -1)
				goto bad;
			nxt = next;
			break;
		case 51:	/* AH: length in 4-octet units, minus 2 */
			if (cur_get_u8(c, &next) == -1 ||
			    cur_get_u8(c, &len) == -1)
				goto bad;
			extlen = ((size_t)len + 2) * 4;
			if (cur_skip(c, extlen - 2) == -1)
				goto bad;
			nxt = next;
			break;
		case 44:	/* fragment */
			/* next header, reserved, offset and flags, id */
			if (cur_get_u8(c, &next) == -1 ||
			    cur_skip(c, 1) == -1 ||
			    cur_get_be16(c, &off) == -1 ||
			    cur_get_be32(c, &fk.id) == -1)
				goto bad;
			/* An atomic fragment (offset 0, no M) is whole. */
			if ((off & 0xfff9) == 0) {
				nxt = next;
				break;
			}
			fk.off = off & 0xfff8;
			fk.more = off & 1;
			/* The first fragment's header names what follows. */
			fk.proto = fk.off == 0 ? next : -1;
			return (decode_frag_add(ctx, pkt, &fk, c));
		case 59:	/* no next header */
			return (decode_event(ctx, DECODE_EV_L4_OTHER));
		default:
			return (decode_ip_payload(ctx, pkt, nxt, c));
		}
	}
bad:
	/* Cut short, or more than IPV6_EXT_MAX headers. */
	return (decode_event(ctx, DECODE_EV_IPV6_BAD_EXT));
}
