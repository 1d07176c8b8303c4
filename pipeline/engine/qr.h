/* A QR code drawn as vector modules (libqrencode), with its quiet zone. */
#ifndef CP_QR_H
#define CP_QR_H

#include <hpdf.h>
#include <stdbool.h>

/* The last code made: the digital and print copies of a document carry the
 * same one. */
struct cp_qr_cache {
	char *text;
	int level;
	void *code; /* libqrencode's QRcode */
	char *runs; /* its modules as content stream text, made on first draw */
	size_t runs_len;
};

/* Draw text as a QR code filling a square of side size points whose
 * top-left corner is (x, top) in PDF coordinates; level 0-3 is L, M, Q, H.
 * cmyk: in DeviceCMYK (a print copy). -1 if the text cannot be encoded. */
int cp_qr_draw(struct cp_qr_cache *c, HPDF_Page page, const char *text, int level, double x,
	       double top, double size, unsigned rgb, bool cmyk);
void cp_qr_cache_release(struct cp_qr_cache *c);

#endif
