/* The document card as verify, show and search print it; the card itself
 * (struct cp_card: the document with its award, and its status) is the
 * registry's (registry/documents.h). */
#ifndef CP_CARD_H
#define CP_CARD_H

#include <stdio.h>

#include "registry.h"

/* The card for a person, one "label: value" a line. */
void cp_card_print(FILE *f, const struct cp_card *c);
/* The card as a JSON object. */
void cp_card_print_json(FILE *f, const struct cp_card *c);
/* One line: reference, type, status, name, qualification, award date. */
void cp_card_print_line(FILE *f, const struct cp_card *c);

#endif
