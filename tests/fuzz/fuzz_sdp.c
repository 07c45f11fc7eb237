/*
 * fuzz_sdp.c: libFuzzer target for SDP bodies (osip2's SDP parser and
 * sip-sdp.c's copy).  The input is one SDP body.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sip/sip.h"
#include "sip/sip-sdp.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

/* Results are written here so the compiler cannot drop the reads. */
volatile size_t	fuzz_sink;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	sip_global_init();
	return (0);
}

static void
touch(const struct sip_str *s)
{
	if (s->s != NULL)
		fuzz_sink += strlen(s->s) + s->len;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sip_sdp		*sdp;
	enum sdp_error		 err;
	unsigned		 i, j;

	if (sip_sdp_parse(data, size, &sdp, &err) != 0)
		return (0);
	/* Read every kept string: ASan checks the bounds. */
	touch(&sdp->origin_user);
	touch(&sdp->sess_id);
	touch(&sdp->conn_text);
	for (i = 0; i < sdp->nmedia; i++) {
		const struct sip_sdp_media *m = &sdp->media[i];

		touch(&m->media);
		touch(&m->proto);
		touch(&m->conn);
		touch(&m->crypto_suite);
		fuzz_sink += m->port + m->addr.port + m->rtcp_port;
		for (j = 0; j < m->nfmt; j++) {
			touch(&m->fmt[j].name);
			touch(&m->fmt[j].fmtp);
			fuzz_sink += m->fmt[j].clock;
		}
	}
	sip_sdp_free(sdp);
	return (0);
}
