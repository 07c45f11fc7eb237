#!/bin/sh
# bench/export.sh: what --export costs (the dashboard's model and the
# frame store on the capture path, then the files at the end).
#
#   bench/export.sh [-n messages] [-r runs] [-s seed] [-f capture]
#
# Generates a capture with bench/sipgen (or uses -f), then runs, several
# times each and keeping the best: sipwatch -N alone; with
# --export=csv (the model and the frame store fed, one CSV); with every
# format of the failed calls (state:failed); and with a filter that reads
# every call's raw messages (ua:, text).  Prints wall time, SIP
# messages/s, peak RSS and what was written.  No assertion: the figures
# are for doc/PERFORMANCE.md.
set -eu
n=200000
. "$(dirname "$0")/lib.sh"

# measure NAME ARGS...: best wall time over $runs runs, its peak RSS, and
# the size of what the last run exported.
measure() {
	name=$1
	shift
	best= rss=
	i=0
	while [ $i -lt "$runs" ]; do
		rm -rf "$tmp/out"
		mkdir "$tmp/out"
		/usr/bin/time -f "%e %M" -o "$tmp/t" "$SIPWATCH" -N -q \
		    --report=none --alerts=/dev/null -r "$file" "$@" \
		    >/dev/null 2>"$tmp/err" || { cat "$tmp/err"; exit 1; }
		read -r wall kb <"$tmp/t"
		if [ -z "$best" ] || awk "BEGIN { exit !($wall < $best) }"; then
			best=$wall rss=$kb
		fi
		i=$((i + 1))
	done
	out=$(du -sh "$tmp/out" | cut -f1)
	files=$(ls "$tmp/out" | wc -l)
	awk -v n="$name" -v w="$best" -v m="$msgs" -v r="$rss" -v o="$out" \
	    -v f="$files" 'BEGIN { printf "%-34s %7.2f s %9.0f msg/s %7.1f MiB  %d files, %s\n",
	    n, w, (w > 0 ? m / w : 0), r / 1024, f, o }'
}

measure "-N (no export)"
measure "--export=csv" --export=csv --export-dir="$tmp/out"
measure "--export=all, state:failed" --export=pcap,csv,text,html \
    --export-filter='state:failed' --export-dir="$tmp/out"
measure "--export=csv, ua:x or text" --export=csv \
    --export-filter='ua:nosuchagent or nosuchtext' --export-dir="$tmp/out"
