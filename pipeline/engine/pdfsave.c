/* libharu 2.3.0's save, with our file identifier (pdfsave.h). It follows
 * hpdf_doc.c's InternalSaveToStream and HPDF_Doc_PrepareEncryption and
 * hpdf_encryptdict.c's HPDF_EncryptDict_Prepare, all but the identifier. */
#include "engine/pdfsave.h"

#include <stdio.h>
#include <stdlib.h>

#include <hpdf_encrypt.h>
#include <hpdf_encryptdict.h>
#include <hpdf_info.h>

#include "engine/harupriv.h"
#include "util/digest.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* hpdf_doc.c's HPDF_VERSION_STR, by HPDF_PDFVer. */
static const char *const header[] = {
	"%PDF-1.2\012%\267\276\255\252\012", "%PDF-1.3\012%\267\276\255\252\012",
	"%PDF-1.4\012%\267\276\255\252\012", "%PDF-1.5\012%\267\276\255\252\012",
	"%PDF-1.6\012%\267\276\255\252\012", "%PDF-1.7\012%\267\276\255\252\012",
};

/* The error libharu recorded, or one if it recorded none. */
static HPDF_STATUS failed(HPDF_Doc doc)
{
	HPDF_STATUS e = HPDF_Error_GetCode(&doc->error);

	return e ? e : HPDF_FAILD_TO_ALLOC_MEM;
}

static void add_info(HPDF_MD5_CTX *ctx, HPDF_Dict info, HPDF_InfoType what)
{
	const char *s = HPDF_Info_GetInfoAttr(info, what);

	/* each string with its end, so that "ab" + "c" is not "a" + "bc" */
	if (s)
		HPDF_MD5Update(ctx, (const HPDF_BYTE *)s, (HPDF_UINT32)strlen(s) + 1);
	else
		HPDF_MD5Update(ctx, (const HPDF_BYTE *)"", 1);
}

static void make_id(HPDF_Doc doc, HPDF_BYTE id[HPDF_ID_LEN])
{
	static const HPDF_InfoType fields[] = {
		HPDF_INFO_CREATION_DATE, HPDF_INFO_AUTHOR, HPDF_INFO_CREATOR, HPDF_INFO_PRODUCER,
		HPDF_INFO_TITLE, HPDF_INFO_SUBJECT, HPDF_INFO_KEYWORDS,
	};
	HPDF_MD5_CTX ctx;
	HPDF_UINT32 objects = doc->xref->entries->count;

	HPDF_MD5Init(&ctx);
	for (size_t i = 0; i < sizeof(fields) / sizeof(*fields); i++)
		add_info(&ctx, doc->info, fields[i]);
	HPDF_MD5Update(&ctx, (const HPDF_BYTE *)&objects, sizeof(objects));
	HPDF_MD5Final(id, &ctx);
}

/* The identifier in the trailer, twice (the document is new: both parts
 * are the same). */
static HPDF_STATUS trailer_id(HPDF_Doc doc, const HPDF_BYTE raw[HPDF_ID_LEN])
{
	HPDF_Array id = HPDF_Dict_GetItem(doc->trailer, "ID", HPDF_OCLASS_ARRAY);

	if (id)
		HPDF_Array_Clear(id);
	else if (!(id = HPDF_Array_New(doc->mmgr)) || HPDF_Dict_Add(doc->trailer, "ID", id) != HPDF_OK)
		return failed(doc);
	for (int i = 0; i < 2; i++)
		if (HPDF_Array_Add(id, HPDF_Binary_New(doc->mmgr, (HPDF_BYTE *)raw, HPDF_ID_LEN)) !=
		    HPDF_OK)
			return failed(doc);
	return HPDF_OK;
}

/* The encryption dictionary's keys from our identifier, and the identifier
 * in the trailer. */
