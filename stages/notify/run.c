/* The notify stage's flow. Recipients are taken in chunks of [mail]
 * per-session; for each chunk the registry records the intent (status
 * 'intent', one more attempt) in one transaction, the chunk goes to the
 * transport in one session, and the outcomes are recorded in another:
 * 2xx sent, 4xx or no reply deferred (failed after max-attempts), 5xx failed;
 * a message the server never took up (the session ended before it) is
 * deferred and its attempt given back. A server that ends a session early
 * or cannot be reached gets no other session in this run. A recipient
 * recorded sent, failed or not notifiable is never mailed again, and one
 * whose attempts are used up (a crash left it 'intent') fails unsent.
 * notified.xml is written once no recipient is left to try. */
#include "notify.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "util/atomic.h"
#include "batchfile.h"
#include "util/date.h"
#include "docrender.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/progress.h"
#include "stage.h"
#include "util/xalloc.h"
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
};

/* Learners are read a page at a time and the statement ended before any
 * is recorded: SQLite refuses at once (no busy wait) to turn a read that an
 * other process's commit made stale into a write, which is what writing
 * while stepping a SELECT does when two runs share the registry. */
#define PAGE 256
#define NCOLS 15
#define CP_STR2(x) #x
#define CP_STR(x) CP_STR2(x)

static const char learners_sql[] =
	"SELECT a.enrolment, a.first_name, a.middle_names, a.last_name, a.email,"
	" a.qualification_title, a.qualification, a.grade, a.awarded, a.candidate,"
	" a.centre, a.centre_name, a.course_run, n.status, n.attempts"
	" FROM (SELECT min(id) AS id FROM awards WHERE batch_id = ?1 AND enrolment > ?2"
	" GROUP BY enrolment ORDER BY enrolment LIMIT " CP_STR(PAGE) ") f"
	" JOIN awards a ON a.id = f.id LEFT JOIN notifications n ON n.batch_id = a.batch_id"
	" AND n.enrolment = a.enrolment ORDER BY a.enrolment";

/* A learner's documents of the batch's awards that are valid and issued
 * now: never a revoked or superseded one, and a replacement once a print
 * file carried it. */
static const char docs_sql[] =
	"SELECT d.reference, d.type, a.qualification_title FROM documents d"
	" JOIN awards a ON a.id = d.award_id WHERE a.batch_id = ?1 AND a.enrolment = ?2"
	" AND d.status = 'valid' AND d.published IS NOT NULL"
	" ORDER BY a.id, CASE d.type WHEN 'certificate' THEN 0 WHEN 'transcript' THEN 1"
	" ELSE 2 END, d.issue";

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* Record a recipient's state. reply and to may be NULL. */
static int record(struct notify *nt, const char *key, const char *to, const char *message_id,
		  const char *status, const char *reply, int attempt)
{
	char stamp[32];
	sqlite3_stmt *st = cp_registry_prepare(
		&nt->st->reg,
		"INSERT INTO notifications (batch_id, enrolment, recipient, message_id, status,"
		" attempts, reply, updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
		" ON CONFLICT (batch_id, enrolment) DO UPDATE SET recipient = ?3, status = ?5,"
		" attempts = attempts + ?6, reply = coalesce(?7, reply), updated = ?8");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, nt->st->batch, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, to, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, message_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, status, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, attempt);
	sqlite3_bind_text(st, 7, reply, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, cp_time_stamp(stamp, sizeof(stamp)), -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	if (rc < 0)
		cp_error("%s: recording a notification: %s", nt->st->reg.path,
			 sqlite3_errmsg(nt->st->reg.db));
	sqlite3_finalize(st);
	return rc;
}

static long attempts_of(struct notify *nt, const char *key)
{
	long n;

	cp_registry_scalar(&nt->st->reg, "SELECT attempts FROM notifications"
			   " WHERE batch_id = ?1 AND enrolment = ?2", nt->st->batch, key, &n);
	return n;
}

