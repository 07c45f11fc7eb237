/*
 * kb-compare.c: facts derived from knowledge-base entries (see kb.h).
 *
 * Nothing here is written per code or per pair: every sentence is built
 * from the structured fields of codes.ini (class, outcome, retry, fault,
 * headers, methods, dialog, deprecated, treat_as), so any two of the
 * registered codes, or an unregistered one, get a comparison that is
 * specific to them.  Every sentence is a gettext string with
 * placeholders, so it comes out in the UI language.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/i18n.h"
#include "core/xmalloc.h"
#include "kb/kb.h"

static char	*kb_retry_base(const struct kb_entry *);

/* Header notes: what a header tells, and whether it says what to fix. */
static const struct {
	const char	*name;
	const char	*hint;
	int		 what_to_change;
} kb_headers[] = {
	{ "Retry-After",
	  N_("when to try again, in seconds"), 0 },
	{ "WWW-Authenticate",
	  N_("the challenge of the user agent or registrar; answer it with "
	     "Authorization"), 0 },
	{ "Proxy-Authenticate",
	  N_("the challenge of a proxy on the path; answer it with "
	     "Proxy-Authorization"), 0 },
	{ "Allow",
	  N_("the methods the target accepts"), 1 },
	{ "Allow-Events",
	  N_("the event packages the notifier supports"), 1 },
	{ "Unsupported",
	  N_("the option tags the server did not understand; retry without "
	     "them"), 1 },
	{ "Require",
	  N_("the extensions the server insists on"), 1 },
	{ "Min-SE",
	  N_("the smallest session interval accepted; raise Session-Expires "
	     "to at least this"), 1 },
	{ "Min-Expires",
	  N_("the shortest expiry accepted; raise Expires to at least this"),
	  1 },
	{ "Contact",
	  N_("the addresses to use next (new targets, or the remote target "
	     "of the dialog)"), 0 },
	{ "Accept",
	  N_("the body types the server accepts"), 1 },
	{ "Accept-Encoding",
	  N_("the body encodings the server accepts"), 1 },
	{ "Accept-Language",
	  N_("the languages the server accepts"), 1 },
	{ "Accept-Resource-Priority",
	  N_("the resource priority values the server accepts"), 1 },
	{ "Warning",
	  N_("a warning code and text with the precise reason, such as an "
	     "incompatible media format"), 1 },
	{ "Reason",
	  N_("the SIP or Q.850 cause behind the response"), 0 },
	{ "Security-Server",
	  N_("the security mechanisms the server offers"), 1 },
	{ "Record-Route",
	  N_("the proxies that stay on the path of the dialog"), 0 },
	{ "Expires",
	  N_("how long the result stays valid, in seconds"), 0 },
	{ "RSeq",
	  N_("the sequence number of a reliable provisional response; "
	     "acknowledge it with PRACK"), 0 },
	{ "Error-Info",
	  N_("a pointer to more information about the error"), 0 },
	{ "Geolocation-Error",
	  N_("why the location information was refused"), 1 },
	{ "AlertMsg-Error",
	  N_("why the alert message could not be processed"), 1 },
	{ "Recv-Info",
	  N_("the info packages the user agent will accept"), 1 },
	{ "Permission-Missing",
	  N_("the URIs for which consent is missing"), 1 },
	{ "Call-Info",
	  N_("details about the party that rejected the call"), 0 },
	{ "Alert-Info",
	  N_("an alternative ringback tone"), 0 },
	{ "Refer-Sub",
	  N_("whether the REFER created a subscription (false: no NOTIFY "
	     "follows)"), 0 },
	{ "Server",
	  N_("the product that answered (easy to spoof)"), 0 },
	{ "Content-Type",
	  N_("the type of the body, such as SDP for early media"), 0 },
	{ "Via",
	  N_("the hops of the request; received and rport show the address "
	     "the server saw"), 0 },
	{ "Route",
	  N_("the proxies the request was told to pass through"), 0 },
	{ "Path",
	  N_("the proxies between the registrar and the registering user "
	     "agent"), 0 },
	{ "Supported",
	  N_("the extensions the sender understands"), 0 },
	{ "Session-Expires",
	  N_("the session refresh interval, in seconds"), 0 },
	{ "Identity",
	  N_("the signed caller identity (PASSporT)"), 1 },
	{ "SIP-ETag",
	  N_("the entity tag to use in the next PUBLISH"), 0 },
	{ "SIP-If-Match",
	  N_("the entity tag the PUBLISH referred to"), 1 },
	{ "History-Info",
	  N_("how the request was retargeted on its way"), 0 },
	{ "Diversion",
	  N_("who forwarded the call, and why"), 0 },
	{ "Event",
	  N_("the event package of the subscription"), 0 },
	{ "Max-Forwards",
	  N_("the hops the request had left; 0 means the hop limit was "
	     "reached"), 0 },
	{ "Max-Breadth",
	  N_("how many parallel forks the request was allowed"), 0 },
	{ "Referred-By",
	  N_("who asked for the referral"), 1 },
	{ "Privacy",
	  N_("the privacy the caller asked for"), 1 },
	{ "P-Asserted-Identity",
	  N_("the caller identity asserted inside a trusted network"), 0 },
	{ "Resource-Priority",
	  N_("the priority the request asked for"), 1 },
	{ "Geolocation",
	  N_("where the location of the caller can be found"), 1 },
	{ "Info-Package",
	  N_("the info package of the INFO request"), 1 },
	{ "Timestamp",
	  N_("echoed to measure the round-trip time"), 0 },
};
#define KB_NHEADERS	(sizeof kb_headers / sizeof kb_headers[0])

