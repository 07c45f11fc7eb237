/*
 * engine-block.c: --blocklist=FILE (engine-block.h).
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/addr.h"
#include "core/clock.h"
#include "core/hash.h"
#include "core/log.h"
#include "core/timefmt.h"
#include "core/xmalloc.h"
#include "engine/engine-block.h"
#include "rules/rules.h"
#include "track/track.h"

#define ENGINE_BLOCK_MAX	65536	/* entries kept, oldest expiry first out */

struct block_entry {
	UT_hash_handle	 hh;
	char		 ip[SW_ADDRSTRLEN];	/* the key */
	int64_t		 until_us;
	char		*reason;	/* owned */
};

struct engine_block {
	const char		*path;
	struct block_entry	*entries;	/* uthash head */
	unsigned		 n;
	int			 dirty;
	int64_t			 now_us;	/* latest packet time seen */
	int64_t			 written_ms;	/* wall clock of the last write */
	uint64_t		 writes;
	uint64_t		 errors;
};

/* Write the entries to PATH.tmp.XXXXXX, then rename it over PATH. */
static int
engine_block_write(struct engine_block *b)
{
	struct block_entry	*e, *tmp;
	char			*tpath, when[SW_TIME_LEN];
	FILE			*f;
	int			 fd;

	tpath = xasprintf("%s.tmp.XXXXXX", b->path);
	if ((fd = mkstemp(tpath)) == -1) {
		log_warnx("--blocklist: %s: %s", tpath, strerror(errno));
		free(tpath);
		return (-1);
	}
	if ((f = fdopen(fd, "w")) == NULL) {
		close(fd);
		goto fail;
	}
	(void)fchmod(fd, 0644);
	fprintf(f, "# sipwatch blocklist: SIP attack sources, rewritten as "
	    "they change (doc/OPERATIONS.md)\n"
	    "# address\texpires (UTC)\texpires (epoch s)\treason\n");
	/* cppcheck-suppress uninitvar ; HASH_ITER sets TMP (tools/lint.sh) */
	HASH_ITER(hh, b->entries, e, tmp) {
		fprintf(f, "%s\t%s\t%lld\t%s\n", e->ip, sw_time_rfc3339(
		    e->until_us, 0, when, sizeof when),
		    (long long)(e->until_us / 1000000), e->reason);
	}
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		fclose(f);
		goto fail;
	}
	if (fclose(f) != 0)
		goto fail;
	if (rename(tpath, b->path) == -1)
		goto fail;
	free(tpath);
	b->writes++;
	return (0);
fail:
	log_warnx("--blocklist: %s: %s", b->path, strerror(errno));
	(void)unlink(tpath);
	free(tpath);
	return (-1);
}

struct engine_block *
engine_block_open(const char *path, char **cause)
{
	struct engine_block	*b;

	b = xcalloc(1, sizeof *b);
	b->path = path;
	if (engine_block_write(b) == -1) {
		*cause = xasprintf("--blocklist: cannot write %s (or a "
		    "temporary file beside it): %s", path, strerror(errno));
		free(b);
		return (NULL);
	}
	b->written_ms = sw_clock_ms(CLOCK_MONOTONIC);
	return (b);
}

static void
engine_block_free(struct engine_block *b, struct block_entry *e)
{
	/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): uthash */
	HASH_DEL(b->entries, e);
	free(e->reason);
	free(e);
	b->n--;
}

void
engine_block_observe(struct engine_block *b, const struct track_obs *o)
{
	struct block_entry	*e, *tmp, *old;
	char			 ip[SW_ADDRSTRLEN];

	if (o->ts_us > b->now_us)
		b->now_us = o->ts_us;
	if (o->type != TRACK_OBS_ATTACK)
		return;
	sw_addr_format_ip(o->u.attack.source, ip, sizeof ip);
	HASH_FIND_STR(b->entries, ip, e);
	if (e == NULL) {
		if (b->n >= ENGINE_BLOCK_MAX) {
			/* The one that expires first makes room. */
			old = NULL;
			HASH_ITER(hh, b->entries, e, tmp) {
				if (old == NULL || e->until_us < old->until_us)
					old = e;
			}
			if (old != NULL)
				engine_block_free(b, old);
		}
		e = xcalloc(1, sizeof *e);
		memcpy(e->ip, ip, sizeof e->ip);
		HASH_ADD_STR(b->entries, ip, e);
		b->n++;
	}
	e->until_us = o->u.attack.until_us;
	free(e->reason);
	e->reason = xstrdup(o->u.attack.reason != NULL ?
	    o->u.attack.reason : "");
	b->dirty = 1;
}

void
engine_block_flush(struct engine_block *b, int64_t now_us, int force)
{
	struct block_entry	*e, *tmp;
	int64_t			 wall = sw_clock_ms(CLOCK_MONOTONIC);

	if (b == NULL)
		return;
	if (now_us > b->now_us)
		b->now_us = now_us;
	HASH_ITER(hh, b->entries, e, tmp) {
		if (e->until_us < b->now_us) {
			engine_block_free(b, e);
			b->dirty = 1;
		}
	}
	if (!b->dirty || (!force && wall - b->written_ms < 1000))
		return;
	b->written_ms = wall;
	if (engine_block_write(b) == 0)
		b->dirty = 0;
	else
		b->errors++;
}

void
engine_block_counts(const struct engine_block *b, unsigned *entries,
    uint64_t *writes, uint64_t *errors)
{
	*entries = b->n;
	*writes = b->writes;
	*errors = b->errors;
}

void
engine_block_close(struct engine_block *b)
{
	struct block_entry	*e, *tmp;

	if (b == NULL)
		return;
	HASH_ITER(hh, b->entries, e, tmp)
		engine_block_free(b, e);
	free(b);
}
