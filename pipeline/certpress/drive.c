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
#include "util/exitcode.h"
#include "util/msg.h"
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
	char *prog = cp_stage_program(stage), *argv[6]; /* never from PATH */
	int fds[2], status, argc = 0, code;
	pid_t pid, self = getpid();

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
	if (rc == CP_EX_OK || !cp_stage_refused(dir)) /* validate said why it refused */
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
