/* A string grown by appending: the XMP packet and an email are each built
 * this way. */
#ifndef CP_UTIL_STRBUF_H
#define CP_UTIL_STRBUF_H

#include <stddef.h>

struct cp_strbuf {
	char *s; /* NUL-terminated once anything is put; the caller frees it */
	size_t len, cap;
};

void cp_strbuf_put(struct cp_strbuf *b, const char *s, size_t n);
void cp_strbuf_puts(struct cp_strbuf *b, const char *s);

#endif
