/* certpress-validate: make a batch from one results file. */
#include "stagemain.h"
#include "validate.h"
#include "util/banned.h"

static const char about[] =
	"Check a results file against the schema and the catalogue and make a batch\n"
	"of it: every learner is accepted, rejected (with every reason) or held.\n"
	"Prints \"BATCH FOLDER\" (also when it stops). Given a batch id or folder,\n"
	"validate that batch again if it is not done. The batch keeps its own copy\n"
	"of the file (a regular file only: links, FIFOs and devices are refused); a\n"
	"file in the spool's inbox is then removed from it, any other is left where\n"
	"it was.\n";

static const char exits[] =
	"exit: 0 done (rejected and held learners are reported, not failures),\n"
	"64 usage, 65 the file is unusable as a whole (moved to spool/failed/),\n"
	"66 an input is missing or not a regular file, 70 internal error, 73 an\n"
	"output cannot be created, 74 I/O error, 75 the batch is locked by another\n"
	"process, 78 configuration (a catalogue title that breaks the name rule\n"
	"or that no font can draw too).\n";

int main(int argc, char **argv)
{
	static const struct cp_stage_cli cli = { "certpress-validate", "RESULTS.xml | BATCH", about, exits,
						  cp_validate_run };

	return cp_stage_main(argc, argv, &cli);
}
