/* Centres' receipts of their exports: certpress receipt records one, and
 * status --receipts lists every export with its receipt due date in
 * working days and whether it is confirmed, pending or overdue. */
#include "cmd.h"

#include <getopt.h>
#include <stdio.h>

#include "util/date.h"
#include "util/exitcode.h"
#include "util/json.h"
#include "util/msg.h"
#include "workdays.h"
#include "util/banned.h"

#define RECEIPT "receipt BATCH CENTRE [--by NAME]"

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
	static const struct option opts[] = {
		{ "by", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 },
	};
	struct cp_cmd_env e = { 0 };
	const char *by = NULL;
	char stamp[32];
	int c, rc, got;

	optind = 0; /* GNU getopt: start afresh after the global options */
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'b')
			return cp_cmd_usage(RECEIPT);
		by = optarg;
	}
	if (argc - optind != 2 || (by && !cp_cmd_reason_ok(by)))
		return cp_cmd_usage(RECEIPT);
	if ((rc = cp_cmd_conf(&e, config)) || (rc = cp_cmd_registry(&e)))
		goto out;
	got = cp_export_receipt(&e.reg, argv[optind], argv[optind + 1],
				cp_time_stamp(stamp, sizeof(stamp)), by);
	if (got < 0) {
		rc = CP_EX_IOERR;
	} else if (got == 0) {
		cp_error("no export of batch %s for centre %s", argv[optind], argv[optind + 1]);
		rc = CP_EX_NOINPUT;
	} else {
		cp_info("receipt of batch %s by centre %s recorded", argv[optind], argv[optind + 1]);
	}
out:
	cp_cmd_env_release(&e);
	return rc;
}
