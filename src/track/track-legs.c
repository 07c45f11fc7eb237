/*
 * track-legs.c: the legs of one call across B2BUAs and SBCs.
 *
 * A back-to-back user agent ends the caller's dialog and starts a new
 * one, with a Call-ID of its own, towards the callee (RFC 7092 3.1), so
 * one call is two or more calls on the wire.  Every call gets a leg group
 * when it starts (its initial INVITE); a call found to be a leg of an
 * earlier one takes that one's group instead, which TRACK_OBS_CALL
 * publishes (leg_group, legs_by).  What links a new call to an earlier
 * one, in this order:
 *
 *   header     X-Call-ID or X-CID (sngrep's and HOMER's correlation
 *              headers): the earlier leg's Call-ID, or a token both legs
 *              carry;
 *   correlate  the header --correlate=HEADER[:REGEX] names, its value or
 *              the REGEX's first group (POSIX extended), the same way;
 *   callid     the Call-ID conventions of B2BUAs that derive the new leg's
 *              Call-ID from the old one: the earlier Call-ID followed by a
 *              separator and a short tail ("abc@host_b2b-1", "_pbx-1",
 *              "-1"), or preceded by a short head and a separator;
 *   b2bua      no header: the element (IP) that received an initial
 *              INVITE sends, within B2BUA_WINDOW, an initial INVITE of a
 *              new Call-ID with the same caller (From user), as an
 *              Asterisk or FreeSWITCH bridging the call does.
 *
 * The tokens and the B2BUA records sit in one table of at most
 * max_call_ids entries (the least recently used goes); a token older
 * than TOKEN_TTL no longer links.
 */
#include "config.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "track/track-int.h"

#define LEGS_TOKEN_MAX	128			/* bytes of a token kept */
#define LEGS_MIN_ID	8			/* shortest Call-ID derived */
#define LEGS_MAX_EXTRA	24			/* longest tail or head added */
#define B2BUA_WINDOW	(5 * 1000000LL)		/* µs */
#define TOKEN_TTL	(3600 * 1000000LL)	/* µs */

enum legs_kind {
	LEGS_K_CALLID = 1,	/* a call's own Call-ID */
	LEGS_K_TOKEN,		/* a correlation header's value */
	LEGS_K_B2BUA		/* (element IP, caller): an INVITE it got */
};

struct legs_ent {
	UT_hash_handle		 hh;
	uint64_t		 key;
	TAILQ_ENTRY(legs_ent)	 lru;
	uint64_t		 group;
	int64_t			 ts;
};

struct track_legs {
	struct legs_ent		*hash;
	/* cppcheck-suppress unusedStructMember ; read by the sys/queue.h macros */
	TAILQ_HEAD(, legs_ent)	 lru;		/* most recent last */
	unsigned		 n;
	uint64_t		 next_group;
	char			*header;	/* --correlate: its header */
	regex_t			 re;
	int			 has_re;
};

static struct track_legs *
legs_get(struct track *tr)
{
	if (tr->legs == NULL) {
		tr->legs = xcalloc(1, sizeof *tr->legs);
		TAILQ_INIT(&tr->legs->lru);
		tr->legs->next_group = 1;
	}
	return (tr->legs);
}

static uint64_t
legs_key(enum legs_kind kind, const void *p, size_t len, uint64_t more)
{
	struct thash	h;

	th_init(&h, 0x4c45 + (uint64_t)kind);
	th_bytes(&h, p, len);
	th_u64(&h, more);
	return (th_final64(&h));
}

static struct legs_ent *
legs_find(struct track_legs *l, uint64_t key, int64_t now, int64_t ttl)
{
	struct legs_ent	*e;

	HASH_FIND(hh, l->hash, &key, sizeof key, e);
	if (e == NULL || now - e->ts > ttl)
		return (NULL);
	return (e);
}

static void
legs_put(struct track *tr, uint64_t key, uint64_t group, int64_t now)
{
	struct track_legs	*l = tr->legs;
	struct legs_ent		*e;

	HASH_FIND(hh, l->hash, &key, sizeof key, e);
	if (e != NULL)
		TAILQ_REMOVE(&l->lru, e, lru);
	else {
		if (l->n >= tr->o.max_call_ids &&
		    (e = TAILQ_FIRST(&l->lru)) != NULL) {
			TAILQ_REMOVE(&l->lru, e, lru);
			/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): uthash */
			HASH_DELETE(hh, l->hash, e);
			free(e);
			l->n--;
		}
		e = xcalloc(1, sizeof *e);
		e->key = key;
		HASH_ADD(hh, l->hash, key, sizeof e->key, e);
		l->n++;
	}
	e->group = group;
	e->ts = now;
	TAILQ_INSERT_TAIL(&l->lru, e, lru);
}

