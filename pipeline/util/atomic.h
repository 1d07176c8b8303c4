/* Atomic output, the one way every stage writes a file: a unique temp name in
 * the target's folder (O_CREAT|O_EXCL), every write checked, fsync, close,
 * rename onto the final name, fsync the folder. A reader sees the old file or
 * the whole new one, never a part. Temp files are removed on failure, at
 * exit and on SIGINT, SIGTERM and SIGHUP. */
#ifndef CP_ATOMIC_H
#define CP_ATOMIC_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

struct cp_atomic {
	FILE *fp;   /* write the contents through this */
	char *path; /* the final name */
	char *tmp;  /* the temp name while open */
	int fd;
};

/* Open a temp file beside path. The struct must stay where it is until
 * commit or abort (the stream refers to it). -1 with a message on failure. */
int cp_atomic_open(struct cp_atomic *a, const char *path, mode_t mode);
/* Flush, fsync, close, rename onto the final name and fsync the folder.
 * On failure the temp file is removed, the old file (if any) stays, and a
 * message is printed; returns -1. The struct is released either way. */
int cp_atomic_commit(struct cp_atomic *a);
/* Throw the temp file away. Safe to call after commit or on a zeroed struct. */
void cp_atomic_abort(struct cp_atomic *a);


/* Write a whole buffer to path atomically. */
int cp_atomic_write_file(const char *path, const void *buf, size_t len, mode_t mode);
/* Write a whole buffer to a temp file beside path, closed without fsync or
 * rename: it stays, and its name is the caller's (*tmp, to free), for
 * atomicgroup.h. -1 with a message (nothing left). */
int cp_atomic_write_parked(const char *path, const void *buf, size_t len, mode_t mode,
			   char **tmp);
/* Replace two files in one folder together (a file and its detached
 * signature): both written and fsynced under temp names before either is
 * renamed, then first renamed right before second, then the folder synced.
 * A failure before the renames (a full disk, a failing fsync) leaves both
 * old files; only a failing rename of second can part them. -1 with a
 * message. */
int cp_atomic_write_pair(const char *first, const void *buf1, size_t len1, const char *second,
			 const void *buf2, size_t len2, mode_t mode);
/* Copy the file src to dst atomically. */
int cp_atomic_copy_file(const char *src, const char *dst, mode_t mode);
/* A scratch file for this process alone, in dir (never /tmp: a stage
 * writes nothing outside its spool): nameless (O_TMPFILE), or where the
 * file system has no such thing a temp name removed at once (a crash in
 * between leaves a name the sweeps remove). Read and write; gone when
 * closed. NULL with a message on failure. */
FILE *cp_scratch_file(const char *dir);

/* Take a file that someone else may have put in a folder of ours (the
 * inbox) to the name to, as the spool's own: renamed if this process owns
 * it, with its mode cut down to mode (an uploader's 0644 becomes 0640);
 * else copied atomically with mode and the original removed, so no file of
 * the spool keeps an uploader's owner or mode. An entry that is not a
 * regular file (a link, a FIFO) is renamed as it is, never followed (a
 * FIFO or socket of this process's with its mode cut down to mode). A
 * file that would have to be copied and is larger than max bytes (or
 * grows past it) is not: 1, and nothing has changed. 0 taken, -1 failed
 * (a message printed). */
int cp_take_file(const char *from, const char *to, mode_t mode, off_t max);
/* rename(2) then fsync of the target's folder (and of the source's folder
 * when it differs), so the move survives a power cut. */
int cp_rename_durable(const char *from, const char *to);
int cp_fsync_dir(const char *dir);
/* The same without a message: -1 with errno set (for a caller whose
 * output is safe already, which says so itself). */
int cp_fsync_dir_quiet(const char *dir);
/* Remove temp files left in dir by a process that was killed. Only call this
 * while holding the folder's lock (no live writer can be there). */
void cp_atomic_sweep(const char *dir);
/* The same for dir and every folder below it (symbolic links not followed). */
void cp_atomic_sweep_tree(const char *dir);
/* Remove the temp files in a folder others write to as well (the file:
 * transport's outbox) whose writer is gone: the pid in the temp's name is
 * no live process. A live writer's temp stays. The pid is only checked on
 * this host, so such a folder must not be shared between hosts. */
void cp_atomic_sweep_dead(const char *dir);
/* The errno of the last output of this process that failed (a temp file
 * created, written, synced, renamed; a folder synced), 0 if none: what a
 * stage's exit code is made from (cp_exit_for_errno). cp_output_failed
 * records one for an output written another way (libzip's). */
int cp_output_errno(void);
void cp_output_failed(int e);
/* Remove a folder of files (no folders inside) and every file in it, temp
 * files (dot files) too; best effort, no message. */
void cp_remove_files_dir(const char *dir);
/* The pid at the end of a name "NAME.PID" (a working folder named after
 * its writer), or 0 if it does not end so. */
pid_t cp_name_pid(const char *name);
/* Whether the process pid may still be at work: alive, or not ours to
 * signal (the pid is only checked on this host). */
bool cp_pid_alive(pid_t pid);
/* mkdir -p with mode 0750 for new folders. */
int cp_mkdirs(const char *path);

#endif
