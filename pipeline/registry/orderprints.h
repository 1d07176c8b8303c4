/* A day's reprints and letters in a print file of their own (certpress
 * print-orders, table order_prints): the order copies waiting to be
 * printed, and the spoiled ones of the same kind coming back, claimed into
 * one print batch per kind, named KIND-YYYYMMDD-N. Each copy is claimed
 * once, by whichever print file (this, or a nightly pack) claims it first,
 * so no copy is ever in two print files. Include "registry.h". */
#ifndef CP_REGISTRY_ORDERPRINTS_H
#define CP_REGISTRY_ORDERPRINTS_H

#include <stddef.h>

struct cp_registry;

/* Room for an order print batch's id. */
#define CP_ORDER_PRINT_ID_MAX 32

/* Inside the caller's transaction: the unfinished print file of kind
 * ("reprints" or "letters") if a killed attempt left one, else a new one
 * started by by at stamp (today is YYYYMMDD, for its id), into id; then
 * every copy of that kind waiting (no print file has taken it: the order
 * placed, or the printing house spoiled it) claimed for it. *n is how many
 * it holds, *resumed 1 if it was left unfinished. 0 or -1. */
int cp_order_print_claim(struct cp_registry *r, const char *kind, const char *by,
			 const char *stamp, const char *today, char id[CP_ORDER_PRINT_ID_MAX],
			 long *n, int *resumed);
/* Inside the caller's transaction: its print batch is recorded, done. */
int cp_order_print_done(struct cp_registry *r, const char *id, const char *stamp);

#endif
