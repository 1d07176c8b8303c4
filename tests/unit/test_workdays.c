/* Working days (certpress/workdays.c), for a receipt's due date: weekends
 * and the holidays file's dates skipped; the file read with comments and
 * blank lines, and a bad line refused with its file and line. */
#include "unit.h"

#include <string.h>

#include "workdays.h"

static char dir[] = "/tmp/cp-workdays-XXXXXX";

static int setup(void **state)
{
	(void)state;
	return unit_dir_make(dir);
}

static int teardown(void **state)
{
	(void)state;
	return unit_dir_remove(dir);
}

static struct cp_date d(const char *s)
{
	struct cp_date out = { 0, 0, 0 };

	assert_true(cp_date_parse(s, &out));
	return out;
}

static const char *fmt(struct cp_date x)
{
	static char buf[4][11];
	static int i;

	i = (i + 1) % 4;
	return cp_date_format(x, buf[i]);
}

/* A holidays file of this text; its path. */
static const char *holidays_file(const char *name, const char *text)
{
	return unit_file(dir, name, text);
}

/* Load a holidays file; its messages in *msgs (caller frees). */
static int load(struct cp_holidays *h, const char *path, char **msgs)
{
	int saved = unit_capture();
	int rc = cp_holidays_load(h, path);

	*msgs = unit_captured(saved);
	return rc;
}

static void weekdays(void **state)
{
	(void)state;
	assert_int_equal(cp_date_weekday(d("2026-11-23")), 1); /* Monday */
	assert_int_equal(cp_date_weekday(d("2026-11-27")), 5);
	assert_int_equal(cp_date_weekday(d("2026-11-28")), 6);
	assert_int_equal(cp_date_weekday(d("2026-11-29")), 0);
	assert_int_equal(cp_date_weekday(d("2000-01-01")), 6);
	assert_int_equal(cp_date_weekday(d("2024-02-29")), 4);
	assert_int_equal(cp_date_weekday(d("2100-03-01")), 1);
	assert_int_equal(cp_date_weekday(d("1900-01-01")), 1);
	/* every day of four years, one after another: the week goes round */
	{
		struct cp_date x = d("2024-01-01");
		int w = cp_date_weekday(x);

		for (int i = 0; i < 4 * 366; i++) {
			x = cp_date_next_day(x);
			w = (w + 1) % 7;
			assert_int_equal(cp_date_weekday(x), w);
		}
		assert_string_equal(fmt(x), "2028-01-04");
	}
}

static void next_days(void **state)
{
	(void)state;
	assert_string_equal(fmt(cp_date_next_day(d("2026-11-30"))), "2026-12-01");
	assert_string_equal(fmt(cp_date_next_day(d("2026-12-31"))), "2027-01-01");
	assert_string_equal(fmt(cp_date_next_day(d("2024-02-28"))), "2024-02-29");
	assert_string_equal(fmt(cp_date_next_day(d("2023-02-28"))), "2023-03-01");
	assert_string_equal(fmt(cp_date_next_day(d("2100-02-28"))), "2100-03-01");
}

static void weekends_are_skipped(void **state)
{
	(void)state;
	/* Monday + 1 is Tuesday; Friday + 1 is the Monday after */
	assert_string_equal(fmt(cp_workdays_add(d("2026-11-23"), 1, NULL)), "2026-11-24");
	assert_string_equal(fmt(cp_workdays_add(d("2026-11-27"), 1, NULL)), "2026-11-30");
	/* a week of working days is a week */
	assert_string_equal(fmt(cp_workdays_add(d("2026-11-23"), 5, NULL)), "2026-11-30");
	/* ten from a Monday: the Monday two weeks on */
	assert_string_equal(fmt(cp_workdays_add(d("2026-11-23"), 10, NULL)), "2026-12-07");
	/* from a weekend: the start does not count */
	assert_string_equal(fmt(cp_workdays_add(d("2026-11-28"), 1, NULL)), "2026-11-30");
	assert_string_equal(fmt(cp_workdays_add(d("2026-11-29"), 1, NULL)), "2026-11-30");
	/* none: the start itself */
	assert_string_equal(fmt(cp_workdays_add(d("2026-11-28"), 0, NULL)), "2026-11-28");
	/* across the year */
	assert_string_equal(fmt(cp_workdays_add(d("2026-12-31"), 2, NULL)), "2027-01-04");
	/* never a Saturday or Sunday, whatever the start and the count */
	for (struct cp_date x = d("2026-01-01"); cp_date_cmp(x, d("2026-03-01")) < 0;
	     x = cp_date_next_day(x))
		for (int n = 1; n < 30; n++) {
			int w = cp_date_weekday(cp_workdays_add(x, n, NULL));

			assert_true(w != 0 && w != 6);
		}
}

