/*
 * hep-rtcp.c: an RTCP compound (RFC 3550 6.4, RFC 3611 4.7) as the JSON
 * payload HOMER's agents send with HEP protocol type 5 (heplify's and
 * captagent's field names), so that HOMER shows sipwatch's RTCP beside
 * theirs.  Every read of the packet goes through a bounds-checked cursor.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/cursor.h"
#include "core/json.h"
#include "hep/hep.h"

#define RTCP_SR		200
#define RTCP_RR		201
#define RTCP_SDES	202
#define RTCP_XR		207
#define XR_VOIP_METRICS	7

/* Report blocks (RFC 3550 6.4.1) from C, at most COUNT, into ARR. */
static void
hep_rtcp_blocks(struct cursor *c, unsigned count, json_t *arr)
{
	json_t		*b;
	uint32_t	 ssrc, word, ext_max, jitter, lsr, dlsr;
	unsigned	 i;

	for (i = 0; i < count; i++) {
		if (cur_get_be32(c, &ssrc) == -1 ||
		    cur_get_be32(c, &word) == -1 ||
		    cur_get_be32(c, &ext_max) == -1 ||
		    cur_get_be32(c, &jitter) == -1 ||
		    cur_get_be32(c, &lsr) == -1 || cur_get_be32(c, &dlsr) == -1)
			return;
		b = json_object();
		sw_json_set(b, "source_ssrc", json_integer(ssrc));
		sw_json_set(b, "fraction_lost", json_integer(word >> 24));
		/* 24 bits, signed (RFC 3550 6.4.1) */
		sw_json_set(b, "packets_lost",
		    json_integer((int32_t)(word << 8) >> 8));
		sw_json_set(b, "highest_seq_no", json_integer(ext_max));
		sw_json_set(b, "ia_jitter", json_integer(jitter));
		sw_json_set(b, "lsr", json_integer(lsr));
		sw_json_set(b, "dlsr", json_integer(dlsr));
		if (json_array_append_new(arr, b) != 0)
			abort();
	}
}

/* The first VoIP metrics block (RFC 3611 4.7) of an XR body C into XR.
 * 0 when one was found. */
static int
hep_rtcp_xr(struct cursor *c, json_t *xr)
{
	struct cursor	b;
	uint8_t		bt, ts, v[4];
	uint16_t	blen, burst, gap, rtd, esd;
	uint32_t	id;

	while (cur_left(c) >= 4) {
		if (cur_get_u8(c, &bt) == -1 || cur_get_u8(c, &ts) == -1 ||
		    cur_get_be16(c, &blen) == -1 ||
		    (size_t)blen * 4 > cur_left(c))
			return (-1);
		cur_init(&b, c->p, (size_t)blen * 4);
		(void)cur_skip(c, (size_t)blen * 4);
		if (bt != XR_VOIP_METRICS || blen != 8)
			continue;
		if (cur_get_be32(&b, &id) == -1 || cur_get_bytes(&b, v, 4) == -1 ||
		    cur_get_be16(&b, &burst) == -1 ||
		    cur_get_be16(&b, &gap) == -1 ||
		    cur_get_be16(&b, &rtd) == -1 || cur_get_be16(&b, &esd) == -1)
			continue;
		sw_json_set(xr, "type", json_integer(bt));
		sw_json_set(xr, "id", json_integer(id));
		sw_json_set(xr, "fraction_lost", json_integer(v[0]));
		sw_json_set(xr, "fraction_discard", json_integer(v[1]));
		sw_json_set(xr, "burst_density", json_integer(v[2]));
		sw_json_set(xr, "gap_density", json_integer(v[3]));
		sw_json_set(xr, "burst_duration", json_integer(burst));
		sw_json_set(xr, "gap_duration", json_integer(gap));
		sw_json_set(xr, "round_trip_delay", json_integer(rtd));
		sw_json_set(xr, "end_system_delay", json_integer(esd));
		return (0);
	}
	return (-1);
}

char *
hep_rtcp_json(const uint8_t *p, size_t len)
{
	struct cursor	 c, body;
	json_t		*o, *si, *blocks, *xr;
	uint32_t	 ssrc, w[5];
	uint16_t	 plen;
	uint8_t		 b0, pt;
	char		*text = NULL;
	int		 have = 0, have_xr = 0, have_sdes = 0;
	unsigned	 i;

	o = json_object();
	si = json_object();
	blocks = json_array();
	xr = json_object();
	if (o == NULL || si == NULL || blocks == NULL || xr == NULL)
		abort();
	cur_init(&c, p, len);
	while (cur_left(&c) >= 4) {
		if (cur_get_u8(&c, &b0) == -1 || cur_get_u8(&c, &pt) == -1 ||
		    cur_get_be16(&c, &plen) == -1 || (b0 >> 6) != 2 ||
		    (size_t)plen * 4 > cur_left(&c))
			break;
		cur_init(&body, c.p, (size_t)plen * 4);
		(void)cur_skip(&c, (size_t)plen * 4);
		if (cur_get_be32(&body, &ssrc) == -1)
			continue;
		switch (pt) {
		case RTCP_SR:
			for (i = 0; i < 5; i++) {
				if (cur_get_be32(&body, &w[i]) == -1)
					break;
			}
			if (i < 5)
				continue;
			sw_json_set(si, "ntp_timestamp_sec", json_integer(w[0]));
			sw_json_set(si, "ntp_timestamp_usec",
			    json_integer(w[1]));
			sw_json_set(si, "rtp_timestamp", json_integer(w[2]));
			sw_json_set(si, "packets", json_integer(w[3]));
			sw_json_set(si, "octets", json_integer(w[4]));
			/* FALLTHROUGH */
		case RTCP_RR:
			if (!have) {
				sw_json_set(o, "ssrc", json_integer(ssrc));
				sw_json_set(o, "type", json_integer(pt));
				sw_json_set(o, "report_count",
				    json_integer(b0 & 0x1f));
			}
			have = 1;
			hep_rtcp_blocks(&body, b0 & 0x1f, blocks);
			break;
		case RTCP_XR:
			if (!have_xr && hep_rtcp_xr(&body, xr) == 0) {
				have_xr = 1;
				if (!have) {
					sw_json_set(o, "ssrc",
					    json_integer(ssrc));
					sw_json_set(o, "type", json_integer(pt));
					sw_json_set(o, "report_count",
					    json_integer(0));
				}
			}
			break;
		case RTCP_SDES:
			if (!have_sdes)
				sw_json_set(o, "sdes_ssrc", json_integer(ssrc));
			have_sdes = 1;
			break;
		default:
			break;
		}
	}
	if (have || have_xr) {
		if (json_object_size(si) > 0)
			sw_json_set(o, "sender_information", json_incref(si));
		sw_json_set(o, "report_blocks", json_incref(blocks));
		if (have_xr)
			sw_json_set(o, "report_blocks_xr", json_incref(xr));
		if ((text = json_dumps(o, JSON_COMPACT)) == NULL)
			abort();
	}
	json_decref(si);
	json_decref(blocks);
	json_decref(xr);
	json_decref(o);
	return (text);
}
