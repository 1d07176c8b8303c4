/* One check of a secret file's owner, mode and folders, for every secret. */
#include "util/secret.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sodium.h>
#include <unistd.h>

#include "util/atomic.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* Whether a file or folder of this owner may hold or lead to a secret: its
 * owner may change it, so only this process's user or root. */
static bool owner_ok(uid_t uid)
{
	return uid == 0 || uid == geteuid();
}

/* One folder on the way to the secret: the one it is in (own) may be
 * written by nobody else; one above it by nobody else either, unless it is
 * sticky (as /tmp: no one else may move what is in it). */
static int folder_ok(const char *dir, const char *what, bool own)
{
	const char *which = own ? "the folder of the" : "a folder above the";
	struct stat st;

	if (stat(dir, &st) < 0)
		return cp_error("%s: cannot read the %s's folder: %s", dir, what, strerror(errno));
	if (!owner_ok(st.st_uid))
		return cp_error("%s: %s %s is owned by another user (uid %ld): it may change it",
				dir, which, what, (long)st.st_uid);
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) && (own || !(st.st_mode & S_ISVTX)))
		return cp_error("%s: %s %s is writable by others (mode %04o): chmod go-w %s", dir,
				which, what, (unsigned)(st.st_mode & 07777), dir);
	return 0;
}

/* The real folder of path (given, or a link's target) and every one above
 * it, up to the root. */
static int folders_ok(const char *path, const char *what)
{
	char real[PATH_MAX], *copy = cp_xstrdup(path), *dir = dirname(copy);
	int r = 0;

	if (!realpath(dir, real)) {
		r = cp_error("%s: cannot read the %s: %s", path, what, strerror(errno));
		free(copy);
		return r;
	}
	free(copy);
	for (bool own = true;; own = false) {
		if ((r = folder_ok(real, what, own)) < 0 || !strcmp(real, "/"))
			break;
		/* dirname() cuts real in place and returns it; a copy onto
		 * itself would be a no-op that valgrind reports as an overlap */
		if ((dir = dirname(real)) != real)
			memmove(real, dir, strlen(dir) + 1);
	}
	return r;
}

int cp_secret_read(const char *path, const char *what, char *buf, size_t size, size_t *len)
{
	char real[PATH_MAX];
	struct stat st;
	ssize_t n;
	size_t got = 0;
	int fd;

	*len = 0;
	buf[0] = '\0';
	/* the folders of the name given (a link there could be replaced) and
	 * of the file it is */
	if (folders_ok(path, what) < 0)
		return -1;
	if (!realpath(path, real))
		return cp_error("%s: cannot read the %s: %s", path, what, strerror(errno));
	if (strcmp(real, path) && folders_ok(real, what) < 0)
		return -1;
	fd = open(real, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY);
	if (fd < 0)
		return cp_error("%s: cannot read the %s: %s", path, what, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return cp_error("%s: the %s is not a regular file", path, what);
	}
	if (!owner_ok(st.st_uid)) {
		close(fd);
		return cp_error("%s: the %s is owned by another user (uid %ld): chown it to the "
				"user certpress runs as", path, what, (long)st.st_uid);
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

int cp_secret_readable(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

	if (fd >= 0) {
		close(fd);
		return 1;
	}
	return errno == EACCES ? 0 : 1;
}
