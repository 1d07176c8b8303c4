/* glyphcheck FONT OUTDIR REF.pdf: every covered code point of Latin-1 to
 * Latin Extended-B, Greek, Cyrillic and Latin Extended Additional drawn as
 * the render stage draws it, each alone in its own document (OUTDIR/NNNN.pdf:
 * in one document, one letter's glyphs would lend their parts to another),
 * and all on the pages of one document (REF). The test compares the
 * rasters. */
#include <stdio.h>
#include <stdlib.h>

#include "engine/font.h"
#include "engine/layout.h"
#include "engine/pdf.h"
#include "util/utf8.h"

static const unsigned ranges[][2] = {
	{ 0x00c0, 0x024f }, { 0x0386, 0x03ce }, { 0x0400, 0x04ff }, { 0x1e00, 0x1eff },
};

static int draw(struct cp_fontset *set, char **subset, hb_set_t *chars, const char *out);

static int draw_each(struct cp_fontset *set, char **subset, hb_set_t *chars, const char *dir)
{
	hb_codepoint_t cp = HB_SET_VALUE_INVALID;
	int i = 0;

	while (hb_set_next(chars, &cp)) {
		hb_set_t *one = hb_set_create();
		char path[512];
		int rc;

		hb_set_add(one, cp);
		snprintf(path, sizeof(path), "%s/%04d.pdf", dir, i++);
		rc = draw(set, subset, one, path);
		hb_set_destroy(one);
		if (rc)
			return rc;
	}
	return 0;
}

static int draw(struct cp_fontset *set, char **subset, hb_set_t *chars, const char *out)
{
	struct cp_pdf p;
	struct cp_pdf_info info = { 0 };
	hb_codepoint_t cp = HB_SET_VALUE_INVALID;
	unsigned char *buf;
	size_t len;
	FILE *f;
	int rc;

	if (cp_pdf_new(&p, set, subset) < 0 || cp_pdf_begin(&p) < 0)
		return 1;
	while (hb_set_next(chars, &cp)) {
		HPDF_Page page = HPDF_AddPage(p.doc);
		char s[5] = { 0 };

		HPDF_Page_SetWidth(page, 40);
		HPDF_Page_SetHeight(page, 40);
		cp_utf8_encode(cp, s);
		cp_pdf_show(&p, page, 0, 24, 8, 10, 0, s);
	}
	rc = cp_pdf_save(&p, &info, &buf, &len);
	cp_pdf_free(&p);
	if (rc < 0)
		return 1;
	f = fopen(out, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0)
		return 1;
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	struct cp_fontset set = { .n = 1 };
	char *subset[1] = { "glyphcheck-subset.ttf" };
	hb_set_t *chars = hb_set_create();
	int rc;

	if (argc != 4 || cp_font_open(&set.font[0], "f", argv[1]) < 0)
		return 2;
	for (size_t r = 0; r < sizeof(ranges) / sizeof(*ranges); r++)
		hb_set_add_range(chars, ranges[r][0], ranges[r][1]);
	hb_set_intersect(chars, set.font[0].coverage);
	if (cp_font_subset(&set.font[0], chars, subset[0]) < 0)
		return 2;
	rc = draw_each(&set, subset, chars, argv[2]) || draw(&set, subset, chars, argv[3]);
	printf("%u\n", hb_set_get_population(chars));
	hb_set_destroy(chars);
	cp_fontset_release(&set);
	return rc;
}
