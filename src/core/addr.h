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

#endif
