/* A zip of digital copies as a centre downloads it: the nightly zip pack
 * makes for each centre of a batch and an export made on demand (certpress
 * export) are built by this one module, with the one manifest.csv. The zip
 * is written under a temp name in its final folder (.NAME.cptmp.PID, which
 * cp_atomic_sweep removes after a crash), then made 0640, fsynced and
 * renamed: it appears only whole, and a re-run replaces it. PDFs are
 * stored (they are compressed already), text deflated; with a password
 * every entry is AES-256 (WinZip AES). */
#ifndef CP_ZIPOUT_H
#define CP_ZIPOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "conf.h"
#include "registry.h"

struct cp_zipout {
	void *za;             /* libzip's archive while open */
	const char *password; /* NULL: not encrypted (the caller's) */
	char *tmp, *final;
	long entries;
};

/* Begin the zip that is to be final (its folder exists), encrypted with
 * password if not NULL. -1 with a message (the errno kept for
 * cp_output_errno). */
int cp_zipout_open(struct cp_zipout *z, const char *final, const char *password);
/* Add the file at path as entry name (store: not deflated). */
int cp_zipout_add_file(struct cp_zipout *z, const char *name, const char *path, bool store);
/* Add len bytes of buf (malloc'd: the zip frees it, also on failure). */
int cp_zipout_add_buffer(struct cp_zipout *z, const char *name, char *buf, size_t len,
			 bool store);
/* Add a document's digital copy at path as FOLDER/REFERENCE.pdf; the
 * reference is the only part of the name from data, so it must be one. */
int cp_zipout_add_doc(struct cp_zipout *z, const struct cp_batch_doc *d, const char *path);
/* Write it, sync it and rename it onto its final name. -1 with a message,
 * the temp file removed; the struct is released either way. */
int cp_zipout_commit(struct cp_zipout *z);
/* Throw it away (safe after commit or on a zeroed struct). */
void cp_zipout_abort(struct cp_zipout *z);

/* The centre's zip password when [export] encrypt = yes (caller wipes and
 * frees), in *pw; NULL when exports are not encrypted. -1 with a message
 * naming the command that sets one when the centre has none. */
int cp_zipout_password(struct cp_registry *r, const struct cp_conf *conf, const char *centre,
		       char **pw);
/* Wipe and free a password from cp_zipout_password. */
void cp_zipout_password_free(char *pw);

/* manifest.csv: RFC 4180 (CRLF, fields with a comma, quote or line break
 * quoted, quotes doubled), UTF-8 with a byte order mark so that
 * spreadsheets read names right, a row per document. A field that a
 * spreadsheet would run as a formula (starting with =, +, -, @, tab or CR)
 * gets a leading single quote, as OWASP advises. */
void cp_manifest_header(FILE *f);
/* The document's row. -1 on a write error. */
int cp_manifest_row(FILE *f, const struct cp_batch_doc *d);

#endif
