/* A contact sheet: documents' first pages drawn small by the layout engine,
 * several to an A4 landscape page in rows of three, each framed with two
 * caption lines under it, and a title line on every page (a proof for a
 * checker). It knows nothing of what the documents are. */
#ifndef CP_SHEET_H
#define CP_SHEET_H

#include "engine/bind.h"
#include "engine/layout.h"
#include "engine/pdf.h"

struct cp_sheet {
	struct cp_pdf *pdf; /* begun (cp_pdf_begin); saved by the caller */
	const char *title;  /* each page's line, with its number after it */
	HPDF_Page page;
	int slot;
	long pages, tiles;
};

void cp_sheet_init(struct cp_sheet *s, struct cp_pdf *pdf, const char *title);
/* The layout's first page for v (digital or print elements) in the next
 * place, a new page when this one is full, with caption lines a and b
 * (each cut to the tile's width). 0 or -1. */
int cp_sheet_add(struct cp_sheet *s, const struct cp_layout *l, struct cp_values *v, int digital,
		 const char *a, const char *b);
/* At least one page, so that an empty sheet still says what it is of. */
void cp_sheet_finish(struct cp_sheet *s);

#endif
