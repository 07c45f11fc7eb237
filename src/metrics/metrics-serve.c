/*
 * metrics-serve.c: the /metrics endpoint (libmicrohttpd, on its own
 * thread) and the textfile (--metrics-file).
 *
 * The HTTP thread only ever copies the current text, under a mutex held
 * for that copy; the capture thread swaps a freshly rendered text in.
 * No live table is reachable from the HTTP thread.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "core/hostport.h"
#include "core/log.h"
#include "core/xmalloc.h"
#include "metrics/metrics.h"

#define METRICS_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

struct metrics {
	struct MHD_Daemon	*mhd;
	pthread_mutex_t		 mtx;
	char			*text;		/* current text, or NULL */
	size_t			 len;
	char			*file;
	struct timespec		 file_at;	/* last written (monotonic) */
	int			 file_written;
	int			 file_warned;
};

static enum MHD_Result
metrics_reply(struct MHD_Connection *c, unsigned code, const char *type,
    const char *body, size_t len)
{
	struct MHD_Response	*r;
	enum MHD_Result		 ret;

	r = MHD_create_response_from_buffer(len, (void *)body,
	    MHD_RESPMEM_MUST_COPY);
	if (r == NULL)
		return (MHD_NO);
	(void)MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return (ret);
}

/* The HTTP thread: GET /metrics. */
static enum MHD_Result
metrics_handler(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_len, void **state)
{
	static const char	 index[] = "sipwatch: metrics at /metrics\n";
	static const char	 notyet[] = "no metrics yet\n";
	static const char	 notfound[] = "not found: try /metrics\n";
	struct metrics		*m = cls;
	struct MHD_Response	*r;
	enum MHD_Result		 ret;

	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		r = MHD_create_response_from_buffer(0, NULL,
		    MHD_RESPMEM_PERSISTENT);
		if (r == NULL)
			return (MHD_NO);
		(void)MHD_add_response_header(r, "Allow", "GET, HEAD");
		ret = MHD_queue_response(c, MHD_HTTP_METHOD_NOT_ALLOWED, r);
		MHD_destroy_response(r);
		return (ret);
	}
	if (strcmp(url, "/") == 0)
		return (metrics_reply(c, MHD_HTTP_OK, "text/plain", index,
		    sizeof index - 1));
	if (strcmp(url, "/metrics") != 0)
		return (metrics_reply(c, MHD_HTTP_NOT_FOUND, "text/plain",
		    notfound, sizeof notfound - 1));
	pthread_mutex_lock(&m->mtx);
	if (m->text == NULL)
		ret = metrics_reply(c, MHD_HTTP_SERVICE_UNAVAILABLE,
		    "text/plain", notyet, sizeof notyet - 1);
	else
		ret = metrics_reply(c, MHD_HTTP_OK, METRICS_CONTENT_TYPE,
		    m->text, m->len);
	pthread_mutex_unlock(&m->mtx);
	return (ret);
}

/*
 * Bound and listening socket for LISTEN ("ADDR:PORT", "[V6]:PORT" or
 * ":PORT", a port in 1..65535: hostport_parse_listen()), or -1 with
 * *CAUSE set.
 */
static int
metrics_socket(const char *listen_on, char **cause)
{
	struct addrinfo	 hints, *res;
	char		*host, *port, *what;
	int		 fd, rc, on = 1;

	what = xasprintf("--metrics %s", listen_on);
	rc = hostport_parse_listen(listen_on, what, &host, &port, cause);
	free(what);
	if (rc == -1)
		return (-1);
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	rc = getaddrinfo(host, port, &hints, &res);
	free(host);
	free(port);
	if (rc != 0) {
		*cause = xasprintf("--metrics %s: %s", listen_on,
		    gai_strerror(rc));
		return (-1);
	}
	if ((fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) ==
	    -1) {
		*cause = xasprintf("--metrics %s: socket: %s", listen_on,
		    strerror(errno));
		freeaddrinfo(res);
		return (-1);
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	if (bind(fd, res->ai_addr, res->ai_addrlen) == -1 ||
	    listen(fd, 32) == -1) {
		*cause = xasprintf("--metrics %s: %s", listen_on,
		    strerror(errno));
		close(fd);
		freeaddrinfo(res);
		return (-1);
	}
	freeaddrinfo(res);
	return (fd);
}

struct metrics *
metrics_create(const char *listen_on, const char *file, char **cause)
{
	struct metrics	*m;
	int		 fd = -1;

	if (listen_on != NULL && (fd = metrics_socket(listen_on, cause)) == -1)
		return (NULL);
	m = xcalloc(1, sizeof *m);
	pthread_mutex_init(&m->mtx, NULL);
	if (file != NULL)
		m->file = xstrdup(file);
	if (fd != -1) {
		m->mhd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD,
		    0, NULL, NULL, metrics_handler, m,
		    MHD_OPTION_LISTEN_SOCKET, fd,
		    MHD_OPTION_CONNECTION_LIMIT, (unsigned)64,
		    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10,
		    MHD_OPTION_END);
		if (m->mhd == NULL) {
			*cause = xasprintf("--metrics %s: cannot start the "
			    "HTTP server", listen_on);
			close(fd);
			metrics_destroy(m);
			return (NULL);
		}
	}
	return (m);
}

/* Write the file: a temporary beside it, then rename(2).  0 or -1. */
static int
metrics_write_file(struct metrics *m)
{
	FILE	*f;
	char	*tmp;
	int	 ok;

	tmp = xasprintf("%s.%ld.tmp", m->file, (long)getpid());
	if ((f = fopen(tmp, "w")) == NULL) {
		free(tmp);
		return (-1);
	}
	ok = fwrite(m->text, 1, m->len, f) == m->len;
	if (fclose(f) != 0)
		ok = 0;
	if (!ok || rename(tmp, m->file) == -1) {
		(void)unlink(tmp);
		free(tmp);
		return (-1);
	}
	free(tmp);
	return (0);
}

void
metrics_publish(struct metrics *m, char *text, size_t len, int final)
{
	struct timespec	 now;
	char		*old;

	pthread_mutex_lock(&m->mtx);
	old = m->text;
	m->text = text;
	m->len = len;
	pthread_mutex_unlock(&m->mtx);
	free(old);

	if (m->file == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!final && m->file_written &&
	    now.tv_sec - m->file_at.tv_sec < METRICS_FILE_INTERVAL_S)
		return;
	/* Only this thread writes m->text: no lock needed to read it. */
	if (metrics_write_file(m) == -1) {
		if (!m->file_warned)
			log_warn("--metrics-file %s", m->file);
		m->file_warned = 1;
	} else
		m->file_warned = 0;
	m->file_at = now;
	m->file_written = 1;
}

void
metrics_destroy(struct metrics *m)
{
	if (m == NULL)
		return;
	if (m->mhd != NULL)
		MHD_stop_daemon(m->mhd);
	pthread_mutex_destroy(&m->mtx);
	free(m->text);
	free(m->file);
	free(m);
}
