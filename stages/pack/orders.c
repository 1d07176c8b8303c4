/* certpress-pack reprints|letters (certpress print-orders): a day's order
 * copies of one kind in a print file of their own, made as a batch's print
 * file is (printfile.c: PDF/X parts, the ticket with its consignments, the
 * print batch recorded). The copies are claimed in one transaction with
 * the order print file's row (registry/orderprints.h), so a copy is in one
 * print file only; a killed attempt is finished under the same id by the
 * next, which makes its files again; the print batch, the copies issued
 * and the row done are one commit. */
#include "pack.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "util/atomic.h"
#include "util/date.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "who.h"
#include "util/banned.h"

/* One maker of a kind's print file at a time (cron and an operator). */
static int lock_kind(const struct cp_spool *spool, const char *kind)
{
	char *path = cp_xasprintf("%s/.orders-%s.lock", spool->print, kind);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);

	if (fd < 0)
		cp_error("%s: cannot open: %m", path);
	else if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		cp_error("%s: another print file of %s is being made", path, kind);
		close(fd);
		fd = -2;
	}
	free(path);
	return fd;
}

/* The copies claimed and fixed (temp.pack_set): how many still valid, or
 * -1. *id names the print file. */
static long claim(struct cp_registry *reg, const char *kind, const char *by,
		  char id[CP_ORDER_PRINT_ID_MAX])
{
	char stamp[32], today[11], day[9];
	long n = 0, chosen = 0, own;
	int resumed = 0;

	cp_date_format(cp_date_today(), today);
	snprintf(day, sizeof(day), "%.4s%.2s%.2s", today, today + 5, today + 8);
	if (cp_registry_begin(reg) < 0)
		return -1;
	if (cp_order_print_claim(reg, kind, by, cp_time_stamp(stamp, sizeof(stamp)), day, id, &n,
				 &resumed) < 0)
		goto fail;
	if (!n && !resumed) { /* nothing waiting: no print file, no row */
		cp_registry_rollback(reg);
		return 0;
	}
	if (cp_documents_choose_for_pack(reg, id, &own) < 0 ||
	    cp_documents_chosen_count(reg, &chosen) < 0)
		goto fail;
	/* every copy revoked or superseded since it was claimed: nothing to print */
	if (!chosen && cp_order_print_done(reg, id, stamp) < 0)
		goto fail;
	if (cp_registry_commit(reg) < 0)
		goto fail;
	if (resumed)
		cp_info("print file %s: finishing what an earlier attempt left", id);
	return chosen;
fail:
	cp_registry_rollback(reg);
	return -1;
}

int cp_pack_orders(const struct cp_conf *conf, const char *kind, FILE *out)
{
	struct cp_spool spool = { 0 };
	struct cp_registry reg;
	struct cp_pack p;
	char id[CP_ORDER_PRINT_ID_MAX] = "", by[CP_WHO_SIZE];
	int rc = CP_EX_OK, lock = -1;
	long chosen;

	memset(&reg, 0, sizeof(reg));
	if (cp_spool_open(&spool, conf) < 0)
		return CP_EX_CANTCREAT;
	if ((lock = lock_kind(&spool, kind)) < 0) {
		rc = lock == -2 ? CP_EX_TEMPFAIL : CP_EX_CANTCREAT;
		goto out;
	}
	if (cp_registry_open(&reg, conf->registry) < 0) {
		rc = CP_EX_CANTCREAT;
		goto out;
	}
	cp_spool_sweep_reprints(&spool); /* what a killed order left */
	cp_who_stage(by, sizeof(by));
	if ((chosen = claim(&reg, kind, by, id)) < 0) {
		rc = CP_EX_IOERR;
		goto out;
	}
	if (!chosen) /* nothing on stdout: certpress print-orders says so */
		goto out;
	memset(&p, 0, sizeof(p));
	p.conf = conf;
	p.reg = &reg;
	p.batch = id;
	p.kind = kind;
	p.by = by;
	rc = cp_pack_print(&p, &spool, NULL);
	rc = cp_exit_for_errno(rc, cp_output_errno()); /* a full disk is 74 */
	if (rc == CP_EX_OK)
		fprintf(out, "%s %s/%s\n", id, spool.print, id);
out:
	if (reg.db)
		cp_registry_close(&reg);
	if (lock >= 0)
		close(lock);
	cp_spool_release(&spool);
	return rc;
}
