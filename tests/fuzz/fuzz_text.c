/* The PDF writer's text path (engine/draw.c, pdf.c, pdftype0.c): any bytes
 * as every value of a document (names, titles, dates, the reference and
 * each row of a table), laid out by a template with shrinking, rotated,
 * wrapped, justified and right-aligned text, a QR code and a table that
 * flows over pages, in DejaVu Sans and Serif Bold subset to every
 * character they have; the document is saved, and must come out a PDF.
 * The same bytes are also wrapped at a width the input chooses: every
 * line but a cut word fits. */
#include "fuzz.h"

#include "engine/draw.h"

#define FONTS "/usr/share/fonts/truetype/dejavu/"

static const char template_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<template xmlns=\"urn:certpress:layout:1\" page=\"A4\">\n"
	"  <fonts><font name=\"sans\" file=\"" FONTS "DejaVuSans.ttf\"/>\n"
	"    <font name=\"bold\" file=\"" FONTS "DejaVuSerif-Bold.ttf\"/></fonts>\n"
	"  <text x=\"105mm\" y=\"150mm\" align=\"center\" font=\"bold\" size=\"40pt\" angle=\"35\"\n"
	"        pages=\"all\">{learner.last_name|upper}</text>\n"
	"  <text x=\"20mm\" y=\"40mm\" width=\"80mm\" align=\"center\" font=\"bold\" size=\"30pt\"\n"
	"        min-size=\"10pt\">{learner.full_name}</text>\n"
	"  <paragraph x=\"20mm\" y=\"60mm\" width=\"100mm\" align=\"justify\" font=\"sans\"\n"
	"             size=\"11pt\">{qualification.title} for {centre.name}</paragraph>\n"
	"  <paragraph x=\"20mm\" y=\"90mm\" width=\"60mm\" align=\"right\" font=\"sans\"\n"
	"             size=\"9pt\">{award.date|long} {document.issued|short}</paragraph>\n"
	"  <qr x=\"170mm\" y=\"12mm\" size=\"22mm\" level=\"M\" pages=\"all\"/>\n"
	"  <table x=\"18mm\" y=\"120mm\" width=\"174mm\" continue-y=\"40mm\" bottom=\"270mm\"\n"
	"         font=\"sans\" header-font=\"bold\" size=\"8.5pt\" row-height=\"6.5mm\">\n"
	"    <column title=\"Unit\" width=\"28mm\">{unit.ref}</column>\n"
	"    <column title=\"Title\" width=\"126mm\">{unit.title}</column>\n"
	"    <column title=\"Grade\" width=\"20mm\" align=\"right\">{unit.grade}</column>\n"
	"  </table>\n"
	"  <text x=\"192mm\" y=\"284mm\" align=\"right\" font=\"sans\" size=\"7.5pt\"\n"
	"        pages=\"all\">Page {page} of {pages} · {document.reference}</text>\n"
	"</template>\n";

#define NROWS 40

static struct cp_fontset set;
static struct cp_layout layout;
static struct cp_pdf pdf;
static char *subset[CP_MAX_FONTS];
static struct cp_unit_values rows[NROWS];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tpl;

	(void)argc;
	(void)argv;
	tpl = fuzz_write("t.xml", (const uint8_t *)template_xml, sizeof(template_xml) - 1);
	(void)tpl;
	if (cp_layout_load(&layout, fuzz_dir(), "t", &set) < 0)
		abort();
	for (int i = 0; i < set.n; i++) {
		char path[128];

		snprintf(path, sizeof(path), "%s/font%d.ttf", fuzz_dir(), i);
		subset[i] = strdup(path);
		if (cp_font_subset(&set.font[i], set.font[i].coverage, path) < 0)
			abort();
	}
	if (cp_pdf_new(&pdf, &set, subset) < 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size), **lines;
	struct cp_values v = { .units = rows };
	unsigned char *buf;
	size_t len;
	double width;
	int n;

	for (int i = 0; i < CP_NBINDINGS; i++)
		v.v[i] = s;
	for (int r = 0; r < NROWS; r++)
		for (int k = 0; k < CP_NBINDINGS - CP_B_FIRST_UNIT; k++)
			rows[r].v[k] = s;
	/* a few rows or many: from one page to several */
	v.nunits = size ? data[0] % NROWS : 0;
	FUZZ_ASSERT(cp_pdf_begin(&pdf) == 0);
	n = cp_draw(&pdf, &layout, &v, size > 1 && (data[1] & 1));
	if (n > 0 && cp_pdf_save(&pdf, &(struct cp_pdf_info){ .title = s }, &buf, &len) == 0) {
		FUZZ_ASSERT(len > 8 && !memcmp(buf, "%PDF-", 5));
		free(buf);
	}
	width = 5 + (size > 2 ? data[2] : 100);
	n = cp_draw_wrap(&pdf, 0, 10, s, width, &lines);
	FUZZ_ASSERT(n >= 1);
	for (int i = 0; i < n; i++) {
		/* a line wider than the width is one word cut to a character */
		FUZZ_ASSERT(cp_pdf_text_width(&pdf, 0, 10, lines[i]) <= width + 1e-6 ||
			    !strchr(lines[i], ' '));
		free(lines[i]);
	}
	free(lines);
	free(s);
	return 0;
}
