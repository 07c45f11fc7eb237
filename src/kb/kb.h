/*
 * kb.h: the SIP response-code knowledge base.
 *
 * Every IANA-registered SIP response code (and one entry per class,
 * 1xx..6xx) with its meaning, when it is seen and what to do, in the
 * user's language.  The data lives in human-editable GKeyFile files under
 * data/kb/ (doc: data/kb/README or the module comment in kb.c):
 * codes.ini holds the language-neutral facts (class, outcome, retry
 * semantics, fault side, headers, dialog effect, deprecation), and one
 * file per language (en.ini, ru.ini, ...) holds the text.  English is
 * the source; a field missing from another language falls back to
 * English and is listed by kb_missing_translations().
 *
 * kb-compare.c derives the differences between two codes from the
 * structured fields, so every pair of codes gets a specific comparison;
 * kb-explain.c is the "sipwatch explain" subcommand.
 *
 * A loaded struct kb and its entries are immutable; any thread may read
 * them concurrently.  No GLib or gettext type appears here.
 */
#ifndef SW_KB_H
#define SW_KB_H

#include <stddef.h>
#include <stdio.h>

struct kb;

/* What the response says about the request (codes.ini "outcome"). */
enum kb_outcome {
	KB_OUTCOME_PROVISIONAL,		/* 1xx: still in progress */
	KB_OUTCOME_SUCCESS,		/* 2xx */
	KB_OUTCOME_REDIRECT,		/* 3xx: go elsewhere */
	KB_OUTCOME_FAILURE		/* 4xx, 5xx, 6xx */
};

/* Whether and how the client should retry (codes.ini "retry"). */
enum kb_retry {
	KB_RETRY_NOT_APPLICABLE,	/* nothing to retry */
	KB_RETRY_SAME_LATER,		/* the same request, later */
	KB_RETRY_AFTER_RETRY_AFTER,	/* not before Retry-After passes */
	KB_RETRY_MODIFY,		/* only a changed request */
	KB_RETRY_WITH_CREDENTIALS,	/* answer the challenge */
	KB_RETRY_OTHER_TARGET,		/* another target or route, now */
	KB_RETRY_NEVER			/* do not retry */
};

/* Who caused the response (codes.ini "fault"). */
enum kb_fault {
	KB_FAULT_NONE,
	KB_FAULT_CLIENT,
	KB_FAULT_SERVER,
	KB_FAULT_GATEWAY,		/* an element behind the server */
	KB_FAULT_CALLEE,		/* the called user's state or choice */
	KB_FAULT_POLICY,		/* refused on purpose */
	KB_FAULT_ROUTING		/* wrong place, loop, hop limit */
};

/* Effect on the transaction and the dialog (codes.ini "dialog"). */
enum kb_dialog {
	KB_DIALOG_NONE,
	KB_DIALOG_CREATES_EARLY,
	KB_DIALOG_CONFIRMS,
	KB_DIALOG_TERMINATES_TRANSACTION,
	KB_DIALOG_TERMINATES_USAGE,
	KB_DIALOG_TERMINATES_DIALOG,
	KB_DIALOG_NO_EFFECT
};

/*
 * One knowledge-base entry.  Every pointer is owned by the struct kb and
 * valid until kb_free(); strings are UTF-8 and never NULL except where
 * noted.  Text fields are in the loaded language (English where a
 * translation is missing).
 */
struct kb_entry {
	int			 code;		/* 100..699; 0: class entry */
	int			 class;		/* 1..6 */
	int			 registered;	/* 1 if in the IANA registry */
	/*
	 * The code to handle this one as, or 0: 200 for the deprecated
	 * 202; for a class entry, x00 (183 for 1xx), as RFC 3261 §8.1.3.2
	 * requires for unrecognised codes.
	 */
	int			 treated_as;
	const char		*reason;	/* registry phrase (English) */
	const char		*rfc;		/* "RFC3261" */
	const char		*title;
	const char		*summary;	/* one line */
	const char		*meaning;
	const char		*when;
	const char		*fix;
	enum kb_outcome		 outcome;
	enum kb_retry		 retry;
	enum kb_fault		 fault;
	enum kb_dialog		 dialog;
	const char *const	*headers;	/* NULL-terminated */
	size_t			 nheaders;
	const char *const	*methods;	/* NULL-terminated; empty: any */
	size_t			 nmethods;
	/*
	 * Note on deprecation, reservation or renaming, or NULL: from
	 * codes.ini (English) unless the language file has a "deprecated"
	 * key for the group.
	 */
	const char		*deprecated;
	const int		*related;	/* codes */
	size_t			 nrelated;
};

/* kb.c */

