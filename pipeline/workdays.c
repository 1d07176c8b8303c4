/* Working-day arithmetic for the receipt due dates, and the due date. */
#include "workdays.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/msg.h"
#include "util/readfile.h"
#include "util/xalloc.h"
#include "util/banned.h"

int cp_holidays_load(struct cp_holidays *h, const char *path)
{
	FILE *f;
	char *line = NULL, *text;
	size_t cap = 0, len;
	long n = 0;
	int rc = 0;

	memset(h, 0, sizeof(*h));
	if (!path)
		return 0;
	/* a FIFO or a device is refused, never waited on; at most 1 MB */
	if (cp_read_text_file(path, "holidays", 1 << 20, &text, &len) < 0)
		return -1;
	if (!(f = fmemopen(text, len ? len : 1, "r"))) {
		free(text);
		return cp_error("%s: cannot read the holidays: %s", path, strerror(errno));
	}
	/* whole lines, however long: a long comment is one line */
	while (getline(&line, &cap, f) >= 0) {
		char *s = line, *e;
		struct cp_date d;

		n++;
		s[strcspn(s, "#\r\n")] = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		for (e = s + strlen(s); e > s && (e[-1] == ' ' || e[-1] == '\t');)
			*--e = '\0';
		if (!*s)
			continue;
		if (!cp_date_parse(s, &d)) {
			cp_holidays_release(h);
			rc = cp_error("%s:%ld: '%s' is not a date (YYYY-MM-DD)", path, n, s);
			break;
		}
		h->d = cp_xrealloc(h->d, (h->n + 1) * sizeof(*h->d));
		h->d[h->n++] = d;
	}
	free(line);
	fclose(f);
	free(text);
	return rc;
}

void cp_holidays_release(struct cp_holidays *h)
{
	free(h->d);
	memset(h, 0, sizeof(*h));
}

int cp_date_weekday(struct cp_date d)
{
	/* Sakamoto's method */
	static const int t[] = { 0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4 };
	int y = d.y - (d.m < 3);

	return (y + y / 4 - y / 100 + y / 400 + t[d.m - 1] + d.d) % 7;
}

struct cp_date cp_date_next_day(struct cp_date d)
{
	if (++d.d > cp_date_days_in_month(d.y, d.m)) {
		d.d = 1;
		if (++d.m > 12) {
			d.m = 1;
			d.y++;
		}
	}
	return d;
}

static int holiday(struct cp_date d, const struct cp_holidays *h)
{
	for (size_t i = 0; h && i < h->n; i++)
		if (!cp_date_cmp(d, h->d[i]))
			return 1;
	return 0;
}

struct cp_date cp_workdays_add(struct cp_date start, int n, const struct cp_holidays *h)
{
	struct cp_date d = start;

	while (n > 0) {
		int w;

		d = cp_date_next_day(d);
		w = cp_date_weekday(d);
		if (w != 0 && w != 6 && !holiday(d, h))
			n--;
	}
	return d;
}

int cp_receipt_due(const struct cp_conf *conf, const char *created, char due[11])
{
	struct cp_holidays h;
	struct cp_date from;
	char day[11];

	snprintf(day, sizeof(day), "%.10s", created ? created : "");
	if (!cp_date_parse(day, &from))
		return cp_error("'%s' is not a date to count a receipt's working days from", day);
	if (cp_holidays_load(&h, conf->holidays) < 0)
		return -1;
	cp_date_format(cp_workdays_add(from, (int)conf->receipt_days, &h), due);
	cp_holidays_release(&h);
	return 0;
}
