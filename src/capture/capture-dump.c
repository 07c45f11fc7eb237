/*
 * capture-dump.c: -w, every captured frame to a pcap file, with
 * tcpdump's -C / -G / -W rotation driven by the packet clock
 * (capture-dump.h).
 *
 * File names follow tcpdump: with -G the name is strftime(3) of the -w
 * pattern at the packet time that opened the file (local time); with -C
 * the first file of a period has that name and the next ones get 1, 2,
 * ... appended, or, with -W N, every file gets an index 0..N-1 padded to
 * the width of N-1 and the ring starts again at 0.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pcap/pcap.h>

#include "capture/capture-dump.h"
#include "core/log.h"
#include "core/xmalloc.h"

#define DUMP_FLUSH_MS	1000	/* a live reader sees frames this soon */

struct capture_dump {
	struct capture_dump_opts o;
	char			*pattern;
	pcap_t			*dead;
	pcap_dumper_t		*d;
	char			*name;		/* current file */
	uint64_t		 bytes;		/* in the current file */
	int64_t			 period_us;	/* -G: packet time it opened */
	unsigned		 index;		/* -C: file of the period */
	int			 width;		/* -W: digits of the index */
	int64_t			 flushed_ms;
	int			 failed;	/* an error was reported */
	uint64_t		 packets;
	uint64_t		 total_bytes;
	uint64_t		 files;
	uint64_t		 errors;
};

uint64_t
capture_dump_parse_size(const char *s)
{
	char			*end;
	unsigned long long	 v;
	uint64_t		 mult = 1000000;

	if (*s < '0' || *s > '9')
		return (0);
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || v == 0)
		return (0);
	switch (*end) {
	case '\0':
		break;
	case 'k': case 'K':
		mult = 1024;
		end++;
		break;
	case 'm': case 'M':
		mult = 1024 * 1024;
		end++;
		break;
	case 'g': case 'G':
		mult = 1024 * 1024 * 1024;
		end++;
		break;
	default:
		return (0);
	}
	if (*end != '\0' || v > UINT64_MAX / mult)
		return (0);
	return ((uint64_t)v * mult);
}

static int64_t
dump_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* strftime(3) of the user's -w pattern: a format that cannot be literal. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static size_t
dump_strftime(char *buf, size_t len, const char *pattern, const struct tm *tm)
{
	return (strftime(buf, len, pattern, tm));
}
#pragma GCC diagnostic pop

/* The name of the file for the current period and index. */
static char *
dump_name(struct capture_dump *cd)
{
	struct tm	tm;
	time_t		secs;
	char		base[PATH_MAX];

	if (cd->o.rotate_us > 0) {
		secs = (time_t)(cd->period_us / 1000000);
		if (localtime_r(&secs, &tm) == NULL ||
		    dump_strftime(base, sizeof base, cd->pattern, &tm) == 0)
			snprintf(base, sizeof base, "%s", cd->pattern);
	} else
		snprintf(base, sizeof base, "%s", cd->pattern);
	if (cd->o.size == 0)
		return (xstrdup(base));
	if (cd->o.nfiles > 0)
		return (xasprintf("%s%0*u", base, cd->width, cd->index));
	if (cd->index == 0)
		return (xstrdup(base));
	return (xasprintf("%s%u", base, cd->index));
}

/* Close the current file (if any) and create the next one. */
static int
dump_next(struct capture_dump *cd, char **cause)
{
	pcap_dumper_t	*d;
	char		*name;

	name = dump_name(cd);
	if ((d = pcap_dump_open(cd->dead, name)) == NULL) {
		*cause = xasprintf("%s", pcap_geterr(cd->dead));
		free(name);
		return (-1);
	}
	if (cd->d != NULL)
		pcap_dump_close(cd->d);
	cd->d = d;
	free(cd->name);
	cd->name = name;
	cd->bytes = 24;		/* the file header */
	cd->files++;
	return (0);
}

static void
dump_error(struct capture_dump *cd, const char *what)
{
	cd->errors++;
	if (!cd->failed)
		log_warnx("-w: %s", what);
	cd->failed = 1;
}

