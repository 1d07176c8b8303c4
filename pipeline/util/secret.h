/* Secrets kept in files (the reference key, the SMTP password): read only
 * from a regular file of this user (or root) that no one else may read or
 * write, in a folder that no one else may write, under folders that no one
 * else may write or that are sticky, each owned by this user or root (else
 * anyone could put their own key or password in its place). For a link,
 * both the link's folders and its target's are checked. */
#ifndef CP_SECRET_H
#define CP_SECRET_H

#include <stddef.h>

/* Read the file into buf (size bytes, NUL-terminated; *len the bytes read).
 * what names it in messages ("reference key"). -1 with a message naming the
 * file, its mode and the chmod that mends it, if the file or its folder is
 * open to others, is not a regular file, or holds size bytes or more. */
int cp_secret_read(const char *path, const char *what, char *buf, size_t size, size_t *len);
/* 0 if this user may not open the file at all (EACCES: it is someone
 * else's secret, as the key is for an operator in the spool's group), else
 * 1 (readable, or refused for another reason cp_secret_read will give). */
int cp_secret_readable(const char *path);

/* A key file of exactly 2n hex digits (white space around them ignored),
 * read as cp_secret_read reads it, into bytes (n): 0, or -1 with a message
 * ("the reference key is not 64 hex digits"). Wipes what it read. */
int cp_secret_read_hex(const char *path, const char *what, unsigned char *bytes, size_t n);
/* Create path with bytes (n) as hex digits and a newline, mode 0600,
 * atomically: 0, 1 if path exists (never replaced), -1 with a message. */
int cp_secret_write_hex(const char *path, const unsigned char *bytes, size_t n);

#endif
