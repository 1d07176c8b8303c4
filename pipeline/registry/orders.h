/* The registry's orders (tables orders, order_states): a duplicate of a
 * document (certpress order reprint) or a proof-of-qualification letter
 * (certpress order letter), who ordered it, when, why, how it is to be
 * delivered, and its state with the time of every state it was in.
 * Include "registry.h".
 *
 *	to-be-generated --(a print file takes it)--> to-be-printed
 *	to-be-printed --(the printing house confirms)--> printed | spoiled
 *	spoiled --(printed again, same reference)--> to-be-printed
 *	printed --(with the carrier's tracking reference)--> dispatched
 *
 * An order is open until it is dispatched; a document's serial has at most
 * one open order at a time (checked in the ordering transaction, which
 * BEGIN IMMEDIATE makes the only writer). */
#ifndef CP_REGISTRY_ORDERS_H
#define CP_REGISTRY_ORDERS_H

#include <stdbool.h>

struct cp_registry;

/* The states, in the order an order passes them. */
#define CP_ORDER_TO_BE_GENERATED "to-be-generated"
#define CP_ORDER_TO_BE_PRINTED "to-be-printed"
#define CP_ORDER_PRINTED "printed"
#define CP_ORDER_DISPATCHED "dispatched"
#define CP_ORDER_SPOILED "spoiled"
/* Whether s is one of them; and whether an order may go from one to the
 * other (the diagram above). */
bool cp_order_state_known(const char *s);
bool cp_order_transition_ok(const char *from, const char *to);
/* Whether m is a delivery method the portals offer: second-class-signed,
 * first-class-signed, courier, collection. */
bool cp_order_delivery_known(const char *m);

/* A new order, to be generated, for reference (the replacement, or the
 * letter) with its learner and centre from the document's award; replaces
 * is the document a reprint replaces (NULL for a letter); reason and
 * address may be NULL (address: the centre's delivery address). Inside the
 * caller's transaction. *id the order's. 0 or -1. */
struct cp_order_new {
	const char *kind, *reference, *replaces, *by, *reason, *delivery, *address;
};
int cp_order_add(struct cp_registry *r, const struct cp_order_new *o, const char *stamp,
		 long long *id);
/* The open order (not dispatched) for the serial of reference, if any:
 * 1 with its id and its document's reference in other (CP_REF_LEN + 1
 * bytes), 0 if none, -1 on error. */
int cp_order_open_for(struct cp_registry *r, const char *reference, long long *id,
		      char *other, unsigned long other_size);
/* Move the order to state to at stamp (note: a tracking reference for
 * dispatched, a reason for spoiled; may be NULL), its history kept: 1
 * moved, 0 refused (no such order, or not a transition from its state;
 * nothing changed), -1 error. Inside the caller's transaction. */
int cp_order_move(struct cp_registry *r, long long id, const char *to, const char *stamp,
		  const char *note);
/* The orders the batch took for its print file (cp_reprints_claim sets
 * their print_batch_id) whose documents it carries (its pack set) and that
 * are still to be generated: now to be printed, at stamp. Inside the
 * caller's transaction; *n how many. */
int cp_orders_taken_for_print(struct cp_registry *r, const char *batch, const char *stamp,
			      long *n);

/* An order as listed (certpress orders). Strings live until the callback
 * returns; NULL where the registry has nothing. */
struct cp_order_row {
	long long id;
	const char *kind, *reference, *replaces, *type, *enrolment, *centre, *by, *ordered,
		*reason, *delivery, *address, *state, *state_changed, *tracking, *qualification,
		*title, *awarded, *print_batch;
};
struct cp_order_query {
	const char *enrolment, *centre, *state; /* NULL: any */
	long long id;                           /* 0: any */
};
/* Every order matching, oldest first. 0, or -1 (a message, or the
 * callback's -1). */
int cp_orders_each(struct cp_registry *r, const struct cp_order_query *q,
		   int (*fn)(void *ctx, const struct cp_order_row *o), void *ctx);
/* One order's states, oldest first: state, when, note (NULL if none). */
int cp_order_history_each(struct cp_registry *r, long long id,
			  int (*fn)(void *ctx, const char *state, const char *at,
				    const char *note),
			  void *ctx);

/* The emails orders owe their learners (table order_emails): one when an
 * order is placed (cp_order_add queues it) and one when it is dispatched
 * (cp_order_move), each queued once with the centre's copy
 * (registry/centremails.h), sent by certpress-notify orders with
 * notify's exactly-once rules. One due (pending, deferred, or left at
 * intent by a crash) with what its message says; strings live until fn
 * returns. */
struct cp_order_email {
	long long order_id;
	const char *event, *status;
	long long attempts;
	const char *kind, *reference, *replaces, *type, *delivery, *tracking, *enrolment,
		*email, *first_name, *middle_names, *last_name, *title, *centre_name;
};
int cp_order_emails_due(struct cp_registry *r,
			int (*fn)(void *ctx, const struct cp_order_email *m), void *ctx);
/* Record an email's state now (to and message_id: NULL keeps them), its
 * attempts changed by attempt (1 an intent, -1 one given back). */
int cp_order_email_record(struct cp_registry *r, long long id, const char *event,
			  const char *to, const char *message_id, const char *status,
			  const char *reply, int attempt);
/* Settle the order emails left 'intent', as cp_notification_settle. */
int cp_order_emails_settle(struct cp_registry *r, struct cp_intents *in);

#endif
