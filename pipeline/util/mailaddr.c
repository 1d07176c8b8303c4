/* Email addresses: the plain form notify sends to and set-email records,
 * never anything that could end or add a header. */
#include "util/mailaddr.h"

#include <string.h>

#include "util/banned.h"

bool cp_mail_address_ok(const char *a)
{
	const char *at = a ? strchr(a, '@') : NULL;
	size_t n = a ? strlen(a) : 0;

	if (!at || at == a || !at[1] || strchr(at + 1, '@') || n > 254 || at - a > 64)
		return false;
	for (const char *p = a; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || strchr("<>()[]\\,;:\"", *p))
			return false;
	return strchr(at, '.') && at[1] != '.' && a[n - 1] != '.';
}
