/* Notifications: what notify records before and after each message, and
 * what it, status and notified.xml read back. */
#include "registry/internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

char *cp_notification_centre_key(const char *centre)
{
	return cp_xasprintf(CP_NOTIFY_CENTRE_PREFIX "%s", centre);
}

int cp_notification_record(struct cp_registry *r, const char *batch, const char *key,
			   const char *to, const char *message_id, const char *status,
			   const char *reply, int attempt)
{
	char stamp[32];
	sqlite3_stmt *st = cp_reg_prepare(r,
		"INSERT INTO notifications (batch_id, enrolment, recipient, message_id, status,"
		" attempts, reply, updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
		" ON CONFLICT (batch_id, enrolment) DO UPDATE SET recipient = coalesce(?3, recipient),"
		" message_id = CASE WHEN ?5 = 'intent' THEN ?4 ELSE message_id END, status = ?5,"
		" attempts = attempts + ?6, reply = coalesce(?7, reply), updated = ?8");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, to, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, message_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, status, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, attempt);
	sqlite3_bind_text(st, 7, reply, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, cp_time_stamp(stamp, sizeof(stamp)), -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	if (rc < 0)
		cp_reg_error(r, "recording a notification");
	sqlite3_finalize(st);
	return rc;
}

int cp_notification_settle(struct cp_registry *r, const char *batch, struct cp_intents *in)
{
	return cp_reg_settle_intents(r, "notifications", batch, in);
}

long cp_notification_attempts(struct cp_registry *r, const char *batch, const char *key)
{
	long n;

	cp_reg_scalar(r, "SELECT attempts FROM notifications WHERE batch_id = ?1"
			 " AND enrolment = ?2", batch, key, &n);
	return n;
}

#define NCOLS 16

static const char learners_sql[] =
	"SELECT a.enrolment, a.first_name, a.middle_names, a.last_name, a.email,"
	" a.qualification_title, a.qualification, a.grade, a.awarded, a.candidate,"
	" a.centre, a.centre_name, a.course_run, n.status, n.attempts, n.reply"
	" FROM (SELECT min(id) AS id FROM awards WHERE batch_id = ?1 AND enrolment > ?2"
	" GROUP BY enrolment ORDER BY enrolment LIMIT ?3) f"
	" JOIN awards a ON a.id = f.id LEFT JOIN notifications n ON n.batch_id = a.batch_id"
	" AND n.enrolment = a.enrolment ORDER BY a.enrolment";

static void learner_from_row(struct cp_notify_learner *l, sqlite3_stmt *st)
{
	char **f[NCOLS] = {
		&l->enrolment, &l->first_name, &l->middle_names, &l->last_name, &l->email,
		&l->qualification_title, &l->qualification, &l->grade, &l->awarded,
		&l->candidate, &l->centre, &l->centre_name, &l->course_run, &l->status,
		&l->attempts, &l->reply,
	};

	for (int i = 0; i < NCOLS; i++)
		*f[i] = cp_reg_dup(st, i);
}

void cp_notify_learner_release(struct cp_notify_learner *l)
{
	free(l->enrolment);
	free(l->first_name);
	free(l->middle_names);
	free(l->last_name);
	free(l->email);
	free(l->qualification_title);
	free(l->qualification);
	free(l->grade);
	free(l->awarded);
	free(l->candidate);
	free(l->centre);
	free(l->centre_name);
	free(l->course_run);
	free(l->status);
	free(l->attempts);
	free(l->reply);
	memset(l, 0, sizeof(*l));
}

int cp_notification_learners(struct cp_registry *r, const char *batch, const char *after,
			     struct cp_notify_learner *rows, int max)
{
	sqlite3_stmt *st = cp_reg_prepare(r, learners_sql);
	int n = 0, step = SQLITE_DONE;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, after, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, max);
	while (n < max && (step = sqlite3_step(st)) == SQLITE_ROW)
		learner_from_row(&rows[n++], st);
	if (n < max && step != SQLITE_DONE) { /* a short page must be the last */
		cp_reg_error(r, "reading the batch's learners");
		for (int i = 0; i < n; i++)
			cp_notify_learner_release(&rows[i]);
		n = -1;
	}
	sqlite3_finalize(st);
	return n;
}

int cp_notification_centre_export(struct cp_registry *r, const char *batch, const char *centre,
				  struct cp_centre_export *e)
{
	char *key = cp_notification_centre_key(centre);
	sqlite3_stmt *st = cp_reg_prepare(r,
		"SELECT e.file, e.expires, n.status, n.attempts, e.created, n.reply FROM exports e LEFT JOIN"
		" notifications n ON n.batch_id = e.batch_id AND n.enrolment = ?3"
		" WHERE e.batch_id = ?1 AND e.centre = ?2 AND e.status = 'finished'");
	int found = 0;

	memset(e, 0, sizeof(*e));
	if (!st) {
		free(key);
		return -1;
	}
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, centre, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		e->file = cp_xstrdup(cp_reg_col(st, 0) ? cp_reg_col(st, 0) : "");
		e->expires = cp_xstrdup(cp_reg_col(st, 1) ? cp_reg_col(st, 1) : "");
		e->status = cp_reg_dup(st, 2);
		e->attempts = cp_reg_dup(st, 3);
		e->created = cp_xstrdup(cp_reg_col(st, 4) ? cp_reg_col(st, 4) : "");
		e->reply = cp_reg_dup(st, 5);
		found = 1;
	}
	sqlite3_finalize(st);
	free(key);
	return found;
}

void cp_centre_export_release(struct cp_centre_export *e)
{
	free(e->file);
	free(e->expires);
	free(e->status);
	free(e->attempts);
	free(e->created);
	free(e->reply);
	memset(e, 0, sizeof(*e));
}

static int each(struct cp_registry *r, const char *sql, const char *batch,
		int (*fn)(void *ctx, const struct cp_notification_row *n), void *ctx)
{
	sqlite3_stmt *st = cp_reg_prepare(r, sql);
	int rc = SQLITE_DONE, out = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	while (!out && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cp_notification_row n = {
			.key = cp_reg_col(st, 0), .status = cp_reg_col(st, 1),
			.attempts = sqlite3_column_int(st, 2), .reply = cp_reg_col(st, 3),
			.updated = cp_reg_col(st, 4),
		};

		out = fn(ctx, &n);
	}
	sqlite3_finalize(st);
	if (!out && rc != SQLITE_DONE)
		return cp_reg_error(r, "reading the batch's notifications");
	return out;
}

int cp_notifications_each(struct cp_registry *r, const char *batch,
			  int (*fn)(void *ctx, const struct cp_notification_row *n), void *ctx)
{
	return each(r, "SELECT enrolment, status, attempts, reply, updated FROM notifications"
		       " WHERE batch_id = ?1 ORDER BY enrolment", batch, fn, ctx);
}

int cp_notifications_unsent_each(struct cp_registry *r, const char *batch,
				 int (*fn)(void *ctx, const struct cp_notification_row *n),
				 void *ctx)
{
	return each(r, "SELECT enrolment, status, attempts, coalesce(reply, ''), updated"
		       " FROM notifications WHERE batch_id = ?1 AND status"
		       " IN ('deferred', 'failed', 'intent', 'not-notifiable') ORDER BY enrolment", batch, fn, ctx);
}
