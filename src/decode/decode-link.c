/*
 * decode-link.c: link layers (Ethernet, 802.1Q/QinQ, Linux SLL and SLL2,
 * BSD loopback/NULL, raw IP, PPP) and the decode context.
 */
#include "config.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "decode/decode-int.h"

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2	276
#endif
#ifndef DLT_IPV4
#define DLT_IPV4	228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6	229
#endif
#define LINKTYPE_RAW	101

#define ETHERTYPE_IPV4		0x0800
#define ETHERTYPE_IPV6		0x86dd
#define ETHERTYPE_VLAN		0x8100
#define ETHERTYPE_QINQ		0x88a8
#define ETHERTYPE_QINQ_OLD	0x9100
#define ETHERTYPE_MPLS		0x8847
#define ETHERTYPE_MPLS_MC	0x8848
#define ETHERTYPE_PPPOE_DISC	0x8863
#define ETHERTYPE_PPPOE_SESS	0x8864
#define VLAN_MAX_DEPTH		4

static const struct {
	const char	*name;
	const char	*text;
	int		 error;
} decode_events[DECODE_EV_COUNT] = {
	[DECODE_EV_LINK_UNSUPPORTED] = { "decode.link.unsupported",
	    "link type not supported", 1 },
	[DECODE_EV_ETH_TRUNCATED] = { "decode.eth.truncated",
	    "Ethernet header cut short", 1 },
	[DECODE_EV_VLAN_TRUNCATED] = { "decode.vlan.truncated",
	    "802.1Q tag cut short", 1 },
	[DECODE_EV_VLAN_TOO_DEEP] = { "decode.vlan.too_deep",
	    "more than 4 stacked VLAN tags", 1 },
	[DECODE_EV_SLL_TRUNCATED] = { "decode.sll.truncated",
	    "Linux cooked (SLL) header cut short", 1 },
	[DECODE_EV_SLL2_TRUNCATED] = { "decode.sll2.truncated",
	    "Linux cooked v2 (SLL2) header cut short", 1 },
	[DECODE_EV_NULL_TRUNCATED] = { "decode.null.truncated",
	    "loopback header cut short", 1 },
	[DECODE_EV_NULL_UNKNOWN_FAMILY] = { "decode.null.unknown_family",
	    "loopback frame of an address family other than IP", 0 },
	[DECODE_EV_NOT_IP] = { "decode.l3.not_ip",
	    "not an IP packet (ARP, LLDP, ...)", 0 },
	[DECODE_EV_IPV4_TRUNCATED] = { "decode.ipv4.truncated",
	    "IPv4 header cut short", 1 },
	[DECODE_EV_IPV4_BAD_VERSION] = { "decode.ipv4.bad_version",
	    "IPv4 ethertype but IP version is not 4", 1 },
	[DECODE_EV_IPV4_BAD_HLEN] = { "decode.ipv4.bad_hlen",
	    "IPv4 header length below 20 bytes or beyond the packet", 1 },
	[DECODE_EV_IPV4_BAD_TOTAL_LEN] = { "decode.ipv4.bad_total_len",
	    "IPv4 total length smaller than its header", 1 },
	[DECODE_EV_IPV4_FRAGMENT] = { "decode.ipv4.fragment",
	    "IPv4 fragment held for reassembly", 0 },
	[DECODE_EV_IPV6_TRUNCATED] = { "decode.ipv6.truncated",
	    "IPv6 header cut short", 1 },
	[DECODE_EV_IPV6_BAD_VERSION] = { "decode.ipv6.bad_version",
	    "IPv6 ethertype but IP version is not 6", 1 },
	[DECODE_EV_IPV6_BAD_EXT] = { "decode.ipv6.bad_ext",
	    "IPv6 extension header cut short or too many", 1 },
	[DECODE_EV_IPV6_JUMBO] = { "decode.ipv6.jumbo",
	    "IPv6 jumbogram (payload length 0)", 1 },
	[DECODE_EV_IPV6_FRAGMENT] = { "decode.ipv6.fragment",
	    "IPv6 fragment held for reassembly", 0 },
	[DECODE_EV_IP_ENCRYPTED] = { "decode.ip.encrypted",
	    "IPsec ESP: encrypted, not decoded", 0 },
	[DECODE_EV_L4_OTHER] = { "decode.l4.other",
	    "IP protocol other than UDP/TCP/SCTP, or a TCP segment without data", 0 },
	[DECODE_EV_UDP_TRUNCATED] = { "decode.udp.truncated",
	    "UDP header cut short", 1 },
	[DECODE_EV_UDP_BAD_LEN] = { "decode.udp.bad_len",
	    "UDP length field below 8 or beyond the IP payload", 1 },
	[DECODE_EV_UDP_EMPTY] = { "decode.udp.empty",
	    "zero-length UDP payload", 0 },
	[DECODE_EV_TCP_TRUNCATED] = { "decode.tcp.truncated",
	    "TCP header cut short", 1 },
	[DECODE_EV_TCP_BAD_HLEN] = { "decode.tcp.bad_hlen",
	    "TCP data offset below 20 bytes or beyond the segment", 1 },
	[DECODE_EV_TCP_NOT_DECODED] = { "decode.tcp.not_decoded",
	    "TCP segment of a stream that is not SIP (decided on its first bytes)", 0 },
	[DECODE_EV_SNAPLEN_CUT] = { "decode.snaplen_cut",
	    "frame cut by the capture snap length before the payload ended", 1 },
	[DECODE_EV_FRAG_REASSEMBLED] = { "decode.ipfrag.reassembled",
	    "IP datagram rebuilt from its fragments", 0 },
	[DECODE_EV_FRAG_DUPLICATE] = { "decode.ipfrag.duplicate",
	    "IP fragment seen twice (same range, same bytes): ignored", 0 },
	[DECODE_EV_FRAG_OVERLAP] = { "decode.ipfrag.overlap",
	    "IP fragments overlap with different data: datagram dropped", 1 },
	[DECODE_EV_FRAG_INVALID] = { "decode.ipfrag.invalid",
	    "IP fragment of bad length, beyond 65535 bytes or too many pieces", 1 },
	[DECODE_EV_FRAG_TIMEOUT] = { "decode.ipfrag.timeout",
	    "IP datagram incomplete 30 s after its first fragment: dropped", 1 },
	[DECODE_EV_FRAG_EVICTED] = { "decode.ipfrag.evicted",
	    "IP datagram dropped to stay within the reassembly memory cap", 1 },
	[DECODE_EV_TCP_PARTIAL] = { "decode.tcp.partial",
	    "TCP data held until the rest of its SIP message arrives", 0 },
	[DECODE_EV_TCP_MIDSTREAM] = { "decode.tcp.midstream",
	    "TCP stream joined after its start (no SYN seen): resynchronised on a SIP start line", 0 },
	[DECODE_EV_TCP_OUT_OF_ORDER] = { "decode.tcp.out_of_order",
	    "TCP segment ahead of the stream, held until the bytes before it arrive", 0 },
	[DECODE_EV_TCP_RETRANSMISSION] = { "decode.tcp.retransmission",
	    "TCP segment whose bytes were all seen before: ignored", 0 },
	[DECODE_EV_TCP_OVERLAP] = { "decode.tcp.overlap",
	    "TCP segment partly overlapping bytes already held or seen: first copy kept", 0 },
	[DECODE_EV_TCP_OVERLAP_CONFLICT] = { "decode.tcp.overlap_conflict",
	    "TCP segments overlap with different bytes: first copy kept", 1 },
	[DECODE_EV_TCP_GAP] = { "decode.tcp.gap",
	    "TCP bytes missing from the capture: skipped to the next SIP message", 1 },
	[DECODE_EV_TCP_TIMEOUT] = { "decode.tcp.timeout",
	    "TCP stream idle 60 s with bytes still held: dropped", 1 },
	[DECODE_EV_TCP_EVICTED] = { "decode.tcp.evicted",
	    "TCP stream dropped to stay within the stream count or memory cap", 1 },
	[DECODE_EV_TCP_BUFFER_FULL] = { "decode.tcp.buffer_full",
	    "TCP stream held too many bytes out of order: the hole was skipped", 1 },
	[DECODE_EV_TCP_CLOSED_PARTIAL] = { "decode.tcp.closed_partial",
	    "TCP connection closed (FIN, RST) with a message unfinished: dropped", 1 },
	[DECODE_EV_TCP_SIP_NO_CLEN] = { "decode.tcp.sip_no_content_length",
	    "SIP message over a stream without Content-Length (RFC 3261 18.3)", 1 },
	[DECODE_EV_TCP_SIP_RESYNC] = { "decode.tcp.sip_resync",
	    "bytes that are not SIP between messages of a SIP stream: skipped to the next start line", 1 },
	[DECODE_EV_TCP_SIP_TOO_LARGE] = { "decode.tcp.sip_too_large",
	    "SIP message over a stream larger than 256 KiB, or headers over 64 KiB: cut", 1 },
	[DECODE_EV_TLS_ENCRYPTED] = { "decode.tls.encrypted",
	    "TLS record: encrypted, not decoded", 0 },
	[DECODE_EV_WS_CONTROL] = { "decode.ws.control",
	    "WebSocket control frame (ping, pong, close)", 0 },
	[DECODE_EV_WS_BAD_FRAME] = { "decode.ws.bad_frame",
	    "malformed WebSocket frame (RFC 6455 5.2): stream given up", 1 },
	[DECODE_EV_WS_COMPRESSED] = { "decode.ws.compressed",
	    "compressed WebSocket message (RSV1, RFC 7692): not decoded", 0 },
	[DECODE_EV_WS_TOO_LARGE] = { "decode.ws.too_large",
	    "WebSocket message larger than 256 KiB: skipped", 1 },
	[DECODE_EV_GRE_TRUNCATED] = { "decode.gre.truncated",
	    "GRE header cut short", 1 },
	[DECODE_EV_GRE_UNSUPPORTED] = { "decode.gre.unsupported",
	    "GRE version, routing or payload type not decoded (WCCP redirection, ...)", 0 },
	[DECODE_EV_ERSPAN_TRUNCATED] = { "decode.erspan.truncated",
	    "ERSPAN header cut short or of an unknown version", 1 },
	[DECODE_EV_VXLAN_TRUNCATED] = { "decode.vxlan.truncated",
	    "VXLAN header cut short", 1 },
	[DECODE_EV_MPLS_TRUNCATED] = { "decode.mpls.truncated",
	    "MPLS label stack cut short, too deep, or unknown payload", 1 },
	[DECODE_EV_ENCAP_TOO_DEEP] = { "decode.encap.too_deep",
	    "more than 8 nested tunnels", 1 },
	[DECODE_EV_SCTP_TRUNCATED] = { "decode.sctp.truncated",
	    "SCTP common header cut short", 1 },
	[DECODE_EV_SCTP_BAD_CHUNK] = { "decode.sctp.bad_chunk",
	    "SCTP chunk length below 4 or beyond the packet", 1 },
	[DECODE_EV_SCTP_FRAGMENTED] = { "decode.sctp.fragmented",
	    "SCTP DATA chunk carrying part of a user message: held for reassembly", 0 },
	[DECODE_EV_SCTP_NO_DATA] = { "decode.sctp.no_data",
	    "SCTP packet without DATA chunks (INIT, SACK, HEARTBEAT ...)", 0 },
	[DECODE_EV_PPP_TRUNCATED] = { "decode.ppp.truncated",
	    "PPP header cut short", 1 },
	[DECODE_EV_PPP_NOT_IP] = { "decode.ppp.not_ip",
	    "PPP frame carrying neither IPv4 nor IPv6 (LCP, IPCP, authentication, ...)", 0 },
	[DECODE_EV_PPP_COMPRESSED] = { "decode.ppp.compressed",
	    "PPP datagram compressed or encrypted (CCP, MPPE, Van Jacobson): not decoded", 0 },
	[DECODE_EV_PPPOE_TRUNCATED] = { "decode.pppoe.truncated",
	    "PPPoE session header cut short, or its length beyond the frame", 1 },
	[DECODE_EV_PPPOE_BAD_HEADER] = { "decode.pppoe.bad_header",
	    "PPPoE session header whose version, type or code is not 1, 1, 0", 1 },
	[DECODE_EV_PPPOE_DISCOVERY] = { "decode.pppoe.discovery",
	    "PPPoE discovery (PADI, PADO, PADR, PADS, PADT): no data", 0 },
	[DECODE_EV_GRE_ACK_ONLY] = { "decode.gre.ack_only",
	    "enhanced GRE (PPTP) packet without payload: an acknowledgement", 0 },
	[DECODE_EV_GTP_TRUNCATED] = { "decode.gtp.truncated",
	    "GTP-U header cut short, or its length beyond the datagram", 1 },
	[DECODE_EV_GTP_BAD_EXT] = { "decode.gtp.bad_ext",
	    "GTP-U extension header of length 0, beyond the packet, or more than 16", 1 },
	[DECODE_EV_GTP_SIGNALLING] = { "decode.gtp.signalling",
	    "GTP-U message other than a G-PDU (echo, error indication, end marker)", 0 },
	[DECODE_EV_GTP_NOT_IP] = { "decode.gtp.not_ip",
	    "GTP-U G-PDU carrying neither IPv4 nor IPv6 (Ethernet or unstructured PDU)", 0 },
	[DECODE_EV_SCTP_REASSEMBLED] = { "decode.sctp.reassembled",
	    "SCTP user message rebuilt from several DATA chunks", 0 },
	[DECODE_EV_SCTP_DUPLICATE] = { "decode.sctp.duplicate",
	    "SCTP DATA chunk of a split message seen before (retransmission): ignored", 0 },
	[DECODE_EV_SCTP_CONFLICT] = { "decode.sctp.conflict",
	    "SCTP DATA chunk seen twice with different bytes: first copy kept", 1 },
	[DECODE_EV_SCTP_TIMEOUT] = { "decode.sctp.timeout",
	    "SCTP user message incomplete 30 s after its first chunk: dropped", 1 },
	[DECODE_EV_SCTP_EVICTED] = { "decode.sctp.evicted",
	    "SCTP user message dropped to stay within the reassembly caps", 1 },
	[DECODE_EV_SCTP_TOO_LARGE] = { "decode.sctp.too_large",
	    "SCTP user message over 256 KiB or 256 chunks: dropped", 1 },
	[DECODE_EV_SCTP_INCOMPLETE] = { "decode.sctp.incomplete",
	    "SCTP user message still missing a chunk at the end of the input: dropped", 1 },
};

