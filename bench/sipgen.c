/*
 * sipgen.c: write a pcap of realistic SIP traffic for benchmarks.
 *
 * A PBX (10.0.0.1:5060) serves a pool of phones.  Each "event" is one of:
 * a normal call (INVITE/100/180/200/ACK ... BYE/200), a busy or declined
 * call, a 503 with Retry-After, a 404, a registration with a digest
 * challenge, an OPTIONS ping, or a blind transfer (REFER/202/NOTIFY x2).
 * A share of INVITEs and 200s are retransmitted.  Events start at a fixed
 * rate; messages are written in timestamp order.  The same seed gives the
 * same file, byte for byte.
 *
 * With -L every address is in 127.0.0.0/8 (PBX 127.0.0.1, phones from
 * 127.1.0.2) and the Ethernet addresses are zero, so the file can be
 * replayed onto the loopback interface with tcpreplay.
 *
 * With -H KIND, one message in every -x N (default 100) comes instead from
 * an attacker (192.0.2.66, or 127.2.0.66 with -L): an OPTIONS with a new
 * Call-ID, built to cost a SIP parser as much as it can (doc/SECURITY.md):
 *   headers  about 64 KB of tiny headers ("a:b"), after the mandatory ones
 *   params   a Via with thousands of parameters (";p" repeated)
 *   large    a 64 KB body (a big message a parser must copy)
 *   bounds   just within the work bounds, osip2's costliest: 96 fields
 *            (Vias) and 128 separators (digest parameters)
 * Each counts as one message; they are all 64 KB but the last.
 *
 * With -c CALLS instead of -n, events are made until CALLS of them are
 * calls (an INVITE each, with a Call-ID of its own), and every message
 * they lead to is written: the file holds exactly CALLS calls.
 *
 * usage: sipgen [-L] [-s seed] [-r events_per_s] [-p phones]
 *               [-H headers|params|large|bounds [-x N]]
 *               -n messages | -c calls -o out.pcap
 */
#include "config.h"

#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gen.h"

struct msg {
	int64_t		 ts;		/* µs */
	uint64_t	 seq;		/* tie-break: creation order */
	uint32_t	 src, dst;	/* IPv4, host order */
	uint16_t	 sport, dport;
	char		*text;
	size_t		 len;
};

/* Min-heap of pending messages by (ts, seq). */
static struct msg	*heap;
static size_t		 nheap, heapcap;
static uint64_t		 seqno;
static uint64_t		 rng_state;

static uint32_t
rng(void)
{
	return (bench_rng(&rng_state));
}

static int
msg_less(const struct msg *a, const struct msg *b)
{
	return (a->ts < b->ts || (a->ts == b->ts && a->seq < b->seq));
}

