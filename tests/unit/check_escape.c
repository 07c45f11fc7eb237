/*
 * check_escape.c: RFC 3629 UTF-8 and the escaping of text from the wire
 * at every output meant for a person (issue 20, items 3 and 4): the
 * validator's table, sw_utf8_escape(), the -N alert line and the
 * dashboard canvas.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "alert/alert.h"
#include "core/utf8.h"
#include "ui/ui-int.h"

/* RFC 3629 section 4 and the Unicode table of well-formed sequences. */
START_TEST(test_utf8_seq)
{
	static const struct {
		const char	*bytes;
		size_t		 n;		/* 0: not well-formed */
		uint32_t	 cp;
	} t[] = {
		{ "A", 1, 0x41 },
		{ "\x7f", 1, 0x7f },
		{ "\xc2\x80", 2, 0x80 },
		{ "\xdf\xbf", 2, 0x7ff },
		{ "\xe0\xa0\x80", 3, 0x800 },
		{ "\xed\x9f\xbf", 3, 0xd7ff },
		{ "\xee\x80\x80", 3, 0xe000 },
		{ "\xef\xbf\xbf", 3, 0xffff },
		{ "\xf0\x90\x80\x80", 4, 0x10000 },
		{ "\xf4\x8f\xbf\xbf", 4, 0x10ffff },
		/* Overlong forms. */
		{ "\xc0\x80", 0, 0 },
		{ "\xc1\xbf", 0, 0 },
		{ "\xe0\x80\x80", 0, 0 },
		{ "\xe0\x9f\xbf", 0, 0 },
		{ "\xf0\x80\x80\x80", 0, 0 },
		{ "\xf0\x8f\xbf\xbf", 0, 0 },
		/* Surrogates (issue 20: ED A0 80 reached syslog). */
		{ "\xed\xa0\x80", 0, 0 },
		{ "\xed\xbf\xbf", 0, 0 },
		/* Above U+10FFFF, and bytes that never appear. */
		{ "\xf4\x90\x80\x80", 0, 0 },
		{ "\xf5\x80\x80\x80", 0, 0 },
		{ "\xff", 0, 0 },
		/* A continuation byte alone; a sequence cut short. */
		{ "\x80", 0, 0 },
		{ "\xe2\x82", 0, 0 },
		{ "\xe2\x28\xa1", 0, 0 },
	};
	uint32_t	cp;
	size_t		i, len;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		len = strlen(t[i].bytes);
		cp = 0xdeadbeef;
		ck_assert_msg(sw_utf8_seq(t[i].bytes, len, &cp) == t[i].n,
		    "case %zu", i);
		if (t[i].n > 0)
			ck_assert_uint_eq(cp, t[i].cp);
		ck_assert_int_eq(sw_utf8_valid(t[i].bytes, len), t[i].n == len);
	}
	ck_assert_uint_eq(sw_utf8_seq("\xe2\x82\xac", 2, NULL), 0);
	ck_assert_uint_eq(sw_utf8_seq("x", 0, NULL), 0);
	ck_assert(sw_utf8_valid("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac", 12));
	ck_assert(!sw_utf8_valid("ok \xed\xa0\x80", 6));
	ck_assert(sw_utf8_is_control(0x1b));
	ck_assert(sw_utf8_is_control(0x7f));
	ck_assert(sw_utf8_is_control(0x9b));
	ck_assert(!sw_utf8_is_control(0xa0));
	ck_assert(!sw_utf8_is_control(' '));
}
END_TEST

START_TEST(test_escape)
{
	char	*s;

	s = sw_utf8_escape_str("friendly-scanner\x1b]0;PWNED\x07\x1b[2J", 0);
	ck_assert_str_eq(s, "friendly-scanner\\x1b]0;PWNED\\x07\\x1b[2J");
	free(s);
	/* Surrogate, C1 CSI, a stray byte; UTF-8 text kept; backslash kept. */
	s = sw_utf8_escape_str("a\xed\xa0\x80" "b\xc2\x9b" "c\xff"
	    "d caf\xc3\xa9 \\\"q\\\"", 0);
	ck_assert_str_eq(s, "a\\xed\\xa0\\x80b\\xc2\\x9bc\\xffd caf\xc3\xa9 "
	    "\\\"q\\\"");
	free(s);
	s = sw_utf8_escape("l1\nl2\r\n\0x", 9, SW_ESC_NL);
	ck_assert_str_eq(s, "l1\nl2\\x0d\n\\x00x");
	free(s);
	s = sw_utf8_escape("l1\nl2", 5, 0);
	ck_assert_str_eq(s, "l1\\x0al2");
	free(s);
	s = sw_utf8_escape_str(NULL, 0);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

/* The -N line: Call-ID, summary and agent from the wire, escaped. */
START_TEST(test_alert_line)
{
	struct alert	 a;
	char		*line;

	alert_init(&a, 1700000000000000LL, "bad-gateway", ALERT_ERROR,
	    "esc\x1b]0;T\x07@h", 11, "192.0.2.1:5060", "192.0.2.2:5060",
	    "INVITE", 502);
	free(a.summary);
	a.summary = strdup("502 Bad\x1b[2J Gateway\xed\xa0\x80");
	line = alert_format_text(&a);
	ck_assert_ptr_null(strchr(line, '\x1b'));
	ck_assert_ptr_null(strchr(line, '\x07'));
	ck_assert_ptr_nonnull(strstr(line, "esc\\x1b]0;T\\x07@h"));
	ck_assert_ptr_nonnull(strstr(line,
	    "502 Bad\\x1b[2J Gateway\\xed\\xa0\\x80"));
	ck_assert(sw_utf8_valid(line, strlen(line)));
	free(line);
	alert_clear(&a);
}
END_TEST

/* The dashboard draws every string through ui_canvas_text(). */
START_TEST(test_canvas)
{
	struct ui_canvas	 c;
	char			*row;
	int			 used;

	memset(&c, 0, sizeof c);
	ui_canvas_resize(&c, 60, 2);
	c.utf8 = 1;
	used = ui_canvas_text(&c, 0, 0, 60, UI_COL_NORMAL,
	    "UA friendly\x1b]0;X\x07\xed\xa0\x80 caf\xc3\xa9");
	row = ui_canvas_row(&c, 0);
	ck_assert_str_eq(row,
	    "UA friendly\\x1b]0;X\\x07\\xed\\xa0\\x80 caf\xc3\xa9");
	ck_assert_int_eq(used, 40);
	free(row);
	/* Cut to the width, never in the middle of a raw control. */
	ui_canvas_text(&c, 0, 1, 6, UI_COL_NORMAL, "ab\x1b[2J");
	row = ui_canvas_row(&c, 1);
	ck_assert_str_eq(row, "ab\\x1b");
	free(row);
	ui_canvas_free(&c);
}
END_TEST

static Suite *
escape_suite(void)
{
	Suite	*s = suite_create("escape");
	TCase	*tc = tcase_create("escape");

	tcase_add_test(tc, test_utf8_seq);
	tcase_add_test(tc, test_escape);
	tcase_add_test(tc, test_alert_line);
	tcase_add_test(tc, test_canvas);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(escape_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
