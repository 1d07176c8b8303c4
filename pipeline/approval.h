/* The awarding body's check before release: whether a batch may be packed
 * is which files its folder holds, as every batch state is. "approved"
 * (written by certpress approve) lets pack go on where [run] approval =
 * required; "held" (certpress hold, its reason in it) keeps pack back
 * whatever approval is set to. The registry keeps who did each and when
 * (registry/approvals.h). */
#ifndef CP_APPROVAL_H
#define CP_APPROVAL_H

#include <stddef.h>

#include "conf.h"

#define CP_APPROVED_FILE "approved"
#define CP_HELD_FILE "held"
#define CP_PROOF_FILE "proof.pdf"

enum cp_approval_state {
	CP_APPROVAL_FREE,     /* pack may go on: approved, or none needed */
	CP_APPROVAL_AWAITING, /* required and not given yet */
	CP_APPROVAL_HELD,     /* kept back */
};
/* Where the batch in dir stands; with HELD the reason (first line of the
 * held file, "" if unreadable) in why of n bytes if why is not NULL. */
enum cp_approval_state cp_approval_state(const struct cp_conf *conf, const char *dir, char *why,
					 size_t n);
/* Record the decision in dir: approve (the approved file with line, the
 * held file removed) or hold (the held file with line, approved removed),
 * each file written atomically and the folder synced. 0 or -1. */
int cp_approval_approve(const char *dir, const char *line);
int cp_approval_hold(const char *dir, const char *line);

#endif
