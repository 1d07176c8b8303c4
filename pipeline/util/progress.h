/* A progress line on stderr for long work, only when stderr is a terminal
 * (quiet under cron): "validate: 12345 learners (24000/s)". Work shared by
 * several processes (render's workers) counts in one place: the line shows
 * the whole job, whichever process draws it. The last frame stays on the
 * terminal as the job's summary. */
#ifndef CP_PROGRESS_H
#define CP_PROGRESS_H

#include <stdbool.h>

struct cp_progress_shared;

struct cp_progress {
	const char *what, *unit;
	long done, total; /* total 0: unknown */
	double start, last;
	bool tty, shown;
	struct cp_progress_shared *shared; /* NULL: counted by this process alone */
};

void cp_progress_start(struct cp_progress *p, const char *what, const char *unit, long total);
/* Before forking the processes that share the work: from then on each
 * cp_progress_tick, in any of them, adds to one count in memory they all
 * share (a MAP_SHARED page), and at most one of them draws the line each
 * quarter of a second. Nothing to share (and nothing done) unless stderr is
 * a terminal. 0, or -1 if the page cannot be had (then counted alone). */
int cp_progress_share(struct cp_progress *p);
void cp_progress_tick(struct cp_progress *p, long n);
/* The last frame, with the count reached and the time taken, if a line was
 * drawn; then a new line. In shared work only the process that started it
 * ends it, once the others are done. */
void cp_progress_end(struct cp_progress *p);
/* Seconds since an arbitrary point, monotonic. */
double cp_now(void);

#endif
