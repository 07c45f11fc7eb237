/*
 * hep-listen.c: --hep-listen, sipwatch as a HEP collector.
 *
 * One UDP socket, or one listening TCP socket and up to
 * HEP_LISTEN_MAX_CONN agent connections (each HEPv3 packet framed by its
 * own length field; a stream that stops looking like HEPv3 is closed and
 * counted).  Everything is non-blocking and read from the engine's loop
 * on the capture thread.
 *
 * Each packet is decoded (hep-decode.c) and, if it carries SIP, handed
 * on as a struct decode_pkt with the addresses, ports, transport and
 * capture time the agent reported, so the rest of sipwatch cannot tell
 * it from a locally captured message.
 *
 * Agents are told apart by (capture id, source IP).  When several agents
 * watch the same network (both sides of a proxy, say), each reports the
 * same message: a bounded table remembers a digest of (source,
 * destination, bytes) with the packet time and the agent of each recent
 * message, and a copy from another agent within HEP_DEDUP_WINDOW_US is
 * counted as a duplicate instead of being fed again.  The same agent
 * sending it again is a retransmission and is fed: retransmissions come
 * at least T1 (500 ms) apart, twice the window.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "core/xmalloc.h"
#include "hep/hep.h"

#define HEP_READ_MAX		4096	/* packets per hep_listener_read() */
#define HEP_DEDUP_WAYS		4
#define HEP_AGENT_OTHER		0xffff

struct hep_conn {
	int		 fd;
	struct sw_addr	 peer;
	size_t		 len;
	uint8_t		 buf[HEP_MAX_PACKET];
};

/* An endpoint and the agent that last reported a message of it. */
struct hep_peer {
	struct sw_addr	addr;
	uint16_t	agent;
	uint8_t		used;
	uint64_t	messages;
};
#define HEP_PEER_SLOTS	(2 * HEP_LISTEN_MAX_PEERS)	/* open addressing */

struct hep_dedup_slot {
	uint64_t	digest;
	int64_t		ts_us;
	uint16_t	agent;
	uint8_t		used;
};

struct hep_listener {
	int			 tcp;
	int			 fd;		/* UDP socket or TCP listener */
	char			*password;
	size_t			 password_len;
	struct hep_conn		*conns[HEP_LISTEN_MAX_CONN];
	unsigned		 nconn;
	struct hep_agent	 agents[HEP_LISTEN_MAX_AGENTS];
	unsigned		 nagents;
	struct hep_agent	 other;		/* beyond the cap */
	struct hep_dedup_slot	*dedup;
	struct hep_peer		*peers;		/* HEP_PEER_SLOTS */
	unsigned		 npeers;
	const struct hep_agent	*current;
	struct hep_listen_stats	 st;
	uint8_t			 rbuf[HEP_MAX_PACKET + 1];
};

/* FNV-1a over bytes; not cryptographic (a collision only drops a copy). */
static uint64_t
hep_hash(uint64_t h, const void *data, size_t len)
{
	const uint8_t	*p = data;
	size_t		 i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return (h);
}

static uint64_t
hep_digest(const struct sw_addr *src, const struct sw_addr *dst,
    const uint8_t *data, size_t len)
{
	uint64_t	h = 0xcbf29ce484222325ULL;
	uint8_t		b[2 * (1 + 16 + 2)];

	b[0] = src->family;
	memcpy(b + 1, src->ip, 16);
	b[17] = (uint8_t)(src->port >> 8);
	b[18] = (uint8_t)src->port;
	b[19] = dst->family;
	memcpy(b + 20, dst->ip, 16);
	b[36] = (uint8_t)(dst->port >> 8);
	b[37] = (uint8_t)dst->port;
	h = hep_hash(h, b, sizeof b);
	return (hep_hash(h, data, len));
}

/*
 * 1 when another agent reported the same message within the window;
 * otherwise remember it for AGENT and return 0.
 */
static int
hep_dedup(struct hep_listener *l, uint64_t digest, int64_t ts_us,
    uint16_t agent)
{
	struct hep_dedup_slot	*b, *victim = NULL;
	int64_t			 d;
	unsigned		 i;

	b = &l->dedup[(digest % (HEP_DEDUP_SLOTS / HEP_DEDUP_WAYS)) *
	    HEP_DEDUP_WAYS];
	for (i = 0; i < HEP_DEDUP_WAYS; i++) {
		if (!b[i].used) {
			if (victim == NULL || victim->used)
				victim = &b[i];
			continue;
		}
		if (b[i].digest == digest) {
			d = ts_us - b[i].ts_us;
			if (d < 0)
				d = -d;
			if (d <= HEP_DEDUP_WINDOW_US && b[i].agent != agent)
				return (1);
			b[i].ts_us = ts_us;
			b[i].agent = agent;
			return (0);
		}
		if (victim == NULL ||
		    (victim->used && b[i].ts_us < victim->ts_us))
			victim = &b[i];
	}
	if (victim->used) {
		d = ts_us - victim->ts_us;
		if (d < 0)
			d = -d;
		if (d <= HEP_DEDUP_WINDOW_US)
			l->st.dedup_evicted++;
	}
	victim->digest = digest;
	victim->ts_us = ts_us;
	victim->agent = agent;
	victim->used = 1;
	return (0);
}

