/*
 * hostport.c: "HOST:PORT" and "[IPV6]:PORT".
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/hostport.h"
#include "core/xmalloc.h"

static int
hostport_split(const char *hp, const char *what, int any, char **host,
    char **port, char **cause)
{
	const char	*colon, *end;
	size_t		 i, n;

	*host = *port = NULL;
	if (*hp == '[') {
		if ((end = strchr(hp, ']')) == NULL || end[1] != ':') {
			*cause = xasprintf("%s: bad IPv6 address", what);
			return (-1);
		}
		*host = xstrndup(hp + 1, (size_t)(end - hp - 1));
		colon = end + 1;
		any = 0;	/* "[]:PORT" is a mistake, not every address */
	} else {
		if ((colon = strrchr(hp, ':')) == NULL) {
			*cause = xasprintf("%s: no port", what);
			return (-1);
		}
		*host = xstrndup(hp, (size_t)(colon - hp));
	}
	n = strlen(colon + 1);
	if (n == 0 || n > 5 || (**host == '\0' && !any))
		goto bad;
	for (i = 0; i < n; i++)
		if (colon[1 + i] < '0' || colon[1 + i] > '9')
			goto bad;
	if (atoi(colon + 1) < 1 || atoi(colon + 1) > 65535)
		goto bad;
	*port = xstrdup(colon + 1);
	if (**host == '\0') {
		free(*host);
		*host = NULL;
	}
	return (0);
bad:
	*cause = xasprintf("%s: expected HOST:PORT with a port in 1..65535",
	    what);
	free(*host);
	*host = NULL;
	return (-1);
}

int
hostport_parse(const char *hp, const char *what, char **host, char **port,
    char **cause)
{
	return (hostport_split(hp, what, 0, host, port, cause));
}

int
hostport_parse_listen(const char *hp, const char *what, char **host,
    char **port, char **cause)
{
	return (hostport_split(hp, what, 1, host, port, cause));
}
