# tests/ui/lib.sh: the dashboard in tmux, for tests/ui/*.sh (sourced).
# sipwatch runs inside a private tmux server, keys go in with send-keys
# and the screen comes back with capture-pane.  Each step waits, within
# a bound, for the text it expects (the screen is redrawn 4 times a
# second); nothing depends on timing.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null 2>&1 || skip "tmux is not installed"

PCAPS="$top_srcdir/pcaps"
SIPWATCH_DATADIR="$top_srcdir/data/kb"
SIPWATCH_LOCALEDIR="$top_builddir/locale"
[ -f "$PCAPS/refer-no-notify.pcap" ] || hard_error "no $PCAPS/refer-no-notify.pcap"
[ -d "$SIPWATCH_LOCALEDIR/ru" ] || hard_error "no catalogs in $SIPWATCH_LOCALEDIR"

SOCK="sipwatch-test-$$"
T="tmux -L $SOCK"
n=0
work=$(mktemp -d)
trap '$T kill-server 2>/dev/null; rm -rf "$work"' EXIT

# start W H ENV ARGS...: sipwatch in a new tmux session of W x H, with
# the environment ENV ("VAR=x VAR2=y", or "-").  When sipwatch ends, the
# pane shows "[sipwatch exited: STATUS]".
start() {
	w=$1 h=$2 extra=$3
	shift 3
	[ "$extra" = "-" ] && extra=
	n=$((n + 1))
	S="t$n"
	$T new-session -d -s "$S" -x "$w" -y "$h" -c "$work" \
	    "env TERM=xterm-256color LC_ALL=C.UTF-8 TZ=UTC LANGUAGE= \
	    SIPWATCH_DATADIR='$SIPWATCH_DATADIR' \
	    SIPWATCH_LOCALEDIR='$SIPWATCH_LOCALEDIR' $extra \
	    '$SIPWATCH' --lang=en $*; echo \"[sipwatch exited: \$?]\"; \
	    exec sleep 3600" || hard_error "tmux new-session failed"
	what="$w x $h${extra:+ $extra}: $*"
}

screen() {
	$T capture-pane -p -t "$S"
}

# wait_for TEXT [SECONDS]: until the screen shows TEXT (at most SECONDS,
# 30 by default).
wait_for() {
	i=0
	while [ $i -lt $((${2:-30} * 10)) ]; do
		case $(screen) in
		*"$1"*) return 0 ;;
		esac
		sleep 0.1
		i=$((i + 1))
	done
	fail "$what: the screen does not show \"$1\":
$(screen)"
}

# wait_gone TEXT: until the screen no longer shows TEXT (at most 30 s).
wait_gone() {
	i=0
	while [ $i -lt 300 ]; do
		case $(screen) in
		*"$1"*) ;;
		*) return 0 ;;
		esac
		sleep 0.1
		i=$((i + 1))
	done
	fail "$what: the screen still shows \"$1\":
$(screen)"
}

# has TEXT: the screen shows TEXT now.
has() {
	screen | grep -qF -- "$1" || fail "$what: no \"$1\" on the screen:
$(screen)"
}

# hasnt TEXT
hasnt() {
	screen | grep -qF -- "$1" && fail "$what: \"$1\" should not be shown:
$(screen)"
	return 0
}

# line_with A B: one line of the screen shows both A and B.
line_with() {
	screen | grep -F -- "$1" | grep -qF -- "$2" || fail "$what: no line \
with \"$1\" and \"$2\":
$(screen)"
}

keys() {
	$T send-keys -t "$S" "$@"
}

# settle: the keys sent so far were handled (a marker key round trip:
# the help opens, its key bar shows, it closes).
settle() {
	keys '?'
	wait_for "↑↓ scroll  Esc back"
	keys Escape
	wait_gone "↑↓ scroll  Esc back"
}

# still_running: sipwatch has not exited.
still_running() {
	hasnt "[sipwatch exited:"
}

# quit: q on the main screen asks, a second q quits with status 0.
quit() {
	keys q
	wait_for "Quit sipwatch?"
	keys q
	wait_for "[sipwatch exited: "
	has "[sipwatch exited: 0]"
}

# page_until TEXT: PageDown (at most 10 times) until the screen shows TEXT.
page_until() {
	i=0
	while [ $i -lt 10 ]; do
		screen | grep -qF -- "$1" && return 0
		keys PageDown
		sleep 0.3
		i=$((i + 1))
	done
	wait_for "$1"
}

# filter TEXT: type TEXT at the / prompt (replacing what is there).
filter() {
	keys /
	wait_for "Filter:"
	keys C-u
	keys -l "$1"
	keys Enter
	wait_gone "Filter:"
}

# gen_calls N FILE: write a capture of exactly N calls (with the
# registrations and OPTIONS pings bench/sipgen -c puts between them) to
# FILE, in the test's directory.  Returns 1 when bench/sipgen is not
# built (the caller skips what needs it).
gen_calls() {
	[ -x "$top_builddir/bench/sipgen" ] || return 1
	"$top_builddir/bench/sipgen" -c "$1" -o "$2" 2>"$work/sipgen.log" ||
	    hard_error "sipgen failed: $(cat "$work/sipgen.log")"
	grep -q " $1 calls" "$work/sipgen.log" ||
	    hard_error "sipgen did not write $1 calls: $(cat "$work/sipgen.log")"
}
