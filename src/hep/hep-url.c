/*
 * hep-url.c: the "udp://HOST:PORT" / "tcp://HOST:PORT" notation of --hep
 * and --hep-listen.
 */
#include "config.h"

#include <string.h>

#include "core/hostport.h"
#include "core/xmalloc.h"
#include "hep/hep.h"

int
hep_url_parse(const char *url, int *tcp, char **host, char **port,
    char **cause)
{
	const char	*p;

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
	return (hostport_parse(p, url, host, port, cause));
}
