#!/bin/sh
# sngrep as a HEP capture agent: `sngrep -I CAPTURE -N -H udp:127.0.0.1:PORT`
# replays each shipped capture as HEPv3 into `sipwatch --hep-listen`.  The
# collector must report exactly what `sipwatch -r CAPTURE` reports: SIP
# messages by method and code, retransmissions, transactions, calls, and
# alerts by rule (HEP carries the original addresses and timestamps).
#
# Captures sngrep 1.6 itself does not decode completely are left out: SIP
# over TCP, SCTP and WebSocket, tunnels, QinQ VLANs and IP fragments
# (crafted-*, tcp-*, udp-fragments, vlan-qinq): there sngrep sends fewer
# messages than the capture holds.  So are the calls with RTP
# (media-one-way, media-quality): sngrep sends their SIP only, so the media
# rules have no streams to judge.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"

command -v sngrep >/dev/null || skip "sngrep not installed"
command -v python3 >/dev/null || skip "python3 not installed"

tmp=$(mktemp -d) || hard_error "mktemp"
collector_pid=
cleanup() {
	[ -n "$collector_pid" ] && kill "$collector_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

port=$(hep_port 1)
n=0 bad=0
for cap in "$top_srcdir"/pcaps/*.pcap; do
	name=$(basename "$cap" .pcap)
	case $name in
	crafted-*|tcp-*|udp-fragments|vlan-qinq) continue ;;
	media-one-way|media-quality) continue ;;
	esac
	"$SIPWATCH" -r "$cap" -N --report=json >"$tmp/file.json" 2>/dev/null ||
	    fail "$name: sipwatch -r failed"
	want=$(report_of "$tmp/file.json" | python3 -c \
	    'import json,sys; print(json.load(sys.stdin)["sip"]["messages"])')
	# sngrep 1.6 -N -I sometimes exits before its HEP sender has sent
	# everything (seen with a plain UDP counter as the receiver too):
	# when fewer HEP packets came than the capture holds, run it again.
	try=0
	while :; do
		try=$((try + 1))
		start_collector "$tmp/hep.json" "$tmp/err" \
		    "udp://127.0.0.1:$port" --alerts="$tmp/alerts.json"
		timeout 60 sngrep -I "$cap" -N -H "udp:127.0.0.1:$port" \
		    >"$tmp/sngrep.out" 2>&1 || fail "$name: sngrep failed"
		# Loopback UDP is not lost; give the collector a moment to
		# read its socket.
		sleep 0.3
		stop_collector
		got=$(report_of "$tmp/hep.json" | python3 -c \
		    'import json,sys; print(json.load(sys.stdin)["hep"]["received"]["packets"])')
		[ "$got" -ge "$want" ] && break
		[ $try -lt 5 ] ||
		    fail "$name: sngrep sent $got of $want messages, 5 times"
		echo "$name: sngrep sent $got of $want messages; again"
	done
	if ! python3 - "$tmp/file.json" "$tmp/hep.json" "$name" \
	    "$tmp/alerts.json" <<'PY'
import json, sys
def last(p):
    return json.loads(open(p).read().splitlines()[-1])
a, b, name = last(sys.argv[1]), last(sys.argv[2]), sys.argv[3]
# Every alert names the agent (sngrep) that reported its message.
alerts = [json.loads(x) for x in open(sys.argv[4]) if x.strip()]
if any(not x.get("agent", "").endswith("@127.0.0.1") for x in alerts):
    print("%s: an alert without its agent" % name)
    sys.exit(1)
keys = ("sip", "transactions", "calls")
bad = [k for k in keys if a[k] != b[k]]
if a["incidents"]["by_rule"] != b["incidents"]["by_rule"]:
    bad.append("incidents")
h = b["hep"]["received"]
if h["messages"] != a["sip"]["messages"] or h["duplicates"] != 0:
    bad.append("hep.received")
for k in bad:
    print("%s: %s differs" % (name, k))
    print("  -r:  %s" % json.dumps(a.get(k, a["incidents"]))[:600])
    print("  HEP: %s" % json.dumps(b.get(k, b["incidents"]))[:600])
n = sum(a["incidents"]["by_rule"].values())
print("%s %s: %d messages, %d incidents" % ("ok  " if not bad else "FAIL",
    name, a["sip"]["messages"], n))
sys.exit(1 if bad else 0)
PY
	then
		bad=$((bad + 1))
	fi
	n=$((n + 1))
done
[ $n -gt 20 ] || hard_error "only $n captures"
echo "sngrep-send: $((n - bad)) passed, $bad failed"
[ $bad -eq 0 ] || fail "$bad capture(s) differ"
exit 0
