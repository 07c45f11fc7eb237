# tests/host/rsyslog.sh: an rsyslogd of the test's own (sourced).
#
# rsyslog_start DIR starts rsyslogd -n with a configuration in DIR that
# touches nothing of the host's logging: no /dev/log (imuxsock's system
# socket is off), a unix socket DIR/log.sock, UDP and TCP inputs on
# 127.0.0.1 ports $RS_UDP and $RS_TCP, and files under DIR:
#   DIR/local.log   "FACILITY.SEVERITY PROGRAM: MSG" of the local socket
#   DIR/remote.log  "FACILITY.SEVERITY APP PROCID MSGID SD MSG" of UDP+TCP
#   DIR/syslog      the local socket's lines in the traditional file format
#                   ("Mmm dd hh:mm:ss HOST PROGRAM[PID]: MSG"), as fail2ban
#                   reads /var/log/syslog
# rsyslog_stop stops it.  Needs: rsyslogd (Debian package rsyslog).

rsyslog_start() {
	RS_DIR=$1
	RS_UDP=$((30000 + $$ % 15000))
	RS_TCP=$((RS_UDP + 1))
	cat >"$RS_DIR/rsyslog.conf" <<EOF
global(workDirectory="$RS_DIR" maxMessageSize="64k")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$RS_DIR/log.sock" CreatePath="on")
module(load="imudp")
input(type="imudp" address="127.0.0.1" port="$RS_UDP" ruleset="remote")
module(load="imtcp")
input(type="imtcp" address="127.0.0.1" port="$RS_TCP" ruleset="remote")
template(name="local" type="string"
    string="%syslogfacility-text%.%syslogseverity-text% %programname%:%msg%\n")
template(name="remote" type="string"
    string="%syslogfacility-text%.%syslogseverity-text% %app-name% %procid% %msgid% %structured-data% %msg%\n")
ruleset(name="remote") {
	action(type="omfile" file="$RS_DIR/remote.log" template="remote")
}
*.* action(type="omfile" file="$RS_DIR/local.log" template="local")
*.* action(type="omfile" file="$RS_DIR/syslog" template="RSYSLOG_TraditionalFileFormat")
EOF
	rsyslogd -N1 -f "$RS_DIR/rsyslog.conf" >"$RS_DIR/check.log" 2>&1 ||
	    { cat "$RS_DIR/check.log"; hard_error "rsyslogd did not start: rsyslogd -N1 refuses its configuration $RS_DIR/rsyslog.conf"; }
	rsyslogd -n -C -f "$RS_DIR/rsyslog.conf" -i "$RS_DIR/rsyslogd.pid" \
	    >"$RS_DIR/rsyslogd.out" 2>&1 &
	RS_PID=$!
	daemon_wait rsyslogd "$RS_PID" "$RS_DIR/rsyslogd.out" \
	    "listening on $RS_DIR/log.sock, udp and tcp 127.0.0.1:$RS_UDP/$RS_TCP" \
	    rsyslog_ready || hard_error "$daemon_why"
}

# rsyslog_ready: its unix socket exists and its UDP and TCP inputs listen.
rsyslog_ready() {
	[ -S "$RS_DIR/log.sock" ] && listening udp 127.0.0.1 "$RS_UDP" &&
	    listening tcp 127.0.0.1 "$RS_TCP"
}

rsyslog_stop() {
	if [ -n "${RS_PID:-}" ]; then
		kill "$RS_PID" 2>/dev/null
		wait "$RS_PID" 2>/dev/null
		RS_PID=
	fi
}

# rsyslog_wait FILE N: until FILE has at least N lines (rsyslogd writes
# asynchronously); no timing is asserted, 20 s is only a safety net.
rsyslog_wait() {
	i=0
	while [ "$(cat "$1" 2>/dev/null | wc -l)" -lt "$2" ]; do
		i=$((i + 1))
		[ $i -lt 200 ] || return 1
		sleep 0.1
	done
	return 0
}
