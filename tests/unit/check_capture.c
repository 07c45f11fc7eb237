/*
 * check_capture.c: files in and out of src/capture.
 * - a pcapng packet longer than its interface's snap length is refused
 *   in the same words whether libpcap reads the file or sipwatch's own
 *   reader does (mixed link types);
 * - -w never writes more than its snap length: the file reads back;
 * - a -C rotation that cannot create its file keeps the index, keeps
 *   the current file within -C (the rest counted lost), and creates the
 *   next name it should once it can;
 * - a pcap record's seconds are an unsigned 32-bit number (valid until
 *   2106); libpcap hands them over through a signed field, so times from
 *   2038 on came out before 1970 (the heplify sip_ipv6_udp capture of the
 *   shared corpus reaches 2092): the capture layer gives them back as
 *   they were written.
 */
#include "config.h"

#include <sys/stat.h>

#include <check.h>
#include <stdint.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "capture/capture.h"
#include "capture/capture-dump.h"
#include "core/xmalloc.h"
#include "fixtures.h"

static char	tmpdir[] = "/tmp/check_capture.XXXXXX";

/* A pcapng block of TYPE with BODY (LEN bytes), little-endian. */
static void
ng_block(FILE *fp, uint32_t type, const void *body, uint32_t len)
{
	static const uint8_t	zero[4];
	uint32_t		pad = (4 - len % 4) % 4, total;

	total = 12 + len + pad;
	fwrite(&type, 4, 1, fp);
	fwrite(&total, 4, 1, fp);
	fwrite(body, 1, len, fp);
	fwrite(zero, 1, pad, fp);
	fwrite(&total, 4, 1, fp);
}

static void
ng_shb(FILE *fp)
{
	uint8_t	b[16];
	uint32_t bom = 0x1a2b3c4d;
	uint16_t maj = 1, min = 0;
	int64_t	 len = -1;

	memcpy(b, &bom, 4);
	memcpy(b + 4, &maj, 2);
	memcpy(b + 6, &min, 2);
	memcpy(b + 8, &len, 8);
	ng_block(fp, 0x0a0d0d0a, b, sizeof b);
}

static void
ng_idb(FILE *fp, uint16_t dlt, uint32_t snaplen)
{
	uint8_t	b[8];
	uint16_t res = 0;

	memcpy(b, &dlt, 2);
	memcpy(b + 2, &res, 2);
	memcpy(b + 4, &snaplen, 4);
	ng_block(fp, 1, b, sizeof b);
}

static void
ng_epb(FILE *fp, uint32_t ifid, const uint8_t *data, uint32_t len)
{
	uint8_t	*b = xcalloc(1, 20 + len);
	uint32_t hi = 0, lo = 1000000;

	memcpy(b, &ifid, 4);
	memcpy(b + 4, &hi, 4);
	memcpy(b + 8, &lo, 4);
	memcpy(b + 12, &len, 4);
	memcpy(b + 16, &len, 4);
	memcpy(b + 20, data, len);
	ng_block(fp, 6, b, 20 + len);
	free(b);
}

static unsigned	delivered;

static void
count_packet(int64_t ts, const uint8_t *data, size_t caplen, size_t wirelen,
    void *arg)
{
	(void)ts;
	(void)data;
	(void)wirelen;
	(void)arg;
	ck_assert_uint_le(caplen, 100);
	delivered++;
}

/* Read PATH to the end: the error it stops with ("" at a clean end). */
static char *
read_all(const char *path)
{
	struct capture_opts	 o;
	struct capture		*cap;
	char			*cause = NULL;
	int			 n;

	memset(&o, 0, sizeof o);
	o.file = path;
	cap = capture_open(&o, &cause);
	ck_assert_msg(cap != NULL, "%s", cause);
	delivered = 0;
	while ((n = capture_dispatch(cap, 16, count_packet, NULL, &cause)) >= 0)
		;
	capture_close(cap);
	if (n == CAPTURE_EOF)
		return (xstrdup(""));
	ck_assert_int_eq(n, CAPTURE_ERROR);
	return (cause);
}

