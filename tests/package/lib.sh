# tests/package/lib.sh: a clean Debian 12 root, made with debootstrap, for
# the package and quick-start tests (sourced).  Those tests download
# packages from the Debian mirror and take minutes: .ci/run runs them,
# `make check` does not.  Exit codes as in tests/lib.sh: 0 pass, 77 skip
# (with the reason: this machine cannot make a chroot), 99 hard error,
# anything else fail.
#
# root_check              skip unless debootstrap, chroot and mount work
# root_create DIR         debootstrap --variant=minbase bookworm into DIR,
#                         sources as on a fresh Debian 12 (bookworm,
#                         -updates, -security), /proc, /sys, /dev/pts and
#                         /dev/shm mounted, the host's resolv.conf, and a
#                         policy-rc.d that refuses every service start and
#                         logs the request in DIR/var/log/policy-rc.d.log
# root_run CMD            sh -c CMD in it, as root, with a clean environment
# root_state FILE         what is installed and enabled: one line per
#                         package, per enabled unit and per init script
#                         link in rc[2-5].d
# root_procs              processes still running in the root (pid: command)
# root_quiet BEFORE WHAT  since root_state BEFORE, WHAT enabled nothing
#                         (beside packages), asked the policy-rc.d for no
#                         start and left no process running; else the test
#                         fails.  The lines added since are in BEFORE.added
# root_destroy            stop what runs in it, unmount, remove it
# The mirrors are $SIPWATCH_MIRROR (default http://deb.debian.org/debian)
# and $SIPWATCH_SECURITY (http://deb.debian.org/debian-security).

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
hard_error() { echo "ERROR: $*"; exit 99; }

: "${SIPWATCH_MIRROR:=http://deb.debian.org/debian}"
: "${SIPWATCH_SECURITY:=http://deb.debian.org/debian-security}"
ROOT=

root_check() {
	[ "$(id -u)" -eq 0 ] || skip "needs root (debootstrap, chroot, mount)"
	command -v debootstrap >/dev/null ||
	    skip "debootstrap is not installed (apt-get install debootstrap)"
	chroot / /bin/true 2>/dev/null || skip "chroot is not permitted here"
	_rc_d=$(mktemp -d)
	if ! mount -t tmpfs none "$_rc_d" 2>/dev/null; then
		rmdir "$_rc_d"
		skip "mount is not permitted here"
	fi
	umount "$_rc_d"
	rmdir "$_rc_d"
}

root_create() {
	ROOT=$1
	echo "debootstrap --variant=minbase bookworm $ROOT $SIPWATCH_MIRROR"
	if ! debootstrap --variant=minbase bookworm "$ROOT" "$SIPWATCH_MIRROR" \
	    >"$ROOT.debootstrap.log" 2>&1; then
		tail -n 20 "$ROOT.debootstrap.log"
		fail "debootstrap of Debian 12 from $SIPWATCH_MIRROR failed"
	fi
	mount -t proc proc "$ROOT/proc"
	mount -t sysfs sysfs "$ROOT/sys"
	mount --bind /dev/pts "$ROOT/dev/pts"
	mkdir -p "$ROOT/dev/shm"
	mount -t tmpfs tmpfs "$ROOT/dev/shm"
	cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
	cat >"$ROOT/etc/apt/sources.list" <<EOF
deb $SIPWATCH_MIRROR bookworm main
deb $SIPWATCH_MIRROR bookworm-updates main
deb $SIPWATCH_SECURITY bookworm-security main
EOF
	cat >"$ROOT/usr/sbin/policy-rc.d" <<'EOF'
#!/bin/sh
# tests/package/lib.sh: log every service start asked for, refuse all.
echo "$*" >>/var/log/policy-rc.d.log
exit 101
EOF
	chmod 755 "$ROOT/usr/sbin/policy-rc.d"
	: >"$ROOT/var/log/policy-rc.d.log"
}

root_run() {
	chroot "$ROOT" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
	    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	    /bin/sh -c "$1"
}

root_state() {
	{
		root_run "dpkg-query -W -f '\${db:Status-Abbrev} \${Package}\n'" |
		    awk '$1 == "ii" { print "package " $2 }'
		( cd "$ROOT/etc/systemd/system" 2>/dev/null &&
		    find . -path './*.wants/*' -o -path './*.requires/*' ) |
		    sed 's|^\./|enabled |'
		( cd "$ROOT/etc" && ls -d rc[2345].d/S* 2>/dev/null ) |
		    sed 's|^|init |'
	} | sort >"$1"
}

root_procs() {
	_rp_root=$(readlink -f "$ROOT")
	for _rp_p in /proc/[0-9]*; do
		[ "$(readlink "$_rp_p/root" 2>/dev/null)" = "$_rp_root" ] || continue
		echo "${_rp_p#/proc/}: $(tr '\0' ' ' <"$_rp_p/cmdline" 2>/dev/null)"
	done
}

root_quiet() {
	root_state "$1.now"
	comm -13 "$1" "$1.now" >"$1.added"
	if grep -v '^package ' "$1.added"; then
		fail "$2 enabled the above"
	fi
	[ ! -s "$ROOT/var/log/policy-rc.d.log" ] ||
	    { cat "$ROOT/var/log/policy-rc.d.log"; fail "$2 asked for service starts"; }
	_rq_left=$(root_procs)
	[ -z "$_rq_left" ] || { echo "$_rq_left"; fail "$2 left processes running"; }
}

root_destroy() {
	[ -n "$ROOT" ] && [ -d "$ROOT" ] || return 0
	# What the tests started in the root and left running, by pid.
	root_procs | cut -d: -f1 | while read -r _rd_p; do
		kill "$_rd_p" 2>/dev/null
	done
	for _rd_m in dev/shm dev/pts sys proc; do
		if mountpoint -q "$ROOT/$_rd_m"; then
			umount "$ROOT/$_rd_m" || umount -l "$ROOT/$_rd_m"
		fi
	done
	if grep -q " $(readlink -f "$ROOT")/" /proc/mounts; then
		echo "ERROR: still mounted under $ROOT; not removed:"
		grep " $(readlink -f "$ROOT")/" /proc/mounts
		return 1
	fi
	rm -rf --one-file-system "$ROOT" "$ROOT.debootstrap.log"
	ROOT=
}
