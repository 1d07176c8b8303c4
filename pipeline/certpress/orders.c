/* certpress orders: the orders matching every filter given, oldest first,
 * one a line (the learner guide's order history: reference, date ordered,
 * qualification, centre, award date, state) or, with --json, every field,
 * each order's states with their times and its emails (the learner's and
 * the centre's, each event's state and the server's last reply). */
#include "cmd.h"

#include <stdio.h>
#include <string.h>

#include "opts.h"
#include "util/exitcode.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/banned.h"

struct orders_args {
	bool json;
	const char *enrolment, *centre, *state;
};

static const struct cp_opt opts[] = {
	CP_OPT_FLAG_OF(struct orders_args, json, "json",
		       "JSON for scripts, each order's history too"),
	CP_OPT_VALUE_OF(struct orders_args, enrolment, "enrolment", "N", "one learner's orders"),
	CP_OPT_VALUE_OF(struct orders_args, centre, "centre", "C", "one centre's orders"),
	CP_OPT_VALUE_OF(struct orders_args, state, "state", "S",
			"in one state (to-be-generated, to-be-printed, ...)"),
	CP_OPT_HELP_ROW,
	CP_OPTS_END,
};
const struct cp_cmdline cp_orders_line = { "orders", NULL, opts, NULL, 0, 0, 0 };

struct listing {
	struct cp_registry *reg;
	bool json;
	int n;
};

static int print_state(void *ctx, const char *state, const char *at, const char *note)
{
	int *first = ctx, f = 1;

	if (!*first)
		putchar(',');
	*first = 0;
	putchar('{');
	cp_json_field(stdout, &f, "state", state);
	cp_json_field(stdout, &f, "at", at);
	cp_json_field(stdout, &f, "note", note);
	putchar('}');
	return 0;
}

static int print_email(void *ctx, const char *to, const char *event, const char *status,
		       const char *reply)
{
	int *first = ctx, f = 1;

	if (!*first)
		putchar(',');
	*first = 0;
	putchar('{');
	cp_json_field(stdout, &f, "to", to);
	cp_json_field(stdout, &f, "event", event);
	cp_json_field(stdout, &f, "status", status);
	cp_json_field(stdout, &f, "reply", reply);
	putchar('}');
	return 0;
}

static int print_order(void *ctx, const struct cp_order_row *o)
{
	struct listing *l = ctx;
	char day[11] = "";
	int first = 1;

	snprintf(day, sizeof(day), "%.10s", o->ordered);
	if (!l->json) {
		printf("%lld  %s  %s  %-7s %-15s %s  %s  %s %s\n", o->id, o->reference, day, o->kind,
		       o->state, o->centre, o->awarded, o->qualification, o->title);
		l->n++;
		return 0;
	}
	if (l->n++)
		putchar(',');
	printf("{\"id\":%lld", o->id);
	first = 0;
	cp_json_field(stdout, &first, "kind", o->kind);
	cp_json_field(stdout, &first, "reference", o->reference);
	cp_json_field(stdout, &first, "replaces", o->replaces);
	cp_json_field(stdout, &first, "document_type", o->type);
	cp_json_field(stdout, &first, "enrolment", o->enrolment);
	cp_json_field(stdout, &first, "centre", o->centre);
	cp_json_field(stdout, &first, "qualification", o->qualification);
	cp_json_field(stdout, &first, "title", o->title);
	cp_json_field(stdout, &first, "awarded", o->awarded);
	cp_json_field(stdout, &first, "ordered", o->ordered);
	cp_json_field(stdout, &first, "ordered_by", o->by);
	cp_json_field(stdout, &first, "reason", o->reason);
	cp_json_field(stdout, &first, "delivery", o->delivery);
	cp_json_field(stdout, &first, "address", o->address);
	cp_json_field(stdout, &first, "state", o->state);
	cp_json_field(stdout, &first, "state_changed", o->state_changed);
	cp_json_field(stdout, &first, "tracking", o->tracking);
	cp_json_field(stdout, &first, "print_batch", o->print_batch);
	fputs(",\"history\":[", stdout);
	first = 1;
	if (cp_order_history_each(l->reg, o->id, print_state, &first) < 0)
		return -1;
	fputs("],\"emails\":[", stdout);
	first = 1;
	if (cp_order_emails_each(l->reg, o->id, print_email, &first) < 0)
		return -1;
	fputs("]}", stdout);
	return 0;
}

int cp_cmd_orders(int argc, char **argv, const char *config)
{
	struct orders_args a = { 0 };
	struct cp_order_query q = { 0 };
	struct listing l = { 0 };
	struct cp_cmd_env e = { 0 };
	int rc, first;

	if ((rc = cp_cmd_args(&cp_orders_line, argc, argv, &a, &first)) != CP_CMD_GO)
		return rc;
	if (a.state && !cp_order_state_known(a.state)) {
		cp_error("--state '%s' is not to-be-generated, to-be-printed, printed, dispatched "
			 "or spoiled", a.state);
		return CP_EX_USAGE;
	}
	q.enrolment = a.enrolment;
	q.centre = a.centre;
	q.state = a.state;
	l.json = a.json;
	if ((rc = cp_cmd_conf(&e, config)) || (rc = cp_cmd_registry_read(&e)))
		goto out;
	l.reg = &e.reg;
	if (l.json)
		putchar('[');
	rc = cp_orders_each(&e.reg, &q, print_order, &l) < 0 ? CP_EX_IOERR : CP_EX_OK;
	if (l.json)
		puts("]");
out:
	cp_cmd_env_release(&e);
	return rc;
}
