/* certpress: the operator's command. Its own subcommands are a table, as in
 * git.c; the stages run as separate certpress-STAGE programs. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "cli.h"
#include "opts.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/banned.h"

static const struct cp_cmd commands[] = {
	{ cp_cmd_run, &cp_run_line },
	{ cp_cmd_retry, &cp_retry_line },
	{ cp_cmd_status, &cp_status_line },
	{ cp_cmd_receipt, &cp_receipt_line },
	{ cp_cmd_set_email, &cp_set_email_line },
	{ cp_cmd_notify, &cp_notify_line },
	{ cp_cmd_approve, &cp_approve_line },
	{ cp_cmd_hold, &cp_hold_line },
	{ cp_cmd_verify, &cp_verify_line },
	{ cp_cmd_show, &cp_show_line },
	{ cp_cmd_search, &cp_search_line },
	{ cp_cmd_reprint, &cp_reprint_line },
	/* two lines, one command: order.c takes the kind */
	{ cp_cmd_order, &cp_order_reprint_line },
	{ cp_cmd_order, &cp_order_letter_line },
	{ cp_cmd_orders, &cp_orders_line },
	{ cp_cmd_print_batches, &cp_print_batches_line },
	{ cp_cmd_printed, &cp_printed_line },
	{ cp_cmd_print_orders, &cp_print_orders_line },
	{ cp_cmd_revoke, &cp_revoke_line },
	{ cp_cmd_export, &cp_export_line },
	{ cp_cmd_downloads, &cp_downloads_line },
	{ cp_cmd_sweep, &cp_sweep_line },
	{ cp_cmd_export_password, &cp_export_password_line },
	{ cp_cmd_keygen, &cp_keygen_line },
	{ cp_cmd_publish, &cp_publish_line },
};
#define NCOMMANDS (sizeof(commands) / sizeof(*commands))

struct certpress_args {
	const char *config;
};

static const struct cp_opt opts[] = { CP_OPTS_COMMON(struct certpress_args, config), CP_OPTS_END };
static const struct cp_cmdline line = { "certpress", NULL, opts, "COMMAND [ARGS]", 1,
					CP_OPTS_ANY, CP_OPTS_IN_ORDER };

static void usage(FILE *f, const void *ctx)
{
	(void)ctx;
	cp_opts_synopsis(f, "usage: ", NULL, &line, 80);
	fputs("\ncommands:\n", f);
	for (size_t i = 0; i < NCOMMANDS; i++)
		cp_opts_synopsis(f, "  ", NULL, commands[i].line, 0);
	fputs("\n", f);
	cp_opts_usage(f, opts);
	fputs("\n"
	      "exit: 0 done (verify: the document is valid; --file: genuine); 1 verify:\n"
	      "not valid (not-issued, expired, superseded, revoked or unknown) or not\n"
	      "genuine, show: unknown, search: nothing found, status --stuck: a batch\n"
	      "is stuck; 64 usage; 65 refused (reprint of a revoked or superseded\n"
	      "document, an order while one is open for the document, a results file,\n"
	      "an address set-email cannot record, an export's name or choice, a\n"
	      "printing house's confirmation: nothing recorded); 66 no such\n"
	      "document or learner (order letter: no award on record); 69 the\n"
	      "mail server cannot be reached (run, retry, notify: the batch waits at\n"
	      "notify), or the time-stamp authority; 70 internal error; 73 an output\n"
	      "cannot be created; 74 I/O error (a full disk, a file too large, a broken\n"
	      "pipe); 75 the registry is busy, a batch locked, awaiting approval or\n"
	      "held, a stage killed (retry resumes it; print-orders: the next one), sweep\n"
	      "left a batch or centre being worked on, or another print-orders of the\n"
	      "kind is at work; 78 configuration (including the key file and the\n"
	      "signing key). run and retry: the worst of their batches' codes.\n",
	      f);
}

int main(int argc, char **argv)
{
	struct certpress_args a = { NULL };
	int first, rc;

	cp_cli_init(argv[0]);
	if ((rc = cp_opts_main(&line, argc, argv, &a, &first, usage, NULL)) != CP_OPTS_GO)
		return rc;
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(argv[first], commands[i].line->name))
			return cp_cli_close_stdout(cp_registry_exit(
				commands[i].run(argc - first, argv + first, a.config)));
	cp_error("'%s' is not a certpress command", argv[first]);
	usage(stderr, NULL);
	return CP_EX_USAGE;
}