const char *
kb_header_hint(const char *name)
{
	size_t	i;

	for (i = 0; i < KB_NHEADERS; i++) {
		if (strcasecmp(name, kb_headers[i].name) == 0)
			return (_(kb_headers[i].hint));
	}
	return (NULL);
}

static int
kb_header_says_what_to_change(const char *name)
{
	size_t	i;

	for (i = 0; i < KB_NHEADERS; i++) {
		if (strcasecmp(name, kb_headers[i].name) == 0)
			return (kb_headers[i].what_to_change);
	}
	return (0);
}

const char *
kb_class_label(int class)
{
	switch (class) {
	case 1:
		return (_("provisional"));
	case 2:
		return (_("success"));
	case 3:
		return (_("redirection"));
	case 4:
		return (_("client failure"));
	case 5:
		return (_("server failure"));
	case 6:
		return (_("global failure"));
	}
	return ("");
}

/* RFC 3261 §21.1 to §21.6. */
const char *
kb_class_meaning(int class)
{
	switch (class) {
	case 1:
		return (_("the request is still being processed; a final "
		    "response will follow"));
	case 2:
		return (_("the request succeeded"));
	case 3:
		return (_("the target has moved; the request must be sent to "
		    "another address"));
	case 4:
		return (_("this server refuses the request as sent; the same "
		    "request may succeed elsewhere, or once it is changed"));
	case 5:
		return (_("the server could not process a request that may "
		    "well be valid"));
	case 6:
		return (_("the answer is definitive for the user everywhere: "
		    "no other location will accept the request, and a "
		    "forking proxy cancels its other branches"));
	}
	return ("");
}

static const char *
kb_outcome_phrase(enum kb_outcome o)
{
	switch (o) {
	case KB_OUTCOME_PROVISIONAL:
		return (_("not yet, it is provisional: a final response will "
		    "follow"));
	case KB_OUTCOME_SUCCESS:
		return (_("yes, final success"));
	case KB_OUTCOME_REDIRECT:
		return (_("not here, final: the request must go to another "
		    "address"));
	case KB_OUTCOME_FAILURE:
		return (_("no, final failure"));
	}
	return ("?");
}

static const char *
kb_fault_phrase(const struct kb_entry *e)
{
	switch (e->fault) {
	case KB_FAULT_NONE:
		return (_("nobody, it is not an error"));
	case KB_FAULT_CLIENT:
		return (_("the client: the request is wrong or incomplete"));
	case KB_FAULT_SERVER:
		return (_("the server that sent the response"));
	case KB_FAULT_GATEWAY:
		return (_("an element beyond the server: the gateway or proxy "
		    "reports a failure downstream of it"));
	case KB_FAULT_CALLEE:
		return (_("the called party: their state or choice, not the "
		    "network"));
	case KB_FAULT_POLICY:
		return (_("policy: the request was refused on purpose"));
	case KB_FAULT_ROUTING:
		if (e->outcome == KB_OUTCOME_REDIRECT)
			return (_("routing: the target is reached at another "
			    "address, which is not an error in itself"));
		return (_("routing: the request went to the wrong place, "
		    "looped or ran out of hops"));
	}
	return ("?");
}

