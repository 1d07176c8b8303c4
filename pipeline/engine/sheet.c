/* Contact sheets: tiles placed in rows of three on A4 landscape pages, each
 * a layout drawn scaled (cp_draw_tile) inside a frame, its captions in the
 * document's first font. */
#include "engine/sheet.h"

#include <stdio.h>
#include <stdlib.h>

#include "engine/draw.h"
#include "util/banned.h"

#define PAGE_W 842.0 /* A4 landscape, points */
#define PAGE_H 595.0
#define MARGIN 28.0
#define GAP 14.0
#define COLUMNS 3
#define HEADER 22.0  /* the page's own line */
#define CAPTION 26.0 /* a tile's two lines */
#define TEXT 7.0

/* The first line of text that fits width (cut between words). */
static void caption(struct cp_sheet *s, const char *text, double x, double y, double width)
{
	char **lines = NULL;
	int n = cp_draw_wrap(s->pdf, 0, TEXT, text, width, &lines);

	if (n > 0)
		cp_pdf_show(s->pdf, s->page, 0, TEXT, x, y, 0, lines[0]);
	for (int i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

static void new_page(struct cp_sheet *s)
{
	char head[256];

	s->page = HPDF_AddPage(s->pdf->doc);
	HPDF_Page_SetWidth(s->page, (HPDF_REAL)PAGE_W);
	HPDF_Page_SetHeight(s->page, (HPDF_REAL)PAGE_H);
	snprintf(head, sizeof(head), "%s   sheet %ld", s->title, ++s->pages);
	caption(s, head, MARGIN, PAGE_H - MARGIN, PAGE_W - 2 * MARGIN);
	s->slot = 0;
}

void cp_sheet_init(struct cp_sheet *s, struct cp_pdf *pdf, const char *title)
{
	*s = (struct cp_sheet){ .pdf = pdf, .title = title };
}

int cp_sheet_add(struct cp_sheet *s, const struct cp_layout *l, struct cp_values *v, int digital,
		 const char *a, const char *b)
{
	double w = (PAGE_W - 2 * MARGIN - (COLUMNS - 1) * GAP) / COLUMNS, scale = w / l->page_w;
	double h = l->page_h * scale, x, y;
	int rows = (int)((PAGE_H - 2 * MARGIN - HEADER) / (h + CAPTION + GAP));

	if (rows < 1)
		rows = 1;
	if (!s->page || s->slot == rows * COLUMNS)
		new_page(s);
	if (!s->page)
		return -1;
	x = MARGIN + (s->slot % COLUMNS) * (w + GAP);
	y = PAGE_H - MARGIN - HEADER - (s->slot / COLUMNS + 1) * (h + CAPTION + GAP) + CAPTION + GAP;
	/* the sheet's edge, as it would be cut */
	HPDF_Page_SetRGBStroke(s->page, 0.6f, 0.6f, 0.6f);
	HPDF_Page_SetLineWidth(s->page, 0.5f);
	HPDF_Page_Rectangle(s->page, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)w, (HPDF_REAL)h);
	HPDF_Page_Stroke(s->page);
	if (cp_draw_tile(s->pdf, s->page, l, v, digital, x, y, scale) < 0)
		return -1;
	caption(s, a, x, y - 10, w);
	caption(s, b, x, y - 20, w);
	s->slot++;
	s->tiles++;
	return 0;
}

void cp_sheet_finish(struct cp_sheet *s)
{
	if (!s->page)
		new_page(s);
}
