/*
 * sip-parse.c: the osip2 wrapper.  With sip-sdp.c (SDP bodies), the only
 * file of sipwatch that includes osip2; everything it learns is copied
 * into a struct sip_msg (laid out by sip-msg.c).  The per-thread arena
 * osip2 allocates from is shared with sip-sdp.c (sip-int.h).
 *
 * osip2 sees only the header section, and only once sip_scan() found it
 * within the work bounds (SIP_HDR_MAX fields, SIP_HDR_SIZE_MAX bytes,
 * SIP_HDR_SEP_MAX list separators): it spends about 0.3 µs per element
 * and appends to its lists by walking them, so a message of thousands of
 * tiny headers or parameters costs it quadratic time.  sipwatch locates the body itself, so osip2's
 * body parser (multipart splitting, also quadratic) never runs.  A
 * message osip2 rejects or the bounds stop goes to the lenient reader
 * (sip-salvage.c).
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <osipparser2/osip_parser.h>
#include <osipparser2/osip_message.h>

#include "sip/sip-int.h"

/*
 * osip2 reports why it rejects a message only through its trace hook.  The
 * hook records the first error of the parse running on this thread, so the
 * failure can be counted with a reason; nothing is printed.
 */
static __thread enum sip_error	sip_osip_error;

static void sip_osip_trace(const char *, int, osip_trace_level_t,
    const char *, va_list) __attribute__((format(printf, 4, 0)));

static void
sip_osip_trace(const char *file, int line, osip_trace_level_t level,
    const char *fmt, va_list ap)
{
	char	msg[160];

	(void)file;
	(void)line;
	(void)level;
	if (sip_osip_error != SIP_ERR_NONE)
		return;
	vsnprintf(msg, sizeof msg, fmt, ap);
	if (strcasestr(msg, "start line") != NULL ||
	    strcasestr(msg, "request-uri") != NULL ||
	    strcasestr(msg, "request line") != NULL ||
	    strcasestr(msg, "status line") != NULL ||
	    strcasestr(msg, "crlf found") != NULL)
		sip_osip_error = SIP_ERR_START_LINE;
	else if (strcasestr(msg, "not receieved") != NULL ||
	    strcasestr(msg, "not received") != NULL)
		sip_osip_error = SIP_ERR_BODY_SHORT;
	else if (strcasestr(msg, "header") != NULL ||
	    strcasestr(msg, "crlf") != NULL)
		sip_osip_error = SIP_ERR_HEADER;
	else
		sip_osip_error = SIP_ERR_OSIP;
}

/*
 * osip2 makes dozens of small allocations per message and frees them all
 * when the message is freed.  While sip_parse() runs, they come from a
 * per-thread arena instead, reset for every message: osip_free() of an
 * arena block does nothing.  Blocks that do not fit, and any allocation
 * outside sip_parse(), go to malloc(); the address range tells which is
 * which, so a mix is always freed correctly.
 */
#define SIP_ARENA_SIZE	(512 * 1024)
#define SIP_ARENA_ALIGN	16

struct sip_arena {
	uint8_t	*base;
	size_t	 used;
	int	 active;
};

static __thread struct sip_arena sip_arena;

static int
sip_arena_owns(const void *p)
{
	const uint8_t	*q = p;

	return (sip_arena.base != NULL && q >= sip_arena.base &&
	    q < sip_arena.base + SIP_ARENA_SIZE);
}

static void *
sip_arena_malloc(size_t size)
{
	size_t	 need;
	uint8_t	*p;

	if (!sip_arena.active)
		return (malloc(size));
	need = SIP_ARENA_ALIGN + ((size + SIP_ARENA_ALIGN - 1) &
	    ~(size_t)(SIP_ARENA_ALIGN - 1));
	if (size > SIP_ARENA_SIZE || need > SIP_ARENA_SIZE - sip_arena.used)
		return (malloc(size));
	p = sip_arena.base + sip_arena.used;
	memcpy(p, &size, sizeof size);	/* the block's size, for realloc */
	sip_arena.used += need;
	return (p + SIP_ARENA_ALIGN);
}

