/* Templates (engine/layout.c): a small template read into its elements
 * with every attribute in points, and every error reported with the
 * template's file and the line it is on, all of them, not the first only. */
#include "unit.h"

#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "engine/layout.h"

#define SANS "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
#define SERIF "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
#define MM (72.0 / 25.4)
#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

static char dir[] = "/tmp/cp-layout-XXXXXX";

static void put(const char *name, const char *text)
{
	char file[64];

	snprintf(file, sizeof(file), "%s.xml", name);
	unit_file(dir, file, text);
}

/* Load a template of this text; its messages in *msgs (caller frees). */
static int load(const char *name, const char *text, struct cp_layout *l,
		struct cp_fontset *set, char **msgs)
{
	int saved, rc;

	put(name, text);
	saved = unit_capture();
	rc = cp_layout_load(l, dir, name, set);
	*msgs = unit_captured(saved);
	return rc;
}

static int setup(void **state)
{
	(void)state;
	return unit_dir_make(dir);
}

static int teardown(void **state)
{
	(void)state;
	return unit_dir_remove(dir);
}

static void lengths_need_a_unit(void **state)
{
	double pt = -1;

	(void)state;
	assert_true(cp_length_parse("12mm", &pt));
	assert_float_equal(pt, 12 * MM, 1e-9);
	assert_true(cp_length_parse("2.5cm", &pt));
	assert_float_equal(pt, 25 * MM, 1e-9);
	assert_true(cp_length_parse("1in", &pt));
	assert_float_equal(pt, 72, 1e-9);
	assert_true(cp_length_parse("30pt", &pt));
	assert_float_equal(pt, 30, 1e-9);
	assert_true(cp_length_parse("-3mm", &pt));
	assert_float_equal(pt, -3 * MM, 1e-9);
	assert_false(cp_length_parse("12", &pt));
	assert_false(cp_length_parse("12 mm", &pt));
	assert_false(cp_length_parse("12px", &pt));
	assert_false(cp_length_parse("mm", &pt));
	assert_false(cp_length_parse("", &pt));
	assert_false(cp_length_parse(NULL, &pt));
}

static const char good[] =
	HEAD
	"<template xmlns=\"urn:certpress:layout:1\" page=\"A5\" orientation=\"landscape\">\n"
	"  <fonts><font name=\"sans\" file=\"" SANS "\"/></fonts>\n"
	"  <!-- a comment is no element -->\n"
	"  <text x=\"10mm\" y=\"20mm\" width=\"100mm\" align=\"center\" font=\"sans\" size=\"20pt\"\n"
	"        min-size=\"10pt\" mode=\"digital\" if=\"learner.middle_names\">  Dear\n"
	"     {learner.first_name},\t</text>\n"
	"  <paragraph x=\"1in\" width=\"5cm\" align=\"justify\" font=\"sans\" size=\"11pt\"\n"
	"             leading=\"1.2\" pages=\"all\">We are {award.date|long}.</paragraph>\n"
	"  <rect x=\"1mm\" y=\"2mm\" width=\"3mm\" height=\"4mm\" fill=\"#FF0000\" stroke=\"none\"/>\n"
	"  <line x1=\"1mm\" y1=\"2mm\" x2=\"30mm\" y2=\"2mm\" color=\"#00FF00\" line-width=\"2pt\"\n"
	"        mode=\"print\"/>\n"
	"  <qr x=\"5mm\" y=\"6mm\" size=\"20mm\" level=\"H\"/>\n"
	"  <table x=\"10mm\" y=\"30mm\" width=\"100mm\" font=\"sans\">\n"
	"    <column title=\"Unit\" width=\"30mm\">{unit.ref}</column>\n"
	"    <column title=\"Title\" width=\"70mm\" align=\"right\">{unit.title}</column>\n"
	"  </table>\n"
	"</template>\n";

