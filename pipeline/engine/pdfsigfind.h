/* Finding a PAdES signature in a PDF as pdfsign.h writes one, to check it:
 * the first signature dictionary's /ByteRange and its /Contents, and
 * whether the ranges cover the whole file. It reads bytes only (no PDF
 * library parses the file): a hostile file gets a "no signature" answer,
 * never an out-of-range read. */
#ifndef CP_PDFSIGFIND_H
#define CP_PDFSIGFIND_H

#include <stdbool.h>
#include <stddef.h>

struct cp_pdfsig {
	size_t range[4];        /* /ByteRange: offset, length, offset, length */
	unsigned char *der;     /* /Contents decoded (caller frees) */
	size_t der_len;
	bool whole;             /* the ranges run from 0 to the end of the file */
	size_t after;           /* bytes after the second range (appended) */
};

/* The first signature of buf (a whole file): 1 found (sig filled, its
 * ranges inside the file around a hex string), 0 none (why says so). */
int cp_pdfsig_find(const unsigned char *buf, size_t len, struct cp_pdfsig *sig, const char **why);
void cp_pdfsig_release(struct cp_pdfsig *sig);

/* The value of the first <pdf:Keywords> (the reference pdfa.c writes into
 * the XMP) inside the first n bytes of buf, copied into out (size outn):
 * true if there is one that fits. */
bool cp_pdfsig_keywords(const unsigned char *buf, size_t n, char *out, size_t outn);

#endif
