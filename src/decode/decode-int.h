/*
 * decode-int.h: internals shared by the decode-*.c files only.
 */
#ifndef SW_DECODE_INT_H
#define SW_DECODE_INT_H

#include "core/cursor.h"
#include "decode/decode.h"

struct decode_ctx {
	struct decode_stats	 stats;
	decode_deliver_fn	*deliver;
	void			*arg;
};

/* Count event EV and return it (as an int, for decode_frame's result). */
static inline int
decode_event(struct decode_ctx *ctx, enum decode_event ev)
{
	ctx->stats.events[ev]++;
	return ((int)ev);
}

/* decode-link.c: dispatch on an ethertype (VLAN tags included). */
int	decode_ethertype(struct decode_ctx *, struct decode_pkt *,
	    uint16_t ethertype, struct cursor *);

/* decode-ip.c: C is positioned at the IP header. */
int	decode_ipv4(struct decode_ctx *, struct decode_pkt *, struct cursor *);
int	decode_ipv6(struct decode_ctx *, struct decode_pkt *, struct cursor *);

/* decode-udp.c / decode-tcp.c: C covers exactly the IP payload. */
int	decode_udp(struct decode_ctx *, struct decode_pkt *, struct cursor *);
int	decode_tcp(struct decode_ctx *, struct decode_pkt *, struct cursor *);

#endif
