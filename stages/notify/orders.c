/* certpress-notify orders: the emails orders owe their learners and
 * centres (an order placed, an order dispatched: registry/orders.h) and
 * the centres' dispatch emails of their runs' consignments
 * (registry/centremails.h), with the batch emails' rules: the intent
 * recorded (one more attempt) before a message is handed to the transport
 * and its outcome after, in chunks of per-session; a message recorded
 * sent, failed or not notifiable is never sent again, and one whose
 * attempts are used up fails unsent; what a killed run left 'intent' is
 * settled first by the handover journal (spool/orders.journal, handover.h). One run at a time (an flock on the
 * spool's orders.lock). A centre's address is the centres register's,
 * else the one in its latest results file accepted. */
#include "notify.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "centres.h"
#include "doctype.h"
#include "registry.h"
#include "util/exitcode.h"
#include "util/msg.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* A message due: the learner's (id the order's, with event) or a centre's
 * (id its centre_emails row). */
struct order_mail {
	long long id;
	char *event;
	bool centre;
	struct cp_mail m;
};

struct orders {
	const struct cp_conf *conf;
	struct cp_registry reg;
	struct cp_centres centres;
	struct cp_mail_template placed, dispatched, centre_placed, centre_dispatched,
		consignment_dispatched;
	char *domain;
	struct order_mail *due;
	size_t n;
	long sent, deferred, failed, not_notifiable;
	bool unreachable, closed;
	struct cp_handover handover;
};

static const char *const delivery_words[][2] = {
	{ "second-class-signed", "second class signed for post" },
	{ "first-class-signed", "first class signed for post" },
	{ "courier", "courier" },
	{ "collection", "collection from your centre" },
};

static const char *delivery_text(const char *m)
{
	for (size_t i = 0; m && i < sizeof(delivery_words) / sizeof(*delivery_words); i++)
		if (!strcmp(delivery_words[i][0], m))
			return delivery_words[i][1];
	return m;
}

static int record(struct orders *o, const struct order_mail *om, const char *to,
		  const char *message_id, const char *status, const char *reply, int attempt)
{
	if (om->centre)
		return cp_centre_email_record(&o->reg, om->id, to, message_id, status, reply,
					      attempt);
	return cp_order_email_record(&o->reg, om->id, om->event, to, message_id, status, reply,
				     attempt);
}

static struct order_mail *due_add(struct orders *o, long long id, const char *event,
				  bool centre)
{
	struct order_mail *om;

	o->due = cp_xrealloc(o->due, (o->n + 1) * sizeof(*o->due));
	om = &o->due[o->n++];
	memset(om, 0, sizeof(*om));
	om->id = id;
	om->event = cp_xstrdup(event);
	om->centre = centre;
	return om;
}

/* One email due: composed now, or recorded as never to be sent. */
static int take(void *ctx, const struct cp_order_email *e)
{
	struct orders *o = ctx;
	struct cp_values v = { 0 };
	char id[24], *full;
	const struct cp_mail_template *t = !strcmp(e->event, "placed") ? &o->placed
									 : &o->dispatched;
	struct order_mail *om;

	if (!e->email || !*e->email || !cp_mail_address_ok(e->email)) {
		o->not_notifiable++;
		return cp_order_email_record(&o->reg, e->order_id, e->event, NULL, NULL,
					     "not-notifiable", "no usable address", 0);
	}
	if (e->attempts >= o->conf->mail_max_attempts) {
		/* crashes used its attempts up ('intent', or deferred by the
		 * handover journal with its outcome unknown): never sent again */
		o->failed++;
		return cp_order_email_record(&o->reg, e->order_id, e->event, NULL, NULL, "failed",
					     "gave up: attempts used up", 0);
	}
	snprintf(id, sizeof(id), "%lld", e->order_id);
	full = cp_bind_full_name(e->first_name, e->middle_names, e->last_name);
	v.v[CP_B_AWARDING_BODY] = o->conf->awarding_body;
	v.v[CP_B_FULL_NAME] = full;
	v.v[CP_B_FIRST_NAME] = e->first_name;
	v.v[CP_B_ENROLMENT] = e->enrolment;
	/* a proof letter lists every award, not only the one it is kept under */
	v.v[CP_B_QUAL_TITLE] = strcmp(e->type, "proof-letter") ? e->title : "every award on record";
	v.v[CP_B_CENTRE_NAME] = e->centre_name;
	v.v[CP_B_REFERENCE] = e->reference;
	v.v[CP_B_DOC_TYPE] = cp_doctype_of(e->type)->title;
	v.v[CP_B_REPLACES] = e->replaces;
	v.v[CP_B_ORDER_ID] = id;
	v.v[CP_B_ORDER_DELIVERY] = delivery_text(e->delivery);
	v.v[CP_B_ORDER_TRACKING] = e->tracking;
	om = due_add(o, e->order_id, e->event, false);
	om->m.key = cp_xasprintf("order %lld (%s)", e->order_id, e->event);
	om->m.to = cp_xstrdup(e->email);
	/* stable: a resend of the same message carries the same id */
	om->m.message_id = cp_xasprintf("%s.order-%s@%s", e->reference, e->event, o->domain);
	om->m.text = cp_mail_compose(o->conf, t, &v, full, e->email, om->m.message_id);
	free(full);
	return 0;
}

