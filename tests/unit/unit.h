/* What every unit test includes: cmocka and the library's headers. */
#ifndef CP_UNIT_H
#define CP_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* The messages (stderr) of the code between unit_capture() and
 * unit_captured(), which returns them (caller frees) and puts stderr back:
 * for tests of what an error says, file and line included. */
static inline int unit_capture(void)
{
	FILE *f = tmpfile();
	int saved;

	assert_non_null(f);
	fflush(stderr);
	saved = dup(2);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(f), 2) == 2);
	fclose(f); /* fd 2 keeps the file open */
	return saved;
}

static inline char *unit_captured(int saved)
{
	char *buf;
	off_t len;

	fflush(stderr);
	len = lseek(2, 0, SEEK_END);
	assert_true(len >= 0);
	buf = malloc((size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(pread(2, buf, (size_t)len, 0), len);
	buf[len] = '\0';
	assert_true(dup2(saved, 2) == 2);
	close(saved);
	return buf;
}

/* A folder of a group's own: unit_dir_make makes it from the template dir
 * ("/tmp/cp-NAME-XXXXXX", filled in), unit_dir_remove removes it with all
 * it holds; each returns 0 or -1, as a group's setup and teardown do. */
static inline int unit_dir_make(char *dir)
{
	return mkdtemp(dir) ? 0 : -1;
}

static inline int unit_dir_remove(const char *dir)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* The file dir/name holding text, written and closed (checked). Its path,
 * in a buffer the next call reuses. */
static inline const char *unit_file(const char *dir, const char *name, const char *text)
{
	static char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return path;
}

#endif
