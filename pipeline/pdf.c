/* libharu wrapper. libharu reports errors through a callback and goes on;
 * the first error is kept and fails the save, so no half-made PDF is kept. */
#include "pdf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "msg.h"
#include "xalloc.h"
#include "banned.h"

static void on_error(HPDF_STATUS error, HPDF_STATUS detail, void *user)
{
	struct cp_pdf *p = user;

	if (!p->error) {
		p->error = error;
		p->detail = detail;
	}
}

int cp_pdf_new(struct cp_pdf *p, const struct cp_fontset *fonts, char *const *subset)
{
	memset(p, 0, sizeof(*p));
	p->fonts = fonts;
	p->subset = subset;
	p->doc = HPDF_New(on_error, p);
	if (!p->doc)
		return cp_error("libharu cannot make a document");
	HPDF_SetCompressionMode(p->doc, HPDF_COMP_ALL);
	return 0;
}

static HPDF_Font font(struct cp_pdf *p, int face, int enc)
{
	if (!p->handle[face][enc]) {
		if (!p->name[face])
			p->name[face] = HPDF_LoadTTFontFromFile(p->doc, p->subset[face], HPDF_TRUE);
		if (!p->name[face])
			return NULL;
		if (enc == CP_ENC_UTF8 && !p->utf8_on) {
			HPDF_UseUTFEncodings(p->doc);
			p->utf8_on = true;
		}
		p->handle[face][enc] = HPDF_GetFont(p->doc, p->name[face], cp_pdftext_encoders[enc]);
	}
	return p->handle[face][enc];
}

double cp_pdf_text_width(struct cp_pdf *p, int face, double size, const char *utf8)
{
	struct cp_runs runs;
	double w = 0;

	cp_pdftext_split(utf8, &runs);
	for (int i = 0; i < runs.n; i++) {
		HPDF_Font f = font(p, face, runs.run[i].enc);

		if (f)
			w += HPDF_Font_TextWidth(f, (const HPDF_BYTE *)runs.run[i].bytes,
						 (HPDF_UINT)strlen(runs.run[i].bytes)).width;
	}
	return w * size / 1000.0;
}

void cp_pdf_show(struct cp_pdf *p, HPDF_Page page, int face, double size, double x, double y,
		 double angle, const char *utf8)
{
	struct cp_runs runs;
	double rad = angle * M_PI / 180.0;

	cp_pdftext_split(utf8, &runs);
	if (!runs.n)
		return;
	HPDF_Page_BeginText(page);
	if (angle != 0)
		HPDF_Page_SetTextMatrix(page, (HPDF_REAL)cos(rad), (HPDF_REAL)sin(rad),
					(HPDF_REAL)-sin(rad), (HPDF_REAL)cos(rad), (HPDF_REAL)x,
					(HPDF_REAL)y);
	else
		HPDF_Page_MoveTextPos(page, (HPDF_REAL)x, (HPDF_REAL)y);
	for (int i = 0; i < runs.n; i++) {
		HPDF_Font f = font(p, face, runs.run[i].enc);

		if (!f)
			continue;
		HPDF_Page_SetFontAndSize(page, f, (HPDF_REAL)size);
		HPDF_Page_ShowText(page, runs.run[i].bytes);
	}
	HPDF_Page_EndText(page);
}

HPDF_Image cp_pdf_image(struct cp_pdf *p, const char *path)
{
	size_t len = strlen(path);

	for (int i = 0; i < p->nimages; i++)
		if (!strcmp(p->image_src[i], path))
			return p->image[i];
	if (p->nimages == CP_PDF_MAX_IMAGES)
		return NULL;
	p->image_src[p->nimages] = path;
	p->image[p->nimages] = len > 4 && !strcmp(path + len - 4, ".png")
				       ? HPDF_LoadPngImageFromFile(p->doc, path)
				       : HPDF_LoadJpegImageFromFile(p->doc, path);
	return p->image[p->nimages++];
}

static void info_now(struct cp_pdf *p)
{
	time_t now = time(NULL);
	struct tm tm;
	HPDF_Date d;

	gmtime_r(&now, &tm);
	memset(&d, 0, sizeof(d));
	d.year = tm.tm_year + 1900;
	d.month = tm.tm_mon + 1;
	d.day = tm.tm_mday;
	d.hour = tm.tm_hour;
	d.minutes = tm.tm_min;
	d.seconds = tm.tm_sec;
	d.ind = 'Z';
	HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_CREATION_DATE, d);
}

int cp_pdf_save(struct cp_pdf *p, const struct cp_pdf_info *info, unsigned char **buf,
		size_t *len)
{
	HPDF_UINT32 size;

	*buf = NULL;
	*len = 0;
	if (info->title)
		HPDF_SetInfoAttr(p->doc, HPDF_INFO_TITLE, info->title);
	if (info->subject)
		HPDF_SetInfoAttr(p->doc, HPDF_INFO_SUBJECT, info->subject);
	if (info->author)
		HPDF_SetInfoAttr(p->doc, HPDF_INFO_AUTHOR, info->author);
	if (info->keywords)
		HPDF_SetInfoAttr(p->doc, HPDF_INFO_KEYWORDS, info->keywords);
	HPDF_SetInfoAttr(p->doc, HPDF_INFO_CREATOR, "certpress");
	info_now(p);
	if (info->owner_password) {
		/* Readers may print (0x800: at full quality), copy text and
		 * extract it for accessibility (0x200); they may not change the
		 * document, its forms or its annotations. */
		HPDF_SetPassword(p->doc, info->owner_password, "");
		HPDF_SetPermission(p->doc, HPDF_ENABLE_READ | HPDF_ENABLE_PRINT | HPDF_ENABLE_COPY |
					       0x200 | 0x800);
		HPDF_SetEncryptionMode(p->doc, HPDF_ENCRYPT_R3, 16);
	}
	if (!p->error)
		HPDF_SaveToStream(p->doc);
	if (p->error) {
		cp_error("libharu error 0x%04lX (detail %lu)", (unsigned long)p->error,
			 (unsigned long)p->detail);
		cp_pdf_free(p);
		return -1;
	}
	size = HPDF_GetStreamSize(p->doc);
	*buf = cp_xmalloc(size);
	if (HPDF_ReadFromStream(p->doc, *buf, &size) != HPDF_OK && p->error) {
		free(*buf);
		*buf = NULL;
		cp_error("libharu error 0x%04lX reading the document back", (unsigned long)p->error);
		cp_pdf_free(p);
		return -1;
	}
	*len = size;
	cp_pdf_free(p);
	return 0;
}

void cp_pdf_free(struct cp_pdf *p)
{
	if (p->doc)
		HPDF_Free(p->doc);
	p->doc = NULL;
}
