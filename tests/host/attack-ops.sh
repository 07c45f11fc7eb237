#!/bin/sh
# The operator's side of the attack rules (doc/OPERATIONS.md, "Attacks"):
# the attack captures and two captures of infrastructure trouble are
# replayed with --syslog to an rsyslogd of the test's own
# (tests/host/rsyslog.sh: the traditional file format too), and
# fail2ban-regex with the shipped filter
# (dist/fail2ban/filter.d/sipwatch.conf) must find exactly the
# attackers' addresses (the four crafted ones and sipsak's guessing in
# auth-failure-burst.pcap): never a server, a port, or an
# infrastructure alert.  The --blocklist file of each replay lists the attacker with its
# reason, is complete (no temporary file left) and readable by all.
. "$(dirname "$0")/../lib.sh"

command -v rsyslogd >/dev/null || skip "rsyslogd not installed"
command -v fail2ban-regex >/dev/null ||
    skip "fail2ban-regex not installed (apt-get install fail2ban)"

tmp=$(mktemp -d) || hard_error "mktemp"
. "$top_srcdir/tests/host/rsyslog.sh"
trap 'rsyslog_stop; rm -rf "$tmp"' EXIT
mkdir "$tmp/rs" || hard_error "mkdir"
rsyslog_start "$tmp/rs"

n=0
for cap in attack-horizontal-scan attack-slow-bruteforce attack-fraud-answered \
    attack-renamed-scanner server-error-burst auth-failure-burst; do
	"$SIPWATCH" -r "$top_srcdir/pcaps/$cap.pcap" -N --report=none \
	    --syslog=local3 --syslog-socket="$tmp/rs/log.sock" \
	    --blocklist="$tmp/$cap.block" --alerts="$tmp/$cap.json" \
	    2>"$tmp/err" || { cat "$tmp/err"; fail "sipwatch on $cap"; }
	n=$((n + $(wc -l <"$tmp/$cap.json")))
done
i=0
until [ "$(wc -l <"$tmp/rs/syslog" 2>/dev/null || echo 0)" -ge "$n" ]; do
	i=$((i + 1))
	[ $i -lt 200 ] || fail "syslog: $n lines expected"
	sleep 0.1
done

fail2ban-regex -o ip "$tmp/rs/syslog" \
    "$top_srcdir/dist/fail2ban/filter.d/sipwatch.conf" >"$tmp/f2b" 2>&1 ||
    { cat "$tmp/f2b"; fail "fail2ban-regex failed"; }
got=$(sort -u "$tmp/f2b" | tr '\n' ' ')
# auth-failure-burst.pcap: sipsak guessing from 127.0.0.1 (one account,
# ten refusals in seven seconds); server-error-burst.pcap: a server's
# 5xx burst, which must not match.
want="127.0.0.1 203.0.113.44 203.0.113.66 203.0.113.77 203.0.113.99 "
[ "$got" = "$want" ] || { cat "$tmp/f2b"; fail "fail2ban found '$got', not '$want'"; }
grep -q "rule=server-error-burst" "$tmp/rs/syslog" ||
    fail "the server-error-burst line did not reach syslog"
echo "ok:   fail2ban-regex with the shipped filter: $got"

for cap in attack-horizontal-scan attack-slow-bruteforce attack-fraud-answered \
    attack-renamed-scanner; do
	f="$tmp/$cap.block"
	[ "$(stat -c %a "$f")" = 644 ] || fail "$cap: blocklist mode $(stat -c %a "$f")"
	ls "$tmp" | grep -q "^$cap.block.tmp" && fail "$cap: temporary file left"
	awk -F '\t' '!/^#/ { n++; if (NF != 4 || $1 !~ /^203\.0\.113\./ ||
	    $2 !~ /Z$/ || $3 !~ /^[0-9]+$/) bad = 1 }
	    END { exit !(n == 1 && !bad) }' "$f" ||
	    { cat "$f"; fail "$cap: blocklist"; }
done
grep -q "^203.0.113.77	.*password guessing" "$tmp/attack-slow-bruteforce.block" ||
    fail "the guessing source's reason"
[ "$(grep -vc '^#' "$tmp/server-error-burst.block")" -eq 0 ] ||
    fail "a server in the blocklist"
echo "ok:   blocklists: one attacker each, with expiry and reason"
echo "attack ops: all checks passed"
