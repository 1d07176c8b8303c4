/* Centres' receipts of their exports: certpress receipt records one, and
 * status --receipts lists every export with its receipt due date in
 * working days and whether it is confirmed, pending or overdue. */
#include "cmd.h"

#include <stdio.h>

#include "util/date.h"
#include "util/exitcode.h"
#include "util/json.h"
#include "util/msg.h"
#include "workdays.h"
#include "util/banned.h"

struct receipt_args {
	const char *by;
};

static const struct cp_opt opts[] = {
	CP_OPT_VALUE_OF(struct receipt_args, by, "by", "NAME", "who at the centre confirmed it"),
	CP_OPT_HELP_ROW,
	CP_OPTS_END,
};
const struct cp_cmdline cp_receipt_line = { "receipt", "BATCH CENTRE", opts, NULL, 2, 2, 0 };

/* The receipts list being printed. */
struct receipts {
	struct cp_cmd_env *e;
	struct cp_holidays h;
	struct cp_date today;
	bool json;
	int first;
};

static int receipt_row(void *ctx, const struct cp_export_row *x)
{
	struct receipts *r = ctx;
	struct cp_date sent, due;
	char sent_s[11], due_s[11];
	const char *state;

	snprintf(sent_s, sizeof(sent_s), "%.10s", x->created);
	if (!cp_date_parse(sent_s, &sent))
		return 0;
	due = cp_workdays_add(sent, (int)r->e->conf.receipt_days, &r->h);
	cp_date_format(due, due_s);
	state = *x->receipt_at ? "confirmed" : cp_date_cmp(r->today, due) > 0 ? "overdue"
									      : "pending";
	if (r->json) {
		int f = 1;

		fputs(r->first ? "{" : ",{", stdout);
		cp_json_field(stdout, &f, "batch", x->batch);
		cp_json_field(stdout, &f, "centre", x->centre);
		cp_json_field(stdout, &f, "file", x->file);
		cp_json_field(stdout, &f, "sent", x->created);
		cp_json_field(stdout, &f, "due", due_s);
		cp_json_field(stdout, &f, "receipt", state);
		cp_json_field(stdout, &f, "confirmed_at", *x->receipt_at ? x->receipt_at : NULL);
		cp_json_field(stdout, &f, "confirmed_by", *x->receipt_by ? x->receipt_by : NULL);
		fputc('}', stdout);
	} else {
		printf("%-20s %-10s %-20s %-10s %-10s %s%s%s\n", x->batch, x->centre, x->created,
		       due_s, state, x->receipt_at, *x->receipt_by ? " by " : "", x->receipt_by);
	}
	r->first = 0;
	return 0;
}

int cp_cmd_receipts(struct cp_cmd_env *e, bool json)
{
	struct receipts r = { .e = e, .today = cp_date_today(), .json = json, .first = 1 };
	int rc;

	if (cp_holidays_load(&r.h, e->conf.holidays) < 0)
		return CP_EX_CONFIG;
	if (json)
		fputs("[", stdout);
	else
		printf("%-20s %-10s %-20s %-10s %-10s %s\n", "BATCH", "CENTRE", "SENT", "DUE",
		       "RECEIPT", "CONFIRMED");
	rc = cp_exports_each(&e->reg, receipt_row, &r);
	if (json)
		fputs("]\n", stdout);
	cp_holidays_release(&r.h);
	return rc < 0 ? CP_EX_IOERR : CP_EX_OK;
}

int cp_cmd_receipt(int argc, char **argv, const char *config)
{
	struct receipt_args a = { NULL };
	struct cp_cmd_env e = { 0 };
	char stamp[32];
	const char *batch, *centre;
	int first, rc, got;

	if ((rc = cp_cmd_args(&cp_receipt_line, argc, argv, &a, &first)) != CP_CMD_GO)
		return rc;
	if (a.by && !cp_cmd_reason_ok(a.by))
		return cp_cmd_usage(&cp_receipt_line);
	batch = argv[first];
	centre = argv[first + 1];
	if ((rc = cp_cmd_conf(&e, config)) || (rc = cp_cmd_registry(&e)))
		goto out;
	got = cp_export_receipt(&e.reg, batch, centre, cp_time_stamp(stamp, sizeof(stamp)), a.by);
	if (got < 0) {
		rc = CP_EX_IOERR;
	} else if (got == 0) {
		cp_error("no export of batch %s for centre %s", batch, centre);
		rc = CP_EX_NOINPUT;
	} else {
		cp_info("receipt of batch %s by centre %s recorded", batch, centre);
	}
out:
	cp_cmd_env_release(&e);
	return rc;
}