static void a_template_becomes_its_elements(void **state)
{
	struct cp_fontset set = { 0 };
	struct cp_layout l;
	const struct cp_element *e;
	char *msgs;

	(void)state;
	assert_int_equal(load("good", good, &l, &set, &msgs), 0);
	assert_string_equal(msgs, "");
	free(msgs);
	assert_float_equal(l.page_w, 595.276, 0.001); /* A5, landscape */
	assert_float_equal(l.page_h, 419.528, 0.001);
	assert_int_equal(set.n, 1);
	assert_string_equal(set.font[0].name, "sans");
	assert_int_equal(l.nel, 6);

	/* an element's line is where its start tag ends (libxml2's) */
	e = &l.el[0];
	assert_int_equal(e->kind, CP_EL_TEXT);
	assert_int_equal(e->line, 6);
	assert_float_equal(e->x, 10 * MM, 1e-9);
	assert_float_equal(e->y, 20 * MM, 1e-9);
	assert_float_equal(e->w, 100 * MM, 1e-9);
	assert_float_equal(e->size, 20, 1e-9);
	assert_float_equal(e->min_size, 10, 1e-9);
	assert_int_equal(e->align, CP_CENTER);
	assert_int_equal(e->font, 0);
	assert_int_equal(e->mode, CP_MODE_DIGITAL);
	assert_int_equal(e->pages, CP_PAGES_FIRST);
	assert_int_equal(e->cond, CP_B_MIDDLE_NAMES);
	/* white space runs flow into one space; bindings become parts */
	assert_int_equal(e->text.n, 3);
	assert_int_equal(e->text.parts[0].binding, -1);
	assert_string_equal(e->text.parts[0].text, "Dear ");
	assert_int_equal(e->text.parts[1].binding, CP_B_FIRST_NAME);
	assert_string_equal(e->text.parts[2].text, ",");

	e = &l.el[1];
	assert_int_equal(e->kind, CP_EL_PARAGRAPH);
	assert_int_equal(e->line, 9);
	assert_float_equal(e->x, 72, 1e-9);
	assert_float_equal(e->y, -1, 1e-9); /* no y: it flows */
	assert_float_equal(e->w, 50 * MM, 1e-9);
	assert_int_equal(e->align, CP_JUSTIFY);
	assert_float_equal(e->leading, 1.2, 1e-9);
	assert_float_equal(e->space_before, 11, 1e-9);
	assert_int_equal(e->pages, CP_PAGES_ALL);
	assert_int_equal(e->text.parts[1].binding, CP_B_AWARDED);
	assert_int_equal(e->text.parts[1].format, CP_F_LONG_DATE);

	e = &l.el[2];
	assert_int_equal(e->kind, CP_EL_RECT);
	assert_true(e->filled);
	assert_false(e->stroke);
	assert_int_equal(e->fill, 0xFF0000);
	assert_float_equal(e->h, 4 * MM, 1e-9);

	e = &l.el[3];
	assert_int_equal(e->kind, CP_EL_LINE);
	assert_float_equal(e->x2, 30 * MM, 1e-9);
	assert_int_equal(e->color, 0x00FF00);
	assert_float_equal(e->line_width, 2, 1e-9);
	assert_int_equal(e->mode, CP_MODE_PRINT);

	e = &l.el[4];
	assert_int_equal(e->kind, CP_EL_QR);
	assert_int_equal(e->qr_level, 3);
	assert_float_equal(e->w, 20 * MM, 1e-9);

	e = &l.el[5];
	assert_int_equal(e->kind, CP_EL_TABLE);
	assert_int_equal(e->line, 14);
	assert_int_equal(e->pages, CP_PAGES_ALL); /* a table flows onto every page it needs */
	assert_int_equal(e->ncols, 2);
	assert_float_equal(e->cols[1].width, 70 * MM, 1e-9);
	assert_int_equal(e->cols[1].align, CP_RIGHT);
	assert_string_equal(e->cols[1].title.parts[0].text, "Title");
	assert_int_equal(e->cols[0].value.parts[0].binding, CP_B_UNIT_REF);
	cp_layout_release(&l);
	cp_fontset_release(&set);
}

