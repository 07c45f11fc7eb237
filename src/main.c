/*
 * main.c: command line, signals, and the choice between a run and a
 * subcommand (sipwatch explain).
 */
#include "config.h"

#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <malloc.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alert/alert.h"
#include "capture/capture-dump.h"
#include "core/addr.h"
#include "core/hostport.h"
#include "core/i18n.h"
#include "core/privdrop.h"
#include "core/log.h"
#include "core/xmalloc.h"
#include "engine/engine.h"
#include "kb/kb.h"
#include "pipeline/pipeline.h"
#include "sip/sip.h"
#include "ui/ui.h"

enum {
	OPT_REPORT = 256,
	OPT_THREADS,
	OPT_NO_PROMISC,
	OPT_LANG,
	OPT_ALERTS,
	OPT_T1,
	OPT_MAX_TRANSACTIONS,
	OPT_MAX_CALL_IDS,
	OPT_MAX_PEERS,
	OPT_BURST,
	OPT_FAILURE_RATE,
	OPT_MEDIA_THRESHOLDS,
	OPT_MEDIA_TIMERS,
	OPT_SYSLOG,
	OPT_SYSLOG_SOCKET,
	OPT_SYSLOG_REMOTE,
	OPT_ALERT_WINDOW,
	OPT_ALERT_HOLD,
	OPT_ALERT_RATE,
	OPT_ALERTS_DEDUP,
	OPT_SAVE_ALERTED,
	OPT_SPEED,
	OPT_HEP,
	OPT_HEP_LISTEN,
	OPT_HEP_ID,
	OPT_HEP_PASSWORD,
	OPT_METRICS,
	OPT_METRICS_FILE,
	OPT_DATADIR,
	OPT_EXPORT,
	OPT_EXPORT_FILTER,
	OPT_EXPORT_DIR,
	OPT_LOCAL_NET,
	OPT_FRAUD_PREFIX,
	OPT_BLOCKLIST,
	OPT_MAX_CALLS,
	OPT_CORRELATE,
};

