/* Business rules for one learner record, against the catalogue. Messages
 * never quote a name, a date of birth or an email address: they end up in
 * logs, which may hold only references and enrolment numbers. */
#include "rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"
#include "util/xalloc.h"
#include "util/banned.h"

void cp_reasons_add(struct cp_reasons *r, long line, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	if (!text)
		text = cp_xstrdup("out of memory");
	r->v = cp_xgrow(r->v, &r->alloc, r->n + 1, sizeof(*r->v));
	r->v[r->n].text = text;
	r->v[r->n].line = line;
	r->n++;
}

void cp_reasons_append(struct cp_reasons *dst, const struct cp_reasons *src)
{
	for (size_t i = 0; i < src->n; i++)
		cp_reasons_add(dst, src->v[i].line, "%s", src->v[i].text);
}

void cp_reasons_clear(struct cp_reasons *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].text);
	r->n = 0;
}

void cp_reasons_release(struct cp_reasons *r)
{
	cp_reasons_clear(r);
	free(r->v);
	memset(r, 0, sizeof(*r));
}

static void trim(char **field)
{
	char *t;

	if (!*field)
		return;
	t = cp_utf8_trim(*field);
	free(*field);
	*field = t;
}

void cp_learner_normalise(struct cp_learner *l)
{
	trim(&l->first_name);
	trim(&l->middle_names);
	trim(&l->last_name);
	trim(&l->email);
	trim(&l->dob);
	if (l->middle_names && !*l->middle_names) {
		free(l->middle_names);
		l->middle_names = NULL;
	}
	if (l->email && !*l->email) {
		free(l->email);
		l->email = NULL;
	}
}

void cp_rules_run(const struct cp_catalogue *c, const struct cp_run *run,
		  struct cp_reasons *out)
{
	struct cp_date start, end;

	if (!run->outcome || strcmp(run->outcome, "confirmed") != 0)
		cp_reasons_add(out, run->line,
			       "course run '%s': verification outcome is '%s', not 'confirmed'",
			       run->id ? run->id : "", run->outcome ? run->outcome : "");
	if (!cp_catalogue_find(c, run->qualification))
		cp_reasons_add(out, run->line,
			       "course run '%s': qualification '%s' is not in the catalogue",
			       run->id ? run->id : "",
			       run->qualification ? run->qualification : "");
	if (run->start && run->end && cp_date_parse(run->start, &start) &&
	    cp_date_parse(run->end, &end) && cp_date_cmp(end, start) < 0)
		cp_reasons_add(out, run->line, "course run '%s': ends before it starts",
			       run->id ? run->id : "");
}

/* The name rule (README, validate): after trimming, not empty, at least one
 * letter, none of the characters utf8.h names (control, formatting,
 * invisible, unassigned, U+FFFD, marks on nothing or stacked), at most 100
 * characters. */
static void check_name(const char *what, const char *value, bool required, long line,
		       struct cp_reasons *out)
{
	char why[CP_NAME_NREASONS][CP_NAME_REASON_MAX];
	struct cp_name_check c;
	int n;

	if (!value || !*value) {
		if (required)
			cp_reasons_add(out, line, "%s is empty", what);
		return;
	}
	cp_utf8_name_check(value, &c);
	n = cp_utf8_name_reasons(&c, why);
	for (int i = 0; i < n; i++)
		cp_reasons_add(out, line, "%s %s", what, why[i]);
	if (cp_utf8_length(value) > CP_NAME_MAX_CHARS)
		cp_reasons_add(out, line, "%s is longer than %d characters", what,
			       CP_NAME_MAX_CHARS);
}

/* One plain address: local@domain, printable ASCII, no white space, no
 * characters that could start a second address or a header. */
static bool email_ok(const char *e)
{
	const char *at = strchr(e, '@');
	size_t len = strlen(e);

	if (!at || at == e || strchr(at + 1, '@') || len > 254 || !strchr(at + 1, '.'))
		return false;
	if (at[1] == '.' || e[len - 1] == '.' || at - e > 64)
		return false;
	for (const char *p = e; *p; p++) {
		unsigned char ch = (unsigned char)*p;

		if (ch <= 0x20 || ch >= 0x7f || strchr("<>()[]\\,;:\"", ch))
			return false;
	}
	return true;
}

void cp_rules_identity(const struct cp_learner *l, struct cp_date today,
		       struct cp_reasons *out)
{
	struct cp_date dob;

