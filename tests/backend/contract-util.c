// SPDX-License-Identifier: GPL-2.0-or-later
/* contract-util.c: sessions, test VMs, events and console I/O for the backend contract suite. */
#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/lib/util.h"
#include "tests/backend/contract.h"

void ct_open(struct ct *t, const char *test)
{
	const char *dir = getenv("VMTUI_CONTRACT_DIR");
	char *uri = getenv("VMTUI_CONTRACT_URI");
	struct vmt_error err;
	char *db;
	int r;

	ck_assert_msg(dir && uri, "VMTUI_CONTRACT_URI and VMTUI_CONTRACT_DIR must be set");
	memset(t, 0, sizeof(*t));
	t->test = test;
	t->started_ns = time_mono_ns();
	db = xasprintf("%s/%s-%d.db", dir, test, (int)getpid());
	r = core_open(&t->core, db, &uri, 1, NULL, NULL, &err);
	free(db);
	CT_OK(r, &err);
	r = core_backend(t->core, 0, &t->be, &err);
	CT_OK(r, &err);
	t->uri = t->be->uri;
	t->real = str_eq(getenv("VMTUI_CONTRACT_REAL"), "1");
	r = backend_events_start(t->be, &err);
	t->events = ct_optional(r, &err);
	/* New disks go to the pool "default"; the test driver starts without one. */
	r = backend_pool_create_default(t->be, &err);
	if (r != -EEXIST)
		ct_optional(r, &err);
}

void ct_close(struct ct *t)
{
	printf("# %s: %.1f s\n", t->test, (double)(time_mono_ns() - t->started_ns) / 1e9);
	fflush(stdout);
	backend_events_free(t->evs, t->n_evs);
	free(t->used);
	core_close(t->core);
	memset(t, 0, sizeof(*t));
}

char *ct_name(const char *what)
{
	static unsigned seq;

	return xasprintf("vt-ct-%s-%d-%u", what, (int)getpid(), seq++);
}

bool ct_is_libvirt(const struct ct *t)
{
	return str_eq(t->be->ops->name, "libvirt");
}

bool ct_optional(int r, const struct vmt_error *err)
{
	if (r == 0)
		return true;
	ck_assert_msg(r == -ENOTSUP, "expected success or -ENOTSUP, got %d: %s", r, err->msg);
	ck_assert_msg(strstr(err->msg, "not supported by the"),
		      "an unsupported feature must say so: '%s'", err->msg);
	printf("# not supported here: %s\n", err->msg);
	fflush(stdout);
	return false;
}

struct vm_def *ct_def(const char *name, unsigned disk_mib, const char *format)
{
	struct vm_def *def = vm_def_new();
	const char *kernel = getenv("VMTUI_CONTRACT_KERNEL");

	ck_assert_msg(kernel, "VMTUI_CONTRACT_KERNEL must be set");
	def->name = xstrdup(name);
	def->vcpus = 1;
	def->memory_mib = 64;
	def->kernel = xstrdup(kernel);
	def->cmdline = xstrdup("console=ttyS0 probe.echo");
	if (disk_mib) {
		struct vm_disk *d = vm_def_add_disk(def);

		d->size_bytes = (uint64_t)disk_mib << 20;
		if (format)
			ck_assert_int_eq(vm_disk_format_parse(format, &d->format), 0);
	}
	return def;
}

void ct_create(struct ct *t, struct vm_def *def, char uuid[37])
{
	struct vmt_error err;
	int r = core_create(t->core, t->be, def, &err);

	CT_OK(r, &err);
	if (uuid)
		memcpy(uuid, def->uuid, 37);
	vm_def_free(def);
}

enum vm_state ct_state(struct ct *t, const char *name)
{
	struct vm_info info;
	struct vmt_error err;
	enum vm_state s;
	int r = backend_lookup(t->be, name, &info, &err);

	CT_OK(r, &err);
	s = info.state;
	vm_info_done(&info);
	return s;
}

/* Keep every event: a later wait may be for one that came early. */
static void ct_take_events(struct ct *t, int timeout_ms)
{
	struct pollfd p = { .fd = backend_event_fd(t->be), .events = POLLIN };
	struct backend_event *evs;
	size_t n;

	poll(&p, 1, timeout_ms);
	n = backend_events_take(t->be, &evs);
	for (size_t i = 0; i < n; i++) {
		size_t cap = t->cap_evs;

		t->evs = xgrow(t->evs, &t->cap_evs, t->n_evs, sizeof(*t->evs));
		if (t->cap_evs != cap)
			t->used = xrealloc(t->used, t->cap_evs * sizeof(*t->used));
		t->used[t->n_evs] = false;
		t->evs[t->n_evs++] = evs[i];
	}
	free(evs);
}

