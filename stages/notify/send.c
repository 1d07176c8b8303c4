/* The transports. smtp://host:port: libesmtp, every message of a call in
 * one SMTP session, STARTTLS as configured, AUTH when a user is set, the
 * configured timeout on the greeting and every reply. file:DIR: each message
 * written atomically as DIR/<Message-ID>.eml, the embedded default for
 * demos; "sent" there means the file is complete on disk. */
#include "notify.h"

#include <auth-client.h>
#include <errno.h>
#include <libesmtp.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../pipeline/atomic.h"
#include "../../pipeline/msg.h"
#include "../../pipeline/xalloc.h"
#include "../../pipeline/banned.h"

static void set_reply(struct cp_mail *m, int code, const char *text)
{
	size_t i = 0;

	m->code = code;
	for (; text && *text && i + 1 < sizeof(m->reply); text++)
		m->reply[i++] = (unsigned char)*text < 0x20 || *text == 0x7f ? ' ' : *text;
	while (i && m->reply[i - 1] == ' ')
		i--;
	m->reply[i] = '\0';
}

static int send_files(const char *dir, struct cp_mail *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *path = cp_xasprintf("%s/%s.eml", dir, m[i].message_id);

		if (cp_atomic_write_file(path, m[i].text, strlen(m[i].text), 0640) < 0)
			set_reply(&m[i], 0, "cannot write the message file");
		else
			set_reply(&m[i], 250, "written to the outbox");
		free(path);
	}
	return 0;
}

struct auth {
	const char *user;
	char password[256];
};

/* libesmtp asks for the user and password through this. */
static int interact(auth_client_request_t req, char **result, int fields, void *arg)
{
	struct auth *a = arg;

	for (int i = 0; i < fields; i++) {
		if (req[i].flags & AUTH_USER)
			result[i] = (char *)a->user;
		else if (req[i].flags & AUTH_PASS)
			result[i] = a->password;
		else
			return 0;
	}
	return 1;
}

static char *from_address(const char *from)
{
	const char *lt = strchr(from, '<');
	char *a = cp_xstrdup(lt ? lt + 1 : from);

	a[strcspn(a, ">")] = '\0';
	return a;
}

static int send_smtp(const struct cp_conf *conf, struct cp_mail *m, size_t n)
{
	static const int timeouts[] = { Timeout_GREETING, Timeout_ENVELOPE, Timeout_DATA,
					Timeout_TRANSFER, Timeout_DATA2 };
	static const enum starttls_option tls[] = { Starttls_DISABLED, Starttls_ENABLED,
						    Starttls_REQUIRED };
	smtp_session_t s = smtp_create_session();
	smtp_recipient_t *rcpt = cp_xcalloc(n, sizeof(*rcpt));
	smtp_message_t *msg = cp_xcalloc(n, sizeof(*msg));
	auth_context_t actx = NULL;
	struct auth auth = { conf->mail_user, "" };
	char *from = from_address(conf->mail_from), err[128];
	int rc = 0;

	if (!s) {
		free(from);
		free(rcpt);
		free(msg);
		return cp_error("cannot start an SMTP session");
	}
	smtp_set_server(s, conf->mail_transport + 7);
	for (size_t i = 0; i < sizeof(timeouts) / sizeof(*timeouts); i++)
		smtp_set_timeout(s, timeouts[i] | Timeout_OVERRIDE_RFC2822_MINIMUM,
				 conf->mail_timeout);
	smtp_starttls_enable(s, tls[conf->mail_starttls]);
	if (conf->mail_user) {
		if (conf->mail_password_file &&
		    cp_conf_mail_password(conf, auth.password, sizeof(auth.password)) < 0) {
			rc = -1;
			goto out;
		}
		auth_client_init();
		actx = auth_create_context();
		auth_set_mechanism_flags(actx, AUTH_PLUGIN_PLAIN, 0);
		auth_set_interact_cb(actx, interact, &auth);
		smtp_auth_set_context(s, actx);
	}
	for (size_t i = 0; i < n; i++) {
		msg[i] = smtp_add_message(s);
		smtp_set_reverse_path(msg[i], from);
		rcpt[i] = smtp_add_recipient(msg[i], m[i].to);
		smtp_set_message_str(msg[i], m[i].text);
	}
	if (!smtp_start_session(s)) {
		smtp_strerror(smtp_errno(), err, sizeof(err));
		for (size_t i = 0; i < n; i++)
			set_reply(&m[i], 0, err);
		cp_error("SMTP server %s: %s", conf->mail_transport + 7, err);
		rc = -1;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const smtp_status_t *r = smtp_recipient_status(rcpt[i]);
		const smtp_status_t *t = smtp_message_transfer_status(msg[i]);
		const smtp_status_t *f = smtp_reverse_path_status(msg[i]);

		/* MAIL FROM refused (authentication required or failed, the
		 * sender refused): the server's or our configuration's fault,
		 * never the learner's, so the message waits as if the server
		 * were down */
		if (f && f->code && f->code / 100 != 2) {
			set_reply(&m[i], 0, f->text);
			if (!rc)
				cp_error("SMTP server %s refused the sender (%d)%s", conf->mail_transport + 7,
					 f->code, conf->mail_user ? ": check [mail] user and password-file" : "");
			rc = -1;
			continue;
		}

		/* a refused recipient has its own code; an accepted one gets the
		 * message's (the reply to the data) */
		if (r && r->code && r->code / 100 != 2)
			set_reply(&m[i], r->code, r->text);
		else if (t && t->code)
			set_reply(&m[i], t->code, t->text);
		else {
			/* libesmtp ends a session whose AUTH failed without an error */
			set_reply(&m[i], 0, "the session ended before this message");
			if (!rc)
				cp_error("SMTP server %s ended the session early%s",
					 conf->mail_transport + 7,
					 conf->mail_user ? " (AUTH failed? check [mail] user and"
							   " password-file)" : "");
			rc = -1;
		}
	}
out:
	smtp_destroy_session(s);
	if (actx) {
		auth_destroy_context(actx);
		auth_client_exit();
	}
	sodium_memzero(auth.password, sizeof(auth.password));
	free(from);
	free(rcpt);
	free(msg);
	return rc;
}

int cp_mail_send(const struct cp_conf *conf, struct cp_mail *m, size_t n)
{
	if (!strncmp(conf->mail_transport, "file:", 5))
		return send_files(conf->mail_transport + 5, m, n);
	return send_smtp(conf, m, n);
}
