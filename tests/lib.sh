# tests/lib.sh: shared helpers for the shell tests (sourced).
# Automake exit codes: 0 pass, 77 skip, 99 hard error, anything else fail.

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${SIPWATCH:=$top_builddir/sipwatch}"
export TZ=UTC LC_ALL=C.UTF-8

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
hard_error() { echo "ERROR: $*"; exit 99; }

# The shared corpus of real captures, when present beside the checkout.
corpus_dir() {
	for d in "${SIPWATCH_CORPUS:-}" "$top_srcdir/../shared/corpus" \
	    "$top_srcdir/../../shared/corpus"; do
		if [ -n "$d" ] && [ -f "$d/MANIFEST.tsv" ]; then
			echo "$d"
			return 0
		fi
	done
	return 1
}

[ -x "$SIPWATCH" ] || hard_error "sipwatch binary not found at $SIPWATCH"

# listening udp|tcp ADDR PORT: a socket of this network namespace is
# bound to the IPv4 ADDR:PORT (for TCP: listening), from /proc/net.
listening() {
	_l_want=$(echo "$2" | awk -F. -v p="$3" \
	    '{ printf "%02X%02X%02X%02X:%04X", $4, $3, $2, $1, p }')
	case $1 in
	udp)	awk -v a="$_l_want" '$2 == a { f = 1 } END { exit !f }' \
		    /proc/net/udp ;;
	tcp)	awk -v a="$_l_want" '$2 == a && $4 == "0A" { f = 1 }
		    END { exit !f }' /proc/net/tcp ;;
	*)	return 1 ;;
	esac
}

# daemon_wait NAME PID LOG WHAT CMD...: wait until the command CMD
# succeeds for the daemon NAME started by the test as PID (a child of
# this shell), whose output goes to LOG; WHAT says what CMD checks
# ("listening on udp 127.0.0.1:5060").  Returns 0 when it does; else
# prints LOG and returns 1 with $daemon_why saying which daemon did not
# start and why: it exited (with its status) or, after 10 s, it was
# still not WHAT.  The caller ends the test: hard_error "$daemon_why"
# for a daemon the test uses, fail for sipwatch itself.
daemon_wait() {
	_dw_name=$1 _dw_pid=$2 _dw_log=$3 _dw_what=$4
	shift 4
	_dw_i=0
	daemon_why=
	until "$@" >/dev/null 2>&1; do
		if ! kill -0 "$_dw_pid" 2>/dev/null; then
			wait "$_dw_pid" 2>/dev/null
			daemon_why="$_dw_name did not start: it exited with status $? before $_dw_what"
			break
		fi
		_dw_i=$((_dw_i + 1))
		if [ $_dw_i -ge 100 ]; then
			daemon_why="$_dw_name did not start: still not $_dw_what after 10 s (pid $_dw_pid running)"
			break
		fi
		sleep 0.1
	done
	[ -z "$daemon_why" ] && return 0
	echo "--- $_dw_name: $_dw_log"
	cat "$_dw_log" 2>/dev/null
	echo "---"
	return 1
}

# sipsak_run LOG ARGS...: sipsak ARGS with 127.0.0.1 as its own host
# name (-H).  Without it sipsak resolves the machine's host name for its
# Via and Contact, and gives up ("cannot resolve local hostname") where
# that name does not resolve.  The command line, sipsak's output and its
# errors are appended to LOG; returns sipsak's exit status.
sipsak_run() {
	_ss_log=$1
	shift
	echo "+ sipsak -H 127.0.0.1 $*" >>"$_ss_log"
	sipsak -H 127.0.0.1 "$@" >>"$_ss_log" 2>&1
	_ss_rc=$?
	[ $_ss_rc -eq 0 ] || echo "(sipsak exit status $_ss_rc)" >>"$_ss_log"
	return $_ss_rc
}
