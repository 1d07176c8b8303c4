/* Who changed a document's status and when (table changes): each revoke
 * and each reprint order (the original superseded), kept; a card shows the
 * latest one's user. Include "registry.h". */
#ifndef CP_REGISTRY_CHANGES_H
#define CP_REGISTRY_CHANGES_H

struct cp_registry;

/* In the caller's transaction: the document's status became action
 * ("revoked", "superseded") by by at stamp, with reason. 0 or -1. */
int cp_change_record(struct cp_registry *r, const char *reference, const char *action,
		     const char *by, const char *stamp, const char *reason);
/* The same for every document of award whose status is not action yet
 * (revoke --award, before it revokes them). 0 or -1. */
int cp_change_record_award(struct cp_registry *r, long long award, const char *action,
			   const char *by, const char *stamp, const char *reason);

#endif
