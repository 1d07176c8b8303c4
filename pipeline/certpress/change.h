/* What reprint and revoke share: the registry's write side for operators.
 * Each change is one transaction; the document is read again inside it, so
 * two operators cannot both supersede the same original. */
#ifndef CP_CMD_CHANGE_H
#define CP_CMD_CHANGE_H

#include "cmd.h"

/* The arguments reprint and revoke take (REF --reason TEXT [--by NAME], and
 * revoke's own --award and --in-error): reprint's options' table
 * (cp_change_opts, of struct cp_change_args; revoke's adds its flags to the
 * same rows, CP_CHANGE_REASON_ROW, CP_CHANGE_BY_ROW and CP_OPT_HELP_ROW) and
 * its parse by their command line c: CP_CMD_GO, or the exit code after
 * saying why (cp_cmd_args; 64 for a reason that is not 1 to 500 characters
 * of text). */
struct cp_change_args {
	const char *reason;
	const char *by_typed; /* --by, else NULL */
	const char *ref;      /* the operand */
	char by[CP_WHO_SIZE]; /* who: --by, else the login name */
	bool award;           /* revoke: every document of the award */
	bool in_error;        /* revoke: the public category "issued in error" */
};
#define CP_CHANGE_REASON_ROW                                                        \
	{ .kind = CP_OPT_VALUE, .name = "reason", .arg = "TEXT", .required = true,   \
	  .help = "why: recorded with the document's new status",                    \
	  .at = CP_OPT_AT(struct cp_change_args, reason, const char *) }
#define CP_CHANGE_BY_ROW                                                            \
	CP_OPT_VALUE_OF(struct cp_change_args, by_typed, "by", "NAME",               \
			"who (else the login name): shown on the card")
extern const struct cp_opt cp_change_opts[];
int cp_change_args(const struct cp_cmdline *c, int argc, char **argv, struct cp_change_args *a);
/* Open everything and find the typed reference's document inside a write
 * transaction (BEGIN IMMEDIATE): 0 with the transaction open, or the exit
 * code (66 no such document) with it rolled back. */
int cp_change_begin(struct cp_cmd_env *e, const char *config, const char *typed,
		    char ref[CP_REF_LEN + 1], struct cp_card *card);

/* Orders (order.c, reprint.c, letter.c): what every order takes beside its
 * operand (REF, ENROLMENT): --reason, --by (else the login name), and how
 * and where it is sent, --delivery (else second-class-signed) and
 * --address. The command lines: reprint (--by optional, as before orders),
 * order reprint and order letter (--by required; a letter's --reason
 * optional), tables of struct cp_order_args. */
struct cp_order_args {
	const char *reason, *by_typed, *delivery, *address;
	const char *operand;
	char by[CP_WHO_SIZE]; /* who: --by, else the login name */
};
/* Parse by c and check them: CP_CMD_GO, or the exit code after saying why. */
int cp_order_args(const struct cp_cmdline *c, int argc, char **argv, struct cp_order_args *a);
/* Refuse (65, naming it) when the serial of ref has an open order; in the
 * ordering transaction. */
int cp_order_refuse_open(struct cp_cmd_env *e, const char *ref);
/* Send the emails orders owe now (certpress-notify orders), once an order
 * is committed: a failure leaves them queued, with a warning. Its code. */
int cp_order_mail_now(const char *config);
/* After an order's commit: its reference on stdout, the email it owes
 * sent, the verification snapshot published. A sysexits code. */
int cp_order_finish(struct cp_cmd_env *e, const char *config, const char *ref);
/* A proof of qualification letter (letter.c), argv[0] "letter". */
int cp_order_letter(int argc, char **argv, const char *config);
/* The reprint order by its command line c (reprint, or order reprint with
 * argv[0] "reprint"). */
int cp_order_reprint(const struct cp_cmdline *c, int argc, char **argv, const char *config);

#endif
