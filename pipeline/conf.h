/* The configuration file (INI, read with libinih): every key is known and
 * checked, and relative paths are made relative to the file's folder. An
 * unknown key, a bad value or a missing file is reported with the file, the
 * line and the key; the caller exits 78. */
#ifndef CP_CONF_H
#define CP_CONF_H

#include <stdbool.h>
#include <netinet/in.h>
#include <stddef.h>

enum cp_tls { CP_TLS_OFF, CP_TLS_OPPORTUNISTIC, CP_TLS_REQUIRED };
/* [render] protection: what a digital copy carries. */
enum cp_protection { CP_PROTECT_SIGN, CP_PROTECT_NONE, CP_PROTECT_ENCRYPT };

struct cp_conf {
	char *path; /* the file that was read */
	char *dir;  /* its folder: the base of relative paths */

	/* [certpress] */
	char *awarding_body;
	char *verify_url;
	char *spool;
	char *registry;
	char *catalogue;
	char *layouts;
	char *key_file;
	char *schemas;  /* folder holding results.xsd and catalogue.xsd */
	char *centres;  /* the centres register, or NULL for none */

	/* [mail] */
	char *mail_transport; /* "file:/abs/dir" or "smtp://host:port" */
	char *mail_from;
	int mail_starttls;        /* enum cp_tls */
	char *mail_user;          /* AUTH user, or NULL for no AUTH */
	char *mail_password_file; /* its password, first line of this file */
	long mail_timeout;        /* seconds for the greeting and each reply */
	long mail_per_session;    /* messages per SMTP session */
	long mail_per_run;        /* messages per run of the stage; 0: no cap */
	long mail_max_attempts;   /* a deferred message fails after this many */
	bool mail_centre;         /* also tell the centre its export is ready */

	/* [export] */
	bool export_encrypt;
	long retention_hours;
	long receipt_days;     /* working days a centre has to confirm receipt */
	char *holidays;        /* dates that are not working days, or NULL */

	/* [validate] */
	long max_results_mb;   /* a results file larger than this is refused */

	/* [render] */
	char *owner_password;  /* protects a digital copy's permissions */
	long render_jobs;      /* worker processes; 0: one per processor */
	int protection;        /* enum cp_protection */
	char *icc_profile;     /* the sRGB profile of PDF/A's OutputIntent */
	/* [sign] */
	char *sign_certificate; /* PEM, or NULL: no signing configured */
	char *sign_chain;       /* PEM certificates between it and a root, or NULL */
	char *sign_key;         /* a PEM file (mode 0600), or a pkcs11: URI */
	char *sign_pin_file;    /* the token's PIN for a pkcs11: key, or NULL */
	char *sign_pkcs11_module; /* the PKCS#11 module, or NULL: the engine's default */
	char *sign_tsa_url;     /* an RFC 3161 time-stamp authority, or NULL */
	/* [print] */
	long print_sheets_per_part; /* the print file is split into parts of this many */
	char *print_output_condition; /* the print file's PDF/X output intent (FOGRA39) */
	bool print_orders_separate; /* orders = separate: order copies only in
				     * certpress print-orders' print files */
	/* [run] */
	bool approval_required; /* approval = required: pack waits for certpress approve */

	/* [verify]: certpress publish and certpress-verifyd */
	char *verify_snapshot;   /* the snapshot's folder */
	char *verify_key_file;   /* the publish key (secret, signs snapshots) */
	char *verify_public_key; /* its public half: what certpress-verifyd trusts */
	char *verify_listen;     /* "ADDR:PORT" or "[ADDR]:PORT" */
	long verify_threads;     /* 0: one per processor */
	long verify_max_age;     /* hours: an older snapshot is not confirmed */
	long verify_rate;        /* requests per second per client address */
	long verify_burst;       /* requests at once per client address */
	long verify_per_address; /* connections per client address */
	long verify_connections; /* connections in all */
	long verify_timeout;     /* seconds an idle connection is kept */
	bool verify_access_log;  /* a line per request on stderr */
	char *verify_trusted_proxies; /* addresses whose X-Forwarded-For is believed */
};

/* A listening address ([verify] listen): "127.0.0.1:8080", "[::1]:8080";
 * port 0 lets the system choose. 0, or -1 if v is not one. */
struct cp_listen {
	char addr[64];
	int port;
	bool ipv6;
	struct in_addr a4;
	struct in6_addr a6;
};
int cp_conf_listen_parse(const char *v, struct cp_listen *l);
bool cp_conf_listen_ok(const char *v);

/* Find the file (explicit, else $CERTPRESS_CONF, else ./certpress.conf, else
 * the installed default), read and check it. explicit may be NULL. */
int cp_conf_load(struct cp_conf *conf, const char *explicit);
/* Read and check one named file. */
int cp_conf_load_file(struct cp_conf *conf, const char *path);
void cp_conf_release(struct cp_conf *conf);
/* The SMTP password, the first line of [mail] password-file, into buf
 * (size n; wipe it after use); empty without a password-file. -1 with a
 * message if the file cannot be read or others may read it or write it or
 * its folder (secret.h). */
int cp_conf_mail_password(const struct cp_conf *conf, char *buf, size_t n);

#endif
