#!/bin/sh
# Alerts to a real rsyslogd started here with its own configuration
# (tests/host/rsyslog.sh: its own unix socket, UDP and TCP on 127.0.0.1,
# files in the test's directory; the host's syslog is not touched):
# - --syslog=local3 --syslog-socket: one key=value message per incident
#   line (raise, update, clear), with the priority of its severity;
# - --syslog-remote=udp:// and tcp://: RFC 5424 with the fields as
#   STRUCTURED-DATA, the same lines;
# checked line by line against the exact text expected, and against the
# --alerts JSON of the same run.
. "$(dirname "$0")/../lib.sh"
. "$top_srcdir/tests/host/rsyslog.sh"

command -v rsyslogd >/dev/null || skip "rsyslogd not installed (apt-get install rsyslog)"

tmp=$(mktemp -d) || hard_error "mktemp"
mkdir "$tmp/rs"
trap 'rsyslog_stop; rm -rf "$tmp"' EXIT
rsyslog_start "$tmp/rs"
python3 "$top_srcdir/tests/host/sipgen.py" pcap "$tmp/storm.pcap" storm ||
    hard_error "sipgen"

"$SIPWATCH" -r "$tmp/storm.pcap" -N --report=none --syslog=local3 \
    --syslog-socket="$tmp/rs/log.sock" \
    --syslog-remote="udp://127.0.0.1:$RS_UDP" \
    --syslog-remote="tcp://127.0.0.1:$RS_TCP" \
    --alerts="$tmp/dedup.json" 2>"$tmp/err" ||
    { cat "$tmp/err"; fail "sipwatch --syslog failed"; }
[ ! -s "$tmp/err" ] || { cat "$tmp/err"; fail "sipwatch complained"; }
rsyslog_wait "$tmp/rs/local.log" 5 || fail "local syslog: lines missing"
rsyslog_wait "$tmp/rs/remote.log" 10 || fail "remote syslog: lines missing"

# The lines without their advice (knowledge-base text, edited apart).
sed -e 's/ advice=".*"$/ advice=.../' "$tmp/rs/local.log" >"$tmp/local"
cat >"$tmp/want" <<'EOF'
local3.err sipwatch: rule=server-error-burst severity=error call_id=sw9-options@test src=192.0.2.10:5060 dst=192.0.2.20:5060 code=503 method=OPTIONS kb=503 event=raise incident=7c9dc777ef6840bc subject="server 192.0.2.10:5060" count=1 first=2026-11-18T11:06:41Z last=2026-11-18T11:06:41Z time=2026-11-18T11:06:41.801000Z summary="192.0.2.10:5060 sent 10 5xx responses within 2 s (500: 0, 502: 0, 503: 10, 504: 0, other: 0)" advice=...
local3.err sipwatch: rule=server-error-burst severity=error call_id=sw309-options@test src=192.0.2.10:5060 dst=192.0.2.20:5060 code=503 method=OPTIONS kb=503 event=update incident=7c9dc777ef6840bc subject="server 192.0.2.10:5060" count=301 first=2026-11-18T11:06:41Z last=2026-11-18T11:07:41Z time=2026-11-18T11:07:41.801000Z summary="server-error-burst server 192.0.2.10:5060: 301 occurrence(s) between 2026-11-18T11:06:41Z and 2026-11-18T11:07:41Z; at 2026-11-18T11:07:41Z: 192.0.2.10:5060 sent 10 5xx responses within 2 s (500: 0, 502: 0, 503: 10, 504: 0, other: 0)" advice=...
local3.err sipwatch: rule=server-error-burst severity=error call_id=sw609-options@test src=192.0.2.10:5060 dst=192.0.2.20:5060 code=503 method=OPTIONS kb=503 event=update incident=7c9dc777ef6840bc subject="server 192.0.2.10:5060" count=601 first=2026-11-18T11:06:41Z last=2026-11-18T11:08:41Z time=2026-11-18T11:08:41.801000Z summary="server-error-burst server 192.0.2.10:5060: 601 occurrence(s) between 2026-11-18T11:06:41Z and 2026-11-18T11:08:41Z; at 2026-11-18T11:08:41Z: 192.0.2.10:5060 sent 10 5xx responses within 2 s (500: 0, 502: 0, 503: 10, 504: 0, other: 0)" advice=...
local3.err sipwatch: rule=server-error-burst severity=error call_id=sw609-options@test src=192.0.2.10:5060 dst=192.0.2.20:5060 code=503 method=OPTIONS kb=503 event=update incident=7c9dc777ef6840bc subject="server 192.0.2.10:5060" count=891 first=2026-11-18T11:06:41Z last=2026-11-18T11:09:39Z time=2026-11-18T11:09:41.801000Z summary="server-error-burst server 192.0.2.10:5060: 891 occurrence(s) between 2026-11-18T11:06:41Z and 2026-11-18T11:09:39Z; at 2026-11-18T11:08:41Z: 192.0.2.10:5060 sent 10 5xx responses within 2 s (500: 0, 502: 0, 503: 10, 504: 0, other: 0)" advice=...
local3.notice sipwatch: rule=server-error-burst severity=error call_id=sw609-options@test src=192.0.2.10:5060 dst=192.0.2.20:5060 code=503 method=OPTIONS kb=503 event=clear incident=7c9dc777ef6840bc subject="server 192.0.2.10:5060" count=891 first=2026-11-18T11:06:41Z last=2026-11-18T11:09:39Z time=2026-11-18T11:11:39.801000Z summary="server-error-burst server 192.0.2.10:5060 cleared: not seen for 120 s (891 occurrence(s) since 2026-11-18T11:06:41Z)" advice=...
EOF
diff -u "$tmp/want" "$tmp/local" || fail "local syslog lines differ"
grep -c 'advice=""$' "$tmp/rs/local.log" | grep -qx 1 ||
    fail "only the clear line should have an empty advice"
