/*
 * fuzz_hep.c: libFuzzer target for the HEP decoder (v1, v2, v3) and the
 * TCP framing, with an encode/decode round trip of whatever decodes, and
 * the RTCP-to-JSON encoder of HEP type 5 on the same bytes.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hep/hep.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Results are written here so the compiler cannot drop the reads. */
volatile size_t	fuzz_sink;

static void
fuzz_touch(const struct hep_msg *m)
{
	size_t	i;

	for (i = 0; i < m->len; i++)
		fuzz_sink += m->payload[i];
	for (i = 0; i < m->auth_len; i++)
		fuzz_sink += m->auth[i];
	for (i = 0; i < m->correlation_len; i++)
		fuzz_sink += m->correlation[i];
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hep_encode_in	 in;
	struct hep_msg		 m, m2;
	uint8_t			*buf, *out;
	size_t			 off, n;
	long			 flen;
	char			*json;

	/* An exact-size copy, so any read past the end is caught. */
	if ((buf = malloc(size > 0 ? size : 1)) == NULL)
		return (0);
	memcpy(buf, data, size);

	if (hep_decode(buf, size, &m) == HEP_OK) {
		fuzz_touch(&m);
		/* What decodes re-encodes to something that decodes alike. */
		memset(&in, 0, sizeof in);
		in.src = &m.src;
		in.dst = &m.dst;
		in.ip_proto = m.ip_proto;
		in.ts_us = m.ts_us;
		in.capture_id = m.capture_id;
		in.payload = m.payload;
		in.len = m.len;
		if ((out = malloc(HEP_MAX_PACKET)) != NULL) {
			n = hep_encode(&in, out, HEP_MAX_PACKET);
			if (n > 0) {
				if (hep_decode(out, n, &m2) != HEP_OK ||
				    m2.len != m.len ||
				    memcmp(m2.payload, m.payload, m.len) != 0 ||
				    sw_addr_cmp(&m2.src, &m.src) != 0)
					abort();
			}
			free(out);
		}
	}

	/* The same bytes as an RTCP compound, for HEP type 5. */
	if ((json = hep_rtcp_json(buf, size)) != NULL) {
		fuzz_sink += strlen(json);
		free(json);
	}

	/* The same bytes as a TCP stream of HEPv3 packets. */
	off = 0;
	while (off < size) {
		flen = hep_frame_length(buf + off, size - off);
		if (flen <= 0 || (size_t)flen > size - off)
			break;
		if (hep_decode(buf + off, (size_t)flen, &m) == HEP_OK)
			fuzz_touch(&m);
		off += (size_t)flen;
	}
	free(buf);
	return (0);
}