START_TEST(test_pcapng_snaplen)
{
	uint8_t	 frame[200];
	char	 path[256], *why1, *why2;
	FILE	*fp;

	memset(frame, 0x45, sizeof frame);
	/* One link type: libpcap reads it. */
	snprintf(path, sizeof path, "%s/one.pcapng", tmpdir);
	ck_assert_ptr_nonnull(fp = fopen(path, "wb"));
	ng_shb(fp);
	ng_idb(fp, 101, 100);
	ng_epb(fp, 0, frame, 60);
	ng_epb(fp, 0, frame, 200);
	fclose(fp);
	why1 = read_all(path);
	ck_assert_uint_eq(delivered, 1);
	/* Two link types: sipwatch's reader, the long packet on the second. */
	snprintf(path, sizeof path, "%s/mixed.pcapng", tmpdir);
	ck_assert_ptr_nonnull(fp = fopen(path, "wb"));
	ng_shb(fp);
	ng_idb(fp, 1, 0);
	ng_idb(fp, 101, 100);
	ng_epb(fp, 0, frame, 60);
	ng_epb(fp, 1, frame, 60);
	ng_epb(fp, 1, frame, 200);
	ng_epb(fp, 1, frame, 60);
	fclose(fp);
	why2 = read_all(path);
	ck_assert_uint_eq(delivered, 2);
	ck_assert_str_eq(why1, "invalid packet capture length 200, bigger "
	    "than snaplen of 100");
	ck_assert_str_eq(why2, why1);
	free(why1);
	free(why2);
}
END_TEST

START_TEST(test_dump_snaplen)
{
	struct capture_dump_opts	 o;
	struct capture_dump		*cd;
	struct pcap_pkthdr		*h;
	const u_char			*data;
	uint8_t				 frame[300];
	char				 path[256], errbuf[PCAP_ERRBUF_SIZE];
	char				*cause = NULL;
	pcap_t				*p;

	memset(frame, 0x45, sizeof frame);
	snprintf(path, sizeof path, "%s/snap.pcap", tmpdir);
	memset(&o, 0, sizeof o);
	o.file = path;
	o.dlt = DLT_RAW;
	o.snaplen = 100;
	ck_assert_ptr_nonnull(cd = capture_dump_open(&o, &cause));
	capture_dump_write(cd, 1000000, frame, sizeof frame, sizeof frame);
	capture_dump_close(cd);
	ck_assert_ptr_nonnull(p = pcap_open_offline(path, errbuf));
	ck_assert_int_eq(pcap_next_ex(p, &h, &data), 1);
	ck_assert_uint_eq(h->caplen, 100);
	ck_assert_uint_eq(h->len, 300);
	ck_assert_int_eq(pcap_next_ex(p, &h, &data), PCAP_ERROR_BREAK);
	pcap_close(p);
}
END_TEST

static json_int_t
dump_field(struct capture_dump *cd, const char *key)
{
	json_t		*root = json_object(), *v;
	json_int_t	 n;

	capture_dump_report(root, cd);
	v = json_object_get(json_object_get(root, "dump"), key);
	ck_assert_ptr_nonnull(v);
	n = json_integer_value(v);
	json_decref(root);
	return (n);
}

