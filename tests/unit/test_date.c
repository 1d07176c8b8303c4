#include "unit.h"

#include <stdlib.h>

#include "util/date.h"

static struct cp_date d(const char *s)
{
	struct cp_date out = { 0, 0, 0 };

	assert_true(cp_date_parse(s, &out));
	return out;
}

static void parses_only_real_dates(void **state)
{
	struct cp_date x;

	(void)state;
	assert_true(cp_date_parse("2024-02-29", &x));
	assert_false(cp_date_parse("2023-02-29", &x));
	assert_false(cp_date_parse("1900-02-29", &x));
	assert_true(cp_date_parse("2000-02-29", &x));
	assert_false(cp_date_parse("2026-11-31", &x));
	assert_false(cp_date_parse("2026-13-01", &x));
	assert_false(cp_date_parse("2026-00-10", &x));
	assert_false(cp_date_parse("2026-1-10", &x));
	assert_false(cp_date_parse("19/05/1999", &x));
	assert_false(cp_date_parse("2026-11-01Z", &x));
	assert_false(cp_date_parse("1899-12-31", &x));
	assert_false(cp_date_parse("", &x));
}

static void compares(void **state)
{
	(void)state;
	assert_true(cp_date_cmp(d("2026-01-10"), d("2026-01-11")) < 0);
	assert_true(cp_date_cmp(d("2026-02-01"), d("2026-01-31")) > 0);
	assert_int_equal(cp_date_cmp(d("2026-02-01"), d("2026-02-01")), 0);
}

static void age_turns_on_the_birthday(void **state)
{
	(void)state;
	assert_int_equal(cp_date_years_between(d("2010-11-02"), d("2026-11-01")), 15);
	assert_int_equal(cp_date_years_between(d("2010-11-01"), d("2026-11-01")), 16);
	assert_int_equal(cp_date_years_between(d("2008-02-29"), d("2024-02-28")), 15);
	assert_int_equal(cp_date_years_between(d("2008-02-29"), d("2024-02-29")), 16);
}

static void adds_months_clamping_the_day(void **state)
{
	char buf[11];

	(void)state;
	assert_string_equal(cp_date_format(cp_date_add_months(d("2026-11-01"), 36), buf), "2029-11-01");
	assert_string_equal(cp_date_format(cp_date_add_months(d("2026-01-31"), 1), buf), "2026-02-28");
	assert_string_equal(cp_date_format(cp_date_add_months(d("2027-12-31"), 2), buf), "2028-02-29");
	assert_string_equal(cp_date_format(cp_date_add_months(d("2026-12-15"), 1), buf), "2027-01-15");
}

static void today_can_be_pinned(void **state)
{
	char buf[11];

	(void)state;
	setenv("CERTPRESS_TODAY", "2030-01-02", 1);
	assert_string_equal(cp_date_format(cp_date_today(), buf), "2030-01-02");
	unsetenv("CERTPRESS_TODAY");
}

/* The dates in outputs: CERTPRESS_NOW, else SOURCE_DATE_EPOCH, else now;
 * the clock for expiry never takes SOURCE_DATE_EPOCH. */
static void output_clock_can_be_pinned(void **state)
{
	time_t before = time(NULL);

	(void)state;
	unsetenv("CERTPRESS_NOW");
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	assert_int_equal(cp_clock_output(), 1700000000);
	assert_true(cp_clock_now() >= before);
	setenv("CERTPRESS_NOW", "1800000000", 1);
	assert_int_equal(cp_clock_output(), 1800000000);
	assert_int_equal(cp_clock_now(), 1800000000);
	setenv("SOURCE_DATE_EPOCH", "soon", 1);
	unsetenv("CERTPRESS_NOW");
	assert_true(cp_clock_output() >= before);
	unsetenv("SOURCE_DATE_EPOCH");
	assert_true(cp_clock_output() >= before);
}

static void parses_dates_as_staff_type_them(void **state)
{
	static const char *const same[] = { "1981-09-30", "30/09/1981", "30/9/1981",
					    "30-September-1981", "30-SEPTEMBER-1981", "30-sep-1981" };
	static const char *const bad[] = { "31/02/1999", "30-Septembre-1981", "30-Sep-81",
					   "13/13/2000", "1/1/1899", "30/09/1981x", "-September-1981",
					   "30--1981", "300/09/1981", "" };
	struct cp_date got;

	(void)state;
	for (size_t i = 0; i < sizeof(same) / sizeof(*same); i++) {
		assert_true(cp_date_parse_typed(same[i], &got));
		assert_int_equal(cp_date_cmp(got, d("1981-09-30")), 0);
	}
	assert_true(cp_date_parse_typed("29/02/2024", &got));
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_false(cp_date_parse_typed(bad[i], &got));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_only_real_dates),
		cmocka_unit_test(compares),
		cmocka_unit_test(age_turns_on_the_birthday),
		cmocka_unit_test(adds_months_clamping_the_day),
		cmocka_unit_test(today_can_be_pinned),
		cmocka_unit_test(output_clock_can_be_pinned),
		cmocka_unit_test(parses_dates_as_staff_type_them),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
