/* The email template and message (stages/notify): the input up to its
 * first NUL is the template (layouts/learner-email.txt's form), what
 * follows it the value of every binding and the recipient's name. A
 * message made must be one that no value can forge a header in: CRLF line
 * ends only, every header line a known header or a folded continuation in
 * printable ASCII, no line longer than RFC 5322's 998 (the body's 76, as
 * quoted-printable). */
#include "fuzz.h"

#include "conf.h"
#include "stages/notify/notify.h"

static const char *const known[] = { "From: ", "To: ", "Subject: ", "Date: ", "Message-ID: ",
				     "MIME-Version: ", "Content-Type: ",
				     "Content-Transfer-Encoding: ", "Auto-Submitted: " };

static void check_message(const char *m)
{
	int header = 1, subjects = 0;

	for (const char *line = m; *line;) {
		const char *end = strstr(line, "\r\n");
		size_t len;

		FUZZ_ASSERT(end != NULL); /* every line ends in CRLF */
		len = (size_t)(end - line);
		FUZZ_ASSERT(!memchr(line, '\r', len) && !memchr(line, '\n', len));
		if (header && len == 0) {
			header = 0;
		} else if (header) {
			int ok = line[0] == ' ' || line[0] == '\t';

			FUZZ_ASSERT(len <= 998);
			for (size_t i = 0; i < len; i++)
				FUZZ_ASSERT((line[i] >= 0x20 && line[i] < 0x7f) || line[i] == '\t');
			for (size_t k = 0; !ok && k < sizeof(known) / sizeof(*known); k++)
				ok = !strncmp(line, known[k], strlen(known[k]));
			FUZZ_ASSERT(ok);
			subjects += !strncmp(line, "Subject: ", 9);
		} else {
			FUZZ_ASSERT(len <= 76);
		}
		line = end + 2;
	}
	FUZZ_ASSERT(subjects == 1 && !header);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t tlen = nul ? (size_t)(nul - data) : size;
	char *value = nul ? fuzz_string(nul + 1, size - tlen - 1) : fuzz_string(data, size);
	struct cp_conf conf = { .mail_from = "Awarding Body <noreply@example.org>" };
	struct cp_mail_template t;
	struct cp_values v = { 0 };

	fuzz_write("mail.txt", data, tlen);
	if (cp_mail_template_load(&t, fuzz_dir(), "mail") == 0) {
		char *m;

		for (int i = 0; i < CP_NBINDINGS; i++)
			v.v[i] = value;
		m = cp_mail_compose(&conf, &t, &v, value, "learner@example.org",
				    "20261123.1@example.org");
		check_message(m);
		free(m);
		cp_mail_template_release(&t);
	}
	free(value);
	return 0;
}
