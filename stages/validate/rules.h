/* The business rules of inputs.md that need no state beyond the catalogue:
 * each check adds every reason that applies (not only the first), with the
 * line it applies to. Rules that need the whole file or the registry
 * (enrolment used twice, an award already made) are the validate stage's. */
#ifndef CP_RULES_H
#define CP_RULES_H

#include <stddef.h>

#include "catalogue.h"
#include "util/date.h"
#include "results.h"

#define CP_NAME_MAX_CHARS 100

struct cp_reason {
	char *text;
	long line;
};

struct cp_reasons {
	struct cp_reason *v;
	size_t n, alloc;
};

void cp_reasons_add(struct cp_reasons *r, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Append every reason of src to dst. */
void cp_reasons_append(struct cp_reasons *dst, const struct cp_reasons *src);
void cp_reasons_clear(struct cp_reasons *r);
void cp_reasons_release(struct cp_reasons *r);

enum cp_verdict { CP_ACCEPTED, CP_REJECTED, CP_HELD };

/* Trim outer white space from the names and the email address, in place. */
void cp_learner_normalise(struct cp_learner *l);

/* Problems with a course run as a whole; each rejects all its learners. */
void cp_rules_run(const struct cp_catalogue *c, const struct cp_run *run,
		  struct cp_reasons *out);
/* Names, date of birth and email: checked for every learner. */
void cp_rules_identity(const struct cp_learner *l, struct cp_date today,
		       struct cp_reasons *out);
/* The award itself (status achieved): qualification open, grade, units,
 * credits, award date and minimum age. */
void cp_rules_award(const struct cp_qualification *q, const struct cp_run *run,
		    const struct cp_learner *l, struct cp_date today, struct cp_reasons *out);
/* All of the above for one normalised learner, given the run's own reasons:
 * rejected if any reason applies, else held for a query or a withdrawal,
 * else accepted. */
enum cp_verdict cp_rules_check(const struct cp_catalogue *c, const struct cp_run *run,
			       const struct cp_reasons *run_reasons,
			       const struct cp_learner *l, struct cp_date today,
			       struct cp_reasons *out);

#endif
