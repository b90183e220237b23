// SPDX-License-Identifier: GPL-2.0-or-later
/* lv-conn.c: libvirt connections: the user's credentials, noticing a lost connection, reconnecting in the background. */
#include "config.h"

#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libvirt/virterror.h>
#include <libxml/uri.h>
#include <libxml/xmlerror.h>

#include "backend/libvirt/lv-priv.h"
#include "backend/libvirt/lv-xml.h"
#include "src/lib/log.h"
#include "src/lib/util.h"

/* Reconnect attempts: the first a second after the loss, then twice as late each time. */
#define LV_RETRY_FIRST_S 1
#define LV_RETRY_MAX_S 60
/* Keepalive: a peer silent for 5 s x (3 + 1) counts as gone. */
#define LV_KEEPALIVE_S 5
#define LV_KEEPALIVE_COUNT 3

static pthread_once_t lv_once = PTHREAD_ONCE_INIT;
static bool lv_loop_ok;

/* libvirt prints errors to stderr by default; vmtui reports them itself. */
static void lv_error_quiet(void *opaque, virErrorPtr e)
{
	if (e && e->message)
		LOG_DEBUG("libvirt: %s", e->message);
}

/*
 * libxml2 (which libvirt parses with, in this process) prints some
 * problems, such as a missing file, straight to stderr: under the UI that
 * would scribble on the screen, so they go to the log.
 */
