/*
 * sip-detect.c: recognise SIP by its start line (RFC 3261 7.1, 7.2, 25.1),
 * method names, error names.  No osip2 here: this runs on every payload
 * before any parse, so it must be cheap.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "sip/sip.h"

#define SIP_DETECT_SCAN	8192	/* longest start line looked at */

#define SIP_STR(x)	#x
#define SIP_XSTR(x)	SIP_STR(x)	/* a bound's value, for the texts */

static const char *sip_methods[SIP_METHOD_COUNT] = {
	[SIP_METHOD_UNKNOWN] = "UNKNOWN",
	[SIP_METHOD_INVITE] = "INVITE",
	[SIP_METHOD_ACK] = "ACK",
	[SIP_METHOD_BYE] = "BYE",
	[SIP_METHOD_CANCEL] = "CANCEL",
	[SIP_METHOD_OPTIONS] = "OPTIONS",
	[SIP_METHOD_REGISTER] = "REGISTER",
	[SIP_METHOD_PRACK] = "PRACK",
	[SIP_METHOD_SUBSCRIBE] = "SUBSCRIBE",
	[SIP_METHOD_NOTIFY] = "NOTIFY",
	[SIP_METHOD_PUBLISH] = "PUBLISH",
	[SIP_METHOD_INFO] = "INFO",
	[SIP_METHOD_REFER] = "REFER",
	[SIP_METHOD_MESSAGE] = "MESSAGE",
	[SIP_METHOD_UPDATE] = "UPDATE",
	[SIP_METHOD_OTHER] = "OTHER",
};

const char *
sip_method_name(enum sip_method m)
{
	if ((unsigned)m >= SIP_METHOD_COUNT)
		return ("UNKNOWN");
	return (sip_methods[m]);
}

enum sip_method
sip_method_from(const char *s, size_t len)
{
	int	m;

	if (s == NULL || len == 0)
		return (SIP_METHOD_UNKNOWN);
	for (m = SIP_METHOD_INVITE; m < SIP_METHOD_OTHER; m++) {
		if (strlen(sip_methods[m]) == len &&
		    memcmp(sip_methods[m], s, len) == 0)
			return ((enum sip_method)m);
	}
	return (SIP_METHOD_OTHER);
}

/* RFC 3261 25.1 token characters. */
static int
sip_is_token(unsigned char ch)
{
	if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9'))
		return (1);
	return (ch != '\0' && strchr("-.!%*_+`'~", ch) != NULL);
}

enum sip_detect
sip_detect(const uint8_t *data, size_t len, struct sip_startline *line)
{
	const uint8_t	*eol, *sp1, *sp2, *p;
	size_t		 scan, i, llen;

	if (line != NULL)
		memset(line, 0, sizeof *line);
	if (len == 0)
		return (SIP_DETECT_NOT_SIP);
	for (i = 0; i < len && (data[i] == '\r' || data[i] == '\n'); i++)
		;
	if (i == len)
		return (SIP_DETECT_KEEPALIVE);

	scan = len < SIP_DETECT_SCAN ? len : SIP_DETECT_SCAN;
	if ((eol = memchr(data, '\n', scan)) == NULL)
		return (SIP_DETECT_NOT_SIP);
	llen = (size_t)(eol - data);
	if (llen > 0 && data[llen - 1] == '\r')
		llen--;

	/* Status-Line: SIP-Version SP Status-Code SP Reason-Phrase */
	if (llen >= 11 && strncasecmp((const char *)data, "SIP/2.0 ", 8) == 0) {
		p = data + 8;
		if (p[0] < '1' || p[0] > '6' || p[1] < '0' || p[1] > '9' ||
		    p[2] < '0' || p[2] > '9')
			return (SIP_DETECT_NOT_SIP);
		if (llen > 11 && p[3] != ' ')
			return (SIP_DETECT_NOT_SIP);
		if (line != NULL)
			line->status = (p[0] - '0') * 100 + (p[1] - '0') * 10 +
			    (p[2] - '0');
		return (SIP_DETECT_RESPONSE);
	}

	/* Request-Line: Method SP Request-URI SP SIP-Version */
	for (i = 0; i < llen && sip_is_token(data[i]); i++)
		;
	if (i == 0 || i >= llen || data[i] != ' ')
		return (SIP_DETECT_NOT_SIP);
	sp1 = data + i;
	if (llen < 7 || strncasecmp((const char *)data + llen - 7, "SIP/2.0", 7)
	    != 0)
		return (SIP_DETECT_NOT_SIP);
	sp2 = data + llen - 8;
	if (sp2 <= sp1 + 1 || *sp2 != ' ')
		return (SIP_DETECT_NOT_SIP);
	if (line != NULL) {
		line->method = (const char *)data;
		line->method_len = i;
	}
	return (SIP_DETECT_REQUEST);
}

