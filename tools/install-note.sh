#!/bin/sh
# tools/install-note.sh: what `make install` did for running sipwatch as
# a service (install-data-hook in Makefile.am).
#
# Usage: install-note.sh DESTDIR BINDIR PKGDATADIR UNITDIR LOGROTATEDIR SYSUSERSDIR
# (a directory is "no" when configure was told not to install there).
#
# With an empty DESTDIR (a real install): prints where the unit, the
# logrotate snippet and the sysusers.d entry went, whether systemd,
# logrotate and systemd-sysusers read those directories, and the exact
# link to make when they do not; as root, creates the sipwatch user
# with systemd-sysusers when its directory is one systemd-sysusers
# reads (so `make distcheck` and installs under other prefixes change
# nothing outside the prefix).  With a DESTDIR (a staged install, as a
# package build does) it prints nothing.  Always exits 0: the files are
# installed either way.
destdir=$1 bindir=$2 pkgdatadir=$3 unitdir=$4 logrotatedir=$5 sysusersdir=$6
[ -z "$destdir" ] || exit 0

# one_of WORD LIST...: WORD is one of LIST.
one_of() {
	_w=$1
	shift
	for _d in "$@"; do
		[ "$_d" = "$_w" ] && return 0
	done
	return 1
}

if command -v systemd-analyze >/dev/null 2>&1 &&
    unitpaths=$(systemd-analyze --system unit-paths 2>/dev/null) &&
    [ -n "$unitpaths" ]; then
	:
else
	unitpaths="/etc/systemd/system /usr/local/lib/systemd/system
/lib/systemd/system /usr/lib/systemd/system"
fi
# systemd-sysusers reads these (sysusers.d(5); /usr/local/lib too).
sysuserspaths="/etc/sysusers.d /run/sysusers.d /usr/local/lib/sysusers.d
/usr/lib/sysusers.d"

echo "sipwatch: installed $bindir/sipwatch, knowledge base in $pkgdatadir/kb"
if [ "$unitdir" != no ]; then
	unit=$unitdir/sipwatch@.service
	# shellcheck disable=SC2086
	if one_of "$unitdir" $unitpaths; then
		echo "sipwatch: systemd unit $unit"
		echo "  start it: systemctl daemon-reload && systemctl enable --now sipwatch@eth0"
	else
		echo "sipwatch: systemd unit $unit; systemd does not read $unitdir, link it:"
		echo "  ln -s $unit /etc/systemd/system/sipwatch@.service"
	fi
fi
if [ "$logrotatedir" != no ]; then
	lr=$logrotatedir/sipwatch
	if [ "$logrotatedir" = /etc/logrotate.d ]; then
		echo "sipwatch: logrotate snippet $lr"
	else
		echo "sipwatch: logrotate snippet $lr; logrotate reads /etc/logrotate.d only, link it:"
		echo "  ln -s $lr /etc/logrotate.d/sipwatch"
	fi
fi
if [ "$sysusersdir" != no ]; then
	su=$sysusersdir/sipwatch.conf
	# shellcheck disable=SC2086
	if ! one_of "$sysusersdir" $sysuserspaths; then
		echo "sipwatch: user entry $su; systemd-sysusers does not read $sysusersdir, create the user:"
		echo "  systemd-sysusers $su"
	elif getent passwd sipwatch >/dev/null 2>&1; then
		echo "sipwatch: user sipwatch exists ($su)"
	elif [ "$(id -u)" -eq 0 ] && command -v systemd-sysusers >/dev/null 2>&1 &&
	    systemd-sysusers "$su"; then
		echo "sipwatch: user sipwatch created (systemd-sysusers $su)"
	else
		echo "sipwatch: user entry $su; create the user (as root):"
		echo "  systemd-sysusers $su   # or: adduser --system --group --no-create-home sipwatch"
	fi
fi
exit 0
