#!/bin/sh
# Outputs on a full filesystem: a small tmpfs the test mounts (root only;
# skipped where mounting is not allowed).  The input is bench/sipgen
# traffic (20,000 messages, 10 MB over 23 s; 95 alerts with the rules of
# this writing).
# - --alerts: every line in the file is whole JSON; the report's sinks
#   entry counts what is in the file as sent and the rest as failed;
#   when space comes back mid-run, every alert is in the file, once, in
#   order;
# - -w: the file reads back (tcpdump) with exactly the frames counted as
#   sent, the rest counted lost; when space comes back, writing resumes;
# - --save-alerted: no empty or partial evidence file is left, and only
#   whole ones are counted;
# - --report=json to /dev/full or to a full disk: a message and exit
#   status 3;
# - -C rotation after -Z into a directory the user cannot write: one
#   file, never past -C (plus one frame), the index never advancing, a
#   single warning.
. "$(dirname "$0")/../lib.sh"

[ "$(id -u)" -eq 0 ] || skip "mounting a tmpfs needs root"
command -v tcpdump >/dev/null || skip "tcpdump not installed"
command -v python3 >/dev/null || skip "python3 not installed"
gen=$top_builddir/bench/sipgen
[ -x "$gen" ] || skip "bench/sipgen not built"