/* The slot of endpoint A: its own, a free one (CREATE), or NULL. */
static struct hep_peer *
hep_peer_slot(const struct hep_listener *l, const struct sw_addr *a,
    int create)
{
	struct hep_peer	*p;
	uint64_t	 h;
	uint8_t		 key[19];
	unsigned	 i;

	key[0] = a->family;
	memcpy(key + 1, a->ip, 16);
	key[17] = (uint8_t)(a->port >> 8);
	key[18] = (uint8_t)a->port;
	h = hep_hash(0xcbf29ce484222325ULL, key, sizeof key);
	for (i = 0; i < HEP_PEER_SLOTS; i++) {
		p = &l->peers[(h + i) % HEP_PEER_SLOTS];
		if (!p->used)
			return (create && l->npeers < HEP_LISTEN_MAX_PEERS ?
			    p : NULL);
		if (sw_addr_cmp(&p->addr, a) == 0)
			return (p);
	}
	return (NULL);
}

/* Remember that agent IDX reported a message of endpoint A. */
static void
hep_peer_note(struct hep_listener *l, const struct sw_addr *a, uint16_t idx)
{
	struct hep_peer	*p;

	if ((p = hep_peer_slot(l, a, 1)) == NULL) {
		l->st.peers_unlisted++;
		return;
	}
	if (!p->used) {
		p->used = 1;
		p->addr = *a;
		l->npeers++;
	}
	p->agent = idx;
	p->messages++;
}

const struct hep_agent *
hep_listener_peer_agent(const struct hep_listener *l, const struct sw_addr *a)
{
	const struct hep_peer	*p;

	if ((p = hep_peer_slot(l, a, 0)) == NULL)
		return (NULL);
	return (p->agent == HEP_AGENT_OTHER ? &l->other :
	    &l->agents[p->agent]);
}

/* Endpoints, for the report: calls FN for each (any order). */
void
hep_listener_peers(const struct hep_listener *l,
    void (*fn)(const struct sw_addr *, const struct hep_agent *, uint64_t,
    void *), void *arg)
{
	const struct hep_peer	*p;
	unsigned		 i;

	for (i = 0; i < HEP_PEER_SLOTS; i++) {
		p = &l->peers[i];
		if (p->used)
			fn(&p->addr, p->agent == HEP_AGENT_OTHER ? &l->other :
			    &l->agents[p->agent], p->messages, arg);
	}
}

/* The agent record for (capture id, source IP); the "other" one if full. */
static uint16_t
hep_agent_find(struct hep_listener *l, const struct hep_msg *m,
    const struct sw_addr *from)
{
	struct hep_agent	*a;
	unsigned		 i;

	for (i = 0; i < l->nagents; i++) {
		a = &l->agents[i];
		if (a->has_capture_id == m->has_capture_id &&
		    a->capture_id == m->capture_id &&
		    a->addr.family == from->family &&
		    memcmp(a->addr.ip, from->ip, 16) == 0)
			return ((uint16_t)i);
	}
	if (l->nagents == HEP_LISTEN_MAX_AGENTS) {
		l->st.agents_unlisted++;
		return (HEP_AGENT_OTHER);
	}
	a = &l->agents[l->nagents];
	memset(a, 0, sizeof *a);
	a->has_capture_id = m->has_capture_id;
	a->capture_id = m->capture_id;
	a->addr = *from;
	a->addr.port = 0;
	return ((uint16_t)l->nagents++);
}

static struct hep_agent *
hep_agent_at(struct hep_listener *l, uint16_t idx)
{
	return (idx == HEP_AGENT_OTHER ? &l->other : &l->agents[idx]);
}

