/* The render journal: one line per document made, "INDEX REF TYPE PAGES
 * DIGITAL-BYTES DIGITAL-SHA256 PRINT-BYTES PRINT-SHA256", where INDEX is the
 * learner's place in assigned.xml. Each worker appends to its own file in
 * learner order, so every file is a few runs sorted by INDEX (one per
 * attempt); reading walks a cursor per run alongside assigned.xml, and
 * memory does not grow with the batch. A line cut short by a crash is
 * ignored. The files are named CP_RENDER_JOURNAL_PREFIX + the worker's
 * number (stage.c: retry --from forgets them). */
#ifndef CP_RENDER_JOURNAL_H
#define CP_RENDER_JOURNAL_H

#include <stdio.h>

#include "stage.h" /* the journals' names: CP_RENDER_JOURNAL_PREFIX */

#define CP_JOURNAL_MAX_RUNS 256
#define CP_JOURNAL_LINE 320

#define CP_JOURNAL_PER_LEARNER 8

struct cp_journal_run {
	FILE *f;
	long end;        /* the run's last byte + 1 */
	long index;      /* the learner index of line (read ahead), or -1 at the end */
	char line[CP_JOURNAL_LINE];
	long cur_index;  /* the learner whose lines are in cur */
	char cur[CP_JOURNAL_PER_LEARNER][CP_JOURNAL_LINE];
	int ncur;
};

struct cp_journal {
	struct cp_journal_run run[CP_JOURNAL_MAX_RUNS];
	int n;
};

struct cp_journal_entry {
	char ref[32], type[16], dsha[65], psha[65];
	int pages;
	unsigned long long dbytes, pbytes;
};

/* Open every journal in dir as it is now. 0, or -1 with a message. */
int cp_journal_open(struct cp_journal *j, const char *dir);
/* The entry recorded for a document of learner index, if any (the latest
 * attempt's). Learners must be asked for in increasing index. */
int cp_journal_find(struct cp_journal *j, long index, const char *ref,
		    struct cp_journal_entry *e);
void cp_journal_close(struct cp_journal *j);
/* Remove the journals once rendered.xml holds what they said. */
void cp_journal_remove(const char *dir);

#endif
