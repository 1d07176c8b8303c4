/* Response bodies: appending, and escaping for HTML, URLs and JSON. */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/banned.h"

static void reserve(struct vd_buf *b, size_t n)
{
	if (b->len + n + 1 <= b->cap)
		return;
	while (b->len + n + 1 > b->cap)
		b->cap = b->cap ? 2 * b->cap : 8192;
	b->p = cp_xrealloc(b->p, b->cap);
}

void vd_buf_add(struct vd_buf *b, const char *s, size_t n)
{
	reserve(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void vd_buf_str(struct vd_buf *b, const char *s)
{
	vd_buf_add(b, s, strlen(s));
}

void vd_buf_printf(struct vd_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void vd_buf_html(struct vd_buf *b, const char *s)
{
	const char *run = s;

	for (; s && *s; s++) {
		const char *e;

		switch (*s) {
		case '&': e = "&amp;"; break;
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '"': e = "&quot;"; break;
		case '\'': e = "&#39;"; break;
		default: continue;
		}
		vd_buf_add(b, run, (size_t)(s - run));
		vd_buf_str(b, e);
		run = s + 1;
	}
	if (s)
		vd_buf_add(b, run, (size_t)(s - run));
}

void vd_buf_url(struct vd_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~') {
			vd_buf_add(b, (const char *)&c, 1);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };

			vd_buf_add(b, e, 3);
		}
	}
}

void vd_buf_json(struct vd_buf *b, const char *s)
{
	if (!s) {
		vd_buf_str(b, "null");
		return;
	}
	vd_buf_str(b, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			char e[2] = { '\\', (char)c };

			vd_buf_add(b, e, 2);
		} else if (c < 0x20 || c == 0x7f) {
			vd_buf_printf(b, "\\u%04x", c);
		} else if (c == '<') {
			vd_buf_str(b, "\\u003c"); /* never "</script>" in a body someone embeds */
		} else {
			vd_buf_add(b, (const char *)&c, 1);
		}
	}
	vd_buf_str(b, "\"");
}

char *vd_buf_take(struct vd_buf *b, size_t *len)
{
	char *p;

	if (!b->p)
		vd_buf_add(b, "", 0);
	p = b->p;
	*len = b->len;
	memset(b, 0, sizeof(*b));
	return p;
}

void vd_buf_release(struct vd_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}
