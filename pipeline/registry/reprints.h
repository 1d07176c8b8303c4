/* The registry's reprint orders (table reprints): a replacement document
 * supersedes its original and waits for the next print file. Include
 * "registry.h". */
#ifndef CP_REGISTRY_REPRINTS_H
#define CP_REGISTRY_REPRINTS_H

#include <stdbool.h>

struct cp_registry;

/* Order the replacement of original: the document replacement (issue + 1
 * of the same serial, award, type and expiry, issued today, valid, with no
 * batch until a print run carries it), the original superseded with why
 * at stamp, and the order with the operator's reason. Inside the caller's
 * transaction. */
int cp_reprint_order(struct cp_registry *r, const char *original, const char *replacement,
		     const char *today, const char *reason, const char *why, const char *stamp);
/* Take the reprints and the letters (orders) queued since the last print
 * file into this batch (a re-run keeps those it took); take false ([print]
 * orders = separate): none, they wait for certpress print-orders. Returns
 * how many it has, or -1. */
long cp_reprints_claim(struct cp_registry *r, const char *batch, bool take);

#endif
