/* Fonts loaded once, font programs made once (pdffont.h). */
#include "pdffont.h"

#include <hpdf_doc.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "readfile.h"
#include "msg.h"
#include "xalloc.h"
#include "banned.h"

/* The structures below are libharu 2.3.0's; another version may differ. */
_Static_assert(HPDF_MAJOR_VERSION == 2 && HPDF_MINOR_VERSION == 3 && HPDF_BUGFIX_VERSION == 0,
	       "pdffont.c reaches into libharu 2.3.0's structures: check them for this version");

int cp_pdffont_load(struct cp_pdffont *f, HPDF_Doc doc, const char *path)
{
	static unsigned serial; /* subset tags, unique in a process */
	char *bytes, tag[HPDF_TTF_FONT_TAG_LEN + 1];
	size_t len;
	HPDF_Stream s;
	HPDF_FontDef def;

	memset(f, 0, sizeof(*f));
	if (cp_read_file(path, &bytes, &len, 64 << 20) < 0)
		return cp_error("%s: cannot read the font file", path);
	/* One block as large as the file: libharu's memory streams fail a seek
	 * to the exact end of a full block. */
	s = HPDF_MemStream_New(doc->mmgr, (HPDF_UINT)len + 1);
	if (!s || HPDF_Stream_Write(s, (const HPDF_BYTE *)bytes, (HPDF_UINT)len) != HPDF_OK) {
		if (s)
			HPDF_Stream_Free(s);
		free(bytes);
		return cp_error("%s: libharu cannot hold the font", path);
	}
	free(bytes);
	def = HPDF_TTFontDef_Load(doc->mmgr, s, HPDF_TRUE); /* owns s from here */
	if (!def)
		return cp_error("%s: libharu cannot read the font", path);
	for (HPDF_UINT i = 0; i < doc->fontdef_list->count; i++) {
		HPDF_FontDef d = HPDF_List_ItemAt(doc->fontdef_list, i);

		if (!strcmp(d->base_font, def->base_font)) {
			HPDF_FontDef_Free(def);
			return cp_error("%s: the same font is loaded twice", path);
		}
	}
	if (HPDF_List_Add(doc->fontdef_list, def) != HPDF_OK) {
		HPDF_FontDef_Free(def);
		return cp_error("%s: libharu cannot add the font", path);
	}
	tag[0] = 'C';
	tag[1] = 'P';
	for (int i = 5, n = (int)serial++; i >= 2; i--, n /= 26)
		tag[i] = (char)('A' + n % 26);
	tag[6] = '\0';
	HPDF_TTFontDef_SetTagName(def, tag);
	f->def = def;
	f->name = def->base_font;
	return 0;
}

/* How many glyphs the program holds that were not drawn, or -1 if it
 * lacks one that was. */
static int extra(const struct cp_fontprog *p, const HPDF_BYTE *drawn, unsigned n)
{
	int more = 0;

	if (!p->data)
		return -1;
	for (unsigned i = 0; i < n; i++) {
		if (drawn[i] && !p->glyphs[i])
			return -1;
		more += !drawn[i] && p->glyphs[i];
	}
	return more;
}

/* libharu's rebuild of the font for the glyphs drawn, deflated. */
static struct cp_fontprog *make(struct cp_pdffont *f, HPDF_Doc doc)
{
	HPDF_TTFontDefAttr a = f->def->attr;
	struct cp_fontprog *p = &f->prog[0];
	HPDF_Stream s = HPDF_MemStream_New(doc->mmgr, 16384);
	unsigned char *raw;
	HPDF_UINT size, got;
	uLongf zlen;

	for (int i = 1; i < CP_PDFFONT_KEEP; i++)
		if (f->prog[i].used < p->used)
			p = &f->prog[i];
	if (!s)
		return NULL;
	if (HPDF_TTFontDef_SaveFontData(f->def, s) != HPDF_OK ||
	    HPDF_Stream_Seek(s, 0, HPDF_SEEK_SET) != HPDF_OK) {
		HPDF_Stream_Free(s);
		return NULL;
	}
	size = HPDF_Stream_Size(s);
	raw = cp_xmalloc(size ? size : 1);
	got = size;
	if (size && HPDF_Stream_Read(s, raw, &got) != HPDF_OK) {
		HPDF_Stream_Free(s);
		free(raw);
		return NULL;
	}
	HPDF_Stream_Free(s);
	free(p->data);
	free(p->glyphs);
	zlen = compressBound(got);
	p->data = cp_xmalloc(zlen);
	if (compress2(p->data, &zlen, raw, got, Z_DEFAULT_COMPRESSION) != Z_OK)
		cp_bug("zlib cannot deflate a font program");
	free(raw);
	p->len = zlen;
	p->length1 = a->length1;
	p->glyphs = cp_xmalloc(a->num_glyphs);
	memcpy(p->glyphs, a->glyph_tbl.flgs, a->num_glyphs);
	return p;
}

