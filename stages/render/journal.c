/* Streaming reader of the render journals: runs found in one pass, then one
 * cursor per run. */
#include "journal.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define PREFIX CP_RENDER_JOURNAL_PREFIX

/* Read the next whole line of a run; index -1 at the run's end. */
static void advance(struct cp_journal_run *r)
{
	for (;;) {
		long at = ftell(r->f);
		size_t len;

		if (at < 0 || at >= r->end || !fgets(r->line, sizeof(r->line), r->f)) {
			r->index = -1;
			return;
		}
		len = strlen(r->line);
		if (len && r->line[len - 1] == '\n' && sscanf(r->line, "%ld", &r->index) == 1)
			return;
	}
}

static int add_runs(struct cp_journal *j, const char *path)
{
	FILE *scan = fopen(path, "r");
	char line[CP_JOURNAL_LINE];
	long prev = -1, start = 0, at = 0, index;

	if (!scan)
		return 0;
	for (;;) {
		char *got = fgets(line, sizeof(line), scan);
		long next = ftell(scan);
		size_t len = got ? strlen(line) : 0;
		int whole = got && len && line[len - 1] == '\n' && sscanf(line, "%ld", &index) == 1;

		/* a run ends where the index goes back (a later attempt) or at the end */
		if (!got || (whole && index < prev)) {
			if (at > start) {
				struct cp_journal_run *r;

				if (j->n == CP_JOURNAL_MAX_RUNS) {
					fclose(scan);
					return cp_error("%s: more than %d render attempts", path,
							CP_JOURNAL_MAX_RUNS);
				}
				r = &j->run[j->n++];
				r->f = fopen(path, "r");
				r->end = at;
				if (!r->f || fseek(r->f, start, SEEK_SET) < 0) {
					fclose(scan);
					return cp_error("%s: cannot read", path);
				}
				r->cur_index = -1;
				advance(r);
			}
			if (!got)
				break;
			start = at;
		}
		if (whole)
			prev = index;
		at = next;
	}
	fclose(scan);
	return 0;
}

int cp_journal_open(struct cp_journal *j, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 0;

	memset(j, 0, sizeof(*j));
	if (!d)
		return cp_error("%s: cannot read the folder", dir);
	while (rc == 0 && (e = readdir(d)))
		if (!strncmp(e->d_name, PREFIX, strlen(PREFIX))) {
			char *p = cp_xasprintf("%s/%s", dir, e->d_name);

			rc = add_runs(j, p);
			free(p);
		}
	closedir(d);
	return rc;
}

int cp_journal_find(struct cp_journal *j, long index, const char *ref,
		    struct cp_journal_entry *e)
{
	int found = 0;

	for (int i = 0; i < j->n; i++) {
		struct cp_journal_run *r = &j->run[i];

		if (r->cur_index != index) {
			r->ncur = 0;
			r->cur_index = index;
			while (r->index >= 0 && r->index < index)
				advance(r);
			while (r->index == index) {
				if (r->ncur < CP_JOURNAL_PER_LEARNER)
					memcpy(r->cur[r->ncur++], r->line, sizeof(r->line));
				advance(r);
			}
		}
		for (int k = 0; k < r->ncur; k++) {
			struct cp_journal_entry x;
			long idx;

			/* later runs are later attempts: the last match wins */
			if (sscanf(r->cur[k], "%ld %31s %15s %d %llu %64s %llu %64s", &idx, x.ref,
				   x.type, &x.pages, &x.dbytes, x.dsha, &x.pbytes, x.psha) == 8 &&
			    !strcmp(x.ref, ref)) {
				*e = x;
				found = 1;
			}
		}
	}
	return found;
}

void cp_journal_close(struct cp_journal *j)
{
	for (int i = 0; i < j->n; i++)
		if (j->run[i].f)
			fclose(j->run[i].f);
	memset(j, 0, sizeof(*j));
}

void cp_journal_remove(const char *dir)
{
	cp_stage_remove_journals(dir, CP_STAGE_RENDER);
}
