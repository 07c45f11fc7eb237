/*
 * rules-int.h: what the rule files (src/rules/rules-*.c) share: the text
 * being built and its helpers, and the entries rules.c collects.
 */
#ifndef SW_RULES_INT_H
#define SW_RULES_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/addr.h"
#include "rules/rules.h"

/* A growing string (malloc'd; NUL-terminated once anything was added). */
struct rules_buf {
	char	*s;
	size_t	 len;
};

/* What a rule_text_fn writes into, and the addresses it may quote. */
struct rule_text {
	struct rules_buf	 sum;	/* summary: what happened */
	struct rules_buf	 adv;	/* advice: what to do */
	const char		*src;	/* the context's src as "ip:port", or "?" */
	const char		*dst;
};

/* Append the printf-style text to B (aborts when memory runs out). */
void		 rules_cat(struct rules_buf *b, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/* S, or "" for NULL. */
const char	*nz(const char *s);
/* Microseconds as seconds. */
double		 secs(int64_t us);

/* rules-txn.c */
extern const struct rule_entry rule_invite_timeout;
extern const struct rule_entry rule_non_invite_timeout;
extern const struct rule_entry rule_retransmission;
/* rules-call.c */
extern const struct rule_entry rule_ack_missing;
extern const struct rule_entry rule_redirect_loop;
extern const struct rule_entry rule_global_failure;
extern const struct rule_entry rule_bad_gateway;
extern const struct rule_entry rule_loop_detected;
/* rules-refer.c */
extern const struct rule_entry rule_refer_no_notify;
extern const struct rule_entry rule_refer_rejected;
extern const struct rule_entry rule_transfer_failed;
/* rules-peer.c */
extern const struct rule_entry rule_retry_after_violation;
extern const struct rule_entry rule_premature_retry;
extern const struct rule_entry rule_server_error_burst;
/* rules-attack.c */
extern const struct rule_entry rule_scanner;
extern const struct rule_entry rule_auth_failure_burst;
/* rules-reg.c, rules-sub.c, rules-media.c, rules-rate.c */
extern const struct rule_entry rule_registration_failed;
extern const struct rule_entry rule_subscription_failed;
extern const struct rule_entry rule_media_rejected;
extern const struct rule_entry rule_call_failure_rate;
extern const struct rule_entry rule_account_compromised;
extern const struct rule_entry rule_toll_fraud;
/* rules-rtp.c (issue 16) */
extern const struct rule_entry rule_no_media;
extern const struct rule_entry rule_one_way_media;
extern const struct rule_entry rule_media_nat_mismatch;
extern const struct rule_entry rule_media_quality;
extern const struct rule_entry rule_media_timeout;
extern const struct rule_entry rule_late_media;

#endif