static void free_chunk(struct notify *nt)
{
	for (size_t i = 0; i < nt->n; i++) {
		free(nt->chunk[i].key);
		free(nt->chunk[i].to);
		free(nt->chunk[i].message_id);
		free(nt->chunk[i].text);
	}
	nt->n = 0;
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
		const char *status;
		char reply[300];
		long tries;
		int attempt = 0;

		if (m->code)
			snprintf(reply, sizeof(reply), "%d %s", m->code, m->reply);
		else
			snprintf(reply, sizeof(reply), "%s", m->reply);
		if (!m->attempted) {
			/* never handed over: the intent's attempt is given back */
			status = "deferred";
			attempt = -1;
			nt->left++;
		} else if (m->code / 100 == 2) {
			status = "sent";
			nt->sent++;
		} else if (m->code / 100 == 5) {
			status = "failed";
			nt->failed++;
			/* the reply may quote the address: only its code is logged */
			cp_warn("%s: refused by the server (%d)", m->key, m->code);
		} else if ((tries = attempts_of(nt, m->key)) >= nt->conf->mail_max_attempts) {
			status = "failed";
			nt->failed++;
			snprintf(reply, sizeof(reply), "gave up after %ld attempts: %d %s", tries,
				 m->code, m->reply);
			cp_warn("%s: gave up after %ld attempts (last reply %d)", m->key, tries,
				m->code);
		} else {
			status = "deferred";
			nt->deferred++;
		}
		rc = record(nt, m->key, m->to, m->message_id, status, reply, attempt);
	}
	if (rc || cp_registry_commit(reg) < 0) {
		cp_registry_rollback(reg);
		rc = -1;
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
 * lost connection) left it 'intent' after its last attempt, or max-attempts
 * was lowered. It fails without another send, so attempts never pass
 * max-attempts. Returns 1 if so (recorded), 0 if not, -1 on error. */
static int used_up(struct notify *nt, const char *key, const char *status, const char *attempts)
{
	long tries = attempts ? strtol(attempts, NULL, 10) : 0;
	char reply[128];

	if (!status || tries < nt->conf->mail_max_attempts)
		return 0;
	snprintf(reply, sizeof(reply), "gave up after %ld attempts%s", tries,
		 !strcmp(status, "intent") ? " (the last one's outcome unknown)" : "");
	cp_warn("%s: gave up after %ld attempts", key, tries);
	nt->failed++;
	return record(nt, key, NULL, "-", "failed", reply, 0) < 0 ? -1 : 1;
}

/* Whether the server is to be left alone for the rest of this run. */
static bool stopped(const struct notify *nt)
{
	return nt->unreachable || nt->closed;
}

static int queue(struct notify *nt, const char *key, const char *to, const char *to_name,
		 const struct cp_mail_template *t, const struct cp_values *v)
{
	struct cp_mail *m;

	if (nt->conf->mail_per_run && nt->tried >= nt->conf->mail_per_run) {
		nt->left++;
		return 0;
	}
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
	m->text = cp_mail_compose(nt->conf, t, v, to_name, to, m->message_id);
	nt->tried++;
	return (long)nt->n >= nt->conf->mail_per_session ? flush(nt) : 0;
}

/* The learner's documents as the email lists them ("" if none is valid),
 * or NULL if the registry cannot be read. */
static char *documents_text(struct notify *nt, const char *enrolment)
{
	sqlite3_stmt *st = cp_registry_prepare(&nt->st->reg, docs_sql);
	char *out = cp_xstrdup(""), *next;
	int rc;

	if (!st) {
		free(out);
		return NULL;
	}
	sqlite3_bind_text(st, 1, nt->st->batch, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, enrolment, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		next = cp_xasprintf("%s%s  %s %s (%s)\n    check it: %s%s", out, *out ? "\n" : "",
				    cp_doc_title(col(st, 1)), col(st, 0), col(st, 2),
				    nt->conf->verify_url, col(st, 0));
		free(out);
		out = next;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		cp_error("%s: reading a learner's documents: %s", nt->st->reg.path,
			 sqlite3_errmsg(nt->st->reg.db));
		free(out);
		return NULL;
	}
	return out;
}

