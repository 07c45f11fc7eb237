/*
 * i18n.c: choosing the language and binding the gettext catalog (see
 * i18n.h).
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/xmalloc.h"

static const char *const i18n_languages[] = { "en", "ru", "ja", "tr", NULL };

static char	i18n_current[3] = "en";

int
i18n_supported(const char *lang)
{
	size_t	i;

	if (lang == NULL)
		return (0);
	for (i = 0; i18n_languages[i] != NULL; i++) {
		if (strcmp(lang, i18n_languages[i]) == 0)
			return (1);
	}
	return (0);
}

const char *
i18n_env_language(void)
{
	static const char *const vars[] = {
		"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", NULL
	};
	static char	 buf[3];
	const char	*v;
	size_t		 i;

	for (i = 0; vars[i] != NULL; i++) {
		v = getenv(vars[i]);
		if (v == NULL || *v == '\0')
			continue;
		if (v[0] < 'a' || v[0] > 'z' || v[1] < 'a' || v[1] > 'z')
			return ("en");		/* C, POSIX, garbage */
		buf[0] = v[0];
		buf[1] = v[1];
		buf[2] = '\0';
		if (!i18n_supported(buf))
			return ("en");
		return (buf);
	}
	return ("en");
}

static int
i18n_is_c_locale(const char *name)
{
	return (name == NULL || strcmp(name, "C") == 0 ||
	    strcmp(name, "POSIX") == 0);
}

#if defined(ENABLE_NLS) && ENABLE_NLS
/* Does DIR hold a catalog of our domain for LANG? */
static int
i18n_has_catalog(const char *dir, const char *lang)
{
	char	*path;
	int	 found;

	path = xasprintf("%s/%s/LC_MESSAGES/%s.mo", dir, lang, PACKAGE);
	found = access(path, R_OK) == 0;
	free(path);
	return (found);
}

static const char *
i18n_catalog_dir(const char *lang)
{
	const char	*env;

	env = getenv("SIPWATCH_LOCALEDIR");
	if (env != NULL && *env != '\0')
		return (env);
	if (i18n_has_catalog(LOCALEDIR, lang))
		return (LOCALEDIR);
#ifdef SW_TOP_BUILDDIR
	if (i18n_has_catalog(SW_TOP_BUILDDIR "/locale", lang))
		return (SW_TOP_BUILDDIR "/locale");
#endif
	return (LOCALEDIR);
}
#endif

int
i18n_init(const char *lang, char **cause)
{
	const char	*cur;

	if (lang == NULL)
		lang = i18n_env_language();
	if (!i18n_supported(lang)) {
		*cause = xasprintf(_("unsupported language \"%s\" "
		    "(use en, ru, ja or tr)"), lang);
		return (-1);
	}
	memcpy(i18n_current, lang, 2);
	i18n_current[2] = '\0';

	/* LANGUAGE is only honoured when LC_MESSAGES is not C. */
	cur = setlocale(LC_MESSAGES, NULL);
	if (i18n_is_c_locale(cur)) {
		if (setlocale(LC_MESSAGES, "C.UTF-8") == NULL)
			(void)setlocale(LC_MESSAGES, "C.utf8");
	}
	cur = setlocale(LC_CTYPE, NULL);
	if (i18n_is_c_locale(cur)) {
		if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
			(void)setlocale(LC_CTYPE, "C.utf8");
	}
	setenv("LANGUAGE", i18n_current, 1);

#if defined(ENABLE_NLS) && ENABLE_NLS
	bindtextdomain(PACKAGE, i18n_catalog_dir(i18n_current));
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	/* textdomain() also drops translations cached for another LANGUAGE. */
	textdomain(PACKAGE);
#endif
	return (0);
}

int
i18n_switch(const char *lang)
{
	if (!i18n_supported(lang))
		return (-1);
	memcpy(i18n_current, lang, 2);
	i18n_current[2] = '\0';
	setenv("LANGUAGE", i18n_current, 1);
#if defined(ENABLE_NLS) && ENABLE_NLS
	bindtextdomain(PACKAGE, i18n_catalog_dir(i18n_current));
	textdomain(PACKAGE);
#endif
	return (0);
}

const char *
i18n_language(void)
{
	return (i18n_current);
}
