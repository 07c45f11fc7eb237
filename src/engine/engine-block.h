/*
 * engine-block.h: --blocklist=FILE, the flagged attack sources as a file
 * that fail2ban, ipset or nftables consume (doc/OPERATIONS.md).
 *
 * The tracker decides which source IPs are attackers and publishes them
 * (TRACK_OBS_ATTACK); this module only keeps the latest word about each
 * and rewrites FILE atomically (a temporary file in the same directory,
 * fsync, rename) when it changed, at most once a second and at the end.
 * sipwatch itself never blocks anything.  One line per address:
 *
 *     ADDRESS <TAB> EXPIRES (RFC 3339, UTC) <TAB> EXPIRES (epoch s) <TAB> REASON
 *
 * after "#" comment lines; an entry whose expiry (its last occurrence
 * plus the attack hold, RULE_ATTACK_HOLD_S) has passed in packet time is
 * left out.  Single-threaded (the engine's thread).
 */
#ifndef SW_ENGINE_BLOCK_H
#define SW_ENGINE_BLOCK_H

#include <stdint.h>

struct engine_block;
struct track_obs;

/*
 * Keep the blocklist in PATH (borrowed for the run).  The file is first
 * written (empty) here, so a path that cannot be written is found at
 * start: returns NULL with *CAUSE set (caller frees).
 */
struct engine_block	*engine_block_open(const char *path, char **cause);

/* An observation from the tracker: TRACK_OBS_ATTACK updates an entry. */
void	engine_block_observe(struct engine_block *, const struct track_obs *o);

/*
 * Rewrite the file if entries changed and FORCE or a second (wall time)
 * passed since the last write; NOW_US (packet time) drops expired
 * entries.  Errors are logged, never fatal: the previous file stays.
 */
void	engine_block_flush(struct engine_block *, int64_t now_us, int force);

/* Entries held, rewrites done, write errors. */
void	engine_block_counts(const struct engine_block *, unsigned *entries,
	    uint64_t *writes, uint64_t *errors);

/* Free everything (the file stays).  NULL is accepted. */
void	engine_block_close(struct engine_block *);

#endif
