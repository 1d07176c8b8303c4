/* One PDF being made with libharu: the batch's subset fonts loaded on first
 * use, text drawn and measured as code-page runs (pdftext), images, and the
 * finished document saved to memory, encrypted with an owner password for a
 * digital copy. */
#ifndef CP_PDF_H
#define CP_PDF_H

#include <hpdf.h>
#include <stdbool.h>
#include <stddef.h>

#include "layout.h"
#include "pdftext.h"

#define CP_PDF_MAX_IMAGES 16

struct cp_pdf {
	HPDF_Doc doc;
	HPDF_STATUS error;     /* the first libharu error, 0 if none */
	HPDF_STATUS detail;
	const struct cp_fontset *fonts;
	char *const *subset;   /* the subset file of each font */
	const char *name[CP_MAX_FONTS];
	HPDF_Font handle[CP_MAX_FONTS][16];
	bool utf8_on;
	const char *image_src[CP_PDF_MAX_IMAGES];
	HPDF_Image image[CP_PDF_MAX_IMAGES];
	int nimages;
};

struct cp_pdf_info {
	const char *title, *subject, *author, *keywords;
	const char *owner_password; /* NULL: no encryption (print copies) */
};

int cp_pdf_new(struct cp_pdf *p, const struct cp_fontset *fonts, char *const *subset);
/* Width in points of UTF-8 text in a font at a size. */
double cp_pdf_text_width(struct cp_pdf *p, int font, double size, const char *utf8);
/* Draw UTF-8 text with its baseline starting at (x, y), PDF coordinates,
 * rotated by angle degrees. */
void cp_pdf_show(struct cp_pdf *p, HPDF_Page page, int font, double size, double x, double y,
		 double angle, const char *utf8);
HPDF_Image cp_pdf_image(struct cp_pdf *p, const char *path);
/* Save to memory (caller frees *buf) and free the document. */
int cp_pdf_save(struct cp_pdf *p, const struct cp_pdf_info *info, unsigned char **buf,
		size_t *len);
void cp_pdf_free(struct cp_pdf *p);

#endif
