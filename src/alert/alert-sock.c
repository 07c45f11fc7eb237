/*
 * alert-sock.c: the connection behind the syslog sinks: a local datagram
 * socket (/dev/log), UDP or TCP, with a bounded queue so that a slow or
 * absent log daemon never blocks the capture thread (alert-int.h).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alert/alert-int.h"
#include "core/log.h"
#include "core/xmalloc.h"

#define ASOCK_BACKOFF_MIN_MS	1000
#define ASOCK_BACKOFF_MAX_MS	30000

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
	size_t			 off;		/* bytes of the head written */
	struct amsg		*q;		/* ring of ASOCK_QUEUE_MAX */
	unsigned		 head;
	unsigned		 n;
	size_t			 bytes;
	int64_t			 next_try_ms;	/* reconnect not before */
	int64_t			 backoff_ms;
	int			 down_reported;
	uint64_t		 sent;
	uint64_t		 lost;
	uint64_t		 lost_reported;
};

/* Monotonic wall clock in ms: connection retries only, never verdicts. */
static int64_t
asock_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static void
asock_disconnect(struct asock *s, int err)
{
	if (s->fd != -1)
		close(s->fd);
	s->fd = -1;
	s->connecting = 0;
	s->off = 0;
	if (!s->down_reported) {
		log_warnx("%s: %s; alerts are queued and the connection "
		    "retried", s->name, strerror(err));
		s->down_reported = 1;
	}
	s->next_try_ms = asock_now_ms() + s->backoff_ms;
	s->backoff_ms *= 2;
	if (s->backoff_ms > ASOCK_BACKOFF_MAX_MS)
		s->backoff_ms = ASOCK_BACKOFF_MAX_MS;
}

static void
asock_connected(struct asock *s)
{
	s->connecting = 0;
	s->backoff_ms = ASOCK_BACKOFF_MIN_MS;
	if (s->down_reported)
		log_warnx("%s: connected", s->name);
	s->down_reported = 0;
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
	s->off = 0;
}

/* Write queued messages until the socket would block. */
static void
asock_write(struct asock *s)
{
	struct amsg	*m;
	ssize_t		 w;
	int		 retried = 0;

	while (s->n > 0 && s->fd != -1 && !s->connecting) {
		m = &s->q[s->head];
		w = send(s->fd, m->buf + s->off, m->len - s->off,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w >= 0) {
			s->off += (size_t)w;
			if (s->off == m->len || s->kind != ASOCK_TCP) {
				asock_pop(s);
				s->sent++;
			}
			continue;
		}
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
			asock_pop(s);
			s->lost++;
			continue;
		case ECONNREFUSED:
			/*
			 * UDP: the ICMP error of an earlier datagram; this
			 * one was not sent.  Send it again once.
			 */
			if (s->kind == ASOCK_UDP && !retried) {
				retried = 1;
				continue;
			}
			if (s->kind == ASOCK_UDP) {
				asock_pop(s);
				s->lost++;
				continue;
			}
			/* FALLTHROUGH */
		default:
			asock_disconnect(s, errno);
			return;
		}
	}
}

static void
asock_report_lost(struct asock *s)
{
	if (s->lost > s->lost_reported) {
		log_warnx("%s: %llu alert message(s) lost", s->name,
		    (unsigned long long)(s->lost - s->lost_reported));
		s->lost_reported = s->lost;
	}
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
	asock_write(s);
	asock_report_lost(s);
}

void
asock_send(struct asock *s, const char *msg, size_t len)
{
	unsigned	drop, i;

	while (s->n == ASOCK_QUEUE_MAX || (s->n > 0 &&
	    s->bytes + len > ASOCK_QUEUE_BYTES)) {
		/* Drop the oldest message not partly written. */
		drop = s->head;
		if (s->off > 0) {
			if (s->n == 1)
				break;
			drop = (s->head + 1) % ASOCK_QUEUE_MAX;
		}
		s->bytes -= s->q[drop].len;
		free(s->q[drop].buf);
		for (i = drop; i != s->head; i = (i + ASOCK_QUEUE_MAX - 1) %
		    ASOCK_QUEUE_MAX)
			s->q[i] = s->q[(i + ASOCK_QUEUE_MAX - 1) %
			    ASOCK_QUEUE_MAX];
		s->q[s->head].buf = NULL;
		s->head = (s->head + 1) % ASOCK_QUEUE_MAX;
		s->n--;
		s->lost++;
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
	asock_connect(s);
	return (s);
}

void
asock_close(struct asock *s)
{
	struct pollfd	pfd;
	int64_t		deadline, now;

	if (s == NULL)
		return;
	deadline = asock_now_ms() + ASOCK_CLOSE_WAIT_MS;
	for (;;) {
		asock_flush(s);
		now = asock_now_ms();
		if (s->n == 0 || now >= deadline)
			break;
		if (s->fd == -1) {
			/* Retry soon: the daemon may be restarting. */
			if (s->next_try_ms > now + 200)
				s->next_try_ms = now + 200;
			poll(NULL, 0, 50);
			continue;
		}
		pfd.fd = s->fd;
		pfd.events = POLLOUT;
		poll(&pfd, 1, (int)(deadline - now < 100 ? deadline - now :
		    100));
	}
	s->lost += s->n;
	asock_report_lost(s);
	while (s->n > 0)
		asock_pop(s);
	if (s->fd != -1)
		close(s->fd);
	free(s->q);
	free(s->name);
	free(s);
}

void
asock_counts(const struct asock *s, uint64_t *sent, uint64_t *lost)
{
	*sent = s->sent;
	*lost = s->lost;
}
