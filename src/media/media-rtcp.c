/*
 * media-rtcp.c: RTCP compound packets (RFC 3550 6, A.2; RFC 5506 reduced
 * size) and what they say about the streams: sender reports (6.4.1),
 * reception report blocks (6.4.1, 6.4.2) and XR VoIP metrics blocks (RFC
 * 3611 4.7), attached to the stream they describe.
 *
 * A report travels the other way than the stream it describes: a block
 * about SSRC X sent from B to A describes the stream X from A to B.  RTCP
 * runs on the RTP port + 1 (RFC 3550 11) or on the RTP port itself (RFC
 * 5761), so the stream is looked up with both.  Round-trip time is
 * measured where the capture sees it: the time from the sender report to
 * the receiver report that echoes it (LSR), less the receiver's delay
 * (DLSR): the capture point's clock only, no clocks compared.
 */
#include "config.h"

#include <string.h>

#include "core/cursor.h"
#include "decode/decode.h"
#include "media/media-int.h"

#define RTCP_SR		200
#define RTCP_RR		201
#define RTCP_XR		207
#define XR_VOIP_METRICS	7

/*
 * Is P (LEN bytes) an RTCP compound (RFC 3550 A.2)?  Every packet version
 * 2 with a length that fits, padding only on the last one, the lengths
 * adding up to LEN exactly.  0 or -1.
 */
static int
media_rtcp_valid(const uint8_t *p, size_t len)
{
	size_t		off = 0, plen;
	unsigned	n = 0;

	while (off < len) {
		if (len - off < 4 || (p[off] >> 6) != 2)
			return (-1);
		if (p[off + 1] < 192 || p[off + 1] > 223)
			return (-1);	/* RFC 5761 4: the RTCP range */
		plen = 4 * ((size_t)((p[off + 2] << 8) | p[off + 3]) + 1);
		if (plen > len - off)
			return (-1);
		if ((p[off] & 0x20) && off + plen != len)
			return (-1);	/* padding on a packet not last */
		off += plen;
		n++;
	}
	return (n > 0 ? 0 : -1);
}

/*
 * The RTP stream with SSRC from SRC to DST, given the addresses of an
 * RTCP packet that may use the RTP port + 1 or the RTP port itself.
 */
static struct media_stream *
media_rtcp_stream(struct media *m, const struct sw_addr *src,
    const struct sw_addr *dst, uint32_t ssrc)
{
	struct media_skey	 k;
	struct media_stream	*s;
	struct sw_addr		 a = *src, b = *dst;
	static const int	 dp[4][2] = {
		{ 0, 0 }, { 1, 1 }, { 1, 0 }, { 0, 1 }
	};
	int			 i;

	for (i = 0; i < 4; i++) {
		if ((dp[i][0] && src->port == 0) || (dp[i][1] && dst->port == 0))
			continue;
		a.port = (uint16_t)(src->port - dp[i][0]);
		b.port = (uint16_t)(dst->port - dp[i][1]);
		media_fkey_make(&k.f, &a, &b);
		k.ssrc = ssrc;
		if ((s = media_stream_find(m, &k)) != NULL && s->validated) {
			/* The first stream the compound is about names its
			 * call (media_packet_call_id()). */
			if (m->pkt_exp == NULL)
				m->pkt_exp = s->flow->assoc.exp;
			return (s);
		}
	}
	return (NULL);
}

/*
 * A compound none of whose reports named a stream of a call (APP, BYE,
 * SDES alone, reports about unknown SSRCs, RTCP before any RTP): the call
 * of the RTP flow it accompanies, the same addresses with the ports less
 * one (RFC 3550 11) or the same ports (RFC 5761), in the direction of
 * the compound; else the call that announced its destination's (then its
 * source's) RTP port, the port less one or the same.
 */
static void
media_rtcp_flow_call(struct media *m, const struct decode_pkt *pkt)
{
	struct media_fkey	 k;
	struct media_flow	*f;
	struct sw_addr		 a = pkt->src, b = pkt->dst;
	int			 i;

	for (i = 0; i < 2; i++) {
		if (i == 0 && (a.port == 0 || b.port == 0))
			continue;
		a.port = (uint16_t)(pkt->src.port - (i == 0));
		b.port = (uint16_t)(pkt->dst.port - (i == 0));
		media_fkey_make(&k, &a, &b);
		HASH_FIND_BYHASHVALUE(hh, m->flows, &k, sizeof k,
		    media_hash(&k, sizeof k), f);
		if (f != NULL && f->assoc.exp != NULL) {
			m->pkt_exp = f->assoc.exp;
			return;
		}
	}
	for (i = 0; i < 4 && m->pkt_exp == NULL; i++) {
		a = i < 2 ? pkt->dst : pkt->src;
		if (i % 2 == 0 && a.port == 0)
			continue;
		m->pkt_exp = media_exp_at(m, &a,
		    (uint16_t)(a.port - (i % 2 == 0)));
	}
}

