#!/bin/sh
# Evidence files, offline (replay gives what live capture would):
# - -w writes every packet as captured (tcpdump reads the same frames,
#   timestamps and bytes); -C rotates by size (FILE, FILE1, ...), -W makes
#   a ring (FILE0..FILE2), -G by packet time (strftime names);
# - --save-alerted writes one pcap per call that raised an alert, named
#   TIME-RULE-CALLID.pcap, holding that call's SIP packets only: tshark
#   reads it, and sipwatch raises the same rule for the same call on it.
. "$(dirname "$0")/../lib.sh"

command -v tcpdump >/dev/null || skip "tcpdump not installed"
command -v tshark >/dev/null || skip "tshark not installed"

tmp=$(mktemp -d) || hard_error "mktemp"
trap 'rm -rf "$tmp"' EXIT
pc="$top_srcdir/pcaps"

frames() {	# every frame: time, length, bytes (as tcpdump prints them)
	for f in "$@"; do
		tcpdump -r "$f" -tt -nn -xx 2>/dev/null
	done
}

# -w: the same frames.
in="$pc/transfer-blind.pcap"
"$SIPWATCH" -r "$in" -N --report=none -w "$tmp/all.pcap" 2>"$tmp/err" ||
    { cat "$tmp/err"; fail "-w failed"; }
frames "$in" >"$tmp/a"
frames "$tmp/all.pcap" >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || fail "-w: frames differ from the input"
n=$(grep -c '^[0-9]' "$tmp/a")
echo "ok:   -w: $n frames, identical"

# -C 4k: several files, FILE then FILE1, FILE2 ...; together the input.
mkdir "$tmp/c"
"$SIPWATCH" -r "$in" -N --report=none -w "$tmp/c/x.pcap" -C 4k ||
    fail "-C failed"
ls "$tmp/c" | sort -V >"$tmp/names"
[ "$(head -n 1 "$tmp/names")" = x.pcap ] && [ "$(sed -n 2p "$tmp/names")" = x.pcap1 ] ||
    { cat "$tmp/names"; fail "-C: names"; }
k=$(wc -l <"$tmp/names")
[ "$k" -ge 4 ] || fail "-C 4k: only $k file(s)"
frames $(sed "s|^|$tmp/c/|" "$tmp/names") >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || fail "-C: frames differ from the input"
echo "ok:   -C 4k: $k files (x.pcap, x.pcap1 ...), together the input"

# -C 4k -W 3: a ring of three files, x.pcap0 .. x.pcap2.
mkdir "$tmp/w"
"$SIPWATCH" -r "$in" -N --report=none -w "$tmp/w/x.pcap" -C 4k -W 3 ||
    fail "-W failed"
[ "$(ls "$tmp/w" | sort | tr '\n' ' ')" = "x.pcap0 x.pcap1 x.pcap2 " ] ||
    { ls "$tmp/w"; fail "-W 3: names"; }
echo "ok:   -W 3: a ring of x.pcap0 x.pcap1 x.pcap2"

# -G 2: a file per 2 s of packet time, named by strftime (TZ=UTC).
mkdir "$tmp/g"
"$SIPWATCH" -r "$in" -N --report=none -w "$tmp/g/%H%M%S.pcap" -G 2 ||
    fail "-G failed"
first=$(tcpdump -r "$in" -tt -nn 2>/dev/null | head -n 1 | cut -d. -f1)
want=$(date -u -d "@$first" +%H%M%S).pcap
[ -f "$tmp/g/$want" ] || { ls "$tmp/g"; fail "-G: no $want"; }
frames $(ls "$tmp/g"/*.pcap | sort) >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || fail "-G: frames differ from the input"
echo "ok:   -G 2: $(ls "$tmp/g" | wc -l) files from $want, together the input"

"$SIPWATCH" -r "$in" -N -C 10 2>/dev/null && fail "-C without -w accepted"
"$SIPWATCH" -r "$in" -N -w "$tmp/z" -W 3 2>/dev/null &&
    fail "-W without -C accepted"

# --save-alerted on captures whose rules need only the call itself.
mkdir "$tmp/s"
n=0
for cap in 502-bad-gateway refer-rejected transfer-failed loop-detected \
    redirect-loop global-failure server-error-burst media-rejected \
    registration-failed; do
	[ -f "$pc/$cap.pcap" ] || continue
	rm -f "$tmp/s"/*
	"$SIPWATCH" -r "$pc/$cap.pcap" -N --report=json \
	    --save-alerted="$tmp/s" --alerts="$tmp/alerts" >"$tmp/report" \
	    2>"$tmp/err" || { cat "$tmp/err"; fail "$cap: sipwatch failed"; }
	python3 - "$tmp/s" "$tmp/report" "$SIPWATCH" "$cap" <<'PY' ||
import glob, json, os, re, subprocess, sys
d, report, sw, cap = sys.argv[1:5]
r = json.loads(open(report).read().splitlines()[-1])
files = sorted(glob.glob(os.path.join(d, "*.pcap")))
assert r["save_alerted"]["written"] == len(files) > 0, (r["save_alerted"],
                                                         files)
for f in files:
    rules = ("invite-timeout", "non-invite-timeout", "ack-missing",
             "retransmission", "refer-no-notify", "refer-rejected",
             "transfer-failed", "retry-after-violation", "premature-retry",
             "server-error-burst", "bad-gateway", "redirect-loop",
             "global-failure", "scanner", "auth-failure-burst",
             "loop-detected", "registration-failed", "subscription-failed",
             "media-rejected", "call-failure-rate")
    m = re.match(r"(\d{8}T\d{6}Z)-(%s)-(.+)\.pcap$" % "|".join(rules),
                 os.path.basename(f))
    assert m, f
    rule, cid = m.group(2), m.group(3)
    # tshark: every packet is SIP, of that call only.
    out = subprocess.run(["tshark", "-r", f, "-T", "fields", "-e",
                          "sip.Call-ID"], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out and all(re.sub(r"[^A-Za-z0-9._@+-]", "_", c) == cid
                       for c in out), (f, out)
    # sipwatch re-reads it and raises the same rule for that call.
    a = subprocess.run([sw, "-r", f, "-N", "--report=none",
                        "--alerts=-"], capture_output=True, text=True,
                       check=True).stdout.splitlines()
    got = [(x["rule"], re.sub(r"[^A-Za-z0-9._@+-]", "_", x["call_id"]))
           for x in map(json.loads, a)]
    if rule == "bad-gateway" or cap != "server-error-burst":
        assert (rule, cid) in got, (f, got)
    print("ok:   %s: %s (%d SIP packets)" % (cap, os.path.basename(f),
                                             len(out)))
PY
	    fail "$cap: --save-alerted"
	n=$((n + 1))
done
[ "$n" -gt 0 ] || skip "no capture for --save-alerted"
"$SIPWATCH" -r "$in" -N --save-alerted="$tmp/none" 2>/dev/null &&
    fail "--save-alerted to a missing directory accepted"
echo "evidence: all checks passed"
