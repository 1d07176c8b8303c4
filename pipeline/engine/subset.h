/* The subsets a batch's PDFs are made with: every font of a set subset to
 * the characters that can be drawn from some files (the batch's file, the
 * templates), one file a font, in one folder, for cp_pdf_new to load.
 * Render, pack's reports and a reprint's copies all make theirs here. */
#ifndef CP_SUBSET_H
#define CP_SUBSET_H

#include "engine/layout.h"

/* Subset each font of fonts to printable ASCII and every character in the
 * nfiles files (a file that cannot be read adds nothing: the subset is a
 * superset of what will be drawn), into dir/NAME.ttf; dir is made if it is
 * missing. subset[i] gets font i's path (the caller frees each, also after
 * a failure). 0, or -1 after a message (the folder or a subset could not be
 * made). */
int cp_fontset_subset(const struct cp_fontset *fonts, const char *const *files, int nfiles,
		      const char *dir, char **subset);

#endif