/* A sender report's sender info (RFC 3550 6.4.1) about its own stream.
 * -1 when it is cut short. */
static int
media_rtcp_sr(struct media *m, const struct decode_pkt *pkt, uint32_t ssrc,
    struct cursor *c)
{
	struct media_stream	*s;
	uint32_t		 ntp_sec, ntp_frac, rtp_ts, npkt, noct;

	if (cur_get_be32(c, &ntp_sec) == -1 || cur_get_be32(c, &ntp_frac) == -1 ||
	    cur_get_be32(c, &rtp_ts) == -1 || cur_get_be32(c, &npkt) == -1 ||
	    cur_get_be32(c, &noct) == -1)
		return (-1);
	if ((s = media_rtcp_stream(m, &pkt->src, &pkt->dst, ssrc)) == NULL) {
		m->st.rtcp_unmatched++;
		return (0);
	}
	s->rtcp.sr++;
	s->rtcp.sr_packets = npkt;
	s->rtcp.sr_octets = noct;
	s->sr.ntp_mid[s->nsr % MEDIA_SR_KEEP] = (ntp_sec << 16) |
	    (ntp_frac >> 16);
	s->sr.seen_us[s->nsr % MEDIA_SR_KEEP] = pkt->ts_us;
	s->nsr++;
	(void)rtp_ts;
	return (0);
}

/* One reception report block (RFC 3550 6.4.1) sent by PKT's source. */
static void
media_rtcp_block(struct media *m, const struct decode_pkt *pkt,
    struct cursor *c)
{
	struct media_stream	*s;
	struct media_rtcp_info	*r;
	uint32_t		 ssrc, word, ext_max, jitter, lsr, dlsr;
	uint32_t		 dexp;
	int32_t			 cum, dlost;
	double			 pct, rtt;
	unsigned		 i;

	if (cur_get_be32(c, &ssrc) == -1 || cur_get_be32(c, &word) == -1 ||
	    cur_get_be32(c, &ext_max) == -1 || cur_get_be32(c, &jitter) == -1 ||
	    cur_get_be32(c, &lsr) == -1 || cur_get_be32(c, &dlsr) == -1)
		return;
	if ((s = media_rtcp_stream(m, &pkt->dst, &pkt->src, ssrc)) == NULL) {
		m->st.rtcp_unmatched++;
		return;
	}
	r = &s->rtcp;
	r->rr++;
	/* fraction lost: 8 bits, fixed point; cumulative: 24 bits signed */
	r->rr_fraction_lost_pct = (float)(100.0 * (word >> 24) / 256.0);
	if (r->rr_fraction_lost_pct > r->rr_fraction_lost_max_pct)
		r->rr_fraction_lost_max_pct = r->rr_fraction_lost_pct;
	cum = (int32_t)(word << 8) >> 8;
	r->rr_cum_lost = cum;
	/* The interval since the previous block: deltas, not totals. */
	if (s->rr_have) {
		dexp = ext_max - s->rr_ext_max;
		dlost = cum - s->rr_cum;
		if (dexp > 0 && dexp < 0x80000000u) {
			pct = 100.0 * (double)dlost / (double)dexp;
			if (pct > r->rr_interval_lost_max_pct)
				r->rr_interval_lost_max_pct = (float)pct;
		}
	}
	s->rr_have = 1;
	s->rr_ext_max = ext_max;
	s->rr_cum = cum;
	/* Interarrival jitter in timestamp units (A.8). */
	if (s->main_clock != 0) {
		r->rr_jitter_known = 1;
		r->rr_jitter_ms = (float)((double)jitter * 1000.0 /
		    s->main_clock);
		if (r->rr_jitter_ms > r->rr_jitter_max_ms)
			r->rr_jitter_max_ms = r->rr_jitter_ms;
	}
	/* Round trip: the SR this block echoes (LSR), seen here earlier. */
	if (lsr == 0)
		return;
	for (i = 0; i < MEDIA_SR_KEEP && i < s->nsr; i++) {
		if (s->sr.ntp_mid[i] != lsr)
			continue;
		rtt = (double)(pkt->ts_us - s->sr.seen_us[i]) / 1000.0 -
		    (double)dlsr * 1000.0 / 65536.0;
		if (rtt < 0)
			return;
		r->rtt++;
		r->rtt_ms = (float)rtt;
		if (r->rtt_ms > r->rtt_max_ms)
			r->rtt_max_ms = r->rtt_ms;
		return;
	}
}

