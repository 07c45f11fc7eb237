/*
 * privdrop.h: -Z USER, giving up root once the capture is open, as
 * tcpdump does.
 */
#ifndef SW_PRIVDROP_H
#define SW_PRIVDROP_H

/*
 * Does USER exist?  Returns 0, or -1 with *CAUSE set (caller frees).
 * Called early, so that a typo fails before anything is opened.
 */
int	privdrop_check(const char *user, char **cause);

/*
 * Become USER for good: supplementary groups of USER (initgroups), its
 * group, then its user id (real, effective and saved), after which
 * regaining root must fail (setuid(0) is tried and must not succeed).
 * Process-wide: call it before any thread is started.  When the process
 * is not root, nothing is changed and 0 is returned (a warning says -Z
 * was ignored), as tcpdump does.  Returns 0, or -1 with *CAUSE set
 * (caller frees).  Implements no RFC (POSIX setuid/setgid semantics).
 */
int	privdrop(const char *user, char **cause);

#endif
