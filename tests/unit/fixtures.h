/*
 * fixtures.h: what several unit suites feed their module: a minimal
 * INVITE and addresses written as sipwatch prints them.
 */
#ifndef SW_TESTS_FIXTURES_H
#define SW_TESTS_FIXTURES_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/addr.h"

/* An INVITE from 192.0.2.1:5060 to bob@192.0.2.2, Call-ID c1@192.0.2.1. */
static const char fixture_invite[] =
    "INVITE sip:bob@192.0.2.2 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-1\r\n"
    "From: <sip:alice@192.0.2.1>;tag=a1\r\n"
    "To: <sip:bob@192.0.2.2>\r\n"
    "Call-ID: c1@192.0.2.1\r\n"
    "CSeq: 1 INVITE\r\n"
    "Content-Length: 0\r\n\r\n";

/* *A from S, "IP:PORT" or "[IPV6]:PORT" (sw_addr_parse()); fails the test otherwise. */
static inline void
fixture_addr(struct sw_addr *a, const char *s)
{
	ck_assert_msg(sw_addr_parse(s, a) == 0, "bad address %s", s);
}

/*
 * Run suite S in a temporary directory: TMPDIR, a mkdtemp(3) template,
 * is made first (the tests write below it) and removed with what they
 * left afterwards.  FORK: CK_FORK_GETENV (Check's default), CK_FORK or
 * CK_NOFORK.  Returns main()'s exit status: 0, 1 when a test failed, 99
 * when the directory cannot be made.
 */
static inline int
fixture_run_in_tmpdir(Suite *s, char *tmpdir, enum fork_status fork)
{
	SRunner	*sr;
	int	 failed;
	char	 cmd[300];

	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return (99);
	}
	sr = srunner_create(s);
	srunner_set_fork_status(sr, fork);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	return (failed == 0 ? 0 : 1);
}

/*
 * A SIP message from TEXT written with "\n" line ends and an optional body
 * after the first empty line: into BUF (SIZE bytes) with CRLF line ends
 * and the Content-Length of the body.  Returns its length; fails the test
 * when it does not fit.
 */
static inline size_t
fixture_sip_text(const char *text, char *buf, size_t size)
{
	const char	*body, *p;
	size_t		 n = 0, blen, hlen;
	int		 w;

	body = strstr(text, "\n\n");
	hlen = body != NULL ? (size_t)(body - text) : strlen(text);
	blen = body != NULL ? strlen(body + 2) : 0;
	for (p = text; p < text + hlen; p++) {
		ck_assert_uint_lt(n + 2, size);
		if (*p == '\n')
			buf[n++] = '\r';
		buf[n++] = *p;
	}
	w = snprintf(buf + n, size - n, "\r\nContent-Length: %zu\r\n\r\n%s",
	    blen, body != NULL ? body + 2 : "");
	ck_assert(w > 0 && (size_t)w < size - n);
	return (n + (size_t)w);
}

#endif