static int
kb_answers_invite(const struct kb_entry *e)
{
	size_t	i;

	if (e->nmethods == 0)
		return (1);
	for (i = 0; i < e->nmethods; i++) {
		if (strcasecmp(e->methods[i], "INVITE") == 0)
			return (1);
	}
	return (0);
}

/* RFC 5057 §5.1 and RFC 3261 §12, §13.3.1.4. */
static const char *
kb_dialog_phrase(const struct kb_entry *e)
{
	switch (e->dialog) {
	case KB_DIALOG_NONE:
		return (_("creates no dialog and ends none"));
	case KB_DIALOG_CREATES_EARLY:
		return (_("creates an early dialog if it carries a To-tag"));
	case KB_DIALOG_CONFIRMS:
		if (!kb_answers_invite(e))
			return (_("completes the transaction and establishes "
			    "the dialog the request creates, if any"));
		return (_("completes the transaction; to an INVITE it "
		    "establishes the dialog, and an ACK must follow"));
	case KB_DIALOG_TERMINATES_TRANSACTION:
		return (_("ends only this transaction; a dialog, if any, "
		    "survives"));
	case KB_DIALOG_TERMINATES_USAGE:
		return (_("ends the usage inside the dialog, such as the "
		    "subscription"));
	case KB_DIALOG_TERMINATES_DIALOG:
		return (_("received inside a dialog, ends the whole dialog"));
	case KB_DIALOG_NO_EFFECT:
		return (_("leaves the dialog as it was"));
	}
	return ("?");
}

static int
kb_has_header(const struct kb_entry *e, const char *name)
{
	size_t	i;

	for (i = 0; i < e->nheaders; i++) {
		if (strcasecmp(e->headers[i], name) == 0)
			return (1);
	}
	return (0);
}

/*
 * Join the headers of E that MATCH accepts with ", ".  Returns a new
 * string, or NULL when none matches.
 */
static char *
kb_join_headers(const struct kb_entry *e, int (*match)(const char *))
{
	char	*s = NULL, *t;
	size_t	 i;

	for (i = 0; i < e->nheaders; i++) {
		if (match != NULL && !match(e->headers[i]))
			continue;
		if (s == NULL)
			s = xstrdup(e->headers[i]);
		else {
			t = xasprintf("%s, %s", s, e->headers[i]);
			free(s);
			s = t;
		}
	}
	return (s);
}

static int
kb_is_challenge(const char *name)
{
	return (strcasecmp(name, "WWW-Authenticate") == 0 ||
	    strcasecmp(name, "Proxy-Authenticate") == 0);
}

/*
 * The retry advice for E, refined by its headers and, for 4xx and 6xx,
 * by where else the request may go: a 4xx is a failure at this server
 * only (RFC 3261 §21.4), a 6xx holds for every location (§21.6).  Caller
 * frees.
 */
static char *
kb_retry_phrase(const struct kb_entry *e)
{
	char	*base, *s;

	if (e->class == 6 && e->retry == KB_RETRY_NEVER)
		return (xstrdup(_("do not retry, here or at any other "
		    "location")));
	base = kb_retry_base(e);
	if (e->class == 6 && e->retry != KB_RETRY_NOT_APPLICABLE)
		s = xasprintf(_("%s; do not try other locations"), base);
	else if (e->class == 4 && e->retry == KB_RETRY_SAME_LATER)
		s = xasprintf(_("%s; another location may answer now"), base);
	else
		return (base);
	free(base);
	return (s);
}

