/*
 * fuzz_sip.c: libFuzzer target for SIP detection, the osip2 wrapper, its
 * work bounds (sip_scan()) and the lenient reader (sip_salvage()), which
 * is run on every input as well, whatever osip2 made of it, and the text
 * readers of sip-text.c (sipfrag, header values and names, SDP summaries,
 * AORs) on each message and on the raw input.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sip/sip-int.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Results are written here so the compiler cannot drop the reads. */
volatile size_t	fuzz_sink;
int	LLVMFuzzerInitialize(int *, char ***);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	sip_global_init();
	return (0);
}

/* Read S whole: its length must be its strlen(), within the block. */
static void
fuzz_str(const struct sip_str *s)
{
	if (s->s == NULL)
		return;
	if (strlen(s->s) != s->len)
		abort();
	fuzz_sink += s->len;
}

static void
fuzz_nameaddr(const struct sip_nameaddr *na)
{
	fuzz_str(&na->display);
	fuzz_str(&na->uri);
	fuzz_str(&na->user);
	fuzz_str(&na->host);
	fuzz_str(&na->tag);
}

/* The text readers on M: full and tiny buffers. */
static void
fuzz_text(const struct sip_msg *m)
{
	char	buf[256], small[9];

	fuzz_sink += sip_header_names(m, buf, sizeof buf);
	fuzz_sink += sip_header_names(m, small, sizeof small);
	fuzz_sink += strlen(buf) + strlen(small);
	fuzz_sink += (size_t)sip_header_value(m, "Accept", buf, sizeof buf);
	fuzz_sink += sip_sdp_summary(m->body, m->body_len, buf, sizeof buf);
	fuzz_sink += sip_uri_aor(m->to.uri.s, m->to.uri.len, buf, sizeof buf);
	fuzz_sink += sip_uri_aor(m->to.uri.s, m->to.uri.len, small,
	    sizeof small);
}

/* Every extracted string and the body: bounds are checked by ASan. */
static void
fuzz_msg(const struct sip_msg *m)
{
	unsigned	i;

	if (m->nvia > SIP_VIA_KEEP || m->nvia > m->via_total)
		abort();
	fuzz_str(&m->method_name);
	fuzz_str(&m->reason);
	fuzz_str(&m->ruri);
	fuzz_str(&m->ruri_user);
	fuzz_str(&m->call_id);
	fuzz_str(&m->cseq_method_name);
	for (i = 0; i < m->nvia; i++) {
		fuzz_str(&m->via[i].transport);
		fuzz_str(&m->via[i].host);
		fuzz_str(&m->via[i].branch);
		fuzz_str(&m->via[i].received);
	}
	fuzz_nameaddr(&m->from);
	fuzz_nameaddr(&m->to);
	fuzz_nameaddr(&m->contact);
	fuzz_nameaddr(&m->refer_to);
	fuzz_str(&m->event);
	fuzz_str(&m->event_id);
	fuzz_str(&m->sub_state);
	fuzz_str(&m->sub_reason);
	fuzz_str(&m->content_type);
	fuzz_str(&m->user_agent);
	fuzz_str(&m->server);
	fuzz_str(&m->warning);
	fuzz_str(&m->reason_hdr);
	fuzz_str(&m->auth_nonce);
	fuzz_str(&m->challenge_nonce);
	if (m->body_len > 0) {
		if (m->body < m->raw || m->body + m->body_len > m->raw +
		    m->raw_len)
			abort();
		fuzz_sink += m->body[0] + m->body[m->body_len - 1];
	}
	fuzz_sink += m->raw[m->raw_len - 1];
	fuzz_text(m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sip_startline	 line;
	struct sip_scan		 sc;
	struct sip_msg		*m = NULL, *s;
	enum sip_error		 err;
	size_t			 space;
	void			*buf;
	uint8_t			*copy;
	char			 text[256], small[9];

	(void)sip_detect(data, size, &line);
	/* The readers take any bytes: the input itself as a body and URI. */
	fuzz_sink += sip_sdp_summary(data, size, text, sizeof text);
	fuzz_sink += sip_sdp_summary(data, size, small, sizeof small);
	fuzz_sink += strlen(text) + strlen(small);
	fuzz_sink += sip_uri_aor((const char *)data, size, text, sizeof text);
	fuzz_sink += sip_uri_aor((const char *)data, size, small,
	    sizeof small);
	fuzz_sink += (size_t)sip_sipfrag_status(data, size, text, sizeof text);
	if (sip_parse(data, size, &m, &err) == 0) {
		/* Salvaged: a reason; parsed: none, or a body anomaly. */
		if (m->partial ? err == SIP_ERR_NONE :
		    (err != SIP_ERR_NONE && err != SIP_ERR_BODY_SHORT &&
		    err != SIP_ERR_BAD_CONTENT_LENGTH))
			abort();
		fuzz_msg(m);
		sip_msg_free(m);
	}
	if (size == 0 || size > SIP_MSG_MAX + 1)
		return (0);

	/* An exact-size copy, so that ASan sees any read past the end. */
	copy = malloc(size);
	memcpy(copy, data, size);
	sip_scan(copy, size, &sc);
	if (sc.hdr_end > size || (!sc.has_end && sc.hdr_end != size))
		abort();
	space = sip_parse_space(size);
	buf = malloc(space);
	if ((s = sip_salvage(copy, size, buf, space)) != NULL) {
		if (!s->partial)
			abort();
		fuzz_msg(s);
	}
	free(buf);
	free(copy);
	return (0);
}
