/* Addresses set by operators: the history in address_changes, the latest
 * on the learner's awards, and the learner's unsent emails made to send
 * again, all in one transaction of the caller's. */
#include "registry/internal.h"

#include <stdlib.h>

#include "util/xalloc.h"
#include "util/banned.h"

/* The notifications a new address can change: not sent, and not in flight
 * ('intent': its outcome is unknown, notify retries it as it is). */
#define UNSENT "('not-notifiable', 'failed', 'deferred')"

int cp_address_learner_known(struct cp_registry *r, const char *enrolment)
{
	long n = 0;

	if (cp_reg_scalar(r, "SELECT count(*) FROM awards WHERE enrolment = ?1", enrolment, NULL,
			  &n) < 0)
		return -1;
	return n > 0;
}

int cp_address_unsent_batches(struct cp_registry *r, const char *enrolment, char ***batches,
			      size_t *n)
{
	sqlite3_stmt *st = cp_reg_prepare(r,
		"SELECT batch_id FROM notifications WHERE enrolment = ?1 AND status IN " UNSENT
		" ORDER BY batch_id");
	int rc;

	*batches = NULL;
	*n = 0;
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, enrolment, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*batches = cp_xrealloc(*batches, (*n + 1) * sizeof(**batches));
		(*batches)[(*n)++] = cp_reg_dup(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		cp_address_batches_free(*batches, *n);
		*batches = NULL;
		*n = 0;
		return cp_reg_error(r, "reading a learner's emails");
	}
	return 0;
}

void cp_address_batches_free(char **batches, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(batches[i]);
	free(batches);
}

int cp_address_set(struct cp_registry *r, const char *enrolment, const char *address,
		   const char *by, const char *stamp, char *const *batches, size_t n)
{
	char *reply = cp_xasprintf("address set by %s at %s: not sent yet", by, stamp);
	int rc = cp_reg_run_text(r,
		"INSERT INTO address_changes (enrolment, previous, address, set_by, set_at)"
		" VALUES (?1, (SELECT email FROM awards WHERE enrolment = ?1 ORDER BY id DESC"
		" LIMIT 1), ?2, ?3, ?4)", "recording an address", 4, enrolment, address, by, stamp);

	if (!rc)
		rc = cp_reg_run_text(r, "UPDATE awards SET email = ?2 WHERE enrolment = ?1",
				     "recording an address", 2, enrolment, address);
	for (size_t i = 0; i < n && !rc; i++)
		rc = cp_reg_run_text(r,
			"UPDATE notifications SET status = 'deferred', attempts = 0,"
			" recipient = NULL, reply = ?3, updated = ?4"
			" WHERE batch_id = ?1 AND enrolment = ?2 AND status IN " UNSENT,
			"making an email to send again", 4, batches[i], enrolment, reply, stamp);
	free(reply);
	return rc;
}

int cp_address_changes_of_batch(struct cp_registry *r, const char *batch,
				int (*fn)(void *ctx, const struct cp_address_change_row *c),
				void *ctx)
{
	sqlite3_stmt *st = cp_reg_prepare(r,
		"SELECT c.enrolment, c.set_by, c.set_at FROM address_changes c"
		" WHERE c.enrolment IN (SELECT enrolment FROM awards WHERE batch_id = ?1)"
		" ORDER BY c.id");
	int rc = SQLITE_DONE, out = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	while (!out && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cp_address_change_row c = { cp_reg_col(st, 0), cp_reg_col(st, 1),
						   cp_reg_col(st, 2) };

		out = fn(ctx, &c);
	}
	sqlite3_finalize(st);
	if (!out && rc != SQLITE_DONE)
		return cp_reg_error(r, "reading the batch's address changes");
	return out;
}
