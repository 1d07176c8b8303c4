/* Reads certpress.conf with libinih against a table of known keys. Each key
 * has a type that says how its value is checked and normalised. */
#include "conf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ini.h>
#include <libgen.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util/msg.h"
#include "util/readfile.h"
#include "util/secret.h"
#include "util/xalloc.h"
#include "util/banned.h"

#ifndef CP_SYSCONFDIR
#define CP_SYSCONFDIR "/usr/local/etc"
#endif

enum type { T_TEXT, T_PATH, T_URL, T_TRANSPORT, T_FROM, T_BOOL, T_LONG, T_TLS,
	     T_OPT_TEXT, T_OPT_PATH, T_OPT_URL, T_KEY, T_PROTECTION, T_LISTEN, T_APPROVAL,
	     T_ORDERS };

struct key {
	const char *section, *name;
	enum type type;
	size_t offset;
	const char *fallback; /* the embedded default */
	long min, max;
};

#define OFF(f) offsetof(struct cp_conf, f)
#define CONF_MAX_BYTES (1 << 20)
static const struct key keys[] = {
	{ "certpress", "awarding-body", T_TEXT, OFF(awarding_body), "Example Awards", 0, 0 },
	{ "certpress", "verify-url", T_URL, OFF(verify_url), "https://verify.example.org/v/", 0, 0 },
	{ "certpress", "spool", T_PATH, OFF(spool), "spool", 0, 0 },
	{ "certpress", "registry", T_PATH, OFF(registry), "spool/registry.sqlite", 0, 0 },
	{ "certpress", "catalogue", T_PATH, OFF(catalogue), "fixtures/catalogue.xml", 0, 0 },
	{ "certpress", "layouts", T_PATH, OFF(layouts), "layouts", 0, 0 },
	{ "certpress", "key-file", T_PATH, OFF(key_file), "keys/reference.key", 0, 0 },
	{ "certpress", "schemas", T_PATH, OFF(schemas), "config", 0, 0 },
	{ "certpress", "centres", T_OPT_PATH, OFF(centres), "", 0, 0 },
	{ "mail", "transport", T_TRANSPORT, OFF(mail_transport), "file:spool/outbox", 0, 0 },
	{ "mail", "from", T_FROM, OFF(mail_from), "Example Awards <certificates@example.org>", 0, 0 },
	{ "mail", "starttls", T_TLS, OFF(mail_starttls), "opportunistic", 0, 0 },
	{ "mail", "user", T_OPT_TEXT, OFF(mail_user), "", 0, 0 },
	{ "mail", "password-file", T_OPT_PATH, OFF(mail_password_file), "", 0, 0 },
	{ "mail", "timeout", T_LONG, OFF(mail_timeout), "30", 1, 600 },
	{ "mail", "per-session", T_LONG, OFF(mail_per_session), "100", 1, 100000 },
	{ "mail", "per-run", T_LONG, OFF(mail_per_run), "0", 0, 100000000 },
	{ "mail", "max-attempts", T_LONG, OFF(mail_max_attempts), "10", 1, 1000 },
	{ "mail", "centre-email", T_BOOL, OFF(mail_centre), "yes", 0, 0 },
	{ "export", "encrypt", T_BOOL, OFF(export_encrypt), "no", 0, 0 },
	{ "export", "retention-hours", T_LONG, OFF(retention_hours), "24", 1, 24 * 366 },
	{ "export", "receipt-days", T_LONG, OFF(receipt_days), "10", 1, 100 },
	{ "export", "holidays", T_OPT_PATH, OFF(holidays), "", 0, 0 },
	{ "validate", "max-file-mb", T_LONG, OFF(max_results_mb), "256", 1, 4096 },
	{ "render", "owner-password", T_TEXT, OFF(owner_password), "certpress-owner", 0, 0 },
	{ "render", "jobs", T_LONG, OFF(render_jobs), "0", 0, 64 },
	{ "render", "protection", T_PROTECTION, OFF(protection), "sign", 0, 0 },
	{ "render", "icc-profile", T_PATH, OFF(icc_profile), "/usr/share/color/icc/sRGB.icc", 0, 0 },
	{ "sign", "certificate", T_OPT_PATH, OFF(sign_certificate), "", 0, 0 },
	{ "sign", "chain", T_OPT_PATH, OFF(sign_chain), "", 0, 0 },
	{ "sign", "key", T_KEY, OFF(sign_key), "", 0, 0 },
	{ "sign", "pin-file", T_OPT_PATH, OFF(sign_pin_file), "", 0, 0 },
	{ "sign", "pkcs11-module", T_OPT_PATH, OFF(sign_pkcs11_module), "", 0, 0 },
	{ "sign", "tsa-url", T_OPT_URL, OFF(sign_tsa_url), "", 0, 0 },
	{ "print", "sheets-per-part", T_LONG, OFF(print_sheets_per_part), "1000", 1, 100000 },
	{ "print", "output-condition", T_TEXT, OFF(print_output_condition), "FOGRA39", 0, 0 },
	{ "print", "orders", T_ORDERS, OFF(print_orders_separate), "with-run", 0, 0 },
	{ "run", "approval", T_APPROVAL, OFF(approval_required), "none", 0, 0 },
	{ "verify", "snapshot", T_PATH, OFF(verify_snapshot), "spool/publish", 0, 0 },
	{ "verify", "key-file", T_PATH, OFF(verify_key_file), "keys/publish.key", 0, 0 },
	{ "verify", "public-key", T_PATH, OFF(verify_public_key), "keys/publish.pub", 0, 0 },
	{ "verify", "listen", T_LISTEN, OFF(verify_listen), "127.0.0.1:8080", 0, 0 },
	{ "verify", "threads", T_LONG, OFF(verify_threads), "0", 0, 256 },
	{ "verify", "max-age", T_LONG, OFF(verify_max_age), "48", 1, 24 * 366 },
	{ "verify", "rate", T_LONG, OFF(verify_rate), "10", 1, 1000000 },
	{ "verify", "burst", T_LONG, OFF(verify_burst), "40", 1, 1000000 },
	{ "verify", "connections-per-address", T_LONG, OFF(verify_per_address), "32", 1, 100000 },
	{ "verify", "max-connections", T_LONG, OFF(verify_connections), "4096", 1, 1000000 },
	{ "verify", "timeout", T_LONG, OFF(verify_timeout), "15", 1, 3600 },
	{ "verify", "access-log", T_BOOL, OFF(verify_access_log), "yes", 0, 0 },
	{ "verify", "trusted-proxies", T_OPT_TEXT, OFF(verify_trusted_proxies), "", 0, 0 },
};
#define NKEYS (sizeof(keys) / sizeof(*keys))

