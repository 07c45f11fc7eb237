#!/bin/sh
# Standard output whose reader went away (sipwatch ... | head -1) ends
# the run quietly, as SIGPIPE ends tcpdump: no message on stderr (it
# was "alerts: -: Broken pipe; alerts are kept ..." and "188 alert(s)
# could not be written"), the status of a process SIGPIPE ended (141),
# and the alerts that could not be written are counted as failed by the
# sink (--metrics-file, written at exit: the report itself would go to
# the closed standard output).
# The input is bench/sipgen traffic whose 223 alert lines make 260 KB of
# JSON lines, more than a pipe holds (64 KiB) plus what head reads
# before it finds its line: the writer meets EPIPE whatever the timing.
# Every output that can be standard output: --alerts=- (JSON lines), the
# readable lines of -N, and -w - (frames; was "-w -: Broken pipe;
# packets are counted as lost until writing works again" and "2048
# packet(s) lost"), read by tcpdump -c 5 (10 MB of frames).
. "$(dirname "$0")/../lib.sh"

gen=$top_builddir/bench/sipgen
[ -x "$gen" ] || skip "bench/sipgen not built"

tmp=$(mktemp -d) || hard_error "mktemp"
trap 'rm -rf "$tmp"' EXIT
"$gen" -s 3 -n 40000 -o "$tmp/in.pcap" 2>/dev/null || hard_error "sipgen"

# The alerts written when nobody goes away.
"$SIPWATCH" -r "$tmp/in.pcap" -N --report=none --alerts=- >"$tmp/all" \
    2>"$tmp/all.err" || fail "reference run: $(cat "$tmp/all.err")"
[ "$(wc -c <"$tmp/all")" -gt 150000 ] ||
    hard_error "the input makes only $(wc -c <"$tmp/all") bytes of alerts"

# sink_count FILE SINK RESULT: the value of sipwatch_sink_messages_total.
sink_count() {
	awk -v s="sink=\"$2\"" -v r="result=\"$3\"" \
	    'index($0, "sipwatch_sink_messages_total{") == 1 &&
	    index($0, s) && index($0, r) { print $2; n++ }
	    END { if (n != 1) exit 1 }' "$1"
}

first_line() { head -1; }
first_frames() { tcpdump -r - -c 5 -nn 2>/dev/null; }

check() {	# check NAME SINK READER ARGS...: READER reads 1 or 5 lines
	name=$1 sink=$2 reader=$3
	shift 3
	rm -f "$tmp/m.prom"
	{ "$SIPWATCH" -r "$tmp/in.pcap" -N --metrics-file="$tmp/m.prom" \
	    "$@" 2>"$tmp/err"; echo $? >"$tmp/st"; } | $reader >"$tmp/out"
	st=$(cat "$tmp/st")
	[ -s "$tmp/err" ] && fail "$name: said on stderr: $(cat "$tmp/err")"
	[ "$st" -eq 141 ] ||
	    fail "$name: exit status $st, wanted 141 (ended by SIGPIPE)"
	[ "$(wc -l <"$tmp/out")" -ge 1 ] || fail "$name: nothing was read"
	[ -f "$tmp/m.prom" ] || fail "$name: no metrics file at exit"
	sent=$(sink_count "$tmp/m.prom" "$sink" sent) ||
	    fail "$name: no sent count for $sink"
	failed=$(sink_count "$tmp/m.prom" "$sink" failed) ||
	    fail "$name: no failed count for $sink"
	dropped=$(sink_count "$tmp/m.prom" "$sink" dropped) ||
	    fail "$name: no dropped count for $sink"
	# -w -: the frames a reader took may still be counted failed (they
	# were in the stdio buffer whose write met EPIPE).
	[ "$sink" = pcap ] || [ "$sent" -ge 1 ] ||
	    fail "$name: sent $sent, wanted at least 1"
	[ "$failed" -ge 1 ] ||
	    fail "$name: failed $failed: the lines nobody read are not counted"
	[ "$dropped" -eq 0 ] || fail "$name: dropped $dropped, wanted 0"
	grep -q "sipwatch_sink_queue_length{sink=\"$sink\",target=\"-\"} 0" \
	    "$tmp/m.prom" || fail "$name: lines still queued at exit"
	echo "ok:   $name: quiet, status 141, sent $sent, failed $failed"
}

check "--alerts=- | head -1" alerts-json first_line --report=none --alerts=-
# The first JSON line is the first line of the run that was read whole.
head -1 "$tmp/all" | cmp -s - "$tmp/out" ||
    fail "--alerts=- | head -1: the line read is not the first alert"
check "-N | head -1" alerts-text first_line
if command -v tcpdump >/dev/null; then
	check "-w - | tcpdump -c 5 -r -" pcap first_frames --report=none -w -
	[ "$(wc -l <"$tmp/out")" -eq 5 ] ||
	    fail "-w -: tcpdump read $(wc -l <"$tmp/out") frames, wanted 5"
else
	echo "skip: -w -: tcpdump not installed"
fi
echo "epipe: all checks passed"
