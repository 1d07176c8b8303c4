/* Small modules: exit codes, the string map, message escaping, batch ids. */
#include "unit.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "util/exitcode.h"
#include "util/msg.h"
#include "spool.h"
#include "util/strmap.h"

static void exit_codes(void **state)
{
	(void)state;
	assert_true(cp_exit_retryable(CP_EX_UNAVAILABLE));
	assert_true(cp_exit_retryable(CP_EX_TEMPFAIL));
	assert_false(cp_exit_retryable(CP_EX_DATAERR));
	assert_false(cp_exit_retryable(CP_EX_CONFIG));
	assert_int_equal(cp_exit_worst(0, 65), 65);
	assert_int_equal(cp_exit_worst(69, 0), 69);
	assert_int_equal(cp_exit_worst(69, 65), 65); /* no retry cures a bad file */
	assert_int_equal(cp_exit_worst(74, 75), 75);
	assert_string_equal(cp_exit_name(78), "config");
}

static void signals_as_exit_codes(void **state)
{
	(void)state;
	/* killed from outside (the OOM killer, an operator): retry resumes */
	assert_int_equal(cp_exit_from_signal(SIGKILL), CP_EX_TEMPFAIL);
	assert_int_equal(cp_exit_from_signal(SIGTERM), CP_EX_TEMPFAIL);
	assert_int_equal(cp_exit_from_signal(SIGXFSZ), CP_EX_CANTCREAT);
	assert_int_equal(cp_exit_from_signal(SIGPIPE), CP_EX_IOERR);
	assert_int_equal(cp_exit_from_signal(SIGSEGV), CP_EX_SOFTWARE);
	assert_true(cp_exit_retryable(cp_exit_from_signal(SIGKILL)));
	assert_false(cp_exit_retryable(cp_exit_from_signal(SIGABRT)));
	assert_string_equal(cp_signal_name(SIGKILL), "SIGKILL");
	assert_string_equal(cp_signal_name(SIGXFSZ), "SIGXFSZ");
}

static void strmap_finds_repeats(void **state)
{
	struct cp_strmap m = { 0 };
	char key[32];
	long found = 0;

	(void)state;
	for (long i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "E%ld", i);
		assert_int_equal(cp_strmap_add(&m, key, i, NULL), 0);
	}
	assert_int_equal(cp_strmap_add(&m, "E4321", 1, &found), 1);
	assert_int_equal(found, 4321);
	assert_int_equal(cp_strmap_add(&m, "", 7, NULL), 0);
	assert_int_equal(cp_strmap_add(&m, "", 8, &found), 1);
	assert_int_equal(found, 7);
	cp_strmap_release(&m);
}

static void messages_cannot_forge_lines(void **state)
{
	char out[64];

	(void)state;
	assert_string_equal(cp_msg_escape(out, sizeof(out), "a\nb\r\\c\x1b"), "a\\nb\\x0d\\\\c\\x1b");
	assert_string_equal(cp_msg_escape(out, 4, "abcdef"), "abc");
	assert_string_equal(cp_msg_escape(out, 5, "ab\ncd"), "ab\\n");
}

/* An argument quoted whole up to 67 bytes, else its first 64 and "...",
 * never half a character. */
static void arguments_clipped_in_messages(void **state)
{
	char clip[CP_MSG_CLIP], in[400], want[80];

	(void)state;
	assert_string_equal(cp_msg_clip(clip, ""), "");
	memset(in, 'a', 67), in[67] = '\0';
	assert_string_equal(cp_msg_clip(clip, in), in);
	memset(in, 'a', 300), in[300] = '\0';
	memset(want, 'a', 64), memcpy(want + 64, "...", 4);
	assert_string_equal(cp_msg_clip(clip, in), want);
	/* "é" (2 bytes) across byte 64: cut before it */
	memset(in, 'a', 63), memcpy(in + 63, "\xc3\xa9" "bbbbbbbb", 11);
	memset(want, 'a', 63), memcpy(want + 63, "...", 4);
	assert_string_equal(cp_msg_clip(clip, in), want);
}

static void batch_ids(void **state)
{
	char id[CP_BATCH_ID_MAX];

	(void)state;
	cp_batch_id_format(id, 1795402800, 7); /* 2026-11-23 03:00:00 UTC */
	assert_string_equal(id, "20261123-030000-007");
	assert_true(cp_batch_id_valid(id));
	assert_false(cp_batch_id_valid("20261123-030000-07"));
	assert_false(cp_batch_id_valid("../../etc/passwd"));
	assert_false(cp_batch_id_valid("20261123-030000-0a7"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exit_codes),
		cmocka_unit_test(signals_as_exit_codes),
		cmocka_unit_test(strmap_finds_repeats),
		cmocka_unit_test(messages_cannot_forge_lines),
		cmocka_unit_test(arguments_clipped_in_messages),
		cmocka_unit_test(batch_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
