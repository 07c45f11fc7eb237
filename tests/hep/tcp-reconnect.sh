#!/bin/sh
# HEP over TCP when the collector goes away and comes back.  A relay
# (sipwatch --hep-listen=udp --hep=tcp) is fed call-normal.pcap (13
# messages) five times over UDP; its TCP collector (another sipwatch) is
# down at first, up, stopped, then up again.  The relay must queue while
# it is down, connect again by itself, and lose nothing: what the kernel
# accepted for a connection that had already been closed was never
# acknowledged, so it is sent again on the next one.  Counts only; the
# waits poll the relay's /metrics.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"

command -v curl >/dev/null || skip "curl not installed"
command -v python3 >/dev/null || skip "python3 not installed"

tmp=$(mktemp -d) || hard_error "mktemp"
relay_pid= collector_pid=
cleanup() {
	[ -n "$relay_pid" ] && kill "$relay_pid" 2>/dev/null
	[ -n "$collector_pid" ] && kill "$collector_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

in=$(hep_port 5)
out=$((in + 1))
mport=$((in + 2))
cap=$top_srcdir/pcaps/call-normal.pcap

feed() {
	"$SIPWATCH" -r "$cap" -N --report=none -q --hep="udp://127.0.0.1:$in" ||
	    fail "feeding the relay"
}

# Wait until the relay's metric $1 reaches $2 (60 s at most).
wait_metric() {
	i=0
	while :; do
		v=$(curl -s "http://127.0.0.1:$mport/metrics" |
		    sed -n "s/^$1 \([0-9]*\)\$/\1/p")
		[ "${v:-0}" -ge "$2" ] && return 0
		i=$((i + 1))
		[ $i -lt 300 ] || fail "$1 stayed at ${v:-none}, wanted $2"
		sleep 0.2
	done
}

: >"$tmp/relay.err"
"$SIPWATCH" --hep-listen="udp://127.0.0.1:$in" --hep="tcp://127.0.0.1:$out" \
    --metrics="127.0.0.1:$mport" -N --report=json >"$tmp/relay.json" \
    2>"$tmp/relay.err" &
relay_pid=$!
daemon_wait "sipwatch (relay) --hep-listen=udp://127.0.0.1:$in" \
    "$relay_pid" "$tmp/relay.err" 'saying "collecting HEP"' \
    grep -q "collecting HEP" "$tmp/relay.err" || fail "$daemon_why"
daemon_wait "sipwatch (relay) --metrics=127.0.0.1:$mport" "$relay_pid" \
    "$tmp/relay.err" "listening on tcp 127.0.0.1:$mport" \
    listening tcp 127.0.0.1 "$mport" || fail "$daemon_why"

feed					# collector down: queued
wait_metric sipwatch_hep_received_messages_total 13
start_collector "$tmp/c1.json" "$tmp/c1.err" "tcp://127.0.0.1:$out"
wait_metric sipwatch_hep_sent_packets_total 13
feed
wait_metric sipwatch_hep_sent_packets_total 26
stop_collector				# first collector gone
feed
feed
wait_metric sipwatch_hep_received_messages_total 52
start_collector "$tmp/c2.json" "$tmp/c2.err" "tcp://127.0.0.1:$out"
wait_metric sipwatch_hep_sent_packets_total 52
feed
wait_metric sipwatch_hep_sent_packets_total 65
sleep 0.3
stop_collector
kill -TERM "$relay_pid"
wait "$relay_pid" || fail "relay exit status"
relay_pid=

python3 - "$tmp/relay.json" "$tmp/c1.json" "$tmp/c2.json" <<'PY' || fail "counts"
import json, sys
r, c1, c2 = (json.loads(open(p).read().splitlines()[-1]) for p in sys.argv[1:])
s = r["hep"]["sent"]
assert s["queued"] == 65 and s["sent"] == 65, s
assert sum(s["dropped"].values()) == 0 and s["failed"] == 0, s
assert s["tcp_connects"] == 2 and s["connect_failures"] >= 1, s
m1, m2 = c1["sip"]["messages"], c2["sip"]["messages"]
assert m1 == 26, (m1, m2)
assert m2 == 39, (m1, m2)
print("ok   %d + %d of 65 messages over two connections" % (m1, m2))
PY
echo "tcp-reconnect: 1 passed, 0 failed"
exit 0
