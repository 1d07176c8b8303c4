/* Print batches, their consignments and documents, and what the printing
 * house's confirmation records of them (see printbatches.h). */
#include "registry/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

static int history_add(struct cp_registry *r, const char *id, const char *state,
		       const char *stamp, const char *by)
{
	return cp_reg_run_text(r, "INSERT INTO print_batch_states (print_batch_id, seq, state, at,"
			       " changed_by) SELECT ?1, coalesce(max(seq), 0) + 1, ?2, ?3, ?4"
			       " FROM print_batch_states WHERE print_batch_id = ?1",
			       "cannot record a print batch's state", 4, id, state, stamp, by);
}

int cp_print_batch_record(struct cp_registry *r, const char *id, const char *kind,
			  const char *by, long records, const char *stamp)
{
	char n[24];
	long confirmed;

	if (cp_reg_scalar(r, "SELECT count(*) FROM print_documents WHERE print_batch_id = ?1"
			  " AND outcome IS NOT NULL", id, NULL, &confirmed) < 0)
		return -1;
	if (confirmed) {
		cp_error("print batch %s: the printing house has confirmed %ld of its documents "
			 "already: its print file is not made again", id, confirmed);
		return 0;
	}
	snprintf(n, sizeof(n), "%ld", records);
	/* the spoiled documents it took again stay taken (again_in), as the
	 * reprints a re-run of pack keeps */
	if (cp_reg_run_text(r, "DELETE FROM print_documents WHERE print_batch_id = ?1",
			    "cannot forget a print batch", 1, id) < 0 ||
	    cp_reg_run_text(r, "DELETE FROM consignments WHERE print_batch_id = ?1",
			    "cannot forget a print batch", 1, id) < 0 ||
	    cp_reg_run_text(r, "DELETE FROM print_batch_states WHERE print_batch_id = ?1",
			    "cannot forget a print batch", 1, id) < 0 ||
	    cp_reg_run_text(r, "DELETE FROM print_batches WHERE id = ?1",
			    "cannot forget a print batch", 1, id) < 0 ||
	    cp_reg_run_text(r, "INSERT INTO print_batches (id, kind, started_by, started, records,"
			    " state, state_changed) VALUES (?1, ?2, ?3, ?4, CAST(?5 AS INTEGER),"
			    " '" CP_PRINT_SENT "', ?4)", "cannot record a print batch", 5, id,
			    kind, by, stamp, n) < 0 ||
	    history_add(r, id, CP_PRINT_SENT, stamp, by) < 0)
		return -1;
	return 1;
}

int cp_print_consignment_add(struct cp_registry *r, const char *batch, const char *id,
			     const char *centre, const char *delivery, const char *address,
			     bool held)
{
	return cp_reg_run_text(r, "INSERT INTO consignments (print_batch_id, id, centre, delivery,"
			       " address, held) VALUES (?1, ?2, ?3, ?4, ?5, CAST(?6 AS INTEGER))",
			       "cannot record a consignment", 6, batch, id, centre, delivery,
			       address, held ? "1" : "0");
}

int cp_print_document_add(struct cp_registry *r, const char *batch, const char *reference,
			  const char *consignment, long position)
{
	char n[24];

	snprintf(n, sizeof(n), "%ld", position);
	return cp_reg_run_text(r, "INSERT INTO print_documents (print_batch_id, reference,"
			       " consignment_id, position) VALUES (?1, ?2, ?3, CAST(?4 AS INTEGER))",
			       "cannot record a printed document", 4, batch, reference,
			       consignment, n);
}

long cp_print_spoiled_claim(struct cp_registry *r, const char *batch, bool orders)
{
	long n;

	if (cp_reg_run_text(r, "UPDATE print_documents SET again_in = ?1 WHERE outcome = 'spoiled'"
			    " AND again_in IS NULL AND print_batch_id <> ?1 AND (?2 = '1' OR"
			    " reference NOT IN (SELECT reference FROM orders))",
			    "claiming spoiled documents", 2, batch, orders ? "1" : "0") < 0 ||
	    cp_reg_scalar(r, "SELECT count(*) FROM print_documents WHERE again_in = ?1", batch,
			  NULL, &n) < 0)
		return -1;
	return n;
}

