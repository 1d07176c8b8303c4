/* Deflate for PDF streams (pdfdeflate.h). */
#include "engine/pdfdeflate.h"

#include <libdeflate.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/harupriv.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* Font programs and ToUnicode maps, made once and used by several
 * documents, at level 6 (libharu's and zlib's default); page contents,
 * made for one document, at level 1: twice as fast for 7 % more bytes. */
static const int levels[] = { [CP_DEFLATE_KEPT] = 6, [CP_DEFLATE_ONCE] = 1 };

/* A libharu memory stream's bytes in one block; good until the next call. */
static const unsigned char *flat(struct cp_deflate *d, HPDF_Stream s, size_t *len)
{
	HPDF_UINT blocks = HPDF_MemStream_GetBufCount(s);

	if (s->size > d->flat_cap) {
		d->flat_cap = s->size * 2;
		free(d->flat);
		d->flat = cp_xmalloc(d->flat_cap);
	}
	*len = 0;
	for (HPDF_UINT i = 0; i < blocks; i++) {
		HPDF_UINT n = 0;
		HPDF_BYTE *b = HPDF_MemStream_GetBufPtr(s, i, &n);

		memcpy(d->flat + *len, b, n);
		*len += n;
	}
	return d->flat;
}

const unsigned char *cp_deflate_buf(struct cp_deflate *d, enum cp_deflate_use use,
				    const void *data, size_t n, size_t *len)
{
	struct libdeflate_compressor **c = &d->c[use];
	size_t bound;

	if (!*c && !(*c = libdeflate_alloc_compressor(levels[use])))
		cp_bug("libdeflate cannot start");
	bound = libdeflate_zlib_compress_bound(*c, n);
	if (bound > d->cap) {
		d->cap = bound * 2;
		free(d->out);
		d->out = cp_xmalloc(d->cap);
	}
	*len = libdeflate_zlib_compress(*c, data, n, d->out, d->cap);
	if (!*len)
		cp_bug("libdeflate cannot deflate %zu bytes", n);
	return d->out;
}

/* The stream is written as it is (filter none, so libharu does not deflate
 * it again); this names the filter it already went through. */
static HPDF_STATUS flate_filter(HPDF_Dict dict, HPDF_Stream out)
{
	(void)dict;
	return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

/* A stream over bytes already made, for libharu to read when it writes
 * the document: memcpy, where its memory streams copied byte by byte
 * into blocks and out again. */
struct blob {
	const unsigned char *data;
	size_t len, pos;
};

static HPDF_STATUS blob_read(HPDF_Stream s, HPDF_BYTE *ptr, HPDF_UINT *size)
{
	struct blob *b = s->attr;
	size_t n = b->len - b->pos < *size ? b->len - b->pos : *size;

	memcpy(ptr, b->data + b->pos, n);
	b->pos += n;
	if (n < *size) {
		*size = (HPDF_UINT)n;
		return HPDF_STREAM_EOF;
	}
	return HPDF_OK;
}

static HPDF_STATUS blob_seek(HPDF_Stream s, HPDF_INT pos, HPDF_WhenceMode mode)
{
	struct blob *b = s->attr;

	if (mode != HPDF_SEEK_SET || pos < 0 || (size_t)pos > b->len)
		return HPDF_SetError(s->error, HPDF_STREAM_EOF, 0);
	b->pos = (size_t)pos;
	return HPDF_OK;
}

static HPDF_UINT32 blob_size(HPDF_Stream s)
{
	return (HPDF_UINT32)((struct blob *)s->attr)->len;
}

static void blob_free(HPDF_Stream s)
{
	HPDF_FreeMem(s->mmgr, s->attr);
}

HPDF_STATUS cp_deflate_set(HPDF_Dict dict, const void *data, size_t len, bool copy)
{
	HPDF_MMgr m = dict->mmgr;
	struct blob *b = HPDF_GetMem(m, sizeof(*b) + (copy ? len : 0));
	HPDF_Stream s = b ? cp_haru_stream(m, dict->error, b) : NULL;

	if (!s) {
		HPDF_FreeMem(m, b);
		return HPDF_FAILD_TO_ALLOC_MEM;
	}
	b->data = copy ? memcpy(b + 1, data, len) : data;
	b->len = len;
	b->pos = 0;
	s->read_fn = blob_read;
	s->seek_fn = blob_seek;
	s->size_fn = blob_size;
	s->free_fn = blob_free;
	HPDF_Stream_Free(dict->stream);
	dict->stream = s;
	dict->filter = HPDF_STREAM_FILTER_NONE;
	dict->write_fn = flate_filter;
	return HPDF_OK;
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
		z = flat(d, c->stream, &len);
		z = cp_deflate_buf(d, CP_DEFLATE_ONCE, z, len, &len);
		if ((rc = cp_deflate_set(c, z, len, true)) != HPDF_OK)
			return rc;
	}
	return HPDF_OK;
}

void cp_deflate_release(struct cp_deflate *d)
{
	for (size_t i = 0; i < sizeof(d->c) / sizeof(*d->c); i++)
		if (d->c[i])
			libdeflate_free_compressor(d->c[i]);
	free(d->out);
	free(d->flat);
	memset(d, 0, sizeof(*d));
}
