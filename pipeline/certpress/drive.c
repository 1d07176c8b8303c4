/* The stages as separate programs, one batch at a time. The batch's lock
 * is held by the command for the whole sequence and its fd handed to each
 * stage, which holds the lock through it too (cp_batch_lock checks the fd
 * is that lock's) and is killed by the kernel if this process dies
 * (cp_child_bind): a stage never works on a batch whose lock nobody holds,
 * whatever this process dies of. An inbox file is claimed with flock
 * before validate moves it into its batch, so two runs never both take
 * it. A stage that fails stops its batch there. */
#include "drive.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/child.h"
#include "util/digest.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/screen.h"
#include "stage.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* The child's side of cp_drive_stage: bound to this process (parent),
 * stdout into the pipe, the lock handed over, then the stage. */
static noreturn void exec_stage(char *prog, char **argv, int fds[2], int lock, pid_t parent)
{
	if (cp_child_bind(parent) < 0)
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

/* The first word the stage prints into first (if not NULL); the rest is
 * read away so the stage never blocks. */
static void first_word(int fd, char *first, size_t nfirst)
{
	char buf[256];
	size_t have = 0;
	ssize_t got;

	for (;;) {
		char rest[256];

		got = have < sizeof(buf) - 1 ? read(fd, buf + have, sizeof(buf) - 1 - have)
					     : read(fd, rest, sizeof(rest));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		if (have < sizeof(buf) - 1)
			have += (size_t)got;
	}
	buf[have] = '\0';
	if (first && nfirst) {
		size_t n = strcspn(buf, " \n");

		if (n >= nfirst)
			n = 0; /* not a batch id */
		memcpy(first, buf, n);
		first[n] = '\0';
	}
}

int cp_drive_stage(const char *stage, const char *config, const char *arg, int lock,
		   char *first, size_t nfirst, int *sig)
{
	char *prog = cp_stage_program(stage), *argv[7]; /* never from PATH */
	int fds[2], status, argc = 0, code;
	pid_t pid, self = getpid();

	*sig = 0;
	argv[argc++] = prog;
	if (config) {
		argv[argc++] = (char *)"-c";
		argv[argc++] = (char *)config;
	}
	/* the end of the options: a results file named "-c" or "--help"
	 * is a file */
	argv[argc++] = (char *)"--";
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
	if (pid == 0)
		exec_stage(prog, argv, fds, lock, self);
	close(fds[1]);
	first_word(fds[0], first, nfirst);
	close(fds[0]);
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

void cp_drive_stopped(const char *batch, int stage, int code)
{
	cp_error("batch %s stopped at %s (exit %d, %s)%s", batch, cp_stage_names[stage], code,
		 cp_exit_name(code), cp_exit_retryable(code) ? ": 'certpress retry' resumes it" : "");
}

int cp_drive(struct cp_cmd_env *e, const char *config, const struct cp_spool *spool,
	     const char *batch, int first, int held, const char *source, struct cp_summary *sum)
{
	char *dir = cp_spool_batch_dir(spool, batch);
	int rc = CP_EX_OK;

	cp_stage_reconcile(&e->reg, dir, batch);
	for (int i = first; i < CP_NSTAGES && rc == CP_EX_OK; i++) {
		struct timespec t0;
		char *why = NULL;
		int sig;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		rc = cp_drive_stage(cp_stage_names[i], config, i == 0 && source ? source : batch,
				    held, NULL, 0, &sig);
		cp_summary_time(sum, i, &t0);
		/* a stage that died without recording its end: what was seen here */
		if (sig)
			why = cp_xasprintf("{\"signal\":\"%s\"}", cp_signal_name(sig));
		cp_registry_stage_close_dead(&e->reg, batch, cp_stage_names[i], rc, why);
		free(why);
		if (rc != CP_EX_OK)
			cp_drive_stopped(batch, i, rc);
	}
	/* killed after its output's rename (the last stage's folder sync, its
	 * record of the end): the batch is whole, and no later run would see
	 * it stopped to reconcile it */
	if (rc != CP_EX_OK && cp_stage_next(dir) == CP_NSTAGES && !cp_stage_refused(dir)) {
		cp_stage_reconcile(&e->reg, dir, batch);
		cp_info("batch %s: every stage's output is there: done", batch);
		rc = CP_EX_OK;
	}
	/* A stop a retry can cure (a kill, a lock, a full disk, a mail server
	 * down) leaves the batch open: recorded failed, one stopped in
	 * validate would read as refused, and its results file, still in the
	 * inbox, would make a second batch beside it. Validate says itself
	 * why it refused. */
	if (rc == CP_EX_OK || (!cp_stage_refused(dir) && !cp_exit_retryable(rc)))
		cp_registry_batch_set_status(&e->reg, batch, rc == CP_EX_OK ? "done" : "failed",
					     rc == CP_EX_OK ? NULL : cp_exit_name(rc));
	close(held);
	free(dir);
	return rc;
}

/* Opened without following a link and without waiting on a FIFO. An entry
 * that is not a regular file (a link, a FIFO, a device) cannot be locked
 * itself: its folder is, while validate refuses it and moves it aside. */
int cp_inbox_claim(const char *path)
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

/* Whether the inbox entry at path is the file whose SHA-256 validate
 * recorded: hashed as validate hashed it (its screening, at most
 * max-file-mb + 1 bytes), and only if it is a regular file, opened without
 * following a link or waiting on a FIFO: an entry that would hang a reader
 * or never end (a link to /dev/zero) is validate's to refuse, not read. */
static bool is_source(const struct cp_cmd_env *e, const char *path, const char *sha)
{
	struct cp_screen sc;
	int fd = cp_screen_open(path, false, &sc);
	bool same;

	if (fd < 0)
		return false;
	same = cp_screen_fd(fd, path, (off_t)e->conf.max_results_mb << 20, &sc, NULL) >= 0 &&
	       !strcmp(sc.sha256, sha);
	close(fd);
	return same;
}

/* The inbox file a batch stopped in validate was made from, when validate
 * died before the batch had its own copy: found by its SHA-256 (the name
 * the registry holds may be an escaped form). NULL if there is none. */
char *cp_inbox_source(struct cp_cmd_env *e, const struct cp_spool *spool, const char *batch)
{
	char *results = cp_spool_batch_file(spool, batch, "results.xml"), **files, *found = NULL;
	char sha[CP_SHA256_HEX] = "";
	size_t n = 0;
	bool have = access(results, F_OK) == 0;

	free(results);
	if (have)
		return NULL;
	cp_registry_batch_results_sha256(&e->reg, batch, sha);
	files = cp_inbox_files(spool, &n);
	for (size_t i = 0; i < n; i++) {
		if (!found && *sha && is_source(e, files[i], sha))
			found = cp_xstrdup(files[i]);
		free(files[i]);
	}
	free(files);
	return found;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **cp_inbox_files(const struct cp_spool *spool, size_t *n)
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
		if (lstat(p, &st) == 0) {
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