/* The token of VALUE for the correlate option: the REGEX's group or all. */
static int
legs_token(struct track_legs *l, const char *value, char *tok, size_t len)
{
	regmatch_t	m[2];
	size_t		n;
	int		i;

	if (!l->has_re) {
		snprintf(tok, len, "%s", value);
		return (tok[0] != '\0');
	}
	if (regexec(&l->re, value, 2, m, 0) != 0)
		return (0);
	i = m[1].rm_so >= 0 ? 1 : 0;
	n = (size_t)(m[i].rm_eo - m[i].rm_so);
	if (n == 0)
		return (0);
	if (n > len - 1)
		n = len - 1;
	memcpy(tok, value + m[i].rm_so, n);
	tok[n] = '\0';
	return (1);
}

/*
 * A token TOK (a header's value) of the new call: the group of the call
 * whose Call-ID it is, or of a call that carried the same token; the
 * token is kept for the calls to come.  Returns the group or 0.
 */
static uint64_t
legs_by_token(struct track *tr, const char *tok, uint64_t group, int64_t now)
{
	struct track_legs	*l = tr->legs;
	struct legs_ent		*e;
	uint64_t		 kc, kt, found = 0;
	size_t			 n = strlen(tok);

	kc = legs_key(LEGS_K_CALLID, tok, n, 0);
	kt = legs_key(LEGS_K_TOKEN, tok, n, 0);
	if ((e = legs_find(l, kc, now, TOKEN_TTL)) != NULL)
		found = e->group;
	else if ((e = legs_find(l, kt, now, TOKEN_TTL)) != NULL)
		found = e->group;
	legs_put(tr, kt, found != 0 ? found : group, now);
	return (found);
}

static int
legs_sep(char c)
{
	return (c == '_' || c == '-' || c == '.' || c == '~' || c == '+' ||
	    c == '=');
}

/*
 * The Call-ID conventions: an earlier call's Call-ID at the start of ID
 * followed by a separator and at most LEGS_MAX_EXTRA bytes, or at its
 * end after at most LEGS_MAX_EXTRA bytes and a separator.  The longest
 * earlier Call-ID wins.  Returns its group or 0.
 */
static uint64_t
legs_by_callid(struct track *tr, const char *id, size_t len, int64_t now)
{
	struct track_legs	*l = tr->legs;
	struct legs_ent		*e;
	size_t			 i;

	/* A tail: "ORIGINAL_b2b-1", cut at the first separator that fits. */
	for (i = len > LEGS_MAX_EXTRA + 1 ? len - LEGS_MAX_EXTRA - 1 : 0;
	    i < len; i++) {
		if (i < LEGS_MIN_ID || !legs_sep(id[i]))
			continue;
		e = legs_find(l, legs_key(LEGS_K_CALLID, id, i, 0), now,
		    TOKEN_TTL);
		if (e != NULL)
			return (e->group);
	}
	/* A head: "SBC1-ORIGINAL", cut at the last separator that fits. */
	for (i = len < LEGS_MAX_EXTRA + 1 ? len : LEGS_MAX_EXTRA + 1;
	    i-- > 0;) {
		if (!legs_sep(id[i]) || len - i - 1 < LEGS_MIN_ID)
			continue;
		e = legs_find(l, legs_key(LEGS_K_CALLID, id + i + 1,
		    len - i - 1, 0), now, TOKEN_TTL);
		if (e != NULL)
			return (e->group);
	}
	return (0);
}

/*
 * A caller that says nothing of who it is (RFC 3323 4.1.1.3 and the
 * usual stand-ins): many calls share it, so it links none.
 */
static int
legs_anonymous(const struct sip_str *user)
{
	static const char *const anon[] = { "anonymous", "unknown",
	    "unavailable", "restricted", "private", NULL };
	unsigned	i;

	if (user->s == NULL || user->len == 0)
		return (1);
	for (i = 0; anon[i] != NULL; i++) {
		if (sip_str_eq(user, anon[i]))
			return (1);
	}
	return (0);
}

