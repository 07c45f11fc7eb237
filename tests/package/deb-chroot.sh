#!/bin/sh
# tests/package/deb-chroot.sh: the Debian package installed with apt into
# a clean Debian 12 root (debootstrap), as a user installs it:
#   - apt-get install ./sipwatch_*.deb takes its dependencies from the
#     mirror, creates the system user sipwatch (systemd-sysusers), and
#     enables and starts nothing: beside packages, nothing new is enabled
#     (the unit is a template), the policy-rc.d was asked to start
#     nothing, and no process is left running in the root;
#   - `sipwatch explain 503` reads /usr/share/sipwatch/kb, in English
#     and (--lang=ru) Russian from the catalogs in /usr/share/locale;
#   - a shipped capture in /usr/share/doc/sipwatch/examples raises its
#     alerts with the knowledge base's advice;
#   - when a build tree's sipwatch is given ($SIPWATCH, or the tree this
#     script is in), the installed one prints exactly what it prints for
#     both;
#   - systemd-analyze verify accepts the unit (as sipwatch@eth0.service)
#     and logrotate -d the snippet (file owner sipwatch, group adm).
#
# Usage: sh tests/package/deb-chroot.sh PATH/sipwatch_VERSION_ARCH.deb
# Needs root, debootstrap and the Debian mirror (tests/package/lib.sh);
# skips with the reason where chroot or mount are not permitted.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

[ $# -eq 1 ] && [ -f "$1" ] || hard_error "usage: $0 sipwatch_VERSION_ARCH.deb"
deb=$(readlink -f "$1")
top=$(cd "$here/../.." && pwd)
: "${SIPWATCH:=$top/sipwatch}"
[ -x "$SIPWATCH" ] || SIPWATCH=

root_check
work=$(mktemp -d /var/tmp/sipwatch-deb.XXXXXX) || hard_error "mktemp"
trap 'root_destroy; rm -rf "$work"' EXIT
trap 'exit 1' INT TERM HUP
start=$(date +%s)
root_create "$work/root"

# A fresh Debian 12 has systemd, logrotate, procps and man-db: install
# them first, so that what the package adds is all that changes then.
base="systemd logrotate procps man-db"
echo "apt-get install $base (as on a fresh Debian 12)"
root_run "apt-get update -q && DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends $base" \
    >"$work/base.log" 2>&1 ||
    { tail -n 30 "$work/base.log"; fail "installing $base"; }
root_state "$work/before"
: >"$work/root/var/log/policy-rc.d.log"

cp "$deb" "$work/root/tmp/"
echo "apt-get install ./${deb##*/}"
root_run "DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    --no-install-recommends /tmp/${deb##*/}" >"$work/install.log" 2>&1 ||
    { tail -n 30 "$work/install.log"; fail "apt-get install ./${deb##*/}"; }

# Nothing enabled, nothing started.
root_quiet "$work/before" "installing the package"
grep -qx "package sipwatch" "$work/before.added" || fail "sipwatch is not installed"
echo "ok   installed with $(grep -c '^package ' "$work/before.added") packages; nothing enabled or started"

# The user the unit's -Z names.
root_run "getent passwd sipwatch" >"$work/user" ||
    fail "the package did not create the user sipwatch"
echo "ok   user: $(cat "$work/user")"

# explain, in English and Russian.
root_run "sipwatch explain 503" >"$work/explain" 2>&1 ||
    { cat "$work/explain"; fail "sipwatch explain 503"; }
grep -q "^SIP 503 Service Unavailable" "$work/explain" &&
    grep -q "Retry-After" "$work/explain" ||
    { cat "$work/explain"; fail "explain 503: not the knowledge base's text"; }
root_run "sipwatch explain 503 --lang=ru" >"$work/explain-ru" 2>&1 ||
    { cat "$work/explain-ru"; fail "sipwatch explain 503 --lang=ru"; }
grep -q "Что делать" "$work/explain-ru" ||
    { cat "$work/explain-ru"; fail "explain 503 --lang=ru: not in Russian"; }
echo "ok   explain 503 (en, ru) from /usr/share/sipwatch/kb and /usr/share/locale"

# A shipped capture: its alerts, with the advice of the knowledge base.
ex=/usr/share/doc/sipwatch/examples
root_run "sipwatch -r $ex/server-error-burst.pcap -N --report=none" \
    >"$work/alerts" 2>"$work/alerts.err" ||
    { cat "$work/alerts.err"; fail "sipwatch -r $ex/server-error-burst.pcap"; }
grep -q "error bad-gateway .* KB 502: Identify the element" "$work/alerts" ||
    { cat "$work/alerts" "$work/alerts.err"; fail "server-error-burst.pcap: no bad-gateway alert with its advice"; }
root_run "sipwatch -r $ex/transfer-blind.pcap -N --report=json" \
    >"$work/report.json" 2>"$work/report.err" ||
    { cat "$work/report.err"; fail "sipwatch -r $ex/transfer-blind.pcap"; }
grep -q '"REFER":2' "$work/report.json" ||
    { cat "$work/report.json"; fail "transfer-blind.pcap: report"; }
echo "ok   $ex: server-error-burst.pcap alerts with advice, transfer-blind.pcap report"

# The same output as the build tree's sipwatch.
if [ -n "$SIPWATCH" ]; then
	"$SIPWATCH" explain 503 >"$work/explain.want" 2>&1
	cmp -s "$work/explain.want" "$work/explain" ||
	    { diff "$work/explain.want" "$work/explain" | head; fail "explain 503 differs from $SIPWATCH"; }
	"$SIPWATCH" -r "$top/pcaps/server-error-burst.pcap" -N --report=none \
	    >"$work/alerts.want" 2>/dev/null
	cmp -s "$work/alerts.want" "$work/alerts" ||
	    { diff "$work/alerts.want" "$work/alerts" | head; fail "alerts differ from $SIPWATCH"; }
	echo "ok   the same explain and alerts as $SIPWATCH"
fi

# The unit and the logrotate snippet.
root_run "systemd-analyze verify sipwatch@eth0.service" >"$work/verify" 2>&1 ||
    { cat "$work/verify"; fail "systemd-analyze verify sipwatch@eth0.service"; }
[ ! -s "$work/verify" ] || { cat "$work/verify"; fail "systemd-analyze verify: warnings"; }
root_run "systemd-analyze cat-config --no-pager /lib/systemd/system/sipwatch@.service" 2>/dev/null |
    grep -q "^ExecStart=/usr/bin/sipwatch -i %I .* -Z sipwatch " ||
    fail "the unit does not run /usr/bin/sipwatch with -Z sipwatch"
echo "ok   systemd-analyze verify sipwatch@eth0.service"
root_run "mkdir -p /var/log/sipwatch && touch /var/log/sipwatch/alerts-eth0.json && \
    logrotate -d -f /etc/logrotate.d/sipwatch" >"$work/logrotate" 2>&1 ||
    { cat "$work/logrotate"; fail "logrotate -d /etc/logrotate.d/sipwatch"; }
grep -qi "error" "$work/logrotate" && { cat "$work/logrotate"; fail "logrotate: errors"; }
echo "ok   logrotate -d /etc/logrotate.d/sipwatch"

echo "deb-chroot: ${deb##*/} installed and run in a clean Debian 12 root in $(( $(date +%s) - start )) s"
exit 0
