/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-slirp.c: user-mode networking through libslirp, opened with dlopen so that a VM without it never maps it. */
#include "config.h"

#include "backend/vmm/net/vmm-slirp.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <slirp/libslirp.h>

#if SLIRP_CONFIG_VERSION_MAX < 4
#error "vmtui-vmm needs libslirp 4.7 or later (SlirpConfig version 4)"
#endif

#define VMM_SLIRP_LIB "libslirp.so.0"
#define VMM_SLIRP_TIMERS 4

/* The library's entry points, looked up once. */
static struct {
	Slirp *(*new)(const SlirpConfig *cfg, const SlirpCb *cb, void *opaque);
	void (*cleanup)(Slirp *slirp);
	void (*pollfds_fill)(Slirp *slirp, uint32_t *timeout, SlirpAddPollCb add, void *opaque);
	void (*pollfds_poll)(Slirp *slirp, int error, SlirpGetREventsCb get, void *opaque);
	void (*input)(Slirp *slirp, const uint8_t *pkt, int len);
	void (*handle_timer)(Slirp *slirp, SlirpTimerId id, void *cb_opaque);
	int (*add_hostfwd)(Slirp *slirp, int is_udp, struct in_addr host, int host_port,
			   struct in_addr guest, int guest_port);
	const char *(*version_string)(void);
} vmm_slirp_api;

/*
 * libslirp keeps some state process-wide (the DNS server it read from
 * resolv.conf, its clock): the cards' threads call it one at a time.
 */
static pthread_mutex_t vmm_slirp_lock = PTHREAD_MUTEX_INITIALIZER;

struct vmm_slirp_timer {
	bool used, armed;
	SlirpTimerId id;
	void *cb_opaque;
	int64_t expire_ms;
};

struct vmm_slirp {
	Slirp *slirp;
	const char *name;
	vmm_slirp_out_fn *out;
	void *opaque;
	struct pollfd *fds;
	unsigned nfds, cap;
	struct vmm_slirp_timer timers[VMM_SLIRP_TIMERS];
};

static int vmm_slirp_load(struct vmt_error *err)
{
	static const struct {
		const char *sym;
		void **slot;
	} syms[] = {
		{ "slirp_new", (void **)&vmm_slirp_api.new },
		{ "slirp_cleanup", (void **)&vmm_slirp_api.cleanup },
		{ "slirp_pollfds_fill", (void **)&vmm_slirp_api.pollfds_fill },
		{ "slirp_pollfds_poll", (void **)&vmm_slirp_api.pollfds_poll },
		{ "slirp_input", (void **)&vmm_slirp_api.input },
		{ "slirp_handle_timer", (void **)&vmm_slirp_api.handle_timer },
		{ "slirp_add_hostfwd", (void **)&vmm_slirp_api.add_hostfwd },
		{ "slirp_version_string", (void **)&vmm_slirp_api.version_string },
	};
	void *lib;

	if (vmm_slirp_api.new)
		return 0;
	lib = dlopen(VMM_SLIRP_LIB, RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		return vmt_error_set(err, -ENOENT, "--net user needs libslirp (apt-get install libslirp0): %s",
				     dlerror());
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		*syms[i].slot = dlsym(lib, syms[i].sym);
		if (!*syms[i].slot) {
			memset(&vmm_slirp_api, 0, sizeof(vmm_slirp_api));
			dlclose(lib);
			return vmt_error_set(err, -ENOSYS, "--net user: %s has no %s (libslirp 4.7 or "
					     "later is needed)", VMM_SLIRP_LIB, syms[i].sym);
		}
	}
	return 0;
}

static int64_t vmm_slirp_now_ns(void)
{
	return (int64_t)vmm_time_mono_ns();
}

static ssize_t vmm_slirp_send(const void *buf, size_t len, void *opaque)
{
	struct vmm_slirp *s = opaque;

	s->out(s->opaque, buf, len);
	return (ssize_t)len;
}

static void vmm_slirp_guest_error(const char *msg, void *opaque)
{
	struct vmm_slirp *s = opaque;

	vmm_log(VMM_LOG_WARN, "%s: user network: the guest sent %s", s->name, msg);
}

static int64_t vmm_slirp_clock(void *opaque)
{
	(void)opaque;
	return vmm_slirp_now_ns();
}

static void *vmm_slirp_timer_new(SlirpTimerId id, void *cb_opaque, void *opaque)
{
	struct vmm_slirp *s = opaque;

	for (int i = 0; i < VMM_SLIRP_TIMERS; i++)
		if (!s->timers[i].used) {
			s->timers[i] = (struct vmm_slirp_timer){ .used = true, .id = id,
								 .cb_opaque = cb_opaque };
			return &s->timers[i];
		}
	vmm_log(VMM_LOG_WARN, "%s: user network: more than %d timers asked for", s->name,
		VMM_SLIRP_TIMERS);
	return NULL;
}

