/* The validate stage's flow: screen the file, find or create its batch,
 * take the file into the batch, read it learner by learner into three
 * outputs, then commit them (accepted.xml last: its presence means the stage
 * is done). A file unusable as a whole goes to spool/failed/ with a reason. */
#include "validate.h"

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalogue.h"
#include "util/date.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/progress.h"
#include "registry.h"
#include "util/screen.h"
#include "spool.h"
#include "util/strmap.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include "util/xml.h"
#include "who.h"
#include "util/banned.h"

struct validate {
	const struct cp_conf *conf;
	struct cp_spool spool;
	struct cp_registry reg;
	struct cp_catalogue cat;
	xmlSchemaPtr schema;
	char batch[CP_BATCH_ID_MAX];
	char *dir;          /* the batch folder */
	char *results;      /* the batch's copy of the results file */
	char *name;         /* the results file's own name, for messages */
	int lock_fd, attempt;
	struct cp_vout accepted, rejected, held;
	struct cp_strmap enrolments;
	struct cp_reasons run_reasons, reasons;
	struct cp_date today;
	long learners, withdrawn;
	int failed; /* a callback hit an internal error */
	int config; /* a template or the catalogue cannot print (78) */
	long refuse_line; /* the file is unusable as a whole: where, why */
	char *refuse;
	struct cp_vfonts fonts;
	const struct cp_coverage *cover; /* the course run's qualification's */
	char *centre_name;
	long head_line;
	struct cp_progress progress;
};

static char *path_basename(const char *path)
{
	char *copy = cp_xstrdup(path), *b = cp_xstrdup(basename(copy));

	free(copy);
	return b;
}

/* An entry at path, of any kind (a dangling link counts). */
static bool exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static bool batch_file_exists(struct validate *v, const char *id, const char *name)
{
	char *p = cp_spool_batch_file(&v->spool, id, name);
	bool e = exists(p);

	free(p);
	return e;
}

/* Record the end of the stage (best effort after a failure: the files
 * already say what happened). */
static void finish(struct validate *v, int code, const char *counts)
{
	if (v->attempt)
		cp_registry_stage_finish(&v->reg, v->batch, "validate", v->attempt, code, counts);
}

/* The file being taken: its path, the descriptor it was screened through
 * (-1: it is not a regular file), whether it is an inbox entry, and whether
 * it is larger than max-file-mb. */
struct source {
	const char *path;
	int fd;
	bool inbox, too_large;
};

/* Copy the file into dest from its descriptor, at most max-file-mb + 1
 * bytes: what was screened is what is kept, wherever the path points now.
 * With expect (a SHA-256), bytes that are not the ones screened then are
 * not kept: 1 (the file changed while it was taken). 0 copied, -1 failed. */
static int copy_from(struct validate *v, const struct source *src, const char *dest,
		     const char *expect, struct cp_screen *sc)
{
	struct cp_atomic out;
	int r;

	if (lseek(src->fd, 0, SEEK_SET) < 0)
		return cp_error("%s: cannot read: %s", v->name, strerror(errno));
	if (cp_atomic_open(&out, dest, 0640) < 0)
		return -1;
	r = cp_screen_fd(src->fd, v->name, (off_t)v->conf->max_results_mb << 20, sc, out.fp);
	if (r < 0 || (expect && (r > 0 || strcmp(sc->sha256, expect)))) {
		cp_atomic_abort(&out);
		return r < 0 ? -1 : 1;
	}
	return cp_atomic_commit(&out) < 0 ? -1 : 0;
}

/* The inbox entry is the batch's now: removed, if it is still the file that
 * was taken (a new file dropped under the same name stays for the next
 * run). The batch's copy is durable already, so a failed sync of the inbox
 * folder is only a warning: after a crash the file may be back, and is
 * then refused as taken by this batch. */
