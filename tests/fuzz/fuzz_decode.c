/*
 * fuzz_decode.c: libFuzzer target for the link/IP/UDP/TCP decode path,
 * the tunnels (GRE, PPP, PPPoE, GTP-U, ...) and the IP, TCP and SCTP
 * reassemblers.  The input is a sequence of frames, each
 * [link type selector: 1 byte][length: 2 bytes big-endian][frame bytes],
 * decoded in order by one decoder context (so fragments, streams and SCTP
 * pieces meet), then flushed as at the end of a capture.  Each result is
 * checked against decode_frame()'s contract: DECODE_DELIVERED exactly when
 * a payload was delivered, else an event counted during the call.
 */
#include "config.h"

#include <pcap/dlt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "sip/sip.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Results are written here so the compiler cannot drop the reads. */
volatile uint8_t	fuzz_sink;

/* New link types go at the end: the selectors of kept inputs keep meaning. */
static const int dlts[] = { DLT_EN10MB, DLT_LINUX_SLL, 276, DLT_NULL,
    DLT_LOOP, DLT_RAW, 101, 228, 229, DLT_PPP, 50, 51 };

static void
deliver(const struct decode_pkt *pkt, void *arg)
{
	size_t			i;

	(void)arg;
	/* Touch every delivered byte so ASan checks the bounds. */
	for (i = 0; i < pkt->len; i++)
		fuzz_sink ^= pkt->payload[i];
	(void)sip_detect(pkt->payload, pkt->len, NULL);
}

/*
 * Abort (a finding) unless R, the result of a decode_frame() call, keeps
 * the contract given the counters BEFORE the call and ST after it.
 */
static void
check_result(int r, const struct decode_stats *before,
    const struct decode_stats *st)
{
	if (r == DECODE_DELIVERED) {
		if (st->payloads == before->payloads)
			abort();
		return;
	}
	if (r < 0 || r >= DECODE_EV_COUNT || st->payloads != before->payloads ||
	    st->events[r] == before->events[r])
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct decode_ctx	*ctx = decode_create();
	const struct decode_stats *st = decode_stats(ctx);
	struct decode_stats	 before;
	int64_t			 ts = 1000000;
	size_t			 len;
	int			 dlt, r;

	while (size >= 3) {
		dlt = dlts[data[0] % (sizeof dlts / sizeof dlts[0])];
		len = ((size_t)data[1] << 8) | data[2];
		data += 3;
		size -= 3;
		if (len > size)
			len = size;
		/* Half the time, pretend the snap length cut the frame. */
		memcpy(&before, st, sizeof before);
		r = decode_frame(ctx, dlt, ts, data, len,
		    (dlt & 1) ? len + 100 : len, deliver, NULL);
		check_result(r, &before, st);
		ts += 250000;
		data += len;
		size -= len;
	}
	decode_flush(ctx, ts, deliver, NULL);
	decode_destroy(ctx);
	return (0);
}
