// SPDX-License-Identifier: GPL-2.0-or-later
/* lv-console.c: a domain's serial console as a non-blocking libvirt stream, bridged to a pollable fd. */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libvirt/virterror.h>

#include "backend/libvirt/lv-priv.h"
#include "backend/libvirt/lv-xml.h"
#include "src/lib/log.h"
#include "src/lib/util.h"

/* Guest output waiting for the reader, and input waiting for the stream. */
#define LV_CON_BUF 65536

/*
 * The stream is driven only from libvirt's event thread (its callback
 * reads and writes it); the reader's thread only copies in and out of the
 * two buffers. A pipe turns "something to read" into a readable fd.
 */
struct lv_console {
	struct backend_console con;	/* con.fd is pipe[0] */
	uintptr_t id;		/* what the stream callback knows it by */
	virStreamPtr st;
	pthread_mutex_t lock;
	int pipe[2];
	bool signaled;		/* a byte sits in the pipe */
	bool eof;
	int error;		/* negative errno once the stream failed */
	int events;		/* the stream events asked for now */
	bool closed;
	size_t in_len, out_len;
	char in[LV_CON_BUF];
	char out[LV_CON_BUF];
};

/*
 * The stream callback finds its console by number in this table, never by
 * pointer: libvirt 9.0's remote driver never calls a stream callback's
 * free function, and may still be calling the callback when
 * virStreamEventRemoveCallback() returns. A console leaves the table
 * before it is freed; a late callback then finds nothing and returns.
 */
static pthread_mutex_t lv_cons_lock = PTHREAD_MUTEX_INITIALIZER;
static struct lv_console **lv_cons;
static size_t lv_n_cons, lv_cap_cons;
static uintptr_t lv_cons_next_id = 1;

static void lv_con_register(struct lv_console *c)
{
	pthread_mutex_lock(&lv_cons_lock);
	c->id = lv_cons_next_id++;
	lv_cons = xgrow(lv_cons, &lv_cap_cons, lv_n_cons, sizeof(*lv_cons));
	lv_cons[lv_n_cons++] = c;
	pthread_mutex_unlock(&lv_cons_lock);
}

/* After this, no stream callback touches c. */
static void lv_con_unregister(struct lv_console *c)
{
	pthread_mutex_lock(&lv_cons_lock);
	for (size_t i = 0; i < lv_n_cons; i++)
		if (lv_cons[i] == c)
			lv_cons[i] = lv_cons[--lv_n_cons];
	pthread_mutex_unlock(&lv_cons_lock);
}