static void lv_xml_quiet(void *ctx, const char *fmt, ...)
{
	char msg[512];
	size_t len;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	len = strlen(msg);
	while (len && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
		msg[--len] = '\0';
	if (len)
		LOG_DEBUG("libxml2: %s", msg);
}

static void *lv_event_thread(void *arg)
{
	for (;;)
		if (virEventRunDefaultImpl() < 0)
			LOG_ERROR("libvirt event loop: %s", virGetLastErrorMessage());
	return NULL;
}

/* One event loop thread for the whole process: events, streams, keepalive. */
static void lv_init_once(void)
{
	pthread_t t;

	virSetErrorFunc(NULL, lv_error_quiet);
	xmlSetGenericErrorFunc(NULL, lv_xml_quiet);
	xmlThrDefSetGenericErrorFunc(NULL, lv_xml_quiet);
	if (virEventRegisterDefaultImpl() < 0)
		return;
	if (pthread_create(&t, NULL, lv_event_thread, NULL) == 0) {
		pthread_detach(t);
		lv_loop_ok = true;
	}
}

bool lv_event_loop_ok(void)
{
	return lv_loop_ok;
}

void lv_ref(struct lv_conn *lv)
{
	atomic_fetch_add(&lv->refs, 1);
}

void lv_unref(struct lv_conn *lv)
{
	if (atomic_fetch_sub(&lv->refs, 1) != 1)
		return;
	pthread_cond_destroy(&lv->cond);
	pthread_mutex_destroy(&lv->lock);
	free(lv->cache);
	free(lv->domain_type);
	free(lv->uri);
	free(lv);
}

void lv_unref_cb(void *opaque)
{
	lv_unref(opaque);
}

void lv_post_locked(struct lv_conn *lv, const struct backend_event *ev)
{
	if (!lv->closing)
		backend_event_post(lv->be, ev);
}

/* The credential types vmtui can ask the user for. */
static int lv_cred_types[] = {
	VIR_CRED_AUTHNAME, VIR_CRED_USERNAME, VIR_CRED_ECHOPROMPT,
	VIR_CRED_REALM, VIR_CRED_PASSPHRASE, VIR_CRED_NOECHOPROMPT,
};

/*
 * One virConnectOpenAuth on a thread of its own, so that the caller can
 * give up on a host that never answers (libvirt's open has no deadline).
 * Shared by that thread and the caller: the last of them frees it. Its
 * fields below refs are under lv->lock.
 */
struct lv_opener {
	struct lv_conn *lv;	/* a reference of the opener's own */
	atomic_int refs;
	bool done;		/* the open returned: conn or err says how */
	bool abandoned;		/* the caller gave up: close what comes, ask nothing */
	virConnectPtr conn;
	struct vmt_error err;
};

/* Count an auth call in, unless the connection is being closed or the open given up. */
static bool lv_auth_enter(struct lv_opener *o)
{
	struct lv_conn *lv = o->lv;
	bool ok;

	pthread_mutex_lock(&lv->lock);
	ok = !lv->closing && !o->abandoned;
	if (ok)
		lv->in_auth++;
	pthread_mutex_unlock(&lv->lock);
	return ok;
}

static void lv_auth_leave(struct lv_conn *lv)
{
	pthread_mutex_lock(&lv->lock);
	lv->in_auth--;
	pthread_cond_broadcast(&lv->cond);
	pthread_mutex_unlock(&lv->lock);
}

static int lv_auth_ask(struct lv_opener *o, const char *question, bool echo,
		       char *answer, size_t len)
{
	struct lv_conn *lv = o->lv;
	int r;

	if (!lv->auth)
		return -ENOTTY;
	if (!lv_auth_enter(o))
		return -ECANCELED;
	r = lv->auth(lv->auth_opaque, question, echo, answer, len);
	lv_auth_leave(lv);
	return r;
}

/* Ask for one credential: the question is libvirt's prompt, tidied. */
static int lv_auth_one(struct lv_opener *o, virConnectCredentialPtr cred)
{
	bool echo = cred->type != VIR_CRED_PASSPHRASE && cred->type != VIR_CRED_NOECHOPROMPT;
	const char *base = cred->prompt && *cred->prompt ? cred->prompt
			   : echo ? "Username" : "Password";
	int blen = (int)strlen(base);
	char answer[1024] = "", *question;
	struct lv_conn *lv = o->lv;
	int r;

	while (blen > 0 && (base[blen - 1] == ' ' || base[blen - 1] == ':'))
		blen--;
	question = cred->defresult && *cred->defresult
		   ? xasprintf("%.*s [%s]: ", blen, base, cred->defresult)
		   : xasprintf("%.*s: ", blen, base);
	r = lv_auth_ask(o, question, echo, answer, sizeof(answer));
	free(question);
	if (r < 0) {
		/* A cancelled answer may hold half a password. */
		explicit_bzero(answer, sizeof(answer));
		pthread_mutex_lock(&lv->lock);
		snprintf(lv->auth_error, sizeof(lv->auth_error),
			 "it asks for credentials (%.*s) and %s", blen, base,
			 r == -ENOTTY ? "there is no terminal to ask for them on"
			 : r == -ECANCELED ? "the question was cancelled" : strerror(-r));
		pthread_mutex_unlock(&lv->lock);
		return -1;
	}
	if (!*answer && cred->defresult)
		snprintf(answer, sizeof(answer), "%s", cred->defresult);
	cred->result = xstrdup(answer);
	cred->resultlen = (unsigned)strlen(answer);
	explicit_bzero(answer, sizeof(answer));
	return 0;
}

static int lv_auth_cb(virConnectCredentialPtr cred, unsigned int ncred,
		      void *cbdata)
{
	for (unsigned i = 0; i < ncred; i++)
		if (lv_auth_one(cbdata, &cred[i]) < 0)
			return -1;
	return 0;
}

static void lv_opener_unref(struct lv_opener *o)
{
	if (atomic_fetch_sub(&o->refs, 1) != 1)
		return;
	lv_unref(o->lv);
	free(o);
}

/* Why the open failed, in the opener's thread, where libvirt keeps its last error. */
static void lv_opener_failed(struct lv_opener *o)
{
	struct lv_conn *lv = o->lv;
	char why[sizeof(lv->auth_error)];

	pthread_mutex_lock(&lv->lock);
	memcpy(why, lv->auth_error, sizeof(why));
	pthread_mutex_unlock(&lv->lock);
	if (*why)
		vmt_error_set(&o->err, -EACCES, "cannot connect to %s: %s", lv->uri, why);
	else
		lv_fail(&o->err, "cannot connect to %s", lv->uri);
}

static void *lv_opener_main(void *arg)
{
	struct lv_opener *o = arg;
	struct lv_conn *lv = o->lv;
	virConnectAuth auth = { lv_cred_types, ARRAY_SIZE(lv_cred_types), lv_auth_cb, o };
	virConnectPtr conn = LV_CALL(lv, virConnectOpenAuth(lv->uri, &auth, 0));
	bool abandoned;

	if (!conn)
		lv_opener_failed(o);
	pthread_mutex_lock(&lv->lock);
	o->conn = conn;
	o->done = true;
	abandoned = o->abandoned;
	pthread_cond_broadcast(&lv->cond);
	pthread_mutex_unlock(&lv->lock);
	/* Nobody waits for it any more: a late connection goes at once. */
	if (abandoned && conn)
		virConnectClose(conn);
	lv_opener_unref(o);
	return NULL;
}

/* The host a URI reaches, for "... did not answer" (the daemon itself when local). */
static char *lv_uri_host(const char *uri)
{
	xmlURIPtr u = xmlParseURI(uri);
	char *host = u && u->server && *u->server ? xstrdup(u->server) : xstrdup("libvirtd");

	xmlFreeURI(u);
	return host;
}

/*
 * Wait for o until the connect timeout; time spent asking the user for
 * credentials does not count (the clock starts again when they answer).
 * lv->lock held.
 */
static void lv_opener_wait_locked(struct lv_opener *o, unsigned timeout_s)
{
	struct lv_conn *lv = o->lv;
	uint64_t deadline = time_mono_ns() + timeout_s * 1000000000ull;

	while (!o->done) {
		struct timespec ts = time_mono_deadline(deadline);

		if (!timeout_s || lv->in_auth) {
			pthread_cond_wait(&lv->cond, &lv->lock);
			deadline = time_mono_ns() + timeout_s * 1000000000ull;
		} else if (time_mono_ns() >= deadline) {
			break;
		} else {
			pthread_cond_timedwait(&lv->cond, &lv->lock, &ts);
		}
	}
}

/* virConnectOpenAuth(lv->uri) within the connect timeout (backend_connect_timeout()). */
static virConnectPtr lv_open_within(struct lv_conn *lv, struct vmt_error *err)
{
	struct lv_opener *o = xcalloc(1, sizeof(*o));
	unsigned timeout_s = backend_connect_timeout();
	virConnectPtr conn = NULL;
	pthread_t t;

	o->lv = lv;
	lv_ref(lv);
	atomic_init(&o->refs, 2);
	if (pthread_create(&t, NULL, lv_opener_main, o) != 0) {
		atomic_init(&o->refs, 1);
		lv_opener_unref(o);
		vmt_error_set(err, -EAGAIN, "cannot connect to %s: no thread to open it on", lv->uri);
		return NULL;
	}
	pthread_detach(t);
	pthread_mutex_lock(&lv->lock);
	lv_opener_wait_locked(o, timeout_s);
	if (o->done) {
		conn = o->conn;
		if (!conn && err)
			*err = o->err;
	} else {
		char *host = lv_uri_host(lv->uri);

		o->abandoned = true;
		vmt_error_set(err, -ETIMEDOUT, "cannot connect to %s: %s did not answer within %u s",
			      lv->uri, host, timeout_s);
		free(host);
	}
	pthread_mutex_unlock(&lv->lock);
	lv_opener_unref(o);
	return conn;
}

static void lv_on_close(virConnectPtr conn, int reason, void *opaque);

/* Open lv->uri into link, asking for credentials through the backend's auth. */
static int lv_link_open(struct lv_conn *lv, struct lv_link *link,
			struct vmt_error *err)
{
	bool events;

	memset(link, 0, sizeof(*link));
	for (int i = 0; i < LV_EV_N; i++)
		link->ev[i] = -1;
	pthread_mutex_lock(&lv->lock);
	lv->auth_error[0] = '\0';
	pthread_mutex_unlock(&lv->lock);
	link->conn = lv_open_within(lv, err);
	if (!link->conn)
		return err ? err->code : -EIO;
	if (lv_loop_ok) {
		/* Drivers without keepalive (test:///, local ones) just say no. */
		LV_CALL(lv, virConnectSetKeepAlive(link->conn, LV_KEEPALIVE_S, LV_KEEPALIVE_COUNT));
		link->close_cb = LV_CALL(lv, virConnectRegisterCloseCallback(link->conn, lv_on_close,
									   lv, NULL)) == 0;
	}
	pthread_mutex_lock(&lv->lock);
	events = lv->events_wanted;
	pthread_mutex_unlock(&lv->lock);
	if (events && lv_events_register(lv, link, err) < 0)
		LOG_WARN("libvirt: %s: %s", lv->uri, err ? err->msg : "cannot watch events");
	return 0;
}

/* Let go of link; never with lv->lock held (libvirt may call back into us). */
static void lv_link_close(struct lv_link *link)
{
	if (!link->conn)
		return;
	lv_events_deregister(link);
	if (link->close_cb)
		virConnectUnregisterCloseCallback(link->conn, lv_on_close);
	virConnectClose(link->conn);
	memset(link, 0, sizeof(*link));
}

static void lv_wait_until_locked(struct lv_conn *lv, uint64_t when_ns)
{
	struct timespec ts = time_mono_deadline(when_ns);

	while (!lv->closing && time_mono_ns() < when_ns)
		pthread_cond_timedwait(&lv->cond, &lv->lock, &ts);
}

/* Try to open the connection again until it works or the backend closes. */
static void *lv_reconnect_thread(void *arg)
{
	struct lv_conn *lv = arg;
	unsigned delay = LV_RETRY_FIRST_S;
	struct backend_event ev = { .type = BACKEND_EVENT_RECONNECTED };
	struct vmt_error e;
	struct lv_link link;
	virConnectPtr opened = NULL;

	pthread_mutex_lock(&lv->lock);
	while (!lv->closing) {
		lv_wait_until_locked(lv, lv->next_try_ns);
		if (lv->closing)
			break;
		lv->next_try_ns = 0;
		pthread_mutex_unlock(&lv->lock);
		int r = lv_link_open(lv, &link, &e);

		pthread_mutex_lock(&lv->lock);
		if (r == 0 && lv->closing) {
			pthread_mutex_unlock(&lv->lock);
			lv_link_close(&link);
			pthread_mutex_lock(&lv->lock);
		} else if (r == 0) {
			opened = link.conn;
			virConnectRef(opened);
			lv->fresh = link;
			lv->have_fresh = true;
			lv->down = false;
			ev.reason = xasprintf("connection to %s is back", lv->uri);
			LOG_INFO("libvirt: %s", ev.reason);
			lv_post_locked(lv, &ev);
			free(ev.reason);
			break;
		} else {
			delay = delay * 2 > LV_RETRY_MAX_S ? LV_RETRY_MAX_S : delay * 2;
			lv->next_try_ns = time_mono_ns() + delay * 1000000000ull;
			LOG_INFO("libvirt: reconnecting to %s failed (%s); next try in %u s",
				 lv->uri, e.msg, delay);
		}
	}
	lv->reconnecting = false;
	pthread_mutex_unlock(&lv->lock);
	/*
	 * A link that died before it was known as fresh had its close callback
	 * ignored: tell the connection now, as the callback would have.
	 */
	if (opened) {
		if (virConnectIsAlive(opened) != 1)
			lv_on_close(opened, VIR_CONNECT_CLOSE_REASON_EOF, lv);
		virConnectClose(opened);
	}
	lv_unref(lv);
	return NULL;
}

/* The connection is gone: say so and start reconnecting. lv->lock held. */
static void lv_lost_locked(struct lv_conn *lv, const char *why)
{
	struct backend_event ev = { .type = BACKEND_EVENT_DISCONNECTED };
	pthread_t t;

	lv->down = true;
	lv->next_try_ns = time_mono_ns() + LV_RETRY_FIRST_S * 1000000000ull;
	ev.reason = xasprintf("connection to %s lost: %s", lv->uri, why);
	LOG_WARN("libvirt: %s", ev.reason);
	lv_post_locked(lv, &ev);
	free(ev.reason);
	if (lv->reconnecting || lv->closing)
		return;
	lv_ref(lv);
	if (pthread_create(&t, NULL, lv_reconnect_thread, lv) != 0) {
		LOG_ERROR("libvirt: cannot start a thread to reconnect to %s", lv->uri);
		atomic_fetch_sub(&lv->refs, 1);	/* the user still holds one */
		return;
	}
	pthread_detach(t);
	lv->reconnecting = true;
}

static const char *lv_close_reason(int reason)
{
	switch (reason) {
	case VIR_CONNECT_CLOSE_REASON_ERROR: return "a read or write error";
	case VIR_CONNECT_CLOSE_REASON_EOF: return "the other end closed it (libvirtd stopped?)";
	case VIR_CONNECT_CLOSE_REASON_KEEPALIVE: return "no keepalive answer (host or network down?)";
	case VIR_CONNECT_CLOSE_REASON_CLIENT: return "closed by this program";
	default: return "for an unknown reason";
	}
}

/* On libvirt's event thread: the connection in use, or a fresh one, died. */
static void lv_on_close(virConnectPtr conn, int reason, void *opaque)
{
	struct lv_conn *lv = opaque;

	pthread_mutex_lock(&lv->lock);
	if (lv->have_fresh && conn == lv->fresh.conn)
		lv->fresh_dead = true;
	else if (!lv->closing && !lv->down && conn == lv->cur.conn)
		lv_lost_locked(lv, lv_close_reason(reason));
	pthread_mutex_unlock(&lv->lock);
}

int lv_ready(struct backend *be, struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	struct lv_link old = { 0 };
	int r = 0;

	pthread_mutex_lock(&lv->lock);
	if (lv->have_fresh) {
		if (lv->fresh_dead) {
			old = lv->fresh;
		} else {
			old = lv->cur;
			lv->cur = lv->fresh;
			lv_cache_forget_locked(lv, "");
		}
		lv->have_fresh = false;
		memset(&lv->fresh, 0, sizeof(lv->fresh));
		if (lv->fresh_dead)
			lv_lost_locked(lv, "it closed again at once");
		lv->fresh_dead = false;
	}
	if (lv->down) {
		uint64_t now = time_mono_ns();

		if (lv->next_try_ns > now)
			r = vmt_error_set(err, -ENOTCONN,
					  "connection to %s lost (reconnecting, next try in %llu s)",
					  lv->uri, (unsigned long long)((lv->next_try_ns - now +
									 999999999) / 1000000000));
		else
			r = vmt_error_set(err, -ENOTCONN,
					  "connection to %s lost (reconnecting, trying now)", lv->uri);
	}
	pthread_mutex_unlock(&lv->lock);
	lv_link_close(&old);
	return r;
}

/* The user whose session daemon qemu:///session reaches on this machine. */
static char *lv_local_user(void)
{
	struct passwd *pw = getpwuid(getuid());

	return pw ? xstrdup(pw->pw_name) : xasprintf("%u", (unsigned)getuid());
}

/*
 * DRIVER://[USER@]ID/PATH: the driver and daemon of the URI (its scheme
 * before any transport, its path; a session daemon is its user's) on the
 * host whose identity is id. Transport, host name and parameters do not
 * count: qemu:///system?socket=X and qemu+ssh://root@me/system are one.
 */
static char *lv_identity(const char *uri, const char *id)
{
	xmlURIPtr u = xmlParseURI(uri);
	const char *scheme = u && u->scheme ? u->scheme : "libvirt";
	size_t slen = strcspn(scheme, "+");
	char *path = xstrdup(u && u->path ? u->path : "");
	char *user = NULL, *r;
	size_t plen = strlen(path);

	while (plen > 1 && path[plen - 1] == '/')
		path[--plen] = '\0';
	if (strcmp(path, "/session") == 0)
		user = u && u->user && *u->user ? xstrdup(u->user) : lv_local_user();
	r = xasprintf("%.*s://%s%s%s%s", (int)slen, scheme, user ? user : "", user ? "@" : "",
		      id, path);
	free(user);
	free(path);
	xmlFreeURI(u);
	return r;
}

/*
 * The host's identity from its capabilities (its UUID; the host name
 * where it has none), and, from the same read, the domain type new
 * definitions get.
 */
static void lv_host_facts(struct backend *be, struct lv_conn *lv)
{
	char *caps = LV_CALL(lv, virConnectGetCapabilities(lv->cur.conn));
	char *type = NULL, *uuid = NULL, *id = NULL;

	if (caps && lv_xml_caps_facts(caps, &type, &uuid) < 0)
		type = uuid = NULL;
	free(caps);
	if (uuid) {
		id = uuid;
	} else {
		char *name = LV_CALL(lv, virConnectGetHostname(lv->cur.conn));

		id = name ? xasprintf("host:%s", name) : NULL;
		free(name);
	}
	if (id)
		be->host = lv_identity(lv->uri, id);
	else
		LOG_WARN("libvirt: %s tells neither its UUID nor its name: its VMs are kept by URI",
			 lv->uri);
	pthread_mutex_lock(&lv->lock);
	if (!lv->domain_type)
		lv->domain_type = type;
	else
		free(type);
	pthread_mutex_unlock(&lv->lock);
	free(id);
}

int lv_conn_open(struct backend *be, struct vmt_error *err)
{
	struct lv_conn *lv = xcalloc(1, sizeof(*lv));
	int r;

	pthread_once(&lv_once, lv_init_once);
	lv->be = be;
	lv->uri = xstrdup(be->uri);
	lv->auth = be->auth;
	lv->auth_opaque = be->auth_opaque;
	atomic_init(&lv->refs, 1);
	pthread_mutex_init(&lv->lock, NULL);
	cond_init_mono(&lv->cond);
	r = lv_link_open(lv, &lv->cur, err);
	if (r < 0) {
		lv_unref(lv);
		return r;
	}
	be->priv = lv;
	lv_host_facts(be, lv);
	LOG_INFO("libvirt: connected to %s (host %s)", be->uri, be->host ? be->host : "unknown");
	return 0;
}

const char *lv_domain_type(struct lv_conn *lv)
{
	char *caps, *type;

	pthread_mutex_lock(&lv->lock);
	type = lv->domain_type;
	pthread_mutex_unlock(&lv->lock);
	if (type)
		return type;
	caps = LV_CALL(lv, virConnectGetCapabilities(lv->cur.conn));
	type = caps ? lv_xml_best_domain_type(caps) : NULL;
	free(caps);
	/* Unknown this time: qemu runs anywhere, and the next define asks again. */
	if (!type)
		return "qemu";
	pthread_mutex_lock(&lv->lock);
	if (!lv->domain_type) {
		lv->domain_type = type;
		LOG_INFO("libvirt: new domains on %s are type %s", lv->uri, type);
	} else {
		free(type);
	}
	type = lv->domain_type;
	pthread_mutex_unlock(&lv->lock);
	return type;
}

void lv_conn_close(struct backend *be)
{
	struct lv_conn *lv = lv_conn(be);
	struct lv_link fresh = { 0 };

	pthread_mutex_lock(&lv->lock);
	lv->closing = true;
	pthread_cond_broadcast(&lv->cond);
	while (lv->in_auth)
		pthread_cond_wait(&lv->cond, &lv->lock);
	if (lv->have_fresh)
		fresh = lv->fresh;
	lv->have_fresh = false;
	pthread_mutex_unlock(&lv->lock);
	LOG_DEBUG("libvirt: %s: %lu calls made", lv->uri, (unsigned long)lv->calls);
	lv_link_close(&lv->cur);
	lv_link_close(&fresh);
	lv_unref(lv);
}

bool lv_uri_is_remote(const char *uri)
{
	xmlURIPtr u = xmlParseURI(uri);
	bool remote = u && u->server && *u->server;

	xmlFreeURI(u);
	return remote;
}
