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
#include "batchfile.h"
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

enum { Q_AWARD_FIND, Q_AWARD_ADD, Q_DOC_FIND, Q_SERIAL_ADD, Q_DOC_ADD, NQ };

static const char *const queries[NQ] = {
	[Q_AWARD_FIND] = "SELECT id, batch_id FROM awards WHERE enrolment = ?1"
			 " AND qualification = ?2 AND awarded = ?3",
	[Q_AWARD_ADD] = "INSERT INTO awards (enrolment, qualification, awarded,"
			" qualification_title, level, candidate, first_name, middle_names,"
			" last_name, dob, email, grade, centre, centre_name, course_run, batch_id)"
			" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
			" ?15, ?16)",
	[Q_DOC_FIND] = "SELECT reference, issued, expires FROM documents"
		       " WHERE award_id = ?1 AND type = ?2 AND issue = 1",
	[Q_SERIAL_ADD] = "INSERT OR IGNORE INTO serials (serial) VALUES (?1)",
	[Q_DOC_ADD] = "INSERT INTO documents (reference, serial, issue, award_id, type, issued,"
		      " expires, batch_id) VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, ?7)",
};

struct assign {
	struct cp_registry *reg; /* the stage's */
	struct cp_ref_key key;
	sqlite3_stmt *q[NQ];
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

static void bind_opt(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static int step_done(struct assign *a, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return cp_error("%s: %s: %s", a->reg->path, what, sqlite3_errmsg(a->reg->db));
	return 0;
}

/* 1: the award is this batch's (new or from an earlier attempt); 0: it was
 * made by another batch (a duplicate); -1: error. */
static int find_or_add_award(struct assign *a, xmlNodePtr l, xmlNodePtr award, long long *id)
{
	sqlite3_stmt *st = a->q[Q_AWARD_FIND];
	const char *enrolment = cp_node_attr(l, "enrolment");
	int rc;

	sqlite3_bind_text(st, 1, enrolment, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, cp_node_attr(award, "qualification"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, cp_node_attr(award, "awarded"), -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		int mine = !strcmp((const char *)sqlite3_column_text(st, 1), a->batch);

		*id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		return mine;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return cp_error("%s: cannot look up an award: %s", a->reg->path,
				sqlite3_errmsg(a->reg->db));
	st = a->q[Q_AWARD_ADD];
	bind_opt(st, 1, enrolment);
	bind_opt(st, 2, cp_node_attr(award, "qualification"));
	bind_opt(st, 3, cp_node_attr(award, "awarded"));
	bind_opt(st, 4, cp_node_text(award, "title"));
	sqlite3_bind_int64(st, 5, cp_node_attr_long(award, "level", 0));
	bind_opt(st, 6, cp_node_attr(l, "candidate"));
	bind_opt(st, 7, cp_node_text(l, "first-name"));
	bind_opt(st, 8, cp_node_text(l, "middle-names"));
	bind_opt(st, 9, cp_node_text(l, "last-name"));
	bind_opt(st, 10, cp_node_text(l, "dob"));
	bind_opt(st, 11, cp_node_text(l, "email"));
	bind_opt(st, 12, cp_node_attr(award, "grade"));
	bind_opt(st, 13, a->centre);
	bind_opt(st, 14, a->centre_name);
	bind_opt(st, 15, a->run_id);
	bind_opt(st, 16, a->batch);
	if (step_done(a, st, "cannot record an award") < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(a->reg->db);
	return 1;
}

/* The document of this type for the award: found again, or issued now. */
static int document(struct assign *a, long long award_id, const char *type, const char *expires,
		    xmlNodePtr learner_copy)
{
	sqlite3_stmt *st = a->q[Q_DOC_FIND];
	char ref[CP_REF_LEN + 1], issued[11];
	xmlNodePtr doc;
	int rc;

	snprintf(issued, sizeof(issued), "%s", a->today);
	sqlite3_bind_int64(st, 1, award_id);
	sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(ref, sizeof(ref), "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(issued, sizeof(issued), "%s", (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cp_error("%s: cannot look up a document: %s", a->reg->path,
				sqlite3_errmsg(a->reg->db));
	if (rc == SQLITE_DONE) {
		uint32_t serial;

		/* serials holds every serial ever drawn: INSERT OR IGNORE adds
		 * nothing for one already used, so draw again. */
		do {
			serial = cp_ref_draw_serial(&a->key);
			sqlite3_bind_int64(a->q[Q_SERIAL_ADD], 1, serial);
			if (step_done(a, a->q[Q_SERIAL_ADD], "cannot record a serial") < 0)
				return -1;
		} while (sqlite3_changes(a->reg->db) == 0);
		cp_ref_format(&a->key, serial, 1, ref);
		st = a->q[Q_DOC_ADD];
		sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, serial);
		sqlite3_bind_int64(st, 3, award_id);
		sqlite3_bind_text(st, 4, type, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, issued, -1, SQLITE_STATIC);
		bind_opt(st, 6, expires);
		bind_opt(st, 7, a->batch);
		if (step_done(a, st, "cannot record a document") < 0)
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
	copy = xmlDocCopyNode(l, a->scratch, 1);
	if (!copy)
		cp_bug("out of memory");
	cp_xmlout_strip_blanks(copy);
	snprintf(id, sizeof(id), "%lld", award_id);
	xmlSetProp(copy, X("award-id"), X(id));
	if (document(a, award_id, "certificate", expires, copy) < 0 ||
	    (cp_node_attr(award, "transcript") &&
	     document(a, award_id, "transcript", expires, copy) < 0) ||
	    (cp_node_attr(award, "letter") && document(a, award_id, "letter", expires, copy) < 0))
		rc = -1;
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

	if (cp_atomic_open(&a->file, path, 0640) < 0) {
		rc = CP_EX_CANTCREAT;
		goto out;
	}
	cp_xmlout_open(&a->xml, a->file.fp);
	cp_xmlout_start(&a->xml, "assigned");
	cp_xmlout_attr(&a->xml, "xmlns", "urn:certpress:batch:1");
	cp_xmlout_attr(&a->xml, "batch", a->batch);
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

int cp_assign_run(const struct cp_conf *conf, const char *batch_arg, FILE *out)
{
	struct cp_stage st;
	struct assign a;
	char *counts = NULL;
	int rc;

	memset(&a, 0, sizeof(a));
	cp_date_format(cp_date_today(), a.today);
	if ((rc = cp_stage_start(&st, "assign", conf, batch_arg)) != 0) {
		if (rc != CP_STAGE_DONE)
			goto out;
		rc = CP_EX_OK;
		goto done;
	}
	snprintf(a.batch, sizeof(a.batch), "%s", st.batch);
	if (cp_ref_key_load(&a.key, conf->key_file) < 0) {
		rc = CP_EX_CONFIG;
		goto end;
	}
	a.reg = &st.reg;
	for (int i = 0; i < NQ; i++)
		if (!(a.q[i] = cp_registry_prepare(a.reg, queries[i]))) {
			rc = CP_EX_SOFTWARE;
			goto end;
		}
	a.scratch = xmlNewDoc(X("1.0"));
	rc = write_assigned(&a, st.dir, &counts);
end:
	cp_stage_end(&st, rc, counts);
	if (rc == CP_EX_OK)
		cp_info("%ld learners: %ld documents (%ld new), %ld duplicates", a.learners,
			a.documents, a.fresh, a.duplicates);
done:
	if (rc == CP_EX_OK)
		fprintf(out, "%s %s\n", st.batch, st.dir);
out:
	for (int i = 0; i < NQ; i++)
		sqlite3_finalize(a.q[i]);
	xmlFreeDoc(a.scratch);
	free(a.centre_copy);
	free(a.centre_name_copy);
	free(a.run_copy);
	free(counts);
	cp_ref_key_wipe(&a.key);
	cp_stage_close(&st);
	return rc;
}
