/* Catalogue loading: read whole by util/xmldoc (screened, parsed without
 * entities or network, validated against the schema), then copy into
 * plain structs and check what a schema
 * cannot (duplicates, date ranges). */
#include "catalogue.h"

#include <errno.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/exitcode.h"
#include "util/msg.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include "util/xml.h"
#include "util/xmldoc.h"
#include "util/banned.h"

#define CATALOGUE_MAX_BYTES (64L << 20)

static char *attr(xmlNodePtr n, const char *name)
{
	return cp_xmldoc_attr(n, name);
}

/* A number the schema has bounded (catalogue.xsd: at most 9999, 150 or
 * 1200), or fallback if the attribute is absent. Never atoi's wrapped
 * value: one the schema let through that is not a small number is a bug. */
static int attr_int(xmlNodePtr n, const char *name, int fallback)
{
	char *v = attr(n, name), *end;
	long i = fallback;

	if (v) {
		errno = 0;
		i = strtol(v, &end, 10);
		while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
			end++; /* the schema collapses white space around a number */
		if (errno || end == v || *end || i < 0 || i > 1000000)
			cp_bug("catalogue: %s='%s' is out of the schema's bounds", name, v);
	}
	free(v);
	return (int)i;
}

static bool is(xmlNodePtr n, const char *name)
{
	return cp_xmldoc_is(n, name);
}

/* The trimmed text of the first child element called name, and its line
 * (that of n if there is none). */
static char *child_text(xmlNodePtr n, const char *name, long *line)
{
	*line = xmlGetLineNo(n);
	for (xmlNodePtr c = n->children; c; c = c->next)
		if (is(c, name)) {
			*line = xmlGetLineNo(c);
			return cp_utf8_trim(cp_xml_text(c));
		}
	return cp_xstrdup("");
}

/* A title is printed on every document of its qualification: the name rule
 * (README, validate) holds for it too, but for its length. */
static int check_title(const char *path, long line, const struct cp_qualification *q,
		       const struct cp_unit *u, const char *title)
{
	char why[CP_NAME_NREASONS][CP_NAME_REASON_MAX];
	struct cp_name_check c;
	int n;

	if (!*title) {
		n = 1;
		snprintf(why[0], sizeof(why[0]), "is empty");
	} else {
		cp_utf8_name_check(title, &c);
		n = cp_utf8_name_reasons(&c, why);
	}
	for (int i = 0; i < n; i++)
		cp_error("%s:%ld: qualification '%s': %s%s%stitle %s", path, line, q->number,
			 u ? "unit '" : "", u ? u->ref : "", u ? "': " : "", why[i]);
	return n ? -1 : 0;
}

static int cmp_qual(const void *a, const void *b)
{
	return strcmp(((const struct cp_qualification *)a)->number,
		      ((const struct cp_qualification *)b)->number);
}

static int date_attr(const char *path, xmlNodePtr n, const char *name, struct cp_date *d)
{
	char *v = attr(n, name);
	int ok = v && cp_date_parse(v, d);

	free(v);
	if (!ok)
		return cp_error("%s:%ld: qualification: %s is not a date (YYYY-MM-DD)", path,
				(long)xmlGetLineNo(n), name);
	return 0;
}

static int load_qualification(const char *path, xmlNodePtr n, struct cp_qualification *q)
{
	size_t alloc = 0;

	q->line = xmlGetLineNo(n);
	q->number = attr(n, "number");
	q->title = child_text(n, "title", &q->title_line);
	q->grades = attr(n, "grades");
	for (int i = 0; i < CP_NDOCTYPES; i++)
		q->templates[i] = attr(n, cp_doctypes[i].template_attr);
	q->level = attr_int(n, "level", 0);
	q->min_credits = attr_int(n, "min-credits", 0);
	q->min_age = attr_int(n, "min-age", 0);
	q->expires_after_months = attr_int(n, "expires-after-months", 0);
	if (date_attr(path, n, "valid-from", &q->valid_from) < 0 ||
	    date_attr(path, n, "valid-to", &q->valid_to) < 0)
		return -1;
	if (check_title(path, q->title_line, q, NULL, q->title) < 0)
		return -1;
	if (cp_date_cmp(q->valid_from, q->valid_to) > 0)
		return cp_error("%s:%ld: qualification '%s': valid-to is before valid-from", path,
				q->line, q->number);
	for (xmlNodePtr c = n->children; c; c = c->next) {
		struct cp_unit *u;

		if (!is(c, "unit"))
			continue;
		q->units = cp_xgrow(q->units, &alloc, q->nunits + 1, sizeof(*q->units));
		u = &q->units[q->nunits++];
		memset(u, 0, sizeof(*u));
		u->ref = attr(c, "ref");
		u->title = child_text(c, "title", &u->title_line);
		u->grades = attr(c, "grades");
		u->credits = attr_int(c, "credits", 0);
		u->level = attr_int(c, "level", 0);
		{
			char *m = attr(c, "mandatory");

			u->mandatory = m && (strcmp(m, "true") == 0 || strcmp(m, "1") == 0);
			free(m);
		}
		if (check_title(path, u->title_line, q, u, u->title) < 0)
			return -1;
		for (size_t i = 0; i + 1 < q->nunits; i++)
			if (strcmp(q->units[i].ref, u->ref) == 0)
				return cp_error("%s:%ld: qualification '%s': unit '%s' listed twice",
						path, (long)xmlGetLineNo(c), q->number, u->ref);
	}
	return 0;
}

