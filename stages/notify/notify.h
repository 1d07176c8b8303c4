/* The notify stage: one email per learner of a packed batch (and one to the
 * centre), exactly once: the registry records the intent before a message
 * is handed to the transport and the outcome after, and a recipient already
 * recorded as sent is never mailed again. */
#ifndef CP_STAGE_NOTIFY_H
#define CP_STAGE_NOTIFY_H

#include <stdbool.h>
#include <stdio.h>

#include "../../pipeline/bind.h"
#include "../../pipeline/conf.h"

int cp_notify_run(const struct cp_conf *conf, const char *batch_arg, FILE *out);

/* An email template (layouts/NAME.txt): a "Subject:" line, a blank line,
 * then the body, each with bindings; errors name the file and line. */
struct cp_mail_template {
	char *path;
	struct cp_text subject;
	struct cp_text *lines;
	size_t nlines;
};
int cp_mail_template_load(struct cp_mail_template *t, const char *dir, const char *name);
void cp_mail_template_release(struct cp_mail_template *t);

/* One message to send, and what became of it. */
struct cp_mail {
	char *key;        /* the learner's enrolment, or "centre:NUMBER" */
	char *to;         /* the address, checked */
	char *message_id; /* without the angle brackets */
	char *text;       /* the whole message, CRLF line ends */
	/* the outcome */
	int code;         /* the server's reply code; 0: no reply (connection) */
	char reply[256];  /* its text, control characters removed */
};

/* The address a message may be sent to, or NULL: one '@', printable ASCII
 * without spaces or the characters that end an address in a header. */
bool cp_mail_address_ok(const char *addr);
/* The message: headers (non-ASCII as RFC 2047 encoded words, nothing from
 * data can start a header line), then the body as quoted-printable UTF-8. */
char *cp_mail_compose(const struct cp_conf *conf, const struct cp_mail_template *t,
		      const struct cp_values *v, const char *to_name, const char *to,
		      const char *message_id);

/* Hand messages to the configured transport and fill in each outcome.
 * Returns 0, or -1 if the transport could not be reached at all (each
 * message then has code 0 and the reason). */
int cp_mail_send(const struct cp_conf *conf, struct cp_mail *m, size_t n);

#endif
