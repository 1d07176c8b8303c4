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

#endif