static int load_tree(struct cp_catalogue *c, const char *path, xmlNodePtr root)
{
	size_t alloc = 0;

	c->awarding_body = attr(root, "awarding-body");
	for (xmlNodePtr n = root->children; n; n = n->next) {
		if (!is(n, "qualification"))
			continue;
		c->quals = cp_xgrow(c->quals, &alloc, c->nquals + 1, sizeof(*c->quals));
		memset(&c->quals[c->nquals], 0, sizeof(*c->quals));
		if (load_qualification(path, n, &c->quals[c->nquals++]) < 0)
			return -1;
	}
	qsort(c->quals, c->nquals, sizeof(*c->quals), cmp_qual);
	for (size_t i = 1; i < c->nquals; i++)
		if (strcmp(c->quals[i - 1].number, c->quals[i].number) == 0)
			return cp_error("%s:%ld: qualification '%s' listed twice", path,
					c->quals[i].line, c->quals[i].number);
	return 0;
}

int cp_catalogue_load(struct cp_catalogue *c, const char *path, const char *schema_path)
{
	xmlDocPtr doc;
	int rc;

	memset(c, 0, sizeof(*c));
	rc = cp_xmldoc_load(path, CATALOGUE_MAX_BYTES, schema_path, "catalogue", CP_EX_CONFIG,
			    &doc);
	if (rc == 0 && load_tree(c, path, xmlDocGetRootElement(doc)) < 0)
		rc = CP_EX_CONFIG;
	xmlFreeDoc(doc);
	if (rc != 0)
		cp_catalogue_release(c);
	return rc;
}

void cp_catalogue_release(struct cp_catalogue *c)
{
	for (size_t i = 0; i < c->nquals; i++) {
		struct cp_qualification *q = &c->quals[i];

		for (size_t j = 0; j < q->nunits; j++) {
			free(q->units[j].ref);
			free(q->units[j].title);
			free(q->units[j].grades);
		}
		free(q->units);
		free(q->number);
		free(q->title);
		free(q->grades);
		for (int t = 0; t < CP_NDOCTYPES; t++)
			free(q->templates[t]);
	}
	free(c->quals);
	free(c->awarding_body);
	memset(c, 0, sizeof(*c));
}

const struct cp_qualification *cp_catalogue_find(const struct cp_catalogue *c,
						 const char *number)
{
	struct cp_qualification key = { .number = (char *)number };

	if (!number)
		return NULL;
	return bsearch(&key, c->quals, c->nquals, sizeof(*c->quals), cmp_qual);
}

const struct cp_unit *cp_qualification_unit(const struct cp_qualification *q, const char *ref)
{
	for (size_t i = 0; ref && i < q->nunits; i++)
		if (strcmp(q->units[i].ref, ref) == 0)
			return &q->units[i];
	return NULL;
}

const char *cp_unit_grades(const struct cp_qualification *q, const struct cp_unit *u)
{
	return u->grades ? u->grades : q->grades;
}

bool cp_grades_contain(const char *grades, const char *grade)
{
	size_t len = grade ? strlen(grade) : 0;

	if (!grades || !len)
		return false;
	for (const char *p = grades; *p;) {
		size_t word;

		p += strspn(p, " \t\r\n");
		word = strcspn(p, " \t\r\n");
		if (word == len && strncmp(p, grade, len) == 0)
			return true;
		p += word;
	}
	return false;
}
