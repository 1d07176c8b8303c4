/* certpress export: a centre's zip of the digital copies an operator
 * chooses (a batch's, references, a course run's, awards between two
 * dates), made on demand under the name given, as the portals' "Export":
 * built as the nightly zip is (zipout.h: manifest.csv, the folders, the
 * same temp-then-rename), with a README.txt saying what was chosen and
 * what was left out. Only documents valid now go in. The download is
 * pending while it is built and finished once its zip is there; the sweep
 * expires it after retention-hours, and then it can be made again. Under
 * the centre's lock (spool/downloads/CENTRE/lock); a crash leaves it
 * pending, never a half zip under its name, and running the same export
 * again finishes it. */
#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/atomic.h"
#include "util/date.h"
#include "util/digest.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include "zipout.h"
#include "util/banned.h"

struct export_args {
	const char *centre, *batch, *course_run, *from, *to, *name, *description, *by;
	struct cp_opt_list refs;
};

#define CHOICE 1 /* the opts group: one way to choose */
static const struct cp_opt opts[] = {
	{ .kind = CP_OPT_VALUE, .name = "centre", .arg = "C", .required = true,
	  .help = "the centre whose documents are exported",
	  .at = CP_OPT_AT(struct export_args, centre, const char *) },
	{ .kind = CP_OPT_VALUE, .name = "batch", .arg = "B", .group = CHOICE,
	  .help = "the documents of a batch's learners",
	  .at = CP_OPT_AT(struct export_args, batch, const char *) },
	{ .kind = CP_OPT_LIST, .name = "ref", .arg = "R", .group = CHOICE,
	  .help = "these documents (repeatable)",
	  .at = CP_OPT_AT(struct export_args, refs, struct cp_opt_list) },
	{ .kind = CP_OPT_VALUE, .name = "course-run", .arg = "X", .group = CHOICE,
	  .help = "the documents of a course run",
	  .at = CP_OPT_AT(struct export_args, course_run, const char *) },
	{ .kind = CP_OPT_VALUE, .name = "awarded-from", .arg = "D", .group = CHOICE,
	  .help = "awards made on or after D (with --awarded-to)",
	  .at = CP_OPT_AT(struct export_args, from, const char *) },
	CP_OPT_VALUE_OF(struct export_args, to, "awarded-to", "D",
			"...and on or before D"),
	{ .kind = CP_OPT_VALUE, .name = "name", .arg = "NAME", .required = true,
	  .help = "the download's file name (.zip added if missing)",
	  .at = CP_OPT_AT(struct export_args, name, const char *) },
	CP_OPT_VALUE_OF(struct export_args, description, "description", "TEXT",
			"what it is for, shown in the downloads list"),
	CP_OPT_VALUE_OF(struct export_args, by, "by", "USER",
			"who makes it (else the login name)"),
	CP_OPT_HELP_ROW,
	CP_OPTS_END,
};
const struct cp_cmdline cp_export_line = { "export", NULL, opts, NULL, 0, 0, 0 };

/* What is being exported. */
struct export {
	struct cp_cmd_env *e;
	struct cp_download d;    /* its row: centre, file, selection, chosen, ... */
	char *dir, *final;       /* spool/downloads/CENTRE, and the zip there */
	char today[11];
	struct cp_zipout z;
	FILE *manifest, *left;   /* memory streams */
	char *mbuf, *lbuf;
	size_t mlen, llen;
	long documents, left_out;
	int rc;                  /* the first error's exit code */
};

/* The choice as the registry keeps it (selection, chosen): 0, or the exit
 * code after saying why not. */
