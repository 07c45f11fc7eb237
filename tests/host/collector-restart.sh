#!/bin/sh
# --syslog-remote while the collector goes away and comes back, over UDP
# and over TCP (a collector of the test's own on 127.0.0.1; nothing
# leaves loopback).  A replay at 4x writes about 60 alert lines a second
# for 6 s (no rate limit, an update line for every occurrence); the
# collector is stopped after 1.5 s and started again 2 s later.
# The report's sinks entry for the collector must account for every line
# (sent + failed + dropped = lines given, none queued), the collector
# must have received exactly what was counted as sent, and:
# - UDP: the refusals (ICMP port unreachable) are counted as failed, a
#   few probes at most; the rest waited in the queue and arrived;
# - TCP: nothing lost: what the stopped collector never acknowledged was
#   sent again on the next connection;
# - stderr says the collector was down, and that it came back.
# The collector stops while sipwatch is held (SIGSTOP) for a moment, so
# that nothing races its last read.
. "$(dirname "$0")/../lib.sh"

command -v python3 >/dev/null || skip "python3 not installed"
gen=$top_builddir/bench/sipgen
[ -x "$gen" ] || skip "bench/sipgen not built"

tmp=$(mktemp -d) || hard_error "mktemp"
cpid= spid=
cleanup() {
	[ -n "$spid" ] && kill -CONT "$spid" 2>/dev/null &&
	    kill "$spid" 2>/dev/null
	[ -n "$cpid" ] && kill "$cpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
"$gen" -s 3 -n 20000 -o "$tmp/in.pcap" 2>/dev/null || hard_error "sipgen"
base=$((30000 + $$ % 20000))

collector() {	# proto port out
	rm -f "$3.ready"
	python3 "$top_srcdir/tests/host/collector.py" "$1" "$2" "$3" &
	cpid=$!
	i=0
	until [ -f "$3.ready" ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || hard_error "collector did not start"
		sleep 0.05
	done
}

collector_stop() {
	kill -TERM "$cpid"
	wait "$cpid"
	cpid=
}

for proto in udp tcp; do
	port=$base
	[ "$proto" = tcp ] && port=$((base + 1))
	out=$tmp/$proto.log
	: >"$out"
	collector "$proto" "$port" "$out"
	"$SIPWATCH" -r "$tmp/in.pcap" --speed=4 -N --report=json \
	    --alert-window=0 --alert-rate=0 \
	    --syslog-remote="$proto://127.0.0.1:$port" \
	    >"$tmp/$proto.json" 2>"$tmp/$proto.err" &
	spid=$!
	sleep 1.5
	# sipwatch is held still while the collector stops: a datagram that
	# reached the collector's socket after its last read and before its
	# close would be lost with no ICMP for it (nobody can know; the
	# test could not count exactly).  It goes on sending to the closed
	# port at once after.
	kill -STOP "$spid"
	sleep 0.1
	collector_stop
	kill -CONT "$spid"
	down=$(wc -l <"$out")
	sleep 2
	collector "$proto" "$port" "$out"
	wait "$spid" || { cat "$tmp/$proto.err"; fail "$proto: sipwatch exit"; }
	spid=
	sleep 0.3
	collector_stop
	got=$(wc -l <"$out")
	python3 - "$tmp/$proto.json" "$proto" "$got" "$down" <<'PY' ||
import json, sys
r = json.load(open(sys.argv[1]))
proto, got, down = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
lines = r["alert_rate"]["lines"]
k = [s for s in r["sinks"] if s["sink"] == "syslog-remote"]
assert len(k) == 1, r["sinks"]
k = k[0]
print("%s: %d lines given; sent %d, failed %d, dropped %d, queued %d; "
      "collector received %d (%d before it stopped)"
      % (proto, lines, k["sent"], k["failed"], k["dropped"], k["queued"],
         got, down))
assert lines > 100 and 0 < down < lines, "the stop was not mid-run"
assert k["sent"] + k["failed"] + k["dropped"] == lines, "lines unaccounted"
assert k["queued"] == 0, "still queued"
assert got == k["sent"], "the collector got %d, sent says %d" % (got, k["sent"])
assert k["dropped"] == 0, "dropped"
if proto == "udp":
    assert 1 <= k["failed"] <= 10, "refusals: %d" % k["failed"]
else:
    assert k["failed"] == 0, "failed over TCP"
PY
	    fail "$proto: counts"
	grep -q "syslog $proto://127.0.0.1:$port: .*queued" "$tmp/$proto.err" ||
	    { cat "$tmp/$proto.err"; fail "$proto: no warning when it went down"; }
	grep -q -E "syslog $proto://127.0.0.1:$port: (connected|reachable again)" \
	    "$tmp/$proto.err" ||
	    { cat "$tmp/$proto.err"; fail "$proto: no word when it came back"; }
	echo "ok:   $proto collector stopped and restarted: every line accounted for"
done
echo "collector restart: all checks passed"
