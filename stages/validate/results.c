/* The results reader: a small state machine over xmlTextReader events. It
 * keeps one learner in memory at a time and enforces the depth and length
 * bounds itself, before the schema would. */
#include "results.h"

#include <errno.h>
#include <fcntl.h>
#include <libxml/xmlreader.h>
#include <unistd.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define X(s) ((const xmlChar *)(s))

struct state {
	xmlTextReaderPtr r;
	const struct cp_results_handler *h;
	struct cp_xml_error *err;
	struct cp_results_head head;
	struct cp_run run;
	struct cp_learner learner;
	bool in_learner;
	char **text;      /* the learner field that text goes to, or NULL */
	size_t text_len;
};

static long node_line(struct state *s)
{
	xmlNodePtr n = xmlTextReaderCurrentNode(s->r);
	long line = n ? xmlGetLineNo(n) : -1;

	return line > 0 ? line : xmlTextReaderGetParserLineNumber(s->r);
}

static int unusable(struct state *s, const char *why)
{
	cp_xml_error_set(s->err, node_line(s), why);
	return 1;
}

/* Copy an attribute; 1 (unusable) if it is longer than the bound. */
static int get_attr(struct state *s, const char *name, char **dst)
{
	xmlChar *v = xmlTextReaderGetAttribute(s->r, X(name));

	free(*dst);
	*dst = NULL;
	if (!v)
		return 0;
	if (strlen((const char *)v) > CP_RESULTS_MAX_TEXT) {
		xmlFree(v);
		return unusable(s, "an attribute value is longer than 4096 bytes");
	}
	*dst = cp_xstrdup((const char *)v);
	xmlFree(v);
	return 0;
}

static void head_release(struct cp_results_head *h)
{
	free(h->id);
	free(h->submitted);
	free(h->centre_number);
	free(h->centre_name);
	free(h->centre_email);
	memset(h, 0, sizeof(*h));
}

static void run_release(struct cp_run *r)
{
	free(r->id);
	free(r->qualification);
	free(r->start);
	free(r->end);
	free(r->verifier);
	free(r->verifier_name);
	free(r->verified);
	free(r->outcome);
	memset(r, 0, sizeof(*r));
}

void cp_learner_release(struct cp_learner *l)
{
	free(l->enrolment);
	free(l->candidate);
	free(l->first_name);
	free(l->middle_names);
	free(l->last_name);
	free(l->dob);
	free(l->email);
	free(l->status);
	free(l->grade);
	free(l->awarded);
	for (size_t i = 0; i < l->nunits; i++) {
		free(l->units[i].ref);
		free(l->units[i].grade);
	}
	free(l->units);
	memset(l, 0, sizeof(*l));
}

static char **text_target(struct state *s, const char *name)
{
	struct cp_learner *l = &s->learner;

	if (!s->in_learner)
		return NULL;
	if (!strcmp(name, "first-name"))
		return &l->first_name;
	if (!strcmp(name, "middle-names"))
		return &l->middle_names;
	if (!strcmp(name, "last-name"))
		return &l->last_name;
	if (!strcmp(name, "dob"))
		return &l->dob;
	if (!strcmp(name, "email"))
		return &l->email;
	return NULL;
}

static int on_start(struct state *s, const char *name)
{
	int rc = 0;

	if (xmlTextReaderDepth(s->r) > CP_RESULTS_MAX_DEPTH)
		return unusable(s, "elements are nested too deeply");
	if (!strcmp(name, "results")) {
		s->head.line = node_line(s);
		rc = get_attr(s, "id", &s->head.id) || get_attr(s, "submitted", &s->head.submitted);
	} else if (!strcmp(name, "centre")) {
		s->head.centre_line = node_line(s);
		rc = get_attr(s, "number", &s->head.centre_number) ||
		     get_attr(s, "name", &s->head.centre_name) ||
		     get_attr(s, "email", &s->head.centre_email);
		if (!rc && s->h->head && s->h->head(s->h->ctx, &s->head) < 0)
			return -1;
	} else if (!strcmp(name, "course-run")) {
		run_release(&s->run);
		s->run.line = node_line(s);
		rc = get_attr(s, "id", &s->run.id) ||
		     get_attr(s, "qualification", &s->run.qualification) ||
		     get_attr(s, "start", &s->run.start) || get_attr(s, "end", &s->run.end);
	} else if (!strcmp(name, "verification")) {
		rc = get_attr(s, "verifier", &s->run.verifier) ||
		     get_attr(s, "name", &s->run.verifier_name) ||
		     get_attr(s, "date", &s->run.verified) ||
		     get_attr(s, "outcome", &s->run.outcome);
		if (!rc && s->h->run_start && s->h->run_start(s->h->ctx, &s->run) < 0)
			return -1;
	} else if (!strcmp(name, "learner")) {
		cp_learner_release(&s->learner);
		s->in_learner = true;
		s->learner.line = node_line(s);
		rc = get_attr(s, "enrolment", &s->learner.enrolment) ||
		     get_attr(s, "candidate", &s->learner.candidate);
	} else if (!strcmp(name, "outcome") && s->in_learner) {
		rc = get_attr(s, "status", &s->learner.status) ||
		     get_attr(s, "grade", &s->learner.grade) ||
		     get_attr(s, "awarded", &s->learner.awarded);
	} else if (!strcmp(name, "unit") && s->in_learner) {
		struct cp_learner *l = &s->learner;
		struct cp_unit_result *u;

		l->units = cp_xgrow(l->units, &l->aunits, l->nunits + 1, sizeof(*l->units));
		u = &l->units[l->nunits++];
		memset(u, 0, sizeof(*u));
		u->line = node_line(s);
		rc = get_attr(s, "ref", &u->ref) || get_attr(s, "grade", &u->grade);
	} else if ((s->text = text_target(s, name))) {
		free(*s->text);
		*s->text = cp_xstrdup("");
		s->text_len = 0;
		if (xmlTextReaderIsEmptyElement(s->r))
			s->text = NULL;
	}
	return rc;
}

