/* Binding names, template text parsing and expansion. */
#include "engine/bind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const char *const names[] = {
	"awarding_body", "learner.full_name", "learner.first_name", "learner.middle_names",
	"learner.last_name", "learner.enrolment", "learner.candidate", "qualification.title",
	"qualification.number", "qualification.level", "award.grade", "award.date",
	"document.reference", "document.type", "document.issued", "document.expires",
	"document.verify_url", "centre.name", "centre.number", "course_run.id",
	"units.credits", "units.count", "page", "pages",
	"document.replaces", "document.first_issue",
	"batch.id", "batch.achieved", "batch.held", "batch.rejected",
	"documents", "export.file", "export.expires", "receipt.days", "receipt.due",
	"order.id", "order.delivery", "order.tracking",
	"print_batch.id", "consignment.id", "consignment.dispatched", "consignment.documents",
	"unit.ref", "unit.title", "unit.level", "unit.credits", "unit.grade",
	"row.course_run", "row.qualification_number", "row.qualification_title",
	"row.achieved", "row.held", "row.rejected", "row.learner", "row.enrolment",
	"row.candidate", "row.grade", "row.certificate", "row.transcript", "row.letter",
	"row.awarded", "row.centre", "row.references",
};

_Static_assert(sizeof(names) / sizeof(*names) == CP_NBINDINGS, "a name for every binding");

static const char *const formats[] = { "", "long", "short", "upper" };

int cp_binding_find(const char *name)
{
	for (int i = 0; i < CP_NBINDINGS; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

static void add_part(struct cp_text *t, int binding, int format, const char *text, size_t len)
{
	t->parts = cp_xrealloc(t->parts, (t->n + 1) * sizeof(*t->parts));
	t->parts[t->n].binding = binding;
	t->parts[t->n].format = format;
	t->parts[t->n].text = binding < 0 ? cp_xstrndup(text, len) : NULL;
	t->n++;
}

int cp_text_parse(struct cp_text *t, const char *src, int units_allowed, char *why, size_t n)
{
	const char *p = src;

	memset(t, 0, sizeof(*t));
	while (*p) {
		const char *open = strchr(p, '{'), *close, *bar;
		char name[64];
		int b, f = CP_F_PLAIN;

		if (!open) {
			add_part(t, -1, 0, p, strlen(p));
			break;
		}
		if (open > p)
			add_part(t, -1, 0, p, (size_t)(open - p));
		close = strchr(open, '}');
		if (!close) {
			snprintf(why, n, "'{' without its '}'");
			goto fail;
		}
		if ((size_t)(close - open) >= sizeof(name)) {
			snprintf(why, n, "binding name too long (at most %zu characters): '{%.24s...'",
				 sizeof(name) - 2, open + 1);
			goto fail;
		}
		snprintf(name, sizeof(name), "%.*s", (int)(close - open - 1), open + 1);
		if ((bar = strchr(name, '|'))) {
			name[bar - name] = '\0';
			f = -1;
			for (int i = 1; i < (int)(sizeof(formats) / sizeof(*formats)); i++)
				if (!strcmp(bar + 1, formats[i]))
					f = i;
			if (f < 0) {
				snprintf(why, n, "unknown format '%s' (long, short or upper)", bar + 1);
				goto fail;
			}
		}
		b = cp_binding_find(name);
		if (b < 0) {
			snprintf(why, n, "unknown binding '{%s}'", name);
			goto fail;
		}
		if (b >= CP_B_FIRST_UNIT && !units_allowed) {
			snprintf(why, n, "'{%s}' is only known in a table row", name);
			goto fail;
		}
		add_part(t, b, f, NULL, 0);
		p = close + 1;
	}
	return 0;
fail:
	cp_text_release(t);
	return -1;
}

void cp_text_release(struct cp_text *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->parts[i].text);
	free(t->parts);
	memset(t, 0, sizeof(*t));
}

char *cp_bind_full_name(const char *first, const char *middle, const char *last)
{
	return cp_xasprintf("%s%s%s %s", first ? first : "", middle ? " " : "",
			    middle ? middle : "", last ? last : "");
}

static const char *const months[] = { "January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December" };

char *cp_bind_format(const char *value, int format)
{
	struct cp_date d;

	if (!value)
		return cp_xstrdup("");
	if ((format == CP_F_LONG_DATE || format == CP_F_SHORT_DATE) && cp_date_parse(value, &d))
		return format == CP_F_LONG_DATE ? cp_xasprintf("%d %s %d", d.d, months[d.m - 1], d.y)
						: cp_xasprintf("%02d/%02d/%04d", d.d, d.m, d.y);
	if (format == CP_F_UPPER) {
		char *s = cp_xstrdup(value);

		for (char *c = s; *c; c++) /* ASCII only: names keep their own case */
			if (*c >= 'a' && *c <= 'z')
				*c = (char)(*c - 'a' + 'A');
		return s;
	}
	return cp_xstrdup(value);
}

char *cp_text_expand(const struct cp_text *t, const struct cp_values *v,
		     const struct cp_unit_values *unit)
{
	size_t len = 0, cap = 64;
	char *out = cp_xmalloc(cap);

	out[0] = '\0';
	for (size_t i = 0; i < t->n; i++) {
		const struct cp_part *p = &t->parts[i];
		const char *value;
		char *formatted = NULL;
		size_t n;

		if (p->binding < 0)
			value = p->text;
		else if (p->binding >= CP_B_FIRST_UNIT)
			value = unit ? unit->v[p->binding - CP_B_FIRST_UNIT] : NULL;
		else
			value = v->v[p->binding];
		if (p->binding >= 0 && p->format != CP_F_PLAIN)
			value = formatted = cp_bind_format(value, p->format);
		if (!value)
			value = "";
		n = strlen(value);
		out = cp_xgrow(out, &cap, len + n + 1, 1);
		memcpy(out + len, value, n + 1);
		len += n;
		free(formatted);
	}
	return out;
}
