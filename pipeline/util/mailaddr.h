/* The one check of an email address that certpress may send to, shared by
 * notify (before it sends) and set-email (before it records one). */
#ifndef CP_MAILADDR_H
#define CP_MAILADDR_H

#include <stdbool.h>

/* True if addr is an address a message may be sent to: one '@', printable
 * ASCII without spaces or the characters that end an address in a header,
 * a dot in the domain, within RFC 5321's lengths. */
bool cp_mail_address_ok(const char *addr);

#endif
