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

_Static_assert(HPDF_MAJOR_VERSION == 2 && HPDF_MINOR_VERSION == 3 && HPDF_BUGFIX_VERSION == 0,
	       "certpress reaches into libharu 2.3.0's structures: check them for this version");

#endif
