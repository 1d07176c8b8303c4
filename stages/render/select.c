/* Which of an assigned batch's documents render makes: those valid in the
 * registry when the stage starts. A document revoked or superseded (an
 * operator's revoke or reprint while the batch waited) is left out, its
 * copies from an earlier attempt removed, and rendered.xml names it, so
 * pack knows it was not forgotten. */
#include "render.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "docrender.h"
#include "util/msg.h"
#include "ref.h"
#include "util/xalloc.h"
#include "util/banned.h"

static int by_ref(const void *a, const void *b)
{
	return strcmp(((const struct cp_render_left_out *)a)->ref,
		      ((const struct cp_render_left_out *)b)->ref);
}

/* A left-out document's copies, made by an attempt before it changed. */
static void remove_copies(const struct cp_render *r, const char *ref)
{
	char norm[CP_REF_LEN + 1];
	uint32_t serial;
	unsigned issue;

	/* the name comes from the registry: a reference, or nothing is removed */
	if (!cp_ref_parse(ref, norm, &serial, &issue) || strcmp(norm, ref))
		return;
	for (int digital = 0; digital < 2; digital++) {
		char *path = cp_doc_copy_path(r->dir, digital, ref);

		unlink(path);
		free(path);
	}
}

static int add_left_out(void *ctx, const char *ref, const char *status)
{
	struct cp_render *r = ctx;
	struct cp_render_left_out *l;

	r->left_out = cp_xrealloc(r->left_out, (r->nleft_out + 1) * sizeof(*r->left_out));
	l = &r->left_out[r->nleft_out++];
	l->ref = cp_xstrdup(ref);
	l->status = cp_xstrdup(status);
	return 0;
}

int cp_render_select(struct cp_render *r, struct cp_registry *reg)
{
	if (cp_documents_not_valid(reg, r->batch, add_left_out, r) < 0)
		return -1;
	if (r->nleft_out)
		qsort(r->left_out, r->nleft_out, sizeof(*r->left_out), by_ref);
	for (size_t i = 0; i < r->nleft_out; i++)
		remove_copies(r, r->left_out[i].ref);
	if (r->nleft_out)
		cp_info("%zu documents revoked or superseded since assign: not rendered",
			r->nleft_out);
	return 0;
}

const char *cp_render_left_out(const struct cp_render *r, const char *ref)
{
	struct cp_render_left_out key = { (char *)ref, NULL }, *l;

	if (!r->nleft_out || !ref)
		return NULL;
	l = bsearch(&key, r->left_out, r->nleft_out, sizeof(*r->left_out), by_ref);
	return l ? l->status : NULL;
}

void cp_render_select_release(struct cp_render *r)
{
	for (size_t i = 0; i < r->nleft_out; i++) {
		free(r->left_out[i].ref);
		free(r->left_out[i].status);
	}
	free(r->left_out);
	r->left_out = NULL;
	r->nleft_out = 0;
}
