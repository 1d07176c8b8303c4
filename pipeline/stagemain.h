/* The main() that every stage shares: program name, fds 0-2, the options
 * every stage has (-c/-q/-h/-V: CP_OPTS_COMMON, opts.h), exactly one
 * operand, the configuration, then the stage's run function. Usage errors
 * exit 64, configuration errors 78. */
#ifndef CP_STAGEMAIN_H
#define CP_STAGEMAIN_H

#include <stdio.h>

#include "conf.h"

typedef int (*cp_stage_fn)(const struct cp_conf *conf, const char *operand, FILE *out);

/* A stage program: its usage text is "usage: NAME [-c FILE] [-q] OPERAND"
 * (from the option table), about, the options, exits. */
struct cp_stage_cli {
	const char *name;    /* "certpress-assign" */
	const char *operand; /* "BATCH" */
	const char *about;   /* what the stage does, after the usage line */
	const char *exits;   /* its exit codes */
	cp_stage_fn run;
};

int cp_stage_main(int argc, char **argv, const struct cp_stage_cli *cli);

#endif
