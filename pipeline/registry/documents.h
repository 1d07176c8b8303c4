/* The registry's documents as the rest of certpress reads and changes them
 * after assign: a document's card (verify, show, search, reprint, revoke),
 * which of a batch's documents render makes and pack packs, what notify
 * announces. Include "registry.h". */
#ifndef CP_REGISTRY_DOCUMENTS_H
#define CP_REGISTRY_DOCUMENTS_H

#include <stdbool.h>
#include <stddef.h>

#include "spool.h"

struct cp_registry;

/* A document's card: the document with its award. Superseded and revoked
 * are stored; a document stored as valid is "not-issued" until a pack has
 * published it (documents.published: its batch's zip and print file, or
 * the print file carrying a replacement), then "expired" after its expiry
 * date (derived from the date and today), else "valid". */
enum cp_card_field {
	CP_CARD_REFERENCE, CP_CARD_TYPE, CP_CARD_STATUS, CP_CARD_FIRST_NAME,
	CP_CARD_MIDDLE_NAMES, CP_CARD_LAST_NAME, CP_CARD_ENROLMENT, CP_CARD_CANDIDATE,
	CP_CARD_QUALIFICATION, CP_CARD_TITLE, CP_CARD_GRADE, CP_CARD_AWARDED, CP_CARD_ISSUED,
	CP_CARD_CENTRE, CP_CARD_CENTRE_NAME, CP_CARD_EXPIRES, CP_CARD_STATUS_REASON,
	CP_CARD_STATUS_CHANGED, CP_CARD_CHANGED_BY, CP_CARD_DOB,
	CP_CARD_REPLACES, /* a replacement: the reference it replaces */
	CP_CARD_PAPER_SERIAL, /* the security paper it was last confirmed printed on */
	CP_CARD_NFIELDS
};
struct cp_card {
	char *f[CP_CARD_NFIELDS]; /* NULL where the registry has nothing */
	long long award_id;
	long serial, issue;
};
/* Look a normalised reference up: 1 found, 0 unknown, -1 error. */
int cp_card_find(struct cp_registry *r, const char *reference, struct cp_card *c);
void cp_card_release(struct cp_card *c);
/* What a search matches: each field given (not NULL) must match. Names
 * match by the prefix of their search keys (util/fold.h: without regard
 * to case, accents or punctuation, in any script); dob and the awarded
 * range are YYYY-MM-DD; status is a card's (valid, not-issued, expired,
 * superseded, revoked). limit 0: every match; offset: skip so many. */
struct cp_card_query {
	const char *reference, *candidate, *enrolment, *first_name, *last_name, *dob;
	const char *qualification, *centre, *batch, *status, *awarded_from, *awarded_to;
	long limit, offset;
};
/* Every card matching, by the names' keys, award, type, issue: a page of
 * them. The callback owns the card (cp_card_release); a -1 from it stops
 * the walk. 0 or -1. */
int cp_card_search(struct cp_registry *r, const struct cp_card_query *q,
		   int (*fn)(void *ctx, struct cp_card *c), void *ctx);

/* How many documents the batch issued (its own, not replacements). */
int cp_documents_count(struct cp_registry *r, const char *batch, long *n);
/* The batch's documents not valid now (revoked or superseded), with their
 * status: what render leaves out. */
int cp_documents_not_valid(struct cp_registry *r, const char *batch,
			   int (*fn)(void *ctx, const char *ref, const char *status), void *ctx);
/* A learner's documents of the batch's awards that are valid and issued
 * now: never a revoked or superseded one, and a replacement once a print
 * file carried it. By award, print order, issue. */
int cp_documents_for_learner(struct cp_registry *r, const char *batch, const char *enrolment,
			     int (*fn)(void *ctx, const char *ref, const char *type,
				       const char *qualification_title),
			     void *ctx);

/* Where a document's copies are laid out from: its award, the batch that
 * made the award, its type, issue date and expiry ("" if none). */
struct cp_document_source {
	long long award_id;
	char batch[CP_BATCH_ID_MAX], type[16], issued[11], expires[11];
};
/* 1 and *s filled, 0 if there is no such document. */
int cp_document_source(struct cp_registry *r, const char *reference,
		       struct cp_document_source *s);
/* Revoke it (reason, at stamp) with its public category: NULL for
 * withdrawn by the awarding body, "error" for issued in error. Inside the
 * caller's transaction. */
