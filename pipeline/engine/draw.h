/* Drawing a layout into a PDF for one document's values: the table is laid
 * out first (rows measured and cut into pages, so "Page N of M" is known),
 * then every page is drawn. */
#ifndef CP_DRAW_H
#define CP_DRAW_H

#include "engine/bind.h"
#include "engine/layout.h"
#include "engine/pdf.h"

/* Draw every page; digital chooses the elements marked digital or print.
 * Returns the number of pages, or -1. */
int cp_draw(struct cp_pdf *p, const struct cp_layout *l, struct cp_values *v, int digital);

/* Draw the layout's first page into page (of a document the caller made),
 * scaled by scale with its lower left corner at (x, y) in that page's PDF
 * coordinates: a proof sheet's tile. 0 or -1. */
int cp_draw_tile(struct cp_pdf *p, HPDF_Page page, const struct cp_layout *l,
		 struct cp_values *v, int digital, double x, double y, double scale);

/* Cut UTF-8 text into lines no wider than width; returns the number of
 * lines and fills lines (caller frees each and the array). A word longer
 * than the width is cut between characters. */
int cp_draw_wrap(struct cp_pdf *p, int font, double size, const char *text, double width,
		 char ***lines);

#endif