static const struct option longopts[] = {
	{ "interface",	required_argument,	NULL, 'i' },
	{ "read",	required_argument,	NULL, 'r' },
	{ "buffer-size", required_argument,	NULL, 'B' },
	{ "snapshot-length", required_argument,	NULL, 's' },
	{ "no-ui",	no_argument,		NULL, 'N' },
	{ "no-promiscuous-mode", no_argument,	NULL, 'p' },
	{ "list-interfaces", no_argument,	NULL, 'D' },
	{ "report",	required_argument,	NULL, OPT_REPORT },
	{ "threads",	required_argument,	NULL, OPT_THREADS },
	{ "lang",	required_argument,	NULL, OPT_LANG },
	{ "datadir",	required_argument,	NULL, OPT_DATADIR },
	{ "alerts",	required_argument,	NULL, OPT_ALERTS },
	{ "t1",		required_argument,	NULL, OPT_T1 },
	{ "max-transactions", required_argument, NULL, OPT_MAX_TRANSACTIONS },
	{ "max-call-ids", required_argument,	NULL, OPT_MAX_CALL_IDS },
	{ "max-dialogs", required_argument,	NULL, OPT_MAX_CALL_IDS },
	{ "max-peers",	required_argument,	NULL, OPT_MAX_PEERS },
	{ "burst",	required_argument,	NULL, OPT_BURST },
	{ "failure-rate", required_argument,	NULL, OPT_FAILURE_RATE },
	{ "media-thresholds", required_argument, NULL, OPT_MEDIA_THRESHOLDS },
	{ "media-timers", required_argument,	NULL, OPT_MEDIA_TIMERS },
	{ "syslog",	optional_argument,	NULL, OPT_SYSLOG },
	{ "syslog-socket", required_argument,	NULL, OPT_SYSLOG_SOCKET },
	{ "syslog-remote", required_argument,	NULL, OPT_SYSLOG_REMOTE },
	{ "alert-window", required_argument,	NULL, OPT_ALERT_WINDOW },
	{ "alert-hold",	required_argument,	NULL, OPT_ALERT_HOLD },
	{ "alert-rate",	required_argument,	NULL, OPT_ALERT_RATE },
	{ "alerts-dedup", no_argument,		NULL, OPT_ALERTS_DEDUP },
	{ "save-alerted", required_argument,	NULL, OPT_SAVE_ALERTED },
	{ "relinquish-privileges", required_argument, NULL, 'Z' },
	{ "speed",	required_argument,	NULL, OPT_SPEED },
	{ "hep",	required_argument,	NULL, OPT_HEP },
	{ "hep-listen",	required_argument,	NULL, OPT_HEP_LISTEN },
	{ "hep-id",	required_argument,	NULL, OPT_HEP_ID },
	{ "hep-password", required_argument,	NULL, OPT_HEP_PASSWORD },
	{ "metrics",	required_argument,	NULL, OPT_METRICS },
	{ "metrics-file", required_argument,	NULL, OPT_METRICS_FILE },
	{ "export",	required_argument,	NULL, OPT_EXPORT },
	{ "export-filter", required_argument,	NULL, OPT_EXPORT_FILTER },
	{ "export-dir",	required_argument,	NULL, OPT_EXPORT_DIR },
	{ "local-net",	required_argument,	NULL, OPT_LOCAL_NET },
	{ "fraud-prefix", required_argument,	NULL, OPT_FRAUD_PREFIX },
	{ "blocklist",	required_argument,	NULL, OPT_BLOCKLIST },
	{ "max-calls",	required_argument,	NULL, OPT_MAX_CALLS },
	{ "correlate",	required_argument,	NULL, OPT_CORRELATE },
	{ "quiet",	no_argument,		NULL, 'q' },
	{ "verbose",	no_argument,		NULL, 'v' },
	{ "version",	no_argument,		NULL, 'V' },
	{ "help",	no_argument,		NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp)
{
	fprintf(fp,
"usage: sipwatch [-DNpqvV] [-B MiB] [-i interface | -r file] [-s snaplen]\n"
"                [--report=text|full|json|none] [--threads=N] [--lang=LL]\n"
"                [--alerts=FILE] [--t1=MS] [--burst=K/W] [--failure-rate=PCT/N/S]\n"
"                [--max-transactions=N]\n"
"                [--max-call-ids=N] [--max-peers=N] [--speed=N]\n"
"                [--media-thresholds=LOSS,JITTER,MOS] [--media-timers=N,W,T,L]\n"
"                [--syslog[=FACILITY]] [--syslog-remote=URL] [--alert-window=S]\n"
"                [--alert-hold=S] [--alert-rate=N[/B]] [--alerts-dedup]\n"
"                [-w file [-C size] [-G seconds] [-W count]]\n"
"                [--save-alerted=DIR] [-Z user] [--hep=URL] [--hep-id=N]\n"
"                [--hep-password=KEY] [--hep-listen=URL] [--metrics=ADDR:PORT]\n"
"                [--metrics-file=PATH] [--datadir=DIR] [--export=FORMATS]\n"
"                [--export-filter=FILTER] [--export-dir=DIR] [--max-calls=N]\n"
"                [--local-net=CIDR] [--fraud-prefix=P] [--blocklist=FILE]\n"
"                [--correlate=HEADER[:REGEX]] [expression]\n"
"       sipwatch explain CODE|CLASS [CODE2] [--lang=LL] [--datadir=DIR]\n"
"\n"
"  -i IFACE        capture live on IFACE (\"any\" for all interfaces)\n"
"  -r FILE         read a pcap or pcapng file (\"-\" for standard input)\n"
"  expression      BPF filter, as in tcpdump (default: none; SIP is\n"
"                  recognised by content on any UDP port)\n"
"  -N, --no-ui     no dashboard: print a report at exit (the default when\n"
"                  stdout is not a terminal)\n"
"  --speed=N       replay (-r) at N times the recorded speed (1 =\n"
"                  as recorded; default: as fast as possible)\n"
"  --report=FMT    report at exit: text (for a person: a summary, the\n"
"                  failed calls, the incidents; the default of -N), full\n"
"                  (every counter), json or none\n"
"  --alerts=FILE   append one JSON object per alert to FILE (\"-\": stdout)\n"
"                  as it fires; with -N and no --alerts, one readable\n"
"                  line per alert on stdout (not with --report=json)\n"
"  --t1=MS         SIP timer T1 in ms (default 500); timers B, F, H and\n"
"                  the 2xx/ACK rule are 64*T1\n"
"  --burst=K/W     server-error-burst: K 5xx within W seconds (10/60)\n"
"  --failure-rate=PCT/N/S  call-failure-rate: more than PCT %% of at least\n"
"                  N call attempts to a server fail within S s (30/10/300)\n"
"  --media-thresholds=LOSS,JITTER,MOS\n"
"                  media-quality: a stream's loss above LOSS %%, mean\n"
"                  jitter above JITTER ms or MOS below MOS (5,30,3.1)\n"
"  --media-timers=N,W,T,L\n"
"                  no-media after N s, one-way-media after W s,\n"
"                  media-timeout after T s, late-media after L ms\n"
"                  (5,5,15,2000)\n"
"  --max-transactions=N, --max-call-ids=N, --max-peers=N\n"
"                  caps on tracked state (65536, 32768, 8192 per table)\n"
"  --syslog[=FAC]  each alert to the local syslog (facility local0), one\n"
"                  key=value line, after dedup and rate limit\n"
"  --syslog-socket=PATH  the local syslog socket (default /dev/log)\n"
"  --syslog-remote=udp://HOST:PORT | tcp://HOST:PORT\n"
"                  RFC 5424 messages to a collector (same dedup)\n"
"  --alert-window=S  at most one update line per incident every S s\n"
"                  (default 60; 0: a line for every occurrence)\n"
"  --alert-hold=S  an incident ends after S s without occurrence (120;\n"
"                  attack incidents: at least an hour)\n"
"  --local-net=CIDR  your own networks (repeatable; default: the private\n"
"                  ranges): an outside source that never registered and\n"
"                  calls a fraud destination is an attacker\n"
"  --fraud-prefix=P  dial prefix of international or premium numbers\n"
"                  (repeatable; default: + 00 011 9011 810)\n"
"  --blocklist=FILE  keep FILE listing the flagged attack sources with\n"
"                  reason and expiry, rewritten atomically (for fail2ban,\n"
"                  ipset or nftables; sipwatch blocks nothing itself)\n"
"  --alert-rate=N[/B]  at most N alert lines per second, B at once\n"
"                  (default 10/50; 0 = no limit)\n"
"  --alerts-dedup  accepted for compatibility: incidents are the default\n"
"  -w FILE         write every captured packet to FILE (pcap)\n"
"  -C SIZE         with -w: new file past SIZE million bytes (or 100k,\n"
"                  10m, 1g): FILE, FILE1, FILE2 ...\n"
"  -G SECONDS      with -w: new file every SECONDS of packet time; FILE\n"
"                  is an strftime pattern\n"
"  -W COUNT        with -C: a ring of COUNT files\n"
"  --save-alerted=DIR  a pcap per call that raised an alert, written\n"
"                  when the call ends\n"
"  -Z USER         drop root privileges to USER once the capture is open\n"
"  --hep=URL       send every SIP message as HEPv3 to udp://HOST:PORT or\n"
"                  tcp://HOST:PORT (HOMER, heplify-server, sngrep)\n"
"  --hep-id=N      HEP capture agent id (default 0)\n"
"  --hep-password=KEY  HEP auth key sent, and required from agents\n"
"  --hep-listen=URL  collect HEP (v1, v2, v3) from agents on\n"
"                  udp://ADDR:PORT or tcp://ADDR:PORT; alone, the only source\n"
"  --metrics=ADDR:PORT  Prometheus endpoint at http://ADDR:PORT/metrics\n"
"  --metrics-file=PATH  the same text, rewritten atomically every 10 s\n"
"                  (node_exporter textfile collector)\n"
"  --export=FORMATS  at the end of the run, write the calls as pcap\n"
"                  (their frames as captured), csv (the calls list),\n"
"                  text or html (ladders with the messages and alerts);\n"
"                  a comma-separated list\n"
"  --export-filter=FILTER  only the calls FILTER matches, in the\n"
"                  dashboard's filter language: code:503 state:failed\n"
"                  ip:10.0.0.0/8 ua:Cisco hdr:NAME=VALUE, and or not\n"
"  --export-dir=DIR  where --export and the dashboard's e and s write\n"
"                  (default: the current directory)\n"
"  --max-calls=N   calls the dashboard and --export hold (default 20000);\n"
"                  past it the oldest ended calls go first, and the\n"
"                  calls list and the report say how many\n"
"  --correlate=HEADER[:REGEX]  link the legs of a call across B2BUAs by\n"
"                  HEADER (or REGEX's first group in it), besides X-Call-ID,\n"
"                  X-CID, Call-ID conventions and the B2BUA's timing\n"
"  -B MiB          kernel capture buffer in MiB (default 64, at most 2047)\n"
"  -s SNAPLEN      bytes captured per packet (default 262144)\n"
"  -p              do not put the interface in promiscuous mode\n"
"  --threads=N     SIP parse threads (default: one per CPU; 0 = inline)\n"
"  -D              list the interfaces that can be captured on\n"
"  --lang=LL       language of alerts and dashboard: en, ru, ja or tr\n"
"                  (default: from LANGUAGE, LC_ALL, LC_MESSAGES, LANG)\n"
"  --datadir=DIR   read the knowledge base (DIR/kb) from the data\n"
"                  directory DIR instead of " PKGDATADIR ";\n"
"                  DIR may also be the kb folder itself (default:\n"
"                  SIPWATCH_DATADIR, else the installed copy)\n"
"  explain CODE    what a SIP response code means and what to do;\n"
"                  with CODE2, how the two codes differ; 5xx: the class\n"
"  -q / -v         fewer / more diagnostics on stderr\n"
"  -V              print the version and exit\n");
}

static long
parse_number(const char *s, long min, long max, const char *what)
{
	char	*end;
	long	 v;

	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < min || v > max)
		fatalx("%s: \"%s\" is not a number in %ld..%ld", what, s, min,
		    max);
	return (v);
}

