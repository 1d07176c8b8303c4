/* QR modules merged into horizontal runs: one rectangle per run, one fill
 * for the whole code, so the PDF stays small and any scanner reads it. The
 * runs are drawn in module units under a scaling matrix: whole numbers, a
 * third of the bytes of page coordinates, written straight into the page's
 * content stream (HPDF_Page_Rectangle formats four reals and clears a
 * buffer for each of a few hundred rectangles). */
#include "engine/qr.h"

#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

#include "engine/colour.h"
#include "engine/harupriv.h"
#include "util/msg.h"
#include "engine/pdfnum.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define QUIET 4 /* modules of white around the code, as ISO 18004 asks */

static QRcode *encode(struct cp_qr_cache *c, const char *text, int level)
{
	static const QRecLevel levels[] = { QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q,
					    QR_ECLEVEL_H };
	QRcode *q;

	if (c->code && c->level == level && !strcmp(c->text, text))
		return c->code;
	q = QRcode_encodeString(text, 0, levels[level & 3], QR_MODE_8, 1);
	if (!q)
		return NULL;
	cp_qr_cache_release(c);
	c->text = cp_xstrdup(text);
	c->level = level;
	c->code = q;
	return q;
}

/* The code's dark modules as "col row run 1 re" lines, once per code (the
 * print copy draws the digital copy's). */
static void make_runs(struct cp_qr_cache *c, const QRcode *q)
{
	size_t cap = (size_t)q->width * (size_t)q->width * 10 + 1, used = 0;

	c->runs = cp_xmalloc(cap);
	for (int row = 0; row < q->width; row++)
		for (int col = 0; col < q->width;) {
			int run = 0;

			while (col + run < q->width && (q->data[row * q->width + col + run] & 1))
				run++;
			if (!run) {
				col++;
				continue;
			}
			used += cp_pdfnum_int(c->runs + used, col);
			c->runs[used++] = ' ';
			used += cp_pdfnum_int(c->runs + used, q->width - 1 - row);
			c->runs[used++] = ' ';
			used += cp_pdfnum_int(c->runs + used, run);
			memcpy(c->runs + used, " 1 re\n", 6);
			used += 6;
			col += run;
		}
	c->runs_len = used;
}

int cp_qr_draw(struct cp_qr_cache *c, HPDF_Page page, const char *text, int level, double x,
	       double top, double size, unsigned rgb, bool cmyk)
{
	QRcode *q = encode(c, text, level);
	double m;

	if (!q)
		return cp_error("cannot make a QR code of '%s'", text);
	m = size / (q->width + 2 * QUIET);
	if (cmyk)
		HPDF_Page_SetCMYKFill(page, 0, 0, 0, 0);
	else
		HPDF_Page_SetRGBFill(page, 1, 1, 1);
	HPDF_Page_Rectangle(page, (HPDF_REAL)x, (HPDF_REAL)(top - size), (HPDF_REAL)size,
			    (HPDF_REAL)size);
	HPDF_Page_Fill(page);
	HPDF_Page_GSave(page);
	/* module (col, row) is the unit square at (col, width - 1 - row) */
	HPDF_Page_Concat(page, (HPDF_REAL)m, 0, 0, (HPDF_REAL)m, (HPDF_REAL)(x + QUIET * m),
			 (HPDF_REAL)(top - (QUIET + q->width) * m));
	if (cmyk) {
		HPDF_CMYKColor k = cp_colour_cmyk(rgb);

		HPDF_Page_SetCMYKFill(page, k.c, k.m, k.y, k.k);
	} else
		HPDF_Page_SetRGBFill(page, ((rgb >> 16) & 255) / 255.0f,
				     ((rgb >> 8) & 255) / 255.0f, (rgb & 255) / 255.0f);
	/* The first through libharu, to put the page in path mode. */
	HPDF_Page_Rectangle(page, 0, 0, 0, 0);
	if (!c->runs)
		make_runs(c, q);
	HPDF_Stream_Write(((HPDF_PageAttr)page->attr)->stream, (const HPDF_BYTE *)c->runs,
			  (HPDF_UINT)c->runs_len);
	HPDF_Page_Fill(page);
	HPDF_Page_GRestore(page);
	return 0;
}

void cp_qr_cache_release(struct cp_qr_cache *c)
{
	if (c->code)
		QRcode_free(c->code);
	free(c->text);
	free(c->runs);
	memset(c, 0, sizeof(*c));
}