static HPDF_STATUS prepare_encryption(HPDF_Doc doc, HPDF_Encrypt e)
{
	HPDF_EncryptDict dict = doc->encrypt_dict;
	HPDF_STATUS ret = HPDF_OK;

	make_id(doc, e->encrypt_id);
	HPDF_Encrypt_CreateOwnerKey(e);
	HPDF_Encrypt_CreateEncryptionKey(e);
	HPDF_Encrypt_CreateUserKey(e);
	ret += HPDF_Dict_Add(dict, "O", HPDF_Binary_New(dict->mmgr, e->owner_key, HPDF_PASSWD_LEN));
	ret += HPDF_Dict_Add(dict, "U", HPDF_Binary_New(dict->mmgr, e->user_key, HPDF_PASSWD_LEN));
	ret += HPDF_Dict_AddName(dict, "Filter", "Standard");
	if (e->mode == HPDF_ENCRYPT_R2) {
		ret += HPDF_Dict_AddNumber(dict, "V", 1);
		ret += HPDF_Dict_AddNumber(dict, "R", 2);
	} else if (e->mode == HPDF_ENCRYPT_R3) {
		ret += HPDF_Dict_AddNumber(dict, "V", 2);
		ret += HPDF_Dict_AddNumber(dict, "R", 3);
		ret += HPDF_Dict_AddNumber(dict, "Length", (HPDF_INT32)(e->key_len * 8));
	}
	ret += HPDF_Dict_AddNumber(dict, "P", (HPDF_INT32)e->permission);
	if (ret != HPDF_OK)
		return failed(doc);
	return trailer_id(doc, e->encrypt_id);
}

HPDF_STATUS cp_pdf_save_stream(HPDF_Doc doc)
{
	HPDF_Stream s = doc->stream;
	HPDF_Encrypt e = NULL;
	HPDF_STATUS ret;

	if (!HPDF_HasDoc(doc) || !s || !doc->info ||
	    (unsigned)doc->pdf_version >= sizeof(header) / sizeof(*header))
		return HPDF_INVALID_DOCUMENT;
	if (HPDF_Stream_WriteStr(s, header[doc->pdf_version]) != HPDF_OK ||
	    HPDF_Dict_Add(doc->trailer, "Root", doc->catalog) != HPDF_OK ||
	    HPDF_Dict_Add(doc->trailer, "Info", doc->info) != HPDF_OK)
		return failed(doc);
	if (doc->encrypt_on) {
		if (!(e = HPDF_EncryptDict_GetAttr(doc->encrypt_dict)))
			return HPDF_DOC_ENCRYPTDICT_NOT_FOUND;
		if ((ret = prepare_encryption(doc, e)) != HPDF_OK)
			return ret;
	} else {
		/* a print copy has one too (PDF/X asks it), from the same inputs */
		HPDF_BYTE id[HPDF_ID_LEN];

		make_id(doc, id);
		if ((ret = trailer_id(doc, id)) != HPDF_OK)
			return ret;
	}
	if (HPDF_Xref_WriteToStream(doc->xref, s, e) != HPDF_OK)
		return failed(doc);
	return HPDF_OK;
}

/* What the compact writer writes goes through here: counted (the offsets)
 * and hashed (the /ID) on its way to the document's stream. */
struct tee {
	HPDF_Stream to;
	struct cp_sha256 h;
	size_t pos;
};

static HPDF_STATUS tee_write(HPDF_Stream s, const HPDF_BYTE *ptr, HPDF_UINT size)
{
	struct tee *t = s->attr;

	if (t->h.ctx) /* until the identifier is made */
		cp_sha256_update(&t->h, ptr, size);
	t->pos += size;
	return HPDF_Stream_Write(t->to, ptr, size);
}

/* The object stream's text as it is made. */
struct buf {
	unsigned char *p;
	size_t n, cap;
};

static void buf_put(struct buf *b, const void *s, size_t n)
{
	b->p = cp_xgrow(b->p, &b->cap, b->n + n, 1);
	memcpy(b->p + b->n, s, n);
	b->n += n;
}

static HPDF_STATUS buf_write(HPDF_Stream s, const HPDF_BYTE *ptr, HPDF_UINT size)
{
	buf_put(s->attr, ptr, size);
	return HPDF_OK;
}

static void put_be(unsigned char *p, unsigned long v, int n)
{
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)(v & 255);
}

#define XREF_W 7 /* /W [ 1 4 2 ]: type, offset or object stream, generation or index */

