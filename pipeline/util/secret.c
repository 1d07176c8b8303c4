/* One check of a secret file's mode and folder, for every secret. */
#include "util/secret.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sodium.h>
#include <unistd.h>

#include "util/atomic.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* The folder the file really is in (a symbolic link's target's). */
static int folder_ok(const char *path, const char *what)
{
	char real[PATH_MAX], *dir;
	struct stat st;
	int r = 0;

	if (!realpath(path, real))
		return cp_error("%s: cannot read the %s: %s", path, what, strerror(errno));
	dir = dirname(real);
	if (stat(dir, &st) < 0)
		r = cp_error("%s: cannot read the %s's folder: %s", dir, what, strerror(errno));
	else if (st.st_mode & (S_IWGRP | S_IWOTH))
		r = cp_error("%s: the folder of the %s is writable by others (mode %04o): "
			     "chmod go-w %s", dir, what, (unsigned)(st.st_mode & 07777), dir);
	return r;
}

int cp_secret_read(const char *path, const char *what, char *buf, size_t size, size_t *len)
{
	struct stat st;
	ssize_t n;
	size_t got = 0;
	int fd;

	*len = 0;
	buf[0] = '\0';
	if (folder_ok(path, what) < 0)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return cp_error("%s: cannot read the %s: %s", path, what, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return cp_error("%s: the %s is not a regular file", path, what);
	}
	if (st.st_mode & 077) {
		close(fd);
		return cp_error("%s: the %s is readable or writable by others (mode %04o): "
				"chmod 600 it", path, what, (unsigned)(st.st_mode & 07777));
	}
	while (got < size - 1 && (n = read(fd, buf + got, size - 1 - got)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return cp_error("%s: cannot read the %s: %s", path, what, strerror(errno));
		}
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*len = got;
	if (got == size - 1)
		return cp_error("%s: the %s is too long", path, what);
	return 0;
}

int cp_secret_read_hex(const char *path, const char *what, unsigned char *bytes, size_t n)
{
	char text[512], hex[2 * 128 + 1];
	size_t len, h = 0, got;
	int rc = 0;

	if (2 * n >= sizeof(hex))
		cp_bug("a %zu-byte key is longer than a key file holds", n);
	if (sodium_init() < 0)
		cp_bug("libsodium cannot start");
	if (cp_secret_read(path, what, text, sizeof(text), &len) < 0) {
		sodium_memzero(text, sizeof(text));
		return -1;
	}
	for (size_t i = 0; i < len && rc == 0; i++)
		if (!isspace((unsigned char)text[i])) {
			if (h == 2 * n)
				rc = -1;
			else
				hex[h++] = text[i];
		}
	hex[h] = '\0';
	if (rc < 0 || h != 2 * n ||
	    sodium_hex2bin(bytes, n, hex, h, NULL, &got, NULL) != 0 || got != n)
		rc = cp_error("%s: the %s is not %zu hex digits", path, what, 2 * n);
	sodium_memzero(text, sizeof(text));
	sodium_memzero(hex, sizeof(hex));
	return rc;
}

int cp_secret_write_hex(const char *path, const unsigned char *bytes, size_t n)
{
	char hex[2 * 128 + 2];
	int r;

	if (2 * n + 2 > sizeof(hex))
		cp_bug("a %zu-byte key is longer than a key file holds", n);
	if (access(path, F_OK) == 0)
		return 1;
	sodium_bin2hex(hex, sizeof(hex) - 1, bytes, n);
	hex[2 * n] = '\n';
	hex[2 * n + 1] = '\0';
	r = cp_atomic_write_file(path, hex, 2 * n + 1, 0600);
	sodium_memzero(hex, sizeof(hex));
	return r;
}
