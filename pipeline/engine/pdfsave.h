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

#include "engine/pdfdeflate.h"
#include "util/digest.h"

/* What HPDF_SaveToStream does (hpdf_doc.c: header, trailer, encryption,
 * cross-reference table and objects) into doc's own stream, with our /ID
 * where the document is encrypted. HPDF_OK or libharu's error code. */
HPDF_STATUS cp_pdf_save_stream(HPDF_Doc doc);

/* What a compact save wrote, for an incremental update after it. */
struct cp_pdf_saved {
	unsigned size;          /* the trailer's /Size: the next object number */
	unsigned long xref;     /* where its cross-reference stream starts */
	char id[33];            /* its /ID (both parts), in hex */
	/* the SHA-256 of the file up to xref, going on: the file's digest
	 * and the signature's are made from it (the caller ends or discards
	 * it; its ctx is NULL if the save failed) */
	struct cp_sha256 upto;
};
/* The same objects saved compactly (PDF 1.5, allowed by PDF/A-2, not by
 * PDF/A-1, never used for an encrypted document): the streams as they
 * are, every other object (dictionaries, arrays, the stream lengths) in
 * one deflated object stream, and a deflated cross-reference stream
 * instead of the table: about 4 KB less than libharu's layout, where each
 * object spends a line of 20 bytes and each stream's length an object of
 * its own. The /ID, both parts, is the first 16 bytes of the SHA-256 of
 * everything before the cross-reference stream, so of the content and the
 * Info strings (the reference among them): files that differ in anything
 * differ in it, and the same document under the same clock gets the same.
 * HPDF_OK or libharu's error code. */
HPDF_STATUS cp_pdf_save_compact(HPDF_Doc doc, struct cp_deflate *d, struct cp_pdf_saved *saved);

#endif
