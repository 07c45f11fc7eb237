/*
 * udperr.h: which datagrams a connected UDP socket lost, as the kernel
 * learns it from ICMP (port or host unreachable, RFC 792 / RFC 4443).
 *
 * send(2) on a UDP socket succeeds whether or not a collector listens;
 * an ICMP error that comes back later only makes a later send(2) fail
 * once, for all the datagrams refused meanwhile.  With IP_RECVERR (or
 * IPV6_RECVERR) the kernel queues one error per refused datagram
 * instead, which sw_udperr_read() counts.  struct sw_udperr then decides
 * what was sent: a datagram counts as sent once no error came back for
 * it for SW_UDPERR_CONFIRM_MS (ICMP comes within a round trip; loopback
 * at once), and as refused for each error that came back.  What no ICMP
 * reports (a collector behind a firewall that drops, ICMP rate limits
 * on a busy host) cannot be known: it counts as sent.
 *
 * Used by the syslog sinks (alert-sock.c) and the HEP sender
 * (hep-send.c).  Not thread-safe: one owner per socket.
 */
#ifndef SW_UDPERR_H
#define SW_UDPERR_H

#include <stdint.h>

#define SW_UDPERR_CONFIRM_MS	500	/* a datagram is sent after 0.5 to
					   1 s without an error for it */

struct sw_udperr {
	uint64_t	cur;		/* sent in the current period */
	uint64_t	prev;		/* sent in the period before */
	int64_t		period_ms;	/* start of the current period */
};

/*
 * Have the kernel queue each ICMP error of FD (a UDP socket of FAMILY,
 * AF_INET or AF_INET6) on its error queue.  Returns 0, or -1 with errno
 * set (the socket then works as before, with coarser counts).
 */
int		sw_udperr_enable(int fd, int family);

/*
 * Read FD's error queue without blocking: the number of datagrams the
 * network refused since the last call.  Reading it also clears the
 * socket's pending error, so that the next send(2) does not fail for
 * an old datagram.
 */
unsigned	sw_udperr_read(int fd);

/* A datagram was handed to the kernel. */
void		sw_udperr_sent(struct sw_udperr *);

/*
 * Settle at NOW_MS (monotonic ms) with REFUSED errors just read: adds
 * to *SENT the datagrams now confirmed and to *FAILED those refused.
 * With FINAL every datagram not refused is confirmed (at close).
 * Returns the number refused (at most the datagrams in flight).
 */
unsigned	sw_udperr_settle(struct sw_udperr *, unsigned refused,
		    int64_t now_ms, int final, uint64_t *sent,
		    uint64_t *failed);

/* Datagrams sent and not yet settled. */
uint64_t	sw_udperr_pending(const struct sw_udperr *);

/*
 * Before the final settle (at close): wait for an ICMP error to come
 * back for the last datagrams sent on FD to SA, at most a round trip
 * (SW_UDPERR_WAIT_MS); not at all for a loopback peer, whose errors
 * come at once.  Never longer, whatever arrives.
 */
#define SW_UDPERR_WAIT_MS	100
struct sockaddr;
void		sw_udperr_wait(int fd, const struct sockaddr *sa);

#endif
