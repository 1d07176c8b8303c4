/* The certpress command's subcommands, as git's builtin.h: each lives in
 * its own file (run.c, retry.c, ... export-password.c), takes its own
 * arguments (argv[0] is the subcommand's name) and the global -c value,
 * and returns a sysexits code; certpress.c's table dispatches to them.
 * Each describes its command line in one table (opts.h: cp_X_line), which
 * it parses (cp_cmd_args) and certpress --help prints. */
#ifndef CP_CMD_H
#define CP_CMD_H

#include <stdbool.h>
#include <stddef.h>

#include "centres.h"
#include "conf.h"
#include "opts.h"
#include "ref.h"
#include "registry.h"
#include "spool.h"
#include "who.h" /* cp_who: --by, else the login name */

struct cp_cmd {
	int (*run)(int argc, char **argv, const char *config);
	const struct cp_cmdline *line; /* its name, options and operands */
};

int cp_cmd_keygen(int argc, char **argv, const char *config);
int cp_cmd_verify(int argc, char **argv, const char *config);
int cp_cmd_show(int argc, char **argv, const char *config);
int cp_cmd_search(int argc, char **argv, const char *config);
int cp_cmd_reprint(int argc, char **argv, const char *config);
int cp_cmd_revoke(int argc, char **argv, const char *config);
int cp_cmd_sweep(int argc, char **argv, const char *config);
int cp_cmd_run(int argc, char **argv, const char *config);
int cp_cmd_retry(int argc, char **argv, const char *config);
int cp_cmd_status(int argc, char **argv, const char *config);
int cp_cmd_receipt(int argc, char **argv, const char *config);
int cp_cmd_export_password(int argc, char **argv, const char *config);
int cp_cmd_set_email(int argc, char **argv, const char *config);
int cp_cmd_notify(int argc, char **argv, const char *config);
int cp_cmd_approve(int argc, char **argv, const char *config);
int cp_cmd_hold(int argc, char **argv, const char *config);
int cp_cmd_publish(int argc, char **argv, const char *config);
int cp_cmd_export(int argc, char **argv, const char *config);
int cp_cmd_downloads(int argc, char **argv, const char *config);
int cp_cmd_order(int argc, char **argv, const char *config);
int cp_cmd_orders(int argc, char **argv, const char *config);
int cp_cmd_printed(int argc, char **argv, const char *config);
int cp_cmd_print_batches(int argc, char **argv, const char *config);
int cp_cmd_print_orders(int argc, char **argv, const char *config);
/* keygen --signing (keygen_signing.c), verify --file PDF (verify_file.c) */
int cp_cmd_keygen_signing(const char *config);
int cp_cmd_verify_file(const char *pdf, const char *config, bool json);

extern const struct cp_cmdline cp_keygen_line, cp_verify_line, cp_show_line, cp_search_line,
	cp_reprint_line, cp_revoke_line, cp_sweep_line, cp_run_line, cp_retry_line,
	cp_status_line, cp_receipt_line, cp_export_password_line, cp_set_email_line,
	cp_notify_line, cp_approve_line, cp_hold_line, cp_publish_line, cp_export_line,
	cp_downloads_line, cp_order_reprint_line, cp_order_letter_line, cp_orders_line,
	cp_print_batches_line, cp_printed_line, cp_print_orders_line;

/* Parse a subcommand's arguments by its command line into args (the
 * struct its table's offsets are of): CP_CMD_GO with *first the index of
 * its first operand, or the exit code to return: 0 after --help (its
 * usage and options on stdout), 64 after a usage error (its usage on
 * stderr). */
#define CP_CMD_GO (-1)
int cp_cmd_args(const struct cp_cmdline *c, int argc, char **argv, void *args, int *first);
/* The usage line of a subcommand on stderr; returns 64. */
int cp_cmd_usage(const struct cp_cmdline *c);

/* What most subcommands need: the configuration, then the key, the
 * registry, the spool, each only if asked for. Returns 0 or the exit code
 * to use. */
struct cp_cmd_env {
	struct cp_conf conf;
	struct cp_ref_key key;
	struct cp_registry reg;
	struct cp_spool spool;
	bool have_conf, have_key, have_reg, have_spool;
};
int cp_cmd_conf(struct cp_cmd_env *e, const char *config);
int cp_cmd_key(struct cp_cmd_env *e);
int cp_cmd_registry(struct cp_cmd_env *e);
/* The spool's folders, made where they are missing (cp_spool_open). */
int cp_cmd_spool(struct cp_cmd_env *e);
/* The registry for a command that only reads: read-only where it cannot be
 * written (cp_registry_open_read). */