	check_name("first name", l->first_name, true, l->line, out);
	check_name("middle names", l->middle_names, false, l->line, out);
	check_name("last name", l->last_name, true, l->line, out);
	if (!l->dob || !cp_date_parse(l->dob, &dob))
		cp_reasons_add(out, l->line, "date of birth is not a real date (YYYY-MM-DD)");
	else if (cp_date_cmp(dob, today) > 0)
		cp_reasons_add(out, l->line, "date of birth is in the future");
	if (l->email && !email_ok(l->email))
		cp_reasons_add(out, l->line, "email is not one plain address");
}

static void check_units(const struct cp_qualification *q, const struct cp_learner *l,
			struct cp_reasons *out)
{
	long credits = 0;

	for (size_t i = 0; i < l->nunits; i++) {
		const struct cp_unit_result *u = &l->units[i];
		const struct cp_unit *cu = cp_qualification_unit(q, u->ref);
		bool twice = false;

		for (size_t j = 0; j < i; j++)
			if (u->ref && l->units[j].ref && !strcmp(u->ref, l->units[j].ref))
				twice = true;
		if (twice) {
			cp_reasons_add(out, u->line, "unit '%s' is listed twice", u->ref);
			continue;
		}
		if (!cu) {
			cp_reasons_add(out, u->line, "unit '%s' is not part of qualification '%s'",
				       u->ref ? u->ref : "", q->number);
			continue;
		}
		if (!cp_grades_contain(cp_unit_grades(q, cu), u->grade))
			cp_reasons_add(out, u->line, "unit '%s': grade '%s' is not one of: %s",
				       cu->ref, u->grade ? u->grade : "", cp_unit_grades(q, cu));
		credits += cu->credits;
	}
	for (size_t i = 0; i < q->nunits; i++) {
		bool present = false;

		if (!q->units[i].mandatory)
			continue;
		for (size_t j = 0; j < l->nunits && !present; j++)
			present = l->units[j].ref && !strcmp(l->units[j].ref, q->units[i].ref);
		if (!present)
			cp_reasons_add(out, l->line, "mandatory unit '%s' is missing",
				       q->units[i].ref);
	}
	if (credits < q->min_credits)
		cp_reasons_add(out, l->line, "%ld credits achieved, qualification '%s' needs %d",
			       credits, q->number, q->min_credits);
}

void cp_rules_award(const struct cp_qualification *q, const struct cp_run *run,
		    const struct cp_learner *l, struct cp_date today, struct cp_reasons *out)
{
	struct cp_date awarded, start, dob;
	bool have_awarded = l->awarded && cp_date_parse(l->awarded, &awarded);

	if (!l->awarded || !*l->awarded)
		cp_reasons_add(out, l->line, "achieved without an award date");
	else if (!have_awarded)
		cp_reasons_add(out, l->line, "award date '%s' is not a real date (YYYY-MM-DD)",
			       l->awarded);
	if (have_awarded) {
		char from[11], to[11];

		if (cp_date_cmp(awarded, today) > 0)
			cp_reasons_add(out, l->line, "award date %s is in the future", l->awarded);
		if (run->start && cp_date_parse(run->start, &start) &&
		    cp_date_cmp(awarded, start) < 0)
			cp_reasons_add(out, l->line,
				       "award date %s is before the course run's start %s",
				       l->awarded, run->start);
		if (cp_date_cmp(awarded, q->valid_from) < 0 || cp_date_cmp(awarded, q->valid_to) > 0)
			cp_reasons_add(out, l->line,
				       "qualification '%s' is not open for awards on %s "
				       "(open %s to %s)", q->number, l->awarded,
				       cp_date_format(q->valid_from, from),
				       cp_date_format(q->valid_to, to));
		if (l->dob && cp_date_parse(l->dob, &dob) &&
		    cp_date_years_between(dob, awarded) < q->min_age)
			cp_reasons_add(out, l->line,
				       "under the minimum age of %d for qualification '%s' "
				       "on the award date", q->min_age, q->number);
	}
	if (!l->grade || !*l->grade)
		cp_reasons_add(out, l->line, "achieved without a grade");
	else if (!cp_grades_contain(q->grades, l->grade))
		cp_reasons_add(out, l->line, "grade '%s' is not one of: %s", l->grade, q->grades);
	check_units(q, l, out);
}

enum cp_verdict cp_rules_check(const struct cp_catalogue *c, const struct cp_run *run,
			       const struct cp_reasons *run_reasons,
			       const struct cp_learner *l, struct cp_date today,
			       struct cp_reasons *out)
{
	const struct cp_qualification *q = cp_catalogue_find(c, run->qualification);
	bool achieved = l->status && !strcmp(l->status, "achieved");

	cp_reasons_append(out, run_reasons);
	cp_rules_identity(l, today, out);
	if (achieved && q)
		cp_rules_award(q, run, l, today, out);
	if (out->n)
		return CP_REJECTED;
	return achieved ? CP_ACCEPTED : CP_HELD;
}
