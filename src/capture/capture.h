/*
 * capture.h: packets from libpcap, live (-i) or from a file (-r).
 *
 * One interface for both: a live handle packs packets into the kernel's
 * ring (TPACKET_V3 blocks handed over when full or after
 * CAPTURE_HOLD_MS), sized by -B; a file may be pcap or pcapng ("-" reads
 * standard input).  Timestamps are always delivered in microseconds: the
 * packet time is sipwatch's only clock.
 */
#ifndef SW_CAPTURE_H
#define SW_CAPTURE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Live capture defaults (doc/PERFORMANCE.md, "Live capture"): a 64 MiB
 * ring holds about two seconds of 50,000 SIP messages/s, packed whatever
 * the snap length or the interface MTU; libpcap takes the size in bytes
 * as an int, hence the maximum.  A packet waits in the ring at most
 * CAPTURE_HOLD_MS before the block holding it is handed over.
 */
#define CAPTURE_BUFFER_MIB_DEFAULT	64
#define CAPTURE_BUFFER_MIB_MAX		2047
#define CAPTURE_HOLD_MS			50
#define CAPTURE_SNAPLEN_MAX		262144	/* libpcap's MAXIMUM_SNAPLEN */

struct capture_opts {
	const char	*device;	/* -i: interface name, or NULL */
	const char	*file;		/* -r: file name, "-" for stdin, or NULL */
	const char	*filter;	/* BPF expression (tcpdump syntax), or NULL */
	int		 snaplen;	/* bytes per packet, 0 for the default
					   CAPTURE_SNAPLEN_MAX */
	int		 buffer_mib;	/* -B: kernel buffer in MiB (1 ..
					   CAPTURE_BUFFER_MIB_MAX), 0 for
					   CAPTURE_BUFFER_MIB_DEFAULT */
	int		 promisc;	/* 1 to put the interface in promiscuous mode */
	FILE		*stream;	/* read this open file instead of FILE (taken over) */
};

/* One captured frame; DATA is borrowed for the duration of the callback. */
typedef void capture_packet_fn(int64_t ts_us, const uint8_t *data,
    size_t caplen, size_t wirelen, void *arg);

struct capture;

/*
 * Open the device or file in OPTS and install its filter.  Returns a handle
 * the caller owns (capture_close()), or NULL with *CAUSE set to a message
 * the caller frees.  Warnings from libpcap are printed, not fatal.
 */
struct capture	*capture_open(const struct capture_opts *, char **cause);

/*
 * The link type (libpcap DLT_*) of the handle.  A pcapng file whose
 * interfaces differ in link type (read without libpcap, which refuses
 * them) answers per packet: during the callback, the link type of the
 * packet being delivered (-1 for an interface not described).
 */
int		 capture_datalink(const struct capture *);

/* True for a live capture. */
int		 capture_is_live(const struct capture *);

/* File size in bytes and bytes read so far (offline only; 0 if unknown). */
void		 capture_progress(const struct capture *, uint64_t *done,
		    uint64_t *total);

/*
 * Selectable file descriptor for poll() (live only; -1 for files).  The
 * handle is in non-blocking mode.
 */
int		 capture_fd(const struct capture *);

/*
 * Deliver up to MAX packets (-1: all available) to CB.  Returns the number
 * delivered (0 when none is ready on a live handle), CAPTURE_EOF at the end
 * of a file, CAPTURE_BREAK after capture_breakloop(), or CAPTURE_ERROR with
 * *CAUSE set (caller frees).
 */
#define CAPTURE_EOF	(-1)
#define CAPTURE_BREAK	(-2)
#define CAPTURE_ERROR	(-3)
int		 capture_dispatch(struct capture *cap, int max,
		    capture_packet_fn *cb, void *arg, char **cause);

/* Make a running capture_dispatch() return soon; async-signal-safe. */
void		 capture_breakloop(struct capture *);

/*
 * Kernel counters (pcap_stats): packets dropped for lack of buffer space and
 * by the interface.  Returns 0, or -1 when not available (files).
 */
int		 capture_stats(struct capture *, uint64_t *drops, uint64_t *ifdrops);

/*
 * What *DROPS of capture_stats() counts when it is not simply the
 * packets lost: NULL when it is, else a static sentence for the report.
 * On the loopback interface the kernel is told to skip the outgoing copy
 * of each looped packet (PACKET_IGNORE_OUTGOING), so each packet is
 * counted once; on "any" (or on a kernel without that option) both
 * copies of a packet between two local sockets take ring space and are
 * counted when dropped, while libpcap hands on only one.
 */
const char	*capture_drops_note(const struct capture *);

/*
 * The longest, in ms, a live capture's kernel may hold a captured packet
 * before capture_dispatch() can deliver it (a ring block not yet handed
 * over); 0 for files.  Stopping, read for at least this long to lose
 * nothing captured before the stop.
 */
int		 capture_hold_ms(const struct capture *);

void		 capture_close(struct capture *);

/* The device libpcap would pick for -i with no name, or NULL (caller frees). */
char		*capture_default_device(char **cause);

/* Print the interfaces libpcap can open, one per line, as tcpdump -D does. */
int		 capture_list_devices(char **cause);

#endif
