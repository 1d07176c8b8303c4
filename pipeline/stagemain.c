/* Shared start of every stage executable. */
#include "stagemain.h"

#include <getopt.h>

#include "cli.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/banned.h"

static void usage(FILE *f, const char *about, const char *exits)
{
	fprintf(f, "%s\n"
		   "  -c, --config FILE  configuration file\n"
		   "  -q, --quiet        report errors only\n"
		   "  -h, --help         this text\n"
		   "  -V, --version      the version\n"
		   "\n%s", about, exits);
}

int cp_stage_main(int argc, char **argv, const char *about, const char *exits, cp_stage_fn run)
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
	cp_cli_ignore_pipe_signals();
	while ((c = getopt_long(argc, argv, "c:qhV", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config = optarg;
			break;
		case 'q':
			cp_msg_set_level(CP_ERROR);
			break;
		case 'h':
			usage(stdout, about, exits);
			return CP_EX_OK;
		case 'V':
			cp_cli_version();
			return CP_EX_OK;
		default:
			usage(stderr, about, exits);
			return CP_EX_USAGE;
		}
	}
	if (argc - optind != 1) {
		usage(stderr, about, exits);
		return CP_EX_USAGE;
	}
	if (cp_conf_load(&conf, config) < 0)
		return CP_EX_CONFIG;
	rc = run(&conf, argv[optind], stdout);
	cp_conf_release(&conf);
	return cp_cli_close_stdout(rc);
}
