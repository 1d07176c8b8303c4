/* Reads CERTPRESS_FAULT and CERTPRESS_CRASH once and counts operations. */
#include "util/fault.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/banned.h"

static const char *const op_names[] = { "write", "fsync", "rename", "commit" };

struct plan {
	int op;       /* -1: none */
	long nth;
};

static struct plan fail_plan = { -1, 0 }, crash_plan = { -1, 0 };
static long counts[4];
static int loaded;

static void parse(const char *env, struct plan *p)
{
	const char *s = getenv(env);
	const char *colon;

	if (!s || !(colon = strchr(s, ':')))
		return;
	for (int i = 0; i < 4; i++)
		if (strlen(op_names[i]) == (size_t)(colon - s) &&
		    strncmp(s, op_names[i], (size_t)(colon - s)) == 0) {
			p->op = i;
			p->nth = strtol(colon + 1, NULL, 10);
		}
}

void cp_fault_reload(void)
{
	fail_plan.op = crash_plan.op = -1;
	memset(counts, 0, sizeof(counts));
	parse("CERTPRESS_FAULT", &fail_plan);
	parse("CERTPRESS_CRASH", &crash_plan);
	loaded = 1;
}

int cp_fault_check(enum cp_fault_op op)
{
	if (!loaded)
		cp_fault_reload();
	if (fail_plan.op < 0 && crash_plan.op < 0)
		return 0;
	counts[op]++;
	if (crash_plan.op == (int)op && counts[op] == crash_plan.nth)
		kill(getpid(), SIGKILL);
	if (fail_plan.op == (int)op && counts[op] == fail_plan.nth) {
		errno = EIO;
		return -1;
	}
	return 0;
}
