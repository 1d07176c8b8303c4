/* Many files written atomically together (atomicgroup.h). */
#include "util/atomicgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/atomic.h"
#include "util/fault.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

int cp_atomic_group_write(struct cp_atomic_group *g, const char *path, const void *buf,
			  size_t len, mode_t mode)
{
	char *tmp;

	if (cp_atomic_write_parked(path, buf, len, mode, &tmp) < 0)
		return -1;
	if (g->n == g->alloc) {
		g->alloc = g->alloc ? g->alloc * 2 : 64;
		g->tmp = cp_xrealloc(g->tmp, g->alloc * sizeof(*g->tmp));
		g->path = cp_xrealloc(g->path, g->alloc * sizeof(*g->path));
	}
	g->tmp[g->n] = tmp;
	g->path[g->n++] = cp_xstrdup(path);
	return 0;
}

static void clear(struct cp_atomic_group *g, size_t from)
{
	for (size_t i = from; i < g->n; i++)
		unlink(g->tmp[i]);
	for (size_t i = 0; i < g->n; i++) {
		free(g->tmp[i]);
		free(g->path[i]);
	}
	g->n = 0;
}

int cp_atomic_group_commit(struct cp_atomic_group *g)
{
	int fd, e;

	if (!g->n)
		return 0;
	/* any file of the group names the file system to sync */
	fd = open(g->tmp[0], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || cp_fault_check(CP_FAULT_FSYNC) < 0 || syncfs(fd) < 0) {
		e = errno;
		if (fd >= 0)
			close(fd);
		cp_output_failed(e);
		cp_error("%s: cannot sync: %s", g->path[0], strerror(e));
		clear(g, 0);
		return -1;
	}
	close(fd);
	for (size_t i = 0; i < g->n; i++)
		if (cp_fault_check(CP_FAULT_RENAME) < 0 || rename(g->tmp[i], g->path[i]) < 0) {
			e = errno;
			cp_output_failed(e);
			cp_error("%s: cannot rename to '%s': %s", g->tmp[i], g->path[i],
				 strerror(e));
			clear(g, i);
			return -1;
		}
	clear(g, g->n);
	return 0;
}

void cp_atomic_group_abort(struct cp_atomic_group *g)
{
	clear(g, 0);
	free(g->tmp);
	free(g->path);
	memset(g, 0, sizeof(*g));
}
