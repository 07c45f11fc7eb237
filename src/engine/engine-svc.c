/*
 * engine-svc.c: syslog, the alert rate limit, -w, --save-alerted, SIGHUP and
 * -Z, on the engine's packet path (engine-svc.h).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alert/alert.h"
#include "alert/alert-rate.h"
#include "capture/capture-dump.h"
#include "core/json.h"
#include "core/log.h"
#include "core/privdrop.h"
#include "core/sink.h"
#include "core/xmalloc.h"
#include "decode/decode.h"
#include "engine/engine-block.h"
#include "engine/engine-svc.h"
#include "pipeline/pipeline.h"
#include "rules/rules.h"
#include "track/track.h"

static volatile sig_atomic_t	engine_svc_hup;

void
engine_reopen(void)
{
	engine_svc_hup = 1;
}

void
engine_svc_opts_default(struct engine_svc_opts *o)
{
	memset(o, 0, sizeof *o);
	o->rate = ALERT_RATE_RATE;
	o->rate_burst = ALERT_RATE_BURST;
}

/* Tracker observation: a Call-ID record went away (--save-alerted). */
static void
engine_svc_observe(const struct track_obs *o, void *arg)
{
	struct engine_svc	*s = arg;

	if (o->type == TRACK_OBS_RELEASE && s->save != NULL)
		capture_save_release(s->save, o->call_id, o->call_id_len,
		    o->u.release.evicted);
	if (o->type == TRACK_OBS_ATTACK && s->block != NULL)
		engine_block_observe(s->block, o);
}

/* Add a sink of OPS on "FACILITY:REST" to OUT. */
static int
engine_svc_sink(struct alert_out *out, const struct alert_sink_ops *ops,
    const char *facility, const char *rest, char **cause)
{
	char	*target;
	int	 r;

	target = xasprintf("%s:%s", facility, rest != NULL ? rest : "");
	r = alert_out_add(out, ops, target, cause);
	free(target);
	return (r);
}

int
engine_svc_open(struct engine_svc *s, const struct engine_svc_opts *o,
    struct alert_out *out, struct track *tr, int dlt, int snaplen,
    char **cause)
{
	struct capture_dump_opts	 dopts;
	struct capture_save_opts	 sopts;
	const char			*facility;
	unsigned			 i;

	memset(s, 0, sizeof *s);
	s->o = o;
	s->out = out;
	s->tr = tr;
	facility = o->syslog != NULL ? o->syslog : "local0";

	if (o->syslog != NULL && engine_svc_sink(out, &alert_sink_syslog,
	    facility, o->syslog_socket, cause) == -1)
		return (-1);
	for (i = 0; i < o->nremote; i++) {
		if (engine_svc_sink(out, &alert_sink_remote, facility,
		    o->remote[i], cause) == -1)
			return (-1);
	}
	s->rate = alert_rate_create(o->rate, o->rate_burst, out);
	if (o->dump.file != NULL) {
		dopts = o->dump;
		dopts.dlt = dlt;
		dopts.snaplen = snaplen;
		if ((s->dump = capture_dump_open(&dopts, cause)) == NULL)
			return (-1);
	}
	if (o->save_alerted != NULL) {
		memset(&sopts, 0, sizeof sopts);
		sopts.dir = o->save_alerted;
		sopts.dlt = dlt;
		sopts.snaplen = snaplen;
		if ((s->save = capture_save_create(&sopts, cause)) == NULL)
			return (-1);
	}
	if (o->user != NULL && privdrop(o->user, cause) == -1)
		return (-1);
	/* Written from now on, as the -Z user. */
	if (o->blocklist != NULL &&
	    (s->block = engine_block_open(o->blocklist, cause)) == NULL)
		return (-1);
	if (s->save != NULL || s->block != NULL)
		(void)track_subscribe(tr, engine_svc_observe, s);
	/* Its files are created from now on, as the -Z user. */
	if (o->save_alerted != NULL &&
	    access(o->save_alerted, W_OK | X_OK) == -1) {
		*cause = xasprintf("--save-alerted: %s: %s%s%s", o->save_alerted,
		    strerror(errno), o->user != NULL ? " for user " : "",
		    o->user != NULL ? o->user : "");
		return (-1);
	}
	return (0);
}

void
engine_svc_alert(struct engine_svc *s, const struct alert *a)
{
	if (s->save != NULL && a->event == ALERT_EVENT_RAISE)
		capture_save_alert(s->save, a->call_id, a->rule, a->ts_us);
	if (s->rate != NULL)
		alert_rate_emit(s->rate, a);
}

