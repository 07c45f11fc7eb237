# tests/hep/lib.sh: helpers for the HEP and metrics interop tests (sourced
# after tests/lib.sh).  Everything listens on 127.0.0.1 only.

# A port for this test run: PID-derived, distinct per OFFSET.
hep_port() {
	echo $((20000 + ($$ * 13 + $1) % 30000))
}

# The JSON report: the last line of FILE.
report_of() {
	tail -n 1 "$1"
}

# Start a collector: sipwatch --hep-listen=URL ARGS..., report to $1.
# Sets $collector_pid; waits until it says it is collecting.
start_collector() {	# $1 report file, $2 stderr file, $3 URL, rest: args
	out=$1 err=$2 url=$3
	: >"$err"
	shift 3
	"$SIPWATCH" --hep-listen="$url" -N --report=json "$@" \
	    >"$out" 2>"$err" &
	collector_pid=$!
	i=0
	until grep -q "collecting HEP on" "$err"; do
		i=$((i + 1))
		[ $i -lt 100 ] || { cat "$err"; fail "collector did not start"; }
		kill -0 "$collector_pid" 2>/dev/null ||
		    { cat "$err"; fail "collector exited"; }
		sleep 0.1
	done
}

# Stop the collector (SIGTERM) and wait for its report.
stop_collector() {
	kill -TERM "$collector_pid"
	wait "$collector_pid"
	rc=$?
	collector_pid=
	[ $rc -eq 0 ] || fail "collector exited with $rc"
}

# Wait until the collector's metrics say N messages came (metrics file $1).
wait_messages() {	# $1 metrics file, $2 count
	i=0
	while :; do
		got=$(sed -n 's/^sipwatch_hep_received_messages_total \([0-9]*\)$/\1/p' \
		    "$1" 2>/dev/null)
		[ "${got:-0}" -ge "$2" ] && return 0
		i=$((i + 1))
		[ $i -lt 100 ] || return 1
		sleep 0.1
	done
}
