/* The render stage: every document of an assigned batch laid out from its
 * template as a digital copy and a print copy, then rendered.xml. */
#ifndef CP_STAGE_RENDER_H
#define CP_STAGE_RENDER_H

#include <stdio.h>

#include "../../pipeline/conf.h"
#include "../../pipeline/layout.h"
#include "../../pipeline/progress.h"

#define CP_RENDER_MAX_LAYOUTS 16

int cp_render_run(const struct cp_conf *conf, const char *batch_arg, FILE *out);

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
	struct cp_progress *progress; /* the whole batch's, every worker ticks it */
};

/* Load the templates the batch names, check every learner's text against
 * their fonts, and write the font subsets. Returns a sysexits code. */
int cp_render_prepare(struct cp_render *r);
void cp_render_release(struct cp_render *r);
const struct cp_layout *cp_render_layout(const struct cp_render *r, const char *name);

/* Worker k of n: render its share of the learners, skipping documents an
 * earlier attempt's journal records (journal.h), and append a journal line
 * per document. Returns a sysexits code. */
int cp_render_worker(const struct cp_render *r, int k, int n);

#endif
