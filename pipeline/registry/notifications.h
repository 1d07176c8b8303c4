/* The registry's emails (table notifications): one row per recipient of a
 * batch, a learner by enrolment or the centre by its key, with its state
 * ('intent', 'sent', 'deferred', 'failed', 'not-notifiable'), attempts and
 * the server's last reply. Include "registry.h". */
#ifndef CP_REGISTRY_NOTIFICATIONS_H
#define CP_REGISTRY_NOTIFICATIONS_H

struct cp_registry;

/* A centre's row is keyed "centre:NUMBER" where a learner's is keyed by
 * enrolment; counts of learners' emails leave the prefix out. */
#define CP_NOTIFY_CENTRE_PREFIX "centre:"
/* The centre's key (caller frees). */
char *cp_notification_centre_key(const char *centre);

/* Record a recipient's state: its address (to; NULL: the one before
 * stays, as the address an earlier attempt's copy may have gone to), the
 * Message-ID, status, the reply (NULL: the one before stays), and attempt
 * added to its attempts (1 for an intent, -1 to give one back). */
int cp_notification_record(struct cp_registry *r, const char *batch, const char *key,
			   const char *to, const char *message_id, const char *status,
			   const char *reply, int attempt);
/* What the handover journal says of the messages a stopped notify left
 * 'intent' (stages/notify/handover.h): the ids handed over and those the
 * server accepted, each list a JSON array of the upper-case hex of each
 * id's bytes (as SQLite's hex()); handed NULL when there is no journal to
 * believe; and what settling them came to. */
/* How the reply of a message settled with its outcome unknown begins. */
#define CP_OUTCOME_UNKNOWN "outcome unknown"
struct cp_intents {
	const char *handed, *accepted;
	long accepted_n, unknown, given_back;
};
/* Settle the batch's recipients left 'intent' (intents.c): accepted ones
 * sent; other handed over ones deferred, their attempt kept (their
 * outcome unknown: they may have been delivered); the rest deferred and
 * their attempt given back; with handed NULL every one deferred, its
 * attempt kept. None is left 'intent', so a later stop, its journal
 * emptied, cannot give back an attempt kept here. */
int cp_notification_settle(struct cp_registry *r, const char *batch, struct cp_intents *in);
/* Its attempts so far (0 if none or the registry cannot say). */
long cp_notification_attempts(struct cp_registry *r, const char *batch, const char *key);

/* A learner of the batch, once per enrolment (the first award's fields),
 * with its notification's status and attempts (NULL: none yet). Copies,
 * freed by cp_notify_learner_release. */
struct cp_notify_learner {
	char *enrolment, *first_name, *middle_names, *last_name, *email, *qualification_title,
		*qualification, *grade, *awarded, *candidate, *centre, *centre_name, *course_run,
		*status, *attempts, *reply;
};
/* Up to max learners after the enrolment 'after' ("" for the first), in
 * enrolment order, copied into rows: how many, or -1. The statement is
 * ended before this returns, so the caller may write between pages: SQLite
 * refuses at once (no busy wait) to turn a read that another process's
 * commit made stale into a write, which is what writing while stepping a
 * SELECT does when two runs share the registry. */
int cp_notification_learners(struct cp_registry *r, const char *batch, const char *after,
			     struct cp_notify_learner *rows, int max);
void cp_notify_learner_release(struct cp_notify_learner *l);

/* The centre's finished export of the batch and the state of the centre's
 * email, copied (statement ended, as above): status and attempts NULL
 * when it has none yet. */
struct cp_centre_export {
	char *file, *expires, *status, *attempts, *created, *reply;
};
/* 1 and *e filled, 0 if the centre has no finished export of the batch. */
int cp_notification_centre_export(struct cp_registry *r, const char *batch, const char *centre,
				  struct cp_centre_export *e);
void cp_centre_export_release(struct cp_centre_export *e);

/* A recipient's row. Strings live until the callback returns; reply may be
 * NULL. */
struct cp_notification_row {
	const char *key, *status, *reply, *updated;
	int attempts;
};
/* Every recipient of the batch by key. 0 or -1. */
int cp_notifications_each(struct cp_registry *r, const char *batch,
			  int (*fn)(void *ctx, const struct cp_notification_row *n), void *ctx);
/* Those not emailed: not sent yet, failed or not notifiable ('intent',
 * 'deferred', 'failed', 'not-notifiable'), by key; reply (why) "" for none. */
int cp_notifications_unsent_each(struct cp_registry *r, const char *batch,
				 int (*fn)(void *ctx, const struct cp_notification_row *n),
				 void *ctx);

#endif
