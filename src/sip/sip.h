/*
 * sip.h: SIP messages as sipwatch sees them.
 *
 * sip_detect() recognises SIP by content (the start line, RFC 3261 7.1 and
 * 7.2) on any port.  sip_parse() runs the full parse with osip2 and copies
 * what the rest of sipwatch needs into a struct sip_msg.  No osip2 type
 * appears here: sip-parse.c is, with sip-sdp.c (SDP bodies, sip-sdp.h),
 * the only file that includes osip2.
 *
 * Both functions are pure: no shared mutable state, so they may run on
 * several threads at once (after sip_global_init()).
 */
#ifndef SW_SIP_H
#define SW_SIP_H

#include <stddef.h>
#include <stdint.h>

/* Methods sipwatch knows by name; anything else is SIP_METHOD_OTHER. */
enum sip_method {
	SIP_METHOD_UNKNOWN = 0,
	SIP_METHOD_INVITE,
	SIP_METHOD_ACK,
	SIP_METHOD_BYE,
	SIP_METHOD_CANCEL,
	SIP_METHOD_OPTIONS,
	SIP_METHOD_REGISTER,
	SIP_METHOD_PRACK,
	SIP_METHOD_SUBSCRIBE,
	SIP_METHOD_NOTIFY,
	SIP_METHOD_PUBLISH,
	SIP_METHOD_INFO,
	SIP_METHOD_REFER,
	SIP_METHOD_MESSAGE,
	SIP_METHOD_UPDATE,
	SIP_METHOD_OTHER,
	SIP_METHOD_COUNT
};

/* "INVITE" ... ; "OTHER" for SIP_METHOD_OTHER. */
const char	*sip_method_name(enum sip_method);
/* Method from its token (case-sensitive, RFC 3261 7.1).  LEN bytes. */
enum sip_method	 sip_method_from(const char *, size_t len);

/* A string copied out of a message: NUL-terminated, LEN bytes.  NULL when absent. */
struct sip_str {
	const char	*s;
	size_t		 len;
};

/* One Via header value (RFC 3261 20.42). */
struct sip_via {
	struct sip_str	transport;	/* "UDP", "TCP", "WS" ... */
	struct sip_str	host;		/* sent-by host */
	uint16_t	port;		/* sent-by port, 0 when absent */
	struct sip_str	branch;		/* NULL when absent */
	struct sip_str	received;
	int		rport;		/* -1 absent, 0 present without value */
};

/* From / To / Contact / Refer-To style name-addr (RFC 3261 20.20). */
struct sip_nameaddr {
	struct sip_str	display;
	struct sip_str	uri;		/* whole URI */
	struct sip_str	user;		/* user part of the URI */
	struct sip_str	host;		/* host part of the URI */
	struct sip_str	tag;		/* tag parameter */
};

#define SIP_VIA_KEEP	16	/* Via values kept per message; more are counted */

struct sip_msg {
	int		 is_request;
	enum sip_method	 method;	/* request method; CSeq method for responses */
	struct sip_str	 method_name;	/* token as sent (requests) */
	int		 status;	/* 100..699 for responses, 0 for requests */
	struct sip_str	 reason;	/* reason phrase */
	struct sip_str	 ruri;		/* Request-URI */
	struct sip_str	 ruri_user;	/* user part of the Request-URI */

	struct sip_str	 call_id;
	uint32_t	 cseq;		/* CSeq number */
	enum sip_method	 cseq_method;
	struct sip_str	 cseq_method_name;

	struct sip_via	 via[SIP_VIA_KEEP];	/* top Via first */
	unsigned	 nvia;		/* Via values kept (<= SIP_VIA_KEEP) */
	unsigned	 via_total;	/* Via values in the message (partial:
					   in what the lenient reader read) */

	struct sip_nameaddr from;
	struct sip_nameaddr to;
	struct sip_nameaddr contact;	/* first Contact, if any */
	struct sip_nameaddr refer_to;	/* Refer-To (RFC 3515), if any */

	int		 max_forwards;	/* -1 when absent */
	long		 expires;	/* Expires, seconds; -1 when absent */
	long		 retry_after;	/* Retry-After delta-seconds; -1 when absent */
	struct sip_str	 event;		/* Event package, parameters stripped */
	struct sip_str	 event_id;	/* Event "id" parameter */
	struct sip_str	 sub_state;	/* Subscription-State value */
	struct sip_str	 sub_reason;	/* its "reason" parameter */
	struct sip_str	 content_type;	/* "type/subtype", lower case */
	long		 content_length; /* declared; -1 when absent or unreadable */
	int		 bad_content_length; /* present but not a valid number */
	struct sip_str	 user_agent;
	struct sip_str	 server;
	struct sip_str	 warning;	/* first Warning value */
	struct sip_str	 reason_hdr;	/* first Reason header (RFC 3326) */
	int		 has_auth;	/* Authorization / Proxy-Authorization present */
	struct sip_str	 auth_nonce;	/* nonce in the credentials */
	struct sip_str	 challenge_nonce; /* nonce in WWW-/Proxy-Authenticate */
	int		 challenge_stale; /* stale=true in the challenge */