tmp=$(mktemp -d) || hard_error "mktemp"
mnt=$tmp/mnt
mkdir "$mnt"
cleanup() {
	umount "$mnt" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
mount -t tmpfs -o size=64k tmpfs "$mnt" 2>"$tmp/mount.err" ||
    skip "cannot mount a tmpfs here: $(cat "$tmp/mount.err")"
umount "$mnt"
"$gen" -s 3 -n 20000 -o "$tmp/in.pcap" 2>/dev/null || hard_error "sipgen"
total=20000

fs() {		# fs SIZE: a fresh tmpfs of SIZE on $mnt
	umount "$mnt" 2>/dev/null
	mount -t tmpfs -o "size=$1" tmpfs "$mnt" || hard_error "mount"
}

# fill N: a filler file leaving about N KiB free; removed by "unfill".
fill() {
	dd if=/dev/zero of="$mnt/filler" bs=4k 2>/dev/null
	free=$(($1 / 4))
	sz=$(($(stat -c %s "$mnt/filler") / 4096 - free))
	truncate -s $((sz * 4096)) "$mnt/filler"
}

frames() {
	tcpdump -r "$1" -nn 2>/dev/null | wc -l
}

field() {	# field FILE EXPR: a Python expression on the report r
	python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

sink() {	# sink FILE KIND: "sent failed dropped queued" of that sink
	python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
k = [s for s in r["sinks"] if s["sink"] == sys.argv[2]]
assert len(k) == 1, r["sinks"]
print(k[0]["sent"], k[0]["failed"], k[0]["dropped"], k[0]["queued"])' "$1" "$2"
}

# The alert lines of an unconstrained run, to compare with.
"$SIPWATCH" -r "$tmp/in.pcap" -N --report=json --alerts="$tmp/all.json" \
    >"$tmp/all.report" 2>/dev/null || fail "reference run"
nalerts=$(wc -l <"$tmp/all.json")

# 1. --alerts on a full filesystem.
fs 64k
"$SIPWATCH" -r "$tmp/in.pcap" -N --report=json --alerts="$mnt/a.json" \
    >"$tmp/r1" 2>"$tmp/e1" || fail "--alerts full: exit $?"
python3 -c '
import json, sys
for n, l in enumerate(open(sys.argv[1]), 1):
    json.loads(l)' "$mnt/a.json" || fail "--alerts full: a line is not JSON"
set -- $(sink "$tmp/r1" alerts-json)
lines=$(wc -l <"$mnt/a.json")
echo "--alerts, 64k: $nalerts alerts, $lines lines in the file; sent $1 failed $2 dropped $3 queued $4"
[ "$1" -eq "$lines" ] || fail "--alerts full: sent $1, file has $lines"
[ "$2" -gt 0 ] && [ $(($1 + $2 + $3)) -eq "$nalerts" ] && [ "$4" -eq 0 ] ||
    fail "--alerts full: counts do not add up to $nalerts"
cmp -s "$mnt/a.json" "$(head -n "$lines" "$tmp/all.json" >"$tmp/head"; echo "$tmp/head")" ||
    fail "--alerts full: the lines written are not the first alerts"
[ "$(grep -c "alerts: $mnt/a.json: No space left" "$tmp/e1")" -eq 1 ] ||
    { cat "$tmp/e1"; fail "--alerts full: not one warning"; }
echo "ok:   --alerts on a full disk: whole JSON lines, the rest counted failed"

# 2. --alerts, space back mid-run: every alert written, once, in order.
fs 1m
fill 8
( sleep 1.5; rm -f "$mnt/filler" ) &
"$SIPWATCH" -r "$tmp/in.pcap" --speed=5 -N --report=json \
    --alerts="$mnt/a.json" >"$tmp/r2" 2>"$tmp/e2" ||
    fail "--alerts recovery: exit $?"
wait
set -- $(sink "$tmp/r2" alerts-json)
echo "--alerts, space back after 1.5 s: sent $1 failed $2 dropped $3 queued $4"
cmp -s "$mnt/a.json" "$tmp/all.json" ||
    fail "--alerts recovery: the file differs from the unconstrained run"
[ "$1" -eq "$nalerts" ] && [ "$2" -eq 0 ] && [ "$3" -eq 0 ] ||
    fail "--alerts recovery: counts"
grep -q "No space left" "$tmp/e2" && grep -q "writing again" "$tmp/e2" ||
    { cat "$tmp/e2"; fail "--alerts recovery: messages"; }
echo "ok:   --alerts when space comes back: every alert written once, in order"

# 3. -w on a full filesystem.
fs 256k
"$SIPWATCH" -r "$tmp/in.pcap" -N --report=json -w "$mnt/x.pcap" \
    >"$tmp/r3" 2>"$tmp/e3" || fail "-w full: exit $?"
set -- $(sink "$tmp/r3" pcap)
got=$(frames "$mnt/x.pcap")
echo "-w, 256k: $got frames in the file; sent $1 failed $2 queued $4"
tcpdump -r "$mnt/x.pcap" -nn >/dev/null 2>"$tmp/td" ||
    { cat "$tmp/td"; fail "-w full: tcpdump cannot read the file"; }
[ "$got" -eq "$1" ] && [ "$1" -gt 0 ] && [ $(($1 + $2)) -eq "$total" ] ||
    fail "-w full: counts"
[ "$(field "$tmp/r3" 'r["dump"]["lost"]')" -eq "$2" ] || fail "-w: dump.lost"
[ "$(grep -c -- "-w $mnt/x.pcap: No space left" "$tmp/e3")" -eq 1 ] ||
    { cat "$tmp/e3"; fail "-w full: not one warning"; }
echo "ok:   -w on a full disk: a readable file, the frames in it = sent"

# 4. -w, space back mid-run.
fs 20m
fill 64
( sleep 1.5; rm -f "$mnt/filler" ) &
"$SIPWATCH" -r "$tmp/in.pcap" --speed=5 -N --report=json -w "$mnt/x.pcap" \
    >"$tmp/r4" 2>"$tmp/e4" || fail "-w recovery: exit $?"
wait
set -- $(sink "$tmp/r4" pcap)
got=$(frames "$mnt/x.pcap")
echo "-w, space back after 1.5 s: $got frames in the file; sent $1 failed $2"
[ "$got" -eq "$1" ] && [ "$2" -gt 0 ] && [ $(($1 + $2)) -eq "$total" ] ||
    fail "-w recovery: counts"
[ "$(tcpdump -r "$mnt/x.pcap" -tt -nn 2>/dev/null | tail -n 1)" = \
    "$(tcpdump -r "$tmp/in.pcap" -tt -nn 2>/dev/null | tail -n 1)" ] ||
    fail "-w recovery: the file does not end with the last frame"
[ "$(grep -c "No space left" "$tmp/e4")" -eq 1 ] &&
    grep -q "$2 packet(s) lost" "$tmp/e4" || { cat "$tmp/e4"; fail "-w recovery"; }
echo "ok:   -w when space comes back: writing resumes, the gap counted"

# 5. --save-alerted on a full filesystem.
fs 128k
mkdir "$mnt/ev"
"$SIPWATCH" -r "$tmp/in.pcap" -N --report=json --save-alerted="$mnt/ev" \
    >"$tmp/r5" 2>"$tmp/e5" || fail "--save-alerted full: exit $?"
set -- $(sink "$tmp/r5" evidence)
n=$(ls "$mnt/ev" | wc -l)
echo "--save-alerted, 128k: $n files; written $1, not written $2"
[ "$n" -eq "$1" ] && [ "$2" -gt 0 ] || fail "--save-alerted: counts"
[ "$(field "$tmp/r5" 'r["save_alerted"]["written"]')" -eq "$n" ] ||
    fail "--save-alerted: written"
for f in "$mnt/ev"/*; do
	[ -s "$f" ] || fail "--save-alerted: empty file $f"
	[ "$(frames "$f")" -gt 0 ] && tcpdump -r "$f" >/dev/null 2>&1 ||
	    fail "--save-alerted: $f is not a whole pcap"
done
echo "ok:   --save-alerted on a full disk: only whole files, only they counted"

# 6. The report to /dev/full and to a full disk: exit 3 and a message.
for fmt in json text; do
	"$SIPWATCH" -r "$top_srcdir/pcaps/call-normal.pcap" -N \
	    --report=$fmt >/dev/full 2>"$tmp/e6"
	st=$?
	[ $st -eq 3 ] && grep -q "cannot write the report" "$tmp/e6" ||
	    fail "--report=$fmt >/dev/full: status $st, $(cat "$tmp/e6")"
done
fs 64k
fill 0
"$SIPWATCH" -r "$tmp/in.pcap" -N --report=json >"$mnt/report.json" \
    2>"$tmp/e6"
st=$?
[ $st -eq 3 ] && grep -q "No space left" "$tmp/e6" ||
    fail "report to a full disk: status $st"
echo "ok:   a report that cannot be written: a message, exit status 3"

# 7. -C rotation after -Z into a directory nobody cannot write.
if id nobody >/dev/null 2>&1; then
	fs 20m
	mkdir "$mnt/rot"
	chmod 755 "$mnt/rot"
	"$SIPWATCH" -r "$tmp/in.pcap" -N --report=json -Z nobody \
	    -w "$mnt/rot/dump.pcap" -C 1 >"$tmp/r7" 2>"$tmp/e7" ||
	    fail "-C after -Z: exit $?"
	ls "$mnt/rot" >"$tmp/names"
	[ "$(cat "$tmp/names")" = dump.pcap ] ||
	    { cat "$tmp/names"; fail "-C after -Z: files"; }
	size=$(stat -c %s "$mnt/rot/dump.pcap")
	[ "$size" -le $((1000000 + 16 + 1600)) ] ||
	    fail "-C after -Z: dump.pcap grew to $size bytes"
	set -- $(sink "$tmp/r7" pcap)
	errors=$(field "$tmp/r7" 'r["dump"]["errors"]')
	echo "-C 1 after -Z: $size bytes; sent $1 failed $2; $errors error(s)"
	[ "$(frames "$mnt/rot/dump.pcap")" -eq "$1" ] &&
	    [ $(($1 + $2)) -eq "$total" ] && [ "$errors" -le 3 ] ||
	    fail "-C after -Z: counts"
	[ "$(grep -c "cannot create $mnt/rot/dump.pcap1" "$tmp/e7")" -eq 1 ] ||
	    { cat "$tmp/e7"; fail "-C after -Z: not one warning"; }
	grep -q "dump.pcap[0-9]*[2-9]" "$tmp/e7" &&
	    fail "-C after -Z: the index advanced"
	echo "ok:   -C rotation failing after -Z: one file, bounded, one warning"
else
	echo "skip: -C after -Z (no user nobody)"
fi
echo "full filesystem: all checks passed"
