/* Reprint orders: ordered by an operator, claimed by the next pack. */
#include "registry/internal.h"

#include "util/banned.h"

int cp_reprint_order(struct cp_registry *r, const char *original, const char *replacement,
		     const char *today, const char *reason, const char *why, const char *stamp)
{
	if (cp_reg_run_text(r, "INSERT INTO documents (reference, serial, issue, award_id,"
			    " type, issued, expires, status, template) SELECT ?1, serial,"
			    " issue + 1, award_id, type, ?2, expires, 'valid', template FROM documents"
			    " WHERE reference = ?3", "cannot record a replacement", 3,
			    replacement, today, original) < 0 ||
	    cp_reg_run_text(r, "UPDATE documents SET status = 'superseded',"
			    " status_reason = ?1, status_changed = ?2 WHERE reference = ?3",
			    "cannot supersede a document", 3, why, stamp, original) < 0 ||
	    cp_reg_run_text(r, "INSERT INTO reprints (original, replacement, reason, ordered)"
			    " VALUES (?1, ?2, ?3, ?4)", "cannot record a reprint order", 4,
			    original, replacement, reason, stamp) < 0)
		return -1;
	return 0;
}

long cp_reprints_claim(struct cp_registry *r, const char *batch, bool take)
{
	long n;

	if (take &&
	    (cp_reg_run_text(r, "UPDATE reprints SET print_batch_id = ?1"
			     " WHERE print_batch_id IS NULL", "claiming queued reprints", 1,
			     batch) < 0 ||
	     /* the orders of those, and the letters ordered since */
	     cp_reg_run_text(r, "UPDATE orders SET print_batch_id = ?1 WHERE print_batch_id IS NULL"
			     " AND (kind = 'letter' OR reference IN (SELECT replacement FROM reprints"
			     " WHERE print_batch_id = ?1))", "claiming ordered letters", 1, batch) < 0))
		return -1;
	if (cp_reg_scalar(r, "SELECT (SELECT count(*) FROM reprints WHERE print_batch_id = ?1) +"
			  " (SELECT count(*) FROM orders WHERE kind = 'letter' AND print_batch_id = ?1)",
			  batch, NULL, &n) < 0)
		return -1;
	return n;
}
