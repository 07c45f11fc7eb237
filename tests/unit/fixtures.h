/*
 * fixtures.h: what several unit suites feed their module: a minimal
 * INVITE and addresses written as sipwatch prints them.
 */
#ifndef SW_TESTS_FIXTURES_H
#define SW_TESTS_FIXTURES_H

#include <check.h>

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

#endif
