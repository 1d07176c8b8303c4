/* Spool folders, batch ids and batch locks. */
#include "spool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/atomic.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "util/utf8.h"
#include "util/banned.h"

void cp_spool_names(struct cp_spool *s, const struct cp_conf *conf)
{
	memset(s, 0, sizeof(*s));
	s->root = cp_xstrdup(conf->spool);
	s->inbox = cp_xasprintf("%s/inbox", s->root);
	s->failed = cp_xasprintf("%s/failed", s->root);
	s->batches = cp_xasprintf("%s/batches", s->root);
	s->exports = cp_xasprintf("%s/exports", s->root);
	s->print = cp_xasprintf("%s/print", s->root);
	s->reprints = cp_xasprintf("%s/reprints", s->root);
	s->downloads = cp_xasprintf("%s/downloads", s->root);
	if (strncmp(conf->mail_transport, "file:", 5) == 0)
		s->outbox = cp_xstrdup(conf->mail_transport + 5);
}

int cp_spool_open(struct cp_spool *s, const struct cp_conf *conf)
{
	cp_spool_names(s, conf);
	if (cp_mkdirs(s->inbox) < 0 || cp_mkdirs(s->failed) < 0 || cp_mkdirs(s->batches) < 0 ||
	    cp_mkdirs(s->exports) < 0 || cp_mkdirs(s->print) < 0 ||
	    cp_mkdirs(s->reprints) < 0 ||
	    (s->outbox && cp_mkdirs(s->outbox) < 0)) {
		cp_spool_release(s);
		return -1;
	}
	return 0;
}

void cp_spool_check_modes(const struct cp_spool *s)
{
	const char *dirs[] = { s->root, s->inbox, s->failed, s->batches, s->exports, s->print,
			       s->reprints, s->downloads, s->outbox };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++) {
		struct stat st;

		if (dirs[i] && stat(dirs[i], &st) == 0 && (st.st_mode & S_IRWXO))
			cp_warn("%s: others may read it (mode %04o): chmod o-rwx %s", dirs[i],
				(unsigned)(st.st_mode & 07777), dirs[i]);
	}
}

void cp_spool_release(struct cp_spool *s)
{
	free(s->root);
	free(s->inbox);
	free(s->failed);
	free(s->batches);
	free(s->exports);
	free(s->print);
	free(s->reprints);
	free(s->downloads);
	free(s->outbox);
	memset(s, 0, sizeof(*s));
}

#define REPRINT_FONTS ".fonts-"

char *cp_spool_reprint_fonts(const struct cp_spool *s, const char *ref)
{
	return cp_xasprintf("%s/" REPRINT_FONTS "%s.%ld", s->reprints, ref, (long)getpid());
}

void cp_spool_sweep_reprints(const struct cp_spool *s)
{
	char *sub;
	DIR *d;
	struct dirent *e;

	for (int i = 0; i < 2; i++) {
		sub = cp_xasprintf("%s/%s", s->reprints, i ? "print" : "digital");
		cp_atomic_sweep_dead(sub);
		free(sub);
	}
	if (!(d = opendir(s->reprints)))
		return;
	while ((e = readdir(d))) {
		pid_t pid;

		if (strncmp(e->d_name, REPRINT_FONTS, strlen(REPRINT_FONTS)))
			continue;
		/* one without a pid is an older version's: its writer is gone */
		if ((pid = cp_name_pid(e->d_name)) && cp_pid_alive(pid))
			continue;
		sub = cp_xasprintf("%s/%s", s->reprints, e->d_name);
		cp_remove_files_dir(sub);
		cp_debug("%s: removed what a killed reprint left", sub);
		free(sub);
	}
	closedir(d);
}

char *cp_spool_batch_dir(const struct cp_spool *s, const char *id)
{
	return cp_xasprintf("%s/%s", s->batches, id);
}

