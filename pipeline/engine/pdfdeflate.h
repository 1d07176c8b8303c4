/* Deflate for PDF streams, done by us rather than by libharu, with
 * libdeflate: one compressor kept for the process (libharu's deflateInit
 * per stream cost more than deflating a page), whole streams at once,
 * about twice as fast as zlib at the same level and a little smaller. */
#ifndef CP_PDFDEFLATE_H
#define CP_PDFDEFLATE_H

#include <hpdf.h>
#include <stdbool.h>
#include <stddef.h>

enum cp_deflate_use {
	CP_DEFLATE_KEPT, /* kept and used again: deflated harder */
	CP_DEFLATE_ONCE, /* for one document: deflated fast */
};

struct cp_deflate {
	struct libdeflate_compressor *c[2];
	unsigned char *out, *flat;
	size_t cap, flat_cap;
};

/* Deflate n bytes (zlib format); the result is good until the next call. */
const unsigned char *cp_deflate_buf(struct cp_deflate *d, enum cp_deflate_use use,
				    const void *data, size_t n, size_t *len);
/* Make data, already deflated, the content of a stream dictionary: a copy,
 * or (copy false) the bytes themselves, which must then outlive the save. */
HPDF_STATUS cp_deflate_set(HPDF_Dict dict, const void *data, size_t len, bool copy);
/* Deflate the content streams of every page of doc in place. */
HPDF_STATUS cp_deflate_pages(struct cp_deflate *d, HPDF_Doc doc);
void cp_deflate_release(struct cp_deflate *d);

#endif
