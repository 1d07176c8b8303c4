/* Allocation wrappers that exit 70 on failure. */
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/msg.h"
#include "util/banned.h"

static void *check(void *p)
{
	if (!p)
		cp_bug("out of memory");
	return p;
}

void *cp_xmalloc(size_t n)
{
	return check(malloc(n ? n : 1));
}

void *cp_xcalloc(size_t count, size_t size)
{
	return check(calloc(count ? count : 1, size ? size : 1));
}

void *cp_xrealloc(void *p, size_t n)
{
	return check(realloc(p, n ? n : 1));
}

void *cp_xgrow(void *p, size_t *alloc, size_t need, size_t elem)
{
	size_t n = *alloc ? *alloc : 8;

	if (need <= *alloc)
		return p;
	while (n < need)
		n *= 2;
	p = cp_xrealloc(p, n * elem);
	*alloc = n;
	return p;
}

char *cp_xstrdup(const char *s)
{
	return check(strdup(s));
}

char *cp_xstrndup(const char *s, size_t n)
{
	return check(strndup(s, n));
}

char *cp_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		cp_bug("out of memory");
	return s;
}
