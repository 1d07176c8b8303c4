/* The registry's exports made on demand (table downloads: certpress
 * export), and the downloads list, which shows them beside the nightly
 * zips (table exports). A download is 'pending' while its zip is built,
 * 'finished' once it is there (its SHA-256, size and expiry recorded),
 * 'expired' when a sweep has claimed it (then swept: deleted), 'failed'
 * when it could not be made; an expired or failed one may be made again
 * under its name. What was chosen is kept, so an export a crash stopped is
 * finished by running it again. Include "registry.h". */
#ifndef CP_REGISTRY_DOWNLOADS_H
#define CP_REGISTRY_DOWNLOADS_H

#include <stddef.h>

struct cp_registry;
struct cp_expiring;

/* A download as recorded, copied (cp_download_release). selection is
 * 'batch', 'references', 'course-run' or 'awarded'; chosen its batch id,
 * references (space-separated), course run, or "FROM TO" dates. */
struct cp_download {
	char *centre, *file, *description, *selection, *chosen, *created_by, *created, *expires,
		*status;
};
/* 1 and *d filled, 0 if the centre has no download of that file, -1. */
int cp_download_find(struct cp_registry *r, const char *centre, const char *file,
		     struct cp_download *d);
void cp_download_release(struct cp_download *d);
/* Record d pending (created, created_by, selection, chosen, description as
 * given; no expiry yet): a new row, or one expired or failed made again
 * (under the centre's lock, so no sweep is deleting its file meanwhile).
 * 1 recorded, 0 if the row is another status now, -1. */
int cp_download_begin(struct cp_registry *r, const struct cp_download *d);
/* Its zip is there: finished, with expiry, digest, size and counts. */
int cp_download_finish(struct cp_registry *r, const char *centre, const char *file,
		       const char *expires, const char *sha256, long long bytes, long documents,
		       long left_out);
/* It could not be made (nothing left under its name). */
int cp_download_fail(struct cp_registry *r, const char *centre, const char *file);

/* One line of the downloads list: a nightly zip (type "batch", its batch)
 * or an export on demand (type "batch" for a batch's documents, else
 * "selection"). expires, created_by and swept_by (who expired it: sweep)
 * are "" where none is recorded;
 * bytes is -1 where no size is. Strings live until the callback returns. */
struct cp_download_row {
	const char *centre, *name, *description, *type, *status, *created, *expires,
		*created_by, *batch, *swept_by;
	long long bytes;
};
/* Every download (centre NULL) or the centre's, by creation and name. */
int cp_downloads_each(struct cp_registry *r, const char *centre,
		      int (*fn)(void *ctx, const struct cp_download_row *d), void *ctx);

/* What a sweep may delete at now (exports.h's struct, batch NULL):
 * finished and past expiry, or claimed by a sweep that stopped before
 * deleting it. Free with cp_exports_expiring_free. */
int cp_downloads_expiring(struct cp_registry *r, const char *now, struct cp_expiring **v,
			  size_t *n);
/* Claim one (expired from now on, by: who sweeps it) in a transaction of
 * its own: 1, 0 if it is no longer sweepable, -1. */
int cp_download_claim_expired(struct cp_registry *r, const struct cp_expiring *x,
			      const char *now, const char *by);
/* Record a claimed one's zip deleted. */
int cp_download_swept(struct cp_registry *r, const struct cp_expiring *x, const char *now);

#endif