/* One compact save: where each object went, and what is still to write. */
struct compact {
	HPDF_Doc doc;
	struct cp_deflate *d;
	struct tee t;
	struct buf body, head;
	HPDF_Stream ts, bs;
	unsigned char *packed; /* packed[i]: object i is in the object stream */
	size_t *offset;	       /* its offset in the file, or its index in the object stream */
	unsigned n_in, objstm, xrefobj;
};

static HPDF_STATUS put_line(HPDF_Stream s, const char *line, int k)
{
	return HPDF_Stream_Write(s, (const HPDF_BYTE *)line, (HPDF_UINT)k);
}

/* In libharu's order, as its writer goes (an object written may add
 * objects): streams into the file now, the rest into the object stream,
 * each remembered by its place (offset, or index in it). */
static HPDF_STATUS write_objects(struct compact *c)
{
	HPDF_List entries = c->doc->xref->entries;
	char line[64];
	int k;

	for (HPDF_UINT i = 1; i < entries->count; i++) {
		HPDF_XrefEntry e = HPDF_List_ItemAt(entries, i);
		HPDF_Obj_Header *h = e->obj;
		bool stream = (h->obj_class & HPDF_OCLASS_ANY) == HPDF_OCLASS_DICT &&
			      ((HPDF_Dict)e->obj)->stream;

		c->offset = cp_xrealloc(c->offset, (i + 1) * sizeof(*c->offset));
		c->packed = cp_xrealloc(c->packed, i + 1);
		c->packed[i] = !stream;
		if (stream) {
			c->offset[i] = c->t.pos;
			k = snprintf(line, sizeof(line), "%u 0 obj\012", i);
			if (put_line(c->ts, line, k) != HPDF_OK ||
			    HPDF_Obj_WriteValue(e->obj, c->ts, NULL) != HPDF_OK ||
			    HPDF_Stream_WriteStr(c->ts, "\012endobj\012") != HPDF_OK)
				return HPDF_FAILD_TO_ALLOC_MEM;
		} else {
			c->offset[i] = c->n_in++;
			k = snprintf(line, sizeof(line), "%u %zu ", i, c->body.n);
			buf_put(&c->head, line, (size_t)k);
			if (HPDF_Obj_WriteValue(e->obj, c->bs, NULL) != HPDF_OK)
				return HPDF_FAILD_TO_ALLOC_MEM;
			buf_put(&c->body, "\012", 1);
		}
	}
	c->objstm = entries->count;
	c->xrefobj = c->objstm + 1;
	return HPDF_OK;
}

static HPDF_STATUS write_objstm(struct compact *c)
{
	struct buf all = { 0 };
	const unsigned char *z;
	size_t zlen;
	char line[160];
	int k;
	HPDF_STATUS ret;

	buf_put(&all, c->head.p, c->head.n);
	buf_put(&all, c->body.p, c->body.n);
	z = cp_deflate_buf(c->d, CP_DEFLATE_ONCE, all.p, all.n, &zlen);
	c->offset = cp_xrealloc(c->offset, (c->xrefobj + 1) * sizeof(*c->offset));
	c->offset[c->objstm] = c->t.pos;
	k = snprintf(line, sizeof(line),
		     "%u 0 obj\012<< /Type /ObjStm /N %u /First %zu /Filter /FlateDecode /Length %zu"
		     " >>\012stream\012", c->objstm, c->n_in, c->head.n, zlen);
	ret = put_line(c->ts, line, k) != HPDF_OK ||
			      HPDF_Stream_Write(c->ts, z, (HPDF_UINT)zlen) != HPDF_OK ||
			      HPDF_Stream_WriteStr(c->ts, "\012endstream\012endobj\012") != HPDF_OK ?
		      HPDF_FAILD_TO_ALLOC_MEM :
		      HPDF_OK;
	free(all.p);
	return ret;
}

