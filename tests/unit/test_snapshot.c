#include "unit.h"

#include <string.h>

#include "snapshot.h"

/* A registry with no document yet (a new awarding body's first publish):
 * the builder has no arrays at all, and the snapshot it makes opens, holds
 * the awarding body and finds nothing. */
static void an_empty_registry_makes_a_snapshot(void **state)
{
	struct cp_snap_builder b;
	struct cp_snap s;
	unsigned char *data;
	size_t len;
	char why[128];

	(void)state;
	cp_snap_builder_init(&b, 1764547200, "Example Awards", "https://verify.example.org/v/");
	cp_snap_builder_finish(&b, &data, &len);
	assert_int_equal(cp_snap_open(&s, data, len, why, sizeof(why)), 0);
	assert_int_equal(s.h->ndocs, 0);
	assert_string_equal(cp_snap_str(&s, s.h->awarding_body), "Example Awards");
	assert_null(cp_snap_find(&s, 12345678, 1));
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_empty_registry_makes_a_snapshot),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
