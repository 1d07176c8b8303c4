/* Who did it: what a command that changes state records as its user, the
 * portals' "User" or "Created by": --by if given, else the login name; a
 * stage takes the user of the command that started it. */
#include "who.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/exitcode.h"
#include "util/msg.h"
#include "util/utf8.h"
#include "util/banned.h"

static int usable(const char *by)
{
	return *by && cp_utf8_valid(by, strlen(by)) && !cp_utf8_has_control(by) &&
	       cp_utf8_length(by) <= CP_WHO_MAX;
}

static void login_name(char *out, size_t n)
{
	struct passwd pw, *found = NULL;
	char buf[1024];

	/* cron and ssh without a terminal have no utmp entry: the account then */
	if (getlogin_r(out, n) == 0 && *out)
		return;
	if (getpwuid_r(geteuid(), &pw, buf, sizeof(buf), &found) == 0 && found)
		snprintf(out, n, "%s", found->pw_name);
	else
		snprintf(out, n, "uid %ld", (long)geteuid());
}

int cp_who(const char *by, char *out, size_t n)
{
	if (by) {
		if (!usable(by)) {
			cp_error("--by takes a name of 1 to %d characters without control characters",
				 CP_WHO_MAX);
			return CP_EX_USAGE;
		}
		snprintf(out, n, "%s", by);
		return 0;
	}
	login_name(out, n);
	return 0;
}

void cp_who_stage(char *out, size_t n)
{
	const char *by = getenv("CERTPRESS_BY");

	if (by && usable(by)) {
		snprintf(out, n, "%s", by);
		return;
	}
	if (by)
		cp_warn("CERTPRESS_BY is not a user name: the login name is recorded");
	login_name(out, n);
}

void cp_who_pass(const char *by)
{
	if (by)
		setenv("CERTPRESS_BY", by, 1);
}
