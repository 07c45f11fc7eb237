/*
 * check_capture.c: src/capture: the packet times a pcap file gives.
 *
 * A pcap record's seconds are an unsigned 32-bit number (the pcap file
 * format, valid until 2106); libpcap hands them over through a signed
 * field, so times from 2038 on came out before 1970 (the heplify
 * sip_ipv6_udp capture of the shared corpus, whose synthetic times reach
 * 2092).  The capture layer gives them back as they were written.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/capture.h"

#define NREC	4

static const uint32_t	secs[NREC] = {
	1328589362u,	/* 2012-02-07 */
	2147483647u,	/* 2038-01-19T03:14:07Z, the last signed second */
	3215500952u,	/* 2071-11-24, as in the heplify capture */
	4294967295u	/* 2106-02-07T06:28:15Z, the last one */
};
static int64_t		got[NREC];
static int		ngot;

static void
put32(FILE *fp, uint32_t v)
{
	uint8_t	b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 24) };

	ck_assert_uint_eq(fwrite(b, 1, 4, fp), 4);
}

static void
put16(FILE *fp, uint16_t v)
{
	uint8_t	b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	ck_assert_uint_eq(fwrite(b, 1, 2, fp), 2);
}

static void
packet(int64_t ts_us, const uint8_t *data, size_t caplen, size_t wirelen,
    void *arg)
{
	(void)data;
	(void)caplen;
	(void)wirelen;
	(void)arg;
	ck_assert_int_lt(ngot, NREC);
	got[ngot++] = ts_us;
}

START_TEST(test_pcap_times_past_2038)
{
	struct capture_opts	 o;
	struct capture		*cap;
	char			 path[] = "/tmp/check_capture.XXXXXX";
	char			*cause = NULL;
	uint8_t			 frame[14];
	FILE			*fp;
	int			 fd, i, n;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "wb");
	ck_assert_ptr_nonnull(fp);
	/* Global header: little-endian, µs, version 2.4, Ethernet. */
	put32(fp, 0xa1b2c3d4u);
	put16(fp, 2);
	put16(fp, 4);
	put32(fp, 0);
	put32(fp, 0);
	put32(fp, 65535);
	put32(fp, 1);
	memset(frame, 0, sizeof frame);
	for (i = 0; i < NREC; i++) {
		put32(fp, secs[i]);
		put32(fp, 251758);
		put32(fp, sizeof frame);
		put32(fp, sizeof frame);
		ck_assert_uint_eq(fwrite(frame, 1, sizeof frame, fp),
		    sizeof frame);
	}
	ck_assert_int_eq(fclose(fp), 0);

	memset(&o, 0, sizeof o);
	o.file = path;
	cap = capture_open(&o, &cause);
	ck_assert_msg(cap != NULL, "capture_open: %s", cause);
	ngot = 0;
	while ((n = capture_dispatch(cap, -1, packet, NULL, &cause)) > 0)
		;
	ck_assert_int_eq(n, CAPTURE_EOF);
	capture_close(cap);
	unlink(path);
	ck_assert_int_eq(ngot, NREC);
	for (i = 0; i < NREC; i++)
		ck_assert_int_eq(got[i], (int64_t)secs[i] * 1000000 + 251758);
}
END_TEST

static Suite *
capture_suite(void)
{
	Suite	*s = suite_create("capture");
	TCase	*tc = tcase_create("capture");

	tcase_add_test(tc, test_pcap_times_past_2038);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr = srunner_create(capture_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
