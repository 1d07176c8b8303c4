/* The spool (spool.c): batch ids, the names a path may be built from, a
 * BATCH argument resolved to a batch of this spool, and batch locks: held
 * by one open file at a time, handed to a child by its fd, and an fd named
 * in the environment taken only if it is that very lock's holder. */
#include "unit.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "spool.h"

static char top[] = "/tmp/cp-spool-XXXXXX";
static char root[64], batch_a[128], batch_b[128];
static struct cp_conf conf;
static struct cp_spool spool;

#define A "20261123-010203-001"
#define B "20261123-010203-002"

static int setup(void **state)
{
	(void)state;
	if (unit_dir_make(top) < 0)
		return -1;
	snprintf(root, sizeof(root), "%s/spool", top);
	conf.spool = root;
	conf.mail_transport = "smtp://127.0.0.1:25";
	if (cp_spool_open(&spool, &conf) < 0)
		return -1;
	snprintf(batch_a, sizeof(batch_a), "%s/batches/" A, root);
	snprintf(batch_b, sizeof(batch_b), "%s/batches/" B, root);
	if (mkdir(batch_a, 0750) < 0 || mkdir(batch_b, 0750) < 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cp_spool_release(&spool);
	return unit_dir_remove(top);
}

static void the_spool_has_its_folders(void **state)
{
	struct stat st;
	char *p;

	(void)state;
	assert_string_equal(spool.inbox + strlen(root), "/inbox");
	assert_null(spool.outbox); /* SMTP: no outbox */
	assert_int_equal(stat(spool.failed, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(stat(spool.reprints, &st), 0);
	p = cp_spool_batch_file(&spool, A, "assigned.xml");
	assert_string_equal(p + strlen(root), "/batches/" A "/assigned.xml");
	free(p);
}

static void batch_ids(void **state)
{
	char id[CP_BATCH_ID_MAX];

	(void)state;
	cp_batch_id_format(id, 1795395723, 7); /* 2026-11-23T01:02:03Z */
	assert_string_equal(id, "20261123-010203-007");
	assert_true(cp_batch_id_valid(id));
	cp_batch_id_format(id, 0, 999);
	assert_string_equal(id, "19700101-000000-999");
	assert_true(cp_batch_id_valid("20261123-010203-001"));
	assert_false(cp_batch_id_valid("20261123-010203-01"));
	assert_false(cp_batch_id_valid("20261123-010203-0011"));
	assert_false(cp_batch_id_valid("20261123_010203-001"));
	assert_false(cp_batch_id_valid("2026112a-010203-001"));
	assert_false(cp_batch_id_valid("../../etc/passwd00"));
	assert_false(cp_batch_id_valid(""));
	/* ids sort by time */
	{
		char a[CP_BATCH_ID_MAX], b[CP_BATCH_ID_MAX];

		cp_batch_id_format(a, 1795395723, 999);
		cp_batch_id_format(b, 1795395724, 0);
		assert_true(strcmp(a, b) < 0);
	}
}

static void names_a_path_may_hold(void **state)
{
	char forty[41], more[42];

	(void)state;
	memset(forty, 'a', 40);
	forty[40] = '\0';
	memset(more, 'a', 41);
	more[41] = '\0';
	assert_true(cp_spool_name_ok("C01234"));
	assert_true(cp_spool_name_ok("CR-2026_0042"));
	assert_true(cp_spool_name_ok("0"));
	assert_true(cp_spool_name_ok(forty));
	assert_false(cp_spool_name_ok(more));
	assert_false(cp_spool_name_ok(""));
	assert_false(cp_spool_name_ok(NULL));
	assert_false(cp_spool_name_ok("-C01"));
	assert_false(cp_spool_name_ok("_C01"));
	assert_false(cp_spool_name_ok(".."));
	assert_false(cp_spool_name_ok("a/b"));
	assert_false(cp_spool_name_ok("a b"));
	assert_false(cp_spool_name_ok("a.zip"));
	assert_false(cp_spool_name_ok("C\xc3\xa9"));
	assert_false(cp_spool_name_ok("C01\n"));
}

/* The id cp_spool_batch_arg finds for arg, or "" with its message. */
static const char *resolve(const char *arg, char **msgs)
{
	static char id[CP_BATCH_ID_MAX];
	int saved = unit_capture();
	int rc = cp_spool_batch_arg(&spool, arg, id);

	*msgs = unit_captured(saved);
	if (rc < 0)
		return "";
	assert_int_equal(rc, 0);
	assert_string_equal(*msgs, "");
	return id;
}

/* An export's --name: every file name a centre's system can hold, nothing
 * that is a path or could be mistaken for something else. */
static void download_names(void **state)
{
	static const char *const good[] = {
		"November 2026", "Batch one.zip", "Zoë Brontë's", "Ελένη", "a", "con-2026",
		"COM10", "lptx", "x.y.z", "with (brackets) & more",
	};
	static const char *const bad[] = {
		"", "../x", "/etc/passwd", "a/b", "a\\b", ".hidden", "..", ".", "-rf", "end.",
		"end ", "CON", "con.zip", "Nul", "AUX.txt", "COM1", "lpt9.zip", "x<y", "x>y", "a:b",
		"a\"b", "a|b", "what?", "star*", "new\nline", "tab\there", "\x7f", "\xc2\x85nel",
		"bidi\xe2\x80\xae" "exe", "zero\xe2\x80\x8bwidth", "\xff\xfe", "\xc3", "filler\xe2\xa0\x80",
		"private\xee\x80\x80", "bad\xef\xbf\xbd",
	};
	char longest[102];

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++)
		assert_null(cp_spool_file_name_refused(good[i]));
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (!cp_spool_file_name_refused(bad[i]))
			fail_msg("name %zu taken", i);
	memset(longest, 'x', 100);
	longest[100] = '\0';
	assert_null(cp_spool_file_name_refused(longest));
	longest[100] = 'x';
	longest[101] = '\0';
	assert_non_null(cp_spool_file_name_refused(longest));
}

static void batch_arguments(void **state)
{
	char arg[256], *msgs;

	(void)state;
	assert_string_equal(resolve(A, &msgs), A);
	free(msgs);
	assert_string_equal(resolve(batch_a, &msgs), A);
	free(msgs);
	snprintf(arg, sizeof(arg), "%s///", batch_b);
	assert_string_equal(resolve(arg, &msgs), B);
	free(msgs);
	assert_string_equal(resolve("20261123-010203-003", &msgs), "");
	assert_non_null(strstr(msgs, "batch '20261123-010203-003': no such batch in "));
	free(msgs);
	assert_string_equal(resolve("../../etc", &msgs), "");
	assert_non_null(strstr(msgs, "'../../etc' is not a batch id (YYYYMMDD-HHMMSS-NNN) or a batch folder"));
	free(msgs);
	assert_string_equal(resolve("", &msgs), "");
	free(msgs);
	/* a file with a batch's name is no batch */
	snprintf(arg, sizeof(arg), "%s/batches/20261123-010203-009", root);
	close(open(arg, O_CREAT | O_WRONLY, 0640));
	assert_string_equal(resolve("20261123-010203-009", &msgs), "");
	assert_non_null(strstr(msgs, "no such batch"));
	free(msgs);
	unlink(arg);
	/* a folder of another spool named like one of ours is not ours */
	snprintf(arg, sizeof(arg), "mkdir -p %s/other/batches/" A " %s/links", top, top);
	assert_int_equal(system(arg), 0);
	snprintf(arg, sizeof(arg), "%s/other/batches/" A, top);
	assert_string_equal(resolve(arg, &msgs), "");
	assert_non_null(strstr(msgs, "is not a batch folder of this spool"));
	free(msgs);
	snprintf(arg, sizeof(arg), "%s/other/batches/" A "/", top);
	assert_string_equal(resolve(arg, &msgs), "");
	free(msgs);
	/* nor one that does not exist, whatever its last name */
	snprintf(arg, sizeof(arg), "%s/gone/" B, top);
	assert_string_equal(resolve(arg, &msgs), "");
	free(msgs);
	/* this spool's folder by another path (a link, ..) is ours */
	snprintf(arg, sizeof(arg), "%s/links/" A, top);
	assert_int_equal(symlink(batch_a, arg), 0);
	assert_string_equal(resolve(arg, &msgs), A);
	free(msgs);
	snprintf(arg, sizeof(arg), "%s/../batches/" B, spool.inbox);
	assert_string_equal(resolve(arg, &msgs), B);
	free(msgs);
}

static void files_in_the_inbox(void **state)
{
	char path[256];

	(void)state;
	snprintf(path, sizeof(path), "%s/r.xml", spool.inbox);
	assert_true(cp_spool_in_inbox(&spool, path));
	snprintf(path, sizeof(path), "%s/../inbox/r.xml", spool.failed);
	assert_true(cp_spool_in_inbox(&spool, path));
	snprintf(path, sizeof(path), "%s/r.xml", spool.failed);
	assert_false(cp_spool_in_inbox(&spool, path));
	snprintf(path, sizeof(path), "%s/sub/r.xml", spool.inbox);
	assert_false(cp_spool_in_inbox(&spool, path));
	assert_false(cp_spool_in_inbox(&spool, "r.xml"));
}

/* cp_batch_lock in a child: its result (0 held, 1 held by another, 2
 * error, 4 held through the fd env_fd names) as the child's exit status. */
static int lock_in_child(const char *dir, const char *env_fd)
{
	pid_t pid = fork();
	int status, fd;

	assert_true(pid >= 0);
	if (pid == 0) {
		int rc;

		if (env_fd)
			setenv("CERTPRESS_LOCK_FD", env_fd, 1);
		else
			unsetenv("CERTPRESS_LOCK_FD");
		rc = cp_batch_lock(dir, NULL, &fd);
		if (rc == 0 && env_fd && fd == atoi(env_fd))
			_exit(4);
		_exit(rc < 0 ? 2 : rc);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void a_lock_has_one_holder(void **state)
{
	int fd, again = -1, keep, saved;
	char *msgs;
	struct stat st;
	char path[256];

	(void)state;
	unsetenv("CERTPRESS_LOCK_FD");
	assert_int_equal(cp_batch_lock(batch_a, A, &fd), 0);
	assert_true(fd >= 0);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	snprintf(path, sizeof(path), "%s/lock", batch_a);
	assert_int_equal(stat(path, &st), 0);
	/* another open file of it, even in this process, waits half a second
	 * and gives up */
	assert_int_equal(cp_batch_lock(batch_a, A, &again), 1);
	assert_int_equal(again, -1);
	assert_int_equal(lock_in_child(batch_a, NULL), 1);
	assert_int_equal(cp_batch_lock_probe(batch_a, NULL), 1);
	/* another batch's lock is another lock */
	assert_int_equal(lock_in_child(batch_b, NULL), 0);
	close(fd);
	/* free again: probe holds it for the caller when asked */
	assert_int_equal(cp_batch_lock_probe(batch_a, &keep), 0);
	assert_true(keep >= 0);
	assert_int_equal(lock_in_child(batch_a, NULL), 1);
	close(keep);
	assert_int_equal(lock_in_child(batch_a, NULL), 0);
	/* probe creates nothing: no lock file, no lock */
	snprintf(path, sizeof(path), "%s/batches/20261123-010203-005", root);
	mkdir(path, 0750);
	assert_int_equal(cp_batch_lock_probe(path, &keep), 0);
	assert_int_equal(keep, -1);
	strcat(path, "/lock");
	assert_int_equal(stat(path, &st), -1);
	/* a folder that is not there: an error with its name */
	saved = unit_capture();
	assert_int_equal(cp_batch_lock("/nonexistent/batch", A, &fd), -1);
	msgs = unit_captured(saved);
	assert_non_null(strstr(msgs, "/nonexistent/batch: cannot open the batch lock"));
	free(msgs);
}

/* A holder hands its lock to a child by the fd (cp_batch_lock_pass); the
 * child's cp_batch_lock takes that fd and nothing else. */
static void a_lock_passed_by_its_fd(void **state)
{
	int fd, other, child;
	char n[16];
	char path[256];

	(void)state;
	unsetenv("CERTPRESS_LOCK_FD");
	assert_int_equal(cp_batch_lock(batch_a, A, &fd), 0);
	assert_int_equal(cp_batch_lock_pass(fd), 0);
	snprintf(n, sizeof(n), "%d", fd);
	assert_string_equal(getenv("CERTPRESS_LOCK_FD"), n);
	assert_int_equal(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0); /* kept across exec */
	assert_int_equal(lock_in_child(batch_a, n), 4);
	/* in this process too: the very fd comes back, no new one, and the
	 * variable is gone (no program it starts takes it by accident) */
	{
		int got = -1;

		assert_int_equal(cp_batch_lock(batch_a, A, &got), 0);
		assert_int_equal(got, fd);
		assert_null(getenv("CERTPRESS_LOCK_FD"));
		assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	}
	/* the fd of another batch's lock is not this batch's: B's own lock is
	 * taken while it is free, and while another holds it, it is not */
	assert_int_equal(lock_in_child(batch_b, n), 0);
	{
		int b;

		assert_int_equal(cp_batch_lock(batch_b, B, &b), 0);
		assert_int_equal(lock_in_child(batch_b, n), 1);
		close(b);
	}
	/* an fd of A's lock file that is not the holder's open file: not taken,
	 * and A stays held */
	snprintf(path, sizeof(path), "%s/lock", batch_a);
	other = open(path, O_RDONLY);
	assert_true(other >= 0);
	snprintf(n, sizeof(n), "%d", other);
	assert_int_equal(lock_in_child(batch_a, n), 1);
	/* nothing but a number of an open file is looked at */
	assert_int_equal(lock_in_child(batch_a, "abc"), 1);
	assert_int_equal(lock_in_child(batch_a, "-1"), 1);
	assert_int_equal(lock_in_child(batch_a, "99999999999"), 1);
	assert_int_equal(lock_in_child(batch_a, "1000"), 1);
	close(other);
	/* a holder that dies lets the lock go */
	close(fd);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		int mine;

		_exit(cp_batch_lock(batch_a, A, &mine) == 0 ? (pause(), 0) : 3);
	}
	for (int i = 0; i < 200 && cp_batch_lock_probe(batch_a, NULL) != 1; i++)
		usleep(10000);
	assert_int_equal(lock_in_child(batch_a, NULL), 1);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	assert_int_equal(lock_in_child(batch_a, NULL), 0);
	/* a closed fd cannot be passed */
	assert_int_equal(cp_batch_lock_pass(fd), -1);
	unsetenv("CERTPRESS_LOCK_FD");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_spool_has_its_folders),
		cmocka_unit_test(batch_ids),
		cmocka_unit_test(names_a_path_may_hold),
		cmocka_unit_test(download_names),
		cmocka_unit_test(batch_arguments),
		cmocka_unit_test(files_in_the_inbox),
		cmocka_unit_test(a_lock_has_one_holder),
		cmocka_unit_test(a_lock_passed_by_its_fd),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
