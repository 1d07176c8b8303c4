/* The images templates draw: each file checked whole when its template loads
 * (it decodes to the last pixel with libjpeg or libpng, and libharu takes
 * it), then kept in memory, so the bytes drawn are the bytes checked. */
#ifndef CP_IMAGE_H
#define CP_IMAGE_H

#include <stddef.h>

#define CP_IMAGE_MAX_BYTES (16L << 20)
#define CP_IMAGE_MAX_PIXELS 25000000L /* 5000 x 5000: more than a page at 300 dpi */

enum cp_image_type { CP_IMAGE_JPEG, CP_IMAGE_PNG };

struct cp_image {
	unsigned char *data;
	size_t len;
	enum cp_image_type type;
	unsigned long width, height;
};

/* Load and check the image file name (relative to the layouts folder dir;
 * .png, .jpg or .jpeg says which kind it must be). Returns 0, or -1 with
 * the reason in why ("a damaged JPEG file (premature end of JPEG file)"). */
int cp_image_load(struct cp_image *img, const char *dir, const char *name, char *why, size_t n);
void cp_image_release(struct cp_image *img);

#endif
