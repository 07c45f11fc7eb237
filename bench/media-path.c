/*
 * media-path.c: the cost of the media path alone (bench/media.sh).
 *
 * Reads a capture into memory, then times, each over every packet:
 * the libpcap read loop from the file (an empty callback), and
 * media_packet() on the UDP payloads that are not SIP (decoded once,
 * beforehand, so that only the media path is timed).  Prints packets/s
 * and ns per packet for each, by the thread's CPU time (what other work
 * on a shared machine changes least) and by the wall clock, the best of
 * the repeats; then the streams found and the resident memory.
 *
 * usage: media-path [-r repeats] capture
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "capture/capture.h"
#include "core/clock.h"
#include "core/xmalloc.h"
#include "decode/decode.h"
#include "media/media.h"
#include "sip/sip.h"

struct item {
	struct decode_pkt	 pkt;
	size_t			 off;	/* payload in the arena */
};

static struct item	*items;
static size_t		 nitems, capitems;
static uint8_t		*arena;
static size_t		 narena, caparena;
static struct capture	*cap;
static struct decode_ctx *dec;
static uint64_t		 frames;

static void
keep(const struct decode_pkt *pkt, void *arg)
{
	(void)arg;
	if (pkt->transport != DECODE_TP_UDP ||
	    sip_detect(pkt->payload, pkt->len, NULL) != SIP_DETECT_NOT_SIP)
		return;
	if (nitems == capitems) {
		capitems = capitems ? capitems * 2 : 65536;
		items = xreallocarray(items, capitems, sizeof *items);
	}
	while (narena + pkt->len > caparena) {
		caparena = caparena ? caparena * 2 : 1 << 24;
		arena = xrealloc(arena, caparena);
	}
	items[nitems].pkt = *pkt;
	items[nitems].pkt.frame = NULL;
	items[nitems].off = narena;
	memcpy(arena + narena, pkt->payload, pkt->len);
	narena += pkt->len;
	nitems++;
}

static void
decode_cb(int64_t ts, const uint8_t *data, size_t caplen, size_t wirelen,
    void *arg)
{
	(void)arg;
	frames++;
	(void)decode_frame(dec, capture_datalink(cap), ts, data, caplen,
	    wirelen, keep, NULL);
}

static void
empty_cb(int64_t ts, const uint8_t *data, size_t caplen, size_t wirelen,
    void *arg)
{
	(void)ts;
	(void)data;
	(void)caplen;
	(void)wirelen;
	(*(uint64_t *)arg)++;
}

static long
rss_kib(void)
{
	FILE	*fp = fopen("/proc/self/status", "r");
	char	 line[256];
	long	 v = -1;

	if (fp == NULL)
		return (-1);
	while (fgets(line, sizeof line, fp) != NULL) {
		if (strncmp(line, "VmHWM:", 6) == 0)
			v = strtol(line + 6, NULL, 10);
	}
	fclose(fp);
	return (v);
}

static struct capture *
open_file(const char *path)
{
	struct capture_opts	 o;
	char			*cause;
	struct capture		*c;

	memset(&o, 0, sizeof o);
	o.file = path;
	if ((c = capture_open(&o, &cause)) == NULL) {
		fprintf(stderr, "media-path: %s\n", cause);
		exit(1);
	}
	return (c);
}

int
main(int argc, char **argv)
{
	struct media		*m;
	struct media_stats	 st;
	char			*cause;
	uint64_t		 n;
	int64_t			 t0, c0, best_read = 0, best_media = 0, dt;
	int64_t			 cpu_read = 0, cpu_media = 0, dc;
	int			 ch, repeats = 3, r;
	size_t			 i;

	while ((ch = getopt(argc, argv, "r:")) != -1) {
		switch (ch) {
		case 'r':
			repeats = atoi(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (optind + 1 != argc || repeats < 1)
		goto usage;
	sip_global_init();

	/* The libpcap read loop alone. */
	for (r = 0; r < repeats; r++) {
		cap = open_file(argv[optind]);
		n = 0;
		t0 = sw_clock_us(CLOCK_MONOTONIC);
		c0 = sw_clock_us(CLOCK_THREAD_CPUTIME_ID);
		while (capture_dispatch(cap, 4096, empty_cb, &n, &cause) >= 0)
			;
		dt = sw_clock_us(CLOCK_MONOTONIC) - t0;
		dc = sw_clock_us(CLOCK_THREAD_CPUTIME_ID) - c0;
		if (best_read == 0 || dt < best_read)
			best_read = dt;
		if (cpu_read == 0 || dc < cpu_read)
			cpu_read = dc;
		capture_close(cap);
	}
	printf("read loop:   %10llu frames   CPU %6.3f s %6.2f M/s %6.1f ns  "
	    "wall %6.3f s %6.2f M/s\n", (unsigned long long)n,
	    cpu_read / 1e6, (double)n / (double)cpu_read,
	    cpu_read * 1000.0 / (double)n, best_read / 1e6,
	    (double)n / (double)best_read);

	/* Decode once, keep the payloads the media path sees. */
	cap = open_file(argv[optind]);
	dec = decode_create();
	while (capture_dispatch(cap, 4096, decode_cb, NULL, &cause) >= 0)
		;
	decode_destroy(dec);
	capture_close(cap);
	for (i = 0; i < nitems; i++)
		items[i].pkt.payload = arena + items[i].off;

	for (r = 0; r < repeats; r++) {
		m = media_create(NULL);
		t0 = sw_clock_us(CLOCK_MONOTONIC);
		c0 = sw_clock_us(CLOCK_THREAD_CPUTIME_ID);
		for (i = 0; i < nitems; i++)
			(void)media_packet(m, &items[i].pkt);
		dt = sw_clock_us(CLOCK_MONOTONIC) - t0;
		dc = sw_clock_us(CLOCK_THREAD_CPUTIME_ID) - c0;
		if (best_media == 0 || dt < best_media)
			best_media = dt;
		if (cpu_media == 0 || dc < cpu_media)
			cpu_media = dc;
		media_stats(m, &st);
		if (r + 1 < repeats)
			media_destroy(m);
	}
	printf("media path:  %10zu packets  CPU %6.3f s %6.2f M/s %6.1f ns  "
	    "wall %6.3f s %6.2f M/s\n", nitems, cpu_media / 1e6,
	    (double)nitems / (double)cpu_media, cpu_media * 1000.0 /
	    (double)nitems, best_media / 1e6,
	    (double)nitems / (double)best_media);
	printf("             %llu RTP, %llu RTCP, %llu streams (peak %llu at "
	    "once); peak RSS %ld KiB (the capture's payloads included: %zu "
	    "KiB)\n", (unsigned long long)st.rtp_packets,
	    (unsigned long long)st.rtcp_packets, (unsigned long long)st.streams,
	    (unsigned long long)st.peak_streams, rss_kib(), narena / 1024);
	media_destroy(m);
	free(items);
	free(arena);
	sip_thread_done();
	return (0);
usage:
	fprintf(stderr, "usage: media-path [-r repeats] capture\n");
	return (1);
}