int cp_print_batch_get(struct cp_registry *r, const char *id, struct cp_print_batch_info *info)
{
	sqlite3_stmt *st = cp_reg_prepare(r, "SELECT state, (SELECT count(*) FROM print_documents"
					     " WHERE print_batch_id = ?1), (SELECT count(*) FROM"
					     " consignments WHERE print_batch_id = ?1), (SELECT count(*)"
					     " FROM print_documents WHERE print_batch_id = ?1 AND"
					     " outcome IS NOT NULL) FROM print_batches WHERE id = ?1");
	int rc;

	memset(info, 0, sizeof(*info));
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		cp_reg_copy(info->state, sizeof(info->state), st, 0);
		info->documents = (long)sqlite3_column_int64(st, 1);
		info->consignments = (long)sqlite3_column_int64(st, 2);
		info->confirmed = (long)sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cp_reg_error(r, "cannot read a print batch");
	return rc == SQLITE_ROW;
}

/* The order whose document reference is, if any: its id, else 0. */
static int order_of(struct cp_registry *r, const char *reference, long long *id)
{
	sqlite3_stmt *st = cp_reg_prepare(r, "SELECT id FROM orders WHERE reference = ?1");
	int rc;

	*id = 0;
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, reference, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : cp_reg_error(r, "cannot find an order");
}

/* The row of (batch, reference): 1 with its outcome and serial ("" if
 * none), 0 if there is none. */
static int print_row(struct cp_registry *r, const char *batch, const char *reference,
		     char *outcome, size_t on, char *serial, size_t sn)
{
	sqlite3_stmt *st = cp_reg_prepare(r, "SELECT outcome, paper_serial FROM print_documents"
					     " WHERE print_batch_id = ?1 AND reference = ?2");
	int rc;

	*outcome = *serial = '\0';
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, reference, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		cp_reg_copy(outcome, on, st, 0);
		cp_reg_copy(serial, sn, st, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cp_reg_error(r, "cannot read a printed document");
	return rc == SQLITE_ROW;
}

/* Why reference is not a document of batch: unknown, or in another print
 * batch (named), or in none. */
static int not_in_batch(struct cp_registry *r, const char *batch, const char *reference,
			char *why, size_t n)
{
	sqlite3_stmt *st = cp_reg_prepare(r, "SELECT (SELECT count(*) FROM documents"
					     " WHERE reference = ?1), (SELECT max(print_batch_id)"
					     " FROM print_documents WHERE reference = ?1)");
	long known = 0;
	char other[40] = "";

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, reference, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		known = (long)sqlite3_column_int64(st, 0);
		cp_reg_copy(other, sizeof(other), st, 1);
	}
	sqlite3_finalize(st);
	if (!known)
		snprintf(why, n, "unknown reference '%s'", reference);
	else if (*other)
		snprintf(why, n, "document '%s' is not in print batch %s (it is in print batch %s)",
			 reference, batch, other);
	else
		snprintf(why, n, "document '%s' is not in print batch %s (no print file carried it)",
			 reference, batch);
	return 2;
}

