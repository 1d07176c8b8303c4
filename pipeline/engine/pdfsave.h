/* Saving a libharu document with a file identifier of ours. libharu 2.3.0
 * makes the /ID of an encrypted document (the digital copy) MD5 of time()
 * and the Info strings, and derives the RC4 key from it: the same document
 * saved a second later differed in every encrypted string and stream. Ours
 * is MD5 of the Info strings (the document's title, subject and keywords
 * name its reference), its CreationDate (the project's clock, see
 * cp_clock_output) and its number of objects: the same document under the
 * same clock gives the same bytes. */
#ifndef CP_PDFSAVE_H
#define CP_PDFSAVE_H

#include <hpdf.h>

/* What HPDF_SaveToStream does (hpdf_doc.c: header, trailer, encryption,
 * cross-reference table and objects) into doc's own stream, with our /ID
 * where the document is encrypted. HPDF_OK or libharu's error code. */
HPDF_STATUS cp_pdf_save_stream(HPDF_Doc doc);

#endif