/* The retry advice for E from its retry field and headers. */
static char *
kb_retry_base(const struct kb_entry *e)
{
	char	*list, *s;

	switch (e->retry) {
	case KB_RETRY_NOT_APPLICABLE:
		if (e->outcome == KB_OUTCOME_PROVISIONAL)
			return (xstrdup(_("nothing to retry; wait for the "
			    "final response")));
		return (xstrdup(_("nothing to retry")));
	case KB_RETRY_SAME_LATER:
		if (kb_has_header(e, "Retry-After"))
			return (xstrdup(_("the same request may be sent again "
			    "later, at the time Retry-After gives if it is "
			    "present")));
		return (xstrdup(_("the same request may be sent again "
		    "later")));
	case KB_RETRY_AFTER_RETRY_AFTER:
		return (xstrdup(_("retry the same server only after "
		    "Retry-After has passed; meanwhile try an alternate "
		    "server")));
	case KB_RETRY_MODIFY:
		list = kb_join_headers(e, kb_header_says_what_to_change);
		if (list == NULL)
			return (xstrdup(_("retry only with a changed "
			    "request")));
		s = xasprintf(_("retry only with a changed request; %s "
		    "says what to change"), list);
		free(list);
		return (s);
	case KB_RETRY_WITH_CREDENTIALS:
		list = kb_join_headers(e, kb_is_challenge);
		if (list == NULL)
			return (xstrdup(_("retry once with valid "
			    "credentials")));
		s = xasprintf(_("retry once with credentials that answer "
		    "the challenge in %s"), list);
		free(list);
		return (s);
	case KB_RETRY_OTHER_TARGET:
		if (e->outcome == KB_OUTCOME_REDIRECT &&
		    kb_has_header(e, "Contact"))
			return (xstrdup(_("send the request to the targets "
			    "in Contact now")));
		return (xstrdup(_("try another route or server now")));
	case KB_RETRY_NEVER:
		return (xstrdup(_("do not retry")));
	}
	return (xstrdup("?"));
}

/* "SUBSCRIBE, REFER", or "any method".  Caller frees. */
static char *
kb_methods_phrase(const struct kb_entry *e)
{
	char	*s, *t;
	size_t	 i;

	if (e->nmethods == 0)
		return (xstrdup(_("any method")));
	s = xstrdup(e->methods[0]);
	for (i = 1; i < e->nmethods; i++) {
		t = xasprintf("%s, %s", s, e->methods[i]);
		free(s);
		s = t;
	}
	return (s);
}

static int
kb_same_methods(const struct kb_entry *a, const struct kb_entry *b)
{
	size_t	i, j;

	if (a->nmethods != b->nmethods)
		return (0);
	for (i = 0; i < a->nmethods; i++) {
		for (j = 0; j < b->nmethods; j++) {
			if (strcasecmp(a->methods[i], b->methods[j]) == 0)
				break;
		}
		if (j == b->nmethods)
			return (0);
	}
	return (1);
}

static int
kb_same_headers(const struct kb_entry *a, const struct kb_entry *b)
{
	size_t	i;

	if (a->nheaders != b->nheaders)
		return (0);
	for (i = 0; i < a->nheaders; i++) {
		if (!kb_has_header(b, a->headers[i]))
			return (0);
	}
	return (1);
}

/* Growable list of lines. */
struct kb_lines {
	struct kb_line	*v;
	size_t		 n;
};

static void
kb_add(struct kb_lines *l, enum kb_aspect aspect, char *text)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n].aspect = aspect;
	l->v[l->n].text = text;
	l->n++;
}

static void
kb_free_lines(struct kb_line *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i].text);
	free(v);
}

/* Registration and deprecation notes for CODE (RFC 3261 §8.1.3.2). */
static void
kb_add_status(struct kb_lines *l, int code, const struct kb_entry *e)
{
	if (!e->registered) {
		kb_add(l, KB_ASPECT_REGISTRATION, xasprintf(_("%d is not a "
		    "registered code: handle it as %d (RFC 3261 "
		    "§8.1.3.2)."), code, e->treated_as));
	}
	/*
	 * A registered code handled as another: 202 (deprecated, RFC 6665
	 * §8.3.1, labelled so in the registry) and 402 (reserved, RFC 3261
	 * §21.4.3).
	 */
	if (e->registered && e->treated_as != 0) {
		if (strcasestr(e->reason, "deprecated") != NULL)
			kb_add(l, KB_ASPECT_DEPRECATION, xasprintf(_("%d is "
			    "deprecated (%s): never send it, and handle a "
			    "received %d exactly like %d."), code, e->rfc,
			    code, e->treated_as));
		else
			kb_add(l, KB_ASPECT_DEPRECATION, xasprintf(_("%d has "
			    "no defined use (%s): do not send it, and handle "
			    "a received %d exactly like %d."), code, e->rfc,
			    code, e->treated_as));
	}
}

