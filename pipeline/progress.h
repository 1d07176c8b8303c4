/* A progress line on stderr for long work, only when stderr is a terminal
 * (quiet under cron): "validate: 12,345 learners (24,000/s)". */
#ifndef CP_PROGRESS_H
#define CP_PROGRESS_H

#include <stdbool.h>

struct cp_progress {
	const char *what, *unit;
	long done, total; /* total 0: unknown */
	double start, last;
	bool tty, shown;
};

void cp_progress_start(struct cp_progress *p, const char *what, const char *unit, long total);
void cp_progress_tick(struct cp_progress *p, long n);
/* Erase the line. */
void cp_progress_end(struct cp_progress *p);
/* Seconds since an arbitrary point, monotonic. */
double cp_now(void);

#endif
