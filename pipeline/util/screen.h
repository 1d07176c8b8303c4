/* The first look at an XML file from outside, before any XML parser sees it:
 * one streaming pass that measures it, hashes it, and refuses what no results
 * file or catalogue may hold: more bytes than allowed, a NUL, invalid UTF-8, an
 * encoding other than UTF-8, a DOCTYPE or an ENTITY declaration (no entity is
 * ever read, so XXE and entity bombs never reach libxml2). */
#ifndef CP_SCREEN_H
#define CP_SCREEN_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "util/digest.h"

struct cp_screen {
	char sha256[CP_SHA256_HEX];
	off_t size;
	long lines;
	long line;        /* where the refusal applies (0: the file as a whole) */
	char reason[160]; /* why it was refused */
};

#define CP_SCREEN_REFUSED (-2)
/* Open an outside file the way every input is opened: a FIFO or a device is
 * never waited on (O_NONBLOCK, then fstat: a regular file only, then
 * blocking again), and with follow false the last component is never
 * followed if it is a symbolic link (O_NOFOLLOW). Returns the descriptor
 * (close-on-exec); -1 with errno if it cannot be opened (no message); or
 * CP_SCREEN_REFUSED with out->reason saying why ("not a regular file (a
 * symbolic link)", "... (a FIFO)"). */
int cp_screen_open(const char *path, bool follow, struct cp_screen *out);
/* Screen the bytes of fd from where it stands, reading at most max_bytes + 1
 * of them (so a device or a growing file is never read without bound);
 * every byte read is also written to copy when it is not NULL. path names
 * the file in messages. 0 passed, 1 refused (line and reason set), -1 a
 * read or write failed (a message was printed). */
int cp_screen_fd(int fd, const char *path, off_t max_bytes, struct cp_screen *out, FILE *copy);
/* cp_screen_open (following links: for the operator's own files, the
 * catalogue and templates) and cp_screen_fd: 0 passed, 1 refused (a file
 * that is not a regular file too), -1 could not be read (a message was
 * printed). */
int cp_screen_file(const char *path, off_t max_bytes, struct cp_screen *out);

#endif
