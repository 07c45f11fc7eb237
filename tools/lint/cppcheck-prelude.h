/*
 * cppcheck-prelude.h: read by cppcheck (tools/lint.sh) before every file.
 *
 * cppcheck does not read system headers; the macros sipwatch's tables and
 * lists are made of come from the headers given after this one.  Two
 * definitions make uthash's macros readable to it:
 *
 * DECLTYPE: uthash casts with GCC's __typeof, which cppcheck 2.10 does not
 * evaluate, so every HASH_ITER looks like a read of an uninitialised
 * struct.  The cast is not needed in C (the value is a void *).
 *
 * uthash_fatal: the allocation-failure branch inside HASH_ADD and
 * HASH_DELETE, which core/hash.h sends to fatalx() (noreturn); the macro
 * body goes on after it, which cppcheck reports as unreachable code.
 */
#define DECLTYPE(x)
#define uthash_fatal(msg)	((void)0)
