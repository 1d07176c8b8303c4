/* The assign stage. All of a batch's registry writes are one transaction;
 * assigned.xml is written to a temp file meanwhile and renamed only after the
 * commit. Awards are found again by (enrolment, qualification, award date)
 * and documents by (award, type, issue 1), so a re-run after a crash at any
 * point gives the same references and never a second original. */
#include "assign.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "util/atomic.h"
#include "awardunits.h"
#include "batchfile.h"
#include "doctype.h"
#include "util/date.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/progress.h"
#include "ref.h"
#include "registry.h"
#include "spool.h"
#include "stage.h"
#include "util/xalloc.h"
#include "xmlout.h"
#include "util/banned.h"

#define X(s) ((const xmlChar *)(s))

struct assign {
	const struct cp_conf *conf;
	struct cp_registry *reg; /* the stage's */
	struct cp_ref_key key;
	struct cp_atomic file;
	struct cp_xmlout xml;
	xmlDocPtr scratch;      /* owns the copies of learners being extended */
	char batch[CP_BATCH_ID_MAX];
	char today[11];
	const char *centre, *centre_name;
	char *centre_copy, *centre_name_copy;
	const char *run_id;
	char *run_copy;
	long learners, documents, duplicates, fresh;
	struct cp_progress progress;
};

/* 1: the award is this batch's (new or from an earlier attempt); 0: it was
 * made by another batch (a duplicate); -1: error. */
static int find_or_add_award(struct assign *a, xmlNodePtr l, xmlNodePtr award, long long *id)
{
	struct cp_award rec = {
		.enrolment = cp_node_attr(l, "enrolment"),
		.qualification = cp_node_attr(award, "qualification"),
		.awarded = cp_node_attr(award, "awarded"),
		.title = cp_node_text(award, "title"),
		.level = cp_node_attr_long(award, "level", 0),
		.candidate = cp_node_attr(l, "candidate"),
		.first_name = cp_node_text(l, "first-name"),
		.middle_names = cp_node_text(l, "middle-names"),
		.last_name = cp_node_text(l, "last-name"),
		.dob = cp_node_text(l, "dob"),
		.email = cp_node_text(l, "email"),
		.grade = cp_node_attr(award, "grade"),
		.centre = a->centre,
		.centre_name = a->centre_name,
		.course_run = a->run_id,
		.batch = a->batch,
	};
	char made_by[CP_BATCH_ID_MAX];
	int found = cp_award_find(a->reg, rec.enrolment, rec.qualification, rec.awarded, id,
				  made_by);

	if (found)
		return found < 0 ? -1 : !strcmp(made_by, a->batch);
	return cp_award_add(a->reg, &rec, id) < 0 ? -1 : 1;
}

/* The document of this type for the award: found again, or issued now. */
static int document(struct assign *a, long long award_id, const char *type, const char *expires,
		    xmlNodePtr learner_copy)
{
	char ref[CP_REF_LEN + 1], issued[11];
	xmlNodePtr doc;
	int found;

	snprintf(issued, sizeof(issued), "%s", a->today);
	found = cp_award_original(a->reg, award_id, type, ref, sizeof(ref), issued,
				  sizeof(issued));
	if (found < 0)
		return -1;
	if (!found) {
		uint32_t serial;
		int fresh;

		/* a serial drawn before (whatever became of its documents) is
		 * never used again: draw again */
		do {
			serial = cp_ref_draw_serial(&a->key);
			if ((fresh = cp_serial_claim(a->reg, serial)) < 0)
				return -1;
		} while (!fresh);
		cp_ref_format(&a->key, serial, 1, ref);
		if (cp_award_issue(a->reg, ref, serial, award_id, type, issued, expires,
				   a->batch,
				   cp_node_attr(cp_node_child(learner_copy, "award"),
						cp_doctype_of(type)->template_attr)) < 0)
			return -1;
		a->fresh++;
	}
	doc = xmlNewChild(learner_copy, NULL, X("document"), NULL);
	xmlNewProp(doc, X("type"), X(type));
	xmlNewProp(doc, X("reference"), X(ref));
	xmlNewProp(doc, X("issue"), X("1"));
	xmlNewProp(doc, X("issued"), X(issued));
	if (expires)
		xmlNewProp(doc, X("expires"), X(expires));
	a->documents++;
	return 0;
}

static int on_header(void *ctx, xmlNodePtr node)
{
	struct assign *a = ctx;

	if (!xmlStrcmp(node->name, X("centre"))) {
		free(a->centre_copy);
		free(a->centre_name_copy);
		a->centre = a->centre_copy = cp_xstrdup(cp_node_attr(node, "number"));
		a->centre_name = a->centre_name_copy = cp_xstrdup(cp_node_attr(node, "name"));
	}
	cp_xmlout_node(&a->xml, node);
	return 0;
}

static int on_run_start(void *ctx, xmlNodePtr run)
{
	struct assign *a = ctx;

	free(a->run_copy);
	a->run_id = a->run_copy = cp_xstrdup(cp_node_attr(run, "id"));
	cp_xmlout_start_copy(&a->xml, run);
	return 0;
}

static int on_run_end(void *ctx, xmlNodePtr run)
{
	(void)run;
	cp_xmlout_end(&((struct assign *)ctx)->xml);
	return 0;
}