/* --failure-rate=PCT/N/S: failures above PCT % of N attempts in S s. */
static void
parse_failure_rate(const char *s, struct track_opts *t)
{
	char	*copy, *a, *b;

	copy = xstrdup(s);
	if ((a = strchr(copy, '/')) == NULL || (b = strchr(a + 1, '/')) == NULL)
		fatalx("--failure-rate: PCT/N/S, e.g. 30/10/300");
	*a++ = '\0';
	*b++ = '\0';
	t->fail_pct = (unsigned)parse_number(copy, 1, 100,
	    "--failure-rate PCT");
	t->fail_min = (unsigned)parse_number(a, 1, 1000000,
	    "--failure-rate N");
	t->fail_window_us = parse_number(b, 1, 86400,
	    "--failure-rate S") * 1000000LL;
	free(copy);
}

/* --burst=K/W: K 5xx responses within W seconds. */
static void
parse_burst(const char *s, struct track_opts *t)
{
	char	*copy, *slash;

	copy = xstrdup(s);
	if ((slash = strchr(copy, '/')) == NULL)
		fatalx("--burst: K/W, e.g. 10/60");
	*slash = '\0';
	t->burst_k = (unsigned)parse_number(copy, 1, TRACK_BURST_K_MAX,
	    "--burst K");
	t->burst_window_us = parse_number(slash + 1, 1, 86400,
	    "--burst W") * 1000000LL;
	free(copy);
}