/* One HEP packet from FROM. */
static void
hep_listen_packet(struct hep_listener *l, const uint8_t *buf, size_t len,
    const struct sw_addr *from, int64_t now_us, decode_deliver_fn *deliver,
    void *arg)
{
	struct hep_msg		 m;
	struct decode_pkt	 pkt;
	struct hep_agent	*a;
	enum hep_error		 err;
	uint16_t		 idx;
	int64_t			 ts;

	l->st.packets++;
	l->st.bytes += len;
	err = hep_decode(buf, len, &m);
	idx = hep_agent_find(l, &m, from);
	a = hep_agent_at(l, idx);
	a->packets++;
	if (err == HEP_OK && l->password != NULL &&
	    (m.auth == NULL || m.auth_len != l->password_len ||
	    memcmp(m.auth, l->password, l->password_len) != 0))
		err = HEP_ERR_AUTH;
	if (err != HEP_OK) {
		l->st.errors[err]++;
		if (err != HEP_ERR_NOT_SIP)
			a->errors++;
		return;
	}
	l->st.by_version[m.version]++;
	ts = m.ts_us != 0 ? m.ts_us : now_us;
	if (hep_dedup(l, hep_digest(&m.src, &m.dst, m.payload, m.len), ts,
	    idx)) {
		l->st.duplicates++;
		a->duplicates++;
		return;
	}

	memset(&pkt, 0, sizeof pkt);
	pkt.ts_us = ts;
	pkt.dlt = -1;
	pkt.src = m.src;
	pkt.dst = m.dst;
	pkt.transport = (uint8_t)hep_transport(m.ip_proto);
	if (m.vlan != 0) {
		pkt.nvlan = 1;
		pkt.vlan[0] = m.vlan;
	}
	pkt.payload = m.payload;
	pkt.len = m.len;
	pkt.caplen = pkt.wirelen = m.len;
	l->st.messages++;
	a->messages++;
	a->last_ts_us = ts;
	hep_peer_note(l, &m.src, idx);
	hep_peer_note(l, &m.dst, idx);
	l->current = a;
	deliver(&pkt, arg);
	l->current = NULL;
}

static void
hep_sockaddr_to_addr(const struct sockaddr_storage *ss, struct sw_addr *a)
{
	memset(a, 0, sizeof *a);
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)ss;

		a->family = 4;
		memcpy(a->ip, &sin->sin_addr, 4);
		a->port = ntohs(sin->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)ss;

		a->family = 6;
		memcpy(a->ip, &sin6->sin6_addr, 16);
		a->port = ntohs(sin6->sin6_port);
	}
}

static unsigned
hep_listen_udp(struct hep_listener *l, int64_t now_us,
    decode_deliver_fn *deliver, void *arg)
{
	struct sockaddr_storage	ss;
	struct sw_addr		from;
	socklen_t		sslen;
	ssize_t			n;
	unsigned		count = 0;

	while (count < HEP_READ_MAX) {
		sslen = sizeof ss;
		ss.ss_family = AF_UNSPEC;	/* if no address is returned */
		n = recvfrom(l->fd, l->rbuf, sizeof l->rbuf, 0,
		    (struct sockaddr *)&ss, &sslen);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			break;		/* EAGAIN, or a transient error */
		}
		count++;
		hep_sockaddr_to_addr(&ss, &from);
		if ((size_t)n > HEP_MAX_PACKET) {
			l->st.packets++;
			l->st.errors[HEP_ERR_BAD_LENGTH]++;
			continue;
		}
		hep_listen_packet(l, l->rbuf, (size_t)n, &from, now_us,
		    deliver, arg);
	}
	return (count);
}

static void
hep_conn_close(struct hep_listener *l, unsigned i)
{
	close(l->conns[i]->fd);
	free(l->conns[i]);
	l->conns[i] = l->conns[--l->nconn];
	l->conns[l->nconn] = NULL;
}

static void
hep_listen_accept(struct hep_listener *l)
{
	struct sockaddr_storage	 ss;
	struct hep_conn		*c;
	socklen_t		 sslen;
	int			 fd;

	for (;;) {
		sslen = sizeof ss;
		ss.ss_family = AF_UNSPEC;	/* if no address is returned */
		fd = accept4(l->fd, (struct sockaddr *)&ss, &sslen,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1)
			return;
		if (l->nconn == HEP_LISTEN_MAX_CONN) {
			l->st.tcp_refused++;
			close(fd);
			continue;
		}
		l->st.tcp_accepted++;
		c = xmalloc(sizeof *c);
		c->fd = fd;
		c->len = 0;
		hep_sockaddr_to_addr(&ss, &c->peer);
		l->conns[l->nconn++] = c;
	}
}

/* Read one connection; 1 when it was closed (slot I now holds another). */
static int
hep_listen_conn(struct hep_listener *l, unsigned i, int64_t now_us,
    decode_deliver_fn *deliver, void *arg, unsigned *count)
{
	struct hep_conn	*c = l->conns[i];
	size_t		 off;
	ssize_t		 n;
	long		 flen;

	while (*count < HEP_READ_MAX) {
		n = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len, 0);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return (0);
			if (c->len > 0)
				l->st.tcp_closed_partial++;
			hep_conn_close(l, i);
			return (1);
		}
		if (n == 0) {
			if (c->len > 0)
				l->st.tcp_closed_partial++;
			hep_conn_close(l, i);
			return (1);
		}
		c->len += (size_t)n;
		off = 0;
		for (;;) {
			flen = hep_frame_length(c->buf + off, c->len - off);
			if (flen == -1) {
				l->st.packets++;
				l->st.errors[HEP_ERR_BAD_VERSION]++;
				l->st.tcp_closed_bad++;
				hep_conn_close(l, i);
				return (1);
			}
			if (flen == 0 || (size_t)flen > c->len - off)
				break;
			hep_listen_packet(l, c->buf + off, (size_t)flen,
			    &c->peer, now_us, deliver, arg);
			off += (size_t)flen;
			(*count)++;
		}
		if (off > 0) {
			memmove(c->buf, c->buf + off, c->len - off);
			c->len -= off;
		}
	}
	return (0);
}

