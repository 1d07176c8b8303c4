/* Working days for due dates: weekends and the dates in a holidays file
 * (one YYYY-MM-DD a line; '#' starts a comment) are not working days. */
#ifndef CP_WORKDAYS_H
#define CP_WORKDAYS_H

#include <stddef.h>

#include "util/date.h"

struct cp_holidays {
	struct cp_date *d;
	size_t n;
};

/* Read path (NULL: no holidays). -1 with "FILE:LINE: reason" on a bad line. */
int cp_holidays_load(struct cp_holidays *h, const char *path);
void cp_holidays_release(struct cp_holidays *h);
/* The date n working days after start (start itself does not count). */
struct cp_date cp_workdays_add(struct cp_date start, int n, const struct cp_holidays *h);
/* 0 Sunday ... 6 Saturday. */
int cp_date_weekday(struct cp_date d);
struct cp_date cp_date_next_day(struct cp_date d);

#endif
