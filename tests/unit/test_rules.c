/* Every business rule of inputs.md, one learner at a time, against the
 * bundled catalogue. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stages/validate/catalogue.h"
#include "stages/validate/rules.h"
#include "util/xalloc.h"

static struct cp_catalogue cat;
static const struct cp_date today = { 2026, 11, 23 };

static int setup(void **state)
{
	(void)state;
	return cp_catalogue_load(&cat, "fixtures/catalogue.xml", "config/catalogue.xsd");
}

static int teardown(void **state)
{
	(void)state;
	cp_catalogue_release(&cat);
	return 0;
}

static struct cp_run run_for(const char *qual)
{
	struct cp_run r;

	memset(&r, 0, sizeof(r));
	r.id = cp_xstrdup("CR-1");
	r.qualification = cp_xstrdup(qual);
	r.start = cp_xstrdup("2026-01-10");
	r.end = cp_xstrdup("2026-10-30");
	r.outcome = cp_xstrdup("confirmed");
	r.line = 4;
	return r;
}

static void run_free(struct cp_run *r)
{
	free(r->id);
	free(r->qualification);
	free(r->start);
	free(r->end);
	free(r->outcome);
}

static void add_unit(struct cp_learner *l, const char *ref, const char *grade)
{
	l->units = cp_xgrow(l->units, &l->aunits, l->nunits + 1, sizeof(*l->units));
	l->units[l->nunits].ref = cp_xstrdup(ref);
	l->units[l->nunits].grade = cp_xstrdup(grade);
	l->units[l->nunits].line = 20 + (long)l->nunits;
	l->nunits++;
}

/* A learner who passes every rule for 603/1465/5. */
static struct cp_learner good(void)
{
	struct cp_learner l;

	memset(&l, 0, sizeof(l));
	l.enrolment = cp_xstrdup("E1");
	l.candidate = cp_xstrdup("C1");
	l.first_name = cp_xstrdup("  Siân ");
	l.last_name = cp_xstrdup("Llywelyn");
	l.dob = cp_xstrdup("2004-03-02");
	l.email = cp_xstrdup("sian@example.org");
	l.status = cp_xstrdup("achieved");
	l.grade = cp_xstrdup("Merit");
	l.awarded = cp_xstrdup("2026-11-01");
	l.line = 10;
	add_unit(&l, "K/650/1234", "Pass");
	add_unit(&l, "M/650/1235", "Merit");
	return l;
}

static void set(char **field, const char *value)
{
	free(*field);
	*field = value ? cp_xstrdup(value) : NULL;
}

/* Check l and expect exactly the given reasons (NULL-terminated). */
static enum cp_verdict expect(struct cp_run *run, struct cp_learner *l, ...)
{
	struct cp_reasons run_reasons = { 0 }, out = { 0 };
	enum cp_verdict v;
	const char *want;
	va_list ap;
	size_t i = 0;

	cp_learner_normalise(l);
	cp_rules_run(&cat, run, &run_reasons);
	v = cp_rules_check(&cat, run, &run_reasons, l, today, &out);
	va_start(ap, l);
	while ((want = va_arg(ap, const char *))) {
		if (i >= out.n)
			fail_msg("missing reason: %s", want);
		assert_string_equal(out.v[i].text, want);
		i++;
	}
	va_end(ap);
	if (i != out.n)
		fail_msg("unexpected reason: %s", out.v[i].text);
	cp_reasons_release(&out);
	cp_reasons_release(&run_reasons);
	cp_learner_release(l);
	return v;
}

static void a_good_learner_is_accepted(void **state)
{
	struct cp_run r = run_for("603/1465/5");
	struct cp_learner l = good();

	(void)state;
	assert_int_equal(expect(&r, &l, NULL), CP_ACCEPTED);
	run_free(&r);
}

static void names_are_trimmed(void **state)
{
	struct cp_learner l = good();

	(void)state;
	cp_learner_normalise(&l);
	assert_string_equal(l.first_name, "Siân");
	cp_learner_release(&l);
}

static void query_and_withdrawn_are_held(void **state)
{
	struct cp_run r = run_for("603/1465/5");
	struct cp_learner l = good();

	(void)state;
	set(&l.status, "query");
	set(&l.grade, NULL);
	set(&l.awarded, NULL);
	assert_int_equal(expect(&r, &l, NULL), CP_HELD);
	l = good();
	set(&l.status, "withdrawn");
	assert_int_equal(expect(&r, &l, NULL), CP_HELD);
	/* a held learner whose identity is wrong is rejected */
	l = good();
	set(&l.status, "query");
	set(&l.dob, "2001-02-29");
	assert_int_equal(expect(&r, &l, "date of birth is not a real date (YYYY-MM-DD)", NULL),
			 CP_REJECTED);
	run_free(&r);
}

