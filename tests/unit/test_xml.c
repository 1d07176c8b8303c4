/* Every value read whole: cp_xml_text over text, CDATA sections, character
 * references and comments, and the readers built on it (the batch's own
 * files, templates). */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batchfile.h"
#include "engine/layout.h"
#include "util/xml.h"

static char dir[] = "/tmp/cp-xml-XXXXXX";

static int setup(void **state)
{
	(void)state;
	cp_xml_init();
	return unit_dir_make(dir);
}

static int teardown(void **state)
{
	(void)state;
	return unit_dir_remove(dir);
}

static const char *write_file(const char *name, const char *text)
{
	return unit_file(dir, name, text);
}

static xmlDocPtr parse(const char *text)
{
	xmlDocPtr doc = xmlReadMemory(text, (int)strlen(text), "t.xml", "UTF-8",
				      CP_XML_PARSE_OPTIONS);

	assert_non_null(doc);
	return doc;
}

static void text_cdata_references_and_comments(void **state)
{
	xmlDocPtr doc = parse("<a x='W&#x69;n&amp;bery'>W<![CDATA[in]]>b&#x65;r<!-- c -->"
			      "<![CDATA[y]]><?pi z?>&amp;<b>not mine</b> Jr</a>");
	xmlNodePtr a = xmlDocGetRootElement(doc);

	(void)state;
	assert_string_equal(cp_xml_text(a), "Winbery& Jr");
	/* merged in place: a second call gives the same, from one node */
	assert_string_equal(cp_xml_text(a), "Winbery& Jr");
	assert_string_equal(cp_xml_text((xmlNodePtr)xmlHasProp(a, BAD_CAST "x")), "Win&bery");
	assert_string_equal(cp_xml_text(cp_node_child(a, "b")), "not mine");
	xmlFreeDoc(doc);
}

static void empty_and_missing(void **state)
{
	xmlDocPtr doc = parse("<a><b/><c><!-- only a comment --></c><d><![CDATA[]]></d></a>");
	xmlNodePtr a = xmlDocGetRootElement(doc);

	(void)state;
	assert_string_equal(cp_xml_text(cp_node_child(a, "b")), "");
	assert_string_equal(cp_xml_text(cp_node_child(a, "c")), "");
	assert_string_equal(cp_xml_text(cp_node_child(a, "d")), "");
	assert_null(cp_xml_text(NULL));
	assert_null(cp_node_text(a, "e"));
	xmlFreeDoc(doc);
}

struct seen {
	char first[64], last[64], email[64], title[64];
};

static int on_learner(void *ctx, xmlNodePtr l)
{
	struct seen *s = ctx;

	snprintf(s->first, sizeof(s->first), "%s", cp_node_text(l, "first-name"));
	snprintf(s->last, sizeof(s->last), "%s", cp_node_text(l, "last-name"));
	snprintf(s->email, sizeof(s->email), "%s", cp_node_text(l, "email"));
	snprintf(s->title, sizeof(s->title), "%s", cp_node_attr(l, "title"));
	return 0;
}

/* A stage file is certpress's own, but it is read as any XML: whole. */
static void batch_files_are_read_whole(void **state)
{
	struct seen s;
	struct cp_batchfile_handler h = { &s, NULL, NULL, NULL, on_learner };
	const char *path = write_file("accepted.xml",
		"<accepted xmlns='urn:certpress:batch:1'>\n"
		"<course-run id='CR-1'>\n"
		"<learner line='9' enrolment='E1' title='Dr &#x26; Prof'>"
		"<first-name>Ali<![CDATA[son]]></first-name>"
		"<last-name>W<![CDATA[in]]>b&#x65;r<!-- c -->y</last-name>"
		"<email><![CDATA[alison@example.org]]></email></learner>\n"
		"</course-run>\n<end count='1'/>\n</accepted>\n");

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(cp_batchfile_read(path, "accepted", &h, NULL), 0);
	assert_string_equal(s.first, "Alison");
	assert_string_equal(s.last, "Winbery");
	assert_string_equal(s.email, "alison@example.org");
	assert_string_equal(s.title, "Dr & Prof");
}

/* A template's text: CDATA and references are its text too. */
static void template_text_is_read_whole(void **state)
{
	struct cp_layout l;
	struct cp_fontset set = { .n = 0 };
	struct cp_values v;
	char *out;

	(void)state;
	write_file("t.xml",
		"<template xmlns='urn:certpress:layout:1'>\n"
		"  <fonts><font name='sans' file='/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'/></fonts>\n"
		"  <text x='1mm' y='1mm' font='sans'>This is <![CDATA[to certify]]> th&#x61;t "
		"<![CDATA[{learner.first_name} & co]]></text>\n"
		"</template>\n");
	assert_int_equal(cp_layout_load(&l, dir, "t", &set), 0);
	assert_int_equal(l.nel, 1);
	memset(&v, 0, sizeof(v));
	v.v[CP_B_FIRST_NAME] = "Alison";
	out = cp_text_expand(&l.el[0].text, &v, NULL);
	assert_string_equal(out, "This is to certify that Alison & co");
	free(out);
	cp_layout_release(&l);
	cp_fontset_release(&set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_cdata_references_and_comments),
		cmocka_unit_test(empty_and_missing),
		cmocka_unit_test(batch_files_are_read_whole),
		cmocka_unit_test(template_text_is_read_whole),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
