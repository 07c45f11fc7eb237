/*
 * sip-sdp.c: SDP bodies through osip2's SDP parser (sdp_message_parse),
 * copied into a struct sip_sdp (sip-sdp.h).
 *
 * The result is one block, as for SIP messages (sip-parse.c): the struct,
 * then the NUL-terminated body osip2 reads, then the extracted strings,
 * written by a bump allocator that cuts rather than overruns.  osip2's own
 * allocations come from the per-thread arena of sip-parse.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <osipparser2/osip_parser.h>
#include <osipparser2/sdp_message.h>

#include "core/addr.h"
#include "sip/sip-int.h"
#include "sip/sip-sdp.h"

/* NULs after the body osip2 reads (see sip_sdp_parse_buf()). */
#define SDP_NUL_PAD	16

static const char *const sdp_dir_names[] = {
	[SDP_DIR_UNSET] = "",
	[SDP_DIR_SENDRECV] = "sendrecv",
	[SDP_DIR_SENDONLY] = "sendonly",
	[SDP_DIR_RECVONLY] = "recvonly",
	[SDP_DIR_INACTIVE] = "inactive",
};

const char *
sdp_dir_name(enum sdp_dir d)
{
	if ((unsigned)d >= sizeof sdp_dir_names / sizeof sdp_dir_names[0])
		return ("");
	return (sdp_dir_names[d]);
}

static const struct {
	const char	*name;
	const char	*text;
} sdp_problems[SDP_P_COUNT] = {
	[SDP_P_BAD_CONN] = { "sdp.bad_conn",
	    "c= address is not an IP address (FQDN or unreadable)" },
	[SDP_P_NO_CONN] = { "sdp.no_conn",
	    "a media line has no c= at media or session level" },
	[SDP_P_BAD_PORT] = { "sdp.bad_port",
	    "m= port is not a number from 0 to 65535" },
	[SDP_P_BAD_RTPMAP] = { "sdp.bad_rtpmap",
	    "a=rtpmap or a=fmtp that cannot be read" },
	[SDP_P_BAD_ATTR] = { "sdp.bad_attr",
	    "a=ptime, a=maxptime or a=rtcp with an unusable value" },
	[SDP_P_MEDIA_CAP] = { "sdp.media_cap",
	    "more media lines than are kept (the count is exact)" },
	[SDP_P_FMT_CAP] = { "sdp.fmt_cap",
	    "more formats on a media line than are kept" },
	[SDP_P_NUL] = { "sdp.nul",
	    "a NUL byte in the body: read up to it" },
};

const char *
sdp_problem_name(enum sdp_problem p)
{
	if ((unsigned)p >= SDP_P_COUNT)
		return ("sdp.unknown");
	return (sdp_problems[p].name);
}

const char *
sdp_problem_text(enum sdp_problem p)
{
	if ((unsigned)p >= SDP_P_COUNT)
		return ("");
	return (sdp_problems[p].text);
}

static const struct {
	const char	*name;
	const char	*text;
} sdp_errors[SDP_ERR_COUNT] = {
	[SDP_ERR_NONE] = { "sdp.parse.none", "" },
	[SDP_ERR_EMPTY] = { "sdp.parse.empty", "empty SDP body" },
	[SDP_ERR_SYNTAX] = { "sdp.parse.syntax",
	    "osip2's SDP parser rejected the body (RFC 4566 syntax)" },
	[SDP_ERR_TOO_LARGE] = { "sdp.parse.too_large",
	    "SDP body above the size limit" },
};

const char *
sdp_error_name(enum sdp_error e)
{
	if ((unsigned)e >= SDP_ERR_COUNT)
		return ("sdp.parse.unknown");
	return (sdp_errors[e].name);
}

const char *
sdp_error_text(enum sdp_error e)
{
	if ((unsigned)e >= SDP_ERR_COUNT)
		return ("");
	return (sdp_errors[e].text);
}

