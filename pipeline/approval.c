/* Approval as files in the batch folder, written atomically, read by pack
 * (its gate), status and the approve and hold commands. */
#include "approval.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/atomic.h"
#include "util/msg.h"
#include "util/readfile.h"
#include "util/xalloc.h"
#include "util/banned.h"

static char *in(const char *dir, const char *name)
{
	return cp_xasprintf("%s/%s", dir, name);
}

static int exists(const char *dir, const char *name)
{
	char *p = in(dir, name);
	int got = access(p, F_OK) == 0;

	free(p);
	return got;
}

enum cp_approval_state cp_approval_state(const struct cp_conf *conf, const char *dir, char *why,
					 size_t n)
{
	if (exists(dir, CP_HELD_FILE)) {
		if (why) {
			char *p = in(dir, CP_HELD_FILE), *buf = NULL;
			size_t len;

			snprintf(why, n, "%s", cp_read_file(p, &buf, &len, 4096) == 0 ? buf : "");
			why[strcspn(why, "\n")] = '\0';
			free(buf);
			free(p);
		}
		return CP_APPROVAL_HELD;
	}
	if (conf->approval_required && !exists(dir, CP_APPROVED_FILE))
		return CP_APPROVAL_AWAITING;
	return CP_APPROVAL_FREE;
}

/* Write keep (its line), then remove drop and sync the folder. */
static int decide(const char *dir, const char *keep, const char *drop, const char *line)
{
	char *k = in(dir, keep), *d = in(dir, drop), *text = cp_xasprintf("%s\n", line);
	int rc = cp_atomic_write_file(k, text, strlen(text), 0640);

	if (!rc && unlink(d) < 0 && errno != ENOENT)
		rc = cp_error("%s: cannot remove: %s", d, strerror(errno));
	if (!rc)
		rc = cp_fsync_dir(dir);
	free(k);
	free(d);
	free(text);
	return rc;
}

int cp_approval_approve(const char *dir, const char *line)
{
	return decide(dir, CP_APPROVED_FILE, CP_HELD_FILE, line);
}

int cp_approval_hold(const char *dir, const char *line)
{
	return decide(dir, CP_HELD_FILE, CP_APPROVED_FILE, line);
}
