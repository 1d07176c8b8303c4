/* certpress publish [DIR]: the verification snapshot
 * (snapshot.h) of every document ever issued, as the public page shows it,
 * and its detached Ed25519 signature under the publish key ([verify]
 * key-file), written atomically into DIR ([verify] snapshot): both to
 * temp names and fsynced, then snapshot.sig renamed, then snapshot.
 * Publishers take turns (flock on DIR/.lock); each removes the temp files
 * one killed before it left. run, retry, reprint and
 * revoke publish at their end through cp_publish. */
#include "cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "engine/bind.h"
#include "opts.h"
#include "snapshot.h"
#include "util/atomic.h"
#include "util/date.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/edsign.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const struct cp_opt opts[] = { CP_OPT_HELP_ROW, CP_OPTS_END };
const struct cp_cmdline cp_publish_line = { "publish", NULL, opts, "[DIR]", 0, 1, 0 };

static enum cp_snap_type snap_type(const char *type)
{
	if (!strcmp(type, "certificate"))
		return CP_SNAP_CERTIFICATE;
	if (!strcmp(type, "transcript"))
		return CP_SNAP_TRANSCRIPT;
	/* a proof of qualification letter: a letter of the learner's latest
	 * award, flagged (CP_SNAP_PROOF_LETTER), so the format stays 2 */
	if (!strcmp(type, "letter") || !strcmp(type, "proof-letter"))
		return CP_SNAP_LETTER;
	cp_bug("a document type the snapshot does not know: '%s'", type);
}

static void hex_bytes(const char *hex, uint8_t out[32], uint8_t *flags)
{
	unsigned v;

	if (!hex || strlen(hex) != 64)
		return;
	for (int i = 0; i < 32; i++) {
		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			return;
		out[i] = (uint8_t)v;
	}
	*flags |= CP_SNAP_HAS_SHA;
}

/* The document of the same type and the next issue among docs, or NULL. */
static const struct cp_pub_doc *next_issue(const struct cp_pub_doc *docs, size_t n,
					   const struct cp_pub_doc *d)
{
	for (size_t i = 0; i < n; i++)
		if (docs[i].issue == d->issue + 1 && !strcmp(docs[i].type, d->type))
			return &docs[i];
	return NULL;
}

static void doc_record(struct cp_snap_builder *b, uint32_t award, const struct cp_pub_doc *docs,
		       size_t n, const struct cp_pub_doc *d)
{
	struct cp_snap_doc r = { 0 };
	size_t len = strlen(d->reference);

	r.serial = (uint32_t)d->serial;
	r.issue = (uint8_t)d->issue;
	r.type = (uint8_t)snap_type(d->type);
	if (!strcmp(d->type, "proof-letter"))
		r.flags |= CP_SNAP_PROOF_LETTER;
	memcpy(r.check, d->reference + (len >= 4 ? len - 4 : 0), 4);
	r.award = award;
	r.issued = cp_snap_ymd(d->issued);
	r.expires = cp_snap_ymd(d->expires);
	r.changed = cp_snap_ymd(d->changed);
	if (!strcmp(d->status, "revoked")) {
		r.status = d->category && !strcmp(d->category, "error") ? CP_SNAP_IN_ERROR
									: CP_SNAP_WITHDRAWN;
	} else if (!strcmp(d->status, "superseded")) {
		const struct cp_pub_doc *next = next_issue(docs, n, d);

		/* a replacement is always the next issue of its original */
		if (!next)
			cp_bug("%s is superseded by no next issue", d->reference);
		r.status = CP_SNAP_REPLACED;
		memcpy(r.next_check, next->reference + strlen(next->reference) - 4, 4);
		if (next->published)
			r.flags |= CP_SNAP_NEXT_ISSUED;
	} else {
		r.status = CP_SNAP_VALID;
	}
	hex_bytes(d->sha256, r.sha256, &r.flags);
	r.paper_serial = cp_snap_add_string(b, d->paper_serial);
	cp_snap_add_doc(b, &r);
}

struct publish {
	struct cp_snap_builder b;
	long documents, awards;
};

