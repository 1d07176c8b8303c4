/* certpress set-email ENROLMENT ADDRESS [--by USER]: a learner's corrected
 * or new address, checked as notify checks addresses and kept with who set
 * it and when. Each batch whose email to the learner did not go out is
 * made to send it (the portals' "Save & Notify"): its notify output is
 * forgotten, under the batch's lock, before the registry records the
 * address, so a crash between the two leaves a batch that notify finishes
 * (finding nothing, or the learner, to send), never a learner marked to
 * send in a batch that says it is done. */
#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/atomic.h"
#include "util/date.h"
#include "util/exitcode.h"
#include "util/mailaddr.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "spool.h"
#include "stage.h"
#include "util/banned.h"

struct set_email_args {
	const char *by;
};

static const struct cp_opt opts[] = {
	CP_OPT_VALUE_OF(struct set_email_args, by, "by", "USER",
			"who set it (else the login name)"),
	CP_OPT_HELP_ROW,
	CP_OPTS_END,
};
const struct cp_cmdline cp_set_email_line = { "set-email", "ENROLMENT ADDRESS", opts, NULL, 2,
					      2, 0 };

/* The batches to send again, each locked (fds, -1 where not yet). */
struct reopen {
	char **batches;
	int *fds;
	size_t n;
};

static void reopen_release(struct reopen *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->fds[i] >= 0)
			close(r->fds[i]);
	free(r->fds);
	cp_address_batches_free(r->batches, r->n);
}

/* Lock every batch, then make those that are done wait at notify. */
static int lock_and_reopen(const struct cp_spool *spool, struct reopen *r)
{
	r->fds = cp_xmalloc((r->n ? r->n : 1) * sizeof(*r->fds));
	for (size_t i = 0; i < r->n; i++)
		r->fds[i] = -1;
	for (size_t i = 0; i < r->n; i++) {
		char *dir = cp_spool_batch_dir(spool, r->batches[i]);
		int got = cp_batch_lock(dir, r->batches[i], &r->fds[i]);

		free(dir);
		if (got > 0)
			cp_error("batch %s is being worked on by another process: nothing recorded;"
				 " try again when it is done", r->batches[i]);
		if (got)
			return got > 0 ? CP_EX_TEMPFAIL : CP_EX_IOERR;
	}
	for (size_t i = 0; i < r->n; i++) {
		char *dir = cp_spool_batch_dir(spool, r->batches[i]);
		int rc = 0;

		if (cp_stage_next(dir) == CP_NSTAGES &&
		    (cp_stage_forget(dir, CP_STAGE_NOTIFY) < 0 || cp_fsync_dir(dir) < 0))
			rc = CP_EX_IOERR;
		free(dir);
		if (rc)
			return rc;
	}
	return 0;
}

static int set_email(struct cp_cmd_env *e, const struct cp_spool *spool, const char *enrolment,
		     const char *address, const char *by)
{
	struct reopen r = { 0 };
	char stamp[32];
	int rc, known = cp_address_learner_known(&e->reg, enrolment);

	if (known <= 0) {
		if (known == 0)
			cp_error("no learner with enrolment '%s' in the registry", enrolment);
		return known < 0 ? CP_EX_IOERR : CP_EX_NOINPUT;
	}
	if (cp_address_unsent_batches(&e->reg, enrolment, &r.batches, &r.n) < 0)
		return CP_EX_IOERR;
	if ((rc = lock_and_reopen(spool, &r)))
		goto out;
	cp_time_stamp(stamp, sizeof(stamp));
	if (cp_registry_begin(&e->reg) < 0) {
		rc = CP_EX_TEMPFAIL;
		goto out;
	}
	if (cp_address_set(&e->reg, enrolment, address, by, stamp, r.batches, r.n) < 0 ||
	    cp_registry_commit(&e->reg) < 0) {
		cp_registry_rollback(&e->reg);
		rc = CP_EX_IOERR;
		goto out;
	}
	/* the batches for a script: certpress notify each */
	for (size_t i = 0; i < r.n; i++)
		puts(r.batches[i]);
	if (r.n)
		cp_info("enrolment '%s': address set by %s; %zu batch%s to send it: 'certpress notify"
			" BATCH' (or the next retry or run)", enrolment, by, r.n,
			r.n == 1 ? "" : "es");
	else
		cp_info("enrolment '%s': address set by %s (no email of theirs is waiting)",
			enrolment, by);
out:
	reopen_release(&r);
	return rc;
}

int cp_cmd_set_email(int argc, char **argv, const char *config)
{
	struct set_email_args a = { NULL };
	struct cp_cmd_env e = { 0 };
	struct cp_spool spool = { 0 };
	char by[CP_WHO_SIZE];
	const char *enrolment, *address;
	int first, rc;

	if ((rc = cp_cmd_args(&cp_set_email_line, argc, argv, &a, &first)) != CP_CMD_GO)
		return rc;
	enrolment = argv[first];
	address = argv[first + 1];
	if (!cp_cmd_reason_ok(enrolment) || strlen(enrolment) > 64)
		return cp_cmd_usage(&cp_set_email_line);
	/* the address itself is personal data: never in a message */
	if (!cp_mail_address_ok(address)) {
		cp_error("enrolment '%s': the address is not one notify can send to (one plain"
			 " ASCII address: a single '@', a dot in the domain, no spaces): nothing"
			 " recorded", enrolment);
		return CP_EX_DATAERR;
	}
	if ((rc = cp_who(a.by, by, sizeof(by))))
		return rc;
	if ((rc = cp_cmd_conf(&e, config)) || (rc = cp_cmd_registry(&e)))
		goto out;
	if (cp_spool_open(&spool, &e.conf) < 0)
		rc = CP_EX_CANTCREAT;
	else
		rc = set_email(&e, &spool, enrolment, address, by);
out:
	cp_spool_release(&spool);
	cp_cmd_env_release(&e);
	return rc;
}