static const struct {
	const char	*name;
	const char	*text;
} sip_errors[SIP_ERR_COUNT] = {
	[SIP_ERR_NONE] = { "sip.parse.ok", "no error" },
	[SIP_ERR_OSIP] = { "sip.parse.syntax",
	    "osip2 rejected the message (syntax error in a header or start line)" },
	[SIP_ERR_START_LINE] = { "sip.parse.start_line",
	    "malformed request line or status line (RFC 3261 7.1, 7.2)" },
	[SIP_ERR_HEADER] = { "sip.parse.header",
	    "malformed header, or no empty line ending the headers (RFC 3261 7.3)" },
	[SIP_ERR_NO_CALL_ID] = { "sip.parse.no_call_id",
	    "mandatory Call-ID header missing (RFC 3261 8.1.1)" },
	[SIP_ERR_NO_CSEQ] = { "sip.parse.no_cseq",
	    "mandatory CSeq header missing (RFC 3261 8.1.1)" },
	[SIP_ERR_NO_VIA] = { "sip.parse.no_via",
	    "mandatory Via header missing (RFC 3261 8.1.1)" },
	[SIP_ERR_NO_FROM] = { "sip.parse.no_from",
	    "mandatory From header missing (RFC 3261 8.1.1)" },
	[SIP_ERR_NO_TO] = { "sip.parse.no_to",
	    "mandatory To header missing (RFC 3261 8.1.1)" },
	[SIP_ERR_BAD_CSEQ] = { "sip.parse.bad_cseq",
	    "CSeq number not a 32-bit integer or method missing (RFC 3261 20.16)" },
	[SIP_ERR_TRUNCATED] = { "sip.parse.truncated",
	    "message cut by the capture snap length" },
	[SIP_ERR_BODY_SHORT] = { "sip.parse.body_short",
	    "body shorter than Content-Length (RFC 3261 18.3)" },
	[SIP_ERR_BAD_CONTENT_LENGTH] = { "sip.parse.bad_content_length",
	    "Content-Length is not a non-negative integer (RFC 3261 20.14)" },
	[SIP_ERR_TOO_LARGE] = { "sip.parse.too_large",
	    "message larger than 65535 bytes" },
	[SIP_ERR_TOO_MANY_HEADERS] = { "sip.parse.too_many_headers",
	    "more than " SIP_XSTR(SIP_HDR_MAX) " header fields "
	    "(not given to osip2)" },
	[SIP_ERR_HEADERS_TOO_LARGE] = { "sip.parse.headers_too_large",
	    "start line and headers larger than "
	    SIP_XSTR(SIP_HDR_SIZE_MAX) " bytes "
	    "(not given to osip2)" },
	[SIP_ERR_TOO_MANY_PARAMS] = { "sip.parse.too_many_params",
	    "more than " SIP_XSTR(SIP_HDR_SEP_MAX) " parameters and list "
	    "elements "
	    "(not given to osip2)" },
};

const char *
sip_error_name(enum sip_error e)
{
	if ((unsigned)e >= SIP_ERR_COUNT)
		return ("sip.parse.unknown");
	return (sip_errors[e].name);
}

const char *
sip_error_text(enum sip_error e)
{
	if ((unsigned)e >= SIP_ERR_COUNT)
		return ("unknown parse error");
	return (sip_errors[e].text);
}

int
sip_str_eq(const struct sip_str *a, const char *s)
{
	size_t	n = strlen(s);

	return (a->s != NULL && a->len == n && strncasecmp(a->s, s, n) == 0);
}
