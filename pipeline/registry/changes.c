/* Status changes by operators, appended in the change's own transaction. */
#include "registry/internal.h"

#include <stdio.h>

#include "util/banned.h"

int cp_change_record(struct cp_registry *r, const char *reference, const char *action,
		     const char *by, const char *stamp, const char *reason)
{
	return cp_reg_run_text(r, "INSERT INTO changes (reference, action, changed_by, changed_at,"
			       " reason) VALUES (?1, ?2, ?3, ?4, ?5)", "recording who changed it", 5,
			       reference, action, by, stamp, reason);
}

int cp_change_record_award(struct cp_registry *r, long long award, const char *action,
			   const char *by, const char *stamp, const char *reason)
{
	char id[24];

	snprintf(id, sizeof(id), "%lld", award);
	return cp_reg_run_text(r, "INSERT INTO changes (reference, action, changed_by, changed_at,"
			       " reason) SELECT reference, ?2, ?3, ?4, ?5 FROM documents"
			       " WHERE award_id = CAST(?1 AS INTEGER) AND status != ?2",
			       "recording who changed them", 5, id, action, by, stamp, reason);
}
