/* certpress downloads: the portals' "Document Downloads" list: every
 * centre zip there is, the nightly ones (type batch) and those made on
 * demand by certpress export (batch, or selection), with name,
 * description, type, status, created, expiration time, size and who made
 * it; --centre one centre's, --json for scripts. */
#include "cmd.h"

#include <stdio.h>
#include <string.h>

#include "util/exitcode.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/banned.h"

struct downloads_args {
	const char *centre;
	bool json;
};

static const struct cp_opt opts[] = {
	CP_OPT_VALUE_OF(struct downloads_args, centre, "centre", "C", "one centre's downloads"),
	CP_OPT_FLAG_OF(struct downloads_args, json, "json", "the list in JSON, for scripts"),
	CP_OPT_HELP_ROW,
	CP_OPTS_END,
};
const struct cp_cmdline cp_downloads_line = { "downloads", NULL, opts, NULL, 0, 0, 0 };

struct listing {
	bool json;
	int first;
};

/* The status as the portals show it: Pending, Finished, Expired, Failed. */
static const char *shown(const char *status, char *buf, size_t n)
{
	snprintf(buf, n, "%s", status);
	if (*buf >= 'a' && *buf <= 'z')
		*buf = (char)(*buf - 'a' + 'A');
	return buf;
}

static int row(void *ctx, const struct cp_download_row *d)
{
	struct listing *l = ctx;
	char st[16], size[24];

	if (l->json) {
		int f = 1;

		fputs(l->first ? "{" : ",{", stdout);
		cp_json_field(stdout, &f, "name", d->name);
		cp_json_field(stdout, &f, "description", d->description);
		cp_json_field(stdout, &f, "type", d->type);
		cp_json_field(stdout, &f, "status", d->status);
		cp_json_field(stdout, &f, "created", d->created);
		cp_json_field(stdout, &f, "expires", *d->expires ? d->expires : NULL);
		if (d->bytes >= 0)
			printf(",\"bytes\":%lld", d->bytes);
		else
			fputs(",\"bytes\":null", stdout);
		cp_json_field(stdout, &f, "centre", d->centre);
		cp_json_field(stdout, &f, "batch", *d->batch ? d->batch : NULL);
		cp_json_field(stdout, &f, "created_by", *d->created_by ? d->created_by : NULL);
		cp_json_field(stdout, &f, "swept_by", *d->swept_by ? d->swept_by : NULL);
		fputc('}', stdout);
	} else {
		if (l->first)
			printf("%-40s %-9s %-8s %-20s %-20s %10s %-10s %-20s %-20s %s\n", "NAME",
			       "TYPE", "STATUS", "CREATED", "EXPIRES", "SIZE", "CENTRE", "CREATED BY",
			       "SWEPT BY", "DESCRIPTION");
		if (d->bytes >= 0)
			snprintf(size, sizeof(size), "%lld", d->bytes);
		else
			snprintf(size, sizeof(size), "-");
		printf("%-40s %-9s %-8s %-20s %-20s %10s %-10s %-20s %-20s %s\n", d->name, d->type,
		       shown(d->status, st, sizeof(st)), d->created, *d->expires ? d->expires : "-",
		       size, d->centre, *d->created_by ? d->created_by : "-",
		       *d->swept_by ? d->swept_by : "-", d->description);
	}
	l->first = 0;
	return 0;
}

int cp_cmd_downloads(int argc, char **argv, const char *config)
{
	struct downloads_args a = { NULL, false };
	struct cp_cmd_env e = { 0 };
	struct listing l;
	int first, rc;

	if ((rc = cp_cmd_args(&cp_downloads_line, argc, argv, &a, &first)) != CP_CMD_GO)
		return rc;
	l.json = a.json;
	l.first = 1;
	if ((rc = cp_cmd_conf(&e, config)) || (rc = cp_cmd_registry_read(&e)))
		goto out;
	if (a.json)
		fputs("[", stdout);
	if (cp_downloads_each(&e.reg, a.centre, row, &l) < 0)
		rc = CP_EX_IOERR;
	if (a.json)
		fputs("]\n", stdout);
out:
	cp_cmd_env_release(&e);
	return rc;
}
