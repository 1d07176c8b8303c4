/* Drawing (engine/draw.c): the lines a paragraph wraps into, for a width
 * and a font (how many, and where they break), justified and centred lines
 * where a reader finds them (pdftotext -bbox), and a name too long for its
 * line shrunk to fit, down to its min-size, then wrapped. Uses DejaVu Sans
 * (fonts-dejavu-core). */
#include "unit.h"

#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "engine/draw.h"
#include "util/utf8.h"

#define SANS "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
#define MM (72.0 / 25.4)

static const char sentence[] =
	"We are delighted to confirm that Ελένη Παπαδόπουλος and Дмитрий Соколов have "
	"achieved the Level 2 Certificate in Vehicle Maintenance with Distinction.";

struct fixture {
	char dir[32];
	char subset_path[64];
	char *subset[1];
	struct cp_fontset set;
	struct cp_layout layout;
	struct cp_pdf pdf;
};

static struct fixture fx;

/* x of the paragraphs and of the name, and their width */
#define PX (20 * MM)
#define PW (100 * MM)
#define NX (20 * MM)
#define NW (80 * MM)

static const char template_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<template xmlns=\"urn:certpress:layout:1\" page=\"A4\">\n"
	"  <fonts><font name=\"sans\" file=\"" SANS "\"/></fonts>\n"
	"  <text x=\"20mm\" y=\"40mm\" width=\"80mm\" align=\"center\" font=\"sans\" size=\"30pt\"\n"
	"        min-size=\"10pt\">{learner.full_name}</text>\n"
	"  <paragraph x=\"20mm\" y=\"100mm\" width=\"100mm\" align=\"justify\" font=\"sans\"\n"
	"             size=\"11pt\">{qualification.title}</paragraph>\n"
	"  <paragraph x=\"20mm\" y=\"180mm\" width=\"100mm\" align=\"center\" font=\"sans\"\n"
	"             size=\"11pt\">{centre.name}</paragraph>\n"
	"</template>\n";

static int setup(void **state)
{
	hb_set_t *chars = hb_set_create();

	(void)state;
	snprintf(fx.dir, sizeof(fx.dir), "/tmp/cp-draw-XXXXXX");
	if (unit_dir_make(fx.dir) < 0)
		return -1;
	unit_file(fx.dir, "t.xml", template_xml);
	if (cp_layout_load(&fx.layout, fx.dir, "t", &fx.set) < 0)
		return -1;
	snprintf(fx.subset_path, sizeof(fx.subset_path), "%s/sans.ttf", fx.dir);
	fx.subset[0] = fx.subset_path;
	hb_set_add_range(chars, 0x20, 0x7e);
	hb_set_add_range(chars, 0xa1, 0x17f);
	hb_set_add_range(chars, 0x391, 0x3c9);
	hb_set_add_range(chars, 0x410, 0x44f);
	if (cp_font_subset(&fx.set.font[0], chars, fx.subset_path) < 0)
		return -1;
	hb_set_destroy(chars);
	if (cp_pdf_new(&fx.pdf, &fx.set, fx.subset) < 0)
		return -1;
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cp_pdf_free(&fx.pdf);
	cp_layout_release(&fx.layout);
	cp_fontset_release(&fx.set);
	return unit_dir_remove(fx.dir);
}

static double width(double size, const char *s)
{
	return cp_pdf_text_width(&fx.pdf, 0, size, s);
}

