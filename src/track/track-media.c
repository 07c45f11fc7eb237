/*
 * track-media.c: offers and answers (RFC 3264) and media-rejected.
 *
 * The latest SDP offer of each Call-ID (an INVITE or UPDATE with an SDP
 * body, RFC 3261 13.2.1, RFC 3311 5.1) is kept summarised (the media
 * lines by name, sip_sdp_format()), with the CSeq and method of its
 * request; a 2xx that carries SDP records the media the session then
 * uses.  A 488 or 606 (RFC 3261 21.4.26, 21.6.4) or a 415 (21.4.13) to
 * such a request is media-rejected: the offered media, what the answer
 * says it accepts (SDP in the response, Accept, a Warning 3xx, RFC 3261
 * 20.43), and for a re-offer inside a call that the call goes on with
 * the media it had (RFC 3261 14.1).  One verdict per request, whatever
 * the hops that relay it.  The body is read once per message, with the
 * media announcements (track_sdp(), track-sdp.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sip/sip-sdp.h"
#include "track/track-int.h"

/* The summary of M's SDP body into BUF (LEN bytes): its media lines
 * (sip_sdp_format()), 0 when M has none or the body is unreadable. */
static size_t
media_summary(struct track *tr, const struct sip_msg *m, char *buf,
    size_t len)
{
	const struct sip_sdp	*sdp;

	buf[0] = '\0';
	if (!track_sdp(tr, m, &sdp) || sdp == NULL)
		return (0);
	return (sip_sdp_format(sdp, buf, len));
}

void
media_request(struct track *tr, struct cidrec *cr, const struct sip_msg *m)
{
	struct cidinfo		*ci;
	const struct sip_sdp	*sdp;
	char			 sum[CIDINFO_MAX];

	if (!track_sdp(tr, m, &sdp))
		return;
	ci = cidrec_info(cr);
	/* The same offer at another hop of the request: keep it. */
	if (ci->offer != NULL && ci->offer_cseq == m->cseq &&
	    ci->offer_method == (uint8_t)m->method)
		return;
	if (sdp == NULL || sip_sdp_format(sdp, sum, sizeof sum) == 0)
		return;
	cidinfo_set(&ci->offer, sum, strlen(sum));
	ci->offer_cseq = m->cseq;
	ci->offer_method = (uint8_t)m->method;
}

int
media_offered(const struct cidrec *cr, const struct sip_msg *m)
{
	return (cr->info != NULL && cr->info->offer != NULL &&
	    cr->info->offer_cseq == m->cseq &&
	    cr->info->offer_method == (uint8_t)m->method);
}

void
media_final(struct track *tr, struct cidrec *cr, struct txn *t,
    const struct sip_msg *m, int64_t ts)
{
	struct cidinfo	*ci = cr->info;
	struct rule_ctx	 c;
	char		 answer[CIDINFO_MAX], accept[128];
	int		 code = m->status;

	if (code >= 200 && code < 300) {
		if (media_summary(tr, m, answer, sizeof answer) > 0)
			cidinfo_set(&cidrec_info(cr)->media, answer,
			    strlen(answer));
		return;
	}
	if ((code != 488 && code != 606 && code != 415) ||
	    !media_offered(cr, m))
		return;
	t->flags |= TXN_F_REPORTED;
	if (track_fired(cr, RULE_MEDIA_REJECTED, m->cseq, m->method))
		return;
	track_ctx_init(&c, RULE_MEDIA_REJECTED, ts, cr);
	c.src = &t->server;
	c.dst = &t->client;
	c.method = sip_method_name(m->method);
	track_ctx_final(&c, m);
	c.offer = ci->offer;
	if (media_summary(tr, m, answer, sizeof answer) > 0)
		c.answer = answer;
	if (sip_header_value(m, "Accept", accept, sizeof accept))
		c.accept = accept;
	/* A re-offer inside an established call (RFC 3261 14.1). */
	if (m->to.tag.s != NULL && (t->flags & TXN_F_IN_DIALOG)) {
		c.flags |= RULE_F_IN_DIALOG;
		c.prev = ci->media;
	}
	track_raise(tr, &c);
}
