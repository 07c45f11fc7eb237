/*
 * gen.c: the seeded sequence and the frame writer of the capture
 * generators (gen.h).
 */
#include "config.h"

#include <string.h>

#include "gen.h"

uint32_t
bench_rng(uint64_t *state)
{
	/* xorshift64* */
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return ((uint32_t)((*state * 2685821657736338717ULL) >> 32));
}

int
bench_frame(pcap_dumper_t *d, int64_t ts_us, uint32_t src, uint16_t sport,
    uint32_t dst, uint16_t dport, const uint8_t *data, size_t len,
    int loopback_macs)
{
	static uint8_t		 f[14 + 20 + 8 + 65507];
	struct pcap_pkthdr	 h;
	size_t			 n = 14 + 20 + 8 + len;
	uint8_t			*p = f;
	uint32_t		 sum = 0;
	int			 i;

	if (len > 65507)
		return (-1);
	memset(f, 0, 42);
	if (!loopback_macs) {
		p[5] = 1;
		p[11] = 2;
	}
	p[12] = 0x08;
	p += 14;
	p[0] = 0x45;
	p[2] = (uint8_t)((n - 14) >> 8);
	p[3] = (uint8_t)(n - 14);
	p[8] = 64;
	p[9] = 17;
	p[12] = (uint8_t)(src >> 24);
	p[13] = (uint8_t)(src >> 16);
	p[14] = (uint8_t)(src >> 8);
	p[15] = (uint8_t)src;
	p[16] = (uint8_t)(dst >> 24);
	p[17] = (uint8_t)(dst >> 16);
	p[18] = (uint8_t)(dst >> 8);
	p[19] = (uint8_t)dst;
	for (i = 0; i < 20; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	p[10] = (uint8_t)(~sum >> 8);
	p[11] = (uint8_t)~sum;
	p += 20;
	p[0] = (uint8_t)(sport >> 8);
	p[1] = (uint8_t)sport;
	p[2] = (uint8_t)(dport >> 8);
	p[3] = (uint8_t)dport;
	p[4] = (uint8_t)((8 + len) >> 8);
	p[5] = (uint8_t)(8 + len);
	memcpy(p + 8, data, len);
	h.ts.tv_sec = ts_us / 1000000;
	h.ts.tv_usec = ts_us % 1000000;
	h.caplen = h.len = (bpf_u_int32)n;
	pcap_dump((u_char *)d, &h, f);
	return (0);
}
