/* Before any PDF: every template the batch needs, loaded and checked (errors
 * with file and line); every character of the batch's text checked against
 * the fonts, so no name is ever printed as blank boxes; one subset of each
 * font holding the batch's characters. */
#include "render.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../pipeline/atomic.h"
#include "../../pipeline/batchfile.h"
#include "../../pipeline/exitcode.h"
#include "../../pipeline/msg.h"
#include "../../pipeline/utf8.h"
#include "../../pipeline/xalloc.h"
#include "../../pipeline/banned.h"

struct scan {
	struct cp_render *r;
	int failed, bad_names;
};

const struct cp_layout *cp_render_layout(const struct cp_render *r, const char *name)
{
	for (int i = 0; i < r->nlayouts; i++)
		if (!strcmp(r->layouts[i].name, name))
			return &r->layouts[i];
	return NULL;
}

static int template_name_ok(const char *s)
{
	if (!s || !*s || strlen(s) > 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

static int need_layout(struct scan *s, const char *name)
{
	struct cp_render *r = s->r;

	if (!name || cp_render_layout(r, name))
		return 0;
	if (!template_name_ok(name))
		return cp_error("'%s' is not a template name", name);
	if (r->nlayouts == CP_RENDER_MAX_LAYOUTS)
		return cp_error("more than %d templates", CP_RENDER_MAX_LAYOUTS);
	if (cp_layout_load(&r->layouts[r->nlayouts], r->conf->layouts, name, &r->fonts) < 0)
		return -1;
	r->nlayouts++;
	return 0;
}

/* Every character of a learner's printed text must be in every font. */
static void check_text(struct scan *s, xmlNodePtr l, const char *what, const char *text)
{
	const unsigned char *p = (const unsigned char *)(text ? text : "");
	size_t left = strlen((const char *)p);
	uint32_t cp;

	while (left) {
		size_t n = cp_utf8_decode(p, left, &cp);

		if (!n)
			break;
		for (int f = 0; f < s->r->fonts.n; f++)
			if (!cp_font_covers(&s->r->fonts.font[f], cp)) {
				cp_error("learner '%s' (line %ld): %s: character U+%04X is in no glyph "
					 "of font '%s' (%s)", cp_node_attr(l, "enrolment"),
					 cp_node_attr_long(l, "line", 0), what, (unsigned)cp,
					 s->r->fonts.font[f].name, s->r->fonts.font[f].path);
				s->bad_names++;
				return;
			}
		p += n;
		left -= n;
	}
}

static int on_learner_templates(void *ctx, xmlNodePtr l)
{
	struct scan *s = ctx;
	xmlNodePtr award = cp_node_child(l, "award");

	if (xmlStrcmp(l->name, (const xmlChar *)"learner"))
		return 0;
	s->r->learners++;
	if (need_layout(s, cp_node_attr(award, "layout")) < 0 ||
	    need_layout(s, cp_node_attr(award, "transcript")) < 0 ||
	    need_layout(s, cp_node_attr(award, "letter")) < 0)
		s->failed = 1;
	return s->failed ? -1 : 0;
}

/* Whether any of a learner's documents is still to be rendered. */
static bool any_rendered(const struct cp_render *r, xmlNodePtr l)
{
	for (xmlNodePtr d = l->children; d; d = d->next)
		if (d->type == XML_ELEMENT_NODE && !xmlStrcmp(d->name, (const xmlChar *)"document") &&
		    !cp_render_left_out(r, cp_node_attr(d, "reference")))
			return true;
	return false;
}

static int on_learner_glyphs(void *ctx, xmlNodePtr l)
{
	struct scan *s = ctx;

	/* a learner whose documents are all revoked is printed nowhere */
	if (xmlStrcmp(l->name, (const xmlChar *)"learner") || !any_rendered(s->r, l))
		return 0;
	check_text(s, l, "first name", cp_node_text(l, "first-name"));
	check_text(s, l, "middle names", cp_node_text(l, "middle-names"));
	check_text(s, l, "last name", cp_node_text(l, "last-name"));
	check_text(s, l, "qualification title", cp_node_text(cp_node_child(l, "award"), "title"));
	for (xmlNodePtr u = l->children; u; u = u->next)
		if (u->type == XML_ELEMENT_NODE && !xmlStrcmp(u->name, (const xmlChar *)"unit"))
			check_text(s, l, "unit title", cp_node_text(u, "title"));
	return 0;
}

static int on_header(void *ctx, xmlNodePtr n)
{
	struct scan *s = ctx;

	if (!xmlStrcmp(n->name, (const xmlChar *)"centre"))
		check_text(s, n, "centre name", cp_node_attr(n, "name"));
	return 0;
}

int cp_render_prepare(struct cp_render *r)
{
	struct scan s = { r, 0, 0 };
	struct cp_batchfile_handler templates = { &s, NULL, NULL, NULL, on_learner_templates };
	struct cp_batchfile_handler glyphs = { &s, on_header, NULL, NULL, on_learner_glyphs };
	char *assigned = cp_xasprintf("%s/assigned.xml", r->dir), *fontdir;
	hb_set_t *chars;
	int rc = CP_EX_OK;

	if (cp_batchfile_read(assigned, "assigned", &templates, NULL) < 0) {
		rc = s.failed ? CP_EX_CONFIG : CP_EX_DATAERR;
		goto out;
	}
	if (cp_batchfile_read(assigned, "assigned", &glyphs, NULL) < 0) {
		rc = CP_EX_DATAERR;
		goto out;
	}
	if (s.bad_names) {
		cp_error("%d learners have characters no font can draw: add a font that has them "
			 "to the templates, then render again", s.bad_names);
		rc = CP_EX_DATAERR;
		goto out;
	}
	chars = hb_set_create();
	hb_set_add_range(chars, 0x20, 0x7e);
	cp_font_add_file_chars(chars, assigned);
	for (int i = 0; i < r->nlayouts; i++)
		cp_font_add_file_chars(chars, r->layouts[i].path);
	fontdir = cp_xasprintf("%s/fonts", r->dir);
	if (cp_mkdirs(fontdir) < 0)
		rc = CP_EX_CANTCREAT;
	for (int i = 0; rc == CP_EX_OK && i < r->fonts.n; i++) {
		r->subset[i] = cp_xasprintf("%s/%s.ttf", fontdir, r->fonts.font[i].name);
		if (cp_font_subset(&r->fonts.font[i], chars, r->subset[i]) < 0)
			rc = CP_EX_CANTCREAT;
	}
	free(fontdir);
	hb_set_destroy(chars);
out:
	free(assigned);
	return rc;
}

void cp_render_release(struct cp_render *r)
{
	for (int i = 0; i < r->nlayouts; i++)
		cp_layout_release(&r->layouts[i]);
	for (int i = 0; i < CP_MAX_FONTS; i++)
		free(r->subset[i]);
	cp_fontset_release(&r->fonts);
	cp_render_select_release(r);
	free(r->dir);
	memset(r, 0, sizeof(*r));
}
