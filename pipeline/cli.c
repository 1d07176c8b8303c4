/* Program start-up shared by every executable. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/exitcode.h"
#include "util/msg.h"
#include "util/banned.h"

#ifndef CP_VERSION
#error "CP_VERSION comes from the VERSION file, through the Makefile"
#endif

void cp_cli_init(const char *argv0)
{
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", fd ? O_WRONLY : O_RDONLY) != fd)
			_exit(CP_EX_SOFTWARE);
	cp_msg_init(argv0);
	/* what certpress creates holds personal data or secrets: files 0640 at
	 * most (the registry, its -wal and -shm too), folders 0750 */
	umask(027);
}

void cp_cli_ignore_pipe_signals(void)
{
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);
}

int cp_cli_close_stdout(int rc)
{
	errno = 0;
	if (fflush(stdout) == 0 && !ferror(stdout))
		return rc;
	cp_error("standard output: %s", errno ? strerror(errno) : "write error");
	return rc == CP_EX_OK ? CP_EX_IOERR : rc;
}

void cp_cli_version(void)
{
	printf("%s %s\n", cp_msg_progname(), CP_VERSION);
}