static void holidays_are_skipped(void **state)
{
	struct cp_holidays h;
	char *msgs;

	(void)state;
	assert_int_equal(load(&h, holidays_file("uk", "# England and Wales, 2026\n"
							"2026-12-25   # Christmas Day\n"
							"\n"
							"  2026-12-28\t\n"
							"2027-01-01\r\n"
							"2026-11-28\n"), &msgs), 0);
	assert_string_equal(msgs, "");
	free(msgs);
	assert_int_equal(h.n, 4);
	/* Thursday 24th + 1: Friday 25th and Monday 28th are holidays */
	assert_string_equal(fmt(cp_workdays_add(d("2026-12-24"), 1, &h)), "2026-12-29");
	/* ten working days from 2026-12-21: 22 23 24 29 30 31, 4 5 6 7 */
	assert_string_equal(fmt(cp_workdays_add(d("2026-12-21"), 10, &h)), "2027-01-07");
	/* a holiday on a Saturday takes nothing more */
	assert_string_equal(fmt(cp_workdays_add(d("2026-11-27"), 1, &h)), "2026-11-30");
	/* the start being a holiday does not matter */
	assert_string_equal(fmt(cp_workdays_add(d("2026-12-25"), 1, &h)), "2026-12-29");
	cp_holidays_release(&h);
	assert_int_equal(h.n, 0);
	/* no file: none */
	assert_int_equal(cp_holidays_load(&h, NULL), 0);
	assert_int_equal(h.n, 0);
	assert_string_equal(fmt(cp_workdays_add(d("2026-12-24"), 1, &h)), "2026-12-25");
	/* an empty file, or comments only: none */
	assert_int_equal(load(&h, holidays_file("empty", "# none this year\n\n"), &msgs), 0);
	free(msgs);
	assert_int_equal(h.n, 0);
}

static void bad_lines_are_refused_with_their_line(void **state)
{
	struct cp_holidays h;
	const char *path;
	char *msgs, want[256];

	(void)state;
	path = holidays_file("bad", "2026-12-25\n# a comment\n\n2026-12-32\n2027-01-01\n");
	assert_int_equal(load(&h, path, &msgs), -1);
	snprintf(want, sizeof(want), "%s:4: '2026-12-32' is not a date (YYYY-MM-DD)", path);
	assert_non_null(strstr(msgs, want));
	free(msgs);
	assert_int_equal(h.n, 0);
	assert_null(h.d);

	path = holidays_file("words", "2026-12-25 2026-12-26\n");
	assert_int_equal(load(&h, path, &msgs), -1);
	assert_non_null(strstr(msgs, "words:1: '2026-12-25 2026-12-26' is not a date"));
	free(msgs);

	path = holidays_file("us", "12/25/2026\n");
	assert_int_equal(load(&h, path, &msgs), -1);
	assert_non_null(strstr(msgs, "us:1: '12/25/2026' is not a date"));
	free(msgs);

	path = holidays_file("none", "");
	unlink(path);
	assert_int_equal(load(&h, path, &msgs), -1);
	assert_non_null(strstr(msgs, "none: cannot read the holidays: No such file or directory"));
	free(msgs);
}

/* A long comment is one line: it neither breaks the file nor shifts the
 * line numbers of what follows. */
static void long_lines_are_one_line(void **state)
{
	struct cp_holidays h;
	char words[1400] = "", text[3072], *msgs, want[256];
	const char *path;

	(void)state;
	for (int i = 0; i < 100; i++)
		strcat(words, "bank holiday ");
	snprintf(text, sizeof(text), "# %s\n2026-12-25 # %s\n2026-12-26\nsoon\n", words, words);
	path = holidays_file("long", text);
	assert_int_equal(load(&h, path, &msgs), -1);
	snprintf(want, sizeof(want), "%s:4: 'soon' is not a date (YYYY-MM-DD)", path);
	if (!strstr(msgs, want))
		fail_msg("want '%s', got: %s", want, msgs);
	free(msgs);
	/* without the bad line: both dates */
	strcpy(strstr(text, "soon"), "");
	path = holidays_file("long", text);
	assert_int_equal(load(&h, path, &msgs), 0);
	free(msgs);
	assert_int_equal(h.n, 2);
	cp_holidays_release(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(weekdays),
		cmocka_unit_test(next_days),
		cmocka_unit_test(weekends_are_skipped),
		cmocka_unit_test(holidays_are_skipped),
		cmocka_unit_test(bad_lines_are_refused_with_their_line),
		cmocka_unit_test(long_lines_are_one_line),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
