/* PR_SET_PDEATHSIG, checked: the parent may die between fork and prctl. */
#include "util/child.h"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "util/banned.h"

int cp_child_bind(pid_t parent)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		return -1;
	/* reparented already: the parent died before the request held */
	return getppid() == parent ? 0 : -1;
}
