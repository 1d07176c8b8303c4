/* The notify stage's flow. Recipients are taken in chunks of [mail]
 * per-session; for each chunk the registry records the intent (status
 * 'intent', one more attempt) in one transaction, the chunk goes to the
 * transport in one session, and the outcomes are recorded in another:
 * 2xx sent, 4xx or no reply deferred (failed after max-attempts), 5xx failed;
 * a message the server never took up (the session ended before it) is
 * deferred and its attempt given back. What a stopped notify left 'intent'
 * is settled first by the handover journal (handover.h): sent, handed
 * over with its outcome unknown (deferred, its attempt kept), or never
 * handed over (deferred, its attempt given back). A learner's message is made again
 * just before its content goes out (remake_learner): one left with no
 * valid document meanwhile is withheld. A server that ends a session early
 * or cannot be reached gets no other session in this run. A recipient
 * recorded sent, failed or not notifiable is never mailed again, and one
 * whose attempts are used up (a crash left it 'intent') fails unsent.
 * notified.xml is written once no recipient is left to try. */
#include "notify.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/atomic.h"
#include "batchfile.h"
#include "util/date.h"
#include "doctype.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/progress.h"
#include "stage.h"
#include "util/xalloc.h"
#include "workdays.h"
#include "xmlout.h"
#include "util/banned.h"

struct notify {
	const struct cp_conf *conf;
	struct cp_stage *st;
	struct cp_mail_template learner, centre;
	char *domain;             /* of the From address: the Message-IDs' right side */
	struct cp_mail *chunk;
	size_t n;
	long tried, sent, deferred, failed, not_notifiable, left;
	bool unreachable;         /* no session could be had: the rest waits (69) */
	bool closed;              /* the server ended a session early: the rest
				   * waits (75) */
	char *centre_number, *centre_email;
	struct cp_handover handover; /* spool/batches/B/notify.journal */
};

/* Learners are read a page at a time and the statement ended before any
 * is recorded (see cp_notification_learners). */
#define PAGE 256

/* Record a recipient's state. reply and to may be NULL. */
static int record(struct notify *nt, const char *key, const char *to, const char *message_id,
		  const char *status, const char *reply, int attempt)
{
	return cp_notification_record(&nt->st->reg, nt->st->batch, key, to, message_id, status,
				      reply, attempt);
}

/* What a learner's message is made from, kept until it is sent so that
 * the transport can make it again (remake_learner). */
struct pending {
	struct notify *nt;
	struct cp_notify_learner row;
	char *docs; /* the documents listed in the message as made */
};

static void free_pending(struct pending *p)
{
	if (!p)
		return;
	cp_notify_learner_release(&p->row);
	free(p->docs);
	free(p);
}

static void free_chunk(struct notify *nt)
{
	for (size_t i = 0; i < nt->n; i++) {
		free_pending(nt->chunk[i].remake_ctx);
		free(nt->chunk[i].key);
		free(nt->chunk[i].to);
		free(nt->chunk[i].message_id);
		free(nt->chunk[i].text);
	}
	nt->n = 0;
}

/* The status one message's outcome is recorded with, its reply into
 * reply, and *attempt -1 where the intent's attempt is given back. */
static const char *outcome_status(struct notify *nt, const struct cp_mail *m, char *reply,
				  size_t n, int *attempt)
{
	long tries;

	*attempt = 0;
	if (m->code)
		snprintf(reply, n, "%d %s", m->code, m->reply);
	else
		snprintf(reply, n, "%s", m->reply);
	if (m->withheld) {
		/* every document it listed was revoked or superseded while it
		 * waited its turn: never handed over */
		snprintf(reply, n, "no valid document to announce");
		*attempt = -1;
		nt->not_notifiable++;
		cp_info("%s: its documents were revoked or superseded while notify ran: not sent",
			m->key);
		return "not-notifiable";
	}
	if (!m->attempted) {
		/* never handed over: the intent's attempt is given back */
		*attempt = -1;
		nt->left++;
		return "deferred";
	}
	if (m->code / 100 == 2) {
		nt->sent++;
		return "sent";
	}
	if (m->code / 100 == 5) {
		nt->failed++;
		/* the reply may quote the address: only its code is logged */
		cp_warn("%s: refused by the server (%d)", m->key, m->code);
		return "failed";
	}
	if ((tries = cp_notification_attempts(&nt->st->reg, nt->st->batch, m->key)) >=
	    nt->conf->mail_max_attempts) {
		nt->failed++;
		snprintf(reply, n, "gave up after %ld attempts: %d %s", tries, m->code, m->reply);
		cp_warn("%s: gave up after %ld attempts (last reply %d)", m->key, tries, m->code);
		return "failed";
	}
	nt->deferred++;
	return "deferred";
}

