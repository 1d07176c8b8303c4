/* Bindings: the names a template may use in braces, "{learner.full_name}",
 * with an optional format after a bar ("{award.date|long}"), and the values
 * one document gives them. Template text is parsed once into parts. */
#ifndef CP_BIND_H
#define CP_BIND_H

#include <stddef.h>

enum cp_binding {
	CP_B_AWARDING_BODY, CP_B_FULL_NAME, CP_B_FIRST_NAME, CP_B_MIDDLE_NAMES, CP_B_LAST_NAME,
	CP_B_ENROLMENT, CP_B_CANDIDATE, CP_B_QUAL_TITLE, CP_B_QUAL_NUMBER, CP_B_QUAL_LEVEL,
	CP_B_GRADE, CP_B_AWARDED, CP_B_REFERENCE, CP_B_DOC_TYPE, CP_B_ISSUED, CP_B_EXPIRES,
	CP_B_VERIFY_URL, CP_B_CENTRE_NAME, CP_B_CENTRE_NUMBER, CP_B_COURSE_RUN,
	CP_B_CREDITS_TOTAL, CP_B_UNITS_COUNT, CP_B_PAGE, CP_B_PAGES,
	/* a replacement: the reference it replaces; an original: "yes" */
	CP_B_REPLACES, CP_B_FIRST_ISSUE,
	/* reports (pack): the batch and its totals */
	CP_B_BATCH, CP_B_TOTAL_ACHIEVED, CP_B_TOTAL_HELD, CP_B_TOTAL_REJECTED,
	/* emails (notify): the learner's documents, one a line; the centre's zip */
	CP_B_DOCUMENTS, CP_B_EXPORT_FILE, CP_B_EXPORT_EXPIRES,
	/* the centre's email and the certification report: [export]
	 * receipt-days and the date the receipt is due */
	CP_B_RECEIPT_DAYS, CP_B_RECEIPT_DUE,
	/* order emails (notify orders): the order, how it goes, its tracking */
	CP_B_ORDER_ID, CP_B_ORDER_DELIVERY, CP_B_ORDER_TRACKING,
	/* a consignment's dispatch email (notify orders): its print batch,
	 * id, dispatch date and how many documents it carries */
	CP_B_PRINT_BATCH, CP_B_CONSIGNMENT_ID, CP_B_CONSIGNMENT_DISPATCHED,
	CP_B_CONSIGNMENT_DOCUMENTS,
	/* per row, inside a table only: a unit (transcripts) */
	CP_B_UNIT_REF, CP_B_UNIT_TITLE, CP_B_UNIT_LEVEL, CP_B_UNIT_CREDITS, CP_B_UNIT_GRADE,
	/* a course run (certification report) or a learner (course summary) */
	CP_B_ROW_COURSE_RUN, CP_B_ROW_QUAL_NUMBER, CP_B_ROW_QUAL_TITLE, CP_B_ROW_ACHIEVED,
	CP_B_ROW_HELD, CP_B_ROW_REJECTED, CP_B_ROW_LEARNER, CP_B_ROW_ENROLMENT,
	CP_B_ROW_CANDIDATE, CP_B_ROW_GRADE, CP_B_ROW_CERTIFICATE, CP_B_ROW_TRANSCRIPT,
	CP_B_ROW_LETTER,
	/* an award of a proof of qualification letter: its date, centre and
	 * the references of its valid documents */
	CP_B_ROW_AWARDED, CP_B_ROW_CENTRE, CP_B_ROW_REFERENCES,
	CP_NBINDINGS
};
#define CP_B_FIRST_UNIT CP_B_UNIT_REF

enum cp_bind_format { CP_F_PLAIN, CP_F_LONG_DATE, CP_F_SHORT_DATE, CP_F_UPPER };

struct cp_part {
	int binding;   /* -1: literal text */
	int format;
	char *text;    /* the literal */
};

struct cp_text {
	struct cp_part *parts;
	size_t n;
};

/* One table row's values: a unit's, or a report row's. */
struct cp_unit_values {
	const char *v[CP_NBINDINGS - CP_B_FIRST_UNIT];
};

/* The values of one document. Strings are not owned. */
struct cp_values {
	const char *v[CP_NBINDINGS];
	const struct cp_unit_values *units;
	size_t nunits;
};

/* Parse "Awarded to {learner.full_name}". On error returns -1 and a reason
 * in why (unknown binding, unclosed brace, a unit binding where
 * units_allowed is 0). */
int cp_text_parse(struct cp_text *t, const char *src, int units_allowed, char *why, size_t n);
void cp_text_release(struct cp_text *t);
/* The text with values put in (caller frees). unit may be NULL. */
char *cp_text_expand(const struct cp_text *t, const struct cp_values *v,
		     const struct cp_unit_values *unit);
/* The binding named name ("award.date"), or -1. */
int cp_binding_find(const char *name);
/* learner.full_name: first, middle (may be NULL) and last names (caller
 * frees). */
char *cp_bind_full_name(const char *first, const char *middle, const char *last);
/* A value with a format applied (caller frees). */
char *cp_bind_format(const char *value, int format);

#endif
