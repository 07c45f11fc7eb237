/*
 * addr.h: an IP endpoint (address and port), the vocabulary every module
 * shares: the decoder fills it, the tracker keys tables by it, alerts,
 * the dashboard and the report print it.
 */
#ifndef SW_ADDR_H
#define SW_ADDR_H

#include <stddef.h>
#include <stdint.h>

/* An endpoint: IP address (network order bytes) and port (host order). */
struct sw_addr {
	uint8_t		family;		/* 4 or 6; 0: none */
	uint8_t		ip[16];		/* IPv4 uses the first 4 bytes */
	uint16_t	port;		/* host byte order; 0: none */
};

/* Longest sw_addr_format() text, NUL included. */
#define SW_ADDRSTRLEN	56

/*
 * "192.0.2.1:5060" or "[2001:db8::1]:5060" into BUF of LEN bytes (at
 * least SW_ADDRSTRLEN for the whole text); "?" for a family that is
 * neither 4 nor 6.  Returns BUF.  Cannot fail.
 */
char	*sw_addr_format(const struct sw_addr *, char *buf, size_t len);

/* The IP part only ("192.0.2.1", "2001:db8::1") into BUF; returns BUF. */
char	*sw_addr_format_ip(const struct sw_addr *, char *buf, size_t len);

/* Compare family, address and port; 0 when equal, else -1 or 1 (an order). */
int	 sw_addr_cmp(const struct sw_addr *, const struct sw_addr *);

/* Compare family and address, not the port; 0 when equal. */
int	 sw_addr_ip_cmp(const struct sw_addr *, const struct sw_addr *);

/*
 * Parse S, "IP:PORT" or "[IPV6]:PORT" (what sw_addr_format() writes) or,
 * with no port, a bare IPv4 or IPv6 address (port 0), into *A.  Returns 0,
 * or -1 (A zeroed) when S is not such an address.  No name lookup.
 */
int	 sw_addr_parse(const char *s, struct sw_addr *a);

/*
 * Is the address of A one that is not routed on the internet: RFC 1918
 * private, loopback, link-local, shared (RFC 6598 100.64/10), unique
 * local (fc00::/7), unspecified?  Documentation ranges (RFC 5737, RFC
 * 3849) are not: captures use them for public hosts.
 */
int	 sw_addr_is_private(const struct sw_addr *a);

/* A network: an address prefix of BITS bits (0..32 or 0..128). */
struct sw_cidr {
	struct sw_addr	net;		/* port 0, host bits cleared */
	uint8_t		bits;
};

/*
 * Parse S, "192.0.2.0/24", "2001:db8::/32" or a bare address (a /32 or
 * /128), into *C.  Returns 0, or -1 when S is not such a network.
 */
int	 sw_cidr_parse(const char *s, struct sw_cidr *c);

/* Is the address of A (its port ignored) inside C?  1 or 0. */
int	 sw_cidr_match(const struct sw_cidr *c, const struct sw_addr *a);

/*
 * The network of A that operators block at once when one address
 * attacks (the /24 of an IPv4 address, the /48 of an IPv6 one) as
 * "198.51.100.0/24" into BUF of LEN bytes (SW_ADDRSTRLEN is enough).
 * Returns BUF.  Cannot fail.
 */
char	*sw_addr_format_net(const struct sw_addr *a, char *buf, size_t len);

#endif
