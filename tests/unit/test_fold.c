#include "unit.h"

#include <stdlib.h>

#include "util/fold.h"

static void same_key(const char *a, const char *b)
{
	char *ka = cp_fold(a), *kb = cp_fold(b);

	assert_string_equal(ka, kb);
	free(ka);
	free(kb);
}

static void key_is(const char *text, const char *key)
{
	char *k = cp_fold(text);

	assert_string_equal(k, key);
	free(k);
}

static void folds_case_and_accents_in_any_script(void **state)
{
	(void)state;
	key_is("Brontë", "bronte");
	key_is("O'Connor", "oconnor");
	key_is("Smith-Jones", "smithjones");
	key_is("Groß", "gross");
	key_is("Ångström", "angstrom");
	key_is("Știrbu", "stirbu");
	same_key("ΕΛΈΝΗ", "Ελένη");
	same_key("ελενη", "Ελένη");
	same_key("ΟΔΥΣΣΕΥΣ", "Οδυσσευς"); /* final sigma folds as sigma */
	same_key("КУЗНЕЦОВА", "кузнецова");
	same_key("ﬁona", "fiona"); /* a compatibility ligature */
	key_is("Łukasz", "łukasz"); /* Ł has no decomposition: it stays itself */
}

static void keeps_nothing_but_letters_and_digits(void **state)
{
	(void)state;
	key_is("'-- ", "");
	key_is("Henry 8th", "henry8th");
	key_is("\xff\xfe", ""); /* not UTF-8 */
	assert_null(cp_fold(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(folds_case_and_accents_in_any_script),
		cmocka_unit_test(keeps_nothing_but_letters_and_digits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
