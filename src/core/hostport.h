/*
 * hostport.h: the "HOST:PORT" part of the udp:// and tcp:// addresses of
 * --hep, --hep-listen and --syslog-remote, and the address of --metrics.
 */
#ifndef SW_HOSTPORT_H
#define SW_HOSTPORT_H

/*
 * Split HP, "HOST:PORT" or "[IPV6]:PORT", into *HOST (without brackets)
 * and *PORT, both newly allocated (caller frees).  HOST must not be empty;
 * PORT is 1 to 5 decimal digits naming a port in 1..65535 (host order, as
 * text, for getaddrinfo(3)).  Returns 0, or -1 with *HOST and *PORT NULL
 * and *CAUSE set (caller frees), naming WHAT (the whole address as the
 * user wrote it).
 */
int	hostport_parse(const char *hp, const char *what, char **host,
	    char **port, char **cause);

/*
 * As hostport_parse(), for an address to listen on: HOST may also be
 * empty (":PORT"), which gives *HOST NULL (every address, for
 * getaddrinfo(3) with AI_PASSIVE).  Used by --metrics.
 */
int	hostport_parse_listen(const char *hp, const char *what, char **host,
	    char **port, char **cause);

#endif
