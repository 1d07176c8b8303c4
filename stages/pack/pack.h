/* The pack stage: per-centre zip exports (manifest, reports, digital PDFs),
 * the printing house's print file in print order with its job ticket, then
 * packed.xml, written last: its presence means done. */
#ifndef CP_STAGE_PACK_H
#define CP_STAGE_PACK_H

#include <stdbool.h>
#include <stdio.h>

#include "conf.h"
#include "registry.h"
#include "spool.h"
#include "xmlout.h"

int cp_pack_run(const struct cp_conf *conf, const char *batch_arg, FILE *out);

/* One document of the batch with its learner's and award's fields, as the
 * registry holds them. Strings live until the next row. */
struct cp_pack_doc {
	const char *reference, *type, *enrolment, *candidate, *first_name, *middle_names,
		*last_name, *qualification, *title, *level, *grade, *awarded, *issued, *expires,
		*course_run, *centre, *centre_name, *email;
	const char *replaces; /* a reprint: the reference it replaces, else NULL */
	const char *reprint_batch; /* a reprint: the batch whose folder has its files */
};

typedef int (*cp_pack_doc_fn)(void *ctx, const struct cp_pack_doc *d);

/* The batch's documents in print order (centre, course run, last name, first
 * name, enrolment, type); then, if with_reprints, the reprints this batch
 * prints: of those, only the ones cp_pack_choose chose. Returns 0 or -1 (a
 * message printed, or the callback's -1). */
int cp_pack_each_doc(struct cp_registry *reg, const char *batch, bool with_reprints,
		     cp_pack_doc_fn fn, void *ctx);
/* Take the reprints queued since the last print file into this batch (a
 * re-run keeps those it took). Returns how many, or -1. */
long cp_pack_claim_reprints(struct cp_registry *reg, const char *batch);
/* Fix what this run packs: the batch's documents and the replacements it
 * took that are valid now (a revoked or superseded one is never packed or
 * printed, whenever it changed); *own is how many are the batch's own. Call
 * in the transaction that claims the reprints. 0 or -1. */
int cp_pack_choose(struct cp_registry *reg, const char *batch, long *own);
/* A <left-out type reference status [replaces]/> in out for every document
 * the batch (or a replacement it took) has that was not chosen. Returns how
 * many, or -1. */
long cp_pack_left_out(struct cp_registry *reg, const char *batch, struct cp_xmlout *out);
/* Record the chosen documents as published (issued) now, once the zip and
 * the print file are written: from then on verify calls them valid. 0 or -1. */
int cp_pack_publish(struct cp_registry *reg);

/* "certificates", "transcripts" or "letters": a document's folder in a zip. */
const char *cp_pack_folder_of(const char *type);

/* Counts of one course run for the certification report. */
struct cp_pack_run {
	char *id, *qualification, *title;
	long achieved, held, rejected;
};

struct cp_pack {
	const struct cp_conf *conf;
	struct cp_registry *reg;
	const char *batch;
	char *dir;      /* the batch folder */
	char *work;     /* dir/pack: manifests and reports before they are zipped */
	struct cp_pack_run *runs;
	size_t nruns;
	long achieved, held, rejected;
	char *centre, *centre_name;
	long rendered;  /* the batch's own documents rendered.xml lists */
	long documents; /* those packed: the ones still valid when pack started */
};

/* Per course run: learners achieved (assigned.xml), held and rejected. */
int cp_pack_count_runs(struct cp_pack *p);
/* manifest.csv of the centre's documents into path. */
int cp_pack_manifest(struct cp_pack *p, const char *path);
/* certification-report.pdf and summary-RUN.pdf for every course run into
 * p->work. Returns a sysexits code. */
int cp_pack_reports(struct cp_pack *p);
/* The centre's zip under spool/exports/BATCH/, and its registry row; an
 * <export> element in out. Returns a sysexits code. */
int cp_pack_export(struct cp_pack *p, const struct cp_spool *spool, struct cp_xmlout *out);
/* The print file parts and the ticket under spool/print/BATCH/. */
int cp_pack_print(struct cp_pack *p, const struct cp_spool *spool, struct cp_xmlout *out);

#endif