void
engine_svc_packet(struct engine_svc *s, uint64_t frame, int64_t ts,
    const uint8_t *data, size_t caplen, size_t wirelen)
{
	if (s->dump != NULL)
		capture_dump_write(s->dump, ts, data, caplen, wirelen);
	s->cur = data;
	s->cur_frame = frame;
	s->cur_ts = ts;
	s->cur_caplen = caplen;
	s->cur_wirelen = wirelen;
	s->cur_kept = 0;
}

void
engine_svc_sip_frame(struct engine_svc *s)
{
	if (s->save == NULL || s->cur == NULL || s->cur_kept)
		return;
	s->cur_kept = 1;
	capture_save_frame(s->save, s->cur_frame, s->cur_ts, s->cur,
	    s->cur_caplen, s->cur_wirelen);
}

void
engine_svc_media_frame(struct engine_svc *s, const char *call_id, size_t len)
{
	if (s->save == NULL || s->cur == NULL)
		return;
	capture_save_media(s->save, s->cur_frame, s->cur_ts, s->cur,
	    s->cur_caplen, s->cur_wirelen, call_id, len);
}

void
engine_svc_packet_end(struct engine_svc *s)
{
	s->cur = NULL;
}

void
engine_svc_message(struct engine_svc *s, const struct pipe_item *it)
{
	if (s->save != NULL && it->msg != NULL && it->msg->call_id.s != NULL)
		capture_save_message(s->save, it->frame, it->msg->call_id.s,
		    it->msg->call_id.len);
	if (s->rate != NULL)
		alert_rate_advance(s->rate, it->ts_us);
	s->now_us = it->ts_us;
}

void
engine_svc_clock(struct engine_svc *s, int64_t now)
{
	if (s->rate != NULL)
		alert_rate_advance(s->rate, now);
	s->now_us = now;
}

void
engine_svc_tick(struct engine_svc *s)
{
	if (engine_svc_hup) {
		engine_svc_hup = 0;
		log_debug("SIGHUP: reopening the alert file and -w");
		alert_out_reopen(s->out);
		if (s->dump != NULL)
			capture_dump_reopen(s->dump);
	}
	/* Queued alerts: a syslog daemon or collector back, a disk freed. */
	if (s->out != NULL)
		alert_out_flush(s->out);
	if (s->dump != NULL)
		capture_dump_flush(s->dump, 0);
	engine_block_flush(s->block, s->now_us, 0);
}

void
engine_svc_finish(struct engine_svc *s, int64_t last_us)
{
	if (s->tr != NULL)
		track_unsubscribe(s->tr, engine_svc_observe, s);
	if (s->save != NULL)
		capture_save_finish(s->save);
	if (s->rate != NULL)
		alert_rate_finish(s->rate, last_us);
	engine_svc_tick(s);
	engine_block_flush(s->block, last_us, 1);
	/* The report's figures are final: nothing is sent after it. */
	alert_out_drain(s->out);
	if (s->dump != NULL)
		capture_dump_flush(s->dump, 1);
}

unsigned
engine_svc_sinks(struct engine_svc *s, struct sw_sink *v, unsigned max)
{
	unsigned	n = 0;

	if (s->dump != NULL && n < max)
		capture_dump_sink(s->dump, &v[n++]);
	if (s->save != NULL && n < max)
		capture_save_sink(s->save, &v[n++]);
	return (n);
}

void
engine_svc_report(json_t *root, struct engine_svc *s)
{
	json_t		*o;
	unsigned	 n;
	uint64_t	 writes, errors;

	if (s->rate != NULL)
		alert_rate_report(root, s->rate);
	if (s->dump != NULL)
		capture_dump_report(root, s->dump);
	if (s->save != NULL)
		capture_save_report(root, s->save);
	if (s->block != NULL) {
		engine_block_counts(s->block, &n, &writes, &errors);
		o = json_object();
		sw_json_set(o, "file", json_string(s->o->blocklist));
		sw_json_set(o, "entries", sw_json_uint(n));
		sw_json_set(o, "writes", sw_json_uint(writes));
		sw_json_set(o, "errors", sw_json_uint(errors));
		sw_json_set(root, "blocklist", o);
	}
}

void
engine_svc_close(struct engine_svc *s)
{
	if (s->tr != NULL)
		track_unsubscribe(s->tr, engine_svc_observe, s);
	s->tr = NULL;
	alert_rate_destroy(s->rate);
	s->rate = NULL;
	capture_dump_close(s->dump);
	s->dump = NULL;
	capture_save_destroy(s->save);
	s->save = NULL;
	engine_block_close(s->block);
	s->block = NULL;
}
