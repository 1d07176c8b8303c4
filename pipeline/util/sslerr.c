/* OpenSSL's last error as text (sslerr.h). */
#include "util/sslerr.h"

#include <openssl/err.h>

#include "util/banned.h"

const char *cp_ssl_why(void)
{
	static char buf[256];
	unsigned long e = ERR_peek_last_error();

	if (!e)
		return "no reason given";
	ERR_error_string_n(e, buf, sizeof(buf));
	ERR_clear_error();
	return buf;
}