static void lv_con_free(struct lv_console *c)
{
	close(c->pipe[0]);
	close(c->pipe[1]);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/* The fd is readable exactly while there is data or the end to report. */
static void lv_con_signal_locked(struct lv_console *c)
{
	static const char one = 1;
	char drain[64];

	if (!c->signaled && (c->in_len || c->eof)) {
		c->signaled = write(c->pipe[1], &one, 1) == 1;
	} else if (c->signaled && !c->in_len && !c->eof) {
		while (read(c->pipe[0], drain, sizeof(drain)) > 0)
			;
		c->signaled = false;
	}
}

/* Ask only for what can be handled: libvirt reports a writable stream nonstop. */
static void lv_con_update_locked(struct lv_console *c)
{
	int want = 0;

	if (!c->eof && c->in_len < LV_CON_BUF)
		want |= VIR_STREAM_EVENT_READABLE;
	if (!c->eof && c->out_len)
		want |= VIR_STREAM_EVENT_WRITABLE;
	if (want != c->events && !c->closed) {
		virStreamEventUpdateCallback(c->st, want);
		c->events = want;
	}
}

static void lv_con_fail_locked(struct lv_console *c, const char *what)
{
	LOG_DEBUG("libvirt: console stream %s failed: %s", what, virGetLastErrorMessage());
	c->eof = true;
	c->error = -EIO;
}

static void lv_con_recv_locked(struct lv_console *c)
{
	while (c->in_len < LV_CON_BUF) {
		int n = virStreamRecv(c->st, c->in + c->in_len, LV_CON_BUF - c->in_len);

		if (n > 0) {
			c->in_len += (size_t)n;
		} else if (n == 0) {
			c->eof = true;
			break;
		} else {
			if (n != -2)
				lv_con_fail_locked(c, "read");
			break;
		}
	}
}

static void lv_con_send_locked(struct lv_console *c)
{
	while (c->out_len && !c->eof) {
		int n = virStreamSend(c->st, c->out, c->out_len);

		if (n > 0) {
			memmove(c->out, c->out + n, c->out_len - (size_t)n);
			c->out_len -= (size_t)n;
		} else {
			if (n != -2)
				lv_con_fail_locked(c, "write");
			break;
		}
	}
}

/* On libvirt's event thread; the table lock is held throughout. */
static void lv_con_on_stream(virStreamPtr st, int events, void *opaque)
{
	struct lv_console *c = NULL;

	pthread_mutex_lock(&lv_cons_lock);
	for (size_t i = 0; i < lv_n_cons && !c; i++)
		if (lv_cons[i]->id == (uintptr_t)opaque)
			c = lv_cons[i];
	if (c) {
		pthread_mutex_lock(&c->lock);
		if (events & VIR_STREAM_EVENT_READABLE)
			lv_con_recv_locked(c);
		if (events & VIR_STREAM_EVENT_WRITABLE)
			lv_con_send_locked(c);
		if (events & (VIR_STREAM_EVENT_ERROR | VIR_STREAM_EVENT_HANGUP))
			c->eof = true;
		lv_con_update_locked(c);
		lv_con_signal_locked(c);
		pthread_mutex_unlock(&c->lock);
	}
	pthread_mutex_unlock(&lv_cons_lock);
}

static ssize_t lv_con_read(struct backend_console *con, void *buf, size_t len)
{
	struct lv_console *c = con->priv;
	ssize_t r;

	pthread_mutex_lock(&c->lock);
	if (c->in_len) {
		r = (ssize_t)(len < c->in_len ? len : c->in_len);
		memcpy(buf, c->in, (size_t)r);
		memmove(c->in, c->in + r, c->in_len - (size_t)r);
		c->in_len -= (size_t)r;
	} else {
		r = c->eof ? c->error : -EAGAIN;
	}
	lv_con_update_locked(c);
	lv_con_signal_locked(c);
	pthread_mutex_unlock(&c->lock);
	return r;
}

static ssize_t lv_con_write(struct backend_console *con, const void *buf,
			    size_t len)
{
	struct lv_console *c = con->priv;
	ssize_t r;

	pthread_mutex_lock(&c->lock);
	if (c->eof) {
		r = c->error ? c->error : -EPIPE;
	} else if (c->out_len == LV_CON_BUF) {
		r = -EAGAIN;
	} else {
		r = (ssize_t)(len < LV_CON_BUF - c->out_len ? len : LV_CON_BUF - c->out_len);
		memcpy(c->out + c->out_len, buf, (size_t)r);
		c->out_len += (size_t)r;
		lv_con_update_locked(c);
	}
	pthread_mutex_unlock(&c->lock);
	return r;
}

/* Input is queued for libvirt's event thread: sent once the queue is empty (or the stream gone). */
static bool lv_con_sent(struct backend_console *con)
{
	struct lv_console *c = con->priv;
	bool sent;

	pthread_mutex_lock(&c->lock);
	sent = c->out_len == 0 || c->eof;
	pthread_mutex_unlock(&c->lock);
	return sent;
}

static void lv_con_close(struct backend_console *con)
{
	struct lv_console *c = con->priv;

	lv_con_unregister(c);
	pthread_mutex_lock(&c->lock);
	c->closed = true;
	pthread_mutex_unlock(&c->lock);
	virStreamEventRemoveCallback(c->st);
	virStreamAbort(c->st);
	virStreamFree(c->st);
	lv_con_free(c);
}

static const struct backend_console_ops lv_console_ops = {
	.read = lv_con_read,
	.write = lv_con_write,
	.sent = lv_con_sent,
	.close = lv_con_close,
};

static struct lv_console *lv_con_new(virStreamPtr st, struct vmt_error *err)
{
	struct lv_console *c = xcalloc(1, sizeof(*c));

	if (pipe2(c->pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		vmt_error_set(err, -errno, "console: cannot make a pipe: %s", strerror(errno));
		free(c);
		return NULL;
	}
	pthread_mutex_init(&c->lock, NULL);
	c->st = st;
	c->events = VIR_STREAM_EVENT_READABLE;
	c->con.ops = &lv_console_ops;
	c->con.fd = c->pipe[0];
	c->con.priv = c;
	return c;
}

/* Why a domain's console cannot be had: not running, none, or taken. */
static int lv_con_check(struct lv_conn *lv, virDomainPtr dom, const char *name,
			struct vmt_error *err)
{
	int state, reason;
	char *xml;
	bool has;

	if (LV_CALL(lv, virDomainGetState(dom, &state, &reason, 0)) < 0)
		return lv_fail(err, "cannot read the state of %s", name);
	if (!vm_state_is_active(lv_state(state)))
		return vmt_error_set(err, -ESRCH, "VM %s is not running: start it first", name);
	xml = LV_CALL(lv, virDomainGetXMLDesc(dom, 0));
	if (!xml)
		return lv_fail(err, "cannot read the definition of %s", name);
	has = lv_xml_has_console(xml);
	free(xml);
	if (!has)
		return vmt_error_set(err, -ENODEV,
				     "VM %s has no serial console (no <serial> or <console> device)",
				     name);
	return 0;
}

static int lv_con_refused(const char *name, unsigned flags, struct vmt_error *err)
{
	virErrorPtr e = virGetLastError();

	if (e && e->code == VIR_ERR_OPERATION_FAILED && e->message &&
	    strstr(e->message, "console session") && !(flags & BACKEND_CONSOLE_FORCE))
		return vmt_error_set(err, -EBUSY,
				     "the console of %s is in use by another client; "
				     "vmtui console --force %s takes it over (libvirt: %s)",
				     name, name, e->message);
	return lv_fail(err, "cannot open the console of %s", name);
}

int lv_console_open(struct backend *be, const char *name, unsigned flags,
		    struct backend_console **out, struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	struct lv_console *c = NULL;
	virStreamPtr st = NULL;
	virDomainPtr dom;
	int r;

	LV_ENTER(be, err);
	if (!lv_event_loop_ok())
		return vmt_error_set(err, -ENOTSUP, "console: libvirt's event loop did not start");
	r = lv_domain(be, name, &dom, err);
	if (r < 0)
		return r;
	r = lv_con_check(lv, dom, name, err);
	if (r == 0 && !(st = LV_CALL(lv, virStreamNew(lv->cur.conn, VIR_STREAM_NONBLOCK))))
		r = lv_fail(err, "cannot make a stream for the console of %s", name);
	if (r == 0 && LV_CALL(lv, virDomainOpenConsole(dom, NULL, st,
						    flags & BACKEND_CONSOLE_FORCE ?
						    VIR_DOMAIN_CONSOLE_FORCE : 0)) < 0)
		r = lv_con_refused(name, flags, err);
	if (r == 0 && !(c = lv_con_new(st, err)))
		r = -EIO;
	if (r == 0)
		lv_con_register(c);
	if (r == 0 && LV_CALL(lv, virStreamEventAddCallback(st, c->events, lv_con_on_stream,
							     (void *)c->id, NULL)) < 0) {
		r = lv_fail(err, "cannot watch the console of %s", name);
		lv_con_unregister(c);
		lv_con_free(c);
		c = NULL;
	}
	if (r < 0 && st) {
		virStreamAbort(st);
		virStreamFree(st);
	}
	virDomainFree(dom);
	if (r == 0)
		*out = &c->con;
	return r;
}
