/* A learner's units into the registry (awardunits.h). */
#include "awardunits.h"

#include "batchfile.h"
#include "registry/units.h"
#include "util/banned.h"

long cp_award_units_record(struct cp_registry *r, long long award, xmlNodePtr learner)
{
	long position = 0;

	for (xmlNodePtr u = learner->children; u; u = u->next) {
		struct cp_unit_row row;

		if (u->type != XML_ELEMENT_NODE || xmlStrcmp(u->name, (const xmlChar *)"unit"))
			continue;
		row = (struct cp_unit_row){
			.code = cp_node_attr(u, "ref"), .title = cp_node_text(u, "title"),
			.grade = cp_node_attr(u, "grade"),
			.level = cp_node_attr_long(u, "level", 0),
			.credits = cp_node_attr_long(u, "credits", 0),
		};
		if (cp_award_unit_add(r, award, position++, &row) < 0)
			return -1;
	}
	return position;
}