const char *
decode_event_name(enum decode_event ev)
{
	if ((unsigned)ev >= DECODE_EV_COUNT)
		return ("decode.unknown");
	return (decode_events[ev].name);
}

const char *
decode_event_text(enum decode_event ev)
{
	if ((unsigned)ev >= DECODE_EV_COUNT)
		return ("unknown decode event");
	return (decode_events[ev].text);
}

int
decode_event_is_error(enum decode_event ev)
{
	if ((unsigned)ev >= DECODE_EV_COUNT)
		return (1);
	return (decode_events[ev].error);
}

const char *
decode_transport_name(enum decode_transport tp)
{
	static const char *names[DECODE_TP_COUNT] = {
		[DECODE_TP_UDP] = "UDP", [DECODE_TP_TCP] = "TCP",
		[DECODE_TP_SCTP] = "SCTP", [DECODE_TP_TLS] = "TLS",
		[DECODE_TP_WS] = "WS",
	};

	if ((unsigned)tp >= DECODE_TP_COUNT)
		return ("?");
	return (names[tp]);
}

struct decode_ctx *
decode_create(void)
{
	return (xcalloc(1, sizeof(struct decode_ctx)));
}

void
decode_destroy(struct decode_ctx *ctx)
{
	if (ctx == NULL)
		return;
	decode_frag_destroy(ctx);
	decode_tcp_destroy(ctx);
	decode_sctp_reasm_destroy(ctx);
	free(ctx);
}

