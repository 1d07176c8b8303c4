/* Deflate for PDF streams (pdfdeflate.h). */
#include "pdfdeflate.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harupriv.h"
#include "msg.h"
#include "xalloc.h"
#include "banned.h"

static void feed(struct cp_deflate *d, const void *in, size_t n, int flush)
{
	d->z.next_in = (Bytef *)(uintptr_t)in;
	d->z.avail_in = (uInt)n;
	for (;;) {
		int rc;

		if (d->z.total_out + 64 > d->cap) {
			d->cap = d->cap ? d->cap * 2 : 65536;
			d->out = cp_xrealloc(d->out, d->cap);
		}
		d->z.next_out = d->out + d->z.total_out;
		d->z.avail_out = (uInt)(d->cap - d->z.total_out);
		rc = deflate(&d->z, flush);
		if (flush == Z_FINISH ? rc == Z_STREAM_END : !d->z.avail_in && d->z.avail_out)
			break;
		if (rc != Z_OK && rc != Z_BUF_ERROR)
			cp_bug("zlib cannot deflate (%d)", rc);
	}
}

static void start(struct cp_deflate *d)
{
	if (!d->ready) {
		/* level 6 as libharu; window 2^14, hash 2^(7+7) */
		if (deflateInit2(&d->z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 14, 7,
				 Z_DEFAULT_STRATEGY) != Z_OK)
			cp_bug("zlib cannot start");
		d->ready = true;
	} else if (deflateReset(&d->z) != Z_OK) {
		cp_bug("zlib cannot start again");
	}
}

const unsigned char *cp_deflate_stream(struct cp_deflate *d, HPDF_Stream s, size_t *len)
{
	HPDF_UINT blocks = HPDF_MemStream_GetBufCount(s);

	start(d);
	for (HPDF_UINT i = 0; i < blocks; i++) {
		HPDF_UINT n = 0;
		HPDF_BYTE *b = HPDF_MemStream_GetBufPtr(s, i, &n);

		feed(d, b, n, Z_NO_FLUSH);
	}
	feed(d, NULL, 0, Z_FINISH);
	*len = d->z.total_out;
	return d->out;
}

const unsigned char *cp_deflate_buf(struct cp_deflate *d, const void *data, size_t n,
				    size_t *len)
{
	start(d);
	feed(d, data, n, Z_FINISH);
	*len = d->z.total_out;
	return d->out;
}

/* The stream is written as it is (filter none, so libharu does not deflate
 * it again); this names the filter it already went through. */
static HPDF_STATUS flate_filter(HPDF_Dict dict, HPDF_Stream out)
{
	(void)dict;
	return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

HPDF_STATUS cp_deflate_set(HPDF_Dict dict, const void *data, size_t len)
{
	HPDF_MemStream_FreeData(dict->stream);
	dict->filter = HPDF_STREAM_FILTER_NONE;
	dict->write_fn = flate_filter;
	return HPDF_Stream_Write(dict->stream, data, (HPDF_UINT)len);
}

HPDF_STATUS cp_deflate_pages(struct cp_deflate *d, HPDF_Doc doc)
{
	for (HPDF_UINT i = 0; i < doc->page_list->count; i++) {
		HPDF_Page page = HPDF_List_ItemAt(doc->page_list, i);
		HPDF_PageAttr a = page->attr;
		HPDF_Dict c = a->contents;
		const unsigned char *z;
		size_t len;
		HPDF_STATUS rc;

		if (!c || !(c->filter & HPDF_STREAM_FILTER_FLATE_DECODE) || c->write_fn ||
		    c->stream->type != HPDF_STREAM_MEMORY)
			continue;
		z = cp_deflate_stream(d, c->stream, &len);
		if ((rc = cp_deflate_set(c, z, len)) != HPDF_OK)
			return rc;
	}
	return HPDF_OK;
}

void cp_deflate_release(struct cp_deflate *d)
{
	if (d->ready)
		deflateEnd(&d->z);
	free(d->out);
	memset(d, 0, sizeof(*d));
}