int cp_document_revoke(struct cp_registry *r, const char *reference, const char *reason,
		       const char *category, const char *stamp);

/* What one pack run packs is fixed once, when it starts: the references
 * valid then, in a temp table of the stage's connection (pack_set), so the
 * zip, the manifest, the reports, the print file and the ticket agree
 * whatever an operator revokes or reprints while the stage runs. */

/* Fix what this run packs: the batch's documents and the replacements it
 * took (cp_reprints_claim) that are valid now (a revoked or superseded one
 * is never packed or printed, whenever it changed); *own is how many are
 * the batch's own. Call in the transaction that claims the reprints. */
int cp_documents_choose_for_pack(struct cp_registry *r, const char *batch, long *own);
/* How many were chosen (after cp_documents_choose_for_pack). */
int cp_documents_chosen_count(struct cp_registry *r, long *n);
/* One document chosen, with its learner's and award's fields. Strings live
 * until the callback returns. */
struct cp_batch_doc {
	const char *reference, *type, *enrolment, *candidate, *first_name, *middle_names,
		*last_name, *qualification, *title, *level, *grade, *awarded, *issued, *expires,
		*course_run, *centre, *centre_name, *email;
	const char *replaces;      /* a reprint: the reference it replaces, else NULL */
	const char *reprint_batch; /* a reprint or an ordered letter (its copies are in
				    * the spool's reprints folder): its award's batch */
	const char *delivery, *address; /* an order's delivery method and address
					 * (NULL: none, the centre's) */
	const char *copies_batch;  /* a spoiled document of a batch printed again: the
				    * batch whose print/ folder holds its copy */
};
typedef int (*cp_batch_doc_fn)(void *ctx, const struct cp_batch_doc *d);
/* The batch's chosen documents in print order (centre, course run, last
 * name, first name, enrolment, type); then, if with_reprints, the chosen
 * replacements this batch prints, in the same order. SQLite sorts them
 * (spilling to disk for a large batch), so memory stays flat. 0, or -1 (a
 * message printed, or the callback's -1). */
int cp_documents_chosen_each(struct cp_registry *r, const char *batch, bool with_reprints,
			     cp_batch_doc_fn fn, void *ctx);
/* The replacements, letters and spoiled documents alone, as above, grouped
 * by consignment: the order's address or the centre's, and the delivery
 * method. */
int cp_documents_chosen_reprints_each(struct cp_registry *r, const char *batch,
				      cp_batch_doc_fn fn, void *ctx);
/* Every document the batch (or a replacement it took) has that was not
 * chosen, by reference, with its status (replaces: NULL for the batch's
 * own). Returns how many, or -1. */
long cp_documents_left_out(struct cp_registry *r, const char *batch,
			   int (*fn)(void *ctx, const char *ref, const char *type,
				     const char *status, const char *replaces),
			   void *ctx);
/* Record the chosen documents as published (issued) now, in a transaction
 * of its own, once the zip and the print file are written: from then on
 * verify calls them valid; the orders whose documents batch's print file
 * carries are to be printed from then on (cp_orders_taken_for_print). */
int cp_documents_publish_chosen(struct cp_registry *r, const char *batch);
/* The same inside the caller's transaction, at stamp. */
int cp_documents_publish_chosen_in(struct cp_registry *r, const char *batch, const char *stamp);

/* What an export on demand chooses (certpress export): the centre's
 * documents of a batch's awards (selection "batch", chosen the id), of
 * references (chosen: space-separated, normalised), of a course run, or of
 * awards made between two dates ("FROM TO", YYYY-MM-DD, inclusive). */
struct cp_selected_doc {
	struct cp_batch_doc d;
	const char *status; /* a card's: valid, not-issued, expired, superseded, revoked */
	const char *batch;  /* the batch whose folder has its digital copy (an original) */
	bool replacement;   /* a reprint's: its digital copy is in spool/reprints/ */
};
/* Each of them, every issue, in print order then issue, its status as of
 * today (YYYY-MM-DD). The callback's -1 stops the walk. 0 or -1. */
int cp_documents_selected_each(struct cp_registry *r, const char *centre,
			       const char *selection, const char *chosen, const char *today,
			       int (*fn)(void *ctx, const struct cp_selected_doc *s), void *ctx);

#endif
