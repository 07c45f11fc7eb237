/*
 * sip-int.h: what the files of src/sip share and nothing outside uses.
 *
 * sip-msg.c builds a struct sip_msg (the bump allocator, value readers
 * that work on byte spans, the header name table); sip-parse.c fills it
 * from osip2; sip-salvage.c scans the header section before osip2 sees
 * it (the work bounds) and reads the tracking fields leniently when osip2
 * cannot; sip-sdp.c reads SDP bodies with osip2's SDP parser, in the same
 * allocation arena and with the same bump allocator.
 */
#ifndef SW_SIP_INT_H
#define SW_SIP_INT_H

#include <stddef.h>
#include <stdint.h>

#include "sip/sip.h"

/*
 * osip2's allocations (message and SDP parsers alike) come from a
 * per-thread arena while a parse runs (sip-parse.c): sip_arena_begin()
 * before calling into osip2 (0, or -1 when the arena cannot be
 * allocated), sip_arena_end() once every osip2 object of that parse is
 * freed; the next parse reuses the whole arena.
 */
int	sip_arena_begin(void);
void	sip_arena_end(void);

/* The extracted strings of a message, after its raw copy. */
struct sip_build {
	char	*p;
	char	*end;
};

/*
 * Lay out a message in BUF (SIZE bytes, at least sip_parse_space(LEN)):
 * the struct, zeroed with the "absent" defaults, then a NUL-terminated
 * copy of DATA, then room for the strings (B).
 */
struct sip_msg	*sip_msg_layout(const uint8_t *data, size_t len, void *buf,
		    size_t size, struct sip_build *b);

/*
 * Copy LEN bytes of S (which hold no NUL) into the block as a
 * NUL-terminated sip_str.  Truncates rather than overruns; S NULL leaves
 * DST absent.
 */
void	sb_put(struct sip_build *, struct sip_str *dst, const char *s,
	    size_t len);
/*
 * As sb_put() for bytes of the message itself: CR and LF (folded header
 * lines) become spaces, and the copy ends at a NUL byte (so its LEN is
 * its strlen()).
 */
void	sb_put_text(struct sip_build *, struct sip_str *dst, const char *s,
	    size_t len);
/* As sb_put() for a C string (NULL: absent). */
void	sb_puts(struct sip_build *, struct sip_str *dst, const char *s);
/* As sb_put(), without one pair of surrounding double quotes. */
void	sb_put_unquoted(struct sip_build *, struct sip_str *dst,
	    const char *s, size_t len);

/* A non-negative decimal at the start of S (LEN bytes, after blanks); -1 if none. */
long	sip_span_number(const char *s, size_t len);

/*
 * "token;param=value;..." in LEN bytes of V: copy the token (trimmed)
 * into TOKEN and the value of parameter PARAM (if any, without quotes)
 * into PVAL.  In sip-salvage.c, with the other parameter readers.
 */
void	sip_split_param(struct sip_build *, const char *v, size_t len,
	    struct sip_str *token, const char *param, struct sip_str *pval);

/* Content-Length (RFC 3261 20.14) from its value: number and validity. */
void	sip_set_content_length(struct sip_msg *, const char *v, size_t len);

/*
 * The body: from offset OFF of RAW (after the empty line ending the
 * headers; RAW_LEN when there is none) to its end, cut to Content-Length
 * (RFC 3261 18.3).
 */
void	sip_set_body(struct sip_msg *, size_t off);

/* RFC 3261 8.1.1: the headers every request and response carries. */
enum sip_error	sip_check_mandatory(const struct sip_msg *);

/* The headers sipwatch reads, by name. */
enum sip_hdr {
	/* Read from osip2's list of other headers (sip-parse.c). */
	SIP_H_REFER_TO = 0,
	SIP_H_MAX_FORWARDS,
	SIP_H_EXPIRES,
	SIP_H_RETRY_AFTER,
	SIP_H_EVENT,
	SIP_H_SUB_STATE,
	SIP_H_USER_AGENT,
	SIP_H_SERVER,
	SIP_H_WARNING,
	SIP_H_REASON,
	SIP_H_GENERIC,		/* the headers above */
	/* osip2 parses these itself; the lenient reader reads them too. */
	SIP_H_VIA = SIP_H_GENERIC,
	SIP_H_FROM,
	SIP_H_TO,
	SIP_H_CALL_ID,
	SIP_H_CSEQ,
	SIP_H_CONTACT,
	SIP_H_CONTENT_TYPE,
	SIP_H_CONTENT_LENGTH,
	SIP_H_AUTHORIZATION,
	SIP_H_PROXY_AUTHORIZATION,
	SIP_H_WWW_AUTHENTICATE,
	SIP_H_PROXY_AUTHENTICATE,
	SIP_H_COUNT,
	SIP_H_NONE = SIP_H_COUNT
};

/*
 * The header NAME (LEN bytes, case-insensitive; compact forms of RFC 3261
 * 7.3.3, RFC 3515 and RFC 6665 included), or SIP_H_NONE.
 */
enum sip_hdr	sip_hdr_lookup(const char *name, size_t len);

/* One header field of a message's raw bytes (sip_field_next()). */
struct sip_field {
	const char	*name;		/* NULL for a line without ':' */
	size_t		 nlen;		/* trimmed */
	const char	*value;		/* trimmed; may hold folded CRLFs */
	size_t		 vlen;
	int		 cut;		/* no newline after it: at END */
};

/*
 * The header field that starts at *P, with the lines folded into it
 * (RFC 3261 7.3.1), within END: returns 1 and moves *P past it; 0 at the
 * empty line that ends the header section (*P then after it) or at END.
 * Reads nothing at or past END.  In sip-text.c.
 */
int	sip_field_next(const char **p, const char *end, struct sip_field *);

/* What sip_scan() saw of the header section. */
#define SIP_SCAN_CLEN	4	/* Content-Length values remembered */

struct sip_scan {
	size_t		 hdr_end;	/* after the empty line, or LEN */
	int		 has_end;	/* the empty line was found */
	unsigned	 fields;	/* header fields (folded lines joined) */
	unsigned	 seps;		/* ',' ';' '&' in start line and headers */
	unsigned	 nclen;		/* Content-Length values seen */
	size_t		 clen[SIP_SCAN_CLEN][2]; /* [start, end) of each value */
	enum sip_error	 limit;		/* the bound exceeded, or NONE */
};

/*
 * One pass over the start line and header section of LEN bytes of DATA
 * (RFC 3261 7.3): find the empty line that ends it, count fields and list
 * separators, and say which of SIP_HDR_MAX, SIP_HDR_SIZE_MAX,
 * SIP_HDR_SEP_MAX was exceeded.  Stops at the first bound exceeded (the
 * end is then not known), so it reads at most about SIP_HDR_SIZE_MAX
 * bytes; never past LEN.
 */
void	sip_scan(const uint8_t *data, size_t len, struct sip_scan *);

/*
 * The lenient reader: build a message in BUF (SIZE bytes, at least
 * sip_parse_space(LEN)) from the start line and the headers tracking
 * needs, without osip2.  Returns the message with partial set, or NULL
 * when even the mandatory headers (RFC 3261 8.1.1) cannot be found.
 */
struct sip_msg	*sip_salvage(const uint8_t *data, size_t len, void *buf,
		    size_t size);

#endif
