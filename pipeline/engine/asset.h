/* Files a template names (its images and fonts), opened only where they may
 * be: a template cannot make the stage read a file elsewhere (through "..",
 * an absolute path or a link), nor wait for ever on a FIFO, nor load a file
 * of any size. */
#ifndef CP_ASSET_H
#define CP_ASSET_H

#include <stddef.h>
#include <sys/types.h>

enum cp_asset_kind {
	CP_ASSET_IMAGE, /* named relative to the layouts folder, found inside it */
	CP_ASSET_FONT,  /* relative, or absolute; inside the layouts folder or the
			 * system's font folders (/usr/share/fonts, /usr/local/share/fonts) */
};

/* Open name (relative to the layouts folder dir) for reading. Its real path,
 * links followed, must be where kind allows; it must be a regular file of 1
 * to max bytes. Returns a close-on-exec fd with *size set (and *real, if not
 * NULL, the real path: the caller frees it), or -1 with the reason in why:
 * "outside the layouts folder", "not a regular file", "cannot open: ...". */
int cp_asset_open(const char *dir, const char *name, enum cp_asset_kind kind, off_t max,
		  off_t *size, char **real, char *why, size_t n);

/* Read the whole of fd (size bytes, from cp_asset_open) into a new buffer
 * and close fd. 0, or -1 with the reason in why. */
int cp_asset_read(int fd, off_t size, unsigned char **buf, char *why, size_t n);

#endif