/*
 * The data directory kb_load() reads when given none: $SIPWATCH_DATADIR
 * if set, else PKGDATADIR if PKGDATADIR/kb holds codes.ini (installed),
 * else the source tree's data/ (running uninstalled).  Returns a static
 * or environment string the caller must not free; never NULL, even when
 * no directory has the files (kb_load() then reports it).  Implements
 * no RFC.
 */
const char		*kb_default_datadir(void);

/*
 * The knowledge-base folder of DATADIR: DATADIR/kb if it holds
 * codes.ini (DATADIR is a data directory, as --datadir=/usr/share/sipwatch
 * gives), else DATADIR itself if it holds codes.ini (the kb folder,
 * accepted for compatibility: --datadir=data/kb).  Returns a new string
 * (caller frees), or NULL with *CAUSE set (caller frees) naming both
 * places looked at.  Implements no RFC.
 */
char			*kb_dir_of(const char *datadir, char **cause);

/*
 * Load codes.ini, en.ini and, unless LANG is "en", LANG.ini from the
 * knowledge-base folder of DATADIR (kb_dir_of(); DATADIR NULL:
 * kb_default_datadir()).  LANG is a two-letter code; a missing language
 * file is not an error (every field falls back to English).  The
 * entries follow the IANA registry and RFC 3261 §21; class entries
 * implement RFC 3261 §8.1.3.2 (unknown code = x00).
 *
 * Returns a new knowledge base (caller frees with kb_free()), or NULL
 * with *CAUSE set to a message naming the file and group at fault
 * (caller frees) when DATADIR has no knowledge base, codes.ini or en.ini
 * is unreadable, a group is not a code or class, an enum value is not
 * one of those documented in codes.ini, or a class group is missing.
 */
struct kb		*kb_load(const char *datadir, const char *lang,
			    char **cause);

/*
 * Free KB and every entry and string it owns; pointers obtained from it
 * become invalid.  NULL is accepted.  Implements no RFC.
 */
void			 kb_free(struct kb *kb);

/*
 * The language the text was loaded in ("en", "ru", ...).  Owned by KB;
 * never NULL.  Implements no RFC.
 */
const char		*kb_language(const struct kb *kb);

/*
 * The knowledge-base folder the files were read from.  Owned by KB;
 * never NULL.  Implements no RFC.
 */
const char		*kb_datadir(const struct kb *kb);

/*
 * The entry for CODE: the registered code's own entry, or for an
 * unregistered CODE in 100..699 its class entry (registered == 0,
 * code == 0, treated_as == x00 or 183), per RFC 3261 §8.1.3.2.  Returns
 * NULL if CODE is outside 100..699.  Borrowed from KB.
 */
const struct kb_entry	*kb_lookup(const struct kb *kb, int code);

/*
 * The class entry for CLASS 1..6 (RFC 3261 §21.1 to §21.6), or NULL for
 * any other value.  Borrowed from KB.
 */
const struct kb_entry	*kb_class(const struct kb *kb, int class);

/*
 * Iterate over the registered codes (the IANA registry as loaded) in
 * ascending order: the first code above AFTER (start with 0), or -1 when
 * there is none.
 */
int			 kb_next_code(const struct kb *kb, int after);

/*
 * Fields of the loaded language that fell back to English, as strings
 * "GROUP.FIELD" (for example "503.meaning", "4xx.title"): codes in
 * ascending order, then the classes.  A field counts as missing when the
 * language file, its group or its key is absent or the value is empty.
 * Sets *N to their number; always 0 for English.  The array (NULL-
 * terminated) and the strings are owned by KB.
 */
const char *const	*kb_missing_translations(const struct kb *kb,
			    size_t *n);

/*
 * The codes.ini spelling of an enum value ("after-retry-after"), or "?"
 * for a value out of range.  Static strings; never NULL.  Implements no
 * RFC (the vocabulary of codes.ini).
 */
const char		*kb_outcome_name(enum kb_outcome);
const char		*kb_retry_name(enum kb_retry);
const char		*kb_fault_name(enum kb_fault);
const char		*kb_dialog_name(enum kb_dialog);

/* kb-compare.c */

/* What a derived line is about, so callers and tests can pick lines. */
enum kb_aspect {
	KB_ASPECT_REGISTRATION,		/* unregistered, handled as x00 */
	KB_ASPECT_DEPRECATION,		/* deprecated, handled as another */
	KB_ASPECT_CLASS,
	KB_ASPECT_OUTCOME,		/* did the request succeed */
	KB_ASPECT_RETRY,
	KB_ASPECT_FAULT,
	KB_ASPECT_HEADERS,
	KB_ASPECT_HEADER_HINT,		/* what one header tells you */
	KB_ASPECT_DIALOG,
	KB_ASPECT_METHODS
};

