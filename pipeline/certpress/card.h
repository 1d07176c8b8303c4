/* The document card: what verify, show and search tell about a document,
 * read from the registry. Superseded and revoked are stored; a document
 * stored as valid is "not-issued" until a pack has published it
 * (documents.published: its batch's zip and print file, or the print file
 * carrying a replacement), then "expired" after its expiry date (derived
 * from the date and today), else "valid". */
#ifndef CP_CARD_H
#define CP_CARD_H

#include <stdio.h>

#include "ref.h"
#include "registry.h"

enum cp_card_field {
	CP_CARD_REFERENCE, CP_CARD_TYPE, CP_CARD_STATUS, CP_CARD_FIRST_NAME,
	CP_CARD_MIDDLE_NAMES, CP_CARD_LAST_NAME, CP_CARD_ENROLMENT, CP_CARD_CANDIDATE,
	CP_CARD_QUALIFICATION, CP_CARD_TITLE, CP_CARD_GRADE, CP_CARD_AWARDED, CP_CARD_ISSUED,
	CP_CARD_CENTRE, CP_CARD_CENTRE_NAME, CP_CARD_EXPIRES, CP_CARD_STATUS_REASON,
	CP_CARD_STATUS_CHANGED, CP_CARD_DOB, CP_CARD_NFIELDS
};

struct cp_card {
	char *f[CP_CARD_NFIELDS]; /* NULL where the registry has nothing */
	long long award_id;
	long serial, issue;
};

/* The SELECT list and FROM clause a card is read with; callers add WHERE. */
extern const char cp_card_select[];
/* Fill a card from a row of cp_card_select. */
void cp_card_from_row(struct cp_card *c, sqlite3_stmt *st);
/* Look a normalised reference up: 1 found, 0 unknown, -1 error. */
int cp_card_find(struct cp_registry *r, const char *reference, struct cp_card *c);
void cp_card_release(struct cp_card *c);

/* The card for a person, one "label: value" a line. */
void cp_card_print(FILE *f, const struct cp_card *c);
/* The card as a JSON object. */
void cp_card_print_json(FILE *f, const struct cp_card *c);
/* One line: reference, type, status, name, qualification, award date. */
void cp_card_print_line(FILE *f, const struct cp_card *c);

#endif