/*
 * RFC 3551 6, Tables 4 and 5 (PT 1 and 2 from RFC 1890, which RFC 3551
 * marks reserved but which old equipment still sends).
 */
static const struct {
	int		 pt;
	const char	*name;
	uint32_t	 clock;
	unsigned	 channels;
} sdp_static[] = {
	{ 0, "PCMU", 8000, 1 },
	{ 1, "1016", 8000, 1 },
	{ 2, "G721", 8000, 1 },
	{ 3, "GSM", 8000, 1 },
	{ 4, "G723", 8000, 1 },
	{ 5, "DVI4", 8000, 1 },
	{ 6, "DVI4", 16000, 1 },
	{ 7, "LPC", 8000, 1 },
	{ 8, "PCMA", 8000, 1 },
	{ 9, "G722", 8000, 1 },
	{ 10, "L16", 44100, 2 },
	{ 11, "L16", 44100, 1 },
	{ 12, "QCELP", 8000, 1 },
	{ 13, "CN", 8000, 1 },
	{ 14, "MPA", 90000, 1 },
	{ 15, "G728", 8000, 1 },
	{ 16, "DVI4", 11025, 1 },
	{ 17, "DVI4", 22050, 1 },
	{ 18, "G729", 8000, 1 },
	{ 25, "CelB", 90000, 1 },
	{ 26, "JPEG", 90000, 1 },
	{ 28, "nv", 90000, 1 },
	{ 31, "H261", 90000, 1 },
	{ 32, "MPV", 90000, 1 },
	{ 33, "MP2T", 90000, 1 },
	{ 34, "H263", 90000, 1 },
};

int
sdp_static_payload(int pt, const char **name, uint32_t *clock,
    unsigned *channels)
{
	size_t	i;

	for (i = 0; i < sizeof sdp_static / sizeof sdp_static[0]; i++) {
		if (sdp_static[i].pt != pt)
			continue;
		if (name != NULL)
			*name = sdp_static[i].name;
		if (clock != NULL)
			*clock = sdp_static[i].clock;
		if (channels != NULL)
			*channels = sdp_static[i].channels;
		return (0);
	}
	return (-1);
}

/* A decimal of at most 10 digits in S, all of S; -1 otherwise. */
static long long
sdp_number(const char *s, size_t len)
{
	long long	v = 0;
	size_t		i;

	if (s == NULL || len == 0 || len > 10)
		return (-1);
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (-1);
		v = v * 10 + (s[i] - '0');
	}
	return (v);
}

static long long
sdp_number_str(const char *s)
{
	return (s != NULL ? sdp_number(s, strlen(s)) : -1);
}

/* The leading decimal of S (after blanks) up to END or a non-digit; its
 * end in *NEXT.  -1 when there is none. */
static long long
sdp_leading(const char *s, const char **next)
{
	const char	*p = s;

	while (*p == ' ' || *p == '\t')
		p++;
	s = p;
	while (*p >= '0' && *p <= '9')
		p++;
	*next = p;
	return (sdp_number(s, (size_t)(p - s)));
}

static void
sdp_put(struct sip_build *b, struct sip_str *dst, const char *s)
{
	sb_put(b, dst, s, s != NULL ? strlen(s) : 0);
}

/*
 * An IP literal (c=, o=, a=rtcp: RFC 4566 5.7, IPv4 dotted or IPv6) into
 * A with PORT.  -1 (A zeroed) for anything else: an FQDN, "IP:PORT", a
 * bracketed address.  ADDRTYPE is not trusted: the literal decides.
 */
static int
sdp_addr(const char *s, uint16_t port, struct sw_addr *a)
{
	const char	*colon;

	memset(a, 0, sizeof *a);
	if (s == NULL || *s == '\0' || strchr(s, '[') != NULL)
		return (-1);
	if ((colon = strchr(s, ':')) != NULL && strchr(colon + 1, ':') == NULL)
		return (-1);
	if (sw_addr_parse(s, a) == -1)
		return (-1);
	a->port = port;
	return (0);
}

