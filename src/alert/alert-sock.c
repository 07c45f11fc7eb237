/*
 * alert-sock.c: the connection behind the syslog sinks: a local datagram
 * socket (/dev/log), UDP or TCP, with a bounded queue so that a slow or
 * absent log daemon never blocks the capture thread (alert-int.h).
 *
 * What is delivered is counted as the transport lets sipwatch know it:
 * - the local socket accepts a datagram or refuses it (the daemon is
 *   gone: the message stays queued and the socket is reconnected);
 * - over TCP a message stays queued after it was written, until the
 *   collector's TCP acknowledged all of its bytes (SIOCOUTQ: bytes not
 *   yet acknowledged); when the connection breaks, what was not
 *   acknowledged is sent again on the next one (the collector may then
 *   see a message twice, never none);
 * - over UDP the kernel reports each datagram refused by ICMP
 *   (core/udperr.h).  A refusal means the collector is down: messages
 *   are then queued, and one datagram probes again after a pause (1 s,
 *   doubling up to 30 s); the queue goes out once a probe was not
 *   refused.  Each refused datagram counts as failed.
 *
 * Losses are said on stderr without a line per message: while the
 * collector is down (said once) they are totalled when it is back or at
 * close; otherwise at most once a minute (ASOCK_LOST_REPORT_MS).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <linux/sockios.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alert/alert-int.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/sink.h"
#include "core/udperr.h"
#include "core/xmalloc.h"

#define ASOCK_BACKOFF_MIN_MS	1000
#define ASOCK_BACKOFF_MAX_MS	30000
/*
 * UDP: at most this many datagrams a second, this many at once, so that
 * a backlog sent when the collector is back does not overflow its
 * socket buffer (a loss nobody would see).  Alert traffic, rate-limited
 * upstream, never comes near it.
 */
#define ASOCK_UDP_RATE		500
#define ASOCK_UDP_BURST		32
#define ASOCK_LOST_REPORT_MS	60000	/* losses said at most this often */

struct amsg {
	char	*buf;
	size_t	 len;
};

struct asock {
	enum asock_kind		 kind;
	char			*name;
	struct sockaddr_storage	 addr;
	socklen_t		 addrlen;
	int			 fd;		/* -1: not connected */
	int			 connecting;	/* TCP connect() in progress */
	struct amsg		*q;		/* ring of ASOCK_QUEUE_MAX */
	unsigned		 head;
	unsigned		 n;
	size_t			 bytes;
	/*
	 * TCP: the first NWRITTEN messages of the queue were written whole
	 * and wait for the collector's acknowledgement; OFF bytes of the
	 * next one were written; WBYTES is all of that.
	 */
	unsigned		 nwritten;
	size_t			 off;
	size_t			 wbytes;
	/* UDP: the collector refused datagrams; probing; pacing. */
	struct sw_udperr	 udp;
	int			 refused;
	int			 probing;	/* one datagram out, unsettled */
	unsigned		 tokens;
	int64_t			 tokens_ms;
	int64_t			 next_try_ms;	/* reconnect / probe not before */
	int64_t			 backoff_ms;
	int			 down_reported;
	uint64_t		 sent;
	uint64_t		 failed;
	uint64_t		 dropped;
	uint64_t		 lost_reported;
	int64_t			 lost_next_ms;	/* losses said again from */
};

/* Monotonic wall clock in ms: connection retries only, never verdicts. */
static int64_t
asock_now_ms(void)
{
	return (sw_clock_ms(CLOCK_MONOTONIC));
}

static void
asock_backoff(struct asock *s)
{
	s->next_try_ms = asock_now_ms() + sw_backoff_ms(&s->backoff_ms,
	    ASOCK_BACKOFF_MIN_MS, ASOCK_BACKOFF_MAX_MS);
}

static void asock_acks(struct asock *);
static void asock_report_lost(struct asock *, int);

static void
asock_disconnect(struct asock *s, int err)
{
	/* What the collector acknowledged before it went is delivered. */
	if (s->kind == ASOCK_TCP)
		asock_acks(s);
	if (s->fd != -1)
		close(s->fd);
	s->fd = -1;
	s->connecting = 0;
	/* Not acknowledged: sent again on the next connection. */
	s->nwritten = 0;
	s->off = 0;
	s->wbytes = 0;
	if (!s->down_reported) {
		log_warnx("%s: %s; alerts are queued and the connection "
		    "retried", s->name, strerror(err));
		s->down_reported = 1;
	}
	asock_backoff(s);
}

static void
asock_connected(struct asock *s)
{
	s->connecting = 0;
	s->backoff_ms = ASOCK_BACKOFF_MIN_MS;
	if (s->down_reported) {
		log_warnx("%s: connected", s->name);
		s->down_reported = 0;
		asock_report_lost(s, 1);
	}
}

