/*
 * i18n.h: user interface language and message catalogs (gettext).
 *
 * sipwatch speaks English, Russian, Japanese and Turkish.  One language
 * is chosen per process: from --lang, else from the environment.  The
 * same choice selects the gettext catalog for UI strings (through _())
 * and the knowledge-base language file (kb.h).
 */
#ifndef SW_I18N_H
#define SW_I18N_H

#if defined(ENABLE_NLS) && ENABLE_NLS
#include <libintl.h>
#define _(s)	gettext(s)
#else
#define _(s)	((const char *)(s))
#define ngettext(s, p, n)	((n) == 1 ? (const char *)(s) : \
				    (const char *)(p))
#endif
/* Marks a string for extraction without translating it here. */
#define N_(s)	(s)

/*
 * Return 1 if LANG is a language sipwatch has a catalog and a knowledge
 * base for ("en", "ru", "ja", "tr"), else 0 (also for NULL).  LANG is
 * borrowed.  Implements no RFC.
 */
int		 i18n_supported(const char *lang);

/*
 * The language asked for by the environment: the first of LANGUAGE,
 * LC_ALL, LC_MESSAGES and LANG that is set and non-empty, cut to its
 * first two letters ("ru_RU.UTF-8" and "ru:en" both give "ru").  "en"
 * when nothing is set, for the C and POSIX locales, and when the language
 * is not one i18n_supported() accepts.  Returns a static string,
 * overwritten by the next call; never fails.  Implements no RFC (the
 * precedence is POSIX's and GNU gettext's).
 */
const char	*i18n_env_language(void);

/*
 * Select LANG (NULL: i18n_env_language()) for this process and bind the
 * gettext domain.  Must be called after setlocale(LC_ALL, "") and before
 * the first _(); may be called again to switch language.
 *
 * GNU gettext ignores LANGUAGE while LC_MESSAGES is the C locale, which
 * is what a system without the matching locale generated leaves us
 * with; in that case LC_MESSAGES (and LC_CTYPE, if it is C too) are set
 * to C.UTF-8 so that the catalog is used anyway.  Catalog output is
 * always UTF-8, like the knowledge-base files.
 *
 * The catalog directory is $SIPWATCH_LOCALEDIR if set, else LOCALEDIR
 * when it holds a catalog for LANG, else the build tree's locale/ (so an
 * uninstalled ./sipwatch is translated too).
 *
 * Returns 0, or -1 with *CAUSE set (caller frees) if LANG is not
 * supported; the previous language then stays in effect.  Not thread-
 * safe (setlocale, setenv): call it from main before starting threads.
 * Implements no RFC.
 */
int		 i18n_init(const char *lang, char **cause);

/*
 * Switch to LANG while other threads may be translating (the dashboard's
 * "l" key).  Only LANGUAGE, which i18n_init() already set, is replaced
 * and the catalog re-bound, which makes gettext drop what it cached;
 * glibc's setenv never frees a replaced value and gettext locks its own
 * tables, so a concurrent _() sees the old language or the new one.
 * Call i18n_init() first.  Returns 0, or -1 if LANG is not supported
 * (nothing changes).  Implements no RFC.
 */
int		 i18n_switch(const char *lang);

/*
 * The language in effect ("en" before i18n_init()).  Static string, valid
 * until the next i18n_init(); never NULL.  Implements no RFC.
 */
const char	*i18n_language(void);

#endif
