/* What reprint and revoke share: the registry's write side for operators.
 * Each change is one transaction; the document is read again inside it, so
 * two operators cannot both supersede the same original. */
#ifndef CP_CMD_CHANGE_H
#define CP_CMD_CHANGE_H

#include "cmd.h"

/* revoke's own options: --award (every document of the award), --in-error
 * (the public category "issued in error"). */
struct cp_change_flags {
	bool award, in_error;
};
/* REF --reason TEXT (and, where flags is not NULL, its options): 0, or the
 * usage code after saying why. */
int cp_change_args(int argc, char **argv, const char *synopsis, const char **ref,
		   const char **reason, struct cp_change_flags *flags);
/* Open everything and find the typed reference's document inside a write
 * transaction (BEGIN IMMEDIATE): 0 with the transaction open, or the exit
 * code (66 no such document) with it rolled back. */
int cp_change_begin(struct cp_cmd_env *e, const char *config, const char *typed,
		    char ref[CP_REF_LEN + 1], struct cp_card *card);

#endif