struct kb_description *
kb_describe(const struct kb *kb, int code)
{
	struct kb_description	*d;
	const struct kb_entry	*e;
	struct kb_lines		 l = { NULL, 0 };
	char			*s;

	if ((e = kb_lookup(kb, code)) == NULL)
		return (NULL);
	kb_add_status(&l, code, e);
	kb_add(&l, KB_ASPECT_CLASS, xasprintf(_("Class: %dxx (%s): %s."),
	    e->class, kb_class_label(e->class), kb_class_meaning(e->class)));
	kb_add(&l, KB_ASPECT_OUTCOME, xasprintf(_("Succeeded: %s."),
	    kb_outcome_phrase(e->outcome)));
	s = kb_retry_phrase(e);
	kb_add(&l, KB_ASPECT_RETRY, xasprintf(_("Retry: %s."), s));
	free(s);
	kb_add(&l, KB_ASPECT_FAULT, xasprintf(_("At fault: %s."),
	    kb_fault_phrase(e)));
	kb_add(&l, KB_ASPECT_DIALOG, xasprintf(_("Effect on transaction and "
	    "dialog: %s."), kb_dialog_phrase(e)));

	d = xcalloc(1, sizeof *d);
	d->code = code;
	d->entry = e;
	d->lines = l.v;
	d->nlines = l.n;
	return (d);
}

void
kb_description_free(struct kb_description *d)
{
	if (d == NULL)
		return;
	kb_free_lines(d->lines, d->nlines);
	free(d);
}

/* Notes on the headers only one side has (at most two per side). */
static void
kb_add_header_hints(struct kb_lines *l, int code, const struct kb_entry *e,
    const struct kb_entry *other)
{
	const char	*hint;
	size_t		 i;
	int		 added = 0;

	for (i = 0; i < e->nheaders && added < 2; i++) {
		if (kb_has_header(other, e->headers[i]))
			continue;
		if ((hint = kb_header_hint(e->headers[i])) == NULL)
			continue;
		kb_add(l, KB_ASPECT_HEADER_HINT, xasprintf(_("%s (%d only): "
		    "%s."), e->headers[i], code, hint));
		added++;
	}
}

static char *
kb_applies(const struct kb_entry *e)
{
	char	*m, *s;

	m = kb_methods_phrase(e);
	s = xasprintf(_("%s Sent in answer to: %s."), e->summary, m);
	free(m);
	return (s);
}