int cp_print_confirm_document(struct cp_registry *r, const char *batch, const char *reference,
			      const char *paper_serial, bool printed, const char *stamp,
			      char *why, size_t why_size)
{
	const char *outcome = printed ? "printed" : "spoiled";
	char had[16], serial[128], note[200];
	sqlite3_stmt *st;
	long long order;
	int rc;

	if ((rc = print_row(r, batch, reference, had, sizeof(had), serial, sizeof(serial))) < 0)
		return -1;
	if (rc == 0)
		return not_in_batch(r, batch, reference, why, why_size);
	if (*had) {
		if (!strcmp(had, outcome) && !strcmp(serial, paper_serial))
			return 0;
		snprintf(why, why_size, "document '%s' was confirmed %s on paper serial '%s' already",
			 reference, had, serial);
		return 2;
	}
	if (!(st = cp_reg_prepare(r, "SELECT reference, print_batch_id FROM print_documents"
				     " WHERE paper_serial = ?1")))
		return -1;
	sqlite3_bind_text(st, 1, paper_serial, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		snprintf(why, why_size, "paper serial '%s' is recorded already for document '%s' "
			 "(print batch %s)", paper_serial, cp_reg_col(st, 0), cp_reg_col(st, 1));
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 2;
	if (rc != SQLITE_DONE)
		return cp_reg_error(r, "cannot look a paper serial up");
	if (cp_reg_run_text(r, "UPDATE print_documents SET outcome = ?1, paper_serial = ?2,"
			    " confirmed = ?3 WHERE print_batch_id = ?4 AND reference = ?5",
			    "cannot record a confirmation", 5, outcome, paper_serial, stamp, batch,
			    reference) < 0 ||
	    order_of(r, reference, &order) < 0)
		return -1;
	if (!order)
		return 1;
	snprintf(note, sizeof(note), "print batch %s, paper serial %s", batch, paper_serial);
	if (printed)
		return cp_order_move(r, order, CP_ORDER_PRINTED, stamp, note) < 0 ? -1 : 1;
	/* spoiled: back to be printed, with the same reference, by the next pack */
	if (cp_order_move(r, order, CP_ORDER_SPOILED, stamp, note) < 0 ||
	    cp_order_move(r, order, CP_ORDER_TO_BE_PRINTED, stamp,
			  "spoiled: printed again by the next print file") < 0)
		return -1;
	return 1;
}

int cp_print_confirm_consignment(struct cp_registry *r, const char *batch, const char *id,
				 const char *dispatched, const char *tracking,
				 const char *stamp, char *why, size_t why_size)
{
	sqlite3_stmt *st = cp_reg_prepare(r, "SELECT coalesce(dispatched, ''),"
					     " coalesce(tracking, ''), held, (SELECT count(*) FROM"
					     " print_documents p WHERE p.print_batch_id = ?1 AND"
					     " p.consignment_id = ?2 AND p.outcome IS NULL)"
					     " FROM consignments WHERE print_batch_id = ?1 AND id = ?2");
	char date[16] = "", track[256] = "", note[300];
	long long *orders = NULL;
	size_t k = 0;
	long undecided = 0;
	int rc, held = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		cp_reg_copy(date, sizeof(date), st, 0);
		cp_reg_copy(track, sizeof(track), st, 1);
		held = sqlite3_column_int(st, 2);
		undecided = (long)sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cp_reg_error(r, "cannot read a consignment");
	if (rc == SQLITE_DONE) {
		snprintf(why, why_size, "print batch %s has no consignment '%s'", batch, id);
		return 2;
	}
	if (*date) {
		if (!strcmp(date, dispatched) && !strcmp(track, tracking))
			return 0;
		snprintf(why, why_size, "consignment '%s' was confirmed dispatched on %s already "
			 "(tracking '%s')", id, date, track);
		return 2;
	}
	if (held) {
		snprintf(why, why_size, "consignment '%s' is held: its centre's address is unknown",
			 id);
		return 2;
	}
	if (undecided) {
		snprintf(why, why_size, "consignment '%s' is dispatched, but %ld of its documents "
			 "are not confirmed printed or spoiled", id, undecided);
		return 2;
	}
	if (cp_reg_run_text(r, "UPDATE consignments SET dispatched = ?1, tracking = ?2"
			    " WHERE print_batch_id = ?3 AND id = ?4", "cannot record a dispatch", 4,
			    dispatched, tracking, batch, id) < 0)
		return -1;
	if (!(st = cp_reg_prepare(r, "SELECT o.id FROM print_documents p JOIN orders o"
				     " ON o.reference = p.reference WHERE p.print_batch_id = ?1"
				     " AND p.consignment_id = ?2 AND p.outcome = 'printed'"
				     " ORDER BY o.id")))
		return -1;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		orders = cp_xrealloc(orders, (k + 1) * sizeof(*orders));
		orders[k++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(orders);
		return cp_reg_error(r, "cannot read a consignment's orders");
	}
	/* the order's dispatched state carries the tracking reference itself */
	snprintf(note, sizeof(note), "%s", tracking);
	for (size_t i = 0; i < k; i++)
		if (cp_order_move(r, orders[i], CP_ORDER_DISPATCHED, stamp, note) < 0) {
			free(orders);
			return -1;
		}
	free(orders);
	return 1;
}

static const char *const pb_states[] = { CP_PRINT_SENT, CP_PRINT_PRINTED, CP_PRINT_DISPATCHED,
					 CP_PRINT_COMPLETE };

static int state_rank(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, pb_states[i]))
			return i;
	return 0;
}