static void free_lines(char **lines, int n)
{
	for (int i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

/* The lines, joined by one space: the text again, nothing lost or added. */
static char *joined(char **lines, int n)
{
	size_t len = 0;
	char *s;

	for (int i = 0; i < n; i++)
		len += strlen(lines[i]) + 1;
	s = calloc(1, len + 1);
	for (int i = 0; i < n; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, lines[i]);
	}
	return s;
}

static void breaks_where_the_next_word_no_longer_fits(void **state)
{
	char **lines;
	double w = width(10, "We are delighted");
	int n;

	(void)state;
	/* exactly as wide as the first three words: they fit */
	n = cp_draw_wrap(&fx.pdf, 0, 10, "We are delighted to confirm", w, &lines);
	assert_int_equal(n, 2);
	assert_string_equal(lines[0], "We are delighted");
	assert_string_equal(lines[1], "to confirm");
	free_lines(lines, n);
	/* a hair narrower: the third goes to the next line */
	n = cp_draw_wrap(&fx.pdf, 0, 10, "We are delighted to confirm", w - 0.01, &lines);
	assert_int_equal(n, 3);
	assert_string_equal(lines[0], "We are");
	assert_string_equal(lines[1], "delighted to");
	assert_string_equal(lines[2], "confirm");
	free_lines(lines, n);
	/* the same text, twice the size: twice the width for the same breaks */
	n = cp_draw_wrap(&fx.pdf, 0, 20, "We are delighted to confirm", width(20, "We are delighted"),
			 &lines);
	assert_int_equal(n, 2);
	assert_string_equal(lines[0], "We are delighted");
	free_lines(lines, n);
	/* all of it fits: one line */
	n = cp_draw_wrap(&fx.pdf, 0, 10, "We are delighted", 1000, &lines);
	assert_int_equal(n, 1);
	assert_string_equal(lines[0], "We are delighted");
	free_lines(lines, n);
	/* nothing: one empty line */
	n = cp_draw_wrap(&fx.pdf, 0, 10, "", 100, &lines);
	assert_int_equal(n, 1);
	assert_string_equal(lines[0], "");
	free_lines(lines, n);
}

/* For many widths (each wider than the widest word): every line fits, no
 * line could have taken the next line's first word, and the lines are the
 * text. */
static void every_line_fits_and_is_full(void **state)
{
	double widest = 0;

	(void)state;
	for (const char *p = sentence; *p;) {
		char word[128];
		size_t len = strcspn(p, " ");

		snprintf(word, sizeof(word), "%.*s", (int)len, p);
		if (width(11, word) > widest)
			widest = width(11, word);
		p += len + (p[len] == ' ');
	}
	assert_true(widest > 50);
	for (double w = widest; w < 500; w += 3.7) {
		char **lines, *all;
		int n = cp_draw_wrap(&fx.pdf, 0, 11, sentence, w, &lines);

		assert_true(n >= 1);
		for (int i = 0; i < n; i++) {
			assert_true(width(11, lines[i]) <= w + 1e-9);
			assert_true(lines[i][0] != ' ' && lines[i][strlen(lines[i]) - 1] != ' ');
			if (i + 1 < n) {
				char more[512];
				size_t first = strcspn(lines[i + 1], " ");

				snprintf(more, sizeof(more), "%s %.*s", lines[i], (int)first,
					 lines[i + 1]);
				assert_true(width(11, more) > w);
			}
		}
		all = joined(lines, n);
		assert_string_equal(all, sentence);
		free(all);
		free_lines(lines, n);
	}
}

/* A word wider than the line is cut between characters (never inside
 * one), each piece as long as fits. */
static void a_word_wider_than_the_line_is_cut(void **state)
{
	static const char word[] = "Brzęczyszczykiewicz-Παπαδόπουλος";
	(void)state;
	for (double w = 8; w < 120; w += 5.3) {
		char **lines, all[256] = "";
		int n = cp_draw_wrap(&fx.pdf, 0, 12, word, w, &lines);

		assert_true(n > 1);
		for (int i = 0; i < n; i++) {
			assert_true(lines[i][0] != '\0');
			assert_true(cp_utf8_valid(lines[i], strlen(lines[i])));
			assert_true(width(12, lines[i]) <= w || cp_utf8_length(lines[i]) == 1);
			if (i + 1 < n) {
				char more[256];
				uint32_t cp;
				size_t c = cp_utf8_decode((const unsigned char *)lines[i + 1],
							  strlen(lines[i + 1]), &cp);

				snprintf(more, sizeof(more), "%s%.*s", lines[i], (int)c, lines[i + 1]);
				assert_true(width(12, more) > w);
			}
			strcat(all, lines[i]);
		}
		assert_string_equal(all, word);
		free_lines(lines, n);
	}
	/* a line narrower than any character: one character a line, no end */
	{
		char **lines;
		int n = cp_draw_wrap(&fx.pdf, 0, 12, "Ζωή ok", 0.5, &lines);

		assert_int_equal(n, 5);
		assert_string_equal(lines[0], "Ζ");
		assert_string_equal(lines[2], "ή");
		assert_string_equal(lines[3], "o");
		free_lines(lines, n);
	}
	/* the long word starts a line of its own after the words before it */
	{
		char **lines;
		int n = cp_draw_wrap(&fx.pdf, 0, 12, "Ann Brzęczyszczykiewicz", width(12, "Ann Brzę"),
				     &lines);

		assert_string_equal(lines[0], "Ann");
		assert_true(n >= 2);
		assert_true(strncmp(lines[1], "Brzęczyszczykiewicz", strlen(lines[1])) == 0);
		free_lines(lines, n);
	}
}

/* A word as pdftotext -bbox sees it. */
struct word {
	char text[128];
	double x0, y0, x1, y1;
};

/* Draw the template with these values; the words of the page. */
static int draw_words(struct cp_values *v, struct word *words, int max)
{
	struct cp_pdf_info info = { 0 };
	unsigned char *buf;
	size_t len;
	char path[64], cmd[128], line[512];
	FILE *f, *pipe;
	int n = 0;

	assert_int_equal(cp_pdf_begin(&fx.pdf), 0);
	assert_int_equal(cp_draw(&fx.pdf, &fx.layout, v, 1), 1);
	/* the page numbers were cp_draw's own buffers: none left pointing there */
	assert_null(v->v[CP_B_PAGE]);
	assert_null(v->v[CP_B_PAGES]);
	assert_int_equal(cp_pdf_save(&fx.pdf, &info, &buf, &len), 0);
	snprintf(path, sizeof(path), "%s/out.pdf", fx.dir);
	f = fopen(path, "wb");
	assert_int_equal(fwrite(buf, 1, len, f), len);
	fclose(f);
	free(buf);
	snprintf(cmd, sizeof(cmd), "pdftotext -bbox '%s' -", path);
	pipe = popen(cmd, "r");
	assert_non_null(pipe);
	while (fgets(line, sizeof(line), pipe) && n < max) {
		struct word *w = &words[n];
		char *text = strstr(line, "\">"), *end;

		if (!strstr(line, "<word ") || !text ||
		    sscanf(strstr(line, "xMin="), "xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"",
			   &w->x0, &w->y0, &w->x1, &w->y1) != 4)
			continue;
		text += 2;
		end = strstr(text, "</word>");
		snprintf(w->text, sizeof(w->text), "%.*s", (int)(end - text), text);
		n++;
	}
	assert_int_equal(pclose(pipe), 0);
	return n;
}

/* The words of one block (between top and bottom, points from the top),
 * cut into lines by their baselines. */
struct line {
	double x0, x1, y0, h;
	int words;
	char text[512];
};

static int lines_of(const struct word *w, int n, double top, double bottom, struct line *out)
{
	int k = -1;

	for (int i = 0; i < n; i++) {
		if (w[i].y0 < top || w[i].y0 > bottom)
			continue;
		if (k < 0 || fabs(w[i].y0 - out[k].y0) > 1) {
			k++;
			memset(&out[k], 0, sizeof(out[k]));
			out[k].x0 = w[i].x0;
			out[k].y0 = w[i].y0;
			out[k].h = w[i].y1 - w[i].y0;
		} else {
			strcat(out[k].text, " ");
		}
		strcat(out[k].text, w[i].text);
		out[k].x1 = w[i].x1;
		out[k].words++;
	}
	return k + 1;
}

/* A justified paragraph: each line but the last spans the whole width,
 * the last is left aligned; a centred one has every line's middle in the
 * middle. Its lines are the ones cp_draw_wrap gives. */
static void justified_and_centred_paragraphs(void **state)
{
	struct cp_values v = { 0 };
	struct word words[200];
	struct line l[20];
	char **want;
	int n, nl, nw;

	(void)state;
	v.v[CP_B_FULL_NAME] = "Ann Lee";
	v.v[CP_B_QUAL_TITLE] = sentence;
	v.v[CP_B_CENTRE_NAME] = sentence;
	n = draw_words(&v, words, 200);
	nw = cp_draw_wrap(&fx.pdf, 0, 11, sentence, PW, &want);
	assert_true(nw >= 3);

	nl = lines_of(words, n, 100 * MM - 1, 170 * MM, l);
	assert_int_equal(nl, nw);
	for (int i = 0; i < nl; i++) {
		assert_string_equal(l[i].text, want[i]);
		assert_float_equal(l[i].x0, PX, 0.6);
		if (i + 1 < nl)
			assert_float_equal(l[i].x1, PX + PW, 0.6);
		else /* the last line is not stretched */
			assert_true(l[i].x1 < PX + PW - 5);
	}

	nl = lines_of(words, n, 180 * MM - 1, 260 * MM, l);
	assert_int_equal(nl, nw);
	for (int i = 0; i < nl; i++) {
		assert_string_equal(l[i].text, want[i]);
		assert_float_equal((l[i].x0 + l[i].x1) / 2, PX + PW / 2, 0.6);
	}
	free_lines(want, nw);
}

/* The name's line on the page. */
static struct line name_line(const char *name, int *nlines, struct line *all)
{
	struct cp_values v = { 0 };
	struct word words[200];
	int n;

	v.v[CP_B_FULL_NAME] = name;
	v.v[CP_B_QUAL_TITLE] = "x";
	v.v[CP_B_CENTRE_NAME] = "x";
	n = draw_words(&v, words, 200);
	*nlines = lines_of(words, n, 0, 90 * MM, all);
	assert_true(*nlines >= 1);
	return all[0];
}

/* A name is drawn at its size if it fits, else shrunk in quarter points to
 * the largest size that fits the width, centred; below min-size it stays
 * at min-size and wraps. */
static void long_names_are_shrunk_to_fit(void **state)
{
	static const char longer[] = "Małgorzata Brzęczyszczykiewicz-Nowak";
	static const char longest[] =
		"Anastasia Małgorzata Gwenllian Ελένη Brzęczyszczykiewicz-Wiśniewska "
		"Mac Giolla Phádraig Kaczmarek-Nowak ap Dafydd Llywelyn Taylor-Brown";
	struct line all[20], s, m;
	double size = 30, unit = width(1, longer);
	int n;

	(void)state;
	s = name_line("Ann Lee", &n, all);
	assert_int_equal(n, 1);
	assert_float_equal(s.x1 - s.x0, width(30, "Ann Lee"), 0.6); /* 30pt: it fits */
	assert_float_equal((s.x0 + s.x1) / 2, NX + NW / 2, 0.6);

	while (unit * size > NW)
		size -= 0.25;
	/* between whole points: the steps are quarter points */
	assert_true(size < 30 && size > 10 && fmod(size, 1) != 0);
	m = name_line(longer, &n, all);
	assert_int_equal(n, 1);
	assert_string_equal(m.text, longer);
	assert_float_equal(m.x1 - m.x0, unit * size, 0.6);
	assert_true(m.x1 - m.x0 <= NW + 0.5);
	assert_true(unit * (size + 0.25) > NW); /* the largest that fits */
	assert_float_equal((m.x0 + m.x1) / 2, NX + NW / 2, 0.6);
	assert_float_equal(m.h / s.h, size / 30, 0.02); /* drawn smaller */

	m = name_line(longest, &n, all);
	assert_true(n >= 2); /* at min-size it wraps */
	assert_float_equal(m.h / s.h, 10.0 / 30, 0.02);
	for (int i = 0; i < n; i++) {
		assert_true(all[i].x1 - all[i].x0 <= NW + 0.5);
		assert_float_equal((all[i].x0 + all[i].x1) / 2, NX + NW / 2, 0.6);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(breaks_where_the_next_word_no_longer_fits),
		cmocka_unit_test(every_line_fits_and_is_full),
		cmocka_unit_test(a_word_wider_than_the_line_is_cut),
		cmocka_unit_test(justified_and_centred_paragraphs),
		cmocka_unit_test(long_names_are_shrunk_to_fit),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
