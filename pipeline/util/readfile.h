/* A whole (small) file into memory. */
#ifndef CP_READFILE_H
#define CP_READFILE_H

#include <stddef.h>

/* Read path into a new buffer (caller frees; NUL-terminated, the NUL not
 * counted in *len). -1 with errno if it cannot be read or is larger than
 * max bytes (EFBIG). */
int cp_read_file(const char *path, char **buf, size_t *len, size_t max);

#endif
