/*
 * sip-sdp.h: SDP bodies (RFC 4566) as sipwatch sees them, for the
 * offer/answer model (RFC 3264).
 *
 * sip_sdp_parse() runs osip2's SDP parser (sdp_message_parse()) and copies
 * what sipwatch needs into a struct sip_sdp: per media line the address
 * (c= at media or session level), port, transport, payload formats with
 * their rtpmap/fmtp, ptime, direction, RTCP port and rtcp-mux, SRTP and
 * T.38.  No osip2 type appears here; sip-sdp.c is the only file besides
 * sip-parse.c that includes osip2.
 *
 * Bounded: at most SDP_MEDIA_KEEP media lines and SDP_FMT_KEEP formats per
 * line are kept, the totals are always exact; every string is a copy into
 * the parse's own block, cut (never overrun) if the block runs short.
 * Values that are present but unusable are tolerated and flagged in
 * `problems' (SDP_P_*), so that they can be counted.
 *
 * Pure: no shared mutable state, safe on several threads at once after
 * sip_global_init().
 */
#ifndef SW_SIP_SDP_H
#define SW_SIP_SDP_H

#include <stddef.h>
#include <stdint.h>

#include "core/addr.h"
#include "sip/sip.h"

#define SDP_MEDIA_KEEP	8	/* m= lines kept per body; more are counted */
#define SDP_FMT_KEEP	16	/* formats kept per m= line; more are counted */
#define SDP_BODY_MAX	SIP_MSG_MAX	/* larger bodies: SDP_ERR_TOO_LARGE */

/* Direction attribute (RFC 3264 5.1, 6.1; RFC 4566 6). */
enum sdp_dir {
	SDP_DIR_UNSET = 0,	/* no attribute (at this level) */
	SDP_DIR_SENDRECV,
	SDP_DIR_SENDONLY,
	SDP_DIR_RECVONLY,
	SDP_DIR_INACTIVE
};
/* "sendrecv" ...; "" for SDP_DIR_UNSET. */
const char	*sdp_dir_name(enum sdp_dir);

/* One payload format of a media line. */
struct sip_sdp_fmt {
	int		 pt;		/* RTP payload type 0..127; -1 when the
					   format is not a number (m=image t38) */
	struct sip_str	 name;		/* encoding name: a=rtpmap, else the RFC
					   3551 static name (then the string is
					   static, not in the block); NULL when
					   neither */
	uint32_t	 clock;		/* RTP clock rate, Hz; 0 unknown */
	unsigned	 channels;	/* audio channels (1 unless rtpmap says) */
	struct sip_str	 fmtp;		/* a=fmtp parameters, NULL absent */
};

/* Flags of a media line. */
#define SDP_M_RTP	0x0001	/* proto is RTP/... (RFC 3551, 3711, 4585, 5764) */
#define SDP_M_SECURE	0x0002	/* SRTP: SAVP/SAVPF proto (RFC 3711) */
#define SDP_M_AVPF	0x0004	/* RTCP feedback profile (RFC 4585) */
#define SDP_M_DTLS	0x0008	/* UDP/TLS/RTP/... (DTLS-SRTP, RFC 5764) */
#define SDP_M_UDPTL	0x0010	/* proto udptl (T.38 over UDPTL) */
#define SDP_M_T38	0x0020	/* m=image ... t38 (ITU-T T.38 Annex D) */
#define SDP_M_RTCP_MUX	0x0040	/* a=rtcp-mux (RFC 5761) */
#define SDP_M_CONN_SESSION 0x0080 /* address from the session-level c= */

/* One m= line (RFC 4566 5.14) with what applies to it. */
struct sip_sdp_media {
	struct sip_str	 media;		/* "audio", "video", "image" ... */
	uint16_t	 port;		/* host order; 0: stream rejected or
					   disabled (RFC 3264 6, 8.2) */
	unsigned	 nports;	/* m=<port>/<number>; 1 when absent */
	struct sip_str	 proto;		/* "RTP/AVP", "udptl" ... as written */
	unsigned	 flags;		/* SDP_M_* */
	struct sw_addr	 addr;		/* c= address (media level, else session
					   level) with PORT; family 0 when no
					   usable c= applies */
	struct sip_str	 conn;		/* that c= address as written (an FQDN
					   stays here, not in ADDR) */
	enum sdp_dir	 dir;		/* effective: media attribute, else
					   session attribute, else sendrecv */
	enum sdp_dir	 dir_attr;	/* media-level attribute only */
	unsigned	 ptime;		/* a=ptime, ms; 0 absent */
	unsigned	 maxptime;	/* a=maxptime, ms; 0 absent */
	uint16_t	 rtcp_port;	/* a=rtcp (RFC 3605); 0 absent (RTCP on
					   port + 1, RFC 3550 11) */
	struct sw_addr	 rtcp_addr;	/* a=rtcp address, family 0 absent */
	unsigned	 ncrypto;	/* a=crypto lines (RFC 4568) */
	struct sip_str	 crypto_suite;	/* the first one's suite, NULL absent */
	struct sip_sdp_fmt	 fmt[SDP_FMT_KEEP];
	unsigned	 nfmt;		/* formats kept (<= SDP_FMT_KEEP) */
	unsigned	 fmt_total;	/* formats on the m= line */
};

