#!/bin/sh
# sipwatch --hep into sngrep as a HEP collector: `sngrep -L
# udp:127.0.0.1:PORT -N -O out.pcap` writes every SIP message it receives
# to a pcap.  Each shipped UDP capture is replayed with `sipwatch -r
# CAPTURE --hep=udp://127.0.0.1:PORT`; the SIP payloads sngrep wrote must
# be byte for byte those of the capture, with the same timestamps and
# addresses (compared with tshark), and sipwatch's report must count
# every message as sent.  Then IPv6 over TCP to a sipwatch collector
# (sngrep 1.6 listens on UDP only, and writes IPv6 messages it received
# over HEP with 0.0.0.0 addresses).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"

command -v sngrep >/dev/null || skip "sngrep not installed"
command -v tshark >/dev/null || skip "tshark not installed"
command -v python3 >/dev/null || skip "python3 not installed"

tmp=$(mktemp -d) || hard_error "mktemp"
spid= collector_pid=
cleanup() {
	[ -n "$spid" ] && kill "$spid" 2>/dev/null
	[ -n "$collector_pid" ] && kill "$collector_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# time, addresses, ports and payload of every UDP SIP message, sorted.
messages() {
	tshark -r "$1" -Y "sip && udp" -T fields -E separator=' ' \
	    -e frame.time_epoch -e ip.src -e ipv6.src -e udp.srcport \
	    -e ip.dst -e ipv6.dst -e udp.dstport -e udp.payload \
	    2>/dev/null | sort
}

port=$(hep_port 2)
n=0
for name in call-normal transfer-blind retransmission \
    invite-timeout register-401 503-retry-after scanner; do
	cap=$top_srcdir/pcaps/$name.pcap
	rm -f "$tmp/out.pcap"
	sngrep -L "udp:127.0.0.1:$port" -N -O "$tmp/out.pcap" \
	    >"$tmp/sngrep.out" 2>&1 &
	spid=$!
	daemon_wait "sngrep -L" "$spid" "$tmp/sngrep.out" \
	    "listening on udp 127.0.0.1:$port" \
	    listening udp 127.0.0.1 "$port" || hard_error "$daemon_why"
	"$SIPWATCH" -r "$cap" -N --report=json \
	    --hep="udp://127.0.0.1:$port" --hep-id=42 >"$tmp/report.json" \
	    2>"$tmp/err" || { cat "$tmp/err"; fail "$name: sipwatch --hep"; }
	sleep 0.5
	kill -TERM "$spid"
	wait "$spid" 2>/dev/null
	spid=
	[ -s "$tmp/out.pcap" ] || fail "$name: sngrep wrote nothing"
	messages "$cap" >"$tmp/want"
	messages "$tmp/out.pcap" >"$tmp/got"
	[ -s "$tmp/want" ] || hard_error "$name: no SIP in the capture"
	if ! cmp -s "$tmp/want" "$tmp/got"; then
		diff "$tmp/want" "$tmp/got" | cut -c1-160 | head -n 10
		fail "$name: what sngrep received differs from the capture"
	fi
	report_of "$tmp/report.json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
s, m = d["hep"]["sent"], d["sip"]["messages"]
assert s["sent"] == m and s["queued"] == m, (s, m)
assert sum(s["dropped"].values()) == 0, s
' || fail "$name: HEP counters in the report"
	echo "ok   $name: $(wc -l <"$tmp/want") messages intact"
	n=$((n + 1))
done

# IPv6 over TCP: sipwatch --hep=tcp:// into a sipwatch collector.
start_collector "$tmp/hep.json" "$tmp/cerr" "tcp://127.0.0.1:$port"
"$SIPWATCH" -r "$top_srcdir/pcaps/call-ipv6.pcap" -N --report=json \
    --hep="tcp://127.0.0.1:$port" --hep-id=7 >"$tmp/file.json" 2>"$tmp/err" ||
    fail "sipwatch --hep=tcp"
sleep 0.5
stop_collector
python3 - "$tmp/file.json" "$tmp/hep.json" <<'PY' || fail "HEP over TCP"
import json, sys
a, b = (json.loads(open(p).read().splitlines()[-1]) for p in sys.argv[1:])
for k in ("sip", "calls", "transactions"):
    assert a[k] == b[k], (k, a[k], b[k])
assert a["hep"]["sent"]["tcp_connects"] == 1, a["hep"]
r = b["hep"]["received"]
assert r["tcp"]["accepted"] == 1 and r["versions"]["3"] == a["sip"]["messages"], r
assert [x["agent"] for x in r["agents"]] == ["7@127.0.0.1"], r["agents"]
PY
echo "ok   IPv6, HEP over TCP: $(report_of "$tmp/hep.json" | python3 -c \
    'import json,sys; print(json.load(sys.stdin)["sip"]["messages"])') messages"
echo "sngrep-listen: $((n + 1)) passed, 0 failed"
exit 0
