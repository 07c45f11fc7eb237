#!/bin/sh
# tests/stream/caps.sh: a capture made to exhaust the reassembly caps
# (pcaps/gen/stream/craft.py --exhaust: 20000 TCP connections with
# unfinished messages, 300 segments behind a hole, 5000 incomplete IP
# datagrams) must leave the memory and count caps holding, every drop
# counted, and the 21 whole SIP messages that follow still seen.
. "$(dirname "$0")/../lib.sh"

command -v python3 >/dev/null || skip "python3 not installed"
tmp=$(mktemp -d) || hard_error "mktemp"
trap 'rm -rf "$tmp"' EXIT

python3 "$top_srcdir/pcaps/gen/stream/craft.py" --exhaust "$tmp/x.pcap" ||
	hard_error "cannot write the capture"
"$SIPWATCH" -r "$tmp/x.pcap" -N --report=json >"$tmp/out" 2>"$tmp/err" ||
	{ cat "$tmp/err"; fail "sipwatch failed"; }
tail -n 1 "$tmp/out" >"$tmp/r.json"
python3 - "$tmp/r.json" <<'PY' || fail "caps not held"
import json, sys
r = json.load(open(sys.argv[1]))
ra, sip = r["reassembly"], r["sip"]
want = {
    ("sip", "messages"): 21,
    ("reassembly", "tcp_streams"): 20011,
    ("reassembly", "tcp_peak_streams"): 16384,      # TCP_MAX_STREAMS
    ("reassembly", "tcp_peak_bytes"): 64 * 1024 * 1024,  # TCP_MAX_BYTES
    ("reassembly", "tcp_evicted"): 3618,
    ("reassembly", "tcp_gaps"): 1,
    ("reassembly", "tcp_gap_bytes"): 100,
    ("reassembly", "frag_evicted"): 5000 - 4096,    # FRAG_MAX_DGRAMS
    ("reassembly", "evicted"): 3618 + 904,
}
bad = 0
for (sec, key), v in want.items():
    got = r[sec][key]
    print("%-30s %10d %s" % (sec + "." + key, got,
                             "ok" if got == v else "WANT %d" % v))
    bad += got != v
if sip["requests"].get("OPTIONS") != 11 or sip["responses"].get("200") != 10:
    print("requests/responses:", sip["requests"], sip["responses"])
    bad += 1
sys.exit(1 if bad else 0)
PY
