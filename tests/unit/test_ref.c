/* References: pinned check characters (computed independently with
 * Python's hmac for the key 00 01 ... 1f), parsing, and typo detection. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ref.h"

static struct cp_ref_key key;

static int setup(void **state)
{
	(void)state;
	unsigned char bytes[CP_REF_KEY_BYTES];

	for (int i = 0; i < CP_REF_KEY_BYTES; i++)
		bytes[i] = (unsigned char)i;
	cp_ref_key_set(&key, bytes);
	return 0;
}

static void pinned_vectors(void **state)
{
	static const struct { uint32_t serial; unsigned issue; const char *ref; } v[] = {
		{ 87365060, 1, "87365060-01-R70Y" },
		{ 87365060, 2, "87365060-02-FSNJ" },
		{ 0, 1, "00000000-01-W1N8" },
		{ 99999999, 99, "99999999-99-N1RG" },
		{ 12345678, 1, "12345678-01-H4C5" },
	};
	char out[CP_REF_LEN + 1];

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++) {
		cp_ref_format(&key, v[i].serial, v[i].issue, out);
		assert_string_equal(out, v[i].ref);
		assert_true(cp_ref_verify(&key, v[i].ref));
	}
}

static void look_alikes_and_case_are_normalised(void **state)
{
	static const char *const same[] = {
		"87365060-01-R70Y", "87365060-01-r70y", "8736506001R70Y", "87365060-01R70Y",
		"87365060-0I-R7OY", "87365060-0l-R70Y", "  87365060-01-R70Y\n", "8736SO6O-01-R70Y",
	};
	char out[CP_REF_LEN + 1];
	uint32_t serial;
	unsigned issue;

	(void)state;
	for (size_t i = 0; i < sizeof(same) / sizeof(*same); i++) {
		if (i == 7) { /* S is no look-alike: not a reference */
			assert_false(cp_ref_parse(same[i], out, &serial, &issue));
			continue;
		}
		assert_true(cp_ref_parse(same[i], out, &serial, &issue));
		assert_string_equal(out, "87365060-01-R70Y");
		assert_int_equal(serial, 87365060);
		assert_int_equal(issue, 1);
	}
}

static void other_shapes_are_not_references(void **state)
{
	static const char *const bad[] = {
		"", "87365060-01", "87365060-01-R70", "87365060-01-R70YY", "8736506-001-R70Y",
		"87365060--01-R70Y", "87365060-01-R7UY", "87365060-00-R70Y", "87365060_01_R70Y",
		"87365060-01-R70Y-", "-87365060-01-R70Y", "A7365060-01-R70Y", "87365060-01-R7.Y",
		"../../etc/passwd", "87365060 01 R70Y",
	};
	char out[CP_REF_LEN + 1];
	uint32_t serial;
	unsigned issue;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (cp_ref_parse(bad[i], out, &serial, &issue))
			fail_msg("parsed: '%s'", bad[i]);
}

/* Every single-character change of a drawn reference, other than a
 * look-alike or case change, is refused. */
static void one_changed_character_is_always_refused(void **state)
{
	static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ-";
	char ref[CP_REF_LEN + 1], typo[CP_REF_LEN + 1], norm[CP_REF_LEN + 1];
	uint32_t serial;
	unsigned issue;
	long tried = 0;

	(void)state;
	for (int sample = 0; sample < 200; sample++) {
		cp_ref_format(&key, cp_ref_draw_serial(&key), 1, ref);
		for (int pos = 0; pos < CP_REF_LEN; pos++)
			for (const char *c = alphabet; *c; c++) {
				if (*c == ref[pos])
					continue;
				memcpy(typo, ref, sizeof(typo));
				typo[pos] = *c;
				tried++;
				if (cp_ref_parse(typo, norm, &serial, &issue) &&
				    cp_ref_verify(&key, norm))
					fail_msg("typo accepted: %s for %s", typo, ref);
			}
	}
	assert_true(tried > 200 * 16 * 30);
}

/* Without the screen a one-digit typo can land on another valid reference:
 * for this key, 10004242-01 and 10004247-01 share their check characters. */
static void the_screen_refuses_serials_with_twin_neighbours(void **state)
{
	char a[CP_REF_LEN + 1], b[CP_REF_LEN + 1];

	(void)state;
	cp_ref_format(&key, 10004242, 1, a);
	cp_ref_format(&key, 10004247, 1, b);
	assert_string_equal(a + 12, b + 12);
	assert_false(cp_ref_serial_ok(&key, 10004242));
	assert_false(cp_ref_serial_ok(&key, 10004247));
	assert_true(cp_ref_serial_ok(&key, 87365060));
}

static void serials_are_spread(void **state)
{
	uint32_t lo = CP_SERIALS, hi = 0;

	(void)state;
	for (int i = 0; i < 1000; i++) {
		uint32_t s = cp_ref_draw_serial(&key);

		assert_true(s < CP_SERIALS);
		lo = s < lo ? s : lo;
		hi = s > hi ? s : hi;
	}
	assert_true(lo < 5000000 && hi > 95000000);
}

static void key_files(void **state)
{
	char dir[] = "/tmp/cp-key-XXXXXX", path[64];
	struct cp_ref_key k;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/reference.key", dir);
	assert_int_equal(cp_ref_key_create(path), 0);
	assert_int_equal(cp_ref_key_create(path), 1); /* never replaced */
	assert_int_equal(cp_ref_key_load(&k, path), 0);
	chmod(path, 0640);
	assert_int_equal(cp_ref_key_load(&k, path), -1); /* group may read it */
	chmod(path, 0400);
	assert_int_equal(cp_ref_key_load(&k, path), 0);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pinned_vectors),
		cmocka_unit_test(look_alikes_and_case_are_normalised),
		cmocka_unit_test(other_shapes_are_not_references),
		cmocka_unit_test(one_changed_character_is_always_refused),
		cmocka_unit_test(the_screen_refuses_serials_with_twin_neighbours),
		cmocka_unit_test(serials_are_spread),
		cmocka_unit_test(key_files),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
