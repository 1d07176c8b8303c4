/* The registry's centre exports (tables exports, export_passwords): the
 * zip pack made for each centre of a batch, its expiry and sweep, the
 * centre's receipt, and the zip password an operator sets per centre.
 * A row is 'pending' before pack writes its zip and 'finished' after; a
 * sweep claims it ('expired') in a transaction, deletes the zip, then
 * records it swept: a finished row always has its zip. Include
 * "registry.h". */
#ifndef CP_REGISTRY_EXPORTS_H
#define CP_REGISTRY_EXPORTS_H

#include <stddef.h>

struct cp_registry;

/* Record the centre's export of the batch as status (a new row, or the
 * re-run's replacing it, not swept): its file, created and expiry times,
 * and (sha256 not NULL) its digest and size. */
int cp_export_record(struct cp_registry *r, const char *batch, const char *centre,
		     const char *file, const char *created, const char *expires,
		     const char *status, const char *sha256, long long bytes);

/* The centre's zip password (caller wipes and frees), or NULL if none is
 * set. libzip needs it in clear, so the registry file is the secret. */
char *cp_export_password(struct cp_registry *r, const char *centre);
/* Set it (at stamp), replacing the one before. */
int cp_export_password_set(struct cp_registry *r, const char *centre, const char *password,
			   const char *stamp);

/* An export's row. Strings live until the callback returns; receipt_at
 * and receipt_by, its latest receipt's (registry/receipts.h), are "" where
 * none is recorded. */
struct cp_export_row {
	const char *batch, *centre, *file, *created, *expires, *status, *receipt_at, *receipt_by;
};
/* The batch's exports. 0 or -1. */
int cp_exports_of_batch(struct cp_registry *r, const char *batch,
			int (*fn)(void *ctx, const struct cp_export_row *e), void *ctx);
/* Every export, by creation, batch and centre. 0 or -1. */
int cp_exports_each(struct cp_registry *r, int (*fn)(void *ctx, const struct cp_export_row *e),
		    void *ctx);

/* An export a sweep may delete at now: finished and past its expiry, or
 * claimed by a sweep that stopped before deleting it (expired, not yet
 * swept). */
struct cp_expiring {
	char *batch, *centre, *file;
};
/* All of them, by batch and centre, read and the statement ended before
 * anything is written (a write while a read of an older snapshot is open
 * fails). Free with cp_exports_expiring_free. */
int cp_exports_expiring(struct cp_registry *r, const char *now, struct cp_expiring **v,
			size_t *n);
void cp_exports_expiring_free(struct cp_expiring *v, size_t n);
/* Claim one in a transaction of its own: expired from now on, whatever
 * the file. 1, or 0 if the row is no longer sweepable (changed since it
 * was read), -1. */
int cp_export_claim_expired(struct cp_registry *r, const struct cp_expiring *x,
			    const char *now);
/* Record a claimed one's zip deleted (swept at now). */
int cp_export_swept(struct cp_registry *r, const struct cp_expiring *x, const char *now);

#endif
