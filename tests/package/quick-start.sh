#!/bin/sh
# tests/package/quick-start.sh: the README's commands, read from README.md
# and run verbatim as root on a clean Debian 12 root (debootstrap
# --variant=minbase bookworm) holding the sources of HEAD (git archive):
#   1. the quick start's first command must build sipwatch and analyse
#      the shipped capture, and install no SIP server, metrics server or
#      syslog daemon: no package it installs ships a systemd unit or an
#      init script, none is enabled, the policy-rc.d was asked to start
#      nothing, and no process is left running in the root;
#   2. `make install` (README, "Running as a service"), with systemd
#      present as on any Debian 12 host: the unit in
#      /usr/local/lib/systemd/system and the logrotate snippet in
#      /etc/logrotate.d, where systemd and logrotate read them, the user
#      sipwatch created, the unit accepted by systemd-analyze verify;
#   3. with --package, "Install as a package": the .deb built from the
#      checkout installs, and /usr/bin/sipwatch analyses the example
#      capture it ships;
#   4. with --tests, the README's test command: make check must pass,
#      and the test packages must leave no service enabled or running.
#
# Usage: sh tests/package/quick-start.sh [--package] [--tests]
# Needs root, git, debootstrap and the Debian mirror (tests/package/lib.sh);
# skips with the reason where chroot or mount are not permitted.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
top=$(cd "$here/../.." && pwd)

package=0 tests=0
for a in "$@"; do
	case $a in
	--package) package=1 ;;
	--tests) tests=1 ;;
	*) hard_error "usage: $0 [--package] [--tests]" ;;
	esac
done
root_check
command -v git >/dev/null || skip "git is not installed"
commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null) ||
    skip "$top is not a git checkout (the README's commands start from one)"

# readme_command HEADING: the first code line (indented by 4) after the
# line of README.md that starts with HEADING.
readme_command() {
	awk -v h="$1" 'index($0, h) == 1 { f = 1; next }
	    f && /^    [^ ]/ { sub(/^    /, ""); print; exit }' "$top/README.md"
}
quick=$(readme_command "## Quick start")
testcmd=$(readme_command "Run the whole test suite:")
pkgcmd=$(readme_command "## Install as a package")
[ -n "$quick" ] && [ -n "$testcmd" ] && [ -n "$pkgcmd" ] ||
    hard_error "README.md: a command was not found"

work=$(mktemp -d /var/tmp/sipwatch-quick.XXXXXX) || hard_error "mktemp"
trap 'root_destroy; rm -rf "$work"' EXIT
trap 'exit 1' INT TERM HUP
root_create "$work/root"
mkdir "$work/root/root/sipwatch"
git -C "$top" archive --format=tar HEAD | tar -x -C "$work/root/root/sipwatch" ||
    hard_error "git archive"
echo "sources: $top at $commit (committed files only)"

# 1. The quick start.
root_state "$work/before"
echo "1. $quick"
t0=$(date +%s)
root_run "cd /root/sipwatch && $quick" >"$work/quick.log" 2>&1 ||
    { tail -n 40 "$work/quick.log"; fail "the quick start's first command failed"; }
t1=$(date +%s)
grep -q "^sipwatch [0-9.]* report: file pcaps/transfer-blind.pcap" "$work/quick.log" &&
    grep -q "^Transfers  *1 REFER: 1 accepted" "$work/quick.log" ||
    { tail -n 40 "$work/quick.log"; fail "the quick start did not print the capture's report"; }
root_quiet "$work/before" "the quick start"
sed -n 's/^package //p' "$work/before.added" >"$work/new"
# No daemon among them: no unit, no init script, none of the servers.
for p in $(cat "$work/new"); do
	root_run "dpkg-query -L $p" | grep -E \
	    '^(/usr)?/lib/systemd/system/[^/]+\.(service|socket|timer)$|^/etc/init\.d/' |
	    sed "s|^|$p: |"
done >"$work/daemons"
[ ! -s "$work/daemons" ] || { cat "$work/daemons"; fail "the quick start installed services"; }
grep -E '^(kamailio|opensips|asterisk|freeswitch|yate|repro|prometheus.*|rsyslog|syslog-ng.*|sysklogd|inetutils-syslogd|busybox-syslogd|sngrep|sipsak|tshark|tcpdump|chromium)$' \
    "$work/new" && fail "the quick start installed the test packages above"
