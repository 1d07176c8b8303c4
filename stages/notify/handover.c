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

/* Two lines of about a hundred bytes a message of a session (per-session:
 * 100000 at most) fit with room to spare; a larger journal is not one of
 * ours, and is believed in nothing (every intent's outcome unknown). */
#define JOURNAL_MAX (64 << 20)

/* An id as the registry compares it: the upper-case hex of its bytes, as
 * SQLite's hex(), a string of a JSON array, so no byte of an id can mean
 * anything to a statement. */
static void put_hex(struct cp_strbuf *b, const char *p, const char *end)
{
	static const char digits[] = "0123456789ABCDEF";

	cp_strbuf_puts(b, b->len > 1 ? ",\"" : "\"");
	for (; p < end; p++) {
		char x[2] = { digits[(unsigned char)*p >> 4], digits[(unsigned char)*p & 15] };

		cp_strbuf_put(b, x, 2);
	}
	cp_strbuf_puts(b, "\"");
}

/* The lists of the ids handed over and accepted. Only whole lines count:
 * a line cut short was never synced, so its message never went out; one a
 * failed write cut short is ended by the next line's leading newline. */
static void read_ids(struct cp_handover *h, const char *buf, size_t len)
{
	struct cp_strbuf handed = { 0 }, accepted = { 0 };
	const char *p = buf, *end = buf + len, *nl;

	cp_strbuf_puts(&handed, "[");
	cp_strbuf_puts(&accepted, "[");
	for (; p < end && (nl = memchr(p, '\n', (size_t)(end - p))); p = nl + 1)
		if (nl - p > 2 && p[1] == ' ' && (p[0] == 'H' || p[0] == 'A'))
			put_hex(p[0] == 'H' ? &handed : &accepted, p + 2, nl);
	cp_strbuf_puts(&handed, "]");
	cp_strbuf_puts(&accepted, "]");
	h->handed = handed.s;
	h->accepted = accepted.s;
}

/* Append "\nKIND ID\n": the leading newline ends whatever a failed write
 * left, so a torn line never swallows this one. -1 with errno. */
static int put_line(struct cp_handover *h, char kind, const char *message_id)
{
	char *line = cp_xasprintf("\n%c %s\n", kind, message_id);
	size_t n = strlen(line);
	ssize_t w = cp_fault_check(CP_FAULT_WRITE) < 0 ? -1 : write(h->fd, line, n);

	free(line);
	if (w >= 0 && w != (ssize_t)n)
		errno = ENOSPC; /* a short write: the disk is full */
	return w == (ssize_t)n ? 0 : -1;
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
	if (!h->known)
		return 0;
	if (cp_read_file(path, &buf, &len, JOURNAL_MAX) < 0) {
		if (errno != EFBIG)
			return cp_error("%s: cannot read the handover journal: %s", path,
					strerror(errno));
		/* believed in nothing: every intent kept as it may have gone */
		cp_warn("%s: larger than %d MB, not a handover journal: every message left"
			" 'intent' is taken as handed over", path, JOURNAL_MAX >> 20);
		return 0;
	}
	read_ids(h, buf, len);
	free(buf);
	return 0;
}

int cp_handover_note(struct cp_handover *h, const char *message_id)
{
	if (strchr(message_id, '\n'))
		return cp_error("%s: a Message-ID with a line break cannot be journaled", h->path);
	if (put_line(h, 'H', message_id) < 0 || cp_fault_check(CP_FAULT_FSYNC) < 0 ||
	    fdatasync(h->fd) < 0)
		return cp_error("%s: cannot record a message as handed over: %s", h->path,
				strerror(errno));
	return 0;
}

void cp_handover_accepted(struct cp_handover *h, const char *message_id)
{
	if (!strchr(message_id, '\n') && put_line(h, 'A', message_id) < 0)
		cp_warn("%s: cannot record a message as accepted (%s): a stop before its outcome"
			" is recorded sends it again", h->path, strerror(errno));
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
	free(h->accepted);
	memset(h, 0, sizeof(*h));
	h->fd = -1;
}

int cp_handover_recover(struct cp_handover *h, struct cp_registry *reg,
			cp_handover_settle_fn settle, void *ctx)
{
	/* no journal (an older certpress, a removed file), or one not to be
	 * believed: handed NULL, every intent's outcome unknown, kept */
	struct cp_intents in = { h->handed, h->accepted, 0, 0, 0 };

	if (cp_registry_begin(reg) < 0)
		return -1;
	if (settle(reg, ctx, &in) < 0 || cp_registry_commit(reg) < 0) {
		cp_registry_rollback(reg);
		return -1;
	}
	if (in.accepted_n || in.unknown || in.given_back)
		cp_info("a stopped notify left %ld message(s) recorded as being sent: %ld accepted"
			" by the server (now recorded sent), %ld handed over with no outcome (their"
			" attempts kept), %ld never handed over (their attempts given back)",
			in.accepted_n + in.unknown + in.given_back, in.accepted_n, in.unknown,
			in.given_back);
	return h->known ? cp_handover_clear(h) : 0;
}