/* The stream is written as it is (filter none, so libharu does not deflate
 * it again); this names the filter it already went through. */
static HPDF_STATUS flate_filter(HPDF_Dict d, HPDF_Stream out)
{
	(void)d;
	return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

/* What libharu's CreateDescriptor (hpdf_font_tt.c) makes, with our program. */
static HPDF_STATUS descriptor(struct cp_pdffont *f, HPDF_Doc doc, const struct cp_fontprog *p)
{
	HPDF_FontDef def = f->def;
	HPDF_TTFontDefAttr a = def->attr;
	HPDF_Dict d = HPDF_Dict_New(doc->mmgr), data;
	HPDF_STATUS ret = 0;

	if (!d)
		return HPDF_Error_GetCode(&doc->error);
	ret += HPDF_Xref_Add(doc->xref, d);
	ret += HPDF_Dict_AddName(d, "Type", "FontDescriptor");
	ret += HPDF_Dict_AddNumber(d, "Ascent", def->ascent);
	ret += HPDF_Dict_AddNumber(d, "Descent", def->descent);
	ret += HPDF_Dict_AddNumber(d, "CapHeight", def->cap_height);
	ret += HPDF_Dict_AddNumber(d, "Flags", (HPDF_INT32)def->flags);
	ret += HPDF_Dict_Add(d, "FontBBox", HPDF_Box_Array_New(doc->mmgr, def->font_bbox));
	ret += HPDF_Dict_AddName(d, "FontName", a->base_font);
	ret += HPDF_Dict_AddNumber(d, "ItalicAngle", def->italic_angle);
	ret += HPDF_Dict_AddNumber(d, "StemV", def->stemv);
	ret += HPDF_Dict_AddNumber(d, "XHeight", def->x_height);
	if (a->char_set)
		ret += HPDF_Dict_AddName(d, "CharSet", a->char_set);
	if (ret != HPDF_OK)
		return HPDF_Error_GetCode(&doc->error);
	data = HPDF_DictStream_New(doc->mmgr, doc->xref);
	if (!data)
		return HPDF_Error_GetCode(&doc->error);
	ret += HPDF_Stream_Write(data->stream, p->data, (HPDF_UINT)p->len);
	ret += HPDF_Dict_Add(d, "FontFile2", data);
	ret += HPDF_Dict_AddNumber(data, "Length1", (HPDF_INT32)p->length1);
	ret += HPDF_Dict_AddNumber(data, "Length2", 0);
	ret += HPDF_Dict_AddNumber(data, "Length3", 0);
	if (ret != HPDF_OK)
		return HPDF_Error_GetCode(&doc->error);
	data->filter = HPDF_STREAM_FILTER_NONE;
	data->write_fn = flate_filter;
	def->descriptor = d;
	return HPDF_OK;
}

int cp_pdffont_embed(struct cp_pdffont *f, HPDF_Doc doc)
{
	HPDF_TTFontDefAttr a;
	struct cp_fontprog *p = NULL;

	if (!f->def || f->def->descriptor)
		return 0;
	a = f->def->attr;
	for (int i = 0, best = CP_PDFFONT_SLACK + 1; i < CP_PDFFONT_KEEP; i++) {
		int more = extra(&f->prog[i], a->glyph_tbl.flgs, a->num_glyphs);

		if (more >= 0 && more < best) {
			best = more;
			p = &f->prog[i];
		}
	}
	if (!p && !(p = make(f, doc)))
		return -1;
	p->used = ++f->clock;
	return descriptor(f, doc, p) == HPDF_OK ? 0 : -1;
}

int cp_pdffont_width(const struct cp_pdffont *f, unsigned cp)
{
	return HPDF_TTFontDef_GetGidWidth(f->def, HPDF_TTFontDef_GetGlyphid(f->def, (HPDF_UINT16)cp));
}

void cp_pdffont_release(struct cp_pdffont *f)
{
	for (int i = 0; i < CP_PDFFONT_KEEP; i++) {
		free(f->prog[i].data);
		free(f->prog[i].glyphs);
	}
	memset(f, 0, sizeof(*f));
}