void
decode_flush(struct decode_ctx *ctx, int64_t ts_us,
    decode_deliver_fn *deliver, void *arg)
{
	ctx->deliver = deliver;
	ctx->arg = arg;
	decode_tcp_flush(ctx, ts_us);
	decode_sctp_reasm_flush(ctx);
}

const struct decode_stats *
decode_stats(const struct decode_ctx *ctx)
{
	return (&ctx->stats);
}

int
decode_dlt_supported(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB:
	case DLT_LINUX_SLL:
	case DLT_LINUX_SLL2:
	case DLT_NULL:
	case DLT_LOOP:
	case DLT_RAW:
	case LINKTYPE_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
	case DLT_PPP:
	case DLT_PPP_SERIAL:
	case DLT_PPP_ETHER:
		return (1);
	}
	return (0);
}

/*
 * Dispatch on ETHERTYPE (host order), peeling up to VLAN_MAX_DEPTH 802.1Q,
 * 802.1ad (and the older 0x9100) tags first; the first two VLAN ids are
 * kept in PKT.  C is after the ethertype field.
 */
int
decode_ethertype(struct decode_ctx *ctx, struct decode_pkt *pkt,
    uint16_t ethertype, struct cursor *c)
{
	uint16_t	tci;
	int		depth = 0;

	while (ethertype == ETHERTYPE_VLAN || ethertype == ETHERTYPE_QINQ ||
	    ethertype == ETHERTYPE_QINQ_OLD) {
		if (++depth > VLAN_MAX_DEPTH)
			return (decode_event(ctx, DECODE_EV_VLAN_TOO_DEEP));
		if (cur_get_be16(c, &tci) == -1 ||
		    cur_get_be16(c, &ethertype) == -1)
			return (decode_event(ctx, DECODE_EV_VLAN_TRUNCATED));
		if (pkt->nvlan < 2)
			pkt->vlan[pkt->nvlan++] = tci & 0x0fff;
	}
	switch (ethertype) {
	case ETHERTYPE_IPV4:
		return (decode_ipv4(ctx, pkt, c));
	case ETHERTYPE_IPV6:
		return (decode_ipv6(ctx, pkt, c));
	case ETHERTYPE_MPLS:
	case ETHERTYPE_MPLS_MC:
		return (decode_mpls(ctx, pkt, c));
	case ETHERTYPE_PPPOE_SESS:
		return (decode_pppoe(ctx, pkt, c, 0));
	case ETHERTYPE_PPPOE_DISC:
		return (decode_event(ctx, DECODE_EV_PPPOE_DISCOVERY));
	}
	return (decode_event(ctx, DECODE_EV_NOT_IP));
}

