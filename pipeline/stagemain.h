/* The main() that every stage shares: program name, fds 0-2, the options
 * every stage has (-c/-q/-h/-V: CP_OPTS_COMMON, opts.h), exactly one
 * operand, the configuration, then the stage's run function. Usage errors
 * exit 64, configuration errors 78. */
#ifndef CP_STAGEMAIN_H
#define CP_STAGEMAIN_H

#include <stdio.h>

#include "conf.h"

typedef int (*cp_stage_fn)(const struct cp_conf *conf, const char *operand, FILE *out);

/* about: the usage line and what the stage does; exits: its exit codes.
 * The options every stage has are printed between them. */
int cp_stage_main(int argc, char **argv, const char *about, const char *exits, cp_stage_fn run);

#endif
