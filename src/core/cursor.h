/*
 * cursor.h: bounds-checked reader over untrusted bytes.
 *
 * Every read of packet data goes through a cursor: the header fields a
 * decoder reads, the bytes it compares, the lines it searches.  A read
 * that would cross the end returns -1 and leaves the cursor unchanged;
 * nothing is ever read past END.  Multi-byte integers are read big-endian
 * (network order) and returned in host order unless the name says _le.
 *
 * cur_get_*() read and advance; cur_peek*() and cur_find() look ahead
 * without advancing, at an offset counted in bytes from the read
 * position.  Reading from a copy of a cursor is a look-ahead too.  The
 * bytes are borrowed, never owned: a span handed out (cur_get_span(),
 * cur_peek_span(), or the remaining bytes C->p with cur_left(C)) is
 * valid as long as the buffer the cursor was made over.
 */
#ifndef SW_CURSOR_H
#define SW_CURSOR_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct cursor {
	const uint8_t	*p;	/* next byte to read */
	const uint8_t	*end;	/* one past the last readable byte */
};

/* A cursor over the LEN bytes at P (P may be NULL only if LEN is 0). */
static inline void
cur_init(struct cursor *c, const uint8_t *p, size_t len)
{
	c->p = p;
	c->end = p + len;
}

/* Bytes left to read. */
static inline size_t
cur_left(const struct cursor *c)
{
	return ((size_t)(c->end - c->p));
}

/* Advance N bytes.  Returns 0, or -1 if fewer than N remain. */
static inline int
cur_skip(struct cursor *c, size_t n)
{
	if (cur_left(c) < n)
		return (-1);
	c->p += n;
	return (0);
}

/* Read one byte.  Returns 0, or -1 on a short read. */
static inline int
cur_get_u8(struct cursor *c, uint8_t *v)
{
	if (cur_left(c) < 1)
		return (-1);
	*v = c->p[0];
	c->p += 1;
	return (0);
}

/* Read a big-endian 16-bit value into host order.  Returns 0, or -1. */
static inline int
cur_get_be16(struct cursor *c, uint16_t *v)
{
	if (cur_left(c) < 2)
		return (-1);
	*v = (uint16_t)((c->p[0] << 8) | c->p[1]);
	c->p += 2;
	return (0);
}

/* Read a little-endian 16-bit value into host order.  Returns 0, or -1. */
static inline int
cur_get_le16(struct cursor *c, uint16_t *v)
{
	if (cur_left(c) < 2)
		return (-1);
	*v = (uint16_t)((c->p[1] << 8) | c->p[0]);
	c->p += 2;
	return (0);
}

/* Read a big-endian 32-bit value into host order.  Returns 0, or -1. */
static inline int
cur_get_be32(struct cursor *c, uint32_t *v)
{
	if (cur_left(c) < 4)
		return (-1);
	*v = ((uint32_t)c->p[0] << 24) | ((uint32_t)c->p[1] << 16) |
	    ((uint32_t)c->p[2] << 8) | (uint32_t)c->p[3];
	c->p += 4;
	return (0);
}

/* Copy the next N bytes into DST (which must hold N).  Returns 0, or -1. */
static inline int
cur_get_bytes(struct cursor *c, void *dst, size_t n)
{
	if (cur_left(c) < n)
		return (-1);
	if (n > 0)		/* C may be over no bytes at all (NULL) */
		memcpy(dst, c->p, n);
	c->p += n;
	return (0);
}

/*
 * Point *V at the next N bytes, in place, and advance past them.  Returns
 * 0, or -1 if fewer than N remain.
 */
static inline int
cur_get_span(struct cursor *c, size_t n, const uint8_t **v)
{
	if (cur_left(c) < n)
		return (-1);
	*v = c->p;
	c->p += n;
	return (0);
}

/*
 * Make SUB a cursor over the next N bytes and advance C past them (a chunk
 * or record whose length field was read).  Returns 0, or -1 if fewer than
 * N remain (neither cursor changed).
 */
static inline int
cur_get_cursor(struct cursor *c, size_t n, struct cursor *sub)
{
	if (cur_left(c) < n)
		return (-1);
	cur_init(sub, c->p, n);
	c->p += n;
	return (0);
}

/*
 * Shorten C to its next N bytes (what a length field announces).  Returns
 * 0, or -1 if fewer than N remain (C unchanged).
 */
static inline int
cur_limit(struct cursor *c, size_t n)
{
	if (cur_left(c) < n)
		return (-1);
	c->end = c->p + n;
	return (0);
}

/*
 * The byte OFF bytes past the read position, without advancing: 0 to 255,
 * or -1 if fewer than OFF + 1 bytes remain.  -1 is no byte value, so
 * "cur_peek(c, i) == '\n'" is false past the end.
 */
static inline int
cur_peek(const struct cursor *c, size_t off)
{
	if (off >= cur_left(c))
		return (-1);
	return (c->p[off]);
}

/*
 * Point *V at the N bytes starting OFF bytes past the read position,
 * without advancing.  Returns 0, or -1 if they are not all there.
 */
static inline int
cur_peek_span(const struct cursor *c, size_t off, size_t n, const uint8_t **v)
{
	if (off > cur_left(c) || n > cur_left(c) - off)
		return (-1);
	*v = c->p + off;
	return (0);
}

/*
 * Offset (from the read position) of the first byte equal to CH at or
 * after offset FROM, in *AT, without advancing.  Returns 0, or -1 when
 * there is none.
 */
static inline int
cur_find(const struct cursor *c, size_t from, uint8_t ch, size_t *at)
{
	const uint8_t	*q;

	if (from >= cur_left(c))
		return (-1);
	if ((q = memchr(c->p + from, ch, cur_left(c) - from)) == NULL)
		return (-1);
	*at = (size_t)(q - c->p);
	return (0);
}

#endif
