/*
 * hep-send.c: --hep, every captured SIP message to a HEP collector.
 *
 * The capture thread encodes each message into a packet of its own and
 * appends it to a bounded queue (packet count and bytes); when the queue
 * is full the packet is dropped and counted, so capture never waits on
 * the network.  One sender thread takes batches off the queue and writes
 * them: to a connected UDP socket, or to a TCP connection that is made
 * again after an error (1 s, doubling to 30 s between attempts; wall
 * clock, which only paces retries and is no verdict).  The capture
 * thread and the sender share nothing but the queue and the counters,
 * under one mutex held only to move pointers.
 *
 * What counts as sent (core/sink.h): over TCP a packet is kept after it
 * was written until the collector's TCP acknowledged all its bytes
 * (SIOCOUTQ); when the connection breaks, what was not acknowledged goes
 * back to the head of the queue for the next connection (the collector
 * may see a packet twice, never none).  Over UDP the kernel reports each
 * datagram the collector refused (ICMP port unreachable; core/udperr.h):
 * those count as failed, the others as sent once a second passed.
 *
 * Nothing is lost without a word on stderr, and never a line per packet:
 * the first refusal or failed send over UDP (and, when packets are taken
 * again, how many were lost meanwhile), the first packet dropped on a
 * full queue, and at the end how many were lost in all.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <linux/sockios.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/udperr.h"
#include "core/xmalloc.h"
#include "hep/hep.h"

#define HEP_SEND_BATCH		64
#define HEP_SEND_BACKOFF_MIN	1000	/* ms */
#define HEP_SEND_BACKOFF_MAX	30000	/* ms */
#define HEP_SEND_DRAIN_MS	2000	/* at shutdown */
#define HEP_SEND_TIMEOUT_MS	2000	/* connect, and a stalled TCP write */
#define HEP_SEND_SETTLE_MS	100	/* acknowledgements looked at */

struct hep_qitem {
	struct hep_qitem	*next;		/* in the in-flight list */
	size_t			 len;
	uint8_t			 data[];
};

struct hep_sender {
	char			*url;
	int			 tcp;
	struct sockaddr_storage	 sa;
	socklen_t		 salen;
	uint32_t		 capture_id;
	char			*password;
	size_t			 password_len;

	pthread_t		 thread;
	pthread_mutex_t		 mtx;
	pthread_cond_t		 cond;
	struct hep_qitem	**q;		/* ring of QMAX */
	unsigned		 qmax, qhead, qlen;
	size_t			 qbytes;
	int			 stopping;
	struct timespec		 deadline;	/* drain until (stopping) */
	struct hep_send_stats	 st;
	unsigned		 unsettled;	/* in flight (below) */

	/* Sender thread only. */
	int			 fd;
	int64_t			 backoff_ms;
	struct timespec		 retry_at;
	int			 warned;
	struct hep_qitem	*fl_head;	/* TCP: written, not yet
						   acknowledged, oldest first */
	struct hep_qitem	*fl_tail;
	unsigned		 fl_n;
	size_t			 fl_bytes;
	struct sw_udperr	 udp;		/* UDP: sent, not settled */
	int			 udp_refused;	/* said: packets refused */
	uint64_t		 udp_lost;	/* ... since then */
	int			 full_warned;	/* said: queue full (locked) */
};

static void
hep_send_now(struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
}

