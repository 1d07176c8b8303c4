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

/* The update as it is written: each object's number and offset, for its
 * cross-reference stream. */
struct update {
	struct out o;
	HPDF_Doc doc;
	HPDF_Page page;
	unsigned field, sig, ap, xref;
	unsigned ids[MAX_OBJECTS], nobj;
	size_t at[MAX_OBJECTS];
	size_t range_at, contents_at; /* where /ByteRange and /Contents' value start */
};

static void object_at(struct update *u, unsigned id)
{
	u->ids[u->nobj] = id;
	u->at[u->nobj++] = *u->o.len;
}

/* The catalog and the page again, with the form and the annotation. */
static int write_catalog_page(struct update *u)
{
	object_at(u, id_of(u->doc->catalog));
	if (dict_open(u->doc, &u->o, u->doc->catalog) < 0)
		return cp_error("cannot sign: libharu cannot write the catalog again");
	putf(&u->o, "/AcroForm << /Fields [ %u 0 R ] /SigFlags 3 >>\012>>\012endobj\012", u->field);
	object_at(u, id_of(u->page));
	if (dict_open(u->doc, &u->o, u->page) < 0)
		return cp_error("cannot sign: libharu cannot write the page again");
	putf(&u->o, "/Annots [ %u 0 R ]\012>>\012endobj\012", u->field);
	return 0;
}

/* The field and its widget in one dictionary (Print and Locked, 132, never
 * hidden: PDF/A), the signature dictionary with room for its value, and the
 * seal's appearance. */
static void write_field_sig(struct update *u, const struct cp_pdf_seal *seal, size_t reserve,
			    const char *m)
{
	struct out *o = &u->o;

	object_at(u, u->field);
	putf(o, "%u 0 obj\012<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) /V %u 0 R"
		" /F 132 /P %u 0 R ", u->field, u->sig, id_of(u->page));
	if (seal->set)
		putf(o, "/Rect [ %.2f %.2f %.2f %.2f ] /AP << /N %u 0 R >> >>\012endobj\012", seal->x,
		     seal->y, seal->x + seal->w, seal->y + seal->h, u->ap);
	else
		puts_(o, "/Rect [ 0 0 0 0 ] >>\012endobj\012");

	object_at(u, u->sig);
	putf(o, "%u 0 obj\012<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached"
		" /M (%s) /ByteRange ", u->sig, m);
	u->range_at = *o->len;
	putf(o, "[ 0 %0*d %0*d %0*d ]", BYTERANGE_WIDTH, 0, BYTERANGE_WIDTH, 0, BYTERANGE_WIDTH, 0);
	puts_(o, " /Contents ");
	u->contents_at = *o->len;
	puts_(o, "<");
	for (size_t i = 0; i < 2 * reserve; i += 64)
		put(o, "0000000000000000000000000000000000000000000000000000000000000000",
		    2 * reserve - i < 64 ? 2 * reserve - i : 64);
	puts_(o, "> >>\012endobj\012");

	if (seal->set) {
		/* an appearance of its own (PDF/A: a widget with an area has
		 * one); what the seal shows the template draws on the page */
		object_at(u, u->ap);
		putf(o, "%u 0 obj\012<< /Type /XObject /Subtype /Form /BBox [ 0 0 %.2f %.2f ]"
			" /Resources << >> /Length 0 >>\012stream\012\012endstream\012endobj\012",
		     u->ap, seal->w, seal->h);
	}
}

/* A cross-reference stream as the first revision's: an entry (type 1,
 * offset, generation 0) for each object of the update and itself. */
