/* run and retry: the stages as separate programs, one batch at a time. The
 * batch's lock is held here for the whole sequence and its fd handed to
 * each stage, which holds the lock through it too (cp_batch_lock checks the
 * fd is that lock's) and is killed by the kernel if this process dies
 * (cp_child_bind): a stage never works on a batch whose lock nobody holds,
 * whatever this process dies of. An inbox file is claimed with flock before
 * validate moves it into its batch, so two runs never both take it. A stage
 * that fails stops its batch there; the others go on. After the inbox, run
 * resumes every batch that had stopped (a crash, a failure) before it began
 * and that nobody holds, so a stuck batch is tried every night and keeps
 * the exit code non-zero until it is finished. The exit code is the worst. */
#include "cmd.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/child.h"
#include "util/digest.h"
#include "cli.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "spool.h"
#include "stage.h"
#include "util/xalloc.h"
#include "summary.h"
#include "util/banned.h"

#define RUN "run [--json] [FILE...]"
#define RETRY "retry [--from STAGE] BATCH"


static char *stage_program(const char *stage)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/'))) {
			char *p;

			*slash = '\0';
			p = cp_xasprintf("%s/certpress-%s", self, stage);
			if (access(p, X_OK) == 0)
				return p;
			free(p);
			/* installed: the stages live in libexec beside bin */
			p = cp_xasprintf("%s/../libexec/certpress/certpress-%s", self, stage);
			if (access(p, X_OK) == 0)
				return p;
			free(p);
		}
	}
	return cp_xasprintf("certpress-%s", stage); /* from PATH */
}

/* Run certpress-STAGE [-c CONFIG] ARG, handing it the batch's lock (lock,
 * -1 for none) and binding its life to this process's; its first stdout
 * word goes to first (if not NULL). Returns its exit code, or for a stage
 * killed by a signal the code cp_exit_from_signal gives, with the signal in
 * *sig (else 0). */
static int run_stage(const char *stage, const char *config, const char *arg, int lock,
		     char *first, size_t nfirst, int *sig)
{
	char *prog = stage_program(stage), *argv[6], buf[256];
	int fds[2], status, argc = 0, code;
	pid_t pid, self = getpid();
	ssize_t got;
	size_t have = 0;

	*sig = 0;
	argv[argc++] = prog;
	if (config) {
		argv[argc++] = (char *)"-c";
		argv[argc++] = (char *)config;
	}
	argv[argc++] = (char *)arg;
	argv[argc] = NULL;
	if (pipe(fds) < 0) {
		cp_error("cannot start %s: %s", stage, strerror(errno));
		free(prog);
		return CP_EX_TEMPFAIL;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		cp_error("cannot start %s: %s", stage, strerror(errno));
		close(fds[0]);
		close(fds[1]);
		free(prog);
		return CP_EX_TEMPFAIL;
	}
	if (pid == 0) {
		if (cp_child_bind(self) < 0)
			_exit(CP_EX_TEMPFAIL); /* this process is gone: so is the lock */
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		if (lock >= 0 && cp_batch_lock_pass(lock) < 0)
			_exit(CP_EX_SOFTWARE);
		/* the stages report as this command does: -q quiets them too */
		setenv("CERTPRESS_LOG", cp_msg_level_name(), 1);
		execvp(prog, argv);
		fprintf(stderr, "certpress: cannot run %s: %s\n", prog, strerror(errno));
		_exit(CP_EX_SOFTWARE);
	}
	close(fds[1]);
	/* keep the first bytes; read the rest away so the stage never blocks */
	for (;;) {
		char rest[256];

		got = have < sizeof(buf) - 1 ? read(fds[0], buf + have, sizeof(buf) - 1 - have)
					     : read(fds[0], rest, sizeof(rest));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		if (have < sizeof(buf) - 1)
			have += (size_t)got;
	}
	close(fds[0]);
	buf[have] = '\0';
	if (first && nfirst) {
		size_t n = strcspn(buf, " \n");

		if (n >= nfirst)
			n = 0; /* not a batch id */
		memcpy(first, buf, n);
		first[n] = '\0';
	}
	free(prog);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return CP_EX_SOFTWARE;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	*sig = WTERMSIG(status);
	code = cp_exit_from_signal(*sig);
	cp_error("certpress-%s was killed by %s (exit %d, %s)", stage, cp_signal_name(*sig), code,
		 cp_exit_name(code));
	return code;
}

