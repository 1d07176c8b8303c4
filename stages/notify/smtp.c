/* The smtp:// transport: libesmtp, every message of a call in one SMTP
 * session, STARTTLS as configured, AUTH when a user is set, [mail] timeout
 * on the greeting and every reply (each read, and each reply whole: one
 * that is not whole in time ends the session). Each message's outcome comes from the
 * replies it had; a message the server never took up (the session ended
 * before: 421, a lost connection) is marked not attempted, so the caller
 * defers it without charging it an attempt. */
#include "notify.h"

#include <auth-client.h>
#include <errno.h>
#include <libesmtp.h>
#include <sodium.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/fault.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* The descriptors looked at for the session's socket. */
#define FD_SCAN 1024

/* What the session saw, from libesmtp's callbacks. */
struct session {
	bool connected;       /* the TCP connection was made */
	int greeting;         /* the code of the server's first reply; 0: none */
	int busy;             /* 421 at any point, or a 4xx greeting: its code */
	char busy_text[128];
	char line[512];       /* the server's line being read */
	size_t len;
	/* The deadline of a whole reply. libesmtp times each read only, so a
	 * server sending one line of a reply a second would hold the session
	 * forever; it has no call to end a session either: the session's
	 * socket is shut down instead, and libesmtp's next read sees the
	 * connection end. */
	long timeout;         /* [mail] timeout, seconds */
	struct timespec since; /* the reply awaited was asked for then */
	bool overdue;         /* a reply was not whole in time: session ended */
	int fd;               /* the session's socket, or -1 */
	/* Which messages had a whole reply to their data (libesmtp's
	 * SMTP_EV_MESSAGESENT): a reply cut short leaves the code of its
	 * first line as the message's status ("250-" of a reply never
	 * finished), not to be taken for the server's word. */
	struct cp_mail *mails;
	smtp_recipient_t *rcpt;
	bool *replied;
	/* the message whose content was withheld (cp_mail_remake), which ends
	 * the session before its data: libesmtp cannot skip a message once
	 * its envelope went out; -1: none */
	long stopped_at;
	bool remake_failed;   /* one could not be made again or noted (cp_mail_remake) */
	unsigned char open_before[FD_SCAN / 8]; /* fds open before the session */
};

/* One whole line from the server: the last line of a reply is "NNN text". */
static void server_line(struct session *ss)
{
	const char *l = ss->line;
	bool first = !ss->greeting;
	int code;

	ss->line[ss->len] = '\0';
	ss->len = 0;
	if (l[0] < '0' || l[0] > '9' || l[1] < '0' || l[1] > '9' || l[2] < '0' || l[2] > '9' ||
	    (l[3] != ' ' && l[3] != '\r' && l[3] != '\0'))
		return;
	code = (l[0] - '0') * 100 + (l[1] - '0') * 10 + (l[2] - '0');
	/* a whole reply: the next one's time starts (pipelined replies
	 * come one after the other) */
	clock_gettime(CLOCK_MONOTONIC, &ss->since);
	if (first)
		ss->greeting = code;
	if (!ss->busy && (code == 421 || (first && code / 100 == 4))) {
		ss->busy = code;
		cp_mail_clean_text(ss->busy_text, sizeof(ss->busy_text), l[3] ? l + 4 : "");
	}
}

/* libesmtp shows the protocol here. Only the server's side is read: what
 * certpress writes (AUTH included) is never looked at. */
static void monitor(const char *buf, int len, int writing, void *arg)
{
	struct session *ss = arg;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (writing) {
		ss->since = now; /* a command or data went out: its reply is due */
		/* each command line is a kill point of the crash tests */
		for (int i = 0; i < len; i++)
			if (buf[i] == '\n')
				(void)cp_fault_check(CP_FAULT_SMTP);
		return;
	}
	for (int i = 0; i < len; i++) {
		if (buf[i] == '\n')
			server_line(ss);
		else if (ss->len + 1 < sizeof(ss->line))
			ss->line[ss->len++] = buf[i];
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!ss->overdue && ss->fd >= 0 && (now.tv_sec - ss->since.tv_sec) * 1000000000L +
	    (now.tv_nsec - ss->since.tv_nsec) > ss->timeout * 1000000000L) {
		ss->overdue = true;
		shutdown(ss->fd, SHUT_RDWR);
	}
}

