/*
 * fuzz_pcap.c: libFuzzer target for the whole pipeline: the input is a
 * pcap or pcapng file body, read by libpcap through the capture module and
 * run through decode, parse and everything the engine does with it.
 *
 * Every output is on, as a PBX host runs it: incidents and the rate limit,
 * the JSON alert file, syslog to a local socket, RFC 5424 to a UDP
 * collector on 127.0.0.1, --save-alerted evidence, the metrics file and the
 * dashboard's model (without a terminal).  The sockets are the target's
 * own and are drained after each input; the evidence files are removed.
 *
 * The knowledge base is loaded once for the process (loading it is most of
 * the cost of an engine run on a small input), and the tracker's tables and
 * the retransmission digests get small caps, so that the fuzzer spends its
 * time on the packets and reaches the eviction paths with few messages.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <dirent.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "engine/engine.h"
#include "kb/kb.h"
#include "sip/sip.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

static struct kb	*fuzz_kb;	/* NULL: alerts without advice */
static char		 fuzz_dir[] = "/tmp/fuzz_pcap.XXXXXX";
static char		 fuzz_sock[256], fuzz_remote[64], fuzz_ev[256];
static char		 fuzz_alerts[256], fuzz_prom[256];
static int		 fuzz_unix = -1, fuzz_udp = -1;

/* The target's own syslog socket and UDP collector, never sent beyond
 * 127.0.0.1. */
static void
fuzz_sockets(void)
{
	struct sockaddr_un	sun;
	struct sockaddr_in	sin;
	socklen_t		len = sizeof sin;

	if (mkdtemp(fuzz_dir) == NULL)
		return;
	snprintf(fuzz_sock, sizeof fuzz_sock, "%s/log.sock", fuzz_dir);
	snprintf(fuzz_ev, sizeof fuzz_ev, "%s/ev", fuzz_dir);
	snprintf(fuzz_alerts, sizeof fuzz_alerts, "%s/alerts.json", fuzz_dir);
	snprintf(fuzz_prom, sizeof fuzz_prom, "%s/m.prom", fuzz_dir);
	(void)mkdir(fuzz_ev, 0700);
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", fuzz_sock);
	fuzz_unix = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (fuzz_unix == -1 || bind(fuzz_unix, (struct sockaddr *)&sun,
	    sizeof sun) == -1)
		fuzz_sock[0] = '\0';
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fuzz_udp = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (fuzz_udp != -1 && bind(fuzz_udp, (struct sockaddr *)&sin,
	    sizeof sin) == 0 && getsockname(fuzz_udp, (struct sockaddr *)&sin,
	    &len) == 0)
		snprintf(fuzz_remote, sizeof fuzz_remote,
		    "udp://127.0.0.1:%u", ntohs(sin.sin_port));
}

/* Read what the sinks sent; remove the evidence files. */
static void
fuzz_drain(void)
{
	char		 buf[65536], path[512];
	DIR		*d;
	struct dirent	*de;

	while (fuzz_unix != -1 && recv(fuzz_unix, buf, sizeof buf, 0) > 0)
		;
	while (fuzz_udp != -1 && recv(fuzz_udp, buf, sizeof buf, 0) > 0)
		;
	if ((d = opendir(fuzz_ev)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", fuzz_ev, de->d_name);
		(void)unlink(path);
	}
	closedir(d);
	(void)unlink(fuzz_alerts);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	*why = NULL;

	(void)argc;
	(void)argv;
	sip_global_init();
	log_set_verbosity(0);
	fuzz_sockets();
	if ((fuzz_kb = kb_load(NULL, "en", &why)) == NULL) {
		fprintf(stderr, "fuzz_pcap: no knowledge base: %s\n", why);
		free(why);
	}
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct engine_opts	 o;
	FILE			*fp;

	if (size == 0)
		return (0);
	if ((fp = fmemopen((void *)(uintptr_t)data, size, "rb")) == NULL)
		return (0);
	memset(&o, 0, sizeof o);
	o.capture.stream = fp;		/* taken over: closed by the capture */
	o.workers = 0;
	o.report = ENGINE_REPORT_NONE;
	o.kb = fuzz_kb;
	o.retrans_max = 256;
	o.track.max_transactions = 64;
	o.track.max_call_ids = 64;
	o.track.max_peers = 16;
	o.track.max_incidents = 16;
	o.ui_model = 1;
	engine_svc_opts_default(&o.svc);
	o.alerts = fuzz_alerts[0] != '\0' ? fuzz_alerts : NULL;
	if (fuzz_sock[0] != '\0') {
		o.svc.syslog = "local0";
		o.svc.syslog_socket = fuzz_sock;
	}
	if (fuzz_remote[0] != '\0')
		o.svc.remote[o.svc.nremote++] = fuzz_remote;
	if (fuzz_ev[0] != '\0')
		o.svc.save_alerted = fuzz_ev;
	if (fuzz_prom[0] != '\0')
		o.metrics_file = fuzz_prom;
	(void)engine_run(&o);
	fuzz_drain();
	return (0);
}
