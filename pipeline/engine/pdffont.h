/* Subset fonts loaded into libharu once per process (for their metrics),
 * and their font programs made (ttfprog.h) and embedded by us rather than
 * by libharu, which rebuilt and deflated a font for every document: a
 * program is kept and used again by any later document whose glyphs it
 * holds (the print copy after the digital copy of the same document). This
 * reaches into libharu's own structures (harupriv.h). */
#ifndef CP_PDFFONT_H
#define CP_PDFFONT_H

#include <hpdf.h>
#include <stddef.h>

#include "engine/pdfdeflate.h"
#include "engine/ttfprog.h"

#define CP_PDFFONT_KEEP 4 /* font programs kept per face */
/* A kept program serves a document that drew all its glyphs but this many
 * (the print copy lacks the digital copy's mark): a few hundred bytes more
 * in the file for a font not rebuilt and deflated again. */
#define CP_PDFFONT_SLACK 12

struct cp_fontprog {
	unsigned char *glyphs; /* one byte a glyph: 1 if the program holds it */
	unsigned char *data;   /* the program, deflated */
	size_t len;
	unsigned length1;      /* its size before deflating */
	unsigned long used;    /* when it was last used: the oldest is replaced */
};

struct cp_pdffont {
	HPDF_FontDef def;
	const char *name;      /* libharu's name for it */
	char *file;            /* the font file */
	struct cp_ttf ttf;     /* its tables */
	struct cp_fontprog prog[CP_PDFFONT_KEEP];
	unsigned long clock;
};

/* Load a TrueType file into doc's font list from memory; the font stays
 * loaded through HPDF_NewDoc. 0 or -1 with a message. */
int cp_pdffont_load(struct cp_pdffont *f, HPDF_Doc doc, const char *path);
/* Before saving a document: give the font the descriptor and program of
 * the glyphs this document drew. 0 or -1 (libharu error). */
int cp_pdffont_embed(struct cp_pdffont *f, HPDF_Doc doc, struct cp_deflate *z);
void cp_pdffont_release(struct cp_pdffont *f);

#endif
