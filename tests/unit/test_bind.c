/* Bindings (engine/bind.c): template text parsed into literal parts and
 * {bindings} with their formats, unknown ones refused with the reason, and
 * expanded with one document's values, which are never read as bindings. */
#include "unit.h"

#include <string.h>

#include "engine/bind.h"

/* Parse src (units allowed or not), expand it with v and unit. */
static char *expand(const char *src, int units, const struct cp_values *v,
		    const struct cp_unit_values *unit)
{
	struct cp_text t;
	char why[256] = "";
	char *out;

	if (cp_text_parse(&t, src, units, why, sizeof(why)) < 0)
		fail_msg("'%s': %s", src, why);
	out = cp_text_expand(&t, v, unit);
	cp_text_release(&t);
	return out;
}

/* The reason parsing src fails for ("" if it parses). */
static const char *refused(const char *src, int units)
{
	static char why[256];
	struct cp_text t;

	why[0] = '\0';
	if (cp_text_parse(&t, src, units, why, sizeof(why)) == 0) {
		cp_text_release(&t);
		return "";
	}
	assert_null(t.parts); /* nothing left to free */
	assert_int_equal(t.n, 0);
	return why;
}

static void names_are_found(void **state)
{
	(void)state;
	assert_int_equal(cp_binding_find("learner.full_name"), CP_B_FULL_NAME);
	assert_int_equal(cp_binding_find("award.date"), CP_B_AWARDED);
	assert_int_equal(cp_binding_find("document.verify_url"), CP_B_VERIFY_URL);
	assert_int_equal(cp_binding_find("unit.title"), CP_B_UNIT_TITLE);
	assert_int_equal(cp_binding_find("row.letter"), CP_B_ROW_LETTER);
	assert_int_equal(cp_binding_find("pages"), CP_B_PAGES);
	assert_int_equal(cp_binding_find("learner.nickname"), -1);
	assert_int_equal(cp_binding_find("Learner.full_name"), -1);
	assert_int_equal(cp_binding_find("learner.full_name "), -1);
	assert_int_equal(cp_binding_find(""), -1);
}

static void text_becomes_parts(void **state)
{
	struct cp_text t;
	char why[256];

	(void)state;
	assert_int_equal(cp_text_parse(&t, "Awarded to {learner.full_name} on {award.date|long}.", 0,
				       why, sizeof(why)), 0);
	assert_int_equal(t.n, 5);
	assert_int_equal(t.parts[0].binding, -1);
	assert_string_equal(t.parts[0].text, "Awarded to ");
	assert_int_equal(t.parts[1].binding, CP_B_FULL_NAME);
	assert_int_equal(t.parts[1].format, CP_F_PLAIN);
	assert_null(t.parts[1].text);
	assert_string_equal(t.parts[2].text, " on ");
	assert_int_equal(t.parts[3].binding, CP_B_AWARDED);
	assert_int_equal(t.parts[3].format, CP_F_LONG_DATE);
	assert_string_equal(t.parts[4].text, ".");
	cp_text_release(&t);
	assert_int_equal(t.n, 0);

	assert_int_equal(cp_text_parse(&t, "{page}{pages}", 0, why, sizeof(why)), 0);
	assert_int_equal(t.n, 2); /* no empty literal between them */
	cp_text_release(&t);
	assert_int_equal(cp_text_parse(&t, "", 0, why, sizeof(why)), 0);
	assert_int_equal(t.n, 0);
	cp_text_release(&t);
	assert_int_equal(cp_text_parse(&t, "no braces } here", 0, why, sizeof(why)), 0);
	assert_int_equal(t.n, 1);
	assert_string_equal(t.parts[0].text, "no braces } here");
	cp_text_release(&t);
}

static void unknown_bindings_are_refused(void **state)
{
	(void)state;
	assert_string_equal(refused("Dear {learner.nickname}", 0),
			    "unknown binding '{learner.nickname}'");
	assert_string_equal(refused("{}", 0), "unknown binding '{}'");
	assert_string_equal(refused("{ learner.full_name }", 0),
			    "unknown binding '{ learner.full_name }'");
	assert_string_equal(refused("Dear {learner.full_name", 0), "'{' without its '}'");
	/* a name too long to be a binding has its '}': said so, not "without" */
	assert_string_equal(refused("{learner.full_name_and_then_some_more_characters_until_it_is_lon}", 0),
			    "binding name too long (at most 62 characters): '{learner.full_name_and_th...'");
	assert_string_equal(refused("{learner.full_name_and_then_some_more_characters_until_it_is_lo}", 0),
			    "unknown binding '{learner.full_name_and_then_some_more_characters_until_it_is_lo}'");
	assert_string_equal(refused("{award.date|roman}", 0),
			    "unknown format 'roman' (long, short or upper)");
	assert_string_equal(refused("{award.date|}", 0),
			    "unknown format '' (long, short or upper)");
	assert_string_equal(refused("{award.nope|long}", 0), "unknown binding '{award.nope}'");
	/* a unit's bindings only in a table row */
	assert_string_equal(refused("{unit.title}", 0), "'{unit.title}' is only known in a table row");
	assert_string_equal(refused("{row.learner}", 0), "'{row.learner}' is only known in a table row");
	assert_string_equal(refused("{unit.title}", 1), "");
	assert_string_equal(refused("{learner.full_name} {unit.credits|upper}", 1), "");
	/* a part after a good one is checked too */
	assert_string_equal(refused("{learner.full_name} {x}", 0), "unknown binding '{x}'");
}

