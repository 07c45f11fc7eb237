/*
 * capture-pcap.c: the libpcap back end of capture.h.
 */
#include "config.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capture/capture.h"
#include "core/log.h"
#include "core/xmalloc.h"

#define CAPTURE_SNAPLEN_DEFAULT	262144
#define CAPTURE_IOBUF		(1024 * 1024)

struct capture {
	pcap_t			*p;
	int			 live;
	int			 dlt;
	uint64_t		 file_size;
	FILE			*fp;		/* the open file (offline) */
	char			*iobuf;		/* its stdio buffer */
	capture_packet_fn	*cb;
	void			*arg;
};

static void
capture_handler(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	struct capture	*cap = (struct capture *)user;
	int64_t		 ts;

	ts = (int64_t)h->ts.tv_sec * 1000000 + (int64_t)h->ts.tv_usec;
	cap->cb(ts, data, h->caplen, h->len, cap->arg);
}

static int
capture_set_filter(struct capture *cap, const char *device, const char *filter,
    char **cause)
{
	struct bpf_program	 prog;
	bpf_u_int32		 net = 0, mask = PCAP_NETMASK_UNKNOWN;
	char			 errbuf[PCAP_ERRBUF_SIZE];

	if (filter == NULL || *filter == '\0')
		return (0);
	if (device != NULL && pcap_lookupnet(device, &net, &mask, errbuf) == -1)
		mask = PCAP_NETMASK_UNKNOWN;
	if (pcap_compile(cap->p, &prog, filter, 1, mask) == -1) {
		*cause = xasprintf("bad filter \"%s\": %s", filter,
		    pcap_geterr(cap->p));
		return (-1);
	}
	if (pcap_setfilter(cap->p, &prog) == -1) {
		*cause = xasprintf("cannot set filter: %s", pcap_geterr(cap->p));
		pcap_freecode(&prog);
		return (-1);
	}
	pcap_freecode(&prog);
	return (0);
}

static struct capture *
capture_open_live(const struct capture_opts *o, char **cause)
{
	struct capture	*cap;
	char		 errbuf[PCAP_ERRBUF_SIZE];
	int		 r;

	errbuf[0] = '\0';
	cap = xcalloc(1, sizeof *cap);
	cap->live = 1;
	if ((cap->p = pcap_create(o->device, errbuf)) == NULL) {
		*cause = xasprintf("%s: %s", o->device, errbuf);
		free(cap);
		return (NULL);
	}
	pcap_set_snaplen(cap->p, o->snaplen > 0 ? o->snaplen :
	    CAPTURE_SNAPLEN_DEFAULT);
	pcap_set_promisc(cap->p, o->promisc);
	pcap_set_immediate_mode(cap->p, 1);
	pcap_set_tstamp_precision(cap->p, PCAP_TSTAMP_PRECISION_MICRO);
	if (o->buffer_mib > 0)
		pcap_set_buffer_size(cap->p, o->buffer_mib * 1024 * 1024);
	r = pcap_activate(cap->p);
	if (r < 0) {
		if (r == PCAP_ERROR)
			*cause = xasprintf("%s: %s", o->device,
			    pcap_geterr(cap->p));
		else
			*cause = xasprintf("%s: %s (%s)", o->device,
			    pcap_statustostr(r), pcap_geterr(cap->p));
		pcap_close(cap->p);
		free(cap);
		return (NULL);
	}
	if (r > 0)
		log_warnx("%s: %s (%s)", o->device, pcap_statustostr(r),
		    pcap_geterr(cap->p));
	if (pcap_setnonblock(cap->p, 1, errbuf) == -1)
		log_warnx("%s: cannot set non-blocking mode: %s", o->device,
		    errbuf);
	if (capture_set_filter(cap, o->device, o->filter, cause) == -1) {
		pcap_close(cap->p);
		free(cap);
		return (NULL);
	}
	cap->dlt = pcap_datalink(cap->p);
	return (cap);
}

