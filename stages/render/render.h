/* The render stage: every document of an assigned batch laid out from its
 * template as a digital copy and a print copy, then rendered.xml. */
#ifndef CP_STAGE_RENDER_H
#define CP_STAGE_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "conf.h"
#include "engine/layout.h"
#include "registry.h"
#include "util/progress.h"

#define CP_RENDER_MAX_LAYOUTS 16

int cp_render_run(const struct cp_conf *conf, const char *batch_arg, FILE *out);

/* A document of the batch not valid when render started. */
struct cp_render_left_out {
	char *ref, *status; /* "revoked" or "superseded" */
};

/* What every worker shares, made once before the workers start. */
struct cp_render {
	const struct cp_conf *conf;
	char batch[24];
	char *dir;                 /* the batch folder */
	struct cp_fontset fonts;
	char *subset[CP_MAX_FONTS]; /* the batch's subset of each font */
	struct cp_layout layouts[CP_RENDER_MAX_LAYOUTS];
	int nlayouts;
	long learners;
	struct cp_render_left_out *left_out; /* sorted by reference */
	size_t nleft_out;
	/* the learners (their places in assigned.xml, ascending) whose awards
	 * render refused, now or in an earlier attempt: never drawn */
	long *skip;
	size_t nskip, askip;
	long refused;
	struct cp_progress *progress; /* the whole batch's, every worker ticks it */
};

/* Read which of the batch's documents are no longer valid (select.c): they
 * are not rendered, and their copies from an earlier attempt are removed.
 * 0 or -1. */
int cp_render_select(struct cp_render *r, struct cp_registry *reg);
/* The status of a document left out ("revoked", "superseded"), or NULL if
 * it is rendered. */
const char *cp_render_left_out(const struct cp_render *r, const char *ref);
void cp_render_select_release(struct cp_render *r);

/* Load the templates the batch names, check every learner's printed text
 * against the fonts of their templates, and write the font subsets. A
 * learner with a character no font can draw is refused: its award (and its
 * documents, never issued) withdrawn from the registry in one transaction,
 * so a corrected file can give it again; the others are rendered. Returns a
 * sysexits code (65 if nobody is left to render). */
int cp_render_prepare(struct cp_render *r, struct cp_registry *reg);
/* True if the learner at that place in assigned.xml is not to be drawn. */
bool cp_render_skipped(const struct cp_render *r, long index);
void cp_render_release(struct cp_render *r);
const struct cp_layout *cp_render_layout(const struct cp_render *r, const char *name);

/* Worker k of n: render its share of the learners, skipping documents an
 * earlier attempt's journal records (journal.h), and append a journal line
 * per document. Returns a sysexits code. */
int cp_render_worker(const struct cp_render *r, int k, int n);

/* With [run] approval = required: proof.pdf in the batch folder, every
 * certificate the batch renders drawn small, several to a sheet, each with
 * its reference and learner line (proof.c). Returns a sysexits code. */
int cp_render_proof(struct cp_render *r);

#endif
