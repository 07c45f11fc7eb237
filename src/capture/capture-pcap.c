/*
 * capture-pcap.c: the libpcap back end of capture.h.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <linux/if_packet.h>
#include <net/if.h>

#include <errno.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "capture/capture-int.h"
#include "core/log.h"
#include "core/xmalloc.h"

#define CAPTURE_SNAPLEN_DEFAULT	CAPTURE_SNAPLEN_MAX
#define CAPTURE_IOBUF		(1024 * 1024)
#define CAPTURE_NG_FILTERS	8	/* link types filtered (pcapng reader) */
#define CAPTURE_NG_BATCH	1024	/* packets per dispatch (pcapng reader) */

/* The BPF filter compiled for one link type (pcapng reader). */
struct capture_ngfilter {
	int			 dlt;
	int			 ok;		/* compiled */
	struct bpf_program	 prog;
};

struct capture {
	pcap_t			*p;
	int			 live;
	const char		*drops_note;	/* capture_drops_note() */
	int			 dlt;
	uint64_t		 file_size;
	FILE			*fp;		/* the open file (offline) */
	char			*iobuf;		/* its stdio buffer */
	capture_packet_fn	*cb;
	void			*arg;
	/* Mixed link types: our pcapng reader instead of libpcap's. */
	char			*path;		/* the file, to read it again */
	uint64_t		 delivered;	/* packets handed on by libpcap */
	struct pcapng_rd	*ng;
	volatile int		 ng_break;
	char			*ng_filter;
	struct capture_ngfilter	 ng_filters[CAPTURE_NG_FILTERS];
	unsigned		 ng_nfilters;
};

/*
 * A libpcap timestamp in µs since the epoch.  The seconds of a pcap
 * record are an unsigned 32-bit number (the pcap file format,
 * draft-ietf-opsawg-pcap section 5: valid until 2106), but libpcap reads
 * them through a signed 32-bit field (struct pcap_timeval), so times from
 * 2038-01-19T03:14:08Z on come out negative.  Nothing else gives a
 * negative time (a live capture has the kernel's clock, pcapng 64-bit
 * units), so such a value is taken back as the unsigned number it was.
 */
static int64_t
capture_ts_us(const struct timeval *tv)
{
	int64_t	sec = (int64_t)tv->tv_sec;

	if (sec < 0 && sec >= INT32_MIN)
		sec = (int64_t)(uint32_t)sec;
	return (sec * 1000000 + (int64_t)tv->tv_usec);
}

static void
capture_handler(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	struct capture	*cap = (struct capture *)user;
	int64_t		 ts;

	ts = capture_ts_us(&h->ts);
	cap->delivered++;
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

/*
 * A looped packet passes the loopback interface twice: once outgoing,
 * once incoming.  libpcap hands on only the incoming copy, but both take
 * ring space and both are counted in ps_drop when the ring is full.  On
 * the loopback interface itself the kernel can skip the outgoing copy
 * (PACKET_IGNORE_OUTGOING, Linux 4.20): half the ring use, and drops
 * that count packets lost.  On "any" it cannot (outgoing packets of the
 * other interfaces are wanted).  Sets cap->drops_note.
 */
static void
capture_loopback_once(struct capture *cap, const char *device)
{
	struct ifreq	ifr;
	int		one = 1, fd = pcap_fileno(cap->p);

	if (strcmp(device, "any") == 0) {
		cap->drops_note = "on \"any\" a packet between two local "
		    "sockets is seen twice (sent and received on lo): both "
		    "copies count when dropped, so loopback losses count "
		    "twice";
		return;
	}
	memset(&ifr, 0, sizeof ifr);
	if (strlen(device) >= sizeof ifr.ifr_name)
		return;
	memcpy(ifr.ifr_name, device, strlen(device));
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == -1 ||
	    (ifr.ifr_flags & IFF_LOOPBACK) == 0)
		return;
	if (setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
	    sizeof one) == -1) {
		log_debug("%s: PACKET_IGNORE_OUTGOING: %s", device,
		    strerror(errno));
		cap->drops_note = "each packet on the loopback interface is "
		    "seen twice (sent and received): both copies count when "
		    "dropped, so losses count twice";
	}
}

