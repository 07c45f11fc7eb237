/*
 * gen.h: what the capture generators of bench/ (sipgen, rtpgen) share: a
 * seeded pseudo-random sequence and the frames they write.
 */
#ifndef SW_BENCH_GEN_H
#define SW_BENCH_GEN_H

#include <pcap/pcap.h>
#include <stddef.h>
#include <stdint.h>

/* The next value of xorshift64* from *STATE (never 0): reproducible runs. */
uint32_t bench_rng(uint64_t *state);

/*
 * Write LEN bytes of DATA (at most 65,507) as a UDP datagram from SRC:SPORT
 * to DST:DPORT (IPv4 addresses and ports in host order) at TS_US (µs since
 * the epoch) to D.  With LOOPBACK_MACS the Ethernet addresses are zero, so
 * the file can be replayed onto lo.  Returns 0, or -1 when LEN is too long.
 */
int	bench_frame(pcap_dumper_t *d, int64_t ts_us, uint32_t src,
	    uint16_t sport, uint32_t dst, uint16_t dport, const uint8_t *data,
	    size_t len, int loopback_macs);

#endif
