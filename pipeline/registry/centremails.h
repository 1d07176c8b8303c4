/* The centres' emails of the print loop (table centre_emails): the
 * centre's copy of each order event's email (placed, dispatched; queued
 * with the learner's, registry/orders.h) and the dispatch email of a
 * consignment that carries a run's documents (queued when the printing
 * house's confirmation dispatches it), each queued once and sent by
 * certpress-notify orders with notify's exactly-once rules. Include
 * "registry.h". */
#ifndef CP_REGISTRY_CENTREMAILS_H
#define CP_REGISTRY_CENTREMAILS_H

struct cp_registry;

/* The centre's copy of the email order id owes for event ("placed",
 * "dispatched"), to the order's centre; queued once (again: no change).
 * Inside the caller's transaction. */
int cp_centre_email_queue_order(struct cp_registry *r, long long id, const char *event,
				const char *stamp);
/* The dispatch email of consignment id of print batch batch, to its
 * centre, if it carries a document no order has (a run's, or one spoiled
 * and printed again): an order's parcel is told by the order's emails.
 * Queued once. Inside the caller's transaction. */
int cp_centre_email_queue_consignment(struct cp_registry *r, const char *batch, const char *id,
				      const char *stamp);

/* One centre email due (pending, deferred, or left at intent by a crash)
 * with what its message says: an order's fields (order_id not 0), or a
 * consignment's (consignment not NULL); results_email the centre's address
 * in its latest results file accepted (NULL: none). Strings live until fn
 * returns. */
struct cp_centre_email {
	long long id, attempts, order_id;
	const char *centre, *event, *status, *results_email;
	/* the order's, or the consignment's delivery and tracking */
	const char *delivery, *tracking;
	const char *kind, *reference, *replaces, *type, *enrolment, *title, *centre_name;
	const char *print_batch, *consignment, *dispatched;
	long documents;
};
int cp_centre_emails_due(struct cp_registry *r,
			 int (*fn)(void *ctx, const struct cp_centre_email *m), void *ctx);
/* Record email id's state now (to and message_id NULL: kept), its
 * attempts changed by attempt (1 an intent, -1 one given back). */
int cp_centre_email_record(struct cp_registry *r, long long id, const char *to,
			   const char *message_id, const char *status, const char *reply,
			   int attempt);
/* Settle the centre emails left 'intent', as cp_notification_settle. */
int cp_centre_emails_settle(struct cp_registry *r, struct cp_intents *in);

/* Every email of order id, the learner's (to "learner") then the
 * centre's (to "centre"), each event's state and last reply (NULL: none). */
int cp_order_emails_each(struct cp_registry *r, long long id,
			 int (*fn)(void *ctx, const char *to, const char *event,
				   const char *status, const char *reply),
			 void *ctx);

#endif
