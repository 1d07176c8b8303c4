/* Terminal progress: redrawn at most four times a second. */
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "banned.h"

double cp_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cp_progress_start(struct cp_progress *p, const char *what, const char *unit, long total)
{
	p->what = what;
	p->unit = unit;
	p->done = 0;
	p->total = total;
	p->start = p->last = cp_now();
	p->tty = isatty(STDERR_FILENO);
	p->shown = false;
}

void cp_progress_tick(struct cp_progress *p, long n)
{
	double now, rate;

	p->done += n;
	if (!p->tty)
		return;
	now = cp_now();
	if (now - p->last < 0.25)
		return;
	p->last = now;
	rate = p->done / (now - p->start > 0 ? now - p->start : 1);
	if (p->total > 0)
		fprintf(stderr, "\r%s: %ld of %ld %s (%.0f/s, %.0f s left)  ", p->what, p->done,
			p->total, p->unit, rate, rate > 0 ? (p->total - p->done) / rate : 0.0);
	else
		fprintf(stderr, "\r%s: %ld %s (%.0f/s)  ", p->what, p->done, p->unit, rate);
	p->shown = true;
}

void cp_progress_end(struct cp_progress *p)
{
	if (p->shown)
		fprintf(stderr, "\r\033[K");
	p->shown = false;
}
