/* The first look at an XML file from outside, before any XML parser sees it:
 * one streaming pass that measures it, hashes it, and refuses what no results
 * file or catalogue may hold: more bytes than allowed, a NUL, invalid UTF-8, an
 * encoding other than UTF-8, a DOCTYPE or an ENTITY declaration (no entity is
 * ever read, so XXE and entity bombs never reach libxml2). */
#ifndef CP_SCREEN_H
#define CP_SCREEN_H

#include <sys/types.h>

#include "digest.h"

struct cp_screen {
	char sha256[CP_SHA256_HEX];
	off_t size;
	long lines;
	long line;        /* where the refusal applies (0: the file as a whole) */
	char reason[160]; /* why it was refused */
};

/* 0 if the file passed, 1 if it was refused (line and reason set), -1 if it
 * could not be read (a message was printed). */
int cp_screen_file(const char *path, off_t max_bytes, struct cp_screen *out);

#endif
