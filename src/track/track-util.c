/*
 * track-util.c: small helpers for the tracker: digests used as table
 * keys, URI comparison, message/sipfrag status lines, raw header lookup
 * and the latency histogram.
 *
 * Keys are 128-bit digests rather than copied strings, so a table entry
 * has a fixed size and no allocation per key.  The digest is two 64-bit
 * multiply-rotate lanes over 8-byte words with different constants; a
 * collision between two live keys is vanishingly unlikely (2^-128 per
 * pair) and would at worst merge two transactions' counters.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "track/track-int.h"

#define TH_K1	0x87c37b91114253d5ULL
#define TH_K2	0x4cf5ad432745937fULL
#define TH_K3	0xa0761d6478bd642fULL
#define TH_K4	0xe7037ed1a0b428dbULL

static inline uint64_t
rotl64(uint64_t x, int r)
{
	return ((x << r) | (x >> (64 - r)));
}

static inline void
th_word(struct thash *h, uint64_t w)
{
	h->a = rotl64(h->a ^ (w * TH_K1), 31) * TH_K2 + 0x52dce729;
	h->b = rotl64(h->b ^ (w * TH_K3), 27) * TH_K4 + h->a;
	h->n++;
}

void
th_init(struct thash *h, uint64_t seed)
{
	h->a = seed ^ TH_K3;
	h->b = ~seed ^ TH_K1;
	h->n = 0;
}

void
th_bytes(struct thash *h, const void *data, size_t len)
{
	const uint8_t	*p = data;
	uint64_t	 w;

	while (len >= 8) {
		memcpy(&w, p, 8);
		th_word(h, w);
		p += 8;
		len -= 8;
	}
	w = 0;
	memcpy(&w, p, len);	/* at most 7 bytes: the top byte stays free */
	w ^= (uint64_t)(len + 1) << 56;
	th_word(h, w);
}

void
th_lower(struct thash *h, const void *data, size_t len)
{
	const uint8_t	*p = data;
	uint8_t		 buf[64];
	size_t		 i, n;

	while (len > 0) {
		n = len < sizeof buf ? len : sizeof buf;
		/* cppcheck-suppress knownConditionTrueFalse ; min() misread */
		for (i = 0; i < n; i++)
			buf[i] = (uint8_t)tolower(p[i]);
		th_bytes(h, buf, n);
		p += n;
		len -= n;
	}
}

void
th_u64(struct thash *h, uint64_t v)
{
	th_word(h, v);
}

void
th_str(struct thash *h, const struct sip_str *s)
{
	if (s == NULL || s->s == NULL) {
		th_word(h, 0x6e756c6cULL);	/* absent */
		return;
	}
	th_bytes(h, s->s, s->len);
}

static inline uint64_t
th_avalanche(uint64_t x)
{
	x ^= x >> 32;
	x *= 0xd6e8feb86659fd93ULL;
	x ^= x >> 29;
	x *= 0x9fb21c651e98df25ULL;
	x ^= x >> 32;
	return (x);
}

struct tkey
th_final(const struct thash *h)
{
	struct tkey	k;

	k.a = th_avalanche(h->a ^ (h->n * TH_K4));
	k.b = th_avalanche(h->b + k.a);
	return (k);
}

uint64_t
th_final64(const struct thash *h)
{
	return (th_final(h).a);
}

uint64_t
track_hash_str(const struct sip_str *s)
{
	struct thash	h;

	if (s == NULL || s->s == NULL)
		return (0);
	th_init(&h, 0x5354);
	th_bytes(&h, s->s, s->len);
	return (th_final64(&h));
}

uint64_t
track_hash_addr(const struct sw_addr *a, int port)
{
	struct thash	h;

	th_init(&h, 0x4144);
	th_u64(&h, a->family);
	th_bytes(&h, a->ip, a->family == 6 ? 16 : 4);
	if (port)
		th_u64(&h, a->port);
	return (th_final64(&h));
}

uint64_t
track_hash_nameaddr(const struct sip_nameaddr *na)
{
	struct thash	h;

	if (na->user.s == NULL && na->host.s == NULL)
		return (track_hash_str(&na->uri));
	th_init(&h, 0x0a0a);
	th_str(&h, &na->user);
	th_lower(&h, na->host.s != NULL ? na->host.s : "", na->host.len);
	return (th_final64(&h));
}

