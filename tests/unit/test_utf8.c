#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

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

static void trims_every_kind_of_white_space(void **state)
{
	static const char *const blanks[] = {
		"\xe2\x80\x83", /* EM SPACE */
		"\xe3\x80\x80", /* IDEOGRAPHIC SPACE */
		"\xe1\x9a\x80", /* OGHAM SPACE MARK */
		"\xe2\x81\x9f", /* MEDIUM MATHEMATICAL SPACE */
		"\xc2\x85",     /* NEL */
		"\xe2\x80\xa8", /* LINE SEPARATOR */
		"\xe2\xa0\x80", /* BRAILLE PATTERN BLANK */
		"\xe3\x85\xa4", /* HANGUL FILLER */
		"\xe1\x85\x9f", /* HANGUL CHOSEONG FILLER */
		"\xe1\x85\xa0", /* HANGUL JUNGSEONG FILLER */
		"\xef\xbe\xa0", /* HALFWIDTH HANGUL FILLER */
	};
	char in[64], *t;

	(void)state;
	for (size_t i = 0; i < sizeof(blanks) / sizeof(*blanks); i++) {
		snprintf(in, sizeof(in), "%s%sSi\xc3\xa2n%s %s", blanks[i], blanks[i], blanks[i],
			 blanks[i]);
		t = cp_utf8_trim(in);
		assert_string_equal(t, "Si\xc3\xa2n");
		free(t);
		t = cp_utf8_trim(blanks[i]);
		assert_string_equal(t, "");
		free(t);
	}
	/* inside a name they stay; a zero-width space is not white space */
	t = cp_utf8_trim("\xe2\x80\x8b" "Ann\xe2\x80\x83Marie");
	assert_string_equal(t, "\xe2\x80\x8b" "Ann\xe2\x80\x83Marie");
	free(t);
}

static struct cp_name_check name(const char *s)
{
	struct cp_name_check c;

	cp_utf8_name_check(s, &c);
	return c;
}

static void the_name_rule(void **state)
{
	(void)state;
	assert_true(name("Ó Briain-O'Neill").letter);
	assert_int_equal(name("Ó Briain-O'Neill").first[CP_NAME_FORMAT], 0);
	assert_false(name("123 456").letter);
	assert_false(name("\xe3\x85\xa4").letter); /* a Hangul filler is Lo, and invisible */
	assert_int_equal(name("\xe3\x85\xa4").first[CP_NAME_INVISIBLE], 0x3164);
	assert_int_equal(name("A\xe2\xa0\x80" "B").first[CP_NAME_INVISIBLE], 0x2800);
	assert_int_equal(name("A\xcd\x8f" "B").first[CP_NAME_INVISIBLE], 0x34f); /* CGJ */
	assert_int_equal(name("Win\xc2\xad" "bery").first[CP_NAME_FORMAT], 0xad);
	assert_int_equal(name("Ann\xe2\x80\x8b").first[CP_NAME_FORMAT], 0x200b);
	assert_int_equal(name("Smith\xe2\x80\x8f").first[CP_NAME_FORMAT], 0x200f);
	assert_int_equal(name("\xef\xbb\xbfSmith").first[CP_NAME_CONTROL], 0xfeff);
	assert_int_equal(name("a\xe2\x80\xae" "b").first[CP_NAME_CONTROL], 0x202e);
	assert_int_equal(name("\xf3\xa0\x81\x81Smith").first[CP_NAME_FORMAT], 0xe0041);
	assert_int_equal(name("\xee\x80\x80Smith").first[CP_NAME_UNASSIGNED], 0xe000);
	assert_int_equal(name("Smith\xef\xbf\xbe").first[CP_NAME_UNASSIGNED], 0xfffe);
	/* ZWJ and ZWNJ: inside a word of a script that joins, nowhere else */
	assert_int_equal(name("Ann\xe2\x80\x8d" "e").first[CP_NAME_FORMAT], 0x200d);
	assert_int_equal(name("\xe2\x80\x8c\xd9\x85").first[CP_NAME_FORMAT], 0x200c);
	assert_int_equal(name("\xd9\x85\xe2\x80\x8c").first[CP_NAME_FORMAT], 0x200c);
	assert_int_equal(name("\xd9\x85\xe2\x80\x8c" "A").first[CP_NAME_FORMAT], 0x200c);
	/* Persian: mi + ZWNJ + ravad */
	assert_int_equal(name("\xd9\x85\xdb\x8c\xe2\x80\x8c\xd8\xb1\xd9\x88\xd8\xaf")
			 .first[CP_NAME_FORMAT], 0);
	/* Arabic with a shadda (script Inherited) before the ZWNJ */
	assert_int_equal(name("\xd9\x85\xd9\x91\xe2\x80\x8c\xd8\xb1").first[CP_NAME_FORMAT], 0);
	/* Devanagari: ka + virama + ZWJ + ssa (a half form) */
	assert_int_equal(name("\xe0\xa4\x95\xe0\xa5\x8d\xe2\x80\x8d\xe0\xa4\xb7")
			 .first[CP_NAME_FORMAT], 0);
	assert_true(name("\xe0\xa4\x95\xe0\xa5\x8d\xe2\x80\x8d\xe0\xa4\xb7").letter);
}

/* A name (or anything printed as one) made from the marks of mojibake or
 * of text built to hurt a layout. */