unsigned
hep_listener_read(struct hep_listener *l, int64_t now_us,
    decode_deliver_fn *deliver, void *arg)
{
	unsigned	i, count = 0;

	if (!l->tcp)
		return (hep_listen_udp(l, now_us, deliver, arg));
	hep_listen_accept(l);
	for (i = 0; i < l->nconn; ) {
		if (hep_listen_conn(l, i, now_us, deliver, arg, &count) == 0)
			i++;
	}
	return (count);
}

unsigned
hep_listener_pollfds(const struct hep_listener *l, struct pollfd *pfd,
    unsigned max)
{
	unsigned	i, n = 0;

	if (n < max) {
		pfd[n].fd = l->fd;
		pfd[n].events = POLLIN;
		pfd[n].revents = 0;
		n++;
	}
	for (i = 0; i < l->nconn && n < max; i++) {
		pfd[n].fd = l->conns[i]->fd;
		pfd[n].events = POLLIN;
		pfd[n].revents = 0;
		n++;
	}
	return (n);
}

struct hep_listener *
hep_listener_open(const char *url, const char *password, char **cause)
{
	struct hep_listener	*l;
	struct addrinfo		 hints, *res;
	char			*host, *port;
	int			 tcp, rc, fd, on = 1;

	if (hep_url_parse(url, &tcp, &host, &port, cause) == -1)
		return (NULL);
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = tcp ? SOCK_STREAM : SOCK_DGRAM;
	hints.ai_flags = AI_PASSIVE;
	rc = getaddrinfo(host, port, &hints, &res);
	free(host);
	free(port);
	if (rc != 0) {
		*cause = xasprintf("--hep-listen %s: %s", url,
		    gai_strerror(rc));
		return (NULL);
	}
	fd = socket(res->ai_family, res->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (fd == -1) {
		*cause = xasprintf("--hep-listen %s: socket: %s", url,
		    strerror(errno));
		freeaddrinfo(res);
		return (NULL);
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	if (!tcp) {
		/* Bursts from many agents: ask for a large receive buffer. */
		rc = 8 * 1024 * 1024;
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rc, sizeof rc);
	}
	if (bind(fd, res->ai_addr, res->ai_addrlen) == -1 ||
	    (tcp && listen(fd, 64) == -1)) {
		*cause = xasprintf("--hep-listen %s: %s", url,
		    strerror(errno));
		close(fd);
		freeaddrinfo(res);
		return (NULL);
	}
	freeaddrinfo(res);

	l = xcalloc(1, sizeof *l);
	l->tcp = tcp;
	l->fd = fd;
	if (password != NULL) {
		l->password = xstrdup(password);
		l->password_len = strlen(password);
	}
	l->dedup = xcalloc(HEP_DEDUP_SLOTS, sizeof *l->dedup);
	l->peers = xcalloc(HEP_PEER_SLOTS, sizeof *l->peers);
	return (l);
}

const struct hep_agent *
hep_listener_current_agent(const struct hep_listener *l)
{
	return (l->current);
}

const struct hep_listen_stats *
hep_listener_stats(const struct hep_listener *l)
{
	return (&l->st);
}

const struct hep_agent *
hep_listener_agents(const struct hep_listener *l, unsigned *n)
{
	*n = l->nagents;
	return (l->agents);
}

char *
hep_agent_format(const struct hep_agent *a, char *buf, size_t len)
{
	char	ip[SW_ADDRSTRLEN];

	if (a->addr.family == 0)
		snprintf(ip, sizeof ip, "?");
	else
		sw_addr_format_ip(&a->addr, ip, sizeof ip);
	if (a->has_capture_id)
		snprintf(buf, len, "%lu@%s", (unsigned long)a->capture_id, ip);
	else
		snprintf(buf, len, "%s", ip);
	return (buf);
}

void
hep_listener_close(struct hep_listener *l)
{
	if (l == NULL)
		return;
	while (l->nconn > 0)
		hep_conn_close(l, l->nconn - 1);
	close(l->fd);
	free(l->dedup);
	free(l->peers);
	free(l->password);
	free(l);
}
