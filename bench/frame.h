/*
 * frame.h: one Ethernet / IPv4 / UDP frame into a pcap file, for the
 * capture generators of bench/ (sipgen, rtpgen).
 */
#ifndef SW_BENCH_FRAME_H
#define SW_BENCH_FRAME_H

#include <pcap/pcap.h>
#include <stddef.h>
#include <stdint.h>

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
