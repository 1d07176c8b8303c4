/* PDF numbers without printf: the same values printf gives, fewer bytes. */
#include "unit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/pdfnum.h"

static void integers_as_printf(void **state)
{
	static const long v[] = { 0, 1, -1, 9, 10, 99, 100, 65535, -2147483647L, 1234567890123L };
	char got[32], want[32];

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++) {
		size_t n = cp_pdfnum_int(got, v[i]);

		got[n] = '\0';
		snprintf(want, sizeof(want), "%ld", v[i]);
		assert_string_equal(got, want);
	}
}

/* Read back, each value is within half a unit of the last place kept, and
 * no zero ends a fraction. */
static void reals_round_and_drop_zeros(void **state)
{
	static const double v[] = { 0, 0.001, -0.001, 0.5, -0.5, 1.25, 12.345, 841.89, 595.276,
				    -3.14159, 100, 0.999, 0.995, 1e6 + 0.25 };
	char got[32];

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++)
		for (int d = 0; d <= 4; d++) {
			size_t n = cp_pdfnum_real(got, v[i], d);

			got[n] = '\0';
			assert_true(fabs(strtod(got, NULL) - v[i]) <= 0.5 * pow(10, -d) + 1e-9);
			if (strchr(got, '.'))
				assert_true(got[n - 1] != '0' && got[n - 1] != '.');
			assert_string_not_equal(got, "-0");
		}
	assert_int_equal(cp_pdfnum_real(got, 841.89001, 2), 6);
	assert_memory_equal(got, "841.89", 6);
	assert_int_equal(cp_pdfnum_real(got, -0.0001, 2), 1);
	assert_memory_equal(got, "0", 1);
}

static void hex_is_four_upper_case_digits(void **state)
{
	char got[5] = { 0 };

	(void)state;
	cp_pdfnum_hex4(got, 0x00AB);
	assert_string_equal(got, "00AB");
	cp_pdfnum_hex4(got, 0xFFFF);
	assert_string_equal(got, "FFFF");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(integers_as_printf),
		cmocka_unit_test(reals_round_and_drop_zeros),
		cmocka_unit_test(hex_is_four_upper_case_digits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
