/* The centres' emails (centremails.h): queued once by the unique indexes
 * on (order_id, event) and (print_batch_id, consignment_id). */
#include "registry/internal.h"

#include <stdio.h>

#include "util/date.h"
#include "util/banned.h"

int cp_centre_email_queue_order(struct cp_registry *r, long long id, const char *event,
				const char *stamp)
{
	sqlite3_stmt *st = cp_reg_prepare(r,
		"INSERT OR IGNORE INTO centre_emails (centre, event, order_id, status, updated)"
		" SELECT centre, ?2, id, 'pending', ?3 FROM orders WHERE id = ?1");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, event, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, stamp, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cp_reg_error(r, "cannot queue a centre's order email");
}

int cp_centre_email_queue_consignment(struct cp_registry *r, const char *batch, const char *id,
				      const char *stamp)
{
	return cp_reg_run_text(r,
		"INSERT OR IGNORE INTO centre_emails (centre, event, print_batch_id,"
		" consignment_id, status, updated)"
		" SELECT c.centre, 'dispatched', c.print_batch_id, c.id, 'pending', ?3"
		" FROM consignments c WHERE c.print_batch_id = ?1 AND c.id = ?2"
		" AND EXISTS (SELECT 1 FROM print_documents p WHERE p.print_batch_id = c.print_batch_id"
		"  AND p.consignment_id = c.id"
		"  AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.reference = p.reference))",
		"cannot queue a consignment's email", 3, batch, id, stamp);
}

int cp_centre_emails_due(struct cp_registry *r,
			 int (*fn)(void *ctx, const struct cp_centre_email *m), void *ctx)
{
	sqlite3_stmt *st = cp_reg_prepare(r,
		"SELECT e.id, e.attempts, coalesce(e.order_id, 0), e.centre, e.event, e.status,"
		" (SELECT b.centre_email FROM batches b WHERE b.centre = e.centre"
		"  AND b.centre_email IS NOT NULL AND b.status != 'failed'"
		"  ORDER BY b.created DESC, b.rowid DESC LIMIT 1),"
		" coalesce(o.delivery, k.delivery), coalesce(o.tracking, k.tracking),"
		" o.kind, o.reference, o.replaces, d.type, o.enrolment, a.qualification_title,"
		" a.centre_name, e.print_batch_id, e.consignment_id, k.dispatched,"
		" (SELECT count(*) FROM print_documents p WHERE p.print_batch_id = e.print_batch_id"
		"  AND p.consignment_id = e.consignment_id)"
		" FROM centre_emails e LEFT JOIN orders o ON o.id = e.order_id"
		" LEFT JOIN documents d ON d.reference = o.reference"
		" LEFT JOIN awards a ON a.id = d.award_id"
		" LEFT JOIN consignments k ON k.print_batch_id = e.print_batch_id"
		"  AND k.id = e.consignment_id"
		" WHERE e.status IN ('pending','intent','deferred') ORDER BY e.id");
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const struct cp_centre_email m = {
			.id = sqlite3_column_int64(st, 0),
			.attempts = sqlite3_column_int64(st, 1),
			.order_id = sqlite3_column_int64(st, 2),
			.centre = cp_reg_col(st, 3),
			.event = cp_reg_col(st, 4),
			.status = cp_reg_col(st, 5),
			.results_email = cp_reg_col(st, 6),
			.delivery = cp_reg_col(st, 7),
			.tracking = cp_reg_col(st, 8),
			.kind = cp_reg_col(st, 9),
			.reference = cp_reg_col(st, 10),
			.replaces = cp_reg_col(st, 11),
			.type = cp_reg_col(st, 12),
			.enrolment = cp_reg_col(st, 13),
			.title = cp_reg_col(st, 14),
			.centre_name = cp_reg_col(st, 15),
			.print_batch = cp_reg_col(st, 16),
			.consignment = cp_reg_col(st, 17),
			.dispatched = cp_reg_col(st, 18),
			.documents = (long)sqlite3_column_int64(st, 19),
		};

		if (fn(ctx, &m) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cp_reg_error(r, "cannot read the centre emails due");
}

int cp_centre_email_record(struct cp_registry *r, long long id, const char *to,
			   const char *message_id, const char *status, const char *reply,
			   int attempt)
{
	sqlite3_stmt *st = cp_reg_prepare(r,
		"UPDATE centre_emails SET recipient = coalesce(?2, recipient),"
		" message_id = coalesce(?3, message_id), status = ?4, reply = ?5,"
		" attempts = attempts + ?6, updated = ?7 WHERE id = ?1");
	char stamp[32];
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	cp_reg_bind_opt(st, 2, to);
	cp_reg_bind_opt(st, 3, message_id);
	sqlite3_bind_text(st, 4, status, -1, SQLITE_STATIC);
	cp_reg_bind_opt(st, 5, reply);
	sqlite3_bind_int(st, 6, attempt);
	sqlite3_bind_text(st, 7, cp_time_stamp(stamp, sizeof(stamp)), -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cp_reg_error(r, "cannot record a centre's email");
}

int cp_centre_emails_settle(struct cp_registry *r, struct cp_intents *in)
{
	return cp_reg_settle_intents(r, "centre_emails", NULL, in);
}

int cp_order_emails_each(struct cp_registry *r, long long id,
			 int (*fn)(void *ctx, const char *to, const char *event,
				   const char *status, const char *reply),
			 void *ctx)
{
	sqlite3_stmt *st = cp_reg_prepare(r,
		"SELECT 'learner', event, status, reply, 0 FROM order_emails WHERE order_id = ?1"
		" UNION ALL SELECT 'centre', event, status, reply, 1 FROM centre_emails"
		" WHERE order_id = ?1 ORDER BY 5, 2 DESC");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (fn(ctx, cp_reg_col(st, 0), cp_reg_col(st, 1), cp_reg_col(st, 2),
		       cp_reg_col(st, 3)) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cp_reg_error(r, "cannot read an order's emails");
}
