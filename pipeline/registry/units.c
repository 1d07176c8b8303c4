/* Award units, digital copies' digests, whole-award revocations and the
 * walk the verification snapshot is made from (units.h). */
#include "registry/internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

int cp_award_unit_add(struct cp_registry *r, long long award, long position,
		      const struct cp_unit_row *u)
{
	sqlite3_stmt *st = cp_reg_cached(r, CP_REG_UNIT_ADD,
		"INSERT OR IGNORE INTO award_units (award_id, position, code, title, level,"
		" credits, grade) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, award);
	sqlite3_bind_int64(st, 2, position);
	cp_reg_bind_opt(st, 3, u->code ? u->code : "");
	cp_reg_bind_opt(st, 4, u->title ? u->title : "");
	if (u->level > 0)
		sqlite3_bind_int64(st, 5, u->level);
	if (u->credits > 0)
		sqlite3_bind_int64(st, 6, u->credits);
	cp_reg_bind_opt(st, 7, u->grade ? u->grade : "");
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : cp_reg_error(r, "cannot record an award's unit");
}

int cp_document_set_digest(struct cp_registry *r, const char *reference, const char *sha256)
{
	sqlite3_stmt *st = cp_reg_cached(r, CP_REG_DOC_DIGEST,
		"UPDATE documents SET digital_sha256 = ?1 WHERE reference = ?2");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, reference, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : cp_reg_error(r, "cannot record a digital copy's digest");
}

int cp_award_revoke(struct cp_registry *r, long long award, const char *reason,
		    const char *category, const char *stamp, long *n)
{
	sqlite3_stmt *st = cp_reg_prepare(r,
		"UPDATE documents SET status = 'revoked', status_reason = ?1,"
		" revoke_category = ?2, status_changed = ?3"
		" WHERE award_id = ?4 AND status != 'revoked'");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, reason, -1, SQLITE_STATIC);
	cp_reg_bind_opt(st, 2, category);
	sqlite3_bind_text(st, 3, stamp, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, award);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cp_reg_error(r, "cannot revoke an award's documents");
	*n = cp_reg_changes(r);
	return 0;
}