/*
 * Up to N comma-separated numbers of S into V (fields left empty keep
 * their value); exits with the usage of option NAME on anything else.
 */
static void
parse_list(const char *s, double *v, unsigned n, const char *name,
    const char *usage_text)
{
	const char	*p = s;
	char		*end;
	unsigned	 i;
	double		 d;

	for (i = 0; i < n; i++) {
		if (*p != ',' && *p != '\0') {
			d = strtod(p, &end);
			if (end == p || !(d > 0) || d > 1e6)
				fatalx("%s: %s", name, usage_text);
			v[i] = d;
			p = end;
		}
		if (*p == '\0')
			return;
		if (*p++ != ',')
			fatalx("%s: %s", name, usage_text);
	}
	if (*p != '\0')
		fatalx("%s: %s", name, usage_text);
}

/* --media-thresholds=LOSS,JITTER,MOS (media-quality). */
static void
parse_media_thresholds(const char *s, struct track_media_opts *m)
{
	double	v[3];

	v[0] = m->loss_pct;
	v[1] = m->jitter_ms;
	v[2] = m->mos;
	parse_list(s, v, 3, "--media-thresholds", "LOSS%,JITTER_MS,MOS, "
	    "e.g. 5,30,3.1");
	if (v[0] >= 100 || v[2] > 4.5)
		fatalx("--media-thresholds: loss below 100 %%, MOS 1 to 4.5");
	m->loss_pct = v[0];
	m->jitter_ms = v[1];
	m->mos = v[2];
}

