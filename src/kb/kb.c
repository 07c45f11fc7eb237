/*
 * kb.c: loading the knowledge base from data/kb/ (see kb.h).
 *
 * Files (GLib key files, UTF-8):
 *
 *   codes.ini  one group per code ([503]) and per class ([1xx]..[6xx]):
 *              reason, rfc, outcome, retry, fault, dialog (enums, see
 *              kb.h), headers and methods (";" lists, methods "any"),
 *              optional deprecated (English note), treat_as (code) and
 *              related (";" list of codes).
 *   LANG.ini   the same groups with title, summary, meaning, when, fix.
 *
 * Everything read is copied into memory owned by struct kb; GLib is used
 * only while loading.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "core/xmalloc.h"
#include "kb/kb.h"

#define KB_MIN_CODE	100
#define KB_MAX_CODE	699
#define KB_NCODES	(KB_MAX_CODE - KB_MIN_CODE + 1)
#define KB_NCLASSES	6

struct kb {
	char			*lang;
	char			*dir;
	struct kb_entry		*codes[KB_NCODES];	/* NULL: unregistered */
	struct kb_entry		*classes[KB_NCLASSES];
	char			**missing;		/* NULL-terminated */
	size_t			 nmissing;
};

static const char *const kb_outcome_names[] = {
	"provisional", "success", "redirect", "failure", NULL
};
static const char *const kb_retry_names[] = {
	"not-applicable", "same-request-later", "after-retry-after",
	"modify-request", "with-credentials", "other-target", "never", NULL
};
static const char *const kb_fault_names[] = {
	"none", "client", "server", "gateway", "callee", "policy", "routing",
	NULL
};
static const char *const kb_dialog_names[] = {
	"none", "creates-early", "confirms", "terminates-transaction",
	"terminates-usage", "terminates-dialog", "no-effect", NULL
};

/* The text fields of a language file, in the order of struct kb_entry. */
static const char *const kb_text_keys[] = {
	"title", "summary", "meaning", "when", "fix", NULL
};

static const char *
kb_enum_name(const char *const *names, size_t n, int v)
{
	if (v < 0 || (size_t)v >= n)
		return ("?");
	return (names[v]);
}

const char *
kb_outcome_name(enum kb_outcome v)
{
	return (kb_enum_name(kb_outcome_names, 4, (int)v));
}

const char *
kb_retry_name(enum kb_retry v)
{
	return (kb_enum_name(kb_retry_names, 7, (int)v));
}

const char *
kb_fault_name(enum kb_fault v)
{
	return (kb_enum_name(kb_fault_names, 7, (int)v));
}

const char *
kb_dialog_name(enum kb_dialog v)
{
	return (kb_enum_name(kb_dialog_names, 7, (int)v));
}

static int
kb_dir_has_codes(const char *dir)
{
	char	*path;
	int	 ok;

	path = xasprintf("%s/codes.ini", dir);
	ok = access(path, R_OK) == 0;
	free(path);
	return (ok);
}

const char *
kb_default_datadir(void)
{
	const char	*env;

	env = getenv("SIPWATCH_DATADIR");
	if (env != NULL && *env != '\0')
		return (env);
	if (kb_dir_has_codes(PKGDATADIR "/kb"))
		return (PKGDATADIR);
#ifdef SW_TOP_SRCDIR
	if (kb_dir_has_codes(SW_TOP_SRCDIR "/data/kb"))
		return (SW_TOP_SRCDIR "/data");
#endif
	return (PKGDATADIR);
}

char *
kb_dir_of(const char *datadir, char **cause)
{
	char	*dir;

	*cause = NULL;
	dir = xasprintf("%s/kb", datadir);
	if (kb_dir_has_codes(dir))
		return (dir);
	free(dir);
	if (kb_dir_has_codes(datadir))
		return (xstrdup(datadir));
	*cause = xasprintf("no knowledge base in %s: neither %s/kb/codes.ini "
	    "nor %s/codes.ini can be read", datadir, datadir, datadir);
	return (NULL);
}

/*
 * Parse a group name: "NNN" gives *CODE, "Nxx" gives *CLASS.  Returns 0,
 * or -1 if NAME is neither.
 */