/* Intent, send, outcome for the chunk gathered. */
static int flush(struct notify *nt)
{
	struct cp_registry *reg = &nt->st->reg;
	int rc = 0;

	if (!nt->n)
		return 0;
	if (cp_registry_begin(reg) < 0)
		return -1;
	for (size_t i = 0; i < nt->n && !rc; i++)
		rc = record(nt, nt->chunk[i].key, nt->chunk[i].to, nt->chunk[i].message_id,
			    "intent", NULL, 1);
	if (rc || cp_registry_commit(reg) < 0) {
		cp_registry_rollback(reg);
		return -1;
	}
	/* a server that failed or ended one session early gets no other in
	 * this run: the batch waits at notify and retry sends what is left */
	switch (cp_mail_send(nt->conf, nt->chunk, nt->n)) {
	case CP_MAIL_UNREACHABLE:
		nt->unreachable = true;
		break;
	case CP_MAIL_CLOSED:
		nt->closed = true;
		break;
	case CP_MAIL_DONE:
		break;
	}
	if (cp_registry_begin(reg) < 0)
		return -1;
	for (size_t i = 0; i < nt->n && !rc; i++) {
		struct cp_mail *m = &nt->chunk[i];
		char reply[300];
		int attempt;
		const char *status = outcome_status(nt, m, reply, sizeof(reply), &attempt);

		rc = record(nt, m->key, m->to, m->message_id, status, reply, attempt);
	}
	if (rc || cp_registry_commit(reg) < 0) {
		cp_registry_rollback(reg);
		rc = -1;
	} else {
		rc = cp_handover_clear(&nt->handover);
	}
	cp_debug("%zu messages handed over in one session", nt->n);
	free_chunk(nt);
	return rc;
}

/* Whether a recipient in this state is still to be mailed. */
static bool pending(const char *status)
{
	return !status || !strcmp(status, "intent") || !strcmp(status, "deferred");
}

/* A recipient still to be mailed whose attempts are used up: a crash (or a
 * lost connection) left its last attempt's outcome unknown ('intent', or
 * settled so by the handover journal), or max-attempts was lowered. It
 * fails without another send, so attempts never pass max-attempts.
 * Returns 1 if so (recorded), 0 if not, -1 on error. */
static int used_up(struct notify *nt, const char *key, const char *status, const char *attempts,
		   const char *last)
{
	long tries = attempts ? strtol(attempts, NULL, 10) : 0;
	char reply[128];
	bool unknown = !strcmp(status ? status : "", "intent") ||
		       (last && !strncmp(last, CP_OUTCOME_UNKNOWN, strlen(CP_OUTCOME_UNKNOWN)));

	if (!status || tries < nt->conf->mail_max_attempts)
		return 0;
	snprintf(reply, sizeof(reply), "gave up after %ld attempts%s", tries,
		 unknown ? " (the last one's outcome unknown)" : "");
	cp_warn("%s: gave up after %ld attempts", key, tries);
	nt->failed++;
	return record(nt, key, NULL, "-", "failed", reply, 0) < 0 ? -1 : 1;
}

/* Whether the server is to be left alone for the rest of this run. */
static bool stopped(const struct notify *nt)
{
	return nt->unreachable || nt->closed;
}

/* Whether the per-run cap leaves this message for a later run. */
static bool capped(struct notify *nt)
{
	if (nt->conf->mail_per_run && nt->tried >= nt->conf->mail_per_run) {
		nt->left++;
		return true;
	}
	return false;
}

/* A message for the chunk (to be made by the caller); flush() once the
 * chunk is a session's worth. */
static struct cp_mail *add(struct notify *nt, const char *key, const char *to)
{
	struct cp_mail *m;

