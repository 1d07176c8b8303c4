/* The layout engine's drawing: coordinates in templates are from the top
 * left of the page; PDF's are from the bottom left. */
#include "engine/draw.h"

#include "engine/colour.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/msg.h"
#include "engine/qr.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct row {
	double h;
	int page;
	int *nlines;   /* per column */
	char ***lines; /* per column */
};

struct table {
	const struct cp_element *e;
	struct row *rows;
	size_t nrows;
	double header_h;
	int pages;
};

/* Colours and line widths are written only when they change: most
 * elements share them, and each costs bytes to write and to deflate. A
 * print copy (p->cmyk) is drawn in DeviceCMYK only, as PDF/X-1a asks: the
 * templates' sRGB colours converted once each by the naive formula (no
 * profile: the printing house's output intent decides how ink looks). */
static HPDF_RGBColor rgb(uint32_t c)
{
	return (HPDF_RGBColor){ ((c >> 16) & 255) / 255.0f, ((c >> 8) & 255) / 255.0f,
				(c & 255) / 255.0f };
}

static bool same(HPDF_ColorSpace space, HPDF_RGBColor now, HPDF_RGBColor want)
{
	return space == HPDF_CS_DEVICE_RGB && now.r == want.r && now.g == want.g &&
	       now.b == want.b;
}

static bool same_cmyk(HPDF_ColorSpace space, HPDF_CMYKColor now, HPDF_CMYKColor want)
{
	return space == HPDF_CS_DEVICE_CMYK && now.c == want.c && now.m == want.m &&
	       now.y == want.y && now.k == want.k;
}

static void fill_rgb(const struct cp_pdf *p, HPDF_Page page, uint32_t c)
{
	HPDF_RGBColor want = rgb(c);

	if (p->cmyk) {
		HPDF_CMYKColor k = cp_colour_cmyk(c);

		if (!same_cmyk(HPDF_Page_GetFillingColorSpace(page), HPDF_Page_GetCMYKFill(page), k))
			HPDF_Page_SetCMYKFill(page, k.c, k.m, k.y, k.k);
	} else if (!same(HPDF_Page_GetFillingColorSpace(page), HPDF_Page_GetRGBFill(page), want))
		HPDF_Page_SetRGBFill(page, want.r, want.g, want.b);
}

static void stroke_rgb(const struct cp_pdf *p, HPDF_Page page, uint32_t c)
{
	HPDF_RGBColor want = rgb(c);

	if (p->cmyk) {
		HPDF_CMYKColor k = cp_colour_cmyk(c);

		if (!same_cmyk(HPDF_Page_GetStrokingColorSpace(page), HPDF_Page_GetCMYKStroke(page),
			       k))
			HPDF_Page_SetCMYKStroke(page, k.c, k.m, k.y, k.k);
	} else if (!same(HPDF_Page_GetStrokingColorSpace(page), HPDF_Page_GetRGBStroke(page),
			 want))
		HPDF_Page_SetRGBStroke(page, want.r, want.g, want.b);
}

static void line_width(HPDF_Page page, double w)
{
	if (HPDF_Page_GetLineWidth(page) != (HPDF_REAL)w)
		HPDF_Page_SetLineWidth(page, (HPDF_REAL)w);
}

/* Byte length of the UTF-8 character at s. */
static size_t char_len(const char *s)
{
	uint32_t cp;
	size_t n = cp_utf8_decode((const unsigned char *)s, strlen(s), &cp);

	return n ? n : 1;
}

static void push_line(char ***lines, int *n, const char *s, size_t len)
{
	*lines = cp_xrealloc(*lines, (size_t)(*n + 1) * sizeof(**lines));
	(*lines)[(*n)++] = cp_xstrndup(s, len);
}