static int
kb_parse_group(const char *name, int *code, int *class)
{
	*code = 0;
	*class = 0;
	if (strlen(name) != 3 || name[0] < '1' || name[0] > '6')
		return (-1);
	if (name[1] == 'x' && name[2] == 'x') {
		*class = name[0] - '0';
		return (0);
	}
	if (name[1] < '0' || name[1] > '9' || name[2] < '0' || name[2] > '9')
		return (-1);
	*code = (name[0] - '0') * 100 + (name[1] - '0') * 10 + (name[2] - '0');
	*class = name[0] - '0';
	return (0);
}

/* Parse a whole decimal number in MIN..MAX.  0, or -1. */
static int
kb_parse_int(const char *s, int min, int max, int *v)
{
	char	*end;
	long	 l;

	errno = 0;
	l = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || l < min || l > max)
		return (-1);
	*v = (int)l;
	return (0);
}

/* Split a ";" list, trimming items and dropping empty ones. */
static char **
kb_split(const char *value, size_t *n)
{
	gchar	**parts;
	char	**list;
	size_t	  i, count = 0;

	parts = g_strsplit(value != NULL ? value : "", ";", -1);
	for (i = 0; parts[i] != NULL; i++)
		count++;
	list = xcalloc(count + 1, sizeof *list);
	*n = 0;
	for (i = 0; parts[i] != NULL; i++) {
		g_strstrip(parts[i]);
		if (*parts[i] != '\0')
			list[(*n)++] = xstrdup(parts[i]);
	}
	g_strfreev(parts);
	return (list);
}

static void
kb_free_list(const char *const *list)
{
	size_t	i;

	if (list == NULL)
		return;
	for (i = 0; list[i] != NULL; i++)
		free((char *)list[i]);
	free((char **)list);
}

static void
kb_entry_free(struct kb_entry *e)
{
	if (e == NULL)
		return;
	free((char *)e->reason);
	free((char *)e->rfc);
	free((char *)e->title);
	free((char *)e->summary);
	free((char *)e->meaning);
	free((char *)e->when);
	free((char *)e->fix);
	free((char *)e->deprecated);
	kb_free_list(e->headers);
	kb_free_list(e->methods);
	free((int *)e->related);
	free(e);
}

void
kb_free(struct kb *kb)
{
	size_t	i;

	if (kb == NULL)
		return;
	for (i = 0; i < KB_NCODES; i++)
		kb_entry_free(kb->codes[i]);
	for (i = 0; i < KB_NCLASSES; i++)
		kb_entry_free(kb->classes[i]);
	kb_free_list((const char *const *)kb->missing);
	free(kb->lang);
	free(kb->dir);
	free(kb);
}

/* The string value of KEY, trimmed, or NULL if absent.  Caller frees. */
static char *
kb_get(GKeyFile *kf, const char *group, const char *key)
{
	gchar	*v;
	char	*s;

	v = g_key_file_get_string(kf, group, key, NULL);
	if (v == NULL)
		return (NULL);
	g_strstrip(v);
	s = xstrdup(v);
	g_free(v);
	return (s);
}

/*
 * Read the enum KEY of GROUP into *V.  A missing key takes DEF, or is an
 * error if DEF is -1.  Returns 0, or -1 with *CAUSE set.
 */
static int
kb_get_enum(GKeyFile *kf, const char *group, const char *key,
    const char *const *names, int def, int *v, char **cause)
{
	char	*s;
	size_t	 i;

	if ((s = kb_get(kf, group, key)) == NULL) {
		if (def == -1) {
			*cause = xasprintf("codes.ini: [%s]: missing key %s",
			    group, key);
			return (-1);
		}
		*v = def;
		return (0);
	}
	for (i = 0; names[i] != NULL; i++) {
		if (strcmp(s, names[i]) == 0) {
			*v = (int)i;
			free(s);
			return (0);
		}
	}
	*cause = xasprintf("codes.ini: [%s]: %s=%s is not a valid value",
	    group, key, s);
	free(s);
	return (-1);
}

