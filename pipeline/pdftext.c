/* Code page runs for libharu. The reverse tables (code point -> code page
 * and byte) come from libharu's encoders, so both sides agree by
 * construction. */
#include "pdftext.h"

#include <hpdf.h>
#include <stdint.h>
#include <string.h>

#include "msg.h"
#include "utf8.h"
#include "banned.h"

const char *const cp_pdftext_encoders[] = {
	"WinAnsiEncoding", "CP1250", "CP1251", "CP1253", "CP1254", "CP1257",
	"ISO8859-14", "ISO8859-16", "UTF-8",
};
const int cp_pdftext_nencoders = sizeof(cp_pdftext_encoders) / sizeof(*cp_pdftext_encoders);

/* For each BMP code point: (encoder index + 1) << 8 | byte, or 0. */
static uint16_t table[65536];

/* Code points whose glyph names in libharu's encodings read back as another
 * character (the Adobe Glyph List gives "Delta" to U+2206 first, "Omega" to
 * U+2126, "mu" to U+00B5, "Tcommaaccent" to U+0162): they go through the
 * UTF-8 encoder, whose ToUnicode map is exact. */
static const uint32_t ambiguous[] = { 0x0394, 0x03a9, 0x03bc, 0x021a, 0x021b };

static void quiet(HPDF_STATUS e, HPDF_STATUS d, void *u)
{
	(void)e;
	(void)d;
	(void)u;
}

int cp_pdftext_init(void)
{
	HPDF_Doc doc = HPDF_New(quiet, NULL);

	if (!doc)
		return cp_error("libharu cannot start");
	for (int e = 0; e < CP_ENC_UTF8; e++) {
		HPDF_Encoder enc = HPDF_GetEncoder(doc, cp_pdftext_encoders[e]);

		if (!enc) {
			HPDF_Free(doc);
			return cp_error("libharu has no encoder '%s'", cp_pdftext_encoders[e]);
		}
		for (unsigned code = 0x20; code <= 0xff; code++) {
			HPDF_UNICODE u = HPDF_Encoder_GetUnicode(enc, (HPDF_UINT16)code);

			if (u >= 0x20 && u != 0x7f && !table[u])
				table[u] = (uint16_t)((e + 1) << 8 | code);
		}
	}
	HPDF_Free(doc);
	for (size_t i = 0; i < sizeof(ambiguous) / sizeof(*ambiguous); i++)
		table[ambiguous[i]] = 0;
	return 0;
}

void cp_pdftext_split(const char *utf8, struct cp_runs *out)
{
	const unsigned char *p = (const unsigned char *)utf8;
	size_t left = strlen(utf8), used = 0;
	uint32_t cp;

	out->n = 0;
	while (left) {
		size_t len = cp_utf8_decode(p, left, &cp);
		int enc;
		unsigned char byte[4];
		size_t nbytes;

		if (!len) { /* never for validated text; skip a stray byte */
			p++;
			left--;
			continue;
		}
		if (cp < 0x80) {
			enc = out->n ? out->run[out->n - 1].enc : 0;
			byte[0] = (unsigned char)cp;
			nbytes = 1;
		} else if (cp < 0x10000 && table[cp]) {
			enc = (table[cp] >> 8) - 1;
			byte[0] = (unsigned char)(table[cp] & 0xff);
			nbytes = 1;
		} else {
			enc = CP_ENC_UTF8;
			memcpy(byte, p, len);
			nbytes = len;
		}
		if (cp < 0x20) /* no control reaches a page */
			goto next;
		if (used + nbytes + 2 > sizeof(out->buf))
			break;
		if (!out->n || out->run[out->n - 1].enc != enc) {
			if (out->n == CP_MAX_RUNS)
				break;
			if (out->n)
				out->buf[used++] = '\0';
			out->run[out->n].enc = enc;
			out->run[out->n].bytes = out->buf + used;
			out->n++;
		}
		memcpy(out->buf + used, byte, nbytes);
		used += nbytes;
next:
		p += len;
		left -= len;
	}
	if (out->n)
		out->buf[used] = '\0';
}
