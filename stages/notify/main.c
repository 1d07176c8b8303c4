/* certpress-notify: learner emails (and the centre's) for a packed batch. */
#include "stagemain.h"
#include "notify.h"
#include "util/banned.h"

static const char about[] =
	"Email every learner of a packed batch that their documents are ready\n"
	"(layouts/learner-email.txt: enrolment number, qualification, references,\n"
	"verification links), and the centre that its export is ready\n"
	"(layouts/centre-email.txt), through [mail] transport: smtp://host:port or\n"
	"file:DIR. Each recipient is mailed once: a re-run sends only what was\n"
	"deferred. Writes notified.xml when no one is left to try. Prints\n"
	"\"BATCH FOLDER\".\n"
	"\n"
	"With \"orders\" instead of a batch: the emails orders owe their learners\n"
	"(layouts/order-placed.txt when an order is placed, order-dispatched.txt\n"
	"when it is dispatched) and their centres (centre-order-placed.txt,\n"
	"centre-order-dispatched.txt), and the centres' dispatch emails of their\n"
	"runs' consignments (centre-consignment-dispatched.txt), each sent once by\n"
	"the same rules; a centre's address is the centres register's, else its\n"
	"latest results file's. Prints \"orders N sent\". certpress order and\n"
	"certpress printed run it once the order or dispatch is recorded.\n";

static const char exits[] =
	"exit: 0 done (permanent failures are recorded, not fatal), 64 usage, 66 no\n"
	"such batch or not packed yet (orders: the centres register unreadable), 69 the mail server cannot be reached (the\n"
	"batch waits for retry), 70 internal error, 73 an output cannot be created,\n"
	"74 I/O error, 75 some messages deferred or not tried yet (the per-run\n"
	"cap, or the server ended a session early, e.g. a 421: retry sends them)\n"
	"or the batch (orders: another notify orders) is locked,\n"
	"78 configuration (an email template; orders: the centres register).\n";

int main(int argc, char **argv)
{
	static const struct cp_stage_cli cli = { "certpress-notify", "BATCH | orders", about,
						  exits, cp_notify_run };

	return cp_stage_main(argc, argv, &cli);
}
