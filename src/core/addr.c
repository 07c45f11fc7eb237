/*
 * addr.c: formatting, comparing and parsing endpoints (addr.h).
 */
#include "config.h"

#include <sys/socket.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/addr.h"

char *
sw_addr_format_ip(const struct sw_addr *a, char *buf, size_t len)
{
	if (a->family == 6) {
		if (inet_ntop(AF_INET6, a->ip, buf, (socklen_t)len) == NULL)
			snprintf(buf, len, "?");
	} else if (a->family == 4) {
		if (inet_ntop(AF_INET, a->ip, buf, (socklen_t)len) == NULL)
			snprintf(buf, len, "?");
	} else
		snprintf(buf, len, "?");
	return (buf);
}

char *
sw_addr_format(const struct sw_addr *a, char *buf, size_t len)
{
	char	ip[INET6_ADDRSTRLEN];

	sw_addr_format_ip(a, ip, sizeof ip);
	if (a->family == 6)
		snprintf(buf, len, "[%s]:%u", ip, a->port);
	else
		snprintf(buf, len, "%s:%u", ip, a->port);
	return (buf);
}

int
sw_addr_ip_cmp(const struct sw_addr *a, const struct sw_addr *b)
{
	if (a->family != b->family)
		return (a->family < b->family ? -1 : 1);
	return (memcmp(a->ip, b->ip, a->family == 6 ? 16 : 4));
}

int
sw_addr_cmp(const struct sw_addr *a, const struct sw_addr *b)
{
	int	r;

	if ((r = sw_addr_ip_cmp(a, b)) != 0)
		return (r < 0 ? -1 : 1);
	if (a->port != b->port)
		return (a->port < b->port ? -1 : 1);
	return (0);
}

int
sw_addr_parse(const char *s, struct sw_addr *a)
{
	char		 ip[INET6_ADDRSTRLEN];
	const char	*start = s, *end, *port = NULL;
	char		*ep;
	unsigned long	 p = 0;
	size_t		 len;

	memset(a, 0, sizeof *a);
	if (*s == '[') {
		start = s + 1;
		if ((end = strchr(start, ']')) == NULL)
			return (-1);
		if (end[1] == ':')
			port = end + 2;
		else if (end[1] != '\0')
			return (-1);
	} else if ((end = strchr(s, ':')) != NULL && strchr(end + 1, ':') ==
	    NULL)
		port = end + 1;		/* one colon: IPv4:PORT */
	else
		end = s + strlen(s);	/* bare address */
	if ((len = (size_t)(end - start)) == 0 || len >= sizeof ip)
		return (-1);
	memcpy(ip, start, len);
	ip[len] = '\0';
	if (port != NULL) {
		if (*port < '0' || *port > '9' || strlen(port) > 5)
			return (-1);
		p = strtoul(port, &ep, 10);
		if (*ep != '\0' || p > 65535)
			return (-1);
	}
	if (inet_pton(AF_INET, ip, a->ip) == 1)
		a->family = 4;
	else if (inet_pton(AF_INET6, ip, a->ip) == 1)
		a->family = 6;
	else {
		memset(a, 0, sizeof *a);
		return (-1);
	}
	a->port = (uint16_t)p;
	return (0);
}

int
sw_addr_is_private(const struct sw_addr *a)
{
	const uint8_t	*b = a->ip;
	static const uint8_t zero[16];

	if (a->family == 4) {
		return (b[0] == 10 || b[0] == 127 || b[0] == 0 ||
		    (b[0] == 172 && (b[1] & 0xf0) == 16) ||
		    (b[0] == 192 && b[1] == 168) ||
		    (b[0] == 169 && b[1] == 254) ||
		    (b[0] == 100 && (b[1] & 0xc0) == 64));
	}
	if (a->family == 6) {
		if (memcmp(b, zero, 15) == 0 && (b[15] == 0 || b[15] == 1))
			return (1);		/* :: and ::1 */
		if ((b[0] & 0xfe) == 0xfc)
			return (1);		/* fc00::/7 */
		if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
			return (1);		/* fe80::/10 */
		if (memcmp(b, zero, 10) == 0 && b[10] == 0xff && b[11] == 0xff) {
			struct sw_addr v4;	/* ::ffff:a.b.c.d */

			memset(&v4, 0, sizeof v4);
			v4.family = 4;
			memcpy(v4.ip, b + 12, 4);
			return (sw_addr_is_private(&v4));
		}
		return (0);
	}
	return (0);
}

/* Clear the bits of IP beyond the first BITS. */
static void
sw_addr_mask(uint8_t *ip, unsigned bits, unsigned total)
{
	unsigned	i;

	for (i = 0; i < total / 8; i++) {
		if (bits >= (i + 1) * 8)
			continue;
		if (bits <= i * 8)
			ip[i] = 0;
		else
			ip[i] &= (uint8_t)(0xff << (8 - (bits - i * 8)));
	}
}

int
sw_cidr_parse(const char *s, struct sw_cidr *c)
{
	char		 buf[INET6_ADDRSTRLEN + 8], *slash, *ep;
	unsigned long	 bits;
	unsigned	 max;

	memset(c, 0, sizeof *c);
	if (strlen(s) >= sizeof buf)
		return (-1);
	memcpy(buf, s, strlen(s) + 1);
	if ((slash = strchr(buf, '/')) != NULL)
		*slash = '\0';
	if (sw_addr_parse(buf, &c->net) == -1 || c->net.port != 0 ||
	    buf[0] == '[') {
		memset(c, 0, sizeof *c);
		return (-1);
	}
	max = c->net.family == 6 ? 128 : 32;
	bits = max;
	if (slash != NULL) {
		if (slash[1] < '0' || slash[1] > '9' || strlen(slash + 1) > 3)
			return (-1);
		bits = strtoul(slash + 1, &ep, 10);
		if (*ep != '\0' || bits > max) {
			memset(c, 0, sizeof *c);
			return (-1);
		}
	}
	c->bits = (uint8_t)bits;
	sw_addr_mask(c->net.ip, c->bits, max);
	return (0);
}

int
sw_cidr_match(const struct sw_cidr *c, const struct sw_addr *a)
{
	uint8_t		ip[16];
	unsigned	max;

	if (a->family != c->net.family || a->family == 0)
		return (0);
	max = a->family == 6 ? 128 : 32;
	memcpy(ip, a->ip, sizeof ip);
	sw_addr_mask(ip, c->bits, max);
	return (memcmp(ip, c->net.ip, max / 8) == 0);
}

char *
sw_addr_format_net(const struct sw_addr *a, char *buf, size_t len)
{
	struct sw_addr	n = *a;
	char		ip[INET6_ADDRSTRLEN];
	unsigned	bits = a->family == 6 ? 48 : 24;

	sw_addr_mask(n.ip, bits, a->family == 6 ? 128 : 32);
	sw_addr_format_ip(&n, ip, sizeof ip);
	snprintf(buf, len, "%s/%u", ip, bits);
	return (buf);
}
