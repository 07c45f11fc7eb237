/*
 * fuzz_sip.c: libFuzzer target for SIP detection and the osip2 wrapper.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sip/sip.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Results are written here so the compiler cannot drop the reads. */
volatile size_t	fuzz_sink;
int	LLVMFuzzerInitialize(int *, char ***);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	sip_global_init();
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sip_startline	 line;
	struct sip_msg		*m = NULL;
	enum sip_error		 err;
	unsigned		 i;

	(void)sip_detect(data, size, &line);
	if (sip_parse(data, size, &m, &err) == 0) {
		/* Read every extracted string: bounds are checked by ASan. */
		fuzz_sink += m->call_id.len ? strlen(m->call_id.s) : 0;
		for (i = 0; i < m->nvia; i++)
			fuzz_sink += m->via[i].branch.s ? strlen(m->via[i].branch.s) : 0;
		fuzz_sink += m->from.tag.s ? strlen(m->from.tag.s) : 0;
		fuzz_sink += m->to.uri.s ? strlen(m->to.uri.s) : 0;
		fuzz_sink += m->event.s ? strlen(m->event.s) : 0;
		fuzz_sink += m->body_len;
		if (m->body_len > 0)
			fuzz_sink += m->body[m->body_len - 1];
		sip_msg_free(m);
	}
	return (0);
}