/* Defaults for class groups that leave an enum out (RFC 3261 §21). */
static const struct {
	int	outcome, retry, fault, dialog;
} kb_class_defaults[KB_NCLASSES] = {
	{ KB_OUTCOME_PROVISIONAL, KB_RETRY_NOT_APPLICABLE, KB_FAULT_NONE,
	  KB_DIALOG_NONE },
	{ KB_OUTCOME_SUCCESS, KB_RETRY_NOT_APPLICABLE, KB_FAULT_NONE,
	  KB_DIALOG_CONFIRMS },
	{ KB_OUTCOME_REDIRECT, KB_RETRY_OTHER_TARGET, KB_FAULT_ROUTING,
	  KB_DIALOG_TERMINATES_TRANSACTION },
	{ KB_OUTCOME_FAILURE, KB_RETRY_MODIFY, KB_FAULT_CLIENT,
	  KB_DIALOG_TERMINATES_TRANSACTION },
	{ KB_OUTCOME_FAILURE, KB_RETRY_SAME_LATER, KB_FAULT_SERVER,
	  KB_DIALOG_TERMINATES_TRANSACTION },
	{ KB_OUTCOME_FAILURE, KB_RETRY_NEVER, KB_FAULT_CALLEE,
	  KB_DIALOG_TERMINATES_TRANSACTION },
};

/* Read one codes.ini group into a new entry.  NULL with *CAUSE set. */
static struct kb_entry *
kb_read_facts(GKeyFile *kf, const char *group, int code, int class,
    char **cause)
{
	struct kb_entry	*e;
	char		*s, **list;
	size_t		 n, i;
	int		 v, isclass = code == 0;
	int		*related;

	e = xcalloc(1, sizeof *e);
	e->code = code;
	e->class = class;
	e->registered = !isclass;

	e->reason = kb_get(kf, group, "reason");
	e->rfc = kb_get(kf, group, "rfc");
	if (!isclass && (e->reason == NULL || *e->reason == '\0')) {
		*cause = xasprintf("codes.ini: [%s]: missing key reason",
		    group);
		goto fail;
	}
	if (!isclass && (e->rfc == NULL || *e->rfc == '\0')) {
		*cause = xasprintf("codes.ini: [%s]: missing key rfc", group);
		goto fail;
	}
	if (e->reason == NULL)
		e->reason = xstrdup("");
	if (e->rfc == NULL)
		e->rfc = xstrdup("RFC3261");

	if (kb_get_enum(kf, group, "outcome", kb_outcome_names, isclass ?
	    kb_class_defaults[class - 1].outcome : -1, &v, cause) != 0)
		goto fail;
	e->outcome = (enum kb_outcome)v;
	if (kb_get_enum(kf, group, "retry", kb_retry_names,
	    isclass ? kb_class_defaults[class - 1].retry : -1, &v, cause) != 0)
		goto fail;
	e->retry = (enum kb_retry)v;
	if (kb_get_enum(kf, group, "fault", kb_fault_names,
	    isclass ? kb_class_defaults[class - 1].fault : -1, &v, cause) != 0)
		goto fail;
	e->fault = (enum kb_fault)v;
	if (kb_get_enum(kf, group, "dialog", kb_dialog_names,
	    isclass ? kb_class_defaults[class - 1].dialog : -1, &v, cause) != 0)
		goto fail;
	e->dialog = (enum kb_dialog)v;

	s = kb_get(kf, group, "headers");
	e->headers = (const char *const *)kb_split(s, &e->nheaders);
	free(s);
	s = kb_get(kf, group, "methods");
	list = kb_split(s, &n);
	free(s);
	if (n == 1 && g_ascii_strcasecmp(list[0], "any") == 0) {
		free(list[0]);
		list[0] = NULL;
		n = 0;
	}
	e->methods = (const char *const *)list;
	e->nmethods = n;

	s = kb_get(kf, group, "deprecated");
	if (s != NULL && *s == '\0') {
		free(s);
		s = NULL;
	}
	e->deprecated = s;

	if ((s = kb_get(kf, group, "treat_as")) != NULL && *s != '\0') {
		if (kb_parse_int(s, KB_MIN_CODE, KB_MAX_CODE, &v) != 0) {
			*cause = xasprintf("codes.ini: [%s]: treat_as=%s is "
			    "not a code", group, s);
			free(s);
			goto fail;
		}
		e->treated_as = v;
	} else if (isclass) {
		/* RFC 3261 §8.1.3.2: x00, and 183 for an unknown 1xx. */
		e->treated_as = class == 1 ? 183 : class * 100;
	}
	free(s);

	s = kb_get(kf, group, "related");
	list = kb_split(s, &n);
	free(s);
	related = xcalloc(n + 1, sizeof *related);
	for (i = 0; i < n; i++) {
		if (kb_parse_int(list[i], KB_MIN_CODE, KB_MAX_CODE,
		    &related[i]) != 0) {
			*cause = xasprintf("codes.ini: [%s]: related: \"%s\" "
			    "is not a code", group, list[i]);
			kb_free_list((const char *const *)list);
			free(related);
			goto fail;
		}
	}
	kb_free_list((const char *const *)list);
	e->related = related;
	e->nrelated = n;
	return (e);

fail:
	kb_entry_free(e);
	return (NULL);
}

