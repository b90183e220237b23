/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-console.c: fan guest serial output out to a scrollback ring and per-client buffers. */
#include "config.h"

#include "backend/vmm/vmm-console.h"
#include "backend/vmm/vmm-snap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void vmm_console_init(struct vmm_console *c, vmm_console_notify_fn notify, void *opaque)
{
	pthread_mutex_init(&c->lock, NULL);
	c->ring_total = 0;
	c->sinks = NULL;
	c->notify = notify;
	c->notify_opaque = opaque;
}

void vmm_console_done(struct vmm_console *c)
{
	while (c->sinks)
		vmm_console_detach(c, c->sinks);
	pthread_mutex_destroy(&c->lock);
}

/* Make room for n more bytes within the sink's limit; false if it cannot. */
static bool vmm_console_sink_reserve(struct vmm_console_sink *s, size_t n)
{
	size_t used = s->end - s->start, want;
	uint8_t *nb;

	if (used + n > VMM_CONSOLE_CLIENT_LIMIT)
		return false;
	if (s->start > 0 && s->end + n > s->alloc) {
		memmove(s->buf, s->buf + s->start, used);
		s->start = 0;
		s->end = used;
	}
	if (s->end + n <= s->alloc)
		return true;
	want = s->alloc ? s->alloc : 4096;
	while (want < s->end + n)
		want *= 2;
	nb = realloc(s->buf, want);
	if (!nb)
		return false;
	s->buf = nb;
	s->alloc = want;
	return true;
}

static void vmm_console_sink_put(struct vmm_console_sink *s, const uint8_t *p, size_t n)
{
	if (s->overflow || s->dead)
		return;
	if (!vmm_console_sink_reserve(s, n)) {
		if (s->is_stdout) {
			s->dropped += n;	/* nobody reads stdout: lose output, not the guest */
			return;
		}
		s->overflow = true;
		return;
	}
	memcpy(s->buf + s->end, p, n);
	s->end += n;
}

static void vmm_console_ring_put(struct vmm_console *c, const uint8_t *p, size_t n)
{
	size_t pos, chunk;

	if (n > VMM_CONSOLE_RING_SIZE) {
		c->ring_total += n - VMM_CONSOLE_RING_SIZE;
		p += n - VMM_CONSOLE_RING_SIZE;
		n = VMM_CONSOLE_RING_SIZE;
	}
	while (n > 0) {
		pos = c->ring_total % VMM_CONSOLE_RING_SIZE;
		chunk = VMM_CONSOLE_RING_SIZE - pos;
		if (chunk > n)
			chunk = n;
		memcpy(c->ring + pos, p, chunk);
		c->ring_total += chunk;
		p += chunk;
		n -= chunk;
	}
}

void vmm_console_output(struct vmm_console *c, const uint8_t *p, size_t n)
{
	struct vmm_console_sink *s;
	bool wake = false;

	pthread_mutex_lock(&c->lock);
	vmm_console_ring_put(c, p, n);
	for (s = c->sinks; s; s = s->next) {
		bool was_empty = s->end == s->start, was_over = s->overflow;

		vmm_console_sink_put(s, p, n);
		if ((was_empty && s->end != s->start) || (!was_over && s->overflow))
			wake = true;
	}
	pthread_mutex_unlock(&c->lock);
	if (wake && c->notify)
		c->notify(c->notify_opaque);
}

static size_t vmm_console_ring_copy_locked(struct vmm_console *c, uint8_t *buf, size_t len)
{
	unsigned long long have = c->ring_total < VMM_CONSOLE_RING_SIZE ?
		c->ring_total : VMM_CONSOLE_RING_SIZE;
	unsigned long long from;
	size_t i, n = len < have ? len : (size_t)have;

	from = c->ring_total - n;
	for (i = 0; i < n; i++)
		buf[i] = c->ring[(from + i) % VMM_CONSOLE_RING_SIZE];
	return n;
}

size_t vmm_console_ring_copy(struct vmm_console *c, uint8_t *buf, size_t len)
{
	size_t n;

	pthread_mutex_lock(&c->lock);
	n = vmm_console_ring_copy_locked(c, buf, len);
	pthread_mutex_unlock(&c->lock);
	return n;
}

struct vmm_console_sink *vmm_console_attach(struct vmm_console *c, int fd, bool is_stdout)
{
	struct vmm_console_sink *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->fd = fd;
	s->is_stdout = is_stdout;
	pthread_mutex_lock(&c->lock);
	if (!is_stdout && vmm_console_sink_reserve(s, VMM_CONSOLE_RING_SIZE))
		s->end = vmm_console_ring_copy_locked(c, s->buf, VMM_CONSOLE_RING_SIZE);
	s->next = c->sinks;
	c->sinks = s;
	pthread_mutex_unlock(&c->lock);
	return s;
}

void vmm_console_detach(struct vmm_console *c, struct vmm_console_sink *s)
{
	struct vmm_console_sink **pp;

	pthread_mutex_lock(&c->lock);
	for (pp = &c->sinks; *pp; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	}
	pthread_mutex_unlock(&c->lock);
	if (s->fd >= 0 && !s->is_stdout)
		close(s->fd);
	free(s->buf);
	free(s);
}

size_t vmm_console_pending(struct vmm_console *c, struct vmm_console_sink *s)
{
	size_t n;

	pthread_mutex_lock(&c->lock);
	n = s->end - s->start;
	pthread_mutex_unlock(&c->lock);
	return n;
}

int vmm_console_flush(struct vmm_console *c, struct vmm_console_sink *s)
{
	int rc = 0;
	ssize_t w;

	pthread_mutex_lock(&c->lock);
	while (s->end > s->start) {
		/* The fd is non-blocking, so holding the lock here is brief. */
		w = write(s->fd, s->buf + s->start,
			  s->is_stdout && s->end - s->start > 4096 ? 4096 : s->end - s->start);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				rc = -errno;
				s->dead = true;
			}
			break;
		}
		s->start += (size_t)w;
		/*
		 * stdout may be a blocking pipe or terminal: one write of at
		 * most PIPE_BUF per POLLOUT never blocks on a pipe.
		 */
		if (s->is_stdout)
			break;
	}
	if (s->start == s->end)
		s->start = s->end = 0;
	pthread_mutex_unlock(&c->lock);
	return rc;
}

void vmm_console_save(struct vmm_console *c, struct vmm_snap_out *o)
{
	pthread_mutex_lock(&c->lock);
	vmm_snap_put64(o, c->ring_total);
	vmm_snap_put(o, c->ring, sizeof(c->ring));
	pthread_mutex_unlock(&c->lock);
}

int vmm_console_restore(struct vmm_console *c, struct vmm_snap_in *in, struct vmt_error *err)
{
	uint64_t total;
	int rc = vmm_snap_get64(in, &total, err);

	if (rc)
		return rc;
	pthread_mutex_lock(&c->lock);
	rc = vmm_snap_get(in, c->ring, sizeof(c->ring), err);
	c->ring_total = rc ? 0 : total;
	pthread_mutex_unlock(&c->lock);
	return rc;
}
