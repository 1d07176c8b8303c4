/* Atomic file output (temp, fsync, rename, fsync folder) and the signal-safe
 * cleanup of temp files that a crash or an interrupt leaves behind. */
#include "util/atomic.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/fault.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define TMP_MARK ".cptmp."
#define MAX_LIVE 64

/* Temp names alive now, for the signal handler: plain char arrays so that
 * unlinking them there is async-signal-safe. */
static char live[MAX_LIVE][4096];
static volatile sig_atomic_t live_used[MAX_LIVE];
static int handlers_installed;
static int output_errno;

int cp_output_errno(void)
{
	return output_errno;
}

void cp_output_failed(int e)
{
	if (e)
		output_errno = e;
}

static void unlink_live(void)
{
	for (int i = 0; i < MAX_LIVE; i++)
		if (live_used[i])
			unlink(live[i]);
}

static void on_signal(int sig)
{
	unlink_live();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_handlers(void)
{
	struct sigaction sa;

	if (handlers_installed)
		return;
	handlers_installed = 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	atexit(unlink_live);
}

static void live_add(const char *tmp)
{
	for (int i = 0; i < MAX_LIVE; i++)
		if (!live_used[i] && strlen(tmp) < sizeof(live[i])) {
			memcpy(live[i], tmp, strlen(tmp) + 1);
			live_used[i] = 1;
			return;
		}
}

static void live_remove(const char *tmp)
{
	for (int i = 0; i < MAX_LIVE; i++)
		if (live_used[i] && strcmp(live[i], tmp) == 0) {
			live_used[i] = 0;
			return;
		}
}

static char *dir_of(const char *path)
{
	char *copy = cp_xstrdup(path);
	char *dir = cp_xstrdup(dirname(copy));

	free(copy);
	return dir;
}

int cp_fsync_dir_quiet(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), e;

	if (fd < 0)
		return cp_output_failed(errno), -1;
	if (cp_fault_check(CP_FAULT_FSYNC) < 0 || fsync(fd) < 0) {
		e = errno;
		close(fd);
		cp_output_failed(e);
		errno = e;
		return -1;
	}
	close(fd);
	return 0;
}

int cp_fsync_dir(const char *dir)
{
	if (cp_fsync_dir_quiet(dir) < 0)
		return cp_error("%s: cannot sync folder: %s", dir, strerror(errno));
	return 0;
}

int cp_rename_durable(const char *from, const char *to)
{
	char *dto, *dfrom;
	int r = 0;

	if (cp_fault_check(CP_FAULT_RENAME) < 0 || rename(from, to) < 0) {
		cp_output_failed(errno);
		return cp_error("%s: cannot rename to '%s': %s", from, to, strerror(errno));
	}
	dto = dir_of(to);
	dfrom = dir_of(from);
	if (cp_fsync_dir(dto) < 0 || (strcmp(dto, dfrom) != 0 && cp_fsync_dir(dfrom) < 0))
		r = -1;
	free(dto);
	free(dfrom);
	return r;
}

/* A failure returns 0 with errno set: fopencookie(3) forbids a negative
 * result, and glibc's stream then miscounts its buffer (a short write at
 * the file size limit, EFBIG, crashed the next fwrite). */
FILE *cp_scratch_file(const char *dir)
{
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	FILE *f;

	/* the temp names cp_atomic_open gives, which the sweeps know */
	for (int attempt = 0; fd < 0 && attempt < 100 &&
			      (errno == EOPNOTSUPP || errno == EISDIR || errno == EEXIST);
	     attempt++) {
		char *tmp = cp_xasprintf("%s/.scratch" TMP_MARK "%ld.%d", dir, (long)getpid(),
					 attempt);

		fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd >= 0 && unlink(tmp) < 0) {
			close(fd);
			fd = -1;
		}
		free(tmp);
	}
	if (fd < 0 || !(f = fdopen(fd, "w+"))) {
		cp_error("%s: cannot make a scratch file: %s", dir, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	return f;
}

static ssize_t cookie_write(void *cookie, const char *buf, size_t n)
{
	struct cp_atomic *a = cookie;
	size_t done = 0;

	if (cp_fault_check(CP_FAULT_WRITE) < 0)
		return cp_output_failed(errno), 0;
	while (done < n) {
		ssize_t w = write(a->fd, buf + done, n - done);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return cp_output_failed(errno), 0;
		}
		done += (size_t)w;
	}
	return (ssize_t)n;
}

