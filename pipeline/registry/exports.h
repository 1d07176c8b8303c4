/* The registry's centre exports (tables exports, zip_passwords): the
 * zip pack made for each centre of a batch, its expiry and sweep, the
 * centre's receipt, and the zip password an operator sets per centre.
 * A row is 'pending' before pack writes its zip and 'finished' after; a
 * sweep claims it ('expired') in a transaction, deletes the zip, then
 * records it swept: a finished row always has its zip. Include
 * "registry.h". */
#ifndef CP_REGISTRY_EXPORTS_H
#define CP_REGISTRY_EXPORTS_H

#include <stdbool.h>
#include <stddef.h>

struct cp_registry;

/* Record the centre's export of the batch as status (a new row, or the
 * re-run's replacing it, not swept): its file, created and expiry times,
 * and (sha256 not NULL) its digest and size. */
int cp_export_record(struct cp_registry *r, const char *batch, const char *centre,
		     const char *file, const char *created, const char *expires,
		     const char *status, const char *sha256, long long bytes);

/* The centre's zip password, sealed (zipseal.h: never in clear here) in
 * at most CP_ZIP_SEALED_MAX bytes. */
#define CP_ZIP_SEALED_MAX 256
/* Into buf (n bytes), *len its size: 1, 0 if none is set, -1. */
int cp_export_password_sealed(struct cp_registry *r, const char *centre, unsigned char *buf,
			      size_t n, size_t *len);
/* Set it (at stamp, by), replacing the one before, in a transaction that
 * also wipes the centre's clear one an older certpress kept. */
int cp_export_password_set(struct cp_registry *r, const char *centre, const unsigned char *sealed,
			   size_t len, const char *stamp, const char *by);
/* Who set each centre's, never the password (set_by "" where not
 * recorded); sealed false for a clear one an older certpress left. By
 * centre. 0, -1, or what fn returned (not 0). */
struct cp_zip_password_row {
	const char *centre, *set_at, *set_by;
	bool sealed;
};
int cp_export_passwords_each(struct cp_registry *r,
			     int (*fn)(void *ctx, const struct cp_zip_password_row *p), void *ctx);
/* How many clear ones an older certpress left (*n). 0 or -1. */
int cp_export_passwords_clear(struct cp_registry *r, long *n);
/* Seal each of those with seal (it writes at most n bytes into out, *len
 * of them) in one transaction, the clear ones deleted and their bytes
 * zeroed in the file and the WAL; *sealed how many. 0, or -1 with nothing
 * changed. */
int cp_export_passwords_seal_clear(struct cp_registry *r,
				   int (*seal)(void *ctx, const char *centre, const char *clear,
					       unsigned char *out, size_t n, size_t *len),
				   void *ctx, long *sealed);

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
/* Claim one in a transaction of its own (by: who sweeps it): expired from
 * now on, whatever the file. 1, or 0 if the row is no longer sweepable (changed since it
 * was read), -1. */
int cp_export_claim_expired(struct cp_registry *r, const struct cp_expiring *x,
			    const char *now, const char *by);
/* Record a claimed one's zip deleted (swept at now). */
int cp_export_swept(struct cp_registry *r, const struct cp_expiring *x, const char *now);

#endif
