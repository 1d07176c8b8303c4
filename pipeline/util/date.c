/* Strict ISO 8601 calendar dates and the few operations on them. */
#include "util/date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/banned.h"

bool cp_date_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int cp_date_days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && cp_date_is_leap(y) ? 29 : days[m - 1];
}

static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool cp_date_parse(const char *s, struct cp_date *out)
{
	struct cp_date d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	d.y = digits(s, 4);
	d.m = digits(s + 5, 2);
	d.d = digits(s + 8, 2);
	if (d.y < 1900 || d.m < 1 || d.m > 12 || d.d < 1 ||
	    d.d > cp_date_days_in_month(d.y, d.m))
		return false;
	*out = d;
	return true;
}

static bool real(struct cp_date d)
{
	return d.y >= 1900 && d.y <= 9999 && d.m >= 1 && d.m <= 12 && d.d >= 1 &&
	       d.d <= cp_date_days_in_month(d.y, d.m);
}

/* 1 to 31 (one or two digits) followed by sep; the number, or -1. */
static int small(const char **s, char sep)
{
	int n = 0, k = 0;

	while (**s >= '0' && **s <= '9' && k < 2) {
		n = n * 10 + (*(*s)++ - '0');
		k++;
	}
	if (!k || **s != sep)
		return -1;
	(*s)++;
	return n;
}

static int month_named(const char *s, size_t n)
{
	static const char *const names[] = { "january", "february", "march", "april", "may",
					     "june", "july", "august", "september", "october",
					     "november", "december" };

	for (int m = 0; m < 12; m++)
		if ((n == 3 || n == strlen(names[m])) && !strncasecmp(s, names[m], n))
			return m + 1;
	return -1;
}

bool cp_date_parse_typed(const char *s, struct cp_date *out)
{
	struct cp_date d = { 0, 0, 0 };
	const char *p = s, *dash;

	if (cp_date_parse(s, out))
		return true;
	if (strchr(s, '/')) {
		if ((d.d = small(&p, '/')) < 0 || (d.m = small(&p, '/')) < 0)
			return false;
	} else {
		if ((d.d = small(&p, '-')) < 0 || !(dash = strchr(p, '-')) ||
		    (d.m = month_named(p, (size_t)(dash - p))) < 0)
			return false;
		p = dash + 1;
	}
	if (strlen(p) != 4 || strspn(p, "0123456789") != 4)
		return false;
	d.y = digits(p, 4);
	if (!real(d))
		return false;
	*out = d;
	return true;
}

int cp_date_cmp(struct cp_date a, struct cp_date b)
{
	if (a.y != b.y)
		return a.y < b.y ? -1 : 1;
	if (a.m != b.m)
		return a.m < b.m ? -1 : 1;
	if (a.d != b.d)
		return a.d < b.d ? -1 : 1;
	return 0;
}

int cp_date_years_between(struct cp_date born, struct cp_date on)
{
	int years = on.y - born.y;

	if (on.m < born.m || (on.m == born.m && on.d < born.d))
		years--;
	return years;
}

struct cp_date cp_date_add_months(struct cp_date d, int n)
{
	int months = d.y * 12 + (d.m - 1) + n;
	int last;

	d.y = months / 12;
	d.m = months % 12 + 1;
	last = cp_date_days_in_month(d.y, d.m);
	if (d.d > last)
		d.d = last;
	return d;
}

char *cp_date_format(struct cp_date d, char *buf)
{
	snprintf(buf, 11, "%04u-%02u-%02u", (unsigned)d.y % 10000, (unsigned)d.m % 100,
		 (unsigned)d.d % 100);
	return buf;
}

struct cp_date cp_date_today(void)
{
	const char *pin = getenv("CERTPRESS_TODAY");
	struct cp_date d;
	struct tm tm;
	time_t now;

	if (pin && cp_date_parse(pin, &d))
		return d;
	now = time(NULL);
	gmtime_r(&now, &tm);
	d.y = tm.tm_year + 1900;
	d.m = tm.tm_mon + 1;
	d.d = tm.tm_mday;
	return d;
}

/* A clock pinned by the environment variable: seconds since the epoch, or
 * -1 if it is not set or not a number. */
static time_t pinned(const char *var)
{
	const char *pin = getenv(var);
	char *end;
	long long t;

	if (pin && *pin) {
		t = strtoll(pin, &end, 10);
		if (!*end && t > 0)
			return (time_t)t;
	}
	return -1;
}

time_t cp_clock_now(void)
{
	time_t t = pinned("CERTPRESS_NOW");

	return t >= 0 ? t : time(NULL);
}

time_t cp_clock_output(void)
{
	time_t t = pinned("CERTPRESS_NOW");

	if (t < 0)
		t = pinned("SOURCE_DATE_EPOCH");
	return t >= 0 ? t : time(NULL);
}

char *cp_utc_stamp(time_t t, char *buf, size_t n)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

char *cp_time_stamp(char *buf, size_t n)
{
	struct cp_date today = cp_date_today();
	time_t now = cp_clock_now();
	struct tm tm;

	gmtime_r(&now, &tm);
	snprintf(buf, n, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)today.y % 10000,
		 (unsigned)today.m % 100, (unsigned)today.d % 100, (unsigned)tm.tm_hour % 100,
		 (unsigned)tm.tm_min % 100, (unsigned)tm.tm_sec % 100);
	return buf;
}
