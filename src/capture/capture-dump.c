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
 *
 * Write errors (a full filesystem): libpcap writes through stdio and
 * reports nothing, so the stream's error flag is checked after every
 * frame and at every flush.  The file is kept readable: it is cut back
 * to the end of the last frame known to be on disk (the last successful
 * flush), the frames written since are counted as lost, and writing is
 * tried again after a pause (1 s, doubling up to 8 s of wall clock,
 * which only paces retries).  A rotation that cannot create its file
 * (after -Z the directory must be writable by the user) is retried
 * after 1 s, doubling up to 60 s, and never advances the file index;
 * meanwhile the
 * current file takes frames up to -C and no further (the rest are
 * counted as lost).  Each kind of error is reported once on stderr, and
 * again when writing has worked for 5 s after it.
 *
 * -w - whose reader went away (EPIPE: sipwatch -w - | tcpdump -c 10 -r -)
 * is the end of that output, not an error: nothing is said or retried,
 * every frame from then on is counted as lost, and the engine ends the
 * run (log_stdout_closed()), as SIGPIPE ends tcpdump.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "capture/capture-dump.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/sink.h"
#include "core/xmalloc.h"

#define DUMP_FLUSH_MS		1000	/* a live reader sees frames this soon */
#define DUMP_SYNC_BYTES		(64 * 1024)	/* and a write error loses at
						   most about this much */
#define DUMP_RETRY_MIN_MS	1000	/* after a write or rotation error */
#define DUMP_WRITE_RETRY_MAX_MS	8000	/* space comes back: soon written */
#define DUMP_ROT_RETRY_MAX_MS	60000
#define DUMP_RECOVER_MS		5000	/* writing works this long: said so
					   (a disk on the edge of full does
					   not make a line per retry) */

struct capture_dump {
	struct capture_dump_opts o;
	char			*pattern;
	pcap_t			*dead;
	pcap_dumper_t		*d;
	FILE			*fp;		/* d's stream */
	char			*name;		/* current file */
	uint64_t		 bytes;		/* in the current file */
	off_t			 good;		/* end of the last frame on disk */
	uint64_t		 pending;	/* frames written since (stdio) */
	uint64_t		 pending_bytes;
	int64_t			 period_us;	/* -G: packet time it opened */
	unsigned		 index;		/* -C: file of the period */
	int			 width;		/* -W: digits of the index */
	int64_t			 flushed_ms;

	int			 failing;	/* a write error was reported */
	int64_t			 working_ms;	/* ... and writes work since */
	int			 broken;	/* write error: frames are lost
						   until retry_ms */
	int64_t			 retry_ms;
	int64_t			 backoff_ms;
	int			 rot_failed;	/* rotation failing: retried at
						   rot_retry_ms */
	int64_t			 rot_retry_ms;
	int64_t			 rot_backoff_ms;
	uint64_t		 lost_reported;	/* lost when last reported */
	int			 closed;	/* -w - and its reader went away */

