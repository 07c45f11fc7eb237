/*
 * track-bound.c: the tracker's state stays bounded on a long run.
 *
 * Feeds the tracker (src/track) with millions of synthetic calls built
 * directly as struct sip_msg (no parsing, so the run is about the
 * tracker), at a high call rate so that every table reaches its cap, and
 * a mix that leaves state behind on purpose: unanswered INVITEs (Timer B),
 * 2xx never ACKed, REFERs accepted without NOTIFY, 503 with Retry-After
 * from many servers, requests from ever new source addresses (scanner
 * records), REGISTERs with rejected credentials.  Every so often it
 * prints the table sizes, the evictions and the process's resident memory
 * (VmRSS), and at the end it compares the memory once the caps were
 * reached with the memory at the end.
 *
 * usage: track-bound [-n calls] [-r calls_per_s] [-t max_transactions]
 *                    [-d max_call_ids] [-p max_peers] [-g growth_pct]
 *
 * Exit status 0 when the tables never exceeded their caps and RSS grew by
 * less than growth_pct (default 5) percent between the sample where the
 * caps were first all reached and the end; 1 otherwise.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alert/alert.h"
#include "decode/decode.h"
#include "sip/sip.h"
#include "track/track.h"

static uint64_t	 nalerts;

static void
count_alert(const struct alert *a, void *arg)
{
	(void)a;
	(void)arg;
	nalerts++;
}

static long
rss_kib(void)
{
	FILE	*fp;
	char	 line[256];
	long	 kib = -1;

	if ((fp = fopen("/proc/self/status", "r")) == NULL)
		return (-1);
	while (fgets(line, sizeof line, fp) != NULL) {
		if (strncmp(line, "VmRSS:", 6) == 0) {
			kib = strtol(line + 6, NULL, 10);
			break;
		}
	}
	fclose(fp);
	return (kib);
}

/* Strings a message points into: one set per message being built. */
struct strs {
	char	callid[64];
	char	branch[48];
	char	ftag[24];
	char	ttag[24];
	char	ruri[64];
	char	ruser[24];
	char	from[64];
	char	fuser[24];
	char	to[64];
	char	tuser[24];
	char	via_host[24];
	char	refer_to[64];
	char	body[64];
};

static struct sip_str
S(const char *s)
{
	struct sip_str	v;

	v.s = s;
	v.len = strlen(s);
	return (v);
}

static void
msg_base(struct sip_msg *m, struct strs *st, int is_request,
    enum sip_method method, int status, unsigned cseq, int with_ttag)
{
	memset(m, 0, sizeof *m);
	m->is_request = is_request;
	m->method = method;
	m->cseq_method = method;
	m->method_name = S(sip_method_name(method));
	m->cseq_method_name = m->method_name;
	m->status = status;
	if (!is_request)
		m->reason = S("Reason");
	m->ruri = S(st->ruri);
	m->ruri_user = S(st->ruser);
	m->call_id = S(st->callid);
	m->cseq = cseq;
	m->via[0].transport = S("UDP");
	m->via[0].host = S(st->via_host);
	m->via[0].port = 5060;
	m->via[0].branch = S(st->branch);
	m->via[0].rport = -1;
	m->nvia = m->via_total = 1;
	m->from.uri = S(st->from);
	m->from.user = S(st->fuser);
	m->from.host = S("example.com");
	m->from.tag = S(st->ftag);
	m->to.uri = S(st->to);
	m->to.user = S(st->tuser);
	m->to.host = S("example.com");
	if (with_ttag)
		m->to.tag = S(st->ttag);
	m->max_forwards = 70;
	m->expires = -1;
	m->retry_after = -1;
	m->content_length = 0;
}

static void
addr4(struct sw_addr *a, uint32_t ip, uint16_t port)
{
	memset(a, 0, sizeof *a);
	a->family = 4;
	a->ip[0] = (uint8_t)(ip >> 24);
	a->ip[1] = (uint8_t)(ip >> 16);
	a->ip[2] = (uint8_t)(ip >> 8);
	a->ip[3] = (uint8_t)ip;
	a->port = port;
}

static uint64_t	msgs;

static void
feed(struct track *tr, const struct sip_msg *m, int64_t ts,
    const struct sw_addr *src, const struct sw_addr *dst)
{
	track_message(tr, m, ts, src, dst, DECODE_TP_UDP, 0);
	msgs++;
}