/* --media-timers=NO_MEDIA_S,ONE_WAY_S,TIMEOUT_S,LATE_MS. */
static void
parse_media_timers(const char *s, struct track_media_opts *m)
{
	double	v[4];

	v[0] = (double)m->no_media_us / 1e6;
	v[1] = (double)m->one_way_us / 1e6;
	v[2] = (double)m->timeout_us / 1e6;
	v[3] = (double)m->late_us / 1e3;
	parse_list(s, v, 4, "--media-timers", "NO_MEDIA_S,ONE_WAY_S,TIMEOUT_S,"
	    "LATE_MS, e.g. 5,5,15,2000");
	m->no_media_us = (int64_t)(v[0] * 1e6);
	m->one_way_us = (int64_t)(v[1] * 1e6);
	m->timeout_us = (int64_t)(v[2] * 1e6);
	m->late_us = (int64_t)(v[3] * 1e3);
}

/* Join the remaining arguments into one BPF expression (tcpdump style). */
static char *
join_args(int argc, char **argv)
{
	size_t	len = 0, off = 0, n;
	char	*s;
	int	 i;

	if (argc == 0)
		return (NULL);
	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = xmalloc(len);
	for (i = 0; i < argc; i++) {
		if (i > 0)
			s[off++] = ' ';
		n = strlen(argv[i]);
		memcpy(s + off, argv[i], n);
		off += n;
	}
	s[off] = '\0';
	return (s);
}

#define SPEED_MAX	1e6	/* beyond, a replay is as fast as possible */

/* --speed=N: a multiple of the recorded speed, above 0, at most 1e6. */
static double
parse_speed(const char *s)
{
	char	*end;
	double	 v;

	v = strtod(s, &end);
	if (*s == '\0' || *end != '\0' || isnan(v))
		fatalx("--speed: \"%s\" is not a number", s);
	if (!(v > 0) || v > SPEED_MAX)
		fatalx("--speed: %s is out of range: above 0 and at most "
		    "%.0f (without --speed a replay goes as fast as it can)",
		    s, SPEED_MAX);
	return (v);
}

/* --metrics=ADDR:PORT: checked now, before anything is opened. */
static const char *
parse_metrics(const char *s)
{
	char	*host, *port, *what, *cause = NULL;

	what = xasprintf("--metrics %s", s);
	if (hostport_parse_listen(s, what, &host, &port, &cause) == -1)
		fatalx("%s", cause);
	free(what);
	free(host);
	free(port);
	return (s);
}

/* --alert-rate=N[/B]: N lines per second, bucket of B (default 5*N). */
static void
parse_alert_rate(const char *s, struct engine_svc_opts *o)
{
	char	*copy, *slash;

	copy = xstrdup(s);
	if ((slash = strchr(copy, '/')) != NULL)
		*slash = '\0';
	o->rate = (unsigned)parse_number(copy, 0, 1000000, "--alert-rate N");
	if (slash != NULL)
		o->rate_burst = (unsigned)parse_number(slash + 1, 1, 1000000,
		    "--alert-rate B");
	else
		o->rate_burst = o->rate > 0 ? 5 * o->rate : 1;
	free(copy);
}

/* --local-net and --fraud-prefix values (the tracker borrows them). */
#define MAIN_LIST_MAX	64
static struct sw_cidr	 local_nets[MAIN_LIST_MAX];
static unsigned		 nlocal_nets;
static const char	*fraud_prefixes[MAIN_LIST_MAX];
static unsigned		 nfraud_prefixes;

/*
 * The options of the service layer (engine-svc.h), the incident timing
 * and the attack rules' networks and prefixes (track.h); 0 if CH is not
 * one.
 */
static int
parse_svc_option(int ch, const char *arg, struct engine_svc_opts *s,
    struct track_opts *t)
{
	char	*cause = NULL;