static enum sdp_dir
sdp_dir_from(const char *field)
{
	if (strcasecmp(field, "sendrecv") == 0)
		return (SDP_DIR_SENDRECV);
	if (strcasecmp(field, "sendonly") == 0)
		return (SDP_DIR_SENDONLY);
	if (strcasecmp(field, "recvonly") == 0)
		return (SDP_DIR_RECVONLY);
	if (strcasecmp(field, "inactive") == 0)
		return (SDP_DIR_INACTIVE);
	return (SDP_DIR_UNSET);
}

/* The kept format of M with payload type PT, or NULL. */
static struct sip_sdp_fmt *
sdp_fmt_find(struct sip_sdp_media *m, long long pt)
{
	unsigned	i;

	for (i = 0; i < m->nfmt; i++) {
		if (m->fmt[i].pt == pt)
			return (&m->fmt[i]);
	}
	return (NULL);
}

/* "a=rtpmap:<pt> <name>/<clock>[/<channels>]" (RFC 4566 6). */
static void
sdp_rtpmap(struct sip_build *b, struct sip_sdp *sdp, struct sip_sdp_media *m,
    const char *v)
{
	struct sip_sdp_fmt	*f;
	const char	*p, *name, *slash;
	long long	 pt, n;

	if ((pt = sdp_leading(v, &p)) < 0 || pt > 127 ||
	    (*p != ' ' && *p != '\t')) {
		sdp->problems |= 1u << SDP_P_BAD_RTPMAP;
		return;
	}
	if ((f = sdp_fmt_find(m, pt)) == NULL)
		return;		/* a format not on the m= line, or not kept */
	while (*p == ' ' || *p == '\t')
		p++;
	name = p;
	if ((slash = strchr(name, '/')) == NULL || slash == name) {
		sdp->problems |= 1u << SDP_P_BAD_RTPMAP;
		return;
	}
	sb_put(b, &f->name, name, (size_t)(slash - name));
	n = sdp_leading(slash + 1, &p);
	if (n <= 0 || n > 10000000) {
		sdp->problems |= 1u << SDP_P_BAD_RTPMAP;
		f->clock = 0;
		return;
	}
	f->clock = (uint32_t)n;
	if (*p == '/') {
		n = sdp_leading(p + 1, &p);
		if (n > 0 && n <= 255)
			f->channels = (unsigned)n;
		else
			sdp->problems |= 1u << SDP_P_BAD_RTPMAP;
	}
}

/* "a=fmtp:<format> <parameters>" */
static void
sdp_fmtp(struct sip_build *b, struct sip_sdp *sdp, struct sip_sdp_media *m,
    const char *v)
{
	struct sip_sdp_fmt	*f;
	const char	*p;
	long long	 pt;

	if ((pt = sdp_leading(v, &p)) < 0 || pt > 127) {
		/* Not an RTP format (t38 uses a=T38... attributes). */
		if (m->flags & SDP_M_RTP)
			sdp->problems |= 1u << SDP_P_BAD_RTPMAP;
		return;
	}
	if ((f = sdp_fmt_find(m, pt)) == NULL)
		return;
	while (*p == ' ' || *p == '\t')
		p++;
	sdp_put(b, &f->fmtp, p);
}

/* "a=rtcp:<port> [IN IP4 <addr>]" (RFC 3605 2.1) */
static void
sdp_rtcp(struct sip_sdp *sdp, struct sip_sdp_media *m, const char *v)
{
	char		 addr[64];
	const char	*p, *q;
	long long	 port;
	size_t		 n;

	if ((port = sdp_leading(v, &p)) <= 0 || port > 65535) {
		sdp->problems |= 1u << SDP_P_BAD_ATTR;
		return;
	}
	m->rtcp_port = (uint16_t)port;
	/* " IN IP4 192.0.2.1": skip the network and address types. */
	for (n = 0; n < 2; n++) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			return;
		p += strcspn(p, " ");
	}
	while (*p == ' ')
		p++;
	q = p + strcspn(p, " /");
	/* An address longer than any IP literal is not one. */
	if ((n = (size_t)(q - p)) == 0 || n >= sizeof addr) {
		sdp->problems |= 1u << SDP_P_BAD_ATTR;
		return;
	}
	memcpy(addr, p, n);
	addr[n] = '\0';
	if (sdp_addr(addr, m->rtcp_port, &m->rtcp_addr) == -1)
		sdp->problems |= 1u << SDP_P_BAD_ATTR;
}