echo "ok:   local socket: 5 lines, exact (priority, ident, key=value)"

# Remote: UDP and TCP each got the 5 messages; exact structured data.
sed -e 's/ advice="\([^"\\]\|\\.\)*"\]/ advice=...]/' -e 's/^\(\S* sipwatch\) [0-9]* /\1 PID /' \
    -e 's/\xef\xbb\xbf//' "$tmp/rs/remote.log" | sort | uniq -c |
    sed -e 's/^ *//' >"$tmp/remote"
cat >"$tmp/want" <<'EOF'
2 local3.err sipwatch PID server-error-burst [sipwatch@32473 rule="server-error-burst" severity="error" call_id="sw309-options@test" src="192.0.2.10:5060" dst="192.0.2.20:5060" method="OPTIONS" code="503" kb="503" event="update" incident="7c9dc777ef6840bc" subject="server 192.0.2.10:5060" count="301" first="2026-11-18T11:06:41Z" last="2026-11-18T11:07:41Z" advice=...] server-error-burst server 192.0.2.10:5060: 301 occurrence(s) between 2026-11-18T11:06:41Z and 2026-11-18T11:07:41Z; at 2026-11-18T11:07:41Z: 192.0.2.10:5060 sent 10 5xx responses within 2 s (500: 0, 502: 0, 503: 10, 504: 0, other: 0)
2 local3.err sipwatch PID server-error-burst [sipwatch@32473 rule="server-error-burst" severity="error" call_id="sw609-options@test" src="192.0.2.10:5060" dst="192.0.2.20:5060" method="OPTIONS" code="503" kb="503" event="update" incident="7c9dc777ef6840bc" subject="server 192.0.2.10:5060" count="601" first="2026-11-18T11:06:41Z" last="2026-11-18T11:08:41Z" advice=...] server-error-burst server 192.0.2.10:5060: 601 occurrence(s) between 2026-11-18T11:06:41Z and 2026-11-18T11:08:41Z; at 2026-11-18T11:08:41Z: 192.0.2.10:5060 sent 10 5xx responses within 2 s (500: 0, 502: 0, 503: 10, 504: 0, other: 0)
2 local3.err sipwatch PID server-error-burst [sipwatch@32473 rule="server-error-burst" severity="error" call_id="sw609-options@test" src="192.0.2.10:5060" dst="192.0.2.20:5060" method="OPTIONS" code="503" kb="503" event="update" incident="7c9dc777ef6840bc" subject="server 192.0.2.10:5060" count="891" first="2026-11-18T11:06:41Z" last="2026-11-18T11:09:39Z" advice=...] server-error-burst server 192.0.2.10:5060: 891 occurrence(s) between 2026-11-18T11:06:41Z and 2026-11-18T11:09:39Z; at 2026-11-18T11:08:41Z: 192.0.2.10:5060 sent 10 5xx responses within 2 s (500: 0, 502: 0, 503: 10, 504: 0, other: 0)
2 local3.err sipwatch PID server-error-burst [sipwatch@32473 rule="server-error-burst" severity="error" call_id="sw9-options@test" src="192.0.2.10:5060" dst="192.0.2.20:5060" method="OPTIONS" code="503" kb="503" event="raise" incident="7c9dc777ef6840bc" subject="server 192.0.2.10:5060" count="1" first="2026-11-18T11:06:41Z" last="2026-11-18T11:06:41Z" advice=...] 192.0.2.10:5060 sent 10 5xx responses within 2 s (500: 0, 502: 0, 503: 10, 504: 0, other: 0)
2 local3.notice sipwatch PID server-error-burst [sipwatch@32473 rule="server-error-burst" severity="error" call_id="sw609-options@test" src="192.0.2.10:5060" dst="192.0.2.20:5060" method="OPTIONS" code="503" kb="503" event="clear" incident="7c9dc777ef6840bc" subject="server 192.0.2.10:5060" count="891" first="2026-11-18T11:06:41Z" last="2026-11-18T11:09:39Z"] server-error-burst server 192.0.2.10:5060 cleared: not seen for 120 s (891 occurrence(s) since 2026-11-18T11:06:41Z)
EOF
diff -u "$tmp/want" "$tmp/remote" || fail "remote syslog lines differ"
echo "ok:   RFC 5424 over UDP and TCP: 5 messages each, exact SD"