	switch (ch) {
	case OPT_SYSLOG:
		s->syslog = arg != NULL ? arg : "local0";
		if (alert_syslog_facility(s->syslog) == -1)
			fatalx("--syslog: unknown facility \"%s\"", s->syslog);
		return (1);
	case OPT_SYSLOG_SOCKET:
		s->syslog_socket = arg;
		return (1);
	case OPT_SYSLOG_REMOTE:
		if (s->nremote == ENGINE_SVC_REMOTE_MAX)
			fatalx("--syslog-remote: at most %d",
			    ENGINE_SVC_REMOTE_MAX);
		s->remote[s->nremote++] = arg;
		return (1);
	case OPT_ALERT_WINDOW:
		t->incident_window_us = parse_number(arg, 0, 86400,
		    "--alert-window") * 1000000LL;
		return (1);
	case OPT_ALERT_HOLD:
		t->incident_hold_us = parse_number(arg, 1, 86400,
		    "--alert-hold") * 1000000LL;
		return (1);
	case OPT_ALERT_RATE:
		parse_alert_rate(arg, s);
		return (1);
	case OPT_ALERTS_DEDUP:
		/* Incidents are the default for every output now. */
		return (1);
	case OPT_SAVE_ALERTED:
		s->save_alerted = arg;
		return (1);
	case OPT_BLOCKLIST:
		s->blocklist = arg;
		return (1);
	case OPT_LOCAL_NET:
		if (nlocal_nets == MAIN_LIST_MAX)
			fatalx("--local-net: at most %d", MAIN_LIST_MAX);
		if (sw_cidr_parse(arg, &local_nets[nlocal_nets]) == -1)
			fatalx("--local-net: \"%s\" is not a network "
			    "(192.0.2.0/24, 2001:db8::/32)", arg);
		t->local_nets = local_nets;
		t->nlocal_nets = ++nlocal_nets;
		return (1);
	case OPT_FRAUD_PREFIX:
		if (nfraud_prefixes == MAIN_LIST_MAX)
			fatalx("--fraud-prefix: at most %d", MAIN_LIST_MAX);
		if (*arg == '\0' || strlen(arg) > 32 ||
		    strspn(arg, "+0123456789*#") != strlen(arg))
			fatalx("--fraud-prefix: \"%s\" is not a dial prefix "
			    "(digits, +, * or #)", arg);
		fraud_prefixes[nfraud_prefixes] = arg;
		t->fraud_prefixes = fraud_prefixes;
		t->nfraud_prefixes = ++nfraud_prefixes;
		return (1);
	case 'w':
		s->dump.file = arg;
		return (1);
	case 'C':
		if ((s->dump.size = capture_dump_parse_size(arg)) == 0)
			fatalx("-C: \"%s\" is not a size (millions of bytes, "
			    "or a number with k, m or g)", arg);
		return (1);
	case 'G':
		s->dump.rotate_us = parse_number(arg, 1, 31 * 86400, "-G") *
		    1000000LL;
		return (1);
	case 'W':
		s->dump.nfiles = (unsigned)parse_number(arg, 1, 100000, "-W");
		return (1);
	case 'Z':
		if (privdrop_check(arg, &cause) == -1)
			fatalx("%s", cause);
		s->user = arg;
		return (1);
	}
	return (0);
}

/*
 * A wrong option: one line that says what is wrong and where the list
 * is, not the whole help.  ARG is the argument getopt stopped at.
 */
static void
bad_option(int ch, int opt, const char *arg)
{
	if (ch == ':')
		fprintf(stderr, "sipwatch: option %s needs an argument "
		    "(sipwatch --help lists the options)\n", arg);
	else if (opt != 0 && opt < 256)
		fprintf(stderr, "sipwatch: unknown option -%c "
		    "(sipwatch --help lists the options)\n", opt);
	else
		fprintf(stderr, "sipwatch: unknown option %s "
		    "(sipwatch --help lists the options)\n", arg);
}

/*
 * The words after the options are a capture filter (BPF).  One that
 * names an existing file was meant for -r: say so rather than let
 * libpcap call it a syntax error.
 */
static void
check_positional(int argc, char **argv)
{
	struct stat	sb;
	int		i;

	for (i = 0; i < argc; i++) {
		if (stat(argv[i], &sb) == -1 || !S_ISREG(sb.st_mode))
			continue;
		if (argc > 1 && strchr(argv[i], '.') == NULL &&
		    strchr(argv[i], '/') == NULL)
			continue;	/* a filter word ("port") as a file */
		fatalx("%s is a file, not a capture filter: did you mean "
		    "-r %s?", argv[i], argv[i]);
	}
}

static void
on_signal(int sig)
{
	(void)sig;
	engine_stop();
}

