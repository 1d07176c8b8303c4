/* The sysexits table: names, and which codes a retry can cure. */
#include "util/exitcode.h"

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "util/banned.h"

static const struct {
	int code;
	const char *name;
	bool retryable;
} table[] = {
	{ CP_EX_OK, "ok", false },
	{ CP_EX_USAGE, "usage", false },
	{ CP_EX_DATAERR, "dataerr", false },
	{ CP_EX_NOINPUT, "noinput", false },
	{ CP_EX_UNAVAILABLE, "unavailable", true },
	{ CP_EX_SOFTWARE, "software", false },
	{ CP_EX_CANTCREAT, "cantcreat", true },
	{ CP_EX_IOERR, "ioerr", true },
	{ CP_EX_TEMPFAIL, "tempfail", true },
	{ CP_EX_NOPERM, "noperm", false },
	{ CP_EX_CONFIG, "config", false },
};

const char *cp_exit_name(int code)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(*table); i++)
		if (table[i].code == code)
			return table[i].name;
	return "unknown";
}

bool cp_exit_retryable(int code)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(*table); i++)
		if (table[i].code == code)
			return table[i].retryable;
	return false;
}

int cp_exit_from_signal(int sig)
{
	switch (sig) {
	case SIGKILL:
	case SIGTERM:
	case SIGINT:
	case SIGHUP:
	case SIGQUIT:
		return CP_EX_TEMPFAIL;
	case SIGXFSZ:
		return CP_EX_CANTCREAT;
	case SIGPIPE:
	case SIGBUS:
		return CP_EX_IOERR;
	default:
		return CP_EX_SOFTWARE;
	}
}

const char *cp_signal_name(int sig)
{
	static char name[32];
	const char *abbrev = sigabbrev_np(sig);

	if (abbrev)
		snprintf(name, sizeof(name), "SIG%s", abbrev);
	else
		snprintf(name, sizeof(name), "signal %d", sig);
	return name;
}

int cp_exit_worst(int a, int b)
{
	if (a == CP_EX_OK)
		return b;
	if (b == CP_EX_OK)
		return a;
	if (cp_exit_retryable(a) != cp_exit_retryable(b))
		return cp_exit_retryable(a) ? b : a;
	return a > b ? a : b;
}

int cp_exit_for_errno(int code, int e)
{
	if (code != CP_EX_CANTCREAT && code != CP_EX_IOERR)
		return code;
	switch (e) {
	case ENOSPC: case EDQUOT: case EFBIG: case EIO: case EPIPE:
		return CP_EX_IOERR;
	case EACCES: case EPERM: case ENOENT: case ENOTDIR: case EROFS: case EEXIST:
	case EISDIR: case ENAMETOOLONG:
		return CP_EX_CANTCREAT;
	default:
		return code;
	}
}
