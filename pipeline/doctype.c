/* The one table of document types. */
#include "doctype.h"

#include <stddef.h>
#include <string.h>

#include "util/msg.h"
#include "util/banned.h"

const struct cp_stock_info cp_stocks[CP_NSTOCKS] = {
	[CP_STOCK_CERTIFICATE] = { "certificate", "security" },
	[CP_STOCK_PLAIN] = { "plain", "plain" },
};

const struct cp_doctype cp_doctypes[CP_NDOCTYPES] = {
	{ "certificate", "layout", true, "certificates", "Certificate", CP_STOCK_CERTIFICATE,
	  CP_B_ROW_CERTIFICATE },
	{ "transcript", "transcript", false, "transcripts", "Unit transcript", CP_STOCK_PLAIN,
	  CP_B_ROW_TRANSCRIPT },
	{ "letter", "letter", false, "letters", "Letter", CP_STOCK_PLAIN, CP_B_ROW_LETTER },
	{ "proof-letter", "proof-letter", false, "letters", "Proof of qualification letter",
	  CP_STOCK_PLAIN, CP_B_ROW_LETTER },
};

int cp_doctype_rank(const char *name)
{
	int i = 0;

	while (name && i < CP_NDOCTYPES && strcmp(cp_doctypes[i].name, name))
		i++;
	return name ? i : CP_NDOCTYPES;
}

const struct cp_doctype *cp_doctype_find(const char *name)
{
	int i = cp_doctype_rank(name);

	return i < CP_NDOCTYPES ? &cp_doctypes[i] : NULL;
}

const struct cp_doctype *cp_doctype_of(const char *name)
{
	const struct cp_doctype *t = cp_doctype_find(name);

	if (!t)
		cp_bug("document type '%s' is not one the registry allows", name ? name : "");
	return t;
}