static int lock_batch(const char *dir, const char *batch, int *fd)
{
	int got = cp_batch_lock(dir, batch, fd);

	if (got > 0)
		cp_error("batch %s is being worked on by another process: left to it", batch);
	return got;
}

/* Run the batch's stages from first on, under its lock (the fd held, closed
 * here). validate is given source (its results file, still in the inbox)
 * if not NULL, else the batch. */
static int drive(struct cp_cmd_env *e, const char *config, const struct cp_spool *spool,
		 const char *batch, int first, int held, const char *source,
		 struct cp_summary *sum)
{
	char *dir = cp_spool_batch_dir(spool, batch);
	int rc = CP_EX_OK;

	cp_stage_reconcile(&e->reg, dir, batch);
	for (int i = first; i < CP_NSTAGES && rc == CP_EX_OK; i++) {
		struct timespec t0, t1;
		char *why = NULL;
		int sig;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		rc = run_stage(cp_stage_names[i], config, i == 0 && source ? source : batch, held,
			       NULL, 0, &sig);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (sum)
			sum->seconds[i] += (double)(t1.tv_sec - t0.tv_sec) +
					   (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		/* a stage that died without recording its end: what was seen here */
		if (sig)
			why = cp_xasprintf("{\"signal\":\"%s\"}", cp_signal_name(sig));
		cp_registry_stage_close_dead(&e->reg, batch, cp_stage_names[i], rc, why);
		free(why);
		if (rc != CP_EX_OK)
			cp_error("batch %s stopped at %s (exit %d, %s)%s", batch, cp_stage_names[i], rc,
				 cp_exit_name(rc),
				 cp_exit_retryable(rc) ? ": 'certpress retry' resumes it" : "");
	}
	if (rc == CP_EX_OK || !cp_stage_refused(dir)) /* validate said why it refused */
		cp_registry_batch_set_status(&e->reg, batch, rc == CP_EX_OK ? "done" : "failed",
					     rc == CP_EX_OK ? NULL : cp_exit_name(rc));
	close(held);
	free(dir);
	return rc;
}

/* Claim an inbox file: an flock on it, and it is still the same file at
 * its name (a run that held it before may have moved it into a batch).
 * Opened without following a link and without waiting on a FIFO. An entry
 * that is not a regular file (a link, a FIFO, a device) cannot be locked
 * itself: its folder is, while validate refuses it and moves it aside. */
static int claim(const char *path)
{
	struct stat a, b;
	char *copy;
	int fd;

	if (lstat(path, &b) < 0)
		return -1;
	if (!S_ISREG(b.st_mode)) {
		copy = cp_xstrdup(path);
		fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		free(copy);
		if (fd >= 0 && (flock(fd, LOCK_EX | LOCK_NB) < 0 || lstat(path, &a) < 0)) {
			close(fd);
			fd = -1;
		}
		return fd;
	}
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0 || fstat(fd, &a) < 0 || lstat(path, &b) < 0 ||
	    a.st_ino != b.st_ino || a.st_dev != b.st_dev) {
		close(fd);
		return -1;
	}
	return fd;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every inbox entry not starting with a dot, sorted: regular files, and
 * whatever else is there but a folder (a link, a FIFO...), which validate
 * refuses with its reason instead of leaving it unseen for ever. */
static char **inbox_files(const struct cp_spool *spool, size_t *n)
{
	DIR *d = opendir(spool->inbox);
	struct dirent *de;
	char **v = NULL;

	*n = 0;
	while (d && (de = readdir(d))) {
		char *p;
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		p = cp_xasprintf("%s/%s", spool->inbox, de->d_name);
		if (lstat(p, &st) == 0 && !S_ISDIR(st.st_mode)) {
			v = cp_xrealloc(v, (*n + 1) * sizeof(*v));
			v[(*n)++] = p;
		} else {
			free(p);
		}
	}
	if (d)
		closedir(d);
	if (*n)
		qsort(v, *n, sizeof(*v), by_name);
	return v;
}

/* A batch that stopped: its folder there, not finished, not refused (the
 * "failed" marker, or the registry's failed with validate not done, as
 * when its results file was missing). */
static bool stopped(struct cp_cmd_env *e, const struct cp_spool *spool, const char *batch,
		    int *next)
{
	char *dir = cp_spool_batch_dir(spool, batch);
	struct stat st;
	bool r = stat(dir, &st) == 0 && S_ISDIR(st.st_mode) &&
		 (*next = cp_stage_next(dir)) < CP_NSTAGES && !cp_stage_refused(dir);

	if (r && *next == 0 && cp_registry_batch_failed(&e->reg, batch) == 1)
		r = false;
	free(dir);
	return r;
}

struct stopped_list {
	struct cp_cmd_env *e;
	const struct cp_spool *spool;
	char **v;
	size_t n;
};

static int add_stopped(void *ctx, const char *id)
{
	struct stopped_list *l = ctx;
	int next;

	if (cp_batch_id_valid(id) && stopped(l->e, l->spool, id, &next)) {
		l->v = cp_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
		l->v[l->n++] = cp_xstrdup(id);
	}
	return 0;
}

/* The batches that have stopped, before this run takes anything. */
static char **stopped_batches(struct cp_cmd_env *e, const struct cp_spool *spool, size_t *n)
{
	struct stopped_list l = { e, spool, NULL, 0 };

	cp_registry_batch_ids(&e->reg, add_stopped, &l);
	*n = l.n;
	return l.v;
}

static bool in_summary(const struct cp_summary *sum, const char *batch)
{
	for (size_t i = 0; i < sum->n; i++)
		if (!strcmp(sum->batch[i], batch))
			return true;
	return false;
}

/* Resume each of the batches that had stopped and that this run did not
 * take from the inbox, unless another process holds it (it is at work on
 * it, not stuck). Returns the worst exit code. */
static int resume_stopped(struct cp_cmd_env *e, const char *config, const struct cp_spool *spool,
			  char **ids, size_t n, struct cp_summary *sum)
{
	int rc = CP_EX_OK;

	for (size_t i = 0; i < n; i++) {
		char *dir;
		int fd, got, next, one;

		if (in_summary(sum, ids[i]))
			continue;
		dir = cp_spool_batch_dir(spool, ids[i]);
		got = cp_batch_lock(dir, ids[i], &fd);
		free(dir);
		if (got > 0) {
			cp_info("batch %s is being worked on by another process", ids[i]);
			continue;
		}
		if (got < 0) {
			rc = cp_exit_worst(rc, CP_EX_IOERR);
			continue;
		}
		if (!stopped(e, spool, ids[i], &next)) { /* finished meanwhile */
			close(fd);
			continue;
		}
		cp_info("batch %s had stopped at %s: resumed", ids[i], cp_stage_names[next]);
		one = drive(e, config, spool, ids[i], next, fd, NULL, sum);
		cp_summary_add(sum, &e->reg, ids[i], one);
		rc = cp_exit_worst(rc, one);
	}
	return rc;
}

/* run FILE... resumes nothing else, but says what is waiting. */
static void warn_stopped(const struct cp_summary *sum, char **ids, size_t n)
{
	size_t left = 0;

	for (size_t i = 0; i < n; i++)
		left += !in_summary(sum, ids[i]);
	if (left)
		cp_warn("%zu other batches had stopped before this run: 'certpress status --stuck'"
			" lists them, 'certpress run' without files resumes them", left);
}

int cp_cmd_run(int argc, char **argv, const char *config)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct cp_cmd_env e = { 0 };
	struct cp_spool spool = { 0 };
	struct cp_summary sum;
	char **files = NULL, **before = NULL;
	size_t nfiles = 0, nbefore = 0;
	bool json = false, from_inbox;
	int c, rc;

