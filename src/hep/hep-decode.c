/*
 * hep-decode.c: decode a received HEP packet (v3 chunks, or the fixed
 * v1/v2 header).  The bytes come from the network: every read goes
 * through a bounds-checked cursor, lengths are checked before use, and
 * nothing is kept beyond the caller's buffer.
 */
#include "config.h"

#include <string.h>

#include "core/cursor.h"
#include "hep/hep.h"

static const char *const hep_error_names[HEP_ERR_COUNT] = {
	"hep.ok",
	"hep.truncated",
	"hep.bad_version",
	"hep.bad_length",
	"hep.bad_chunk",
	"hep.bad_family",
	"hep.no_address",
	"hep.no_payload",
	"hep.compressed",
	"hep.not_sip",
	"hep.auth",
};

const char *
hep_error_name(enum hep_error e)
{
	if ((unsigned)e >= HEP_ERR_COUNT)
		return ("?");
	return (hep_error_names[e]);
}

long
hep_frame_length(const uint8_t *buf, size_t len)
{
	long	n;

	if (len < 4) {
		if (memcmp(buf, "HEP3", len) != 0)
			return (-1);
		return (0);
	}
	if (memcmp(buf, "HEP3", 4) != 0)
		return (-1);
	if (len < 6)
		return (0);
	n = ((long)buf[4] << 8) | buf[5];
	if (n < 6)
		return (-1);
	return (n);
}

/* Read a little-endian 32-bit value (HEPv2 times are host order, x86). */
static int
hep_get_le32(struct cursor *c, uint32_t *v)
{
	uint16_t	lo, hi;

	if (cur_get_le16(c, &lo) == -1 || cur_get_le16(c, &hi) == -1)
		return (-1);
	*v = ((uint32_t)hi << 16) | lo;
	return (0);
}

/* HEPv1/v2: fixed header, then the payload. */
static enum hep_error
hep_decode_v12(struct cursor *c, struct hep_msg *m)
{
	uint8_t		version, hlen, family, proto;
	uint16_t	sport, dport, captid;
	uint32_t	sec, usec;
	size_t		alen;

	if (cur_get_u8(c, &version) == -1 || cur_get_u8(c, &hlen) == -1 ||
	    cur_get_u8(c, &family) == -1 || cur_get_u8(c, &proto) == -1 ||
	    cur_get_be16(c, &sport) == -1 || cur_get_be16(c, &dport) == -1)
		return (HEP_ERR_TRUNCATED);
	m->version = version;
	if (family == HEP_FAMILY_INET)
		alen = 4;
	else if (family == HEP_FAMILY_INET6)
		alen = 16;
	else
		return (HEP_ERR_BAD_FAMILY);
	m->src.family = m->dst.family = alen == 4 ? 4 : 6;
	if (cur_get_bytes(c, m->src.ip, alen) == -1 ||
	    cur_get_bytes(c, m->dst.ip, alen) == -1)
		return (HEP_ERR_TRUNCATED);
	m->src.port = sport;
	m->dst.port = dport;
	m->ip_proto = proto;
	m->proto_type = HEP_PROTO_SIP;
	if (version == 2) {
		if (hep_get_le32(c, &sec) == -1 ||
		    hep_get_le32(c, &usec) == -1 ||
		    cur_get_le16(c, &captid) == -1)
			return (HEP_ERR_TRUNCATED);
		m->ts_us = (int64_t)sec * 1000000 + usec;
		m->capture_id = captid;
		m->has_capture_id = 1;
		/*
		 * Kamailio and captagent send sizeof(struct hep_timehdr),
		 * 12 bytes with the compiler's padding after the 16-bit
		 * capture id; others send the 10 bytes.  A message never
		 * starts with NUL bytes: skip the padding when it is there.
		 */
		if (cur_left(c) >= 2 && c->p[0] == 0 && c->p[1] == 0)
			(void)cur_skip(c, 2);
	}
	if (cur_left(c) == 0)
		return (HEP_ERR_NO_PAYLOAD);
	m->payload = c->p;
	m->len = cur_left(c);
	return (HEP_OK);
}

/* An integer chunk of exactly N bytes, big-endian. */
static int
hep_chunk_uint(const uint8_t *v, size_t vlen, size_t n, uint32_t *out)
{
	struct cursor	c;
	uint8_t		b;
	uint16_t	s;

	if (vlen != n)
		return (-1);
	cur_init(&c, v, vlen);
	switch (n) {
	case 1:
		if (cur_get_u8(&c, &b) == -1)
			return (-1);
		*out = b;
		return (0);
	case 2:
		if (cur_get_be16(&c, &s) == -1)
			return (-1);
		*out = s;
		return (0);
	case 4:
		return (cur_get_be32(&c, out));
	}
	return (-1);
}

