#!/bin/sh
# Every output whose destination is gone (issue 20, item 9): a local
# syslog socket that does not exist, a UDP and a TCP syslog collector and
# a UDP and a TCP HEP collector on 127.0.0.1 ports nobody listens on.
# The input is bench/sipgen traffic (20,000 SIP messages, 95 alert lines).
# For each output, in the report's "sinks" and in the metrics file alike:
# nothing counted sent, and sent + failed + dropped = what it was given
# (the alert lines; the SIP messages for HEP); over UDP the refusals
# (ICMP port unreachable) are failures.  On stderr each output says that
# it is down and how much it lost, in a few lines, never a line per
# message or per refused probe (the UDP syslog said "1 alert message(s)
# lost" 13 times; the UDP HEP sender said nothing at all).
. "$(dirname "$0")/../lib.sh"

command -v python3 >/dev/null || skip "python3 not installed"
gen=$top_builddir/bench/sipgen
[ -x "$gen" ] || skip "bench/sipgen not built"

tmp=$(mktemp -d) || hard_error "mktemp"
trap 'rm -rf "$tmp"' EXIT
"$gen" -s 3 -n 20000 -o "$tmp/in.pcap" 2>/dev/null || hard_error "sipgen"

# Ports on 127.0.0.1 free now (bound, then closed): syslog UDP, syslog
# TCP, HEP UDP, HEP TCP.
set -- $(python3 -c '
import socket
s = []
for t in (socket.SOCK_DGRAM, socket.SOCK_STREAM) * 2:
    s.append(socket.socket(socket.AF_INET, t))
    s[-1].bind(("127.0.0.1", 0))
print(" ".join(str(x.getsockname()[1]) for x in s))') || hard_error "ports"
uport=$1 tport=$2 hep_uport=$3 hep_tport=$4

run() {		# run NAME HEP-URL
	"$SIPWATCH" -r "$tmp/in.pcap" -N --report=json \
	    --alerts="$tmp/$1.json" \
	    --syslog=local0 --syslog-socket="$tmp/no.sock" \
	    --syslog-remote="udp://127.0.0.1:$uport" \
	    --syslog-remote="tcp://127.0.0.1:$tport" \
	    --hep="$2" --metrics-file="$tmp/$1.prom" \
	    >"$tmp/$1.report" 2>"$tmp/$1.err" ||
	    { cat "$tmp/$1.err"; fail "$1: exit status $?"; }
	python3 - "$tmp/$1" "$2" <<'PY' || { cat "$tmp/$1.err"; fail "$1"; }
import json, sys
base, hep_url = sys.argv[1:3]
r = json.load(open(base + ".report"))
lines = sum(1 for _ in open(base + ".json"))
h = r["hep"]["sent"]
hep_given = h["queued"] + h["dropped"]["queue_full"] + \
    h["dropped"]["too_large"]
m = {}
pre = "sipwatch_sink_messages_total{"
for line in open(base + ".prom"):
    if line.startswith(pre):
        labels, value = line[len(pre):].rsplit("} ", 1)
        kv = dict(p.split("=", 1) for p in labels.split('",'))
        kv = {k: v.strip('"') for k, v in kv.items()}
        m[(kv["sink"], kv["target"], kv["result"])] = int(value)
err = open(base + ".err").read().splitlines()
down = [s for s in r["sinks"] if s["sink"] != "alerts-json"]
kinds = sorted(s["sink"] for s in down)
assert kinds == ["hep", "syslog", "syslog-remote", "syslog-remote"], kinds
assert lines > 50, "only %d alert lines" % lines
bad = 0
for s in down:
    given = hep_given if s["sink"] == "hep" else lines
    said = [l for l in err if s["target"] in l]
    print("%s %s: given %d; sent %d failed %d dropped %d queued %d; "
          "%d line(s) on stderr" % (s["sink"], s["target"], given, s["sent"],
          s["failed"], s["dropped"], s["queued"], len(said)))
    problems = []
    if s["sent"] != 0:
        problems.append("counted sent")
    if s["sent"] + s["failed"] + s["dropped"] != given or s["queued"] != 0:
        problems.append("does not add up to %d" % given)
    if s["target"].startswith("udp:") and s["failed"] == 0:
        problems.append("UDP refusals not counted failed")
    for res in ("sent", "failed", "dropped"):
        if m.get((s["sink"], s["target"], res)) != s[res]:
            problems.append("metrics %s %s" % (res,
                            m.get((s["sink"], s["target"], res))))
    if not 2 <= len(said) <= 3:
        problems.append("%d lines on stderr, wanted 2 or 3" % len(said))
    if not any("lost" in l for l in said):
        problems.append("stderr does not say how much was lost")
    if problems:
        print("  FAIL: " + "; ".join(problems))
        bad += 1
sys.exit(1 if bad else 0)
PY
	echo "ok:   $1: every output down says so, counts what it lost"
}

run udp "udp://127.0.0.1:$hep_uport"
run tcp "tcp://127.0.0.1:$hep_tport"
echo "sinks down: all checks passed"
