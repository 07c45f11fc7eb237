/*
 * alert-int.h: what the syslog sinks (alert-syslog.c, alert-remote.c)
 * share: a connection that never blocks the capture thread (alert-sock.c)
 * and the parsing of "FACILITY:REST" targets.  Not for use outside
 * src/alert/.
 *
 * A struct asock owns one socket and a bounded queue of whole messages.
 * asock_send() queues a message and tries to write what is queued;
 * asock_flush() retries (reconnecting when the peer went away, at most
 * every few seconds of wall clock: connection retries are not verdicts,
 * so the packet clock does not apply); asock_close() waits a bounded
 * time for the queue to drain.  A message leaves the queue once
 * delivered as far as the transport tells (alert-sock.c): accepted by
 * the local socket, acknowledged over TCP (what was not is sent again
 * after a reconnection), not refused over UDP.  When the queue is full
 * the oldest message not yet written is dropped and counted; losses are
 * reported on stderr.
 */
#ifndef SW_ALERT_INT_H
#define SW_ALERT_INT_H

#include <stddef.h>
#include <stdint.h>

enum asock_kind {
	ASOCK_UNIX_DGRAM = 0,	/* local syslog socket (/dev/log) */
	ASOCK_UDP,		/* RFC 5426 */
	ASOCK_TCP		/* RFC 6587 octet counting */
};

#define ASOCK_QUEUE_MAX		4096		/* messages queued */
#define ASOCK_QUEUE_BYTES	(4u << 20)	/* bytes queued */
#define ASOCK_CLOSE_WAIT_MS	3000		/* asock_close() at most */

struct asock;

/*
 * Open a connection of KIND to PATH (ASOCK_UNIX_DGRAM) or HOST and PORT
 * (numeric service).  NAME is used in messages ("syslog /dev/log").
 * The address is resolved now; a resolution failure returns NULL with
 * *CAUSE set (caller frees).  A refused or missing peer is not an error:
 * it is reported once and retried by asock_flush().  Never blocks.
 */
struct asock	*asock_open(enum asock_kind kind, const char *path_or_host,
		    const char *port, const char *name, char **cause);

/*
 * Queue the LEN bytes at MSG (copied; one datagram, or one frame on a
 * stream: the caller adds the framing) and try to send.  Never blocks.
 */
void		 asock_send(struct asock *, const char *msg, size_t len);

/* Send what is queued, reconnecting if due.  Never blocks. */
void		 asock_flush(struct asock *);

/*
 * Wait up to ASOCK_CLOSE_WAIT_MS for the queue to drain (over UDP, and
 * for refusals of the last datagrams); messages still queued are then
 * counted as dropped and reported, and the counts are final.
 */
void		 asock_drain(struct asock *);

/* asock_drain(), then close and free.  NULL is accepted. */
void		 asock_close(struct asock *);

/*
 * The sent / failed / dropped / queued figures of core/sink.h into OUT
 * (the kind and target are left to the caller): sent is accepted by the
 * local socket, acknowledged by the collector's TCP, or a UDP datagram
 * not refused within a second; failed is a datagram refused (ICMP) or
 * never deliverable (too large); dropped is the oldest message when the
 * queue was full, or what was still queued after ASOCK_CLOSE_WAIT_MS at
 * close.
 */
struct sw_sink;
void		 asock_counts(const struct asock *, struct sw_sink *out);

/*
 * Split TARGET "FACILITY:REST" or "FACILITY": the facility code into
 * *FACILITY (LOG_LOCAL0 >> 3 = 16 when empty) and a pointer to REST (or
 * NULL) into *REST.  Returns 0, or -1 with *CAUSE set for an unknown
 * facility.
 */
int		 alert_target_split(const char *target, int *facility,
		    const char **rest, char **cause);

#endif
