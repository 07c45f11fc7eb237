/*
 * capture-save.c: --save-alerted, one pcap per call that raised an alert
 * (capture-dump.h).
 *
 * Frames that carried SIP wait in a FIFO until the parse pipeline hands
 * back their messages (it does so in capture order), then are attached to
 * the call of each message's Call-ID.  Calls sit in a hash with an LRU
 * list; the per-call and total byte caps and the call cap evict the least
 * recently active call (written first if it had raised an alert).  A call
 * is written when the tracker releases its record, or at the end of the
 * run, as DIR/YYYYmmddTHHMMSSZ-RULE-CALLID.pcap: UTC time and rule of its
 * first alert, the Call-ID with every byte outside [A-Za-z0-9._@+-]
 * replaced by '_' (at most 96 of them).  An existing file is never
 * overwritten: "-2", "-3" ... is added.
 *
 * Over TCP only the segment that completed each message is kept: a
 * message that spanned several segments is cut in the saved file.
 *
 * The call's RTP and RTCP frames (capture_save_media()) join its SIP
 * frames in capture order as the media module ties them to it, within
 * caps of their own: media never evicts a call nor cuts its SIP.
 *
 * The same store serves exports (o->keep): calls are then never written
 * on their own and stay until the caps evict them (the dashboard still
 * shows a call the tracker released); capture_save_write_calls() writes
 * the frames of the calls asked for.
 */
#include "config.h"

#include <sys/queue.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>
#include "core/hash.h"

#include "alert/alert.h"
#include "capture/capture-dump.h"
#include "core/json.h"
#include "core/log.h"
#include "core/sink.h"
#include "core/xmalloc.h"

struct sframe {
	struct sframe	*next;
	uint64_t	 frame;
	int64_t		 ts_us;
	uint32_t	 caplen;
	uint32_t	 wirelen;
	uint8_t		 data[];
};

struct scall {
	UT_hash_handle		 hh;
	char			*call_id;
	size_t			 len;
	TAILQ_ENTRY(scall)	 lru;
	struct sframe		*head;
	struct sframe		*tail;
	size_t			 bytes;
	size_t			 media_bytes;	/* RTP and RTCP, apart */
	uint64_t		 last_frame;
	uint64_t		 cut;		/* frames over the call cap */
	int			 alerted;
	char			 rule[ALERT_RULE_LEN];
	int64_t			 alert_us;
};

struct capture_save {
	struct capture_save_opts o;
	char			*dir;
	pcap_t			*dead;
	struct scall		*calls;
	/* cppcheck-suppress unusedStructMember ; used by TAILQ macros */
	TAILQ_HEAD(, scall)	 lru;
	unsigned		 ncalls;
	size_t			 bytes;
	size_t			 media_bytes;

	struct sframe		*pend_head;	/* frames awaiting messages */
	struct sframe		*pend_tail;
	unsigned		 npend;

	uint64_t		 written;
	uint64_t		 written_evicted;
	uint64_t		 frames_written;
	uint64_t		 frames_cut;	/* over a call's cap */
	uint64_t		 media_frames;	/* RTP and RTCP frames kept */
	uint64_t		 media_frames_cut; /* over the media caps */
	uint64_t		 frames_unmatched; /* left the FIFO unparsed */
	uint64_t		 calls_evicted;
	uint64_t		 alerted_empty;	/* alert, no frame kept */
	uint64_t		 errors;	/* calls whose file could not be
						   written (none is left) */
	unsigned		 nalerted;	/* calls held that raised one */
	int			 failed;	/* an error was reported */
};

static struct sframe *
save_frame_new(uint64_t frame, int64_t ts, const uint8_t *data,
    size_t caplen, size_t wirelen)
{
	struct sframe	*f;

	f = xmalloc(sizeof *f + (caplen > 0 ? caplen : 1));
	f->next = NULL;
	f->frame = frame;
	f->ts_us = ts;
	f->caplen = (uint32_t)caplen;
	f->wirelen = (uint32_t)wirelen;
	memcpy(f->data, data, caplen);
	return (f);
}

