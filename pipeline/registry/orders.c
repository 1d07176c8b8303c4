/* Orders and their states (orders.h): every change of state is one row of
 * order_states, written with the order's own state in one transaction. */
#include "registry/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const char *const states[] = {
	CP_ORDER_TO_BE_GENERATED, CP_ORDER_TO_BE_PRINTED, CP_ORDER_PRINTED,
	CP_ORDER_DISPATCHED, CP_ORDER_SPOILED,
};
static const struct { const char *from, *to; } transitions[] = {
	{ CP_ORDER_TO_BE_GENERATED, CP_ORDER_TO_BE_PRINTED },
	{ CP_ORDER_TO_BE_PRINTED, CP_ORDER_PRINTED },
	{ CP_ORDER_TO_BE_PRINTED, CP_ORDER_SPOILED },
	{ CP_ORDER_SPOILED, CP_ORDER_TO_BE_PRINTED },
	{ CP_ORDER_PRINTED, CP_ORDER_DISPATCHED },
};
static const char *const deliveries[] = {
	"second-class-signed", "first-class-signed", "courier", "collection",
};
#define N(a) (sizeof(a) / sizeof(*(a)))

bool cp_order_state_known(const char *s)
{
	for (size_t i = 0; s && i < N(states); i++)
		if (!strcmp(states[i], s))
			return true;
	return false;
}

bool cp_order_transition_ok(const char *from, const char *to)
{
	for (size_t i = 0; from && to && i < N(transitions); i++)
		if (!strcmp(transitions[i].from, from) && !strcmp(transitions[i].to, to))
			return true;
	return false;
}

bool cp_order_delivery_known(const char *m)
{
	for (size_t i = 0; m && i < N(deliveries); i++)
		if (!strcmp(deliveries[i], m))
			return true;
	return false;
}

/* The emails the event owes the learner and the centre, queued once (a
 * second queueing of the same event changes nothing). */
static int email_queue(struct cp_registry *r, long long id, const char *event,
		       const char *stamp)
{
	sqlite3_stmt *st = cp_reg_prepare(r,
		"INSERT OR IGNORE INTO order_emails (order_id, event, status, updated)"
		" VALUES (?1, ?2, 'pending', ?3)");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, event, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, stamp, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cp_reg_error(r, "cannot queue an order's email");
	return cp_centre_email_queue_order(r, id, event, stamp);
}

static int history_add(struct cp_registry *r, long long id, const char *state,
		       const char *stamp, const char *note)
{
	sqlite3_stmt *st = cp_reg_prepare(r,
		"INSERT INTO order_states (order_id, seq, state, at, note)"
		" SELECT ?1, coalesce(max(seq), 0) + 1, ?2, ?3, ?4 FROM order_states"
		" WHERE order_id = ?1");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, stamp, -1, SQLITE_STATIC);
	cp_reg_bind_opt(st, 4, note);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cp_reg_error(r, "cannot record an order's state");
}

int cp_order_add(struct cp_registry *r, const struct cp_order_new *o, const char *stamp,
		 long long *id)
{
	sqlite3_stmt *st = cp_reg_prepare(r,
		"INSERT INTO orders (kind, reference, replaces, serial, enrolment, centre,"
		" ordered_by, ordered, reason, delivery, address, state, state_changed)"
		" SELECT ?1, d.reference, ?2, d.serial, a.enrolment, a.centre, ?3, ?4, ?5, ?6, ?7,"
		" '" CP_ORDER_TO_BE_GENERATED "', ?4"
		" FROM documents d JOIN awards a ON a.id = d.award_id WHERE d.reference = ?8");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, o->kind, -1, SQLITE_STATIC);
	cp_reg_bind_opt(st, 2, o->replaces);
	sqlite3_bind_text(st, 3, o->by, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, stamp, -1, SQLITE_STATIC);
	cp_reg_bind_opt(st, 5, o->reason);
	sqlite3_bind_text(st, 6, o->delivery, -1, SQLITE_STATIC);
	cp_reg_bind_opt(st, 7, o->address);
	sqlite3_bind_text(st, 8, o->reference, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE || cp_reg_changes(r) != 1)
		return cp_reg_error(r, "cannot record an order");
	*id = sqlite3_last_insert_rowid(r->db);
	if (email_queue(r, *id, "placed", stamp) < 0)
		return -1;
	return history_add(r, *id, CP_ORDER_TO_BE_GENERATED, stamp, NULL);
}