/* The cross-reference stream's rows, type 2 for what is in the object stream. */
static unsigned char *xref_rows(const struct compact *c, unsigned size)
{
	unsigned char *xref = cp_xcalloc(size, XREF_W);

	xref[0] = 0; /* object 0: the head of the free list */
	put_be(xref + 5, 65535, 2);
	for (unsigned i = 1; i < size; i++) {
		unsigned char *x = xref + (size_t)i * XREF_W;

		if (i < c->objstm && c->packed[i]) {
			x[0] = 2;
			put_be(x + 1, c->objstm, 4);
			put_be(x + 5, c->offset[i], 2);
		} else {
			x[0] = 1;
			put_be(x + 1, c->offset[i], 4);
		}
	}
	return xref;
}

/* The identifier (of everything before the cross-reference stream), then
 * that stream and the trailer. */
static HPDF_STATUS write_xref(struct compact *c, struct cp_pdf_saved *saved)
{
	char line[256], digest[CP_SHA256_HEX];
	const unsigned char *z;
	unsigned char *xref;
	size_t zlen;
	int k;
	HPDF_STATUS ret;

	c->offset[c->xrefobj] = c->t.pos;
	cp_sha256_copy(&saved->upto, &c->t.h);
	cp_sha256_final_hex(&c->t.h, digest);
	c->t.h.ctx = NULL;
	memcpy(saved->id, digest, 32);
	saved->id[32] = '\0';
	saved->size = c->xrefobj + 1;
	saved->xref = (unsigned long)c->t.pos;
	xref = xref_rows(c, saved->size);
	z = cp_deflate_buf(c->d, CP_DEFLATE_ONCE, xref, (size_t)saved->size * XREF_W, &zlen);
	k = snprintf(line, sizeof(line),
		     "%u 0 obj\012<< /Type /XRef /Size %u /W [ 1 4 2 ] /Root %u 0 R /Info %u 0 R"
		     " /ID [ <%s> <%s> ] /Filter /FlateDecode /Length %zu >>\012stream\012",
		     c->xrefobj, saved->size, c->doc->catalog->header.obj_id & 0x00FFFFFF,
		     c->doc->info->header.obj_id & 0x00FFFFFF, saved->id, saved->id, zlen);
	ret = put_line(c->ts, line, k);
	if (ret == HPDF_OK)
		ret = HPDF_Stream_Write(c->ts, z, (HPDF_UINT)zlen);
	free(xref);
	if (ret != HPDF_OK)
		return ret;
	k = snprintf(line, sizeof(line), "\012endstream\012endobj\012startxref\012%lu\012%%%%EOF\012",
		     saved->xref);
	return put_line(c->ts, line, k);
}

HPDF_STATUS cp_pdf_save_compact(HPDF_Doc doc, struct cp_deflate *d, struct cp_pdf_saved *saved)
{
	struct compact c = { .doc = doc, .d = d, .t = { .to = doc->stream } };
	HPDF_STATUS ret = HPDF_OK;

	saved->upto.ctx = NULL;
	c.ts = cp_haru_stream(doc->mmgr, &doc->error, &c.t);
	c.bs = cp_haru_stream(doc->mmgr, &doc->error, &c.body);
	if (!c.ts || !c.bs || !HPDF_HasDoc(doc) || !doc->info || doc->encrypt_on ||
	    (unsigned)doc->pdf_version >= sizeof(header) / sizeof(*header)) {
		ret = HPDF_INVALID_DOCUMENT;
		goto out;
	}
	c.ts->write_fn = tee_write;
	c.bs->write_fn = buf_write;
	cp_sha256_init(&c.t.h);
	if (HPDF_Stream_WriteStr(c.ts, header[doc->pdf_version]) != HPDF_OK ||
	    write_objects(&c) != HPDF_OK || write_objstm(&c) != HPDF_OK ||
	    write_xref(&c, saved) != HPDF_OK) {
		ret = failed(doc);
		if (saved->upto.ctx)
			cp_sha256_discard(&saved->upto);
	}
out:
	if (c.t.h.ctx)
		cp_sha256_discard(&c.t.h);
	if (c.ts)
		HPDF_Stream_Free(c.ts);
	if (c.bs)
		HPDF_Stream_Free(c.bs);
	free(c.offset);
	free(c.packed);
	free(c.body.p);
	free(c.head.p);
	return ret;
}
