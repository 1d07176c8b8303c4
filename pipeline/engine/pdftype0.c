/* Type 0 fonts of glyph ids (pdftype0.h). */
#include "engine/pdftype0.h"

#include <stdlib.h>
#include <string.h>

#include "engine/harupriv.h"
#include "engine/pdfnum.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define UNKNOWN 0xFFFF

void cp_type0_begin(struct cp_type0 *t)
{
	for (unsigned i = 0; i < t->ndrawn; i++)
		t->uni[t->drawn[i]] = 0;
	t->ndrawn = 0;
	t->font = NULL; /* freed with the libharu document */
}

bool cp_type0_drawn(uint32_t cp)
{
	return cp >= 0x20 && !cp_utf8_is_control(cp);
}

unsigned cp_type0_glyph(struct cp_type0 *t, struct cp_pdffont *f, uint32_t cp)
{
	if (cp >= 0x10000) /* libharu reads only the BMP cmap */
		return 0;
	if (!t->gid) {
		t->gid = cp_xmalloc(65536 * sizeof(*t->gid));
		memset(t->gid, 0xFF, 65536 * sizeof(*t->gid));
	}
	if (t->gid[cp] == UNKNOWN)
		t->gid[cp] = HPDF_TTFontDef_GetGlyphid(f->def, (HPDF_UINT16)cp);
	return t->gid[cp];
}

HPDF_Dict cp_type0_font(struct cp_type0 *t, struct cp_pdffont *f, HPDF_Doc doc)
{
	HPDF_Dict d;

	if (t->font)
		return t->font;
	if (!t->uni) {
		t->nglyphs = ((HPDF_TTFontDefAttr)f->def->attr)->num_glyphs;
		t->uni = cp_xcalloc(t->nglyphs, sizeof(*t->uni));
		t->drawn = cp_xmalloc(t->nglyphs * sizeof(*t->drawn));
	}
	d = HPDF_Dict_New(doc->mmgr);
	if (!d || HPDF_Xref_Add(doc->xref, d) != HPDF_OK)
		return NULL;
	t->font = d;
	return d;
}

/* Record a glyph as drawn: libharu's width lookup marks it in the font's
 * glyph flags, from which the font program is made (pdffont.c, ttfprog.c). */
static void drawn(struct cp_type0 *t, struct cp_pdffont *f, unsigned gid, uint32_t cp)
{
	if (t->uni[gid])
		return;
	t->uni[gid] = cp;
	t->drawn[t->ndrawn++] = (uint16_t)gid;
	HPDF_TTFontDef_GetCharWidth(f->def, (HPDF_UINT16)(cp < 0x10000 ? cp : 0));
}

static size_t put_byte(char *out, unsigned char b)
{
	switch (b) {
	case '(':
	case ')':
	case '\\':
		out[0] = '\\';
		out[1] = (char)b;
		return 2;
	case '\r': /* a bare CR in a literal string reads as LF */
		out[0] = '\\';
		out[1] = 'r';
		return 2;
	default:
		out[0] = (char)b;
		return 1;
	}
}

size_t cp_type0_encode(struct cp_type0 *t, struct cp_pdffont *f, const char *utf8, size_t left,
		       char *out)
{
	const unsigned char *s = (const unsigned char *)utf8;
	size_t n = 0;

	while (left) {
		uint32_t cp;
		size_t len = cp_utf8_decode(s, left, &cp);
		unsigned gid;

		if (!len) { /* never for validated text: skip a stray byte */
			s++;
			left--;
			continue;
		}
		s += len;
		left -= len;
		if (!cp_type0_drawn(cp))
			continue;
		gid = cp_type0_glyph(t, f, cp);
		if (gid >= t->nglyphs)
			gid = 0;
		drawn(t, f, gid, cp);
		n += put_byte(out + n, (unsigned char)(gid >> 8));
		n += put_byte(out + n, (unsigned char)gid);
	}
	return n;
}