/* One error a line, each reported with its line, every one of them. */
static const char bad[] =
	HEAD
	"<template xmlns=\"urn:certpress:layout:1\">\n"
	"  <fonts><font name=\"sans\" file=\"" SANS "\"/></fonts>\n"
	"  <circle x=\"1mm\"/>\n"
	"  <text x=\"10\" y=\"1mm\" font=\"sans\">a</text>\n"
	"  <text x=\"1mm\" y=\"1mm\" font=\"sans\" colour=\"#000000\">a</text>\n"
	"  <text x=\"1mm\" y=\"1mm\" font=\"serif\">a</text>\n"
	"  <text x=\"1mm\" y=\"1mm\" font=\"sans\">{learner.nickname}</text>\n"
	"  <text x=\"1mm\" y=\"1mm\" width=\"5cm\" font=\"sans\" size=\"10pt\" min-size=\"12pt\">a</text>\n"
	"  <rect x=\"1mm\" y=\"1mm\" width=\"1mm\" height=\"1mm\" fill=\"red\"/>\n"
	"  <qr x=\"1mm\" y=\"1mm\" level=\"Z\"/>\n"
	"  <text x=\"1mm\" y=\"1mm\" font=\"sans\">{unit.title}</text>\n"
	"  <rect x=\"1mm\" y=\"1mm\" width=\"1mm\" height=\"1mm\">drawn?</rect>\n"
	"  <text y=\"1mm\" font=\"sans\">no x</text>\n"
	"  <paragraph x=\"1mm\" width=\"1mm\" font=\"sans\" align=\"middle\">a</paragraph>\n"
	"  <text x=\"1mm\" y=\"1mm\" font=\"sans\">{award.date|roman}</text>\n"
	"  <text x=\"1mm\" y=\"1mm\" font=\"sans\" mode=\"paper\">a</text>\n"
	"</template>\n";

static void every_error_with_its_line(void **state)
{
	static const char *const want[] = {
		"bad.xml:4: unknown element <circle>",
		"bad.xml:5: <text>: x '10' is not a length with a unit (mm, cm, in, pt)",
		"bad.xml:6: <text>: unknown attribute 'colour'",
		"bad.xml:7: <text>: font 'serif' is not declared in <fonts>",
		"bad.xml:8: <text>: unknown binding '{learner.nickname}'",
		"bad.xml:9: <text>: min-size is larger than size",
		"bad.xml:10: <rect>: fill 'red' is not a colour (#RRGGBB)",
		"bad.xml:11: <qr>: level 'Z' is not L, M, Q or H",
		"bad.xml:12: <text>: '{unit.title}' is only known in a table row",
		"bad.xml:13: <rect>: text here is not drawn",
		"bad.xml:14: <text>: 'x' is required",
		"bad.xml:15: <paragraph>: align 'middle' is not left, center, right or justify",
		"bad.xml:16: <text>: unknown format 'roman' (long, short or upper)",
		"bad.xml:17: <text>: mode 'paper' is not digital or print",
	};
	struct cp_fontset set = { 0 };
	struct cp_layout l;
	char *msgs, *p;
	int lines = 0;

	(void)state;
	assert_int_equal(load("bad", bad, &l, &set, &msgs), -1);
	for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++) {
		if (!strstr(msgs, want[i]))
			fail_msg("no '%s' in:\n%s", want[i], msgs);
	}
	for (p = msgs; (p = strstr(p, ": error: ")); p++)
		lines++;
	assert_int_equal(lines, (int)(sizeof(want) / sizeof(*want)));
	/* the path is the template's own */
	assert_non_null(strstr(msgs, dir));
	assert_null(l.el); /* nothing of a bad template is kept */
	free(msgs);
	cp_fontset_release(&set);
}

