/* certpress sweep: the retention sweep, which deletes every finished
 * centre zip past its expiry and records it as expired. Sweep and pack
 * agree through the batch's lock (a batch being worked on is left for the
 * next sweep) and the export's row: claimed (expired) in a transaction,
 * then the zip deleted, then recorded swept; pack makes the row pending
 * before it writes a zip. A finished row always has its zip. */
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

static const struct cp_opt opts[] = { CP_OPT_HELP_ROW, CP_OPTS_END };
const struct cp_cmdline cp_sweep_line = { "sweep", NULL, opts, NULL, 0, 0, 0 };

/* One export: under its batch's lock, claimed, deleted, recorded swept.
 * Returns 0, or the exit code it adds. */
static int sweep_one(struct cp_cmd_env *e, const struct cp_spool *spool,
		     const struct cp_expiring *x, const char *now)
{
	char *bdir, *dir = NULL, *path = NULL;
	int fd = -1, got, rc = 0;

	/* the names come from the registry: checked before any path is made */
	if (!cp_batch_id_valid(x->batch) || strchr(x->file, '/') || x->file[0] == '.') {
		cp_error("export '%s' of batch '%s' has an unexpected name: left alone", x->file,
			 x->batch);
		return CP_EX_DATAERR;
	}
	/* a pack of the batch holds its lock while it records and writes the
	 * export: with the lock, no pack can publish a zip this deletes */
	bdir = cp_spool_batch_dir(spool, x->batch);
	if (access(bdir, F_OK) == 0 && (got = cp_batch_lock(bdir, x->batch, &fd)) != 0) {
		if (got > 0)
			cp_warn("batch %s is being worked on: its export %s is left for the next "
				"sweep", x->batch, x->file);
		rc = got > 0 ? CP_EX_TEMPFAIL : CP_EX_IOERR;
		goto out;
	}
	if ((got = cp_export_claim_expired(&e->reg, x, now)) <= 0) {
		rc = got < 0 ? CP_EX_IOERR : 0; /* 0: changed since it was read */
		goto out;
	}
	dir = cp_xasprintf("%s/%s", spool->exports, x->batch);
	path = cp_xasprintf("%s/%s", dir, x->file);
	if (unlink(path) < 0 && errno != ENOENT) {
		cp_error("%s: cannot delete: %s", path, strerror(errno));
		rc = CP_EX_IOERR; /* claimed: the next sweep tries again */
		goto out;
	}
	cp_fsync_dir(dir);
	rmdir(dir); /* when it was the batch's last export */
	if (cp_export_swept(&e->reg, x, now) < 0) {
		rc = CP_EX_IOERR;
		goto out;
	}
	printf("expired %s %s\n", x->batch, x->file);
out:
	if (fd >= 0)
		close(fd);
	free(bdir);
	free(dir);
	free(path);
	return rc;
}

int cp_cmd_sweep(int argc, char **argv, const char *config)
{
	struct cp_cmd_env e = { 0 };
	struct cp_expiring *v = NULL;
	size_t n = 0;
	char now[32];
	long swept = 0, left = 0;
	int first, rc;

	if ((rc = cp_cmd_args(&cp_sweep_line, argc, argv, NULL, &first)) != CP_CMD_GO)
		return rc;
	if ((rc = cp_cmd_conf(&e, config)) || (rc = cp_cmd_registry(&e)) || (rc = cp_cmd_spool(&e)))
		goto out;
	cp_utc_stamp(cp_clock_now(), now, sizeof(now));
	if (cp_exports_expiring(&e.reg, now, &v, &n) < 0) {
		rc = CP_EX_IOERR;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		int one = sweep_one(&e, &e.spool, &v[i], now);

		if (one == CP_EX_TEMPFAIL)
			left++;
		else if (!one)
			swept++;
		rc = cp_exit_worst(rc, one);
	}
	cp_info("%ld exports past their retention deleted%s", swept,
		left ? "; some left for the next sweep (their batches are being worked on)" : "");
out:
	cp_exports_expiring_free(v, n);
	cp_cmd_env_release(&e);
	return rc;
}