int cp_order_open_for(struct cp_registry *r, const char *reference, long long *id,
		      char *other, unsigned long other_size)
{
	sqlite3_stmt *st = cp_reg_prepare(r,
		"SELECT o.id, o.reference FROM orders o JOIN documents d ON d.serial = o.serial"
		" WHERE d.reference = ?1 AND o.state != '" CP_ORDER_DISPATCHED "'"
		" ORDER BY o.id LIMIT 1");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, reference, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		cp_reg_copy(other, other_size, st, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cp_reg_error(r, "cannot look for an open order");
	return rc == SQLITE_ROW;
}

int cp_order_move(struct cp_registry *r, long long id, const char *to, const char *stamp,
		  const char *note)
{
	sqlite3_stmt *st = cp_reg_prepare(r, "SELECT state FROM orders WHERE id = ?1");
	char from[32] = "";
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		cp_reg_copy(from, sizeof(from), st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cp_reg_error(r, "cannot read an order's state");
	if (rc == SQLITE_DONE || !cp_order_transition_ok(from, to))
		return 0;
	st = cp_reg_prepare(r, "UPDATE orders SET state = ?1, state_changed = ?2,"
			       " tracking = CASE WHEN ?1 = '" CP_ORDER_DISPATCHED "' THEN ?3"
			       " ELSE tracking END WHERE id = ?4");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, to, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, stamp, -1, SQLITE_STATIC);
	cp_reg_bind_opt(st, 3, note);
	sqlite3_bind_int64(st, 4, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cp_reg_error(r, "cannot change an order's state");
	if (!strcmp(to, CP_ORDER_DISPATCHED) && email_queue(r, id, "dispatched", stamp) < 0)
		return -1;
	return history_add(r, id, to, stamp, note) < 0 ? -1 : 1;
}

int cp_order_emails_due(struct cp_registry *r,
			int (*fn)(void *ctx, const struct cp_order_email *m), void *ctx)
{
	sqlite3_stmt *st = cp_reg_prepare(r,
		"SELECT e.order_id, e.event, e.status, e.attempts, o.kind, o.reference,"
		" o.replaces, d.type, o.delivery, o.tracking, o.enrolment, a.email,"
		" a.first_name, a.middle_names, a.last_name, a.qualification_title, a.centre_name"
		" FROM order_emails e JOIN orders o ON o.id = e.order_id"
		" JOIN documents d ON d.reference = o.reference JOIN awards a ON a.id = d.award_id"
		" WHERE e.status IN ('pending','intent','deferred') ORDER BY e.order_id, e.event");
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const struct cp_order_email m = {
			sqlite3_column_int64(st, 0), cp_reg_col(st, 1), cp_reg_col(st, 2),
			sqlite3_column_int64(st, 3), cp_reg_col(st, 4), cp_reg_col(st, 5),
			cp_reg_col(st, 6), cp_reg_col(st, 7), cp_reg_col(st, 8), cp_reg_col(st, 9),
			cp_reg_col(st, 10), cp_reg_col(st, 11), cp_reg_col(st, 12),
			cp_reg_col(st, 13), cp_reg_col(st, 14), cp_reg_col(st, 15),
			cp_reg_col(st, 16),
		};

		if (fn(ctx, &m) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cp_reg_error(r, "cannot read the order emails due");
}

int cp_order_email_record(struct cp_registry *r, long long id, const char *event,
			  const char *to, const char *message_id, const char *status,
			  const char *reply, int attempt)
{
	sqlite3_stmt *st = cp_reg_prepare(r,
		"UPDATE order_emails SET recipient = coalesce(?3, recipient),"
		" message_id = coalesce(?4, message_id), status = ?5, reply = ?6,"
		" attempts = attempts + ?7, updated = ?8 WHERE order_id = ?1 AND event = ?2");
	char stamp[32];
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, event, -1, SQLITE_STATIC);
	cp_reg_bind_opt(st, 3, to);
	cp_reg_bind_opt(st, 4, message_id);
	sqlite3_bind_text(st, 5, status, -1, SQLITE_STATIC);
	cp_reg_bind_opt(st, 6, reply);
	sqlite3_bind_int(st, 7, attempt);
	sqlite3_bind_text(st, 8, cp_time_stamp(stamp, sizeof(stamp)), -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cp_reg_error(r, "cannot record an order's email");
}

int cp_order_emails_settle(struct cp_registry *r, struct cp_intents *in)
{
	return cp_reg_settle_intents(r, "order_emails", NULL, in);
}

int cp_orders_taken_for_print(struct cp_registry *r, const char *batch, const char *stamp,
			      long *n)
{
	sqlite3_stmt *st = cp_reg_prepare(r,
		"SELECT o.id FROM orders o"
		" WHERE o.print_batch_id = ?1 AND o.state = '" CP_ORDER_TO_BE_GENERATED "'"
		" AND o.reference IN (SELECT reference FROM temp.pack_set) ORDER BY o.id");
	long long *ids = NULL;
	size_t k = 0;
	int rc;

	*n = 0;
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ids = cp_xrealloc(ids, (k + 1) * sizeof(*ids));
		ids[k++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(ids);
		return cp_reg_error(r, "cannot read the orders a print file takes");
	}
	for (size_t i = 0; i < k; i++) {
		char note[64];

		snprintf(note, sizeof(note), "print batch %s", batch);
		if (cp_order_move(r, ids[i], CP_ORDER_TO_BE_PRINTED, stamp, note) < 0) {
			free(ids);
			return -1;
		}
	}
	free(ids);
	*n = (long)k;
	return 0;
}

int cp_orders_each(struct cp_registry *r, const struct cp_order_query *q,
		   int (*fn)(void *ctx, const struct cp_order_row *o), void *ctx)
{
	sqlite3_stmt *st = cp_reg_prepare(r,
		"SELECT o.id, o.kind, o.reference, o.replaces, d.type, o.enrolment, o.centre,"
		" o.ordered_by, o.ordered, o.reason, o.delivery, o.address, o.state,"
		" o.state_changed, o.tracking, a.qualification, a.qualification_title,"
		" a.awarded, o.print_batch_id"
		" FROM orders o JOIN documents d ON d.reference = o.reference"
		" JOIN awards a ON a.id = d.award_id"
		" WHERE (?1 IS NULL OR o.enrolment = ?1) AND (?2 IS NULL OR o.centre = ?2)"
		" AND (?3 IS NULL OR o.state = ?3) AND (?4 = 0 OR o.id = ?4) ORDER BY o.id");
	int rc;

	if (!st)
		return -1;
	cp_reg_bind_opt(st, 1, q->enrolment);
	cp_reg_bind_opt(st, 2, q->centre);
	cp_reg_bind_opt(st, 3, q->state);
	sqlite3_bind_int64(st, 4, q->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const struct cp_order_row o = {
			sqlite3_column_int64(st, 0), cp_reg_col(st, 1), cp_reg_col(st, 2),
			cp_reg_col(st, 3), cp_reg_col(st, 4), cp_reg_col(st, 5), cp_reg_col(st, 6),
			cp_reg_col(st, 7), cp_reg_col(st, 8), cp_reg_col(st, 9), cp_reg_col(st, 10),
			cp_reg_col(st, 11), cp_reg_col(st, 12), cp_reg_col(st, 13),
			cp_reg_col(st, 14), cp_reg_col(st, 15), cp_reg_col(st, 16),
			cp_reg_col(st, 17), cp_reg_col(st, 18),
		};

		if (fn(ctx, &o) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cp_reg_error(r, "cannot list the orders");
}

int cp_order_history_each(struct cp_registry *r, long long id,
			  int (*fn)(void *ctx, const char *state, const char *at,
				    const char *note),
			  void *ctx)
{
	sqlite3_stmt *st = cp_reg_prepare(r, "SELECT state, at, note FROM order_states"
					     " WHERE order_id = ?1 ORDER BY seq");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (fn(ctx, cp_reg_col(st, 0), cp_reg_col(st, 1), cp_reg_col(st, 2)) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cp_reg_error(r, "cannot read an order's states");
}
