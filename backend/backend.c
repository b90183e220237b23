// SPDX-License-Identifier: GPL-2.0-or-later
/* backend.c: choosing a backend by URI, the guarded calls into it, and its event queue. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/backend.h"
#include "backend/kvm/kvm-backend.h"
#include "src/lib/log.h"
#include "src/lib/module.h"
#include "src/lib/util.h"

static const char *const vm_state_names[] = {
	[VM_STATE_UNKNOWN] = "unknown",
	[VM_STATE_RUNNING] = "running",
	[VM_STATE_BLOCKED] = "blocked",
	[VM_STATE_PAUSED] = "paused",
	[VM_STATE_SHUTTING_DOWN] = "in shutdown",
	[VM_STATE_SHUTOFF] = "shut off",
	[VM_STATE_CRASHED] = "crashed",
	[VM_STATE_SUSPENDED] = "pmsuspended",
	[VM_STATE_MISSING] = "missing",
};

const char *vm_state_name(enum vm_state s)
{
	return (size_t)s < ARRAY_SIZE(vm_state_names) ? vm_state_names[s] : "unknown";
}

bool vm_state_is_active(enum vm_state s)
{
	return s == VM_STATE_RUNNING || s == VM_STATE_BLOCKED ||
	       s == VM_STATE_PAUSED || s == VM_STATE_SHUTTING_DOWN ||
	       s == VM_STATE_SUSPENDED;
}

void vm_info_done(struct vm_info *info)
{
	free(info->name);
	free(info->reason);
	free(info->group);
	memset(info, 0, sizeof(*info));
}

void vm_info_list_free(struct vm_info *infos, size_t n)
{
	for (size_t i = 0; i < n; i++)
		vm_info_done(&infos[i]);
	free(infos);
}

void vm_snapshot_list_free(struct vm_snapshot *snaps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(snaps[i].name);
		free(snaps[i].description);
		free(snaps[i].parent);
	}
	free(snaps);
}

void vm_address_list_free(struct vm_address *addrs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(addrs[i].ifname);
		free(addrs[i].addr);
	}
	free(addrs);
}

void vm_display_list_free(struct vm_display *displays, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(displays[i].listen);
		free(displays[i].socket);
		free(displays[i].host);
		free(displays[i].ssh);
	}
	free(displays);
}

void backend_net_list_free(struct backend_net *nets, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(nets[i].name);
	free(nets);
}

void backend_pool_list_free(struct backend_pool *pools, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(pools[i].name);
		free(pools[i].path);
	}
	free(pools);
}

void backend_vol_list_free(struct backend_vol *vols, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(vols[i].name);
		free(vols[i].pool);
		free(vols[i].path);
		free(vols[i].format);
		free(vols[i].backing);
		free(vols[i].used_by);
	}
	free(vols);
}

/* Events wait here between the backend's thread and the connection's owner. */
struct backend_event_queue {
	pthread_mutex_t lock;
	int pipe[2];
	struct backend_event *evs;
	size_t n, cap;
};

static struct backend_event_queue *backend_event_queue_new(void)
{
	struct backend_event_queue *q = xcalloc(1, sizeof(*q));

