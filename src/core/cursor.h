/*
 * cursor.h: bounds-checked reader over untrusted bytes.
 *
 * Every read of packet data goes through a cursor.  A read that would
 * cross the end returns -1 and leaves the cursor unchanged; nothing is
 * ever read past END.  Multi-byte integers are read big-endian (network
 * order) and returned in host order unless the name says _le.
 */
#ifndef SW_CURSOR_H
#define SW_CURSOR_H

#include <stddef.h>
#include <stdint.h>

struct cursor {
	const uint8_t	*p;	/* next byte to read */
	const uint8_t	*end;	/* one past the last readable byte */
};

static inline void
cur_init(struct cursor *c, const uint8_t *p, size_t len)
{
	c->p = p;
	c->end = p + len;
}

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

/* Read a big-endian 16-bit value into host order. */
static inline int
cur_get_be16(struct cursor *c, uint16_t *v)
{
	if (cur_left(c) < 2)
		return (-1);
	*v = (uint16_t)((c->p[0] << 8) | c->p[1]);
	c->p += 2;
	return (0);
}

/* Read a little-endian 16-bit value into host order. */
static inline int
cur_get_le16(struct cursor *c, uint16_t *v)
{
	if (cur_left(c) < 2)
		return (-1);
	*v = (uint16_t)((c->p[1] << 8) | c->p[0]);
	c->p += 2;
	return (0);
}

/* Read a big-endian 32-bit value into host order. */
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

/* Copy N raw bytes into DST (which must hold N). */
static inline int
cur_get_bytes(struct cursor *c, void *dst, size_t n)
{
	const uint8_t	*s;
	uint8_t		*d = dst;
	size_t		 i;

	if (cur_left(c) < n)
		return (-1);
	s = c->p;
	for (i = 0; i < n; i++)
		d[i] = s[i];
	c->p += n;
	return (0);
}

#endif