int cp_cmd_registry_read(struct cp_cmd_env *e);
void cp_cmd_env_release(struct cp_cmd_env *e);
/* The configuration, registry and spool opened (into e), then the batch
 * named by arg (its id or folder) with its lock held: 0 and
 * batch, *dir (caller frees) and *fd (to close), or the exit code after
 * saying why (66 no such batch, 75 another process holds it: "left" says
 * what of it is left alone, 73, 74). What retry, notify, approve and hold
 * share. */
int cp_cmd_batch_locked(struct cp_cmd_env *e, const char *config, const char *arg,
			const char *left, char batch[CP_BATCH_ID_MAX], char **dir, int *fd);

/* status --receipts: each course run of every export that went out with
 * its receipt's due date and state, or (pending_only) those not confirmed
 * (receipt.c). Returns a sysexits code. */
int cp_cmd_receipts(struct cp_cmd_env *e, bool pending_only, bool json);

/* status: the consignments held for an address the centres register
 * lacks, a line each (held.c). Returns a sysexits code. */
int cp_cmd_held_consignments(struct cp_cmd_env *e);
/* The same for status --json: the centres register read once (open, a
 * sysexits code), then the held consignments of one print batch (NULL:
 * all) as a JSON array, always (held.c). */
struct cp_held {
	struct cp_centres centres;
	struct cp_registry *reg;
};
int cp_held_open(struct cp_cmd_env *e, struct cp_held *h);
int cp_held_print(const struct cp_held *h, const char *print_batch, bool json);
void cp_held_close(struct cp_held *h);

/* Lay out a replacement's digital and print copies into spool/reprints/
 * from its learner's record in the registry (else in the original batch).
 * Returns a sysexits code. */
int cp_reprint_render(struct cp_cmd_env *e, const char *ref);
/* What killed orders left in spool/reprints (reprint_pdf.c): the spool's
 * sweep (temp files, dead writers' font folders), then every copy of a
 * reference the registry does not hold: an order killed before its commit
 * (a letter's fresh reference is never drawn again, so nothing would
 * replace it). Called inside the ordering transaction, which holds the
 * registry's write lock: no other order is writing copies meanwhile. */
struct cp_spool;
void cp_order_sweep(struct cp_cmd_env *e, const struct cp_spool *spool);
/* What an order's copies share (reprint_pdf.c): both copies of v's document
 * laid out and written to spool/reprints/{digital,print}/REF.pdf, the
 * digital copy made as [render] protection says and its digest recorded;
 * a sysexits code. */
struct cp_spool;
struct cp_layout;
struct cp_fontset;
struct cp_values;
int cp_order_write_copies(struct cp_cmd_env *e, const struct cp_spool *spool,
			  const struct cp_layout *layout, struct cp_fontset *fonts, char **subset,
			  struct cp_values *v);

/* Write the verification snapshot and its signature into dir (NULL:
 * [verify] snapshot) from e's registry (publish.c). A sysexits code. */
int cp_publish(struct cp_cmd_env *e, const char *dir);
/* What run, retry, reprint, revoke and order do last: publish if this host has a
 * publish key ([verify] key-file), so a change reaches the verification
 * page at once. Returns rc, or publish's code if rc was 0. */
int cp_publish_at_end(struct cp_cmd_env *e, int rc);
/* Read the units and digital copies' digests of batches assigned before
 * the registry kept them (their assigned.xml and rendered.xml, where they
 * still exist), once (fill.c). 0 or -1. */
int cp_fill_old_batches(struct cp_cmd_env *e);

/* Parse and check a reference typed by an operator: 0 and the normalised
 * form, or 1 if it is not a reference this awarding body issued (its shape
 * or its check characters are wrong). */
int cp_cmd_reference(struct cp_cmd_env *e, const char *typed, char out[CP_REF_LEN + 1]);
/* A --reason text: non-empty, at most 500 characters, no control characters. */
bool cp_cmd_reason_ok(const char *reason);
/* cp_cmd_reason_ok for option --opt's value: 0, or 64 with a message
 * saying what such a value must be. */
int cp_cmd_text_arg(const char *opt, const char *value);
#endif