static void
hep_send_add_ms(struct timespec *ts, long ms)
{
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

static int
hep_send_before(const struct timespec *a, const struct timespec *b)
{
	return (a->tv_sec < b->tv_sec ||
	    (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec));
}

/* A socket to the collector; -1 on failure (errno set).  No lock held. */
static int
hep_send_connect(struct hep_sender *s)
{
	struct pollfd	pfd;
	struct timeval	tv;
	socklen_t	elen = sizeof(int);
	int		fd, fl, err = 0;

	fd = socket(s->sa.ss_family, (s->tcp ? SOCK_STREAM : SOCK_DGRAM) |
	    SOCK_CLOEXEC, 0);
	if (fd == -1)
		return (-1);
	if (!s->tcp) {
		if (sw_udperr_enable(fd, s->sa.ss_family) == -1)
			log_debug("--hep %s: IP_RECVERR: %s", s->url,
			    strerror(errno));
		if (connect(fd, (struct sockaddr *)&s->sa, s->salen) == -1)
			goto fail;
		return (fd);
	}
	/* TCP: connect with a timeout, then blocking writes with one. */
	fl = fcntl(fd, F_GETFL);
	(void)fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	if (connect(fd, (struct sockaddr *)&s->sa, s->salen) == -1) {
		if (errno != EINPROGRESS)
			goto fail;
		pfd.fd = fd;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, HEP_SEND_TIMEOUT_MS) != 1) {
			errno = ETIMEDOUT;
			goto fail;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) == -1)
			goto fail;
		if (err != 0) {
			errno = err;
			goto fail;
		}
	}
	(void)fcntl(fd, F_SETFL, fl);
	tv.tv_sec = HEP_SEND_TIMEOUT_MS / 1000;
	tv.tv_usec = 0;
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	return (fd);
fail:
	err = errno;
	close(fd);
	errno = err;
	return (-1);
}

/*
 * Write one packet whole.  0, or -1 (errno set).  No lock held.  Over
 * UDP a send(2) that fails for the ICMP error of an earlier datagram
 * (that error is counted from the error queue) is tried once more;
 * *REFUSED gets the datagrams refused meanwhile.
 */
static int
hep_send_one(struct hep_sender *s, const struct hep_qitem *it,
    unsigned *refused)
{
	size_t	off = 0;
	ssize_t	n;
	int	try;

	if (!s->tcp) {
		for (try = 0; try < 2; try++) {
			if (send(s->fd, it->data, it->len, MSG_NOSIGNAL) != -1)
				return (0);
			if (errno != ECONNREFUSED && errno != EHOSTUNREACH &&
			    errno != ENETUNREACH)
				break;
			*refused += sw_udperr_read(s->fd);
		}
		return (-1);
	}
	while (off < it->len) {
		n = send(s->fd, it->data + off, it->len - off, MSG_NOSIGNAL);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		off += (size_t)n;
	}
	return (0);
}

/* Make sure there is a socket.  Called and returns with the lock held. */
static int
hep_send_ensure_socket(struct hep_sender *s)
{
	struct timespec	now;
	int		fd, err;

	if (s->fd != -1)
		return (0);
	hep_send_now(&now);
	if (hep_send_before(&now, &s->retry_at))
		return (-1);
	pthread_mutex_unlock(&s->mtx);
	fd = hep_send_connect(s);
	err = errno;
	pthread_mutex_lock(&s->mtx);
	hep_send_now(&now);
	if (fd == -1) {
		s->st.connect_failures++;
		if (!s->warned)
			log_warnx("--hep %s: %s (retrying)", s->url,
			    strerror(err));
		s->warned = 1;
		s->retry_at = now;
		hep_send_add_ms(&s->retry_at, (long)sw_backoff_ms(
		    &s->backoff_ms, HEP_SEND_BACKOFF_MIN,
		    HEP_SEND_BACKOFF_MAX));
		return (-1);
	}
	if (s->tcp) {
		s->st.connects++;
		if (s->warned)
			log_warnx("--hep %s: connected", s->url);
	}
	s->warned = 0;
	s->fd = fd;
	s->backoff_ms = HEP_SEND_BACKOFF_MIN;
	return (0);
}

/*
 * TCP: free what the collector acknowledged (SIOCOUTQ: bytes not yet
 * acknowledged), counting it into *N.  Returns -1 when the
 * connection was closed or reset (what is left is for the next one).
 * Sender thread, no lock held.
 */
