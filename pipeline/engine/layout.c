/* Template parsing: the XML is read with the same hardened libxml2 set-up as
 * outside input, then every element and attribute is checked against what
 * the engine knows (its namespace too: nothing is skipped as someone
 * else's), and every file a template names is checked (asset.h, image.h). */
#include "engine/layout.h"

#include <errno.h>
#include <fcntl.h>
#include <libxml/tree.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/asset.h"
#include "util/msg.h"
#include "util/screen.h"
#include "util/xalloc.h"
#include "util/xml.h"
#include "util/banned.h"

#define X(s) ((const xmlChar *)(s))
#define MM (72.0 / 25.4)
#define FONT_MAX_BYTES (64L << 20) /* as pdffont.c reads one */

struct ctx {
	struct cp_layout *l;
	struct cp_fontset *set;
	const char *dir;
	long line;
	int failed;
	/* fonts declared but not loaded: already reported, not again where used */
	char *unloaded[CP_MAX_FONTS];
	int nunloaded;
};

static int bad(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(struct ctx *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cp_error("%s:%ld: %s", c->l->path, c->line, msg);
	c->failed = 1;
	return -1;
}

bool cp_length_parse(const char *s, double *pt)
{
	char *end;
	double v;

	if (!s || !*s)
		return false;
	v = strtod(s, &end);
	if (end == s)
		return false;
	if (!strcmp(end, "mm"))
		*pt = v * MM;
	else if (!strcmp(end, "cm"))
		*pt = v * 10 * MM;
	else if (!strcmp(end, "in"))
		*pt = v * 72;
	else if (!strcmp(end, "pt"))
		*pt = v;
	else
		return false;
	return true;
}

/* The element is the template language's: its namespace, not only its name. */
static bool ours(xmlNodePtr n)
{
	return n->ns && !xmlStrcmp(n->ns->href, X(CP_LAYOUT_NS));
}

/* "<x:b> (namespace 'urn:x')" or "<b> (no namespace)" for messages; open and
 * close mark the name: "<" and ">" for an element, "'" for an attribute. */
static const char *qname(const char *open, const xmlChar *prefix, const xmlChar *name,
			 const xmlChar *href, const char *close, char *buf, size_t n)
{
	char ns[200];

	if (href)
		snprintf(ns, sizeof(ns), " (namespace '%s')", (const char *)href);
	else
		snprintf(ns, sizeof(ns), " (no namespace)");
	snprintf(buf, n, "%s%s%s%s%s%s", open, prefix ? (const char *)prefix : "", prefix ? ":" : "",
		 (const char *)name, close, ns);
	return buf;
}

static const char *element_name(xmlNodePtr n, char *buf, size_t len)
{
	if (ours(n)) {
		snprintf(buf, len, "<%s>", (const char *)n->name);
		return buf;
	}
	return qname("<", n->ns ? n->ns->prefix : NULL, n->name, n->ns ? n->ns->href : NULL, ">",
		     buf, len);
}

/* A child of <parent>, which holds only <child> elements: true for one
 * (c->line at it); false for text and comments, and for any other
 * element, after saying so. */
static bool only_child(struct ctx *c, xmlNodePtr k, const char *parent, const char *child)
{
	char buf[300];

	if (k->type != XML_ELEMENT_NODE)
		return false;
	c->line = xmlGetLineNo(k);
	if (!ours(k) || xmlStrcmp(k->name, X(child))) {
		bad(c, "<%s>: unknown element %s (only <%s>)", parent,
		    element_name(k, buf, sizeof(buf)), child);
		return false;
	}
	return true;
}

static bool blank(const xmlChar *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

/* What an element holds besides what its parser reads: a comment, or white
 * space between elements. Anything else would be left out of the document
 * without a word, so it is an error: text where no text is drawn, a
 * processing instruction, an element of another namespace inside a text.
 * text_allowed: the element's content is a text (<text>, <paragraph>,
 * <column>); elements_allowed: it has child elements of its own, which
 * its parser checks. */
static void check_content(struct ctx *c, xmlNodePtr n, bool text_allowed, bool elements_allowed)
{
	long line = c->line;
	char buf[300];

	for (xmlNodePtr k = n->children; k; k = k->next) {
		c->line = xmlGetLineNo(k) > 0 ? xmlGetLineNo(k) : line;
		switch (k->type) {
		case XML_COMMENT_NODE:
			break;
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE:
			if (!text_allowed && !blank(k->content))
				bad(c, "<%s>: text here is not drawn (only <text>, <paragraph> and "
				    "<column> hold text)", (const char *)n->name);
			break;
		case XML_ELEMENT_NODE:
			if (text_allowed)
				bad(c, "<%s>: element %s inside a text (a text holds only text "
				    "and {bindings})", (const char *)n->name,
				    element_name(k, buf, sizeof(buf)));
			else if (!elements_allowed)
				bad(c, "<%s>: element %s inside it (it holds nothing)",
				    (const char *)n->name, element_name(k, buf, sizeof(buf)));
			break;
		default:
			bad(c, "<%s>: %s inside it (only elements, text and comments)",
			    (const char *)n->name,
			    k->type == XML_PI_NODE ? "a processing instruction" : "markup");
			break;
		}
	}
	c->line = line;
}

static const char *attr(xmlNodePtr n, const char *name)
{
	xmlAttrPtr a = xmlHasProp(n, X(name));

	return a ? cp_xml_text((xmlNodePtr)a) : NULL;
}

/* Every attribute of n must be in the allowed list (space-separated), and
 * in no namespace: x:font="..." is not font="...", nor is xml:lang known. */
static void check_attrs(struct ctx *c, xmlNodePtr n, const char *allowed)
{
	for (xmlAttrPtr a = n->properties; a; a = a->next) {
		const char *name = (const char *)a->name;
		const char *p = allowed;
		size_t len = strlen(name);
		int ok = 0;
		char buf[300];

		if (a->ns) {
			bad(c, "<%s>: unknown attribute %s", (const char *)n->name,
			    qname("'", a->ns->prefix, a->name, a->ns->href, "'", buf, sizeof(buf)));
			continue;
		}
		while ((p = strstr(p, name))) {
			if ((p == allowed || p[-1] == ' ') && (p[len] == ' ' || !p[len]))
				ok = 1;
			p += len;
		}
		if (!ok)
			bad(c, "<%s>: unknown attribute '%s'", (const char *)n->name, name);
	}
}

static double length(struct ctx *c, xmlNodePtr n, const char *name, double fallback, int need)
{
	const char *v = attr(n, name);
	double pt;

	if (!v) {
		if (need)
			bad(c, "<%s>: '%s' is required", (const char *)n->name, name);
		return fallback;
	}
	if (!cp_length_parse(v, &pt)) {
		bad(c, "<%s>: %s '%s' is not a length with a unit (mm, cm, in, pt)",
		    (const char *)n->name, name, v);
		return fallback;
	}
	return pt;
}

static uint32_t colour(struct ctx *c, xmlNodePtr n, const char *name, uint32_t fallback)
{
	const char *v = attr(n, name);
	char *end;
	unsigned long rgb;

	if (!v)
		return fallback;
	if (v[0] != '#' || strlen(v) != 7 || (rgb = strtoul(v + 1, &end, 16), *end)) {
		bad(c, "<%s>: %s '%s' is not a colour (#RRGGBB)", (const char *)n->name, name, v);
		return fallback;
	}
	return (uint32_t)rgb;
}

static int font_ref(struct ctx *c, xmlNodePtr n, const char *name, int need)
{
	const char *v = attr(n, name);

	if (!v) {
		if (need)
			bad(c, "<%s>: '%s' is required", (const char *)n->name, name);
		return 0;
	}
	for (int i = 0; i < c->set->n; i++)
		if (!strcmp(c->set->font[i].name, v))
			return i;
	for (int i = 0; i < c->nunloaded; i++)
		if (!strcmp(c->unloaded[i], v)) {
			c->failed = 1;
			return 0;
		}
	bad(c, "<%s>: font '%s' is not declared in <fonts>", (const char *)n->name, v);
	return 0;
}

static enum cp_align align(struct ctx *c, xmlNodePtr n, enum cp_align fallback)
{
	static const char *const names[] = { "left", "center", "right", "justify" };
	const char *v = attr(n, "align");

	if (!v)
		return fallback;
	for (int i = 0; i < 4; i++)
		if (!strcmp(v, names[i]))
			return (enum cp_align)i;
	bad(c, "<%s>: align '%s' is not left, center, right or justify", (const char *)n->name, v);
	return fallback;
}

static void text_of(struct ctx *c, xmlNodePtr n, struct cp_text *t, const char *src,
		    int units_allowed)
{
	char why[256];

	if (!src)
		src = cp_xml_text(n);
	{
		/* Template text flows: runs of white space become one space. */
		char *flat = cp_xstrdup(src ? src : ""), *o = flat;
		int space = 0;

		for (const char *p = src ? src : ""; *p; p++) {
			if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
				space = o != flat;
				continue;
			}
			if (space)
				*o++ = ' ';
			space = 0;
			*o++ = *p;
		}
		*o = '\0';
		if (cp_text_parse(t, flat, units_allowed, why, sizeof(why)) < 0)
			bad(c, "<%s>: %s", (const char *)n->name, why);
		free(flat);
	}
}

static void common(struct ctx *c, xmlNodePtr n, struct cp_element *e)
{
	const char *mode = attr(n, "mode"), *pages = attr(n, "pages"), *cond = attr(n, "if");

	e->line = c->line;
	e->cond = -1;
	if (mode && !strcmp(mode, "digital"))
		e->mode = CP_MODE_DIGITAL;
	else if (mode && !strcmp(mode, "print"))
		e->mode = CP_MODE_PRINT;
	else if (mode)
		bad(c, "<%s>: mode '%s' is not digital or print", (const char *)n->name, mode);
	if (pages && !strcmp(pages, "all"))
		e->pages = CP_PAGES_ALL;
	else if (pages && !strcmp(pages, "rest"))
		e->pages = CP_PAGES_REST;
	else if (pages && strcmp(pages, "first"))
		bad(c, "<%s>: pages '%s' is not first, all or rest", (const char *)n->name, pages);
	if (cond && (e->cond = cp_binding_find(cond)) < 0)
		bad(c, "<%s>: if '%s' names no binding", (const char *)n->name, cond);
	e->color = colour(c, n, "color", 0x000000);
	e->line_width = length(c, n, "line-width", 0.75, 0);
}

#define COMMON "mode pages if color line-width"

static void parse_table(struct ctx *c, xmlNodePtr n, struct cp_element *e)
{
	double total = 0;

	e->kind = CP_EL_TABLE;
	check_attrs(c, n, COMMON " x y width font header-font size row-height bottom "
			  "continue-y padding header-fill rule");
	e->x = length(c, n, "x", 0, 1);
	e->y = length(c, n, "y", 0, 1);
	e->w = length(c, n, "width", 0, 1);
	e->font = font_ref(c, n, "font", 1);
	e->header_font = attr(n, "header-font") ? font_ref(c, n, "header-font", 0) : e->font;
	e->size = length(c, n, "size", 9, 0);
	e->row_h = length(c, n, "row-height", e->size * 1.8, 0);
	e->bottom = length(c, n, "bottom", c->l->page_h - 20 * MM, 0);
	e->continue_y = length(c, n, "continue-y", e->y, 0);
	e->pad = length(c, n, "padding", 2 * MM, 0);
	e->header_fill = colour(c, n, "header-fill", 0xE8EDF3);
	e->rule = colour(c, n, "rule", 0xB0B8C4);
	check_content(c, n, false, true);
	for (xmlNodePtr k = n->children; k; k = k->next) {
		struct cp_column *col;

		if (!only_child(c, k, "table", "column"))
			continue;
		check_attrs(c, k, "title width align");
		check_content(c, k, true, false);
		e->cols = cp_xrealloc(e->cols, (e->ncols + 1) * sizeof(*e->cols));
		col = &e->cols[e->ncols++];
		memset(col, 0, sizeof(*col));
		col->width = length(c, k, "width", 0, 1);
		col->align = align(c, k, CP_LEFT);
		text_of(c, k, &col->title, attr(k, "title") ? attr(k, "title") : "", 0);
		text_of(c, k, &col->value, NULL, 1);
		total += col->width;
	}
	if (!e->ncols)
		bad(c, "<table>: no <column>");
	else if (total > e->w + 0.5)
		bad(c, "<table>: the columns (%.1fmm) are wider than the table (%.1fmm)",
		    total / MM, e->w / MM);
	/* a table flows onto the pages it needs unless told otherwise */
	if (!attr(n, "pages"))
		e->pages = CP_PAGES_ALL;
}

static void parse_text(struct ctx *c, xmlNodePtr n, struct cp_element *e)
{
	e->kind = CP_EL_TEXT;
	check_attrs(c, n, COMMON " x y width height align font size min-size angle");
	e->x = length(c, n, "x", 0, 1);
	e->y = length(c, n, "y", 0, 1);
	e->w = length(c, n, "width", 0, 0);
	e->h = length(c, n, "height", 0, 0);
	e->font = font_ref(c, n, "font", 1);
	e->size = length(c, n, "size", 12, 0);
	e->min_size = length(c, n, "min-size", e->size, 0);
	e->align = align(c, n, CP_LEFT);
	e->angle = attr(n, "angle") ? atof(attr(n, "angle")) : 0;
	if (e->min_size > e->size)
		bad(c, "<text>: min-size is larger than size");
	if (e->min_size < e->size && e->w <= 0)
		bad(c, "<text>: min-size needs a width to fit the text into");
	check_content(c, n, true, false);
	text_of(c, n, &e->text, NULL, 0);
}

static void parse_paragraph(struct ctx *c, xmlNodePtr n, struct cp_element *e)
{
	e->kind = CP_EL_PARAGRAPH;
	check_attrs(c, n, COMMON " x y width align font size leading space-before");
	e->x = length(c, n, "x", 0, 1);
	e->y = length(c, n, "y", -1, 0);
	e->w = length(c, n, "width", 0, 1);
	e->font = font_ref(c, n, "font", 1);
	e->size = length(c, n, "size", 11, 0);
	e->leading = attr(n, "leading") ? atof(attr(n, "leading")) : 1.4;
	e->space_before = length(c, n, "space-before", e->size, 0);
	e->align = align(c, n, CP_LEFT);
	check_content(c, n, true, false);
	text_of(c, n, &e->text, NULL, 0);
}

/* x, y, width and height, each required. */
static void box(struct ctx *c, xmlNodePtr n, struct cp_element *e)
{
	e->x = length(c, n, "x", 0, 1);
	e->y = length(c, n, "y", 0, 1);
	e->w = length(c, n, "width", 0, 1);
	e->h = length(c, n, "height", 0, 1);
}

static void parse_rect(struct ctx *c, xmlNodePtr n, struct cp_element *e)
{
	e->kind = CP_EL_RECT;
	check_attrs(c, n, COMMON " x y width height fill stroke");
	box(c, n, e);
	e->filled = attr(n, "fill") != NULL;
	e->fill = colour(c, n, "fill", 0xffffff);
	e->stroke = !attr(n, "stroke") || strcmp(attr(n, "stroke"), "none");
	if (e->stroke && attr(n, "stroke"))
		e->color = colour(c, n, "stroke", 0);
	check_content(c, n, false, false);
}

static void parse_line(struct ctx *c, xmlNodePtr n, struct cp_element *e)
{
	e->kind = CP_EL_LINE;
	check_attrs(c, n, COMMON " x1 y1 x2 y2");
	e->x = length(c, n, "x1", 0, 1);
	e->y = length(c, n, "y1", 0, 1);
	e->x2 = length(c, n, "x2", 0, 1);
	e->y2 = length(c, n, "y2", 0, 1);
	check_content(c, n, false, false);
}

static void parse_image(struct ctx *c, xmlNodePtr n, struct cp_element *e)
{
	const char *src = attr(n, "src");
	char why[300];

	e->kind = CP_EL_IMAGE;
	check_attrs(c, n, COMMON " src x y width height");
	box(c, n, e);
	check_content(c, n, false, false);
	if (!src) {
		bad(c, "<image>: 'src' is required");
	} else {
		e->src = cp_xstrdup(src);
		if (cp_image_load(&e->image, c->dir, src, why, sizeof(why)) < 0)
			bad(c, "image '%s': %s", src, why);
	}
}

static void parse_qr(struct ctx *c, xmlNodePtr n, struct cp_element *e)
{
	const char *lvl = attr(n, "level");

	e->kind = CP_EL_QR;
	check_attrs(c, n, COMMON " x y size level");
	e->x = length(c, n, "x", 0, 1);
	e->y = length(c, n, "y", 0, 1);
	e->w = e->h = length(c, n, "size", 25 * MM, 0);
	e->qr_level = !lvl ? 1 : !strcmp(lvl, "L") ? 0 : !strcmp(lvl, "M") ? 1
		    : !strcmp(lvl, "Q") ? 2 : !strcmp(lvl, "H") ? 3 : -1;
	if (e->qr_level < 0)
		bad(c, "<qr>: level '%s' is not L, M, Q or H", lvl);
	check_content(c, n, false, false);
}

/* Where a signed copy's signature shows (pdfsign.h): one a template. */
static void parse_seal(struct ctx *c, xmlNodePtr n, struct cp_element *e)
{
	e->kind = CP_EL_SEAL;
	check_attrs(c, n, COMMON " x y width height");
	e->x = length(c, n, "x", 0, 1);
	e->y = length(c, n, "y", 0, 1);
	e->w = length(c, n, "width", 0, 1);
	e->h = length(c, n, "height", 0, 1);
	check_content(c, n, false, false);
	for (size_t i = 0; i + 1 < c->l->nel; i++) /* e is the last one */
		if (c->l->el[i].kind == CP_EL_SEAL)
			bad(c, "<seal>: a template has one seal");
	if (e->w <= 0 || e->h <= 0)
		bad(c, "<seal>: width and height must be more than 0");
}

static const struct {
	const char *name;
	void (*parse)(struct ctx *c, xmlNodePtr n, struct cp_element *e);
} parsers[] = {
	{ "text", parse_text },
	{ "paragraph", parse_paragraph },
	{ "rect", parse_rect },
	{ "line", parse_line },
	{ "image", parse_image },
	{ "qr", parse_qr },
	{ "seal", parse_seal },
	{ "table", parse_table },
};

/* One drawing element, its attributes common to all read first (as the
 * messages come in that order), then its own. */
static void parse_element(struct ctx *c, xmlNodePtr n)
{
	const char *name = (const char *)n->name;
	struct cp_element *e;

	c->l->el = cp_xrealloc(c->l->el, (c->l->nel + 1) * sizeof(*c->l->el));
	e = &c->l->el[c->l->nel++];
	memset(e, 0, sizeof(*e));
	common(c, n, e);
	for (size_t i = 0; i < sizeof(parsers) / sizeof(*parsers); i++) {
		if (!strcmp(name, parsers[i].name)) {
			parsers[i].parse(c, n, e);
			return;
		}
	}
	c->l->nel--;
	bad(c, "unknown element <%s>", name);
}

/* A declared font that cannot be loaded: reported once, here. */
static void unloaded(struct ctx *c, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void unloaded(struct ctx *c, const char *name, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	bad(c, "%s", msg);
	if (c->nunloaded < CP_MAX_FONTS)
		c->unloaded[c->nunloaded++] = cp_xstrdup(name);
}

static void parse_fonts(struct ctx *c, xmlNodePtr n)
{
	check_attrs(c, n, "");
	check_content(c, n, false, true);
	for (xmlNodePtr f = n->children; f; f = f->next) {
		const char *name, *file;
		char *path, why[300];
		off_t size;
		int i, fd;

		if (!only_child(c, f, "fonts", "font"))
			continue;
		check_attrs(c, f, "name file");
		check_content(c, f, false, false);
		name = attr(f, "name");
		file = attr(f, "file");
		if (!name || !file) {
			bad(c, "<font>: 'name' and 'file' are required");
			continue;
		}
		fd = cp_asset_open(c->dir, file, CP_ASSET_FONT, FONT_MAX_BYTES, &size, &path, why,
				   sizeof(why));
		if (fd < 0) {
			unloaded(c, name, "font '%s': cannot load '%s': %s", name, file, why);
			continue;
		}
		close(fd);
		for (i = 0; i < c->set->n; i++)
			if (!strcmp(c->set->font[i].name, name))
				break;
		if (i < c->set->n) {
			if (strcmp(c->set->font[i].path, path))
				bad(c, "font '%s' is %s in another template", name, c->set->font[i].path);
		} else if (c->set->n == CP_MAX_FONTS) {
			bad(c, "more than %d fonts", CP_MAX_FONTS);
		} else if (cp_font_open(&c->set->font[c->set->n], name, path) < 0) {
			unloaded(c, name, "font '%s': cannot load '%s'", name, file);
		} else {
			c->set->n++;
		}
		free(path);
	}
}

static void parse_page(struct ctx *c, xmlNodePtr root)
{
	const char *size = attr(root, "page"), *orient = attr(root, "orientation");
	double w = 595.276, h = 841.89;

	if (!size || !strcmp(size, "A4"))
		;
	else if (!strcmp(size, "A5"))
		w = 419.528, h = 595.276;
	else if (!strcmp(size, "Letter"))
		w = 612, h = 792;
	else {
		char a[32], b[32];

		if (sscanf(size, "%31s %31s", a, b) != 2 || !cp_length_parse(a, &w) ||
		    !cp_length_parse(b, &h) || w <= 0 || h <= 0)
			bad(c, "page '%s' is not A4, A5, Letter or 'WIDTH HEIGHT' with units", size);
	}
	if (orient && !strcmp(orient, "landscape")) {
		double t = w;

		w = h;
		h = t;
	} else if (orient && strcmp(orient, "portrait")) {
		bad(c, "orientation '%s' is not portrait or landscape", orient);
	}
	c->l->page_w = w;
	c->l->page_h = h;
}

int cp_layout_load(struct cp_layout *l, const char *dir, const char *name,
		   struct cp_fontset *set)
{
	struct ctx c = { .l = l, .set = set, .dir = dir };
	struct cp_xml_error err = { 0, "" };
	struct cp_screen sc;
	xmlDocPtr doc = NULL;
	xmlNodePtr root;
	int fd, s;

	memset(l, 0, sizeof(*l));
	l->name = cp_xstrdup(name);
	l->path = cp_xasprintf("%s/%s.xml", dir, name);
	cp_xml_init();
	/* screened and parsed through one descriptor: a template swapped for a
	 * FIFO or another file in between is never read */
	fd = cp_screen_open(l->path, true, &sc);
	if (fd == CP_SCREEN_REFUSED || fd < 0) {
		if (fd < 0 && fd != CP_SCREEN_REFUSED)
			snprintf(sc.reason, sizeof(sc.reason), "cannot open: %s", strerror(errno));
		cp_error("%s: %s", l->path, sc.reason);
		cp_layout_release(l);
		return -1;
	}
	s = cp_screen_fd(fd, l->path, 4 << 20, &sc, NULL);
	if (s != 0 || lseek(fd, 0, SEEK_SET) < 0) {
		if (s > 0 && sc.line > 0)
			cp_error("%s:%ld: %s", l->path, sc.line, sc.reason);
		else if (s > 0)
			cp_error("%s: %s", l->path, sc.reason);
		else if (s == 0)
			cp_error("%s: cannot read: %s", l->path, strerror(errno));
		close(fd);
		cp_layout_release(l);
		return -1;
	}
	cp_xml_errors_to(&err);
	doc = xmlReadFd(fd, l->path, "UTF-8", CP_XML_PARSE_OPTIONS);
	close(fd);
	cp_xml_errors_to(NULL);
	if (!doc) {
		cp_error("%s:%ld: %s", l->path, err.line, err.message);
		cp_layout_release(l);
		return -1;
	}
	root = xmlDocGetRootElement(doc);
	c.line = xmlGetLineNo(root);
	if (xmlStrcmp(root->name, X("template")) || !root->ns ||
	    xmlStrcmp(root->ns->href, X(CP_LAYOUT_NS))) {
		bad(&c, "the root is not <template xmlns=\"%s\">", CP_LAYOUT_NS);
		goto out;
	}
	check_attrs(&c, root, "page orientation");
	check_content(&c, root, false, true);
	parse_page(&c, root);
	for (xmlNodePtr n = root->children; n; n = n->next) {
		char buf[300];

		if (n->type != XML_ELEMENT_NODE)
			continue;
		c.line = xmlGetLineNo(n);
		if (!ours(n))
			bad(&c, "unknown element %s", element_name(n, buf, sizeof(buf)));
		else if (!xmlStrcmp(n->name, X("fonts")))
			parse_fonts(&c, n);
		else
			parse_element(&c, n);
	}
out:
	for (int i = 0; i < c.nunloaded; i++)
		free(c.unloaded[i]);
	xmlFreeDoc(doc);
	if (c.failed) {
		cp_layout_release(l);
		return -1;
	}
	return 0;
}

void cp_layout_release(struct cp_layout *l)
{
	for (size_t i = 0; i < l->nel; i++) {
		struct cp_element *e = &l->el[i];

		cp_text_release(&e->text);
		free(e->src);
		cp_image_release(&e->image);
		for (size_t k = 0; k < e->ncols; k++) {
			cp_text_release(&e->cols[k].title);
			cp_text_release(&e->cols[k].value);
		}
		free(e->cols);
	}
	free(l->el);
	free(l->path);
	free(l->name);
	memset(l, 0, sizeof(*l));
}

void cp_fontset_release(struct cp_fontset *set)
{
	for (int i = 0; i < set->n; i++)
		cp_font_close(&set->font[i]);
	set->n = 0;
}