static void
sip_arena_free(void *p)
{
	if (p != NULL && !sip_arena_owns(p))
		free(p);
}

static void *
sip_arena_realloc(void *p, size_t size)
{
	size_t	 old;
	void	*q;

	if (p == NULL)
		return (sip_arena_malloc(size));
	if (!sip_arena_owns(p))
		return (realloc(p, size));
	memcpy(&old, (uint8_t *)p - SIP_ARENA_ALIGN, sizeof old);
	if ((q = sip_arena_malloc(size)) == NULL)
		return (NULL);
	memcpy(q, p, old < size ? old : size);
	return (q);
}

/* Start using this thread's arena (allocated on first use).  0 or -1. */
int
sip_arena_begin(void)
{
	if (sip_arena.base == NULL &&
	    (sip_arena.base = malloc(SIP_ARENA_SIZE)) == NULL)
		return (-1);
	sip_arena.used = 0;
	sip_arena.active = 1;
	return (0);
}

void
sip_thread_done(void)
{
	free(sip_arena.base);
	sip_arena.base = NULL;
	sip_arena.used = 0;
	sip_arena.active = 0;
}

void
sip_arena_end(void)
{
	sip_arena.active = 0;
	sip_arena.used = 0;
}

/* A C string's number (sip_span_number()); -1 for NULL or none. */
static long
sip_leading_number(const char *s)
{
	return (s != NULL ? sip_span_number(s, strlen(s)) : -1);
}

/*
 * Fill VAL[] with the value of the first header of each generic name
 * (NULL when absent, "" when empty), walking osip2's list of other
 * headers once.
 */
static void
sip_scan_headers(osip_message_t *m, const char *val[SIP_H_GENERIC])
{
	osip_list_iterator_t	 it;
	osip_header_t		*h;
	enum sip_hdr		 i;

	for (i = 0; i < SIP_H_GENERIC; i++)
		val[i] = NULL;
	for (h = osip_list_get_first(&m->headers, &it); h != NULL;
	    h = osip_list_get_next(&it)) {
		if (h->hname == NULL)
			continue;
		i = sip_hdr_lookup(h->hname, strlen(h->hname));
		if (i < SIP_H_GENERIC && val[i] == NULL)
			val[i] = h->hvalue != NULL ? h->hvalue : "";
	}
}

/* sip_split_param() on a C string (NULL: nothing). */
static void
sip_split_cparam(struct sip_build *b, const char *v, struct sip_str *token,
    const char *param, struct sip_str *pval)
{
	if (v != NULL)
		sip_split_param(b, v, strlen(v), token, param, pval);
}

static void
sb_puts_unquoted(struct sip_build *b, struct sip_str *dst, const char *s)
{
	sb_put_unquoted(b, dst, s, s != NULL ? strlen(s) : 0);
}

static void
sip_copy_uri(struct sip_build *b, osip_uri_t *url, struct sip_nameaddr *na)
{
	char	*s = NULL;

	if (url == NULL)
		return;
	if (osip_uri_to_str(url, &s) == 0 && s != NULL) {
		sb_puts(b, &na->uri, s);
		osip_free(s);
	}
	sb_puts(b, &na->user, url->username);
	sb_puts(b, &na->host, url->host);
}

static void
sip_copy_nameaddr(struct sip_build *b, osip_from_t *f, struct sip_nameaddr *na)
{
	osip_generic_param_t	*tag = NULL;

	if (f == NULL)
		return;
	sb_puts_unquoted(b, &na->display, f->displayname);
	sip_copy_uri(b, f->url, na);
	if (osip_from_get_tag(f, &tag) >= 0 && tag != NULL)
		sb_puts(b, &na->tag, tag->gvalue);
}