/* One "call" number I at time TS: a mix of outcomes. */
static void
one_call(struct track *tr, uint64_t i, int64_t ts)
{
	struct strs	st;
	struct sip_msg	m;
	struct sw_addr	ua, pbx, srv;
	unsigned	kind = (unsigned)(i % 20);

	memset(&st, 0, sizeof st);
	snprintf(st.callid, sizeof st.callid, "%llu-bound@example.com",
	    (unsigned long long)i);
	snprintf(st.branch, sizeof st.branch, "z9hG4bK%llx",
	    (unsigned long long)i);
	snprintf(st.ftag, sizeof st.ftag, "f%llx", (unsigned long long)i);
	snprintf(st.ttag, sizeof st.ttag, "t%llx", (unsigned long long)i);
	snprintf(st.ruser, sizeof st.ruser, "%llu",
	    (unsigned long long)(i % 100000));
	snprintf(st.ruri, sizeof st.ruri, "sip:%s@example.com", st.ruser);
	snprintf(st.fuser, sizeof st.fuser, "u%llu",
	    (unsigned long long)(i % 50000));
	snprintf(st.from, sizeof st.from, "sip:%s@example.com", st.fuser);
	snprintf(st.tuser, sizeof st.tuser, "%s", st.ruser);
	snprintf(st.to, sizeof st.to, "sip:%s@example.com", st.tuser);
	/* Phones: a new address for every call, so peer tables fill. */
	addr4(&ua, 0x0a000000u + (uint32_t)(i & 0xffffff), 5060);
	snprintf(st.via_host, sizeof st.via_host, "10.%u.%u.%u",
	    (unsigned)((i >> 16) & 0xff), (unsigned)((i >> 8) & 0xff),
	    (unsigned)(i & 0xff));
	addr4(&pbx, 0xc0000201u, 5060);
	/* Many servers for the back-off and burst tables. */
	addr4(&srv, 0xc6330000u + (uint32_t)(i % 4096), 5060);

	switch (kind) {
	case 0:		/* INVITE never answered: Timer B */
		msg_base(&m, &st, 1, SIP_METHOD_INVITE, 0, 1, 0);
		feed(tr, &m, ts, &ua, &pbx);
		break;
	case 1:		/* 2xx never ACKed, resent */
		msg_base(&m, &st, 1, SIP_METHOD_INVITE, 0, 1, 0);
		feed(tr, &m, ts, &ua, &pbx);
		msg_base(&m, &st, 0, SIP_METHOD_INVITE, 200, 1, 1);
		feed(tr, &m, ts + 1000, &pbx, &ua);
		feed(tr, &m, ts + 501000, &pbx, &ua);
		break;
	case 2:		/* REFER accepted, no NOTIFY */
		msg_base(&m, &st, 1, SIP_METHOD_REFER, 0, 2, 1);
		snprintf(st.refer_to, sizeof st.refer_to,
		    "sip:carol@example.com");
		m.refer_to.uri = S(st.refer_to);
		feed(tr, &m, ts, &ua, &pbx);
		msg_base(&m, &st, 0, SIP_METHOD_REFER, 202, 2, 1);
		feed(tr, &m, ts + 1000, &pbx, &ua);
		break;
	case 3:		/* 503 with Retry-After from one of many servers */
		msg_base(&m, &st, 1, SIP_METHOD_INVITE, 0, 1, 0);
		feed(tr, &m, ts, &ua, &srv);
		msg_base(&m, &st, 0, SIP_METHOD_INVITE, 503, 1, 1);
		m.retry_after = 30;
		feed(tr, &m, ts + 1000, &srv, &ua);
		msg_base(&m, &st, 1, SIP_METHOD_ACK, 0, 1, 1);
		feed(tr, &m, ts + 2000, &ua, &srv);
		break;
	case 4:		/* REGISTER with credentials, refused */
		msg_base(&m, &st, 1, SIP_METHOD_REGISTER, 0, 1, 0);
		m.has_auth = 1;
		m.auth_nonce = S(st.ttag);
		feed(tr, &m, ts, &ua, &pbx);
		msg_base(&m, &st, 0, SIP_METHOD_REGISTER, 403, 1, 1);
		feed(tr, &m, ts + 1000, &pbx, &ua);
		break;
	case 5:		/* 486 with Retry-After (callee hint) */
		msg_base(&m, &st, 1, SIP_METHOD_INVITE, 0, 1, 0);
		feed(tr, &m, ts, &ua, &pbx);
		msg_base(&m, &st, 0, SIP_METHOD_INVITE, 486, 1, 1);
		m.retry_after = 60;
		feed(tr, &m, ts + 1000, &pbx, &ua);
		msg_base(&m, &st, 1, SIP_METHOD_ACK, 0, 1, 1);
		feed(tr, &m, ts + 2000, &ua, &pbx);
		break;
	default:	/* a normal call, still up (long idle class) */
		msg_base(&m, &st, 1, SIP_METHOD_INVITE, 0, 1, 0);
		feed(tr, &m, ts, &ua, &pbx);
		msg_base(&m, &st, 0, SIP_METHOD_INVITE, 100, 1, 0);
		feed(tr, &m, ts + 100, &pbx, &ua);
		msg_base(&m, &st, 0, SIP_METHOD_INVITE, 180, 1, 1);
		feed(tr, &m, ts + 200, &pbx, &ua);
		msg_base(&m, &st, 0, SIP_METHOD_INVITE, 200, 1, 1);
		feed(tr, &m, ts + 3000, &pbx, &ua);
		msg_base(&m, &st, 1, SIP_METHOD_ACK, 0, 1, 1);
		snprintf(st.branch, sizeof st.branch, "z9hG4bKa%llx",
		    (unsigned long long)i);
		feed(tr, &m, ts + 3100, &ua, &pbx);
		if (kind % 2 == 0) {	/* half of them hang up */
			msg_base(&m, &st, 1, SIP_METHOD_BYE, 0, 2, 1);
			snprintf(st.branch, sizeof st.branch, "z9hG4bKb%llx",
			    (unsigned long long)i);
			feed(tr, &m, ts + 3200, &ua, &pbx);
			msg_base(&m, &st, 0, SIP_METHOD_BYE, 200, 2, 1);
			feed(tr, &m, ts + 3300, &pbx, &ua);
		}
		break;
	}
}

