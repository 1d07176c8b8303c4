/* What the certification report counts: per course run, the learners
 * achieved (assigned.xml), held (held.xml) and rejected (rejected.xml, and
 * those whose award render withdrew: a name no font could print). */
#include "pack.h"

#include <stdlib.h>
#include <string.h>

#include "batchfile.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct count {
	struct cp_pack *p;
	const char *run;   /* the course run being read (assigned.xml) */
	int which;         /* 0 achieved, 1 held, 2 rejected */
};

static struct cp_pack_run *run_of(struct cp_pack *p, const char *id, const char *qual)
{
	struct cp_pack_run *r;

	for (size_t i = 0; i < p->nruns; i++)
		if (!strcmp(p->runs[i].id, id))
			return &p->runs[i];
	p->runs = cp_xrealloc(p->runs, (p->nruns + 1) * sizeof(*p->runs));
	r = &p->runs[p->nruns++];
	memset(r, 0, sizeof(*r));
	r->id = cp_xstrdup(id);
	r->qualification = cp_xstrdup(qual ? qual : "");
	return r;
}

static int on_header(void *ctx, xmlNodePtr n)
{
	struct count *c = ctx;
	struct cp_pack *p = c->p;

	if (xmlStrcmp(n->name, (const xmlChar *)"centre") || p->centre)
		return 0;
	p->centre = cp_xstrdup(cp_node_attr(n, "number") ? cp_node_attr(n, "number") : "");
	p->centre_name = cp_xstrdup(cp_node_attr(n, "name") ? cp_node_attr(n, "name") : "");
	return 0;
}

static int on_run_start(void *ctx, xmlNodePtr run)
{
	struct count *c = ctx;
	const char *id = cp_node_attr(run, "id");

	if (!id)
		return cp_error("a course run without its id");
	run_of(c->p, id, cp_node_attr(run, "qualification"));
	c->run = run_of(c->p, id, NULL)->id;
	return 0;
}

static int on_run_end(void *ctx, xmlNodePtr run)
{
	(void)run;
	((struct count *)ctx)->run = NULL;
	return 0;
}

/* 1 if the learner's award is still the batch's, 0 if render withdrew it,
 * -1 on a registry error. */
static int still_awarded(struct cp_pack *p, xmlNodePtr l)
{
	long long award = cp_node_attr_long(l, "award-id", -1);

	return award < 0 ? 1 : cp_registry_award_of_batch(p->reg, award, p->batch);
}

static int on_learner(void *ctx, xmlNodePtr l)
{
	struct count *c = ctx;
	struct cp_pack_run *r;
	int mine = 1;
	const char *id = c->run ? c->run : cp_node_attr(l, "course-run");

	if (xmlStrcmp(l->name, (const xmlChar *)"learner"))
		return 0;
	if (!id)
		return cp_error("line %ld: a learner outside any course run",
				cp_node_attr_long(l, "line", 0));
	r = run_of(c->p, id, cp_node_attr(l, "qualification"));
	if (c->which == 0 && (mine = still_awarded(c->p, l)) < 0)
		return -1;
	if (c->which == 0 && !mine) {
		r->rejected++;
		c->p->rejected++;
	} else if (c->which == 0) {
		xmlNodePtr award = cp_node_child(l, "award");

		if (!r->title && cp_node_text(award, "title"))
			r->title = cp_xstrdup(cp_node_text(award, "title"));
		r->achieved++;
		c->p->achieved++;
	} else if (c->which == 1) {
		r->held++;
		c->p->held++;
	} else {
		r->rejected++;
		c->p->rejected++;
	}
	return 0;
}

int cp_pack_count_runs(struct cp_pack *p)
{
	static const char *const files[] = { "assigned", "held", "rejected" };
	struct count c = { p, NULL, 0 };
	struct cp_batchfile_handler h = { &c, on_header, on_run_start, on_run_end, on_learner };

	for (c.which = 0; c.which < 3; c.which++) {
		char *path = cp_xasprintf("%s/%s.xml", p->dir, files[c.which]);
		int rc = cp_batchfile_read(path, files[c.which], &h, NULL);

		free(path);
		if (rc < 0)
			return -1;
	}
	if (!p->centre)
		return cp_error("batch %s: assigned.xml names no centre", p->batch);
	return 0;
}
