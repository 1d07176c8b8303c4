/* certpress verify --file PDF: whether a digital copy someone holds is one
 * this awarding body issued, untouched, and still valid, offline: its
 * signature (the CMS over the byte ranges, made with the configured
 * certificate or one its chain issued), whether the ranges cover the whole
 * file, the reference the signed bytes carry, its status in the registry,
 * and whether the file's SHA-256 is the one recorded when it was made (the
 * batch's rendered.xml, or the replacement copy reprint left in the spool).
 * Exit 0 only for "genuine" (and valid); 1 for every other answer. */
#include "cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batchfile.h"
#include "card.h"
#include "docrender.h"
#include "engine/pdfsigfind.h"
#include "registry/documents.h"
#include "spool.h"
#include "util/cmssign.h"
#include "util/digest.h"
#include "util/exitcode.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/readfile.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define MAX_PDF (64L << 20)

struct recorded {
	const char *ref;
	char sha[CP_SHA256_HEX];
};

static int rendered_doc(void *ctx, xmlNodePtr learner)
{
	struct recorded *r = ctx;

	for (xmlNodePtr d = learner->children; d; d = d->next) {
		const char *ref = d->type == XML_ELEMENT_NODE ? cp_node_attr(d, "reference") : NULL;
		const char *sha = ref && !strcmp(ref, r->ref) ? cp_node_attr(d, "digital-sha256")
							      : NULL;

		if (sha && strlen(sha) == CP_SHA256_HEX - 1) {
			memcpy(r->sha, sha, CP_SHA256_HEX);
			return -1; /* found: stop reading */
		}
	}
	return 0;
}

/* The SHA-256 recorded for ref's digital copy: its batch's rendered.xml,
 * else the replacement copy reprint wrote. "" if none is recorded. */
static void recorded_sha(struct cp_cmd_env *e, const char *ref, char sha[CP_SHA256_HEX])
{
	struct cp_document_source src;
	struct recorded r = { ref, "" };
	struct cp_batchfile_handler h = { .ctx = &r, .learner = rendered_doc };
	struct cp_spool spool;

	sha[0] = '\0';
	cp_spool_names(&spool, &e->conf);
	if (cp_document_source(&e->reg, ref, &src) == 1) {
		char *path = cp_spool_batch_file(&spool, src.batch, "rendered.xml");

		if (access(path, F_OK) == 0)
			cp_batchfile_read(path, "rendered", &h, NULL);
		free(path);
	}
	if (r.sha[0]) {
		memcpy(sha, r.sha, CP_SHA256_HEX);
	} else {
		char *copy = cp_doc_copy_path(spool.reprints, 1, ref);

		if (cp_sha256_file(copy, sha) < 0)
			sha[0] = '\0';
		free(copy);
	}
	cp_spool_release(&spool);
}

/* What the file's signature says, before the registry is asked: NULL if
 * it is ours and covers the whole file untouched, else the answer. */
static const char *signature_verdict(const struct cp_pdfsig *sig, const struct cp_cms_result *c)
{
	if (!c->cms || !c->signer[0] || !c->ours)
		return "not signed by us";
	if (!c->intact || !sig->whole)
		return "modified after signing";
	return NULL;
}

/* The registry's answer for a genuine file's reference: "genuine" only
 * when it is valid and the file is the copy recorded. */
static const char *registry_verdict(const struct cp_card *card, const char *sha,
				    const char *recorded, char *buf, size_t n)
{
	const char *status = card->f[CP_CARD_STATUS], *why = card->f[CP_CARD_STATUS_REASON];

	if (!strcmp(status, "superseded") && why && !strncmp(why, "replaced by ", 12)) {
		snprintf(buf, n, "genuine but replaced by %.*s", (int)strcspn(why + 12, ":"),
			 why + 12);
		return buf;
	}
	if (strcmp(status, "valid")) {
		snprintf(buf, n, "genuine but %s", status);
		return buf;
	}
	if (recorded[0] && strcmp(sha, recorded))
		return "signed by us, but not the copy recorded for its reference";
	return "genuine";
}

/* Everything the answer says, as it is found out. */
struct answer {
	struct cp_pdfsig sig;
	struct cp_cms_result check;
	struct cp_card card;
	char sha[CP_SHA256_HEX], recorded[CP_SHA256_HEX], ref[CP_REF_LEN + 1], buf[128];
	const char *why, *verdict;
	int found;
};

/* The signature the file carries, checked against ours; the reference
 * read only from the bytes it covers. */
static int check_signature(struct cp_cmd_env *e, const unsigned char *file, size_t len,
			   struct answer *a, char *typed, size_t typed_n)
{
	struct cp_sha256 h;

	cp_sha256_init(&h);
	cp_sha256_update(&h, file, len);
	cp_sha256_final_hex(&h, a->sha);
	if (cp_pdfsig_find(file, len, &a->sig, &a->why) == 1) {
		const struct cp_cms_range r[2] = {
			{ file + a->sig.range[0], a->sig.range[1] },
			{ file + a->sig.range[2], a->sig.range[3] },
		};

		if (cp_cms_check(a->sig.der, a->sig.der_len, r, 2, e->conf.sign_certificate,
				 e->conf.sign_chain, &a->check) < 0)
			return CP_EX_CONFIG;
		a->why = a->check.why[0] ? a->check.why : NULL;
		cp_pdfsig_keywords(file, a->sig.range[1], typed, typed_n);
	}
	a->verdict = signature_verdict(&a->sig, &a->check);
	return 0;
}