static int cookie_close(void *cookie)
{
	struct cp_atomic *a = cookie;
	int r = close(a->fd);

	a->fd = -1;
	return r;
}

int cp_atomic_open(struct cp_atomic *a, const char *path, mode_t mode)
{
	cookie_io_functions_t io = { .write = cookie_write, .close = cookie_close };
	char *dir, *base, *copy;

	memset(a, 0, sizeof(*a));
	a->fd = -1;
	install_handlers();
	dir = dir_of(path);
	copy = cp_xstrdup(path);
	base = basename(copy);
	for (int attempt = 0; attempt < 100 && a->fd < 0; attempt++) {
		free(a->tmp);
		a->tmp = cp_xasprintf("%s/.%s" TMP_MARK "%ld.%d", dir, base, (long)getpid(),
				      attempt);
		a->fd = open(a->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
		if (a->fd < 0 && errno != EEXIST)
			break;
	}
	free(dir);
	free(copy);
	if (a->fd < 0) {
		cp_output_failed(errno);
		cp_error("%s: cannot create: %s", path, strerror(errno));
		free(a->tmp);
		a->tmp = NULL;
		return -1;
	}
	live_add(a->tmp);
	a->path = cp_xstrdup(path);
	a->fp = fopencookie(a, "w", io);
	if (!a->fp) {
		cp_atomic_abort(a);
		return cp_error("%s: cannot create: %s", path, strerror(errno));
	}
	setvbuf(a->fp, NULL, _IOFBF, 1 << 16);
	return 0;
}

static void release(struct cp_atomic *a)
{
	if (a->tmp) {
		live_remove(a->tmp);
		free(a->tmp);
	}
	free(a->path);
	memset(a, 0, sizeof(*a));
	a->fd = -1;
}

void cp_atomic_abort(struct cp_atomic *a)
{
	if (a->fp)
		fclose(a->fp);
	else if (a->fd >= 0)
		close(a->fd);
	if (a->tmp)
		unlink(a->tmp);
	release(a);
}

/* Flush and close the temp file, with an fsync first when sync is set. On
 * failure the temp file is removed and the struct released; -1. */
static int finish(struct cp_atomic *a, bool sync)
{
	int e;

	if (fflush(a->fp) != 0 || ferror(a->fp)) {
		e = errno;
		goto fail;
	}
	if (sync && (cp_fault_check(CP_FAULT_FSYNC) < 0 || fsync(a->fd) < 0)) {
		e = errno;
		goto fail;
	}
	if (fclose(a->fp) != 0) {
		a->fp = NULL;
		e = errno;
		goto fail;
	}
	a->fp = NULL;
	return 0;
fail:
	cp_output_failed(e);
	cp_error("%s: cannot write: %s", a->path, strerror(e));
	cp_atomic_abort(a);
	return -1;
}

int cp_atomic_commit(struct cp_atomic *a)
{
	if (finish(a, true) < 0)
		return -1;
	if (cp_rename_durable(a->tmp, a->path) < 0) {
		unlink(a->tmp);
		release(a);
		return -1;
	}
	release(a);
	return 0;
}

/* Open a temp file beside path and write buf to it. */
static int open_write(struct cp_atomic *a, const char *path, const void *buf, size_t len,
		      mode_t mode)
{
	if (cp_atomic_open(a, path, mode) < 0)
		return -1;
	if (len && fwrite(buf, 1, len, a->fp) != len) {
		int e = errno;

		cp_atomic_abort(a);
		return cp_error("%s: cannot write: %s", path, strerror(e));
	}
	return 0;
}

int cp_atomic_write_file(const char *path, const void *buf, size_t len, mode_t mode)
{
	struct cp_atomic a;

	if (open_write(&a, path, buf, len, mode) < 0)
		return -1;
	return cp_atomic_commit(&a);
}

int cp_atomic_write_pair(const char *first, const void *buf1, size_t len1, const char *second,
			 const void *buf2, size_t len2, mode_t mode)
{
	struct cp_atomic a = { .fd = -1 }, b = { .fd = -1 };
	int rc = -1;

	if (open_write(&a, first, buf1, len1, mode) < 0)
		return -1;
	if (open_write(&b, second, buf2, len2, mode) < 0) {
		cp_atomic_abort(&a);
		return -1;
	}
	if (finish(&a, true) < 0) {
		cp_atomic_abort(&b);
		return -1;
	}
	if (finish(&b, true) < 0)
		goto out;
	if (cp_fault_check(CP_FAULT_RENAME) < 0 || rename(a.tmp, a.path) < 0) {
		cp_error("%s: cannot rename to '%s': %s", a.tmp, a.path, strerror(errno));
		goto out;
	}
	/* renamed: no longer a temp file to remove */
	live_remove(a.tmp);
	free(a.tmp);
	a.tmp = NULL;
	rc = cp_rename_durable(b.tmp, b.path);
out:
	/* the temp names not renamed are removed (b: already, if finish failed) */
	if (a.tmp)
		unlink(a.tmp);
	if (b.tmp)
		unlink(b.tmp);
	release(&a);
	release(&b);
	return rc;
}

int cp_atomic_write_parked(const char *path, const void *buf, size_t len, mode_t mode,
			   char **tmp)
{
	struct cp_atomic a;

	*tmp = NULL;
	if (open_write(&a, path, buf, len, mode) < 0 || finish(&a, false) < 0)
		return -1;
	*tmp = a.tmp;
	a.tmp = NULL; /* the caller's now: out of the signal handler's list */
	live_remove(*tmp);
	release(&a);
	return 0;
}

int cp_atomic_copy_file(const char *src, const char *dst, mode_t mode)
{
	struct cp_atomic a;
	char buf[1 << 16];
	size_t n;
	FILE *in = fopen(src, "rb");

	if (!in)
		return cp_error("%s: cannot open: %s", src, strerror(errno));
	if (cp_atomic_open(&a, dst, mode) < 0) {
		fclose(in);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, a.fp) != n)
			break;
	if (ferror(in) || ferror(a.fp)) {
		int e = errno;

		fclose(in);
		cp_atomic_abort(&a);
		return cp_error("%s: cannot copy to '%s': %s", src, dst, strerror(e));
	}
	fclose(in);
	return cp_atomic_commit(&a);
}

