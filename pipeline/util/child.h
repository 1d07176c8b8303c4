/* Child processes that never outlive the process that started them, so no
 * stage or render worker goes on working a batch whose lock went with its
 * dead parent, whatever the parent died of (SIGKILL, the OOM killer, a
 * service manager killing the main process first). */
#ifndef CP_CHILD_H
#define CP_CHILD_H

#include <sys/types.h>

/* Call first in a child, right after fork() (it holds across exec): the
 * kernel sends it SIGKILL when its parent dies. parent is the parent's
 * getpid() taken before the fork. Returns -1 if the parent died before the
 * request took effect (nothing will kill the child then): the child must
 * _exit at once. Needs the parent to be single-threaded (the signal follows
 * the thread that forked). */
int cp_child_bind(pid_t parent);

#endif