/* Which descriptors are open now, to tell the session's socket later. */
static void note_open(struct session *ss)
{
	for (int fd = 0; fd < FD_SCAN; fd++)
		if (fcntl(fd, F_GETFD) != -1)
			ss->open_before[fd / 8] |= (unsigned char)(1u << (fd % 8));
}

/* The socket libesmtp made for the session: the one opened since. */
static int session_socket(const struct session *ss)
{
	struct stat st;

	for (int fd = 0; fd < FD_SCAN; fd++)
		if (!(ss->open_before[fd / 8] & (1u << (fd % 8))) && fstat(fd, &st) == 0 &&
		    S_ISSOCK(st.st_mode))
			return fd;
	return -1;
}

static int code_of(const smtp_status_t *st)
{
	return st ? st->code : 0;
}

static void on_event(smtp_session_t s, int event, void *arg, ...)
{
	struct session *ss = arg;
	va_list ap;

	(void)s;
	if (event == SMTP_EV_CONNECT) {
		ss->connected = true;
		ss->fd = session_socket(ss);
		clock_gettime(CLOCK_MONOTONIC, &ss->since); /* the greeting is due */
	} else if (event == SMTP_EV_MESSAGEDATA) {
		/* the message's content is going to the server: from now on
		 * it may be delivered even if no reply ever comes */
		va_start(ap, arg);
		struct cp_mail *m = smtp_message_get_application_data(va_arg(ap, smtp_message_t));
		va_end(ap);
		if (m)
			m->attempted = true;
	} else if (event == SMTP_EV_MESSAGESENT) {
		va_start(ap, arg);
		smtp_message_t msg = va_arg(ap, smtp_message_t);
		va_end(ap);
		struct cp_mail *m = smtp_message_get_application_data(msg);

		if (!m)
			return;
		ss->replied[m - ss->mails] = true;
		if (m->attempted && m->handover &&
		    code_of(smtp_message_transfer_status(msg)) / 100 == 2 &&
		    code_of(smtp_recipient_status(ss->rcpt[m - ss->mails])) / 100 == 2)
			cp_handover_accepted(m->handover, m->message_id);
	}
}

/* One message's content for libesmtp, made again (cp_mail_remake) when
 * libesmtp rewinds it, just before its data goes out. */
struct content {
	struct session *ss;
	struct cp_mail *m;
	bool given, stop;
};