static void vmm_slirp_timer_free(void *timer, void *opaque)
{
	struct vmm_slirp_timer *t = timer;

	(void)opaque;
	if (t)
		*t = (struct vmm_slirp_timer){ 0 };
}

/* expire is in milliseconds of the clock above. */
static void vmm_slirp_timer_mod(void *timer, int64_t expire, void *opaque)
{
	struct vmm_slirp_timer *t = timer;

	(void)opaque;
	if (t) {
		t->expire_ms = expire;
		t->armed = true;
	}
}

static void vmm_slirp_fd_nop(int fd, void *opaque)
{
	(void)fd;
	(void)opaque;
}

static void vmm_slirp_notify(void *opaque)
{
	/* Only guest forwarding waits to be told; none is set up. */
	(void)opaque;
}

static const SlirpCb vmm_slirp_cb = {
	.send_packet = vmm_slirp_send,
	.guest_error = vmm_slirp_guest_error,
	.clock_get_ns = vmm_slirp_clock,
	.timer_free = vmm_slirp_timer_free,
	.timer_mod = vmm_slirp_timer_mod,
	.register_poll_fd = vmm_slirp_fd_nop,
	.unregister_poll_fd = vmm_slirp_fd_nop,
	.notify = vmm_slirp_notify,
	.timer_new_opaque = vmm_slirp_timer_new,
};

static bool vmm_slirp_grow(struct vmm_slirp *s, unsigned want)
{
	struct pollfd *p;
	unsigned cap = s->cap ? s->cap : 16;

	if (want <= s->cap)
		return true;
	while (cap < want)
		cap *= 2;
	p = realloc(s->fds, cap * sizeof(*p));
	if (!p)
		return false;
	s->fds = p;
	s->cap = cap;
	return true;
}

/* Listen on each forwarded host port (before the sandbox: it has no bind). */
static int vmm_slirp_forward(struct vmm_slirp *s, const struct vmm_slirp_fwd *fwd, unsigned nfwd,
			     struct in_addr guest, struct vmt_error *err)
{
	for (unsigned i = 0; i < nfwd; i++) {
		const struct vmm_slirp_fwd *f = &fwd[i];
		char host[INET_ADDRSTRLEN];
		int r;

		inet_ntop(AF_INET, &f->host, host, sizeof(host));
		errno = 0;
		pthread_mutex_lock(&vmm_slirp_lock);
		r = vmm_slirp_api.add_hostfwd(s->slirp, f->udp, f->host, f->host_port, guest,
					      f->guest_port);
		pthread_mutex_unlock(&vmm_slirp_lock);
		if (r < 0)
			return vmt_error_set(err, -(errno ? errno : EADDRINUSE), "%s: cannot forward %s "
					     "%s:%u: %s", s->name, f->udp ? "udp" : "tcp", host,
					     f->host_port, strerror(errno ? errno : EADDRINUSE));
		vmm_log(VMM_LOG_INFO, "%s: %s %s:%u forwards to the guest's port %u", s->name,
			f->udp ? "udp" : "tcp", host, f->host_port, f->guest_port);
	}
	return 0;
}

struct vmm_slirp *vmm_slirp_new(const char *name, const struct vmm_slirp_fwd *fwd, unsigned nfwd,
				vmm_slirp_out_fn *out, void *opaque, struct vmt_error *err)
{
	SlirpConfig cfg = { .version = 4, .in_enabled = true, .in6_enabled = true };
	struct vmm_slirp *s;

	if (vmm_slirp_load(err) < 0)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s || !vmm_slirp_grow(s, 16)) {
		free(s);
		vmt_error_set(err, -ENOMEM, "%s: out of memory for the user network", name);
		return NULL;
	}
	s->name = name;
	s->out = out;
	s->opaque = opaque;
	inet_pton(AF_INET, "10.0.2.0", &cfg.vnetwork);
	inet_pton(AF_INET, "255.255.255.0", &cfg.vnetmask);
	inet_pton(AF_INET, "10.0.2.2", &cfg.vhost);
	inet_pton(AF_INET, "10.0.2.15", &cfg.vdhcp_start);
	inet_pton(AF_INET, "10.0.2.3", &cfg.vnameserver);
	inet_pton(AF_INET6, "fec0::", &cfg.vprefix_addr6);
	cfg.vprefix_len = 64;
	inet_pton(AF_INET6, "fec0::2", &cfg.vhost6);
	inet_pton(AF_INET6, "fec0::3", &cfg.vnameserver6);
	pthread_mutex_lock(&vmm_slirp_lock);
	s->slirp = vmm_slirp_api.new(&cfg, &vmm_slirp_cb, s);
	pthread_mutex_unlock(&vmm_slirp_lock);
	if (!s->slirp) {
		free(s);
		vmt_error_set(err, -EINVAL, "%s: libslirp %s refused the user network "
			      "(SlirpConfig version %u)", name, vmm_slirp_api.version_string(),
			      cfg.version);
		return NULL;
	}
	if (vmm_slirp_forward(s, fwd, nfwd, cfg.vdhcp_start, err) < 0) {
		vmm_slirp_free(s);
		return NULL;
	}
	vmm_log(VMM_LOG_INFO, "%s: user network %s through libslirp %s", name, VMM_SLIRP_NET,
		vmm_slirp_api.version_string());
	return s;
}

