/*
 * hep-url.c: the "udp://HOST:PORT" / "tcp://HOST:PORT" notation of --hep
 * and --hep-listen.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "hep/hep.h"

int
hep_url_parse(const char *url, int *tcp, char **host, char **port,
    char **cause)
{
	const char	*p, *colon, *end;
	size_t		 i, n;

	*host = *port = NULL;
	if (strncmp(url, "udp:", 4) == 0)
		*tcp = 0;
	else if (strncmp(url, "tcp:", 4) == 0)
		*tcp = 1;
	else {
		*cause = xasprintf("%s: expected udp://HOST:PORT or "
		    "tcp://HOST:PORT", url);
		return (-1);
	}
	p = url + 4;
	if (strncmp(p, "//", 2) == 0)
		p += 2;
	if (*p == '[') {
		if ((end = strchr(p, ']')) == NULL || end[1] != ':') {
			*cause = xasprintf("%s: bad IPv6 address", url);
			return (-1);
		}
		*host = xstrndup(p + 1, (size_t)(end - p - 1));
		colon = end + 1;
	} else {
		if ((colon = strrchr(p, ':')) == NULL) {
			*cause = xasprintf("%s: no port", url);
			return (-1);
		}
		*host = xstrndup(p, (size_t)(colon - p));
	}
	n = strlen(colon + 1);
	if (n == 0 || n > 5 || **host == '\0')
		goto bad;
	for (i = 0; i < n; i++)
		if (colon[1 + i] < '0' || colon[1 + i] > '9')
			goto bad;
	if (atoi(colon + 1) < 1 || atoi(colon + 1) > 65535)
		goto bad;
	*port = xstrdup(colon + 1);
	return (0);
bad:
	*cause = xasprintf("%s: expected HOST:PORT with a port in 1..65535",
	    url);
	free(*host);
	*host = NULL;
	return (-1);
}
