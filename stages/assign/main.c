/* certpress-assign: a reference for every document of a validated batch. */
#include "stagemain.h"
#include "assign.h"
#include "util/banned.h"

static const char about[] =
	"Record every accepted learner's award in the registry with a reference for\n"
	"each document (a certificate, and a transcript and a letter where the\n"
	"qualification names them), then write the batch's assigned.xml. Running it\n"
	"again gives the same references; an award already made by another batch is\n"
	"recorded as a duplicate and issued nothing. Prints \"BATCH FOLDER\".\n";

static const char exits[] =
	"exit: 0 done, 64 usage, 66 no such batch or not validated, 70 internal\n"
	"error, 73 an output cannot be created, 74 I/O error, 75 the batch is\n"
	"locked by another process, 78 configuration (including a key file that\n"
	"others can read).\n";

int main(int argc, char **argv)
{
	static const struct cp_stage_cli cli = { "certpress-assign", "BATCH", about, exits,
						  cp_assign_run };

	return cp_stage_main(argc, argv, &cli);
}