void vmm_slirp_free(struct vmm_slirp *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&vmm_slirp_lock);
	vmm_slirp_api.cleanup(s->slirp);
	pthread_mutex_unlock(&vmm_slirp_lock);
	free(s->fds);
	free(s);
}

void vmm_slirp_input(struct vmm_slirp *s, const uint8_t *frame, size_t len)
{
	if (len > INT_MAX)
		return;
	pthread_mutex_lock(&vmm_slirp_lock);
	vmm_slirp_api.input(s->slirp, frame, (int)len);
	pthread_mutex_unlock(&vmm_slirp_lock);
}

static int vmm_slirp_add(int fd, int events, void *opaque)
{
	struct vmm_slirp *s = opaque;
	short ev = 0;

	/* Out of memory: the socket waits for a later round. */
	if (!vmm_slirp_grow(s, s->nfds + 1))
		return -1;
	ev |= (events & SLIRP_POLL_IN) ? POLLIN : 0;
	ev |= (events & SLIRP_POLL_OUT) ? POLLOUT : 0;
	ev |= (events & SLIRP_POLL_PRI) ? POLLPRI : 0;
	s->fds[s->nfds] = (struct pollfd){ .fd = fd, .events = ev };
	return (int)s->nfds++;
}

static int vmm_slirp_revents(int idx, void *opaque)
{
	struct vmm_slirp *s = opaque;
	short r;
	int ev = 0;

	if (idx < 0 || (unsigned)idx >= s->nfds)
		return 0;
	r = s->fds[idx].revents;
	ev |= (r & POLLIN) ? SLIRP_POLL_IN : 0;
	ev |= (r & POLLOUT) ? SLIRP_POLL_OUT : 0;
	ev |= (r & POLLPRI) ? SLIRP_POLL_PRI : 0;
	ev |= (r & (POLLERR | POLLNVAL)) ? SLIRP_POLL_ERR : 0;
	ev |= (r & POLLHUP) ? SLIRP_POLL_HUP : 0;
	return ev;
}

struct pollfd *vmm_slirp_pollfds(struct vmm_slirp *s, const struct pollfd *mine, unsigned n,
				 unsigned *count, int *timeout_ms)
{
	int64_t now_ms = vmm_slirp_now_ns() / 1000000;
	uint32_t t = *timeout_ms < 0 ? UINT32_MAX : (uint32_t)*timeout_ms;

	/* The array holds VMM_SLIRP_MINE from the start. */
	n = n < VMM_SLIRP_MINE ? n : VMM_SLIRP_MINE;
	memcpy(s->fds, mine, n * sizeof(*mine));
	s->nfds = n;
	for (int i = 0; i < VMM_SLIRP_TIMERS; i++) {
		const struct vmm_slirp_timer *tm = &s->timers[i];
		int64_t left;

		if (!tm->used || !tm->armed)
			continue;
		left = tm->expire_ms > now_ms ? tm->expire_ms - now_ms : 0;
		if ((uint64_t)left < t)
			t = (uint32_t)left;
	}
	pthread_mutex_lock(&vmm_slirp_lock);
	vmm_slirp_api.pollfds_fill(s->slirp, &t, vmm_slirp_add, s);
	pthread_mutex_unlock(&vmm_slirp_lock);
	*timeout_ms = t > INT_MAX ? -1 : (int)t;
	*count = s->nfds;
	return s->fds;
}

void vmm_slirp_dispatch(struct vmm_slirp *s, bool error)
{
	int64_t now_ms = vmm_slirp_now_ns() / 1000000;

	pthread_mutex_lock(&vmm_slirp_lock);
	vmm_slirp_api.pollfds_poll(s->slirp, error, vmm_slirp_revents, s);
	for (int i = 0; i < VMM_SLIRP_TIMERS; i++) {
		struct vmm_slirp_timer *tm = &s->timers[i];

		if (tm->used && tm->armed && tm->expire_ms <= now_ms) {
			tm->armed = false;
			vmm_slirp_api.handle_timer(s->slirp, tm->id, tm->cb_opaque);
		}
	}
	pthread_mutex_unlock(&vmm_slirp_lock);
}