static void a_file_that_is_not_a_template(void **state)
{
	struct cp_fontset set = { 0 };
	struct cp_layout l;
	char *msgs;

	(void)state;
	assert_int_equal(load("broken", HEAD "<template xmlns=\"urn:certpress:layout:1\">\n"
				  "  <text x=\"1mm\" y=\"1mm\" font=\"sans\">a</txet>\n"
				  "</template>\n", &l, &set, &msgs), -1);
	assert_non_null(strstr(msgs, "broken.xml:3: "));
	free(msgs);
	assert_int_equal(load("root", HEAD "<template>\n</template>\n", &l, &set, &msgs), -1);
	assert_non_null(strstr(msgs, "root.xml:2: the root is not <template xmlns=\"urn:certpress:layout:1\">"));
	free(msgs);
	assert_int_equal(load("foreign", HEAD "<template xmlns=\"urn:certpress:layout:1\" "
				  "xmlns:x=\"urn:x\">\n  <x:text/>\n</template>\n", &l, &set, &msgs), -1);
	assert_non_null(strstr(msgs, "foreign.xml:3: unknown element <x:text> (namespace 'urn:x')"));
	free(msgs);
	assert_int_equal(load("page", HEAD "<template xmlns=\"urn:certpress:layout:1\" page=\"A3\">\n"
				  "</template>\n", &l, &set, &msgs), -1);
	assert_non_null(strstr(msgs, "page.xml:2: page 'A3' is not A4, A5, Letter"));
	free(msgs);
	/* a page of its own size */
	assert_int_equal(load("own", HEAD "<template xmlns=\"urn:certpress:layout:1\" "
				  "page=\"100mm 2in\">\n</template>\n", &l, &set, &msgs), 0);
	assert_float_equal(l.page_w, 100 * MM, 1e-9);
	assert_float_equal(l.page_h, 144, 1e-9);
	free(msgs);
	cp_layout_release(&l);
	assert_int_equal(load("missing-file", HEAD, &l, &set, &msgs), -1);
	free(msgs);
	cp_fontset_release(&set);
}

/* Templates of one process share their fonts by name: one face for one
 * name, and a name that means another file elsewhere is an error. */
static void fonts_are_shared_by_name(void **state)
{
	static const char one[] = HEAD "<template xmlns=\"urn:certpress:layout:1\">\n"
		"  <fonts><font name=\"sans\" file=\"" SANS "\"/></fonts>\n"
		"  <text x=\"1mm\" y=\"1mm\" font=\"sans\">a</text>\n"
		"</template>\n";
	static const char two[] = HEAD "<template xmlns=\"urn:certpress:layout:1\">\n"
		"  <fonts>\n"
		"    <font name=\"serif\" file=\"" SERIF "\"/>\n"
		"    <font name=\"sans\" file=\"" SANS "\"/>\n"
		"  </fonts>\n"
		"  <text x=\"1mm\" y=\"1mm\" font=\"sans\">a</text>\n"
		"</template>\n";
	static const char other[] = HEAD "<template xmlns=\"urn:certpress:layout:1\">\n"
		"  <fonts><font name=\"sans\" file=\"" SERIF "\"/></fonts>\n"
		"</template>\n";
	static const char nowhere[] = HEAD "<template xmlns=\"urn:certpress:layout:1\">\n"
		"  <fonts><font name=\"gone\" file=\"/usr/share/fonts/none.ttf\"/></fonts>\n"
		"  <text x=\"1mm\" y=\"1mm\" font=\"gone\">a</text>\n"
		"</template>\n";
	struct cp_fontset set = { 0 };
	struct cp_layout a, b, c;
	char *msgs, *p;
	int n = 0;

	(void)state;
	assert_int_equal(load("one", one, &a, &set, &msgs), 0);
	free(msgs);
	assert_int_equal(load("two", two, &b, &set, &msgs), 0);
	free(msgs);
	assert_int_equal(set.n, 2);
	assert_int_equal(a.el[0].font, 0);
	assert_int_equal(b.el[0].font, 0); /* the same face: "sans" came first */
	assert_int_equal(load("other", other, &c, &set, &msgs), -1);
	assert_non_null(strstr(msgs, "other.xml:3: font 'sans' is "));
	assert_non_null(strstr(msgs, "in another template"));
	free(msgs);
	/* a font that cannot load is reported once, not again where it is used */
	assert_int_equal(load("nowhere", nowhere, &c, &set, &msgs), -1);
	assert_non_null(strstr(msgs, "nowhere.xml:3: font 'gone': cannot load"));
	for (p = msgs; (p = strstr(p, ": error: ")); p++)
		n++;
	assert_int_equal(n, 1);
	free(msgs);
	assert_int_equal(set.n, 2);
	cp_layout_release(&a);
	cp_layout_release(&b);
	cp_fontset_release(&set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lengths_need_a_unit),
		cmocka_unit_test(a_template_becomes_its_elements),
		cmocka_unit_test(every_error_with_its_line),
		cmocka_unit_test(a_file_that_is_not_a_template),
		cmocka_unit_test(fonts_are_shared_by_name),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
