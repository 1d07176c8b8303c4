/* What every fuzzing harness shares: the tree's files it reads (schemas,
 * the fixtures' catalogue, fonts), and a folder of its own to write each
 * input to, since the parsers under test read named files as certpress
 * does. The folder is in /dev/shm when there is one (an input a run is
 * many thousand writes) and is removed at exit. */
#ifndef CP_FUZZ_H
#define CP_FUZZ_H

#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef CP_FUZZ_TOP
#define CP_FUZZ_TOP "."
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fuzz_dir_path[64];

static int fuzz_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void fuzz_dir_remove(void)
{
	if (fuzz_dir_path[0])
		nftw(fuzz_dir_path, fuzz_rm, 8, FTW_DEPTH | FTW_PHYS);
}

/* The harness's folder, made on first use. */
static inline const char *fuzz_dir(void)
{
	if (!fuzz_dir_path[0]) {
		const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";

		snprintf(fuzz_dir_path, sizeof(fuzz_dir_path), "%s/cp-fuzz-XXXXXX", base);
		if (!mkdtemp(fuzz_dir_path)) {
			perror("fuzz: mkdtemp");
			abort();
		}
		atexit(fuzz_dir_remove);
	}
	return fuzz_dir_path;
}

/* Write the bytes to NAME in the harness's folder, mode 0600; returns its
 * path (a static buffer, good until the next call). */
static inline const char *fuzz_write(const char *name, const uint8_t *data, size_t size)
{
	static char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", fuzz_dir(), name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size) || close(fd) < 0) {
		perror(path);
		abort();
	}
	return path;
}

/* The bytes as a C string (caller frees): up to the first NUL. */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* What the code under test says on stderr while it runs, kept: between
 * fuzz_stderr_begin() and fuzz_stderr_end(), which returns it (a static
 * buffer, NUL-terminated, good until the next call; the tail beyond its
 * size cut). Only stdio's stderr is swapped, not descriptor 2: a
 * sanitizer's or libFuzzer's report of a crash meanwhile is still seen.
 * FUZZ_SAID=1 shows what was said too (looking at one input). */
static char fuzz_said[16384];
static FILE *fuzz_saved_stderr;
static char *fuzz_said_buf;
static size_t fuzz_said_len;

static inline void fuzz_stderr_begin(void)
{
	FILE *f = open_memstream(&fuzz_said_buf, &fuzz_said_len);

	if (!f)
		abort();
	fflush(stderr);
	fuzz_saved_stderr = stderr;
	stderr = f;
}

static inline const char *fuzz_stderr_end(void)
{
	size_t n;

	fclose(stderr);
	stderr = fuzz_saved_stderr;
	n = fuzz_said_len < sizeof(fuzz_said) - 1 ? fuzz_said_len : sizeof(fuzz_said) - 1;
	memcpy(fuzz_said, fuzz_said_buf, n);
	fuzz_said[n] = '\0';
	free(fuzz_said_buf);
	fuzz_said_buf = NULL;
	if (getenv("FUZZ_SAID"))
		fputs(fuzz_said, stderr);
	return fuzz_said;
}

/* Every error line of what was said ("PROG: error: ...") begins with
 * "PROG: error: PATH:LINE: " with LINE at least 1, or with one of the
 * prefixes in also (NULL-terminated, after "PROG: error: "); how many error
 * lines there were, or -1 with the offending line in *bad. */
static inline long fuzz_errors_name_lines(const char *said, const char *prog, const char *path,
					  const char *const *also, const char **bad)
{
	char head[160];
	size_t hn, pn = strlen(path);
	long errors = 0;

	hn = (size_t)snprintf(head, sizeof(head), "%s: error: ", prog);
	for (const char *l = said; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l)) {
		const char *p = l + hn;
		bool ok = false;

		if (strncmp(l, head, hn))
			continue;
		errors++;
		if (!strncmp(p, path, pn) && p[pn] == ':' && p[pn + 1] >= '1' && p[pn + 1] <= '9') {
			char *end;

			(void)strtol(p + pn + 1, &end, 10);
			ok = *end == ':';
		}
		for (size_t i = 0; !ok && also && also[i]; i++)
			ok = !strncmp(p, also[i], strlen(also[i]));
		if (!ok) {
			*bad = l;
			return -1;
		}
	}
	return errors;
}

/* A property of the output broken: report it and abort, so libFuzzer
 * keeps the input as a crash. */
#define FUZZ_ASSERT(cond)                                                                  \
	do {                                                                               \
		if (!(cond)) {                                                             \
			fprintf(stderr, "fuzz: %s:%d: property broken: %s\n", __FILE__, __LINE__, \
				#cond);                                                    \
			abort();                                                           \
		}                                                                          \
	} while (0)

#endif
