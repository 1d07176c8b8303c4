/* certpress order KIND ...: an order, recorded with its state (registry
 * orders.h): a duplicate of a document (reprint.c) or a proof of
 * qualification letter (letter.c); the options every order takes. */
#include "change.h"
#include "drive.h"

#include <stdio.h>
#include <string.h>

#include "util/exitcode.h"
#include "util/msg.h"
#include "util/banned.h"

#define REASON_ROW(req)                                                              \
	{ .kind = CP_OPT_VALUE, .name = "reason", .arg = "TEXT", .required = (req),  \
	  .help = "why it is ordered", .at = CP_OPT_AT(struct cp_order_args, reason, const char *) }
#define BY_ROW(req)                                                                  \
	{ .kind = CP_OPT_VALUE, .name = "by", .arg = "NAME", .required = (req),      \
	  .help = "who ordered it (else the login name)",                            \
	  .at = CP_OPT_AT(struct cp_order_args, by_typed, const char *) }
#define DELIVERY_AND_ADDRESS_ROWS                                                    \
	CP_OPT_VALUE_OF(struct cp_order_args, delivery, "delivery", "METHOD",         \
			"how it is sent (else second-class-signed)"),                     \
	CP_OPT_VALUE_OF(struct cp_order_args, address, "address", "TEXT",             \
			"where it is sent (else the centre's)")

static const struct cp_opt reprint_opts[] = {
	REASON_ROW(true), BY_ROW(false), DELIVERY_AND_ADDRESS_ROWS, CP_OPT_HELP_ROW, CP_OPTS_END,
};
static const struct cp_opt order_reprint_opts[] = {
	REASON_ROW(true), BY_ROW(true), DELIVERY_AND_ADDRESS_ROWS, CP_OPT_HELP_ROW, CP_OPTS_END,
};
static const struct cp_opt order_letter_opts[] = {
	BY_ROW(true), REASON_ROW(false), DELIVERY_AND_ADDRESS_ROWS, CP_OPT_HELP_ROW, CP_OPTS_END,
};
const struct cp_cmdline cp_reprint_line = { "reprint", "REF", reprint_opts, NULL, 1, 1, 0 };
const struct cp_cmdline cp_order_reprint_line = { "order", "reprint REF", order_reprint_opts,
						  NULL, 1, 1, 0 };
const struct cp_cmdline cp_order_letter_line = { "order", "letter ENROLMENT",
						 order_letter_opts, NULL, 1, 1, 0 };

/* Text of 1 to 500 characters (cp_cmd_reason_ok), or NULL: else false
 * after saying which option is not. */
static bool text_ok(const char *option, const char *value)
{
	if (!value || cp_cmd_reason_ok(value))
		return true;
	cp_error("--%s must be 1 to 500 characters of text, without control characters", option);
	return false;
}

int cp_order_args(const struct cp_cmdline *c, int argc, char **argv, struct cp_order_args *a)
{
	int first, rc;

	memset(a, 0, sizeof(*a));
	if ((rc = cp_cmd_args(c, argc, argv, a, &first)) != CP_CMD_GO)
		return rc;
	a->operand = argv[first];
	if (!text_ok("reason", a->reason) || !text_ok("address", a->address))
		return CP_EX_USAGE;
	if ((rc = cp_who(a->by_typed, a->by, sizeof(a->by))))
		return rc;
	if (!a->delivery)
		a->delivery = "second-class-signed";
	if (!cp_order_delivery_known(a->delivery)) {
		cp_error("--delivery '%s' is not second-class-signed, first-class-signed, courier "
			 "or collection", a->delivery);
		return CP_EX_USAGE;
	}
	return CP_CMD_GO;
}

int cp_order_refuse_open(struct cp_cmd_env *e, const char *ref)
{
	char other[CP_REF_LEN + 1];
	long long id;
	int got = cp_order_open_for(&e->reg, ref, &id, other, sizeof(other));

	if (got < 0)
		return CP_EX_IOERR;
	if (got == 0)
		return CP_EX_OK;
	cp_error("%s: order %lld (%s) for this document is still open: one duplicate at a time",
		 ref, id, other);
	return CP_EX_DATAERR;
}

int cp_order_mail_now(const char *config)
{
	int sig, rc = cp_drive_stage("notify", config, "orders", -1, NULL, 0, &sig);

	if (rc != CP_EX_OK)
		cp_warn("the order's email is not sent yet (exit %d): certpress-notify orders "
			"sends it", rc);
	return rc;
}

int cp_order_finish(struct cp_cmd_env *e, const char *config, const char *ref)
{
	puts(ref);
	fflush(stdout);
	cp_order_mail_now(config);
	return cp_publish_at_end(e, CP_EX_OK);
}

/* Both kinds' usage, on stdout for --help (0), else on stderr (64). */
static int usage(bool help)
{
	FILE *f = help ? stdout : stderr;

	cp_opts_synopsis(f, "usage: ", "certpress", &cp_order_reprint_line, 80);
	cp_opts_synopsis(f, "       ", "certpress", &cp_order_letter_line, 80);
	return help ? CP_EX_OK : CP_EX_USAGE;
}

int cp_cmd_order(int argc, char **argv, const char *config)
{
	if (argc >= 2 && !strcmp(argv[1], "reprint"))
		return cp_order_reprint(&cp_order_reprint_line, argc - 1, argv + 1, config);
	if (argc >= 2 && !strcmp(argv[1], "letter"))
		return cp_order_letter(argc - 1, argv + 1, config);
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
		return usage(true);
	if (argc >= 2)
		cp_error("'%s' is not a kind of order (reprint, letter)", argv[1]);
	return usage(false);
}
