/*
 * udperr.c: datagrams a connected UDP socket lost, from the ICMP errors
 * the kernel queues for it (udperr.h).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <linux/errqueue.h>

#include <errno.h>
#include <poll.h>
#include <string.h>

#include "core/udperr.h"

int
sw_udperr_enable(int fd, int family)
{
	int	one = 1;

	if (family == AF_INET6)
		return (setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &one,
		    sizeof one));
	return (setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof one));
}

unsigned
sw_udperr_read(int fd)
{
	struct msghdr		 msg;
	struct iovec		 iov;
	struct cmsghdr		*c;
	struct sock_extended_err ee;
	char			 data[64];
	union {
		char		buf[512];
		struct cmsghdr	align;
	}			 ctl;
	unsigned		 n = 0, i;

	/* Bounded: the queue holds at most a socket buffer of errors. */
	for (i = 0; i < 65536; i++) {
		memset(&msg, 0, sizeof msg);
		iov.iov_base = data;
		iov.iov_len = sizeof data;
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = ctl.buf;
		msg.msg_controllen = sizeof ctl.buf;
		if (recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) == -1) {
			if (errno == EINTR)
				continue;
			break;		/* EAGAIN: the queue is empty */
		}
		for (c = CMSG_FIRSTHDR(&msg); c != NULL;
		    c = CMSG_NXTHDR(&msg, c)) {
			if (!((c->cmsg_level == IPPROTO_IP &&
			    c->cmsg_type == IP_RECVERR) ||
			    (c->cmsg_level == IPPROTO_IPV6 &&
			    c->cmsg_type == IPV6_RECVERR)))
				continue;
			if (c->cmsg_len < CMSG_LEN(sizeof ee))
				continue;
			memcpy(&ee, CMSG_DATA(c), sizeof ee);
			/* Local errors were send(2)'s own, counted there. */
			if (ee.ee_origin == SO_EE_ORIGIN_ICMP ||
			    ee.ee_origin == SO_EE_ORIGIN_ICMP6)
				n++;
		}
	}
	return (n);
}

void
sw_udperr_sent(struct sw_udperr *u)
{
	u->cur++;
}

unsigned
sw_udperr_settle(struct sw_udperr *u, unsigned refused, int64_t now,
    int final, uint64_t *sent, uint64_t *failed)
{
	uint64_t	r = refused, k;

	/* The oldest datagrams were refused first. */
	k = r < u->prev ? r : u->prev;
	u->prev -= k;
	r -= k;
	k = r < u->cur ? r : u->cur;
	u->cur -= k;
	r -= k;
	*failed += refused - r;
	if (final) {
		*sent += u->prev + u->cur;
		u->prev = u->cur = 0;
	} else if (now - u->period_ms >= SW_UDPERR_CONFIRM_MS) {
		*sent += u->prev;
		u->prev = u->cur;
		u->cur = 0;
		u->period_ms = now;
	}
	return ((unsigned)(refused - r));
}

uint64_t
sw_udperr_pending(const struct sw_udperr *u)
{
	return (u->prev + u->cur);
}

void
sw_udperr_wait(int fd, const struct sockaddr *sa)
{
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;
	struct pollfd			 pfd;

	if (sa->sa_family == AF_INET) {
		sin = (const struct sockaddr_in *)sa;
		if ((ntohl(sin->sin_addr.s_addr) >> 24) == 127)
			return;
	} else if (sa->sa_family == AF_INET6) {
		sin6 = (const struct sockaddr_in6 *)sa;
		if (IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr) ||
		    (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr) &&
		    sin6->sin6_addr.s6_addr[12] == 127))
			return;
	}
	pfd.fd = fd;
	pfd.events = 0;		/* POLLERR: an error queued */
	(void)poll(&pfd, 1, SW_UDPERR_WAIT_MS);
}