	const uint8_t	*body;		/* message body within RAW */
	size_t		 body_len;

	const uint8_t	*raw;		/* the whole message (owned copy) */
	size_t		 raw_len;
	int		 heap;		/* made by sip_parse(): sip_msg_free() frees it */
	/*
	 * Salvaged: osip2 rejected the message, or the work bounds kept it
	 * from osip2, and the lenient reader (sip-salvage.c) found the
	 * fields above in it.  What it read is what the message says, but a
	 * field it could not read is absent even if the message has it;
	 * the parse error is still reported with its reason.
	 */
	int		 partial;
};

/* What a payload looks like, from its start line only. */
enum sip_detect {
	SIP_DETECT_NOT_SIP = 0,
	SIP_DETECT_REQUEST,
	SIP_DETECT_RESPONSE,
	SIP_DETECT_KEEPALIVE,	/* CRLF keep-alive (RFC 5626 4.4.1) */
};

/* The start line, as sip_detect() read it (borrowed from the payload). */
struct sip_startline {
	const char	*method;	/* requests: the method token */
	size_t		 method_len;
	int		 status;	/* responses: 100..699 */
};

/*
 * Look at the start of a payload of LEN bytes and say whether it is a SIP
 * request, a response, a keep-alive or not SIP.  Only the first line is
 * examined (up to 8 KiB).  LINE (optional) receives the method or status;
 * its pointers borrow from DATA.
 */
enum sip_detect	 sip_detect(const uint8_t *data, size_t len,
		    struct sip_startline *line);

/* Parse failure reasons, counted per reason in the report. */
enum sip_error {
	SIP_ERR_NONE = 0,
	SIP_ERR_OSIP,		/* osip2 rejected the message (other reason) */
	SIP_ERR_START_LINE,	/* bad request or status line */
	SIP_ERR_HEADER,		/* a header osip2 could not parse, or no end of headers */
	SIP_ERR_NO_CALL_ID,
	SIP_ERR_NO_CSEQ,
	SIP_ERR_NO_VIA,
	SIP_ERR_NO_FROM,
	SIP_ERR_NO_TO,
	SIP_ERR_BAD_CSEQ,
	SIP_ERR_TRUNCATED,	/* payload cut by the capture snap length */
	SIP_ERR_BODY_SHORT,	/* body shorter than Content-Length */
	SIP_ERR_BAD_CONTENT_LENGTH, /* Content-Length not a non-negative integer */
	SIP_ERR_TOO_LARGE,	/* above the configured message size limit */
	SIP_ERR_TOO_MANY_HEADERS, /* more than SIP_HDR_MAX header fields */
	SIP_ERR_HEADERS_TOO_LARGE, /* start line and headers above SIP_HDR_SIZE_MAX */
	SIP_ERR_TOO_MANY_PARAMS, /* more than SIP_HDR_SEP_MAX list separators */
	SIP_ERR_COUNT
};
/* Stable dotted name ("sip.parse.no_call_id") and a one-line explanation. */
const char	*sip_error_name(enum sip_error);
const char	*sip_error_text(enum sip_error);

/* Largest message sip_parse() accepts (bytes); larger ones are SIP_ERR_TOO_LARGE. */
#define SIP_MSG_MAX	65535

/*
 * The work bounds (doc/SECURITY.md).  osip2 spends about 0.3 µs on every
 * header field and every parameter or list element, and appends each to
 * a linked list by walking it, so its cost grows with their number, then
 * with its square; it copies and scans every byte of what it is given.  A
 * message beyond any of these bounds is not given to osip2: it is counted
 * with its reason and read by the lenient reader instead.  Real traffic
 * stays well below them (the shared corpus: at most 26 fields, 45
 * separators, 1.6 KB of start line and headers).
 */
#define SIP_HDR_MAX		96	/* header fields (folded lines joined) */
#define SIP_HDR_SIZE_MAX	8192	/* bytes of the start line and headers */
#define SIP_HDR_SEP_MAX		128	/* ',' ';' '&' in the start line and headers */
/* What the lenient reader looks at: the first fields within the first bytes. */
#define SIP_SALVAGE_FIELDS	256
#define SIP_SALVAGE_BYTES	SIP_HDR_SIZE_MAX

/*
 * Parse LEN bytes of one SIP message with osip2 (RFC 3261 7).  On success
 * returns 0 and stores a new message in *MSGP, which the caller owns and
 * frees with sip_msg_free(); the message keeps its own copy of DATA, so
 * DATA may be reused at once.  On failure returns -1, stores NULL in *MSGP
 * and the reason in *ERR.  Never aborts on bad input.
 *
 * A body shorter than Content-Length (RFC 3261 18.3), or a Content-Length
 * that is not a non-negative integer (RFC 3261 20.14), is accepted with
 * *ERR = SIP_ERR_BODY_SHORT or SIP_ERR_BAD_CONTENT_LENGTH and a 0 return,
 * so the message is tracked but the anomaly counted.
 *
 * A message osip2 rejects, one beyond the work bounds (SIP_HDR_MAX ...)
 * or one above SIP_MSG_MAX (of which the first SIP_MSG_MAX + 1 bytes are
 * read) is read by the lenient reader: when it finds the start line,
 * Call-ID, CSeq, a Via, From and To, the return is 0 with a message whose
 * partial flag is set and *ERR the reason osip2 or the bound gave;
 * otherwise -1.  Either way the work is linear in LEN.
 */
