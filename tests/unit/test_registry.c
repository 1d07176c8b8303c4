/* The registry on a real SQLite file. A test of the module from inside:
 * it reads the tables back through the module's own helpers. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doctype.h"
#include "util/fault.h"
#include "registry/internal.h"

static char dir[] = "/tmp/cp-registry-XXXXXX";
static char path[256];

static int setup(void **state)
{
	(void)state;
	if (unit_dir_make(dir) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/sub/registry.sqlite", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return unit_dir_remove(dir);
}

static int scalar(struct cp_registry *r, const char *sql)
{
	sqlite3_stmt *st = cp_reg_prepare(r, sql);
	int v = -1;

	if (st && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The order states' diagram (registry/orders.h), every pair tried. */
static void order_transitions(void **state)
{
	static const char *const st[] = {
		CP_ORDER_TO_BE_GENERATED, CP_ORDER_TO_BE_PRINTED, CP_ORDER_PRINTED,
		CP_ORDER_DISPATCHED, CP_ORDER_SPOILED,
	};
	static const char *const allowed[] = {
		"to-be-generated>to-be-printed", "to-be-printed>printed", "to-be-printed>spoiled",
		"spoiled>to-be-printed", "printed>dispatched",
	};
	int n = 0;

	(void)state;
	for (size_t i = 0; i < 5; i++) {
		assert_true(cp_order_state_known(st[i]));
		for (size_t j = 0; j < 5; j++) {
			char pair[64];
			bool want = false;

			snprintf(pair, sizeof(pair), "%s>%s", st[i], st[j]);
			for (size_t k = 0; k < 5; k++)
				want |= !strcmp(pair, allowed[k]);
			assert_int_equal(cp_order_transition_ok(st[i], st[j]), want);
			n += want;
		}
	}
	assert_int_equal(n, 5);
	assert_false(cp_order_state_known("lost"));
	assert_false(cp_order_state_known(NULL));
	assert_true(cp_order_delivery_known("courier"));
	assert_false(cp_order_delivery_known("pigeon"));
}