/* What was wrong in a body that still parsed (bits of sip_sdp.problems). */
enum sdp_problem {
	SDP_P_BAD_CONN = 0,	/* c= not an IP literal (FQDN or garbage) */
	SDP_P_NO_CONN,		/* a media line with no c= at either level */
	SDP_P_BAD_PORT,		/* m= port not a number in 0..65535 */
	SDP_P_BAD_RTPMAP,	/* a=rtpmap/fmtp that cannot be read */
	SDP_P_BAD_ATTR,		/* a=ptime/maxptime/rtcp value unusable */
	SDP_P_MEDIA_CAP,	/* more than SDP_MEDIA_KEEP media lines */
	SDP_P_FMT_CAP,		/* more than SDP_FMT_KEEP formats on a line */
	SDP_P_NUL,		/* a NUL byte: the body was read up to it */
	SDP_P_COUNT
};
/* Stable dotted name ("sdp.bad_conn") and a one-line explanation. */
const char	*sdp_problem_name(enum sdp_problem);
const char	*sdp_problem_text(enum sdp_problem);

struct sip_sdp {
	struct sip_str	 origin_user;	/* o= username */
	struct sip_str	 sess_id;	/* o= sess-id */
	uint64_t	 sess_version;	/* o= sess-version (RFC 3264 8: a new
					   offer increments it) */
	struct sw_addr	 origin_addr;	/* o= unicast address, family 0 when
					   not an IP literal */
	struct sw_addr	 conn;		/* session-level c=, family 0 absent
					   or not an IP literal */
	struct sip_str	 conn_text;	/* that c= address as written */
	enum sdp_dir	 dir;		/* session-level attribute */
	struct sip_sdp_media media[SDP_MEDIA_KEEP];
	unsigned	 nmedia;	/* media lines kept */
	unsigned	 media_total;	/* media lines in the body */
	unsigned	 problems;	/* 1 << SDP_P_* */
	int		 heap;		/* from sip_sdp_parse(): sip_sdp_free() */
};

enum sdp_error {
	SDP_ERR_NONE = 0,
	SDP_ERR_EMPTY,		/* no body */
	SDP_ERR_SYNTAX,		/* osip2's SDP parser rejected it */
	SDP_ERR_TOO_LARGE,	/* above SDP_BODY_MAX, or the buffer is short */
	SDP_ERR_COUNT
};
/* Stable dotted name ("sdp.parse.syntax") and a one-line explanation. */
const char	*sdp_error_name(enum sdp_error);
const char	*sdp_error_text(enum sdp_error);

/*
 * Parse LEN bytes of an SDP body (RFC 4566; the body of a SIP message
 * whose Content-Type is application/sdp) into the caller's BUF of SIZE
 * bytes (at least sip_sdp_space(LEN), aligned as malloc() aligns): *SDPP
 * points into BUF and lives as long as BUF.  Returns 0, or -1 with *ERR
 * set and *SDPP NULL.  Never aborts on bad input.
 */
int	 sip_sdp_parse_buf(const uint8_t *body, size_t len, void *buf,
	    size_t size, struct sip_sdp **sdpp, enum sdp_error *err);
/* Bytes sip_sdp_parse_buf() needs for a body of LEN bytes. */
size_t	 sip_sdp_space(size_t len);

/*
 * As sip_sdp_parse_buf() into a new heap block the caller owns and frees
 * with sip_sdp_free().
 */
int	 sip_sdp_parse(const uint8_t *body, size_t len, struct sip_sdp **sdpp,
	    enum sdp_error *err);
/* Free a sip_sdp_parse() result; NULL and sip_sdp_parse_buf() ones are
 * ignored. */
void	 sip_sdp_free(struct sip_sdp *);

/*
 * What parsed SDP says, on one line, into BUF (BUFLEN bytes): the text
 * and bounds of sip_sdp_summary() (sip.h), which reads the body first.
 * Returns the number of media lines in the body; 0 when SDP is NULL or
 * BUFLEN is under 8.  Allocates nothing.
 */
size_t	 sip_sdp_format(const struct sip_sdp *, char *buf, size_t buflen);

/*
 * The RTP/AVP static payload type PT (RFC 3551 6, Tables 4 and 5; PT 1
 * and 2 as RFC 1890 assigned them, still seen on the wire): its encoding
 * name (a static string), clock rate in Hz and channels.  Returns 0, or
 * -1 when PT has no static assignment (dynamic, unassigned or reserved).
 */
int	 sdp_static_payload(int pt, const char **name, uint32_t *clock,
	    unsigned *channels);

#endif
