/*
 * sdpdump.c: the SDP bodies of a capture as sipwatch reads them, one line
 * per SIP message whose Content-Type is application/sdp, in the shape of
 * `tshark -T fields -e frame.number -e sdp.media.media -e sdp.media.port
 * -e sdp.media.proto -e sdp.connection_info.address` (values of one
 * field joined by commas), for tests/oracle/sdp-vs-tshark.sh:
 *
 *   FRAME <tab> MEDIA,... <tab> PORT,... <tab> PROTO,... <tab> C-ADDR,...
 *
 * or FRAME <tab> "error" <tab> the parse error when the body is refused,
 * FRAME <tab> "-" for a SIP message without SDP, FRAME <tab> "sip-error"
 * for one osip2 refused (so that the comparison knows which frames
 * sipwatch decoded).  A message split over TCP segments or IP fragments
 * carries the number of the frame that completed it, as tshark's does.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "decode/decode.h"
#include "sip/sip.h"
#include "sip/sip-sdp.h"

static unsigned long	frame;
static struct capture	*cap;
static struct decode_ctx *dec;

static void
join(const char *sep, const struct sip_str *s, int *first)
{
	printf("%s%.*s", *first ? "" : sep, (int)s->len, s->s != NULL ? s->s :
	    "");
	*first = 0;
}

static void
dump(const struct sip_sdp *sdp)
{
	unsigned	i;
	int		first;

	printf("%lu\t", frame);
	for (first = 1, i = 0; i < sdp->nmedia; i++)
		join(",", &sdp->media[i].media, &first);
	printf("\t");
	for (i = 0; i < sdp->nmedia; i++)
		printf("%s%u", i ? "," : "", sdp->media[i].port);
	printf("\t");
	for (first = 1, i = 0; i < sdp->nmedia; i++)
		join(",", &sdp->media[i].proto, &first);
	printf("\t");
	/* The c= lines in the order they appear: session, then media. */
	first = 1;
	if (sdp->conn_text.s != NULL)
		join(",", &sdp->conn_text, &first);
	for (i = 0; i < sdp->nmedia; i++) {
		if (!(sdp->media[i].flags & SDP_M_CONN_SESSION) &&
		    sdp->media[i].conn.s != NULL)
			join(",", &sdp->media[i].conn, &first);
	}
	printf("\n");
}

static void
deliver(const struct decode_pkt *pkt, void *arg)
{
	struct sip_msg	*msg;
	struct sip_sdp	*sdp;
	enum sip_error	 err;
	enum sdp_error	 serr;

	(void)arg;
	if (sip_detect(pkt->payload, pkt->len, NULL) != SIP_DETECT_REQUEST &&
	    sip_detect(pkt->payload, pkt->len, NULL) != SIP_DETECT_RESPONSE)
		return;
	if (sip_parse(pkt->payload, pkt->len, &msg, &err) != 0) {
		printf("%lu\tsip-error\n", frame);
		return;
	}
	if (sip_str_eq(&msg->content_type, "application/sdp") &&
	    msg->body_len > 0) {
		if (sip_sdp_parse(msg->body, msg->body_len, &sdp, &serr) == 0) {
			dump(sdp);
			sip_sdp_free(sdp);
		} else
			printf("%lu\terror\t%s\n", frame, sdp_error_name(serr));
	} else
		printf("%lu\t-\n", frame);
	sip_msg_free(msg);
}

static void
packet(int64_t ts, const uint8_t *data, size_t caplen, size_t wirelen,
    void *arg)
{
	(void)arg;
	frame++;
	(void)decode_frame(dec, capture_datalink(cap), ts, data, caplen,
	    wirelen, deliver, NULL);
}

int
main(int argc, char **argv)
{
	struct capture_opts	 o;
	char			*cause = NULL;
	int			 n;

	if (argc != 2) {
		fprintf(stderr, "usage: sdpdump capture\n");
		return (2);
	}
	sip_global_init();
	memset(&o, 0, sizeof o);
	o.file = argv[1];
	if ((cap = capture_open(&o, &cause)) == NULL) {
		fprintf(stderr, "sdpdump: %s\n", cause);
		free(cause);
		return (1);
	}
	dec = decode_create();
	while ((n = capture_dispatch(cap, 1024, packet, NULL, &cause)) >= 0)
		;
	if (n == CAPTURE_ERROR) {
		fprintf(stderr, "sdpdump: %s\n", cause);
		free(cause);
	}
	decode_flush(dec, 0, deliver, NULL);
	decode_destroy(dec);
	capture_close(cap);
	sip_thread_done();
	return (n == CAPTURE_ERROR ? 1 : 0);
}
