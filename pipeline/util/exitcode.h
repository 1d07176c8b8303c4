/* The exit codes of every certpress program (sysexits), in one place, and
 * which of them are worth a retry. */
#ifndef CP_EXITCODE_H
#define CP_EXITCODE_H

#include <stdbool.h>

enum {
	CP_EX_OK = 0,
	CP_EX_USAGE = 64,       /* bad command line */
	CP_EX_DATAERR = 65,     /* a results file unusable as a whole */
	CP_EX_NOINPUT = 66,     /* an input is missing */
	CP_EX_UNAVAILABLE = 69, /* a service is down: the batch waits for retry */
	CP_EX_SOFTWARE = 70,    /* an internal error */
	CP_EX_CANTCREAT = 73,   /* an output cannot be created */
	CP_EX_IOERR = 74,       /* an I/O error */
	CP_EX_TEMPFAIL = 75,    /* a temporary failure (e.g. a batch is locked) */
	CP_EX_NOPERM = 77,      /* not allowed (certpress-verifyd started as root) */
	CP_EX_CONFIG = 78,      /* a configuration error */
};

/* A short name for the code ("dataerr"), or "unknown". */
const char *cp_exit_name(int code);
/* True if running the same command again later may succeed. */
bool cp_exit_retryable(int code);
/* The code for a program killed by signal sig, for run and retry to report:
 * 75 for a kill from outside (SIGKILL, as the OOM killer sends, SIGTERM,
 * SIGINT, SIGHUP, SIGQUIT): a retry resumes; 73 for SIGXFSZ (a file over the
 * size limit), 74 for SIGPIPE and SIGBUS (I/O); 70 for the rest (a bug). */
int cp_exit_from_signal(int sig);
/* "SIGKILL" for SIGKILL (a static string). */
const char *cp_signal_name(int sig);
/* An output failure's code from the errno of what failed (e, 0: unknown):
 * a full disk, a file too large or an I/O error (ENOSPC, EDQUOT, EFBIG,
 * EIO, EPIPE) is 74 whatever the step; an output that cannot be created at
 * all (EACCES, EPERM, ENOENT, ENOTDIR, EROFS, EEXIST, EISDIR, ENAMETOOLONG)
 * 73. Any other code, or errno, leaves code as it is. */
int cp_exit_for_errno(int code, int e);
/* The worse of two exit codes, for a run over several batches: any failure
 * beats success, and a failure a retry cannot fix beats one it can. */
int cp_exit_worst(int a, int b);

#endif
