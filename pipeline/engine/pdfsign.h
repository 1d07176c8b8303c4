/* A PAdES baseline signature appended to a saved PDF as an incremental
 * update (ISO 32000-1 7.5.6): the catalog again with /AcroForm (/SigFlags
 * 3), the page carrying the signature field's widget again with /Annots,
 * the field and widget, the signature dictionary (/Filter /Adobe.PPKLite,
 * /SubFilter /ETSI.CAdES.detached, /M), a new cross-reference section and
 * a trailer with /Prev. The /ByteRange is written at a fixed width and set
 * in place once the file's length is known, and covers the whole file but
 * the /Contents string, whose size is reserved before signing; nothing is
 * written after the signature. */
#ifndef CP_PDFSIGN_H
#define CP_PDFSIGN_H

#include <hpdf.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "engine/pdfsave.h"
#include "util/cmssign.h"

/* Where a template placed a visible seal: the widget's rectangle on a page
 * (PDF coordinates, points). Without one the widget is invisible (a zero
 * rectangle on the first page). */
struct cp_pdf_seal {
	bool set;
	unsigned page; /* 0: the first */
	double x, y, w, h;
};

/* Sign doc, just saved compactly (saved says how) into *buf (*len bytes,
 * *cap allocated; the buffer grows), at when (the /M date). The update's
 * cross-reference section is a stream too, as the first revision's. The
 * signature's digest goes on from saved->upto (ended here, whatever
 * happens), and so does the signed file's, into sha when it is not NULL.
 * 0, or -1 with a message. */
int cp_pdfsign_append(HPDF_Doc doc, struct cp_pdf_saved *saved, const struct cp_pdf_seal *seal,
		      struct cp_cms_signer *s, time_t when, unsigned char **buf, size_t *len,
		      size_t *cap, char *sha);

#endif
