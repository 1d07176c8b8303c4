/* certpress-pack: a rendered batch packed for the centre and the printer. */
#include "stagemain.h"
#include "pack.h"
#include "util/banned.h"

static const char about[] =
	"Pack a rendered batch: the centre's zip in spool/exports/BATCH/ (digital\n"
	"PDFs by reference, manifest.csv, certification-report.pdf, one\n"
	"summary-RUN.pdf per course run; AES-256 when [export] encrypt = yes), and\n"
	"the print file in spool/print/BATCH/ (every print copy in print order and\n"
	"the reprints queued since the last print file, in parts of at most\n"
	"[print] sheets-per-part sheets) with its job ticket. Writes packed.xml\n"
	"last. Prints \"BATCH FOLDER\".\n"
	"\n"
	"With \"reprints\" or \"letters\" instead of a batch: the order copies of that\n"
	"kind waiting to be printed (and the spoiled ones coming back) in a print\n"
	"file of their own in spool/print/KIND-YYYYMMDD-N/, recorded as a print\n"
	"batch; prints \"ID FOLDER\", or nothing when nothing waits. certpress\n"
	"print-orders runs it.\n";

static const char exits[] =
	"exit: 0 done, 64 usage, 65 the batch's data cannot be packed (a centre\n"
	"number or course run that cannot name a file, documents missing), 66 no\n"
	"such batch or not rendered yet, 70 internal error, 73 an output cannot be\n"
	"created, 74 I/O error, 75 the batch (reprints, letters: that kind's print\n"
	"file) is locked by another process,\n"
	"78 configuration (a report template, a missing zip password).\n";

int main(int argc, char **argv)
{
	static const struct cp_stage_cli cli = { "certpress-pack", "BATCH | reprints | letters",
						  about, exits, cp_pack_run };

	return cp_stage_main(argc, argv, &cli);
}
