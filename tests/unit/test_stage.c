/* What retry --from asks of stage.c: the stages' outputs and journals
 * forgotten from a stage on, everything else in the batch folder kept. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stage.h"

static char dir[] = "/tmp/cp-stage-XXXXXX";

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

static void touch(const char *name)
{
	unit_file(dir, name, "");
}

static int there(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

/* A batch through every stage, render with two workers' journals. */
static void whole_batch(void)
{
	for (int i = 0; i < CP_NSTAGES; i++)
		touch(cp_stage_outputs[i]);
	touch("results.xml");
	touch(CP_RENDER_JOURNAL_PREFIX "0");
	touch(CP_RENDER_JOURNAL_PREFIX "1");
	touch("render.journal"); /* not one of them: no number after the prefix */
}

static void forgetting_render_forgets_its_journals_and_what_follows(void **state)
{
	(void)state;
	whole_batch();
	assert_int_equal(cp_stage_forget(dir, CP_STAGE_RENDER), 0);
	assert_true(there("accepted.xml") && there("assigned.xml") && there("results.xml"));
	assert_false(there("rendered.xml") || there("packed.xml") || there("notified.xml"));
	assert_false(there(CP_RENDER_JOURNAL_PREFIX "0") || there(CP_RENDER_JOURNAL_PREFIX "1"));
	assert_true(there("render.journal"));
	assert_int_equal(cp_stage_next(dir), CP_STAGE_RENDER);
}

static void forgetting_pack_keeps_renders_journals(void **state)
{
	(void)state;
	whole_batch();
	assert_int_equal(cp_stage_forget(dir, CP_STAGE_RENDER + 1), 0);
	assert_true(there("rendered.xml") && there(CP_RENDER_JOURNAL_PREFIX "0"));
	assert_false(there("packed.xml") || there("notified.xml"));
	assert_int_equal(cp_stage_next(dir), CP_STAGE_RENDER + 1);
	/* forgetting what is not there is no error */
	assert_int_equal(cp_stage_forget(dir, CP_STAGE_RENDER + 1), 0);
}

static void only_render_keeps_journals(void **state)
{
	(void)state;
	assert_string_equal(cp_stage_names[CP_STAGE_RENDER], "render");
	for (int i = 0; i < CP_NSTAGES; i++)
		if (i != CP_STAGE_RENDER)
			assert_null(cp_stage_journals[i]);
	assert_string_equal(cp_stage_journals[CP_STAGE_RENDER], CP_RENDER_JOURNAL_PREFIX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(forgetting_render_forgets_its_journals_and_what_follows),
		cmocka_unit_test(forgetting_pack_keeps_renders_journals),
		cmocka_unit_test(only_render_keeps_journals),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
