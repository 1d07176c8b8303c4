/* Inside the registry module only (pipeline/registry*): the SQLite handles
 * behind struct cp_registry and the helpers its table families share.
 * Nothing else includes this header or <sqlite3.h>; tests/tools/layers.sh
 * checks that. Each helper prints its own message and returns -1 (or NULL)
 * on error, naming the registry's file. */
#ifndef CP_REGISTRY_INTERNAL_H
#define CP_REGISTRY_INTERNAL_H

#include <sqlite3.h>

#include "registry.h"

/* Statements prepared once per connection and used again row after row
 * (validate's duplicate check, assign's lookups and inserts per learner):
 * prepared on first use, finalized by cp_registry_close. */
enum cp_reg_cached {
	CP_REG_AWARD_FIND,
	CP_REG_AWARD_ADD,
	CP_REG_DOC_FIND,
	CP_REG_SERIAL_ADD,
	CP_REG_DOC_ADD,
	CP_REG_KEYS_ADD,
	CP_REG_UNIT_ADD,
	CP_REG_DOC_DIGEST,
	CP_REG_NCACHED
};
_Static_assert(CP_REG_NCACHED <= CP_REGISTRY_NCACHED, "room for the cached statements");

/* "PATH: what: SQLite's message"; returns -1. */
int cp_reg_error(struct cp_registry *r, const char *what);
/* Prepare sql or say why not; NULL on error. */
sqlite3_stmt *cp_reg_prepare(struct cp_registry *r, const char *sql);
/* The connection's statement id (sql prepared on first use), reset and
 * its bindings cleared; NULL on error. Reset it again after stepping. */
sqlite3_stmt *cp_reg_cached(struct cp_registry *r, enum cp_reg_cached id, const char *sql);
/* Run SQL text without parameters (several statements allowed). */
int cp_reg_exec(struct cp_registry *r, const char *sql);
/* The first column of the first row of sql with text parameters ?1 and ?2
 * (NULL: not bound) into *out, 0 when there is no row. 0 or -1. */
int cp_reg_scalar(struct cp_registry *r, const char *sql, const char *a1, const char *a2,
		  long *out);
/* Run a statement whose n parameters are all text (NULL binds NULL);
 * what names it in the message. 0 or -1. */
int cp_reg_run_text(struct cp_registry *r, const char *sql, const char *what, int n, ...);
/* The same in a transaction of its own (a commit, as the crash tests count
 * them): 1 if it changed a row, 0 if it changed none, -1. */
int cp_reg_run_text_alone(struct cp_registry *r, const char *sql, const char *what, int n, ...);
/* Settle the rows of table left 'intent' (of batch, when not NULL: the
 * table's batch_id), as cp_notification_settle says (intents.c). */
int cp_reg_settle_intents(struct cp_registry *r, const char *table, const char *batch,
			  struct cp_intents *in);
/* The rows the last statement changed. */
long cp_reg_changes(struct cp_registry *r);

/* Bind text, or NULL for a NULL pointer (copied: it may not outlive the call). */
void cp_reg_bind_opt(sqlite3_stmt *st, int i, const char *v);
/* A column as text, NULL where the registry holds NULL. */
const char *cp_reg_col(sqlite3_stmt *st, int i);
/* A column copied (caller frees), NULL where the registry holds NULL. */
char *cp_reg_dup(sqlite3_stmt *st, int i);
/* A column copied into dst of n bytes ("" for NULL). */
void cp_reg_copy(char *dst, size_t n, sqlite3_stmt *st, int i);

/* The schema (schema.c): its version, and bringing it up to date. */
int cp_reg_user_version(struct cp_registry *r, int *version);
int cp_reg_migrate(struct cp_registry *r);

#endif