/* "a=crypto:<tag> <suite> <key-params>" (RFC 4568 9.1) */
static void
sdp_crypto(struct sip_build *b, struct sip_sdp_media *m, const char *v)
{
	const char	*p, *q;

	m->ncrypto++;
	if (m->crypto_suite.s != NULL || v == NULL)
		return;
	p = v + strcspn(v, " \t");
	while (*p == ' ' || *p == '\t')
		p++;
	q = p + strcspn(p, " \t");
	if (q > p)
		sb_put(b, &m->crypto_suite, p, (size_t)(q - p));
}

/* A media-level attribute. */
static void
sdp_media_attr(struct sip_build *b, struct sip_sdp *sdp, struct sip_sdp_media *m,
    const sdp_attribute_t *a)
{
	const char	*f = a->a_att_field, *v = a->a_att_value;
	enum sdp_dir	 d;
	long long	 n;

	if (f == NULL)
		return;
	if ((d = sdp_dir_from(f)) != SDP_DIR_UNSET) {
		m->dir_attr = d;
		return;
	}
	if (strcasecmp(f, "rtpmap") == 0 && v != NULL)
		sdp_rtpmap(b, sdp, m, v);
	else if (strcasecmp(f, "fmtp") == 0 && v != NULL)
		sdp_fmtp(b, sdp, m, v);
	else if (strcasecmp(f, "ptime") == 0 || strcasecmp(f, "maxptime") == 0) {
		/* RFC 4566 6: milliseconds; a fraction is cut. */
		const char *end;

		n = v != NULL ? sdp_leading(v, &end) : -1;
		if (n <= 0 || n > 100000)
			sdp->problems |= 1u << SDP_P_BAD_ATTR;
		else if (strcasecmp(f, "ptime") == 0)
			m->ptime = (unsigned)n;
		else
			m->maxptime = (unsigned)n;
	} else if (strcasecmp(f, "rtcp") == 0 && v != NULL)
		sdp_rtcp(sdp, m, v);
	else if (strcasecmp(f, "rtcp-mux") == 0)
		m->flags |= SDP_M_RTCP_MUX;
	else if (strcasecmp(f, "crypto") == 0)
		sdp_crypto(b, m, v);
}

/* "RTP/AVP", "RTP/SAVPF", "UDP/TLS/RTP/SAVPF", "udptl" ... */
static unsigned
sdp_proto_flags(const char *proto)
{
	unsigned	f = 0;

	if (proto == NULL)
		return (0);
	if (strcasecmp(proto, "udptl") == 0 ||
	    strcasecmp(proto, "UDPTL") == 0)
		return (SDP_M_UDPTL);
	if (strncasecmp(proto, "UDP/TLS/", 8) == 0) {
		f |= SDP_M_DTLS | SDP_M_SECURE;
		proto += 8;
	}
	if (strncasecmp(proto, "RTP/", 4) != 0)
		return (f);
	f |= SDP_M_RTP;
	proto += 4;
	if (strncasecmp(proto, "SAVP", 4) == 0)
		f |= SDP_M_SECURE;
	if (strcasecmp(proto, "AVPF") == 0 || strcasecmp(proto, "SAVPF") == 0)
		f |= SDP_M_AVPF;
	return (f);
}

static void
sdp_copy_media(struct sip_build *b, struct sip_sdp *sdp, sdp_media_t *om,
    struct sip_sdp_media *m)
{
	sdp_connection_t	*c;
	sdp_attribute_t		*a;
	const char		*fmt, *name;
	struct sip_sdp_fmt		*f;
	long long		 n;
	int			 i;

