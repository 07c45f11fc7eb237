/*
 * fuzz_media.c: libFuzzer target for the media analyser (RTP, RTCP,
 * announcements).  The input is a sequence of records
 * [selector: 1 byte][length: 2 bytes big-endian][bytes]: the selector
 * picks the source and destination among a few endpoints (so streams,
 * reports and announcements meet), whether the bytes are a UDP payload or
 * an announcement of the destination, and how far the clock moves.  Small
 * caps make every record able to reach eviction.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "decode/decode.h"
#include "media/media.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Results are written here so the compiler cannot drop the reads. */
volatile uint64_t	fuzz_sink;

static const struct sw_addr	eps[4] = {
	{ 4, { 192, 0, 2, 1 }, 4000 },
	{ 4, { 192, 0, 2, 1 }, 4001 },
	{ 4, { 192, 0, 2, 2 }, 6000 },
	{ 4, { 192, 0, 2, 2 }, 6001 },
};

static void
sink(const struct media_stream_info *in, void *arg)
{
	(void)arg;
	fuzz_sink += in->packets + (uint64_t)in->lost + strlen(in->call_id) +
	    (in->payload != NULL ? strlen(in->payload) : 0) +
	    (in->quality.known && in->quality.mos >= 1 ? 1 : 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct media_payload pm[] = {
		{ 0, "PCMU", 8000, 1 }, { 101, "telephone-event", 8000, 1 },
		{ 96, "opus", 48000, 2 }, { 13, "CN", 8000, 1 },
	};
	struct media_opts	 o;
	struct media_expect	 x;
	struct decode_pkt	 p;
	struct media		*m;
	char			 call[2];
	int64_t			 ts = 1000000;
	size_t			 len;
	uint8_t			 sel;

	media_opts_default(&o);
	o.max_streams = 8;
	o.max_expect = 4;
	o.report_max = 4;
	m = media_create(&o);
	while (size >= 3) {
		sel = data[0];
		len = ((size_t)data[1] << 8) | data[2];
		data += 3;
		size -= 3;
		if (len > size)
			len = size;
		ts += (sel & 0x80) ? 20000 : (sel & 0x40) ? 400000000LL : 0;
		if ((sel & 0x30) == 0x30) {
			/* An announcement: call "a".."d", party, line. */
			memset(&x, 0, sizeof x);
			call[0] = (char)('a' + (sel & 3));
			call[1] = '\0';
			x.call_id = call;
			x.call_id_len = 1;
			x.mline = (sel >> 2) & 1;
			x.party = (sel & 1) ? MEDIA_PARTY_CALLER :
			    MEDIA_PARTY_CALLEE;
			x.rtp = eps[(sel >> 1) & 3];
			x.signal = eps[sel & 3];
			x.payloads = pm;
			x.npayloads = len % 5;
			x.ts_us = ts;
			if (len > 0 && data[0] == 0)
				media_expect_end(m, call, 1);
			else
				(void)media_expect(m, &x);
		} else {
			memset(&p, 0, sizeof p);
			p.src = eps[sel & 3];
			p.dst = eps[(sel >> 2) & 3];
			p.transport = DECODE_TP_UDP;
			p.ts_us = ts;
			p.payload = data;
			p.len = len;
			(void)media_packet(m, &p);
		}
		data += len;
		size -= len;
	}
	media_streams(m, sink, NULL);
	media_finish(m, ts);
	media_streams(m, sink, NULL);
	media_destroy(m);
	return (0);
}