/*
 * An IP packet whose version nibble picks the decoder (raw IP link types,
 * GTP-U, MPLS): C at its first byte.  EMPTY is the event when there is no
 * byte, OTHER when the version is neither 4 nor 6.
 */
int
decode_ip_any(struct decode_ctx *ctx, struct decode_pkt *pkt, struct cursor *c,
    enum decode_event empty, enum decode_event other)
{
	int	b;

	if ((b = cur_peek(c, 0)) == -1)
		return (decode_event(ctx, empty));
	if ((b >> 4) == 6)
		return (decode_ipv6(ctx, pkt, c));
	if ((b >> 4) == 4)
		return (decode_ipv4(ctx, pkt, c));
	return (decode_event(ctx, other));
}

/*
 * BSD loopback: a 4-byte address family, in the writer's byte order for
 * DLT_NULL and network order for DLT_LOOP.  Either order is accepted (a
 * family is below 65536: when the first two bytes are zero the value is
 * big-endian, else little-endian); the IPv6 value differs between
 * systems (10 Linux, 24 NetBSD/OpenBSD, 28 FreeBSD, 30 Darwin).
 */
static int
decode_null(struct decode_ctx *ctx, struct decode_pkt *pkt, struct cursor *c)
{
	struct cursor	le = *c;
	uint16_t	hi, lo, le_lo;

	if (cur_get_be16(c, &hi) == -1 || cur_get_be16(c, &lo) == -1 ||
	    cur_get_le16(&le, &le_lo) == -1)
		return (decode_event(ctx, DECODE_EV_NULL_TRUNCATED));
	switch (hi == 0 ? lo : le_lo) {
	case 2:
		return (decode_ipv4(ctx, pkt, c));
	case 10:
	case 24:
	case 28:
	case 30:
		return (decode_ipv6(ctx, pkt, c));
	}
	return (decode_event(ctx, DECODE_EV_NULL_UNKNOWN_FAMILY));
}