static struct capture *
capture_open_live(const struct capture_opts *o, char **cause)
{
	struct capture	*cap;
	char		 errbuf[PCAP_ERRBUF_SIZE];
	int		 r, mib;

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
	/*
	 * Not immediate mode: libpcap then uses TPACKET_V3, whose blocks
	 * hold packets packed one after the other, so the ring holds as
	 * many packets as their bytes allow.  Immediate mode gives every
	 * packet a slot the size of the snap length (or of the interface
	 * MTU, 64 KiB on lo): the ring then held about 30 packets.  The
	 * price is CAPTURE_HOLD_MS of delay on a quiet link.
	 */
	pcap_set_timeout(cap->p, CAPTURE_HOLD_MS);
	pcap_set_tstamp_precision(cap->p, PCAP_TSTAMP_PRECISION_MICRO);
	mib = o->buffer_mib > 0 ? o->buffer_mib : CAPTURE_BUFFER_MIB_DEFAULT;
	if (mib > CAPTURE_BUFFER_MIB_MAX) {
		*cause = xasprintf("%s: a buffer of %d MiB is more than the "
		    "%d MiB libpcap can take", o->device, mib,
		    CAPTURE_BUFFER_MIB_MAX);
		pcap_close(cap->p);
		free(cap);
		return (NULL);
	}
	pcap_set_buffer_size(cap->p, mib * 1024 * 1024);
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
	capture_loopback_once(cap, o->device);
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

/*
 * Does the packet pass the filter?  It is compiled once per link type
 * (at most CAPTURE_NG_FILTERS; packets of further types pass).
 */
static int
capture_ng_match(struct capture *cap, const struct capture_pkt *pkt)
{
	struct capture_ngfilter	*f;
	struct pcap_pkthdr	 h;
	pcap_t			*dead;
	unsigned		 i;

	if (cap->ng_filter == NULL || pkt->dlt < 0)
		return (1);
	for (i = 0; i < cap->ng_nfilters; i++) {
		if (cap->ng_filters[i].dlt == pkt->dlt)
			break;
	}
	if (i == cap->ng_nfilters) {
		if (i >= CAPTURE_NG_FILTERS)
			return (1);
		f = &cap->ng_filters[cap->ng_nfilters++];
		f->dlt = pkt->dlt;
		if ((dead = pcap_open_dead(pkt->dlt, 262144)) != NULL) {
			f->ok = pcap_compile(dead, &f->prog, cap->ng_filter, 1,
			    PCAP_NETMASK_UNKNOWN) == 0;
			if (!f->ok)
				log_warnx("filter \"%s\" not valid for link "
				    "type %d: %s", cap->ng_filter, pkt->dlt,
				    pcap_geterr(dead));
			pcap_close(dead);
		}
	}
	f = &cap->ng_filters[i];
	if (!f->ok)
		return (0);
	memset(&h, 0, sizeof h);
	h.caplen = pkt->caplen;
	h.len = pkt->wirelen;
	return (pcap_offline_filter(&f->prog, &h, pkt->data) != 0);
}

/*
 * libpcap stopped reading a pcapng file at an interface whose link type
 * differs from the first one's (libpcap 1.10 reads one link type per
 * file).  Read the file again with our own reader, skipping the packets
 * libpcap already handed on.  Returns 0, or -1 (*CAUSE set) when the
 * file cannot be read again (standard input, a stream).
 */
static int
capture_switch_pcapng(struct capture *cap, char **cause)
{
	struct capture_pkt	 pkt;
	uint64_t		 skip = cap->delivered;
	FILE			*fp;
	int			 dlt, r;

	if (cap->path == NULL) {
		*cause = xstrdup("pcapng with interfaces of different link "
		    "types cannot be read from a pipe: give the file name");
		return (-1);
	}
	if ((fp = fopen(cap->path, "rb")) == NULL) {
		*cause = xasprintf("%s: %s", cap->path, strerror(errno));
		return (-1);
	}
	pcap_close(cap->p);		/* and libpcap's FILE, freeing IOBUF */
	cap->p = NULL;
	cap->fp = NULL;
	if (cap->iobuf != NULL)
		(void)setvbuf(fp, cap->iobuf, _IOFBF, CAPTURE_IOBUF);
	if ((cap->ng = pcapng_open(fp, &dlt, cause)) == NULL) {
		fclose(fp);
		return (-1);
	}
	cap->fp = fp;
	cap->dlt = dlt;
	while (skip > 0) {
		if ((r = pcapng_next(cap->ng, &pkt, cause)) != 1) {
			if (r == 0)
				*cause = xstrdup("pcapng: shorter on a second "
				    "read");
			return (-1);
		}
		if (capture_ng_match(cap, &pkt))
			skip--;
	}
	log_debug("%s: interfaces of different link types: read without "
	    "libpcap from packet %llu on", cap->path,
	    (unsigned long long)cap->delivered + 1);
	return (0);
}

/* capture_dispatch() for the pcapng reader. */
static int
capture_ng_dispatch(struct capture *cap, int max, char **cause)
{
	struct capture_pkt	pkt;
	int			n = 0, r;

	if (max <= 0)
		max = CAPTURE_NG_BATCH;
	while (n < max) {
		if (cap->ng_break) {
			cap->ng_break = 0;
			return (CAPTURE_BREAK);
		}
		if ((r = pcapng_next(cap->ng, &pkt, cause)) == -1)
			return (CAPTURE_ERROR);
		if (r == 0)
			return (n == 0 ? CAPTURE_EOF : n);
		if (!capture_ng_match(cap, &pkt))
			continue;
		cap->dlt = pkt.dlt;
		cap->cb(pkt.ts_us, pkt.data, pkt.caplen, pkt.wirelen, cap->arg);
		n++;
	}
	return (n);
}

/*
 * When libpcap refused the file FP as "unknown file format", what the file
 * is and what to do about it, from its first bytes; NULL when unknown or
 * when FP cannot be read again (a pipe).
 */
static const char *
capture_format_hint(FILE *fp)
{
	static const struct {
		const char	*magic;
		size_t		 len;
		const char	*hint;
	} known[] = {
		{ "GMBU", 4, "a Microsoft Network Monitor 2 capture, which "
		    "libpcap cannot read; convert it with Wireshark's "
		    "`editcap -F pcapng FILE OUT.pcapng`" },
		{ "RTSS", 4, "a Microsoft Network Monitor 1 capture, which "
		    "libpcap cannot read; convert it with Wireshark's "
		    "`editcap -F pcapng FILE OUT.pcapng`" },
		{ "snoop\0\0\0", 8, "a Solaris snoop capture, which libpcap "
		    "cannot read; convert it with Wireshark's "
		    "`editcap -F pcapng FILE OUT.pcapng`" },
		{ "\x1f\x8b", 2, "a gzip-compressed file; read it with "
		    "`zcat FILE | sipwatch -r -`" },
	};
	unsigned char	b[8];
	size_t		n, i;

	if (fp == stdin || fseek(fp, 0, SEEK_SET) != 0)
		return (NULL);
	n = fread(b, 1, sizeof b, fp);
	for (i = 0; i < sizeof known / sizeof known[0]; i++) {
		if (n >= known[i].len &&
		    memcmp(b, known[i].magic, known[i].len) == 0)
			return (known[i].hint);
	}
	return (NULL);
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
		const char	*hint = capture_format_hint(fp);

		*cause = xasprintf("%s: %s%s%s%s", o->file != NULL ? o->file :
		    "stream", errbuf, hint != NULL ? " (" : "",
		    hint != NULL ? hint : "", hint != NULL ? ")" : "");
		if (fp != stdin)
			fclose(fp);
		free(cap->iobuf);
		free(cap);
		return (NULL);
	}
	cap->fp = fp;
	if (o->stream == NULL && fp != stdin)
		cap->path = xstrdup(o->file);
	if (o->filter != NULL && *o->filter != '\0')
		cap->ng_filter = xstrdup(o->filter);
	if (capture_set_filter(cap, NULL, o->filter, cause) == -1) {
		capture_close(cap);	/* the FILE, path and filter too */
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
	if (cap->ng != NULL)
		return (capture_ng_dispatch(cap, max, cause));
	n = pcap_dispatch(cap->p, max, capture_handler, (u_char *)cap);
	if (n == PCAP_ERROR_BREAK)
		return (CAPTURE_BREAK);
	if (n == PCAP_ERROR && !cap->live && strstr(pcap_geterr(cap->p),
	    "different from the type of the first interface") != NULL) {
		if (capture_switch_pcapng(cap, cause) == -1)
			return (CAPTURE_ERROR);
		return (capture_ng_dispatch(cap, max, cause));
	}
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
	if (cap->ng != NULL)
		cap->ng_break = 1;
	else
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

const char *
capture_drops_note(const struct capture *cap)
{
	return (cap->live ? cap->drops_note : NULL);
}

int
capture_hold_ms(const struct capture *cap)
{
	return (cap->live ? CAPTURE_HOLD_MS : 0);
}

void
capture_close(struct capture *cap)
{
	unsigned	i;

	if (cap == NULL)
		return;
	if (cap->ng != NULL) {
		for (i = 0; i < cap->ng_nfilters; i++) {
			if (cap->ng_filters[i].ok)
				pcap_freecode(&cap->ng_filters[i].prog);
		}
		pcapng_close(cap->ng);
		fclose(cap->fp);
	} else if (cap->p != NULL)
		pcap_close(cap->p);	/* closes the FILE too */
	free(cap->ng_filter);
	free(cap->path);
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