int cp_print_batches_advance(struct cp_registry *r, const char *stamp, const char *by,
			     long *moved)
{
	sqlite3_stmt *st = cp_reg_prepare(r,
		"SELECT b.id, b.state,"
		" (SELECT count(*) FROM print_documents d WHERE d.print_batch_id = b.id"
		"  AND d.outcome IS NULL),"
		" (SELECT count(*) FROM consignments c WHERE c.print_batch_id = b.id"
		"  AND c.dispatched IS NULL),"
		" (SELECT count(*) FROM print_documents d WHERE d.print_batch_id = b.id"
		"  AND d.outcome = 'spoiled' AND NOT EXISTS (SELECT 1 FROM print_documents p"
		"  JOIN consignments c ON c.print_batch_id = p.print_batch_id"
		"  AND c.id = p.consignment_id WHERE p.reference = d.reference"
		"  AND p.outcome = 'printed' AND c.dispatched IS NOT NULL))"
		" FROM print_batches b WHERE b.state <> '" CP_PRINT_COMPLETE "' ORDER BY b.id");
	struct move { char id[40]; int from, to; } *m = NULL;
	size_t k = 0;
	int rc;

	*moved = 0;
	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int from = state_rank(cp_reg_col(st, 1)), to;

		if (sqlite3_column_int64(st, 2))
			to = 0;
		else if (sqlite3_column_int64(st, 3))
			to = 1;
		else if (sqlite3_column_int64(st, 4))
			to = 2;
		else
			to = 3;
		if (to <= from)
			continue;
		m = cp_xrealloc(m, (k + 1) * sizeof(*m));
		cp_reg_copy(m[k].id, sizeof(m[k].id), st, 0);
		m[k].from = from;
		m[k++].to = to;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(m);
		return cp_reg_error(r, "cannot read the print batches");
	}
	for (size_t i = 0; i < k; i++) {
		for (int s = m[i].from + 1; s <= m[i].to; s++)
			if (history_add(r, m[i].id, pb_states[s], stamp, by) < 0)
				goto fail;
		if (cp_reg_run_text(r, "UPDATE print_batches SET state = ?1, state_changed = ?2,"
				    " finished = CASE WHEN ?1 = '" CP_PRINT_COMPLETE "' THEN ?2"
				    " ELSE finished END WHERE id = ?3",
				    "cannot change a print batch's state", 3, pb_states[m[i].to],
				    stamp, m[i].id) < 0)
			goto fail;
	}
	free(m);
	*moved = (long)k;
	return 0;
fail:
	free(m);
	return -1;
}

