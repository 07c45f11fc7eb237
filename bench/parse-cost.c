/*
 * parse-cost.c: what one SIP message costs to parse, as the parse workers
 * parse it (sip_parse_buf() into a reused buffer, osip2's allocations from
 * the per-thread arena), for every UDP payload of a capture.
 *
 *   parse-cost [-r rounds] capture.pcap
 *
 * Prints the payloads read, their mean size, the CPU time per message
 * (mean and the costliest message) and per byte, and the parse results
 * (parsed, salvaged, rejected).  bench/hostile.sh runs it on normal
 * traffic and on each hostile kind of bench/sipgen -H.  No assertion:
 * the figures are for doc/SECURITY.md.
 */
#include "config.h"

#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sip/sip.h"

struct payload {
	uint8_t	*data;
	size_t	 len;
	double	 ns;		/* CPU time of its parses, summed */
};

static double
cpu_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ((double)ts.tv_sec * 1e9 + (double)ts.tv_nsec);
}

/* UDP payloads of Ethernet/IPv4 frames (what bench/sipgen writes). */
static struct payload *
load(const char *path, size_t *np)
{
	char			 err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr	*h;
	const u_char		*f;
	struct payload		*p = NULL;
	size_t			 n = 0, ihl;
	pcap_t			*pc;

	if ((pc = pcap_open_offline(path, err)) == NULL) {
		fprintf(stderr, "parse-cost: %s\n", err);
		exit(1);
	}
	while (pcap_next_ex(pc, &h, &f) == 1) {
		if (h->caplen < 14 + 20 + 8 || f[12] != 0x08 || f[13] != 0 ||
		    f[14 + 9] != 17)
			continue;
		ihl = (size_t)(f[14] & 0x0f) * 4;
		if (h->caplen <= 14 + ihl + 8)
			continue;
		p = realloc(p, (n + 1) * sizeof *p);
		if (p == NULL)
			abort();
		p[n].len = h->caplen - 14 - ihl - 8;
		if ((p[n].data = malloc(p[n].len)) == NULL)
			abort();
		memcpy(p[n].data, f + 14 + ihl + 8, p[n].len);
		p[n].ns = 0;
		n++;
	}
	pcap_close(pc);
	*np = n;
	return (p);
}

int
main(int argc, char **argv)
{
	struct payload	*p;
	struct sip_msg	*m;
	enum sip_error	 e;
	size_t		 n, i, bytes = 0, size = 0, worst = 0;
	unsigned	 rounds = 20, r, parsed = 0, salvaged = 0, failed = 0;
	double		 t, total = 0;
	void		*buf;
	int		 ch;

	while ((ch = getopt(argc, argv, "r:")) != -1) {
		switch (ch) {
		case 'r':
			rounds = (unsigned)strtoul(optarg, NULL, 10);
			break;
		default:
			fprintf(stderr, "usage: parse-cost [-r rounds] "
			    "capture.pcap\n");
			return (1);
		}
	}
	if (optind + 1 != argc || rounds == 0) {
		fprintf(stderr, "usage: parse-cost [-r rounds] capture.pcap\n");
		return (1);
	}
	sip_global_init();
	p = load(argv[optind], &n);
	if (n == 0) {
		fprintf(stderr, "parse-cost: no UDP payload\n");
		return (1);
	}
	for (i = 0; i < n; i++) {
		bytes += p[i].len;
		if (sip_parse_space(p[i].len) > size)
			size = sip_parse_space(p[i].len);
	}
	buf = malloc(size);
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < n; i++) {
			t = cpu_ns();
			if (sip_parse_buf(p[i].data, p[i].len, buf, size, &m,
			    &e) == 0 && r == 0) {
				if (m->partial)
					salvaged++;
				else
					parsed++;
			} else if (r == 0)
				failed++;
			p[i].ns += cpu_ns() - t;
		}
	}
	for (i = 0; i < n; i++) {
		total += p[i].ns;
		if (p[i].ns > p[worst].ns)
			worst = i;
	}
	total /= rounds;
	printf("%zu messages, %.0f bytes each: %.2f us/message (costliest "
	    "%.2f us, %zu bytes), %.2f ns/byte; parsed %u, salvaged %u, "
	    "rejected %u\n", n, (double)bytes / (double)n,
	    total / (double)n / 1e3, p[worst].ns / rounds / 1e3, p[worst].len,
	    total / (double)bytes, parsed, salvaged, failed);
	for (i = 0; i < n; i++)
		free(p[i].data);
	free(p);
	free(buf);
	sip_thread_done();
	return (0);
}
