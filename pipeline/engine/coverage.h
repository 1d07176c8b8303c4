/* Can a document's fonts draw a text? The one check validate and render
 * share: validate refuses a learner whose names have a character the fonts
 * of their qualification's templates cannot draw, and render checks again
 * with the templates it loads (they may have changed since). */
#ifndef CP_COVERAGE_H
#define CP_COVERAGE_H

#include <stddef.h>
#include <stdint.h>

#include "engine/layout.h"

/* The fonts text may be drawn in: those that the text elements of some
 * templates name (a rectangle or a QR code draws no text). */
struct cp_coverage {
	const struct cp_font *font[CP_MAX_FONTS];
	int n;
};

/* Add the fonts of l's text, paragraph and table elements (from set, the
 * font set l was loaded into). */
void cp_coverage_add_layout(struct cp_coverage *c, const struct cp_layout *l,
			    const struct cp_fontset *set);
/* 0 if every font of c has a glyph for every character of the UTF-8 text
 * (NULL is empty); else the first code point one of them lacks, and why
 * (n bytes) says "WHAT: character U+1F600 is in no glyph of font 'NAME'
 * (PATH)". */
uint32_t cp_coverage_check(const struct cp_coverage *c, const char *what, const char *text,
			   char *why, size_t n);

#endif
