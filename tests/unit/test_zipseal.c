/* Zip passwords sealed (zipseal.h): the key derived from the reference key
 * as HKDF-Expand says (pinned: computed independently with Python's hmac
 * for the key 00 01 ... 1f), and a sealed value that opens only for its
 * own centre, unaltered, under its own key. */
#include "unit.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/secret.h"
#include "zipseal.h"

static struct cp_zipseal key;

static int setup(void **state)
{
	char dir[] = "/tmp/cp-zipseal-XXXXXX", path[64];
	unsigned char bytes[32];

	(void)state;
	for (int i = 0; i < 32; i++)
		bytes[i] = (unsigned char)i;
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/reference.key", dir);
	if (cp_secret_write_hex(path, bytes, sizeof(bytes)) != 0 || cp_zipseal_load(&key, path) < 0)
		return -1;
	unlink(path);
	rmdir(dir);
	return 0;
}

static void the_key_is_hkdf_expand_of_the_reference_key(void **state)
{
	/* hmac.new(bytes(range(32)), b"certpress zip passwords v1\x01", sha256) */
	static const char want[] = "4b3c08765d0c7a6ae27222a0f22e80619132eecdb454ecd857edc1cc80447f90";
	char hex[65];

	(void)state;
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", key.key[i]);
	assert_string_equal(hex, want);
}

static void a_sealed_password_opens_for_its_centre_only(void **state)
{
	unsigned char s[256], t[256];
	char pw[256];
	size_t len, len2;

	(void)state;
	assert_int_equal(cp_zipseal_seal(&key, "C01234", "Correct-Horse-9", s, sizeof(s), &len), 0);
	assert_int_equal(len, 1 + 24 + strlen("Correct-Horse-9") + 16);
	assert_null(memmem(s, len, "Correct-Horse", 13));
	assert_int_equal(cp_zipseal_open(&key, "C01234", s, len, pw, sizeof(pw)), 0);
	assert_string_equal(pw, "Correct-Horse-9");
	/* another centre's row, a prefix of the centre, one bit anywhere */
	assert_int_equal(cp_zipseal_open(&key, "C01235", s, len, pw, sizeof(pw)), -1);
	assert_int_equal(cp_zipseal_open(&key, "C0123", s, len, pw, sizeof(pw)), -1);
	for (size_t i = 0; i < len; i++) {
		memcpy(t, s, len);
		t[i] ^= 0x01;
		assert_int_equal(cp_zipseal_open(&key, "C01234", t, len, pw, sizeof(pw)), -1);
	}
	assert_int_equal(cp_zipseal_open(&key, "C01234", s, len - 1, pw, sizeof(pw)), -1);
	assert_int_equal(cp_zipseal_open(&key, "C01234", s, 3, pw, sizeof(pw)), -1);
	/* a fresh nonce each time */
	assert_int_equal(cp_zipseal_seal(&key, "C01234", "Correct-Horse-9", t, sizeof(t), &len2), 0);
	assert_int_equal(len2, len);
	assert_memory_not_equal(s, t, len);
}

static void another_key_opens_nothing(void **state)
{
	struct cp_zipseal other = key;
	unsigned char s[256];
	char pw[256];
	size_t len;

	(void)state;
	other.key[31] ^= 0x80;
	assert_int_equal(cp_zipseal_seal(&key, "C01234", "Correct-Horse-9", s, sizeof(s), &len), 0);
	assert_int_equal(cp_zipseal_open(&other, "C01234", s, len, pw, sizeof(pw)), -1);
	assert_int_equal(pw[0], '\0'); /* nothing half-opened left behind */
}

static void what_does_not_fit_is_refused(void **state)
{
	unsigned char s[64];
	char pw[8];
	size_t len;

	(void)state;
	assert_int_equal(cp_zipseal_seal(&key, "C01234", "a-password-too-long-for-64", s, sizeof(s),
					 &len), -1);
	assert_int_equal(cp_zipseal_seal(&key, "C01234", "short-one", s, sizeof(s), &len), 0);
	assert_int_equal(cp_zipseal_open(&key, "C01234", s, len, pw, sizeof(pw)), -1);
}

/* A centre number as long as an older registry's row may hold: refused
 * with a message, never an abort. */
static void a_centre_too_long_is_refused(void **state)
{
	unsigned char s[256];
	char centre[400], pw[64];
	size_t len = 0;

	(void)state;
	memset(centre, 'C', sizeof(centre) - 1);
	centre[sizeof(centre) - 1] = '\0';
	assert_int_equal(cp_zipseal_seal(&key, centre, "Correct-Horse-9", s, sizeof(s), &len), -1);
	assert_int_equal(cp_zipseal_seal(&key, "C01234", "Correct-Horse-9", s, sizeof(s), &len), 0);
	assert_int_equal(cp_zipseal_open(&key, centre, s, len, pw, sizeof(pw)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_key_is_hkdf_expand_of_the_reference_key),
		cmocka_unit_test(a_sealed_password_opens_for_its_centre_only),
		cmocka_unit_test(another_key_opens_nothing),
		cmocka_unit_test(what_does_not_fit_is_refused),
		cmocka_unit_test(a_centre_too_long_is_refused),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
