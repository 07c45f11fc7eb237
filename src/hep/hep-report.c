/*
 * hep-report.c: the "hep" section of the JSON report (doc/HEP.md).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/xmalloc.h"

#include "hep/hep.h"

static json_t *
hep_json_u64(uint64_t v)
{
	return (json_integer((json_int_t)v));
}

static json_t *
hep_report_send(struct hep_sender *s)
{
	struct hep_send_stats	 st;
	json_t			*o, *d;

	hep_sender_stats(s, &st);
	o = json_object();
	json_object_set_new(o, "queued", hep_json_u64(st.queued));
	json_object_set_new(o, "sent", hep_json_u64(st.sent));
	json_object_set_new(o, "bytes", hep_json_u64(st.bytes));
	json_object_set_new(o, "failed", hep_json_u64(st.failed));
	d = json_object();
	json_object_set_new(d, "queue_full", hep_json_u64(st.dropped_full));
	json_object_set_new(d, "too_large",
	    hep_json_u64(st.dropped_too_large));
	json_object_set_new(d, "shutdown",
	    hep_json_u64(st.dropped_shutdown));
	json_object_set_new(o, "dropped", d);
	json_object_set_new(o, "tcp_connects", hep_json_u64(st.connects));
	json_object_set_new(o, "connect_failures",
	    hep_json_u64(st.connect_failures));
	json_object_set_new(o, "queue_peak", hep_json_u64(st.queue_peak));
	return (o);
}

struct hep_report_peer {
	char		peer[SW_ADDRSTRLEN];
	char		agent[SW_ADDRSTRLEN + 16];
	uint64_t	messages;
};

struct hep_report_peers {
	struct hep_report_peer	*v;
	unsigned		 n;
};

static void
hep_report_peer_add(const struct sw_addr *addr, const struct hep_agent *a,
    uint64_t messages, void *arg)
{
	struct hep_report_peers	*ps = arg;
	struct hep_report_peer	*p;

	if (ps->n == HEP_LISTEN_MAX_PEERS)
		return;
	p = &ps->v[ps->n++];
	sw_addr_format(addr, p->peer, sizeof p->peer);
	hep_agent_format(a, p->agent, sizeof p->agent);
	p->messages = messages;
}

/* Busiest first, then by address: the same order on every run. */
static int
hep_report_peer_cmp(const void *va, const void *vb)
{
	const struct hep_report_peer	*a = va, *b = vb;

	if (a->messages != b->messages)
		return (a->messages > b->messages ? -1 : 1);
	return (strcmp(a->peer, b->peer));
}

/* "peers": each endpoint with the agent that last reported it. */
static json_t *
hep_report_peers(const struct hep_listener *l)
{
	struct hep_report_peers	 ps;
	json_t			*arr, *o;
	unsigned		 i;

	ps.v = xcalloc(HEP_LISTEN_MAX_PEERS, sizeof *ps.v);
	ps.n = 0;
	hep_listener_peers(l, hep_report_peer_add, &ps);
	qsort(ps.v, ps.n, sizeof *ps.v, hep_report_peer_cmp);
	arr = json_array();
	for (i = 0; i < ps.n; i++) {
		o = json_object();
		json_object_set_new(o, "peer", json_string(ps.v[i].peer));
		json_object_set_new(o, "agent", json_string(ps.v[i].agent));
		json_object_set_new(o, "messages",
		    hep_json_u64(ps.v[i].messages));
		json_array_append_new(arr, o);
	}
	free(ps.v);
	return (arr);
}

static json_t *
hep_report_listen(const struct hep_listener *l)
{
	const struct hep_listen_stats	*st = hep_listener_stats(l);
	const struct hep_agent		*a;
	json_t				*o, *e, *arr, *ao;
	char				 buf[SW_ADDRSTRLEN];
	unsigned			 i, n;

	o = json_object();
	json_object_set_new(o, "packets", hep_json_u64(st->packets));
	json_object_set_new(o, "bytes", hep_json_u64(st->bytes));
	json_object_set_new(o, "messages", hep_json_u64(st->messages));
	json_object_set_new(o, "duplicates", hep_json_u64(st->duplicates));
	e = json_object();
	json_object_set_new(e, "1", hep_json_u64(st->by_version[1]));
	json_object_set_new(e, "2", hep_json_u64(st->by_version[2]));
	json_object_set_new(e, "3", hep_json_u64(st->by_version[3]));
	json_object_set_new(o, "versions", e);
	e = json_object();
	for (i = 1; i < HEP_ERR_COUNT; i++)
		if (st->errors[i] > 0)
			json_object_set_new(e, hep_error_name(i),
			    hep_json_u64(st->errors[i]));
	json_object_set_new(o, "errors", e);
	e = json_object();
	json_object_set_new(e, "accepted", hep_json_u64(st->tcp_accepted));
	json_object_set_new(e, "refused", hep_json_u64(st->tcp_refused));
	json_object_set_new(e, "closed_not_hep3",
	    hep_json_u64(st->tcp_closed_bad));
	json_object_set_new(e, "closed_partial",
	    hep_json_u64(st->tcp_closed_partial));
	json_object_set_new(o, "tcp", e);
	json_object_set_new(o, "dedup_evicted",
	    hep_json_u64(st->dedup_evicted));

	arr = json_array();
	a = hep_listener_agents(l, &n);
	for (i = 0; i < n; i++) {
		ao = json_object();
		json_object_set_new(ao, "agent",
		    json_string(hep_agent_format(&a[i], buf, sizeof buf)));
		json_object_set_new(ao, "capture_id", a[i].has_capture_id ?
		    hep_json_u64(a[i].capture_id) : json_null());
		json_object_set_new(ao, "address",
		    json_string(sw_addr_format_ip(&a[i].addr, buf,
		    sizeof buf)));
		json_object_set_new(ao, "packets", hep_json_u64(a[i].packets));
		json_object_set_new(ao, "messages",
		    hep_json_u64(a[i].messages));
		json_object_set_new(ao, "duplicates",
		    hep_json_u64(a[i].duplicates));
		json_object_set_new(ao, "errors", hep_json_u64(a[i].errors));
		json_object_set_new(ao, "last_message", a[i].last_ts_us == 0 ?
		    json_null() : json_real((double)a[i].last_ts_us / 1e6));
		json_array_append_new(arr, ao);
	}
	json_object_set_new(o, "agents", arr);
	json_object_set_new(o, "agents_unlisted",
	    hep_json_u64(st->agents_unlisted));
	json_object_set_new(o, "peers", hep_report_peers(l));
	json_object_set_new(o, "peers_unlisted",
	    hep_json_u64(st->peers_unlisted));
	return (o);
}

void *
hep_report_json(struct hep_sender *send, const struct hep_listener *listen)
{
	json_t	*o = json_object();

	json_object_set_new(o, "sent", send != NULL ?
	    hep_report_send(send) : json_null());
	json_object_set_new(o, "received", listen != NULL ?
	    hep_report_listen(listen) : json_null());
	return (o);
}
