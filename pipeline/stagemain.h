/* The main() that every stage shares: program name, fds 0-2, getopt_long
 * for -c/-q/-h/-V, exactly one operand, the configuration, then the stage's
 * run function. Usage errors exit 64, configuration errors 78. */
#ifndef CP_STAGEMAIN_H
#define CP_STAGEMAIN_H

#include <stdio.h>

#include "conf.h"

typedef int (*cp_stage_fn)(const struct cp_conf *conf, const char *operand, FILE *out);

int cp_stage_main(int argc, char **argv, const char *usage, cp_stage_fn run);

#endif