uint64_t
track_hash_uri(const char *uri, size_t len)
{
	struct thash	 h;
	const char	*p, *end, *at, *q, *hostend, *colon;
	size_t		 slen;
	int		 sips = 0;

	if (uri == NULL)
		return (0);
	p = uri;
	end = uri + len;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '<'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '>'))
		end--;
	if (p == end)
		return (0);
	th_init(&h, 0x555249);
	/* Scheme. */
	for (q = p; q < end && *q != ':'; q++)
		;
	if (q < end) {
		slen = (size_t)(q - p);
		if (slen == 4 && strncasecmp(p, "sips", 4) == 0)
			sips = 1;
		th_lower(&h, p, slen);
		p = q + 1;
	}
	/* Userinfo: up to '@' if there is one before params or headers. */
	at = NULL;
	for (q = p; q < end && *q != ';' && *q != '?' && *q != '>'; q++) {
		if (*q == '@') {
			at = q;
			break;
		}
	}
	if (at != NULL) {
		/* Drop a password (user:password). */
		for (q = p; q < at && *q != ':'; q++)
			;
		th_bytes(&h, p, (size_t)(q - p));
		p = at + 1;
	} else
		th_bytes(&h, "", 0);
	/* Host and port. */
	for (hostend = p; hostend < end && *hostend != ';' && *hostend != '?' &&
	    *hostend != '>'; hostend++)
		;
	colon = NULL;
	if (p < hostend && *p == '[') {
		for (q = p; q < hostend && *q != ']'; q++)
			;
		if (q < hostend && q + 1 < hostend && q[1] == ':')
			colon = q + 1;
	} else {
		for (q = p; q < hostend; q++) {
			if (*q == ':')
				colon = q;
		}
	}
	if (colon != NULL) {
		th_lower(&h, p, (size_t)(colon - p));
		slen = (size_t)(hostend - colon - 1);
		if (!((slen == 4 && strncmp(colon + 1, sips ? "5061" : "5060",
		    4) == 0)))
			th_bytes(&h, colon + 1, slen);
		else
			th_bytes(&h, "", 0);
	} else {
		th_lower(&h, p, (size_t)(hostend - p));
		th_bytes(&h, "", 0);
	}
	return (th_final64(&h) | 1);
}

int
track_reliable(int transport)
{
	return (transport != DECODE_TP_UDP);
}

/*
 * Buckets: 0..63 ms one per ms; above, 32 buckets per power of two
 * (about 3% wide).
 */
static unsigned
hist_bucket(int64_t v)
{
	unsigned	e, idx;

	if (v < 0)
		v = 0;
	if (v < 64)
		return ((unsigned)v);
	e = 63 - (unsigned)__builtin_clzll((unsigned long long)v);
	idx = 64 + (e - 6) * 32 + (unsigned)((v >> (e - 5)) & 31);
	return (idx < HIST_BUCKETS ? idx : HIST_BUCKETS - 1);
}

static int64_t
hist_value(unsigned idx)
{
	unsigned	e, sub;
	int64_t		lo, width;

	if (idx < 64)
		return (idx);
	e = (idx - 64) / 32 + 6;
	sub = (idx - 64) % 32;
	lo = ((int64_t)1 << e) + ((int64_t)sub << (e - 5));
	width = (int64_t)1 << (e - 5);
	return (lo + width / 2);
}

void
hist_add(struct hist *h, int64_t ms)
{
	h->b[hist_bucket(ms)]++;
	h->n++;
}

int64_t
hist_pct(const struct hist *h, double p)
{
	uint64_t	want, sum = 0;
	unsigned	i;

	if (h->n == 0)
		return (-1);
	want = (uint64_t)((p / 100.0) * (double)h->n + 0.999999);
	if (want == 0)
		want = 1;
	for (i = 0; i < HIST_BUCKETS; i++) {
		sum += h->b[i];
		if (sum >= want)
			return (hist_value(i));
	}
	return (hist_value(HIST_BUCKETS - 1));
}
