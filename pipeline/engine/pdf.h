/* PDFs made with libharu, one after another in one libharu document object:
 * the subset fonts are loaded when it is made and stay loaded (pdffont.h),
 * images are read once, text is measured and drawn as glyph ids (pdftype0),
 * and each finished document is saved to memory: as PDF/A-2b (pdfa.h) and
 * signed (pdfsign.h), or encrypted with an owner password, or plain. */
#ifndef CP_PDF_H
#define CP_PDF_H

#include <hpdf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/layout.h"
#include "engine/pdfa.h"
#include "engine/pdffont.h"
#include "engine/pdfsign.h"
#include "engine/pdftype0.h"
#include "engine/qr.h"

#define CP_PDF_MAX_IMAGES 16

struct cp_pdf {
	HPDF_Doc doc;
	HPDF_STATUS error;     /* the first libharu error, 0 if none */
	HPDF_STATUS detail;
	bool fresh;            /* doc is new: no document begun in it yet */
	const struct cp_fontset *fonts;
	struct cp_pdffont font[CP_MAX_FONTS];
	struct cp_qr_cache qr;
	struct cp_deflate deflate;
	bool cmyk;             /* drawing a print copy: DeviceCMYK only (PDF/X-1a) */
	unsigned char *out;    /* the document being saved */
	size_t out_len, out_cap;
	struct cp_pdfa_icc icc; /* PDF/A's output profile (cp_pdf_set_icc) */
	/* this document's */
	struct cp_type0 type0[CP_MAX_FONTS];
	const struct cp_image *image_src[CP_PDF_MAX_IMAGES];
	HPDF_Image image[CP_PDF_MAX_IMAGES];
	int nimages;
	struct cp_pdf_seal seal; /* where the template put a visible seal */
};

struct cp_pdf_info {
	const char *title, *subject, *author, *keywords;
	const char *owner_password; /* NULL: no encryption (print copies) */
	bool pdfa;                  /* PDF/A-2b (never with owner_password) */
	struct cp_cms_signer *signer;   /* sign it (PDF/A only), or NULL */
	char *sha256; /* where the saved file's SHA-256 goes (hex, 65 bytes), or NULL */
	/* a print copy: PDF/X-1a:2003's keys, the output intent naming this
	 * print condition (FOGRA39); NULL for none */
	const char *pdfx_condition;
};

/* Ready to make documents with these fonts, each loaded from its subset
 * file now (measuring and drawing read no file); then cp_pdf_begin, draw,
 * cp_pdf_save, as many times as needed, and cp_pdf_free. A font that cannot
 * be loaded is reported here and fails every document drawn with it. */
int cp_pdf_new(struct cp_pdf *p, const struct cp_fontset *fonts, char *const *subset);
/* The RGB ICC profile (sRGB) of every PDF/A document made: the bytes must
 * outlive p. */
void cp_pdf_set_icc(struct cp_pdf *p, const unsigned char *icc, size_t len);
/* Start a new, empty document. 0 or -1 with a message. */
int cp_pdf_begin(struct cp_pdf *p);
/* A print copy's page boxes, as PDF/X asks: TrimBox the paper (w by h
 * points, the MediaBox) and a BleedBox (the same: security paper is cut
 * before it is printed, nothing bleeds). 0 or -1. */
int cp_pdf_trim(struct cp_pdf *p, HPDF_Page page, double w, double h);
/* Width of n bytes of UTF-8 text in a font, in thousandths of an em. */
long cp_pdf_text_units(struct cp_pdf *p, int font, const char *utf8, size_t n);
/* Width in points of UTF-8 text in a font at a size. */
double cp_pdf_text_width(struct cp_pdf *p, int font, double size, const char *utf8);
/* Draw UTF-8 text with its baseline starting at (x, y), PDF coordinates,
 * rotated by angle degrees. */
void cp_pdf_show(struct cp_pdf *p, HPDF_Page page, int font, double size, double x, double y,
		 double angle, const char *utf8);
/* Draw a line of words from (x, y), the gaps between them stretched so it
 * is width wide (one text object: the spaces are drawn, then moved). */
void cp_pdf_show_justified(struct cp_pdf *p, HPDF_Page page, int font, double size, double x,
			   double y, double width, const char *line);
/* The image in this document, loaded into it on first use from the bytes
 * its template checked (image.h). NULL, with the document's error set, if
 * libharu fails. */
HPDF_Image cp_pdf_image(struct cp_pdf *p, const struct cp_image *img);
/* Save the document to memory (caller frees *buf): PDF/A with a unique
 * /ID if info says so, then signed if it has a signer (the signed file is
 * what *buf holds). 0 or -1 with a message; either way the next document
 * can begin. */
int cp_pdf_save(struct cp_pdf *p, const struct cp_pdf_info *info, unsigned char **buf,
		size_t *len);
void cp_pdf_free(struct cp_pdf *p);

#endif
