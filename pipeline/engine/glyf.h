/* Flattening nested composite glyphs in a TrueType font. libharu 2.3.0
 * embeds the direct parts of a composite glyph it draws but not the parts of
 * those parts (recursion came in libharu 2.4.0), so a Greek or Cyrillic
 * letter built from a Latin one ("ό" from "ο" from "o") lost its body. After
 * flattening, every composite names only simple glyphs. */
#ifndef CP_GLYF_H
#define CP_GLYF_H

#include <stddef.h>

struct cp_glyf_out {
	unsigned char *glyf, *loca, *head; /* new tables (caller frees) */
	size_t glyf_len, loca_len, head_len;
	int kept; /* nested parts left as they were (scaled or point-matched) */
};

/* Build flattened glyf, loca (long offsets) and head tables for the font;
 * -1 if it is not a TrueType font with glyf outlines. */
int cp_glyf_flatten(const unsigned char *font, size_t len, struct cp_glyf_out *out);
void cp_glyf_out_release(struct cp_glyf_out *out);

#endif
