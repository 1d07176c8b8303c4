/* libharu 2.3.0's save, with our file identifier (pdfsave.h). It follows
 * hpdf_doc.c's InternalSaveToStream and HPDF_Doc_PrepareEncryption and
 * hpdf_encryptdict.c's HPDF_EncryptDict_Prepare, all but the identifier. */
#include "engine/pdfsave.h"

#include <hpdf_encrypt.h>
#include <hpdf_encryptdict.h>
#include <hpdf_info.h>

#include "engine/harupriv.h"
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
