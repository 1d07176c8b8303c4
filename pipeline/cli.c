/* Program start-up shared by every executable. */
#include "cli.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "exitcode.h"
#include "msg.h"
#include "banned.h"

void cp_cli_init(const char *argv0)
{
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", fd ? O_WRONLY : O_RDONLY) != fd)
			_exit(CP_EX_SOFTWARE);
	cp_msg_init(argv0);
}

void cp_cli_version(void)
{
	printf("%s %s\n", cp_msg_progname(), CP_VERSION);
}
