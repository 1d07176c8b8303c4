/* libharu wrapper. libharu reports errors through a callback and goes on;
 * the first error is kept and fails the save, so no half-made PDF is kept.
 * One libharu document object makes every PDF of a process (HPDF_NewDoc
 * between them), so fonts are parsed once. */
#include "engine/pdf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/harupriv.h"
#include "util/date.h"
#include "util/digest.h"
#include "util/msg.h"
#include "engine/pdfnum.h"
#include "engine/pdfsave.h"
#include "engine/qr.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include "util/banned.h"

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
	p->doc = HPDF_New(on_error, p);
	if (!p->doc)
		return cp_error("libharu cannot make a document");
	p->fresh = true;
	/* Every face now, before anything is measured or drawn: a width query
	 * never reads a file. A face that cannot be loaded (said here, once)
	 * fails each document that draws with it. */
	for (int i = 0; i < fonts->n; i++)
		cp_pdffont_load(&p->font[i], p->doc, subset[i]);
	return 0;
}

void cp_pdf_set_icc(struct cp_pdf *p, const unsigned char *icc, size_t len)
{
	cp_pdfa_icc_release(&p->icc);
	p->icc.data = icc;
	p->icc.len = len;
}

int cp_pdf_begin(struct cp_pdf *p)
{
	if (!p->fresh && HPDF_NewDoc(p->doc) != HPDF_OK)
		return cp_error("libharu cannot start a document");
	p->fresh = false;
	p->error = p->detail = 0;
	for (int i = 0; i < CP_MAX_FONTS; i++)
		cp_type0_begin(&p->type0[i]);
	p->nimages = 0;
	memset(&p->seal, 0, sizeof(p->seal));
	HPDF_SetCompressionMode(p->doc, HPDF_COMP_ALL);
	return 0;
}

/* Loaded by cp_pdf_new; one that could not be fails the document, and its
 * text is not drawn. */
static struct cp_pdffont *face(struct cp_pdf *p, int i)
{
	if (!p->font[i].def) {
		if (!p->error)
			p->error = HPDF_TTF_INVALID_FOMAT;
		return NULL;
	}
	return &p->font[i];
}

/* The width of a code point in thousandths of an em, as the W array gives
 * it: of its glyph (looked up once per code point, pdftype0.c). */
static long units(struct cp_pdf *p, int i, struct cp_pdffont *f, uint32_t cp)
{
	return HPDF_TTFontDef_GetGidWidth(f->def,
					  (HPDF_UINT16)cp_type0_glyph(&p->type0[i], f, cp));
}

/* The same sum of glyph widths as the fonts' W arrays give, over what
 * cp_type0_encode draws of the text. */
long cp_pdf_text_units(struct cp_pdf *p, int i, const char *utf8, size_t left)
{
	const unsigned char *s = (const unsigned char *)utf8;
	struct cp_pdffont *f = face(p, i);
	long w = 0;

	if (!f)
		return 0;
	while (left) {
		uint32_t cp;
		size_t len;

		if (*s < 0x80) { /* most text: ASCII, drawn unless a control */
			if (*s >= 0x20 && *s != 0x7f)
				w += units(p, i, f, *s);
			s++;
			left--;
			continue;
		}
		len = cp_utf8_decode(s, left, &cp);
		if (!len) { /* as cp_type0_encode: a stray byte is skipped */
			s++;
			left--;
			continue;
		}
		s += len;
		left -= len;
		if (cp_type0_drawn(cp))
			w += units(p, i, f, cp);
	}
	return w;
}

double cp_pdf_text_width(struct cp_pdf *p, int i, double size, const char *utf8)
{
	return (double)cp_pdf_text_units(p, i, utf8, strlen(utf8)) * size / 1000.0;
}

/* Bytes into the page's content stream; a failure is the document's error. */
static bool text_write(struct cp_pdf *p, HPDF_Page page, const char *s, size_t n)
{
	HPDF_Stream out = ((HPDF_PageAttr)page->attr)->stream;

	if (HPDF_Stream_Write(out, (const HPDF_BYTE *)s, (HPDF_UINT)n) == HPDF_OK)
		return true;
	if (!p->error)
		p->error = HPDF_FAILD_TO_ALLOC_MEM;
	return false;
}

/* "BT", the font and size, the position (and rotation), as the start of a
 * text object written straight into the page's content stream (pdftype0.h).
 * False if the font cannot be had (the document's error is set). */
