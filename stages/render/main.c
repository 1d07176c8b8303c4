/* certpress-render: every document of a batch as a digital and a print PDF. */
#include "stagemain.h"
#include "render.h"
#include "util/banned.h"

static const char about[] =
	"Lay out every document of an assigned batch from its template (layouts/)\n"
	"as a digital copy (marked, permissions protected) in digital/REF.pdf and\n"
	"a print copy in print/REF.pdf, then write rendered.xml with each file's\n"
	"pages, size and SHA-256. Templates and every learner's characters are\n"
	"checked before any PDF is made: a learner with a character no font can\n"
	"draw is refused and its award withdrawn, the others are rendered. After\n"
	"a crash, documents already made are not made again. Prints \"BATCH FOLDER\".\n";

static const char exits[] =
	"exit: 0 done, 64 usage, 65 every learner refused (nothing to render),\n"
	"66 no such batch or no references yet, 69 the time-stamp authority gave\n"
	"no token (the batch waits for retry), 70 internal error, 73 an output\n"
	"cannot be created, 74 I/O error, 75 the batch is locked by another\n"
	"process, 78 configuration (including a template error or a signing key\n"
	"refused).\n";

int main(int argc, char **argv)
{
	static const struct cp_stage_cli cli = { "certpress-render", "BATCH", about, exits,
						  cp_render_run };

	return cp_stage_main(argc, argv, &cli);
}