	nt->chunk = cp_xrealloc(nt->chunk, (nt->n + 1) * sizeof(*nt->chunk));
	m = &nt->chunk[nt->n++];
	memset(m, 0, sizeof(*m));
	m->key = cp_xstrdup(key);
	m->to = cp_xstrdup(to);
	/* stable: a resend of the same message carries the same id */
	m->message_id = cp_xasprintf("%s.%s@%s", nt->st->batch, key, nt->domain);
	for (char *p = m->message_id; *p; p++)
		if (*p == ':')
			*p = '.';
	m->handover = &nt->handover;
	nt->tried++;
	return m;
}

static int full(struct notify *nt)
{
	return (long)nt->n >= nt->conf->mail_per_session ? flush(nt) : 0;
}

struct docs_text {
	const struct cp_conf *conf;
	char *out;
};

static int add_document(void *ctx, const char *ref, const char *type, const char *title)
{
	struct docs_text *t = ctx;
	char *next = cp_xasprintf("%s%s  %s %s (%s)\n    check it: %s%s", t->out,
				  *t->out ? "\n" : "", cp_doctype_of(type)->title, ref, title,
				  t->conf->verify_url, ref);

	free(t->out);
	t->out = next;
	return 0;
}

/* The learner's documents as the email lists them ("" if none is valid),
 * or NULL if the registry cannot be read. */
static char *documents_text(struct notify *nt, const char *enrolment)
{
	struct docs_text t = { nt->conf, cp_xstrdup("") };

	if (cp_documents_for_learner(&nt->st->reg, nt->st->batch, enrolment, add_document,
				     &t) < 0) {
		free(t.out);
		return NULL;
	}
	return t.out;
}

/* A learner's message, listing docs. */
static char *learner_text(struct notify *nt, const struct cp_notify_learner *l,
			  const char *docs, const char *message_id)
{
	struct cp_values v;
	char *full_name, *text;

	memset(&v, 0, sizeof(v));
	full_name = cp_bind_full_name(l->first_name, l->middle_names, l->last_name);
	v.v[CP_B_AWARDING_BODY] = nt->conf->awarding_body;
	v.v[CP_B_FULL_NAME] = full_name;
	v.v[CP_B_FIRST_NAME] = l->first_name;
	v.v[CP_B_MIDDLE_NAMES] = l->middle_names;
	v.v[CP_B_LAST_NAME] = l->last_name;
	v.v[CP_B_QUAL_TITLE] = l->qualification_title;
	v.v[CP_B_QUAL_NUMBER] = l->qualification;
	v.v[CP_B_GRADE] = l->grade;
	v.v[CP_B_AWARDED] = l->awarded;
	v.v[CP_B_ENROLMENT] = l->enrolment;
	v.v[CP_B_CANDIDATE] = l->candidate;
	v.v[CP_B_CENTRE_NUMBER] = l->centre;
	v.v[CP_B_CENTRE_NAME] = l->centre_name;
	v.v[CP_B_COURSE_RUN] = l->course_run;
	v.v[CP_B_BATCH] = nt->st->batch;
	v.v[CP_B_DOCUMENTS] = docs;
	text = cp_mail_compose(nt->conf, &nt->learner, &v, full_name, l->email, message_id);
	free(full_name);
	return text;
}

/* The transport's call just before the message's content goes out: its
 * documents as they are now (a revoke or a reprint since it was made). */
static int remake_learner(struct cp_mail *m)
{
	struct pending *p = m->remake_ctx;
	char *docs = documents_text(p->nt, p->row.enrolment);

	if (!docs)
		return -1;
	if (!*docs) {
		free(docs);
		return 1;
	}
	if (strcmp(docs, p->docs)) {
		free(m->text);
		m->text = learner_text(p->nt, &p->row, docs, m->message_id);
		free(p->docs);
		p->docs = docs;
	} else {
		free(docs);
	}
	return 0;
}