char *cp_spool_batch_file(const struct cp_spool *s, const char *id, const char *name)
{
	return cp_xasprintf("%s/%s/%s", s->batches, id, name);
}

void cp_batch_id_format(char id[CP_BATCH_ID_MAX], time_t t, int seq)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(id, CP_BATCH_ID_MAX, "%04u%02u%02u-%02u%02u%02u-%03u",
		 (unsigned)(tm.tm_year + 1900) % 10000, (unsigned)(tm.tm_mon + 1) % 100,
		 (unsigned)tm.tm_mday % 100, (unsigned)tm.tm_hour % 100,
		 (unsigned)tm.tm_min % 100, (unsigned)tm.tm_sec % 100, (unsigned)seq % 1000);
}

bool cp_batch_id_valid(const char *id)
{
	static const char shape[] = "dddddddd-dddddd-ddd";

	if (strlen(id) != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? (id[i] < '0' || id[i] > '9') : id[i] != shape[i])
			return false;
	return true;
}

/* Whether two paths name the same folder: a path given for a batch must
 * be this spool's, not another spool's batch of the same name. */
static bool same_folder(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

int cp_spool_batch_arg(const struct cp_spool *s, const char *arg, char id[CP_BATCH_ID_MAX])
{
	char *copy = cp_xstrdup(arg), *base, a[PATH_MAX], b[PATH_MAX];
	struct stat st;
	char *dir;
	int r = 0;

	while (strlen(copy) > 1 && copy[strlen(copy) - 1] == '/')
		copy[strlen(copy) - 1] = '\0';
	base = basename(copy);
	if (!cp_batch_id_valid(base)) {
		free(copy);
		return cp_error("'%s' is not a batch id (YYYYMMDD-HHMMSS-NNN) or a batch folder",
				arg);
	}
	dir = cp_spool_batch_dir(s, base);
	if (strchr(arg, '/') && !same_folder(arg, dir))
		r = cp_error("'%s' is not a batch folder of this spool (%s)", arg, s->batches);
	/* lstat: a batch folder swapped for a link would have every stage
	 * write wherever it points, outside the spool */
	else if (lstat(dir, &st) == 0 && S_ISLNK(st.st_mode))
		r = cp_error("batch '%s': %s is a symbolic link, not a folder of this spool", base,
			     dir);
	else if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		r = cp_error("batch '%s': no such batch in %s", base, s->batches);
	/* a path names a batch only if it is this spool's folder of it: the
	 * same name in another spool is another batch */
	else if (strchr(arg, '/') && (!realpath(arg, a) || !realpath(dir, b) || strcmp(a, b)))
		r = cp_error("'%s' is not a batch folder of this spool (%s)", arg, s->batches);
	else
		snprintf(id, CP_BATCH_ID_MAX, "%s", base);
	free(dir);
	free(copy);
	return r;
}

bool cp_spool_in_inbox(const struct cp_spool *s, const char *path)
{
	char a[PATH_MAX], b[PATH_MAX], *copy = cp_xstrdup(path);
	bool in = realpath(dirname(copy), a) && realpath(s->inbox, b) && strcmp(a, b) == 0;

	free(copy);
	return in;
}

/* The fd a parent handed over in $CERTPRESS_LOCK_FD, if it is an open file
 * of path that holds (or now takes) the lock; else -1. */
static int inherited_lock(const char *path)
{
	const char *s = getenv("CERTPRESS_LOCK_FD");
	struct stat a, b;
	char *end;
	long n;

	if (!s || !*s)
		return -1;
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno || *end || n < 0 || n > INT_MAX)
		return -1;
	if (fstat((int)n, &a) < 0 || stat(path, &b) < 0 || a.st_dev != b.st_dev ||
	    a.st_ino != b.st_ino || flock((int)n, LOCK_EX | LOCK_NB) < 0)
		return -1;
	/* ours now, and no program this one starts inherits it by accident */
	fcntl((int)n, F_SETFD, FD_CLOEXEC);
	unsetenv("CERTPRESS_LOCK_FD");
	return (int)n;
}