struct parse {
	struct cp_conf *conf;
	unsigned char seen[NKEYS];
	char *error; /* the first error the handler met */
};

static int has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/* Remove "." and "name/.." parts, so paths read well in messages. */
static char *tidy(char *path)
{
	char *out = path, *p = path;

	while (*p) {
		if (p[0] == '/' && p[1] == '.' && (p[2] == '/' || !p[2])) {
			p += 2;
		} else if (p[0] == '/' && p[1] == '.' && p[2] == '.' && (p[3] == '/' || !p[3]) &&
			   out > path) {
			while (out > path && *--out != '/')
				;
			p += 3;
		} else {
			*out++ = *p++;
		}
	}
	if (out == path)
		*out++ = '/';
	*out = '\0';
	return path;
}

static char *resolve(const struct cp_conf *conf, const char *value)
{
	if (value[0] == '/')
		return tidy(cp_xstrdup(value));
	return tidy(cp_xasprintf("%s/%s", conf->dir, value));
}

/* The address inside "Name <addr>" or the whole value. */
static int from_ok(const char *v)
{
	const char *lt = strchr(v, '<'), *at;

	if (lt) {
		const char *gt = strchr(lt, '>');

		if (!gt || gt[1] != '\0' || strchr(lt + 1, '<'))
			return 0;
		v = lt + 1;
		at = memchr(v, '@', (size_t)(gt - v));
		return at && at > v && at + 1 < gt && !memchr(v, ' ', (size_t)(gt - v));
	}
	at = strchr(v, '@');
	return at && at > v && at[1] && !strchr(v, ' ');
}

bool cp_conf_listen_ok(const char *v)
{
	struct cp_listen l;

	return cp_conf_listen_parse(v, &l) == 0;
}

int cp_conf_listen_parse(const char *v, struct cp_listen *l)
{
	const char *colon = strrchr(v, ':');
	char *end;
	size_t n;
	long port;

	memset(l, 0, sizeof(*l));
	if (!colon || colon == v)
		return -1;
	n = (size_t)(colon - v);
	if (v[0] == '[') {
		if (n < 3 || v[n - 1] != ']')
			return -1;
		v++;
		n -= 2;
		l->ipv6 = true;
	}
	if (n >= sizeof(l->addr))
		return -1;
	memcpy(l->addr, v, n);
	l->addr[n] = '\0';
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (errno || *end || end == colon + 1 || port < 0 || port > 65535)
		return -1;
	l->port = (int)port;
	if (l->ipv6 ? inet_pton(AF_INET6, l->addr, &l->a6) != 1
		    : inet_pton(AF_INET, l->addr, &l->a4) != 1)
		return -1;
	return 0;
}

/* The new value of a string key, the old one freed; NULL (no error). */
static char *replace(char **sp, char *value)
{
	free(*sp);
	*sp = value;
	return NULL;
}

