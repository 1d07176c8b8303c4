/* A TrueType program for a CID font without what a PDF viewer never reads
 * there: glyphs are found by glyph id (CIDToGIDMap /Identity), so the cmap
 * table goes, and the post table keeps its header but not the glyph names
 * (version 3). About 1.3 KB less a face before deflating. */
#ifndef CP_TTFTRIM_H
#define CP_TTFTRIM_H

#include <stddef.h>

/* Write the trimmed copy of the font in[0..len) to a new buffer (*out,
 * caller frees); returns its length, or 0 if in is not a font we can read
 * (then use it as it is). */
size_t cp_ttf_trim(const unsigned char *in, size_t len, unsigned char **out);

#endif
