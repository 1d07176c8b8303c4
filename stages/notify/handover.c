/* The handover journal (handover.h). */
#include "handover.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/atomic.h"
#include "util/fault.h"
#include "util/msg.h"
#include "util/readfile.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* A journal holds one session's ids (per-session, at most a few thousand):
 * anything larger is not one of ours. */
#define JOURNAL_MAX (4 << 20)

/* The ids as the registry compares them: ",HEX,HEX," (upper-case hex of
 * each id's bytes, as SQLite's hex()), so no byte of an id can mean
 * anything to the statement. Only whole lines count: a line cut short
 * was never synced, so its message never went out. */
static void read_ids(struct cp_handover *h, const char *buf, size_t len)
{
	static const char digits[] = "0123456789ABCDEF";
	struct cp_strbuf b = { 0 };
	const char *p = buf, *end = buf + len, *nl;

	cp_strbuf_puts(&b, ",");
	for (; p < end && (nl = memchr(p, '\n', (size_t)(end - p))); p = nl + 1) {
		if (nl == p)
			continue;
		for (const char *c = p; c < nl; c++) {
			char x[2] = { digits[(unsigned char)*c >> 4], digits[(unsigned char)*c & 15] };

			cp_strbuf_put(&b, x, 2);
		}
		cp_strbuf_puts(&b, ",");
		h->ids++;
	}
	h->handed = b.s;
}

int cp_handover_open(struct cp_handover *h, const char *path)
{
	char *buf = NULL, *dir;
	size_t len = 0;

	memset(h, 0, sizeof(*h));
	h->path = cp_xstrdup(path);
	h->fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
	h->known = h->fd >= 0;
	if (h->fd < 0 && errno == ENOENT) {
		h->fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
			     0640);
		dir = cp_xstrdup(path);
		if (h->fd >= 0 && cp_fsync_dir(dirname(dir)) < 0) {
			close(h->fd);
			h->fd = -1;
			errno = EIO;
		}
		free(dir);
	}
	if (h->fd < 0)
		return cp_error("%s: cannot open the handover journal: %s", path, strerror(errno));
	if (h->known && cp_read_file(path, &buf, &len, JOURNAL_MAX) < 0)
		return cp_error("%s: cannot read the handover journal: %s", path, strerror(errno));
	read_ids(h, buf ? buf : "", len);
	free(buf);
	return 0;
}

int cp_handover_note(struct cp_handover *h, const char *message_id)
{
	char *line;
	size_t n;
	ssize_t w;

	if (strchr(message_id, '\n'))
		return cp_error("%s: a Message-ID with a line break cannot be journaled", h->path);
	line = cp_xasprintf("%s\n", message_id);
	n = strlen(line);
	w = cp_fault_check(CP_FAULT_WRITE) < 0 ? -1 : write(h->fd, line, n);
	free(line);
	if (w != (ssize_t)n || cp_fault_check(CP_FAULT_FSYNC) < 0 || fdatasync(h->fd) < 0)
		return cp_error("%s: cannot record a message handed over: %s", h->path,
				w < 0 || w == (ssize_t)n ? strerror(errno) : "a short write");
	return 0;
}

int cp_handover_clear(struct cp_handover *h)
{
	if (cp_fault_check(CP_FAULT_WRITE) < 0 || ftruncate(h->fd, 0) < 0 ||
	    cp_fault_check(CP_FAULT_FSYNC) < 0 || fdatasync(h->fd) < 0)
		return cp_error("%s: cannot empty the handover journal: %s", h->path,
				strerror(errno));
	return 0;
}

void cp_handover_close(struct cp_handover *h)
{
	if (h->fd >= 0)
		close(h->fd);
	free(h->path);
	free(h->handed);
	memset(h, 0, sizeof(*h));
	h->fd = -1;
}

int cp_handover_recover(struct cp_handover *h, struct cp_registry *reg,
			cp_handover_give_back_fn give_back, void *ctx)
{
	long n = 0;

	if (h->known) {
		if (cp_registry_begin(reg) < 0)
			return -1;
		if (give_back(reg, ctx, h->handed, "not tried: notify was stopped before the"
			      " message's content went out", &n) < 0 ||
		    cp_registry_commit(reg) < 0) {
			cp_registry_rollback(reg);
			return -1;
		}
		if (n)
			cp_info("%ld message(s) a stopped notify left recorded as being sent were"
				" never handed over: their attempts given back", n);
		return cp_handover_clear(h);
	}
	return 0;
}
