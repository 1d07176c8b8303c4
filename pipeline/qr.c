/* QR modules merged into horizontal runs: one rectangle per run, one fill
 * for the whole code, so the PDF stays small and any scanner reads it. */
#include "qr.h"

#include <qrencode.h>

#include "msg.h"
#include "banned.h"

#define QUIET 4 /* modules of white around the code, as ISO 18004 asks */

int cp_qr_draw(HPDF_Page page, const char *text, int level, double x, double top, double size,
	       unsigned rgb)
{
	static const QRecLevel levels[] = { QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q,
					    QR_ECLEVEL_H };
	QRcode *q = QRcode_encodeString(text, 0, levels[level & 3], QR_MODE_8, 1);
	double m;

	if (!q)
		return cp_error("cannot make a QR code of '%s'", text);
	m = size / (q->width + 2 * QUIET);
	HPDF_Page_SetRGBFill(page, 1, 1, 1);
	HPDF_Page_Rectangle(page, (HPDF_REAL)x, (HPDF_REAL)(top - size), (HPDF_REAL)size,
			    (HPDF_REAL)size);
	HPDF_Page_Fill(page);
	HPDF_Page_SetRGBFill(page, ((rgb >> 16) & 255) / 255.0f, ((rgb >> 8) & 255) / 255.0f,
			     (rgb & 255) / 255.0f);
	for (int row = 0; row < q->width; row++) {
		for (int col = 0; col < q->width;) {
			int run = 0;

			while (col + run < q->width && (q->data[row * q->width + col + run] & 1))
				run++;
			if (run) {
				HPDF_Page_Rectangle(page, (HPDF_REAL)(x + (QUIET + col) * m),
						    (HPDF_REAL)(top - (QUIET + row + 1) * m),
						    (HPDF_REAL)(run * m), (HPDF_REAL)m);
				col += run;
			} else {
				col++;
			}
		}
	}
	HPDF_Page_Fill(page);
	QRcode_free(q);
	return 0;
}
