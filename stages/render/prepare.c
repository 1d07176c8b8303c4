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

#include "util/atomic.h"
#include "batchfile.h"
#include "engine/coverage.h"
#include "engine/subset.h"
#include "util/exitcode.h"
#include "doctype.h"
#include "util/msg.h"
#include "registry.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct scan {
	struct cp_render *r;
	struct cp_registry *reg;
	int failed, config;
	long index;          /* the learner's place in assigned.xml */
	long long *withdraw; /* the awards refused now */
	size_t nwithdraw, awithdraw;
	char *centre_why;    /* the centre name cannot be printed */
	const char *centre;
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

/* The fonts the learner's documents draw text in. */
static void learner_cover(const struct cp_render *r, xmlNodePtr award, struct cp_coverage *c)
{
	memset(c, 0, sizeof(*c));
	for (int i = 0; i < CP_NDOCTYPES; i++) {
		const char *name = cp_node_attr(award, cp_doctypes[i].template_attr);
		const struct cp_layout *l = name ? cp_render_layout(r, name) : NULL;

		if (l)
			cp_coverage_add_layout(c, l, &r->fonts);
	}
}

/* The learner's names that a font of its templates cannot draw: 1 with the
 * reason in why. The catalogue's titles are checked too: one no font draws
 * is a configuration error (-1 after a message; fix the fonts or the title,
 * then render again), never the learner's. */
static int unprintable(const struct cp_render *r, xmlNodePtr l, char *why, size_t n)
{
	xmlNodePtr award = cp_node_child(l, "award");
	struct cp_coverage c;

	learner_cover(r, award, &c);
	if (cp_coverage_check(&c, "qualification title", cp_node_text(award, "title"), why, n))
		return cp_error("qualification '%s': %s", cp_node_attr(award, "qualification"), why);
	for (xmlNodePtr u = l->children; u; u = u->next)
		if (u->type == XML_ELEMENT_NODE && !xmlStrcmp(u->name, (const xmlChar *)"unit") &&
		    cp_coverage_check(&c, "unit title", cp_node_text(u, "title"), why, n))
			return cp_error("qualification '%s': unit '%s': %s",
					cp_node_attr(award, "qualification"), cp_node_attr(u, "ref"), why);
	return cp_coverage_check(&c, "first name", cp_node_text(l, "first-name"), why, n) ||
	       cp_coverage_check(&c, "middle names", cp_node_text(l, "middle-names"), why, n) ||
	       cp_coverage_check(&c, "last name", cp_node_text(l, "last-name"), why, n);
}

static void skip(struct cp_render *r, long index)
{
	r->skip = cp_xgrow(r->skip, &r->askip, r->nskip + 1, sizeof(*r->skip));
	r->skip[r->nskip++] = index;
}