static void
on_hup(int sig)
{
	(void)sig;
	engine_reopen();
}

static void
install_signals(void)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_hup;		/* no SA_RESTART: poll() wakes up */
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

int
main(int argc, char **argv)
{
	struct engine_opts	 o;
	char			*filter, *cause = NULL, *datadir;
	int			 ch, no_ui = 0, report_set = 0, status;
	int			 verbosity = 1;

	setlocale(LC_ALL, "");
	/*
	 * Messages are allocated and freed at a high rate in capture order;
	 * without this, glibc gives the top of the heap back to the kernel
	 * and asks for it again thousands of times a second.
	 */
	mallopt(M_TRIM_THRESHOLD, 8 * 1024 * 1024);
	mallopt(M_MMAP_THRESHOLD, 1024 * 1024);

	if (argc > 1 && strcmp(argv[1], "explain") == 0)
		return (kb_explain_main(argc - 1, argv + 1, stdout));
	if (i18n_init(NULL, &cause) != 0)
		fatalx("%s", cause);

	memset(&o, 0, sizeof o);
	o.capture.promisc = 1;
	o.workers = pipeline_default_workers();
	track_opts_default(&o.track);
	track_media_opts_default(&o.media);
	engine_svc_opts_default(&o.svc);

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":B:C:DG:hi:Npqr:s:vVw:W:Z:",
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 'i':
			o.capture.device = optarg;
			break;
		case 'r':
			o.capture.file = optarg;
			break;
		case 'B':
			/* libpcap takes the size in bytes as an int. */
			o.capture.buffer_mib = (int)parse_number(optarg, 1,
			    CAPTURE_BUFFER_MIB_MAX, "-B");
			break;
		case 's':
			o.capture.snaplen = (int)parse_number(optarg, 0,
			    262144, "-s");
			break;
		case 'N':
			no_ui = 1;
			break;
		case 'p':
			o.capture.promisc = 0;
			break;
		case 'D':
			if (capture_list_devices(&cause) == -1)
				fatalx("%s", cause);
			return (0);
		case OPT_REPORT:
			report_set = 1;
			if (strcmp(optarg, "json") == 0)
				o.report = ENGINE_REPORT_JSON;
			else if (strcmp(optarg, "text") == 0)
				o.report = ENGINE_REPORT_TEXT;
			else if (strcmp(optarg, "full") == 0)
				o.report = ENGINE_REPORT_FULL;
			else if (strcmp(optarg, "none") == 0)
				o.report = ENGINE_REPORT_NONE;
			else
				fatalx("--report: text, full, json or none");
			break;
		case OPT_LANG:
			if (i18n_init(optarg, &cause) != 0)
				fatalx("--lang: %s", cause);
			break;
		case OPT_ALERTS:
			o.alerts = optarg;
			break;
		case OPT_DATADIR:
			if ((datadir = kb_dir_of(optarg, &cause)) == NULL)
				fatalx("--datadir: %s", cause);
			free(datadir);
			o.datadir = optarg;
			break;
		case OPT_T1:
			o.track.t1_us = parse_number(optarg, 1, 60000,
			    "--t1") * 1000;
			break;
		case OPT_MAX_TRANSACTIONS:
			o.track.max_transactions = (unsigned)parse_number(
			    optarg, 16, 1L << 26, "--max-transactions");
			break;
		case OPT_MAX_CALL_IDS:
			o.track.max_call_ids = (unsigned)parse_number(optarg,
			    16, 1L << 26, "--max-call-ids");
			break;
		case OPT_MAX_PEERS:
			o.track.max_peers = (unsigned)parse_number(optarg, 16,
			    1L << 24, "--max-peers");
			break;
		case OPT_BURST:
			parse_burst(optarg, &o.track);
			break;
		case OPT_FAILURE_RATE:
			parse_failure_rate(optarg, &o.track);
			break;
		case OPT_MEDIA_THRESHOLDS:
			parse_media_thresholds(optarg, &o.media);
			break;
		case OPT_MEDIA_TIMERS:
			parse_media_timers(optarg, &o.media);
			break;
		case OPT_SPEED:
			o.speed = parse_speed(optarg);
			break;
		case OPT_HEP:
			o.hep_url = optarg;
			break;
		case OPT_HEP_LISTEN:
			o.hep_listen = optarg;
			break;
		case OPT_HEP_ID:
			o.hep_id = (uint32_t)parse_number(optarg, 0,
			    4294967295L, "--hep-id");
			break;
		case OPT_HEP_PASSWORD:
			o.hep_password = optarg;
			break;
		case OPT_METRICS:
			o.metrics = parse_metrics(optarg);
			break;
		case OPT_METRICS_FILE:
			o.metrics_file = optarg;
			break;
		case OPT_EXPORT:
			if ((o.export_fmts = ui_export_parse_formats(optarg,
			    &cause)) == 0)
				fatalx("--export: %s", cause);
			break;
		case OPT_EXPORT_FILTER:
			if (ui_filter_check(optarg, &cause) != 0)
				fatalx("--export-filter: %s", cause);
			o.export_filter = optarg;
			break;
		case OPT_EXPORT_DIR:
			o.export_dir = optarg;
			break;
		case OPT_CORRELATE:
			o.correlate = optarg;
			break;
		case OPT_MAX_CALLS:
			o.ui_max_calls = (unsigned)parse_number(optarg, 16,
			    UI_MAX_CALLS_MAX, "--max-calls");
			break;
		case OPT_THREADS:
			o.workers = (unsigned)parse_number(optarg, 0, 64,
			    "--threads");
			break;
		case 'q':
			verbosity = 0;
			break;
		case 'v':
			verbosity++;
			break;
		case 'V':
			printf("sipwatch %s\n", PACKAGE_VERSION);
			return (0);
		case 'h':
			usage(stdout);
			return (0);
		case '?':
		case ':':
			bad_option(ch, optopt, argv[optind - 1]);
			return (1);
		default:
			if (parse_svc_option(ch, optarg, &o.svc, &o.track))
				break;
			usage(stderr);
			return (1);
		}
	}
	argc -= optind;
	argv += optind;
	log_set_verbosity(verbosity);
	check_positional(argc, argv);
	if (o.export_filter != NULL && o.export_fmts == 0)
		fatalx("--export-filter needs --export");
	if (o.export_dir != NULL && access(o.export_dir, W_OK | X_OK) == -1)
		fatal("--export-dir: %s", o.export_dir);

	if (o.capture.device != NULL && o.capture.file != NULL)
		fatalx("-i and -r cannot be used together");
	if (o.hep_listen != NULL && o.capture.file != NULL)
		fatalx("--hep-listen and -r cannot be used together");
	if (o.capture.device == NULL && o.capture.file == NULL &&
	    o.hep_listen == NULL) {
		if ((o.capture.device = capture_default_device(&cause)) == NULL)
			fatalx("%s", cause);
	}
	filter = join_args(argc, argv);
	o.capture.filter = filter;
	if (o.svc.dump.file == NULL && (o.svc.dump.size != 0 ||
	    o.svc.dump.rotate_us != 0 || o.svc.dump.nfiles != 0))
		fatalx("-C, -G and -W need -w");
	if (o.svc.dump.nfiles != 0 && o.svc.dump.size == 0)
		fatalx("-W needs -C");

	if (o.speed > 0 && o.capture.file == NULL)
		fatalx("--speed applies to a replay (-r) only");
	/*
	 * The dashboard when stdout is a terminal and -N was not given; it
	 * prints no report unless --report asks for one (after it ends).
	 */
	if (!no_ui && !isatty(STDOUT_FILENO))
		no_ui = 1;
	o.ui = !no_ui;
	if (!report_set)
		o.report = o.ui ? ENGINE_REPORT_NONE : ENGINE_REPORT_TEXT;
	/*
	 * -N without --alerts: a readable line per alert on stdout, unless
	 * stdout carries the JSON report (then only --alerts shows them).
	 */
	if (no_ui && o.alerts == NULL && o.report != ENGINE_REPORT_JSON)
		o.alerts_text = 1;
	/* Progress of a long offline run, on a terminal only. */
	if (no_ui && o.capture.file != NULL && verbosity > 0 &&
	    isatty(STDERR_FILENO))
		o.progress = 1;

	sip_global_init();
	install_signals();
	status = engine_run(&o);
	free(filter);
	if (log_stdout_closed()) {
		/* Ended by | head: as SIGPIPE would have ended it. */
		fflush(stderr);
		signal(SIGPIPE, SIG_DFL);
		raise(SIGPIPE);
	}
	return (status);
}