int cp_draw_wrap(struct cp_pdf *p, int font, double size, const char *text, double width,
		 char ***lines)
{
	size_t len = strlen(text), start = 0;
	int n = 0;

	/* widths add up (no kerning): a line is measured as it grows, in
	 * thousandths of an em, so the sum is exact */
	*lines = NULL;
	while (start < len) {
		size_t end, best;
		long units = 0;

		while (text[start] == ' ')
			start++;
		best = start;
		/* extend word by word while the line fits */
		for (end = start; end <= len;) {
			size_t next = end;
			long more;

			while (next < len && text[next] == ' ')
				next++;
			while (next < len && text[next] != ' ')
				next += char_len(text + next);
			more = cp_pdf_text_units(p, font, text + end, next - end);
			if ((double)(units + more) * size / 1000.0 > width) {
				if (best == start) { /* one word wider than the line: cut it */
					size_t k = start;

					while (k < next) {
						size_t c = char_len(text + k);
						long one = cp_pdf_text_units(p, font, text + k, c);

						if (k > start && (double)(units + one) * size / 1000.0 > width)
							break;
						units += one;
						k += c;
					}
					best = k;
				}
				break;
			}
			units += more;
			best = next;
			if (next >= len)
				break;
			end = next;
		}
		if (best == start)
			best = start + char_len(text + start);
		push_line(lines, &n, text + start, best - start);
		start = best;
	}
	if (!n)
		push_line(lines, &n, "", 0);
	return n;
}

static void free_lines(char **lines, int n)
{
	for (int i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

static double aligned_x(enum cp_align a, double x, double w, double tw)
{
	if (a == CP_CENTER)
		return w > 0 ? x + (w - tw) / 2 : x - tw / 2;
	if (a == CP_RIGHT)
		return w > 0 ? x + w - tw : x - tw;
	return x;
}

/* <text>: one line, shrunk to fit its width down to min-size, then wrapped
 * (lines centred on y). */
static void draw_text(struct cp_pdf *p, HPDF_Page page, const struct cp_layout *l,
		      const struct cp_element *e, const char *s)
{
	/* a width grows with the size: measure once at 1 pt */
	double unit = cp_pdf_text_width(p, e->font, 1, s);
	double size = e->size, y = l->page_h - e->y;
	char **lines;
	int n;

	fill_rgb(p, page, e->color);
	if (e->w > 0)
		while (size > e->min_size && unit * size > e->w)
			size -= 0.25;
	if (e->w <= 0 || unit * size <= e->w) {
		double tw = unit * size, x;

		if (e->angle != 0 && e->w <= 0) {
			/* rotate about the anchor: move the start along the baseline */
			double rad = e->angle * M_PI / 180.0;
			double back = e->align == CP_CENTER ? tw / 2 : e->align == CP_RIGHT ? tw : 0;

			cp_pdf_show(p, page, e->font, size, e->x - back * cos(rad),
				    y - back * sin(rad), e->angle, s);
			return;
		}
		x = aligned_x(e->align, e->x, e->w, tw);
		cp_pdf_show(p, page, e->font, size, x, y, e->angle, s);
		return;
	}
	n = cp_draw_wrap(p, e->font, size, s, e->w, &lines);
	y += (n - 1) * size * 1.15 / 2;
	for (int i = 0; i < n; i++, y -= size * 1.15)
		cp_pdf_show(p, page, e->font, size,
			    aligned_x(e->align, e->x, e->w,
				      cp_pdf_text_width(p, e->font, size, lines[i])),
			    y, 0, lines[i]);
	free_lines(lines, n);
}

/* <paragraph>: wrapped, justified if asked (each word placed), flowing down
 * from the previous paragraph when it has no y. Returns where it ended. */
static double draw_paragraph(struct cp_pdf *p, HPDF_Page page, const struct cp_layout *l,
			     const struct cp_element *e, const char *s, double cursor)
{
	double lead = e->size * e->leading;
	double top = e->y >= 0 ? e->y : cursor + e->space_before;
	double y = l->page_h - top - e->size;
	char **lines;
	int n = cp_draw_wrap(p, e->font, e->size, s, e->w, &lines);

	fill_rgb(p, page, e->color);
	for (int i = 0; i < n; i++, y -= lead) {
		if (e->align == CP_JUSTIFY && i + 1 < n && strchr(lines[i], ' ')) {
			cp_pdf_show_justified(p, page, e->font, e->size, e->x, y, e->w, lines[i]);
		} else {
			cp_pdf_show(p, page, e->font, e->size,
				    aligned_x(e->align == CP_JUSTIFY ? CP_LEFT : e->align, e->x, e->w,
					      cp_pdf_text_width(p, e->font, e->size, lines[i])),
				    y, 0, lines[i]);
		}
	}
	free_lines(lines, n);
	return top + (n - 1) * lead + e->size * 1.3;
}

/* Measure every row and give it a page. */
static void table_layout(struct cp_pdf *p, const struct cp_element *e, struct cp_values *v,
			 struct table *t)
{
	double line_h = e->size * 1.2, y;
	int page = 0;

	memset(t, 0, sizeof(*t));
	t->e = e;
	t->header_h = e->row_h;
	t->nrows = v->nunits;
	t->rows = cp_xcalloc(t->nrows ? t->nrows : 1, sizeof(*t->rows));
	y = e->y + t->header_h;
	for (size_t r = 0; r < t->nrows; r++) {
		struct row *row = &t->rows[r];

		row->nlines = cp_xcalloc(e->ncols, sizeof(int));
		row->lines = cp_xcalloc(e->ncols, sizeof(char **));
		row->h = e->row_h;
		for (size_t c = 0; c < e->ncols; c++) {
			char *s = cp_text_expand(&e->cols[c].value, v, &v->units[r]);

			row->nlines[c] = cp_draw_wrap(p, e->font, e->size, s,
						      e->cols[c].width - 2 * e->pad, &row->lines[c]);
			if (row->nlines[c] * line_h + e->pad * 1.2 > row->h)
				row->h = row->nlines[c] * line_h + e->pad * 1.2;
			free(s);
		}
		if (y + row->h > e->bottom && r > 0) {
			page++;
			y = e->continue_y + t->header_h;
		}
		row->page = page;
		y += row->h;
	}
	t->pages = page + 1;
}

static void table_free(struct table *t)
{
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->e->ncols; c++)
			free_lines(t->rows[r].lines[c], t->rows[r].nlines[c]);
		free(t->rows[r].nlines);
		free(t->rows[r].lines);
	}
	free(t->rows);
}

