/* The summary certpress run prints at the end: each batch with its outcome
 * and counts, the totals, and the time spent in each stage. */
#ifndef CP_CMD_SUMMARY_H
#define CP_CMD_SUMMARY_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "registry.h"
#include "spool.h"
#include "stage.h"

struct cp_summary {
	char (*batch)[CP_BATCH_ID_MAX];
	int *code;
	size_t n;
	double seconds[CP_NSTAGES]; /* time in each stage */
};

void cp_summary_start(struct cp_summary *s);
/* The time since t0 (CLOCK_MONOTONIC) added to stage's; nothing if s is
 * NULL. */
void cp_summary_time(struct cp_summary *s, int stage, const struct timespec *t0);
void cp_summary_add(struct cp_summary *s, const char *batch, int code);
void cp_summary_print(const struct cp_summary *s, struct cp_registry *reg, bool json, FILE *f);
void cp_summary_release(struct cp_summary *s);
/* A batch's counts as JSON members ("accepted":N,... "emails_failed":N),
 * as the summary and status print them. */
void cp_summary_json_counts(FILE *f, const struct cp_batch_counts *c);

#endif
