/* Allocation that cannot fail: out of memory ends the program (exit 70),
 * so callers never carry a half-built state forward. */
#ifndef CP_XALLOC_H
#define CP_XALLOC_H

#include <stddef.h>

void *cp_xmalloc(size_t n);
void *cp_xcalloc(size_t count, size_t size);
void *cp_xrealloc(void *p, size_t n);
/* Grow an array of *alloc elements of size elem to hold at least need. */
void *cp_xgrow(void *p, size_t *alloc, size_t need, size_t elem);
char *cp_xstrdup(const char *s);
char *cp_xstrndup(const char *s, size_t n);
char *cp_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