static void the_name_rule_against_mangled_text(void **state)
{
	char zalgo[256] = "Z", *p = zalgo + 1, why[CP_NAME_NREASONS][CP_NAME_REASON_MAX];

	(void)state;
	/* U+FFFD: text decoded wrongly before it came here */
	assert_int_equal(name("Ren\xef\xbf\xbd").first[CP_NAME_REPLACEMENT], 0xfffd);
	/* a variation selector in a Latin name, or after an emoji; allowed
	 * after a Han ideograph (an ideographic variation sequence) and a
	 * Mongolian free variation selector after a Mongolian letter */
	assert_int_equal(name("Ann\xef\xb8\x8f").first[CP_NAME_INVISIBLE], 0xfe0f);
	assert_int_equal(name("\xef\xb8\x80" "Ann").first[CP_NAME_INVISIBLE], 0xfe00);
	assert_int_equal(name("A\xf3\xa0\x84\x80").first[CP_NAME_INVISIBLE], 0xe0100);
	assert_int_equal(name("\xe8\x91\x9b\xf3\xa0\x84\x80").first[CP_NAME_INVISIBLE], 0);
	assert_int_equal(name("\xe7\xa5\x9e\xef\xb8\x80").first[CP_NAME_INVISIBLE], 0);
	assert_int_equal(name("\xe1\xa0\xa0\xe1\xa0\x8b").first[CP_NAME_INVISIBLE], 0);
	assert_int_equal(name("A\xe1\xa0\x8b").first[CP_NAME_INVISIBLE], 0x180b);
	/* combining marks: five on one character at most, none first */
	assert_int_equal(name("Vie\xcc\xa3\xcc\x82t").first[CP_NAME_MARKS], 0); /* e + 2 */
	assert_int_equal(name("A\xcc\x81\xcc\x82\xcc\x83\xcc\x84\xcc\x85").first[CP_NAME_MARKS], 0);
	assert_int_equal(name("A\xcc\x81\xcc\x82\xcc\x83\xcc\x84\xcc\x85\xcc\x86")
			 .first[CP_NAME_MARKS], 0x306);
	for (int i = 0; i < 60; i++, p += 2)
		memcpy(p, "\xcc\x81", 2);
	*p = '\0';
	assert_int_equal(name(zalgo).first[CP_NAME_MARKS], 0x301);
	assert_int_equal(name("\xcc\x81" "Ann").first[CP_NAME_NO_BASE], 0x301);
	assert_int_equal(name("\xcc\x81").first[CP_NAME_NO_BASE], 0x301);
	assert_int_equal(name("Ann \xcc\x81" "Bo").first[CP_NAME_NO_BASE], 0x301);
	assert_int_equal(name("A\xe2\x80\x8d\xcc\x81").first[CP_NAME_NO_BASE], 0);
	assert_false(name("\xcc\x81").letter);
	/* Tibetan: ga with subjoined ra and the vowel u is one character */
	assert_int_equal(name("\xe0\xbd\x82\xe0\xbe\xb2\xe0\xbd\xb4").first[CP_NAME_MARKS], 0);
	/* the reasons, worded for messages */
	assert_int_equal(cp_utf8_name_reasons(&(struct cp_name_check){ .letter = true }, why), 0);
	{
		struct cp_name_check c = name("\xcc\x81\xef\xbf\xbd");

		assert_int_equal(cp_utf8_name_reasons(&c, why), 3);
		assert_string_equal(why[0], "contains U+FFFD REPLACEMENT CHARACTER (text decoded with "
				    "the wrong encoding somewhere before)");
		assert_string_equal(why[1], "has a combining mark U+0301 at the start of a word");
		assert_string_equal(why[2], "has no letter");
	}
	{
		struct cp_name_check c = name(zalgo);

		assert_int_equal(cp_utf8_name_reasons(&c, why), 1);
		assert_string_equal(why[0], "has more than 5 combining marks on one character (U+0301)");
	}
}

static void file_names_become_safe(void **state)
{
	char long_name[300], *t;

	(void)state;
	t = cp_utf8_safe_name("Si\xc3\xa2n results.xml", 200);
	assert_string_equal(t, "Si\xc3\xa2n results.xml");
	free(t);
	t = cp_utf8_safe_name("r\xe9sultats\x01.xml", 200);
	assert_string_equal(t, "r%E9sultats%01.xml");
	free(t);
	t = cp_utf8_safe_name("two\nlines 100%.xml", 200);
	assert_string_equal(t, "two%0Alines 100%25.xml");
	free(t);
	t = cp_utf8_safe_name("gpj.\xe2\x80\xaetxt", 200); /* RIGHT-TO-LEFT OVERRIDE */
	assert_string_equal(t, "gpj.%E2%80%AEtxt");
	free(t);
	memset(long_name, 'n', 240);
	memcpy(long_name + 240, ".xml", 5);
	t = cp_utf8_safe_name(long_name, 200);
	assert_int_equal(strlen(t), 200);
	assert_string_equal(t + 195, "~.xml");
	free(t);
	/* cut at a whole character or escape, never inside one */
	for (int i = 0; i < 120; i++)
		memcpy(long_name + 2 * i, i % 2 ? "\xc5\x82" : "\xff\x01", 2);
	long_name[240] = '\0';
	for (size_t max = 16; max < 60; max++) {
		t = cp_utf8_safe_name(long_name, max);
		assert_true(strlen(t) <= max);
		assert_true(cp_utf8_valid(t, strlen(t)));
		assert_non_null(strchr(t, '~'));
		for (const char *p = t; (p = strchr(p, '%')); p++)
			assert_true(p[1] && p[2] && p[1] != '~' && p[2] != '~');
		free(t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decodes_every_length),
		cmocka_unit_test(refuses_invalid_forms),
		cmocka_unit_test(counts_code_points),
		cmocka_unit_test(finds_controls),
		cmocka_unit_test(trims_outer_space),
		cmocka_unit_test(trims_every_kind_of_white_space),
		cmocka_unit_test(the_name_rule),
		cmocka_unit_test(the_name_rule_against_mangled_text),
		cmocka_unit_test(file_names_become_safe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