static void cell_text(struct cp_pdf *p, HPDF_Page page, const struct cp_element *e,
		      const struct cp_column *col, int font, double x, double top,
		      char **lines, int n)
{
	double y = top - e->pad * 0.6 - e->size;

	for (int i = 0; i < n; i++, y -= e->size * 1.2) {
		double tw = cp_pdf_text_width(p, font, e->size, lines[i]);

		cp_pdf_show(p, page, font, e->size,
			    aligned_x(col->align, x + e->pad, col->width - 2 * e->pad, tw), y, 0,
			    lines[i]);
	}
}

static void draw_table(struct cp_pdf *p, HPDF_Page page, const struct cp_layout *l,
		       const struct table *t, struct cp_values *v, int pageno)
{
	const struct cp_element *e = t->e;
	double top = l->page_h - (pageno == 0 ? e->y : e->continue_y), x;

	/* header */
	fill_rgb(p, page, e->header_fill);
	HPDF_Page_Rectangle(page, (HPDF_REAL)e->x, (HPDF_REAL)(top - t->header_h), (HPDF_REAL)e->w,
			    (HPDF_REAL)t->header_h);
	HPDF_Page_Fill(page);
	fill_rgb(p, page, e->color);
	x = e->x;
	for (size_t c = 0; c < e->ncols; c++) {
		char *title = cp_text_expand(&e->cols[c].title, v, NULL);

		cell_text(p, page, e, &e->cols[c], e->header_font, x, top, &title, 1);
		free(title);
		x += e->cols[c].width;
	}
	top -= t->header_h;
	stroke_rgb(p, page, e->rule);
	line_width(page, 0.5);
	for (size_t r = 0; r < t->nrows; r++) {
		const struct row *row = &t->rows[r];

		if (row->page != pageno)
			continue;
		fill_rgb(p, page, e->color);
		x = e->x;
		for (size_t c = 0; c < e->ncols; c++) {
			cell_text(p, page, e, &e->cols[c], e->font, x, top, row->lines[c],
				  row->nlines[c]);
			x += e->cols[c].width;
		}
		top -= row->h;
		HPDF_Page_MoveTo(page, (HPDF_REAL)e->x, (HPDF_REAL)top);
		HPDF_Page_LineTo(page, (HPDF_REAL)(e->x + e->w), (HPDF_REAL)top);
		HPDF_Page_Stroke(page);
	}
}