static int
hep_send_acked(struct hep_sender *s, unsigned *n)
{
	struct hep_qitem	*it;
	struct pollfd		 pfd;
	size_t			 acked;
	int			 outq;

	if (s->fl_n == 0)
		return (0);
	/* Acknowledged: still right after a close or a reset. */
	if (ioctl(s->fd, SIOCOUTQ, &outq) == 0 && outq >= 0 &&
	    (size_t)outq <= s->fl_bytes) {
		acked = s->fl_bytes - (size_t)outq;
		while ((it = s->fl_head) != NULL && it->len <= acked) {
			acked -= it->len;
			s->fl_bytes -= it->len;
			s->fl_head = it->next;
			if (s->fl_head == NULL)
				s->fl_tail = NULL;
			s->fl_n--;
			(*n)++;
			free(it);
		}
	}
	if (s->fl_n == 0)
		return (0);
	pfd.fd = s->fd;
	pfd.events = POLLIN | POLLRDHUP;
	if (poll(&pfd, 1, 0) == 1 &&
	    (pfd.revents & (POLLERR | POLLHUP | POLLRDHUP)) != 0)
		return (-1);
	return (0);
}

/*
 * The TCP connection broke: the packets in flight, then REST[0..NREST)
 * (the batch from the packet that failed), go back to the head of the
 * queue, in order, for the next connection; what finds no room is
 * dropped (queue full).  Called with the lock held.
 */
static void
hep_send_requeue(struct hep_sender *s, struct hep_qitem **rest,
    unsigned nrest)
{
	struct hep_qitem	**v, *it;
	unsigned		  n = 0, i;

	v = xcalloc(s->fl_n + nrest + 1, sizeof *v);
	for (it = s->fl_head; it != NULL; it = it->next)
		v[n++] = it;
	for (i = 0; i < nrest; i++)
		v[n++] = rest[i];
	s->fl_head = s->fl_tail = NULL;
	s->fl_n = 0;
	s->fl_bytes = 0;
	while (n > 0) {
		n--;
		if (s->qlen == s->qmax) {
			free(v[n]);
			s->st.dropped_full++;
			continue;
		}
		s->qhead = (s->qhead + s->qmax - 1) % s->qmax;
		s->q[s->qhead] = v[n];
		s->qlen++;
		s->qbytes += v[n]->len;
	}
	free(v);
	log_warnx("--hep %s: connection lost", s->url);
	close(s->fd);
	s->fd = -1;
	hep_send_now(&s->retry_at);
	s->warned = 1;
}

/*
 * UDP: BAD packets just failed (refused by the collector's host, or a
 * send(2) error ERR), OK confirmed.  Say once that packets are refused,
 * and when they are taken again, with how many were lost meanwhile.
 * Sender thread, no lock held.
 */
static void
hep_send_udp_note(struct hep_sender *s, uint64_t ok, uint64_t bad, int err)
{
	if (s->tcp)
		return;
	if (bad > 0) {
		if (!s->udp_refused)
			log_warnx("--hep %s: %s; packets are counted as failed "
			    "while the collector refuses them", s->url,
			    strerror(err));
		s->udp_refused = 1;
		s->udp_lost += bad;
	} else if (ok > 0 && s->udp_refused) {
		log_warnx("--hep %s: packets taken again; %llu failed "
		    "meanwhile", s->url, (unsigned long long)s->udp_lost);
		s->udp_refused = 0;
		s->udp_lost = 0;
	}
}

/*
 * What is in flight now settled: TCP acknowledgements, UDP refusals and
 * confirmations (FINAL: at the end).  Returns -1 when the TCP connection
 * broke.  Takes the lock to count.
 */
