/* The served snapshot (store.h): loaded, checked, swapped, counted. */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/date.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* What a file was when it was last tried: a change to any of these means
 * another file (a rename) or other contents. */
struct ident {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime, ctime;
	bool present;
};

static struct {
	pthread_mutex_t lock;
	struct vd_snapshot *current;
	char *snap_path, *sig_path;
	unsigned char pk[CP_EDSIGN_PUBLIC];
	struct ident tried_snap, tried_sig;
	bool tried;
} store = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void ident_of(const char *path, struct ident *id)
{
	struct stat st;

	memset(id, 0, sizeof(*id));
	if (stat(path, &st) < 0)
		return;
	id->present = true;
	id->dev = st.st_dev;
	id->ino = st.st_ino;
	id->size = st.st_size;
	id->mtime = st.st_mtim;
	id->ctime = st.st_ctim;
}

static bool same(const struct ident *a, const struct ident *b)
{
	return a->present == b->present && a->dev == b->dev && a->ino == b->ino &&
	       a->size == b->size && a->mtime.tv_sec == b->mtime.tv_sec &&
	       a->mtime.tv_nsec == b->mtime.tv_nsec && a->ctime.tv_sec == b->ctime.tv_sec &&
	       a->ctime.tv_nsec == b->ctime.tv_nsec;
}

void vd_store_init(const char *dir, const unsigned char pk[CP_EDSIGN_PUBLIC])
{
	store.snap_path = cp_xasprintf("%s/snapshot", dir);
	store.sig_path = cp_xasprintf("%s/snapshot.sig", dir);
	memcpy(store.pk, pk, CP_EDSIGN_PUBLIC);
}

/* The whole of an open file into memory (8-byte aligned: malloc's). */
static int read_all(int fd, const char *path, unsigned char **data, size_t *len)
{
	struct stat st;
	size_t got = 0;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return cp_error("%s: not a regular file", path);
	*len = (size_t)st.st_size;
	*data = cp_xmalloc(*len ? *len : 1);
	while (got < *len) {
		ssize_t n = read(fd, *data + got, *len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(*data);
			return cp_error("%s: cannot read: %s", path,
					n < 0 ? strerror(errno) : "the file shrank while read");
		}
		got += (size_t)n;
	}
	return 0;
}

static int read_path(const char *path, unsigned char **data, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK), rc;

	if (fd < 0)
		return cp_error("%s: cannot open: %s", path, strerror(errno));
	rc = read_all(fd, path, data, len);
	close(fd);
	return rc;
}

/* Read and check both files: a snapshot to serve, or NULL after saying why. */
static struct vd_snapshot *load(void)
{
	struct vd_snapshot *s = cp_xcalloc(1, sizeof(*s));
	unsigned char *sig = NULL;
	size_t siglen = 0;
	char why[128];

	if (read_path(store.snap_path, &s->data, &s->len) < 0)
		goto fail;
	if (read_path(store.sig_path, &sig, &siglen) < 0)
		goto fail;
	if (siglen != CP_EDSIGN_BYTES) {
		cp_error("%s: not a signature (%zu bytes, not %d)", store.sig_path, siglen,
			 CP_EDSIGN_BYTES);
		goto fail;
	}
	if (cp_edsign_verify(store.pk, s->data, s->len, sig) < 0) {
		cp_error("%s: refused: its signature (%s) does not match the publish key",
			 store.snap_path, store.sig_path);
		goto fail;
	}
	if (cp_snap_open(&s->s, s->data, s->len, why, sizeof(why)) < 0) {
		cp_error("%s: refused: %s", store.snap_path, why);
		goto fail;
	}
	free(sig);
	s->refs = 1; /* the store's own */
	return s;
fail:
	free(sig);
	free(s->data);
	free(s);
	return NULL;
}

int vd_store_reload(bool force)
{
	struct ident snap, sig, snap2, sig2;
	struct vd_snapshot *s, *old;
	char when[32];

	ident_of(store.snap_path, &snap);
	ident_of(store.sig_path, &sig);
	if (!force && store.tried && same(&snap, &store.tried_snap) && same(&sig, &store.tried_sig))
		return 0;
	s = load();
	ident_of(store.snap_path, &snap2);
	ident_of(store.sig_path, &sig2);
	/* a publish between the two reads: try the pair once more */
	if (!s && (!same(&snap, &snap2) || !same(&sig, &sig2))) {
		s = load();
		ident_of(store.snap_path, &snap2);
		ident_of(store.sig_path, &sig2);
	}
	store.tried = true;
	store.tried_snap = snap2;
	store.tried_sig = sig2;
	pthread_mutex_lock(&store.lock);
	old = store.current;
	if (!s) {
		pthread_mutex_unlock(&store.lock);
		if (old)
			cp_warn("still serving the snapshot of %s",
				cp_utc_stamp((time_t)old->s.h->published, when, sizeof(when)));
		else
			cp_warn("no snapshot to serve yet: pages answer 503");
		return 0;
	}
	store.current = s;
	pthread_mutex_unlock(&store.lock);
	if (old)
		vd_store_put(old);
	cp_info("serving the snapshot of %s: %u documents, %zu KB, signature good",
		cp_utc_stamp((time_t)s->s.h->published, when, sizeof(when)), s->s.h->ndocs,
		s->len / 1024);
	return 1;
}

struct vd_snapshot *vd_store_get(void)
{
	struct vd_snapshot *s;

	pthread_mutex_lock(&store.lock);
	s = store.current;
	if (s)
		s->refs++;
	pthread_mutex_unlock(&store.lock);
	return s;
}

void vd_store_put(struct vd_snapshot *s)
{
	long left;

	if (!s)
		return;
	pthread_mutex_lock(&store.lock);
	left = --s->refs;
	pthread_mutex_unlock(&store.lock);
	if (left == 0) {
		free(s->data);
		free(s);
	}
}

void vd_store_release(void)
{
	struct vd_snapshot *s;

	pthread_mutex_lock(&store.lock);
	s = store.current;
	store.current = NULL;
	pthread_mutex_unlock(&store.lock);
	vd_store_put(s);
	free(store.snap_path);
	free(store.sig_path);
}