static bool text_begin(struct cp_pdf *p, HPDF_Page page, int i, double size, double x,
		       double y, double angle)
{
	struct cp_pdffont *f = face(p, i);
	HPDF_Dict font = f ? cp_type0_font(&p->type0[i], f, p->doc) : NULL;
	const char *name = font ? HPDF_Page_GetLocalFontName(page, (HPDF_Font)font) : NULL;
	char head[256];
	size_t h, nl;

	if (!name || (nl = strlen(name)) > 64) {
		if (!p->error)
			p->error = HPDF_PAGE_INVALID_FONT;
		return false;
	}
	memcpy(head, "BT\012/", 4);
	memcpy(head + 4, name, nl);
	h = 4 + nl;
	head[h++] = ' ';
	h += cp_pdfnum_real(head + h, size, 2);
	memcpy(head + h, " Tf\012", 4);
	h += 4;
	if (angle != 0) {
		double rad = angle * M_PI / 180.0, m[4] = { cos(rad), sin(rad), -sin(rad), cos(rad) };

		for (int k = 0; k < 4; k++) {
			h += cp_pdfnum_real(head + h, m[k], 4);
			head[h++] = ' ';
		}
	}
	h += cp_pdfnum_real(head + h, x, 2);
	head[h++] = ' ';
	h += cp_pdfnum_real(head + h, y, 2);
	memcpy(head + h, angle != 0 ? " Tm\012" : " Td\012", 4);
	h += 4;
	return text_write(p, page, head, h);
}

/* n bytes of UTF-8 text as a string of glyph ids, "(...)". */
static void text_string(struct cp_pdf *p, HPDF_Page page, int i, const char *utf8, size_t n)
{
	char local[1024], *text = n * 4 + 2 <= sizeof(local) ? local : cp_xmalloc(n * 4 + 2);
	size_t len;

	text[0] = '(';
	len = 1 + cp_type0_encode(&p->type0[i], &p->font[i], utf8, n, text + 1);
	text[len++] = ')';
	text_write(p, page, text, len);
	if (text != local)
		free(text);
}

void cp_pdf_show(struct cp_pdf *p, HPDF_Page page, int i, double size, double x, double y,
		 double angle, const char *utf8)
{
	if (!*utf8 || !text_begin(p, page, i, size, x, y, angle))
		return;
	text_string(p, page, i, utf8, strlen(utf8));
	text_write(p, page, " Tj\012ET\012", 8);
}

void cp_pdf_show_justified(struct cp_pdf *p, HPDF_Page page, int i, double size, double x,
			   double y, double width, const char *line)
{
	double words_w, space = cp_pdf_text_width(p, i, size, " "), gap;
	long units = 0;
	int words = 0;
	char num[32];

	for (const char *w = line; *w;) {
		size_t n = strcspn(w, " ");

		if (n) {
			units += cp_pdf_text_units(p, i, w, n);
			words++;
		}
		w += n + (w[n] == ' ');
	}
	words_w = (double)units * size / 1000.0;
	if (words < 2) {
		cp_pdf_show(p, page, i, size, x, y, 0, line);
		return;
	}
	gap = (width - words_w) / (words - 1);
	if (!text_begin(p, page, i, size, x, y, 0))
		return;
	text_write(p, page, "[", 1);
	for (const char *w = line; *w;) {
		size_t n = strcspn(w, " ");

		if (n) {
			bool last = --words == 0;

			/* each gap is a drawn space, stretched by a TJ adjustment
			 * in thousandths of the size (negative: to the right) */
			text_string(p, page, i, w, n + !last);
			if (!last) {
				num[0] = ' ';
				text_write(p, page, num,
					   1 + cp_pdfnum_real(num + 1, -(gap - space) * 1000 / size, 1));
				text_write(p, page, " ", 1);
			}
		}
		w += n + (w[n] == ' ');
	}
	text_write(p, page, "] TJ\012ET\012", 9);
}

