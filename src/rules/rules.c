/*
 * rules.c: the rule table and rules_alert(), which turns what the tracker
 * saw into an alert.
 *
 * The table is indexed by enum rule_id and points at each rule's entry
 * (rules-*.c).  rules_alert() lets the rule write its summary and advice,
 * then appends the knowledge-base fix for the alert's code: the one place
 * KB text enters an alert.  All format strings go through _() for
 * translation.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert/alert.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/xmalloc.h"
#include "rules/rules-int.h"

static const struct rule_entry *const rules_table[RULE_COUNT] = {
	[RULE_INVITE_TIMEOUT] = &rule_invite_timeout,
	[RULE_NON_INVITE_TIMEOUT] = &rule_non_invite_timeout,
	[RULE_ACK_MISSING] = &rule_ack_missing,
	[RULE_RETRANSMISSION] = &rule_retransmission,
	[RULE_REFER_NO_NOTIFY] = &rule_refer_no_notify,
	[RULE_REFER_REJECTED] = &rule_refer_rejected,
	[RULE_TRANSFER_FAILED] = &rule_transfer_failed,
	[RULE_RETRY_AFTER_VIOLATION] = &rule_retry_after_violation,
	[RULE_PREMATURE_RETRY] = &rule_premature_retry,
	[RULE_SERVER_ERROR_BURST] = &rule_server_error_burst,
	[RULE_BAD_GATEWAY] = &rule_bad_gateway,
	[RULE_REDIRECT_LOOP] = &rule_redirect_loop,
	[RULE_GLOBAL_FAILURE] = &rule_global_failure,
	[RULE_SCANNER] = &rule_scanner,
	[RULE_AUTH_FAILURE_BURST] = &rule_auth_failure_burst,
	[RULE_LOOP_DETECTED] = &rule_loop_detected,
	[RULE_REGISTRATION_FAILED] = &rule_registration_failed,
	[RULE_SUBSCRIPTION_FAILED] = &rule_subscription_failed,
	[RULE_MEDIA_REJECTED] = &rule_media_rejected,
	[RULE_CALL_FAILURE_RATE] = &rule_call_failure_rate,
	[RULE_ACCOUNT_COMPROMISED] = &rule_account_compromised,
	[RULE_TOLL_FRAUD] = &rule_toll_fraud,
	[RULE_NO_MEDIA] = &rule_no_media,
	[RULE_ONE_WAY_MEDIA] = &rule_one_way_media,
	[RULE_MEDIA_NAT_MISMATCH] = &rule_media_nat_mismatch,
	[RULE_MEDIA_QUALITY] = &rule_media_quality,
	[RULE_MEDIA_TIMEOUT] = &rule_media_timeout,
	[RULE_LATE_MEDIA] = &rule_late_media,
};

const struct rule_entry *
rules_entry(enum rule_id id)
{
	if ((unsigned)id >= RULE_COUNT)
		return (NULL);
	return (rules_table[id]);
}

int
rules_find(const char *name)
{
	int	i;

	for (i = 0; i < RULE_COUNT; i++) {
		if (strcmp(rules_table[i]->id, name) == 0)
			return (i);
	}
	return (-1);
}

void
rules_cat(struct rules_buf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*add;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(&add, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatalx("out of memory");
	b->s = xrealloc(b->s, b->len + (size_t)n + 1);
	memcpy(b->s + b->len, add, (size_t)n + 1);
	b->len += (size_t)n;
	free(add);
}

const char *
nz(const char *s)
{
	return (s != NULL ? s : "");
}

double
secs(int64_t us)
{
	return ((double)us / 1e6);
}

void
rules_alert(const struct rule_ctx *c, rules_kb_fix_fn *kb_fix, void *kb_arg,
    struct alert *out)
{
	const struct rule_entry	*d = rules_table[c->rule];
	struct rule_text	 t;
	char			 sbuf[SW_ADDRSTRLEN], dbuf[SW_ADDRSTRLEN];
	const char		*fix;
	int			 kb;

	memset(&t, 0, sizeof t);
	t.src = c->src != NULL ? sw_addr_format(c->src, sbuf, sizeof sbuf) :
	    "?";
	t.dst = c->dst != NULL ? sw_addr_format(c->dst, dbuf, sizeof dbuf) :
	    "?";
	rules_cat(&t.sum, "%s", "");
	rules_cat(&t.adv, "%s", "");
	d->text(c, &t);

	if (c->flags & RULE_F_GAP)
		rules_cat(&t.sum, "%s", _(" (bytes were missing from the TCP "
		    "stream before this: the capture may lack messages of this "
		    "call)"));
	if (c->flags & RULE_F_PARTIAL)
		rules_cat(&t.sum, "%s", _(" (a message of this evidence was "
		    "malformed and read only in part after a parse error: "
		    "what its other headers said is not known)"));
	if (c->flags & RULE_F_DROPS)
		rules_cat(&t.sum, "%s", _(" (the capture dropped packets near "
		    "this time: messages that would change this verdict may "
		    "be missing)"));
	kb = c->kb_code != 0 ? c->kb_code : d->kb_code;
	if (kb_fix != NULL && d->kb_advice && kb != 0 &&
	    !(c->flags & RULE_F_NO_KB) &&
	    (fix = kb_fix(kb, kb_arg)) != NULL && *fix != '\0')
		rules_cat(&t.adv, _(" KB %d: %s"), kb, fix);

	alert_init(out, c->ts_us, d->id, d->severity, c->call_id,
	    c->call_id != NULL ? c->call_id_len : 0,
	    c->src != NULL ? t.src : NULL, c->dst != NULL ? t.dst : NULL,
	    c->method, c->code);
	out->kb_code = kb;
	out->gap = (c->flags & RULE_F_GAP) != 0;
	out->partial_parse = (c->flags & RULE_F_PARTIAL) != 0;
	out->drops_nearby = (c->flags & RULE_F_DROPS) != 0;
	free(out->summary);
	free(out->advice);
	out->summary = t.sum.s;
	out->advice = t.adv.s;
	if (c->target != NULL) {
		free(out->target);
		out->target = xstrdup(c->target);
	}
}
