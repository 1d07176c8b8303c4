/* Response bodies: appending, and escaping for HTML, URLs and JSON. */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/banned.h"

void vd_buf_add(struct vd_buf *b, const char *s, size_t n)
{
	cp_strbuf_put(&b->sb, s, n);
}

void vd_buf_str(struct vd_buf *b, const char *s)
{
	cp_strbuf_puts(&b->sb, s);
}

void vd_buf_printf(struct vd_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cp_strbuf_vprintf(&b->sb, fmt, ap);
	va_end(ap);
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

	if (!b->sb.s)
		vd_buf_add(b, "", 0);
	p = b->sb.s;
	*len = b->sb.len;
	memset(b, 0, sizeof(*b));
	return p;
}

void vd_buf_release(struct vd_buf *b)
{
	free(b->sb.s);
	memset(b, 0, sizeof(*b));
}
