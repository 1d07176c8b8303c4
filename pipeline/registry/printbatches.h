/* The print loop's registry (tables print_batches, print_batch_states,
 * consignments, print_documents): each print file is a print batch, named
 * by the batch whose pack made it, with its consignments and the documents
 * it carries in print order; the printing house's confirmation records, per
 * document, printed or spoiled and the security paper's serial, per
 * consignment the dispatch date and tracking reference. Include
 * "registry.h".
 *
 *	sent-to-printer --(every document printed or spoiled)--> printed
 *	printed --(every consignment dispatched)--> dispatched
 *	dispatched --(every spoiled document printed again and dispatched)--> complete
 *
 * A spoiled document is taken again by the next pack (same reference, a
 * new sheet); the orders of the documents follow (registry/orders.h). */
#ifndef CP_REGISTRY_PRINTBATCHES_H
#define CP_REGISTRY_PRINTBATCHES_H

#include <stdbool.h>
#include <stddef.h>

struct cp_registry;

#define CP_PRINT_SENT "sent-to-printer"
#define CP_PRINT_PRINTED "printed"
#define CP_PRINT_DISPATCHED "dispatched"
#define CP_PRINT_COMPLETE "complete"

/* Pack, in one transaction once the print file and its ticket are written:
 * the print batch id (its batch) of kind certificate-run, reprints or
 * letters, started by by, with records documents, sent to the printer at
 * stamp, replacing what an earlier attempt of the same pack recorded. 1
 * recorded, 0 refused (the printing house confirmed some of it already: a
 * message says so), -1 error. */
int cp_print_batch_record(struct cp_registry *r, const char *id, const char *kind,
			  const char *by, long records, const char *stamp);
/* A consignment of it: its id in the ticket, the centre, the delivery
 * method and address (NULL and held: the centres register has none). */
int cp_print_consignment_add(struct cp_registry *r, const char *batch, const char *id,
			     const char *centre, const char *delivery, const char *address,
			     bool held);
/* A document of it, in consignment, at position in print order. */
int cp_print_document_add(struct cp_registry *r, const char *batch, const char *reference,
			  const char *consignment, long position);
/* In pack's claiming transaction: the spoiled documents no print batch has
 * taken again are taken by batch's (orders false: only those no order
 * made, the orders' waiting for certpress print-orders). How many, or -1. */
long cp_print_spoiled_claim(struct cp_registry *r, const char *batch, bool orders);

/* The confirmation (certpress printed), inside one transaction. Each
 * returns 1 recorded, 0 recorded already exactly so (the same file read
 * twice), 2 refused with the reason in why (nothing changed), -1 error. */
struct cp_print_batch_info {
	char state[20];
	long documents, consignments, confirmed; /* confirmed: printed or spoiled */
};
/* 1 and *info if the print batch exists, 0 if not, -1 error. */
int cp_print_batch_get(struct cp_registry *r, const char *id, struct cp_print_batch_info *info);
int cp_print_confirm_document(struct cp_registry *r, const char *batch, const char *reference,
			      const char *paper_serial, bool printed, const char *stamp,
			      char *why, size_t why_size);
int cp_print_confirm_consignment(struct cp_registry *r, const char *batch, const char *id,
				 const char *dispatched, const char *tracking,
				 const char *stamp, char *why, size_t why_size);
/* Move every print batch not complete to the state its documents and
 * consignments have reached, each state passed recorded at stamp with by
 * (who read in the confirmation); *moved how many moved. */
int cp_print_batches_advance(struct cp_registry *r, const char *stamp, const char *by,
			     long *moved);

/* A print batch as listed (certpress print-batches): the portals' columns.
 * Its emails (the run's, the dispatch emails of its orders to learners
 * and centres, its consignments' to centres) by state: sent, due (still to
 * send: pending, intent, deferred), failed, and not notifiable (no usable
 * address). Strings live until the callback returns. */
struct cp_print_batch_row {
	const char *id, *kind, *by, *started, *finished, *state, *state_changed;
	long records, consignments, held, printed, spoiled, emails_sent, emails_due,
		emails_failed, emails_unsent;
};
int cp_print_batches_each(struct cp_registry *r,
			  int (*fn)(void *ctx, const struct cp_print_batch_row *b), void *ctx);
/* Each state of the print batch, oldest first: when and by whom (NULL
 * where a registry before schema 16 did not record it). */
int cp_print_batch_history_each(struct cp_registry *r, const char *id,
				int (*fn)(void *ctx, const char *state, const char *at,
					  const char *by),
				void *ctx);
/* The consignments held (address unknown) not yet dispatched, oldest
 * print batch first. */
int cp_consignments_held_each(struct cp_registry *r,
			      int (*fn)(void *ctx, const char *batch, const char *id,
					const char *centre),
			      void *ctx);
/* A held consignment's address, now that the centres register has it:
 * held no more. Inside the caller's transaction. */
int cp_print_consignment_release(struct cp_registry *r, const char *batch, const char *id,
				 const char *address);
/* The paper serial a document was last printed on: 1 and serial, 0 none. */
int cp_print_paper_serial(struct cp_registry *r, const char *reference, char *serial,
			  size_t size);

#endif