static int choose(struct cp_cmd_env *e, const struct export_args *a, char **selection,
		  char **chosen)
{
	int n = !!a->batch + !!a->refs.n + !!a->course_run + !!a->from;
	struct cp_date from, to;
	char f[11], t[11];

	if (n != 1 || (a->to && !a->from) || (a->from && !a->to)) {
		cp_error("export chooses its documents one way: --batch B, --ref R..., "
			 "--course-run X, or --awarded-from D with --awarded-to D");
		return cp_cmd_usage(&cp_export_line);
	}
	if (a->batch) {
		if (!cp_batch_id_valid(a->batch)) {
			cp_error("'%s' is not a batch id", a->batch);
			return CP_EX_DATAERR;
		}
		*selection = cp_xstrdup("batch");
		*chosen = cp_xstrdup(a->batch);
	} else if (a->course_run) {
		if (!cp_spool_name_ok(a->course_run)) {
			cp_error("'%s' is not a course run id", a->course_run);
			return CP_EX_DATAERR;
		}
		*selection = cp_xstrdup("course-run");
		*chosen = cp_xstrdup(a->course_run);
	} else if (a->from) {
		if (!cp_date_parse_typed(a->from, &from) || !cp_date_parse_typed(a->to, &to)) {
			cp_error("--awarded-from and --awarded-to take dates (YYYY-MM-DD, "
				 "DD/MM/YYYY or 30-September-1981)");
			return CP_EX_USAGE;
		}
		if (cp_date_cmp(from, to) > 0) {
			cp_error("--awarded-from %s is after --awarded-to %s", a->from, a->to);
			return CP_EX_USAGE;
		}
		*selection = cp_xstrdup("awarded");
		*chosen = cp_xasprintf("%s %s", cp_date_format(from, f), cp_date_format(to, t));
	} else {
		size_t len = 0;

		if (cp_cmd_key(e))
			return CP_EX_CONFIG;
		*chosen = cp_xstrdup("");
		for (size_t i = 0; i < a->refs.n; i++) {
			char ref[CP_REF_LEN + 1], *more;
			struct cp_card c;
			int got;

			if (cp_cmd_reference(e, a->refs.v[i], ref)) {
				char clip[CP_MSG_CLIP];

				cp_error("'%s' is not a reference of ours: nothing exported",
					 cp_msg_clip(clip, a->refs.v[i]));
				return CP_EX_DATAERR;
			}
			if ((got = cp_card_find(&e->reg, ref, &c)) <= 0) {
				if (got == 0)
					cp_error("no document %s in the registry: nothing exported", ref);
				return got < 0 ? CP_EX_IOERR : CP_EX_NOINPUT;
			}
			got = strcmp(c.f[CP_CARD_CENTRE], a->centre);
			if (got)
				cp_error("%s is a document of centre %s, not %s: nothing exported", ref,
					 c.f[CP_CARD_CENTRE], a->centre);
			cp_card_release(&c);
			if (got)
				return CP_EX_DATAERR;
			if (strstr(*chosen, ref))
				continue; /* given twice */
			more = cp_xasprintf("%s%s%s", *chosen, len ? " " : "", ref);
			free(*chosen);
			*chosen = more;
			len++;
		}
		*selection = cp_xstrdup("references");
	}
	return 0;
}

static const char *what_chosen(const struct cp_download *d, char *buf, size_t n)
{
	if (!strcmp(d->selection, "awarded"))
		snprintf(buf, n, "awards made from %.10s to %s", d->chosen,
			 strlen(d->chosen) > 11 ? d->chosen + 11 : "");
	else
		snprintf(buf, n, "%s %s", !strcmp(d->selection, "batch") ? "batch"
					  : !strcmp(d->selection, "course-run") ? "course run"
										: "references",
			 d->chosen);
	return buf;
}

/* Where a document's digital copy is (caller frees). */
static char *copy_of(struct export *x, const struct cp_selected_doc *s)
{
	if (s->replacement)
		return cp_xasprintf("%s/digital/%s.pdf", x->e->spool.reprints, s->d.reference);
	return cp_xasprintf("%s/%s/digital/%s.pdf", x->e->spool.batches, s->batch, s->d.reference);
}

/* What would go in, counted before anything is recorded. */
static int count_doc(void *ctx, const struct cp_selected_doc *s)
{
	struct export *x = ctx;

	if (!strcmp(s->status, "valid"))
		x->documents++;
	else
		x->left_out++;
	return 0;
}

static int add_doc(void *ctx, const struct cp_selected_doc *s)
{
	struct export *x = ctx;
	char *path;
	int rc;

	if (strcmp(s->status, "valid")) {
		fprintf(x->left, "  %s  %-11s %s\n", s->d.reference, s->d.type, s->status);
		x->left_out++;
		return 0;
	}
	path = copy_of(x, s);
	if (access(path, R_OK) < 0) {
		cp_error("%s: the digital copy of %s is missing: nothing exported", path,
			 s->d.reference);
		free(path);
		x->rc = CP_EX_NOINPUT;
		return -1;
	}
	rc = cp_zipout_add_doc(&x->z, &s->d, path);
	free(path);
	if (rc < 0 || cp_manifest_row(x->manifest, &s->d) < 0)
		return -1;
	x->documents++;
	return 0;
}

/* README.txt: what was chosen, by whom, until when, and what was left out
 * (references and statuses only: the names are in the manifest). */
static char *readme(struct export *x, const char *expires, size_t *len)
{
	char what[256], *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	fprintf(f, "%s\n\ncentre:      %s\nchosen:      %s\n", x->d.file, x->d.centre,
		what_chosen(&x->d, what, sizeof(what)));
	if (x->d.description && *x->d.description)
		fprintf(f, "description: %s\n", x->d.description);
	fprintf(f, "made by:     %s, %s (UTC)\nexpires:     %s (UTC)\n"
		   "documents:   %ld (certificates/, transcripts/, letters/; manifest.csv has a "
		   "row for each)\n\n"
		   "Only documents valid on %s are in this export: a revoked, superseded or\n"
		   "expired document, or one not issued yet, is left out. The QR code on each\n"
		   "document, or its reference at the verification page, says whether it is\n"
		   "still valid.\n",
		x->d.created_by, x->d.created, expires, x->documents, x->today);
	fprintf(f, "\nleft out: %ld\n", x->left_out);
	fflush(x->left);
	if (x->llen)
		fwrite(x->lbuf, 1, x->llen, f);
	fclose(f);
	return buf;
}