	pthread_mutex_init(&q->lock, NULL);
	if (pipe2(q->pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		abort();
	return q;
}

static void backend_event_queue_free(struct backend_event_queue *q)
{
	backend_events_free(q->evs, q->n);
	close(q->pipe[0]);
	close(q->pipe[1]);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

bool backend_uri_is_kvm(const char *uri)
{
	return strcmp(uri, BACKEND_KVM_URI) == 0;
}

/* A setting of the whole process, as the log is: the TUI's workers open connections too. */
static atomic_uint backend_timeout_s = BACKEND_CONNECT_TIMEOUT_DEFAULT;

void backend_set_connect_timeout(unsigned seconds)
{
	atomic_store(&backend_timeout_s, seconds);
}

unsigned backend_connect_timeout(void)
{
	return atomic_load(&backend_timeout_s);
}

const struct backend_ops *backend_libvirt_ops(struct vmt_error *err)
{
#ifdef WITH_LIBVIRT
	/* A module, so that a kvm:/// session never maps libvirt and the dozens of libraries it pulls in. */
	return vmt_module_get(&vmt_module_libvirt, "lv_backend_ops", err);
#else
	vmt_error_set(err, -ENOTSUP,
		      "this vmtui was built without libvirt; only kvm:/// is available");
	return NULL;
#endif
}

int backend_open(const char *uri, struct store *store, backend_auth_fn auth,
		 void *auth_opaque, struct backend **out,
		 struct vmt_error *err)
{
	struct backend *be;
	const struct backend_ops *ops = &kvm_backend_ops;
	int r;

	if (str_starts_with(uri, "kvm:") && !backend_uri_is_kvm(uri))
		return vmt_error_set(err, -EINVAL,
				     "connection %s: the built-in runner is kvm:/// (nothing after the slashes)",
				     uri);
	if (!backend_uri_is_kvm(uri)) {
		ops = backend_libvirt_ops(err);
		if (!ops)
			return vmt_error_prefix(err, "connection %s", uri);
	}
	be = xcalloc(1, sizeof(*be));
	be->ops = ops;
	be->uri = xstrdup(uri);
	be->store = store;
	be->auth = auth;
	be->auth_opaque = auth_opaque;
	be->events = backend_event_queue_new();
	r = ops->open(be, err);
	if (r < 0) {
		backend_event_queue_free(be->events);
		free(be->uri);
		free(be);
		return r;
	}
	/* A backend that cannot tell its host keeps its VMs by URI, as older vmtuis did. */
	if (!be->host)
		be->host = xasprintf("%s%s", STORE_HOST_URI, uri);
	*out = be;
	return 0;
}

void backend_close(struct backend *be)
{
	if (!be)
		return;
	be->ops->close(be);
	backend_event_queue_free(be->events);
	free(be->uri);
	free(be->host);
	free(be);
}

static int backend_unsupported(struct backend *be, const char *what,
			       struct vmt_error *err)
{
	return vmt_error_set(err, -ENOTSUP,
			     "%s is not supported by the %s backend (%s)", what,
			     be->ops->name, be->uri);
}

/* Call be->ops->fn(be, args..., err) or say that this backend cannot. */
#define BACKEND_CALL(be, fn, what, err, ...)                                \
	((be)->ops->fn ? (be)->ops->fn((be), ##__VA_ARGS__, (err))          \
		       : backend_unsupported((be), (what), (err)))

int backend_limits(struct backend *be, struct vm_limits *lim,
		   struct vmt_error *err)
{
	return BACKEND_CALL(be, limits, "reading host limits", err, lim);
}

int backend_list(struct backend *be, struct vm_info **out, size_t *n,
		 struct vmt_error *err)
{
	return BACKEND_CALL(be, list, "listing VMs", err, out, n);
}

int backend_lookup(struct backend *be, const char *name, struct vm_info *out,
		   struct vmt_error *err)
{
	return BACKEND_CALL(be, lookup, "looking up a VM", err, name, out);
}

int backend_lookup_uuid(struct backend *be, const char *uuid, struct vm_info *out,
			struct vmt_error *err)
{
	return BACKEND_CALL(be, lookup_uuid, "looking up a VM by UUID", err, uuid, out);
}

int backend_get_def(struct backend *be, const char *name, struct vm_def **out,
		    struct vmt_error *err)
{
	return BACKEND_CALL(be, get_def, "reading a VM's definition", err, name, out);
}

int backend_validate(struct backend *be, const struct vm_def *def,
		     const struct vm_def *old, struct vmt_error *err)
{
	return be->ops->validate ? be->ops->validate(be, def, old, err) : 0;
}

int backend_define(struct backend *be, struct vm_def *def,
		   struct vmt_error *err)
{
	return BACKEND_CALL(be, define, "defining a VM", err, def);
}

int backend_redefine(struct backend *be, struct vm_def *def,
		     struct vmt_error *err)
{
	return BACKEND_CALL(be, redefine, "editing a VM", err, def);
}

int backend_undefine(struct backend *be, const char *name,
		     struct vmt_error *err)
{
	return BACKEND_CALL(be, undefine, "deleting a VM", err, name);
}

int backend_rename(struct backend *be, const char *name, const char *new_name,
		   struct vmt_error *err)
{
	return BACKEND_CALL(be, rename, "renaming a VM", err, name, new_name);
}

int backend_disk_resize(struct backend *be, const char *name, size_t index,
			uint64_t bytes, struct vmt_error *err)
{
	return BACKEND_CALL(be, disk_resize, "resizing disks", err, name, index, bytes);
}

int backend_hotplug(struct backend *be, const char *name, const struct vm_def *old,
		    const struct vm_def *def, struct backend_hotplug *out,
		    struct vmt_error *err)
{
	if (!be->ops->hotplug) {
		out->pending = VM_CHANGE_DISKS | VM_CHANGE_NICS;
		return 0;
	}
	return be->ops->hotplug(be, name, old, def, out, err);
}

int backend_remove_storage(struct backend *be, const struct vm_def *def,
			   struct vmt_error *err)
{
	return BACKEND_CALL(be, remove_storage, "removing disks", err, def);
}

int backend_clone(struct backend *be, struct backend_clone *req,
		  struct vmt_error *err)
{
	return BACKEND_CALL(be, clone, "cloning a VM", err, req);
}

typedef int (*backend_verb_fn)(struct backend *, const char *, struct vmt_error *);

#define BACKEND_VERB_ROW(A, name, done, summary, help, footer, key, fkey, op)             \
	[BACKEND_##A] = { name, done, summary, help, footer, key, fkey,                    \
			  offsetof(struct backend_ops, op) },
static const struct backend_verb backend_verbs[] = { BACKEND_VERBS(BACKEND_VERB_ROW) };
#undef BACKEND_VERB_ROW

const struct backend_verb *backend_verb(enum backend_action a)
{
	return (size_t)a < ARRAY_SIZE(backend_verbs) ? &backend_verbs[a] : NULL;
}

const char *backend_action_name(enum backend_action a)
{
	return backend_verb(a) ? backend_verb(a)->name : "?";
}

int backend_action_parse(const char *s, enum backend_action *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(backend_verbs); i++)
		if (str_eq(backend_verbs[i].name, s)) {
			*out = (enum backend_action)i;
			return 0;
		}
	return -EINVAL;
}

int backend_action(struct backend *be, enum backend_action a, const char *name,
		   struct vmt_error *err)
{
	const struct backend_verb *v = backend_verb(a);
	backend_verb_fn fn = NULL;

	if (v)
		memcpy(&fn, (const char *)be->ops + v->op, sizeof(fn));
	if (!fn)
		return backend_unsupported(be, backend_action_name(a), err);
	return fn(be, name, err);
}

int backend_stats(struct backend *be, struct vm_stats **out, size_t *n,
		  struct vmt_error *err)
{
	return BACKEND_CALL(be, stats, "reading statistics", err, out, n);
}

int backend_console_open(struct backend *be, const char *name, unsigned flags,
			 struct backend_console **out, struct vmt_error *err)
{
	return BACKEND_CALL(be, console_open, "the serial console", err, name,
			    flags, out);
}

void backend_console_close(struct backend_console *con)
{
	if (con)
		con->ops->close(con);
}

int backend_snapshot_list(struct backend *be, const char *name,
			  struct vm_snapshot **out, size_t *n,
			  struct vmt_error *err)
{
	return BACKEND_CALL(be, snapshot_list, "listing snapshots", err, name,
			    out, n);
}

int backend_snapshot_create(struct backend *be, const char *name,
			    const char *snap, const char *description,
			    struct vmt_error *err)
{
	return BACKEND_CALL(be, snapshot_create, "creating snapshots", err, name,
			    snap, description);
}

int backend_snapshot_revert(struct backend *be, const char *name,
			    const char *snap, struct vmt_error *err)
{
	return BACKEND_CALL(be, snapshot_revert, "reverting to snapshots", err,
			    name, snap);
}

int backend_snapshot_delete(struct backend *be, const char *name,
			    const char *snap, struct vmt_error *err)
{
	return BACKEND_CALL(be, snapshot_delete, "deleting snapshots", err, name,
			    snap);
}

bool backend_has_xml(const struct backend *be)
{
	return be->ops->export_def && be->ops->import_def;
}

bool backend_has_hotplug(const struct backend *be)
{
	return be->ops->hotplug != NULL;
}

bool backend_has_snapshots(const struct backend *be)
{
	const struct backend_ops *o = be->ops;

	return o->snapshot_list && o->snapshot_create && o->snapshot_revert &&
	       o->snapshot_delete;
}

int backend_export_def(struct backend *be, const char *name, char **out,
		       struct vmt_error *err)
{
	return BACKEND_CALL(be, export_def, "exporting a definition", err, name,
			    out);
}

int backend_import_def(struct backend *be, const char *text,
		       struct vm_def **out, struct vmt_error *err)
{
	return BACKEND_CALL(be, import_def, "importing a definition", err, text,
			    out);
}

int backend_events_start(struct backend *be, struct vmt_error *err)
{
	return BACKEND_CALL(be, events_start, "watching events", err);
}

int backend_autostart(struct backend *be, const char *name, bool on,
		      struct vmt_error *err)
{
	return BACKEND_CALL(be, autostart, "setting autostart", err, name, on);
}

int backend_addresses(struct backend *be, const char *name,
		      struct vm_address **out, size_t *n,
		      struct vmt_error *err)
{
	return BACKEND_CALL(be, addresses, "reading guest addresses", err, name,
			    out, n);
}

int backend_displays(struct backend *be, const char *name,
		     struct vm_display **out, size_t *n, struct vmt_error *err)
{
	/* A backend without graphical consoles (kvm:///) truly has none. */
	if (!be->ops->displays) {
		*out = NULL;
		*n = 0;
		return 0;
	}
	return be->ops->displays(be, name, out, n, err);
}

int backend_net_list(struct backend *be, struct backend_net **out, size_t *n,
		     struct vmt_error *err)
{
	return BACKEND_CALL(be, net_list, "listing networks", err, out, n);
}

int backend_net_start(struct backend *be, const char *net,
		      struct vmt_error *err)
{
	return BACKEND_CALL(be, net_start, "starting networks", err, net);
}

int backend_net_stop(struct backend *be, const char *net,
		     struct vmt_error *err)
{
	return BACKEND_CALL(be, net_stop, "stopping networks", err, net);
}

int backend_host_info(struct backend *be, struct backend_host *out, struct vmt_error *err)
{
	memset(out, 0, sizeof(*out));
	return BACKEND_CALL(be, host_info, "describing the host", err, out);
}

int backend_pool_list(struct backend *be, struct backend_pool **out,
		      size_t *n, struct vmt_error *err)
{
	return BACKEND_CALL(be, pool_list, "listing storage pools", err, out, n);
}

int backend_pool_create_default(struct backend *be, struct vmt_error *err)
{
	return BACKEND_CALL(be, pool_create_default, "creating storage pools", err);
}

int backend_vol_list(struct backend *be, const char *pool, struct backend_vol **out,
		     size_t *n, struct vmt_error *err)
{
	return BACKEND_CALL(be, vol_list, "listing storage volumes", err, pool, out, n);
}

int backend_vol_create(struct backend *be, const char *pool, const char *name,
		       uint64_t bytes, enum vm_disk_format format, struct vmt_error *err)
{
	return BACKEND_CALL(be, vol_create, "creating storage volumes", err, pool, name,
			    bytes, format);
}

int backend_vol_delete(struct backend *be, const char *pool, const char *name,
		       struct vmt_error *err)
{
	return BACKEND_CALL(be, vol_delete, "deleting storage volumes", err, pool, name);
}

int backend_vol_resize(struct backend *be, const char *pool, const char *name,
		       uint64_t bytes, struct vmt_error *err)
{
	return BACKEND_CALL(be, vol_resize, "resizing storage volumes", err, pool, name,
			    bytes);
}

int backend_event_fd(struct backend *be)
{
	return be->events->pipe[0];
}

void backend_event_post(struct backend *be, const struct backend_event *ev)
{
	struct backend_event_queue *q = be->events;
	struct backend_event *copy;
	static const char one = 1;

	pthread_mutex_lock(&q->lock);
	q->evs = xgrow(q->evs, &q->cap, q->n, sizeof(*q->evs));
	copy = &q->evs[q->n++];
	*copy = *ev;
	copy->name = xstrdup_or_null(ev->name);
	copy->reason = xstrdup_or_null(ev->reason);
	pthread_mutex_unlock(&q->lock);
	/* A full pipe already says "events pending"; nothing is lost. */
	if (write(q->pipe[1], &one, 1) < 0 && errno != EAGAIN)
		abort();
}

size_t backend_events_take(struct backend *be, struct backend_event **out)
{
	struct backend_event_queue *q = be->events;
	char drain[256];
	size_t n;

	while (read(q->pipe[0], drain, sizeof(drain)) > 0)
		;
	pthread_mutex_lock(&q->lock);
	*out = q->evs;
	n = q->n;
	q->evs = NULL;
	q->n = q->cap = 0;
	pthread_mutex_unlock(&q->lock);
	return n;
}

void backend_events_free(struct backend_event *evs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(evs[i].name);
		free(evs[i].reason);
	}
	free(evs);
}