/* Copy an open file to dst atomically, at most max bytes: 1 (nothing
 * kept) if it holds more. */
static int copy_fd(int fd, const char *src, const char *dst, mode_t mode, off_t max)
{
	struct cp_atomic a;
	char buf[1 << 16];
	off_t total = 0;
	ssize_t n;

	if (cp_atomic_open(&a, dst, mode) < 0)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n > 0 && (total += n) > max) { /* it grew since it was measured */
			cp_atomic_abort(&a);
			return 1;
		}
		if (n < 0 || fwrite(buf, 1, (size_t)n, a.fp) != (size_t)n) {
			int e = errno;

			cp_atomic_abort(&a);
			return cp_error("%s: cannot copy to '%s': %s", src, dst, strerror(e));
		}
	}
	return cp_atomic_commit(&a);
}

int cp_take_file(const char *from, const char *to, mode_t mode, off_t max)
{
	struct stat lst, st;
	char *dir;
	int fd, r;

	if (lstat(from, &lst) < 0)
		return cp_error("%s: cannot open: %s", from, strerror(errno));
	if (!S_ISREG(lst.st_mode)) { /* a link, a FIFO: the entry itself, never followed */
		/* a FIFO or socket of ours cut down as a file is (a link has
		 * no mode of its own, a folder keeps its search bits);
		 * AT_SYMLINK_NOFOLLOW: an entry swapped for a link since the
		 * lstat is not followed to its target */
		if (!S_ISLNK(lst.st_mode) && !S_ISDIR(lst.st_mode) && lst.st_uid == geteuid() &&
		    fchmodat(AT_FDCWD, from, lst.st_mode & mode & 07777, AT_SYMLINK_NOFOLLOW) < 0)
			cp_debug("%s: cannot cut its mode down: %s", from, strerror(errno));
		return cp_rename_durable(from, to);
	}
	fd = open(from, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return cp_error("%s: cannot open: %s", from, strerror(errno));
	if (fstat(fd, &st) < 0 || st.st_ino != lst.st_ino || st.st_dev != lst.st_dev) {
		close(fd);
		return cp_error("%s: changed while it was taken", from);
	}
	if (st.st_uid == geteuid() && fchmod(fd, st.st_mode & mode & 07777) == 0) {
		close(fd);
		return cp_rename_durable(from, to);
	}
	r = st.st_size > max ? 1 : copy_fd(fd, from, to, mode, max);
	close(fd);
	if (r != 0)
		return r;
	if (unlink(from) < 0)
		return cp_error("%s: cannot remove after copying it: %s", from, strerror(errno));
	dir = dir_of(from);
	r = cp_fsync_dir(dir);
	free(dir);
	return r;
}

void cp_atomic_sweep(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (e->d_name[0] == '.' && strstr(e->d_name, TMP_MARK)) {
			char *p = cp_xasprintf("%s/%s", dir, e->d_name);

			if (unlink(p) == 0)
				cp_debug("%s: removed a temp file left by a crash", p);
			free(p);
		}
	closedir(d);
}

/* The writer's pid in a temp name ".NAME.cptmp.PID.N", or 0 if it is not
 * one of ours. */
static pid_t temp_writer(const char *name)
{
	const char *p = NULL, *q;
	char *end;
	long pid;

	for (q = strstr(name, TMP_MARK); q; q = strstr(q + 1, TMP_MARK))
		p = q + strlen(TMP_MARK);
	if (!p || *p < '1' || *p > '9')
		return 0;
	pid = strtol(p, &end, 10);
	if (*end != '.' || !end[1] || strspn(end + 1, "0123456789") != strlen(end + 1))
		return 0;
	return pid > 0 && pid == (pid_t)pid ? (pid_t)pid : 0;
}

void cp_atomic_sweep_dead(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		pid_t pid;
		char *p;

		if (e->d_name[0] != '.' || !(pid = temp_writer(e->d_name)))
			continue;
		if (cp_pid_alive(pid)) /* its writer may still rename it */
			continue;
		p = cp_xasprintf("%s/%s", dir, e->d_name);
		if (unlink(p) == 0)
			cp_debug("%s: removed a temp file its writer (pid %ld) left", p, (long)pid);
		free(p);
	}
	closedir(d);
}

