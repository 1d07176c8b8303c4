/* Who approved or held a batch and when (table approvals): every decision
 * kept, the latest first to read. The decision itself is the batch
 * folder's files (approval.h). Include "registry.h". */
#ifndef CP_REGISTRY_APPROVALS_H
#define CP_REGISTRY_APPROVALS_H

struct cp_registry;

/* Record a decision ("approved" or "held") on the batch by by at stamp,
 * with reason (NULL for none). 0 or -1. */
int cp_approval_record(struct cp_registry *r, const char *batch, const char *action,
		       const char *by, const char *stamp, const char *reason);

/* A decision. Strings live until the callback returns; reason "" for none. */
struct cp_approval_row {
	const char *action, *by, *at, *reason;
};
/* Every decision on the batch, oldest first. 0, -1 or fn's. */
int cp_approvals_each(struct cp_registry *r, const char *batch,
		      int (*fn)(void *ctx, const struct cp_approval_row *a), void *ctx);

#endif