int cp_batch_lock(const char *dir, const char *id, int *fd)
{
	char *path = cp_xasprintf("%s/lock", dir);
	int e = 0;

	(void)id;
	if ((*fd = inherited_lock(path)) >= 0) {
		free(path);
		return 0;
	}
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
	if (*fd < 0) {
		e = errno;
		free(path);
		return cp_error("%s: cannot open the batch lock: %s", dir, strerror(e));
	}
	free(path);
	for (int i = 0; i < 25; i++) {
		if (flock(*fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if ((e = errno) != EWOULDBLOCK)
			break;
		usleep(20000);
	}
	close(*fd);
	*fd = -1;
	if (e == EWOULDBLOCK)
		return 1;
	return cp_error("%s: cannot lock the batch: %s", dir, strerror(e));
}

int cp_batch_lock_pass(int fd)
{
	char n[16];

	if (fcntl(fd, F_SETFD, 0) < 0)
		return -1;
	snprintf(n, sizeof(n), "%d", fd);
	return setenv("CERTPRESS_LOCK_FD", n, 1);
}

int cp_batch_lock_probe(const char *dir, int *keep)
{
	char *path = cp_xasprintf("%s/lock", dir);
	int fd = open(path, O_RDONLY | O_CLOEXEC), e;

	free(path);
	if (keep)
		*keep = -1;
	if (fd < 0)
		return errno == ENOENT ? 0 : cp_error("%s: cannot open the batch lock: %s", dir,
						      strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		e = errno;
		close(fd);
		if (e == EWOULDBLOCK)
			return 1;
		return cp_error("%s: cannot lock the batch: %s", dir, strerror(e));
	}
	if (keep)
		*keep = fd;
	else
		close(fd);
	return 0;
}

const char *cp_spool_file_name_refused(const char *name)
{
	static const char *const devices[] = { "CON", "PRN", "AUX", "NUL", "COM", "LPT" };
	size_t n = strlen(name), stem = strcspn(name, ".");
	struct cp_name_check c;

	if (!*name)
		return "it is empty";
	if (!cp_utf8_valid(name, n))
		return "it is not UTF-8";
	if (strchr(name, '/') || strchr(name, '\\'))
		return "it is a path: give a file name";
	/* the name rule's printable and visible (util/utf8.h), so no name
	 * hides or reorders what it shows; a letter is not needed */
	cp_utf8_name_check(name, &c);
	if (c.first[CP_NAME_CONTROL] || c.first[CP_NAME_FORMAT])
		return "it has a control or formatting character";
	if (c.first[CP_NAME_INVISIBLE] || c.first[CP_NAME_UNASSIGNED] ||
	    c.first[CP_NAME_REPLACEMENT])
		return "it has an invisible, unassigned or replacement character";
	if (strpbrk(name, "<>:\"|?*"))
		return "it has one of < > : \" | ? *";
	if (name[0] == '.' || name[0] == '-')
		return "it starts with '.' or '-'";
	if (name[n - 1] == ' ' || name[n - 1] == '.')
		return "it ends in a space or '.'";
	if (cp_utf8_length(name) > 100)
		return "it is longer than 100 characters";
	for (size_t i = 0; i < sizeof(devices) / sizeof(*devices); i++)
		if ((stem == 3 && !strncasecmp(name, devices[i], 3)) ||
		    (stem == 4 && i >= 4 && !strncasecmp(name, devices[i], 3) && name[3] >= '0' &&
		     name[3] <= '9'))
			return "it is a device name on Windows";
	return NULL;
}

bool cp_spool_name_ok(const char *s)
{
	size_t n = 0;

	if (!s || !((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
		return false;
	for (; *s; s++, n++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return false;
	return n <= 40;
}
