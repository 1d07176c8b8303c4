/* Case and accent folding for search keys, by libunistring: the same
 * tables for every script, so no language's names need code of their own. */
#include "util/fold.h"

#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "util/xalloc.h"
#include "util/banned.h"

char *cp_fold(const char *utf8)
{
	const uint8_t *s = (const uint8_t *)utf8;
	size_t n, len;
	uint8_t *folded;
	char *out, *o;

	if (!utf8)
		return NULL;
	n = strlen(utf8);
	if (u8_check(s, n))
		return cp_xstrdup("");
	folded = u8_casefold(s, n, NULL, UNINORM_NFKD, NULL, &len);
	if (!folded)
		return cp_xstrdup(""); /* out of memory in libunistring: no key */
	out = o = cp_xmalloc(len + 1);
	for (size_t i = 0; i < len;) {
		ucs4_t c;
		int k = u8_mbtouc(&c, folded + i, len - i);

		if (uc_is_general_category(c, UC_CATEGORY_L) ||
		    uc_is_general_category(c, UC_CATEGORY_N)) {
			memcpy(o, folded + i, (size_t)k);
			o += k;
		}
		i += (size_t)k;
	}
	*o = '\0';
	free(folded);
	return out;
}
