/* Diagnostics for every certpress program: one line each on stderr,
 * "prog: level: [batch] message". Control characters in a message are shown
 * escaped, so hostile input can never forge a log line. */
#ifndef CP_MSG_H
#define CP_MSG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdnoreturn.h>

enum cp_level { CP_DEBUG, CP_INFO, CP_WARN, CP_ERROR };

/* Set the program name shown on every line (the basename of argv0). The
 * level comes from $CERTPRESS_LOG (debug, info, warning, error) if set. */
void cp_msg_init(const char *argv0);
const char *cp_msg_progname(void);
void cp_msg_set_level(enum cp_level level);
/* The level in force, as $CERTPRESS_LOG names it (for child programs). */
const char *cp_msg_level_name(void);
/* Parse "debug", "info", "warning" or "error"; -1 if none of them. */
int cp_msg_parse_level(const char *s);
/* Name the batch being worked on; NULL forgets it. The string is copied. */
void cp_msg_set_batch(const char *batch);

void cp_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cp_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cp_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Report an error and return -1, so callers can "return cp_error(...)". */
int cp_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Report an error and exit with a sysexits code. */
noreturn void cp_die(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* An internal inconsistency: report it and exit 70. */
noreturn void cp_bug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void cp_vlog(enum cp_level level, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Copy src into dst (size n, always terminated) with control characters and
 * backslashes escaped as \n, \t, \xNN, \\. Returns dst. */
char *cp_msg_escape(char *dst, size_t n, const char *src);

/* An argument as a message quotes it: at most CP_MSG_CLIP - 4 bytes of src,
 * cut between characters, "..." after it if it was cut. Returns dst. */
#define CP_MSG_CLIP 68
const char *cp_msg_clip(char dst[CP_MSG_CLIP], const char *src);

#endif