/* An XR packet (RFC 3611 3): its VoIP metrics blocks (4.7). */
static void
media_rtcp_xr(struct media *m, const struct decode_pkt *pkt, struct cursor *c)
{
	struct media_stream	*s;
	struct media_rtcp_info	*r;
	struct cursor		 b;
	uint8_t			 bt, type_specific, v[12];
	uint16_t		 blen, rtd, esd, jbn, jbm, jba;
	uint32_t		 ssrc;

	while (cur_left(c) >= 4) {
		if (cur_get_u8(c, &bt) == -1 ||
		    cur_get_u8(c, &type_specific) == -1 ||
		    cur_get_be16(c, &blen) == -1)
			return;
		/* Block length: 32-bit words minus one, header included. */
		if ((size_t)blen * 4 > cur_left(c))
			return;
		cur_init(&b, c->p, (size_t)blen * 4);
		(void)cur_skip(c, (size_t)blen * 4);
		if (bt != XR_VOIP_METRICS || blen != 8)
			continue;
		/* SSRC, 4 rates, burst/gap durations, RTD, ESD, 8 levels. */
		if (cur_get_be32(&b, &ssrc) == -1 || cur_get_bytes(&b, v, 4) == -1 ||
		    cur_skip(&b, 4) == -1 || cur_get_be16(&b, &rtd) == -1 ||
		    cur_get_be16(&b, &esd) == -1 || cur_get_bytes(&b, v + 4, 8) == -1 ||
		    cur_skip(&b, 2) == -1 || cur_get_be16(&b, &jbn) == -1 || cur_get_be16(&b, &jbm) == -1 ||
		    cur_get_be16(&b, &jba) == -1)
			continue;
		if ((s = media_rtcp_stream(m, &pkt->dst, &pkt->src,
		    ssrc)) == NULL) {
			m->st.rtcp_unmatched++;
			continue;
		}
		r = &s->rtcp;
		r->xr++;
		r->xr_loss_pct = (float)(100.0 * v[0] / 256.0);
		r->xr_discard_pct = (float)(100.0 * v[1] / 256.0);
		r->xr_rtt_ms = rtd;
		r->xr_esd_ms = esd;
		/* v+4: signal, noise, RERL, Gmin, R, ext R, MOS-LQ, MOS-CQ */
		r->xr_r_factor = v[8];
		r->xr_mos_lq = v[10] == 127 ? 0 : (float)(v[10] / 10.0);
		r->xr_mos_cq = v[11] == 127 ? 0 : (float)(v[11] / 10.0);
		r->xr_jb_nominal_ms = jbn;
		r->xr_jb_max_ms = jbm;
		(void)jba;
		(void)type_specific;
	}
}

int
media_rtcp_packet(struct media *m, const struct decode_pkt *pkt)
{
	struct cursor	 body;
	const uint8_t	*p = pkt->payload;
	size_t		 off = 0, plen;
	uint8_t		 b0, pt;
	uint32_t	 ssrc;
	unsigned	 rc, i;

	m->pkt_exp = NULL;
	if (media_rtcp_valid(p, pkt->len) == -1)
		return (-1);
	while (off < pkt->len) {
		b0 = p[off];
		pt = p[off + 1];
		plen = 4 * ((size_t)((p[off + 2] << 8) | p[off + 3]) + 1);
		/* Padding counts in the length; leave it out of the body. */
		if ((b0 & 0x20) && p[off + plen - 1] <= plen - 4)
			cur_init(&body, p + off + 4, plen - 4 - p[off + plen - 1]);
		else
			cur_init(&body, p + off + 4, plen - 4);
		off += plen;
		rc = b0 & 0x1f;
		if (pt != RTCP_SR && pt != RTCP_RR && pt != RTCP_XR)
			continue;
		if (cur_get_be32(&body, &ssrc) == -1)
			continue;
		if (pt == RTCP_XR) {
			media_rtcp_xr(m, pkt, &body);
			continue;
		}
		if (pt == RTCP_SR && media_rtcp_sr(m, pkt, ssrc, &body) == -1)
			continue;
		/* A receiver report's sender: its own RTP stream, if it sends
		 * one, ties the compound to a call. */
		if (pt == RTCP_RR && m->pkt_exp == NULL)
			(void)media_rtcp_stream(m, &pkt->src, &pkt->dst, ssrc);
		for (i = 0; i < rc && cur_left(&body) >= 24; i++)
			media_rtcp_block(m, pkt, &body);
	}
	if (m->pkt_exp == NULL)
		media_rtcp_flow_call(m, pkt);
	return (0);
}