static void
asock_connect(struct asock *s)
{
	int	type;

	type = s->kind == ASOCK_TCP ? SOCK_STREAM : SOCK_DGRAM;
	s->fd = socket(s->addr.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (s->fd == -1) {
		asock_disconnect(s, errno);
		return;
	}
	if (s->kind == ASOCK_UDP &&
	    sw_udperr_enable(s->fd, s->addr.ss_family) == -1)
		log_debug("%s: IP_RECVERR: %s", s->name, strerror(errno));
	if (connect(s->fd, (struct sockaddr *)&s->addr, s->addrlen) == 0) {
		asock_connected(s);
		return;
	}
	if (errno == EINPROGRESS && s->kind == ASOCK_TCP) {
		s->connecting = 1;
		return;
	}
	asock_disconnect(s, errno);
}

/* A TCP connect() in progress: done, failed, or still going (0). */
static int
asock_check_connect(struct asock *s)
{
	struct pollfd	pfd;
	socklen_t	len = sizeof (int);
	int		err = 0;

	pfd.fd = s->fd;
	pfd.events = POLLOUT;
	if (poll(&pfd, 1, 0) <= 0)
		return (0);
	if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	if (err != 0) {
		asock_disconnect(s, err);
		return (-1);
	}
	asock_connected(s);
	return (1);
}

static void
asock_pop(struct asock *s)
{
	struct amsg	*m = &s->q[s->head];

	s->bytes -= m->len;
	free(m->buf);
	m->buf = NULL;
	s->head = (s->head + 1) % ASOCK_QUEUE_MAX;
	s->n--;
}

/* Remove the message K places after the head (older ones move up). */
static void
asock_remove(struct asock *s, unsigned k)
{
	unsigned	i, at;

	at = (s->head + k) % ASOCK_QUEUE_MAX;
	s->bytes -= s->q[at].len;
	free(s->q[at].buf);
	for (i = k; i > 0; i--)
		s->q[(s->head + i) % ASOCK_QUEUE_MAX] =
		    s->q[(s->head + i - 1) % ASOCK_QUEUE_MAX];
	s->q[s->head].buf = NULL;
	s->head = (s->head + 1) % ASOCK_QUEUE_MAX;
	s->n--;
}

/*
 * TCP: drop from the queue what the collector acknowledged (SIOCOUTQ:
 * the bytes written and not yet acknowledged; still right after the
 * collector closed or reset the connection).
 */
static void
asock_acks(struct asock *s)
{
	size_t	acked;
	int	outq;

	if (s->fd == -1 || (s->nwritten == 0 && s->off == 0))
		return;
	if (ioctl(s->fd, SIOCOUTQ, &outq) == -1 || outq < 0 ||
	    (size_t)outq > s->wbytes)
		return;
	acked = s->wbytes - (size_t)outq;
	while (s->nwritten > 0 && s->q[s->head].len <= acked) {
		acked -= s->q[s->head].len;
		s->wbytes -= s->q[s->head].len;
		asock_pop(s);
		s->nwritten--;
		s->sent++;
	}
}

/*
 * TCP: the acknowledgements, then whether the collector closed or reset
 * the connection, noticed here even when nothing is being written: what
 * it did not acknowledge is sent again on the next one.
 */
static void
asock_acked(struct asock *s)
{
	struct pollfd	pfd;
	socklen_t	len = sizeof (int);
	int		err = 0;

	if (s->nwritten == 0 && s->off == 0)
		return;
	asock_acks(s);
	if (s->nwritten == 0 && s->off == 0)
		return;
	pfd.fd = s->fd;
	pfd.events = POLLIN | POLLRDHUP;
	if (poll(&pfd, 1, 0) == 1 &&
	    (pfd.revents & (POLLERR | POLLHUP | POLLRDHUP)) != 0) {
		if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1 ||
		    err == 0)
			err = EPIPE;
		asock_disconnect(s, err);
	}
}

/*
 * UDP: count what the kernel reports refused, settle what is confirmed;
 * a refusal means the collector is down (queue and probe).  FINAL: at
 * close.
 */
