/* Fault injection for tests, in the spirit of curl's torture mode:
 * CERTPRESS_FAULT=OP:N makes the Nth OP of the process fail with EIO, and
 * CERTPRESS_CRASH=OP:N kills the process with SIGKILL just before it, where
 * OP is write, fsync, rename or commit (a registry transaction). Unset, these
 * cost one comparison. */
#ifndef CP_FAULT_H
#define CP_FAULT_H

enum cp_fault_op { CP_FAULT_WRITE, CP_FAULT_FSYNC, CP_FAULT_RENAME, CP_FAULT_COMMIT };

/* Read the variables again and restart the counts (for unit tests). */
void cp_fault_reload(void);
/* Count one OP; return -1 with errno EIO if it is the one to fail. */
int cp_fault_check(enum cp_fault_op op);

#endif
