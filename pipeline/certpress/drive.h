/* What run and retry share: the stages as separate programs, one batch at
 * a time under its lock, and the inbox they take results files from. */
#ifndef CP_CMD_DRIVE_H
#define CP_CMD_DRIVE_H

#include <stddef.h>

#include "cmd.h"
#include "spool.h"
#include "summary.h"

/* Run certpress-STAGE [-c CONFIG] ARG, handing it the batch's lock (lock,
 * -1 for none) and binding its life to this process's; its first stdout
 * word goes to first (if not NULL). Returns its exit code, or for a stage
 * killed by a signal the code cp_exit_from_signal gives, with the signal in
 * *sig (else 0). */
int cp_drive_stage(const char *stage, const char *config, const char *arg, int lock,
		   char *first, size_t nfirst, int *sig);
/* Say that the batch stopped at stage (an index of cp_stage_names) with
 * code, and whether a retry can resume it: once, where it stopped. */
void cp_drive_stopped(const char *batch, int stage, int code);
/* Run the batch's stages from first on, under its lock (the fd held,
 * closed here), timing them into sum (if not NULL), and record the batch
 * done or failed. validate is given source (its results file, still in
 * the inbox) if not NULL, else the batch. Returns the exit code of the
 * stage it stopped at, which it names (cp_drive_stopped). */
int cp_drive(struct cp_cmd_env *e, const char *config, const struct cp_spool *spool,
	     const char *batch, int first, int held, const char *source, struct cp_summary *sum);

/* Claim an inbox file: an flock on it, and it is still the same file at
 * its name (a run that held it before may have moved it into a batch).
 * The fd holding the claim, or -1. */
int cp_inbox_claim(const char *path);
/* Every inbox entry not starting with a dot, sorted (caller frees each and
 * the array): regular files, and whatever else is there (a link, a FIFO, a
 * socket, a folder...), which validate refuses with its reason instead of
 * leaving it unseen for ever. */
char **cp_inbox_files(const struct cp_spool *spool, size_t *n);
/* The inbox file a batch stopped in validate was made from, when validate
 * died before the batch had its own copy: found by its SHA-256 (caller
 * frees). NULL if the batch has its copy, or the inbox no such file. */
char *cp_inbox_source(struct cp_cmd_env *e, const struct cp_spool *spool, const char *batch);

#endif
