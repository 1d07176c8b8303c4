#include "util/strbuf.h"

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
