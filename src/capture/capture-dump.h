/*
 * capture-dump.h: evidence written as pcap files.
 *
 * struct capture_dump is -w: every frame sipwatch captured, as tcpdump -w
 * writes it, with tcpdump's rotation by size (-C), time (-G) and a ring
 * of files (-W).  Rotation uses the packet clock, so a replay rotates as
 * the live run did.  SIGHUP reopens the current file (logrotate).
 *
 * struct capture_save is --save-alerted: the SIP frames of every call
 * are kept (bounded per call and in total) until the tracker releases
 * the call; a call that raised an alert is then written to its own pcap,
 * named by time, rule and Call-ID.  Frames reach it in two steps: the
 * frame as captured (capture_save_frame(), on the capture path), then
 * the Call-ID of each message parsed from it (capture_save_message(), in
 * capture order, once the parse pipeline hands it back).
 *
 * Both write with libpcap (pcap_open_dead() for the link type and snap
 * length of the capture), microsecond timestamps.  Single-threaded: the
 * engine's thread only.
 */
#ifndef SW_CAPTURE_DUMP_H
#define SW_CAPTURE_DUMP_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct capture_dump_opts {
	const char	*file;		/* -w: file name; with -G an
					   strftime(3) pattern (local time) */
	uint64_t	 size;		/* -C: rotate past this many bytes;
					   0 none */
	int64_t		 rotate_us;	/* -G: rotate after this long (µs of
					   packet time); 0 none */
	unsigned	 nfiles;	/* -W: with -C, a ring of this many
					   files; 0 none */
	int		 dlt;		/* link type of the capture */
	int		 snaplen;
};

struct capture_dump;

/*
 * Start writing to O->file (copied).  Without -G the file is created now
 * (truncated, as tcpdump does), so it can be opened before privileges
 * are dropped; with -G it is created at the first packet, named from its
 * time.  Returns the writer (the caller frees it with
 * capture_dump_close()), or NULL with *CAUSE set (caller frees) when the
 * file cannot be created.  Implements no RFC (pcap file format).
 */
struct capture_dump *capture_dump_open(const struct capture_dump_opts *o,
		    char **cause);

/*
 * Write one frame: TS_US (µs since the epoch, the packet time that also
 * drives -C/-G rotation), CAPLEN bytes of DATA (borrowed; at most the
 * snap length of the file are written), WIRELEN on the wire.  A write
 * or rotation error is reported once on stderr and counted; the file is
 * cut back to its last whole frame, so it stays readable, and the
 * frames that could not be written are counted as lost.  The run goes
 * on; writing is retried after 1 s, doubling to 8 s (wall clock).  A
 * failing -C rotation keeps its file index, is retried after 1 s,
 * doubling to 60 s, and the current file stops at -C.
 */
void	capture_dump_write(struct capture_dump *, int64_t ts_us,
	    const uint8_t *data, size_t caplen, size_t wirelen);

/*
 * Flush buffered frames to the file (a reader sees them, the report
 * counts them) if a second passed since the last flush, or NOW.  A
 * flush error is handled as a write error.
 */
void	capture_dump_flush(struct capture_dump *, int now);

/*
 * SIGHUP: reopen the current file by name, appending (a new file when
 * logrotate moved it away).  When it cannot be opened (after -Z the
 * directory must be writable by the user), writing goes on to the old
 * one and the error is reported.
 */
void	capture_dump_reopen(struct capture_dump *);

/*
 * Add "dump" to report ROOT: file (the current one), files (created),
 * packets and bytes (frames on disk, as of the last flush), errors
 * (write, flush and create errors), lost (frames not in any file because
 * of them).
 */
void	capture_dump_report(json_t *root, const struct capture_dump *);

struct sw_sink;

/*
 * -w as an output (core/sink.h): kind "pcap", target the current file,
 * sent = frames on disk, failed = frames lost to write or rotation
 * errors, queued = frames written but not flushed yet.
 */
void	capture_dump_sink(const struct capture_dump *, struct sw_sink *);

/* Flush, close and free.  NULL is accepted. */
void	capture_dump_close(struct capture_dump *);

/*
 * -C's argument: a number of millions of bytes, or a number with a
 * suffix k, m or g (units of 1024, 1024^2, 1024^3), as tcpdump 4.99
 * reads it.  Returns the size in bytes, or 0 when S is not valid.
 */
uint64_t capture_dump_parse_size(const char *s);

struct capture_save_opts {
	const char	*dir;		/* --save-alerted directory */
	int		 dlt;
	int		 snaplen;
	size_t		 call_bytes;	/* frames kept per call (bytes) */
	size_t		 total_bytes;	/* all calls together */
	unsigned	 max_calls;	/* calls with frames kept */
	size_t		 media_call_bytes; /* RTP and RTCP frames kept per call
					   (bytes), apart from the SIP ones */
	size_t		 media_total_bytes; /* all calls' RTP and RTCP */
	int		 keep;		/* for exports: DIR unused (NULL), no
					   call written on its own, calls kept
					   until evicted by the caps */
};