static char *set_tls(int *ip, const char *v)
{
	if (!strcmp(v, "off"))
		*ip = CP_TLS_OFF;
	else if (!strcmp(v, "opportunistic"))
		*ip = CP_TLS_OPPORTUNISTIC;
	else if (!strcmp(v, "required"))
		*ip = CP_TLS_REQUIRED;
	else
		return cp_xasprintf("'%s' is not off, opportunistic or required", v);
	return NULL;
}

static char *set_approval(bool *bp, const char *v)
{
	if (strcmp(v, "none") && strcmp(v, "required"))
		return cp_xasprintf("'%s' is not none or required", v);
	*bp = !strcmp(v, "required");
	return NULL;
}

static char *set_orders(bool *bp, const char *v)
{
	if (strcmp(v, "with-run") && strcmp(v, "separate"))
		return cp_xasprintf("'%s' is not with-run or separate", v);
	*bp = !strcmp(v, "separate");
	return NULL;
}

static char *set_protection(int *ip, const char *v)
{
	if (!strcmp(v, "sign"))
		*ip = CP_PROTECT_SIGN;
	else if (!strcmp(v, "none"))
		*ip = CP_PROTECT_NONE;
	else if (!strcmp(v, "encrypt"))
		*ip = CP_PROTECT_ENCRYPT;
	else
		return cp_xasprintf("'%s' is not sign, none or encrypt", v);
	return NULL;
}

/* A file, or a key in a token named by its PKCS#11 URI; "" for none. */
static char *set_key(const struct cp_conf *conf, char **sp, const char *v)
{
	return replace(sp, !*v ? NULL : !strncmp(v, "pkcs11:", 7) ? cp_xstrdup(v)
								   : resolve(conf, v));
}

/* A time-stamp authority's: plain HTTP (its token is signed); "" for none. */
static char *set_opt_url(char **sp, const char *v)
{
	if (*v && (strncmp(v, "http://", 7) != 0 || strchr(v, ' ')))
		return cp_xasprintf("'%s' is not an http:// URL", v);
	return replace(sp, *v ? cp_xstrdup(v) : NULL);
}

/* file:DIR (DIR resolved as a path is) or smtp://host:port. */
static char *set_transport(const struct cp_conf *conf, char **sp, const char *v)
{
	if (strncmp(v, "file:", 5) == 0 && v[5]) {
		char *dir = resolve(conf, v + 5);

		replace(sp, cp_xasprintf("file:%s", dir));
		free(dir);
		return NULL;
	}
	if (strncmp(v, "smtp://", 7) == 0) {
		const char *colon = strrchr(v + 7, ':');
		char *end;
		long port;

		if (!colon || colon == v + 7)
			return cp_xasprintf("'%s' is not smtp://host:port", v);
		errno = 0;
		port = strtol(colon + 1, &end, 10);
		if (errno || *end || end == colon + 1 || port < 1 || port > 65535)
			return cp_xasprintf("'%s' has no valid port", v);
		return replace(sp, cp_xstrdup(v));
	}
	return cp_xasprintf("'%s' is neither file:DIR nor smtp://host:port", v);
}

static char *set_bool(bool *bp, const char *v)
{
	if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcasecmp(v, "on") ||
	    !strcmp(v, "1"))
		*bp = true;
	else if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcasecmp(v, "off") ||
		 !strcmp(v, "0"))
		*bp = false;
	else
		return cp_xasprintf("'%s' is not yes or no", v);
	return NULL;
}

static char *set_long(long *lp, const struct key *k, const char *v)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || end == v || n < k->min || n > k->max)
		return cp_xasprintf("'%s' is not a whole number from %ld to %ld", v, k->min,
				    k->max);
	*lp = n;
	return NULL;
}

