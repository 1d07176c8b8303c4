/* The handover journal: the Message-IDs of the messages whose content went
 * to the transport since the outcomes were last recorded, one a line, each
 * on disk before the first byte of its content goes out (cp_mail_remake).
 *
 * Why: a session's intent charges each of its messages an attempt before
 * the session starts, so a notify killed early in a session would leave
 * every message of it 'intent' with an attempt used, though most were never
 * handed over; kills in a row then use up attempts of messages never sent.
 * The next run reads the journal first: a message left 'intent' whose id is
 * not in it cannot have reached the server, and its attempt is given back
 * (cp_handover_recover). One in it may have been delivered (the documented
 * window) and keeps its attempt. No journal at all (an older certpress, a
 * removed file) says nothing: every intent keeps its attempt.
 *
 * The journal is emptied once a session's outcomes are committed, and at
 * the start of each run once its ids were used, so an id in it is always
 * one of the session a crash cut short. */
#ifndef CP_NOTIFY_HANDOVER_H
#define CP_NOTIFY_HANDOVER_H

#include <stdbool.h>

#include "registry.h"

struct cp_handover {
	char *path;
	int fd;
	bool known;   /* the journal was there when opened: it can be believed */
	char *handed; /* the ids it held then, as a JSON array */
	long ids;     /* how many */
};

/* Open (create, 0640, the folder synced) the journal at path, reading the
 * ids it holds. -1 with a message. */
int cp_handover_open(struct cp_handover *h, const char *path);
/* Record that message_id is being handed over, on disk before returning.
 * -1 with a message: the message must not go out. */
int cp_handover_note(struct cp_handover *h, const char *message_id);
/* Empty the journal (the outcomes it stood for are committed). -1 with a
 * message. */
int cp_handover_clear(struct cp_handover *h);
void cp_handover_close(struct cp_handover *h);

/* Give back the attempts of the messages a stopped run left 'intent'
 * without handing them over, in one transaction: give_back records them
 * (handed: the JSON array of the ids handed over; *n: how many it gave
 * back), then the journal is emptied. Nothing is given back when the
 * journal was not there. -1 with a message. */
typedef int (*cp_handover_give_back_fn)(struct cp_registry *reg, void *ctx, const char *handed,
					 const char *reply, long *n);
int cp_handover_recover(struct cp_handover *h, struct cp_registry *reg,
			cp_handover_give_back_fn give_back, void *ctx);

#endif
