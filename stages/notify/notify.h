/* The notify stage: one email per learner of a packed batch (and one to the
 * centre), exactly once: the registry records the intent before a message
 * is handed to the transport and the outcome after, and a recipient already
 * recorded as sent is never mailed again. */
#ifndef CP_STAGE_NOTIFY_H
#define CP_STAGE_NOTIFY_H

#include <stdbool.h>
#include <stdio.h>

#include "engine/bind.h"
#include "conf.h"
#include "handover.h"
#include "util/mailaddr.h" /* cp_mail_address_ok */

int cp_notify_run(const struct cp_conf *conf, const char *batch_arg, FILE *out);
/* certpress-notify orders: the emails orders owe (orders.c). */
int cp_notify_orders(const struct cp_conf *conf, FILE *out);

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
	char *key;        /* the learner's enrolment, or the centre's key
			   * (cp_notification_centre_key) */
	char *to;         /* the address, checked */
	char *message_id; /* without the angle brackets */
	char *text;       /* the whole message, CRLF line ends */
	/* the outcome */
	int code;         /* the server's reply code; 0: no reply (connection) */
	bool attempted;   /* the server judged it, or may have taken it: an
			   * attempt against max-attempts; false when it was
			   * never handed over (the session ended before) */
	char reply[256];  /* its text, control characters removed */
	/* Made again by the transport just before the message's content goes
	 * out, from the registry as it is then (NULL: sent as made), so a
	 * revoke while messages wait their turn reaches every one not yet
	 * handed over: 0 sends text (replaced if it changed); 1 withholds it
	 * (nothing of it is valid any more: withheld is set, the message is
	 * not handed over); -1 it cannot be told (not handed over, not tried). */
	int (*remake)(struct cp_mail *m);
	void *remake_ctx;
	bool withheld;
	/* where its id is noted, once made, before its content goes out
	 * (handover.h); NULL: nowhere */
	struct cp_handover *handover;
};

/* The message: headers (non-ASCII as RFC 2047 encoded words, nothing from
 * data can start a header line), then the body as quoted-printable UTF-8. */
char *cp_mail_compose(const struct cp_conf *conf, const struct cp_mail_template *t,
		      const struct cp_values *v, const char *to_name, const char *to,
		      const char *message_id);

/* What a session came to, for the messages after it. */
enum cp_mail_session {
	CP_MAIL_DONE = 0,      /* every message has its outcome */
	CP_MAIL_CLOSED = 1,    /* the server ended the session early (421 at any
				* point, or the connection lost after the
				* greeting): the messages without an outcome
				* are deferred; start no other session now */
	CP_MAIL_UNREACHABLE = -1, /* no session: connection refused, no or a 5xx
				* greeting, STARTTLS or AUTH failed, the sender
				* refused; nothing was handed over */
};
/* m->remake, if any; sets m->withheld when it returns 1. Then, for a
 * message to go out, its id noted in m->handover: -1 (not handed over,
 * not tried) if that cannot be done. */
int cp_mail_remake(struct cp_mail *m);
/* Hand messages to the configured transport and fill in each outcome. */
enum cp_mail_session cp_mail_send(const struct cp_conf *conf, struct cp_mail *m, size_t n);
/* The smtp:// transport (smtp.c). */
enum cp_mail_session cp_mail_send_smtp(const struct cp_conf *conf, struct cp_mail *m, size_t n);
/* A server's text made one printable line: control characters become
 * spaces, trailing spaces go; at most size - 1 bytes. */
void cp_mail_clean_text(char *dst, size_t size, const char *text);
/* Set a message's outcome: the code and the text, cleaned. */
void cp_mail_set_reply(struct cp_mail *m, int code, const char *text);

/* The line of the centre element in a results file, or 0. */
long cp_notify_centre_line(const char *results_path);

#endif
