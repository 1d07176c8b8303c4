/* Working days for due dates: weekends and the dates in a holidays file
 * (one YYYY-MM-DD a line; '#' starts a comment) are not working days. The
 * receipt due date of an export, which pack's Certification Report,
 * notify's centre email and status --receipts all state, is here once. */
#ifndef CP_WORKDAYS_H
#define CP_WORKDAYS_H

#include <stddef.h>

#include "conf.h"
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

/* When a centre's receipt of an export made at created (a stamp that
 * starts YYYY-MM-DD) is due: [export] receipt-days working days later
 * (the holidays file read each time). 0 and due as YYYY-MM-DD, or -1 with
 * a message (the holidays file, a created that is not a date). */
int cp_receipt_due(const struct cp_conf *conf, const char *created, char due[11]);

#endif