HPDF_Image cp_pdf_image(struct cp_pdf *p, const struct cp_image *img)
{
	HPDF_Image im;

	for (int i = 0; i < p->nimages; i++)
		if (p->image_src[i] == img)
			return p->image[i];
	if (p->nimages == CP_PDF_MAX_IMAGES) {
		if (!p->error)
			p->error = HPDF_INVALID_IMAGE;
		return NULL;
	}
	im = img->type == CP_IMAGE_PNG
		     ? HPDF_LoadPngImageFromMem(p->doc, img->data, (HPDF_UINT)img->len)
		     : HPDF_LoadJpegImageFromMem(p->doc, img->data, (HPDF_UINT)img->len);
	if (!im) {
		if (!p->error)
			p->error = HPDF_INVALID_IMAGE;
		return NULL;
	}
	p->image_src[p->nimages] = img;
	p->image[p->nimages] = im;
	p->nimages++;
	return im;
}

/* The document's date: the project's clock (pdfsave.h). */
static void info_date(struct cp_pdf *p, time_t now, bool modified)
{
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
	if (modified)
		HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_MOD_DATE, d);
}

/* What PDF/X-1a:2003 asks beyond what every copy has (libharu has no call
 * for them): GTS_PDFXVersion and Trapped in the Info, and an output intent
 * naming the print condition by its registered name (no profile embedded:
 * the ICC registry's characterization is the reference). The file
 * identifier is pdfsave's. 0 or -1. */
static int pdfx(struct cp_pdf *p, const char *condition)
{
	HPDF_MMgr mmgr = p->doc->mmgr;
	HPDF_Dict info = p->doc->info, intent = HPDF_Dict_New(mmgr);
	HPDF_Array intents = HPDF_Array_New(mmgr);

	if (!info || !intent || !intents ||
	    HPDF_Dict_Add(info, "GTS_PDFXVersion", HPDF_String_New(mmgr, "PDF/X-1a:2003", NULL)) ||
	    HPDF_Dict_AddName(info, "Trapped", "False") ||
	    HPDF_Dict_AddName(intent, "Type", "OutputIntent") ||
	    HPDF_Dict_AddName(intent, "S", "GTS_PDFX") ||
	    HPDF_Dict_Add(intent, "OutputConditionIdentifier", HPDF_String_New(mmgr, condition, NULL)) ||
	    HPDF_Dict_Add(intent, "OutputCondition", HPDF_String_New(mmgr, condition, NULL)) ||
	    HPDF_Dict_Add(intent, "RegistryName", HPDF_String_New(mmgr, "http://www.color.org", NULL)) ||
	    HPDF_Dict_Add(intent, "Info", HPDF_String_New(mmgr, condition, NULL)) ||
	    HPDF_Array_Add(intents, intent) ||
	    HPDF_Dict_Add(p->doc->catalog, "OutputIntents", intents))
		return -1;
	return 0;
}

/* libharu writes the finished document through this into p->out. */
static HPDF_STATUS out_write(HPDF_Stream s, const HPDF_BYTE *ptr, HPDF_UINT size)
{
	struct cp_pdf *p = s->attr;

	if (p->out_len + size > p->out_cap) {
		p->out_cap = (p->out_len + size) * 2;
		p->out = cp_xrealloc(p->out, p->out_cap);
	}
	memcpy(p->out + p->out_len, ptr, size);
	p->out_len += size;
	return HPDF_OK;
}

/* The document's output stream: ours, so that the PDF is written once
 * into one buffer with memcpy, where libharu's memory stream copied it
 * byte by byte into blocks and again out of them. libharu frees the
 * stream with the document (HPDF_FreeDoc). */
static bool out_stream(struct cp_pdf *p)
{
	HPDF_Stream s = cp_haru_stream(p->doc->mmgr, &p->doc->error, p);

	if (!s)
		return false;
	s->write_fn = out_write;
	if (p->doc->stream)
		HPDF_Stream_Free(p->doc->stream);
	p->doc->stream = s;
	p->out_cap = 65536;
	p->out = cp_xmalloc(p->out_cap);
	p->out_len = 0;
	return true;
}

/* The SHA-256 of the saved file, going on from what a compact save hashed
 * (saved), else of all of it. */
static void file_sha256(struct cp_pdf_saved *saved, const unsigned char *buf, size_t len,
			char sha[CP_SHA256_HEX])
{
	struct cp_sha256 h;

	if (saved && saved->upto.ctx) {
		cp_sha256_update(&saved->upto, buf + saved->xref, len - saved->xref);
		cp_sha256_final_hex(&saved->upto, sha);
		return;
	}
	cp_sha256_init(&h);
	cp_sha256_update(&h, buf, len);
	cp_sha256_final_hex(&h, sha);
}