#define CAPTURE_SAVE_CALL_BYTES		(4u << 20)
#define CAPTURE_SAVE_TOTAL_BYTES	(64u << 20)
#define CAPTURE_SAVE_MAX_CALLS		32768
#define CAPTURE_SAVE_PENDING		8192	/* frames awaiting their parse */
/* RTP and RTCP: about 85 s of a G.711 call (both directions, 20 ms
 * packets, Ethernet) per call, within 32 MiB in all. */
#define CAPTURE_SAVE_MEDIA_CALL_BYTES	(2u << 20)
#define CAPTURE_SAVE_MEDIA_TOTAL_BYTES	(32u << 20)

struct capture_save;

/*
 * Keep calls for O->dir (copied; zero caps take the defaults above).
 * Returns the store (free with capture_save_destroy()), or NULL with
 * *CAUSE set (caller frees) when DIR is not a writable directory.
 */
struct capture_save *capture_save_create(const struct capture_save_opts *o,
		    char **cause);

/*
 * Frame number FRAME (from 1), captured at TS_US, carried SIP: keep a
 * copy of its CAPLEN bytes (DATA borrowed) until the messages parsed
 * from it come back.  At most CAPTURE_SAVE_PENDING frames wait; the
 * oldest is dropped (counted) beyond.
 */
void	capture_save_frame(struct capture_save *, uint64_t frame,
	    int64_t ts_us, const uint8_t *data, size_t caplen, size_t wirelen);

/*
 * A message with Call-ID CALL_ID (LEN bytes, borrowed) was parsed from
 * frame FRAME: add that frame to the call.  Messages come in capture
 * order (frames before FRAME are then done with).
 */
void	capture_save_message(struct capture_save *, uint64_t frame,
	    const char *call_id, size_t len);

/*
 * Frame number FRAME, captured at TS_US (CAPLEN bytes at DATA, borrowed),
 * carried RTP or RTCP of the call CALL_ID (LEN bytes, borrowed: the media
 * module's media_packet_call_id()): keep a copy with the call's frames,
 * in capture order, when the call's SIP frames are held (a call the
 * store does not hold, released or never seen, is not started by its
 * media).  Bounded apart from the SIP frames, so media never pushes SIP
 * evidence out: media_call_bytes per call and media_total_bytes in all;
 * beyond either the frame is counted (media_frames_cut) and not kept.
 */
void	capture_save_media(struct capture_save *, uint64_t frame,
	    int64_t ts_us, const uint8_t *data, size_t caplen, size_t wirelen,
	    const char *call_id, size_t len);

/*
 * RULE raised an alert at TS_US about the call CALL_ID (NUL-terminated,
 * borrowed; "" is ignored): the call is written when released.  The
 * first alert names the file.
 */
void	capture_save_alert(struct capture_save *, const char *call_id,
	    const char *rule, int64_t ts_us);

/*
 * The tracker released the call CALL_ID (LEN bytes, borrowed): write it
 * if it raised an alert, then forget it.  EVICTED is 1 when the tracker
 * evicted it.
 */
void	capture_save_release(struct capture_save *, const char *call_id,
	    size_t len, int evicted);

/* End of the run: write every call that raised an alert, forget all. */
void	capture_save_finish(struct capture_save *);

/*
 * Exports (o->keep): write the frames held for the N calls CALL_IDS
 * (NUL-terminated, borrowed) to the new file PATH (never an existing
 * one) in capture order, a frame shared by two calls once.  No frame
 * held: nothing is created.  *FRAMES gets the frames written, *CALLS
 * the calls that had frames.  Returns 0, or -1 with *CAUSE set (caller
 * frees; the partial file is removed).  Implements no RFC (pcap).
 */
int	capture_save_write_calls(struct capture_save *,
	    const char *const *call_ids, unsigned n, const char *path,
	    uint64_t *frames, unsigned *calls, char **cause);

/*
 * Add "save_alerted" to report ROOT: dir, written (complete files),
 * frames_written (in them), errors (calls that raised an alert and whose
 * file could not be written: a partial file is removed, never counted),
 * and what the caps cut (doc/OPERATIONS.md).
 */
void	capture_save_report(json_t *root, const struct capture_save *);

/*
 * --save-alerted as an output (core/sink.h): kind "evidence", target the
 * directory, sent = files written whole, failed = calls whose file could
 * not be written, queued = calls that raised an alert and wait for
 * their end.
 */
void	capture_save_sink(const struct capture_save *, struct sw_sink *);

/* Free everything (nothing is written).  NULL is accepted. */
void	capture_save_destroy(struct capture_save *);

#endif