/* Returns NULL if the value is good, else why not; stores it in conf. */
static char *set_value(struct cp_conf *conf, const struct key *k, const char *v)
{
	void *field = (char *)conf + k->offset;
	char **sp = field;

	if (has_control(v))
		return cp_xstrdup("control characters are not allowed");
	switch (k->type) {
	case T_TEXT:
		return !*v ? cp_xstrdup("must not be empty") : replace(sp, cp_xstrdup(v));
	case T_PATH:
		return !*v ? cp_xstrdup("must not be empty") : replace(sp, resolve(conf, v));
	case T_OPT_TEXT:
	case T_OPT_PATH:
		return replace(sp, !*v ? NULL : k->type == T_OPT_PATH ? resolve(conf, v)
								       : cp_xstrdup(v));
	case T_KEY:
		return set_key(conf, sp, v);
	case T_OPT_URL:
		return set_opt_url(sp, v);
	case T_PROTECTION:
		return set_protection(field, v);
	case T_APPROVAL:
		return set_approval(field, v);
	case T_ORDERS:
		return set_orders(field, v);
	case T_TLS:
		return set_tls(field, v);
	case T_URL:
		if ((strncmp(v, "https://", 8) != 0 && strncmp(v, "http://", 7) != 0) ||
		    strchr(v, ' ') || !strchr(v, '.'))
			return cp_xasprintf("'%s' is not an http or https URL", v);
		return replace(sp, cp_xstrdup(v));
	case T_TRANSPORT:
		return set_transport(conf, sp, v);
	case T_LISTEN:
		if (!cp_conf_listen_ok(v))
			return cp_xasprintf("'%s' is not ADDR:PORT (an IPv4 address, or an IPv6 "
					    "one in brackets, and a port from 0 to 65535)", v);
		return replace(sp, cp_xstrdup(v));
	case T_FROM:
		if (!from_ok(v))
			return cp_xasprintf("'%s' is not an address or 'Name <address>'", v);
		return replace(sp, cp_xstrdup(v));
	case T_BOOL:
		return set_bool(field, v);
	case T_LONG:
		return set_long(field, k, v);
	}
	return cp_xstrdup("unknown key type");
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct parse *p = user;
	char *why;

	for (size_t i = 0; i < NKEYS; i++) {
		if (strcmp(keys[i].section, section) || strcmp(keys[i].name, name))
			continue;
		if (p->seen[i]) {
			if (!p->error)
				p->error = cp_xasprintf("key '%s' given twice in [%s]", name,
							section);
			return 0;
		}
		p->seen[i] = 1;
		why = set_value(p->conf, &keys[i], value);
		if (why) {
			if (!p->error)
				p->error = cp_xasprintf("key '%s': %s", name, why);
			free(why);
			return 0;
		}
		return 1;
	}
	if (!p->error)
		p->error = cp_xasprintf("unknown key '%s' in [%s]", name, section);
	return 0;
}

int cp_conf_load_file(struct cp_conf *conf, const char *path)
{
	struct parse p = { .conf = conf };
	char resolved[PATH_MAX], *copy, *text;
	size_t len;
	int line;

	memset(conf, 0, sizeof(*conf));
	/* a FIFO or a device is refused, never waited on; at most 1 MB */
	if (cp_read_text_file(path, "configuration", CONF_MAX_BYTES, &text, &len) < 0)
		return -1;
	conf->path = cp_xstrdup(path);
	copy = cp_xstrdup(realpath(path, resolved) ? resolved : path);
	conf->dir = cp_xstrdup(dirname(copy));
	free(copy);
	for (size_t i = 0; i < NKEYS; i++) {
		char *why = set_value(conf, &keys[i], keys[i].fallback);

		if (why)
			cp_bug("default for '%s': %s", keys[i].name, why);
	}
	ini_allow_multiline = false;
	line = ini_parse_string(text, handler, &p);
	free(text);
	if (line != 0) {
		if (line < 0)
			cp_error("%s: cannot read configuration", path);
		else
			cp_error("%s:%d: %s", path, line,
				 p.error ? p.error : "not a 'key = value' line or a [section]");
		free(p.error);
		cp_conf_release(conf);
		return -1;
	}
	return 0;
}

int cp_conf_load(struct cp_conf *conf, const char *explicit)
{
	const char *env = getenv("CERTPRESS_CONF");
	const char *installed = CP_SYSCONFDIR "/certpress/certpress.conf";

	if (explicit)
		return cp_conf_load_file(conf, explicit);
	if (env && *env)
		return cp_conf_load_file(conf, env);
	if (access("certpress.conf", F_OK) == 0)
		return cp_conf_load_file(conf, "certpress.conf");
	if (access(installed, F_OK) == 0)
		return cp_conf_load_file(conf, installed);
	return cp_error("no configuration file: give -c FILE or set CERTPRESS_CONF "
			"(looked for ./certpress.conf and %s)", installed);
}

int cp_conf_mail_password(const struct cp_conf *conf, char *buf, size_t n)
{
	size_t len;

	buf[0] = '\0';
	if (!conf->mail_password_file)
		return 0;
	if (cp_secret_read(conf->mail_password_file, "SMTP password", buf, n, &len) < 0)
		return -1;
	buf[strcspn(buf, "\r\n")] = '\0';
	if (!buf[0])
		return cp_error("%s: no password in it", conf->mail_password_file);
	return 0;
}

void cp_conf_release(struct cp_conf *conf)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (keys[i].type != T_BOOL && keys[i].type != T_LONG && keys[i].type != T_TLS &&
		    keys[i].type != T_PROTECTION && keys[i].type != T_APPROVAL &&
		    keys[i].type != T_ORDERS) {
			char **sp = (char **)((char *)conf + keys[i].offset);

			free(*sp);
		}
	free(conf->path);
	free(conf->dir);
	memset(conf, 0, sizeof(*conf));
}
