/*
 * fuzz_ui.c: libFuzzer target for what the dashboard and the exports do
 * with bytes from the wire: the filter language (ui-filter.c) parsed
 * from the first line of the input and evaluated on the rest as a raw
 * message (header scanning, folded lines, text search); text fitted to
 * widths (ui-text.c); the escaping of the text and HTML exports
 * (ui-export.c).
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "ui/ui-int.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Results are written here so the compiler cannot drop the work. */
volatile size_t	fuzz_sink;

/* Terms that read the message, for inputs whose filter does not parse. */
static const char *const fuzz_filters[] = {
	"hdr:via=udp or hdr:i or ua:a", "from:\"a b\" to:x", "text:SIP",
	"not (code:5xx or state:failed) and ip:10.0.0.0/8", "hdr:x-call-id=",
	NULL
};

static void
fuzz_eval(struct ui_filter *f, const struct ui_call *call)
{
	struct ui_filter_subject	subj;
	struct ui_peer_row		peer;

	memset(&subj, 0, sizeof subj);
	subj.row = &call->row;
	subj.call = call;
	fuzz_sink += (size_t)ui_filter_eval(f, &subj);
	memset(&peer, 0, sizeof peer);
	peer.addr = call->row.hosts[0];
	fuzz_sink += (size_t)ui_filter_peer(f, &peer);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t	*nl;
	struct ui_filter *f;
	struct ui_call	 call;
	struct ui_msg	 msg;
	GString		*s;
	char		*text, *line, *cause = NULL, *fit;
	size_t		 flen, i;
	int		 w, how;

	nl = memchr(data, '\n', size < 256 ? size : 256);
	flen = nl != NULL ? (size_t)(nl - data) : 0;
	line = g_strndup((const char *)data, flen);
	memset(&call, 0, sizeof call);
	memset(&msg, 0, sizeof msg);
	msg.raw = (uint8_t *)(uintptr_t)(data + (nl != NULL ? flen + 1 : 0));
	msg.raw_len = size - (nl != NULL ? flen + 1 : 0);
	call.msgs = &msg;
	call.nmsgs = 1;
	call.row.hosts[0].family = 4;
	call.row.hosts[0].ip[0] = 10;
	call.row.nhosts = 1;
	snprintf(call.row.call_id, sizeof call.row.call_id, "%.*s",
	    (int)(msg.raw_len < 64 ? msg.raw_len : 64), (const char *)msg.raw);

	if ((f = ui_filter_parse(line, &cause)) != NULL) {
		fuzz_eval(f, &call);
		ui_filter_free(f);
	} else {
		fuzz_sink += strlen(cause);
		free(cause);
		for (i = 0; fuzz_filters[i] != NULL; i++) {
			f = ui_filter_parse(fuzz_filters[i], &cause);
			fuzz_eval(f, &call);
			ui_filter_free(f);
		}
	}

	/* The message as text fitted to widths, as the screens cut it. */
	text = g_strndup((const char *)msg.raw, msg.raw_len > 512 ? 512 :
	    msg.raw_len);
	for (w = 0; w < 40; w += 7) {
		for (how = UI_FIT_END; how <= UI_FIT_WORD; how++) {
			fit = ui_text_fit(text, w, (enum ui_fit)how, w & 1);
			fuzz_sink += (size_t)ui_text_width(fit);
			if (ui_text_width(fit) > (w > 0 ? w : 0))
				abort();
			free(fit);
		}
	}
	g_free(text);

	/* The exports' escaping, plain and HTML. */
	s = g_string_new(NULL);
	ui_export_escape(s, msg.raw, msg.raw_len, 0);
	ui_export_escape(s, msg.raw, msg.raw_len, 1);
	if (!g_utf8_validate(s->str, (gssize)s->len, NULL))
		abort();
	fuzz_sink += s->len;
	g_string_free(s, TRUE);
	g_free(line);
	return (0);
}