static void write_xref(struct update *u, const struct cp_pdf_saved *saved)
{
	struct out *o = &u->o;
	unsigned char entry[7];
	size_t xref_at = *o->len;

	object_at(u, u->xref);
	putf(o, "%u 0 obj\012<< /Type /XRef /Size %u /W [ 1 4 2 ] /Index [", u->xref, u->xref + 1);
	for (unsigned i = 0; i < u->nobj; i++)
		putf(o, " %u 1", u->ids[i]);
	putf(o, " ] /Root %u 0 R /Info %u 0 R /ID [ <%s> <%s> ] /Prev %lu /Length %u >>\012"
		"stream\012", id_of(u->doc->catalog), id_of(u->doc->info), saved->id, saved->id,
	     saved->xref, u->nobj * 7);
	for (unsigned i = 0; i < u->nobj; i++) {
		entry[0] = 1;
		for (int b = 0; b < 4; b++)
			entry[1 + b] = (unsigned char)(u->at[i] >> (8 * (3 - b)));
		entry[5] = entry[6] = 0;
		put(o, entry, sizeof(entry));
	}
	putf(o, "\012endstream\012endobj\012startxref\012%zu\012%%%%EOF\012", xref_at);
}

/* The byte ranges, now that the end is known: all but <...>. */
static int fill_byterange(struct update *u, size_t after)
{
	size_t width = 4 + 3 * (BYTERANGE_WIDTH + 1) + 1, len = *u->o.len;
	char range[64];
	int n = snprintf(range, sizeof(range), "[ 0 %zu %zu %zu", u->contents_at, after, len - after);

	if (n < 0 || (size_t)n > width - 1)
		return cp_error("cannot sign: a file of %zu bytes", len);
	memset(range + n, ' ', width - 1 - (size_t)n);
	range[width - 1] = ']';
	memcpy(*u->o.buf + u->range_at, range, width);
	return 0;
}

/* The signature's DER, in hex, into the room /Contents kept for it. */
static int put_signature(struct update *u, unsigned char *der, size_t derlen, size_t reserve)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char *at = *u->o.buf + u->contents_at;

	if (derlen > reserve) {
		free(der);
		return cp_error("cannot sign: a signature of %zu bytes where %zu were reserved",
				derlen, reserve);
	}
	for (size_t i = 0; i < derlen; i++) {
		at[1 + 2 * i] = (unsigned char)hex[der[i] >> 4];
		at[2 + 2 * i] = (unsigned char)hex[der[i] & 15];
	}
	free(der);
	return 0;
}

static int append(HPDF_Doc doc, struct cp_pdf_saved *saved, const struct cp_pdf_seal *seal,
		  struct cp_cms_signer *s, time_t when, unsigned char **buf, size_t *len,
		  size_t *cap, char *sha)
{
	struct update u = { .o = { buf, len, cap }, .doc = doc };
	size_t reserve = cp_cms_reserve(s), orig = *len, derlen, after;
	struct cp_sha256 file = { NULL };
	unsigned char *der;
	char m[32];

	u.page = HPDF_GetPageByIndex(doc, seal->set ? seal->page : 0);
	u.field = saved->size, u.sig = u.field + 1, u.ap = u.field + 2;
	u.xref = seal->set ? u.ap + 1 : u.ap;
	if (!u.page || HPDF_Dict_GetItem(u.page, "Annots", HPDF_OCLASS_ARRAY) ||
	    HPDF_Dict_GetItem(doc->catalog, "AcroForm", HPDF_OCLASS_DICT))
		return cp_error("cannot sign: the page already has annotations or a form");
	date(m, when);
	if (write_catalog_page(&u) < 0)
		return -1;
	write_field_sig(&u, seal, reserve, m);
	write_xref(&u, saved);
	after = u.contents_at + 2 * reserve + 2;
	if (fill_byterange(&u, after) < 0)
		return -1;
	if (sign_ranges(s, saved, *buf, u.contents_at, after, *len, &der, &derlen,
			sha ? &file : NULL) < 0 ||
	    put_signature(&u, der, derlen, reserve) < 0) {
		*len = orig;
		if (file.ctx)
			cp_sha256_discard(&file);
		return -1;
	}
	if (sha) {
		cp_sha256_update(&file, *buf + u.contents_at, *len - u.contents_at);
		cp_sha256_final_hex(&file, sha);
	}
	return 0;
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
