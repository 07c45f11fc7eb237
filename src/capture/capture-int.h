/*
 * capture-int.h: internals shared by the capture-*.c files only.
 */
#ifndef SW_CAPTURE_INT_H
#define SW_CAPTURE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* One packet read by our own pcapng reader; DATA valid until the next read. */
struct capture_pkt {
	int64_t		 ts_us;		/* µs since the epoch */
	const uint8_t	*data;
	uint32_t	 caplen;
	uint32_t	 wirelen;
	int		 dlt;		/* its interface's link type, -1 unknown */
};

struct pcapng_rd;

/* capture-pcapng.c */

/*
 * Start reading pcapng from FP's current position (which must be
 * seekable: the first interface's link type is read ahead into
 * *FIRST_DLT, -1 when there is none).  Returns a reader the caller frees
 * with pcapng_close() (FP stays the caller's), or NULL with *CAUSE set.
 */
struct pcapng_rd *pcapng_open(FILE *fp, int *first_dlt, char **cause);

/* Next packet: 1 and *PKT filled, 0 at the end, -1 with *CAUSE set. */
int		 pcapng_next(struct pcapng_rd *, struct capture_pkt *pkt,
		    char **cause);
void		 pcapng_close(struct pcapng_rd *);

#endif