struct capture_save *
capture_save_create(const struct capture_save_opts *o, char **cause)
{
	struct capture_save	*cs;
	struct stat		 sb;

	if (o->keep)
		goto make;
	if (stat(o->dir, &sb) == -1) {
		*cause = xasprintf("%s: %s", o->dir, strerror(errno));
		return (NULL);
	}
	if (!S_ISDIR(sb.st_mode)) {
		*cause = xasprintf("%s: not a directory", o->dir);
		return (NULL);
	}
make:
	cs = xcalloc(1, sizeof *cs);
	cs->o = *o;
	cs->dir = xstrdup(o->dir != NULL ? o->dir : "");
	cs->o.dir = cs->dir;
	if (cs->o.call_bytes == 0)
		cs->o.call_bytes = CAPTURE_SAVE_CALL_BYTES;
	if (cs->o.total_bytes == 0)
		cs->o.total_bytes = CAPTURE_SAVE_TOTAL_BYTES;
	if (cs->o.max_calls == 0)
		cs->o.max_calls = CAPTURE_SAVE_MAX_CALLS;
	if (cs->o.media_call_bytes == 0)
		cs->o.media_call_bytes = CAPTURE_SAVE_MEDIA_CALL_BYTES;
	if (cs->o.media_total_bytes == 0)
		cs->o.media_total_bytes = CAPTURE_SAVE_MEDIA_TOTAL_BYTES;
	cs->dead = pcap_open_dead_with_tstamp_precision(o->dlt,
	    o->snaplen > 0 ? o->snaplen : 262144, PCAP_TSTAMP_PRECISION_MICRO);
	if (cs->dead == NULL)
		fatalx("--save-alerted: pcap_open_dead failed");
	TAILQ_INIT(&cs->lru);
	return (cs);
}

static void
save_pend_pop(struct capture_save *cs)
{
	struct sframe	*f = cs->pend_head;

	cs->pend_head = f->next;
	if (cs->pend_head == NULL)
		cs->pend_tail = NULL;
	cs->npend--;
	free(f);
}

void
capture_save_frame(struct capture_save *cs, uint64_t frame, int64_t ts,
    const uint8_t *data, size_t caplen, size_t wirelen)
{
	struct sframe	*f;

	if (cs->npend >= CAPTURE_SAVE_PENDING) {
		cs->frames_unmatched++;
		save_pend_pop(cs);
	}
	f = save_frame_new(frame, ts, data, caplen, wirelen);
	if (cs->pend_tail != NULL)
		cs->pend_tail->next = f;
	else
		cs->pend_head = f;
	cs->pend_tail = f;
	cs->npend++;
}

/* "20261121T053431Z-server-error-burst-abc_def.pcap" (without dir). */
static void
save_name(const struct scall *c, char *buf, size_t len)
{
	struct tm	tm;
	time_t		secs = (time_t)(c->alert_us / 1000000);
	char		when[32], id[97];
	size_t		i, n;

	if (gmtime_r(&secs, &tm) == NULL ||
	    strftime(when, sizeof when, "%Y%m%dT%H%M%SZ", &tm) == 0)
		snprintf(when, sizeof when, "%lld", (long long)secs);
	n = c->len < sizeof id - 1 ? c->len : sizeof id - 1;
	/* cppcheck-suppress knownConditionTrueFalse ; min() misread */
	for (i = 0; i < n; i++) {
		id[i] = c->call_id[i];
		if (!((id[i] >= 'a' && id[i] <= 'z') ||
		    (id[i] >= 'A' && id[i] <= 'Z') ||
		    (id[i] >= '0' && id[i] <= '9') || id[i] == '.' ||
		    id[i] == '_' || id[i] == '@' || id[i] == '+' ||
		    id[i] == '-'))
			id[i] = '_';
	}
	id[n] = '\0';
	/* cppcheck-suppress knownConditionTrueFalse ; N: Call-ID length */
	snprintf(buf, len, "%s-%s-%s", when, c->rule, n > 0 ? id : "none");
}

/*
 * The file of a call could not be written (ERR): it was removed, the
 * call is counted as not saved.  Reported once on stderr (a disk on the
 * edge of full would otherwise give a line per call), and the total at
 * the end of the run.
 */