static int
hep_send_settle(struct hep_sender *s, int final)
{
	struct timespec	now;
	uint64_t	sent = 0, failed = 0;
	unsigned	n = 0;
	int		r = 0;

	if (s->fd == -1)
		return (0);
	if (s->tcp)
		r = hep_send_acked(s, &n);
	else {
		hep_send_now(&now);
		(void)sw_udperr_settle(&s->udp, sw_udperr_read(s->fd),
		    (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000, final,
		    &sent, &failed);
	}
	pthread_mutex_lock(&s->mtx);
	s->st.sent += n + sent;
	s->st.failed += failed;
	s->unsettled = s->fl_n + (unsigned)sw_udperr_pending(&s->udp);
	pthread_mutex_unlock(&s->mtx);
	hep_send_udp_note(s, sent, failed, ECONNREFUSED);
	return (r);
}

static void *
hep_send_main(void *arg)
{
	struct hep_sender	*s = arg;
	struct hep_qitem	*batch[HEP_SEND_BATCH];
	struct timespec		 now, wake;
	unsigned		 n, i, failed, refused;
	uint64_t		 bytes, lost;
	int			 tcp_broken, err = 0;

	pthread_mutex_lock(&s->mtx);
	for (;;) {
		hep_send_now(&now);
		if (s->stopping && ((s->qlen == 0 && s->unsettled == 0) ||
		    !hep_send_before(&now, &s->deadline)))
			break;
		/* UDP, all sent: a round trip for the last refusals. */
		if (s->stopping && s->qlen == 0 && !s->tcp && s->fd != -1)
			break;
		if (s->qlen > 0 && hep_send_ensure_socket(s) == 0) {
			n = 0;
			while (n < HEP_SEND_BATCH && s->qlen > 0) {
				batch[n++] = s->q[s->qhead];
				s->qbytes -= s->q[s->qhead]->len;
				s->qhead = (s->qhead + 1) % s->qmax;
				s->qlen--;
			}
			pthread_mutex_unlock(&s->mtx);
			failed = refused = 0;
			bytes = 0;
			tcp_broken = 0;
			for (i = 0; i < n; i++) {
				if (hep_send_one(s, batch[i], &refused) == 0) {
					bytes += batch[i]->len;
					if (s->tcp) {
						batch[i]->next = NULL;
						if (s->fl_tail != NULL)
							s->fl_tail->next =
							    batch[i];
						else
							s->fl_head = batch[i];
						s->fl_tail = batch[i];
						s->fl_n++;
						s->fl_bytes += batch[i]->len;
						continue;
					}
					sw_udperr_sent(&s->udp);
				} else if (s->tcp) {
					tcp_broken = 1;
					break;
				} else {
					err = errno;
					failed++;
				}
				free(batch[i]);
			}
			/* UDP refusals read while sending count here. */
			if (!s->tcp && refused > 0) {
				uint64_t	ok = 0, bad = 0;

				(void)sw_udperr_settle(&s->udp, refused, 0, 0,
				    &ok, &bad);
				pthread_mutex_lock(&s->mtx);
				s->st.sent += ok;
				s->st.failed += bad;
				pthread_mutex_unlock(&s->mtx);
				hep_send_udp_note(s, ok, bad, ECONNREFUSED);
			}
			hep_send_udp_note(s, 0, failed, err);
			/* Acknowledged first, even when the connection broke. */
			if (hep_send_settle(s, 0) == -1 && !tcp_broken) {
				tcp_broken = 1;
				i = n;
			}
			pthread_mutex_lock(&s->mtx);
			s->st.failed += failed;
			s->st.bytes += bytes;
			if (tcp_broken)
				hep_send_requeue(s, batch + i, n - i);
			s->unsettled = s->fl_n +
			    (unsigned)sw_udperr_pending(&s->udp);
			continue;
		}
		if (s->fd != -1 && s->unsettled > 0) {
			/* Acknowledgements, refusals, a closed connection. */
			pthread_mutex_unlock(&s->mtx);
			tcp_broken = hep_send_settle(s, 0) == -1;
			pthread_mutex_lock(&s->mtx);
			if (tcp_broken) {
				hep_send_requeue(s, NULL, 0);
				s->unsettled = 0;
				continue;
			}
		}
		/* Nothing to send, or no socket yet: wait. */
		hep_send_now(&wake);
		hep_send_add_ms(&wake, s->unsettled > 0 ? HEP_SEND_SETTLE_MS :
		    1000);
		if (s->qlen > 0 && s->fd == -1 &&
		    hep_send_before(&s->retry_at, &wake))
			wake = s->retry_at;
		if (s->stopping && hep_send_before(&s->deadline, &wake))
			wake = s->deadline;
		(void)pthread_cond_timedwait(&s->cond, &s->mtx, &wake);
	}
	/* UDP: what was not refused by now was delivered. */
	pthread_mutex_unlock(&s->mtx);
	if (!s->tcp && s->fd != -1)
		sw_udperr_wait(s->fd, (struct sockaddr *)&s->sa);
	(void)hep_send_settle(s, 1);
	pthread_mutex_lock(&s->mtx);
	/* What could not be sent, or acknowledged, in time. */
	while (s->qlen > 0) {
		free(s->q[s->qhead]);
		s->qhead = (s->qhead + 1) % s->qmax;
		s->qlen--;
		s->st.dropped_shutdown++;
	}
	while (s->fl_head != NULL) {
		struct hep_qitem *it = s->fl_head;

		s->fl_head = it->next;
		free(it);
		s->st.dropped_shutdown++;
	}
	s->fl_tail = NULL;
	s->fl_n = 0;
	s->unsettled = 0;
	s->qbytes = 0;
	lost = s->st.failed + s->st.dropped_full + s->st.dropped_too_large +
	    s->st.dropped_shutdown;
	pthread_mutex_unlock(&s->mtx);
	if (lost > 0)
		log_warnx("--hep %s: %llu packet(s) lost (see the report's "
		    "hep and sinks)", s->url, (unsigned long long)lost);
	if (s->fd != -1)
		close(s->fd);
	s->fd = -1;
	return (NULL);
}

struct hep_sender *
hep_sender_create(const struct hep_send_opts *opts, char **cause)
{
	struct hep_sender	*s;
	struct addrinfo		 hints, *res;
	pthread_condattr_t	 ca;
	char			*host, *port;
	int			 tcp, rc;

	if (hep_url_parse(opts->url, &tcp, &host, &port, cause) == -1)
		return (NULL);
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = tcp ? SOCK_STREAM : SOCK_DGRAM;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
		*cause = xasprintf("--hep %s: %s", opts->url, gai_strerror(rc));
		free(host);
		free(port);
		return (NULL);
	}
	free(host);
	free(port);

	s = xcalloc(1, sizeof *s);
	s->url = xstrdup(opts->url);
	s->tcp = tcp;
	memcpy(&s->sa, res->ai_addr, res->ai_addrlen);
	s->salen = res->ai_addrlen;
	freeaddrinfo(res);
	s->capture_id = opts->capture_id;
	if (opts->password != NULL) {
		s->password = xstrdup(opts->password);
		s->password_len = strlen(s->password);
	}
	s->qmax = opts->queue_max != 0 ? opts->queue_max :
	    HEP_SEND_QUEUE_DEFAULT;
	s->q = xcalloc(s->qmax, sizeof *s->q);
	s->fd = -1;
	s->backoff_ms = HEP_SEND_BACKOFF_MIN;
	hep_send_now(&s->retry_at);

	pthread_mutex_init(&s->mtx, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cond, &ca);
	pthread_condattr_destroy(&ca);
	if ((rc = pthread_create(&s->thread, NULL, hep_send_main, s)) != 0)
		fatalx("pthread_create: %s", strerror(rc));
	return (s);
}