static int learner(struct notify *nt, char *const *c)
{
	const char *enrolment = c[0], *email = c[4], *status = c[13], *attempts = c[14];
	struct cp_values v;
	char *full, *docs;
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
	if ((rc = used_up(nt, enrolment, status, attempts)) != 0)
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
	memset(&v, 0, sizeof(v));
	full = cp_bind_full_name(c[1], c[2], c[3]);
	v.v[CP_B_AWARDING_BODY] = nt->conf->awarding_body;
	v.v[CP_B_FULL_NAME] = full;
	v.v[CP_B_FIRST_NAME] = c[1];
	v.v[CP_B_MIDDLE_NAMES] = c[2];
	v.v[CP_B_LAST_NAME] = c[3];
	v.v[CP_B_QUAL_TITLE] = c[5];
	v.v[CP_B_QUAL_NUMBER] = c[6];
	v.v[CP_B_GRADE] = c[7];
	v.v[CP_B_AWARDED] = c[8];
	v.v[CP_B_ENROLMENT] = enrolment;
	v.v[CP_B_CANDIDATE] = c[9];
	v.v[CP_B_CENTRE_NUMBER] = c[10];
	v.v[CP_B_CENTRE_NAME] = c[11];
	v.v[CP_B_COURSE_RUN] = c[12];
	v.v[CP_B_BATCH] = nt->st->batch;
	v.v[CP_B_DOCUMENTS] = docs;
	rc = queue(nt, enrolment, email, full, &nt->learner, &v);
	free(full);
	free(docs);
	return rc;
}

/* Up to PAGE learners after the enrolment 'after', copied out; -1 if the
 * registry cannot be read. */
static int page(struct notify *nt, const char *after, char *rows[PAGE][NCOLS])
{
	sqlite3_stmt *st = cp_registry_prepare(&nt->st->reg, learners_sql);
	int n = 0, step = SQLITE_DONE;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, nt->st->batch, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, after, -1, SQLITE_STATIC);
	while (n < PAGE && (step = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < NCOLS; i++)
			rows[n][i] = col(st, i) ? cp_xstrdup(col(st, i)) : NULL;
		n++;
	}
	if (n < PAGE && step != SQLITE_DONE) { /* a short page must be the last */
		cp_error("%s: reading the batch's learners: %s", nt->st->reg.path,
			 sqlite3_errmsg(nt->st->reg.db));
		for (int r = 0; r < n; r++)
			for (int i = 0; i < NCOLS; i++)
				free(rows[r][i]);
		n = -1;
	}
	sqlite3_finalize(st);
	return n;
}