get=$(sed -n 's/^Need to get \([0-9.,]* [kMG]B\).*/\1/p' "$work/quick.log" | head -n 1)
echo "ok   $(wc -l <"$work/new") packages ($get to download), built and ran in $((t1 - t0)) s; no unit, init script, service start or process"

# 2. make install, with systemd there as on any Debian 12 host.
root_run "DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    --no-install-recommends systemd procps man-db" >"$work/systemd.log" 2>&1 ||
    { tail -n 30 "$work/systemd.log"; fail "installing systemd"; }
root_state "$work/before"
echo "2. make install"
root_run "cd /root/sipwatch && make install" >"$work/install.log" 2>&1 ||
    { tail -n 40 "$work/install.log"; fail "make install"; }
sed -n '/^sipwatch: installed/,$p' "$work/install.log"
for f in /usr/local/bin/sipwatch /usr/local/lib/systemd/system/sipwatch@.service \
    /etc/logrotate.d/sipwatch /usr/local/lib/sysusers.d/sipwatch.conf \
    /usr/local/share/sipwatch/kb/codes.ini; do
	[ -f "$work/root$f" ] || fail "make install: no $f"
done
grep -q "systemd does not read\|logrotate reads /etc/logrotate.d only" \
    "$work/install.log" && fail "make install: files where they are not read"
root_run "getent passwd sipwatch" >/dev/null ||
    fail "make install did not create the user sipwatch"
root_run "systemd-analyze verify sipwatch@eth0.service" >"$work/verify" 2>&1 &&
    [ ! -s "$work/verify" ] ||
    { cat "$work/verify"; fail "systemd-analyze verify sipwatch@eth0.service (make install)"; }
root_run "cd / && sipwatch explain 503" | grep -q "^SIP 503 Service Unavailable" ||
    fail "the installed sipwatch explain 503"
root_quiet "$work/before" "make install"
echo "ok   unit, logrotate snippet and user where systemd, logrotate and systemd-sysusers read them; unit verified"

# 3. Install as a package.
if [ $package -eq 1 ]; then
	root_state "$work/before"
	echo "3. $pkgcmd"
	root_run "cd /root/sipwatch && $pkgcmd" >"$work/package.log" 2>&1 ||
	    { tail -n 40 "$work/package.log"; fail "the package command failed"; }
	root_run "/usr/bin/sipwatch -r /usr/share/doc/sipwatch/examples/transfer-blind.pcap -N" \
	    >"$work/example.log" 2>&1 && grep -q "^Transfers  *1 REFER: 1 accepted" "$work/example.log" ||
	    { cat "$work/example.log"; fail "the packaged sipwatch on its example capture"; }
	root_quiet "$work/before" "installing the package"
	echo "ok   the package built, installed and ran its example capture"
fi

# 4. The test command.
if [ $tests -eq 1 ]; then
	root_state "$work/before"
	echo "4. $testcmd"
	t0=$(date +%s)
	root_run "cd /root/sipwatch && $testcmd" >"$work/tests.log" 2>&1
	rc=$?
	t1=$(date +%s)
	grep -E "^(PASS|FAIL|SKIP|ERROR|XFAIL|XPASS|# [A-Z]+:)|^install-test-packages|^  [a-z/].*\(" \
	    "$work/tests.log"
	[ $rc -eq 0 ] || { cat "$work/root/root/sipwatch/test-suite.log" 2>/dev/null | tail -n 60;
	    fail "the README's test command failed ($rc)"; }
	root_quiet "$work/before" "the test command"
	n=$(grep -c '^package ' "$work/before.added")
	get=$(sed -n 's/^Need to get \([0-9.,]* [kMG]B\).*/\1/p' "$work/tests.log" | head -n 1)
	echo "ok   the test command passed in $((t1 - t0)) s; $n packages ($get), no service enabled or left running"
fi
echo "quick-start: README.md commands on a clean Debian 12 root: passed"
exit 0
