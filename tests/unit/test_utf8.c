#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "../../pipeline/utf8.h"

static void decodes_every_length(void **state)
{
	uint32_t cp;

	(void)state;
	assert_int_equal(cp_utf8_decode((const unsigned char *)"A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(cp_utf8_decode((const unsigned char *)"\xc5\x82", 2, &cp), 2);
	assert_int_equal(cp, 0x142); /* ł */
	assert_int_equal(cp_utf8_decode((const unsigned char *)"\xe1\xbb\x85", 3, &cp), 3);
	assert_int_equal(cp, 0x1ec5); /* ễ */
	assert_int_equal(cp_utf8_decode((const unsigned char *)"\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1f600);
}

static void refuses_invalid_forms(void **state)
{
	uint32_t cp;

	(void)state;
	assert_int_equal(cp_utf8_decode((const unsigned char *)"\xc0\xaf", 2, &cp), 0);     /* overlong / */
	assert_int_equal(cp_utf8_decode((const unsigned char *)"\xe0\x80\xaf", 3, &cp), 0); /* overlong */
	assert_int_equal(cp_utf8_decode((const unsigned char *)"\xed\xa0\x80", 3, &cp), 0); /* surrogate */
	assert_int_equal(cp_utf8_decode((const unsigned char *)"\xf4\x90\x80\x80", 4, &cp), 0); /* > U+10FFFF */
	assert_int_equal(cp_utf8_decode((const unsigned char *)"\x80", 1, &cp), 0);
	assert_int_equal(cp_utf8_decode((const unsigned char *)"\xc5", 1, &cp), 0); /* cut short */
	assert_false(cp_utf8_valid("ab\xff", 3));
	assert_true(cp_utf8_valid("Brzęczyszczykiewicz", strlen("Brzęczyszczykiewicz")));
}

static void counts_code_points(void **state)
{
	(void)state;
	assert_int_equal(cp_utf8_length("Παπαδόπουλος"), 12);
	assert_int_equal(cp_utf8_length("Siân"), 4);
	assert_int_equal(cp_utf8_length(""), 0);
}

static void finds_controls(void **state)
{
	(void)state;
	assert_false(cp_utf8_has_control("Ó Briain-O'Neill"));
	assert_true(cp_utf8_has_control("a\tb"));
	assert_true(cp_utf8_has_control("a\nb"));
	assert_true(cp_utf8_has_control("a\x7f"));
	assert_true(cp_utf8_has_control("a\xc2\x85")); /* NEL, C1 */
	assert_true(cp_utf8_has_control("a\xe2\x80\xae")); /* RIGHT-TO-LEFT OVERRIDE */
	assert_true(cp_utf8_has_control("a\xe2\x80\xa8")); /* LINE SEPARATOR */
	assert_false(cp_utf8_has_control("a\xe2\x80\x8d")); /* ZWJ stays allowed */
}

static void trims_outer_space(void **state)
{
	char *t;

	(void)state;
	t = cp_utf8_trim("  \t Siân \n");
	assert_string_equal(t, "Siân");
	free(t);
	t = cp_utf8_trim("\xc2\xa0" "Anne Marie" "\xc2\xa0");
	assert_string_equal(t, "Anne Marie");
	free(t);
	t = cp_utf8_trim("   ");
	assert_string_equal(t, "");
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decodes_every_length),
		cmocka_unit_test(refuses_invalid_forms),
		cmocka_unit_test(counts_code_points),
		cmocka_unit_test(finds_controls),
		cmocka_unit_test(trims_outer_space),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
