/* Many files written atomically together: each to a temp name, no fsync
 * each; at commit one syncfs(2) for them all, then the renames. A file
 * never shows under its final name before its bytes are on disk. The
 * caller syncs the folders (cp_fsync_dir) before recording any as done;
 * temp files a crash leaves are swept (cp_atomic_sweep). For the render
 * stage, whose fsync per PDF cost an eighth of its time. */
#ifndef CP_ATOMICGROUP_H
#define CP_ATOMICGROUP_H

#include <stddef.h>
#include <sys/types.h>

struct cp_atomic_group {
	char **tmp, **path;
	size_t n, alloc;
};

/* -1 with a message (nothing of this file is left). */
int cp_atomic_group_write(struct cp_atomic_group *g, const char *path, const void *buf,
			  size_t len, mode_t mode);
/* Make the files durable and rename them onto their names; the group is
 * empty after, either way. -1 with a message (the temp files not yet
 * renamed are removed). */
int cp_atomic_group_commit(struct cp_atomic_group *g);
/* Remove the temp files and free the group. */
void cp_atomic_group_abort(struct cp_atomic_group *g);

#endif