static void
save_error(struct capture_save *cs, const char *path, int err)
{
	cs->errors++;
	if (!cs->failed)
		log_warnx("--save-alerted: %s: %s; calls that raised an alert "
		    "are counted as not saved until files can be written",
		    path, strerror(err));
	cs->failed = 1;
}

/*
 * Write C's frames to a new file in the directory: a whole file or none
 * (a partial one, on a full disk, is removed).
 */
static void
save_write(struct capture_save *cs, struct scall *c)
{
	struct pcap_pkthdr	 h;
	struct sframe		*f;
	pcap_dumper_t		*d;
	FILE			*fp;
	char			 base[256], path[PATH_MAX];
	uint64_t		 n = 0;
	int			 fd = -1, i, err = 0;

	if (c->head == NULL) {
		cs->alerted_empty++;
		return;
	}
	save_name(c, base, sizeof base);
	for (i = 1; i <= 100; i++) {
		if (i == 1)
			snprintf(path, sizeof path, "%s/%s.pcap", cs->dir, base);
		else
			snprintf(path, sizeof path, "%s/%s-%d.pcap", cs->dir,
			    base, i);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
		if (fd != -1 || errno != EEXIST)
			break;
	}
	if (fd == -1) {
		save_error(cs, path, errno);
		return;
	}
	if ((fp = fdopen(fd, "wb")) == NULL) {
		err = errno;
		close(fd);
		(void)unlink(path);
		save_error(cs, path, err);
		return;
	}
	if ((d = pcap_dump_fopen(cs->dead, fp)) == NULL) {
		log_warnx("--save-alerted: %s: %s", path,
		    pcap_geterr(cs->dead));
		fclose(fp);
		(void)unlink(path);
		cs->errors++;
		return;
	}
	for (f = c->head; f != NULL && !ferror(fp); f = f->next) {
		memset(&h, 0, sizeof h);
		h.ts.tv_sec = (time_t)(f->ts_us / 1000000);
		h.ts.tv_usec = (suseconds_t)(f->ts_us % 1000000);
		h.caplen = f->caplen;
		h.len = f->wirelen;
		pcap_dump((u_char *)d, &h, f->data);
		n++;
	}
	errno = 0;
	if (ferror(fp) || pcap_dump_flush(d) == -1)
		err = errno != 0 ? errno : EIO;
	pcap_dump_close(d);
	if (err != 0) {
		(void)unlink(path);
		save_error(cs, path, err);
		return;
	}
	cs->written++;
	cs->frames_written += n;
	log_debug("--save-alerted: wrote %s", path);
}

static void
save_free(struct capture_save *cs, struct scall *c)
{
	struct sframe	*f;

	while ((f = c->head) != NULL) {
		c->head = f->next;
		free(f);
	}
	cs->bytes -= c->bytes;
	cs->media_bytes -= c->media_bytes;
	if (c->alerted)
		cs->nalerted--;
	HASH_DELETE(hh, cs->calls, c);
	TAILQ_REMOVE(&cs->lru, c, lru);
	cs->ncalls--;
	free(c->call_id);
	free(c);
}

/* Evict the least recently active call, written first if alerted. */
static void
save_evict(struct capture_save *cs)
{
	struct scall	*c;

	if ((c = TAILQ_FIRST(&cs->lru)) == NULL)
		return;
	cs->calls_evicted++;
	if (c->alerted) {
		save_write(cs, c);
		cs->written_evicted++;
	}
	save_free(cs, c);
}

static struct scall *
save_get(struct capture_save *cs, const char *call_id, size_t len,
    int create)
{
	struct scall	*c;

	HASH_FIND(hh, cs->calls, call_id, len, c);
	if (c != NULL) {
		TAILQ_REMOVE(&cs->lru, c, lru);
		TAILQ_INSERT_TAIL(&cs->lru, c, lru);
		return (c);
	}
	if (!create)
		return (NULL);
	if (cs->ncalls >= cs->o.max_calls)
		save_evict(cs);
	c = xcalloc(1, sizeof *c);
	c->call_id = xmalloc(len + 1);
	memcpy(c->call_id, call_id, len);
	c->call_id[len] = '\0';
	c->len = len;
	HASH_ADD_KEYPTR(hh, cs->calls, c->call_id, c->len, c);
	TAILQ_INSERT_TAIL(&cs->lru, c, lru);
	cs->ncalls++;
	return (c);
}

