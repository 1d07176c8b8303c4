/* Font coverage of printed text: HarfBuzz's cmap sets (font.c), per
 * template, so a text is checked against exactly the fonts that may draw
 * it. */
#include "engine/coverage.h"

#include <stdio.h>
#include <string.h>

#include "util/utf8.h"
#include "util/banned.h"

void cp_coverage_add_layout(struct cp_coverage *c, const struct cp_layout *l,
			    const struct cp_fontset *set)
{
	for (size_t i = 0; i < l->nel; i++) {
		const struct cp_element *e = &l->el[i];
		int use[2] = { e->font, e->kind == CP_EL_TABLE ? e->header_font : -1 };

		if (e->kind != CP_EL_TEXT && e->kind != CP_EL_PARAGRAPH && e->kind != CP_EL_TABLE)
			continue;
		for (int k = 0; k < 2; k++) {
			const struct cp_font *f;
			int have = 0;

			if (use[k] < 0 || use[k] >= set->n)
				continue;
			f = &set->font[use[k]];
			for (int j = 0; j < c->n; j++)
				have |= c->font[j] == f;
			if (!have && c->n < CP_MAX_FONTS)
				c->font[c->n++] = f;
		}
	}
}

uint32_t cp_coverage_check(const struct cp_coverage *c, const char *what, const char *text,
			   char *why, size_t n)
{
	const unsigned char *p = (const unsigned char *)(text ? text : "");
	size_t left = strlen((const char *)p);
	uint32_t cp;

	while (left) {
		size_t k = cp_utf8_decode(p, left, &cp);

		if (!k)
			break;
		for (int f = 0; f < c->n; f++)
			if (!cp_font_covers(c->font[f], cp)) {
				snprintf(why, n, "%s: character U+%04X is in no glyph of font '%s' (%s)",
					 what, (unsigned)cp, c->font[f]->name, c->font[f]->path);
				return cp;
			}
		p += k;
		left -= k;
	}
	return 0;
}