bool cp_render_skipped(const struct cp_render *r, long index)
{
	size_t lo = 0, hi = r->nskip;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (r->skip[mid] == index)
			return true;
		if (r->skip[mid] < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static int on_learner_templates(void *ctx, xmlNodePtr l)
{
	struct scan *s = ctx;
	xmlNodePtr award = cp_node_child(l, "award");

	if (xmlStrcmp(l->name, (const xmlChar *)"learner"))
		return 0;
	s->r->learners++;
	for (int i = 0; i < CP_NDOCTYPES && !s->failed; i++)
		if (need_layout(s, cp_node_attr(award, cp_doctypes[i].template_attr)) < 0)
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

/* A learner whose award an earlier attempt withdrew is skipped; one whose
 * printed text a font of its templates cannot draw is refused now (or every
 * learner, if the centre name cannot be printed). */
static int on_learner_glyphs(void *ctx, xmlNodePtr l)
{
	struct scan *s = ctx;
	long long award = cp_node_attr_long(l, "award-id", -1);
	char why[512];
	int mine, bad;

	if (xmlStrcmp(l->name, (const xmlChar *)"learner"))
		return 0;
	s->index++;
	/* a learner whose documents are all revoked is printed nowhere */
	if (!any_rendered(s->r, l))
		return 0;
	if (award < 0)
		return cp_error("learner '%s' (line %ld): no award-id in assigned.xml",
				cp_node_attr(l, "enrolment"), cp_node_attr_long(l, "line", 0));
	if ((mine = cp_registry_award_of_batch(s->reg, award, s->r->batch)) < 0)
		return s->failed = 1, -1;
	if (!mine) {
		skip(s->r, s->index - 1);
		s->r->refused++;
		return 0;
	}
	if ((bad = unprintable(s->r, l, why, sizeof(why))) < 0)
		return s->config = 1, -1;
	if (!s->centre_why && !bad)
		return 0;
	cp_warn("learner '%s' (line %ld): %s: refused, its award withdrawn (nothing of it was "
		"issued)", cp_node_attr(l, "enrolment"), cp_node_attr_long(l, "line", 0),
		s->centre_why ? s->centre_why : why);
	s->withdraw = cp_xgrow(s->withdraw, &s->awithdraw, s->nwithdraw + 1, sizeof(*s->withdraw));
	s->withdraw[s->nwithdraw++] = award;
	skip(s->r, s->index - 1);
	s->r->refused++;
	return 0;
}

/* The centre name is on every document: checked against every template's
 * fonts. */
static int on_header(void *ctx, xmlNodePtr n)
{
	struct scan *s = ctx;
	struct cp_coverage c = { .n = 0 };
	char why[512];

	if (xmlStrcmp(n->name, (const xmlChar *)"centre"))
		return 0;
	for (int i = 0; i < s->r->nlayouts; i++)
		cp_coverage_add_layout(&c, &s->r->layouts[i], &s->r->fonts);
	if (cp_coverage_check(&c, "centre name", cp_node_attr(n, "name"), why, sizeof(why))) {
		cp_error("centre '%s': %s: every learner of the batch is refused",
			 cp_node_attr(n, "number") ? cp_node_attr(n, "number") : "", why);
		s->centre_why = cp_xstrdup(why);
	}
	return 0;
}

/* The refused learners' awards withdrawn in one transaction: from its
 * commit on they are no batch's, and every later attempt skips them. */
static int withdraw(struct scan *s)
{
	if (!s->nwithdraw)
		return 0;
	if (cp_registry_begin(s->reg) < 0)
		return -1;
	for (size_t i = 0; i < s->nwithdraw; i++)
		if (cp_registry_award_withdraw(s->reg, s->withdraw[i], s->r->batch) < 0) {
			cp_registry_rollback(s->reg);
			return -1;
		}
	return cp_registry_commit(s->reg);
}

int cp_render_prepare(struct cp_render *r, struct cp_registry *reg)
{
	struct scan s = { .r = r, .reg = reg };
	struct cp_batchfile_handler templates = { &s, NULL, NULL, NULL, on_learner_templates };
	struct cp_batchfile_handler glyphs = { &s, on_header, NULL, NULL, on_learner_glyphs };
	char *assigned = cp_xasprintf("%s/assigned.xml", r->dir), *fontdir;
	const char *files[1 + CP_RENDER_MAX_LAYOUTS];
	int rc = CP_EX_OK;

	if (cp_batchfile_read(assigned, "assigned", &templates, NULL) < 0) {
		rc = s.failed ? CP_EX_CONFIG : CP_EX_DATAERR;
		goto out;
	}
	if (cp_batchfile_read(assigned, "assigned", &glyphs, NULL) < 0) {
		rc = s.config ? CP_EX_CONFIG : s.failed ? CP_EX_IOERR : CP_EX_DATAERR;
		goto out;
	}
	if (withdraw(&s) < 0) {
		rc = CP_EX_IOERR;
		goto out;
	}
	if (r->refused && r->refused == r->learners) {
		cp_error("every learner of the batch was refused: nothing to render (the awards are "
			 "withdrawn; a corrected file gives them again)");
		rc = CP_EX_DATAERR;
		goto out;
	}
	files[0] = assigned;
	for (int i = 0; i < r->nlayouts; i++)
		files[1 + i] = r->layouts[i].path;
	fontdir = cp_xasprintf("%s/fonts", r->dir);
	if (cp_fontset_subset(&r->fonts, files, 1 + r->nlayouts, fontdir, r->subset) < 0)
		rc = CP_EX_CANTCREAT;
	free(fontdir);
out:
	free(s.withdraw);
	free(s.centre_why);
	free(assigned);
	return rc;
}

void cp_render_release(struct cp_render *r)
{
	for (int i = 0; i < r->nlayouts; i++)
		cp_layout_release(&r->layouts[i]);
	for (int i = 0; i < CP_MAX_FONTS; i++)
		free(r->subset[i]);
	free(r->skip);
	cp_fontset_release(&r->fonts);
	cp_render_select_release(r);
	free(r->dir);
	memset(r, 0, sizeof(*r));
}