static const char *content(void **ctx, int *len, void *arg)
{
	struct content *c = arg;

	(void)ctx;
	if (!len) { /* rewind: the data is about to go out */
		int r = c->stop ? 1 : cp_mail_remake(c->m);

		c->given = false;
		if (r != 0 && !c->stop) {
			c->stop = true;
			c->ss->stopped_at = c->m - c->ss->mails;
			c->ss->remake_failed = r < 0;
		}
		return NULL;
	}
	if (c->stop) {
		/* libesmtp drops the connection on an error here, before any
		 * of the message's data */
		errno = ECANCELED;
		*len = 0;
		return NULL;
	}
	*len = c->given ? 0 : (int)strlen(c->m->text);
	c->given = true;
	return c->m->text;
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

/* A message's outcome from the replies it had: to its sender (MAIL), its
 * recipient (RCPT) and its data (DATA, then the end of data). A 421 judges
 * the connection, not the message: also at the end of the data it says the
 * message was not taken (RFC 5321 4.2.2, 3.8), so it is deferred without an
 * attempt; a message whose content went out and had no reply may have been
 * delivered (the documented window). A message the server never judged is
 * not attempted, for the reason why_not. */
static void outcome(struct cp_mail *m, smtp_message_t msg, smtp_recipient_t rcpt,
		    bool replied, const char *why_not)
{
	const smtp_status_t *f = smtp_reverse_path_status(msg);
	const smtp_status_t *r = smtp_recipient_status(rcpt);
	const smtp_status_t *t = smtp_message_transfer_status(msg);
	int rc = code_of(r), tc = replied ? code_of(t) : 0;
	bool handed = m->attempted;
	char why[300];

	m->attempted = true;
	if (rc / 100 == 2) {
		if (tc == 421) {
			cp_mail_set_reply(m, tc, t->text);
			m->attempted = false;
			return;
		}
		if (tc / 100 == 2 && !handed) {
			/* a 2xx to DATA itself, where 354 was due: libesmtp sent
			 * nothing of the message, so it cannot have been taken (an
			 * attempt all the same: a server that always does this fails
			 * the message after max-attempts, never sends it as sent) */
			snprintf(why, sizeof(why), "the server answered DATA with %d before any"
				 " content: not sent", tc);
			cp_mail_set_reply(m, 0, why);
			return;
		}
		if (tc / 100 == 2 || tc / 100 == 5 || tc / 100 == 4) {
			cp_mail_set_reply(m, tc, t->text);
			return;
		}
		if (handed) {
			cp_mail_set_reply(m, 0, "the connection was lost during or after the"
						" message's data: it may have been delivered");
			return;
		}
	} else if (rc / 100 == 5 || (rc / 100 == 4 && rc != 421)) {
		cp_mail_set_reply(m, rc, r->text);
		return;
	}
	m->attempted = false;
	if (code_of(f) / 100 == 4 && f->code != 421) {
		snprintf(why, sizeof(why), "not tried: the server deferred the sender: %d %s",
			 f->code, f->text ? f->text : "");
		why_not = why;
	}
	cp_mail_set_reply(m, 0, why_not);
}

static enum cp_mail_session unreachable(struct cp_mail *m, size_t n, const char *why)
{
	for (size_t i = 0; i < n; i++) {
		m[i].attempted = false;
		cp_mail_set_reply(&m[i], 0, why);
	}
	return CP_MAIL_UNREACHABLE;
}

/* A session that never got going: no connection, no (whole) greeting, or
 * a refusal. true with every message given its reason. */
static bool never_started(const struct cp_conf *conf, const struct session *ss, struct cp_mail *m,
			  size_t n)
{
	const char *server = conf->mail_transport + 7;
	char why[300], err[128];

	smtp_strerror(smtp_errno(), err, sizeof(err));
	if (!ss->connected) {
		cp_error("SMTP server %s: %s", server, err);
		snprintf(why, sizeof(why), "not tried: %s", err);
	} else if (!ss->greeting && ss->overdue) {
		cp_error("SMTP server %s sent no whole reply within %ld s to greet (one line "
			 "after another, never the last): the session was ended", server,
			 conf->mail_timeout);
		snprintf(why, sizeof(why), "not tried: no whole greeting from the server");
	} else if (!ss->greeting) {
		cp_error("SMTP server %s sent no greeting (it closed the connection, or nothing"
			 " came within %ld s)", server, conf->mail_timeout);
		snprintf(why, sizeof(why), "not tried: no greeting from the server");
	} else if (ss->greeting / 100 == 5) {
		cp_error("SMTP server %s refused the session (%d)", server, ss->greeting);
		snprintf(why, sizeof(why), "not tried: the server refused the session (%d)",
			 ss->greeting);
	} else {
		return false;
	}
	unreachable(m, n, why);
	return true;
}

/* Each message's outcome; *answered: how many had a reply to MAIL FROM,
 * *open: how many are still without an outcome. The number of messages
 * whose sender the server refused (the server's or our configuration's
 * fault, never the learner's: they wait as if the server were down). */
static size_t outcomes(const struct cp_conf *conf, const struct session *ss, struct cp_mail *m,
		       smtp_message_t *msg, smtp_recipient_t *rcpt, size_t n, size_t *answered,
		       size_t *open)
{
	char why[300];
	size_t refused = 0;

	if (ss->busy)
		snprintf(why, sizeof(why), "not tried: the server closed the session: %d %s",
			 ss->busy, ss->busy_text);
	else
		snprintf(why, sizeof(why), "not tried: the session ended before this message");
	for (size_t i = 0; i < n; i++) {
		const smtp_status_t *f = smtp_reverse_path_status(msg[i]);

		if (code_of(f) / 100 == 5) {
			m[i].attempted = false;
			cp_mail_set_reply(&m[i], 0, "not tried: the server refused the sender");
			if (!refused++)
				cp_error("SMTP server %s refused the sender (%d)%s",
					 conf->mail_transport + 7, f->code,
					 conf->mail_user ? ": check [mail] user and password-file" : "");
			continue;
		}
		*answered += code_of(f) != 0;
		outcome(&m[i], msg[i], rcpt[i], ss->replied[i], why);
		*open += !m[i].attempted || !m[i].code;
	}
	return refused;
}

/* What the session came to, once each message has its outcome. */
static enum cp_mail_session verdict(const struct cp_conf *conf, const struct session *ss,
				    struct cp_mail *m, smtp_message_t *msg,
				    smtp_recipient_t *rcpt, size_t n)
{
	const char *server = conf->mail_transport + 7;
	char err[128];
	size_t answered = 0, open = 0;

	smtp_strerror(smtp_errno(), err, sizeof(err)); /* before anything else sets it */
	if (never_started(conf, ss, m, n))
		return CP_MAIL_UNREACHABLE;
	if (outcomes(conf, ss, m, msg, rcpt, n, &answered, &open))
		return CP_MAIL_UNREACHABLE;
	if (ss->stopped_at >= 0 && !ss->busy && !ss->overdue) {
		if (ss->remake_failed) {
			cp_warn("a message could not be made again from the registry or noted as"
				" handed over: the session was ended, the rest waits for a retry");
			return CP_MAIL_CLOSED;
		}
		return CP_MAIL_DONE; /* the caller sends the rest in a new session */
	}
	if (!answered && !ss->busy) {
		/* libesmtp ends a session whose AUTH or required STARTTLS failed
		 * without a message's reply */
		cp_error("SMTP server %s ended the session before any message%s%s%s", server,
			 conf->mail_user ? " (AUTH failed? check [mail] user and password-file)" : "",
			 smtp_errno() ? ": " : "", smtp_errno() ? err : "");
		return CP_MAIL_UNREACHABLE;
	}
	if (!ss->busy && !open)
		return CP_MAIL_DONE;
	/* reply codes only: a 421's text may quote an address */
	if (ss->overdue)
		cp_warn("SMTP server %s sent no whole reply within %ld s: the session was"
			" ended with %zu of %zu messages done: the rest waits for a retry",
			server, conf->mail_timeout, n - open, n);
	else if (ss->busy)
		cp_warn("SMTP server %s closed the session (%d) with %zu of %zu messages"
			" done: the rest waits for a retry", server, ss->busy, n - open, n);
	else
		cp_warn("the connection to SMTP server %s was lost with %zu of %zu messages"
			" done: the rest waits for a retry", server, n - open, n);
	return CP_MAIL_CLOSED;
}

/* One session for the n messages; *stopped_at: the message withheld that
 * ended it (the ones after it not tried), or -1. */
static enum cp_mail_session one_session(const struct cp_conf *conf, struct cp_mail *m,
					size_t n, long *stopped_at)
{
	static const int timeouts[] = { Timeout_GREETING, Timeout_ENVELOPE, Timeout_DATA,
					Timeout_TRANSFER, Timeout_DATA2 };
	static const enum starttls_option tls[] = { Starttls_DISABLED, Starttls_ENABLED,
						    Starttls_REQUIRED };
	smtp_session_t s = smtp_create_session();
	smtp_recipient_t *rcpt = cp_xcalloc(n, sizeof(*rcpt));
	smtp_message_t *msg = cp_xcalloc(n, sizeof(*msg));
	struct content *body = cp_xcalloc(n, sizeof(*body));
	auth_context_t actx = NULL;
	struct auth auth = { conf->mail_user, "" };
	struct session ss;
	char *from = from_address(conf->mail_from);
	enum cp_mail_session rc;

	memset(&ss, 0, sizeof(ss));
	ss.fd = -1;
	ss.timeout = conf->mail_timeout;
	ss.mails = m;
	ss.rcpt = rcpt;
	ss.stopped_at = -1;
	ss.replied = cp_xcalloc(n ? n : 1, sizeof(*ss.replied));
	if (!s) {
		cp_error("cannot start an SMTP session");
		rc = unreachable(m, n, "not tried: cannot start an SMTP session");
		goto out;
	}
	smtp_set_server(s, conf->mail_transport + 7);
	/* libesmtp's timeouts are milliseconds; the override lets a timeout
	 * below RFC 5321's minutes stand (down to libesmtp's own 1 s) */
	for (size_t i = 0; i < sizeof(timeouts) / sizeof(*timeouts); i++)
		smtp_set_timeout(s, timeouts[i] | Timeout_OVERRIDE_RFC2822_MINIMUM,
				 conf->mail_timeout * 1000L);
	smtp_starttls_enable(s, tls[conf->mail_starttls]);
	smtp_set_monitorcb(s, monitor, &ss, 0);
	smtp_set_eventcb(s, on_event, &ss);
	if (conf->mail_user) {
		if (conf->mail_password_file &&
		    cp_conf_mail_password(conf, auth.password, sizeof(auth.password)) < 0) {
			rc = unreachable(m, n, "not tried: the SMTP password cannot be read");
			goto out;
		}
		auth_client_init();
		actx = auth_create_context();
		auth_set_mechanism_flags(actx, AUTH_PLUGIN_PLAIN, 0);
		auth_set_interact_cb(actx, interact, &auth);
		smtp_auth_set_context(s, actx);
	}
	for (size_t i = 0; i < n; i++) {
		m[i].attempted = false;
		msg[i] = smtp_add_message(s);
		smtp_message_set_application_data_release(msg[i], &m[i], NULL);
		smtp_set_reverse_path(msg[i], from);
		rcpt[i] = smtp_add_recipient(msg[i], m[i].to);
		body[i] = (struct content){ &ss, &m[i], false, false };
		smtp_set_messagecb(msg[i], content, &body[i]);
	}
	/* false when no connection was made or the greeting was not 2xx:
	 * verdict() tells those apart from what the callbacks saw */
	note_open(&ss);
	smtp_start_session(s);
	rc = verdict(conf, &ss, m, msg, rcpt, n);
out:
	if (s)
		smtp_destroy_session(s);
	if (actx) {
		auth_destroy_context(actx);
		auth_client_exit();
	}
	sodium_memzero(auth.password, sizeof(auth.password));
	free(from);
	free(ss.replied);
	free(body);
	*stopped_at = ss.stopped_at;
	free(rcpt);
	free(msg);
	return rc;
}

enum cp_mail_session cp_mail_send_smtp(const struct cp_conf *conf, struct cp_mail *m, size_t n)
{
	enum cp_mail_session rc;
	long stopped_at;

	/* a message withheld ends its session: the ones after it go in the
	 * next (each ends one session at most) */
	while ((rc = one_session(conf, m, n, &stopped_at)) == CP_MAIL_DONE && stopped_at >= 0 &&
	       (size_t)stopped_at + 1 < n) {
		m += stopped_at + 1;
		n -= (size_t)stopped_at + 1;
	}
	return rc;
}