struct capture_dump *
capture_dump_open(const struct capture_dump_opts *o, char **cause)
{
	struct capture_dump	*cd;
	unsigned		 n;

	cd = xcalloc(1, sizeof *cd);
	cd->o = *o;
	cd->pattern = xstrdup(o->file);
	cd->o.file = cd->pattern;
	cd->dead = pcap_open_dead_with_tstamp_precision(o->dlt,
	    o->snaplen > 0 ? o->snaplen : 262144, PCAP_TSTAMP_PRECISION_MICRO);
	if (cd->dead == NULL)
		fatalx("-w: pcap_open_dead failed");
	for (n = o->nfiles > 0 ? o->nfiles - 1 : 0, cd->width = 1; n >= 10;
	    n /= 10)
		cd->width++;
	cd->flushed_ms = dump_now_ms();
	if (o->rotate_us == 0 && dump_next(cd, cause) == -1) {
		pcap_close(cd->dead);
		free(cd->pattern);
		free(cd);
		return (NULL);
	}
	return (cd);
}

void
capture_dump_write(struct capture_dump *cd, int64_t ts_us,
    const uint8_t *data, size_t caplen, size_t wirelen)
{
	struct pcap_pkthdr	 h;
	char			*cause;
	int			 rotate = 0;

	if (cd->o.rotate_us > 0 && (cd->d == NULL ||
	    ts_us - cd->period_us >= cd->o.rotate_us)) {
		cd->period_us = ts_us;
		cd->index = 0;
		rotate = 1;
	} else if (cd->o.size > 0 && cd->bytes > cd->o.size) {
		cd->index++;
		if (cd->o.nfiles > 0 && cd->index >= cd->o.nfiles)
			cd->index = 0;
		rotate = 1;
	}
	if (rotate && dump_next(cd, &cause) == -1) {
		dump_error(cd, cause);
		free(cause);
	}
	if (cd->d == NULL)
		return;
	memset(&h, 0, sizeof h);
	h.ts.tv_sec = (time_t)(ts_us / 1000000);
	h.ts.tv_usec = (suseconds_t)(ts_us % 1000000);
	if (h.ts.tv_usec < 0) {
		h.ts.tv_usec += 1000000;
		h.ts.tv_sec--;
	}
	h.caplen = (bpf_u_int32)caplen;
	h.len = (bpf_u_int32)wirelen;
	pcap_dump((u_char *)cd->d, &h, data);
	cd->bytes += 16 + caplen;
	cd->total_bytes += 16 + caplen;
	cd->packets++;
}

void
capture_dump_flush(struct capture_dump *cd)
{
	int64_t	now = dump_now_ms();

	if (cd->d == NULL || now - cd->flushed_ms < DUMP_FLUSH_MS)
		return;
	cd->flushed_ms = now;
	if (pcap_dump_flush(cd->d) == -1)
		dump_error(cd, cd->name);
}

void
capture_dump_reopen(struct capture_dump *cd)
{
	pcap_dumper_t	*d;

	if (cd->d == NULL)
		return;
	if (pcap_dump_flush(cd->d) == -1)
		dump_error(cd, cd->name);
	if ((d = pcap_dump_open_append(cd->dead, cd->name)) == NULL) {
		log_warnx("-w: cannot reopen %s: %s", cd->name,
		    pcap_geterr(cd->dead));
		cd->errors++;
		return;
	}
	pcap_dump_close(cd->d);
	cd->d = d;
	cd->failed = 0;
	/* A new file starts with its header; an old one keeps its size. */
	cd->bytes = (uint64_t)pcap_dump_ftell64(d);
}

void
capture_dump_report(json_t *root, const struct capture_dump *cd)
{
	json_t	*o;

	if ((o = json_object()) == NULL ||
	    json_object_set_new(o, "file", json_string(cd->name != NULL ?
	    cd->name : cd->pattern)) == -1 ||
	    json_object_set_new(o, "files", json_integer((json_int_t)
	    cd->files)) == -1 ||
	    json_object_set_new(o, "packets", json_integer((json_int_t)
	    cd->packets)) == -1 ||
	    json_object_set_new(o, "bytes", json_integer((json_int_t)
	    cd->total_bytes)) == -1 ||
	    json_object_set_new(o, "errors", json_integer((json_int_t)
	    cd->errors)) == -1 ||
	    json_object_set_new(root, "dump", o) == -1)
		fatalx("report: cannot build JSON (dump)");
}

void
capture_dump_close(struct capture_dump *cd)
{
	if (cd == NULL)
		return;
	if (cd->d != NULL)
		pcap_dump_close(cd->d);
	pcap_close(cd->dead);
	free(cd->name);
	free(cd->pattern);
	free(cd);
}
