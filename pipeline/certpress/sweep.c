/* certpress sweep [--by NAME]: the retention sweep, which deletes every finished
 * centre zip past its expiry (the nightly zips and the exports made on
 * demand) and records it as expired. Sweep and pack agree through the
 * batch's lock (a batch being worked on is left for the next sweep), sweep
 * and export through the centre's, and both through the row: claimed
 * (expired) in a transaction, then the zip deleted, then recorded swept;
 * pack and export make the row pending before they write a zip. A
 * finished row always has its zip. Who swept is recorded with the claim
 * and shown by downloads. */
#include "cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/atomic.h"
#include "util/date.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "spool.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct sweep_args {
	const char *by;
};

static const struct cp_opt opts[] = {
	CP_OPT_VALUE_OF(struct sweep_args, by, "by", "NAME",
			"who sweeps (else the login name)"),
	CP_OPT_HELP_ROW,
	CP_OPTS_END,
};
const struct cp_cmdline cp_sweep_line = { "sweep", NULL, opts, NULL, 0, 0, 0 };

/* A nightly zip (lock: its batch's, as pack takes it) or an export made
 * on demand (lock: its centre's folder's, as export takes it). */
struct kind {
	int (*claim)(struct cp_registry *r, const struct cp_expiring *x, const char *now,
		     const char *by);
	int (*swept)(struct cp_registry *r, const struct cp_expiring *x, const char *now);
};
static const struct kind nightly = { cp_export_claim_expired, cp_export_swept };
static const struct kind on_demand = { cp_download_claim_expired, cp_download_swept };

/* One export: under the lock of lockdir (if it exists), claimed, its zip
 * in dir deleted, recorded swept. Returns 0, or the exit code it adds. */
static int sweep_one(struct cp_cmd_env *e, const struct kind *k, const struct cp_expiring *x,
		     const char *lockdir, const char *dir, const char *now, const char *by)
{
	const char *owner = x->batch ? x->batch : x->centre;
	char *path = NULL;
	int fd = -1, got, rc = 0;

	/* a pack of the batch (an export of the centre) holds the lock while
	 * it records and writes the zip: with it, nothing can publish a zip
	 * this deletes */
	if (access(lockdir, F_OK) == 0 && (got = cp_batch_lock(lockdir, owner, &fd)) != 0) {
		if (got > 0)
			cp_warn("%s %s is being worked on: its export %s is left for the next "
				"sweep", x->batch ? "batch" : "centre", owner, x->file);
		return got > 0 ? CP_EX_TEMPFAIL : CP_EX_IOERR;
	}
	if ((got = k->claim(&e->reg, x, now, by)) <= 0) {
		rc = got < 0 ? CP_EX_IOERR : 0; /* 0: changed since it was read */
		goto out;
	}
	path = cp_xasprintf("%s/%s", dir, x->file);
	if (unlink(path) < 0 && errno != ENOENT) {
		cp_error("%s: cannot delete: %s", path, strerror(errno));
		rc = CP_EX_IOERR; /* claimed: the next sweep tries again */
		goto out;
	}
	cp_fsync_dir(dir);
	if (x->batch)
		rmdir(dir); /* when it was the batch's last export */
	if (k->swept(&e->reg, x, now) < 0) {
		rc = CP_EX_IOERR;
		goto out;
	}
	printf("expired %s %s\n", owner, x->file);
out:
	if (fd >= 0)
		close(fd);
	free(path);
	return rc;
}

/* Every one of a kind past its retention. */
static int sweep_kind(struct cp_cmd_env *e, const struct kind *k, const char *now,
		      const char *by, long *swept, long *left)
{
	struct cp_expiring *v = NULL;
	size_t n = 0;
	int rc = 0;

	if ((k == &nightly ? cp_exports_expiring(&e->reg, now, &v, &n)
			   : cp_downloads_expiring(&e->reg, now, &v, &n)) < 0)
		return CP_EX_IOERR;
	for (size_t i = 0; i < n; i++) {
		const struct cp_expiring *x = &v[i];
		char *lockdir, *dir;
		int one;

		/* the names come from the registry: checked before any path is made */
		if ((x->batch && !cp_batch_id_valid(x->batch)) || !cp_spool_name_ok(x->centre) ||
		    cp_spool_file_name_refused(x->file)) {
			cp_error("export '%s' of %s '%s' has an unexpected name: left alone", x->file,
				 x->batch ? "batch" : "centre", x->batch ? x->batch : x->centre);
			rc = cp_exit_worst(rc, CP_EX_DATAERR);
			continue;
		}
		if (x->batch) {
			lockdir = cp_spool_batch_dir(&e->spool, x->batch);
			dir = cp_xasprintf("%s/%s", e->spool.exports, x->batch);
		} else {
			lockdir = cp_xasprintf("%s/%s", e->spool.downloads, x->centre);
			dir = cp_xstrdup(lockdir);
		}
		one = sweep_one(e, k, x, lockdir, dir, now, by);
		if (one == CP_EX_TEMPFAIL)
			(*left)++;
		else if (!one)
			(*swept)++;
		rc = cp_exit_worst(rc, one);
		free(lockdir);
		free(dir);
	}
	cp_exports_expiring_free(v, n);
	return rc;
}

int cp_cmd_sweep(int argc, char **argv, const char *config)
{
	struct sweep_args a = { NULL };
	struct cp_cmd_env e = { 0 };
	char now[32], by[CP_WHO_SIZE];
	long swept = 0, left = 0;
	int first, rc;

	if ((rc = cp_cmd_args(&cp_sweep_line, argc, argv, &a, &first)) != CP_CMD_GO)
		return rc;
	if ((rc = cp_who(a.by, by, sizeof(by))))
		return rc;
	if ((rc = cp_cmd_conf(&e, config)) || (rc = cp_cmd_registry(&e)) || (rc = cp_cmd_spool(&e)))
		goto out;
	cp_utc_stamp(cp_clock_now(), now, sizeof(now));
	rc = cp_exit_worst(sweep_kind(&e, &nightly, now, by, &swept, &left),
			   sweep_kind(&e, &on_demand, now, by, &swept, &left));
	cp_info("%ld exports past their retention deleted%s", swept,
		left ? "; some left for the next sweep (their batches are being worked on)" : "");
out:
	cp_cmd_env_release(&e);
	return rc;
}
