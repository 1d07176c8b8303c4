/* A growing buffer for a response body, and the one HTML escaping every
 * value of a page goes through. */
#ifndef VD_BUF_H
#define VD_BUF_H

#include <stddef.h>

#include "util/strbuf.h"

struct vd_buf {
	struct cp_strbuf sb;
};

void vd_buf_add(struct vd_buf *b, const char *s, size_t n);
/* A constant part of a page (template text): never a value. */
void vd_buf_str(struct vd_buf *b, const char *s);
void vd_buf_printf(struct vd_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s as HTML text or a quoted attribute's value: & < > " ' escaped. Every
 * value from the snapshot or the request reaches a page through here. */
void vd_buf_html(struct vd_buf *b, const char *s);
/* s percent-encoded for a URL's query (RFC 3986 unreserved kept). */
void vd_buf_url(struct vd_buf *b, const char *s);
/* s as a JSON string, quotes included (NULL: null). */
void vd_buf_json(struct vd_buf *b, const char *s);
/* Hand the bytes over (caller frees); the buffer is empty after. */
char *vd_buf_take(struct vd_buf *b, size_t *len);
void vd_buf_release(struct vd_buf *b);

#endif
