#!/bin/sh
# tools/install-test-packages.sh: install what `make check` needs, as
# root, so that none of it runs as a service, now or after a reboot.
#
# Usage: sh tools/install-test-packages.sh [LIST...]
#
# Installs tools/debian-packages.txt (build) and
# tools/debian-packages-test.txt (tests), and each LIST given (CI adds
# tools/debian-packages-ci.txt), without recommended packages.
#
# The tests start every daemon they use (Kamailio, rsyslogd, sngrep,
# ...) themselves, on 127.0.0.1 or in a network namespace of their own.
# Installed the usual way, the test packages would also start Kamailio
# on port 5060 of every address, Prometheus on :9090 and an rsyslogd,
# and enable them at boot: on a PBX host, a second SIP server on the
# PBX's port.  So:
#   - during the install, a policy-rc.d refuses every service start
#     (invoke-rc.d and deb-systemd-invoke ask it); one already in place
#     is set aside and put back afterwards;
#   - then the systemd units and init scripts of the packages this run
#     installed are disabled, and listed.  Packages that were installed
#     before are left as they were.
# Exit status: 0, or apt-get's status.
set -eu
cd "$(dirname "$0")/.."

[ "$(id -u)" -eq 0 ] || { echo "$0: needs root (apt-get install)" >&2; exit 1; }

lists="tools/debian-packages.txt tools/debian-packages-test.txt"
for l in "$@"; do
	[ -f "$l" ] || { echo "$0: $l: no such list" >&2; exit 1; }
	lists="$lists $l"
done
# shellcheck disable=SC2086
pkgs=$(cat $lists)

tmp=$(mktemp -d)
policy=/usr/sbin/policy-rc.d
saved=
restore_policy() {
	rm -f "$policy"
	if [ -n "$saved" ]; then
		mv "$saved" "$policy"
		saved=
	fi
}
cleanup() {
	restore_policy
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

installed() {
	dpkg-query -W -f '${db:Status-Abbrev} ${Package}\n' |
	    awk '$1 == "ii" { print $2 }' | sort
}

installed >"$tmp/before"
if [ -e "$policy" ]; then
	saved=$policy.sipwatch-saved
	mv "$policy" "$saved"
fi
cat >"$policy" <<'EOF'
#!/bin/sh
# tools/install-test-packages.sh (sipwatch): no service starts during
# this install.  Removed when the install ends.
exit 101
EOF
chmod 755 "$policy"

export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
apt-get install -y --no-install-recommends $pkgs
restore_policy

# Disable what the packages new to this machine enabled.
installed >"$tmp/after"
comm -13 "$tmp/before" "$tmp/after" >"$tmp/new"
while read -r p; do
	dpkg-query -L "$p" 2>/dev/null |
	    grep -E '^(/usr)?/lib/systemd/system/[^/@]+\.(service|socket|timer|path)$' |
	    while read -r f; do
		u=${f##*/}
		# systemctl works without a running systemd too; without
		# systemctl, deb-systemd-helper (which made the links) as
		# from the package's own scripts.
		if command -v systemctl >/dev/null; then
			systemctl --quiet is-enabled "$u" 2>/dev/null ||
			    continue
			systemctl --quiet disable "$u" 2>/dev/null
		else
			export DPKG_MAINTSCRIPT_PACKAGE="$p"
			deb-systemd-helper --quiet is-enabled "$u" ||
			    continue
			deb-systemd-helper disable "$u"
		fi
		echo "$u ($p)"
	done
	dpkg-query -L "$p" 2>/dev/null | grep -E '^/etc/init\.d/[^/]+$' |
	    while read -r f; do
		s=${f##*/}
		ls /etc/rc[2345].d/S??"$s" >/dev/null 2>&1 || continue
		update-rc.d "$s" disable >/dev/null 2>&1
		echo "/etc/init.d/$s ($p)"
	done
done <"$tmp/new" >"$tmp/disabled"
disabled=$(cat "$tmp/disabled")

echo "install-test-packages: $(wc -l <"$tmp/new") packages installed, no service started"
if [ -n "$disabled" ]; then
	echo "install-test-packages: disabled at boot (the tests start their own instances):"
	echo "$disabled" | sed 's/^/  /'
fi
exit 0
