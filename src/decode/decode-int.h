/*
 * decode-int.h: internals shared by the decode-*.c files only.
 */
#ifndef SW_DECODE_INT_H
#define SW_DECODE_INT_H

#include "core/cursor.h"
#include "decode/decode.h"

struct decode_frag;
struct decode_tcp;

struct decode_ctx {
	struct decode_stats	 stats;
	decode_deliver_fn	*deliver;
	void			*arg;
	struct decode_frag	*frag;		/* IP reassembly, on first use */
	struct decode_tcp	*tcp;		/* TCP streams, on first use */
};

/* Tunnels (IP-in-IP, GRE, ERSPAN, VXLAN, MPLS) peeled per frame, at most. */
#define DECODE_ENCAP_MAX	8

/* What an IP header says about one fragment. */
struct frag_key_in {
	uint32_t	id;		/* identification (16 bits for IPv4) */
	uint32_t	off;		/* offset of its data, bytes */
	int		more;		/* more fragments follow */
	int		proto;		/* upper protocol if known here, else -1 */
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

/* decode-ip.c: dispatch on the upper protocol / IPv6 extension chain. */
int	decode_ip_payload(struct decode_ctx *, struct decode_pkt *,
	    uint8_t proto, struct cursor *);
int	decode_ipv6_ext(struct decode_ctx *, struct decode_pkt *,
	    uint8_t nxt, struct cursor *);

/* decode-ipfrag.c: C covers the fragment's data. */
int	decode_frag_add(struct decode_ctx *, struct decode_pkt *,
	    const struct frag_key_in *, struct cursor *);
void	decode_frag_destroy(struct decode_ctx *);
unsigned decode_frag_pending(const struct decode_ctx *);

/* decode-udp.c / decode-tcp.c: C covers exactly the IP payload. */
int	decode_udp(struct decode_ctx *, struct decode_pkt *, struct cursor *);
int	decode_tcp(struct decode_ctx *, struct decode_pkt *, struct cursor *);

/* decode-tcp-stream.c: the TCP stream table. */
void	decode_tcp_flush(struct decode_ctx *, int64_t ts_us);
void	decode_tcp_destroy(struct decode_ctx *);

/* decode-encap.c: C is positioned after the outer header named. */
int	decode_ether(struct decode_ctx *, struct decode_pkt *, struct cursor *);
int	decode_gre(struct decode_ctx *, struct decode_pkt *, struct cursor *);
int	decode_mpls(struct decode_ctx *, struct decode_pkt *, struct cursor *);
int	decode_vxlan(struct decode_ctx *, struct decode_pkt *, struct cursor *);

/* decode-sctp.c: C covers exactly the IP payload. */
int	decode_sctp(struct decode_ctx *, struct decode_pkt *, struct cursor *);

#endif