int
hep_sender_push(struct hep_sender *s, int64_t ts_us,
    const struct sw_addr *src, const struct sw_addr *dst,
    enum decode_transport transport, const uint8_t *cid, size_t cid_len,
    const uint8_t *payload, size_t len)
{
	return (hep_sender_push_proto(s, HEP_PROTO_SIP, ts_us, src, dst,
	    transport, cid, cid_len, payload, len));
}

int
hep_sender_push_proto(struct hep_sender *s, uint8_t proto_type,
    int64_t ts_us, const struct sw_addr *src, const struct sw_addr *dst,
    enum decode_transport transport, const uint8_t *cid, size_t cid_len,
    const uint8_t *payload, size_t len)
{
	struct hep_encode_in	 in;
	struct hep_qitem	*it;
	size_t			 bound;
	int			 warn;

	/* Header, ten fixed chunks with IPv6 addresses, three variable. */
	bound = 6 + 7 + 7 + 22 + 22 + 8 + 8 + 10 + 10 + 7 + 10 +
	    (6 + s->password_len) + (6 + cid_len) + (6 + len);
	if (bound > HEP_MAX_PACKET && cid_len > 0) {
		cid = NULL;		/* the message matters more */
		bound -= 6 + cid_len;
		cid_len = 0;
	}
	pthread_mutex_lock(&s->mtx);
	if (bound > HEP_MAX_PACKET) {
		s->st.dropped_too_large++;
		pthread_mutex_unlock(&s->mtx);
		return (-1);
	}
	if (s->qlen >= s->qmax || s->qbytes + bound > HEP_SEND_QUEUE_BYTES) {
		s->st.dropped_full++;
		warn = !s->full_warned;
		s->full_warned = 1;
		pthread_mutex_unlock(&s->mtx);
		if (warn)
			log_warnx("--hep %s: queue full (%u packets); packets "
			    "are dropped and counted", s->url, s->qmax);
		return (-1);
	}
	pthread_mutex_unlock(&s->mtx);

	memset(&in, 0, sizeof in);
	in.src = src;
	in.dst = dst;
	in.ip_proto = hep_ip_proto(transport);
	in.ts_us = ts_us;
	in.capture_id = s->capture_id;
	in.auth = s->password;
	in.auth_len = s->password_len;
	in.correlation = cid;
	in.correlation_len = cid_len;
	in.payload = payload;
	in.len = len;
	in.proto_type = proto_type;
	it = xmalloc(sizeof *it + bound);
	if ((it->len = hep_encode(&in, it->data, bound)) == 0) {
		free(it);
		pthread_mutex_lock(&s->mtx);
		s->st.dropped_too_large++;
		pthread_mutex_unlock(&s->mtx);
		return (-1);
	}

	pthread_mutex_lock(&s->mtx);
	s->q[(s->qhead + s->qlen) % s->qmax] = it;
	s->qlen++;
	s->qbytes += it->len;
	s->st.queued++;
	if (s->qlen > s->st.queue_peak)
		s->st.queue_peak = s->qlen;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->mtx);
	return (0);
}

void
hep_sender_stats(struct hep_sender *s, struct hep_send_stats *out)
{
	pthread_mutex_lock(&s->mtx);
	*out = s->st;
	out->queue_len = s->qlen + s->unsettled;
	pthread_mutex_unlock(&s->mtx);
}

void
hep_sender_stop(struct hep_sender *s)
{
	if (s->stopping)
		return;
	pthread_mutex_lock(&s->mtx);
	s->stopping = 1;
	hep_send_now(&s->deadline);
	hep_send_add_ms(&s->deadline, HEP_SEND_DRAIN_MS);
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->mtx);
	pthread_join(s->thread, NULL);
}

void
hep_sender_destroy(struct hep_sender *s)
{
	if (s == NULL)
		return;
	hep_sender_stop(s);
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->mtx);
	free(s->q);
	free(s->password);
	free(s->url);
	free(s);
}