/* l is taken over (left empty) when the learner is queued. */
static int learner(struct notify *nt, struct cp_notify_learner *l)
{
	const char *enrolment = l->enrolment, *email = l->email, *status = l->status;
	struct pending *p;
	struct cp_mail *m;
	char *docs;
	int rc;

	if (!pending(status)) {
		if (!strcmp(status, "sent"))
			nt->sent++;
		else if (!strcmp(status, "failed"))
			nt->failed++;
		else
			nt->not_notifiable++;
		return 0;
	}
	if (!email || !*email) {
		nt->not_notifiable++;
		return record(nt, enrolment, NULL, "-", "not-notifiable", "no email address", 0);
	}
	if (!cp_mail_address_ok(email)) {
		nt->failed++;
		cp_warn("%s: email address not usable: not sent", enrolment);
		return record(nt, enrolment, NULL, "-", "failed",
			      "the address is not one this sender can use", 0);
	}
	if ((rc = used_up(nt, enrolment, status, l->attempts, l->reply)) != 0)
		return rc < 0 ? -1 : 0;
	if (stopped(nt)) {
		nt->left++;
		return 0;
	}
	if (!(docs = documents_text(nt, enrolment)))
		return -1;
	if (!*docs) { /* all revoked or superseded: nothing of theirs is ready */
		free(docs);
		nt->not_notifiable++;
		return record(nt, enrolment, NULL, "-", "not-notifiable",
			      "no valid document to announce", 0);
	}
	if (capped(nt)) {
		free(docs);
		return 0;
	}
	m = add(nt, enrolment, email);
	m->text = learner_text(nt, l, docs, m->message_id);
	p = cp_xcalloc(1, sizeof(*p));
	p->nt = nt;
	p->row = *l;
	memset(l, 0, sizeof(*l));
	p->docs = docs;
	m->remake = remake_learner;
	m->remake_ctx = p;
	return full(nt);
}

static int learners(struct notify *nt)
{
	static struct cp_notify_learner rows[PAGE];
	char *after = cp_xstrdup("");
	int rc = 0, n;

	do {
		n = cp_notification_learners(&nt->st->reg, nt->st->batch, after, rows, PAGE);
		if (n < 0)
			rc = -1;
		for (int r = 0; r < n; r++) {
			if (r == n - 1) {
				free(after);
				after = cp_xstrdup(rows[r].enrolment);
			}
			if (!rc)
				rc = learner(nt, &rows[r]); /* may take the row over */
			cp_notify_learner_release(&rows[r]);
		}
	} while (n == PAGE && !rc);
	free(after);
	if (!rc)
		rc = flush(nt);
	return rc;
}

static int on_header(void *ctx, xmlNodePtr n)
{
	struct notify *nt = ctx;

	if (!xmlStrcmp(n->name, (const xmlChar *)"centre") && !nt->centre_number) {
		nt->centre_number = cp_xstrdup(cp_node_attr(n, "number"));
		if (cp_node_attr(n, "email"))
			nt->centre_email = cp_xstrdup(cp_node_attr(n, "email"));
	}
	return 0;
}

static int skip(void *ctx, xmlNodePtr n)
{
	(void)ctx;
	(void)n;
	return 0;
}

/* A centre address that cannot be used (a line break, a space, not one
 * address): the results file's data, not the server's fault. The centre
 * fails without a send, visible in 'certpress status BATCH' and run's
 * summary, and the error names the line to correct. */
static int unusable_centre(struct notify *nt, const char *key)
{
	char *results = cp_spool_batch_file(&nt->st->spool, nt->st->batch, "results.xml");
	long line = cp_notify_centre_line(results);
	char reply[160];
	int rc;

	snprintf(reply, sizeof(reply), "the centre's address (results.xml line %ld) is not one"
		 " this sender can use", line);
	/* an error, said under -q too: nobody else tells the centre that its
	 * export is ready (the batch is done all the same: nothing to retry) */
	cp_error("%s:%ld: centre '%s': email address not usable (a control character, a space,"
		 " or not one plain address): the centre is not emailed; tell it another way",
		 results, line, nt->centre_number);
	nt->failed++;
	rc = record(nt, key, NULL, "-", "failed", reply, 0);
	free(results);
	return rc;
}

/* The centre's message: its export is ready, its name and expiry (never
 * the zip's password). */
