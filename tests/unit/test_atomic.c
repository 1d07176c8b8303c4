#include "unit.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/atomic.h"
#include "util/fault.h"

static char dir[] = "/tmp/cp-atomic-XXXXXX";

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

static char *slurp(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int files_in(const char *where)
{
	DIR *d = opendir(where);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static int files_in_dir(void)
{
	return files_in(dir);
}

static void commit_replaces_whole(void **state)
{
	char path[256];
	struct cp_atomic a;

	(void)state;
	snprintf(path, sizeof(path), "%s/out.txt", dir);
	assert_int_equal(cp_atomic_write_file(path, "old\n", 4, 0640), 0);
	assert_int_equal(cp_atomic_open(&a, path, 0640), 0);
	fputs("new contents\n", a.fp);
	/* until the commit, readers see the old file */
	assert_string_equal(slurp(path), "old\n");
	assert_int_equal(cp_atomic_commit(&a), 0);
	assert_string_equal(slurp(path), "new contents\n");
	assert_int_equal(files_in_dir(), 1);
}

static void abort_leaves_nothing(void **state)
{
	char path[256];
	struct cp_atomic a;

	(void)state;
	snprintf(path, sizeof(path), "%s/never.txt", dir);
	assert_int_equal(cp_atomic_open(&a, path, 0640), 0);
	fputs("half", a.fp);
	cp_atomic_abort(&a);
	assert_null(slurp(path));
	assert_int_equal(files_in_dir(), 1);
}

static void a_failed_rename_keeps_the_old_file(void **state)
{
	char path[256];

	(void)state;
	snprintf(path, sizeof(path), "%s/out.txt", dir);
	setenv("CERTPRESS_FAULT", "rename:1", 1);
	cp_fault_reload();
	assert_int_equal(cp_atomic_write_file(path, "newer\n", 6, 0640), -1);
	unsetenv("CERTPRESS_FAULT");
	cp_fault_reload();
	assert_string_equal(slurp(path), "new contents\n");
	assert_int_equal(files_in_dir(), 1);
}

static void sweep_removes_stale_temps(void **state)
{
	char path[256];
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/.out.txt.cptmp.99999.0", dir);
	f = fopen(path, "w");
	fclose(f);
	assert_int_equal(files_in_dir(), 2);
	cp_atomic_sweep(dir);
	assert_int_equal(files_in_dir(), 1);
}

static void mkdirs_makes_every_level(void **state)
{
	char path[256];
	struct stat st;

	(void)state;
	snprintf(path, sizeof(path), "%s/a/b/c", dir);
	assert_int_equal(cp_mkdirs(path), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(cp_mkdirs(path), 0);
}

/* A pair (a file and its signature) is replaced together: every fault
 * before the renames leaves both old files, and no temp file. */
static void a_pair_is_replaced_together(void **state)
{
	static const char *const faults[] = { "write:1", "write:2", "fsync:1", "fsync:2",
					      "rename:1" };
	char sub[128], one[256], two[256];

	(void)state;
	snprintf(sub, sizeof(sub), "%s/pair", dir);
	snprintf(one, sizeof(one), "%s/file.sig", sub);
	snprintf(two, sizeof(two), "%s/file", sub);
	assert_int_equal(cp_mkdirs(sub), 0);
	assert_int_equal(cp_atomic_write_pair(one, "sig1", 4, two, "body1", 5, 0640), 0);
	for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
		setenv("CERTPRESS_FAULT", faults[i], 1);
		cp_fault_reload();
		assert_int_equal(cp_atomic_write_pair(one, "sig2", 4, two, "body2", 5, 0640), -1);
		unsetenv("CERTPRESS_FAULT");
		cp_fault_reload();
		assert_string_equal(slurp(one), "sig1");
		assert_string_equal(slurp(two), "body1");
		assert_int_equal(files_in(sub), 2); /* no temp file left */
	}
	assert_int_equal(cp_atomic_write_pair(one, "sig2", 4, two, "body2", 5, 0640), 0);
	assert_string_equal(slurp(one), "sig2");
	assert_string_equal(slurp(two), "body2");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(commit_replaces_whole),
		cmocka_unit_test(abort_leaves_nothing),
		cmocka_unit_test(a_failed_rename_keeps_the_old_file),
		cmocka_unit_test(sweep_removes_stale_temps),
		cmocka_unit_test(mkdirs_makes_every_level),
		cmocka_unit_test(a_pair_is_replaced_together),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