static struct capture *
capture_open_file(const struct capture_opts *o, char **cause)
{
	struct capture	*cap;
	struct stat	 sb;
	char		 errbuf[PCAP_ERRBUF_SIZE];
	FILE		*fp;

	errbuf[0] = '\0';
	if (o->stream != NULL)
		fp = o->stream;
	else if (strcmp(o->file, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(o->file, "rb")) == NULL) {
		*cause = xasprintf("%s: %s", o->file, strerror(errno));
		return (NULL);
	}
	cap = xcalloc(1, sizeof *cap);
	/*
	 * Large reads: one syscall per MiB rather than per 4 KiB.  glibc
	 * ignores the size unless it is given the buffer itself.
	 */
	if (o->stream == NULL) {
		cap->iobuf = xmalloc(CAPTURE_IOBUF);
		(void)setvbuf(fp, cap->iobuf, _IOFBF, CAPTURE_IOBUF);
	}
	if (fp != stdin && fstat(fileno(fp), &sb) == 0 && S_ISREG(sb.st_mode))
		cap->file_size = (uint64_t)sb.st_size;
	cap->p = pcap_fopen_offline_with_tstamp_precision(fp,
	    PCAP_TSTAMP_PRECISION_MICRO, errbuf);
	if (cap->p == NULL) {
		*cause = xasprintf("%s: %s", o->file != NULL ? o->file : "stream",
		    errbuf);
		if (fp != stdin)
			fclose(fp);
		free(cap->iobuf);
		free(cap);
		return (NULL);
	}
	cap->fp = fp;
	if (capture_set_filter(cap, NULL, o->filter, cause) == -1) {
		pcap_close(cap->p);
		free(cap->iobuf);
		free(cap);
		return (NULL);
	}
	cap->dlt = pcap_datalink(cap->p);
	return (cap);
}

struct capture *
capture_open(const struct capture_opts *o, char **cause)
{
	*cause = NULL;
	if (o->file != NULL || o->stream != NULL)
		return (capture_open_file(o, cause));
	if (o->device != NULL)
		return (capture_open_live(o, cause));
	*cause = xstrdup("no interface (-i) or file (-r) given");
	return (NULL);
}

int
capture_datalink(const struct capture *cap)
{
	return (cap->dlt);
}

int
capture_is_live(const struct capture *cap)
{
	return (cap->live);
}

void
capture_progress(const struct capture *cap, uint64_t *done, uint64_t *total)
{
	long	off;

	*done = 0;
	*total = cap->file_size;
	if (cap->live || cap->fp == NULL || cap->file_size == 0)
		return;
	if ((off = ftell(cap->fp)) > 0)
		*done = (uint64_t)off;
}

int
capture_fd(const struct capture *cap)
{
	if (!cap->live)
		return (-1);
	return (pcap_get_selectable_fd(cap->p));
}

int
capture_dispatch(struct capture *cap, int max, capture_packet_fn *cb,
    void *arg, char **cause)
{
	int	n;

	*cause = NULL;
	cap->cb = cb;
	cap->arg = arg;
	n = pcap_dispatch(cap->p, max, capture_handler, (u_char *)cap);
	if (n == PCAP_ERROR_BREAK)
		return (CAPTURE_BREAK);
	if (n == PCAP_ERROR) {
		*cause = xasprintf("%s", pcap_geterr(cap->p));
		return (CAPTURE_ERROR);
	}
	if (n == 0 && !cap->live)
		return (CAPTURE_EOF);
	return (n);
}

void
capture_breakloop(struct capture *cap)
{
	pcap_breakloop(cap->p);
}

int
capture_stats(struct capture *cap, uint64_t *drops, uint64_t *ifdrops)
{
	struct pcap_stat	ps;

	*drops = *ifdrops = 0;
	if (!cap->live)
		return (-1);
	if (pcap_stats(cap->p, &ps) == -1)
		return (-1);
	*drops = ps.ps_drop;
	*ifdrops = ps.ps_ifdrop;
	return (0);
}

void
capture_close(struct capture *cap)
{
	if (cap == NULL)
		return;
	pcap_close(cap->p);	/* closes the FILE too */
	free(cap->iobuf);
	free(cap);
}

char *
capture_default_device(char **cause)
{
	pcap_if_t	*devs = NULL;
	char		 errbuf[PCAP_ERRBUF_SIZE];
	char		*name;

	if (pcap_findalldevs(&devs, errbuf) == -1) {
		*cause = xasprintf("%s", errbuf);
		return (NULL);
	}
	if (devs == NULL) {
		*cause = xstrdup("no capture device found (try -i NAME as root)");
		return (NULL);
	}
	name = xstrdup(devs->name);
	pcap_freealldevs(devs);
	return (name);
}

int
capture_list_devices(char **cause)
{
	pcap_if_t	*devs = NULL, *d;
	char		 errbuf[PCAP_ERRBUF_SIZE];
	int		 i = 1;

	if (pcap_findalldevs(&devs, errbuf) == -1) {
		*cause = xasprintf("%s", errbuf);
		return (-1);
	}
	for (d = devs; d != NULL; d = d->next, i++) {
		printf("%d.%s", i, d->name);
		if (d->description != NULL)
			printf(" (%s)", d->description);
		if (d->flags & PCAP_IF_LOOPBACK)
			printf(" [Loopback]");
		printf("\n");
	}
	pcap_freealldevs(devs);
	return (0);
}
