/* Validate's glyph rule: the fonts each qualification's documents are drawn
 * in, from its templates, loaded once per template and shared by name (the
 * same parse render makes), so a character no font can draw rejects the
 * learner here instead of stopping render. */
#include "validate.h"

#include <stdlib.h>
#include <string.h>

#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct vfont_template {
	char *name;
	struct cp_coverage cover;
};

struct vfont_qual {
	const struct cp_qualification *q;
	struct cp_coverage cover;
};

static const struct cp_coverage *template_cover(struct cp_vfonts *f, const char *name)
{
	struct cp_layout l;

	for (size_t i = 0; i < f->ntemplates; i++)
		if (!strcmp(f->templates[i].name, name))
			return &f->templates[i].cover;
	if (cp_layout_load(&l, f->layouts, name, &f->set) < 0)
		return NULL;
	f->templates = cp_xgrow(f->templates, &f->atemplates, f->ntemplates + 1,
				sizeof(*f->templates));
	memset(&f->templates[f->ntemplates], 0, sizeof(*f->templates));
	f->templates[f->ntemplates].name = cp_xstrdup(name);
	cp_coverage_add_layout(&f->templates[f->ntemplates].cover, &l, &f->set);
	cp_layout_release(&l);
	return &f->templates[f->ntemplates++].cover;
}

static void cover_union(struct cp_coverage *c, const struct cp_coverage *add)
{
	for (int i = 0; i < add->n; i++) {
		int have = 0;

		for (int j = 0; j < c->n; j++)
			have |= c->font[j] == add->font[i];
		if (!have && c->n < CP_MAX_FONTS)
			c->font[c->n++] = add->font[i];
	}
}

/* The catalogue's titles are printed too: one no font can draw is the
 * catalogue's or the templates' fault, not a learner's. */
static int check_titles(struct cp_vfonts *f, const struct cp_qualification *q,
			const struct cp_coverage *c)
{
	char why[512];

	if (cp_coverage_check(c, "title", q->title, why, sizeof(why)))
		return cp_error("%s:%ld: qualification '%s': %s", f->catalogue, q->title_line,
				q->number, why);
	for (size_t i = 0; i < q->nunits; i++)
		if (cp_coverage_check(c, "title", q->units[i].title, why, sizeof(why)))
			return cp_error("%s:%ld: qualification '%s': unit '%s': %s", f->catalogue,
					q->units[i].title_line, q->number, q->units[i].ref, why);
	return 0;
}

const struct cp_coverage *cp_vfonts_of(struct cp_vfonts *f, const struct cp_qualification *q)
{
	char *const *names = q->templates;
	struct cp_coverage c = { .n = 0 };

	for (size_t i = 0; i < f->nquals; i++)
		if (f->quals[i].q == q)
			return &f->quals[i].cover;
	for (int i = 0; i < CP_NDOCTYPES; i++) {
		const struct cp_coverage *t;

		if (!names[i])
			continue;
		if (!(t = template_cover(f, names[i]))) {
			/* render stops on it (78) with the same message; until the
			 * template is fixed there are no fonts to check against */
			cp_warn("qualification '%s': template '%s' cannot be loaded: its learners' "
				"names are not checked against its fonts here", q->number, names[i]);
			memset(&c, 0, sizeof(c));
			break;
		}
		cover_union(&c, t);
	}
	if (check_titles(f, q, &c) < 0)
		return NULL;
	f->quals = cp_xgrow(f->quals, &f->aquals, f->nquals + 1, sizeof(*f->quals));
	f->quals[f->nquals].q = q;
	f->quals[f->nquals].cover = c;
	return &f->quals[f->nquals++].cover;
}

void cp_vfonts_release(struct cp_vfonts *f)
{
	for (size_t i = 0; i < f->ntemplates; i++)
		free(f->templates[i].name);
	free(f->templates);
	free(f->quals);
	cp_fontset_release(&f->set);
	memset(f, 0, sizeof(*f));
}
