/* A whole (small) file into memory. */
#ifndef CP_READFILE_H
#define CP_READFILE_H

#include <stddef.h>

/* Read path into a new buffer (caller frees; NUL-terminated, the NUL not
 * counted in *len). -1 with errno if it cannot be read or is larger than
 * max bytes (EFBIG). */
int cp_read_file(const char *path, char **buf, size_t *len, size_t max);
/* An operator's text file (the configuration, the holidays, a schema, an
 * email template) read whole, opened as every outside file is
 * (cp_screen_open, following links: a FIFO or a device is never waited on
 * or read, a regular file only), at most max bytes, no NUL byte. what
 * names it in the message: -1 with "PATH: cannot read the WHAT: REASON"
 * (not a regular file (a FIFO), larger than N KB, a NUL byte at line N, or
 * the system's reason). */
int cp_read_text_file(const char *path, const char *what, size_t max, char **buf, size_t *len);
/* The same for a file that may hold any bytes (a PDF given to check): no
 * NUL check; the buffer is still NUL-terminated past *len. */
int cp_read_binary_file(const char *path, const char *what, size_t max, char **buf, size_t *len);

#endif
