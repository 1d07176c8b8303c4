/* The pkcs11 engine (pkcs11.h). ENGINE_* is deprecated in OpenSSL 3.0 and
 * this is the one file that calls it: the deprecation warnings are
 * suppressed here alone, so -Werror stays on for every other use of
 * OpenSSL. When Debian ships the pkcs11 provider, this file becomes an
 * OSSL_STORE_open of the URI. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include "util/pkcs11.h"

#include <openssl/engine.h>
#include <fcntl.h>
#include <openssl/err.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "util/msg.h"
#include "util/sslerr.h"
#include "util/secret.h"
#include "util/banned.h"

/* One login at a time: processes that open the same token at once (the
 * render workers) can find it "not initialized" (SoftHSM 2.6 read 3 times
 * in 8 with two workers). The lock is the PIN file's, which each of them
 * reads anyway; -1 if there is none to take. */
static int login_lock(const char *pin_file)
{
	int fd = pin_file ? open(pin_file, O_RDONLY | O_CLOEXEC) : -1;

	if (fd >= 0 && flock(fd, LOCK_EX) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The engine, loaded once and kept for the process: it is a shared library
 * that allocates its own methods when loaded, and unloading it (the last
 * reference freed, after a refused PIN say) leaves them behind. */
static ENGINE *engine(void)
{
	static ENGINE *e;

	if (!e)
		e = ENGINE_by_id("pkcs11");
	return e;
}

EVP_PKEY *cp_pkcs11_key(const char *uri, const char *pin_file, const char *module)
{
	ENGINE *e;
	EVP_PKEY *k = NULL;
	char pin[256] = "";
	size_t len;
	int lock = login_lock(pin_file);

	/* the PIN first: a PIN file others may read stops before the engine */
	if (pin_file) {
		if (cp_secret_read(pin_file, "token PIN", pin, sizeof(pin), &len) < 0)
			goto out;
		pin[strcspn(pin, "\r\n")] = '\0';
	}
	if (!(e = engine())) {
		cp_error("%s: OpenSSL has no pkcs11 engine (apt-get install "
			 "libengine-pkcs11-openssl): %s", uri, cp_ssl_why());
		goto out;
	}
	if (module && !ENGINE_ctrl_cmd_string(e, "MODULE_PATH", module, 0)) {
		cp_error("%s: the pkcs11 engine refuses the module: %s", module, cp_ssl_why());
		goto out;
	}
	if (pin_file && !ENGINE_ctrl_cmd_string(e, "PIN", pin, 0)) {
		cp_error("%s: the pkcs11 engine refuses the PIN: %s", pin_file, cp_ssl_why());
		goto out;
	}
	if (!ENGINE_init(e)) {
		cp_error("%s: cannot start the pkcs11 engine: %s", uri, cp_ssl_why());
		goto out;
	}
	/* never finished: the engine's functional reference is what keeps the
	 * token's session, which the key signs through, open for the process */
	k = ENGINE_load_private_key(e, uri, NULL, NULL);
	if (!k)
		cp_error("%s: no such key in the token, or the PIN is wrong: %s", uri, cp_ssl_why());
out:
	OPENSSL_cleanse(pin, sizeof(pin));
	if (lock >= 0)
		close(lock);
	return k;
}
