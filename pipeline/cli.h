/* What every certpress executable does first, and its version. */
#ifndef CP_CLI_H
#define CP_CLI_H

/* Set the program name for messages, make sure fds 0, 1 and 2 are open (on
 * /dev/null if not), so no output file can become stdout by accident, and
 * set the umask to 027. */
void cp_cli_init(const char *argv0);
/* For programs whose writes must fail with a reason, not kill them: ignore
 * SIGPIPE and SIGXFSZ, so a closed pipe or socket and a file over the size
 * limit (ulimit -f) are EPIPE and EFBIG, reported with the path and a
 * sysexits code. Every stage, and run and retry, call it; the inherited
 * disposition holds across exec. */
void cp_cli_ignore_pipe_signals(void);
/* Flush stdout and report a failure to write it ("standard output: Broken
 * pipe"): returns rc, or 74 if rc was 0 and stdout could not be written. */
int cp_cli_close_stdout(int rc);
/* Print "NAME VERSION" on stdout (the VERSION file's, compiled in). */
void cp_cli_version(void);

#endif