/* F after C's frames (capture order). */
static void
save_append(struct scall *c, struct sframe *f)
{
	if (c->tail != NULL)
		c->tail->next = f;
	else
		c->head = f;
	c->tail = f;
}

void
capture_save_message(struct capture_save *cs, uint64_t frame,
    const char *call_id, size_t len)
{
	struct sframe	*p;
	struct scall	*c;
	size_t		 sz;

	while ((p = cs->pend_head) != NULL && p->frame < frame)
		save_pend_pop(cs);
	if (p == NULL || p->frame != frame || len == 0)
		return;
	c = save_get(cs, call_id, len, 1);
	if (c->last_frame == frame)
		return;		/* two messages of the call in one frame */
	c->last_frame = frame;
	sz = sizeof (struct sframe) + p->caplen;
	if (c->bytes + sz > cs->o.call_bytes) {
		c->cut++;
		cs->frames_cut++;
		return;
	}
	while (cs->bytes + sz > cs->o.total_bytes && cs->ncalls > 1 &&
	    TAILQ_FIRST(&cs->lru) != c)
		save_evict(cs);
	save_append(c, save_frame_new(frame, p->ts_us, p->data, p->caplen,
	    p->wirelen));
	c->bytes += sz;
	cs->bytes += sz;
}

void
capture_save_media(struct capture_save *cs, uint64_t frame, int64_t ts,
    const uint8_t *data, size_t caplen, size_t wirelen, const char *call_id,
    size_t len)
{
	struct scall	*c;
	size_t		 sz;

	if (len == 0 || (c = save_get(cs, call_id, len, 0)) == NULL)
		return;
	if (c->last_frame == frame)
		return;		/* two payloads of the call in one frame */
	c->last_frame = frame;
	sz = sizeof (struct sframe) + caplen;
	if (c->media_bytes + sz > cs->o.media_call_bytes ||
	    cs->media_bytes + sz > cs->o.media_total_bytes) {
		cs->media_frames_cut++;
		return;
	}
	save_append(c, save_frame_new(frame, ts, data, caplen, wirelen));
	c->media_bytes += sz;
	cs->media_bytes += sz;
	cs->media_frames++;
}

void
capture_save_alert(struct capture_save *cs, const char *call_id,
    const char *rule, int64_t ts_us)
{
	struct scall	*c;

	if (cs->o.keep || call_id == NULL || *call_id == '\0')
		return;
	c = save_get(cs, call_id, strlen(call_id), 1);
	if (c->alerted)
		return;
	c->alerted = 1;
	cs->nalerted++;
	snprintf(c->rule, sizeof c->rule, "%s", rule);
	c->alert_us = ts_us;
}

void
capture_save_release(struct capture_save *cs, const char *call_id,
    size_t len, int evicted)
{
	struct scall	*c;

	(void)evicted;
	if (cs->o.keep || (c = save_get(cs, call_id, len, 0)) == NULL)
		return;
	if (c->alerted)
		save_write(cs, c);
	save_free(cs, c);
}

void
capture_save_finish(struct capture_save *cs)
{
	struct scall	*c;

	while (!cs->o.keep && (c = TAILQ_FIRST(&cs->lru)) != NULL) {
		if (c->alerted)
			save_write(cs, c);
		save_free(cs, c);
	}
	while (cs->pend_head != NULL)
		save_pend_pop(cs);
	if (cs->errors > 0)
		log_warnx("--save-alerted: %llu call(s) that raised an alert "
		    "could not be saved, %llu were", (unsigned long long)
		    cs->errors, (unsigned long long)cs->written);
}

static int
save_frame_cmp(const void *a, const void *b)
{
	const struct sframe	*x = *(const struct sframe *const *)a;
	const struct sframe	*y = *(const struct sframe *const *)b;

	return (x->frame < y->frame ? -1 : x->frame > y->frame);
}