static int on_learner(void *ctx, xmlNodePtr l)
{
	struct assign *a = ctx;
	xmlNodePtr award = cp_node_child(l, "award"), copy;
	const char *expires = cp_node_attr(award, "expires");
	long long award_id = 0;
	char id[32];
	int mine, rc = 0;

	a->learners++;
	if (!award || !a->centre)
		return cp_error("learner '%s' at line %ld: no award or centre in accepted.xml",
				cp_node_attr(l, "enrolment"), cp_node_attr_long(l, "line", 0));
	mine = find_or_add_award(a, l, award, &award_id);
	if (mine < 0)
		return -1;
	if (!mine) {
		a->duplicates++;
		cp_warn("learner '%s': qualification '%s' awarded on %s was certificated in "
			"another batch: recorded as a duplicate, no documents issued",
			cp_node_attr(l, "enrolment"), cp_node_attr(award, "qualification"),
			cp_node_attr(award, "awarded"));
		cp_xmlout_start(&a->xml, "duplicate");
		cp_xmlout_attr(&a->xml, "line", cp_node_attr(l, "line"));
		cp_xmlout_attr(&a->xml, "enrolment", cp_node_attr(l, "enrolment"));
		cp_xmlout_attr(&a->xml, "qualification", cp_node_attr(award, "qualification"));
		cp_xmlout_attr(&a->xml, "awarded", cp_node_attr(award, "awarded"));
		cp_xmlout_end(&a->xml);
		return 0;
	}
	/* the award's units, kept so the verification page, a reprint or a
	 * later letter never needs this batch's files */
	if (cp_award_units_record(a->reg, award_id, l) < 0)
		return -1;
	copy = xmlDocCopyNode(l, a->scratch, 1);
	if (!copy)
		cp_bug("out of memory");
	cp_xmlout_strip_blanks(copy);
	snprintf(id, sizeof(id), "%lld", award_id);
	xmlSetProp(copy, X("award-id"), X(id));
	for (int i = 0; i < CP_NDOCTYPES && rc == 0; i++) {
		const struct cp_doctype *t = &cp_doctypes[i];

		if ((t->every_award || cp_node_attr(award, t->template_attr)) &&
		    document(a, award_id, t->name, expires, copy) < 0)
			rc = -1;
	}
	if (rc == 0)
		cp_xmlout_node(&a->xml, copy);
	xmlFreeNode(copy);
	cp_progress_tick(&a->progress, 1);
	return rc;
}

static int write_assigned(struct assign *a, const char *dir, char **counts)
{
	struct cp_batchfile_handler h = { a, on_header, on_run_start, on_run_end, on_learner };
	char *in = cp_xasprintf("%s/accepted.xml", dir);
	char *path = cp_xasprintf("%s/assigned.xml", dir);
	int rc = CP_EX_IOERR;

	if (cp_xmlout_create(&a->xml, &a->file, path, "assigned", a->batch) < 0) {
		rc = CP_EX_CANTCREAT;
		goto out;
	}
	if (cp_registry_begin(a->reg) < 0)
		goto abort;
	cp_progress_start(&a->progress, "assign", "learners", 0);
	if (cp_batchfile_read(in, "accepted", &h, NULL) < 0) {
		cp_progress_end(&a->progress);
		cp_registry_rollback(a->reg);
		goto abort;
	}
	cp_progress_end(&a->progress);
	cp_xmlout_start(&a->xml, "end");
	cp_xmlout_attr_long(&a->xml, "count", a->learners - a->duplicates);
	cp_xmlout_attr_long(&a->xml, "documents", a->documents);
	cp_xmlout_attr_long(&a->xml, "duplicates", a->duplicates);
	cp_xmlout_end(&a->xml);
	cp_xmlout_end(&a->xml);
	if (cp_xmlout_finish(&a->xml) < 0 || fflush(a->file.fp) != 0) {
		cp_error("%s: cannot write: %s", path, strerror(errno));
		cp_registry_rollback(a->reg);
		goto abort;
	}
	/* The registry first: a crash after this re-reads the same references. */
	if (cp_registry_commit(a->reg) < 0)
		goto abort;
	if (cp_atomic_commit(&a->file) < 0)
		goto out;
	*counts = cp_xasprintf("{\"learners\":%ld,\"documents\":%ld,\"new_documents\":%ld,"
			       "\"duplicates\":%ld}", a->learners, a->documents, a->fresh,
			       a->duplicates);
	rc = CP_EX_OK;
	goto out;
abort:
	cp_xmlout_finish(&a->xml);
	cp_atomic_abort(&a->file);
out:
	free(in);
	free(path);
	return rc;
}

static int assign_batch(struct cp_stage *st, void *ctx, char **counts)
{
	struct assign *a = ctx;
	int rc;

	snprintf(a->batch, sizeof(a->batch), "%s", st->batch);
	if (cp_ref_key_load(&a->key, a->conf->key_file) < 0)
		return CP_EX_CONFIG;
	a->reg = &st->reg;
	a->scratch = xmlNewDoc(X("1.0"));
	rc = write_assigned(a, st->dir, counts);
	if (rc == CP_EX_OK)
		cp_info("%ld learners: %ld documents (%ld new), %ld duplicates", a->learners,
			a->documents, a->fresh, a->duplicates);
	return rc;
}

int cp_assign_run(const struct cp_conf *conf, const char *batch_arg, FILE *out)
{
	struct assign a;
	int rc;

	memset(&a, 0, sizeof(a));
	a.conf = conf;
	cp_date_format(cp_date_today(), a.today);
	rc = cp_stage_run("assign", conf, batch_arg, out, assign_batch, &a);
	xmlFreeDoc(a.scratch);
	free(a.centre_copy);
	free(a.centre_name_copy);
	free(a.run_copy);
	cp_ref_key_wipe(&a.key);
	return rc;
}