	uint64_t		 packets;	/* frames on disk (flushed) */
	uint64_t		 total_bytes;
	uint64_t		 files;
	uint64_t		 errors;	/* write, flush, create errors */
	uint64_t		 lost;		/* frames not written: errors,
						   -C bound while rotation fails */
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

/* Wall clock, ms: paces retries only, never a verdict. */
static int64_t
dump_now_ms(void)
{
	return (sw_clock_ms(CLOCK_MONOTONIC));
}

/* When to try again after a failure: 1 s, doubling up to MAX. */
static int64_t
dump_backoff(int64_t *backoff, int64_t max)
{
	return (dump_now_ms() + sw_backoff_ms(backoff, DUMP_RETRY_MIN_MS,
	    max));
}

/*
 * Flush the current file.  Frames written since the last sync are then
 * on disk (counted), or, on an error, lost: dump_fail().  0 or -1.
 */
static int dump_fail(struct capture_dump *, int);

static int
dump_sync(struct capture_dump *cd)
{
	off_t		off;
	uint64_t	n = cd->pending;

	if (cd->d == NULL || cd->closed)
		return (0);
	if (fflush(cd->fp) == EOF || ferror(cd->fp))
		return (dump_fail(cd, errno != 0 ? errno : EIO));
	if ((off = ftello(cd->fp)) != -1)
		cd->good = off;
	cd->packets += cd->pending;
	cd->total_bytes += cd->pending_bytes;
	cd->pending = cd->pending_bytes = 0;
	if (cd->failing && n > 0) {
		if (cd->working_ms == 0)
			cd->working_ms = dump_now_ms();
		else if (dump_now_ms() - cd->working_ms >= DUMP_RECOVER_MS) {
			log_warnx("-w %s: writing again; %llu packet(s) lost",
			    cd->name, (unsigned long long)(cd->lost -
			    cd->lost_reported));
			cd->lost_reported = cd->lost;
			cd->failing = 0;
			cd->working_ms = 0;
			cd->backoff_ms = 0;
		}
	}
	return (0);
}

/*
 * A write to the current file failed (ERR): count the frames written
 * since the last sync as lost, cut the file back to the last whole frame
 * on disk so that it stays readable, and pause writing.  Returns -1.
 */
static int
dump_fail(struct capture_dump *cd, int err)
{
	struct stat	sb;
	int		fd = fileno(cd->fp);

	cd->errors++;
	cd->lost += cd->pending;
	cd->pending = cd->pending_bytes = 0;
	if (fd == STDOUT_FILENO && log_stdout_epipe(err)) {
		cd->closed = 1;
		__fpurge(cd->fp);
		return (-1);
	}
	if (!cd->failing)
		log_warnx("-w %s: %s; packets are counted as lost until "
		    "writing works again", cd->name, strerror(err));
	cd->failing = 1;
	cd->working_ms = 0;
	cd->broken = 1;
	cd->retry_ms = dump_backoff(&cd->backoff_ms, DUMP_WRITE_RETRY_MAX_MS);
	/* Forget what stdio still holds, and the partial frame on disk. */
	__fpurge(cd->fp);
	clearerr(cd->fp);
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
		if (sb.st_size > cd->good && ftruncate(fd, cd->good) == -1)
			log_debug("-w %s: ftruncate: %s", cd->name,
			    strerror(errno));
		(void)fseeko(cd->fp, cd->good, SEEK_SET);
	}
	cd->bytes = (uint64_t)cd->good;
	return (-1);
}

/*
 * Close the current file (if any) and create the next one.  On failure
 * the current file stays open and *CAUSE is set (caller frees).
 */
static int
dump_next(struct capture_dump *cd, char **cause)
{
	pcap_dumper_t	*d;
	char		*name;

	name = dump_name(cd);
	if ((d = pcap_dump_open(cd->dead, name)) == NULL) {
		*cause = xasprintf("cannot create %s",
		    pcap_geterr(cd->dead));
		free(name);
		return (-1);
	}
	/* The header must be on disk: a cut never goes below it. */
	if (pcap_dump_flush(d) == -1) {
		*cause = xasprintf("%s: %s", name, strerror(errno));
		pcap_dump_close(d);
		(void)unlink(name);
		free(name);
		return (-1);
	}
	if (cd->d != NULL) {
		(void)dump_sync(cd);
		pcap_dump_close(cd->d);
	}
	cd->d = d;
	cd->fp = pcap_dump_file(d);
	cd->good = ftello(cd->fp);
	free(cd->name);
	cd->name = name;
	cd->bytes = (uint64_t)cd->good;	/* the file header */
	cd->files++;
	return (0);
}

