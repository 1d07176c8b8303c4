/* An LD_PRELOAD library for tests that need two processes interleaved at
 * an exact point: CP_PAUSE=CALL:SUFFIX (CALL is unlink or rename; for
 * rename the new name is matched) stops the first such call on a path
 * ending in SUFFIX, creates $CP_PAUSE_DIR/paused holding the process id,
 * and waits until $CP_PAUSE_DIR/go exists (at most two minutes, so a test
 * that dies cannot leave it waiting for ever); then the call is made. */
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int paused_once;

static int wanted(const char *call, const char *path)
{
	const char *spec = getenv("CP_PAUSE"), *colon;
	size_t n, len;

	if (paused_once || !spec || !path || !(colon = strchr(spec, ':')))
		return 0;
	n = (size_t)(colon - spec);
	if (strlen(call) != n || strncmp(spec, call, n))
		return 0;
	len = strlen(path);
	n = strlen(colon + 1);
	return len >= n && !strcmp(path + len - n, colon + 1);
}

static void pause_here(void)
{
	const char *dir = getenv("CP_PAUSE_DIR");
	char path[4096], pid[32];
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	int fd;

	paused_once = 1;
	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/paused", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0) {
		int len = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());

		if (write(fd, pid, (size_t)len) != len)
			fputs("pause: cannot write the pid\n", stderr);
		close(fd);
	}
	snprintf(path, sizeof(path), "%s/go", dir);
	for (int i = 0; i < 6000 && access(path, F_OK) < 0; i++)
		nanosleep(&tick, NULL);
}

int unlink(const char *path)
{
	static int (*real)(const char *);

	if (!real)
		real = (int (*)(const char *))dlsym(RTLD_NEXT, "unlink");
	if (wanted("unlink", path))
		pause_here();
	return real(path);
}

int rename(const char *from, const char *to)
{
	static int (*real)(const char *, const char *);

	if (!real)
		real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
	if (wanted("rename", to))
		pause_here();
	return real(from, to);
}