/* For a file signed by us: what the registry says of the reference it carries. */
static int ask_registry(struct cp_cmd_env *e, const char *typed, struct answer *a)
{
	int rc;

	if ((rc = cp_cmd_key(e)) != 0)
		return rc;
	if (cp_cmd_reference(e, typed, a->ref) != 0) {
		a->verdict = "signed by us, but it carries no reference we issued";
		return 0;
	}
	if ((rc = cp_cmd_registry_read(e)) != 0)
		return rc;
	if ((a->found = cp_card_find(&e->reg, a->ref, &a->card)) < 0)
		return CP_EX_IOERR;
	if (a->found)
		recorded_sha(e, a->ref, a->recorded);
	a->verdict = a->found ? registry_verdict(&a->card, a->sha, a->recorded, a->buf,
						 sizeof(a->buf))
			      : "signed by us, but its reference is not in the registry";
	return 0;
}

static const char *digest_word(const struct answer *a)
{
	return !a->recorded[0]		       ? "no digest recorded"
	       : !strcmp(a->sha, a->recorded) ? "the one recorded"
					       : "not the one recorded";
}

static void print_text(const struct answer *a)
{
	puts(a->verdict);
	if (a->check.signer[0])
		printf("signer: %s\n", a->check.signer);
	if (a->check.cms)
		printf("signature: %s\n",
		       a->check.intact ? "holds" : "does not hold (digest or value)");
	else
		printf("signature: %s\n", a->why ? a->why : "none");
	if (a->check.cms) {
		if (a->sig.whole)
			puts("covers: the whole file");
		else
			printf("covers: all but the last %zu bytes (added after signing)\n",
			       a->sig.after);
		printf("time-stamp: %s\n", a->check.timestamped ? "yes" : "no");
	}
	if (a->ref[0])
		printf("reference: %s\n", a->ref);
	if (a->found)
		printf("status: %s\n", a->card.f[CP_CARD_STATUS]);
	printf("sha256: %s", a->sha);
	if (a->found)
		printf(" (%s)", digest_word(a));
	putchar('\n');
}

/* The same answer as one JSON object; null where the text leaves a line out. */
static void print_json(const struct answer *a)
{
	printf("{\"verdict\":");
	cp_json_str(stdout, a->verdict);
	printf(",\"genuine\":%s,\"signer\":", !strcmp(a->verdict, "genuine") ? "true" : "false");
	a->check.signer[0] ? cp_json_str(stdout, a->check.signer) : (void)fputs("null", stdout);
	printf(",\"signature\":");
	cp_json_str(stdout, a->check.cms ? (a->check.intact ? "holds" : "does not hold")
					 : (a->why ? a->why : "none"));
	if (a->check.cms)
		printf(",\"covers_whole_file\":%s,\"bytes_after\":%zu,\"timestamped\":%s",
		       a->sig.whole ? "true" : "false", a->sig.whole ? (size_t)0 : a->sig.after,
		       a->check.timestamped ? "true" : "false");
	printf(",\"reference\":");
	a->ref[0] ? cp_json_str(stdout, a->ref) : (void)fputs("null", stdout);
	printf(",\"status\":");
	a->found ? cp_json_str(stdout, a->card.f[CP_CARD_STATUS]) : (void)fputs("null", stdout);
	printf(",\"sha256\":\"%s\",\"digest\":", a->sha);
	a->found ? cp_json_str(stdout, digest_word(a)) : (void)fputs("null", stdout);
	puts("}");
}

int cp_cmd_verify_file(const char *pdf, const char *config, bool json)
{
	struct cp_cmd_env e = { 0 };
	struct answer a = { 0 };
	char typed[64] = "";
	unsigned char *file = NULL;
	size_t len;
	int rc;

	if ((rc = cp_cmd_conf(&e, config)) != 0)
		return rc;
	if (!e.conf.sign_certificate) {
		cp_error("%s: [sign] certificate is not set: there is nothing to check a "
			 "signature against", e.conf.path);
		rc = CP_EX_CONFIG;
		goto out;
	}
	/* a FIFO or a device refused with what it is, never waited on */
	if (cp_read_binary_file(pdf, "PDF", MAX_PDF, (char **)&file, &len) < 0) {
		rc = CP_EX_NOINPUT;
		goto out;
	}
	if ((rc = check_signature(&e, file, len, &a, typed, sizeof(typed))) != 0 ||
	    (!a.verdict && (rc = ask_registry(&e, typed, &a)) != 0))
		goto out;
	(json ? print_json : print_text)(&a);
	rc = !strcmp(a.verdict, "genuine") ? CP_EX_OK : 1;
out:
	cp_pdfsig_release(&a.sig);
	cp_card_release(&a.card);
	free(file);
	cp_cmd_env_release(&e);
	return rc;
}