int
capture_save_write_calls(struct capture_save *cs, const char *const *call_ids,
    unsigned n, const char *path, uint64_t *frames, unsigned *calls,
    char **cause)
{
	struct pcap_pkthdr	  h;
	struct sframe		**v = NULL, *f;
	struct scall		 *c;
	pcap_dumper_t		 *d;
	FILE			 *fp;
	size_t			  nv = 0, cap = 0, i;
	unsigned		  k;
	int			  fd;

	*frames = 0;
	*calls = 0;
	for (k = 0; k < n; k++) {
		HASH_FIND(hh, cs->calls, call_ids[k], strlen(call_ids[k]), c);
		if (c == NULL || c->head == NULL)
			continue;
		(*calls)++;
		for (f = c->head; f != NULL; f = f->next) {
			if (nv == cap) {
				cap = cap == 0 ? 64 : cap * 2;
				v = xreallocarray(v, cap, sizeof *v);
			}
			v[nv++] = f;
		}
	}
	if (nv == 0) {
		free(v);
		return (0);
	}
	/* Capture order; a frame two calls share is written once. */
	qsort(v, nv, sizeof *v, save_frame_cmp);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd == -1 || (fp = fdopen(fd, "wb")) == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		free(v);
		return (-1);
	}
	if ((d = pcap_dump_fopen(cs->dead, fp)) == NULL) {
		*cause = xasprintf("%s: %s", path, pcap_geterr(cs->dead));
		fclose(fp);
		unlink(path);
		free(v);
		return (-1);
	}
	for (i = 0; i < nv; i++) {
		if (i > 0 && v[i]->frame == v[i - 1]->frame)
			continue;
		memset(&h, 0, sizeof h);
		h.ts.tv_sec = (time_t)(v[i]->ts_us / 1000000);
		h.ts.tv_usec = (suseconds_t)(v[i]->ts_us % 1000000);
		h.caplen = v[i]->caplen;
		h.len = v[i]->wirelen;
		pcap_dump((u_char *)d, &h, v[i]->data);
		(*frames)++;
	}
	free(v);
	if (pcap_dump_flush(d) == -1 || ferror(fp)) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		pcap_dump_close(d);
		unlink(path);
		return (-1);
	}
	pcap_dump_close(d);
	return (0);
}

void
capture_save_report(json_t *root, const struct capture_save *cs)
{
	json_t	*o = json_object();

	sw_json_set(o, "dir", json_string(cs->dir));
	sw_json_set(o, "written", json_integer((json_int_t)cs->written));
	sw_json_set(o, "written_evicted",
	    json_integer((json_int_t)cs->written_evicted));
	sw_json_set(o, "frames_written",
	    json_integer((json_int_t)cs->frames_written));
	sw_json_set(o, "frames_cut", json_integer((json_int_t)cs->frames_cut));
	sw_json_set(o, "media_frames",
	    json_integer((json_int_t)cs->media_frames));
	sw_json_set(o, "media_frames_cut",
	    json_integer((json_int_t)cs->media_frames_cut));
	sw_json_set(o, "frames_unmatched",
	    json_integer((json_int_t)cs->frames_unmatched));
	sw_json_set(o, "calls_evicted",
	    json_integer((json_int_t)cs->calls_evicted));
	sw_json_set(o, "alerted_without_frames",
	    json_integer((json_int_t)cs->alerted_empty));
	sw_json_set(o, "errors", json_integer((json_int_t)cs->errors));
	sw_json_set(root, "save_alerted", o);
}

void
capture_save_sink(const struct capture_save *cs, struct sw_sink *out)
{
	out->kind = "evidence";
	out->target = cs->dir;
	out->sent = cs->written;
	out->failed = cs->errors;
	out->dropped = 0;
	out->queued = cs->nalerted;
}

void
capture_save_destroy(struct capture_save *cs)
{
	struct scall	*c;

	if (cs == NULL)
		return;
	while ((c = TAILQ_FIRST(&cs->lru)) != NULL)
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): TAILQ */
		save_free(cs, c);
	while (cs->pend_head != NULL)
		save_pend_pop(cs);
	pcap_close(cs->dead);
	free(cs->dir);
	free(cs);
}