# Every line written to --alerts reached syslog, with
# the same fields (key=value rebuilt from the JSON as doc/ALERTS.md says).
python3 - "$tmp/dedup.json" "$tmp/rs/local.log" <<'PY' || fail "JSON vs syslog"
import json, sys, time
def kv(key, v, quote=False):
    if v is None or v == "":
        v = "" if quote else "-"
    if quote or any(c in v for c in ' "=\\'):
        v = '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return "%s=%s" % (key, v)
want = []
for line in open(sys.argv[1], encoding="utf-8"):
    a = json.loads(line)
    f = [kv("rule", a["rule"]), kv("severity", a["severity"]),
         kv("call_id", a["call_id"]), kv("src", a["src"]),
         kv("dst", a["dst"]),
         kv("code", str(a["code"]) if a["code"] else ""),
         kv("method", a["method"]),
         kv("kb", str(a["kb"]) if a["kb"] else "")]
    def secs(t):
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(t)))
    f += [kv("event", a["event"]), kv("incident", a["incident"]),
          kv("subject", a["subject"]), kv("count", str(a["count"])),
          kv("first", secs(a["first"])), kv("last", secs(a["last"]))]
    us = round(a["time"] * 1e6)
    f.append(kv("time", time.strftime("%Y-%m-%dT%H:%M:%S",
             time.gmtime(us // 1000000)) + ".%06dZ" % (us % 1000000)))
    f += [kv("summary", a["summary"], True), kv("advice", a["advice"], True)]
    want.append(" ".join(f))
got = [l.rstrip("\n").split(": ", 1)[1]
       for l in open(sys.argv[2], encoding="utf-8")]
if want != got:
    for w, g in zip(want, got):
        if w != g:
            print("want:", w, "\ngot: ", g)
    sys.exit("%d lines in JSON, %d in syslog" % (len(want), len(got)))
PY
echo "ok:   the --alerts JSON and syslog carry the same lines"

# In the chosen language: the texts translated, the keys as they are.
"$SIPWATCH" -r "$tmp/storm.pcap" -N --report=none --syslog=local6 \
    --syslog-socket="$tmp/rs/log.sock" --lang=ru >/dev/null 2>"$tmp/err" ||
    { cat "$tmp/err"; fail "sipwatch --lang=ru --syslog failed"; }
rsyslog_wait "$tmp/rs/local.log" 10 || fail "--lang=ru: lines missing"
grep -qF 'local6.notice sipwatch: rule=server-error-burst severity=error call_id=sw609-options@test src=192.0.2.10:5060 dst=192.0.2.20:5060 code=503 method=OPTIONS kb=503 event=clear incident=7c9dc777ef6840bc subject="server 192.0.2.10:5060" count=891 first=2026-11-18T11:06:41Z last=2026-11-18T11:09:39Z time=2026-11-18T11:11:39.801000Z summary="server-error-burst server 192.0.2.10:5060 снят: не наблюдался 120 с (891 случай(ев) с 2026-11-18T11:06:41Z)" advice=""' \
    "$tmp/rs/local.log" || { grep local6 "$tmp/rs/local.log"; fail "--lang=ru line"; }
echo "ok:   --lang=ru: summary in Russian, keys unchanged"

# A facility that does not exist, a collector URL that is not one.
"$SIPWATCH" -r "$tmp/storm.pcap" -N --syslog=local9 2>/dev/null &&
    fail "--syslog=local9 accepted"
"$SIPWATCH" -r "$tmp/storm.pcap" -N --syslog-remote=http://x:1 \
    2>/dev/null && fail "--syslog-remote=http:// accepted"
echo "ok:   bad facility and bad URL refused"
echo "syslog: all checks passed"
