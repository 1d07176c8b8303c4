#include "util/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/banned.h"

void cp_strbuf_put(struct cp_strbuf *b, const char *s, size_t n)
{
	b->s = cp_xgrow(b->s, &b->cap, b->len + n + 1, 1);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void cp_strbuf_puts(struct cp_strbuf *b, const char *s)
{
	cp_strbuf_put(b, s, strlen(s));
}

void cp_strbuf_vprintf(struct cp_strbuf *b, const char *fmt, va_list ap)
{
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, again);
	va_end(again);
	if (n < 0)
		return;
	b->s = cp_xgrow(b->s, &b->cap, b->len + (size_t)n + 1, 1);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void cp_strbuf_printf(struct cp_strbuf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cp_strbuf_vprintf(b, fmt, ap);
	va_end(ap);
}
