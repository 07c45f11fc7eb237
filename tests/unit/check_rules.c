/*
 * check_rules.c: src/rules: the rule table (one entry per rule, every
 * field set) and the alerts rules_alert() builds from a rule context.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "alert/alert.h"
#include "core/addr.h"
#include "rules/rules.h"

/* Every rule has a unique id, a severity and a KB code. */
START_TEST(test_rule_catalogue)
{
	const struct rule_entry	*d;
	int			 i, j;

	for (i = 0; i < RULE_COUNT; i++) {
		d = rules_entry(i);
		ck_assert_ptr_nonnull(d);
		ck_assert_ptr_nonnull(d->id);
		ck_assert_int_eq(rules_find(d->id), i);
		ck_assert_int_ge(d->kb_code, 100);
		ck_assert_int_lt(d->severity, ALERT_SEVERITY_COUNT);
		for (j = 0; j < i; j++)
			ck_assert_str_ne(rules_entry(j)->id, d->id);
	}
	ck_assert_ptr_null(rules_entry(RULE_COUNT));
	ck_assert_int_eq(rules_find("no-such-rule"), -1);
	ck_assert_int_eq(rules_entry(RULE_PREMATURE_RETRY)->severity,
	    ALERT_NOTICE);
	ck_assert_int_eq(rules_entry(RULE_GLOBAL_FAILURE)->severity,
	    ALERT_NOTICE);
	ck_assert_int_eq(rules_entry(RULE_ACCOUNT_COMPROMISED)->severity,
	    ALERT_CRITICAL);
	ck_assert_int_eq(rules_entry(RULE_TOLL_FRAUD)->severity,
	    ALERT_CRITICAL);
	/* The attack rules, and only they, are about a source IP. */
	for (i = 0; i < RULE_COUNT; i++) {
		d = rules_entry(i);
		ck_assert_int_eq(d->attack, i == RULE_SCANNER ||
		    i == RULE_AUTH_FAILURE_BURST ||
		    i == RULE_ACCOUNT_COMPROMISED || i == RULE_TOLL_FRAUD);
		ck_assert_int_eq(d->subject == RULE_SUBJ_SRC_IP, d->attack);
	}
}
END_TEST


/* Every entry names its subject, detector and text builder. */
START_TEST(test_rule_entries_complete)
{
	const struct rule_entry	*e;
	int			 i;

	for (i = 0; i < RULE_COUNT; i++) {
		e = rules_entry(i);
		ck_assert_ptr_nonnull(e->rfc);
		ck_assert_ptr_nonnull(e->trigger);
		ck_assert_ptr_nonnull(e->role);
		ck_assert_msg(strncmp(e->detector, "src/track/", 10) == 0,
		    "%s: detector %s", e->id, e->detector);
		ck_assert_ptr_nonnull(e->text);
		ck_assert_msg(strlen(e->id) < ALERT_RULE_LEN, "%s", e->id);
	}
}
END_TEST

static const char *
kb_fix(int code, void *arg)
{
	(void)arg;
	return (code == 408 ? "Check the next hop." : NULL);
}

/* rules_alert(): the entry's id and severity, the text, the KB fix. */
START_TEST(test_rules_alert)
{
	struct rule_ctx	 c;
	struct alert	 a;
	struct sw_addr	 s, d;

	ck_assert_int_eq(sw_addr_parse("192.0.2.1:5060", &s), 0);
	ck_assert_int_eq(sw_addr_parse("192.0.2.2:5060", &d), 0);
	memset(&c, 0, sizeof c);
	c.rule = RULE_INVITE_TIMEOUT;
	c.ts_us = 1700000032000000LL;
	c.call_id = "abc@h";
	c.call_id_len = 5;
	c.src = &s;
	c.dst = &d;
	c.method = "INVITE";
	c.transport = "UDP";
	c.n = 7;
	c.window_us = 32000000;
	c.retry_after = -1;
	c.flags = RULE_F_GAP;
	rules_alert(&c, kb_fix, NULL, &a);
	ck_assert_str_eq(a.rule, "invite-timeout");
	ck_assert_int_eq(a.severity, ALERT_ERROR);
	ck_assert_int_eq(a.kb_code, 408);
	ck_assert_str_eq(a.call_id, "abc@h");
	ck_assert_str_eq(a.src, "192.0.2.1:5060");
	ck_assert_int_eq(a.gap, 1);
	ck_assert_ptr_nonnull(strstr(a.summary, "INVITE from 192.0.2.1:5060 "
	    "to 192.0.2.2:5060 got no response at all within Timer B "
	    "(32.0 s); sent 7 time(s) over UDP"));
	ck_assert_ptr_nonnull(strstr(a.summary, "TCP stream"));
	ck_assert_ptr_nonnull(strstr(a.advice, " KB 408: Check the next "
	    "hop."));
	alert_clear(&a);
}
END_TEST

static Suite *
rules_suite(void)
{
	Suite	*s = suite_create("rules");
	TCase	*tc = tcase_create("rules");

	tcase_add_test(tc, test_rule_catalogue);
	tcase_add_test(tc, test_rule_entries_complete);
	tcase_add_test(tc, test_rules_alert);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr = srunner_create(rules_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