/* A rotation failed (CAUSE): keep the index, retry after a pause. */
static void
dump_rotate_failed(struct capture_dump *cd, const char *cause)
{
	cd->errors++;
	if (!cd->rot_failed)
		log_warnx("-w: %s; %s, retrying", cause, cd->d == NULL ?
		    "packets are counted as lost" : cd->o.size > 0 ?
		    "the current file takes packets up to -C, then they are "
		    "counted as lost" : "writing goes on to the current file");
	cd->rot_failed = 1;
	cd->rot_retry_ms = dump_backoff(&cd->rot_backoff_ms,
	    DUMP_ROT_RETRY_MAX_MS);
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

/*
 * Rotation due before writing a frame at TS_US?  Returns 1 when the
 * caller must create the next file (the period and index are set).
 */
static int
dump_rotation_due(struct capture_dump *cd, int64_t ts_us)
{
	if (cd->rot_failed && dump_now_ms() < cd->rot_retry_ms)
		return (0);
	if (cd->o.rotate_us > 0 && (cd->d == NULL ||
	    ts_us - cd->period_us >= cd->o.rotate_us)) {
		cd->period_us = ts_us;
		cd->index = 0;
		return (1);
	}
	if (cd->o.size > 0 && cd->bytes > cd->o.size) {
		cd->index++;
		if (cd->o.nfiles > 0 && cd->index >= cd->o.nfiles)
			cd->index = 0;
		return (1);
	}
	return (0);
}

void
capture_dump_write(struct capture_dump *cd, int64_t ts_us,
    const uint8_t *data, size_t caplen, size_t wirelen)
{
	struct pcap_pkthdr	 h;
	char			*cause;
	unsigned		 index = cd->index;
	int64_t			 period = cd->period_us;

	if (dump_rotation_due(cd, ts_us)) {
		if (dump_next(cd, &cause) == -1) {
			/* The next attempt takes the same name. */
			cd->index = index;
			if (cd->d != NULL)
				cd->period_us = period;
			dump_rotate_failed(cd, cause);
			free(cause);
		} else {
			if (cd->rot_failed)
				log_warnx("-w: rotation works again (%s); "
				    "%llu packet(s) lost", cd->name,
				    (unsigned long long)(cd->lost -
				    cd->lost_reported));
			if (cd->rot_failed)
				cd->lost_reported = cd->lost;
			cd->rot_failed = 0;
			cd->rot_backoff_ms = 0;
			cd->broken = 0;
		}
	}
	if (cd->d == NULL || cd->closed ||
	    (cd->broken && dump_now_ms() < cd->retry_ms) ||
	    (cd->rot_failed && cd->o.size > 0 && cd->bytes > cd->o.size)) {
		cd->lost++;
		return;
	}
	cd->broken = 0;
	/* Never more than the snap length the file header announces. */
	if (caplen > (size_t)pcap_snapshot(cd->dead))
		caplen = (size_t)pcap_snapshot(cd->dead);
	memset(&h, 0, sizeof h);
	h.ts.tv_sec = (time_t)(ts_us / 1000000);
	h.ts.tv_usec = (suseconds_t)(ts_us % 1000000);
	if (h.ts.tv_usec < 0) {
		h.ts.tv_usec += 1000000;
		h.ts.tv_sec--;
	}
	h.caplen = (bpf_u_int32)caplen;
	h.len = (bpf_u_int32)(wirelen > caplen ? wirelen : caplen);
	pcap_dump((u_char *)cd->d, &h, data);
	cd->pending++;
	cd->pending_bytes += 16 + caplen;
	cd->bytes += 16 + caplen;
	if (ferror(cd->fp))
		(void)dump_fail(cd, errno != 0 ? errno : EIO);
	else if (cd->pending_bytes >= DUMP_SYNC_BYTES)
		(void)dump_sync(cd);
}

void
capture_dump_flush(struct capture_dump *cd, int now)
{
	int64_t	t = dump_now_ms();

	if (cd->d == NULL || (!now && t - cd->flushed_ms < DUMP_FLUSH_MS))
		return;
	cd->flushed_ms = t;
	(void)dump_sync(cd);
}

void
capture_dump_reopen(struct capture_dump *cd)
{
	pcap_dumper_t	*d;
	off_t		 off;

	if (cd->d == NULL || cd->closed)
		return;
	(void)dump_sync(cd);
	if ((d = pcap_dump_open_append(cd->dead, cd->name)) == NULL) {
		log_warnx("-w: cannot reopen %s: %s", cd->name,
		    pcap_geterr(cd->dead));
		cd->errors++;
		return;
	}
	pcap_dump_close(cd->d);
	cd->d = d;
	cd->fp = pcap_dump_file(d);
	/* A new file starts with its header; an old one keeps its size. */
	if (pcap_dump_flush(d) == -1 || (off = ftello(cd->fp)) == -1)
		(void)dump_fail(cd, errno != 0 ? errno : EIO);
	else {
		cd->good = off;
		cd->bytes = (uint64_t)off;
	}
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
	    json_object_set_new(o, "lost", json_integer((json_int_t)
	    cd->lost)) == -1 ||
	    json_object_set_new(root, "dump", o) == -1)
		fatalx("report: cannot build JSON (dump)");
}

void
capture_dump_sink(const struct capture_dump *cd, struct sw_sink *out)
{
	out->kind = "pcap";
	out->target = cd->name != NULL ? cd->name : cd->pattern;
	out->sent = cd->packets;
	out->failed = cd->lost;
	out->dropped = 0;
	out->queued = cd->pending;
}

void
capture_dump_close(struct capture_dump *cd)
{
	if (cd == NULL)
		return;
	if (cd->d != NULL) {
		(void)dump_sync(cd);
		if (cd->lost > cd->lost_reported && !cd->closed)
			log_warnx("-w %s: %llu packet(s) lost", cd->name,
			    (unsigned long long)(cd->lost - cd->lost_reported));
		pcap_dump_close(cd->d);
	}
	pcap_close(cd->dead);
	free(cd->name);
	free(cd->pattern);
	free(cd);
}