static int by_gid(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

static void w_append(struct cp_type0 *t, const char *s, size_t n)
{
	if (t->wlen + n > t->wcap) {
		t->wcap = (t->wlen + n) * 2;
		t->w = cp_xrealloc(t->w, t->wcap);
	}
	memcpy(t->w + t->wlen, s, n);
	t->wlen += n;
}

/* "/W [g [w1 w2 ...] g' [...]]": runs of consecutive glyph ids. */
static void make_w(struct cp_type0 *t, struct cp_pdffont *f)
{
	char num[48];

	t->wlen = 0;
	w_append(t, "/W [", 4);
	for (unsigned i = 0; i < t->ndrawn; i++) {
		unsigned g = t->drawn[i];
		size_t n = 0;

		if (!i || g != t->drawn[i - 1] + 1u) {
			if (i) {
				num[n++] = ']';
				num[n++] = ' ';
			}
			n += cp_pdfnum_int(num + n, g);
			num[n++] = ' ';
			num[n++] = '[';
		} else {
			num[n++] = ' ';
		}
		n += cp_pdfnum_int(num + n, HPDF_TTFontDef_GetGidWidth(f->def, (HPDF_UINT16)g));
		w_append(t, num, n);
	}
	w_append(t, t->ndrawn ? "]]\012" : "]\012", t->ndrawn ? 3 : 2);
}

static HPDF_STATUS write_w(HPDF_Dict dict, HPDF_Stream out)
{
	const struct cp_type0 *t = dict->attr;

	return HPDF_Stream_Write(out, (const HPDF_BYTE *)t->w, (HPDF_UINT)t->wlen);
}

/* A code point as UTF-16BE hex. */
static size_t utf16_hex(char *out, uint32_t cp)
{
	if (cp < 0x10000)
		return cp_pdfnum_hex4(out, cp);
	cp -= 0x10000;
	cp_pdfnum_hex4(out, 0xD800 + (cp >> 10));
	return 4 + cp_pdfnum_hex4(out + 4, 0xDC00 + (cp & 0x3FF));
}

static const char cmap_head[] = "/CIDInit /ProcSet findresource begin\n"
				"12 dict begin\n"
				"begincmap\n"
				"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
				"/CMapName /Adobe-Identity-UCS def\n"
				"/CMapType 2 def\n"
				"1 begincodespacerange\n"
				"<0000> <FFFF>\n"
				"endcodespacerange\n";
static const char cmap_tail[] = "endcmap\n"
				"CMapName currentdict /CMap defineresource pop\n"
				"end\n"
				"end\n";

/* The same glyphs, each for the same code point, as the last ToUnicode
 * map made (the print copy after the digital copy). */
static bool same_map(const struct cp_type0 *t)
{
	if (!t->map_data || t->map_n != t->ndrawn)
		return false;
	for (unsigned i = 0; i < t->ndrawn; i++)
		if (t->map_key[2 * i] != t->drawn[i] || t->map_key[2 * i + 1] != t->uni[t->drawn[i]])
			return false;
	return true;
}

/* Glyphs from drawn[k] on that map to consecutive code points: the
 * length of the run a bfrange can give (in one block of 256 on both sides,
 * as CMaps ask). */
static unsigned run_at(const struct cp_type0 *t, unsigned k)
{
	unsigned n = 1;
	uint32_t g = t->drawn[k], u = t->uni[g];

	if (u >= 0x10000)
		return 1;
	while (k + n < t->ndrawn && t->drawn[k + n] == g + n && t->uni[g + n] == u + n &&
	       (g + n) >> 8 == g >> 8 && (u + n) >> 8 == u >> 8)
		n++;
	return n;
}

#define HEAD 24 /* "100 beginbfrange\n" and more */

/* One block of bfchar or bfrange lines (at most 100) from drawn[*k] on;
 * ranges: runs of 2 or more, else single glyphs. Returns the bytes
 * written at out, 0 when no line was left. */
static size_t map_block(const struct cp_type0 *t, unsigned *k, bool ranges, char *out)
{
	unsigned lines = 0, at = 0;
	char head[HEAD];
	size_t n = HEAD, h;

	/* the lines go after room for their head, which needs their count */
	for (unsigned i = *k; i < t->ndrawn && lines < 100; i += at) {
		uint32_t g = t->drawn[i];

		at = run_at(t, i);
		*k = i + at;
		if ((at > 1) != ranges)
			continue;
		out[n++] = '<';
		n += cp_pdfnum_hex4(out + n, g);
		if (ranges) {
			memcpy(out + n, "> <", 3);
			n += 3;
			n += cp_pdfnum_hex4(out + n, g + at - 1);
		}
		memcpy(out + n, "> <", 3);
		n += 3;
		n += utf16_hex(out + n, t->uni[g]);
		memcpy(out + n, ">\n", 2);
		n += 2;
		lines++;
	}
	if (!lines)
		return 0;
	h = cp_pdfnum_int(head, lines);
	memcpy(head + h, ranges ? " beginbfrange\n" : " beginbfchar\n", ranges ? 14 : 13);
	h += ranges ? 14 : 13;
	memmove(out + h, out + HEAD, n - HEAD);
	memcpy(out, head, h);
	n = n - HEAD + h;
	memcpy(out + n, ranges ? "endbfrange\n" : "endbfchar\n", ranges ? 11 : 10);
	return n + (ranges ? 11 : 10);
}

/* The ToUnicode CMap, deflated: each glyph drawn to the code point drawn
 * with it, runs of consecutive glyphs and code points as ranges. Kept for
 * the next document that drew the same. */
static void make_map(struct cp_type0 *t, struct cp_deflate *z)
{
	size_t cap = sizeof(cmap_head) + sizeof(cmap_tail) + t->ndrawn * 30 +
		     (t->ndrawn / 50 + 2) * 40, n;
	char *text = cp_xmalloc(cap);
	const unsigned char *data;

	memcpy(text, cmap_head, sizeof(cmap_head) - 1);
	n = sizeof(cmap_head) - 1;
	for (int ranges = 0; ranges < 2; ranges++)
		for (unsigned k = 0; k < t->ndrawn;)
			n += map_block(t, &k, ranges, text + n);
	memcpy(text + n, cmap_tail, sizeof(cmap_tail) - 1);
	n += sizeof(cmap_tail) - 1;
	data = cp_deflate_buf(z, CP_DEFLATE_KEPT, text, n, &t->map_len);
	free(text);
	free(t->map_data);
	t->map_data = cp_xmalloc(t->map_len);
	memcpy(t->map_data, data, t->map_len);
	t->map_key = cp_xrealloc(t->map_key, (t->ndrawn ? t->ndrawn : 1) * 2 * sizeof(*t->map_key));
	t->map_n = t->ndrawn;
	for (unsigned i = 0; i < t->ndrawn; i++) {
		t->map_key[2 * i] = t->drawn[i];
		t->map_key[2 * i + 1] = t->uni[t->drawn[i]];
	}
}

static HPDF_Dict to_unicode(struct cp_type0 *t, HPDF_Doc doc, struct cp_deflate *z)
{
	HPDF_Dict d;

	if (!same_map(t))
		make_map(t, z);
	d = HPDF_DictStream_New(doc->mmgr, doc->xref);
	if (!d || cp_deflate_set(d, t->map_data, t->map_len, false) != HPDF_OK)
		return NULL;
	return d;
}

int cp_type0_finish(struct cp_type0 *t, struct cp_pdffont *f, HPDF_Doc doc,
		    struct cp_deflate *z)
{
	HPDF_MMgr m = doc->mmgr;
	HPDF_Dict cid, info, unicode;
	HPDF_Array kids;
	HPDF_STATUS ret = 0;
	const char *name;

	if (!t->font)
		return 0;
	name = ((HPDF_TTFontDefAttr)f->def->attr)->base_font;
	if (cp_pdffont_embed(f, doc, z) < 0)
		return -1;
	qsort(t->drawn, t->ndrawn, sizeof(*t->drawn), by_gid);
	make_w(t, f);
	cid = HPDF_Dict_New(m);
	info = HPDF_Dict_New(m);
	kids = HPDF_Array_New(m);
	unicode = to_unicode(t, doc, z);
	if (!cid || !info || !kids || !unicode || HPDF_Xref_Add(doc->xref, cid) != HPDF_OK)
		return -1;
	ret += HPDF_Dict_AddName(cid, "Type", "Font");
	ret += HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
	ret += HPDF_Dict_AddName(cid, "BaseFont", name);
	ret += HPDF_Dict_Add(info, "Registry", HPDF_String_New(m, "Adobe", NULL));
	ret += HPDF_Dict_Add(info, "Ordering", HPDF_String_New(m, "Identity", NULL));
	ret += HPDF_Dict_AddNumber(info, "Supplement", 0);
	ret += HPDF_Dict_Add(cid, "CIDSystemInfo", info);
	ret += HPDF_Dict_Add(cid, "FontDescriptor", f->def->descriptor);
	ret += HPDF_Dict_AddName(cid, "CIDToGIDMap", "Identity");
	ret += HPDF_Dict_AddNumber(cid, "DW", 1000);
	cid->attr = t;
	cid->write_fn = write_w;
	ret += HPDF_Array_Add(kids, cid);
	ret += HPDF_Dict_AddName(t->font, "Type", "Font");
	ret += HPDF_Dict_AddName(t->font, "Subtype", "Type0");
	ret += HPDF_Dict_AddName(t->font, "BaseFont", name);
	ret += HPDF_Dict_AddName(t->font, "Encoding", "Identity-H");
	ret += HPDF_Dict_Add(t->font, "DescendantFonts", kids);
	ret += HPDF_Dict_Add(t->font, "ToUnicode", unicode);
	return ret == HPDF_OK ? 0 : -1;
}

void cp_type0_release(struct cp_type0 *t)
{
	free(t->gid);
	free(t->uni);
	free(t->drawn);
	free(t->w);
	free(t->map_data);
	free(t->map_key);
	memset(t, 0, sizeof(*t));
}