static int on_award(void *ctx, const struct cp_pub_award *a, const struct cp_pub_doc *docs,
		    size_t ndocs, const struct cp_unit_row *units, size_t nunits)
{
	struct publish *p = ctx;
	struct cp_snap_award r = { 0 };
	uint32_t index;
	char *name;
	bool any = false;

	for (size_t i = 0; i < ndocs; i++)
		any |= docs[i].published;
	if (!any)
		return 0; /* nothing of it issued (yet): not on the page */
	name = cp_bind_full_name(a->first_name, a->middle_names, a->last_name);
	r.name = cp_snap_add_string(&p->b, name);
	free(name);
	r.qualification = cp_snap_add_string(&p->b, a->qualification);
	r.title = cp_snap_add_string(&p->b, a->title);
	r.grade = cp_snap_add_string(&p->b, a->grade);
	r.centre = cp_snap_add_string(&p->b, a->centre_name);
	r.awarded = cp_snap_ymd(a->awarded);
	r.level = (uint8_t)(a->level > 0 && a->level < 256 ? a->level : 0);
	r.units = (uint32_t)p->b.nunits;
	r.nunits = (uint32_t)nunits;
	for (size_t i = 0; i < nunits; i++) {
		struct cp_snap_unit u = {
			.code = cp_snap_add_string(&p->b, units[i].code),
			.title = cp_snap_add_string(&p->b, units[i].title),
			.grade = cp_snap_add_string(&p->b, units[i].grade),
			.level = (uint16_t)(units[i].level > 0 && units[i].level < 65536 ? units[i].level : 0),
			.credits = (uint16_t)(units[i].credits > 0 && units[i].credits < 65536
						      ? units[i].credits : 0),
		};

		cp_snap_add_unit(&p->b, &u);
	}
	/* the certificate as it stands now: its latest issue issued */
	for (size_t i = 0; i < ndocs; i++)
		if (docs[i].published && !strcmp(docs[i].type, "certificate") &&
		    docs[i].issue > r.cert_issue) {
			r.cert_serial = (uint32_t)docs[i].serial;
			r.cert_issue = (uint8_t)docs[i].issue;
		}
	index = cp_snap_add_award(&p->b, &r);
	for (size_t i = 0; i < ndocs; i++)
		if (docs[i].published) {
			doc_record(&p->b, index, docs, ndocs, &docs[i]);
			p->documents++;
		}
	p->awards++;
	return 0;
}

/* The publishers' lock on DIR/.lock: held until fd is closed. */
static int lock_dir(const char *dir)
{
	char *path = cp_xasprintf("%s/.lock", dir);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);

	if (fd < 0 || flock(fd, LOCK_EX) < 0) {
		cp_error("%s: cannot lock: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	free(path);
	return fd;
}

static int write_snapshot(const char *dir, const unsigned char *buf, size_t len,
			  const unsigned char sig[CP_EDSIGN_BYTES])
{
	char *snap = cp_xasprintf("%s/snapshot", dir), *sigpath = cp_xasprintf("%s/snapshot.sig", dir);
	int rc = CP_EX_OK;

	/* both on disk before either is renamed: a full disk or a failing
	 * fsync leaves the old pair, never a new signature beside the old
	 * snapshot (which a restarted service or a new host would refuse). The
	 * signature is renamed first, right before the snapshot: a service that
	 * sees the new snapshot finds its signature there already. */
	if (cp_atomic_write_pair(sigpath, sig, CP_EDSIGN_BYTES, snap, buf, len, 0640) < 0)
		rc = CP_EX_IOERR;
	free(snap);
	free(sigpath);
	return rc;
}

int cp_publish(struct cp_cmd_env *e, const char *dir_arg)
{
	const char *dir = dir_arg ? dir_arg : e->conf.verify_snapshot;
	unsigned char sk[CP_EDSIGN_SECRET], sig[CP_EDSIGN_BYTES], *buf = NULL;
	struct publish p = { 0 };
	struct timespec t0, t1;
	size_t len = 0;
	int fd, rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (cp_edsign_load_secret(e->conf.verify_key_file, "publish key", sk) < 0)
		return CP_EX_CONFIG;
	if (cp_mkdirs(dir) < 0) {
		sodium_memzero(sk, sizeof(sk));
		return CP_EX_CANTCREAT;
	}
	if ((fd = lock_dir(dir)) < 0) {
		sodium_memzero(sk, sizeof(sk));
		return CP_EX_CANTCREAT;
	}
	/* what a publisher killed here left: no other is writing (the lock) */
	cp_atomic_sweep(dir);
	cp_snap_builder_init(&p.b, cp_clock_now(), e->conf.awarding_body, e->conf.verify_url);
	if (cp_publish_read(&e->reg, on_award, &p) < 0) {
		cp_snap_builder_release(&p.b);
		rc = CP_EX_IOERR;
		goto out;
	}
	cp_snap_builder_finish(&p.b, &buf, &len);
	cp_edsign(sk, buf, len, sig);
	rc = write_snapshot(dir, buf, len, sig);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc == CP_EX_OK)
		cp_info("published %ld documents of %ld awards to %s/snapshot (%zu KB) in %.1f s",
			p.documents, p.awards, dir, len / 1024,
			(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
out:
	free(buf);
	sodium_memzero(sk, sizeof(sk));
	close(fd);
	return rc;
}

int cp_publish_at_end(struct cp_cmd_env *e, int rc)
{
	int got;

	if (!e->have_conf || !e->have_reg || access(e->conf.verify_key_file, F_OK) < 0)
		return rc; /* no publish key: this host publishes no snapshot */
	got = cp_publish(e, NULL);
	if (got != CP_EX_OK)
		cp_error("the verification snapshot was not updated (exit %d): the change is "
			 "recorded; 'certpress publish' makes the snapshot again", got);
	return rc == CP_EX_OK ? got : rc;
}

int cp_cmd_publish(int argc, char **argv, const char *config)
{
	struct cp_cmd_env e = { 0 };
	int first, rc;

	if ((rc = cp_cmd_args(&cp_publish_line, argc, argv, NULL, &first)) != CP_CMD_GO)
		return rc;
	if ((rc = cp_cmd_conf(&e, config)) == 0 && (rc = cp_cmd_registry(&e)) == 0)
		rc = cp_publish(&e, first < argc ? argv[first] : NULL);
	cp_cmd_env_release(&e);
	return rc;
}
