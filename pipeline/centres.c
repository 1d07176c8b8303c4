/* The centres register: loaded by util/xmldoc (screened, no entities,
 * validated), copied into a sorted array, a centre listed twice refused
 * with both lines, an email address notify cannot use refused with its. */
#include "centres.h"

#include <stdlib.h>
#include <string.h>

#include "util/exitcode.h"
#include "util/mailaddr.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "util/xml.h"
#include "util/xmldoc.h"
#include "util/banned.h"

#define CENTRES_MAX_BYTES (16L << 20)

static int cmp_centre(const void *a, const void *b)
{
	return strcmp(((const struct cp_centre *)a)->number, ((const struct cp_centre *)b)->number);
}

static char *address_of(xmlNodePtr centre)
{
	char *s = cp_xstrdup("");

	for (xmlNodePtr a = centre->children; a; a = a->next)
		if (cp_xmldoc_is(a, "address"))
			for (xmlNodePtr l = a->children; l; l = l->next)
				if (cp_xmldoc_is(l, "line")) {
					char *t = cp_xasprintf("%s%s\n", s, cp_xml_text(l));

					free(s);
					s = t;
				}
	return s;
}

int cp_centres_load(struct cp_centres *cs, const char *path, const char *schema_path)
{
	xmlDocPtr doc;
	size_t bad_email = 0; /* 1 + the first centre whose address is unusable */
	size_t alloc = 0;
	int rc;

	memset(cs, 0, sizeof(*cs));
	if (!path)
		return 0;
	rc = cp_xmldoc_load(path, CENTRES_MAX_BYTES, schema_path, "centres register",
			    CP_EX_CONFIG, &doc);
	if (rc)
		return rc;
	cs->path = cp_xstrdup(path);
	for (xmlNodePtr n = xmlDocGetRootElement(doc)->children; n; n = n->next) {
		struct cp_centre *c;

		if (!cp_xmldoc_is(n, "centre"))
			continue;
		cs->c = cp_xgrow(cs->c, &alloc, cs->n + 1, sizeof(*cs->c));
		c = &cs->c[cs->n++];
		c->number = cp_xmldoc_attr(n, "number");
		c->name = cp_xmldoc_attr(n, "name");
		c->delivery = cp_xmldoc_attr(n, "delivery");
		if (!c->delivery) /* the schema's default, where a reader does not apply it */
			c->delivery = cp_xstrdup("second-class-signed");
		c->address = address_of(n);
		c->line = cp_xmldoc_line(n);
		c->email = cp_xmldoc_attr(n, "email");
		if (c->email && !cp_mail_address_ok(c->email))
			bad_email = bad_email ? bad_email : cs->n;
	}
	if (bad_email) {
		/* the schema lets through what notify's stricter check refuses:
		 * said now, not at the first email */
		const struct cp_centre *c = &cs->c[bad_email - 1];

		cp_error("%s:%ld: centre '%s': email address not usable (a control character, a "
			 "space, or not one plain address)", path, c->line, c->number);
		xmlFreeDoc(doc);
		cp_centres_release(cs);
		return CP_EX_CONFIG;
	}
	xmlFreeDoc(doc);
	/* an empty register has no array at all: qsort's base must not be NULL */
	if (cs->n)
		qsort(cs->c, cs->n, sizeof(*cs->c), cmp_centre);
	for (size_t i = 1; i < cs->n; i++)
		if (!strcmp(cs->c[i - 1].number, cs->c[i].number)) {
			long a = cs->c[i - 1].line, b = cs->c[i].line;

			cp_error("%s:%ld: centre '%s' listed twice (also line %ld)", path,
				 a > b ? a : b, cs->c[i].number, a > b ? b : a);
			cp_centres_release(cs);
			return CP_EX_CONFIG;
		}
	return 0;
}

void cp_centres_release(struct cp_centres *cs)
{
	for (size_t i = 0; i < cs->n; i++) {
		free(cs->c[i].number);
		free(cs->c[i].name);
		free(cs->c[i].delivery);
		free(cs->c[i].address);
		free(cs->c[i].email);
	}
	free(cs->c);
	free(cs->path);
	memset(cs, 0, sizeof(*cs));
}

const struct cp_centre *cp_centres_find(const struct cp_centres *cs, const char *number)
{
	struct cp_centre key = { .number = (char *)number };

	if (!number || !cs->n)
		return NULL;
	return bsearch(&key, cs->c, cs->n, sizeof(*cs->c), cmp_centre);
}