static int build(struct export *x, char *password)
{
	char expires[32], sha[CP_SHA256_HEX];
	time_t now = cp_clock_now();
	struct stat st;
	size_t rlen;
	char *r;

	cp_utc_stamp(now + (time_t)x->e->conf.retention_hours * 3600, expires, sizeof(expires));
	x->documents = x->left_out = 0;
	x->manifest = open_memstream(&x->mbuf, &x->mlen);
	x->left = open_memstream(&x->lbuf, &x->llen);
	cp_manifest_header(x->manifest);
	if (cp_zipout_open(&x->z, x->final, password) < 0)
		return CP_EX_CANTCREAT;
	if (cp_documents_selected_each(&x->e->reg, x->d.centre, x->d.selection, x->d.chosen,
				       x->today, add_doc, x) < 0) {
		cp_zipout_abort(&x->z);
		return x->rc ? x->rc : CP_EX_IOERR;
	}
	fclose(x->manifest);
	x->manifest = NULL;
	r = readme(x, expires, &rlen);
	/* the zip frees the buffers it is given */
	if (cp_zipout_add_buffer(&x->z, "manifest.csv", x->mbuf, x->mlen, false) < 0) {
		x->mbuf = NULL;
		free(r);
		cp_zipout_abort(&x->z);
		return CP_EX_SOFTWARE;
	}
	x->mbuf = NULL;
	if (cp_zipout_add_buffer(&x->z, "README.txt", r, rlen, false) < 0) {
		cp_zipout_abort(&x->z);
		return CP_EX_SOFTWARE;
	}
	if (cp_zipout_commit(&x->z) < 0)
		return cp_exit_for_errno(CP_EX_CANTCREAT, cp_output_errno());
	if (stat(x->final, &st) < 0 || cp_sha256_file(x->final, sha) < 0 ||
	    cp_download_finish(&x->e->reg, x->d.centre, x->d.file, expires, sha,
			       (long long)st.st_size, x->documents, x->left_out) < 0)
		return CP_EX_IOERR; /* pending: running it again finishes it */
	printf("%s\n", x->final);
	cp_info("export %s of centre %s: %ld documents, %ld left out (not valid), %lld bytes, "
		"expires %s", x->d.file, x->d.centre, x->documents, x->left_out,
		(long long)st.st_size, expires);
	return CP_EX_OK;
}

/* The row to build: a new one, one expired or failed made again, or one a
 * crash left pending (with the same choice). 0, or the exit code. */
static int claim(struct export *x, const struct cp_download *want)
{
	struct cp_download had;
	int got = cp_download_find(&x->e->reg, want->centre, want->file, &had);

	if (got < 0)
		return CP_EX_IOERR;
	if (got && !strcmp(had.status, "pending")) {
		char a[256], b[256];

		if (strcmp(had.selection, want->selection) || strcmp(had.chosen, want->chosen)) {
			cp_error("export %s of centre %s was stopped while it was made, with another"
				 " choice (%s): run that again to finish it, or choose another name",
				 want->file, want->centre, what_chosen(&had, a, sizeof(a)));
			cp_download_release(&had);
			return CP_EX_DATAERR;
		}
		cp_info("export %s of centre %s was stopped while it was made (%s): finishing it",
			want->file, want->centre, what_chosen(&had, b, sizeof(b)));
		x->d = had; /* its own time and user */
		return 0;
	}
	if (got && !strcmp(had.status, "finished")) {
		cp_error("export %s of centre %s exists (made by %s, expires %s): choose another "
			 "name, or make it again once it has expired", want->file, want->centre,
			 had.created_by, had.expires);
		cp_download_release(&had);
		return CP_EX_DATAERR;
	}
	if (got)
		cp_download_release(&had);
	if ((got = cp_download_begin(&x->e->reg, want)) <= 0)
		return got < 0 ? CP_EX_IOERR : CP_EX_TEMPFAIL;
	x->d = (struct cp_download){
		cp_xstrdup(want->centre), cp_xstrdup(want->file),
		want->description ? cp_xstrdup(want->description) : NULL,
		cp_xstrdup(want->selection), cp_xstrdup(want->chosen), cp_xstrdup(want->created_by),
		cp_xstrdup(want->created), NULL, cp_xstrdup("pending"),
	};
	return 0;
}

