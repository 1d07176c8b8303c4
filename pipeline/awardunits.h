/* A learner's units, as a batch file holds them (<unit ref grade level
 * credits><title>), recorded as the award's in the registry: assign does
 * it from accepted.xml, and the fill of batches assigned before the
 * registry kept units does it again from assigned.xml. */
#ifndef CP_AWARDUNITS_H
#define CP_AWARDUNITS_H

#include <libxml/tree.h>

struct cp_registry;

/* Every <unit> child of learner, in order, as units 0, 1, ... of award;
 * inside the caller's transaction. How many, or -1 with a message. */
long cp_award_units_record(struct cp_registry *r, long long award, xmlNodePtr learner);

#endif