	cp_cli_ignore_pipe_signals(); /* a closed log pipe must not stop a run mid-batch */
	optind = 0; /* GNU getopt: start afresh after the global options */
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'j')
			return cp_cmd_usage(RUN);
		json = true;
	}
	if ((rc = cp_cmd_conf(&e, config)) || (rc = cp_cmd_registry(&e)))
		goto out;
	if (cp_spool_open(&spool, &e.conf) < 0) {
		rc = CP_EX_CANTCREAT;
		goto out;
	}
	cp_spool_check_modes(&spool);
	from_inbox = optind == argc;
	before = stopped_batches(&e, &spool, &nbefore);
	if (from_inbox) {
		files = inbox_files(&spool, &nfiles);
	} else {
		nfiles = (size_t)(argc - optind);
		files = cp_xcalloc(nfiles, sizeof(*files));
		for (size_t i = 0; i < nfiles; i++)
			files[i] = cp_xstrdup(argv[optind + (int)i]);
	}
	cp_summary_start(&sum);
	for (size_t i = 0; i < nfiles; i++) {
		char batch[CP_BATCH_ID_MAX] = "", *dir;
		int fd = claim(files[i]), one, lock, got, sig;
		struct timespec t0, t1;

		if (fd < 0) {
			if (from_inbox)
				continue; /* another run took it */
			cp_error("%s: cannot read or another run holds it", files[i]);
			rc = cp_exit_worst(rc, CP_EX_NOINPUT);
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &t0);
		one = run_stage("validate", config, files[i], -1, batch, sizeof(batch), &sig);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		sum.seconds[0] += (double)(t1.tv_sec - t0.tv_sec) +
				  (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (one == CP_EX_OK && cp_batch_id_valid(batch)) {
			dir = cp_spool_batch_dir(&spool, batch);
			got = cp_batch_lock(dir, batch, &lock);
			free(dir);
			if (got > 0) {
				/* another run resumed it between validate and here */
				cp_warn("batch %s was taken up by another process: left to it", batch);
				close(fd);
				continue;
			}
			one = got < 0 ? CP_EX_IOERR : drive(&e, config, &spool, batch, 1, lock, NULL, &sum);
		}
		close(fd);
		if (one != CP_EX_OK && one != CP_EX_DATAERR && cp_batch_id_valid(batch))
			cp_error("batch %s stopped at validate (exit %d, %s)%s", batch, one,
				 cp_exit_name(one),
				 cp_exit_retryable(one) ? ": 'certpress retry' resumes it" : "");
		if (cp_batch_id_valid(batch))
			cp_summary_add(&sum, &e.reg, batch, one);
		rc = cp_exit_worst(rc, one);
	}
	if (from_inbox)
		rc = cp_exit_worst(rc, resume_stopped(&e, config, &spool, before, nbefore, &sum));
	else
		warn_stopped(&sum, before, nbefore);
	cp_summary_print(&sum, &e.reg, json, stdout);
	cp_summary_release(&sum);
out:
	for (size_t i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	for (size_t i = 0; i < nbefore; i++)
		free(before[i]);
	free(before);
	cp_spool_release(&spool);
	cp_cmd_env_release(&e);
	return rc;
}

/* The inbox file a batch stopped in validate was made from, when validate
 * died before the batch had its own copy: found by its SHA-256 (the name
 * the registry holds may be an escaped form). NULL if there is none. */
static char *inbox_source(struct cp_cmd_env *e, const struct cp_spool *spool, const char *batch)
{
	char *results = cp_spool_batch_file(spool, batch, "results.xml"), **files, *found = NULL;
	char sha[CP_SHA256_HEX] = "", hex[CP_SHA256_HEX];
	size_t n = 0;
	bool have = access(results, F_OK) == 0;

	free(results);
	if (have)
		return NULL;
	cp_registry_batch_results_sha256(&e->reg, batch, sha);
	files = inbox_files(spool, &n);
	for (size_t i = 0; i < n; i++) {
		if (!found && *sha && cp_sha256_file(files[i], hex) == 0 && !strcmp(hex, sha))
			found = cp_xstrdup(files[i]);
		free(files[i]);
	}
	free(files);
	return found;
}

int cp_cmd_retry(int argc, char **argv, const char *config)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct cp_cmd_env e = { 0 };
	struct cp_spool spool = { 0 };
	char batch[CP_BATCH_ID_MAX], *dir = NULL, *source = NULL;
	const char *from = NULL;
	int c, rc, first, got, fd = -1, claimed = -1;

	cp_cli_ignore_pipe_signals();
	optind = 0; /* GNU getopt: start afresh after the global options */
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'f')
			return cp_cmd_usage(RETRY);
		from = optarg;
	}
	if (argc - optind != 1)
		return cp_cmd_usage(RETRY);
	first = -1;
	for (int i = 1; from && i < CP_NSTAGES; i++)
		if (!strcmp(from, cp_stage_names[i]))
			first = i;
	if (from && first < 0) {
		cp_error("--from takes assign, render, pack or notify (validate makes a new "
			 "batch: put the file in the inbox again)");
		return CP_EX_USAGE;
	}
	if ((rc = cp_cmd_conf(&e, config)) || (rc = cp_cmd_registry(&e)))
		goto out;
	if (cp_spool_open(&spool, &e.conf) < 0) {
		rc = CP_EX_CANTCREAT;
		goto out;
	}
	if (cp_spool_batch_arg(&spool, argv[optind], batch) < 0) {
		rc = CP_EX_NOINPUT;
		goto out;
	}
	dir = cp_spool_batch_dir(&spool, batch);
	/* the lock is held from here, through the stages */
	if ((got = lock_batch(dir, batch, &fd)) != 0) {
		rc = got > 0 ? CP_EX_TEMPFAIL : CP_EX_IOERR;
		goto out;
	}
	if (cp_stage_refused(dir)) {
		cp_error("batch %s was refused at validate (see spool/failed/): nothing to retry",
			 batch);
		rc = CP_EX_DATAERR;
		goto out;
	}
	if (from && cp_stage_forget(dir, first) < 0) {
		rc = CP_EX_IOERR;
		goto out;
	}
	first = cp_stage_next(dir);
	if (first == CP_NSTAGES) {
		cp_stage_reconcile(&e.reg, dir, batch);
		cp_info("batch %s is complete: nothing to retry", batch);
		goto out;
	}
	cp_info("batch %s: from %s", batch, cp_stage_names[first]);
	if (first == 0 && (source = inbox_source(&e, &spool, batch)) &&
	    (claimed = claim(source)) < 0) {
		cp_error("%s: another run is taking it", source);
		rc = CP_EX_TEMPFAIL;
		goto out;
	}
	rc = drive(&e, config, &spool, batch, first, fd, source, NULL);
	fd = -1;
	if (rc == CP_EX_OK)
		cp_info("batch %s is complete", batch);
out:
	if (fd >= 0)
		close(fd);
	if (claimed >= 0)
		close(claimed);
	free(source);
	free(dir);
	cp_spool_release(&spool);
	cp_cmd_env_release(&e);
	return rc;
}