/* Under the centre's lock: the row claimed, the zip built. */
static int export_locked(struct export *x, const struct cp_download *want)
{
	char *password = NULL;
	int rc;

	cp_atomic_sweep(x->dir); /* a crashed export's temp zip: we hold the lock */
	x->documents = x->left_out = 0;
	if (cp_documents_selected_each(&x->e->reg, want->centre, want->selection, want->chosen,
				       x->today, count_doc, x) < 0)
		return CP_EX_IOERR;
	if (!x->documents) {
		struct cp_download had;

		cp_error("no valid document of centre %s matches (%ld that are not valid): "
			 "nothing exported", want->centre, x->left_out);
		/* one a crash left pending has nothing left to finish with */
		if (cp_download_find(&x->e->reg, want->centre, want->file, &had) > 0) {
			if (!strcmp(had.status, "pending") && !strcmp(had.selection, want->selection) &&
			    !strcmp(had.chosen, want->chosen))
				cp_download_fail(&x->e->reg, want->centre, want->file);
			cp_download_release(&had);
		}
		return CP_EX_DATAERR;
	}
	if ((rc = claim(x, want)))
		return rc;
	if (cp_zipout_password(&x->e->reg, &x->e->conf, x->d.centre, &password) < 0)
		rc = CP_EX_CONFIG;
	else
		rc = build(x, password);
	cp_zipout_password_free(password);
	/* a crash leaves it pending; an error that running it again would meet
	 * as well leaves it failed, so the name can be used again at once */
	if (rc != CP_EX_OK && rc != CP_EX_IOERR)
		cp_download_fail(&x->e->reg, x->d.centre, x->d.file);
	return rc;
}

int cp_cmd_export(int argc, char **argv, const char *config)
{
	struct export_args a = { 0 };
	struct cp_cmd_env e = { 0 };
	struct export x = { .e = &e };
	struct cp_download want = { 0 };
	char by[CP_WHO_SIZE], stamp[32];
	const char *why;
	size_t n;
	int first, rc, fd = -1, got;

	if ((rc = cp_cmd_args(&cp_export_line, argc, argv, &a, &first)) != CP_CMD_GO)
		goto out;
	if ((rc = cp_who(a.by, by, sizeof(by))))
		goto out;
	if ((why = cp_spool_file_name_refused(a.name))) {
		char *shown = cp_utf8_safe_name(a.name, 120); /* a name as data: %XX */

		cp_error("export name '%s' refused: %s (a file name, not a path)", shown, why);
		free(shown);
		rc = CP_EX_DATAERR;
		goto out;
	}
	if (!cp_spool_name_ok(a.centre)) {
		cp_error("'%s' is not a centre number", a.centre);
		rc = CP_EX_DATAERR;
		goto out;
	}
	if (a.description && !cp_cmd_reason_ok(a.description)) {
		cp_error("--description takes 1 to 500 characters without control characters");
		rc = CP_EX_USAGE;
		goto out;
	}
	if ((rc = cp_cmd_conf(&e, config)) || (rc = cp_cmd_registry(&e)) ||
	    (rc = cp_cmd_spool(&e)) || (rc = choose(&e, &a, &want.selection, &want.chosen)))
		goto out;
	n = strlen(a.name);
	want.centre = (char *)a.centre;
	want.file = n > 4 && !strcasecmp(a.name + n - 4, ".zip") ? cp_xstrdup(a.name)
								    : cp_xasprintf("%s.zip", a.name);
	want.description = (char *)a.description;
	want.created_by = by;
	want.created = cp_utc_stamp(cp_clock_now(), stamp, sizeof(stamp));
	cp_date_format(cp_date_today(), x.today);
	x.dir = cp_xasprintf("%s/%s", e.spool.downloads, a.centre);
	x.final = cp_xasprintf("%s/%s", x.dir, want.file);
	if (cp_mkdirs(x.dir) < 0) {
		rc = CP_EX_CANTCREAT;
		goto out;
	}
	if ((got = cp_batch_lock(x.dir, a.centre, &fd)) != 0) {
		if (got > 0)
			cp_error("another export of centre %s is being made: try again", a.centre);
		rc = got > 0 ? CP_EX_TEMPFAIL : CP_EX_IOERR;
		goto out;
	}
	rc = export_locked(&x, &want);
out:
	if (fd >= 0)
		close(fd);
	if (x.manifest)
		fclose(x.manifest);
	if (x.left)
		fclose(x.left);
	free(x.mbuf);
	free(x.lbuf);
	cp_download_release(&x.d);
	free(x.dir);
	free(x.final);
	free(want.selection);
	free(want.chosen);
	free(want.file);
	cp_opts_release(&cp_export_line, &a);
	cp_cmd_env_release(&e);
	return rc;
}
