/* Template files found by their real path (links followed) and refused
 * outside the folders they may be in; opened without blocking and checked
 * with fstat, so what is read is the regular file that was checked. */
#include "engine/asset.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/xalloc.h"
#include "util/banned.h"

static const char *const system_fonts[] = { "/usr/share/fonts", "/usr/local/share/fonts" };

/* path is inside the folder root (both real paths) */
static bool inside(const char *path, const char *root)
{
	size_t n = strlen(root);

	return n > 1 && !strncmp(path, root, n) && path[n] == '/';
}

static bool inside_real(const char *path, const char *folder)
{
	char *root = realpath(folder, NULL);
	bool in = root && inside(path, root);

	free(root);
	return in;
}

/* A relative name whose ".." components climb out of the folder, seen
 * without asking the file system (which would tell what exists there). */
static bool climbs_out(const char *name)
{
	long depth = 0;

	for (const char *p = name; *p;) {
		size_t len = strcspn(p, "/");

		if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (--depth < 0)
				return true;
		} else if (len && !(len == 1 && p[0] == '.')) {
			depth++;
		}
		p += len;
		p += *p == '/';
	}
	return false;
}

static bool allowed(const char *real, const char *dir, enum cp_asset_kind kind)
{
	if (inside_real(real, dir))
		return true;
	if (kind == CP_ASSET_FONT)
		for (size_t i = 0; i < sizeof(system_fonts) / sizeof(*system_fonts); i++)
			if (inside_real(real, system_fonts[i]))
				return true;
	return false;
}

static void outside(enum cp_asset_kind kind, char *why, size_t n)
{
	snprintf(why, n, "%s", kind == CP_ASSET_FONT
		 ? "outside the layouts folder and the system's font folders"
		 : "outside the layouts folder");
}

int cp_asset_open(const char *dir, const char *name, enum cp_asset_kind kind, off_t max,
		  off_t *size, char **real, char *why, size_t n)
{
	char *path, *rpath = NULL;
	struct stat st;
	int fd = -1;

	if (real)
		*real = NULL;
	if (!*name) {
		snprintf(why, n, "an empty file name");
		return -1;
	}
	if (name[0] == '/' && kind == CP_ASSET_IMAGE) {
		snprintf(why, n, "an absolute path (name a file under the layouts folder)");
		return -1;
	}
	path = name[0] == '/' ? cp_xstrdup(name) : cp_xasprintf("%s/%s", dir, name);
	if (name[0] != '/' && climbs_out(name)) {
		outside(kind, why, n);
		goto out;
	}
	if (!(rpath = realpath(path, NULL))) {
		snprintf(why, n, "cannot open: %s", strerror(errno));
		goto out;
	}
	if (!allowed(rpath, dir, kind)) {
		outside(kind, why, n);
		goto out;
	}
	/* rpath holds no link: one put in its place since is refused */
	fd = open(rpath, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		snprintf(why, n, "cannot open: %s", strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) < 0) {
		snprintf(why, n, "cannot open: %s", strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		snprintf(why, n, "not a regular file");
	} else if (st.st_size == 0) {
		snprintf(why, n, "an empty file");
	} else if (st.st_size > max) {
		if (max >= 1 << 20)
			snprintf(why, n, "larger than %lld MB", (long long)(max >> 20));
		else
			snprintf(why, n, "larger than %lld bytes", (long long)max);
	} else {
		*size = st.st_size;
		if (real) {
			*real = rpath;
			rpath = NULL;
		}
		free(path);
		free(rpath);
		return fd;
	}
	close(fd);
	fd = -1;
out:
	free(path);
	free(rpath);
	return fd;
}

int cp_asset_read(int fd, off_t size, unsigned char **buf, char *why, size_t n)
{
	unsigned char *b = cp_xmalloc((size_t)size);
	size_t have = 0;

	while (have < (size_t)size) {
		ssize_t got = read(fd, b + have, (size_t)size - have);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			if (got < 0)
				snprintf(why, n, "cannot read: %s", strerror(errno));
			else
				snprintf(why, n, "shorter than when it was opened");
			free(b);
			close(fd);
			return -1;
		}
		have += (size_t)got;
	}
	close(fd);
	*buf = b;
	return 0;
}