static void values_are_put_in(void **state)
{
	struct cp_values v = { 0 };
	struct cp_unit_values u = { 0 };
	char *s;

	(void)state;
	v.v[CP_B_FULL_NAME] = "Siân Llywelyn";
	v.v[CP_B_AWARDED] = "2026-11-01";
	v.v[CP_B_AWARDING_BODY] = "Example Awards";
	u.v[CP_B_UNIT_TITLE - CP_B_FIRST_UNIT] = "Routine vehicle servicing";
	s = expand("Awarded to {learner.full_name} on {award.date|long}.", 0, &v, NULL);
	assert_string_equal(s, "Awarded to Siân Llywelyn on 1 November 2026.");
	free(s);
	s = expand("{award.date|short} {awarding_body|upper}", 0, &v, NULL);
	assert_string_equal(s, "01/11/2026 EXAMPLE AWARDS");
	free(s);
	/* a value not given is empty, in a format too */
	s = expand("[{learner.middle_names}][{document.expires|long}]", 0, &v, NULL);
	assert_string_equal(s, "[][]");
	free(s);
	s = expand("{unit.title}: {unit.grade}", 1, &v, &u);
	assert_string_equal(s, "Routine vehicle servicing: ");
	free(s);
	s = expand("{unit.title}", 1, &v, NULL); /* outside a row */
	assert_string_equal(s, "");
	free(s);
	/* a value is data: braces in it are never a binding */
	v.v[CP_B_FULL_NAME] = "{awarding_body} %s %n";
	s = expand("{learner.full_name}", 0, &v, NULL);
	assert_string_equal(s, "{awarding_body} %s %n");
	free(s);
}

static void formats(void **state)
{
	char *s;

	(void)state;
	s = cp_bind_format("2024-02-29", CP_F_LONG_DATE);
	assert_string_equal(s, "29 February 2024");
	free(s);
	s = cp_bind_format("2026-01-05", CP_F_LONG_DATE);
	assert_string_equal(s, "5 January 2026");
	free(s);
	s = cp_bind_format("2026-01-05", CP_F_SHORT_DATE);
	assert_string_equal(s, "05/01/2026");
	free(s);
	/* not a date: as it is */
	s = cp_bind_format("2026-02-30", CP_F_LONG_DATE);
	assert_string_equal(s, "2026-02-30");
	free(s);
	s = cp_bind_format("soon", CP_F_SHORT_DATE);
	assert_string_equal(s, "soon");
	free(s);
	/* upper: ASCII letters only; other letters keep their case */
	s = cp_bind_format("Łukasz ap dafydd-Ó", CP_F_UPPER);
	assert_string_equal(s, "ŁUKASZ AP DAFYDD-Ó");
	free(s);
	s = cp_bind_format("żółć", CP_F_UPPER);
	assert_string_equal(s, "żółć");
	free(s);
	s = cp_bind_format(NULL, CP_F_UPPER);
	assert_string_equal(s, "");
	free(s);
	s = cp_bind_format("as is", CP_F_PLAIN);
	assert_string_equal(s, "as is");
	free(s);
}

static void full_names(void **state)
{
	char *s;

	(void)state;
	s = cp_bind_full_name("Alison", "Jane", "Winbery");
	assert_string_equal(s, "Alison Jane Winbery");
	free(s);
	s = cp_bind_full_name("Siân", NULL, "Llywelyn");
	assert_string_equal(s, "Siân Llywelyn");
	free(s);
	s = cp_bind_full_name("Anne-Marie", "Zoë Ffion", "ap Dafydd");
	assert_string_equal(s, "Anne-Marie Zoë Ffion ap Dafydd");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_are_found),
		cmocka_unit_test(text_becomes_parts),
		cmocka_unit_test(unknown_bindings_are_refused),
		cmocka_unit_test(values_are_put_in),
		cmocka_unit_test(formats),
		cmocka_unit_test(full_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