static int shown(const struct cp_element *e, const struct cp_values *v, int digital, int page)
{
	if ((e->mode == CP_MODE_DIGITAL && !digital) || (e->mode == CP_MODE_PRINT && digital))
		return 0;
	if ((e->pages == CP_PAGES_FIRST && page) || (e->pages == CP_PAGES_REST && !page))
		return 0;
	return e->cond < 0 || (v->v[e->cond] && *v->v[e->cond]);
}

static void draw_rect(const struct cp_pdf *p, HPDF_Page page, const struct cp_layout *l,
		      const struct cp_element *e)
{
	/* colours first: libharu refuses them once a path is open */
	fill_rgb(p, page, e->fill);
	stroke_rgb(p, page, e->color);
	HPDF_Page_Rectangle(page, (HPDF_REAL)e->x, (HPDF_REAL)(l->page_h - e->y - e->h),
			    (HPDF_REAL)e->w, (HPDF_REAL)e->h);
	if (e->filled && e->stroke)
		HPDF_Page_FillStroke(page);
	else if (e->filled)
		HPDF_Page_Fill(page);
	else
		HPDF_Page_Stroke(page);
}

static void draw_line(const struct cp_pdf *p, HPDF_Page page, const struct cp_layout *l,
		      const struct cp_element *e)
{
	stroke_rgb(p, page, e->color);
	HPDF_Page_MoveTo(page, (HPDF_REAL)e->x, (HPDF_REAL)(l->page_h - e->y));
	HPDF_Page_LineTo(page, (HPDF_REAL)e->x2, (HPDF_REAL)(l->page_h - e->y2));
	HPDF_Page_Stroke(page);
}

static void draw_image(struct cp_pdf *p, HPDF_Page page, const struct cp_layout *l,
		       const struct cp_element *e)
{
	HPDF_Image img = cp_pdf_image(p, &e->image);

	/* checked when the template loaded: never left out quietly */
	if (!img)
		cp_error("%s:%ld: image '%s': libharu cannot load it", l->path, e->line, e->src);
	else
		HPDF_Page_DrawImage(page, img, (HPDF_REAL)e->x,
				    (HPDF_REAL)(l->page_h - e->y - e->h), (HPDF_REAL)e->w,
				    (HPDF_REAL)e->h);
}

static void draw_qr(struct cp_pdf *p, HPDF_Page page, const struct cp_layout *l,
		    const struct cp_element *e, const struct cp_values *v)
{
	if (cp_qr_draw(&p->qr, page, v->v[CP_B_VERIFY_URL] ? v->v[CP_B_VERIFY_URL] : "",
		       e->qr_level, e->x, l->page_h - e->y, e->w, e->color, p->cmyk) < 0)
		p->error = p->error ? p->error : 1;
}

/* One element on page pg (from 0); *cursor is where the last paragraph
 * ended, for the next one. */
static void draw_element(struct cp_pdf *p, HPDF_Page page, const struct cp_layout *l,
			 const struct cp_element *e, struct cp_values *v, const struct table *t,
			 int pg, double *cursor)
{
	char *s = NULL;

	line_width(page, e->line_width);
	switch (e->kind) {
	case CP_EL_TEXT:
		s = cp_text_expand(&e->text, v, NULL);
		draw_text(p, page, l, e, s);
		break;
	case CP_EL_PARAGRAPH:
		s = cp_text_expand(&e->text, v, NULL);
		*cursor = draw_paragraph(p, page, l, e, s, *cursor);
		break;
	case CP_EL_RECT:
		draw_rect(p, page, l, e);
		break;
	case CP_EL_LINE:
		draw_line(p, page, l, e);
		break;
	case CP_EL_IMAGE:
		draw_image(p, page, l, e);
		break;
	case CP_EL_QR:
		draw_qr(p, page, l, e, v);
		break;
	case CP_EL_TABLE:
		draw_table(p, page, l, t, v, pg);
		break;
	case CP_EL_SEAL: /* nothing drawn (place_seal): the template draws the seal */
		break;
	}
	free(s);
}