static void
sip_copy_vias(struct sip_build *b, osip_message_t *m, struct sip_msg *msg)
{
	osip_via_t		*via;
	osip_generic_param_t	*p;
	struct sip_via		*v;
	long			 port;
	int			 i, n;

	n = osip_list_size(&m->vias);
	msg->via_total = n > 0 ? (unsigned)n : 0;
	for (i = 0; i < n && msg->nvia < SIP_VIA_KEEP; i++) {
		if ((via = osip_list_get(&m->vias, i)) == NULL)
			continue;
		v = &msg->via[msg->nvia++];
		v->rport = -1;
		sb_puts(b, &v->transport, via->protocol);
		sb_puts(b, &v->host, via->host);
		port = sip_leading_number(via->port);
		v->port = port > 0 && port <= 65535 ? (uint16_t)port : 0;
		p = NULL;
		if (osip_via_param_get_byname(via, "branch", &p) >= 0 &&
		    p != NULL)
			sb_puts(b, &v->branch, p->gvalue);
		p = NULL;
		if (osip_via_param_get_byname(via, "received", &p) >= 0 &&
		    p != NULL)
			sb_puts(b, &v->received, p->gvalue);
		p = NULL;
		if (osip_via_param_get_byname(via, "rport", &p) >= 0 &&
		    p != NULL) {
			port = sip_leading_number(p->gvalue);
			v->rport = port > 0 && port <= 65535 ? (int)port : 0;
		}
	}
}

static void
sip_copy_auth(struct sip_build *b, osip_message_t *m, struct sip_msg *msg)
{
	osip_authorization_t		*a = NULL;
	osip_www_authenticate_t		*w = NULL;

	a = osip_list_get(&m->authorizations, 0);
	if (a == NULL)
		a = osip_list_get(&m->proxy_authorizations, 0);
	if (a != NULL) {
		msg->has_auth = 1;
		sb_puts_unquoted(b, &msg->auth_nonce, a->nonce);
	}
	w = osip_list_get(&m->www_authenticates, 0);
	if (w == NULL)
		w = osip_list_get(&m->proxy_authenticates, 0);
	if (w != NULL) {
		sb_puts_unquoted(b, &msg->challenge_nonce, w->nonce);
		if (w->stale != NULL && strcasestr(w->stale, "true") != NULL)
			msg->challenge_stale = 1;
	}
}

/*
 * Everything but Content-Length, which osip2 never sees as sent (see
 * sip_osip_input()).
 */
