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
	_sc_out=$1 _sc_err=$2 _sc_url=$3
	: >"$_sc_err"
	shift 3
	"$SIPWATCH" --hep-listen="$_sc_url" -N --report=json "$@" \
	    >"$_sc_out" 2>"$_sc_err" &
	collector_pid=$!
	daemon_wait "sipwatch --hep-listen=$_sc_url" "$collector_pid" \
	    "$_sc_err" 'saying "collecting HEP on"' \
	    grep -q "collecting HEP on" "$_sc_err" || fail "$daemon_why"
}

# Stop the collector (SIGTERM) and wait for its report.
stop_collector() {
	kill -TERM "$collector_pid"
	wait "$collector_pid"
	_sc_rc=$?
	collector_pid=
	[ $_sc_rc -eq 0 ] || fail "collector exited with $_sc_rc"
}
