/* Deflate for PDF streams, done by us rather than by libharu: one zlib
 * stream kept for the process and reset between uses (libharu's
 * deflateInit per stream cost more than deflating a page) with a 16 KB
 * window, as large as our streams. */
#ifndef CP_PDFDEFLATE_H
#define CP_PDFDEFLATE_H

#include <hpdf.h>
#include <stdbool.h>
#include <stddef.h>
#include <zlib.h>

struct cp_deflate {
	z_stream z;
	bool ready;
	unsigned char *out;
	size_t cap;
};

/* Deflate a libharu memory stream; the result is good until the next call. */
const unsigned char *cp_deflate_stream(struct cp_deflate *d, HPDF_Stream s, size_t *len);
/* Deflate n bytes; the result is good until the next call. */
const unsigned char *cp_deflate_buf(struct cp_deflate *d, const void *data, size_t n,
				    size_t *len);
/* Write data, already deflated, as the content of a stream dictionary. */
HPDF_STATUS cp_deflate_set(HPDF_Dict dict, const void *data, size_t len);
/* Deflate the content streams of every page of doc in place. */
HPDF_STATUS cp_deflate_pages(struct cp_deflate *d, HPDF_Doc doc);
void cp_deflate_release(struct cp_deflate *d);

#endif
