/* Files a template names: found only where they may be, whatever the name
 * says ("..", absolute, links), and only regular files of bounded size. */
#include "unit.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/asset.h"

static char top[] = "/tmp/cp-asset-XXXXXX";
static char layouts[64], outside[64];

static int setup(void **state)
{
	char path[128];

	(void)state;
	if (unit_dir_make(top) < 0)
		return -1;
	snprintf(layouts, sizeof(layouts), "%s/layouts", top);
	snprintf(outside, sizeof(outside), "%s/outside", top);
	mkdir(layouts, 0755);
	mkdir(outside, 0755);
	snprintf(path, sizeof(path), "%s/assets", layouts);
	mkdir(path, 0755);
	unit_file(layouts, "assets/a.png", "png bytes");
	unit_file(layouts, "empty.png", "");
	unit_file(outside, "x.png", "outside");
	snprintf(path, sizeof(path), "%s/assets/out.png", layouts);
	assert_int_equal(symlink("../../outside/x.png", path), 0);
	snprintf(path, sizeof(path), "%s/assets/in.png", layouts);
	assert_int_equal(symlink("a.png", path), 0);
	snprintf(path, sizeof(path), "%s/fifo.png", layouts);
	mkfifo(path, 0644);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return unit_dir_remove(top);
}

/* The reason cp_asset_open gives for name, or "" if it opens. */
static const char *open_as(const char *name, enum cp_asset_kind kind, off_t max)
{
	static char why[256];
	off_t size;
	int fd = cp_asset_open(layouts, name, kind, max, &size, NULL, why, sizeof(why));

	if (fd < 0)
		return why;
	close(fd);
	return "";
}

static void files_inside_open(void **state)
{
	char *real = NULL, why[256];
	off_t size = 0;
	int fd;

	(void)state;
	assert_string_equal(open_as("assets/a.png", CP_ASSET_IMAGE, 100), "");
	assert_string_equal(open_as("./assets/../assets/a.png", CP_ASSET_IMAGE, 100), "");
	assert_string_equal(open_as("assets//a.png", CP_ASSET_IMAGE, 100), "");
	assert_string_equal(open_as("assets/in.png", CP_ASSET_IMAGE, 100), "");
	fd = cp_asset_open(layouts, "assets/in.png", CP_ASSET_IMAGE, 100, &size, &real, why,
			   sizeof(why));
	assert_true(fd >= 0);
	assert_int_equal(size, 9);
	assert_non_null(strstr(real, "/layouts/assets/a.png"));
	close(fd);
	free(real);
}

static void nothing_outside_opens(void **state)
{
	char abs[128];

	(void)state;
	assert_string_equal(open_as("../outside/x.png", CP_ASSET_IMAGE, 100),
			    "outside the layouts folder");
	assert_string_equal(open_as("assets/../../outside/x.png", CP_ASSET_IMAGE, 100),
			    "outside the layouts folder");
	/* climbing out is refused before the file system is asked, so
	 * what exists outside cannot be told from what does not */
	assert_string_equal(open_as("../../no/such/file.png", CP_ASSET_IMAGE, 100),
			    "outside the layouts folder");
	assert_string_equal(open_as("assets/out.png", CP_ASSET_IMAGE, 100),
			    "outside the layouts folder");
	snprintf(abs, sizeof(abs), "%s/assets/a.png", layouts);
	assert_string_equal(open_as(abs, CP_ASSET_IMAGE, 100),
			    "an absolute path (name a file under the layouts folder)");
	assert_string_equal(open_as(abs, CP_ASSET_FONT, 100), "");
	snprintf(abs, sizeof(abs), "%s/x.png", outside);
	assert_string_equal(open_as(abs, CP_ASSET_FONT, 100),
			    "outside the layouts folder and the system's font folders");
	assert_string_equal(open_as("assets/out.png", CP_ASSET_FONT, 100),
			    "outside the layouts folder and the system's font folders");
	assert_string_equal(open_as("/usr/share/fonts/../../../etc/passwd", CP_ASSET_FONT, 1 << 20),
			    "outside the layouts folder and the system's font folders");
}

static void only_regular_files_of_a_bounded_size(void **state)
{
	(void)state;
	assert_string_equal(open_as("fifo.png", CP_ASSET_IMAGE, 100), "not a regular file");
	assert_string_equal(open_as("assets", CP_ASSET_IMAGE, 100), "not a regular file");
	assert_string_equal(open_as("empty.png", CP_ASSET_IMAGE, 100), "an empty file");
	assert_string_equal(open_as("assets/a.png", CP_ASSET_IMAGE, 8), "larger than 8 bytes");
	assert_string_equal(open_as("missing.png", CP_ASSET_IMAGE, 100),
			    "cannot open: No such file or directory");
	assert_string_equal(open_as("", CP_ASSET_IMAGE, 100), "an empty file name");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(files_inside_open),
		cmocka_unit_test(nothing_outside_opens),
		cmocka_unit_test(only_regular_files_of_a_bounded_size),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
