/* The spool: the folders of interface.md, created on first use, and the
 * names inside them. Batch ids are "YYYYMMDD-HHMMSS-NNN" (UTC, then a
 * sequence number): they sort by time and stay unique within a second. */
#ifndef CP_SPOOL_H
#define CP_SPOOL_H

#include <stdbool.h>
#include <time.h>

#include "conf.h"

#define CP_BATCH_ID_MAX 24

struct cp_spool {
	char *root, *inbox, *failed, *batches, *exports, *print;
	char *reprints; /* replacement copies made by certpress reprint */
	char *downloads; /* exports made on demand, a folder per centre (made on use) */
	char *outbox; /* the file: transport's folder, or NULL for SMTP */
};

/* Fill in the names and create every folder that is missing. */
int cp_spool_open(struct cp_spool *s, const struct cp_conf *conf);
/* Fill in the names only, creating nothing: for commands that only read
 * (status), which must answer on a read-only spool too. */
void cp_spool_names(struct cp_spool *s, const struct cp_conf *conf);
void cp_spool_release(struct cp_spool *s);
/* Warn of each spool folder that others may read or enter (made so by
 * hand): the files in them hold personal data. */
void cp_spool_check_modes(const struct cp_spool *s);

/* Remove what a killed certpress reprint left in spool/reprints/: temp
 * files of a dead writer in digital/ and print/, and the font folders
 * (.fonts-REF.PID) of a reprint no longer running. The folder is shared (a
 * reprint and any batch's pack use it), so a live writer's are left. */
void cp_spool_sweep_reprints(const struct cp_spool *s);
/* The working folder of a reprint of ref by this process, for its fonts
 * (caller frees): spool/reprints/.fonts-REF.PID. */
char *cp_spool_reprint_fonts(const struct cp_spool *s, const char *ref);

/* spool/batches/<id> (caller frees). */
char *cp_spool_batch_dir(const struct cp_spool *s, const char *id);
/* A file in a batch's folder (caller frees). */
char *cp_spool_batch_file(const struct cp_spool *s, const char *id, const char *name);
/* Resolve a BATCH argument, an id or the path of its folder, to an id that
 * exists in this spool as a folder (a link there is refused: the stages
 * would write where it points). -1 with a message if there is no such batch. */
int cp_spool_batch_arg(const struct cp_spool *s, const char *arg, char id[CP_BATCH_ID_MAX]);
/* True if path names a file directly inside the spool's inbox. */
bool cp_spool_in_inbox(const struct cp_spool *s, const char *path);

/* A centre number or course run as it may be part of a file name: the
 * results schema's id pattern ([A-Za-z0-9][A-Za-z0-9_-]{0,39}), checked
 * again wherever a path is built from one. */
bool cp_spool_name_ok(const char *s);
/* The name an operator gives a file that centres download (certpress
 * export --name): a file name, never a path, that every system the file
 * goes to can hold: 1 to 100 characters of UTF-8, no '/' or '\\', no
 * control, formatting, invisible, unassigned or replacement character (the
 * name rule's: util/utf8.h), none of < > : " | ? *, not starting
 * with '.' or '-', not ending in a space or '.', not a Windows device name
 * (CON, NUL, COM1...). NULL if it may, else why not. */
const char *cp_spool_file_name_refused(const char *name);
void cp_batch_id_format(char id[CP_BATCH_ID_MAX], time_t t, int seq);
bool cp_batch_id_valid(const char *id);

/* Take a batch's lock (flock on <dir>/lock) without waiting long (a holder
 * that lets go within half a second, such as status looking, is waited
 * for). Returns 0 and the fd to keep open, 1 if another process holds it,
 * -1 on error. A parent that holds the lock for a child hands it the fd
 * itself (cp_batch_lock_pass); the child's cp_batch_lock takes that fd only
 * if it is an open file of this very lock file and flock on it succeeds: an
 * flock belongs to the open file, so that is true only for the holder's open
 * file (or a free lock, which it then holds). Anything else, such as an
 * environment variable naming a batch, is not taken on trust. Never unlock
 * the fd explicitly: a parent's lock would go with it; close it. */
int cp_batch_lock(const char *dir, const char *id, int *fd);
/* In a child between fork and exec: keep the lock's fd open across exec and
 * name it in $CERTPRESS_LOCK_FD for the program's cp_batch_lock. -1 if the
 * fd is not open. */
int cp_batch_lock_pass(int fd);
/* Whether a process holds the batch's lock: 1 yes, 0 no (or there is no
 * lock file), -1 error. Opens the lock read-only and creates nothing, so it
 * works on a read-only spool. With keep (not NULL) and the lock free, the
 * lock is held on return (*keep, to close) so the caller may tidy the
 * batch's records; else *keep is -1. */
int cp_batch_lock_probe(const char *dir, int *keep);

#endif