static void verification_must_be_confirmed(void **state)
{
	struct cp_run r = run_for("603/1465/5");
	struct cp_learner l = good();

	(void)state;
	set(&r.outcome, "referred");
	assert_int_equal(expect(&r, &l, "course run 'CR-1': verification outcome is 'referred', "
				      "not 'confirmed'", NULL), CP_REJECTED);
	run_free(&r);
}

static void qualification_must_exist_and_be_open(void **state)
{
	struct cp_run r = run_for("999/9999/9");
	struct cp_learner l = good();

	(void)state;
	assert_int_equal(expect(&r, &l, "course run 'CR-1': qualification '999/9999/9' is not in "
				      "the catalogue", NULL), CP_REJECTED);
	run_free(&r);
	r = run_for("500/9999/9");
	l = good();
	free(l.units[1].ref);
	free(l.units[1].grade);
	l.nunits = 1;
	set(&l.units[0].ref, "H/500/0001");
	set(&l.grade, "Pass");
	set(&l.units[0].grade, "Pass");
	assert_int_equal(expect(&r, &l, "qualification '500/9999/9' is not open for awards on "
				      "2026-11-01 (open 2015-09-01 to 2024-08-31)", NULL), CP_REJECTED);
	run_free(&r);
}

static void units_belong_are_graded_and_not_repeated(void **state)
{
	struct cp_run r = run_for("603/1465/5");
	struct cp_learner l = good();

	(void)state;
	add_unit(&l, "D/601/0001", "Pass");
	assert_int_equal(expect(&r, &l, "unit 'D/601/0001' is not part of qualification '603/1465/5'",
				NULL), CP_REJECTED);
	l = good();
	add_unit(&l, "A/650/1237", "Merit");
	assert_int_equal(expect(&r, &l, "unit 'A/650/1237': grade 'Merit' is not one of: Pass", NULL),
			 CP_REJECTED);
	l = good();
	add_unit(&l, "M/650/1235", "Pass");
	assert_int_equal(expect(&r, &l, "unit 'M/650/1235' is listed twice", NULL), CP_REJECTED);
	l = good();
	set(&l.units[0].ref, "T/650/1236");
	assert_int_equal(expect(&r, &l, "mandatory unit 'K/650/1234' is missing", NULL), CP_REJECTED);
	l = good();
	l.nunits = 1;
	free(l.units[1].ref);
	free(l.units[1].grade);
	assert_int_equal(expect(&r, &l, "6 credits achieved, qualification '603/1465/5' needs 12",
				NULL), CP_REJECTED);
	run_free(&r);
}

static void grade_must_be_allowed(void **state)
{
	struct cp_run r = run_for("603/1465/5");
	struct cp_learner l = good();

	(void)state;
	set(&l.grade, "Excellent");
	assert_int_equal(expect(&r, &l, "grade 'Excellent' is not one of: Pass Merit Distinction",
				NULL), CP_REJECTED);
	l = good();
	set(&l.grade, NULL);
	assert_int_equal(expect(&r, &l, "achieved without a grade", NULL), CP_REJECTED);
	run_free(&r);
}

static void award_date_rules(void **state)
{
	struct cp_run r = run_for("603/1465/5");
	struct cp_learner l = good();

	(void)state;
	set(&l.awarded, "2026-11-24");
	assert_int_equal(expect(&r, &l, "award date 2026-11-24 is in the future", NULL), CP_REJECTED);
	l = good();
	set(&l.awarded, "2026-11-23");
	assert_int_equal(expect(&r, &l, NULL), CP_ACCEPTED); /* today is fine */
	l = good();
	set(&l.awarded, "2026-01-09");
	assert_int_equal(expect(&r, &l, "award date 2026-01-09 is before the course run's start "
				      "2026-01-10", NULL), CP_REJECTED);
	l = good();
	set(&l.awarded, "2026-11-31");
	assert_int_equal(expect(&r, &l, "award date '2026-11-31' is not a real date (YYYY-MM-DD)",
				NULL), CP_REJECTED);
	l = good();
	set(&l.awarded, NULL);
	assert_int_equal(expect(&r, &l, "achieved without an award date", NULL), CP_REJECTED);
	run_free(&r);
}

static void minimum_age_on_the_award_date(void **state)
{
	struct cp_run r = run_for("603/1465/5");
	struct cp_learner l = good();

	(void)state;
	set(&l.dob, "2010-11-02"); /* 15 on 2026-11-01 */
	assert_int_equal(expect(&r, &l, "under the minimum age of 16 for qualification '603/1465/5' "
				      "on the award date", NULL), CP_REJECTED);
	l = good();
	set(&l.dob, "2010-11-01"); /* 16 that day */
	assert_int_equal(expect(&r, &l, NULL), CP_ACCEPTED);
	run_free(&r);
}

