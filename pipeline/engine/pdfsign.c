/* The signature's incremental update (pdfsign.h). The catalog and the page
 * are written again by libharu's own writer from the objects it just
 * saved, with our keys added, so the update says exactly what the first
 * revision said and more. */
#include "engine/pdfsign.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/harupriv.h"
#include "util/digest.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct out {
	unsigned char **buf;
	size_t *len, *cap;
};

static void put(struct out *o, const void *s, size_t n)
{
	if (*o->len + n > *o->cap) {
		*o->cap = (*o->len + n) * 2;
		*o->buf = cp_xrealloc(*o->buf, *o->cap);
	}
	memcpy(*o->buf + *o->len, s, n);
	*o->len += n;
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

__attribute__((format(printf, 2, 3))) static void putf(struct out *o, const char *fmt, ...)
{
	char local[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(local, sizeof(local), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(local))
		cp_bug("pdfsign: a line of %d bytes", n);
	put(o, local, (size_t)n);
}

static HPDF_STATUS out_write(HPDF_Stream s, const HPDF_BYTE *ptr, HPDF_UINT size)
{
	put(s->attr, ptr, size);
	return HPDF_OK;
}

static unsigned id_of(void *obj)
{
	return ((HPDF_Obj_Header *)obj)->obj_id & 0x00FFFFFF;
}

/* "N 0 obj" and the dictionary as libharu writes it, its closing ">>" left
 * off for the keys the caller adds. */
static int dict_open(HPDF_Doc doc, struct out *o, HPDF_Dict d)
{
	HPDF_Stream s = cp_haru_stream(doc->mmgr, &doc->error, o);
	size_t start;
	int rc = 0;

	if (!s)
		return -1;
	s->write_fn = out_write;
	putf(o, "%u 0 obj\012", id_of(d));
	start = *o->len;
	if (HPDF_Dict_Write(d, s, NULL) != HPDF_OK)
		rc = -1;
	HPDF_Stream_Free(s);
	while (rc == 0 && *o->len > start && ((*o->buf)[*o->len - 1] == '\012' ||
					      (*o->buf)[*o->len - 1] == ' '))
		(*o->len)--;
	if (rc == 0 && (*o->len - start < 4 || memcmp(*o->buf + *o->len - 2, ">>", 2)))
		rc = -1;
	*o->len -= 2;
	return rc;
}

static void date(char d[32], time_t when)
{
	struct tm tm;

	gmtime_r(&when, &tm);
	strftime(d, 32, "D:%Y%m%d%H%M%S+00'00'", &tm);
}

#define BYTERANGE_WIDTH 10
#define MAX_OBJECTS 7

/* The first revision's bytes from the end of what saved->upto hashed to
 * the /Contents string (hashed), then the rest but it: the signature's
 * digest; and, going on from the same start, the whole signed file's once
 * the signature is in (sha). The bytes before the cross-reference stream
 * are hashed once for the /ID, the signature and the file. */
static int sign_ranges(struct cp_cms_signer *s, struct cp_pdf_saved *saved, unsigned char *buf,
		       size_t contents_at, size_t after, size_t len, unsigned char **der,
		       size_t *derlen, struct cp_sha256 *file)
{
	unsigned char digest[32];

	cp_sha256_update(&saved->upto, buf + saved->xref, contents_at - saved->xref);
	if (file)
		cp_sha256_copy(file, &saved->upto);
	cp_sha256_update(&saved->upto, buf + after, len - after);
	cp_sha256_final(&saved->upto, digest);
	return cp_cms_sign_digest(s, digest, der, derlen);
}

static int append(HPDF_Doc doc, struct cp_pdf_saved *saved, const struct cp_pdf_seal *seal,
		  struct cp_cms_signer *s, time_t when, unsigned char **buf, size_t *len,
		  size_t *cap, char *sha)
{
	struct out o = { buf, len, cap };
	HPDF_Page page = HPDF_GetPageByIndex(doc, seal->set ? seal->page : 0);
	unsigned field = saved->size, sig = field + 1, ap = field + 2, xref = seal->set ? ap + 1 : ap;
	size_t reserve = cp_cms_reserve(s), at[MAX_OBJECTS], range_at, contents_at, xref_at,
	       orig = *len, derlen;
	unsigned ids[MAX_OBJECTS], nobj = 0;
	unsigned char *der, entry[7];
	char m[32], range[64];
	struct cp_sha256 file = { NULL };
	size_t after = 0;

	if (!page || HPDF_Dict_GetItem(page, "Annots", HPDF_OCLASS_ARRAY) ||
	    HPDF_Dict_GetItem(doc->catalog, "AcroForm", HPDF_OCLASS_DICT))
		return cp_error("cannot sign: the page already has annotations or a form");
	date(m, when);

	ids[nobj] = id_of(doc->catalog), at[nobj++] = *len;
	if (dict_open(doc, &o, doc->catalog) < 0)
		return cp_error("cannot sign: libharu cannot write the catalog again");
	putf(&o, "/AcroForm << /Fields [ %u 0 R ] /SigFlags 3 >>\012>>\012endobj\012", field);

	ids[nobj] = id_of(page), at[nobj++] = *len;
	if (dict_open(doc, &o, page) < 0)
		return cp_error("cannot sign: libharu cannot write the page again");
	putf(&o, "/Annots [ %u 0 R ]\012>>\012endobj\012", field);

	/* the field and its widget in one dictionary; Print and Locked (132),
	 * never hidden (PDF/A) */
	ids[nobj] = field, at[nobj++] = *len;
	putf(&o, "%u 0 obj\012<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) /V %u 0 R"
		 " /F 132 /P %u 0 R ", field, sig, id_of(page));
	if (seal->set)
		putf(&o, "/Rect [ %.2f %.2f %.2f %.2f ] /AP << /N %u 0 R >> >>\012endobj\012", seal->x,
		     seal->y, seal->x + seal->w, seal->y + seal->h, ap);
	else
		puts_(&o, "/Rect [ 0 0 0 0 ] >>\012endobj\012");

	ids[nobj] = sig, at[nobj++] = *len;
	putf(&o, "%u 0 obj\012<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached"
		 " /M (%s) /ByteRange ", sig, m);
	range_at = *len;
	putf(&o, "[ 0 %0*d %0*d %0*d ]", BYTERANGE_WIDTH, 0, BYTERANGE_WIDTH, 0, BYTERANGE_WIDTH, 0);
	puts_(&o, " /Contents ");
	contents_at = *len;
	puts_(&o, "<");
	for (size_t i = 0; i < 2 * reserve; i += 64)
		put(&o, "0000000000000000000000000000000000000000000000000000000000000000",
		    2 * reserve - i < 64 ? 2 * reserve - i : 64);
	puts_(&o, "> >>\012endobj\012");

	if (seal->set) {
		/* an appearance of its own (PDF/A: a widget with an area has
		 * one); what the seal shows the template draws on the page */
		ids[nobj] = ap, at[nobj++] = *len;
		putf(&o, "%u 0 obj\012<< /Type /XObject /Subtype /Form /BBox [ 0 0 %.2f %.2f ]"
			 " /Resources << >> /Length 0 >>\012stream\012\012endstream\012endobj\012",
		     ap, seal->w, seal->h);
	}

	/* a cross-reference stream as the first revision's: an entry (type 1,
	 * offset, generation 0) for each object of the update and itself */
	ids[nobj] = xref, at[nobj++] = xref_at = *len;
	putf(&o, "%u 0 obj\012<< /Type /XRef /Size %u /W [ 1 4 2 ] /Index [", xref, xref + 1);
	for (unsigned i = 0; i < nobj; i++)
		putf(&o, " %u 1", ids[i]);
	putf(&o, " ] /Root %u 0 R /Info %u 0 R /ID [ <%s> <%s> ] /Prev %lu /Length %u >>\012"
		 "stream\012", id_of(doc->catalog), id_of(doc->info), saved->id, saved->id,
	     saved->xref, nobj * 7);
	for (unsigned i = 0; i < nobj; i++) {
		entry[0] = 1;
		for (int b = 0; b < 4; b++)
			entry[1 + b] = (unsigned char)(at[i] >> (8 * (3 - b)));
		entry[5] = entry[6] = 0;
		put(&o, entry, sizeof(entry));
	}
	putf(&o, "\012endstream\012endobj\012startxref\012%zu\012%%%%EOF\012", xref_at);

	/* the byte ranges, now that the end is known: all but <...> */
	{
		int n;
		size_t width = 4 + 3 * (BYTERANGE_WIDTH + 1) + 1;

		after = contents_at + 2 * reserve + 2;
		n = snprintf(range, sizeof(range), "[ 0 %zu %zu %zu", contents_at, after,
			     *len - after);
		if (n < 0 || (size_t)n > width - 1)
			return cp_error("cannot sign: a file of %zu bytes", *len);
		memset(range + n, ' ', width - 1 - (size_t)n);
		range[width - 1] = ']';
		memcpy(*buf + range_at, range, width);
	}
	if (sign_ranges(s, saved, *buf, contents_at, after, *len, &der, &derlen,
			sha ? &file : NULL) < 0) {
		*len = orig;
		goto fail;
	}
	if (derlen > reserve) {
		free(der);
		*len = orig;
		cp_error("cannot sign: a signature of %zu bytes where %zu were reserved", derlen,
			 reserve);
		goto fail;
	}
	for (size_t i = 0; i < derlen; i++) {
		static const char hex[] = "0123456789abcdef";

		(*buf)[contents_at + 1 + 2 * i] = (unsigned char)hex[der[i] >> 4];
		(*buf)[contents_at + 2 + 2 * i] = (unsigned char)hex[der[i] & 15];
	}
	free(der);
	if (sha) {
		cp_sha256_update(&file, *buf + contents_at, *len - contents_at);
		cp_sha256_final_hex(&file, sha);
	}
	return 0;
fail:
	if (file.ctx)
		cp_sha256_discard(&file);
	return -1;
}

int cp_pdfsign_append(HPDF_Doc doc, struct cp_pdf_saved *saved, const struct cp_pdf_seal *seal,
		      struct cp_cms_signer *s, time_t when, unsigned char **buf, size_t *len,
		      size_t *cap, char *sha)
{
	int rc = append(doc, saved, seal, s, when, buf, len, cap, sha);

	if (saved->upto.ctx)
		cp_sha256_discard(&saved->upto);
	return rc;
}
