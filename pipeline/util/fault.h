/* Fault injection for tests, in the spirit of curl's torture mode:
 * CERTPRESS_FAULT=OP:N makes the Nth OP of the process fail with EIO, and
 * CERTPRESS_CRASH=OP:N kills the process with SIGKILL just before it, where
 * OP is write, fsync, rename, commit (a registry transaction) or smtp (a
 * command line written to the mail server; it cannot fail, only crash).
 *
 * Kill points across a whole run: CERTPRESS_OPS=FILE counts every operation
 * of every kind in FILE (8 bytes, a native-endian counter in a shared
 * mapping), added to by every process that has the variable, so the stages
 * `certpress run` starts and render's workers count into one sequence;
 * CERTPRESS_KILL_AT=N then kills (SIGKILL) whichever process is about to do
 * the Nth operation of that sequence (of its own process without
 * CERTPRESS_OPS), or with CERTPRESS_KILL_GROUP set its whole process group
 * (a power cut: run and every stage at once; start it with setsid). CERTPRESS_OPS_TRACE=FILE appends "N OP PROGRAM PID" for each (and
 * " killed" to the one it kills).
 * Unset, these cost one comparison. */
#ifndef CP_FAULT_H
#define CP_FAULT_H

enum cp_fault_op { CP_FAULT_WRITE, CP_FAULT_FSYNC, CP_FAULT_RENAME, CP_FAULT_COMMIT, CP_FAULT_SMTP };

/* Read the variables again and restart the counts (for unit tests). */
void cp_fault_reload(void);
/* Count one OP; return -1 with errno EIO if it is the one to fail. */
int cp_fault_check(enum cp_fault_op op);

#endif
