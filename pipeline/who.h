/* Who did it: the user a command or a stage records with what it changes
 * (the portals' "User" and "Created by"): an operator's --by, else the
 * login name. certpress run and retry hand theirs to the stages they start
 * in $CERTPRESS_BY. */
#ifndef CP_WHO_H
#define CP_WHO_H

#include <stddef.h>

#define CP_WHO_MAX 100 /* characters */
/* Room for any user: CP_WHO_MAX characters of UTF-8 and the NUL. */
#define CP_WHO_SIZE (4 * CP_WHO_MAX + 1)

/* by if not NULL, else the login name (else the account's name, else
 * "uid N"), into out of n bytes. 0, or 64 with a message when by is empty,
 * longer than CP_WHO_MAX characters or has a control character. */
int cp_who(const char *by, char *out, size_t n);
/* A stage's user: $CERTPRESS_BY when it is set and a user cp_who takes
 * (else a warning, and the login name), else the login name. */
void cp_who_stage(char *out, size_t n);
/* Hand by (checked by cp_who) to the stages this process starts. */
void cp_who_pass(const char *by);

#endif
