/* certpress-validate: make a batch from one results file. */
#include "../pipeline/stagemain.h"
#include "validate/validate.h"
#include "../pipeline/banned.h"

static const char about[] =
	"usage: certpress-validate [-c FILE] [-q] RESULTS.xml | BATCH\n"
	"\n"
	"Check a results file against the schema and the catalogue and make a batch\n"
	"of it: every learner is accepted, rejected (with every reason) or held.\n"
	"Prints \"BATCH FOLDER\" (also when it stops). Given a batch id or folder,\n"
	"validate that batch again if it is not done. A file in the spool's inbox\n"
	"is moved into its batch (mode 0640); any other file is copied.\n";

static const char exits[] =
	"exit: 0 done (rejected and held learners are reported, not failures),\n"
	"64 usage, 65 the file is unusable as a whole (moved to spool/failed/),\n"
	"66 an input is missing, 70 internal error, 73 an output cannot be created,\n"
	"74 I/O error, 75 the batch is locked by another process, 78 configuration.\n";

int main(int argc, char **argv)
{
	return cp_stage_main(argc, argv, about, exits, cp_validate_run);
}
