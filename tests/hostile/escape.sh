#!/bin/sh
# Terminal escape injection and strict UTF-8 (issue 20, items 3 and 4).
# Header values with ESC, BEL, a C1 CSI and a UTF-8-encoded surrogate
# (tests/hostile/escape.py) must reach no output meant for a person raw:
# the -N alert lines and the text report show them as \xHH; JSON alert
# lines escape them as JSON does; the local syslog and RFC 5424 lines
# carry no control byte and no sequence RFC 3629 forbids; and `sipwatch
# explain` escapes a knowledge base that holds one.
. "$(dirname "$0")/../lib.sh"

tmp=$(mktemp -d) || hard_error "mktemp"
trap 'rm -rf "$tmp"' EXIT

python3 "$top_srcdir/tests/hostile/escape.py" "$tmp/esc.pcap" ||
    hard_error "escape.py failed"

# raw FILE WHAT: FILE holds no ESC, BEL or CSI byte and is valid UTF-8.
raw() {
	python3 - "$1" "$2" <<'PY' || fail "$2: control bytes or bad UTF-8"
import sys
data = open(sys.argv[1], "rb").read()
bad = [b for b in (b"\x1b", b"\x07", b"\xc2\x9b", b"\xed\xa0\x80") if b in data]
try:
    data.decode("utf-8", "strict")
except UnicodeDecodeError as e:
    bad.append(str(e).encode())
if bad:
    print("%s: %r" % (sys.argv[2], bad))
    sys.exit(1)
PY
}

# -N: the readable alert lines.
"$SIPWATCH" -r "$tmp/esc.pcap" -N >"$tmp/lines" 2>"$tmp/err" ||
    { cat "$tmp/err"; fail "sipwatch -N failed"; }
raw "$tmp/lines" "-N lines"
grep -q 'User-Agent "friendly-scanner\\x1b]0;PWNED\\x07\\x1b\[2J\\xed\\xa0\\x80\\xc2\\x9b1m"' \
    "$tmp/lines" || { cat "$tmp/lines"; fail "-N: scanner User-Agent not escaped"; }
grep -q 'bad-gateway esc-\\x1b]0;PWNED\\x07' "$tmp/lines" ||
    fail "-N: Call-ID not escaped"
grep -q '502 Bad\\x1b]0;PWNED\\x07\\x1b\[2J' "$tmp/lines" ||
    fail "-N: reason phrase not escaped"
echo "ok:   -N alert lines escape User-Agent, Call-ID, reason phrase"

# The text report.
"$SIPWATCH" -r "$tmp/esc.pcap" -N --report=full --alerts=/dev/null \
    >"$tmp/text" 2>"$tmp/err" || { cat "$tmp/err"; fail "--report=full failed"; }
raw "$tmp/text" "text report"
grep -q 'call_id: pending-\\x1b]0;PWNED\\x07\\x1b\[2J' "$tmp/text" ||
    { cat "$tmp/text"; fail "text report: pending Call-ID not escaped"; }
echo "ok:   text report escapes the pending Call-ID"

# The report for a person (--report=text, the default of -N).
"$SIPWATCH" -r "$tmp/esc.pcap" -N --alerts=/dev/null >"$tmp/summary" \
    2>"$tmp/err" || { cat "$tmp/err"; fail "--report=text failed"; }
raw "$tmp/summary" "report for a person"
grep -q 'esc-\\x1b]0;PWNED' "$tmp/summary" &&
    grep -q '502 Bad\\x1b]0;PWNED\\x07' "$tmp/summary" ||
    { cat "$tmp/summary"; fail "report for a person: not escaped"; }
echo "ok:   the report for a person escapes the failed call's Call-ID and reason"

# JSON alert lines: escaped as JSON does (\u001b), and still valid JSON.
"$SIPWATCH" -r "$tmp/esc.pcap" -N --report=none --alerts="$tmp/json" \
    2>"$tmp/err" || { cat "$tmp/err"; fail "--alerts failed"; }
raw "$tmp/json" "JSON alerts"
python3 - "$tmp/json" <<'PY' || fail "JSON alerts"
import json, sys
a = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
s = [x for x in a if x["rule"] == "scanner"][0]["summary"]
assert "friendly-scanner\x1b]0;PWNED\x07" in s, s
PY
echo "ok:   JSON alert lines escape as JSON (\\u001b), valid UTF-8"

# Local syslog (--syslog-socket) and RFC 5424 over UDP to a collector on
# loopback: one datagram per alert, caught by a listener of the test.
python3 - "$tmp" "$SIPWATCH" "$tmp/esc.pcap" <<'PY' || fail "syslog sinks"
import os, socket, subprocess, sys
tmp, sw, pcap = sys.argv[1:4]
unix = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
unix.bind(os.path.join(tmp, "log"))
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.bind(("127.0.0.1", 0))
port = udp.getsockname()[1]
r = subprocess.run([sw, "-r", pcap, "-N", "--report=none",
                    "--alerts=/dev/null",
                    "--syslog", "--syslog-socket=" + os.path.join(tmp, "log"),
                    "--syslog-remote=udp://127.0.0.1:%d" % port],
                   stderr=subprocess.PIPE)
if r.returncode != 0:
    print(r.stderr.decode(errors="replace"))
    sys.exit(1)
ok = True
for name, s in (("syslog", unix), ("RFC 5424", udp)):
    s.settimeout(2)
    got = []
    try:
        while True:
            got.append(s.recv(65536))
    except socket.timeout:
        pass
    scan = [g for g in got if b"friendly-scanner" in g]
    if not scan:
        print("%s: no scanner line in %d" % (name, len(got)))
        ok = False
        continue
    for g in got:
        for b in (b"\x1b", b"\x07", b"\xc2\x9b", b"\xed\xa0\x80"):
            if b in g:
                print("%s: %r in %r" % (name, b, g[:200]))
                ok = False
        try:
            g.decode("utf-8", "strict")
        except UnicodeDecodeError as e:
            print("%s: not UTF-8: %s" % (name, e))
            ok = False
    # Controls as spaces, the surrogate's bytes as '?'.
    if b"friendly-scanner ]0;PWNED  [2J???" not in scan[0]:
        print("%s: %r" % (name, scan[0][:300]))
        ok = False
sys.exit(0 if ok else 1)
PY
echo "ok:   syslog and RFC 5424 lines: controls as spaces, no surrogate"

# explain, with a knowledge base that holds a clear-screen sequence.
cp -R "$top_srcdir/data/kb" "$tmp/kb"
python3 - "$tmp/kb/en.ini" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = s.replace("summary=The server is temporarily unable",
              "summary=The server\x1b[2J\x1b]0;KB\x07 is temporarily unable", 1)
open(p, "w", encoding="utf-8").write(s)
PY
"$SIPWATCH" explain 503 --datadir="$tmp/kb" --lang=en --width=0 \
    >"$tmp/explain" 2>"$tmp/err" || { cat "$tmp/err"; fail "explain failed"; }
raw "$tmp/explain" "explain"
grep -q 'The server\\x1b\[2J\\x1b]0;KB\\x07 is temporarily' "$tmp/explain" ||
    { cat "$tmp/explain"; fail "explain: sequence not escaped"; }
echo "ok:   explain escapes the knowledge base's text"
