/*
 * privdrop.c: -Z USER (privdrop.h).  Files and sockets opened before the
 * drop (the capture, -w, --alerts, the syslog sockets) stay usable;
 * anything opened later (a reopen on SIGHUP, a -C/-G rotation,
 * --save-alerted files) needs USER's permissions.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "core/privdrop.h"
#include "core/xmalloc.h"

int
privdrop_check(const char *user, char **cause)
{
	errno = 0;
	if (getpwnam(user) == NULL) {
		*cause = xasprintf("-Z: unknown user \"%s\"%s%s", user,
		    errno != 0 ? ": " : "", errno != 0 ? strerror(errno) : "");
		return (-1);
	}
	return (0);
}

int
privdrop(const char *user, char **cause)
{
	struct passwd	*pw;

	if ((pw = getpwnam(user)) == NULL) {
		*cause = xasprintf("-Z: unknown user \"%s\"", user);
		return (-1);
	}
	if (getuid() != 0 && geteuid() != 0) {
		log_warnx("-Z %s ignored: not running as root", user);
		return (0);
	}
	if (initgroups(pw->pw_name, pw->pw_gid) == -1) {
		*cause = xasprintf("-Z: initgroups %s: %s", user,
		    strerror(errno));
		return (-1);
	}
	if (setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1) {
		*cause = xasprintf("-Z: setgid %lu: %s",
		    (unsigned long)pw->pw_gid, strerror(errno));
		return (-1);
	}
	if (setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1) {
		*cause = xasprintf("-Z: setuid %lu: %s",
		    (unsigned long)pw->pw_uid, strerror(errno));
		return (-1);
	}
	if (pw->pw_uid != 0 && (setuid(0) != -1 || seteuid(0) != -1))
		fatalx("-Z: could regain root after becoming %s", user);
	log_debug("-Z: running as %s (uid %lu, gid %lu)", user,
	    (unsigned long)pw->pw_uid, (unsigned long)pw->pw_gid);
	return (0);
}