struct kb_comparison *
kb_compare(const struct kb *kb, int a, int b)
{
	struct kb_comparison	*c;
	const struct kb_entry	*ea, *eb;
	struct kb_lines		 l = { NULL, 0 };
	char			*sa, *sb;

	if ((ea = kb_lookup(kb, a)) == NULL || (eb = kb_lookup(kb, b)) == NULL)
		return (NULL);

	kb_add_status(&l, a, ea);
	kb_add_status(&l, b, eb);

	/* Class, and what each class means (RFC 3261 §21). */
	if (ea->class == eb->class)
		kb_add(&l, KB_ASPECT_CLASS, xasprintf(_("Class: both are %dxx "
		    "(%s): %s."), ea->class, kb_class_label(ea->class),
		    kb_class_meaning(ea->class)));
	else
		kb_add(&l, KB_ASPECT_CLASS, xasprintf(_("Class: %d is %dxx "
		    "(%s): %s; %d is %dxx (%s): %s."), a, ea->class,
		    kb_class_label(ea->class), kb_class_meaning(ea->class),
		    b, eb->class, kb_class_label(eb->class),
		    kb_class_meaning(eb->class)));

	/* Did the request succeed? */
	if (ea->outcome == eb->outcome)
		kb_add(&l, KB_ASPECT_OUTCOME, xasprintf(_("Succeeded (both): "
		    "%s."), kb_outcome_phrase(ea->outcome)));
	else
		kb_add(&l, KB_ASPECT_OUTCOME, xasprintf(_("Succeeded: %d — %s; "
		    "%d — %s."), a,
		    kb_outcome_phrase(ea->outcome), b,
		    kb_outcome_phrase(eb->outcome)));

	/* Retry, and when (RFC 3261 §21.4, §21.5.4, §20.33). */
	sa = kb_retry_phrase(ea);
	sb = kb_retry_phrase(eb);
	if (strcmp(sa, sb) == 0)
		kb_add(&l, KB_ASPECT_RETRY, xasprintf(_("Retry (both): %s."),
		    sa));
	else
		kb_add(&l, KB_ASPECT_RETRY, xasprintf(_("Retry: %d — %s; "
		    "%d — %s."), a, sa, b, sb));
	free(sa);
	free(sb);

	/* Who is at fault. */
	if (strcmp(kb_fault_phrase(ea), kb_fault_phrase(eb)) == 0)
		kb_add(&l, KB_ASPECT_FAULT, xasprintf(_("At fault (both): %s."),
		    kb_fault_phrase(ea)));
	else if (ea->class == eb->class)
		kb_add(&l, KB_ASPECT_FAULT, xasprintf(_("Same class, different "
		    "culprit: %d — %s; %d — %s."), a,
		    kb_fault_phrase(ea), b, kb_fault_phrase(eb)));
	else
		kb_add(&l, KB_ASPECT_FAULT, xasprintf(_("At fault: %d — %s; "
		    "%d — %s."), a, kb_fault_phrase(ea), b,
		    kb_fault_phrase(eb)));

	/* Headers to read, and what the distinctive ones tell. */
	sa = kb_join_headers(ea, NULL);
	sb = kb_join_headers(eb, NULL);
	if (kb_same_headers(ea, eb))
		kb_add(&l, KB_ASPECT_HEADERS, xasprintf(_("Headers to read "
		    "(both): %s."), sa != NULL ? sa :
		    _("none in particular")));
	else
		kb_add(&l, KB_ASPECT_HEADERS, xasprintf(_("Headers to read: "
		    "%d — %s; %d — %s."), a, sa != NULL ? sa :
		    _("none in particular"), b, sb != NULL ? sb :
		    _("none in particular")));
	free(sa);
	free(sb);
	kb_add_header_hints(&l, a, ea, eb);
	kb_add_header_hints(&l, b, eb, ea);

	/* Transaction and dialog (RFC 5057 §5.1). */
	if (ea->dialog == eb->dialog)
		kb_add(&l, KB_ASPECT_DIALOG, xasprintf(_("Effect on "
		    "transaction and dialog (both): %s."),
		    kb_dialog_phrase(ea)));
	else
		kb_add(&l, KB_ASPECT_DIALOG, xasprintf(_("Effect on "
		    "transaction and dialog: %d — %s; %d — %s."), a,
		    kb_dialog_phrase(ea), b,
		    kb_dialog_phrase(eb)));

	/* Methods, only when they differ. */
	if (!kb_same_methods(ea, eb)) {
		sa = kb_methods_phrase(ea);
		sb = kb_methods_phrase(eb);
		kb_add(&l, KB_ASPECT_METHODS, xasprintf(_("Methods: %d answers "
		    "%s; %d answers %s."), a, sa, b, sb));
		free(sa);
		free(sb);
	}

	c = xcalloc(1, sizeof *c);
	c->code[0] = a;
	c->code[1] = b;
	c->entry[0] = ea;
	c->entry[1] = eb;
	c->diffs = l.v;
	c->ndiffs = l.n;
	c->applies[0] = kb_applies(ea);
	c->applies[1] = kb_applies(eb);
	return (c);
}

void
kb_comparison_free(struct kb_comparison *c)
{
	if (c == NULL)
		return;
	kb_free_lines(c->diffs, c->ndiffs);
	free(c->applies[0]);
	free(c->applies[1]);
	free(c);
}