	sdp_put(b, &m->media, om->m_media);
	sdp_put(b, &m->proto, om->m_proto);
	m->flags = sdp_proto_flags(om->m_proto);
	if ((n = sdp_number_str(om->m_port)) < 0 || n > 65535) {
		sdp->problems |= 1u << SDP_P_BAD_PORT;
		n = 0;
	}
	m->port = (uint16_t)n;
	m->nports = 1;
	if (om->m_number_of_port != NULL &&
	    (n = sdp_number_str(om->m_number_of_port)) > 0 && n <= 65535)
		m->nports = (unsigned)n;

	/* Formats: RTP payload types, or names (t38) for other protos. */
	for (i = 0; (fmt = osip_list_get(&om->m_payloads, i)) != NULL; i++) {
		m->fmt_total++;
		if (m->nfmt == SDP_FMT_KEEP) {
			sdp->problems |= 1u << SDP_P_FMT_CAP;
			continue;
		}
		f = &m->fmt[m->nfmt++];
		f->channels = 1;
		n = sdp_number_str(fmt);
		if ((m->flags & SDP_M_RTP) && n >= 0 && n <= 127) {
			f->pt = (int)n;
			if (sdp_static_payload(f->pt, &name, &f->clock,
			    &f->channels) == 0) {
				f->name.s = name;
				f->name.len = strlen(name);
			}
		} else {
			f->pt = -1;
			sdp_put(b, &f->name, fmt);
			if (strcasecmp(fmt, "t38") == 0)
				m->flags |= SDP_M_T38;
		}
	}

	/* The media-level c= (the first), else the session-level one. */
	c = osip_list_get(&om->c_connections, 0);
	if (c != NULL && c->c_addr != NULL) {
		sdp_put(b, &m->conn, c->c_addr);
		if (sdp_addr(c->c_addr, m->port, &m->addr) == -1)
			sdp->problems |= 1u << SDP_P_BAD_CONN;
	} else if (sdp->conn_text.s != NULL) {
		m->conn = sdp->conn_text;
		m->flags |= SDP_M_CONN_SESSION;
		if (sdp->conn.family != 0) {
			m->addr = sdp->conn;
			m->addr.port = m->port;
		}
	} else
		sdp->problems |= 1u << SDP_P_NO_CONN;

	for (i = 0; (a = osip_list_get(&om->a_attributes, i)) != NULL; i++)
		sdp_media_attr(b, sdp, m, a);
	m->dir = m->dir_attr != SDP_DIR_UNSET ? m->dir_attr :
	    sdp->dir != SDP_DIR_UNSET ? sdp->dir : SDP_DIR_SENDRECV;
}

static void
sdp_copy(struct sip_build *b, sdp_message_t *s, struct sip_sdp *sdp)
{
	sdp_attribute_t	*a;
	sdp_media_t	*om;
	enum sdp_dir	 d;
	int		 i;

	sdp_put(b, &sdp->origin_user, s->o_username);
	sdp_put(b, &sdp->sess_id, s->o_sess_id);
	/* sess-version is a 64-bit decimal in practice; keep what fits. */
	if (s->o_sess_version != NULL) {
		const char *p = s->o_sess_version;
		uint64_t v = 0;

		for (; *p >= '0' && *p <= '9'; p++) {
			if (v > (UINT64_MAX - 9) / 10)
				break;
			v = v * 10 + (uint64_t)(*p - '0');
		}
		sdp->sess_version = v;
	}
	(void)sdp_addr(s->o_addr, 0, &sdp->origin_addr);
	if (s->c_connection != NULL && s->c_connection->c_addr != NULL) {
		sdp_put(b, &sdp->conn_text, s->c_connection->c_addr);
		if (sdp_addr(s->c_connection->c_addr, 0, &sdp->conn) == -1)
			sdp->problems |= 1u << SDP_P_BAD_CONN;
	}
	for (i = 0; (a = osip_list_get(&s->a_attributes, i)) != NULL; i++) {
		if (a->a_att_field != NULL &&
		    (d = sdp_dir_from(a->a_att_field)) != SDP_DIR_UNSET)
			sdp->dir = d;
	}
	for (i = 0; (om = osip_list_get(&s->m_medias, i)) != NULL; i++) {
		sdp->media_total++;
		if (sdp->nmedia == SDP_MEDIA_KEEP) {
			sdp->problems |= 1u << SDP_P_MEDIA_CAP;
			continue;
		}
		sdp_copy_media(b, sdp, om, &sdp->media[sdp->nmedia++]);
	}
}

