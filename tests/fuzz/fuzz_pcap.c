/*
 * fuzz_pcap.c: libFuzzer target for the whole pipeline: the input is a
 * pcap or pcapng file body, read by libpcap through the capture module and
 * run through decode, parse and everything the engine does with it.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "engine/engine.h"
#include "sip/sip.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	sip_global_init();
	log_set_verbosity(0);
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
	(void)engine_run(&o);
	return (0);
}