/* The centre's address: the register's, else its latest results file's
 * (NULL: none); *from says which, for a message. */
static const char *centre_address(const struct cp_centre_email *e, const struct cp_centre *c,
				  const char **from)
{
	*from = "the centres register";
	if (c && c->email)
		return c->email;
	*from = "its latest results file";
	return e->results_email && *e->results_email ? e->results_email : NULL;
}

/* A centre email that is not to be sent: no address (the warning is said
 * once, as it is recorded: the operator adds the address), one notify
 * cannot use, or its attempts used up by crashes. 1 recorded so, 0 to be
 * sent, -1 error. */
static int centre_unsendable(struct orders *o, const struct cp_centre_email *e, const char *to,
			     const char *from, const char *what)
{
	struct order_mail om = { .id = e->id, .centre = true };

	if (!to) {
		cp_warn("centre '%s': no email address (centres register, results files): %s "
			"not emailed to the centre", e->centre, what);
		o->not_notifiable++;
		return record(o, &om, NULL, NULL, "not-notifiable",
			      "no centre address (centres register, results files)", 0) < 0 ? -1 : 1;
	}
	if (!cp_mail_address_ok(to)) {
		/* only a results file's can be: the register's is checked as read */
		cp_error("centre '%s': email address in %s not usable (a control character, a "
			 "space, or not one plain address): %s not emailed to the centre",
			 e->centre, from, what);
		o->failed++;
		return record(o, &om, NULL, NULL, "failed",
			      "the centre's address is not one this sender can use", 0) < 0 ? -1 : 1;
	}
	if (e->attempts >= o->conf->mail_max_attempts) { /* as take()'s */
		o->failed++;
		return record(o, &om, NULL, NULL, "failed", "gave up: attempts used up", 0) < 0 ? -1
												 : 1;
	}
	return 0;
}