int
main(int argc, char **argv)
{
	struct track_opts	 o;
	struct track		*tr;
	struct track_usage	 u;
	uint64_t		 n = 2000000, i, every;
	double			 rate = 20000, growth = 5;
	long			 rss, rss_full = -1, rss_max = 0;
	uint64_t		 at_full = 0;
	int			 ch, over = 0;
	int64_t			 t0 = 1700000000000000LL, ts;

	track_opts_default(&o);
	while ((ch = getopt(argc, argv, "d:g:n:p:r:t:")) != -1) {
		switch (ch) {
		case 'd':
			o.max_call_ids = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'g':
			growth = strtod(optarg, NULL);
			break;
		case 'n':
			n = strtoull(optarg, NULL, 10);
			break;
		case 'p':
			o.max_peers = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'r':
			rate = strtod(optarg, NULL);
			break;
		case 't':
			o.max_transactions = (unsigned)strtoul(optarg, NULL,
			    10);
			break;
		default:
			fprintf(stderr, "usage: track-bound [-n calls] "
			    "[-r calls_per_s] [-t max_transactions] "
			    "[-d max_call_ids] [-p max_peers] [-g growth_pct]\n");
			return (2);
		}
	}
	if (n < 20 || rate <= 0)
		return (2);
	sip_global_init();
	tr = track_create(&o, count_alert, NULL);
	every = n / 20;
	printf("%10s %10s %8s %8s %8s %8s %10s %9s %8s\n", "calls",
	    "messages", "txns", "dialogs", "peers", "timers", "evicted",
	    "alerts", "rss_kib");
	for (i = 0; i < n; i++) {
		ts = t0 + (int64_t)((double)i * 1e6 / rate);
		one_call(tr, i, ts);
		if ((i + 1) % every != 0)
			continue;
		track_usage(tr, &u);
		rss = rss_kib();
		if (u.transactions > o.max_transactions ||
		    u.call_ids > o.max_call_ids ||
		    u.peers > u.peer_cap)
			over = 1;
		printf("%10llu %10llu %8u %8u %8u %8u %10llu %9llu %8ld\n",
		    (unsigned long long)(i + 1), (unsigned long long)msgs,
		    u.transactions, u.call_ids, u.peers, u.timers,
		    (unsigned long long)u.evicted,
		    (unsigned long long)nalerts, rss);
		if (rss > rss_max)
			rss_max = rss;
		if (rss_full < 0 && u.evicted > 0 &&
		    u.call_ids >= o.max_call_ids * 99 / 100) {
			rss_full = rss;
			at_full = i + 1;
		}
	}
	track_finish(tr);
	track_destroy(tr);

	if (rss_full < 0) {
		printf("caps never reached: raise -n or -r\n");
		return (1);
	}
	printf("caps reached at %llu calls with RSS %ld KiB; end RSS %ld KiB "
	    "(max %ld): growth %.1f%% (limit %.1f%%)\n",
	    (unsigned long long)at_full, rss_full, rss, rss_max,
	    100.0 * (double)(rss_max - rss_full) / (double)rss_full, growth);
	if (over) {
		printf("FAIL: a table exceeded its cap\n");
		return (1);
	}
	if ((double)(rss_max - rss_full) > growth / 100.0 * (double)rss_full) {
		printf("FAIL: memory kept growing after the caps were reached\n");
		return (1);
	}
	printf("PASS: state bounded\n");
	return (0);
}
