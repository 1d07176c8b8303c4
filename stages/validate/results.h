/* Streaming reader for results files (urn:certpress:results:1): libxml2's
 * reader validates against results.xsd while it reads, and each learner is
 * handed to a callback and freed, so memory does not grow with the file. */
#ifndef CP_RESULTS_H
#define CP_RESULTS_H

#include <libxml/xmlschemas.h>
#include <stddef.h>

#include "util/xml.h"

#define CP_RESULTS_NS "urn:certpress:results:1"
/* Bounds on any one value: a longer one makes the file unusable. */
#define CP_RESULTS_MAX_TEXT 4096
#define CP_RESULTS_MAX_DEPTH 16

struct cp_results_head {
	char *id, *submitted;
	char *centre_number, *centre_name, *centre_email;
	long line, centre_line;
};

struct cp_run {
	char *id, *qualification, *start, *end;
	char *verifier, *verifier_name, *verified, *outcome;
	long line;
};

struct cp_unit_result {
	char *ref, *grade;
	long line;
};

/* Fields are as read (not trimmed); any may be NULL in an invalid file. */
struct cp_learner {
	char *enrolment, *candidate;
	char *first_name, *middle_names, *last_name, *dob, *email;
	char *status, *grade, *awarded;
	struct cp_unit_result *units;
	size_t nunits, aunits;
	long line;
};

/* Callbacks return 0 to go on, -1 to stop with an internal error. */
struct cp_results_handler {
	void *ctx;
	int (*head)(void *ctx, const struct cp_results_head *head);
	int (*run_start)(void *ctx, const struct cp_run *run);
	int (*learner)(void *ctx, const struct cp_run *run, struct cp_learner *l);
	int (*run_end)(void *ctx, const struct cp_run *run);
};

/* Read the whole file. 0: valid and every record handed over; 1: the file is
 * unusable (err says where and why; records handed over must be discarded);
 * -1: a callback failed or the file could not be opened. */
int cp_results_read(const char *path, xmlSchemaPtr schema, const struct cp_results_handler *h,
		    struct cp_xml_error *err);

void cp_learner_release(struct cp_learner *l);

#endif