/* Page pg of the layout's elements onto page (its table laid out in t). */
static void draw_elements(struct cp_pdf *p, HPDF_Page page, const struct cp_layout *l,
			  struct table *t, struct cp_values *v, int digital, int pg)
{
	double cursor = 0;

	for (size_t i = 0; i < l->nel; i++)
		if (shown(&l->el[i], v, digital, pg))
			draw_element(p, page, l, &l->el[i], v, t, pg, &cursor);
}

/* Where a digital copy's signature widget goes when it is signed: the
 * first <seal> shown, on page pg (from 0), in the page's coordinates (so
 * not in a scaled tile: cp_draw only). */
static void place_seal(struct cp_pdf *p, const struct cp_layout *l, const struct cp_values *v,
		       int digital, int pg)
{
	for (size_t i = 0; digital && !p->seal.set && i < l->nel; i++) {
		const struct cp_element *e = &l->el[i];

		if (e->kind == CP_EL_SEAL && shown(e, v, digital, pg))
			p->seal = (struct cp_pdf_seal){ true, (unsigned)pg, e->x,
							l->page_h - e->y - e->h, e->w, e->h };
	}
}

/* The layout's table laid out into t (its pages counted), if it has one. */
static const struct cp_element *layout_table(struct cp_pdf *p, const struct cp_layout *l,
					     struct cp_values *v, struct table *t, int *npages)
{
	const struct cp_element *table = NULL;

	*npages = 1;
	for (size_t i = 0; i < l->nel; i++)
		if (l->el[i].kind == CP_EL_TABLE)
			table = &l->el[i];
	if (table) {
		table_layout(p, table, v, t);
		*npages = t->pages;
	}
	return table;
}

int cp_draw(struct cp_pdf *p, const struct cp_layout *l, struct cp_values *v, int digital)
{
	struct table t = { 0 };
	char pageno[16], pages[16];
	int npages;
	const struct cp_element *table = layout_table(p, l, v, &t, &npages);

	snprintf(pages, sizeof(pages), "%d", npages);
	v->v[CP_B_PAGES] = pages;
	p->cmyk = !digital;
	for (int pg = 0; pg < npages; pg++) {
		HPDF_Page page = HPDF_AddPage(p->doc);

		if (!page)
			break;
		HPDF_Page_SetWidth(page, (HPDF_REAL)l->page_w);
		HPDF_Page_SetHeight(page, (HPDF_REAL)l->page_h);
		if (!digital && cp_pdf_trim(p, page, l->page_w, l->page_h) < 0)
			break;
		snprintf(pageno, sizeof(pageno), "%d", pg + 1);
		v->v[CP_B_PAGE] = pageno;
		draw_elements(p, page, l, &t, v, digital, pg);
		place_seal(p, l, v, digital, pg);
	}
	if (table)
		table_free(&t);
	/* they pointed at this function's buffers */
	v->v[CP_B_PAGE] = NULL;
	v->v[CP_B_PAGES] = NULL;
	return p->error ? -1 : npages;
}

int cp_draw_tile(struct cp_pdf *p, HPDF_Page page, const struct cp_layout *l,
		 struct cp_values *v, int digital, double x, double y, double scale)
{
	struct table t = { 0 };
	char pages[16];
	int npages;
	const struct cp_element *table = layout_table(p, l, v, &t, &npages);

	snprintf(pages, sizeof(pages), "%d", npages);
	v->v[CP_B_PAGES] = pages;
	v->v[CP_B_PAGE] = "1";
	p->cmyk = false; /* a proof sheet is looked at, not printed on security paper */
	/* the page drawn as it is, in a coordinate system scaled and moved */
	HPDF_Page_GSave(page);
	HPDF_Page_Concat(page, (HPDF_REAL)scale, 0, 0, (HPDF_REAL)scale, (HPDF_REAL)x,
			 (HPDF_REAL)y);
	draw_elements(p, page, l, &t, v, digital, 0);
	HPDF_Page_GRestore(page);
	v->v[CP_B_PAGE] = NULL;
	v->v[CP_B_PAGES] = NULL;
	if (table)
		table_free(&t);
	return p->error ? -1 : 0;
}