START_TEST(test_dump_rotation_fails)
{
	struct capture_dump_opts	 o;
	struct capture_dump		*cd;
	struct stat			 sb;
	uint8_t				 frame[184];
	char				 dir[256], path[300], *cause = NULL;
	int				 i;
	int64_t				 ts = 1000000;

	memset(frame, 0x45, sizeof frame);
	snprintf(dir, sizeof dir, "%s/rot", tmpdir);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	snprintf(path, sizeof path, "%s/d.pcap", dir);
	memset(&o, 0, sizeof o);
	o.file = path;
	o.dlt = DLT_RAW;
	o.size = 1000;		/* rotate past 1000 bytes: every 5 frames */
	ck_assert_ptr_nonnull(cd = capture_dump_open(&o, &cause));
	/* The directory goes away: the next file cannot be created. */
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	for (i = 0; i < 100; i++)
		capture_dump_write(cd, ts++, frame, sizeof frame,
		    sizeof frame);
	capture_dump_flush(cd, 1);
	ck_assert_int_eq(dump_field(cd, "files"), 1);
	ck_assert_int_eq(dump_field(cd, "errors"), 1);	/* tried once */
	/* The current file took frames up to -C (24 + 5 * 200 > 1000). */
	ck_assert_int_eq(dump_field(cd, "packets"), 5);
	ck_assert_int_eq(dump_field(cd, "lost"), 95);
	/* Back: after the pause, the next name is the one it should be. */
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	sleep(1);
	usleep(200000);
	capture_dump_write(cd, ts++, frame, sizeof frame, sizeof frame);
	capture_dump_flush(cd, 1);
	ck_assert_int_eq(dump_field(cd, "files"), 2);
	snprintf(path, sizeof path, "%s/d.pcap1", dir);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(dump_field(cd, "packets"), 6);
	capture_dump_close(cd);
}
END_TEST

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

/*
 * The frame store (--save-alerted, exports) keeps a call's RTP and RTCP
 * frames with its SIP frames, in capture order, within caps of their own:
 * media over its cap is counted and never displaces SIP; media of a call
 * the store does not hold is not kept.
 */
START_TEST(test_save_media)
{
	struct capture_save_opts	 o;
	struct capture_save		*cs;
	const char			*ids[1] = { "c1" };
	json_t				*root, *sa;
	uint8_t				 frame[100];
	char				 path[256], *cause = NULL, *why;
	uint64_t			 frames;
	unsigned			 calls, i;

	memset(&o, 0, sizeof o);
	o.keep = 1;
	o.dlt = 1;
	o.snaplen = 65535;
	o.media_call_bytes = 2 * (sizeof frame + 64);	/* two frames */
	cs = capture_save_create(&o, &cause);
	ck_assert_ptr_nonnull(cs);
	memset(frame, 0x45, sizeof frame);
	/* Media before the call's SIP: no call held, not kept. */
	capture_save_media(cs, 1, 1000000, frame, sizeof frame, sizeof frame,
	    "c1", 2);
	capture_save_frame(cs, 2, 2000000, frame, 60, 60);
	capture_save_message(cs, 2, "c1", 2);
	for (i = 3; i <= 6; i++)	/* 3, 4 kept; 5, 6 over the cap */
		capture_save_media(cs, i, (int64_t)i * 1000000, frame,
		    sizeof frame, sizeof frame, "c1", 2);
	capture_save_media(cs, 7, 7000000, frame, sizeof frame, sizeof frame,
	    "c2", 2);			/* another call, not held */
	capture_save_frame(cs, 8, 8000000, frame, 60, 60);
	capture_save_message(cs, 8, "c1", 2);	/* SIP: its own cap */
	snprintf(path, sizeof path, "%s/media.pcap", tmpdir);
	ck_assert_int_eq(capture_save_write_calls(cs, ids, 1, path, &frames,
	    &calls, &cause), 0);
	ck_assert_uint_eq(calls, 1);
	ck_assert_uint_eq(frames, 4);	/* 2, 3, 4, 8 */
	why = read_all(path);
	ck_assert_str_eq(why, "");
	free(why);
	ck_assert_uint_eq(delivered, 4);
	root = json_object();
	capture_save_report(root, cs);
	sa = json_object_get(root, "save_alerted");
	ck_assert_int_eq(json_integer_value(json_object_get(sa,
	    "media_frames")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(sa,
	    "media_frames_cut")), 2);
	json_decref(root);
	capture_save_destroy(cs);
}
END_TEST

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
	TCase	*tc = tcase_create("files");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_pcapng_snaplen);
	tcase_add_test(tc, test_dump_snaplen);
	tcase_add_test(tc, test_dump_rotation_fails);
	tcase_add_test(tc, test_pcap_times_past_2038);
	tcase_add_test(tc, test_save_media);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (fixture_run_in_tmpdir(capture_suite(), tmpdir, CK_NOFORK));
}