static void names_and_email(void **state)
{
	struct cp_run r = run_for("603/1465/5");
	struct cp_learner l = good();
	char long_name[202];

	(void)state;
	set(&l.last_name, "Lly\twelyn");
	assert_int_equal(expect(&r, &l, "last name contains a control character", NULL), CP_REJECTED);
	l = good();
	memset(long_name, 'a', 101);
	long_name[101] = '\0';
	set(&l.middle_names, long_name);
	assert_int_equal(expect(&r, &l, "middle names is longer than 100 characters", NULL),
			 CP_REJECTED);
	l = good();
	/* 100 two-byte characters are 100 characters, not 200 */
	for (int i = 0; i < 100; i++)
		memcpy(long_name + 2 * i, "\xc5\x82", 2);
	long_name[200] = '\0';
	set(&l.last_name, long_name);
	assert_int_equal(expect(&r, &l, NULL), CP_ACCEPTED);
	l = good();
	set(&l.first_name, " ");
	assert_int_equal(expect(&r, &l, "first name is empty", NULL), CP_REJECTED);
	/* blank to the eye: other spaces, a braille blank, a zero-width space */
	l = good();
	set(&l.first_name, "\xe2\x80\x83\xe2\xa0\x80\xe3\x80\x80");
	assert_int_equal(expect(&r, &l, "first name is empty", NULL), CP_REJECTED);
	l = good();
	set(&l.first_name, "\xe2\x80\x8b");
	assert_int_equal(expect(&r, &l, "first name contains an invisible formatting character "
				"U+200B", "first name has no letter", NULL), CP_REJECTED);
	l = good();
	set(&l.middle_names, "\xe2\x80\x83");
	assert_int_equal(expect(&r, &l, NULL), CP_ACCEPTED); /* trimmed to none */
	l = good();
	set(&l.last_name, "-.'");
	assert_int_equal(expect(&r, &l, "last name has no letter", NULL), CP_REJECTED);
	l = good();
	set(&l.last_name, "Lly\xc2\xadwelyn\xe3\x85\xa4x\xee\x80\x80");
	assert_int_equal(expect(&r, &l, "last name contains an invisible formatting character U+00AD",
				"last name contains an invisible character U+3164",
				"last name contains an unassigned or private-use character U+E000",
				NULL), CP_REJECTED);
	const char *bad_emails[] = { "a@b.org,c@d.org", "a b@c.org", "a@b.org\r\nBcc: x@y.org",
				     "<a@b.org>", "ab.org", "a@b@c.org", "a@org", "\"a\"@b.org",
				     "a@b.org;c@d.org", "a@.org", "ä@b.org" };
	for (size_t i = 0; i < sizeof(bad_emails) / sizeof(*bad_emails); i++) {
		l = good();
		set(&l.email, bad_emails[i]);
		assert_int_equal(expect(&r, &l, "email is not one plain address", NULL), CP_REJECTED);
	}
	l = good();
	set(&l.email, "  first.o'neill+certs@mail.example.co.uk ");
	assert_int_equal(expect(&r, &l, NULL), CP_ACCEPTED);
	l = good();
	set(&l.email, NULL);
	assert_int_equal(expect(&r, &l, NULL), CP_ACCEPTED);
	run_free(&r);
}

static void every_reason_is_reported(void **state)
{
	struct cp_run r = run_for("603/1465/5");
	struct cp_learner l = good();

	(void)state;
	set(&l.first_name, "");
	set(&l.dob, "2030-01-01");
	set(&l.grade, "Gold");
	assert_int_equal(expect(&r, &l, "first name is empty", "date of birth is in the future",
				"under the minimum age of 16 for qualification '603/1465/5' on the "
				"award date",
				"grade 'Gold' is not one of: Pass Merit Distinction", NULL),
			 CP_REJECTED);
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_good_learner_is_accepted),
		cmocka_unit_test(names_are_trimmed),
		cmocka_unit_test(query_and_withdrawn_are_held),
		cmocka_unit_test(verification_must_be_confirmed),
		cmocka_unit_test(qualification_must_exist_and_be_open),
		cmocka_unit_test(units_belong_are_graded_and_not_repeated),
		cmocka_unit_test(grade_must_be_allowed),
		cmocka_unit_test(award_date_rules),
		cmocka_unit_test(minimum_age_on_the_award_date),
		cmocka_unit_test(names_and_email),
		cmocka_unit_test(every_reason_is_reported),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
