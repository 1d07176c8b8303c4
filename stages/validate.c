/* certpress-validate: make a batch from one results file. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "../pipeline/cli.h"
#include "../pipeline/conf.h"
#include "../pipeline/exitcode.h"
#include "../pipeline/msg.h"
#include "validate/validate.h"
#include "../pipeline/banned.h"

static const char usage[] =
	"usage: certpress-validate [-c FILE] RESULTS.xml | BATCH\n"
	"\n"
	"Check a results file against the schema and the catalogue and make a batch\n"
	"of it: every learner is accepted, rejected (with every reason) or held.\n"
	"Prints \"BATCH FOLDER\". Given a batch id or folder, validate that batch\n"
	"again if it is not done. A file in the spool's inbox is moved into its\n"
	"batch; any other file is copied.\n"
	"\n"
	"  -c, --config FILE  configuration file\n"
	"  -q, --quiet        report errors only\n"
	"  -h, --help         this text\n"
	"  -V, --version      the version\n"
	"\n"
	"exit: 0 done (rejected and held learners are reported, not failures),\n"
	"64 usage, 65 the file is unusable as a whole (moved to spool/failed/),\n"
	"66 an input is missing, 70 internal error, 73 an output cannot be created,\n"
	"74 I/O error, 75 the batch is locked by another process, 78 configuration.\n";

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
	struct cp_conf conf;
	int c, rc;

	cp_cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "c:qhV", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config = optarg;
			break;
		case 'q':
			cp_msg_set_level(CP_ERROR);
			break;
		case 'h':
			fputs(usage, stdout);
			return CP_EX_OK;
		case 'V':
			cp_cli_version();
			return CP_EX_OK;
		default:
			fputs(usage, stderr);
			return CP_EX_USAGE;
		}
	}
	if (argc - optind != 1) {
		fputs(usage, stderr);
		return CP_EX_USAGE;
	}
	if (cp_conf_load(&conf, config) < 0)
		return CP_EX_CONFIG;
	rc = cp_validate_run(&conf, argv[optind], stdout);
	cp_conf_release(&conf);
	return rc;
}
