/* What the verification snapshot reads from the registry, and what is kept
 * for it: each award's units (assign records them as it takes the award),
 * the SHA-256 of each document's digital copy (render, reprint), the
 * revocation of a whole award, and the batches from before those were kept
 * whose files are still to be read (fill_pending). Include "registry.h". */
#ifndef CP_REGISTRY_UNITS_H
#define CP_REGISTRY_UNITS_H

#include <stdbool.h>
#include <stddef.h>

struct cp_registry;

/* One unit of an award, as assign took it from accepted.xml. */
struct cp_unit_row {
	const char *code, *title, *grade;
	long level, credits; /* 0: not given */
};
/* Record the award's unit at position (0, 1, ...); recording the same
 * position again changes nothing. Inside the caller's transaction; the
 * statement is prepared once per connection. */
int cp_award_unit_add(struct cp_registry *r, long long award, long position,
		      const struct cp_unit_row *u);
/* The SHA-256 (hex) of the document's digital copy, as it was written. */
int cp_document_set_digest(struct cp_registry *r, const char *reference, const char *sha256);

/* Revoke every document of the award that is not revoked already (the
 * superseded ones too: the award is cancelled), with reason and category
 * (NULL: withdrawn by the awarding body; "error": issued in error) at
 * stamp; *n how many. Inside the caller's transaction. */
int cp_award_revoke(struct cp_registry *r, long long award, const char *reason,
		    const char *category, const char *stamp, long *n);

/* The batches whose units and digests are still to be read from their
 * files (registries made before version 5), oldest first. */
int cp_fill_pending_each(struct cp_registry *r, int (*fn)(void *ctx, const char *batch),
			 void *ctx);
/* The batch's files are read (or gone): take it off the list. */
int cp_fill_done(struct cp_registry *r, const char *batch);

/* What the verification snapshot holds of one award and its documents. */
struct cp_pub_award {
	long long id;
	const char *first_name, *middle_names, *last_name, *qualification, *title, *grade,
		*awarded, *centre_name;
	long level;
};
struct cp_pub_doc {
	const char *reference, *type, *status, *category, *changed, *issued, *expires,
		*sha256, /* NULL where the registry has nothing */
		*paper_serial; /* the security paper it was last printed on */
	long serial, issue;
	bool published; /* issued: a pack has published it */
};
/* Every award with every one of its documents (by type, then issue) and
 * units (by position), in award order. Strings live until fn returns; a -1
 * from fn stops the walk. Read in one transaction, so the whole is one
 * moment of the registry. 0 or -1. */
typedef int (*cp_pub_fn)(void *ctx, const struct cp_pub_award *a, const struct cp_pub_doc *docs,
			 size_t ndocs, const struct cp_unit_row *units, size_t nunits);
int cp_publish_read(struct cp_registry *r, cp_pub_fn fn, void *ctx);

#endif
