/* Centres' receipts per course run, as the post-certification process asks:
 * certpress receipt records one confirmation (every one kept), and status
 * --receipts lists each course run of every export that went out with its
 * due date (receipt-days working days after the export) and whether it is
 * confirmed, pending or overdue; --pending only those still to confirm. */
#include "cmd.h"

#include <stdio.h>
#include <string.h>

#include "util/date.h"
#include "util/exitcode.h"
#include "util/json.h"
#include "util/msg.h"
#include "workdays.h"
#include "util/banned.h"

struct receipt_args {
	const char *course_run, *date, *note, *by;
};

static const struct cp_opt opts[] = {
	CP_OPT_VALUE_OF(struct receipt_args, course_run, "course-run", "X",
			"one course run of the export (else all of them)"),
	CP_OPT_VALUE_OF(struct receipt_args, date, "date", "YYYY-MM-DD",
			"the day the centre received it (else today)"),
	CP_OPT_VALUE_OF(struct receipt_args, note, "note", "TEXT", "what the centre said"),
	CP_OPT_VALUE_OF(struct receipt_args, by, "by", "NAME",
			"who at the centre confirmed it (else the login name)"),
	CP_OPT_HELP_ROW,
	CP_OPTS_END,
};
const struct cp_cmdline cp_receipt_line = { "receipt", "BATCH CENTRE", opts, NULL, 2, 2, 0 };

/* The receipts list being printed. */
struct receipts {
	struct cp_cmd_env *e;
	struct cp_holidays h;
	struct cp_date today;
	bool json, pending_only;
	int first;
};

static void text_row(struct receipts *r, const struct cp_receipt_run *c, const char *due,
		     const char *state)
{
	if (r->first)
		printf("%-20s %-10s %-16s %-20s %-10s %-10s %-10s %s\n", "BATCH", "CENTRE",
		       "COURSE RUN", "SENT", "DUE", "RECEIPT", "RECEIVED", "CONFIRMED BY");
	printf("%-20s %-10s %-16s %-20s %-10s %-10s %-10s %s\n", c->batch, c->centre,
	       c->course_run, c->sent, due, state, *c->received ? c->received : "-",
	       *c->by ? c->by : "-");
}

static int receipt_row(void *ctx, const struct cp_receipt_run *c)
{
	struct receipts *r = ctx;
	struct cp_date sent, due;
	char sent_s[11], due_s[11];
	const char *state;

	snprintf(sent_s, sizeof(sent_s), "%.10s", c->sent);
	if (!cp_date_parse(sent_s, &sent))
		return 0;
	due = cp_workdays_add(sent, (int)r->e->conf.receipt_days, &r->h);
	cp_date_format(due, due_s);
	state = *c->received ? "confirmed" : cp_date_cmp(r->today, due) > 0 ? "overdue"
									    : "pending";
	if (r->pending_only && *c->received)
		return 0;
	if (r->json) {
		int f = 1;

		fputs(r->first ? "{" : ",{", stdout);
		cp_json_field(stdout, &f, "batch", c->batch);
		cp_json_field(stdout, &f, "centre", c->centre);
		cp_json_field(stdout, &f, "course_run", c->course_run);
		cp_json_field(stdout, &f, "file", c->file);
		cp_json_field(stdout, &f, "sent", c->sent);
		cp_json_field(stdout, &f, "due", due_s);
		cp_json_field(stdout, &f, "receipt", state);
		printf(",\"overdue\":%s", !strcmp(state, "overdue") ? "true" : "false");
		cp_json_field(stdout, &f, "received", *c->received ? c->received : NULL);
		cp_json_field(stdout, &f, "confirmed_by", *c->by ? c->by : NULL);
		cp_json_field(stdout, &f, "recorded", *c->recorded ? c->recorded : NULL);
		fputc('}', stdout);
	} else {
		text_row(r, c, due_s, state);
	}
	r->first = 0;
	return 0;
}

int cp_cmd_receipts(struct cp_cmd_env *e, bool pending_only, bool json)
{
	struct receipts r = { .e = e, .today = cp_date_today(), .json = json,
			      .pending_only = pending_only, .first = 1 };
	int rc;

	if (cp_holidays_load(&r.h, e->conf.holidays) < 0)
		return CP_EX_CONFIG;
	if (json)
		fputs("[", stdout);
	rc = cp_receipt_runs_each(&e->reg, receipt_row, &r);
	if (json)
		fputs("]\n", stdout);
	cp_holidays_release(&r.h);
	return rc < 0 ? CP_EX_IOERR : CP_EX_OK;
}

/* --date: a real date, not after today. 0 and received, or 64/65. */
static int received_date(const char *typed, char received[11])
{
	struct cp_date d, today = cp_date_today();

	if (!typed) {
		cp_date_format(today, received);
		return 0;
	}
	if (!cp_date_parse(typed, &d)) {
		cp_error("--date takes YYYY-MM-DD ('%s' is not a date)", typed);
		return CP_EX_USAGE;
	}
	if (cp_date_cmp(d, today) > 0) {
		cp_error("--date %s is in the future: nothing recorded", typed);
		return CP_EX_DATAERR;
	}
	cp_date_format(d, received);
	return 0;
}

int cp_cmd_receipt(int argc, char **argv, const char *config)
{
	struct receipt_args a = { NULL, NULL, NULL, NULL };
	struct cp_cmd_env e = { 0 };
	char stamp[32], received[11], by[CP_WHO_SIZE];
	const char *batch, *centre;
	int first, rc, got;

	if ((rc = cp_cmd_args(&cp_receipt_line, argc, argv, &a, &first)) != CP_CMD_GO)
		return rc;
	if ((a.note && (rc = cp_cmd_text_arg("note", a.note))) ||
	    (a.course_run && (rc = cp_cmd_text_arg("course-run", a.course_run))) ||
	    (rc = cp_who(a.by, by, sizeof(by))) || (rc = received_date(a.date, received)))
		return rc;
	batch = argv[first];
	centre = argv[first + 1];
	if ((rc = cp_cmd_conf(&e, config)) || (rc = cp_cmd_registry(&e)))
		goto out;
	got = cp_receipt_add(&e.reg, batch, centre, a.course_run, received, a.note, by,
			     cp_time_stamp(stamp, sizeof(stamp)));
	if (got < 0) {
		rc = CP_EX_IOERR;
	} else if (got == CP_RECEIPT_NO_EXPORT) {
		cp_error("no export of batch %s for centre %s has gone out", batch, centre);
		rc = CP_EX_NOINPUT;
	} else if (got == CP_RECEIPT_NO_RUN) {
		cp_error("batch %s: the export for centre %s holds no course run '%s'", batch,
			 centre, a.course_run);
		rc = CP_EX_NOINPUT;
	} else if (got == CP_RECEIPT_SAME) {
		cp_info("receipt of batch %s%s%s by centre %s is recorded already (received %s, by"
			" %s): nothing added", batch, a.course_run ? " course run " : "",
			a.course_run ? a.course_run : "", centre, received, by);
	} else {
		cp_info("receipt of batch %s%s%s by centre %s recorded (received %s, by %s)", batch,
			a.course_run ? " course run " : "", a.course_run ? a.course_run : "", centre,
			received, by);
	}
out:
	cp_cmd_env_release(&e);
	return rc;
}
