/* A QR code drawn as vector modules (libqrencode), with its quiet zone. */
#ifndef CP_QR_H
#define CP_QR_H

#include <hpdf.h>

/* Draw text as a QR code filling a square of side size points whose
 * top-left corner is (x, top) in PDF coordinates; level 0-3 is L, M, Q, H.
 * -1 if the text cannot be encoded. */
int cp_qr_draw(HPDF_Page page, const char *text, int level, double x, double top, double size,
	       unsigned rgb);

#endif