size_t
sip_sdp_space(size_t len)
{
	/*
	 * The struct, the body and its NULs for osip2, then the strings: each
	 * a part of one line plus a NUL, bounded by the body length and a
	 * NUL per kept field.
	 */
	return (sizeof(struct sip_sdp) + 2 * len + SDP_NUL_PAD +
	    (SDP_MEDIA_KEEP * (SDP_FMT_KEEP * 2 + 8) + 8));
}

int
sip_sdp_parse_buf(const uint8_t *body, size_t len, void *buf, size_t size,
    struct sip_sdp **sdpp, enum sdp_error *err)
{
	sdp_message_t		*s = NULL;
	struct sip_sdp		*sdp;
	struct sip_build	 b;
	char			*text;
	size_t			 tlen;

	*sdpp = NULL;
	*err = SDP_ERR_NONE;
	if (body == NULL || len == 0) {
		*err = SDP_ERR_EMPTY;
		return (-1);
	}
	if (len > SDP_BODY_MAX || size < sip_sdp_space(len)) {
		*err = SDP_ERR_TOO_LARGE;
		return (-1);
	}
	sdp = buf;
	memset(sdp, 0, sizeof *sdp);
	/*
	 * osip2 reads a C string: the body up to its first NUL.  Its parser
	 * (5.3.0) can step past that NUL on some malformed bodies (found by
	 * fuzz_sdp) and read on to the next one: the rest of the block is
	 * zeroed first, so such a read stays within the block and stops a
	 * byte later.  The strings are written after the parse.
	 */
	text = (char *)(sdp + 1);
	tlen = strnlen((const char *)body, len);
	memcpy(text, body, tlen);
	memset(text + tlen, 0, (size_t)((char *)buf + size - (text + tlen)));
	if (tlen < len)
		sdp->problems |= 1u << SDP_P_NUL;
	b.p = text + tlen + SDP_NUL_PAD;
	b.end = (char *)buf + size;

	if (sip_arena_begin() == -1) {
		*err = SDP_ERR_TOO_LARGE;
		return (-1);
	}
	if (sdp_message_init(&s) != 0) {
		sip_arena_end();
		*err = SDP_ERR_SYNTAX;
		return (-1);
	}
	if (sdp_message_parse(s, text) != 0) {
		sdp_message_free(s);
		sip_arena_end();
		*err = SDP_ERR_SYNTAX;
		return (-1);
	}
	sdp_copy(&b, s, sdp);
	sdp_message_free(s);
	sip_arena_end();
	*sdpp = sdp;
	return (0);
}

int
sip_sdp_parse(const uint8_t *body, size_t len, struct sip_sdp **sdpp,
    enum sdp_error *err)
{
	size_t	 size;
	void	*buf;

	*sdpp = NULL;
	if (len > SDP_BODY_MAX) {
		*err = SDP_ERR_TOO_LARGE;
		return (-1);
	}
	size = sip_sdp_space(len);
	if ((buf = malloc(size)) == NULL) {
		*err = SDP_ERR_TOO_LARGE;
		return (-1);
	}
	if (sip_sdp_parse_buf(body, len, buf, size, sdpp, err) == -1) {
		free(buf);
		return (-1);
	}
	(*sdpp)->heap = 1;
	return (0);
}

void
sip_sdp_free(struct sip_sdp *sdp)
{
	if (sdp != NULL && sdp->heap)
		free(sdp);
}