bool cp_pid_alive(pid_t pid)
{
	return kill(pid, 0) == 0 || errno != ESRCH;
}

pid_t cp_name_pid(const char *name)
{
	const char *dot = strrchr(name, '.');
	char *end;
	long pid;

	if (!dot || dot == name || dot[1] < '1' || dot[1] > '9')
		return 0;
	pid = strtol(dot + 1, &end, 10);
	return *end == '\0' && pid > 0 && pid == (pid_t)pid ? (pid_t)pid : 0;
}

void cp_remove_files_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			char *p = cp_xasprintf("%s/%s", dir, e->d_name);

			unlink(p);
			free(p);
		}
	if (d)
		closedir(d);
	rmdir(dir);
}

static void sweep_tree(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		struct stat st;
		char *p;

		if (e->d_name[0] == '.' ? !strstr(e->d_name, TMP_MARK)
					: depth == 0 || (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN))
			continue;
		p = cp_xasprintf("%s/%s", dir, e->d_name);
		if (e->d_name[0] == '.') {
			if (unlink(p) == 0)
				cp_debug("%s: removed a temp file left by a crash", p);
		} else if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			sweep_tree(p, depth - 1);
		}
		free(p);
	}
	closedir(d);
}

void cp_atomic_sweep_tree(const char *dir)
{
	sweep_tree(dir, 8);
}

int cp_mkdirs(const char *path)
{
	char *p = cp_xstrdup(path);

	for (char *s = p + 1;; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;

			*s = '\0';
			if (mkdir(p, 0750) < 0 && errno != EEXIST) {
				int e = errno;

				free(p);
				return cp_error("%s: cannot create folder: %s", path, strerror(e));
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return 0;
}