/* One derived, translated sentence.  TEXT is owned by its container. */
struct kb_line {
	enum kb_aspect		 aspect;
	char			*text;
};

/*
 * The facts derived for one code (used for "At a glance").  ENTRY is
 * borrowed from the kb; LINES and their text are owned.
 */
struct kb_description {
	int			 code;
	const struct kb_entry	*entry;
	struct kb_line		*lines;
	size_t			 nlines;
};

/*
 * The comparison of two codes.  ENTRY[] is borrowed from the kb; the
 * rest is owned and freed by kb_comparison_free().  APPLIES[i] is one
 * line saying when CODE[i] applies.
 */
struct kb_comparison {
	int			 code[2];
	const struct kb_entry	*entry[2];
	struct kb_line		*diffs;
	size_t			 ndiffs;
	char			*applies[2];
};

/*
 * Describe CODE (100..699) from its entry's structured fields: class
 * (RFC 3261 §7.2, §21), outcome, retry, fault, dialog effect (RFC 5057
 * §5.1), deprecation and, for an unregistered code, RFC 3261 §8.1.3.2.
 * Sentences go through gettext, so they are in the current UI language.
 * Returns a new description (caller frees with kb_description_free()),
 * or NULL if CODE is out of range.
 */
struct kb_description	*kb_describe(const struct kb *kb, int code);
/* Free a description and its lines (not the entry).  NULL is accepted. */
void			 kb_description_free(struct kb_description *);

/*
 * Compare codes A and B (each 100..699; unregistered codes compare as
 * their class, RFC 3261 §8.1.3.2).  The differences are derived from
 * the entries' structured fields: class and what it means (RFC 3261
 * §21.x), whether the request succeeded, whether and when to retry
 * (RFC 3261 §21.5.4, §20.33), who is at fault, the headers to read and
 * what the distinctive ones tell, the effect on the transaction and
 * dialog (RFC 5057 §5.1), methods, deprecation (RFC 6665 §8.3.1).
 * Translated through gettext.  Returns a new comparison (caller frees
 * with kb_comparison_free()), or NULL if A or B is out of range.
 */
struct kb_comparison	*kb_compare(const struct kb *kb, int a, int b);
/* Free a comparison and its lines (not the entries).  NULL is accepted. */
void			 kb_comparison_free(struct kb_comparison *);

/*
 * Translated labels used in headings: the class label ("server
 * failure") for CLASS 1..6 and the one-clause class meaning, after RFC
 * 3261 §21.1 to §21.6.  Static or catalog strings, never freed; "" for
 * an invalid class.
 */
const char		*kb_class_label(int class);
const char		*kb_class_meaning(int class);

/*
 * What header NAME tells the reader of a response (for example
 * Retry-After: when to try again, RFC 3261 §20.33), translated; NULL
 * when the header has no note.  NAME is compared without regard to case
 * (header names are case-insensitive, RFC 3261 §7.3.1).  Catalog string,
 * never freed.
 */
const char		*kb_header_hint(const char *name);

/* kb-explain.c */

/*
 * The "sipwatch explain CODE [CODE2] [--lang=xx] [--datadir=DIR]"
 * subcommand.  ARGV[0] is "explain".  Prints to OUT, errors to stderr.
 * Returns the exit status: 0 on success, 1 if the knowledge base cannot
 * be loaded, 2 for a usage error (a code that is not a number in
 * 100..699, RFC 3261 §7.2, or an unsupported language).
 */
int			 kb_explain_main(int argc, char **argv, FILE *out);

/*
 * The text "sipwatch explain A [B]" prints, without the note about
 * untranslated text: code A alone when B is 0 or equal to A, else A and
 * B compared.  Written to OUT, wrapped at WIDTH display columns (0: no
 * wrapping), headings and derived sentences in the current gettext
 * language, the rest from KB (borrowed).  Used by the dashboard.
 * Returns 1 if a field shown fell back to English, 0 if not, or -1
 * (nothing written) when A or B is outside 100..699.
 */
int			 kb_explain_write(const struct kb *kb, int a, int b,
			    int width, FILE *out);

/*
 * Word-wrap TEXT (UTF-8) to WIDTH display columns (wide CJK characters
 * count two), prefixing every line with INDENT spaces; lines break at
 * spaces, or between wide characters when a run has no space.  WIDTH 0
 * means no wrapping (only the indent).  Returns a new string the caller
 * frees; never NULL.  Implements no RFC.
 */
char			*kb_wrap(const char *text, int width, int indent);

#endif
