/* The registry: what outlives a batch, in SQLite (WAL, busy timeout, STRICT
 * tables). The schema is versioned with PRAGMA user_version and every
 * migration is applied in one transaction. This module (pipeline/registry.h
 * and pipeline/registry/) owns all SQL: the rest of certpress calls the
 * named functions of its table families, declared in the headers included
 * below, and never sees a statement. Every function prints its own message
 * and returns -1 on error. */
#ifndef CP_REGISTRY_H
#define CP_REGISTRY_H

#include <stdbool.h>

#define CP_REGISTRY_VERSION 18
#define CP_REGISTRY_NCACHED 8

struct sqlite3;
struct sqlite3_stmt;

/* A connection. Its handles are the registry module's alone. */
struct cp_registry {
	struct sqlite3 *db;
	char *path;
	struct sqlite3_stmt *cached[CP_REGISTRY_NCACHED]; /* prepared once, used per row */
	bool readonly; /* opened by cp_registry_open_read on a read-only spool */
};

/* Whether an operation of this process gave up waiting for another
 * process's write transaction (SQLite's busy timeout): exit 75 then. */
bool cp_registry_gave_up_waiting(void);
/* A program's exit code: a failure that came of waiting for the registry
 * in vain is 75 (temporary), whatever the caller made of it. */
int cp_registry_exit(int rc);
/* Open (creating the file and its folder) and bring the schema up to date. */
int cp_registry_open(struct cp_registry *r, const char *path);
/* Open for a command that only reads (status, verify, show, search): as
 * cp_registry_open where the registry can be written; where it cannot (a
 * read-only mount, a folder the user may not write) read-only, creating
 * nothing, without the WAL switch or migrations (the schema must be this
 * program's), and as immutable if SQLite cannot read its WAL index there.
 * r->readonly then. */
int cp_registry_open_read(struct cp_registry *r, const char *path);
/* Close (a zeroed, never opened r too). */
void cp_registry_close(struct cp_registry *r);

/* BEGIN IMMEDIATE, so a writer waits for the other writers up front. */
int cp_registry_begin(struct cp_registry *r);
int cp_registry_commit(struct cp_registry *r);
void cp_registry_rollback(struct cp_registry *r);

/* The table families. */
#include "registry/batches.h"       /* batches, results files, stage runs */
#include "registry/awards.h"        /* awards, serials, documents as assign issues them */
#include "registry/documents.h"     /* documents: cards, search, what stages read */
#include "registry/reprints.h"      /* reprint orders */
#include "registry/notifications.h" /* emails to learners and centres */
#include "registry/exports.h"       /* centre exports, their passwords and receipts */
#include "registry/addresses.h"     /* learners' addresses set by operators */
#include "registry/receipts.h"      /* centres' receipts per course run */
#include "registry/approvals.h"     /* who approved or held a batch */
#include "registry/changes.h"       /* who revoked or superseded a document */
#include "registry/units.h"         /* award units, digests, what publish reads */
#include "registry/downloads.h"     /* exports on demand, the downloads list */
#include "registry/orders.h"        /* orders: reprints and letters, their states */
#include "registry/records.h"       /* a document's record, to lay it out again */
#include "registry/printbatches.h"  /* print batches, consignments, confirmations */
#include "registry/centremails.h"   /* the centres' order and dispatch emails */
#include "registry/orderprints.h"   /* the order copies' own print files */

#endif
