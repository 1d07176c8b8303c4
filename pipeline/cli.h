/* What every certpress executable does first, and its version. */
#ifndef CP_CLI_H
#define CP_CLI_H

#define CP_VERSION "0.1.0"

/* Set the program name for messages and make sure fds 0, 1 and 2 are open
 * (on /dev/null if not), so no output file can become stdout by accident. */
void cp_cli_init(const char *argv0);
/* Print "NAME VERSION" on stdout. */
void cp_cli_version(void);

#endif