static void
sip_copy(struct sip_build *b, osip_message_t *m, struct sip_msg *msg)
{
	osip_contact_t	*contact = NULL;
	osip_from_t	*refer = NULL;
	const char	*hv[SIP_H_GENERIC];
	const char	*v;
	char		 ct[256];
	long		 n;

	if (MSG_IS_REQUEST(m)) {
		msg->is_request = 1;
		sb_puts(b, &msg->method_name, m->sip_method);
		msg->method = sip_method_from(msg->method_name.s,
		    msg->method_name.len);
		if (m->req_uri != NULL) {
			struct sip_nameaddr ru;

			memset(&ru, 0, sizeof ru);
			sip_copy_uri(b, m->req_uri, &ru);
			msg->ruri = ru.uri;
			msg->ruri_user = ru.user;
		}
	} else {
		msg->status = m->status_code;
		sb_puts(b, &msg->reason, m->reason_phrase);
	}

	if (m->call_id != NULL) {
		char *s = NULL;

		if (osip_call_id_to_str(m->call_id, &s) == 0 && s != NULL) {
			sb_puts(b, &msg->call_id, s);
			osip_free(s);
		}
	}
	if (m->cseq != NULL) {
		n = sip_leading_number(m->cseq->number);
		msg->cseq = n >= 0 && n <= 0xffffffffL ? (uint32_t)n : 0;
		sb_puts(b, &msg->cseq_method_name, m->cseq->method);
		msg->cseq_method = sip_method_from(msg->cseq_method_name.s,
		    msg->cseq_method_name.len);
		if (!msg->is_request)
			msg->method = msg->cseq_method;
	}
	sip_copy_vias(b, m, msg);
	sip_copy_nameaddr(b, m->from, &msg->from);
	sip_copy_nameaddr(b, m->to, &msg->to);
	if (osip_message_get_contact(m, 0, &contact) >= 0 && contact != NULL)
		sip_copy_nameaddr(b, contact, &msg->contact);

	sip_scan_headers(m, hv);
	if ((v = hv[SIP_H_REFER_TO]) != NULL &&
	    osip_from_init(&refer) == 0) {
		if (osip_from_parse(refer, v) == 0)
			sip_copy_nameaddr(b, refer, &msg->refer_to);
		else
			sb_puts(b, &msg->refer_to.uri, v);
		osip_from_free(refer);
	}
	msg->max_forwards = (int)sip_leading_number(
	    hv[SIP_H_MAX_FORWARDS]);
	if (msg->max_forwards > 255)
		msg->max_forwards = 255;
	msg->expires = sip_leading_number(hv[SIP_H_EXPIRES]);
	msg->retry_after = sip_leading_number(
	    hv[SIP_H_RETRY_AFTER]);
	sip_split_cparam(b, hv[SIP_H_EVENT], &msg->event,
	    "id", &msg->event_id);
	sip_split_cparam(b, hv[SIP_H_SUB_STATE],
	    &msg->sub_state, "reason", &msg->sub_reason);
	if (m->content_type != NULL && m->content_type->type != NULL) {
		const char	*sub = m->content_type->subtype != NULL ?
			    m->content_type->subtype : "";
		size_t		 tl = strlen(m->content_type->type);
		size_t		 sl = strlen(sub), len, i;

		/* "type/subtype", lower case, cut to the buffer. */
		if (tl > sizeof ct - 2)
			tl = sizeof ct - 2;
		if (sl > sizeof ct - 2 - tl)
			sl = sizeof ct - 2 - tl;
		memcpy(ct, m->content_type->type, tl);
		ct[tl] = '/';
		memcpy(ct + tl + 1, sub, sl);
		len = tl + 1 + sl;
		for (i = 0; i < len; i++)
			ct[i] = (char)tolower((unsigned char)ct[i]);
		sb_put(b, &msg->content_type, ct, len);
	}
	sb_puts(b, &msg->user_agent, hv[SIP_H_USER_AGENT]);
	sb_puts(b, &msg->server, hv[SIP_H_SERVER]);
	sb_puts(b, &msg->warning, hv[SIP_H_WARNING]);
	sb_puts(b, &msg->reason_hdr, hv[SIP_H_REASON]);
	sip_copy_auth(b, m, msg);
}

void
sip_global_init(void)
{
	/* Levels below TRACE_LEVEL3: fatal, bug, error.  All go to the hook. */
	osip_trace_initialize_func(TRACE_LEVEL3, sip_osip_trace);
	osip_set_allocators(sip_arena_malloc, sip_arena_realloc,
	    sip_arena_free);
	parser_init();
}

size_t
sip_parse_space(size_t len)
{
	/*
	 * The struct, the raw bytes and a NUL, then the extracted strings:
	 * each a part of the message, possibly twice (a URI and its user
	 * part), plus a NUL and a few separators each.  sb_put() truncates
	 * rather than overrun if that ever falls short.
	 */
	return (sizeof(struct sip_msg) + len + 1 + 3 * len + 1024);
}

/*
 * What osip2 parses: a copy of the header section (arena memory, valid
 * until sip_arena_end()), each Content-Length value written as "0" and
 * blanks.  With no body and a zero length, osip2 skips its body parser;
 * the real value is read from the message itself.  NULL when out of
 * memory.
 */
static char *
sip_osip_input(const uint8_t *data, const struct sip_scan *sc)
{
	char	*in;
	size_t	 i, s, e;

	if ((in = sip_arena_malloc(sc->hdr_end + 1)) == NULL)
		return (NULL);
	memcpy(in, data, sc->hdr_end);
	in[sc->hdr_end] = '\0';
	for (i = 0; i < sc->nclen && i < SIP_SCAN_CLEN; i++) {
		s = sc->clen[i][0];
		e = sc->clen[i][1];
		if (e > s) {
			memset(in + s, ' ', e - s);
			in[s] = '0';
		}
	}
	return (in);
}

