/* The PDF maker: font programs kept and used again only when they hold
 * every glyph a document drew, and text widths from the cache equal to
 * libharu's own measure. Uses DejaVu Sans (fonts-dejavu-core). */
#include "unit.h"

#include <hpdf_fontdef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../pipeline/font.h"
#include "../../pipeline/layout.h"
#include "../../pipeline/pdf.h"
#include "../../pipeline/pdftext.h"

#define DEJAVU "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

struct fixture {
	struct cp_fontset set;
	char *subset[1];
	char path[64];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	hb_set_t *chars = hb_set_create();

	strcpy(f->path, "/tmp/test_pdf-XXXXXX");
	close(mkstemp(f->path));
	f->subset[0] = f->path;
	f->set.n = 1;
	hb_set_add_range(chars, 0x20, 0x7e);
	hb_set_add_range(chars, 0x391, 0x3c9); /* Greek: a second code page */
	if (cp_pdftext_init() < 0 || cp_font_open(&f->set.font[0], "sans", DEJAVU) < 0 ||
	    cp_font_subset(&f->set.font[0], chars, f->path) < 0)
		return -1;
	hb_set_destroy(chars);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	unlink(f->path);
	cp_fontset_release(&f->set);
	free(f);
	return 0;
}

static int programs(const struct cp_pdf *p)
{
	int n = 0;

	for (int i = 0; i < CP_PDFFONT_KEEP; i++)
		n += p->font[0].prog[i].data != NULL;
	return n;
}

/* Draw text in a new document and save it; check that the program it got
 * holds every glyph drawn. */
static void one(struct cp_pdf *p, const char *text)
{
	HPDF_TTFontDefAttr a;
	const struct cp_fontprog *last = NULL;
	struct cp_pdf_info info = { 0 };
	unsigned char *buf;
	size_t len;
	HPDF_Page page;

	assert_int_equal(cp_pdf_begin(p), 0);
	page = HPDF_AddPage(p->doc);
	cp_pdf_show(p, page, 0, 12, 50, 700, 0, text);
	assert_int_equal(cp_pdf_save(p, &info, &buf, &len), 0);
	assert_true(len > 1000);
	assert_memory_equal(buf, "%PDF-", 5);
	free(buf);
	a = p->font[0].def->attr;
	for (int i = 0; i < CP_PDFFONT_KEEP; i++)
		if (p->font[0].prog[i].data && (!last || p->font[0].prog[i].used > last->used))
			last = &p->font[0].prog[i];
	assert_non_null(last);
	for (unsigned g = 0; g < a->num_glyphs; g++)
		if (a->glyph_tbl.flgs[g])
			assert_true(last->glyphs[g]);
}

static void programs_used_again_only_when_they_hold_the_glyphs(void **state)
{
	struct fixture *f = *state;
	struct cp_pdf p;

	assert_int_equal(cp_pdf_new(&p, &f->set, f->subset), 0);
	one(&p, "DIGITAL COPY Ada Lovelace");
	assert_int_equal(programs(&p), 1);
	one(&p, "Ada Lovelace"); /* the print copy: fewer glyphs */
	assert_int_equal(programs(&p), 1);
	one(&p, "Ada Lovelace Q"); /* one glyph more */
	assert_int_equal(programs(&p), 2);
	one(&p, "Ζωή Ada"); /* Greek through another code page */
	assert_int_equal(programs(&p), 3);
	one(&p, "0123456789 bfghjkmnpqrstuvwxyz"); /* far from all kept: not "A" */
	assert_int_equal(programs(&p), 4);
	one(&p, "A"); /* held by all, with too many extra glyphs by most */
	one(&p, "#"); /* nowhere: a fifth replaces the oldest */
	assert_int_equal(programs(&p), 4);
	cp_pdf_free(&p);
}

static void widths_equal_libharu(void **state)
{
	static const char *const texts[] = { "Ada Lovelace", "Ζωή Κωνσταντίνου", "x", "",
					     "W.W. ok?" };
	struct fixture *f = *state;
	struct cp_pdf p;

	assert_int_equal(cp_pdf_new(&p, &f->set, f->subset), 0);
	assert_int_equal(cp_pdf_begin(&p), 0);
	cp_pdf_text_width(&p, 0, 10, "x"); /* loads the font */
	for (size_t t = 0; t < sizeof(texts) / sizeof(*texts); t++) {
		struct cp_runs runs;
		double want = 0;

		cp_pdftext_split(texts[t], &runs);
		for (int r = 0; r < runs.n; r++) {
			HPDF_Font font = HPDF_GetFont(p.doc, p.font[0].name,
						      cp_pdftext_encoders[runs.run[r].enc]);

			want += HPDF_Font_TextWidth(font, (const HPDF_BYTE *)runs.run[r].bytes,
						    (HPDF_UINT)strlen(runs.run[r].bytes))
					.width;
		}
		assert_float_equal(cp_pdf_text_width(&p, 0, 10, texts[t]), want * 10 / 1000.0,
				   1e-9);
	}
	cp_pdf_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(programs_used_again_only_when_they_hold_the_glyphs),
		cmocka_unit_test(widths_equal_libharu),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
