/*
 * sip-msg.c: building a struct sip_msg, shared by the osip2 path
 * (sip-parse.c) and the lenient reader (sip-salvage.c).
 *
 * A message is one block: the struct, a copy of the raw bytes, then the
 * extracted strings (a bump allocator with a bound computed from the
 * message size, so extraction can never write past the block).  The value
 * readers here take byte spans, not C strings, so that both paths use
 * them: osip2 hands out C strings, the lenient reader points into the
 * message.
 */
#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

#include "sip/sip-int.h"

#define SIP_HDR(n, c)	{ (n), sizeof (n) - 1, (c) }

static const struct {
	const char	*name;
	size_t		 len;
	const char	*compact;	/* RFC 3261 7.3.3 / RFC 3515 / RFC 6665 */
} sip_hdr_names[SIP_H_COUNT] = {
	[SIP_H_REFER_TO] = SIP_HDR("refer-to", "r"),
	[SIP_H_MAX_FORWARDS] = SIP_HDR("max-forwards", NULL),
	[SIP_H_EXPIRES] = SIP_HDR("expires", NULL),
	[SIP_H_RETRY_AFTER] = SIP_HDR("retry-after", NULL),
	[SIP_H_EVENT] = SIP_HDR("event", "o"),
	[SIP_H_SUB_STATE] = SIP_HDR("subscription-state", NULL),
	[SIP_H_USER_AGENT] = SIP_HDR("user-agent", NULL),
	[SIP_H_SERVER] = SIP_HDR("server", NULL),
	[SIP_H_WARNING] = SIP_HDR("warning", NULL),
	[SIP_H_REASON] = SIP_HDR("reason", NULL),
	[SIP_H_VIA] = SIP_HDR("via", "v"),
	[SIP_H_FROM] = SIP_HDR("from", "f"),
	[SIP_H_TO] = SIP_HDR("to", "t"),
	[SIP_H_CALL_ID] = SIP_HDR("call-id", "i"),
	[SIP_H_CSEQ] = SIP_HDR("cseq", NULL),
	[SIP_H_CONTACT] = SIP_HDR("contact", "m"),
	[SIP_H_CONTENT_TYPE] = SIP_HDR("content-type", "c"),
	[SIP_H_CONTENT_LENGTH] = SIP_HDR("content-length", "l"),
	[SIP_H_AUTHORIZATION] = SIP_HDR("authorization", NULL),
	[SIP_H_PROXY_AUTHORIZATION] = SIP_HDR("proxy-authorization", NULL),
	[SIP_H_WWW_AUTHENTICATE] = SIP_HDR("www-authenticate", NULL),
	[SIP_H_PROXY_AUTHENTICATE] = SIP_HDR("proxy-authenticate", NULL),
};

enum sip_hdr
sip_hdr_lookup(const char *name, size_t len)
{
	int	i;

	if (len == 0)
		return (SIP_H_NONE);
	for (i = 0; i < SIP_H_COUNT; i++) {
		if (len == 1) {
			if (sip_hdr_names[i].compact != NULL &&
			    tolower((unsigned char)name[0]) ==
			    sip_hdr_names[i].compact[0])
				return ((enum sip_hdr)i);
			continue;
		}
		if (sip_hdr_names[i].len == len &&
		    strncasecmp(sip_hdr_names[i].name, name, len) == 0)
			return ((enum sip_hdr)i);
	}
	return (SIP_H_NONE);
}

struct sip_msg *
sip_msg_layout(const uint8_t *data, size_t len, void *buf, size_t size,
    struct sip_build *b)
{
	struct sip_msg	*msg = buf;
	uint8_t		*raw;

	memset(msg, 0, sizeof *msg);
	msg->max_forwards = -1;
	msg->expires = -1;
	msg->retry_after = -1;
	msg->content_length = -1;
	raw = (uint8_t *)(msg + 1);
	memcpy(raw, data, len);
	raw[len] = '\0';
	msg->raw = raw;
	msg->raw_len = len;
	b->p = (char *)raw + len + 1;
	b->end = (char *)buf + size;
	return (msg);
}

void
sb_put(struct sip_build *b, struct sip_str *dst, const char *s, size_t len)
{
	size_t	room;

	dst->s = NULL;
	dst->len = 0;
	if (s == NULL)
		return;
	room = (size_t)(b->end - b->p);
	if (room == 0)
		return;
	if (len > room - 1)
		len = room - 1;
	memcpy(b->p, s, len);
	b->p[len] = '\0';
	dst->s = b->p;
	dst->len = len;
	b->p += len + 1;
}

void
sb_put_text(struct sip_build *b, struct sip_str *dst, const char *s,
    size_t len)
{
	size_t	i;
	char	*p;

	sb_put(b, dst, s, len);
	if (dst->s == NULL)
		return;
	p = b->p - dst->len - 1;	/* what sb_put() just wrote */
	for (i = 0; i < dst->len; i++) {
		if (p[i] == '\r' || p[i] == '\n')
			p[i] = ' ';
		else if (p[i] == '\0') {
			dst->len = i;	/* a C string: cut at a NUL byte */
			break;
		}
	}
}

void
sb_puts(struct sip_build *b, struct sip_str *dst, const char *s)
{
	sb_put(b, dst, s, s != NULL ? strlen(s) : 0);
}

void
sb_put_unquoted(struct sip_build *b, struct sip_str *dst, const char *s,
    size_t len)
{
	if (s != NULL && len >= 2 && s[0] == '"' && s[len - 1] == '"')
		sb_put(b, dst, s + 1, len - 2);
	else
		sb_put(b, dst, s, len);
}

long
sip_span_number(const char *s, size_t len)
{
	const char	*end;
	long		 v = 0;
	int		 digits = 0;

	if (s == NULL)
		return (-1);
	end = s + len;
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	for (; s < end && *s >= '0' && *s <= '9'; s++) {
		if (v > (LONG_MAX - 9) / 10)
			return (-1);
		v = v * 10 + (*s - '0');
		digits++;
	}
	return (digits > 0 ? v : -1);
}

void
sip_set_content_length(struct sip_msg *msg, const char *v, size_t len)
{
	size_t	i;

	msg->content_length = sip_span_number(v, len);
	msg->bad_content_length = v == NULL || msg->content_length < 0;
	for (i = 0; v != NULL && i < len; i++) {
		if (v[i] != ' ' && v[i] != '\t' && (v[i] < '0' || v[i] > '9'))
			msg->bad_content_length = 1;
	}
}

void
sip_set_body(struct sip_msg *msg, size_t off)
{
	size_t	avail;

	msg->body = NULL;
	msg->body_len = 0;
	if (off >= msg->raw_len)
		return;
	avail = msg->raw_len - off;
	/* RFC 3261 18.3: bytes beyond Content-Length are not part of it. */
	if (msg->content_length >= 0 && (size_t)msg->content_length < avail)
		avail = (size_t)msg->content_length;
	msg->body = msg->raw + off;
	msg->body_len = avail;
}

enum sip_error
sip_check_mandatory(const struct sip_msg *msg)
{
	if (msg->call_id.s == NULL || msg->call_id.len == 0)
		return (SIP_ERR_NO_CALL_ID);
	if (msg->cseq_method_name.s == NULL)
		return (SIP_ERR_NO_CSEQ);
	if (msg->nvia == 0)
		return (SIP_ERR_NO_VIA);
	if (msg->from.uri.s == NULL)
		return (SIP_ERR_NO_FROM);
	if (msg->to.uri.s == NULL)
		return (SIP_ERR_NO_TO);
	return (SIP_ERR_NONE);
}
