/* The qualification catalogue (urn:certpress:catalogue:1): screened like any
 * outside file, validated against catalogue.xsd, then held in memory sorted
 * by qualification number for lookups. */
#ifndef CP_CATALOGUE_H
#define CP_CATALOGUE_H

#include <stdbool.h>
#include <stddef.h>

#include "doctype.h"
#include "util/date.h"

#define CP_CATALOGUE_NS "urn:certpress:catalogue:1"

struct cp_unit {
	char *ref, *title;
	long title_line; /* where a message about the title points */
	char *grades; /* space-separated; NULL: the qualification's grades */
	int credits, level;
	bool mandatory;
};

struct cp_qualification {
	char *number, *title, *grades;
	/* the template of each document type (cp_doctypes, by index): NULL
	 * where the qualification has none of that type (a type every award
	 * has is required) */
	char *templates[CP_NDOCTYPES];
	int level, min_credits, min_age;
	int expires_after_months; /* 0: documents do not expire */
	struct cp_date valid_from, valid_to;
	struct cp_unit *units;
	size_t nunits;
	long line, title_line;
};

struct cp_catalogue {
	char *awarding_body;
	struct cp_qualification *quals;
	size_t nquals;
};

/* Load and check the catalogue. Returns 0, or a sysexits code after a
 * message naming file and line: 66 if it is missing, 78 if it is bad. */
int cp_catalogue_load(struct cp_catalogue *c, const char *path, const char *schema_path);
void cp_catalogue_release(struct cp_catalogue *c);
const struct cp_qualification *cp_catalogue_find(const struct cp_catalogue *c,
						 const char *number);
const struct cp_unit *cp_qualification_unit(const struct cp_qualification *q,
					    const char *ref);
/* The grades a unit allows: its own list, else its qualification's. */
const char *cp_unit_grades(const struct cp_qualification *q, const struct cp_unit *u);
/* True if grade is one of the space-separated words in grades. */
bool cp_grades_contain(const char *grades, const char *grade);

#endif
