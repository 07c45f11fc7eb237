/*
 * sink.h: what an output did with what it was given, in the same four
 * figures for every output, so that the report ("sinks") and the
 * metrics (sipwatch_sink_messages_total) show every loss the same way.
 *
 * An output is an alert sink (--alerts, the -N lines, --syslog,
 * --syslog-remote), the HEP sender (--hep), -w or --save-alerted.  What
 * it counts is its own unit: an alert line, a syslog message, a HEP
 * packet, a captured frame (-w), a call's evidence file
 * (--save-alerted).  Every item given to an output ends in exactly one
 * of sent, failed and dropped, or is still queued:
 *
 *   given = sent + failed + dropped + queued
 *
 * - sent: delivered as far as sipwatch can know: written whole to the
 *   file, accepted by the local socket, acknowledged by the collector's
 *   TCP, or sent over UDP and not refused (ICMP) within a second;
 * - failed: lost to an error: a write error (full disk), a datagram the
 *   collector refused, a file that could not be created;
 * - dropped: discarded by sipwatch without an error: a full queue, or
 *   still queued when sipwatch stopped;
 * - queued: waiting now (a collector down, a disk full).
 *
 * Header only; no RFC.
 */
#ifndef SW_SINK_H
#define SW_SINK_H

#include <stdint.h>

#define SW_SINKS_MAX	16	/* outputs in one run, at most */

struct sw_sink {
	const char	*kind;		/* "alerts-json", "alerts-text",
					   "syslog", "syslog-remote", "hep",
					   "pcap", "evidence" (static) */
	const char	*target;	/* file, socket or URL (borrowed from
					   the output, valid while it is open) */
	uint64_t	 sent;
	uint64_t	 failed;
	uint64_t	 dropped;
	uint64_t	 queued;
};

#endif