/* One centre email due: composed now, or recorded as never to be sent. */
static int take_centre(void *ctx, const struct cp_centre_email *e)
{
	struct orders *o = ctx;
	const struct cp_centre *c = cp_centres_find(&o->centres, e->centre);
	const char *from, *to = centre_address(e, c, &from);
	const struct cp_mail_template *t;
	struct cp_values v = { 0 };
	char what[96], id[24], docs[24];
	struct order_mail *om;
	int rc;

	if (e->order_id)
		snprintf(what, sizeof(what), "order %lld (%s)", e->order_id, e->event);
	else
		snprintf(what, sizeof(what), "consignment %s of print batch %s (dispatched)",
			 e->consignment, e->print_batch);
	if ((rc = centre_unsendable(o, e, to, from, what)) != 0)
		return rc < 0 ? -1 : 0;
	v.v[CP_B_AWARDING_BODY] = o->conf->awarding_body;
	v.v[CP_B_CENTRE_NUMBER] = e->centre;
	v.v[CP_B_CENTRE_NAME] = c ? c->name : e->centre_name;
	v.v[CP_B_ORDER_DELIVERY] = delivery_text(e->delivery);
	v.v[CP_B_ORDER_TRACKING] = e->tracking;
	om = due_add(o, e->id, e->event, true);
	if (e->order_id) {
		/* what the centre needs to know which learner's order it is and
		 * nothing more: the enrolment, never the name or the address */
		snprintf(id, sizeof(id), "%lld", e->order_id);
		v.v[CP_B_ORDER_ID] = id;
		v.v[CP_B_ENROLMENT] = e->enrolment;
		v.v[CP_B_QUAL_TITLE] = strcmp(e->type, "proof-letter") ? e->title
								  : "every award on record";
		v.v[CP_B_REFERENCE] = e->reference;
		v.v[CP_B_DOC_TYPE] = cp_doctype_of(e->type)->title;
		v.v[CP_B_REPLACES] = e->replaces;
		t = !strcmp(e->event, "placed") ? &o->centre_placed : &o->centre_dispatched;
		om->m.message_id = cp_xasprintf("%s.centre-order-%s@%s", e->reference, e->event,
						o->domain);
	} else {
		snprintf(docs, sizeof(docs), "%ld", e->documents);
		v.v[CP_B_PRINT_BATCH] = e->print_batch;
		v.v[CP_B_CONSIGNMENT_ID] = e->consignment;
		v.v[CP_B_CONSIGNMENT_DISPATCHED] = e->dispatched;
		v.v[CP_B_CONSIGNMENT_DOCUMENTS] = docs;
		t = &o->consignment_dispatched;
		om->m.message_id = cp_xasprintf("%s.%s.centre-dispatched@%s", e->print_batch,
						e->consignment, o->domain);
	}
	om->m.key = cp_xasprintf("centre '%s': %s", e->centre, what);
	om->m.to = cp_xstrdup(to);
	om->m.text = cp_mail_compose(o->conf, t, &v, c ? c->name : "", to, om->m.message_id);
	return 0;
}

static void release_due(struct orders *o)
{
	for (size_t i = 0; i < o->n; i++) {
		free(o->due[i].event);
		free(o->due[i].m.key);
		free(o->due[i].m.to);
		free(o->due[i].m.message_id);
		free(o->due[i].m.text);
	}
	free(o->due);
	o->due = NULL;
	o->n = 0;
}

/* Intent, send, outcome for due[from, from + k). */
static int send_chunk(struct orders *o, size_t from, size_t k)
{
	struct cp_mail *m = cp_xcalloc(k, sizeof(*m));
	int rc = 0;

	if (cp_registry_begin(&o->reg) < 0) {
		free(m);
		return -1;
	}
	for (size_t i = 0; i < k && !rc; i++)
		rc = record(o, &o->due[from + i], o->due[from + i].m.to,
			    o->due[from + i].m.message_id, "intent", NULL, 1);
	if (rc || cp_registry_commit(&o->reg) < 0) {
		cp_registry_rollback(&o->reg);
		free(m);
		return -1;
	}
	for (size_t i = 0; i < k; i++) {
		m[i] = o->due[from + i].m;
		m[i].handover = &o->handover;
	}
	switch (cp_mail_send(o->conf, m, k)) {
	case CP_MAIL_UNREACHABLE:
		o->unreachable = true;
		break;
	case CP_MAIL_CLOSED:
		o->closed = true;
		break;
	case CP_MAIL_DONE:
		break;
	}
	if (cp_registry_begin(&o->reg) < 0) {
		free(m);
		return -1;
	}
	for (size_t i = 0; i < k && !rc; i++) {
		const char *status = "deferred";
		char reply[300];
		int attempt = 0;

		snprintf(reply, sizeof(reply), "%d %s", m[i].code, m[i].reply);
		if (!m[i].attempted) {
			attempt = -1; /* never handed over: the attempt is given back */
			o->deferred++;
		} else if (m[i].code / 100 == 2) {
			status = "sent";
			o->sent++;
		} else if (m[i].code / 100 == 5) {
			status = "failed";
			o->failed++;
			cp_warn("%s: refused by the server (%d)", m[i].key, m[i].code);
		} else {
			o->deferred++;
		}
		rc = record(o, &o->due[from + i], NULL, NULL, status, reply, attempt);
	}
	free(m);
	if (rc || cp_registry_commit(&o->reg) < 0) {
		cp_registry_rollback(&o->reg);
		return -1;
	}
	return cp_handover_clear(&o->handover);
}

