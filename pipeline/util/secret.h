/* Secrets kept in files (the reference key, the SMTP password): read only
 * from a regular file that no one but its owner may read or write, in a
 * folder that no one but its owner may write (else anyone could put their
 * own key or password in its place). */
#ifndef CP_SECRET_H
#define CP_SECRET_H

#include <stddef.h>

/* Read the file into buf (size bytes, NUL-terminated; *len the bytes read).
 * what names it in messages ("reference key"). -1 with a message naming the
 * file, its mode and the chmod that mends it, if the file or its folder is
 * open to others, is not a regular file, or holds size bytes or more. */
int cp_secret_read(const char *path, const char *what, char *buf, size_t size, size_t *len);

#endif