static int learners(struct notify *nt)
{
	static char *rows[PAGE][NCOLS];
	char *after = cp_xstrdup("");
	int rc = 0, n;

	do {
		n = page(nt, after, rows);
		if (n < 0)
			rc = -1;
		for (int r = 0; r < n; r++) {
			if (!rc)
				rc = learner(nt, rows[r]);
			if (r == n - 1) {
				free(after);
				after = cp_xstrdup(rows[r][0]);
			}
			for (int i = 0; i < NCOLS; i++)
				free(rows[r][i]);
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
 * fails without a send, visible in 'certpress status BATCH', and the
 * warning names the line to correct. */
static int unusable_centre(struct notify *nt, const char *key)
{
	char *results = cp_spool_batch_file(&nt->st->spool, nt->st->batch, "results.xml");
	long line = cp_notify_centre_line(results);
	char reply[160];
	int rc;

	snprintf(reply, sizeof(reply), "the centre's address (results.xml line %ld) is not one"
		 " this sender can use", line);
	cp_warn("%s:%ld: centre '%s': email address not usable (a control character, a space,"
		" or not one plain address): the centre is not emailed", results, line,
		nt->centre_number);
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
	sqlite3_stmt *st;
	int rc = 0;

	/* held.xml is small and carries the same header as assigned.xml */
	if (cp_batchfile_read(path, "held", &h, NULL) < 0) {
		free(path);
		return -1;
	}
	free(path);
	if (!nt->centre_number)
		return 0;
	key = cp_xasprintf("centre:%s", nt->centre_number);
	st = cp_registry_prepare(&nt->st->reg,
				 "SELECT e.file, e.expires, n.status, n.attempts FROM exports e LEFT JOIN"
				 " notifications n ON n.batch_id = e.batch_id AND n.enrolment = ?3"
				 " WHERE e.batch_id = ?1 AND e.centre = ?2 AND e.status = 'finished'");
	if (!st) {
		free(key);
		return -1;
	}
	sqlite3_bind_text(st, 1, nt->st->batch, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, nt->centre_number, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && pending(col(st, 2))) {
		struct cp_values v;
		char *file = cp_xstrdup(col(st, 0) ? col(st, 0) : "");
		char *expires = cp_xstrdup(col(st, 1) ? col(st, 1) : "");
		char *status = col(st, 2) ? cp_xstrdup(col(st, 2)) : NULL;
		char *attempts = col(st, 3) ? cp_xstrdup(col(st, 3)) : NULL;

		sqlite3_finalize(st); /* before writing: see PAGE */
		st = NULL;
		memset(&v, 0, sizeof(v));
		v.v[CP_B_AWARDING_BODY] = nt->conf->awarding_body;
		v.v[CP_B_CENTRE_NUMBER] = nt->centre_number;
		v.v[CP_B_BATCH] = nt->st->batch;
		v.v[CP_B_EXPORT_FILE] = file;
		v.v[CP_B_EXPORT_EXPIRES] = expires;
		if (!nt->centre_email) {
			nt->not_notifiable++;
			rc = record(nt, key, NULL, "-", "not-notifiable", "no centre address", 0);
		} else if (!cp_mail_address_ok(nt->centre_email)) {
			rc = unusable_centre(nt, key);
		} else if ((rc = used_up(nt, key, status, attempts)) != 0) {
			rc = rc < 0 ? -1 : 0;
		} else if (stopped(nt)) {
			nt->left++;
		} else if ((rc = queue(nt, key, nt->centre_email, "", &nt->centre, &v)) == 0) {
			rc = flush(nt);
		}
		free(file);
		free(expires);
		free(status);
		free(attempts);
	}
	sqlite3_finalize(st);
	free(key);
	return rc;
}

static int write_notified(struct notify *nt)
{
	struct cp_atomic a;
	struct cp_xmlout x;
	char *path = cp_spool_batch_file(&nt->st->spool, nt->st->batch, "notified.xml");
	sqlite3_stmt *st = cp_registry_prepare(&nt->st->reg,
					       "SELECT enrolment, status, attempts, reply FROM"
					       " notifications WHERE batch_id = ?1 ORDER BY enrolment");
	int rc;

	if (!st || cp_atomic_open(&a, path, 0640) < 0) {
		sqlite3_finalize(st);
		free(path);
		return -1;
	}
	cp_xmlout_open(&x, a.fp);
	cp_xmlout_start(&x, "notified");
	cp_xmlout_attr(&x, "xmlns", "urn:certpress:batch:1");
	cp_xmlout_attr(&x, "batch", nt->st->batch);
	sqlite3_bind_text(st, 1, nt->st->batch, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		cp_xmlout_start(&x, "recipient");
		cp_xmlout_attr(&x, "key", col(st, 0));
		cp_xmlout_attr(&x, "status", col(st, 1));
		cp_xmlout_attr_long(&x, "attempts", sqlite3_column_int(st, 2));
		if (col(st, 3))
			cp_xmlout_attr(&x, "reply", col(st, 3));
		cp_xmlout_end(&x);
	}
	sqlite3_finalize(st);
	cp_xmlout_start(&x, "end");
	cp_xmlout_attr_long(&x, "sent", nt->sent);
	cp_xmlout_attr_long(&x, "failed", nt->failed);
	cp_xmlout_attr_long(&x, "not-notifiable", nt->not_notifiable);
	cp_xmlout_end(&x);
	cp_xmlout_end(&x);
	rc = cp_xmlout_finish(&x) < 0 ? -1 : cp_atomic_commit(&a);
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

static void release(struct notify *nt)
{
	free_chunk(nt);
	free(nt->chunk);
	cp_mail_template_release(&nt->learner);
	cp_mail_template_release(&nt->centre);
	free(nt->domain);
	free(nt->centre_number);
	free(nt->centre_email);
}

int cp_notify_run(const struct cp_conf *conf, const char *batch_arg, FILE *out)
{
	struct notify nt;
	struct cp_stage st;
	char *counts = NULL;
	int rc;

	memset(&nt, 0, sizeof(nt));
	nt.conf = conf;
	nt.st = &st;
	/* a server that closes the connection (a 421) makes libesmtp's next
	 * write fail: that must be an error to handle (EPIPE), never a death
	 * by SIGPIPE with every outcome of the session unrecorded */
	signal(SIGPIPE, SIG_IGN);
	if ((rc = cp_stage_start(&st, "notify", conf, batch_arg)) != 0) {
		if (rc != CP_STAGE_DONE)
			goto out;
		rc = CP_EX_OK;
		goto done;
	}
	/* temp files a killed notify left in the outbox, shared with other
	 * batches' notify: only those whose writer is gone (the batch folder's
	 * are swept already, by cp_stage_start: the lock is ours) */
	if (st.spool.outbox)
		cp_atomic_sweep_dead(st.spool.outbox);
	if (load(&nt) < 0)
		rc = CP_EX_CONFIG;
	else if (learners(&nt) < 0 || (conf->mail_centre && centre(&nt) < 0))
		rc = CP_EX_IOERR;
	else if (nt.unreachable)
		rc = CP_EX_UNAVAILABLE;
	else if (nt.deferred || nt.left)
		rc = CP_EX_TEMPFAIL;
	else if (write_notified(&nt) < 0)
		rc = CP_EX_CANTCREAT;
	counts = cp_xasprintf("{\"sent\":%ld,\"deferred\":%ld,\"failed\":%ld,"
			      "\"not_notifiable\":%ld,\"not_tried\":%ld}", nt.sent, nt.deferred,
			      nt.failed, nt.not_notifiable, nt.left);
	cp_stage_end(&st, rc, counts);
	if (rc == CP_EX_UNAVAILABLE)
		cp_error("the mail server could not be reached: the batch waits at notify; "
			 "'certpress retry %s' sends what is left", st.batch);
	else if (rc == CP_EX_TEMPFAIL)
		cp_warn("%s%ld messages deferred, %ld not tried yet%s: 'certpress retry %s' sends"
			" them", nt.closed ? "the mail server ended a session early: " : "",
			nt.deferred, nt.left,
			conf->mail_per_run && nt.tried >= conf->mail_per_run ? " (per-run cap)" : "",
			st.batch);
	cp_info("%ld sent, %ld deferred, %ld failed, %ld not notifiable, %ld not tried", nt.sent,
		nt.deferred, nt.failed, nt.not_notifiable, nt.left);
done:
	if (rc == CP_EX_OK)
		fprintf(out, "%s %s\n", st.batch, st.dir);
out:
	free(counts);
	release(&nt);
	cp_stage_close(&st);
	return rc;
}