int
decode_frame(struct decode_ctx *ctx, int dlt, int64_t ts_us,
    const uint8_t *frame, size_t caplen, size_t wirelen,
    decode_deliver_fn *deliver, void *arg)
{
	struct decode_pkt	pkt;
	struct cursor		c;
	uint16_t		ethertype;

	memset(&pkt, 0, sizeof pkt);
	pkt.ts_us = ts_us;
	pkt.dlt = dlt;
	pkt.frame = frame;
	pkt.caplen = caplen;
	pkt.wirelen = wirelen < caplen ? caplen : wirelen;
	ctx->deliver = deliver;
	ctx->arg = arg;
	cur_init(&c, frame, caplen);

	switch (dlt) {
	case DLT_EN10MB:
		if (cur_skip(&c, 12) == -1 || cur_get_be16(&c, &ethertype) == -1)
			return (decode_event(ctx, DECODE_EV_ETH_TRUNCATED));
		return (decode_ethertype(ctx, &pkt, ethertype, &c));
	case DLT_LINUX_SLL:
		/* pkttype, hatype, halen, 8 address bytes, protocol */
		if (cur_skip(&c, 14) == -1 || cur_get_be16(&c, &ethertype) == -1)
			return (decode_event(ctx, DECODE_EV_SLL_TRUNCATED));
		return (decode_ethertype(ctx, &pkt, ethertype, &c));
	case DLT_LINUX_SLL2:
		/* protocol, reserved, ifindex, hatype, pkttype, halen, address */
		if (cur_get_be16(&c, &ethertype) == -1 || cur_skip(&c, 18) == -1)
			return (decode_event(ctx, DECODE_EV_SLL2_TRUNCATED));
		return (decode_ethertype(ctx, &pkt, ethertype, &c));
	case DLT_NULL:
	case DLT_LOOP:
		return (decode_null(ctx, &pkt, &c));
	case DLT_RAW:
	case LINKTYPE_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		return (decode_ip_any(ctx, &pkt, &c, DECODE_EV_IPV4_TRUNCATED,
		    DECODE_EV_NOT_IP));
	case DLT_PPP:
	case DLT_PPP_SERIAL:
		/* PPP, with or without the HDLC-like address and control. */
		return (decode_ppp(ctx, &pkt, &c));
	case DLT_PPP_ETHER:
		/* A PPPoE header without the Ethernet header. */
		return (decode_pppoe(ctx, &pkt, &c, 1));
	}
	return (decode_event(ctx, DECODE_EV_LINK_UNSUPPORTED));
}