static void remove_entry(struct validate *v, const struct source *src)
{
	struct stat a, b;

	if (src->fd >= 0 && fstat(src->fd, &a) == 0 && lstat(src->path, &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino && unlink(src->path) == 0 &&
	    cp_fsync_dir_quiet(v->spool.inbox) < 0)
		cp_warn("%s: cannot sync folder: %s (%s is removed from it, and safe in batch %s;"
			" after a crash it may be back, and is then refused as taken already)",
			v->spool.inbox, strerror(errno), v->name, v->batch);
}

/* Whether an inbox entry over max-file-mb would have to be copied to be
 * taken (it is not this process's own to rename): then it is not kept. */
static bool too_large_to_take(const struct source *src)
{
	struct stat st;

	return src->inbox && src->too_large && src->fd >= 0 && fstat(src->fd, &st) == 0 &&
	       st.st_uid != geteuid();
}

/* Move the whole file aside with its reason. The batch's "failed" file is
 * written first, so a crash part-way is finished by the next attempt. The
 * batch's copy, or else the inbox entry itself (a link stays a link, a FIFO
 * a FIFO: nothing is read through it), is moved to spool/failed/; a file
 * elsewhere is copied from its descriptor, unless it is too large to. An
 * uploader's inbox file too large to copy is not kept at all: removed from
 * the inbox (else every run would refuse it again), and the reason says so. */
static int fail_batch(struct validate *v, const struct source *src, long line,
		      const char *reason)
{
	char *text = line > 0 ? cp_xasprintf("%s:%ld: %s\n", v->name, line, reason)
			      : cp_xasprintf("%s: %s\n", v->name, reason);
	char *marker = cp_xasprintf("%s/failed", v->dir);
	char *dest = cp_xasprintf("%s/%s-%s", v->spool.failed, v->batch, v->name);
	char *why = cp_xasprintf("%s.reason", dest);
	off_t max = (off_t)v->conf->max_results_mb << 20;
	bool here = exists(v->results), keep = !here && src && !src->inbox &&
		    (src->fd < 0 || src->too_large);
	bool drop = !here && src && too_large_to_take(src);
	char *full = cp_xasprintf("%sbatch %s\n%s", text, v->batch,
				  keep ? "not copied into spool/failed/ (larger than max-file-mb): "
					 "the file stays where it was\n"
				  : drop ? "not kept: larger than max-file-mb, and an uploader's "
					   "file is copied to be taken: removed from the inbox\n" : "");
	struct cp_screen copied;
	int rc = CP_EX_DATAERR, r;

	text[strlen(text) - 1] = '\0';
	cp_error("%s", text);
	if (cp_atomic_write_file(marker, full, strlen(full), 0640) < 0 ||
	    cp_atomic_write_file(why, full, strlen(full), 0640) < 0) {
		rc = CP_EX_CANTCREAT;
		goto out;
	}
	if (here) {
		if (cp_rename_durable(v->results, dest) < 0)
			rc = CP_EX_IOERR;
	} else if (drop) {
		remove_entry(v, src);
	} else if (src && !keep && !exists(dest)) {
		r = src->inbox ? cp_take_file(src->path, dest, 0640, max)
			       : copy_from(v, src, dest, NULL, &copied);
		if (r > 0) /* it grew past the limit while it was taken */
			remove_entry(v, src), drop = true;
		else if (r < 0)
			rc = CP_EX_IOERR;
	}
	if (rc == CP_EX_DATAERR) {
		if (keep)
			cp_info("%s left where it was (reason in %s)", v->name, why);
		else if (drop)
			cp_warn("%s: larger than max-file-mb and not ours to move: removed from the "
				"inbox, not kept (reason in %s)", v->name, why);
		else
			cp_info("%s moved to %s", v->name, dest);
		if (cp_registry_batch_set_status(&v->reg, v->batch, "failed", text) < 0)
			rc = CP_EX_IOERR;
	}
out:
	finish(v, rc, NULL);
	free(text);
	free(marker);
	free(dest);
	free(why);
	free(full);
	return rc;
}

/* --- reading the file ------------------------------------------------ */

/* The file cannot be used as a whole: stop reading, fail the batch. */
static int refuse_file(struct validate *v, long line, const char *why)
{
	if (!v->refuse) {
		v->refuse = cp_xstrdup(why);
		v->refuse_line = line;
	}
	return -1;
}

/* The centre name is printed on every document of the file: one that
 * cannot be printed refuses the file (each learner would be refused for it,
 * and the centre's corrected file then gives them all again). */
static int check_centre(struct validate *v, const struct cp_results_head *h)
{
	char why[CP_NAME_NREASONS][CP_NAME_REASON_MAX], line[CP_NAME_REASON_MAX + 16];
	const char *name = h->centre_name ? h->centre_name : "";
	struct cp_name_check c;

	if (!*name)
		return refuse_file(v, h->centre_line, "centre name is empty");
	cp_utf8_name_check(name, &c);
	if (cp_utf8_name_reasons(&c, why) == 0)
		return 0;
	snprintf(line, sizeof(line), "centre name %s", why[0]);
	return refuse_file(v, h->centre_line, line);
}

static int on_head(void *ctx, const struct cp_results_head *h)
{
	struct validate *v = ctx;

	v->head_line = h->centre_line;
	free(v->centre_name);
	v->centre_name = cp_xstrdup(h->centre_name ? h->centre_name : "");
	if (check_centre(v, h) < 0)
		return -1;
	cp_vout_head(&v->accepted, h);
	cp_vout_head(&v->rejected, h);
	cp_vout_head(&v->held, h);
	if (cp_registry_batch_set_header(&v->reg, v->batch, h->id, h->centre_number,
					 h->centre_email) < 0)
		v->failed = 1;
	return v->failed ? -1 : 0;
}

static int on_run_start(void *ctx, const struct cp_run *run)
{
	struct validate *v = ctx;

	const struct cp_qualification *q = cp_catalogue_find(&v->cat, run->qualification);
	char why[512];

	cp_reasons_clear(&v->run_reasons);
	cp_rules_run(&v->cat, run, &v->run_reasons);
	v->cover = NULL;
	if (q && !(v->cover = cp_vfonts_of(&v->fonts, q)))
		return v->config = 1, -1;
	if (v->cover && cp_coverage_check(v->cover, "centre name", v->centre_name, why, sizeof(why)))
		return refuse_file(v, v->head_line, why);
	cp_vout_run_start(&v->accepted, run);
	return 0;
}

/* The glyph rule: every character of the names is in every font the
 * qualification's templates draw text in. A name that breaks the name rule
 * has its reason already. */
static void check_glyphs(struct validate *v, const struct cp_learner *l)
{
	const char *what[3] = { "first name", "middle names", "last name" };
	const char *value[3] = { l->first_name, l->middle_names, l->last_name };
	char why[512];

	for (int i = 0; v->cover && i < 3; i++) {
		struct cp_name_check c;
		int clean = 1;

		if (!value[i])
			continue;
		cp_utf8_name_check(value[i], &c);
		for (int k = 0; k < CP_NAME_NCLASSES; k++)
			clean &= !c.first[k];
		if (clean && cp_coverage_check(v->cover, what[i], value[i], why, sizeof(why)))
			cp_reasons_add(&v->reasons, l->line, "%s", why);
	}
}

static int on_run_end(void *ctx, const struct cp_run *run)
{
	struct validate *v = ctx;

	(void)run;
	cp_vout_run_end(&v->accepted);
	return 0;
}

static int on_learner(void *ctx, const struct cp_run *run, struct cp_learner *l)
{
	struct validate *v = ctx;
	enum cp_verdict verdict;
	char other[CP_BATCH_ID_MAX];
	const char *enrolment = l->enrolment ? l->enrolment : "";
	long first;
	int dup;

	v->learners++;
	cp_learner_normalise(l);
	cp_reasons_clear(&v->reasons);
	verdict = cp_rules_check(&v->cat, run, &v->run_reasons, l, v->today, &v->reasons);
	if (l->status && !strcmp(l->status, "achieved")) {
		check_glyphs(v, l);
		if (v->reasons.n)
			verdict = CP_REJECTED;
	}
	if (cp_strmap_add(&v->enrolments, enrolment, l->line, &first)) {
		cp_reasons_add(&v->reasons, l->line,
			       "enrolment '%s' is used again (first at line %ld)", enrolment, first);
		verdict = CP_REJECTED;
	}
	if (verdict == CP_ACCEPTED) {
		dup = cp_registry_award_elsewhere(&v->reg, enrolment, run->qualification,
						  l->awarded, v->batch, other);
		if (dup < 0)
			return v->failed = 1, -1;
		if (dup) {
			cp_reasons_add(&v->reasons, l->line,
				       "duplicate: qualification '%s' awarded on %s was certificated "
				       "in batch %s", run->qualification, l->awarded, other);
			verdict = CP_REJECTED;
		}
	}
	switch (verdict) {
	case CP_ACCEPTED:
		cp_vout_accepted(&v->accepted, l, cp_catalogue_find(&v->cat, run->qualification));
		break;
	case CP_HELD:
		if (l->status && !strcmp(l->status, "withdrawn"))
			v->withdrawn++;
		cp_vout_held(&v->held, run, l);
		break;
	case CP_REJECTED:
		for (size_t i = 0; i < v->reasons.n; i++)
			cp_warn("%s:%ld: learner '%s': %s", v->name, v->reasons.v[i].line, enrolment,
				v->reasons.v[i].text);
		cp_vout_rejected(&v->rejected, run, l, &v->reasons);
		break;
	}
	cp_progress_tick(&v->progress, 1);
	return 0;
}

/* Screen the batch's own copy (never through a link: it is certpress's). */
static int screen_results(struct validate *v, struct cp_screen *sc)
{
	int fd = cp_screen_open(v->results, false, sc), s;

	if (fd == CP_SCREEN_REFUSED)
		return 1;
	if (fd < 0)
		return cp_error("%s: cannot read: %s", v->results, strerror(errno));
	s = cp_screen_fd(fd, v->name, (off_t)v->conf->max_results_mb << 20, sc, NULL);
	close(fd);
	return s;
}

/* Read the batch's results.xml; known is its screening when it was just
 * copied (else it is screened here). */
static int read_results(struct validate *v, const struct cp_screen *known)
{
	struct cp_results_handler h = { v, on_head, on_run_start, on_learner, on_run_end };
	struct cp_vout_head head = { v->batch, v->name, NULL, NULL };
	struct cp_xml_error err;
	struct cp_screen sc;
	char *acc, *rej, *hel, *counts;
	int rc, s;

	if (known)
		sc = *known;
	else if ((s = screen_results(v, &sc)) < 0)
		return finish(v, CP_EX_IOERR, NULL), CP_EX_IOERR;
	else if (s > 0)
		return fail_batch(v, NULL, sc.line, sc.reason);
	head.sha256 = sc.sha256;
	acc = cp_xasprintf("%s/accepted.xml", v->dir);
	rej = cp_xasprintf("%s/rejected.xml", v->dir);
	hel = cp_xasprintf("%s/held.xml", v->dir);
	cp_atomic_sweep(v->dir);
	if (cp_vout_open(&v->accepted, acc, "accepted", &head) < 0 ||
	    cp_vout_open(&v->rejected, rej, "rejected", &head) < 0 ||
	    cp_vout_open(&v->held, hel, "held", &head) < 0) {
		rc = CP_EX_CANTCREAT;
		goto abort;
	}
	v->today = cp_date_today();
	cp_progress_start(&v->progress, "validate", "learners", 0);
	s = cp_results_read(v->results, v->schema, &h, &err);
	cp_progress_end(&v->progress);
	if (s != 0) {
		cp_vout_abort(&v->accepted);
		cp_vout_abort(&v->rejected);
		cp_vout_abort(&v->held);
		if (v->refuse)
			rc = fail_batch(v, NULL, v->refuse_line, v->refuse);
		else if (v->config)
			rc = CP_EX_CONFIG, finish(v, rc, NULL);
		else if (s > 0 && !v->failed)
			rc = fail_batch(v, NULL, err.line, err.message);
		else
			rc = CP_EX_SOFTWARE, finish(v, rc, NULL);
		goto out;
	}
	if (cp_vout_commit(&v->held) < 0 || cp_vout_commit(&v->rejected) < 0 ||
	    cp_vout_commit(&v->accepted) < 0) {
		rc = CP_EX_IOERR;
		goto abort;
	}
	counts = cp_xasprintf("{\"learners\":%ld,\"accepted\":%ld,\"rejected\":%ld,"
			      "\"held\":%ld,\"withdrawn\":%ld}", v->learners, v->accepted.count,
			      v->rejected.count, v->held.count, v->withdrawn);
	cp_info("%s: %ld learners: %ld accepted, %ld rejected, %ld held (%ld withdrawn)",
		v->name, v->learners, v->accepted.count, v->rejected.count, v->held.count,
		v->withdrawn);
	finish(v, CP_EX_OK, counts);
	free(counts);
	rc = CP_EX_OK;
	goto out;
abort:
	cp_vout_abort(&v->accepted);
	cp_vout_abort(&v->rejected);
	cp_vout_abort(&v->held);
	finish(v, rc, NULL);
out:
	free(acc);
	free(rej);
	free(hel);
	return rc;
}

/* --- finding the batch ------------------------------------------------ */

/* Validate does not start as the other stages do (cp_stage_start, stage.h):
 * - given a file, its batch does not exist yet: it is found (the same file
 *   taken before) or made inside one registry transaction, and locked
 *   inside it, so two processes given one file agree on one batch. The
 *   registry is open before there is any batch, and the lock is taken
 *   within the transaction; cp_stage_start finds an existing batch by
 *   name, locks it, then opens the registry;
 * - its input is not a file of the batch folder written by a stage before
 *   it (cp_stage_start's "not been through X yet"), but the results file,
 *   and a batch without its copy is failed, not waiting (66);
 * - an attempt a dead validate left running is closed as failed (70), not
 *   as crashed (status BATCH shows it), and its "done already" message is
 *   its own; both stay as they are.
 * What it shares with them it takes from the same modules: the lock
 * (cp_batch_lock), the attempts (cp_registry_stage_*), the temp-file sweep. */

static int lock_batch(struct validate *v)
{
	int r = cp_batch_lock(v->dir, v->batch, &v->lock_fd);

	if (r > 0)
		cp_error("batch %s is being worked on by another process", v->batch);
	return r;
}

static void set_batch(struct validate *v, const char *id)
{
	snprintf(v->batch, sizeof(v->batch), "%s", id);
	free(v->dir);
	free(v->results);
	v->dir = cp_spool_batch_dir(&v->spool, id);
	v->results = cp_xasprintf("%s/results.xml", v->dir);
	cp_msg_set_batch(id);
}

/* A new attempt on the batch: those that died before finishing failed. */
static int begin_attempt(struct validate *v)
{
	char by[CP_WHO_SIZE];

	cp_who_stage(by, sizeof(by));
	cp_registry_stage_close_running(&v->reg, v->batch, "validate", CP_EX_SOFTWARE);
	if (cp_registry_stage_start(&v->reg, v->batch, "validate", by, &v->attempt) < 0)
		return CP_EX_IOERR;
	return 0;
}

/* Validate an existing batch again (after a crash, or by operator). */
static int resume(struct validate *v, const char *arg)
{
	char id[CP_BATCH_ID_MAX];
	int r;

	if (cp_spool_batch_arg(&v->spool, arg, id) < 0)
		return CP_EX_NOINPUT;
	set_batch(v, id);
	if ((r = lock_batch(v)) != 0)
		return r > 0 ? CP_EX_TEMPFAIL : CP_EX_IOERR;
	if (!(v->name = cp_registry_batch_results_name(&v->reg, v->batch)))
		return cp_error("batch %s is not in the registry", id), CP_EX_NOINPUT;
	if (batch_file_exists(v, id, "accepted.xml")) {
		/* An attempt that died after its last rename did finish. */
		cp_registry_stage_close_running(&v->reg, id, "validate", CP_EX_OK);
		cp_info("batch %s is validated already", id);
		return CP_EX_OK;
	}
	if ((r = begin_attempt(v)) != 0)
		return r;
	if (batch_file_exists(v, id, "failed") || !exists(v->results)) {
		char *marker = cp_xasprintf("%s/failed", v->dir);
		FILE *f = fopen(marker, "r");
		char why[512] = "the results file is missing from the batch";

		if (f) {
			if (fgets(why, sizeof(why), f))
				why[strcspn(why, "\n")] = '\0';
			fclose(f);
		}
		free(marker);
		cp_error("batch %s failed validation: %s", id, why);
		cp_registry_batch_set_status(&v->reg, v->batch, "failed", why);
		finish(v, CP_EX_DATAERR, NULL);
		return CP_EX_DATAERR;
	}
	return read_results(v, NULL);
}

/* Find the batch this file belongs to, or make one, inside one registry
 * transaction so two processes given the same file agree on one batch. */
static int claim(struct validate *v, const struct cp_screen *sc, bool *duplicate,
		 char seen[CP_BATCH_ID_MAX])
{
	char id[CP_BATCH_ID_MAX], by[CP_WHO_SIZE];
	int r;

	*duplicate = false;
	cp_who_stage(by, sizeof(by));
	if (cp_registry_begin(&v->reg) < 0)
		return CP_EX_IOERR;
	r = sc->reason[0] ? 0 : cp_registry_results_seen(&v->reg, sc->sha256, seen);
	if (r < 0)
		goto fail;
	if (r > 0 && !batch_file_exists(v, seen, "accepted.xml")) {
		set_batch(v, seen); /* resume the batch that took it first */
	} else {
		*duplicate = r > 0;
		if (cp_registry_batch_create(&v->reg, sc->sha256, v->name, (long long)sc->size,
					     by, id) < 0)
			goto fail;
		set_batch(v, id);
		if (cp_mkdirs(v->dir) < 0) {
			cp_registry_rollback(&v->reg);
			return CP_EX_CANTCREAT;
		}
	}
	if ((r = lock_batch(v)) != 0) {
		cp_registry_rollback(&v->reg);
		return r > 0 ? CP_EX_TEMPFAIL : CP_EX_IOERR;
	}
	if (cp_registry_commit(&v->reg) < 0)
		return CP_EX_IOERR;
	return 0;
fail:
	cp_registry_rollback(&v->reg);
	return CP_EX_IOERR;
}

/* The batch's own copy of the file, from the descriptor it was screened
 * through (a link, a second name or a later write to the original never
 * changes it), then its reading. */
static int take_copy(struct validate *v, const struct source *src, const struct cp_screen *sc)
{
	struct cp_screen copied;
	int r;

	if (exists(v->results)) { /* an earlier attempt took it */
		if (src->inbox)
			remove_entry(v, src);
		return read_results(v, NULL);
	}
	r = copy_from(v, src, v->results, sc->sha256, &copied);
	if (r < 0)
		return finish(v, CP_EX_IOERR, NULL), CP_EX_IOERR;
	if (r > 0)
		return fail_batch(v, src, 0, "the file changed while it was taken");
	if (src->inbox)
		remove_entry(v, src);
	return read_results(v, &copied);
}

static int take_file(struct validate *v, const char *arg)
{
	struct cp_screen sc;
	struct source src = { arg, -1, cp_spool_in_inbox(&v->spool, arg), false };
	off_t max = (off_t)v->conf->max_results_mb << 20;
	char seen[CP_BATCH_ID_MAX] = "", *base = path_basename(arg);
	char *shown = cp_utf8_safe_name(arg, 4096);
	struct stat st;
	bool duplicate;
	int rc, s;

	/* file names are data: the name is kept (registry, outputs, failed/,
	 * messages) as printable UTF-8 of a bounded length */
	v->name = cp_utf8_safe_name(base, CP_VALIDATE_NAME_MAX);
	free(base);
	src.fd = cp_screen_open(arg, false, &sc);
	if (src.fd == -1) {
		cp_error("%s: cannot read: %s", shown, strerror(errno));
		rc = CP_EX_NOINPUT;
		goto out;
	}
	if (src.fd == CP_SCREEN_REFUSED) {
		src.fd = -1;
		if (!src.inbox) { /* nothing taken, nothing moved: the operator's */
			cp_error("%s: %s", shown, sc.reason);
			rc = CP_EX_NOINPUT;
			goto out;
		}
		s = 1; /* an inbox entry: refused by a batch, moved aside itself */
	} else if ((s = cp_screen_fd(src.fd, v->name, max, &sc, NULL)) < 0) {
		rc = CP_EX_IOERR;
		goto out;
	}
	if (s > 0 && src.fd >= 0 && fstat(src.fd, &st) == 0 && st.st_size > max)
		src.too_large = true; /* refused early (a NUL) but over the limit too */
	else
		src.too_large = s > 0 && sc.size > max;
	if ((rc = claim(v, &sc, &duplicate, seen)) != 0)
		goto out;
	if ((rc = begin_attempt(v)) != 0)
		goto out;
	if (duplicate) {
		char *why = cp_xasprintf("the same file (SHA-256 %.12s...) was taken by batch %s",
					 sc.sha256, seen);

		rc = fail_batch(v, &src, 0, why);
		free(why);
	} else if (s > 0) {
		rc = fail_batch(v, &src, sc.line, sc.reason);
	} else {
		rc = take_copy(v, &src, &sc);
	}
out:
	if (src.fd >= 0)
		close(src.fd);
	free(shown);
	return rc;
}

/* A batch (its id or folder) rather than a results file: whatever is in
 * the inbox is a results file (refused if it is not one), so is any other
 * entry that is not a folder, whatever its name; a folder, or an id naming
 * nothing here, is a batch (cp_spool_batch_arg then says if it is none of
 * this spool's). */
static bool is_batch_arg(const struct cp_spool *spool, const char *arg)
{
	char *name;
	struct stat st;
	bool r;

	if (cp_spool_in_inbox(spool, arg))
		return false;
	if (stat(arg, &st) == 0 || lstat(arg, &st) == 0)
		return S_ISDIR(st.st_mode);
	name = path_basename(arg);
	r = !strchr(arg, '/') && cp_batch_id_valid(name);
	free(name);
	return r;
}

int cp_validate_run(const struct cp_conf *conf, const char *arg, FILE *out)
{
	struct validate v;
	char *xsd;
	int rc;

	memset(&v, 0, sizeof(v));
	v.conf = conf;
	v.lock_fd = -1;
	v.fonts.layouts = conf->layouts;
	v.fonts.catalogue = conf->catalogue;
	cp_xml_init();
	if (cp_spool_open(&v.spool, conf) < 0)
		return CP_EX_CANTCREAT;
	if (cp_registry_open(&v.reg, conf->registry) < 0) {
		rc = CP_EX_CANTCREAT;
		goto out;
	}
	xsd = cp_xasprintf("%s/catalogue.xsd", conf->schemas);
	rc = cp_catalogue_load(&v.cat, conf->catalogue, xsd);
	free(xsd);
	if (rc)
		goto out;
	xsd = cp_xasprintf("%s/results.xsd", conf->schemas);
	v.schema = cp_xml_schema_load(xsd);
	free(xsd);
	if (!v.schema) {
		rc = CP_EX_CONFIG;
		goto out;
	}
	rc = is_batch_arg(&v.spool, arg) ? resume(&v, arg) : take_file(&v, arg);
	if (v.batch[0]) /* also when it stops: run then says where the batch stands */
		fprintf(out, "%s %s\n", v.batch, v.dir);
out:
	if (v.lock_fd >= 0)
		close(v.lock_fd);
	cp_msg_set_batch(NULL);
	cp_strmap_release(&v.enrolments);
	cp_reasons_release(&v.run_reasons);
	cp_reasons_release(&v.reasons);
	cp_vfonts_release(&v.fonts);
	free(v.refuse);
	free(v.centre_name);
	xmlSchemaFree(v.schema);
	cp_catalogue_release(&v.cat);
	cp_registry_close(&v.reg);
	cp_spool_release(&v.spool);
	free(v.dir);
	free(v.results);
	free(v.name);
	return rc;
}
