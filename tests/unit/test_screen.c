#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/screen.h"

static char path[] = "/tmp/cp-screen-XXXXXX";

static int setup(void **state)
{
	int fd = mkstemp(path);

	(void)state;
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	return 0;
}

static int screen_bytes(const char *bytes, size_t n, struct cp_screen *s)
{
	FILE *f = fopen(path, "wb");

	fwrite(bytes, 1, n, f);
	fclose(f);
	return cp_screen_file(path, 1 << 20, s);
}

static int screen_text(const char *text, struct cp_screen *s)
{
	return screen_bytes(text, strlen(text), s);
}

static void a_plain_file_passes(void **state)
{
	struct cp_screen s;

	(void)state;
	assert_int_equal(screen_text("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<a>Siân</a>\n", &s), 0);
	assert_int_equal(s.lines, 3);
	assert_int_equal(strlen(s.sha256), 64);
	assert_int_equal(screen_text("\xef\xbb\xbf<a/>", &s), 0); /* BOM */
}

static void refusals_carry_their_line(void **state)
{
	struct cp_screen s;

	(void)state;
	assert_int_equal(screen_bytes("<a>\n\n x\0</a>", 12, &s), 1);
	assert_int_equal(s.line, 3);
	assert_string_equal(s.reason, "NUL byte in the file");
	assert_int_equal(screen_text("<a>\n\xc3\x28</a>", &s), 1);
	assert_int_equal(s.line, 2);
	assert_int_equal(screen_text("<a>\xed\xa0\x80</a>", &s), 1); /* a surrogate */
	assert_int_equal(screen_text("<a>\xc3", &s), 1);
	assert_string_equal(s.reason, "invalid UTF-8 (the file ends inside a character)");
	assert_int_equal(screen_text("<?xml version='1.0'?>\n<!DOCTYPE a>\n<a/>", &s), 1);
	assert_int_equal(s.line, 2);
	assert_string_equal(s.reason, "a DOCTYPE is not allowed in this file");
	assert_int_equal(screen_text("<a><!ENTITY x 'y'></a>", &s), 1);
	assert_int_equal(screen_text("<?xml version='1.0' encoding='ISO-8859-1'?><a/>", &s), 1);
	assert_int_equal(screen_text("", &s), 1);
	assert_string_equal(s.reason, "the file is empty");
}

/* Patterns and characters that straddle the 64 KiB read buffer. */
static void boundaries_do_not_hide_anything(void **state)
{
	size_t n = 65536 + 64;
	char *buf = malloc(n);
	struct cp_screen s;

	(void)state;
	memset(buf, ' ', n);
	memcpy(buf + 65536 - 4, "<!DOCTYPE", 9);
	assert_int_equal(screen_bytes(buf, n, &s), 1);
	memset(buf, ' ', n);
	memcpy(buf + 65536 - 1, "\xc5\x82", 2); /* ł split in two reads */
	assert_int_equal(screen_bytes(buf, n, &s), 0);
	free(buf);
}

static void size_is_bounded(void **state)
{
	char *buf = calloc(1, (1 << 20) + 2);
	struct cp_screen s;

	(void)state;
	memset(buf, 'a', (1 << 20) + 1);
	assert_int_equal(screen_bytes(buf, (1 << 20) + 1, &s), 1);
	assert_string_equal(s.reason, "the file is larger than 1 MB");
	free(buf);
}

/* Only regular files are opened; a link is refused where it must be; a
 * device is read to one byte past the limit and no further. */
static void only_regular_files_are_read(void **state)
{
	char link[64], fifo[64];
	struct cp_screen s;
	FILE *copy;
	int fd;

	(void)state;
	snprintf(link, sizeof(link), "%s.link", path);
	snprintf(fifo, sizeof(fifo), "%s.fifo", path);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(cp_screen_open(link, false, &s), CP_SCREEN_REFUSED);
	assert_string_equal(s.reason, "not a regular file (a symbolic link)");
	fd = cp_screen_open(link, true, &s); /* the operator's own files may be links */
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(cp_screen_open(fifo, true, &s), CP_SCREEN_REFUSED); /* no wait */
	assert_string_equal(s.reason, "not a regular file (a FIFO)");
	assert_int_equal(cp_screen_open("/dev/zero", true, &s), CP_SCREEN_REFUSED);
	assert_string_equal(s.reason, "not a regular file (a character device)");
	assert_int_equal(cp_screen_open("/nonexistent/x.xml", false, &s), -1);
	assert_int_equal(cp_screen_file(fifo, 1 << 20, &s), 1);
	unlink(link);
	unlink(fifo);
	/* whatever the descriptor, at most max + 1 bytes are read and copied */
	fd = open("/dev/zero", O_RDONLY);
	copy = tmpfile();
	assert_int_equal(cp_screen_fd(fd, "/dev/zero", 100, &s, copy), 1);
	assert_string_equal(s.reason, "the file is larger than 0 MB");
	assert_int_equal(s.size, 101);
	assert_int_equal(ftell(copy), 101);
	fclose(copy);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_plain_file_passes),
		cmocka_unit_test(refusals_carry_their_line),
		cmocka_unit_test(boundaries_do_not_hide_anything),
		cmocka_unit_test(size_is_bounded),
		cmocka_unit_test(only_regular_files_are_read),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
