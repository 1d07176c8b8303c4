/* The document card of verify, show and search: how it is looked up from
 * a reference an operator typed and how it is printed. The card itself
 * (struct cp_card: the document with its award, and its status) is the
 * registry's (registry/documents.h). */
#ifndef CP_CARD_H
#define CP_CARD_H

#include <stdbool.h>
#include <stdio.h>

#include "cmd.h"
#include "registry.h"

/* The arguments verify and show take ([--json] REF): their options'
 * table (cp_card_opts, of struct cp_card_args) and its parse by their
 * command line c: CP_CMD_GO, or the exit code (cp_cmd_args). */
struct cp_card_args {
	bool json;
	const char *ref; /* the operand */
};
extern const struct cp_opt cp_card_opts[];
int cp_card_args(const struct cp_cmdline *c, int argc, char **argv, struct cp_card_args *a);
/* The card of a typed reference, or why there is none: 0 found, 1 unknown,
 * or an exit code. The registry is opened only for a well-made reference
 * (ref: its normalised form). */
int cp_card_lookup(struct cp_cmd_env *e, const char *config, const char *typed,
		   char ref[CP_REF_LEN + 1], struct cp_card *card);

/* The card for a person, one "label: value" a line. */
void cp_card_print(FILE *f, const struct cp_card *c);
/* The card as a JSON object. */
void cp_card_print_json(FILE *f, const struct cp_card *c);
/* One line: reference, type, status, name, qualification, award date. */
void cp_card_print_line(FILE *f, const struct cp_card *c);

#endif
