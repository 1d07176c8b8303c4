/* The TrueType program embedded for a CID font: the glyphs a document drew
 * (with the parts of composite glyphs), every glyph keeping its id, so the
 * font is used with CIDToGIDMap /Identity. Tables a viewer never reads
 * there are left out: cmap (glyphs are found by id), the glyph names of
 * post (a version 3 header only), and layout tables (GSUB, GPOS...: text
 * arrives as glyphs), and the metrics of the glyphs not drawn are zeros
 * (the PDF's W array gives the widths). Built here from the font's own bytes rather than by
 * libharu, which read every table through its streams for each program. */
#ifndef CP_TTFPROG_H
#define CP_TTFPROG_H

#include <stddef.h>
#include <stdint.h>

#define CP_TTF_MAX_TABLES 16

struct cp_ttf {
	const unsigned char *data; /* the font file, owned by the caller */
	size_t len;
	unsigned nglyphs;
	unsigned nmetrics;         /* full entries in hmtx (hhea's numberOfHMetrics) */
	int long_loca;
	const unsigned char *loca, *glyf;
	size_t glyf_len;
	struct cp_ttf_table {
		char tag[4];
		const unsigned char *p;
		uint32_t len;
	} table[CP_TTF_MAX_TABLES]; /* copied as they are, in tag order (glyf, loca: made) */
	int ntables;
};

/* Read the font's table directory. 0, or -1 if it is not a TrueType font
 * with glyf outlines we can read. */
int cp_ttf_open(struct cp_ttf *t, const unsigned char *data, size_t len);
/* The program holding the glyphs marked in glyphs[0..nglyphs) (one byte a
 * glyph; the parts of composites are marked there too). Returns its length
 * and the program in *out (caller frees). */
size_t cp_ttf_program(const struct cp_ttf *t, unsigned char *glyphs, unsigned char **out);

#endif