static GKeyFile *
kb_open(const char *dir, const char *name, int required, char **cause)
{
	GKeyFile	*kf;
	GError		*err = NULL;
	char		*path;

	path = xasprintf("%s/%s", dir, name);
	kf = g_key_file_new();
	if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &err)) {
		if (required || !g_error_matches(err, G_FILE_ERROR,
		    G_FILE_ERROR_NOENT))
			*cause = xasprintf("%s: %s", path, err->message);
		g_error_free(err);
		g_key_file_free(kf);
		free(path);
		return (NULL);
	}
	free(path);
	return (kf);
}

static const char **
kb_text_slot(struct kb_entry *e, size_t i)
{
	switch (i) {
	case 0:
		return (&e->title);
	case 1:
		return (&e->summary);
	case 2:
		return (&e->meaning);
	case 3:
		return (&e->when);
	default:
		return (&e->fix);
	}
}

static void
kb_group_name(const struct kb_entry *e, char *buf, size_t len)
{
	if (e->code != 0)
		snprintf(buf, len, "%d", e->code);
	else
		snprintf(buf, len, "%dxx", e->class);
}

/* Add "GROUP.KEY" to the list of fields that fell back to English. */
static void
kb_note_missing(struct kb *kb, const char *group, const char *key)
{
	kb->missing = xreallocarray(kb->missing, kb->nmissing + 2,
	    sizeof *kb->missing);
	kb->missing[kb->nmissing++] = xasprintf("%s.%s", group, key);
	kb->missing[kb->nmissing] = NULL;
}

/* Fill the text of E from LANG (may be NULL) with EN as fallback. */
static void
kb_read_text(struct kb *kb, struct kb_entry *e, GKeyFile *en,
    GKeyFile *lang)
{
	char	 group[8], *v;
	size_t	 i;

	kb_group_name(e, group, sizeof group);
	for (i = 0; kb_text_keys[i] != NULL; i++) {
		v = NULL;
		if (lang != NULL || strcmp(kb->lang, "en") != 0) {
			if (lang != NULL)
				v = kb_get(lang, group, kb_text_keys[i]);
			if (v != NULL && *v == '\0') {
				free(v);
				v = NULL;
			}
			if (v == NULL)
				kb_note_missing(kb, group, kb_text_keys[i]);
		}
		if (v == NULL)
			v = kb_get(en, group, kb_text_keys[i]);
		if (v == NULL)
			v = xstrdup("");
		*kb_text_slot(e, i) = v;
	}

	/* Optional: the note of codes.ini in this language. */
	if (e->deprecated != NULL && lang != NULL &&
	    (v = kb_get(lang, group, "deprecated")) != NULL) {
		if (*v != '\0') {
			free((char *)e->deprecated);
			e->deprecated = v;
		} else
			free(v);
	}
}