static void
asock_udp_settle(struct asock *s, int final)
{
	unsigned	refused;

	if (s->kind != ASOCK_UDP || s->fd == -1)
		return;
	refused = sw_udperr_settle(&s->udp, sw_udperr_read(s->fd),
	    asock_now_ms(), final, &s->sent, &s->failed);
	if (refused > 0) {
		if (!s->down_reported)
			log_warnx("%s: %s; alerts are queued and the "
			    "collector tried again", s->name,
			    strerror(ECONNREFUSED));
		s->down_reported = 1;
		s->refused = 1;
		s->probing = 0;
		asock_backoff(s);
		return;
	}
	if (s->probing && sw_udperr_pending(&s->udp) == 0) {
		/* The probe was not refused: the collector is back. */
		s->probing = 0;
		s->refused = 0;
		s->backoff_ms = ASOCK_BACKOFF_MIN_MS;
		if (s->down_reported) {
			log_warnx("%s: reachable again", s->name);
			s->down_reported = 0;
			asock_report_lost(s, 1);
		}
	}
}

/* UDP pacing: may a datagram go now?  Takes a token. */
static int
asock_udp_token(struct asock *s)
{
	int64_t		now = asock_now_ms();
	uint64_t	add;

	if (now > s->tokens_ms) {
		add = (uint64_t)(now - s->tokens_ms) * ASOCK_UDP_RATE / 1000;
		if (add > 0) {
			s->tokens = s->tokens + add > ASOCK_UDP_BURST ?
			    ASOCK_UDP_BURST : s->tokens + (unsigned)add;
			s->tokens_ms = now;
		}
	}
	if (s->tokens == 0)
		return (0);
	s->tokens--;
	return (1);
}

/* Write queued messages until the socket would block. */
static void
asock_write(struct asock *s)
{
	struct amsg	*m;
	ssize_t		 w;
	int		 retried = 0;

	while (s->n > s->nwritten && s->fd != -1 && !s->connecting) {
		if (s->kind == ASOCK_UDP) {
			/* Refused: one probe at a time, when due. */
			if (s->refused && (s->probing ||
			    asock_now_ms() < s->next_try_ms))
				return;
			if (!retried && !asock_udp_token(s))
				return;
			if (s->refused)
				s->probing = 1;
		}
		m = &s->q[(s->head + s->nwritten) % ASOCK_QUEUE_MAX];
		w = send(s->fd, m->buf + s->off, m->len - s->off,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w >= 0) {
			if (s->kind == ASOCK_TCP) {
				s->off += (size_t)w;
				s->wbytes += (size_t)w;
				if (s->off == m->len) {
					s->nwritten++;
					s->off = 0;
				}
				continue;
			}
			asock_pop(s);
			if (s->kind == ASOCK_UDP)
				sw_udperr_sent(&s->udp);
			else
				s->sent++;
			if (s->probing)
				return;
			continue;
		}
		if (s->probing)
			s->probing = 0;
		switch (errno) {
		case EINTR:
			continue;
		case EAGAIN:
#if EWOULDBLOCK != EAGAIN
		case EWOULDBLOCK:
#endif
		case ENOBUFS:
			return;
		case EMSGSIZE:
			/* Never deliverable (a datagram too large). */
			asock_remove(s, s->nwritten);
			s->failed++;
			continue;
		case ECONNREFUSED:
		case EHOSTUNREACH:
		case ENETUNREACH:
			if (s->kind == ASOCK_UDP) {
				/*
				 * The ICMP error of an earlier datagram; this
				 * one was not sent.  Count the refusals, then
				 * try it once more, or treat the collector as
				 * down.
				 */
				asock_udp_settle(s, 0);
				if (!retried && !s->refused) {
					retried = 1;
					continue;
				}
				if (!s->refused) {
					s->refused = 1;
					asock_backoff(s);
				}
				return;
			}
			/* FALLTHROUGH */
		default:
			asock_disconnect(s, errno);
			return;
		}
	}
}

/*
 * Say what was lost since it was last said: at close (FINAL), or when
 * the collector is up and the last report is ASOCK_LOST_REPORT_MS old.
 */
static void
asock_report_lost(struct asock *s, int final)
{
	uint64_t	lost = s->failed + s->dropped;
	int64_t		now;

	if (lost == s->lost_reported || (!final && s->down_reported))
		return;
	now = asock_now_ms();
	if (!final && now < s->lost_next_ms)
		return;
	log_warnx("%s: %llu alert message(s) lost", s->name,
	    (unsigned long long)(lost - s->lost_reported));
	s->lost_reported = lost;
	s->lost_next_ms = now + ASOCK_LOST_REPORT_MS;
}

void
asock_flush(struct asock *s)
{
	if (s->fd == -1) {
		if (s->n == 0 || asock_now_ms() < s->next_try_ms)
			return;
		asock_connect(s);
	}
	if (s->connecting && asock_check_connect(s) <= 0)
		return;
	asock_udp_settle(s, 0);
	asock_write(s);
	if (s->kind == ASOCK_TCP && s->fd != -1)
		asock_acked(s);
	asock_report_lost(s, 0);
}