int cp_print_batches_each(struct cp_registry *r,
			  int (*fn)(void *ctx, const struct cp_print_batch_row *b), void *ctx)
{
	sqlite3_stmt *st = cp_reg_prepare(r,
		"SELECT b.id, b.kind, b.started_by, b.started, b.finished, b.state, b.state_changed,"
		" b.records,"
		" (SELECT count(*) FROM consignments c WHERE c.print_batch_id = b.id),"
		" (SELECT count(*) FROM consignments c WHERE c.print_batch_id = b.id AND c.held),"
		" (SELECT count(*) FROM print_documents d WHERE d.print_batch_id = b.id"
		"  AND d.outcome = 'printed'),"
		" (SELECT count(*) FROM print_documents d WHERE d.print_batch_id = b.id"
		"  AND d.outcome = 'spoiled'),"
		/* its emails by state: the run's (learners' and the centre's), the
		 * orders' dispatch emails (the learner's and the centre's copy) and
		 * the centres' dispatch emails of its consignments */
		" coalesce(m.sent, 0), coalesce(m.due, 0), coalesce(m.failed, 0),"
		" coalesce(m.unsent, 0)"
		" FROM print_batches b LEFT JOIN (SELECT pb, sum(status = 'sent') AS sent,"
		"  sum(status IN ('pending','intent','deferred')) AS due,"
		"  sum(status = 'failed') AS failed, sum(status = 'not-notifiable') AS unsent"
		"  FROM (SELECT n.batch_id AS pb, n.status FROM notifications n"
		"   UNION ALL SELECT d.print_batch_id, e.status FROM order_emails e"
		"   JOIN orders o ON o.id = e.order_id JOIN print_documents d"
		"   ON d.reference = o.reference WHERE e.event = 'dispatched'"
		"   UNION ALL SELECT d.print_batch_id, c.status FROM centre_emails c"
		"   JOIN orders o ON o.id = c.order_id JOIN print_documents d"
		"   ON d.reference = o.reference WHERE c.event = 'dispatched'"
		"   UNION ALL SELECT c.print_batch_id, c.status FROM centre_emails c"
		"   WHERE c.consignment_id IS NOT NULL) GROUP BY pb) m ON m.pb = b.id"
		" ORDER BY b.started, b.id");
	int rc = SQLITE_DONE, out = 0;

	if (!st)
		return -1;
	while (!out && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cp_print_batch_row b = {
			cp_reg_col(st, 0), cp_reg_col(st, 1), cp_reg_col(st, 2), cp_reg_col(st, 3),
			cp_reg_col(st, 4), cp_reg_col(st, 5), cp_reg_col(st, 6),
			(long)sqlite3_column_int64(st, 7), (long)sqlite3_column_int64(st, 8),
			(long)sqlite3_column_int64(st, 9), (long)sqlite3_column_int64(st, 10),
			(long)sqlite3_column_int64(st, 11), (long)sqlite3_column_int64(st, 12),
			(long)sqlite3_column_int64(st, 13), (long)sqlite3_column_int64(st, 14),
			(long)sqlite3_column_int64(st, 15),
		};

		out = fn(ctx, &b);
	}
	sqlite3_finalize(st);
	if (!out && rc != SQLITE_DONE)
		return cp_reg_error(r, "cannot list the print batches");
	return out;
}

int cp_print_batch_history_each(struct cp_registry *r, const char *id,
				int (*fn)(void *ctx, const char *state, const char *at,
					  const char *by),
				void *ctx)
{
	sqlite3_stmt *st = cp_reg_prepare(r, "SELECT state, at, changed_by FROM print_batch_states"
					     " WHERE print_batch_id = ?1 ORDER BY seq");
	int rc = SQLITE_DONE, out = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while (!out && (rc = sqlite3_step(st)) == SQLITE_ROW)
		out = fn(ctx, cp_reg_col(st, 0), cp_reg_col(st, 1), cp_reg_col(st, 2));
	sqlite3_finalize(st);
	if (!out && rc != SQLITE_DONE)
		return cp_reg_error(r, "cannot read a print batch's states");
	return out;
}

int cp_consignments_held_each(struct cp_registry *r,
			      int (*fn)(void *ctx, const char *batch, const char *id,
					const char *centre),
			      void *ctx)
{
	sqlite3_stmt *st = cp_reg_prepare(r, "SELECT print_batch_id, id, centre FROM consignments"
					     " WHERE held AND dispatched IS NULL"
					     " ORDER BY print_batch_id, id");
	int rc = SQLITE_DONE, out = 0;

	if (!st)
		return -1;
	while (!out && (rc = sqlite3_step(st)) == SQLITE_ROW)
		out = fn(ctx, cp_reg_col(st, 0), cp_reg_col(st, 1), cp_reg_col(st, 2));
	sqlite3_finalize(st);
	if (!out && rc != SQLITE_DONE)
		return cp_reg_error(r, "cannot read the held consignments");
	return out;
}

int cp_print_paper_serial(struct cp_registry *r, const char *reference, char *serial,
			  size_t size)
{
	sqlite3_stmt *st = cp_reg_prepare(r, "SELECT paper_serial FROM print_documents"
					     " WHERE reference = ?1 AND outcome = 'printed'"
					     " ORDER BY confirmed DESC LIMIT 1");
	int rc;

	*serial = '\0';
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, reference, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		cp_reg_copy(serial, size, st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cp_reg_error(r, "cannot read a paper serial");
	return rc == SQLITE_ROW;
}

int cp_print_consignment_release(struct cp_registry *r, const char *batch, const char *id,
				 const char *address)
{
	return cp_reg_run_text(r, "UPDATE consignments SET held = 0, address = ?1"
			       " WHERE print_batch_id = ?2 AND id = ?3 AND held",
			       "cannot release a held consignment", 3, address, batch, id);
}
