/* The PDF maker: font programs kept and used again only when they hold
 * every glyph a document drew, and the widths layout measures with equal to
 * the PDF's and the font's. Uses DejaVu Sans (fonts-dejavu-core). */
#include "unit.h"

#include <hpdf_fontdef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/font.h"
#include "engine/layout.h"
#include "engine/pdf.h"
#include "util/utf8.h"

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
	hb_set_add_range(chars, 0xa1, 0x17f); /* Latin-1 and Extended-A */
	hb_set_add_range(chars, 0x391, 0x3c9); /* Greek */
	hb_set_add_range(chars, 0x410, 0x44f); /* Cyrillic */
	if (cp_font_open(&f->set.font[0], "sans", DEJAVU) < 0 ||
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
	one(&p, "Ζωή Ada"); /* Greek */
	assert_int_equal(programs(&p), 3);
	one(&p, "0123456789 bfghjkmnpqrstuvwxyz"); /* far from all kept: not "A" */
	assert_int_equal(programs(&p), 4);
	one(&p, "A"); /* held by all, with too many extra glyphs by most */
	one(&p, "#"); /* nowhere: a fifth replaces the oldest */
	assert_int_equal(programs(&p), 4);
	cp_pdf_free(&p);
}

/* The width a W array ("/W [g [w w ...] g' [...]]") gives glyph gid, or
 * -1 if it gives none. */
static int width_in_w(const char *w, unsigned gid)
{
	char *end;

	w += strlen("/W [");
	for (;;) {
		unsigned long g = strtoul(w, &end, 10);

		if (end == w || *end != ' ' || end[1] != '[')
			return -1;
		w = end + 2;
		for (;; g++) {
			long width = strtol(w, &end, 10);

			if (end == w)
				return -1;
			if (g == gid)
				return (int)width;
			w = end;
			if (*w == ']')
				break;
			w++;
		}
		w++;
		if (*w != ' ')
			return -1;
		w++;
	}
}

/* The widths layout measures with are the widths the PDF gives the
 * viewer: for each glyph drawn, the W array entry equals the measured
 * width of its character, and both equal HarfBuzz's advance (libharu
 * truncates to thousandths of an em). */
static void widths_equal_the_w_array_and_the_font(void **state)
{
	static const char text[] = "Ada Lovelace Ζωή W.W. ok?";
	struct fixture *f = *state;
	struct cp_pdf p;
	struct cp_pdf_info info = { 0 };
	unsigned char *buf;
	size_t len;
	hb_font_t *hb = hb_font_create(f->set.font[0].face);
	unsigned upem = hb_face_get_upem(f->set.font[0].face);
	const char *s = text;
	char *w;
	int checked = 0;

	assert_int_equal(cp_pdf_new(&p, &f->set, f->subset), 0);
	assert_int_equal(cp_pdf_begin(&p), 0);
	cp_pdf_show(&p, HPDF_AddPage(p.doc), 0, 12, 50, 700, 0, text);
	assert_int_equal(cp_pdf_save(&p, &info, &buf, &len), 0);
	buf = realloc(buf, len + 1);
	buf[len] = '\0';
	w = memmem(buf, len, "/W [", 4);
	assert_non_null(w);
	while (*s) {
		uint32_t cp;
		size_t n = cp_utf8_decode((const unsigned char *)s, strlen(s), &cp);
		char one[8] = { 0 };
		hb_codepoint_t g;
		unsigned gid = cp_type0_glyph(&p.type0[0], &p.font[0], cp);
		double measured;

		memcpy(one, s, n);
		s += n;
		measured = cp_pdf_text_width(&p, 0, 1000, one);
		assert_true(hb_font_get_nominal_glyph(hb, cp, &g));
		assert_true(fabs(measured - hb_font_get_glyph_h_advance(hb, g) * 1000.0 / upem) < 1);
		assert_int_equal(width_in_w(w, gid), (int)measured);
		checked++;
	}
	assert_int_equal(checked, (int)cp_utf8_length(text));
	free(buf);
	hb_font_destroy(hb);
	cp_pdf_free(&p);
}

/* Save the document to a temporary file (its name into path, "...XXXXXX")
 * and read it with pdftotext and these options: the caller reads the pipe,
 * closes it with pclose and removes path. */
static FILE *pdftotext(struct cp_pdf *p, const char *options, char *path)
{
	struct cp_pdf_info info = { 0 };
	unsigned char *buf;
	size_t len;
	char cmd[128];
	int fd;
	FILE *pipe;

	assert_int_equal(cp_pdf_save(p, &info, &buf, &len), 0);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
	free(buf);
	snprintf(cmd, sizeof(cmd), "pdftotext %s %s -", options, path);
	pipe = popen(cmd, "r");
	assert_non_null(pipe);
	return pipe;
}