static int settle(struct cp_registry *reg, void *ctx, struct cp_intents *in)
{
	struct cp_intents centres = *in;

	(void)ctx;
	if (cp_order_emails_settle(reg, in) < 0 || cp_centre_emails_settle(reg, &centres) < 0)
		return -1;
	in->accepted_n += centres.accepted_n;
	in->unknown += centres.unknown;
	in->given_back += centres.given_back;
	return 0;
}

/* The handover journal opened, and what a stopped run left 'intent'
 * settled by it, before any new intent. */
static int recover(struct orders *o)
{
	char *path = cp_xasprintf("%s/orders.journal", o->conf->spool);
	int rc = cp_handover_open(&o->handover, path);

	free(path);
	if (!rc)
		rc = cp_handover_recover(&o->handover, &o->reg, settle, o);
	return rc;
}

static int lock_orders(const struct cp_conf *conf)
{
	char *path = cp_xasprintf("%s/orders.lock", conf->spool);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);

	if (fd < 0)
		cp_error("%s: cannot open: %m", path);
	else if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		cp_error("%s: another certpress-notify orders is at work", path);
		close(fd);
		fd = -2;
	}
	free(path);
	return fd;
}

int cp_notify_orders(const struct cp_conf *conf, FILE *out)
{
	struct orders o = { .conf = conf, .handover.fd = -1 };
	const char *at = strrchr(conf->mail_from, '@');
	int rc = CP_EX_OK, lock;
	char *schema;
	size_t per = conf->mail_per_session > 0 ? (size_t)conf->mail_per_session : 100;

	signal(SIGPIPE, SIG_IGN);
	if ((lock = lock_orders(conf)) < 0)
		return lock == -2 ? CP_EX_TEMPFAIL : CP_EX_CANTCREAT;
	o.domain = cp_xstrdup(at ? at + 1 : "certpress.invalid");
	o.domain[strcspn(o.domain, ">")] = '\0';
	if (cp_mail_template_load(&o.placed, conf->layouts, "order-placed") < 0 ||
	    cp_mail_template_load(&o.dispatched, conf->layouts, "order-dispatched") < 0 ||
	    cp_mail_template_load(&o.centre_placed, conf->layouts, "centre-order-placed") < 0 ||
	    cp_mail_template_load(&o.centre_dispatched, conf->layouts,
				  "centre-order-dispatched") < 0 ||
	    cp_mail_template_load(&o.consignment_dispatched, conf->layouts,
				  "centre-consignment-dispatched") < 0) {
		rc = CP_EX_CONFIG;
		goto out;
	}
	schema = cp_xasprintf("%s/centres.xsd", conf->schemas);
	rc = cp_centres_load(&o.centres, conf->centres, schema);
	free(schema);
	if (rc)
		goto out;
	if (cp_registry_open(&o.reg, conf->registry) < 0) {
		rc = CP_EX_CANTCREAT;
		goto out;
	}
	if (recover(&o) < 0) {
		rc = CP_EX_IOERR;
		goto out;
	}
	if (cp_registry_begin(&o.reg) < 0 || cp_order_emails_due(&o.reg, take, &o) < 0 ||
	    cp_centre_emails_due(&o.reg, take_centre, &o) < 0 || cp_registry_commit(&o.reg) < 0) {
		cp_registry_rollback(&o.reg);
		rc = CP_EX_IOERR;
		goto out;
	}
	for (size_t i = 0; i < o.n && !o.unreachable && !o.closed; i += per)
		if (send_chunk(&o, i, o.n - i < per ? o.n - i : per) < 0) {
			rc = CP_EX_IOERR;
			goto out;
		}
	if (o.unreachable)
		rc = CP_EX_UNAVAILABLE;
	else if (o.closed || o.deferred)
		rc = CP_EX_TEMPFAIL;
	cp_info("order emails: %ld sent, %ld deferred, %ld failed, %ld not notifiable", o.sent,
		o.deferred, o.failed, o.not_notifiable);
	fprintf(out, "orders %ld sent\n", o.sent);
out:
	release_due(&o);
	cp_mail_template_release(&o.placed);
	cp_mail_template_release(&o.dispatched);
	cp_mail_template_release(&o.centre_placed);
	cp_mail_template_release(&o.centre_dispatched);
	cp_mail_template_release(&o.consignment_dispatched);
	cp_centres_release(&o.centres);
	cp_registry_close(&o.reg);
	cp_handover_close(&o.handover);
	free(o.domain);
	close(lock);
	return rc;
}
