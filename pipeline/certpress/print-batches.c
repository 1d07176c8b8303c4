/* certpress print-batches [--json]: every print batch in the portals'
 * columns (id, state, started, finished, who started it, records, email
 * status, type), oldest first; --json adds its consignments held, the
 * documents confirmed printed and spoiled, each state with its time, and
 * the held consignments not dispatched (as status --json shows them). */
#include "cmd.h"

#include <stdio.h>

#include "opts.h"
#include "util/exitcode.h"
#include "util/json.h"
#include "util/banned.h"

struct print_batches_args {
	bool json;
};

static const struct cp_opt opts[] = {
	CP_OPT_FLAG_OF(struct print_batches_args, json, "json", "JSON for scripts"),
	CP_OPT_HELP_ROW,
	CP_OPTS_END,
};
const struct cp_cmdline cp_print_batches_line = { "print-batches", NULL, opts, NULL, 0, 0, 0 };

struct listing {
	struct cp_registry *reg;
	bool json;
	int n;
	const struct cp_held *held; /* --json: each one's held consignments */
};

/* The portals' Email Status: its emails (the run's, the dispatch emails
 * of its orders and consignments) sent, still to send, failed and without
 * a usable address, each part said only when there are some. */
static void email_status(const struct cp_print_batch_row *b, char *buf, size_t n)
{
	const struct { long k; const char *what; } parts[] = {
		{ b->emails_sent, "sent" },
		{ b->emails_due, "to send" },
		{ b->emails_failed, "failed" },
		{ b->emails_unsent, "no address" },
	};
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(parts) / sizeof(*parts); i++)
		if (parts[i].k && used < n)
			used += (size_t)snprintf(buf + used, n - used, "%s%ld %s", used ? ", " : "",
						 parts[i].k, parts[i].what);
	if (!used)
		snprintf(buf, n, "none");
}

static int print_state(void *ctx, const char *state, const char *at, const char *by)
{
	int *first = ctx, f = 1;

	if (!*first)
		putchar(',');
	*first = 0;
	putchar('{');
	cp_json_field(stdout, &f, "state", state);
	cp_json_field(stdout, &f, "at", at);
	cp_json_field(stdout, &f, "by", by);
	putchar('}');
	return 0;
}

static int print_batch(void *ctx, const struct cp_print_batch_row *b)
{
	struct listing *l = ctx;
	char email[96];
	int first = 1;

	email_status(b, email, sizeof(email));
	if (!l->json) {
		if (!l->n++)
			printf("%-19s  %-15s  %-20s  %-20s  %-10s  %7s  %-28s  %s\n", "id", "status",
			       "started", "finished", "user", "records", "email status", "type");
		printf("%-19s  %-15s  %-20s  %-20s  %-10s  %7ld  %-28s  %s\n", b->id, b->state,
		       b->started, b->finished ? b->finished : "-", b->by, b->records, email,
		       b->kind);
		return 0;
	}
	if (l->n++)
		putchar(',');
	putchar('{');
	cp_json_field(stdout, &first, "id", b->id);
	cp_json_field(stdout, &first, "state", b->state);
	cp_json_field(stdout, &first, "state_changed", b->state_changed);
	cp_json_field(stdout, &first, "started", b->started);
	cp_json_field(stdout, &first, "finished", b->finished);
	cp_json_field(stdout, &first, "user", b->by);
	cp_json_field(stdout, &first, "type", b->kind);
	cp_json_field(stdout, &first, "email_status", email);
	printf(",\"records\":%ld,\"consignments\":%ld,\"held\":%ld,\"printed\":%ld,"
	       "\"spoiled\":%ld,\"emails_sent\":%ld,\"emails_to_send\":%ld,"
	       "\"emails_failed\":%ld,\"emails_not_notifiable\":%ld,\"history\":[",
	       b->records, b->consignments, b->held, b->printed, b->spoiled, b->emails_sent,
	       b->emails_due, b->emails_failed, b->emails_unsent);
	first = 1;
	if (cp_print_batch_history_each(l->reg, b->id, print_state, &first) < 0)
		return -1;
	fputs("],\"held_consignments\":", stdout);
	if (cp_held_print(l->held, b->id, true) != CP_EX_OK)
		return -1;
	putchar('}');
	return 0;
}

int cp_cmd_print_batches(int argc, char **argv, const char *config)
{
	struct print_batches_args a = { 0 };
	struct listing l = { 0 };
	struct cp_cmd_env e = { 0 };
	struct cp_held held;
	int rc, first;

	if ((rc = cp_cmd_args(&cp_print_batches_line, argc, argv, &a, &first)) != CP_CMD_GO)
		return rc;
	l.json = a.json;
	if ((rc = cp_cmd_conf(&e, config)) || (rc = cp_cmd_registry_read(&e)))
		goto out;
	l.reg = &e.reg;
	if (l.json && (rc = cp_held_open(&e, &held)))
		goto out;
	l.held = &held;
	if (l.json)
		putchar('[');
	rc = cp_print_batches_each(&e.reg, print_batch, &l) < 0 ? CP_EX_IOERR : CP_EX_OK;
	if (l.json) {
		puts("]");
		cp_held_close(&held);
	}
out:
	cp_cmd_env_release(&e);
	return rc;
}
