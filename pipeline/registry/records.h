/* A document's record as the registry holds it: its learner, award, units,
 * template and dates, enough to lay it out again without its batch's files
 * (a reprint, a letter). Include "registry.h". */
#ifndef CP_REGISTRY_RECORDS_H
#define CP_REGISTRY_RECORDS_H

#include <stddef.h>

struct cp_registry;

enum cp_rec_field {
	CP_REC_REFERENCE, CP_REC_TYPE, CP_REC_TEMPLATE, CP_REC_ISSUED, CP_REC_EXPIRES,
	CP_REC_REPLACES, CP_REC_ENROLMENT, CP_REC_CANDIDATE, CP_REC_FIRST_NAME,
	CP_REC_MIDDLE_NAMES, CP_REC_LAST_NAME, CP_REC_QUALIFICATION, CP_REC_TITLE,
	CP_REC_LEVEL, CP_REC_GRADE, CP_REC_AWARDED, CP_REC_CENTRE, CP_REC_CENTRE_NAME,
	CP_REC_COURSE_RUN, CP_REC_NFIELDS
};
struct cp_rec_unit {
	char *code, *title, *grade;
	long level, credits; /* 0: not given */
};
struct cp_doc_record {
	char *f[CP_REC_NFIELDS]; /* NULL where the registry has nothing */
	long long award_id;
	struct cp_rec_unit *units;
	size_t nunits;
};
/* The record of a document by reference (replaces: the document a
 * replacement replaces): 1 filled, 0 no such document, -1 error. A
 * document assigned before the registry kept templates has none
 * (CP_REC_TEMPLATE NULL): its batch's assigned.xml names it. */
int cp_doc_record_read(struct cp_registry *r, const char *reference, struct cp_doc_record *d);
void cp_doc_record_release(struct cp_doc_record *d);

/* An award a proof of qualification letter lists: the learner as that
 * award names them, the award, and the references of its valid documents
 * (not revoked or superseded; the letters of proof themselves aside), in
 * print order, separated by ", ". */
struct cp_learner_award {
	long long id;
	const char *first_name, *middle_names, *last_name, *candidate, *qualification, *title,
		*level, *grade, *awarded, *centre, *centre_name, *references;
};
/* Every award the registry holds for the enrolment with a valid document,
 * by award date, then award; strings live until fn returns; a -1 from fn
 * stops the walk. 0 or -1. */
int cp_learner_awards_each(struct cp_registry *r, const char *enrolment,
			   int (*fn)(void *ctx, const struct cp_learner_award *a), void *ctx);
/* The latest issue of the award's document of type (a proof letter: one
 * serial per anchor award): 1 with its reference, 0 if none, -1 error. */
int cp_award_latest(struct cp_registry *r, long long award, const char *type, char *ref,
		    size_t nref);
/* The letter lists award at position (0, 1, ...). Inside the caller's
 * transaction. */
int cp_letter_award_add(struct cp_registry *r, const char *letter, long position,
			long long award);

#endif
