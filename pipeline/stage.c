/* Opening, locking and recording a stage's work on one batch. */
#include "stage.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/atomic.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "who.h"
#include "util/banned.h"

#ifndef CP_LIBEXECDIR
#error "CP_LIBEXECDIR comes from the Makefile"
#endif

const char *const cp_stage_names[CP_NSTAGES] = { "validate", "assign", "render", "pack",
						 "notify" };
const char *const cp_stage_outputs[CP_NSTAGES] = { "accepted.xml", "assigned.xml",
						   "rendered.xml", "packed.xml", "notified.xml" };

int cp_stage_next(const char *dir)
{
	for (int i = 0; i < CP_NSTAGES; i++) {
		char *p = cp_xasprintf("%s/%s", dir, cp_stage_outputs[i]);
		bool there = access(p, F_OK) == 0;

		free(p);
		if (!there)
			return i;
	}
	return CP_NSTAGES;
}

char *cp_stage_program(const char *stage)
{
	char self[PATH_MAX], *slash, *p;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/'))) {
			*slash = '\0';
			p = cp_xasprintf("%s/certpress-%s", self, stage);
			if (access(p, X_OK) == 0)
				return p;
			free(p);
		}
	}
	return cp_xasprintf("%s/certpress-%s", CP_LIBEXECDIR, stage);
}

static int stage_open(struct cp_stage *s, const char *name, const struct cp_conf *conf,
		      const char *batch_arg)
{
	int r;

	memset(s, 0, sizeof(*s));
	s->name = name;
	s->lock = -1;
	if (cp_spool_open(&s->spool, conf) < 0)
		return CP_EX_CANTCREAT;
	if (cp_spool_batch_arg(&s->spool, batch_arg, s->batch) < 0)
		return CP_EX_NOINPUT;
	cp_msg_set_batch(s->batch);
	s->dir = cp_spool_batch_dir(&s->spool, s->batch);
	if ((r = cp_batch_lock(s->dir, s->batch, &s->lock)) != 0) {
		if (r > 0)
			cp_error("batch %s is being worked on by another process", s->batch);
		return r > 0 ? CP_EX_TEMPFAIL : CP_EX_IOERR;
	}
	if (cp_registry_open(&s->reg, conf->registry) < 0)
		return CP_EX_CANTCREAT;
	cp_stage_reconcile(&s->reg, s->dir, s->batch);
	return 0;
}

bool cp_stage_refused(const char *dir)
{
	char *p = cp_xasprintf("%s/failed", dir);
	bool r = access(p, F_OK) == 0;

	free(p);
	return r;
}

void cp_stage_reconcile(struct cp_registry *reg, const char *dir, const char *batch)
{
	for (int i = 0; i < CP_NSTAGES; i++) {
		char *p;
		bool done;

		if (cp_registry_stage_running(reg, batch, cp_stage_names[i]) != 1)
			continue;
		p = cp_xasprintf("%s/%s", dir, cp_stage_outputs[i]);
		done = access(p, F_OK) == 0;
		free(p);
		cp_registry_stage_close_running(reg, batch, cp_stage_names[i],
						done ? CP_EX_OK : CP_REGISTRY_CRASHED);
	}
	/* every output there: done, whatever the run that drove it recorded
	 * (a stage killed after its output's rename, a stage run alone) */
	if (!reg->readonly && cp_stage_next(dir) == CP_NSTAGES &&
	    cp_registry_batch_done(reg, batch) == 0)
		cp_registry_batch_set_status(reg, batch, "done", NULL);
}

static bool has(const struct cp_stage *s, const char *file)
{
	char *p = cp_xasprintf("%s/%s", s->dir, file);
	struct stat st;
	bool e = stat(p, &st) == 0;

	free(p);
	return e;
}

static int ready(struct cp_stage *s, const char *output, const char *input, const char *before)
{
	if (has(s, output)) {
		cp_registry_stage_close_running(&s->reg, s->batch, s->name, CP_EX_OK);
		cp_info("batch %s: %s is done already (%s is there)", s->batch, s->name, output);
		return CP_STAGE_DONE;
	}
	if (!has(s, input)) {
		cp_error("batch %s has not been through %s yet: no %s", s->batch, before, input);
		return CP_EX_NOINPUT;
	}
	return 0;
}

static int begin(struct cp_stage *s)
{
	char by[CP_WHO_SIZE];

	cp_who_stage(by, sizeof(by));
	if (cp_registry_stage_start(&s->reg, s->batch, s->name, by, &s->attempt) < 0)
		return CP_EX_IOERR;
	cp_atomic_sweep_tree(s->dir);
	return 0;
}

int cp_stage_start(struct cp_stage *s, const char *name, const struct cp_conf *conf,
		   const char *batch_arg)
{
	int i, rc;

	for (i = 1; i < CP_NSTAGES && strcmp(cp_stage_names[i], name); i++)
		;
	if (i == CP_NSTAGES)
		cp_bug("'%s' is not a stage that works on a batch", name);
	if ((rc = stage_open(s, cp_stage_names[i], conf, batch_arg)) != 0 ||
	    (rc = ready(s, cp_stage_outputs[i], cp_stage_outputs[i - 1], cp_stage_names[i - 1])) != 0)
		return rc;
	return begin(s);
}

void cp_stage_end(struct cp_stage *s, int code, const char *counts)
{
	if (s->attempt)
		cp_registry_stage_finish(&s->reg, s->batch, s->name, s->attempt, code, counts);
}

int cp_stage_run(const char *name, const struct cp_conf *conf, const char *batch_arg, FILE *out,
		 cp_stage_work_fn work, void *ctx)
{
	struct cp_stage s;
	char *counts = NULL;
	int rc = cp_stage_start(&s, name, conf, batch_arg);

	if (rc == 0) {
		rc = work(&s, ctx, &counts);
		cp_stage_end(&s, rc, counts);
	} else if (rc == CP_STAGE_DONE) {
		rc = CP_EX_OK;
	}
	if (rc == CP_EX_OK)
		fprintf(out, "%s %s\n", s.batch, s.dir);
	free(counts);
	cp_stage_close(&s);
	return rc;
}

void cp_stage_close(struct cp_stage *s)
{
	cp_registry_close(&s->reg);
	if (s->lock >= 0)
		close(s->lock);
	cp_msg_set_batch(NULL);
	cp_spool_release(&s->spool);
	free(s->dir);
	memset(s, 0, sizeof(*s));
	s->lock = -1;
}

const char *const cp_stage_journals[CP_NSTAGES] = { [CP_STAGE_RENDER] = CP_RENDER_JOURNAL_PREFIX };
_Static_assert(CP_STAGE_RENDER < CP_NSTAGES, "render is a stage");

void cp_stage_remove_journals(const char *dir, int i)
{
	const char *prefix = cp_stage_journals[i];
	DIR *d;
	struct dirent *de;

	if (!prefix || !(d = opendir(dir)))
		return;
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, prefix, strlen(prefix))) {
			char *p = cp_xasprintf("%s/%s", dir, de->d_name);

			unlink(p);
			free(p);
		}
	closedir(d);
}

int cp_stage_forget(const char *dir, int from)
{
	for (int i = CP_NSTAGES - 1; i >= from; i--) {
		char *p = cp_xasprintf("%s/%s", dir, cp_stage_outputs[i]);

		if (unlink(p) < 0 && errno != ENOENT) {
			cp_error("%s: cannot remove: %s", p, strerror(errno));
			free(p);
			return -1;
		}
		free(p);
	}
	for (int i = from; i < CP_NSTAGES; i++)
		cp_stage_remove_journals(dir, i);
	return 0;
}
