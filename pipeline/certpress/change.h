/* What reprint and revoke share: the registry's write side for operators.
 * Each change is one transaction; the document is read again inside it, so
 * two operators cannot both supersede the same original. */
#ifndef CP_CMD_CHANGE_H
#define CP_CMD_CHANGE_H

#include "cmd.h"

/* revoke's own options: --award (every document of the award), --in-error
 * (the public category "issued in error"). */
struct cp_change_flags {
	bool award, in_error;
};
/* REF --reason TEXT (and, where flags is not NULL, its options): 0, or the
 * usage code after saying why. */
int cp_change_args(int argc, char **argv, const char *synopsis, const char **ref,
		   const char **reason, struct cp_change_flags *flags);
/* Open everything and find the typed reference's document inside a write
 * transaction (BEGIN IMMEDIATE): 0 with the transaction open, or the exit
 * code (66 no such document) with it rolled back. */
int cp_change_begin(struct cp_cmd_env *e, const char *config, const char *typed,
		    char ref[CP_REF_LEN + 1], struct cp_card *card);

/* Orders (order.c, reprint.c): the synopses, and the options every order
 * takes beside its operand (REF, ENROLMENT). */
#define CP_REPRINT_SYNOPSIS \
	"reprint REF --reason TEXT [--by USER] [--delivery METHOD] [--address TEXT]"
#define CP_ORDER_REPRINT_SYNOPSIS \
	"order reprint REF --reason TEXT --by USER [--delivery METHOD] [--address TEXT]"
#define CP_ORDER_LETTER_SYNOPSIS \
	"order letter ENROLMENT --by USER [--reason TEXT] [--delivery METHOD] [--address TEXT]"
struct cp_order_args {
	bool reason_required, by_required;
	const char *operand, *reason, *by, *delivery, *address;
};
/* Parse and check them: --by defaults to the login name where not
 * required, --delivery to second-class-signed. 0, or the exit code. */
int cp_order_args(int argc, char **argv, const char *synopsis, struct cp_order_args *a);
/* Refuse (65, naming it) when the serial of ref has an open order; in the
 * ordering transaction. */
int cp_order_refuse_open(struct cp_cmd_env *e, const char *ref);
/* Send the emails orders owe now (certpress-notify orders), once an order
 * is committed: a failure leaves them queued, with a warning. Its code. */
int cp_order_mail_now(const char *config);
/* A proof of qualification letter (letter.c), argv[0] "letter". */
int cp_order_letter(int argc, char **argv, const char *config);
/* The reprint order, argv[0] "reprint"; by_required for certpress order. */
int cp_order_reprint(int argc, char **argv, const char *config, const char *synopsis,
		     bool by_required);

#endif