/*
 * Whether ev tells of uuid in state. libvirt events name the VM and its
 * new state; other backends may only say "look again" (no UUID, or state
 * unknown): the caller then checks the state itself.
 */
static bool ct_event_is(const struct ct *t, const struct backend_event *ev,
			enum backend_event_type type, const char *uuid,
			enum vm_state state)
{
	bool strict = ct_is_libvirt(t);

	/* "Definitions changed", without a UUID, covers a VM that went too. */
	if (ev->type != type && (strict || type != BACKEND_EVENT_UNDEFINED ||
				 ev->type != BACKEND_EVENT_DEFINED || ev->uuid[0]))
		return false;
	if (uuid && strcmp(ev->uuid, uuid) && (strict || ev->uuid[0]))
		return false;
	return state == VM_STATE_UNKNOWN || ev->state == state ||
	       (!strict && ev->state == VM_STATE_UNKNOWN);
}

bool ct_wait_event(struct ct *t, enum backend_event_type type, const char *uuid,
		   enum vm_state state)
{
	uint64_t end = time_mono_ns() + CT_WAIT_S * 1000000000ull;

	do {
		for (size_t i = 0; i < t->n_evs; i++) {
			const struct backend_event *ev = &t->evs[i];

			if (t->used[i] || !ct_event_is(t, ev, type, uuid, state))
				continue;
			t->used[i] = true;
			return true;
		}
		ct_take_events(t, 200);
	} while (time_mono_ns() < end);
	return false;
}

/* Read what is there into buf (kept NUL-terminated, oldest bytes dropped). */
static int ct_console_read(struct backend_console *con, char *buf, size_t cap,
			   size_t *len, int timeout_ms)
{
	struct pollfd p = { .fd = con->fd, .events = POLLIN };
	char chunk[4096];
	ssize_t n;

	if (poll(&p, 1, timeout_ms) <= 0)
		return 1;
	n = con->ops->read(con, chunk, sizeof(chunk));
	if (n == -EAGAIN)
		return 1;
	if (n <= 0)
		return (int)n - 1;	/* 0: end (-1), error (< -1) */
	if (*len + (size_t)n >= cap) {
		size_t drop = *len + (size_t)n - cap + 1;

		memmove(buf, buf + drop, *len - drop);
		*len -= drop;
	}
	memcpy(buf + *len, chunk, (size_t)n);
	*len += (size_t)n;
	buf[*len] = '\0';
	return 1;
}

bool ct_console_expect(struct backend_console *con, const char *text)
{
	uint64_t end = time_mono_ns() + CT_WAIT_S * 1000000000ull;
	char buf[8192] = "";
	size_t len = 0;

	while (time_mono_ns() < end) {
		ck_assert_msg(ct_console_read(con, buf, sizeof(buf), &len, 200) > 0,
			      "the console ended before '%s' came", text);
		if (strstr(buf, text))
			return true;
	}
	return false;
}

/* The line goes again every half second until its echo is seen. */
bool ct_console_echo(struct backend_console *con, const char *line)
{
	uint64_t end = time_mono_ns() + CT_WAIT_S * 1000000000ull;
	uint64_t next = 0;
	char buf[8192] = "";
	size_t len = 0;

	while (time_mono_ns() < end) {
		if (time_mono_ns() >= next) {
			char *msg = xasprintf("%s\r", line);
			ssize_t n = con->ops->write(con, msg, strlen(msg));

			free(msg);
			ck_assert_msg(n > 0 || n == -EAGAIN, "console write: %zd", n);
			next = time_mono_ns() + 500000000ull;
		}
		ck_assert_msg(ct_console_read(con, buf, sizeof(buf), &len, 100) > 0,
			      "the console ended before the echo came");
		if (strstr(buf, line))
			return true;
	}
	return false;
}

bool ct_console_ends(struct backend_console *con)
{
	uint64_t end = time_mono_ns() + CT_WAIT_S * 1000000000ull;
	char buf[8192];
	size_t len = 0;

	while (time_mono_ns() < end)
		if (ct_console_read(con, buf, sizeof(buf), &len, 200) <= 0)
			return true;
	return false;
}
