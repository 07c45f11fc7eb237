/*
 * stats.h: the counters behind the report (capture, decode, SIP).
 *
 * Owned and updated by the capture thread only (the pipeline consumer runs
 * there too), so no locking.  The dashboard reads a copy.
 */
#ifndef SW_STATS_H
#define SW_STATS_H

#include <stdint.h>

#include "sip/sip.h"

#define STATS_METHODS_MAX	32	/* distinct method names kept; more go to "OTHER" */
#define STATS_METHOD_LEN	32	/* longest method name kept */

struct stats_method {
	char		name[STATS_METHOD_LEN + 1];
	uint64_t	count;
};

struct stats {
	/* capture */
	uint64_t	packets;
	uint64_t	bytes;		/* bytes on the wire */
	int64_t		first_ts_us;	/* 0 before the first packet */
	int64_t		last_ts_us;
	uint64_t	kernel_drops;	/* pcap_stats ps_drop */
	uint64_t	if_drops;	/* pcap_stats ps_ifdrop */
	uint64_t	sip_packets;	/* frames that carried SIP */
	uint64_t	non_sip;	/* frames decoded, no SIP in them */
	uint64_t	decode_errors;	/* frames rejected as malformed */
	uint64_t	parse_errors;
	uint64_t	parse_error_by[SIP_ERR_COUNT];
	uint64_t	parse_salvaged;	/* ... of them tracked all the same
					   (struct sip_msg partial) */

	/* SIP */
	uint64_t	messages;	/* every SIP message, retransmissions included */
	uint64_t	requests;
	uint64_t	responses;
	struct stats_method methods[STATS_METHODS_MAX];
	unsigned	nmethods;
	uint64_t	method_other;	/* names beyond STATS_METHODS_MAX */
	uint64_t	codes[700];	/* responses by status code */
	uint64_t	retransmissions;
	uint64_t	keepalives;
};

/* Count a request with method token NAME of LEN bytes. */
void	stats_count_request(struct stats *, const char *name, size_t len);
/* Count a response with status code CODE (100..699). */
void	stats_count_response(struct stats *, int code);

#endif