static int centre(struct notify *nt)
{
	struct cp_batchfile_handler h = { nt, on_header, NULL, NULL, skip };
	char *path = cp_spool_batch_file(&nt->st->spool, nt->st->batch, "held.xml"), *key;
	struct cp_centre_export e;
	int rc = 0, got;

	/* held.xml is small and carries the same header as assigned.xml */
	if (cp_batchfile_read(path, "held", &h, NULL) < 0) {
		free(path);
		return -1;
	}
	free(path);
	if (!nt->centre_number)
		return 0;
	key = cp_notification_centre_key(nt->centre_number);
	/* read whole, the statement ended, before writing: see PAGE */
	got = cp_notification_centre_export(&nt->st->reg, nt->st->batch, nt->centre_number, &e);
	if (got < 0) {
		rc = -1;
	} else if (got && pending(e.status)) {
		struct cp_values v;
		char days[24], due[11];

		memset(&v, 0, sizeof(v));
		snprintf(days, sizeof(days), "%ld", nt->conf->receipt_days);
		if (cp_receipt_due(nt->conf, e.created, due) < 0) {
			cp_centre_export_release(&e);
			free(key);
			return -1;
		}
		v.v[CP_B_RECEIPT_DAYS] = days;
		v.v[CP_B_RECEIPT_DUE] = due;
		v.v[CP_B_AWARDING_BODY] = nt->conf->awarding_body;
		v.v[CP_B_CENTRE_NUMBER] = nt->centre_number;
		v.v[CP_B_BATCH] = nt->st->batch;
		v.v[CP_B_EXPORT_FILE] = e.file;
		v.v[CP_B_EXPORT_EXPIRES] = e.expires;
		if (!nt->centre_email) {
			nt->not_notifiable++;
			rc = record(nt, key, NULL, "-", "not-notifiable", "no centre address", 0);
		} else if (!cp_mail_address_ok(nt->centre_email)) {
			rc = unusable_centre(nt, key);
		} else if ((rc = used_up(nt, key, e.status, e.attempts, e.reply)) != 0) {
			rc = rc < 0 ? -1 : 0;
		} else if (stopped(nt)) {
			nt->left++;
		} else if (!capped(nt)) {
			struct cp_mail *m = add(nt, key, nt->centre_email);

			m->text = cp_mail_compose(nt->conf, &nt->centre, &v, "", nt->centre_email,
						  m->message_id);
			rc = flush(nt);
		}
	}
	cp_centre_export_release(&e);
	free(key);
	return rc;
}

static int write_recipient(void *ctx, const struct cp_notification_row *n)
{
	struct cp_xmlout *x = ctx;

	cp_xmlout_start(x, "recipient");
	cp_xmlout_attr(x, "key", n->key);
	cp_xmlout_attr(x, "status", n->status);
	cp_xmlout_attr_long(x, "attempts", n->attempts);
	if (n->reply)
		cp_xmlout_attr(x, "reply", n->reply);
	cp_xmlout_end(x);
	return 0;
}

static int write_notified(struct notify *nt)
{
	struct cp_atomic a;
	struct cp_xmlout x;
	char *path = cp_spool_batch_file(&nt->st->spool, nt->st->batch, "notified.xml");
	int rc;

	if (cp_xmlout_create(&x, &a, path, "notified", nt->st->batch) < 0) {
		free(path);
		return -1;
	}
	rc = cp_notifications_each(&nt->st->reg, nt->st->batch, write_recipient, &x);
	cp_xmlout_start(&x, "end");
	cp_xmlout_attr_long(&x, "sent", nt->sent);
	cp_xmlout_attr_long(&x, "failed", nt->failed);
	cp_xmlout_attr_long(&x, "not-notifiable", nt->not_notifiable);
	cp_xmlout_end(&x);
	cp_xmlout_end(&x);
	if (cp_xmlout_finish(&x) < 0 || rc < 0)
		rc = -1;
	else
		rc = cp_atomic_commit(&a);
	if (rc < 0)
		cp_atomic_abort(&a);
	free(path);
	return rc;
}

static int load(struct notify *nt)
{
	const char *at = strrchr(nt->conf->mail_from, '@');

	nt->domain = cp_xstrdup(at ? at + 1 : "certpress.invalid");
	nt->domain[strcspn(nt->domain, ">")] = '\0';
	if (cp_mail_template_load(&nt->learner, nt->conf->layouts, "learner-email") < 0 ||
	    cp_mail_template_load(&nt->centre, nt->conf->layouts, "centre-email") < 0)
		return -1;
	if (nt->conf->mail_user && !strncmp(nt->conf->mail_transport, "smtp:", 5)) {
		char pw[256]; /* a loose password file is a configuration error (78) */
		int r = cp_conf_mail_password(nt->conf, pw, sizeof(pw));

		explicit_bzero(pw, sizeof(pw));
		if (r < 0)
			return -1;
	}
	return 0;
}

