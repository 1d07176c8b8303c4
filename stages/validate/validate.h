/* The validate stage: one results file becomes a batch whose every learner
 * is accepted, rejected (with every reason and line) or held. */
#ifndef CP_STAGE_VALIDATE_H
#define CP_STAGE_VALIDATE_H

#include <stdio.h>

#include "util/atomic.h"
#include "catalogue.h"
#include "conf.h"
#include "engine/coverage.h"
#include "results.h"
#include "rules.h"
#include "xmlout.h"

/* A results file's name as the batch keeps it (cp_utf8_safe_name): short
 * enough that spool/failed/BATCH-NAME.reason is a legal file name. */
#define CP_VALIDATE_NAME_MAX 200

/* Validate a results file (or resume the batch given by id or folder) and
 * print "BATCH FOLDER" on out. Returns a sysexits code. */
int cp_validate_run(const struct cp_conf *conf, const char *arg, FILE *out);

/* One of the stage's output files, written as it goes and committed at the
 * end: accepted.xml, rejected.xml or held.xml. */
struct cp_vout {
	struct cp_atomic file;
	struct cp_xmlout xml;
	long count;
	const char *root;
	int in_run; /* accepted.xml groups learners by course run */
};

struct cp_vout_head {
	const char *batch, *results, *sha256;
	const struct cp_results_head *head;
};

int cp_vout_open(struct cp_vout *o, const char *path, const char *root,
		 const struct cp_vout_head *h);
/* The submission and centre, written once before the first course run. */
void cp_vout_head(struct cp_vout *o, const struct cp_results_head *rh);
void cp_vout_run_start(struct cp_vout *o, const struct cp_run *run);
void cp_vout_run_end(struct cp_vout *o);
void cp_vout_accepted(struct cp_vout *o, const struct cp_learner *l,
		      const struct cp_qualification *q);
void cp_vout_rejected(struct cp_vout *o, const struct cp_run *run,
		      const struct cp_learner *l, const struct cp_reasons *why);
void cp_vout_held(struct cp_vout *o, const struct cp_run *run, const struct cp_learner *l);
/* Close the root with the <end count="N"/> trailer and commit the file. */
int cp_vout_commit(struct cp_vout *o);
void cp_vout_abort(struct cp_vout *o);

/* The fonts each qualification's templates draw text in (fonts.c). */
struct cp_vfonts {
	const char *layouts, *catalogue; /* the folder; the file, for messages */
	struct cp_fontset set;
	struct vfont_template *templates;
	size_t ntemplates, atemplates;
	struct vfont_qual *quals;
	size_t nquals, aquals;
};

/* The fonts q's documents are drawn in: its templates loaded the first time
 * (their fonts shared by name), and its titles checked against them. A
 * template that cannot be loaded gives no fonts (a warning; render refuses
 * it with 78). NULL after a message naming the catalogue line: a title no
 * font of the templates can draw, a configuration error. */
const struct cp_coverage *cp_vfonts_of(struct cp_vfonts *f, const struct cp_qualification *q);
void cp_vfonts_release(struct cp_vfonts *f);

#endif
