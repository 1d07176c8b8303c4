/* PDF/A-2b (ISO 19005-2, level B) for a libharu document about to be
 * saved: PDF 1.7, XMP metadata whose properties equal the Info dictionary's
 * (pdfaid part 2, conformance B; dc:title, dc:creator, dc:description,
 * pdf:Keywords, pdf:Producer, xmp:CreatorTool, xmp:CreateDate with its time
 * zone), and an OutputIntent with an sRGB profile. libharu's own PDF/A code
 * (HPDF_PDFA_SetPDFAConformance) knows PDF/A-1 only, writes /SubType where
 * the key is /Subtype, /DestOutputProfile with a trailing space, XMP text
 * without escaping, and an /ID shared by every file of one second. Part 2
 * rather than 1: a template's PNG with an alpha channel is a soft mask,
 * transparency PDF/A-1 forbids; PAdES signatures are defined on ISO
 * 32000-1, PDF/A-2's base. What must be true of the rest (every font
 * embedded, no encryption, a unique /ID) the caller keeps (pdf.c). */
#ifndef CP_PDFA_H
#define CP_PDFA_H

#include <hpdf.h>
#include <stddef.h>
#include <time.h>

/* An ICC profile, deflated once and used by every document of a process. */
struct cp_pdfa_icc {
	const unsigned char *data; /* the profile as handed over */
	size_t len;
	unsigned char *z;          /* deflated, made on first use */
	size_t zlen;
};

/* Make doc PDF/A-2b: its Info strings must be set already; date is its
 * CreationDate (the same instant, written as XMP's xmp:CreateDate). icc is
 * an RGB profile (sRGB). HPDF_OK or libharu's error. */
HPDF_STATUS cp_pdfa_prepare(HPDF_Doc doc, struct cp_pdfa_icc *icc, time_t date);
void cp_pdfa_icc_release(struct cp_pdfa_icc *icc);

#endif