static int settle(struct cp_registry *reg, void *ctx, struct cp_intents *in)
{
	return cp_notification_settle(reg, ((struct notify *)ctx)->st->batch, in);
}

/* The handover journal opened, and what a stopped run left 'intent'
 * settled by it, before any new intent. */
static int recover(struct notify *nt)
{
	char *path = cp_spool_batch_file(&nt->st->spool, nt->st->batch, "notify.journal");
	int rc = cp_handover_open(&nt->handover, path);

	free(path);
	if (!rc)
		rc = cp_handover_recover(&nt->handover, &nt->st->reg, settle, nt);
	return rc;
}

static void release(struct notify *nt)
{
	free_chunk(nt);
	free(nt->chunk);
	cp_mail_template_release(&nt->learner);
	cp_mail_template_release(&nt->centre);
	free(nt->domain);
	free(nt->centre_number);
	free(nt->centre_email);
	cp_handover_close(&nt->handover);
}

/* What is left to do and why, for the operator (after the counts are
 * taken: the attempt records them). */
static void report(const struct notify *nt, int rc)
{
	const struct cp_conf *conf = nt->conf;

	if (rc == CP_EX_UNAVAILABLE)
		cp_error("the mail server could not be reached: the batch waits at notify; "
			 "'certpress retry %s' sends what is left", nt->st->batch);
	else if (rc == CP_EX_TEMPFAIL)
		cp_warn("%s%ld messages deferred, %ld not tried yet%s: 'certpress retry %s' sends"
			" them", nt->closed ? "the mail server ended a session early: " : "",
			nt->deferred, nt->left,
			conf->mail_per_run && nt->tried >= conf->mail_per_run ? " (per-run cap)" : "",
			nt->st->batch);
	cp_info("%ld sent, %ld deferred, %ld failed, %ld not notifiable, %ld not tried", nt->sent,
		nt->deferred, nt->failed, nt->not_notifiable, nt->left);
}

static int notify_batch(struct cp_stage *st, void *ctx, char **counts)
{
	struct notify *nt = ctx;
	int rc = CP_EX_OK;

	nt->st = st;
	/* temp files a killed notify left in the outbox, shared with other
	 * batches' notify: only those whose writer is gone (the batch folder's
	 * are swept already, by cp_stage_start: the lock is ours) */
	if (st->spool.outbox)
		cp_atomic_sweep_dead(st->spool.outbox);
	if (load(nt) < 0)
		rc = CP_EX_CONFIG;
	else if (recover(nt) < 0)
		rc = CP_EX_IOERR;
	else if (learners(nt) < 0 || (nt->conf->mail_centre && centre(nt) < 0))
		rc = CP_EX_IOERR;
	else if (nt->unreachable)
		rc = CP_EX_UNAVAILABLE;
	else if (nt->deferred || nt->left)
		rc = CP_EX_TEMPFAIL;
	else if (write_notified(nt) < 0)
		rc = CP_EX_CANTCREAT;
	else /* empty: nobody is left 'intent' to be told about */
		unlink(nt->handover.path);
	*counts = cp_xasprintf("{\"sent\":%ld,\"deferred\":%ld,\"failed\":%ld,"
			       "\"not_notifiable\":%ld,\"not_tried\":%ld}", nt->sent, nt->deferred,
			       nt->failed, nt->not_notifiable, nt->left);
	report(nt, rc);
	nt->st = NULL; /* the stage's, gone after this */
	return rc;
}

int cp_notify_run(const struct cp_conf *conf, const char *batch_arg, FILE *out)
{
	struct notify nt;
	int rc;

	if (!strcmp(batch_arg, "orders")) /* no batch is ever called that */
		return cp_notify_orders(conf, out);
	memset(&nt, 0, sizeof(nt));
	nt.handover.fd = -1;
	nt.conf = conf;
	/* a server that closes the connection (a 421) makes libesmtp's next
	 * write fail: that must be an error to handle (EPIPE), never a death
	 * by SIGPIPE with every outcome of the session unrecorded */
	signal(SIGPIPE, SIG_IGN);
	rc = cp_stage_run("notify", conf, batch_arg, out, notify_batch, &nt);
	release(&nt);
	return rc;
}
