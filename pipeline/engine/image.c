/* Template images checked the way a reader would see them: every pixel
 * decoded (libjpeg, libpng), where either library's "go on with grey
 * pixels" warning counts as damage, then loaded by libharu in a document of
 * its own, since libharu's own loaders read little more than the header. */
#include "engine/image.h"

#include <hpdf.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* jpeglib.h needs stdio.h and size_t first */
#include <jpeglib.h>

#include "engine/asset.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const char *const kind_name[] = { "JPEG", "PNG" };

/* "a damaged JPEG file (premature end of JPEG file)": the library's message
 * with its first word in lower case, as certpress's messages are */
static void damaged(char *why, size_t n, enum cp_image_type type, const char *msg)
{
	char m[JMSG_LENGTH_MAX];

	snprintf(m, sizeof(m), "%s", msg);
	if (m[0] >= 'A' && m[0] <= 'Z' && m[1] >= 'a' && m[1] <= 'z')
		m[0] = (char)(m[0] - 'A' + 'a');
	snprintf(why, n, "a damaged %s file (%s)", kind_name[type], m);
}

static int too_large(unsigned long w, unsigned long h, char *why, size_t n)
{
	if (w == 0 || h == 0 || w > CP_IMAGE_MAX_PIXELS || h > CP_IMAGE_MAX_PIXELS ||
	    w * h > CP_IMAGE_MAX_PIXELS) {
		snprintf(why, n, "%lu x %lu pixels: more than %ld million pixels", w, h,
			 CP_IMAGE_MAX_PIXELS / 1000000);
		return 1;
	}
	return 0;
}

struct jpeg_stop {
	struct jpeg_error_mgr mgr;
	jmp_buf jmp;
	char msg[JMSG_LENGTH_MAX];
};

static void jpeg_fail(j_common_ptr c)
{
	struct jpeg_stop *s = (struct jpeg_stop *)c->err;

	(*c->err->format_message)(c, s->msg);
	longjmp(s->jmp, 1);
}

/* Level -1 is a warning: libjpeg then goes on with made-up pixels. */
static void jpeg_notice(j_common_ptr c, int level)
{
	if (level < 0)
		jpeg_fail(c);
}

static void jpeg_quiet(j_common_ptr c)
{
	(void)c;
}

static int check_jpeg(struct cp_image *img, char *why, size_t n)
{
	struct jpeg_decompress_struct d;
	struct jpeg_stop s;
	JSAMPARRAY row;

	memset(&d, 0, sizeof(d));
	d.err = jpeg_std_error(&s.mgr);
	s.mgr.error_exit = jpeg_fail;
	s.mgr.emit_message = jpeg_notice;
	s.mgr.output_message = jpeg_quiet;
	s.msg[0] = '\0';
	if (setjmp(s.jmp)) {
		jpeg_destroy_decompress(&d);
		if (s.msg[0])
			damaged(why, n, CP_IMAGE_JPEG, s.msg);
		return -1;
	}
	jpeg_create_decompress(&d);
	jpeg_mem_src(&d, img->data, (unsigned long)img->len);
	jpeg_read_header(&d, TRUE);
	img->width = d.image_width;
	img->height = d.image_height;
	if (too_large(img->width, img->height, why, n))
		longjmp(s.jmp, 1);
	jpeg_start_decompress(&d);
	row = (*d.mem->alloc_sarray)((j_common_ptr)&d, JPOOL_IMAGE,
				     d.output_width * (JDIMENSION)d.output_components, 1);
	while (d.output_scanline < d.output_height)
		jpeg_read_scanlines(&d, row, 1);
	jpeg_finish_decompress(&d);
	jpeg_destroy_decompress(&d);
	return 0;
}

struct png_in {
	const unsigned char *p;
	size_t left;
	char msg[256];
	unsigned char *row;
};

static void png_fail(png_structp png, png_const_charp msg)
{
	struct png_in *in = png_get_error_ptr(png);

	snprintf(in->msg, sizeof(in->msg), "%s", msg);
	png_longjmp(png, 1);
}

