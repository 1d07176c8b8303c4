/* The registry's awards and the documents assign issues for them, with
 * every serial ever drawn (tables awards, serials, documents as issued).
 * An award is (enrolment, qualification, award date), made once; its
 * original documents are (award, type, issue 1). Include "registry.h". */
#ifndef CP_REGISTRY_AWARDS_H
#define CP_REGISTRY_AWARDS_H

#include <stdint.h>
#include <stddef.h>

#include "spool.h"

struct cp_registry;

/* 1 if an award for (enrolment, qualification, awarded) exists in a batch
 * other than this one (its id in other), 0 if not. Its statement is
 * prepared once per connection (validate asks per learner): cp_award_find's. */
int cp_registry_award_elsewhere(struct cp_registry *r, const char *enrolment,
				const char *qualification, const char *awarded,
				const char *batch, char other[CP_BATCH_ID_MAX]);

/* 1 if the award is still the batch's, 0 if it is not (render withdrew
 * it), -1 on error. */
int cp_registry_award_of_batch(struct cp_registry *r, long long award, const char *batch);
/* Withdraw an award render refused before any of its documents was made:
 * its documents, any reprint order of them, and the award itself, if it is
 * the batch's (none of it was ever issued; the serials stay drawn, never
 * used again). So the same award in a corrected file is not a duplicate.
 * Inside the caller's transaction. */
int cp_registry_award_withdraw(struct cp_registry *r, long long award, const char *batch);

/* What assign records, per learner and inside its one transaction. The
 * statements are prepared once per connection. */
struct cp_award {
	const char *enrolment, *qualification, *awarded, *title;
	long level;
	const char *candidate, *first_name, *middle_names, *last_name, *dob, *email, *grade;
	const char *centre, *centre_name, *course_run, *batch;
};
/* The award (enrolment, qualification, awarded): 1 with its id and the
 * batch that made it, 0 if there is none. */
int cp_award_find(struct cp_registry *r, const char *enrolment, const char *qualification,
		  const char *awarded, long long *id, char batch[CP_BATCH_ID_MAX]);
int cp_award_add(struct cp_registry *r, const struct cp_award *a, long long *id);
/* The award's original document of this type (issue 1): 1 with its
 * reference and issue date copied, 0 if it has none yet. */
int cp_award_original(struct cp_registry *r, long long award, const char *type, char *ref,
		      size_t nref, char *issued, size_t nissued);
/* Record a serial as drawn: 1, or 0 if it was drawn before (draw again). */
int cp_serial_claim(struct cp_registry *r, uint32_t serial);
/* Record the award's original document of this type (issue 1), laid out
 * from template (kept so it can be laid out again from the registry).
 * expires and template may be NULL. */
int cp_award_issue(struct cp_registry *r, const char *ref, uint32_t serial, long long award,
		   const char *type, const char *issued, const char *expires, const char *batch,
		   const char *template);

#endif