static int on_text(struct state *s)
{
	const char *v = (const char *)xmlTextReaderConstValue(s->r);
	size_t n = v ? strlen(v) : 0;

	if (!s->text || !n)
		return 0;
	if (s->text_len + n > CP_RESULTS_MAX_TEXT)
		return unusable(s, "a text value is longer than 4096 bytes");
	*s->text = cp_xrealloc(*s->text, s->text_len + n + 1);
	memcpy(*s->text + s->text_len, v, n + 1);
	s->text_len += n;
	return 0;
}

static int on_end(struct state *s, const char *name)
{
	if (s->text) {
		s->text = NULL;
		return 0;
	}
	if (!strcmp(name, "learner") && s->in_learner) {
		s->in_learner = false;
		if (s->h->learner && s->h->learner(s->h->ctx, &s->run, &s->learner) < 0)
			return -1;
		cp_learner_release(&s->learner);
	} else if (!strcmp(name, "course-run")) {
		if (s->h->run_end && s->h->run_end(s->h->ctx, &s->run) < 0)
			return -1;
	}
	return 0;
}

static int step(struct state *s)
{
	int type = xmlTextReaderNodeType(s->r);
	const char *name;

	switch (type) {
	case XML_READER_TYPE_ELEMENT:
		name = (const char *)xmlTextReaderConstLocalName(s->r);
		if (xmlTextReaderIsEmptyElement(s->r)) {
			int rc = on_start(s, name);

			return rc ? rc : on_end(s, name);
		}
		return on_start(s, name);
	case XML_READER_TYPE_END_ELEMENT:
		return on_end(s, (const char *)xmlTextReaderConstLocalName(s->r));
	case XML_READER_TYPE_TEXT:
	case XML_READER_TYPE_CDATA:
	case XML_READER_TYPE_WHITESPACE:
	case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
		return on_text(s);
	case XML_READER_TYPE_DOCUMENT_TYPE:
	case XML_READER_TYPE_ENTITY_REFERENCE:
	case XML_READER_TYPE_ENTITY:
		return unusable(s, "entities and DOCTYPE declarations are not allowed");
	default:
		return 0;
	}
}

int cp_results_read(const char *path, xmlSchemaPtr schema, const struct cp_results_handler *h,
		    struct cp_xml_error *err)
{
	struct state s;
	int rc = 0, r, fd;

	memset(&s, 0, sizeof(s));
	memset(err, 0, sizeof(*err));
	s.h = h;
	s.err = err;
	cp_xml_init();
	cp_xml_errors_to(err);
	/* By descriptor: the refusing entity loader would turn away a path.
	 * Never through a link: the file is the batch's own copy. */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		cp_xml_errors_to(NULL);
		return cp_error("%s: cannot open: %s", path, strerror(errno));
	}
	s.r = xmlReaderForFd(fd, path, "UTF-8", CP_XML_PARSE_OPTIONS);
	if (!s.r) {
		close(fd);
		cp_xml_errors_to(NULL);
		return cp_error("%s: cannot read", path);
	}
	if (schema && xmlTextReaderSetSchema(s.r, schema) != 0) {
		rc = cp_error("%s: cannot start schema validation", path);
		goto out;
	}
	while ((r = xmlTextReaderRead(s.r)) == 1) {
		if (err->message[0]) {
			rc = 1;
			break;
		}
		if ((rc = step(&s)) != 0)
			break;
	}
	if (rc == 0 && (r < 0 || err->message[0] || (schema && xmlTextReaderIsValid(s.r) != 1))) {
		if (!err->message[0])
			cp_xml_error_set(err, xmlTextReaderGetParserLineNumber(s.r),
					 "the file is not valid results XML");
		rc = 1;
	}
out:
	xmlFreeTextReader(s.r);
	close(fd);
	cp_xml_errors_to(NULL);
	head_release(&s.head);
	run_release(&s.run);
	cp_learner_release(&s.learner);
	return rc;
}
