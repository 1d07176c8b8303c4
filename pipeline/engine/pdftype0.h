/* Text as glyph ids in a Type 0 font (Identity-H): one font object per
 * face a document draws with, whose widths (W) and ToUnicode map hold only
 * the glyphs that document drew. Any character of the font is drawn the
 * same way, so no text is cut into code pages, and the ToUnicode map gives
 * back the exact code points (pdftotext, search, copy and paste). This
 * replaces libharu's fonts, which wrote a font object and a 224-number
 * width array for each code page used and, for a character no code page
 * held, mapped all 65,536 code points of the font for every document. */
#ifndef CP_PDFTYPE0_H
#define CP_PDFTYPE0_H

#include <hpdf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/pdfdeflate.h"
#include "engine/pdffont.h"

struct cp_type0 {
	uint16_t *gid;     /* per BMP code point, 0xFFFF: not yet looked up */
	/* this document's */
	HPDF_Dict font;    /* NULL until the document draws with the face */
	uint32_t *uni;     /* per glyph: the code point first drawn with it, 0: not drawn */
	uint16_t *drawn;   /* the glyphs drawn, in the order first drawn */
	unsigned ndrawn, nglyphs;
	char *w;           /* the W array, written by the CIDFont's write hook */
	size_t wlen, wcap;
	/* the last ToUnicode map made, deflated, and its (glyph, code point) pairs */
	unsigned char *map_data;
	size_t map_len;
	uint32_t *map_key;
	unsigned map_n;
};

/* Forget the last document's font (at the start of a new document). */
void cp_type0_begin(struct cp_type0 *t);
/* This document's font of the face, made on first use (NULL: libharu
 * failed, its error is set). */
HPDF_Dict cp_type0_font(struct cp_type0 *t, struct cp_pdffont *f, HPDF_Doc doc);
/* The glyph ids of n bytes of UTF-8 text, two bytes each, escaped for a PDF
 * literal string, into out (4 bytes for each byte of utf8 is always enough);
 * returns the length. The glyphs are recorded as drawn in this document.
 * Controls are left out, as is anything after invalid UTF-8. */
size_t cp_type0_encode(struct cp_type0 *t, struct cp_pdffont *f, const char *utf8, size_t n,
		       char *out);
/* False for what is never drawn: controls and formatting characters. */
bool cp_type0_drawn(uint32_t cp);
/* Glyph id of a code point in the face (0: the font lacks it). */
unsigned cp_type0_glyph(struct cp_type0 *t, struct cp_pdffont *f, uint32_t cp);
/* Before saving: complete the document's font (program, widths, ToUnicode).
 * 0, or -1 if libharu failed. */
int cp_type0_finish(struct cp_type0 *t, struct cp_pdffont *f, HPDF_Doc doc,
		    struct cp_deflate *z);
void cp_type0_release(struct cp_type0 *t);

#endif