/* What pdftotext reads back from a document of one line of text. */
static void extract(const struct fixture *f, const char *text, char *got, size_t size)
{
	struct cp_pdf p;
	size_t n;
	char path[] = "/tmp/test_pdf-text-XXXXXX";
	FILE *pipe;
	HPDF_Page page;

	assert_int_equal(cp_pdf_new(&p, &f->set, f->subset), 0);
	assert_int_equal(cp_pdf_begin(&p), 0);
	page = HPDF_AddPage(p.doc);
	HPDF_Page_SetWidth(page, 3000); /* one line: readers keep only what is on the page */
	cp_pdf_show(&p, page, 0, 6, 10, 700, 0, text);
	pipe = pdftotext(&p, "-raw -nopgbrk", path);
	n = fread(got, 1, size - 1, pipe);
	assert_int_equal(pclose(pipe), 0);
	got[n] = '\0';
	if (n && got[n - 1] == '\n')
		got[n - 1] = '\0';
	unlink(path);
	cp_pdf_free(&p);
}

/* The ToUnicode map gives back every character drawn (pdftotext reads
 * it): runs of consecutive glyphs and code points crossing blocks of 256,
 * then every other character (more single glyphs than one bfchar block of
 * 100 holds), several scripts. */
static void text_extracts_exactly(void **state)
{
	struct fixture *f = *state;
	char text[4096], got[4096];

	for (uint32_t step = 1; step <= 2; step++) {
		size_t n = 0;

		for (uint32_t c = 0x21; c <= 0x17f; c += step)
			if (c < 0x7f || (c > 0xa0 && c != 0xad)) /* no soft hyphen: readers hide it */
				n += cp_utf8_encode(c, text + n);
		for (uint32_t c = 0x410; c <= 0x44f; c += step)
			n += cp_utf8_encode(c, text + n);
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s", "Ζωή-Дмитрий");
		text[n] = '\0';
		extract(f, text, got, sizeof(got));
		assert_string_equal(got, text);
	}
}

/* A justified line: its words in order, the first at x, the last ending
 * at x + width (pdftotext -bbox measures what a reader draws). */
static void justified_line_spans_the_width(void **state)
{
	static const char *const words[] = { "We", "are", "delighted", "Ζωή", "ok." };
	struct fixture *f = *state;
	struct cp_pdf p;
	char path[] = "/tmp/test_pdf-just-XXXXXX", line[512];
	double first = -1, last = -1;
	int found = 0;
	FILE *pipe;

	assert_int_equal(cp_pdf_new(&p, &f->set, f->subset), 0);
	assert_int_equal(cp_pdf_begin(&p), 0);
	cp_pdf_show_justified(&p, HPDF_AddPage(p.doc), 0, 12, 50, 700, 400,
			      "We are  delighted Ζωή ok.");
	pipe = pdftotext(&p, "-bbox", path);
	while (fgets(line, sizeof(line), pipe)) {
		double x0, x1;
		char *word = strstr(line, "\">");

		if (!strstr(line, "<word ") || !word ||
		    sscanf(strstr(line, "xMin="), "xMin=\"%lf\"", &x0) != 1 ||
		    sscanf(strstr(line, "xMax="), "xMax=\"%lf\"", &x1) != 1)
			continue;
		word += 2;
		*strstr(word, "</word>") = '\0';
		assert_true(found < 5);
		assert_string_equal(word, words[found++]);
		if (first < 0)
			first = x0;
		last = x1;
	}
	assert_int_equal(pclose(pipe), 0);
	assert_int_equal(found, 5);
	assert_float_equal(first, 50, 0.5);
	assert_float_equal(last, 450, 0.5);
	unlink(path);
	cp_pdf_free(&p);
}

/* The fonts are read when the maker is made: a width query, drawing and
 * saving read no file (here the subset is gone by then). */
static void widths_read_no_file(void **state)
{
	struct fixture *f = *state;
	struct cp_pdf p;
	struct cp_pdf_info info = { 0 };
	unsigned char *buf;
	size_t len;
	char away[80];

	snprintf(away, sizeof(away), "%s.away", f->path);
	assert_int_equal(cp_pdf_new(&p, &f->set, f->subset), 0);
	assert_int_equal(rename(f->path, away), 0);
	assert_int_equal(cp_pdf_begin(&p), 0);
	assert_true(cp_pdf_text_width(&p, 0, 12, "Ada Lovelace") > 50);
	cp_pdf_show(&p, HPDF_AddPage(p.doc), 0, 12, 50, 700, 0, "Ada Lovelace");
	assert_int_equal(cp_pdf_save(&p, &info, &buf, &len), 0);
	free(buf);
	assert_int_equal(rename(away, f->path), 0);
	cp_pdf_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(programs_used_again_only_when_they_hold_the_glyphs),
		cmocka_unit_test(widths_equal_the_w_array_and_the_font),
		cmocka_unit_test(text_extracts_exactly),
		cmocka_unit_test(justified_line_spans_the_width),
		cmocka_unit_test(widths_read_no_file),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
