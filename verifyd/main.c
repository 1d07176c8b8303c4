/* certpress-verifyd: the verification service every QR code opens. It
 * serves the snapshot certpress publish writes (never the registry), from
 * libmicrohttpd's thread pool (epoll), and takes up a new snapshot on
 * SIGHUP or when the files change; it exits 0 on SIGTERM. */
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "conf.h"
#include "http.h"
#include "opts.h"
#include "proxy.h"
#include "ratelimit.h"
#include "store.h"
#include "util/date.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/edsign.h"
#include "util/banned.h"

struct verifyd_args {
	const char *config, *listen, *snapshot, *threads;
};

static const struct cp_opt opts[] = {
	CP_OPTS_COMMON(struct verifyd_args, config),
	CP_OPT_VALUE_OF(struct verifyd_args, listen, "listen", "ADDR:PORT",
			"where to listen ([verify] listen)"),
	CP_OPT_VALUE_OF(struct verifyd_args, snapshot, "snapshot", "DIR",
			"the snapshot's folder ([verify] snapshot)"),
	CP_OPT_VALUE_OF(struct verifyd_args, threads, "threads", "N",
			"threads ([verify] threads; 0: one per processor)"),
	CP_OPTS_END,
};
static const struct cp_cmdline line = { "certpress-verifyd", NULL, opts, NULL, 0, 0, 0 };

static void usage(FILE *f, const void *ctx)
{
	/* on one line, as README's and certpress-verifyd(8)'s synopsis */
	(void)ctx;
	cp_opts_synopsis(f, "usage: ", NULL, &line, 0);
	fputs("\n"
		"Serve the verification pages from the snapshot certpress publish writes\n"
		"([verify] snapshot), checked with [verify] public-key; a new snapshot is\n"
		"taken up on SIGHUP or when its files change. Logs 'listening on ADDR:PORT'\n"
		"once ready; SIGTERM stops it.\n\n", f);
	cp_opts_usage(f, opts);
	fputs("\nexit: 0 stopped by SIGTERM or SIGINT; 64 usage; 69 cannot listen;\n"
	      "70 internal error; 77 started as root (it runs unprivileged);\n"
	      "78 configuration (including the keys)\n", f);
}

/* The listening socket, made here so port 0 can be told back. */
static int listen_on(const struct cp_listen *l, char *told, size_t n)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t len;
	int fd, one = 1;

	if (l->ipv6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)l->port);
		a->sin6_addr = l->a6;
		len = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)l->port);
		a->sin_addr = l->a4;
		len = sizeof(*a);
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 1024) < 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
		cp_error("cannot listen on %s%s%s:%d: %s", l->ipv6 ? "[" : "", l->addr,
			 l->ipv6 ? "]" : "", l->port, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	snprintf(told, n, "%s%s%s:%u", l->ipv6 ? "[" : "", l->addr, l->ipv6 ? "]" : "",
		 ntohs(l->ipv6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
			       : ((struct sockaddr_in *)&ss)->sin_port));
	return fd;
}

/* Signals are taken by the main thread alone (sigtimedwait); the pool's
 * threads start with them blocked. */
