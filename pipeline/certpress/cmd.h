/* The certpress command's subcommands, as git's builtin.h: each lives in
 * its own file (run.c, retry.c, ... export-password.c), takes its own
 * arguments (argv[0] is the subcommand's name) and the global -c value,
 * and returns a sysexits code; certpress.c's table dispatches to them. */
#ifndef CP_CMD_H
#define CP_CMD_H

#include <stdbool.h>

#include "conf.h"
#include "ref.h"
#include "registry.h"

struct cp_cmd {
	const char *name;
	int (*run)(int argc, char **argv, const char *config);
	const char *synopsis;
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
int cp_cmd_publish(int argc, char **argv, const char *config);
int cp_cmd_order(int argc, char **argv, const char *config);
int cp_cmd_orders(int argc, char **argv, const char *config);
int cp_cmd_printed(int argc, char **argv, const char *config);
int cp_cmd_print_batches(int argc, char **argv, const char *config);

/* What most subcommands need: the configuration, then the key, then the
 * registry, each only if asked for. Returns 0 or the exit code to use. */
struct cp_cmd_env {
	struct cp_conf conf;
	struct cp_ref_key key;
	struct cp_registry reg;
	bool have_conf, have_key, have_reg;
};
int cp_cmd_conf(struct cp_cmd_env *e, const char *config);
int cp_cmd_key(struct cp_cmd_env *e);
int cp_cmd_registry(struct cp_cmd_env *e);
/* The registry for a command that only reads: read-only where it cannot be
 * written (cp_registry_open_read). */
int cp_cmd_registry_read(struct cp_cmd_env *e);
void cp_cmd_env_release(struct cp_cmd_env *e);

/* status --receipts: every export with its receipt's due date and state
 * (receipt.c). Returns a sysexits code. */
int cp_cmd_receipts(struct cp_cmd_env *e, bool json);

/* status: the consignments held for an address the centres register
 * lacks, a line each (held.c). Returns a sysexits code. */
int cp_cmd_held_consignments(struct cp_cmd_env *e);

/* Lay out a replacement's digital and print copies into spool/reprints/
 * from its learner's record in the registry (else in the original batch).
 * Returns a sysexits code. */
int cp_reprint_render(struct cp_cmd_env *e, const char *ref);
/* What an order's copies share (reprint_pdf.c): both copies of v's document
 * laid out and written to spool/reprints/{digital,print}/REF.pdf, the
 * digital copy's digest recorded; a sysexits code. And removing the
 * folder a copy's fonts were subset into. */
struct cp_spool;
struct cp_layout;
struct cp_fontset;
struct cp_values;
int cp_order_write_copies(struct cp_cmd_env *e, const struct cp_spool *spool,
			  const struct cp_layout *layout, struct cp_fontset *fonts, char **subset,
			  struct cp_values *v);
void cp_order_remove_dir(const char *dir);

/* Write the verification snapshot and its signature into dir (NULL:
 * [verify] snapshot) from e's registry (publish.c). A sysexits code. */
int cp_publish(struct cp_cmd_env *e, const char *dir);
/* What run, retry, reprint and revoke do last: publish if this host has a
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
/* The usage line of a subcommand on stderr; returns 64. */
int cp_cmd_usage(const char *synopsis);

#endif
