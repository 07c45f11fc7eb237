/*
 * hep-encode.c: write a SIP message (or an RTCP report) as one HEPv3 packet (the chunk layout
 * of the HEP/EEP specification, generic vendor 0x0000), as HOMER,
 * heplify-server and sngrep read it.
 */
#include "config.h"

#include <string.h>

#include "hep/hep.h"

/* A chunk being written: BUF[*OFF..] within CAP; -1 when it won't fit. */
static int
hep_put_chunk(uint8_t *buf, size_t cap, size_t *off, uint16_t type,
    const void *val, size_t len)
{
	size_t	total = 6 + len;
	uint8_t	*p;

	if (len > HEP_MAX_PACKET || cap - *off < total)
		return (-1);
	p = buf + *off;
	p[0] = 0;			/* vendor 0x0000: generic */
	p[1] = 0;
	p[2] = (uint8_t)(type >> 8);
	p[3] = (uint8_t)type;
	p[4] = (uint8_t)(total >> 8);
	p[5] = (uint8_t)total;
	if (len > 0)
		memcpy(p + 6, val, len);
	*off += total;
	return (0);
}

static int
hep_put_u8(uint8_t *buf, size_t cap, size_t *off, uint16_t type, uint8_t v)
{
	return (hep_put_chunk(buf, cap, off, type, &v, 1));
}

static int
hep_put_u16(uint8_t *buf, size_t cap, size_t *off, uint16_t type, uint16_t v)
{
	uint8_t	b[2];

	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
	return (hep_put_chunk(buf, cap, off, type, b, 2));
}

static int
hep_put_u32(uint8_t *buf, size_t cap, size_t *off, uint16_t type, uint32_t v)
{
	uint8_t	b[4];

	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
	return (hep_put_chunk(buf, cap, off, type, b, 4));
}

size_t
hep_encode(const struct hep_encode_in *in, uint8_t *buf, size_t cap)
{
	size_t		off = 6, alen;
	int64_t		sec, usec;
	int		v6, err = 0;

	if (in->src->family != in->dst->family ||
	    (in->src->family != 4 && in->src->family != 6))
		return (0);
	if (cap > HEP_MAX_PACKET)
		cap = HEP_MAX_PACKET;
	if (cap < 6)
		return (0);
	v6 = in->src->family == 6;
	alen = v6 ? 16 : 4;
	sec = in->ts_us / 1000000;
	usec = in->ts_us % 1000000;
	if (usec < 0) {
		usec += 1000000;
		sec--;
	}

	err |= hep_put_u8(buf, cap, &off, HEP_CHUNK_FAMILY,
	    v6 ? HEP_FAMILY_INET6 : HEP_FAMILY_INET);
	err |= hep_put_u8(buf, cap, &off, HEP_CHUNK_IPPROTO, in->ip_proto);
	err |= hep_put_chunk(buf, cap, &off,
	    v6 ? HEP_CHUNK_SRC6 : HEP_CHUNK_SRC4, in->src->ip, alen);
	err |= hep_put_chunk(buf, cap, &off,
	    v6 ? HEP_CHUNK_DST6 : HEP_CHUNK_DST4, in->dst->ip, alen);
	err |= hep_put_u16(buf, cap, &off, HEP_CHUNK_SPORT, in->src->port);
	err |= hep_put_u16(buf, cap, &off, HEP_CHUNK_DPORT, in->dst->port);
	err |= hep_put_u32(buf, cap, &off, HEP_CHUNK_TS_SEC, (uint32_t)sec);
	err |= hep_put_u32(buf, cap, &off, HEP_CHUNK_TS_USEC, (uint32_t)usec);
	err |= hep_put_u8(buf, cap, &off, HEP_CHUNK_PROTO_TYPE,
	    in->proto_type != 0 ? in->proto_type : HEP_PROTO_SIP);
	err |= hep_put_u32(buf, cap, &off, HEP_CHUNK_CAPTURE_ID,
	    in->capture_id);
	if (in->auth != NULL)
		err |= hep_put_chunk(buf, cap, &off, HEP_CHUNK_AUTH_KEY,
		    in->auth, in->auth_len);
	if (in->correlation != NULL && in->correlation_len > 0)
		err |= hep_put_chunk(buf, cap, &off, HEP_CHUNK_CORRELATION,
		    in->correlation, in->correlation_len);
	err |= hep_put_chunk(buf, cap, &off, HEP_CHUNK_PAYLOAD, in->payload,
	    in->len);
	if (err != 0)
		return (0);

	memcpy(buf, "HEP3", 4);
	buf[4] = (uint8_t)(off >> 8);
	buf[5] = (uint8_t)off;
	return (off);
}

uint8_t
hep_ip_proto(enum decode_transport tp)
{
	switch (tp) {
	case DECODE_TP_TCP:
	case DECODE_TP_TLS:
	case DECODE_TP_WS:
		return (HEP_IPPROTO_TCP);
	case DECODE_TP_SCTP:
		return (HEP_IPPROTO_SCTP);
	default:
		return (HEP_IPPROTO_UDP);
	}
}

enum decode_transport
hep_transport(uint8_t ip_proto)
{
	switch (ip_proto) {
	case HEP_IPPROTO_TCP:
		return (DECODE_TP_TCP);
	case HEP_IPPROTO_SCTP:
		return (DECODE_TP_SCTP);
	default:
		return (DECODE_TP_UDP);
	}
}