static void block_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	pthread_sigmask(SIG_BLOCK, set, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* Until SIGTERM: reload on SIGHUP, look for new files twice a second, say
 * once when the snapshot has grown older than max-age. */
static void serve(const sigset_t *set, long max_age)
{
	const struct timespec tick = { 0, 500 * 1000 * 1000 };
	int64_t warned = -1;

	for (int sig = 0;; sig = sigtimedwait(set, NULL, &tick)) {
		struct vd_snapshot *s;

		if (sig == SIGTERM || sig == SIGINT)
			return;
		if (sig > 0 || sig == -1)
			vd_store_reload(sig == SIGHUP);
		if ((s = vd_store_get())) {
			int64_t t = s->s.h->published;

			if (cp_clock_now() - (time_t)t > max_age && warned != t) {
				char when[32];

				cp_warn("the snapshot of %s is older than [verify] max-age: every page "
					"says its status cannot be confirmed since then",
					cp_utc_stamp((time_t)t, when, sizeof(when)));
				warned = t;
			}
			vd_store_put(s);
		}
	}
}

/* Where to listen and with how many threads: the command line over the
 * configuration. 0, or the exit code. */
static int settings(const struct verifyd_args *a, const struct cp_conf *conf, struct cp_listen *l,
		    long *threads)
{
	char *end;

	if (a->listen && cp_conf_listen_parse(a->listen, l) < 0) {
		cp_error("--listen '%s' is not ADDR:PORT", a->listen);
		return CP_EX_USAGE;
	}
	if (!a->listen && cp_conf_listen_parse(conf->verify_listen, l) < 0)
		cp_bug("[verify] listen was checked when read");
	*threads = conf->verify_threads;
	if (a->threads) {
		errno = 0;
		*threads = strtol(a->threads, &end, 10);
		if (errno || *end || end == a->threads || *threads < 0 || *threads > 256) {
			cp_error("--threads takes 0 to 256");
			return CP_EX_USAGE;
		}
	}
	if (!*threads)
		*threads = sysconf(_SC_NPROCESSORS_ONLN) > 0 ? sysconf(_SC_NPROCESSORS_ONLN) : 1;
	return 0;
}

static struct MHD_Daemon *start(int fd, long threads, const struct cp_conf *conf)
{
	return MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO,
				0, NULL, NULL, vd_http_handle, NULL,
				MHD_OPTION_LISTEN_SOCKET, fd,
				MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)threads,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned int)conf->verify_connections,
				MHD_OPTION_PER_IP_CONNECTION_LIMIT,
				(unsigned int)conf->verify_per_address,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)conf->verify_timeout,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)16384,
				MHD_OPTION_UNESCAPE_CALLBACK, vd_http_unescape, NULL,
				MHD_OPTION_END);
}

int main(int argc, char **argv)
{
	struct verifyd_args a = { 0 };
	unsigned char pk[CP_EDSIGN_PUBLIC];
	char pem[CP_EDSIGN_PEM_MAX], told[128];
	struct cp_listen l;
	struct cp_conf conf;
	struct MHD_Daemon *d;
	sigset_t set;
	long threads;
	int first, fd, rc;

	cp_cli_init(argv[0]);
	if ((rc = cp_opts_main(&line, argc, argv, &a, &first, usage, NULL)) != CP_OPTS_GO)
		return rc;
	if (geteuid() == 0) {
		cp_error("refusing to run as root: start it as an unprivileged user (the systemd "
			 "unit config/certpress-verifyd.service runs it as a dynamic user)");
		return CP_EX_NOPERM;
	}
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (cp_conf_load(&conf, a.config) < 0)
		return CP_EX_CONFIG;
	/* every way out from here releases what it holds (no leak for ASan
	 * to see in a refused start) */
	if ((rc = settings(&a, &conf, &l, &threads)) != 0)
		goto out_conf;
	if (cp_edsign_load_public(conf.verify_public_key, pk) < 0) {
		rc = CP_EX_CONFIG;
		goto out_conf;
	}
	cp_edsign_pem(pk, pem);
	block_signals(&set);
	if (vd_proxy_init(conf.verify_trusted_proxies) < 0) {
		rc = CP_EX_CONFIG;
		goto out_conf;
	}
	vd_rate_init(conf.verify_rate, conf.verify_burst);
	vd_http_init(&(struct vd_http_conf){ .pem = pem,
					     .max_age = conf.verify_max_age * 3600,
					     .access_log = conf.verify_access_log });
	vd_store_init(a.snapshot ? a.snapshot : conf.verify_snapshot, pk);
	vd_store_reload(true);
	if ((fd = listen_on(&l, told, sizeof(told))) < 0) {
		rc = CP_EX_UNAVAILABLE;
		goto out_store;
	}
	if (!(d = start(fd, threads, &conf))) {
		cp_error("libmicrohttpd cannot start on %s", told);
		rc = CP_EX_SOFTWARE;
		goto out_fd;
	}
	cp_info("listening on %s", told);
	serve(&set, conf.verify_max_age * 3600);
	MHD_stop_daemon(d);
	cp_info("stopped");
	rc = CP_EX_OK;
out_fd:
	close(fd);
out_store:
	vd_store_release();
out_conf:
	cp_conf_release(&conf);
	return rc;
}
