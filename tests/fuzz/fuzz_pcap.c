/*
 * fuzz_pcap.c: libFuzzer target for the whole pipeline: the input is a
 * pcap or pcapng file body, read by libpcap through the capture module and
 * run through decode, parse and everything the engine does with it.
 *
 * The knowledge base is loaded once for the process (loading it is most of
 * the cost of an engine run on a small input), and the tracker's tables and
 * the retransmission digests get small caps, so that the fuzzer spends its
 * time on the packets and reaches the eviction paths with few messages.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "engine/engine.h"
#include "kb/kb.h"
#include "sip/sip.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

static struct kb	*fuzz_kb;	/* NULL: alerts without advice */

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	*why = NULL;

	(void)argc;
	(void)argv;
	sip_global_init();
	log_set_verbosity(0);
	if ((fuzz_kb = kb_load(NULL, "en", &why)) == NULL) {
		fprintf(stderr, "fuzz_pcap: no knowledge base: %s\n", why);
		free(why);
	}
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct engine_opts	 o;
	FILE			*fp;

	if (size == 0)
		return (0);
	if ((fp = fmemopen((void *)(uintptr_t)data, size, "rb")) == NULL)
		return (0);
	memset(&o, 0, sizeof o);
	o.capture.stream = fp;		/* taken over: closed by the capture */
	o.workers = 0;
	o.report = ENGINE_REPORT_NONE;
	o.kb = fuzz_kb;
	o.retrans_max = 256;
	o.track.max_transactions = 64;
	o.track.max_call_ids = 64;
	o.track.max_peers = 16;
	(void)engine_run(&o);
	return (0);
}