int cp_fill_pending_each(struct cp_registry *r, int (*fn)(void *ctx, const char *batch),
			 void *ctx)
{
	sqlite3_stmt *st = cp_reg_prepare(r, "SELECT batch_id FROM fill_pending ORDER BY batch_id");
	char **batches = NULL;
	size_t n = 0;
	int rc, out = 0;

	if (!st)
		return -1;
	/* copied first: fn changes the registry */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		batches = cp_xrealloc(batches, (n + 1) * sizeof(*batches));
		batches[n++] = cp_reg_dup(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		out = cp_reg_error(r, "cannot read the batches still to fill");
	for (size_t i = 0; i < n; i++) {
		if (out == 0 && batches[i] && fn(ctx, batches[i]) < 0)
			out = -1;
		free(batches[i]);
	}
	free(batches);
	return out;
}

int cp_fill_done(struct cp_registry *r, const char *batch)
{
	return cp_reg_run_text(r, "DELETE FROM fill_pending WHERE batch_id = ?1",
			       "cannot record a batch as filled", 1, batch);
}

/* The walk (cp_publish_read): every document with its award, in award
 * order, merged with every unit in award order. */
struct walk {
	struct cp_registry *r;
	sqlite3_stmt *docs, *units;
	int units_rc; /* the units cursor's last step */
	struct cp_pub_doc *d;
	struct cp_unit_row *u;
	size_t nd, nu, capd, capu;
	cp_pub_fn fn;
	void *ctx;
};

static void free_docs(struct walk *w)
{
	for (size_t i = 0; i < w->nd; i++) {
		struct cp_pub_doc *d = &w->d[i];

		free((char *)d->reference);
		free((char *)d->type);
		free((char *)d->status);
		free((char *)d->category);
		free((char *)d->changed);
		free((char *)d->issued);
		free((char *)d->expires);
		free((char *)d->sha256);
		free((char *)d->paper_serial);
	}
	w->nd = 0;
}

static void free_units(struct walk *w)
{
	for (size_t i = 0; i < w->nu; i++) {
		free((char *)w->u[i].code);
		free((char *)w->u[i].title);
		free((char *)w->u[i].grade);
	}
	w->nu = 0;
}

/* The documents cursor's columns 10 on, as one document. */
static void take_doc(struct walk *w)
{
	sqlite3_stmt *st = w->docs;
	struct cp_pub_doc *d;

	if (w->nd == w->capd) {
		w->capd = w->capd ? 2 * w->capd : 8;
		w->d = cp_xrealloc(w->d, w->capd * sizeof(*w->d));
	}
	d = &w->d[w->nd++];
	d->reference = cp_reg_dup(st, 10);
	d->serial = (long)sqlite3_column_int64(st, 11);
	d->issue = (long)sqlite3_column_int64(st, 12);
	d->type = cp_reg_dup(st, 13);
	d->status = cp_reg_dup(st, 14);
	d->category = cp_reg_dup(st, 15);
	d->changed = cp_reg_dup(st, 16);
	d->issued = cp_reg_dup(st, 17);
	d->expires = cp_reg_dup(st, 18);
	d->sha256 = cp_reg_dup(st, 19);
	d->published = sqlite3_column_int(st, 20) != 0;
	d->paper_serial = cp_reg_dup(st, 21);
}

/* The units of award id: the units cursor moved past them. */
static int take_units(struct walk *w, long long id)
{
	while (w->units_rc == SQLITE_ROW && sqlite3_column_int64(w->units, 0) <= id) {
		if (sqlite3_column_int64(w->units, 0) == id) {
			struct cp_unit_row *u;

			if (w->nu == w->capu) {
				w->capu = w->capu ? 2 * w->capu : 16;
				w->u = cp_xrealloc(w->u, w->capu * sizeof(*w->u));
			}
			u = &w->u[w->nu++];
			u->code = cp_reg_dup(w->units, 1);
			u->title = cp_reg_dup(w->units, 2);
			u->level = (long)sqlite3_column_int64(w->units, 3);
			u->credits = (long)sqlite3_column_int64(w->units, 4);
			u->grade = cp_reg_dup(w->units, 5);
		}
		w->units_rc = sqlite3_step(w->units);
	}
	if (w->units_rc != SQLITE_ROW && w->units_rc != SQLITE_DONE)
		return cp_reg_error(w->r, "cannot read the awards' units");
	return 0;
}

static int walk(struct walk *w)
{
	struct cp_pub_award a = { 0 };
	char *own[8] = { 0 };
	int rc;

	w->units_rc = sqlite3_step(w->units);
	rc = sqlite3_step(w->docs);
	while (rc == SQLITE_ROW) {
		long long id = sqlite3_column_int64(w->docs, 0);

		for (int i = 0; i < 8; i++)
			free(own[i]);
		for (int i = 0; i < 8; i++)
			own[i] = cp_reg_dup(w->docs, i + 1 + (i >= 5)); /* column 6 is the level */
		a = (struct cp_pub_award){
			.id = id, .first_name = own[0], .middle_names = own[1], .last_name = own[2],
			.qualification = own[3], .title = own[4], .grade = own[5],
			.awarded = own[6], .centre_name = own[7],
			.level = (long)sqlite3_column_int64(w->docs, 6),
		};
		while (rc == SQLITE_ROW && sqlite3_column_int64(w->docs, 0) == id) {
			take_doc(w);
			rc = sqlite3_step(w->docs);
		}
		if (take_units(w, id) < 0 || w->fn(w->ctx, &a, w->d, w->nd, w->u, w->nu) < 0) {
			rc = -1;
			break;
		}
		free_docs(w);
		free_units(w);
	}
	for (int i = 0; i < 8; i++)
		free(own[i]);
	free_docs(w);
	free_units(w);
	if (rc == -1)
		return -1;
	if (rc != SQLITE_DONE)
		return cp_reg_error(w->r, "cannot read the documents");
	return 0;
}

int cp_publish_read(struct cp_registry *r, cp_pub_fn fn, void *ctx)
{
	struct walk w = { .r = r, .fn = fn, .ctx = ctx };
	int rc = -1;

	/* one read transaction: the documents and the units of one moment */
	if (cp_reg_exec(r, "BEGIN") < 0)
		return -1;
	w.docs = cp_reg_prepare(r,
		"SELECT a.id, a.first_name, a.middle_names, a.last_name, a.qualification,"
		" a.qualification_title, a.level, a.grade, a.awarded, a.centre_name,"
		" d.reference, d.serial, d.issue, d.type, d.status, d.revoke_category,"
		" d.status_changed, d.issued, d.expires, d.digital_sha256,"
		" d.published IS NOT NULL,"
		" (SELECT p.paper_serial FROM print_documents p WHERE p.reference = d.reference"
		"  AND p.outcome = 'printed' ORDER BY p.confirmed DESC LIMIT 1)"
		" FROM documents d JOIN awards a ON a.id = d.award_id"
		" ORDER BY d.award_id, d.type, d.issue");
	w.units = cp_reg_prepare(r,
		"SELECT award_id, code, title, level, credits, grade FROM award_units"
		" ORDER BY award_id, position");
	if (w.docs && w.units)
		rc = walk(&w);
	sqlite3_finalize(w.docs);
	sqlite3_finalize(w.units);
	free(w.d);
	free(w.u);
	cp_reg_exec(r, "COMMIT");
	return rc;
}
