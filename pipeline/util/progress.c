/* Terminal progress: redrawn at most four times a second, each frame one
 * write(2), so frames drawn by different processes never mix. */
#include "util/progress.h"

#include <stdatomic.h>
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "util/banned.h"

#define EVERY_MS 250

/* Lives in a page every process of the work maps; lock-free atomics are
 * address-free, so they work across processes. */
struct cp_progress_shared {
	atomic_long done;
	atomic_long drawn_ms; /* when a frame was last drawn, ms after start */
	atomic_bool shown;
};

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
	p->shared = NULL;
}

int cp_progress_share(struct cp_progress *p)
{
	struct cp_progress_shared *s;

	if (!p->tty || p->shared)
		return 0;
	s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (s == MAP_FAILED)
		return -1;
	atomic_init(&s->done, p->done);
	atomic_init(&s->drawn_ms, 0);
	atomic_init(&s->shown, false);
	p->shared = s;
	return 0;
}

static void draw(struct cp_progress *p, long done, double now, bool last)
{
	double secs = now - p->start, rate = done / (secs > 0 ? secs : 1);
	char line[256];
	int n;

	if (last && p->total > 0)
		n = snprintf(line, sizeof(line), "\r%s: %ld of %ld %s in %.1f s (%.0f/s)\033[K\n",
			     p->what, done, p->total, p->unit, secs, rate);
	else if (last)
		n = snprintf(line, sizeof(line), "\r%s: %ld %s in %.1f s (%.0f/s)\033[K\n", p->what,
			     done, p->unit, secs, rate);
	else if (p->total > 0)
		n = snprintf(line, sizeof(line), "\r%s: %ld of %ld %s (%.0f/s, %.0f s left)\033[K",
			     p->what, done, p->total, p->unit, rate,
			     rate > 0 ? (p->total - done) / rate : 0.0);
	else
		n = snprintf(line, sizeof(line), "\r%s: %ld %s (%.0f/s)\033[K", p->what, done,
			     p->unit, rate);
	if (n >= (int)sizeof(line))
		n = (int)sizeof(line) - 1;
	if (n > 0 && write(STDERR_FILENO, line, (size_t)n) > 0) {
		p->shown = true;
		if (p->shared)
			atomic_store(&p->shared->shown, true);
	}
}

/* A frame is due a quarter of a second after the last one, drawn by any of
 * the processes: the one that claims the time draws it. */
static bool due(struct cp_progress *p, double now)
{
	long ms, last;

	if (!p->shared) {
		if (now - p->last < EVERY_MS / 1000.0)
			return false;
		p->last = now;
		return true;
	}
	ms = (long)((now - p->start) * 1000);
	last = atomic_load(&p->shared->drawn_ms);
	return ms - last >= EVERY_MS &&
	       atomic_compare_exchange_strong(&p->shared->drawn_ms, &last, ms);
}

void cp_progress_tick(struct cp_progress *p, long n)
{
	long done = p->shared ? atomic_fetch_add(&p->shared->done, n) + n : (p->done += n);
	double now;

	if (!p->tty)
		return;
	now = cp_now();
	/* the count as it is when drawn: a process held up since it added
	 * must not draw a smaller count than the frame before */
	if (due(p, now))
		draw(p, p->shared ? atomic_load(&p->shared->done) : done, now, false);
}

void cp_progress_end(struct cp_progress *p)
{
	long done = p->shared ? atomic_load(&p->shared->done) : p->done;

	if (p->shared ? atomic_load(&p->shared->shown) : p->shown)
		draw(p, done, cp_now(), true);
	if (p->shared)
		munmap(p->shared, sizeof(*p->shared));
	p->shared = NULL;
	p->shown = false;
}
