/* Reads CERTPRESS_FAULT, CERTPRESS_CRASH, CERTPRESS_KILL_AT and
 * CERTPRESS_OPS once and counts operations. */
#include "util/fault.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/banned.h"

#define NOPS 5
static const char *const op_names[NOPS] = { "write", "fsync", "rename", "commit", "smtp" };

struct plan {
	int op;       /* -1: none */
	long nth;
};

static struct plan fail_plan = { -1, 0 }, crash_plan = { -1, 0 };
static long counts[NOPS];
static long kill_at;            /* 0: none */
static long own_total;          /* without CERTPRESS_OPS */
static int64_t *shared_total;   /* CERTPRESS_OPS, mapped */
static int trace_fd = -1;
static int loaded, active, kill_group;

static void parse(const char *env, struct plan *p)
{
	const char *s = getenv(env);
	const char *colon;

	if (!s || !(colon = strchr(s, ':')))
		return;
	for (int i = 0; i < NOPS; i++)
		if (strlen(op_names[i]) == (size_t)(colon - s) &&
		    strncmp(s, op_names[i], (size_t)(colon - s)) == 0) {
			p->op = i;
			p->nth = strtol(colon + 1, NULL, 10);
		}
}

/* The counter file is shared by every process of a run, and by render's
 * workers through the mapping they inherit: a test's kill point N names
 * one operation of the whole run. */
static int64_t *map_counter(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	void *p;

	if (fd < 0)
		return NULL;
	/* extending to 8 bytes is the same whoever does it first */
	if (lseek(fd, 0, SEEK_END) < (off_t)sizeof(int64_t) && ftruncate(fd, sizeof(int64_t)) < 0) {
		close(fd);
		return NULL;
	}
	p = mmap(NULL, sizeof(int64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

void cp_fault_reload(void)
{
	const char *s;

	fail_plan.op = crash_plan.op = -1;
	memset(counts, 0, sizeof(counts));
	parse("CERTPRESS_FAULT", &fail_plan);
	parse("CERTPRESS_CRASH", &crash_plan);
	s = getenv("CERTPRESS_KILL_AT");
	kill_at = s ? strtol(s, NULL, 10) : 0;
	kill_group = getenv("CERTPRESS_KILL_GROUP") != NULL;
	own_total = 0;
	if (shared_total)
		munmap(shared_total, sizeof(int64_t));
	shared_total = (s = getenv("CERTPRESS_OPS")) && *s ? map_counter(s) : NULL;
	if (trace_fd >= 0)
		close(trace_fd);
	trace_fd = (s = getenv("CERTPRESS_OPS_TRACE")) && *s ?
		open(s, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600) : -1;
	active = fail_plan.op >= 0 || crash_plan.op >= 0 || kill_at > 0 || shared_total ||
		 trace_fd >= 0;
	loaded = 1;
}

static void trace(long n, enum cp_fault_op op, bool killed)
{
	char line[160];
	int len = snprintf(line, sizeof(line), "%ld %s %s %ld%s\n", n, op_names[op],
			   program_invocation_short_name, (long)getpid(), killed ? " killed" : "");

	if (len > 0 && write(trace_fd, line, (size_t)len) < 0)
		return;  /* a test's trace: nothing to do about it */
}

int cp_fault_check(enum cp_fault_op op)
{
	long n;

	if (!loaded)
		cp_fault_reload();
	if (!active)
		return 0;
	counts[op]++;
	n = shared_total ? (long)__atomic_add_fetch(shared_total, 1, __ATOMIC_SEQ_CST) : ++own_total;
	if (trace_fd >= 0)
		trace(n, op, kill_at > 0 && n == kill_at);
	if (kill_at > 0 && n == kill_at)
		kill(kill_group ? 0 : getpid(), SIGKILL);
	if (crash_plan.op == (int)op && counts[op] == crash_plan.nth)
		kill(getpid(), SIGKILL);
	if (fail_plan.op == (int)op && counts[op] == fail_plan.nth) {
		errno = EIO;
		return -1;
	}
	return 0;
}
