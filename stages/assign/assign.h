/* The assign stage: every accepted learner's award and documents recorded in
 * the registry with their references, then assigned.xml. */
#ifndef CP_STAGE_ASSIGN_H
#define CP_STAGE_ASSIGN_H

#include <stdio.h>

#include "conf.h"

/* Assign references for the batch given by id or folder; prints
 * "BATCH FOLDER" on out. Returns a sysexits code. */
int cp_assign_run(const struct cp_conf *conf, const char *batch_arg, FILE *out);

#endif
