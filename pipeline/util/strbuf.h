/* A string grown by appending: the XMP packet, an email and the
 * verification service's response bodies are each built this way. */
#ifndef CP_UTIL_STRBUF_H
#define CP_UTIL_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct cp_strbuf {
	char *s; /* NUL-terminated once anything is put; the caller frees it */
	size_t len, cap;
};

void cp_strbuf_put(struct cp_strbuf *b, const char *s, size_t n);
void cp_strbuf_puts(struct cp_strbuf *b, const char *s);
void cp_strbuf_vprintf(struct cp_strbuf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
void cp_strbuf_printf(struct cp_strbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