void
legs_invite(struct track *tr, struct cidrec *cr, const struct sip_msg *m,
    const struct sw_addr *src, const struct sw_addr *dst, int64_t ts,
    int new_call)
{
	struct track_legs	*l = legs_get(tr);
	struct call		*c = &cr->call;
	struct legs_ent		*e;
	char			 val[LEGS_TOKEN_MAX], tok[LEGS_TOKEN_MAX];
	uint64_t		 caller, g = 0, kb;
	int			 by = TRACK_LEGS_NONE;
	static const char *const hdrs[] = { "X-Call-ID", "X-CID" };
	unsigned		 i;

	caller = track_hash_str(&m->from.user);
	if (new_call) {
		c->leg_group = l->next_group++;
		c->legs_by = TRACK_LEGS_NONE;
		for (i = 0; g == 0 && i < 2; i++) {
			if (sip_header_value(m, hdrs[i], val, sizeof val) &&
			    val[0] != '\0')
				g = legs_by_token(tr, val, c->leg_group, ts);
			if (g != 0)
				by = TRACK_LEGS_HEADER;
		}
		if (g == 0 && l->header != NULL &&
		    sip_header_value(m, l->header, val, sizeof val) &&
		    legs_token(l, val, tok, sizeof tok) &&
		    (g = legs_by_token(tr, tok, c->leg_group, ts)) != 0)
			by = TRACK_LEGS_CORRELATE;
		if (g == 0 && m->call_id.s != NULL &&
		    (g = legs_by_callid(tr, m->call_id.s, m->call_id.len,
		    ts)) != 0)
			by = TRACK_LEGS_CALLID;
		if (g == 0 && caller != 0 && src->family != 0 &&
		    !legs_anonymous(&m->from.user)) {
			kb = legs_key(LEGS_K_B2BUA, src->ip, src->family == 6 ?
			    16 : 4, caller);
			if ((e = legs_find(l, kb, ts, B2BUA_WINDOW)) != NULL &&
			    e->group != c->leg_group) {
				g = e->group;
				by = TRACK_LEGS_B2BUA;
			}
		}
		if (g != 0) {
			c->leg_group = g;
			c->legs_by = (uint8_t)by;
		}
		if (m->call_id.s != NULL)
			legs_put(tr, legs_key(LEGS_K_CALLID, m->call_id.s,
			    m->call_id.len, 0), c->leg_group, ts);
	}
	/* What DST received: the INVITE a B2BUA there may bridge. */
	if (caller != 0 && dst->family != 0 && c->leg_group != 0 &&
	    !legs_anonymous(&m->from.user))
		legs_put(tr, legs_key(LEGS_K_B2BUA, dst->ip, dst->family == 6 ?
		    16 : 4, caller), c->leg_group, ts);
}

int
track_correlate(struct track *tr, const char *spec, char **cause)
{
	struct track_legs	*l = legs_get(tr);
	const char		*colon;
	char			 err[128];
	int			 r;

	if (spec == NULL || *spec == '\0' || *spec == ':') {
		*cause = xstrdup("HEADER[:REGEX]: a header name is needed");
		return (-1);
	}
	colon = strchr(spec, ':');
	free(l->header);
	l->header = colon != NULL ? xstrndup(spec, (size_t)(colon - spec)) :
	    xstrdup(spec);
	if (l->has_re)
		regfree(&l->re);
	l->has_re = 0;
	if (colon != NULL && colon[1] != '\0') {
		if ((r = regcomp(&l->re, colon + 1, REG_EXTENDED)) != 0) {
			regerror(r, &l->re, err, sizeof err);
			*cause = xasprintf("bad REGEX \"%s\": %s", colon + 1,
			    err);
			free(l->header);
			l->header = NULL;
			return (-1);
		}
		l->has_re = 1;
	}
	return (0);
}

void
legs_destroy(struct track *tr)
{
	struct track_legs	*l = tr->legs;
	struct legs_ent		*e;

	if (l == NULL)
		return;
	while ((e = TAILQ_FIRST(&l->lru)) != NULL) {
		TAILQ_REMOVE(&l->lru, e, lru);
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): uthash */
		HASH_DELETE(hh, l->hash, e);
		free(e);
	}
	if (l->has_re)
		regfree(&l->re);
	free(l->header);
	free(l);
	tr->legs = NULL;
}