/* HEPv3: "HEP3", total length, chunks. */
static enum hep_error
hep_decode_v3(struct cursor *c, size_t len, struct hep_msg *m)
{
	uint16_t	total, vendor, type, clen;
	uint32_t	v, sec = 0, usec = 0, family = 0;
	const uint8_t	*val, *src = NULL, *dst = NULL;
	const uint8_t	*zpayload = NULL;
	size_t		vlen, srclen = 0, dstlen = 0;
	int		has_sec = 0, has_proto_type = 0;

	m->version = 3;
	if (cur_skip(c, 4) == -1 || cur_get_be16(c, &total) == -1)
		return (HEP_ERR_TRUNCATED);
	if (total != len)
		return (HEP_ERR_BAD_LENGTH);
	while (cur_left(c) > 0) {
		if (cur_get_be16(c, &vendor) == -1 ||
		    cur_get_be16(c, &type) == -1 ||
		    cur_get_be16(c, &clen) == -1)
			return (HEP_ERR_BAD_CHUNK);
		if (clen < 6 || (size_t)clen - 6 > cur_left(c))
			return (HEP_ERR_BAD_CHUNK);
		val = c->p;
		vlen = (size_t)clen - 6;
		(void)cur_skip(c, vlen);
		if (vendor != 0) {
			m->unknown_chunks++;
			continue;
		}
		switch (type) {
		case HEP_CHUNK_FAMILY:
			if (hep_chunk_uint(val, vlen, 1, &family) == -1)
				return (HEP_ERR_BAD_CHUNK);
			break;
		case HEP_CHUNK_IPPROTO:
			if (hep_chunk_uint(val, vlen, 1, &v) == -1)
				return (HEP_ERR_BAD_CHUNK);
			m->ip_proto = (uint8_t)v;
			break;
		case HEP_CHUNK_SRC4:
		case HEP_CHUNK_SRC6:
			src = val;
			srclen = vlen;
			break;
		case HEP_CHUNK_DST4:
		case HEP_CHUNK_DST6:
			dst = val;
			dstlen = vlen;
			break;
		case HEP_CHUNK_SPORT:
			if (hep_chunk_uint(val, vlen, 2, &v) == -1)
				return (HEP_ERR_BAD_CHUNK);
			m->src.port = (uint16_t)v;
			break;
		case HEP_CHUNK_DPORT:
			if (hep_chunk_uint(val, vlen, 2, &v) == -1)
				return (HEP_ERR_BAD_CHUNK);
			m->dst.port = (uint16_t)v;
			break;
		case HEP_CHUNK_TS_SEC:
			if (hep_chunk_uint(val, vlen, 4, &sec) == -1)
				return (HEP_ERR_BAD_CHUNK);
			has_sec = 1;
			break;
		case HEP_CHUNK_TS_USEC:
			if (hep_chunk_uint(val, vlen, 4, &usec) == -1)
				return (HEP_ERR_BAD_CHUNK);
			break;
		case HEP_CHUNK_PROTO_TYPE:
			if (hep_chunk_uint(val, vlen, 1, &v) == -1)
				return (HEP_ERR_BAD_CHUNK);
			m->proto_type = (uint8_t)v;
			has_proto_type = 1;
			break;
		case HEP_CHUNK_CAPTURE_ID:
			/* 32 bits; a few agents send 16. */
			if (hep_chunk_uint(val, vlen, 4, &v) == -1 &&
			    hep_chunk_uint(val, vlen, 2, &v) == -1)
				return (HEP_ERR_BAD_CHUNK);
			m->capture_id = v;
			m->has_capture_id = 1;
			break;
		case HEP_CHUNK_AUTH_KEY:
			m->auth = val;
			m->auth_len = vlen;
			break;
		case HEP_CHUNK_PAYLOAD:
			m->payload = val;
			m->len = vlen;
			break;
		case HEP_CHUNK_PAYLOAD_Z:
			zpayload = val;
			break;
		case HEP_CHUNK_CORRELATION:
			m->correlation = val;
			m->correlation_len = vlen;
			break;
		case HEP_CHUNK_VLAN:
			if (hep_chunk_uint(val, vlen, 2, &v) == -1)
				return (HEP_ERR_BAD_CHUNK);
			m->vlan = (uint16_t)v;
			break;
		default:
			m->unknown_chunks++;
			break;
		}
	}

	if (family == HEP_FAMILY_INET)
		m->src.family = m->dst.family = 4;
	else if (family == HEP_FAMILY_INET6)
		m->src.family = m->dst.family = 6;
	else
		return (HEP_ERR_BAD_FAMILY);
	vlen = m->src.family == 4 ? 4 : 16;
	if (src == NULL || dst == NULL || srclen != vlen || dstlen != vlen)
		return (HEP_ERR_NO_ADDRESS);
	memcpy(m->src.ip, src, vlen);
	memcpy(m->dst.ip, dst, vlen);
	if (has_sec)
		m->ts_us = (int64_t)sec * 1000000 + usec;
	if (!has_proto_type)
		m->proto_type = HEP_PROTO_SIP;
	if (m->payload == NULL || m->len == 0) {
		m->payload = NULL;
		m->len = 0;
		return (zpayload != NULL ? HEP_ERR_COMPRESSED :
		    HEP_ERR_NO_PAYLOAD);
	}
	if (m->proto_type != HEP_PROTO_SIP)
		return (HEP_ERR_NOT_SIP);
	return (HEP_OK);
}

enum hep_error
hep_decode(const uint8_t *buf, size_t len, struct hep_msg *m)
{
	struct cursor	c;

	memset(m, 0, sizeof *m);
	cur_init(&c, buf, len);
	if (len < 4)
		return (HEP_ERR_TRUNCATED);
	if (memcmp(buf, "HEP3", 4) == 0)
		return (hep_decode_v3(&c, len, m));
	if (buf[0] == 1 || buf[0] == 2)
		return (hep_decode_v12(&c, m));
	return (HEP_ERR_BAD_VERSION);
}