struct kb *
kb_load(const char *datadir, const char *lang, char **cause)
{
	struct kb	 *kb;
	struct kb_entry	 *e;
	char		 *kbdir;
	GKeyFile	 *codes = NULL, *en = NULL, *tr = NULL;
	gchar		**groups = NULL;
	char		 *name;
	size_t		  i;
	int		  code, class;

	*cause = NULL;
	if (lang == NULL || strlen(lang) != 2 || strchr(lang, '/') != NULL ||
	    lang[0] == '.') {
		*cause = xasprintf("invalid language \"%s\"",
		    lang == NULL ? "(null)" : lang);
		return (NULL);
	}
	if ((kbdir = kb_dir_of(datadir != NULL ? datadir :
	    kb_default_datadir(), cause)) == NULL)
		return (NULL);
	kb = xcalloc(1, sizeof *kb);
	kb->lang = xstrdup(lang);
	kb->dir = kbdir;

	if ((codes = kb_open(kbdir, "codes.ini", 1, cause)) == NULL)
		goto fail;
	if ((en = kb_open(kbdir, "en.ini", 1, cause)) == NULL)
		goto fail;
	if (strcmp(lang, "en") != 0) {
		name = xasprintf("%s.ini", lang);
		tr = kb_open(kbdir, name, 0, cause);
		free(name);
		if (tr == NULL && *cause != NULL)
			goto fail;
	}

	groups = g_key_file_get_groups(codes, NULL);
	for (i = 0; groups[i] != NULL; i++) {
		if (kb_parse_group(groups[i], &code, &class) != 0) {
			*cause = xasprintf("codes.ini: [%s] is neither a code "
			    "(100..699) nor a class (1xx..6xx)", groups[i]);
			goto fail;
		}
		if ((e = kb_read_facts(codes, groups[i], code, class,
		    cause)) == NULL)
			goto fail;
		if (code != 0)
			kb->codes[code - KB_MIN_CODE] = e;
		else
			kb->classes[class - 1] = e;
	}
	for (class = 1; class <= KB_NCLASSES; class++) {
		if (kb->classes[class - 1] == NULL) {
			*cause = xasprintf("codes.ini: class group [%dxx] is "
			    "missing", class);
			goto fail;
		}
	}

	/* Text, in code order, then the classes. */
	for (code = KB_MIN_CODE; code <= KB_MAX_CODE; code++) {
		if ((e = kb->codes[code - KB_MIN_CODE]) != NULL)
			kb_read_text(kb, e, en, tr);
	}
	for (class = 1; class <= KB_NCLASSES; class++)
		kb_read_text(kb, kb->classes[class - 1], en, tr);

	g_strfreev(groups);
	g_key_file_free(codes);
	g_key_file_free(en);
	if (tr != NULL)
		g_key_file_free(tr);
	return (kb);

fail:
	g_strfreev(groups);
	if (codes != NULL)
		g_key_file_free(codes);
	if (en != NULL)
		g_key_file_free(en);
	if (tr != NULL)
		g_key_file_free(tr);
	kb_free(kb);
	return (NULL);
}

const char *
kb_language(const struct kb *kb)
{
	return (kb->lang);
}

const char *
kb_datadir(const struct kb *kb)
{
	return (kb->dir);
}

const struct kb_entry *
kb_lookup(const struct kb *kb, int code)
{
	if (code < KB_MIN_CODE || code > KB_MAX_CODE)
		return (NULL);
	if (kb->codes[code - KB_MIN_CODE] != NULL)
		return (kb->codes[code - KB_MIN_CODE]);
	return (kb->classes[code / 100 - 1]);
}

const struct kb_entry *
kb_class(const struct kb *kb, int class)
{
	if (class < 1 || class > KB_NCLASSES)
		return (NULL);
	return (kb->classes[class - 1]);
}

int
kb_next_code(const struct kb *kb, int after)
{
	int	code;

	code = after < KB_MIN_CODE - 1 ? KB_MIN_CODE : after + 1;
	for (; code <= KB_MAX_CODE; code++) {
		if (kb->codes[code - KB_MIN_CODE] != NULL)
			return (code);
	}
	return (-1);
}

const char *const *
kb_missing_translations(const struct kb *kb, size_t *n)
{
	static const char *const none[] = { NULL };

	*n = kb->nmissing;
	if (kb->missing == NULL)
		return (none);
	return ((const char *const *)kb->missing);
}
