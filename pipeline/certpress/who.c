/* Who did it: what a command that changes state records as its user, the
 * portals' "User" or "Created by": --by if given, else the login name. */
#include "cmd.h"

#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/exitcode.h"
#include "util/msg.h"
#include "util/utf8.h"
#include "util/banned.h"

int cp_cmd_who(const char *by, char *out, size_t n)
{
	struct passwd pw, *found = NULL;
	char buf[1024];

	if (by) {
		if (!cp_cmd_reason_ok(by) || cp_utf8_length(by) > CP_CMD_WHO_MAX) {
			cp_error("--by takes a name of 1 to %d characters without control characters",
				 CP_CMD_WHO_MAX);
			return CP_EX_USAGE;
		}
		snprintf(out, n, "%s", by);
		return 0;
	}
	/* cron and ssh without a terminal have no utmp entry: the account then */
	if (getlogin_r(out, n) == 0 && *out)
		return 0;
	if (getpwuid_r(geteuid(), &pw, buf, sizeof(buf), &found) == 0 && found)
		snprintf(out, n, "%s", found->pw_name);
	else
		snprintf(out, n, "uid %ld", (long)geteuid());
	return 0;
}
