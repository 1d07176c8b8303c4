/* libharu's own structures, which certpress reaches into where its public
 * API costs too much (pdffont.c, pdfdeflate.c, qr.c). They are libharu
 * 2.3.0's (Debian 12); the build stops on another version, to be checked. */
#ifndef CP_HARUPRIV_H
#define CP_HARUPRIV_H

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <string.h>

_Static_assert(HPDF_MAJOR_VERSION == 2 && HPDF_MINOR_VERSION == 3 && HPDF_BUGFIX_VERSION == 0,
	       "certpress reaches into libharu 2.3.0's structures: check them for this version");

/* A stream of certpress's own for libharu (its callback kind: libharu's
 * memory stream functions leave it alone), allocated from its memory
 * manager so that libharu can free it; the caller sets the functions. */
static inline HPDF_Stream cp_haru_stream(HPDF_MMgr m, HPDF_Error error, void *attr)
{
	HPDF_Stream s = HPDF_GetMem(m, sizeof(HPDF_Stream_Rec));

	if (!s)
		return NULL;
	memset(s, 0, sizeof(*s));
	s->sig_bytes = HPDF_STREAM_SIG_BYTES;
	s->type = HPDF_STREAM_CALLBACK;
	s->mmgr = m;
	s->error = error;
	s->attr = attr;
	return s;
}

#endif
