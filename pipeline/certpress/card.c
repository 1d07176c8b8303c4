/* Document cards from the registry, for people and for scripts. */
#include "card.h"

#include <stdlib.h>
#include <string.h>

#include "engine/bind.h"
#include "util/date.h"
#include "util/json.h"
#include "util/xalloc.h"
#include "util/banned.h"

const char cp_card_select[] =
	"SELECT d.reference, d.type, d.status, a.first_name, a.middle_names, a.last_name,"
	" a.enrolment, a.candidate, a.qualification, a.qualification_title, a.grade,"
	" a.awarded, d.issued, a.centre, a.centre_name, d.expires, d.status_reason,"
	" d.status_changed, a.dob, a.id, d.serial, d.issue, d.published IS NOT NULL"
	" FROM documents d JOIN awards a ON a.id = d.award_id";

static const char *const labels[CP_CARD_NFIELDS] = {
	"reference", "document", "status", "first name", "middle names", "last name",
	"enrolment", "candidate", "qualification", "title", "grade", "awarded", "issued",
	"centre", "centre name", "expires", "status reason", "status changed", "date of birth",
};

static const char *const keys[CP_CARD_NFIELDS] = {
	"reference", "type", "status", "first_name", "middle_names", "last_name", "enrolment",
	"candidate", "qualification", "qualification_title", "grade", "awarded", "issued",
	"centre", "centre_name", "expires", "status_reason", "status_changed", "dob",
};

void cp_card_from_row(struct cp_card *c, sqlite3_stmt *st)
{
	struct cp_date today = cp_date_today(), expires;
	const char *derived = NULL;

	memset(c, 0, sizeof(*c));
	for (int i = 0; i < CP_CARD_NFIELDS; i++) {
		const unsigned char *t = sqlite3_column_text(st, i);

		c->f[i] = t ? cp_xstrdup((const char *)t) : NULL;
	}
	c->award_id = sqlite3_column_int64(st, CP_CARD_NFIELDS);
	c->serial = (long)sqlite3_column_int64(st, CP_CARD_NFIELDS + 1);
	c->issue = (long)sqlite3_column_int64(st, CP_CARD_NFIELDS + 2);
	if (!c->f[CP_CARD_STATUS] || strcmp(c->f[CP_CARD_STATUS], "valid"))
		return; /* superseded and revoked are stored, issued or not */
	if (!sqlite3_column_int(st, CP_CARD_NFIELDS + 3))
		derived = "not-issued"; /* never issued: not expired either */
	else if (c->f[CP_CARD_EXPIRES] && cp_date_parse(c->f[CP_CARD_EXPIRES], &expires) &&
		 cp_date_cmp(expires, today) < 0)
		derived = "expired";
	if (derived) {
		free(c->f[CP_CARD_STATUS]);
		c->f[CP_CARD_STATUS] = cp_xstrdup(derived);
	}
}

int cp_card_find(struct cp_registry *r, const char *reference, struct cp_card *c)
{
	char *sql = cp_xasprintf("%s WHERE d.reference = ?1", cp_card_select);
	sqlite3_stmt *st = cp_registry_prepare(r, sql);
	int rc;

	free(sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, reference, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		cp_card_from_row(c, st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	return rc == SQLITE_ROW;
}

void cp_card_release(struct cp_card *c)
{
	for (int i = 0; i < CP_CARD_NFIELDS; i++)
		free(c->f[i]);
	memset(c, 0, sizeof(*c));
}

static char *full_name(const struct cp_card *c)
{
	const char *m = c->f[CP_CARD_MIDDLE_NAMES];

	return cp_bind_full_name(c->f[CP_CARD_FIRST_NAME], m, c->f[CP_CARD_LAST_NAME]);
}

void cp_card_print(FILE *f, const struct cp_card *c)
{
	static const int order[] = {
		CP_CARD_REFERENCE, CP_CARD_TYPE, CP_CARD_STATUS, -1, CP_CARD_ENROLMENT,
		CP_CARD_CANDIDATE, CP_CARD_QUALIFICATION, CP_CARD_TITLE, CP_CARD_GRADE,
		CP_CARD_AWARDED, CP_CARD_ISSUED, CP_CARD_EXPIRES, CP_CARD_CENTRE,
		CP_CARD_STATUS_REASON, CP_CARD_STATUS_CHANGED,
	};
	char *name = full_name(c);

	for (size_t i = 0; i < sizeof(order) / sizeof(*order); i++) {
		int k = order[i];

		if (k < 0)
			fprintf(f, "%-15s %s\n", "name:", name);
		else if (k == CP_CARD_CENTRE)
			fprintf(f, "%-15s %s %s\n", "centre:", c->f[k] ? c->f[k] : "",
				c->f[CP_CARD_CENTRE_NAME] ? c->f[CP_CARD_CENTRE_NAME] : "");
		else if (k == CP_CARD_EXPIRES)
			fprintf(f, "%-15s %s\n", "expires:", c->f[k] ? c->f[k] : "never");
		else if (c->f[k]) {
			char label[32];

			snprintf(label, sizeof(label), "%s:", labels[k]);
			fprintf(f, "%-15s %s\n", label, c->f[k]);
		}
	}
	free(name);
}

void cp_card_print_json(FILE *f, const struct cp_card *c)
{
	char *name = full_name(c);
	int first = 1;

	fputc('{', f);
	for (int i = 0; i < CP_CARD_NFIELDS; i++)
		if (i != CP_CARD_DOB)
			cp_json_field(f, &first, keys[i], c->f[i]);
	cp_json_field(f, &first, "full_name", name);
	fputc('}', f);
	free(name);
}

void cp_card_print_line(FILE *f, const struct cp_card *c)
{
	char *name = full_name(c);

	fprintf(f, "%s  %-11s %-10s %s  %s  %s\n", c->f[CP_CARD_REFERENCE], c->f[CP_CARD_TYPE],
		c->f[CP_CARD_STATUS], name, c->f[CP_CARD_QUALIFICATION], c->f[CP_CARD_AWARDED]);
	free(name);
}