static void
heap_push(struct msg m)
{
	size_t	i;

	if (nheap == heapcap) {
		heapcap = heapcap ? heapcap * 2 : 1024;
		heap = realloc(heap, heapcap * sizeof *heap);
		if (heap == NULL)
			abort();
	}
	i = nheap++;
	heap[i] = m;
	while (i > 0 && msg_less(&heap[i], &heap[(i - 1) / 2])) {
		struct msg t = heap[i];
		heap[i] = heap[(i - 1) / 2];
		heap[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

static struct msg
heap_pop(void)
{
	struct msg	top = heap[0];
	size_t		i = 0, l, r, m;

	heap[0] = heap[--nheap];
	for (;;) {
		l = 2 * i + 1;
		r = l + 1;
		m = i;
		if (l < nheap && msg_less(&heap[l], &heap[m]))
			m = l;
		if (r < nheap && msg_less(&heap[r], &heap[m]))
			m = r;
		if (m == i)
			break;
		struct msg t = heap[i];
		heap[i] = heap[m];
		heap[m] = t;
		i = m;
	}
	return (top);
}

static uint32_t	PBX = 0x0a000001u;	/* 10.0.0.1, or 127.0.0.1 with -L */
static uint32_t	PHONES = 0x0a010000u;	/* base of the phone addresses */
static uint32_t	ATTACKER = 0xc0000242u;	/* 192.0.2.66, or 127.2.0.66 with -L */
static int	loopback_macs;

#define HOSTILE_SIZE	65000		/* bytes of a hostile message (UDP) */

struct ctx {
	uint32_t	phone, peer;	/* caller and callee addresses */
	unsigned	ua, ub;		/* extension numbers */
	char		callid[64];
	char		ftag[16], ttag[16];
	unsigned	branch;
	unsigned	cseq;
	int		reverse;	/* in-dialog request from the callee side */
};

static struct msg
make_msg(int64_t ts, uint32_t src, uint32_t dst, const char *text)
{
	struct msg	m;

	m.ts = ts;
	m.seq = seqno++;
	m.src = src;
	m.dst = dst;
	m.sport = 5060;
	m.dport = 5060;
	m.len = strlen(text);
	m.text = malloc(m.len + 1);
	if (m.text == NULL)
		abort();
	memcpy(m.text, text, m.len + 1);
	return (m);
}

static void
emit(int64_t ts, uint32_t src, uint32_t dst, const char *text)
{
	heap_push(make_msg(ts, src, dst, text));
}

static const char sdp[] =
    "v=0\r\no=- 20518 0 IN IP4 %s\r\ns=call\r\nc=IN IP4 %s\r\nt=0 0\r\n"
    "m=audio %u RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n";

static char *
ip(uint32_t a, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255,
	    (a >> 8) & 255, a & 255);
	return (buf);
}

/*
 * A request from SRC to DST.  BODY may be NULL.  Via sent-by is SRC; the
 * branch is the context's current one.
 */
static void
req(struct ctx *c, int64_t ts, uint32_t src, uint32_t dst, const char *method,
    unsigned cseq, const char *cseq_method, const char *extra,
    const char *ctype, const char *body)
{
	char	buf[4096], a[16], b[16];
	size_t	blen = body ? strlen(body) : 0;

	snprintf(buf, sizeof buf,
	    "%s sip:%u@%s:5060 SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP %s:5060;branch=z9hG4bK%08x%u;rport\r\n"
	    "Max-Forwards: 70\r\n"
	    "From: \"Ext %u\" <sip:%u@pbx.example.com>;tag=%s\r\n"
	    "To: <sip:%u@pbx.example.com>%s%s\r\n"
	    "Call-ID: %s\r\n"
	    "CSeq: %u %s\r\n"
	    "Contact: <sip:%u@%s:5060>\r\n"
	    "User-Agent: Yealink SIP-T46S 66.86.0.15\r\n"
	    "Allow: INVITE, ACK, CANCEL, BYE, NOTIFY, REFER, OPTIONS, INFO, UPDATE\r\n"
	    "%s"
	    "%s%s%s"
	    "Content-Length: %zu\r\n\r\n%s",
	    method, c->reverse ? c->ua : c->ub, ip(dst, b),
	    ip(src, a), c->branch, cseq,
	    c->reverse ? c->ub : c->ua, c->reverse ? c->ub : c->ua,
	    c->reverse ? c->ttag : c->ftag,
	    c->reverse ? c->ua : c->ub,
	    (c->reverse ? c->ftag[0] : c->ttag[0]) ? ";tag=" : "",
	    c->reverse ? c->ftag : c->ttag,
	    c->callid, cseq, cseq_method, c->ua, a,
	    extra ? extra : "",
	    ctype ? "Content-Type: " : "", ctype ? ctype : "",
	    ctype ? "\r\n" : "", blen, body ? body : "");
	emit(ts, src, dst, buf);
}

/* A response from SRC back to DST for the context's current transaction. */
static void
resp(struct ctx *c, int64_t ts, uint32_t src, uint32_t dst, const char *status,
    unsigned cseq, const char *cseq_method, const char *extra, const char *body)
{
	char	buf[4096], a[16], b[16];
	size_t	blen = body ? strlen(body) : 0;

	snprintf(buf, sizeof buf,
	    "SIP/2.0 %s\r\n"
	    "Via: SIP/2.0/UDP %s:5060;branch=z9hG4bK%08x%u;rport=5060\r\n"
	    "From: \"Ext %u\" <sip:%u@pbx.example.com>;tag=%s\r\n"
	    "To: <sip:%u@pbx.example.com>;tag=%s\r\n"
	    "Call-ID: %s\r\n"
	    "CSeq: %u %s\r\n"
	    "Server: Asterisk PBX 20.5.0\r\n"
	    "Contact: <sip:%u@%s:5060>\r\n"
	    "%s%s"
	    "Content-Length: %zu\r\n\r\n%s",
	    status, ip(dst, a), c->branch, cseq,
	    c->reverse ? c->ub : c->ua, c->reverse ? c->ub : c->ua,
	    c->reverse ? c->ttag : c->ftag, c->reverse ? c->ua : c->ub,
	    c->reverse ? c->ftag : (c->ttag[0] ? c->ttag : "as7f3a"),
	    c->callid, cseq, cseq_method, c->ub, ip(src, b),
	    extra ? extra : "",
	    body ? "Content-Type: application/sdp\r\n" : "",
	    blen, body ? body : "");
	emit(ts, src, dst, buf);
}

/* One event at T0; returns 1 when it is a call (an INVITE). */
static int
event(int64_t t0, uint64_t id, unsigned phones)
{
	struct ctx	c;
	char		body[1024], a[16];
	unsigned	kind = rng() % 100, i;
	int64_t		t = t0, dur;

	memset(&c, 0, sizeof c);
	c.ua = 1000 + rng() % phones;
	c.ub = 1000 + rng() % phones;
	c.phone = PHONES + (c.ua - 1000) + 2;
	c.peer = PHONES + (c.ub - 1000) + 2;
	snprintf(c.callid, sizeof c.callid, "%08x-%llu@10.1.0.2", rng(),
	    (unsigned long long)id);
	snprintf(c.ftag, sizeof c.ftag, "%08x", rng());
	c.branch = rng();

	if (kind < 7) {			/* registration with challenge */
		req(&c, t, c.phone, PBX, "REGISTER", 1, "REGISTER",
		    "Expires: 3600\r\n", NULL, NULL);
		strcpy(c.ttag, "reg1");
		resp(&c, t + 2000, PBX, c.phone, "401 Unauthorized", 1,
		    "REGISTER", "WWW-Authenticate: Digest realm=\"pbx\", "
		    "nonce=\"6b8b4567327b23c6\", algorithm=MD5\r\n", NULL);
		c.ttag[0] = '\0';
		c.branch++;
		req(&c, t + 20000, c.phone, PBX, "REGISTER", 2, "REGISTER",
		    "Expires: 3600\r\nAuthorization: Digest username=\"x\", "
		    "realm=\"pbx\", nonce=\"6b8b4567327b23c6\", "
		    "uri=\"sip:pbx.example.com\", "
		    "response=\"0123456789abcdef0123456789abcdef\"\r\n",
		    NULL, NULL);
		strcpy(c.ttag, "reg2");
		resp(&c, t + 23000, PBX, c.phone, "200 OK", 2, "REGISTER",
		    "Expires: 3600\r\n", NULL);
		return (0);
	}
	if (kind < 10) {		/* keep-alive OPTIONS */
		req(&c, t, PBX, c.phone, "OPTIONS", 1, "OPTIONS", NULL, NULL,
		    NULL);
		strcpy(c.ttag, "opt");
		resp(&c, t + 1500, c.phone, PBX, "200 OK", 1, "OPTIONS", NULL,
		    NULL);
		return (0);
	}

	/* An INVITE from the phone to the PBX. */
	snprintf(body, sizeof body, sdp, ip(c.phone, a), a,
	    10000 + (rng() % 10000) * 2);
	req(&c, t, c.phone, PBX, "INVITE", 1, "INVITE", NULL,
	    "application/sdp", body);
	if (rng() % 100 < 5)		/* lost 100: one retransmission */
		req(&c, t + 500000, c.phone, PBX, "INVITE", 1, "INVITE", NULL,
		    "application/sdp", body);
	resp(&c, t + 600000, PBX, c.phone, "100 Trying", 1, "INVITE", NULL,
	    NULL);
	snprintf(c.ttag, sizeof c.ttag, "as%06x", rng() & 0xffffff);
	if (kind < 15) {		/* busy */
		resp(&c, t + 2000000, PBX, c.phone, "486 Busy Here", 1,
		    "INVITE", NULL, NULL);
		req(&c, t + 2001000, c.phone, PBX, "ACK", 1, "ACK", NULL,
		    NULL, NULL);
		return (1);
	}
	if (kind < 19) {		/* overload */
		resp(&c, t + 700000, PBX, c.phone, "503 Service Unavailable",
		    1, "INVITE", "Retry-After: 30\r\n", NULL);
		req(&c, t + 701000, c.phone, PBX, "ACK", 1, "ACK", NULL,
		    NULL, NULL);
		return (1);
	}
	if (kind < 23) {		/* unknown number */
		resp(&c, t + 700000, PBX, c.phone, "404 Not Found", 1,
		    "INVITE", NULL, NULL);
		req(&c, t + 701000, c.phone, PBX, "ACK", 1, "ACK", NULL,
		    NULL, NULL);
		return (1);
	}
	resp(&c, t + 1500000, PBX, c.phone, "180 Ringing", 1, "INVITE", NULL,
	    NULL);
	if (kind < 26) {		/* declined */
		resp(&c, t + 6000000, PBX, c.phone, "603 Decline", 1,
		    "INVITE", NULL, NULL);
		req(&c, t + 6001000, c.phone, PBX, "ACK", 1, "ACK", NULL,
		    NULL, NULL);
		return (1);
	}
	t += 4000000 + (int64_t)(rng() % 8000000);
	snprintf(body, sizeof body, sdp, ip(PBX, a), ip(PBX, a),
	    30000 + (rng() % 10000) * 2);
	resp(&c, t, PBX, c.phone, "200 OK", 1, "INVITE", NULL, body);
	if (rng() % 100 < 3)		/* 200 retransmitted once */
		resp(&c, t + 500000, PBX, c.phone, "200 OK", 1, "INVITE",
		    NULL, body);
	c.branch++;
	req(&c, t + 30000, c.phone, PBX, "ACK", 1, "ACK", NULL, NULL, NULL);
	dur = 5000000 + (int64_t)(rng() % 55000000);
	if (kind < 29) {		/* blind transfer */
		c.branch++;
		req(&c, t + 2000000, c.phone, PBX, "REFER", 2, "REFER",
		    "Refer-To: <sip:2000@pbx.example.com>\r\n"
		    "Referred-By: <sip:1000@pbx.example.com>\r\n", NULL, NULL);
		resp(&c, t + 2010000, PBX, c.phone, "202 Accepted", 2, "REFER",
		    NULL, NULL);
		c.reverse = 1;		/* NOTIFYs come from the PBX side */
		for (i = 0; i < 2; i++) {
			c.branch++;
			req(&c, t + 2020000 + i * 3000000, PBX, c.phone,
			    "NOTIFY", 3 + i, "NOTIFY", i == 0 ?
			    "Event: refer\r\nSubscription-State: active;expires=60\r\n" :
			    "Event: refer\r\nSubscription-State: terminated;reason=noresource\r\n",
			    "message/sipfrag;version=2.0", i == 0 ?
			    "SIP/2.0 100 Trying\r\n" : "SIP/2.0 200 OK\r\n");
			resp(&c, t + 2030000 + i * 3000000, c.phone, PBX,
			    "200 OK", 3 + i, "NOTIFY", NULL, NULL);
		}
		c.reverse = 0;
		dur = 5100000;
	}
	c.branch++;
	req(&c, t + dur, c.phone, PBX, "BYE", 5, "BYE", NULL, NULL, NULL);
	resp(&c, t + dur + 20000, PBX, c.phone, "200 OK", 5, "BYE", NULL, NULL);
	return (1);
}

/* One hostile OPTIONS of KIND (see the top comment), number ID. */
static struct msg
hostile(int64_t ts, uint64_t id, const char *kind)
{
	static char	 buf[HOSTILE_SIZE + 1024];
	char		*p = buf, *end = buf + HOSTILE_SIZE, a[16], b[16];
	int		 i, n, seps = 2;	/* ;branch and ;tag */

	p += sprintf(p, "OPTIONS sip:100@%s:5060 SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP %s:5060;branch=z9hG4bKx%llu", ip(PBX, b),
	    ip(ATTACKER, a), (unsigned long long)id);
	if (strcmp(kind, "params") == 0) {
		while (p < end - 400)
			p += sprintf(p, ";p");
	}
	p += sprintf(p, "\r\nFrom: <sip:scan@%s>;tag=x%llu\r\n"
	    "To: <sip:100@%s>\r\nCall-ID: hostile-%llu\r\n"
	    "CSeq: 1 OPTIONS\r\nUser-Agent: friendly-scanner\r\n", a,
	    (unsigned long long)id, b, (unsigned long long)id);
	if (strcmp(kind, "headers") == 0) {
		while (p < end - 100)
			p += sprintf(p, "a:b\r\n");
	} else if (strcmp(kind, "bounds") == 0) {
		/*
		 * 96 fields and 128 separators, as osip2 likes them least (the
		 * costliest mix measured): digest parameters and Via fields.
		 */
		p += sprintf(p, "Authorization: Digest a=b");
		for (; seps < 128; seps++)
			p += sprintf(p, ",a=b");
		p += sprintf(p, "\r\n");
		for (i = 0; i < 96 - 8; i++)
			p += sprintf(p, "Via: SIP/2.0/UDP h\r\n");
	}
	if (strcmp(kind, "large") == 0) {
		n = (int)(end - p) - 80;	/* what the two lines leave */
		p += sprintf(p, "Content-Type: text/plain\r\n"
		    "Content-Length: %d\r\n\r\n", n);
		memset(p, 'x', (size_t)n);
		p += n;
	} else
		p += sprintf(p, "Content-Length: 0\r\n\r\n");
	*p = '\0';
	return (make_msg(ts, ATTACKER, PBX, buf));
}

static void
write_msg(pcap_dumper_t *d, const struct msg *m)
{
	if (bench_frame(d, m->ts, m->src, m->sport, m->dst, m->dport,
	    (const uint8_t *)m->text, m->len, loopback_macs) == -1)
		abort();
}

int
main(int argc, char **argv)
{
	pcap_t		*dead;
	pcap_dumper_t	*d;
	const char	*out = NULL, *hkind = NULL;
	uint64_t	 target = 0, written = 0, id = 0, every = 100;
	uint64_t	 calls = 0, ncalls = 0;
	double		 rate = 200;
	unsigned	 phones = 5000;
	int64_t		 t = 1700000000LL * 1000000, step;
	int		 ch;

	rng_state = 42;
	while ((ch = getopt(argc, argv, "c:H:Ln:o:p:r:s:x:")) != -1) {
		switch (ch) {
		case 'H':
			hkind = optarg;
			break;
		case 'x':
			every = strtoull(optarg, NULL, 10);
			break;
		case 'L':
			PBX = 0x7f000001u;
			PHONES = 0x7f010000u;
			ATTACKER = 0x7f020042u;
			loopback_macs = 1;
			break;
		case 'c':
			calls = strtoull(optarg, NULL, 10);
			break;
		case 'n':
			target = strtoull(optarg, NULL, 10);
			break;
		case 'o':
			out = optarg;
			break;
		case 'p':
			phones = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'r':
			rate = strtod(optarg, NULL);
			break;
		case 's':
			rng_state = strtoull(optarg, NULL, 10) * 2654435761ULL + 1;
			break;
		default:
			fprintf(stderr, "usage: sipgen [-L] [-s seed] [-r events/s] "
			    "[-p phones] [-H headers|params|large|bounds [-x N]] "
			    "-n messages | -c calls -o out.pcap\n");
			return (1);
		}
	}
	if (calls != 0)
		target = UINT64_MAX;	/* every message of the calls */
	if (out == NULL || target == 0 || rate <= 0 || phones == 0) {
		fprintf(stderr, "sipgen: -n (or -c) and -o are required\n");
		return (1);
	}
	if (hkind != NULL && (every == 0 || (strcmp(hkind, "headers") != 0 &&
	    strcmp(hkind, "params") != 0 && strcmp(hkind, "large") != 0 &&
	    strcmp(hkind, "bounds") != 0))) {
		fprintf(stderr, "sipgen: -H headers|params|large|bounds, "
		    "-x above 0\n");
		return (1);
	}
	step = (int64_t)(1e6 / rate);
	dead = pcap_open_dead(DLT_EN10MB, 262144);
	if ((d = pcap_dump_open(dead, out)) == NULL) {
		fprintf(stderr, "sipgen: %s\n", pcap_geterr(dead));
		return (1);
	}
	while (written < target) {
		/* Keep the heap primed a minute ahead, then drain what is due. */
		while ((nheap == 0 || heap[0].ts + 70000000 > t) &&
		    (calls == 0 || ncalls < calls)) {
			ncalls += event(t, id++, phones);
			t += step;
		}
		if (calls != 0 && ncalls == calls) {
			t = INT64_MAX - 70000000;	/* the rest, all due */
			if (nheap == 0)
				break;
		}
		while (nheap > 0 && heap[0].ts + 70000000 <= t &&
		    written < target) {
			struct msg m = heap_pop();
			if (hkind != NULL && written % every == every - 1) {
				/* In its place, at its time: an attacker's. */
				free(m.text);
				m = hostile(m.ts, written, hkind);
			}
			write_msg(d, &m);
			free(m.text);
			written++;
		}
	}
	pcap_dump_close(d);
	pcap_close(dead);
	while (nheap > 0)
		free(heap_pop().text);
	free(heap);
	fprintf(stderr, "sipgen: %llu messages, %llu events, %llu calls\n",
	    (unsigned long long)written, (unsigned long long)id,
	    (unsigned long long)ncalls);
	return (0);
}
