#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"

static char dir[] = "/tmp/cp-conf-XXXXXX";
static char path[256];

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/certpress.conf", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	rmdir(dir);
	return 0;
}

static void write_conf(const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void defaults_and_relative_paths(void **state)
{
	struct cp_conf c;
	char want[512];

	(void)state;
	write_conf("[certpress]\nspool = ../x/./spool\n");
	assert_int_equal(cp_conf_load_file(&c, path), 0);
	snprintf(want, sizeof(want), "/tmp/x/spool");
	assert_string_equal(c.spool, want);
	snprintf(want, sizeof(want), "%s/spool/registry.sqlite", dir);
	assert_string_equal(c.registry, want);
	assert_string_equal(c.awarding_body, "Example Awards");
	assert_false(c.export_encrypt);
	assert_int_equal(c.retention_hours, 24);
	snprintf(want, sizeof(want), "file:%s/spool/outbox", dir);
	assert_string_equal(c.mail_transport, want);
	cp_conf_release(&c);
}

static void values_are_read(void **state)
{
	struct cp_conf c;

	(void)state;
	write_conf("[certpress]\nawarding-body = Awards Cymru ; comment\nspool = /var/spool/cp\n"
		   "[mail]\ntransport = smtp://mail.example.org:587\nfrom = certs@example.org\n"
		   "[export]\nencrypt = yes\nretention-hours = 48\n");
	assert_int_equal(cp_conf_load_file(&c, path), 0);
	assert_string_equal(c.awarding_body, "Awards Cymru");
	assert_string_equal(c.spool, "/var/spool/cp");
	assert_string_equal(c.mail_transport, "smtp://mail.example.org:587");
	assert_true(c.export_encrypt);
	assert_int_equal(c.retention_hours, 48);
	cp_conf_release(&c);
}

static void bad_files_are_refused(void **state)
{
	static const char *const bad[] = {
		"[certpress]\nspol = x\n",
		"[export]\nretention-hours = 0\n",
		"[export]\nretention-hours = 9999999\n",
		"[export]\nretention-hours = 12h\n",
		"[export]\nencrypt = sometimes\n",
		"[mail]\ntransport = smtp://:25\n",
		"[mail]\ntransport = file:\n",
		"[mail]\nfrom = Name <no-at-sign>\n",
		"[mail]\nfrom = a@b.org\nfrom = c@d.org\n",
		"[certpress]\nverify-url = https://exa mple.org/\n",
		"[certpress]\nspool =\n",
		"not an ini line\n",
	};
	struct cp_conf c;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		write_conf(bad[i]);
		if (cp_conf_load_file(&c, path) != -1)
			fail_msg("accepted: %s", bad[i]);
	}
	assert_int_equal(cp_conf_load_file(&c, "/nonexistent/certpress.conf"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_and_relative_paths),
		cmocka_unit_test(values_are_read),
		cmocka_unit_test(bad_files_are_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
