/* The handover journal: what became of each message of the session under
 * way, one line a message: "H ID" once its content is about to go to the
 * transport (on disk, synced, before the first byte of it goes out:
 * cp_mail_remake), "A ID" once the server accepted it (2xx to its data).
 *
 * Why: a session's intent charges each of its messages an attempt before
 * the session starts, and its outcomes are recorded once it is over. A
 * notify killed in between left every message of the session 'intent',
 * each charged and each sent again: kills early in sessions used up the
 * attempts of messages never sent, and kills late in them sent the
 * accepted ones again. The next run reads the journal first
 * (cp_handover_recover): an intent accepted is recorded sent, one handed
 * over and not known accepted is deferred and keeps its attempt (it may
 * have been delivered: the documented window, one message a kill), and
 * one never handed over is deferred with its attempt given back. No
 * journal at all (an older certpress, a removed file) says nothing: the
 * intents stay as they are, their attempts kept.
 *
 * The journal is emptied once a session's outcomes are committed, and
 * after a run's recovery, so its lines are always those of the session a
 * stop cut short. */
#ifndef CP_NOTIFY_HANDOVER_H
#define CP_NOTIFY_HANDOVER_H

#include <stdbool.h>

#include "registry.h"

struct cp_handover {
	char *path;
	int fd;
	bool known;            /* the journal was there when opened: it can be believed */
	char *handed, *accepted; /* the ids it held then (struct cp_intents' lists) */
};

/* Open (create, 0640, the folder synced) the journal at path, reading what
 * it holds. -1 with a message. */
int cp_handover_open(struct cp_handover *h, const char *path);
/* Record that message_id is being handed over, on disk before returning.
 * -1 with a message: the message must not go out. */
int cp_handover_note(struct cp_handover *h, const char *message_id);
/* Record that the server accepted message_id. Not synced: lost in a power
 * cut, the message is only sent again (the window). A failure is said and
 * has the same effect. */
void cp_handover_accepted(struct cp_handover *h, const char *message_id);
/* Empty the journal (the outcomes it stood for are committed). -1 with a
 * message. */
int cp_handover_clear(struct cp_handover *h);
void cp_handover_close(struct cp_handover *h);

/* Settle the messages a stopped run left 'intent' by the journal, in one
 * transaction (settle: the registry's call for the caller's rows), then
 * empty the journal; nothing when the journal was not there. -1 with a
 * message. */
typedef int (*cp_handover_settle_fn)(struct cp_registry *reg, void *ctx, struct cp_intents *in);
int cp_handover_recover(struct cp_handover *h, struct cp_registry *reg,
			cp_handover_settle_fn settle, void *ctx);

#endif
