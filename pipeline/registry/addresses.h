/* Learners' addresses set by an operator (table address_changes, certpress
 * set-email): every one kept with the address before it, who set it and
 * when; the learner's awards carry the latest, which notify reads.
 * Include "registry.h". */
#ifndef CP_REGISTRY_ADDRESSES_H
#define CP_REGISTRY_ADDRESSES_H

#include <stddef.h>

struct cp_registry;

/* 1 if a learner with this enrolment has an award, 0 if not, -1. */
int cp_address_learner_known(struct cp_registry *r, const char *enrolment);

/* The batches whose email to the learner has not gone out and will not by
 * itself ('not-notifiable', 'failed', 'deferred'), by id, copied into
 * *batches (free with cp_address_batches_free): 0 and *n, or -1. The
 * statement is ended before this returns. */
int cp_address_unsent_batches(struct cp_registry *r, const char *enrolment, char ***batches,
			      size_t *n);
void cp_address_batches_free(char **batches, size_t n);

/* In the caller's transaction: record address as the learner's, set by by
 * at stamp (the one before kept beside it), on every award of theirs; and
 * make their email of each of the n batches one to send again: 'deferred'
 * with no attempt counted yet, its reply saying who set the address, so
 * that notify sends it once. 0 or -1. */
int cp_address_set(struct cp_registry *r, const char *enrolment, const char *address,
		   const char *by, const char *stamp, char *const *batches, size_t n);

/* An address change of a learner of a batch. The strings live until the
 * callback returns. */
struct cp_address_change_row {
	const char *enrolment, *set_by, *set_at;
};
/* Every address change of the batch's learners, oldest first. 0 or -1 (or
 * what fn returned, not 0). */
int cp_address_changes_of_batch(struct cp_registry *r, const char *batch,
				int (*fn)(void *ctx, const struct cp_address_change_row *c),
				void *ctx);

#endif
