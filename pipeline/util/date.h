/* Calendar dates as the results file writes them (YYYY-MM-DD), checked to
 * be real, and the arithmetic the rules need. "Today" can be pinned for
 * tests with CERTPRESS_TODAY=YYYY-MM-DD. */
#ifndef CP_DATE_H
#define CP_DATE_H

#include <stdbool.h>
#include <time.h>

struct cp_date {
	int y, m, d;
};

/* Parse exactly YYYY-MM-DD and check it is a real date from 1900 to 9999. */
bool cp_date_parse(const char *s, struct cp_date *out);
/* A date as staff type it: YYYY-MM-DD, DD/MM/YYYY (D and M may be one
 * digit), or the centre portal's dd-Month-yyyy ("30-September-1981", the
 * month's English name or its first three letters, any case); a real date
 * from 1900 to 9999. */
bool cp_date_parse_typed(const char *s, struct cp_date *out);
/* Negative, zero or positive as a is before, on or after b. */
int cp_date_cmp(struct cp_date a, struct cp_date b);
/* Whole years from born to on (the age on a date). */
int cp_date_years_between(struct cp_date born, struct cp_date on);
/* The date n months later; the 31st becomes the month's last day. */
struct cp_date cp_date_add_months(struct cp_date d, int n);
/* Writes YYYY-MM-DD into buf (at least 11 bytes). */
char *cp_date_format(struct cp_date d, char *buf);
/* Today in UTC, or CERTPRESS_TODAY when set. */
struct cp_date cp_date_today(void);
/* The current time as UTC "YYYY-MM-DDTHH:MM:SSZ" (buf of 21 bytes or more);
 * the date part follows CERTPRESS_TODAY when set. */
char *cp_time_stamp(char *buf, size_t n);
/* Now, or CERTPRESS_NOW (seconds since the epoch) when set: the test clock
 * for expiry and due dates. */
time_t cp_clock_now(void);
/* The time written into outputs (the dates in a PDF): CERTPRESS_NOW, else
 * SOURCE_DATE_EPOCH (reproducible-builds.org: the same inputs and clock,
 * the same bytes), else now. Expiry, due dates and sweeps follow
 * cp_clock_now, which never takes SOURCE_DATE_EPOCH. */
time_t cp_clock_output(void);
/* t as UTC "YYYY-MM-DDTHH:MM:SSZ" (buf of 21 bytes or more). */
char *cp_utc_stamp(time_t t, char *buf, size_t n);
bool cp_date_is_leap(int y);
int cp_date_days_in_month(int y, int m);

#endif
