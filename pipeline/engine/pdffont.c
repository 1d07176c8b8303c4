/* Fonts loaded once, font programs made once (pdffont.h). */
#include "engine/pdffont.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "engine/harupriv.h"
#include "util/readfile.h"
#include "engine/ttfprog.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

static int unload(struct cp_pdffont *f, const char *path, const char *why)
{
	cp_pdffont_release(f);
	return cp_error("%s: %s", path, why);
}

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
	f->file = bytes; /* the programs are made from it (ttfprog.h) */
	if (cp_ttf_open(&f->ttf, (const unsigned char *)bytes, len) < 0)
		return unload(f, path, "not a TrueType font with glyf outlines");
	/* One block as large as the file: libharu's memory streams fail a seek
	 * to the exact end of a full block. */
	s = HPDF_MemStream_New(doc->mmgr, (HPDF_UINT)len + 1);
	if (!s || HPDF_Stream_Write(s, (const HPDF_BYTE *)bytes, (HPDF_UINT)len) != HPDF_OK) {
		if (s)
			HPDF_Stream_Free(s);
		return unload(f, path, "libharu cannot hold the font");
	}
	def = HPDF_TTFontDef_Load(doc->mmgr, s, HPDF_TRUE); /* owns s from here */
	if (!def)
		return unload(f, path, "libharu cannot read the font");
	for (HPDF_UINT i = 0; i < doc->fontdef_list->count; i++) {
		HPDF_FontDef d = HPDF_List_ItemAt(doc->fontdef_list, i);

		if (!strcmp(d->base_font, def->base_font)) {
			HPDF_FontDef_Free(def);
			return unload(f, path, "the same font is loaded twice");
		}
	}
	if (HPDF_List_Add(doc->fontdef_list, def) != HPDF_OK) {
		HPDF_FontDef_Free(def);
		return unload(f, path, "libharu cannot add the font");
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

/* The program of the glyphs drawn (ttfprog.h), deflated, in place of the
 * least recently used one. */
static struct cp_fontprog *make(struct cp_pdffont *f, struct cp_deflate *z)
{
	HPDF_TTFontDefAttr a = f->def->attr;
	struct cp_fontprog *p = &f->prog[0];
	unsigned char *font;
	size_t len = cp_ttf_program(&f->ttf, a->glyph_tbl.flgs, &font);
	const unsigned char *data;

	for (int i = 1; i < CP_PDFFONT_KEEP; i++)
		if (f->prog[i].used < p->used)
			p = &f->prog[i];
	data = cp_deflate_buf(z, CP_DEFLATE_KEPT, font, len, &p->len);
	free(font);
	free(p->data);
	free(p->glyphs);
	p->data = cp_xmalloc(p->len);
	memcpy(p->data, data, p->len);
	p->length1 = (unsigned)len;
	p->glyphs = cp_xmalloc(a->num_glyphs);
	memcpy(p->glyphs, a->glyph_tbl.flgs, a->num_glyphs);
	return p;
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
	ret += cp_deflate_set(data, p->data, p->len, false);
	ret += HPDF_Dict_Add(d, "FontFile2", data);
	ret += HPDF_Dict_AddNumber(data, "Length1", (HPDF_INT32)p->length1);
	ret += HPDF_Dict_AddNumber(data, "Length2", 0);
	ret += HPDF_Dict_AddNumber(data, "Length3", 0);
	if (ret != HPDF_OK)
		return HPDF_Error_GetCode(&doc->error);
	def->descriptor = d;
	return HPDF_OK;
}

int cp_pdffont_embed(struct cp_pdffont *f, HPDF_Doc doc, struct cp_deflate *z)
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
	if (!p)
		p = make(f, z);
	p->used = ++f->clock;
	return descriptor(f, doc, p) == HPDF_OK ? 0 : -1;
}

void cp_pdffont_release(struct cp_pdffont *f)
{
	free(f->file);
	for (int i = 0; i < CP_PDFFONT_KEEP; i++) {
		free(f->prog[i].data);
		free(f->prog[i].glyphs);
	}
	memset(f, 0, sizeof(*f));
}
