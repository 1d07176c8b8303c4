/* The validate stage's three output files. Each ends with <end count="N"/>,
 * so a reader can tell a whole file from a truncated one. */
#include "validate.h"

#include <errno.h>
#include <string.h>

#include "catalogue.h"
#include "util/date.h"
#include "util/msg.h"
#include "util/banned.h"

int cp_vout_open(struct cp_vout *o, const char *path, const char *root,
		 const struct cp_vout_head *h)
{
	memset(o, 0, sizeof(*o));
	o->root = root;
	if (cp_xmlout_create(&o->xml, &o->file, path, root, h->batch) < 0)
		return -1;
	cp_xmlout_attr(&o->xml, "results", h->results);
	cp_xmlout_attr(&o->xml, "sha256", h->sha256);
	return 0;
}

void cp_vout_head(struct cp_vout *o, const struct cp_results_head *rh)
{
	cp_xmlout_start(&o->xml, "submission");
	cp_xmlout_attr(&o->xml, "id", rh->id);
	cp_xmlout_attr(&o->xml, "submitted", rh->submitted);
	cp_xmlout_end(&o->xml);
	cp_xmlout_start(&o->xml, "centre");
	cp_xmlout_attr(&o->xml, "number", rh->centre_number);
	cp_xmlout_attr(&o->xml, "name", rh->centre_name);
	cp_xmlout_attr_opt(&o->xml, "email", rh->centre_email);
	cp_xmlout_end(&o->xml);
}

void cp_vout_run_start(struct cp_vout *o, const struct cp_run *run)
{
	cp_xmlout_start(&o->xml, "course-run");
	cp_xmlout_attr(&o->xml, "id", run->id);
	cp_xmlout_attr(&o->xml, "qualification", run->qualification);
	cp_xmlout_attr(&o->xml, "start", run->start);
	cp_xmlout_attr(&o->xml, "end", run->end);
	cp_xmlout_attr(&o->xml, "verifier", run->verifier);
	cp_xmlout_attr(&o->xml, "verified", run->verified);
	cp_xmlout_attr_long(&o->xml, "line", run->line);
	o->in_run = 1;
}

void cp_vout_run_end(struct cp_vout *o)
{
	if (o->in_run)
		cp_xmlout_end(&o->xml);
	o->in_run = 0;
}

static void learner_start(struct cp_vout *o, const struct cp_learner *l)
{
	cp_xmlout_start(&o->xml, "learner");
	cp_xmlout_attr_long(&o->xml, "line", l->line);
	cp_xmlout_attr(&o->xml, "enrolment", l->enrolment);
	cp_xmlout_attr(&o->xml, "candidate", l->candidate);
}

void cp_vout_accepted(struct cp_vout *o, const struct cp_learner *l,
		      const struct cp_qualification *q)
{
	struct cp_date awarded;
	char expires[11];

	learner_start(o, l);
	cp_xmlout_text_element(&o->xml, "first-name", l->first_name);
	if (l->middle_names)
		cp_xmlout_text_element(&o->xml, "middle-names", l->middle_names);
	cp_xmlout_text_element(&o->xml, "last-name", l->last_name);
	cp_xmlout_text_element(&o->xml, "dob", l->dob);
	if (l->email)
		cp_xmlout_text_element(&o->xml, "email", l->email);
	cp_xmlout_start(&o->xml, "award");
	cp_xmlout_attr(&o->xml, "qualification", q->number);
	cp_xmlout_attr_long(&o->xml, "level", q->level);
	cp_xmlout_attr(&o->xml, "grade", l->grade);
	cp_xmlout_attr(&o->xml, "awarded", l->awarded);
	if (q->expires_after_months > 0 && cp_date_parse(l->awarded, &awarded))
		cp_xmlout_attr(&o->xml, "expires",
			       cp_date_format(cp_date_add_months(awarded, q->expires_after_months),
					      expires));
	for (int i = 0; i < CP_NDOCTYPES; i++)
		if (cp_doctypes[i].every_award)
			cp_xmlout_attr(&o->xml, cp_doctypes[i].template_attr, q->templates[i]);
		else
			cp_xmlout_attr_opt(&o->xml, cp_doctypes[i].template_attr, q->templates[i]);
	cp_xmlout_text_element(&o->xml, "title", q->title);
	cp_xmlout_end(&o->xml);
	for (size_t i = 0; i < l->nunits; i++) {
		const struct cp_unit *u = cp_qualification_unit(q, l->units[i].ref);

		cp_xmlout_start(&o->xml, "unit");
		cp_xmlout_attr(&o->xml, "ref", u->ref);
		cp_xmlout_attr(&o->xml, "grade", l->units[i].grade);
		cp_xmlout_attr_long(&o->xml, "credits", u->credits);
		cp_xmlout_attr_long(&o->xml, "level", u->level);
		cp_xmlout_attr(&o->xml, "mandatory", u->mandatory ? "true" : "false");
		cp_xmlout_text_element(&o->xml, "title", u->title);
		cp_xmlout_end(&o->xml);
	}
	cp_xmlout_end(&o->xml);
	o->count++;
}

void cp_vout_rejected(struct cp_vout *o, const struct cp_run *run,
		      const struct cp_learner *l, const struct cp_reasons *why)
{
	learner_start(o, l);
	cp_xmlout_attr(&o->xml, "course-run", run->id);
	cp_xmlout_attr(&o->xml, "qualification", run->qualification);
	cp_xmlout_attr(&o->xml, "status", l->status);
	for (size_t i = 0; i < why->n; i++) {
		cp_xmlout_start(&o->xml, "reason");
		cp_xmlout_attr_long(&o->xml, "line", why->v[i].line);
		cp_xmlout_text_element(&o->xml, "text", why->v[i].text);
		cp_xmlout_end(&o->xml);
	}
	cp_xmlout_end(&o->xml);
	o->count++;
}

void cp_vout_held(struct cp_vout *o, const struct cp_run *run, const struct cp_learner *l)
{
	learner_start(o, l);
	cp_xmlout_attr(&o->xml, "course-run", run->id);
	cp_xmlout_attr(&o->xml, "qualification", run->qualification);
	cp_xmlout_attr(&o->xml, "status", l->status);
	cp_xmlout_end(&o->xml);
	o->count++;
}

int cp_vout_commit(struct cp_vout *o)
{
	cp_vout_run_end(o);
	cp_xmlout_start(&o->xml, "end");
	cp_xmlout_attr_long(&o->xml, "count", o->count);
	cp_xmlout_end(&o->xml);
	cp_xmlout_end(&o->xml);
	if (cp_xmlout_finish(&o->xml) < 0) {
		cp_error("%s: cannot write: %s", o->file.path, strerror(errno));
		cp_atomic_abort(&o->file);
		return -1;
	}
	return cp_atomic_commit(&o->file);
}

void cp_vout_abort(struct cp_vout *o)
{
	cp_xmlout_finish(&o->xml);
	cp_atomic_abort(&o->file);
}