static void png_quiet(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

static void png_take(png_structp png, png_bytep out, size_t len)
{
	struct png_in *in = png_get_io_ptr(png);

	if (len > in->left)
		png_error(png, "the file ends early");
	memcpy(out, in->p, len);
	in->p += len;
	in->left -= len;
}

static int check_png(struct cp_image *img, char *why, size_t n)
{
	struct png_in in = { img->data, img->len, "", NULL };
	png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &in, png_fail, png_quiet);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	int passes;

	if (!info) {
		png_destroy_read_struct(&png, NULL, NULL);
		snprintf(why, n, "libpng cannot start");
		return -1;
	}
	if (setjmp(png_jmpbuf(png))) {
		free(in.row);
		png_destroy_read_struct(&png, &info, NULL);
		if (in.msg[0])
			damaged(why, n, CP_IMAGE_PNG, in.msg);
		return -1;
	}
	/* an error libpng would let pass (too much image data, a bad
	 * ancillary chunk) is damage too */
	png_set_benign_errors(png, 0);
	png_set_crc_action(png, PNG_CRC_ERROR_QUIT, PNG_CRC_ERROR_QUIT);
	png_set_read_fn(png, &in, png_take);
	png_read_info(png, info);
	img->width = png_get_image_width(png, info);
	img->height = png_get_image_height(png, info);
	if (too_large(img->width, img->height, why, n))
		png_longjmp(png, 1);
	passes = png_set_interlace_handling(png);
	png_read_update_info(png, info);
	in.row = cp_xmalloc(png_get_rowbytes(png, info));
	for (int pass = 0; pass < passes; pass++)
		for (unsigned long y = 0; y < img->height; y++)
			png_read_row(png, in.row, NULL);
	png_read_end(png, NULL);
	free(in.row);
	png_destroy_read_struct(&png, &info, NULL);
	return 0;
}

struct haru {
	HPDF_STATUS error, detail;
};

static void haru_error(HPDF_STATUS error, HPDF_STATUS detail, void *user)
{
	struct haru *h = user;

	if (!h->error) {
		h->error = error;
		h->detail = detail;
	}
}

static int check_haru(const struct cp_image *img, char *why, size_t n)
{
	struct haru h = { 0, 0 };
	HPDF_Doc doc = HPDF_New(haru_error, &h);
	HPDF_Image im;
	int rc = -1;

	if (!doc) {
		snprintf(why, n, "libharu cannot make a document to try it in");
		return -1;
	}
	im = img->type == CP_IMAGE_PNG
		     ? HPDF_LoadPngImageFromMem(doc, img->data, (HPDF_UINT)img->len)
		     : HPDF_LoadJpegImageFromMem(doc, img->data, (HPDF_UINT)img->len);
	if (!im || h.error)
		snprintf(why, n, "libharu cannot use it (error 0x%04lX, detail %lu)",
			 (unsigned long)h.error, (unsigned long)h.detail);
	else if (HPDF_Image_GetWidth(im) != img->width || HPDF_Image_GetHeight(im) != img->height)
		snprintf(why, n, "libharu reads it as %u x %u pixels, not %lu x %lu",
			 (unsigned)HPDF_Image_GetWidth(im), (unsigned)HPDF_Image_GetHeight(im),
			 img->width, img->height);
	else
		rc = 0;
	HPDF_Free(doc);
	return rc;
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n > t && !strcmp(s + n - t, tail);
}

/* The file is what its name says: "not a JPEG file (a PNG file named .jpg)". */
static int sniff(const struct cp_image *img, const char *name, char *why, size_t n)
{
	static const unsigned char png[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	static const unsigned char jpeg[3] = { 0xff, 0xd8, 0xff };
	const unsigned char *d = img->data;
	int is_png = img->len >= 8 && !memcmp(d, png, 8);
	int is_jpeg = img->len >= 3 && !memcmp(d, jpeg, 3);
	const char *ext = strrchr(name, '.');

	if (img->type == CP_IMAGE_PNG ? is_png : is_jpeg)
		return 0;
	if (is_png || is_jpeg)
		snprintf(why, n, "not a %s file (a %s file named %s)", kind_name[img->type],
			 is_png ? "PNG" : "JPEG", ext);
	else
		snprintf(why, n, "not a %s file (it starts with 0x%02x 0x%02x)",
			 kind_name[img->type], d[0], img->len > 1 ? d[1] : 0);
	return -1;
}

int cp_image_load(struct cp_image *img, const char *dir, const char *name, char *why, size_t n)
{
	off_t size;
	int fd;

	memset(img, 0, sizeof(*img));
	if (ends_with(name, ".png"))
		img->type = CP_IMAGE_PNG;
	else if (ends_with(name, ".jpg") || ends_with(name, ".jpeg"))
		img->type = CP_IMAGE_JPEG;
	else {
		snprintf(why, n, "not a .png, .jpg or .jpeg file");
		return -1;
	}
	fd = cp_asset_open(dir, name, CP_ASSET_IMAGE, CP_IMAGE_MAX_BYTES, &size, NULL, why, n);
	if (fd < 0 || cp_asset_read(fd, size, &img->data, why, n) < 0)
		return -1;
	img->len = (size_t)size;
	if (sniff(img, name, why, n) < 0 ||
	    (img->type == CP_IMAGE_PNG ? check_png(img, why, n) : check_jpeg(img, why, n)) < 0 ||
	    check_haru(img, why, n) < 0) {
		cp_image_release(img);
		return -1;
	}
	return 0;
}

void cp_image_release(struct cp_image *img)
{
	free(img->data);
	memset(img, 0, sizeof(*img));
}
