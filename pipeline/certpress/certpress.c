/* certpress: the operator's command. Its own subcommands are a table, as in
 * git.c; the stages run as separate certpress-STAGE programs. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "cli.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/banned.h"

static const struct cp_cmd commands[] = {
	{ "run", cp_cmd_run, "run [--json] [FILE...]" },
	{ "retry", cp_cmd_retry, "retry [--from STAGE] BATCH" },
	{ "status", cp_cmd_status, "status [--json] [--receipts | --stuck] [BATCH]" },
	{ "receipt", cp_cmd_receipt, "receipt BATCH CENTRE [--by NAME]" },
	{ "verify", cp_cmd_verify, "verify [--json] REF" },
	{ "show", cp_cmd_show, "show [--json] REF" },
	{ "search", cp_cmd_search, "search [--json] [--reference R] [--candidate N] "
				   "[--enrolment N] [--first-name S] [--last-name S] "
				   "[--dob YYYY-MM-DD]" },
	{ "reprint", cp_cmd_reprint, "reprint REF --reason TEXT [--by USER] [--delivery METHOD]\n"
				     "          [--address TEXT]" },
	{ "order", cp_cmd_order, "order reprint REF --reason TEXT --by USER [--delivery METHOD]\n"
				 "          [--address TEXT]\n"
				 "  order letter ENROLMENT --by USER [--reason TEXT] [--delivery METHOD]\n"
				 "          [--address TEXT]" },
	{ "orders", cp_cmd_orders, "orders [--json] [--enrolment N] [--centre C] [--state S]" },
	{ "print-batches", cp_cmd_print_batches, "print-batches [--json]" },
	{ "printed", cp_cmd_printed, "printed FILE" },
	{ "revoke", cp_cmd_revoke, "revoke REF [--award] [--in-error] --reason TEXT" },
	{ "sweep", cp_cmd_sweep, "sweep" },
	{ "export-password", cp_cmd_export_password, "export-password CENTRE [--generate]" },
	{ "keygen", cp_cmd_keygen, "keygen [--publish]" },
	{ "publish", cp_cmd_publish, "publish [DIR]" },
};
#define NCOMMANDS (sizeof(commands) / sizeof(*commands))

static void usage(FILE *f)
{
	fputs("usage: certpress [-c FILE] [-q] COMMAND [ARGS]\n\ncommands:\n", f);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %s\n", commands[i].synopsis);
	fputs("\n"
	      "  -c, --config FILE  configuration file\n"
	      "  -q, --quiet        report errors only\n"
	      "  -h, --help         this text\n"
	      "  -V, --version      the version\n"
	      "\n"
	      "exit: 0 done (verify: the document is valid); 1 verify: not valid\n"
	      "(not-issued, expired, superseded, revoked or unknown), show: unknown,\n"
	      "search: nothing found, status --stuck: a batch is stuck; 64 usage; 65\n"
	      "refused (reprint of a revoked or superseded document, an order while\n"
	      "one is open for the document, a results file, a printing house's\n"
	      "confirmation: nothing recorded); 66 no such document\n"
	      "(order letter: no award on record); 69 the mail server cannot be\n"
	      "reached (run, retry: the batch waits at notify); 70 internal error; 73\n"
	      "an output cannot be created; 74 I/O error (a full disk, a file too\n"
	      "large, a broken pipe);\n"
	      "75 the registry is busy, a batch locked, a stage killed (retry resumes\n"
	      "it), or sweep left a batch being worked on; 78 configuration (including\n"
	      "the key file). run and retry: the worst of their batches' codes.\n",
	      f);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL;
	int c;

	cp_cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "+c:qhV", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config = optarg;
			break;
		case 'q':
			cp_msg_set_level(CP_ERROR);
			break;
		case 'h':
			usage(stdout);
			return CP_EX_OK;
		case 'V':
			cp_cli_version();
			return CP_EX_OK;
		default:
			usage(stderr);
			return CP_EX_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return CP_EX_USAGE;
	}
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(argv[optind], commands[i].name))
			return cp_cli_close_stdout(commands[i].run(argc - optind, argv + optind,
								   config));
	cp_error("'%s' is not a certpress command", argv[optind]);
	usage(stderr);
	return CP_EX_USAGE;
}