int	 sip_parse(const uint8_t *data, size_t len, struct sip_msg **msgp,
	    enum sip_error *err);

/*
 * As sip_parse(), building the message in the caller's BUF of SIZE bytes
 * (at least sip_parse_space(LEN); aligned as malloc() aligns) instead of
 * a new allocation: *MSGP points into BUF and lives as long as BUF is
 * not reused.  sip_msg_free() on it does nothing.  A BUF too small gives
 * -1 with SIP_ERR_TOO_LARGE.  This is what the parse workers use, so the
 * steady state allocates nothing per message.
 */
int	 sip_parse_buf(const uint8_t *data, size_t len, void *buf, size_t size,
	    struct sip_msg **msgp, enum sip_error *err);
/* Bytes sip_parse_buf() needs for a message of LEN bytes. */
size_t	 sip_parse_space(size_t len);

/* Free a message from sip_parse(); NULL and sip_parse_buf() messages are ignored. */
void	 sip_msg_free(struct sip_msg *);

/* One-time library set-up (osip2's parser tables).  Not thread-safe; call first. */
void	 sip_global_init(void);

/*
 * Free what sip_parse() keeps per thread (its allocation arena).  Call on
 * a thread that parsed, before it exits; sip_parse() may be used again
 * afterwards (the arena is made anew).
 */
void	 sip_thread_done(void);

/*
 * The status line of a message/sipfrag body (RFC 3420 2: "SIP/2.0 200
 * OK") of LEN bytes at BODY (NULL accepted): returns its status code
 * (100..699), or 0 when the body does not start with a status line; the
 * reason phrase, control characters replaced by spaces, is copied into
 * REASON (REASONLEN bytes, NUL-terminated, cut if needed).
 */
int	 sip_sipfrag_status(const uint8_t *body, size_t len, char *reason,
	    size_t reasonlen);

/*
 * The value of the first header NAME (case-insensitive, the full name;
 * RFC 3261 7.3.1) in the raw header section of MSG, blanks around it
 * trimmed, copied into BUF (LEN bytes, NUL-terminated, cut if needed).
 * Returns 1 if found, 0 if not.  For headers the parser does not copy
 * into struct sip_msg.
 */
int	 sip_header_value(const struct sip_msg *msg, const char *name,
	    char *buf, size_t len);

/*
 * The names of the headers in the raw header section of MSG, lower case,
 * compact forms (RFC 3261 7.3.3) written out, each once, in order,
 * separated by commas, into BUF (LEN bytes, NUL-terminated; names that do
 * not fit are left out).  Returns how many names were written.  Used to
 * compare what two requests carry (RFC 3261 7.3).
 */
size_t	 sip_header_names(const struct sip_msg *msg, char *buf, size_t len);

/*
 * A one-line summary of the media lines of the SDP body of LEN bytes at
 * BODY (RFC 4566 5.14; NULL accepted), read by sip_sdp_parse()
 * (sip-sdp.h): per m= line the media, port, transport and formats by name
 * (a=rtpmap, else the RFC 3551 static name, else the format as written),
 * the direction when not sendrecv (RFC 3264 6.1), the unspecified
 * connection address (c=0.0.0.0, RFC 3264 8.4) and "(disabled)" for port
 * 0, lines separated by "; ", e.g. "audio 0 RTP/AVP PCMU inactive
 * c=0.0.0.0 (disabled)"; formats or lines beyond the parser's caps are
 * shown as "...".  Written into BUF (BUFLEN bytes, at least 8; cut with
 * "..." when it does not fit; bytes outside printable ASCII become '?').
 * Returns the number of media lines in the body; 0 for a body the SDP
 * parser rejects, or when BUFLEN is under 8.  Allocates only while it
 * runs (the parse's block and osip2's per-thread arena, sip-int.h).
 */
size_t	 sip_sdp_summary(const uint8_t *body, size_t len, char *buf,
	    size_t buflen);

/*
 * The address of record of URI (LEN bytes) as a registrar compares it
 * (RFC 3261 10.3 step 5, 19.1.4): scheme, user and host with port, URI
 * parameters and headers dropped, scheme and host in lower case; into
 * BUF (BUFLEN bytes, NUL-terminated, cut if needed).  Returns its length,
 * 0 when URI has no scheme.
 */
size_t	 sip_uri_aor(const char *uri, size_t len, char *buf, size_t buflen);

/* Case-insensitive compare of a sip_str with a C string; 1 when equal. */
int	 sip_str_eq(const struct sip_str *, const char *);

#endif