static void creates_and_migrates_once(void **state)
{
	struct cp_registry r;

	(void)state;
	assert_int_equal(cp_registry_open(&r, path), 0);
	assert_int_equal(scalar(&r, "PRAGMA user_version"), CP_REGISTRY_VERSION);
	/* at least these (later migrations add theirs) */
	assert_true(scalar(&r, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'") >= 17);
	assert_int_equal(scalar(&r, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
				" AND name = 'address_changes'"), 1);
	/* schema 10: what the verification snapshot reads */
	assert_int_equal(scalar(&r, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
				    " AND name IN ('award_units', 'fill_pending')"), 2);
	assert_int_equal(scalar(&r, "SELECT count(*) FROM pragma_table_info('documents')"
				    " WHERE name IN ('digital_sha256', 'revoke_category')"), 2);
	/* schema 11: orders, and the proof letter is a type documents.type allows */
	assert_int_equal(scalar(&r, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
				    " AND name IN ('orders', 'order_states', 'order_emails',"
				    " 'letter_awards')"), 4);
	/* schema 15: the print loop's print batches, consignments, documents */
	assert_int_equal(scalar(&r, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
				    " AND name IN ('print_batches', 'print_batch_states',"
				    " 'consignments', 'print_documents')"), 4);
	assert_int_equal(scalar(&r, "SELECT count(*) FROM sqlite_schema WHERE name = 'documents'"
				    " AND sql LIKE '%''proof-letter''%'"), 1);
	assert_int_equal(scalar(&r, "SELECT count(*) FROM pragma_table_info('documents')"
				    " WHERE name = 'template'"), 1);
	assert_int_equal(scalar(&r, "SELECT count(*) FROM pragma_table_info('exports') WHERE name = 'swept'"), 1);
	cp_registry_close(&r);
	assert_int_equal(cp_registry_open(&r, path), 0);
	assert_int_equal(scalar(&r, "PRAGMA user_version"), CP_REGISTRY_VERSION);
	cp_registry_close(&r);
}

static void batch_ids_are_unique_within_a_second(void **state)
{
	struct cp_registry r;
	char a[CP_BATCH_ID_MAX], b[CP_BATCH_ID_MAX], seen[CP_BATCH_ID_MAX];

	(void)state;
	assert_int_equal(cp_registry_open(&r, path), 0);
	assert_int_equal(cp_registry_begin(&r), 0);
	assert_int_equal(cp_registry_batch_create(&r, "aa", "x.xml", 10, "tester", a), 0);
	assert_int_equal(cp_registry_batch_create(&r, "bb", "y.xml", 10, "tester", b), 0);
	assert_int_equal(cp_registry_commit(&r), 0);
	assert_true(cp_batch_id_valid(a));
	assert_true(strcmp(a, b) < 0);
	assert_int_equal(cp_registry_results_seen(&r, "aa", seen), 1);
	assert_string_equal(seen, a);
	assert_int_equal(cp_registry_results_seen(&r, "cc", seen), 0);
	/* a failed batch does not count as having taken its file */
	assert_int_equal(cp_registry_batch_set_status(&r, a, "failed", "bad"), 0);
	assert_int_equal(cp_registry_results_seen(&r, "aa", seen), 0);
	/* statuses are checked by the table */
	assert_int_equal(cp_registry_batch_set_status(&r, a, "bogus", NULL), -1);
	cp_registry_close(&r);
}

static void stage_attempts_count_up(void **state)
{
	struct cp_registry r;
	char id[CP_BATCH_ID_MAX];
	int a1, a2;

	(void)state;
	assert_int_equal(cp_registry_open(&r, path), 0);
	assert_int_equal(cp_registry_batch_create(&r, "dd", "z.xml", 1, "tester", id), 0);
	assert_int_equal(cp_registry_stage_start(&r, id, "validate", "tester", &a1), 0);
	assert_int_equal(cp_registry_stage_close_running(&r, id, "validate", 70), 0);
	assert_int_equal(cp_registry_stage_start(&r, id, "validate", "tester", &a2), 0);
	assert_int_equal(a1, 1);
	assert_int_equal(a2, 2);
	assert_int_equal(cp_registry_stage_finish(&r, id, "validate", a2, 0, "{}"), 0);
	assert_int_equal(scalar(&r, "SELECT count(*) FROM stage_runs WHERE outcome = 'ok'"), 1);
	assert_int_equal(scalar(&r, "SELECT count(*) FROM stage_runs WHERE outcome = 'failed'"), 1);
	assert_int_equal(cp_registry_stage_start(&r, id, "print", "tester", &a1), -1);
	cp_registry_close(&r);
}

static void an_injected_commit_failure_rolls_back(void **state)
{
	struct cp_registry r;
	char id[CP_BATCH_ID_MAX];
	int before;

	(void)state;
	assert_int_equal(cp_registry_open(&r, path), 0);
	before = scalar(&r, "SELECT count(*) FROM batches");
	setenv("CERTPRESS_FAULT", "commit:1", 1);
	cp_fault_reload();
	assert_int_equal(cp_registry_begin(&r), 0);
	assert_int_equal(cp_registry_batch_create(&r, "ee", "w.xml", 1, "tester", id), 0);
	assert_int_equal(cp_registry_commit(&r), -1);
	unsetenv("CERTPRESS_FAULT");
	cp_fault_reload();
	assert_int_equal(scalar(&r, "SELECT count(*) FROM batches"), before);
	cp_registry_close(&r);
}

/* A batch with one award, for the tests below. */
static void one_award(struct cp_registry *r, char id[CP_BATCH_ID_MAX], long long *award)
{
	static int n;
	char sha[16], enrolment[16];
	struct cp_award a = {
		.enrolment = enrolment, .qualification = "Q1", .awarded = "2026-01-01", .title = "T",
		.level = 3, .candidate = "C1", .first_name = "F", .last_name = "L",
		.dob = "2000-01-01", .grade = "Pass", .centre = "C", .centre_name = "Centre",
		.course_run = "R1",
	};
	/* the registry file is the group's: a new award each time */
	snprintf(enrolment, sizeof(enrolment), "E%d", ++n);
	snprintf(sha, sizeof(sha), "award-%d", n);
	assert_int_equal(cp_registry_batch_create(r, sha, "a.xml", 1, "tester", id), 0);
	a.batch = id;
	assert_int_equal(cp_award_add(r, &a, award), 0);
}

static void every_doctype_is_one_the_schema_allows(void **state)
{
	struct cp_registry r;
	char id[CP_BATCH_ID_MAX], ref[32];
	long long award;

	(void)state;
	assert_int_equal(cp_registry_open(&r, path), 0);
	one_award(&r, id, &award);
	for (int i = 0; i < CP_NDOCTYPES; i++) {
		snprintf(ref, sizeof(ref), "DOC-%d", i);
		assert_int_equal(cp_serial_claim(&r, 1000 + (uint32_t)i), 1);
		assert_int_equal(cp_award_issue(&r, ref, 1000 + (uint32_t)i, award,
						cp_doctypes[i].name, "2026-01-01", NULL, id, NULL), 0);
	}
	/* a serial drawn once is never drawn again */
	assert_int_equal(cp_serial_claim(&r, 1000), 0);
	assert_int_equal(cp_serial_claim(&r, 2000), 1);
	assert_int_equal(cp_award_issue(&r, "DOC-X", 2000, award, "diploma", "2026-01-01", NULL,
					id, NULL), -1);
	/* SQL sorts by the table: doctype_rank() is its index */
	for (int i = 0; i < CP_NDOCTYPES; i++) {
		char sql[96];

		snprintf(sql, sizeof(sql), "SELECT doctype_rank('%s')", cp_doctypes[i].name);
		assert_int_equal(scalar(&r, sql), i);
	}
	assert_int_equal(scalar(&r, "SELECT doctype_rank('diploma')"), CP_NDOCTYPES);
	assert_null(cp_doctype_find("diploma"));
	assert_null(cp_doctype_find(NULL));
	assert_int_equal(cp_doctype_rank(NULL), CP_NDOCTYPES);
	assert_string_equal(cp_doctype_of("transcript")->folder, "transcripts");
	cp_registry_close(&r);
}

/* The statements asked per learner (validate's duplicate check, assign's
 * award and document lookups) are prepared once per connection. */
static void per_learner_statements_are_prepared_once(void **state)
{
	struct cp_registry r;
	char id[CP_BATCH_ID_MAX], other[CP_BATCH_ID_MAX], ref[32], issued[11], made[CP_BATCH_ID_MAX];
	struct sqlite3_stmt *first[CP_REGISTRY_NCACHED];
	long long award, found;

	(void)state;
	assert_int_equal(cp_registry_open(&r, path), 0);
	one_award(&r, id, &award);
	assert_int_equal(cp_registry_award_elsewhere(&r, "E2", "Q1", "2026-01-01", "none", other),
			 1);
	assert_string_equal(other, id);
	assert_int_equal(cp_award_find(&r, "E2", "Q1", "2026-01-01", &found, made), 1);
	assert_true(found == award);
	assert_int_equal(cp_award_original(&r, award, "letter", ref, sizeof(ref), issued,
					   sizeof(issued)), 0);
	memcpy(first, r.cached, sizeof(first));
	for (int i = 0; i < 3; i++) {
		assert_int_equal(cp_registry_award_elsewhere(&r, "E2", "Q1", "2026-01-01", id,
							     other), 0);
		assert_int_equal(cp_award_find(&r, "E9", "Q1", "2026-01-01", &found, made), 0);
		assert_int_equal(cp_award_original(&r, award, "letter", ref, sizeof(ref), issued,
						   sizeof(issued)), 0);
	}
	assert_non_null(r.cached[CP_REG_AWARD_FIND]);
	assert_non_null(r.cached[CP_REG_DOC_FIND]);
	assert_memory_equal(first, r.cached, sizeof(first));
	/* each statement ran every time from one preparation (the duplicate
	 * check is a find) */
	assert_int_equal(sqlite3_stmt_status(r.cached[CP_REG_AWARD_FIND], SQLITE_STMTSTATUS_RUN, 0),
			 8);
	assert_int_equal(sqlite3_stmt_status(r.cached[CP_REG_DOC_FIND], SQLITE_STMTSTATUS_RUN, 0),
			 4);
	cp_registry_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(creates_and_migrates_once),
		cmocka_unit_test(order_transitions),
		cmocka_unit_test(batch_ids_are_unique_within_a_second),
		cmocka_unit_test(stage_attempts_count_up),
		cmocka_unit_test(an_injected_commit_failure_rolls_back),
		cmocka_unit_test(every_doctype_is_one_the_schema_allows),
		cmocka_unit_test(per_learner_statements_are_prepared_once),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