/* The osip2 path: 0 with *MSGP built in BUF, or -1 and the reason. */
static int
sip_parse_osip(const uint8_t *data, size_t len, const struct sip_scan *sc,
    void *buf, size_t size, struct sip_msg **msgp, enum sip_error *err)
{
	osip_message_t		*m = NULL;
	struct sip_msg		*msg;
	struct sip_build	 b;
	char			*in;
	enum sip_error		 e;
	int			 i;

	if (sip_arena_begin() == -1) {
		*err = SIP_ERR_TOO_LARGE;
		return (-1);
	}
	if ((in = sip_osip_input(data, sc)) == NULL ||
	    osip_message_init(&m) != 0) {
		sip_arena_free(in);
		sip_arena_end();
		*err = SIP_ERR_OSIP;
		return (-1);
	}
	sip_osip_error = SIP_ERR_NONE;
	i = osip_message_parse(m, in, sc->hdr_end);
	sip_arena_free(in);	/* arena memory: nothing to do, in fact */
	if (i != 0) {
		osip_message_free(m);
		sip_arena_end();
		*err = sip_osip_error != SIP_ERR_NONE ? sip_osip_error :
		    SIP_ERR_OSIP;
		return (-1);
	}

	msg = sip_msg_layout(data, len, buf, size, &b);
	sip_copy(&b, m, msg);
	osip_message_free(m);
	sip_arena_end();
	if (sc->nclen > 0)
		sip_set_content_length(msg, (const char *)data + sc->clen[0][0],
		    sc->clen[0][1] - sc->clen[0][0]);

	if ((e = sip_check_mandatory(msg)) != SIP_ERR_NONE) {
		*err = e;
		return (-1);
	}
	*msgp = msg;
	return (0);
}

int
sip_parse_buf(const uint8_t *data, size_t len, void *buf, size_t size,
    struct sip_msg **msgp, enum sip_error *err)
{
	struct sip_msg		*msg;
	struct sip_scan		 sc;

	*msgp = NULL;
	*err = SIP_ERR_NONE;
	if (len == 0) {
		*err = SIP_ERR_OSIP;
		return (-1);
	}
	if (size < sip_parse_space(len)) {
		*err = SIP_ERR_TOO_LARGE;
		return (-1);
	}
	sip_scan(data, len, &sc);
	if (len > SIP_MSG_MAX)
		*err = SIP_ERR_TOO_LARGE;
	else if (sc.limit != SIP_ERR_NONE)
		*err = sc.limit;
	else if (sip_parse_osip(data, len, &sc, buf, size, msgp, err) == 0) {
		msg = *msgp;
		sip_set_body(msg, sc.has_end ? sc.hdr_end : len);
		if (msg->bad_content_length)
			*err = SIP_ERR_BAD_CONTENT_LENGTH;
		else if (msg->content_length >= 0 &&
		    msg->body_len < (size_t)msg->content_length)
			*err = SIP_ERR_BODY_SHORT;
		return (0);
	}

	/* Rejected or stopped: still track it if its fields can be read. */
	if ((msg = sip_salvage(data, len, buf, size)) == NULL)
		return (-1);
	*msgp = msg;
	return (0);
}

int
sip_parse(const uint8_t *data, size_t len, struct sip_msg **msgp,
    enum sip_error *err)
{
	size_t	 size;
	void	*buf;

	*msgp = NULL;
	if (len > SIP_MSG_MAX + 1)
		len = SIP_MSG_MAX + 1;	/* what the pipeline keeps of it */
	size = sip_parse_space(len);
	if ((buf = malloc(size)) == NULL) {
		*err = SIP_ERR_TOO_LARGE;
		return (-1);
	}
	if (sip_parse_buf(data, len, buf, size, msgp, err) == -1) {
		free(buf);
		return (-1);
	}
	(*msgp)->heap = 1;
	return (0);
}

void
sip_msg_free(struct sip_msg *msg)
{
	if (msg != NULL && msg->heap)
		free(msg);
}