int cp_pdf_save(struct cp_pdf *p, const struct cp_pdf_info *info, unsigned char **buf,
		size_t *len)
{
	time_t now = cp_clock_output();
	bool pdfa = info->pdfa && !info->owner_password;
	struct cp_pdf_saved saved = { .upto = { NULL } };
	HPDF_STATUS r;

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
	info_date(p, now, info->pdfx_condition != NULL);
	if (info->pdfx_condition && !info->owner_password && !pdfa &&
	    pdfx(p, info->pdfx_condition) < 0 && !p->error)
		p->error = HPDF_FAILD_TO_ALLOC_MEM;
	if (pdfa && !p->icc.data && !p->error)
		p->error = HPDF_INVALID_ICC_COMPONENT_NUM;
	if (pdfa && !p->error && (r = cp_pdfa_prepare(p->doc, &p->icc, now)) != HPDF_OK)
		p->error = r;
	if (info->owner_password) {
		/* Readers may print (0x800: at full quality), copy text and
		 * extract it for accessibility (0x200); they may not change the
		 * document, its forms or its annotations. */
		HPDF_SetPassword(p->doc, info->owner_password, "");
		HPDF_SetPermission(p->doc, HPDF_ENABLE_READ | HPDF_ENABLE_PRINT | HPDF_ENABLE_COPY |
					       0x200 | 0x800);
		HPDF_SetEncryptionMode(p->doc, HPDF_ENCRYPT_R3, 16);
	}
	for (int i = 0; i < CP_MAX_FONTS && !p->error; i++)
		if (cp_type0_finish(&p->type0[i], &p->font[i], p->doc, &p->deflate) < 0 &&
		    !p->error)
			p->error = HPDF_FAILD_TO_ALLOC_MEM;
	if (!p->error && cp_deflate_pages(&p->deflate, p->doc) != HPDF_OK && !p->error)
		p->error = HPDF_FAILD_TO_ALLOC_MEM;
	if (!p->error && !out_stream(p))
		p->error = HPDF_FAILD_TO_ALLOC_MEM;
	if (!p->error && (r = pdfa ? cp_pdf_save_compact(p->doc, &p->deflate, &saved)
				   : cp_pdf_save_stream(p->doc)) != HPDF_OK)
		p->error = r;
	if (!p->error && pdfa && info->signer &&
	    cp_pdfsign_append(p->doc, &saved, &p->seal, info->signer, now, &p->out, &p->out_len,
			      &p->out_cap, info->sha256) < 0) {
		free(p->out);
		p->out = NULL;
		return -1;
	}
	if (!p->error && info->sha256 && !(pdfa && info->signer))
		file_sha256(pdfa ? &saved : NULL, p->out, p->out_len, info->sha256);
	if (pdfa && saved.upto.ctx)
		cp_sha256_discard(&saved.upto);
	if (p->error) {
		cp_error("libharu error 0x%04lX (detail %lu)", (unsigned long)p->error,
			 (unsigned long)p->detail);
		free(p->out);
		p->out = NULL;
		return -1;
	}
	*buf = p->out;
	*len = p->out_len;
	p->out = NULL;
	return 0;
}

void cp_pdf_free(struct cp_pdf *p)
{
	if (p->doc)
		HPDF_Free(p->doc);
	p->doc = NULL;
	for (int i = 0; i < CP_MAX_FONTS; i++) {
		cp_pdffont_release(&p->font[i]);
		cp_type0_release(&p->type0[i]);
	}
	cp_qr_cache_release(&p->qr);
	cp_deflate_release(&p->deflate);
	cp_pdfa_icc_release(&p->icc);
	free(p->out);
	p->out = NULL;
}

int cp_pdf_trim(struct cp_pdf *p, HPDF_Page page, double w, double h)
{
	HPDF_Box box = { 0, 0, (HPDF_REAL)w, (HPDF_REAL)h };
	static const char *const names[] = { "TrimBox", "BleedBox" };

	for (int i = 0; i < 2; i++) {
		HPDF_Array a = HPDF_Box_Array_New(page->mmgr, box);

		if (!a || HPDF_Dict_Add(page, names[i], a) != HPDF_OK) {
			p->error = p->error ? p->error : HPDF_FAILD_TO_ALLOC_MEM;
			return cp_error("cannot set a page's %s", names[i]);
		}
	}
	return 0;
}
