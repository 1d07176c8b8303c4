/* run and retry: the stages as separate programs, one batch at a time. The
 * batch's lock is held here for the whole sequence and handed to the stages
 * through CERTPRESS_LOCK_HELD, so two runs, or a run and a retry, never work
 * on one batch. An inbox file is claimed with flock before validate moves it
 * into its batch, so two runs never both take it. A stage that fails stops
 * its batch there; the others go on; the exit code is the worst. */
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

#include "../exitcode.h"
#include "../msg.h"
#include "../spool.h"
#include "../stage.h"
#include "../xalloc.h"
#include "summary.h"
#include "../banned.h"

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

/* Run certpress-STAGE [-c CONFIG] ARG with the batch's lock handed over;
 * its first stdout word goes to first (if not NULL). Returns its exit
 * code. */
static int run_stage(const char *stage, const char *config, const char *arg,
		     const char *locked, char *first, size_t nfirst)
{
	char *prog = stage_program(stage), *argv[6], buf[256];
	int fds[2], status, argc = 0;
	pid_t pid;
	ssize_t got;
	size_t have = 0;

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
		return CP_EX_SOFTWARE;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		if (locked)
			setenv("CERTPRESS_LOCK_HELD", locked, 1);
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
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return CP_EX_SOFTWARE;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	cp_error("certpress-%s was killed by signal %d", stage, WTERMSIG(status));
	return CP_EX_SOFTWARE;
}

static int lock_batch(const char *dir, const char *batch, int *fd)
{
	int got = cp_batch_lock(dir, batch, fd);

	if (got > 0)
		cp_error("batch %s is being worked on by another process: left to it", batch);
	return got;
}

/* Run the batch's stages from first on, under its lock (taken here unless
 * held is an fd of it already; closed either way). */
static int drive(struct cp_cmd_env *e, const char *config, const struct cp_spool *spool,
		 const char *batch, int first, int held, struct cp_summary *sum)
{
	char *dir = cp_spool_batch_dir(spool, batch);
	int fd = held, rc = CP_EX_OK;

	if (held < 0 && lock_batch(dir, batch, &fd) != 0) {
		free(dir);
		return CP_EX_TEMPFAIL;
	}
	for (int i = first; i < CP_NSTAGES && rc == CP_EX_OK; i++) {
		struct timespec t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		rc = run_stage(cp_stage_names[i], config, batch, batch, NULL, 0);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (sum)
			sum->seconds[i] += (double)(t1.tv_sec - t0.tv_sec) +
					   (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (rc != CP_EX_OK)
			cp_error("batch %s stopped at %s (exit %d, %s)%s", batch, cp_stage_names[i], rc,
				 cp_exit_name(rc),
				 cp_exit_retryable(rc) ? ": 'certpress retry' resumes it" : "");
	}
	cp_registry_batch_set_status(&e->reg, batch, rc == CP_EX_OK ? "done" : "failed",
				     rc == CP_EX_OK ? NULL : cp_exit_name(rc));
	if (fd >= 0)
		close(fd);
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

int cp_cmd_run(int argc, char **argv, const char *config)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct cp_cmd_env e = { 0 };
	struct cp_spool spool = { 0 };
	struct cp_summary sum;
	char **files = NULL;
	size_t nfiles = 0;
	bool json = false, from_inbox;
	int c, rc;

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
	from_inbox = optind == argc;
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
		char batch[CP_BATCH_ID_MAX] = "";
		int fd = claim(files[i]), one;
		struct timespec t0, t1;

		if (fd < 0) {
			if (from_inbox)
				continue; /* another run took it */
			cp_error("%s: cannot read or another run holds it", files[i]);
			rc = cp_exit_worst(rc, CP_EX_NOINPUT);
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &t0);
		one = run_stage("validate", config, files[i], NULL, batch, sizeof(batch));
		clock_gettime(CLOCK_MONOTONIC, &t1);
		sum.seconds[0] += (double)(t1.tv_sec - t0.tv_sec) +
				  (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		close(fd);
		if (one == CP_EX_OK && cp_batch_id_valid(batch))
			one = drive(&e, config, &spool, batch, 1, -1, &sum);
		if (cp_batch_id_valid(batch))
			cp_summary_add(&sum, &e.reg, batch, one);
		rc = cp_exit_worst(rc, one);
	}
	cp_summary_print(&sum, &e.reg, json, stdout);
	cp_summary_release(&sum);
out:
	for (size_t i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	cp_spool_release(&spool);
	cp_cmd_env_release(&e);
	return rc;
}

/* --from STAGE: remove the outputs of that stage and the later ones so they
 * are made again; references (assign) and sent emails (the registry) stay. */
static int redo_from(const char *dir, int from)
{
	DIR *d;
	struct dirent *de;

	for (int i = CP_NSTAGES - 1; i >= from; i--) {
		char *p = cp_xasprintf("%s/%s", dir, cp_stage_outputs[i]);

		if (unlink(p) < 0 && errno != ENOENT) {
			cp_error("%s: cannot remove: %s", p, strerror(errno));
			free(p);
			return -1;
		}
		free(p);
	}
	if (from <= 2 && (d = opendir(dir))) { /* render again: forget its journal */
		while ((de = readdir(d)))
			if (!strncmp(de->d_name, "render.journal.", 15)) {
				char *p = cp_xasprintf("%s/%s", dir, de->d_name);

				unlink(p);
				free(p);
			}
		closedir(d);
	}
	return 0;
}

int cp_cmd_retry(int argc, char **argv, const char *config)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct cp_cmd_env e = { 0 };
	struct cp_spool spool = { 0 };
	char batch[CP_BATCH_ID_MAX], *dir = NULL;
	const char *from = NULL;
	int c, rc, first, fd = -1;

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
	if (cp_stage_next(dir) == 0) {
		cp_error("batch %s was refused at validate (see spool/failed/): nothing to retry",
			 batch);
		rc = CP_EX_DATAERR;
		goto out;
	}
	/* the lock is held from here, through the stages */
	if (lock_batch(dir, batch, &fd) != 0) {
		rc = CP_EX_TEMPFAIL;
		goto out;
	}
	if (from && redo_from(dir, first) < 0) {
		rc = CP_EX_IOERR;
		goto out;
	}
	first = cp_stage_next(dir);
	if (first == CP_NSTAGES) {
		cp_info("batch %s is complete: nothing to retry", batch);
		goto out;
	}
	cp_info("batch %s: from %s", batch, cp_stage_names[first]);
	rc = drive(&e, config, &spool, batch, first, fd, NULL);
	fd = -1;
	if (rc == CP_EX_OK)
		cp_info("batch %s is complete", batch);
out:
	if (fd >= 0)
		close(fd);
	free(dir);
	cp_spool_release(&spool);
	cp_cmd_env_release(&e);
	return rc;
}
