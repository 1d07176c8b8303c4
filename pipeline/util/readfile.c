/* A whole (small) file into memory. */
#include "util/readfile.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/msg.h"
#include "util/screen.h"
#include "util/xalloc.h"
#include "util/banned.h"

int cp_read_file(const char *path, char **buf, size_t *len, size_t max)
{
	/* never waiting on a FIFO's writer; regular files only, below */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY), e;
	struct stat st;
	size_t have = 0;
	char *b;

	*buf = NULL;
	*len = 0;
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	if (!S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
		close(fd);
		errno = S_ISREG(st.st_mode) ? EFBIG : EINVAL;
		return -1;
	}
	b = cp_xmalloc((size_t)st.st_size + 1);
	while (have < (size_t)st.st_size) {
		ssize_t n = read(fd, b + have, (size_t)st.st_size - have);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			e = n < 0 ? errno : EIO;
			free(b);
			close(fd);
			errno = e;
			return -1;
		}
		have += (size_t)n;
	}
	close(fd);
	b[have] = '\0';
	*buf = b;
	*len = have;
	return 0;
}

/* cp_read_text_file and cp_read_binary_file: text refuses a NUL byte. */
static int read_whole(const char *path, const char *what, size_t max, char **buf, size_t *len,
		      bool text)
{
	struct cp_screen sc;
	int fd = cp_screen_open(path, true, &sc), e;
	size_t have = 0, cap = 4096;
	char *b, *nul;

	*buf = NULL;
	*len = 0;
	if (fd == CP_SCREEN_REFUSED)
		return cp_error("%s: cannot read the %s: %s", path, what, sc.reason);
	if (fd < 0)
		return cp_error("%s: cannot read the %s: %s", path, what, strerror(errno));
	b = cp_xmalloc(cap + 1);
	for (;;) {
		ssize_t n;

		if (have == cap) {
			if (cap > max) /* one byte past the limit says enough */
				break;
			cap *= 2;
			b = cp_xrealloc(b, cap + 1);
		}
		n = read(fd, b + have, cap - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = errno;
			free(b);
			close(fd);
			return cp_error("%s: cannot read the %s: %s", path, what, strerror(e));
		}
		if (n == 0)
			break;
		have += (size_t)n;
	}
	close(fd);
	if (have > max) {
		free(b);
		return cp_error("%s: cannot read the %s: larger than %zu KB", path, what, max >> 10);
	}
	b[have] = '\0';
	if (text && (nul = memchr(b, '\0', have))) {
		long line = 1;

		for (char *p = b; p < nul; p++)
			line += *p == '\n';
		free(b);
		return cp_error("%s:%ld: cannot read the %s: a NUL byte", path, line, what);
	}
	*buf = b;
	*len = have;
	return 0;
}

int cp_read_text_file(const char *path, const char *what, size_t max, char **buf, size_t *len)
{
	return read_whole(path, what, max, buf, len, true);
}

int cp_read_binary_file(const char *path, const char *what, size_t max, char **buf, size_t *len)
{
	return read_whole(path, what, max, buf, len, false);
}