void
asock_send(struct asock *s, const char *msg, size_t len)
{
	unsigned	busy, i;

	while (s->n == ASOCK_QUEUE_MAX || (s->n > 0 &&
	    s->bytes + len > ASOCK_QUEUE_BYTES)) {
		/*
		 * Drop the oldest message not written yet (those written wait
		 * for an acknowledgement, the one partly written must end);
		 * when there is none, this one.
		 */
		busy = s->nwritten + (s->off > 0 ? 1 : 0);
		if (busy >= s->n) {
			s->dropped++;
			asock_flush(s);
			return;
		}
		asock_remove(s, busy);
		s->dropped++;
	}
	i = (s->head + s->n) % ASOCK_QUEUE_MAX;
	s->q[i].buf = xmalloc(len > 0 ? len : 1);
	memcpy(s->q[i].buf, msg, len);
	s->q[i].len = len;
	s->n++;
	s->bytes += len;
	asock_flush(s);
}

struct asock *
asock_open(enum asock_kind kind, const char *where, const char *port,
    const char *name, char **cause)
{
	struct asock		*s;
	struct sockaddr_un	*sun;
	struct addrinfo		 hints, *res;
	int			 r;

	s = xcalloc(1, sizeof *s);
	s->kind = kind;
	s->fd = -1;
	s->backoff_ms = ASOCK_BACKOFF_MIN_MS;
	if (kind == ASOCK_UNIX_DGRAM) {
		sun = (struct sockaddr_un *)&s->addr;
		if (strlen(where) >= sizeof sun->sun_path) {
			*cause = xasprintf("%s: socket path too long", where);
			free(s);
			return (NULL);
		}
		sun->sun_family = AF_UNIX;
		memcpy(sun->sun_path, where, strlen(where) + 1);
		s->addrlen = sizeof *sun;
	} else {
		memset(&hints, 0, sizeof hints);
		hints.ai_family = AF_UNSPEC;
		hints.ai_socktype = kind == ASOCK_TCP ? SOCK_STREAM :
		    SOCK_DGRAM;
		hints.ai_flags = AI_NUMERICSERV;
		if ((r = getaddrinfo(where, port, &hints, &res)) != 0) {
			*cause = xasprintf("%s: %s", where, gai_strerror(r));
			free(s);
			return (NULL);
		}
		memcpy(&s->addr, res->ai_addr, res->ai_addrlen);
		s->addrlen = res->ai_addrlen;
		freeaddrinfo(res);
	}
	s->name = xstrdup(name);
	s->q = xcalloc(ASOCK_QUEUE_MAX, sizeof *s->q);
	s->tokens = ASOCK_UDP_BURST;
	s->tokens_ms = asock_now_ms();
	asock_connect(s);
	return (s);
}

void
asock_drain(struct asock *s)
{
	struct pollfd	pfd;
	int64_t		deadline, now;

	deadline = asock_now_ms() + ASOCK_CLOSE_WAIT_MS;
	for (;;) {
		asock_flush(s);
		now = asock_now_ms();
		if (now >= deadline)
			break;
		/* UDP: a refusal of the last datagrams comes at once. */
		if (s->n == 0 && (s->kind != ASOCK_UDP || s->fd == -1 ||
		    sw_udperr_pending(&s->udp) == 0))
			break;
		if (s->n == 0) {
			sw_udperr_wait(s->fd, (struct sockaddr *)&s->addr);
			asock_udp_settle(s, 1);
			continue;
		}
		if (s->fd == -1 || (s->kind == ASOCK_UDP && s->refused)) {
			/* Retry soon: the daemon may be restarting. */
			if (s->next_try_ms > now + 200)
				s->next_try_ms = now + 200;
			(void)poll(NULL, 0, 50);
			continue;
		}
		pfd.fd = s->fd;
		pfd.events = POLLOUT;
		(void)poll(&pfd, 1, (int)(deadline - now < 100 ?
		    deadline - now : 100));
	}
	asock_udp_settle(s, 1);
	s->dropped += s->n;
	asock_report_lost(s, 1);
	while (s->n > 0)
		asock_pop(s);
	s->nwritten = 0;
	s->off = s->wbytes = 0;
}

void
asock_close(struct asock *s)
{
	if (s == NULL)
		return;
	asock_drain(s);
	if (s->fd != -1)
		close(s->fd);
	free(s->q);
	free(s->name);
	free(s);
}

void
asock_counts(const struct asock *s, struct sw_sink *out)
{
	out->sent = s->sent;
	out->failed = s->failed;
	out->dropped = s->dropped;
	out->queued = s->n + sw_udperr_pending(&s->udp);
}
