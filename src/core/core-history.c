// SPDX-License-Identifier: GPL-2.0-or-later
/* core-history.c: the event history both faces show, and the verbs that record it: snapshots, and starting autostart VMs at boot. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "src/core/core.h"
#include "src/core/core-priv.h"
#include "src/lib/log.h"
#include "src/lib/util.h"

int core_history(struct core *c, const char *const *uris, size_t n_uris,
		 const char *name, size_t limit, struct store_event **out,
		 size_t *n, struct vmt_error *err)
{
	struct store_event_filter f = {
		.uris = uris, .n_uris = n_uris, .vm_name = name, .limit = limit,
	};

	return store_event_query(c->store, &f, out, n, err);
}

/* The UUID of VM name on be, from the hypervisor or else the store; "" when neither has it. */
static void core_vm_uuid(struct core *c, struct backend *be, const char *name,
			 char uuid[37])
{
	struct vm_info info;
	struct vm_def *def;

	uuid[0] = '\0';
	if (backend_lookup(be, name, &info, NULL) == 0) {
		memcpy(uuid, info.uuid, 37);
		vm_info_done(&info);
	} else if (store_vm_get(c->store, be->host, name, &def, NULL) == 0) {
		memcpy(uuid, def->uuid, 37);
		vm_def_free(def);
	}
}

/* Record "snapshot VERB SNAP" of VM name, however it went. */
static void core_snapshot_event(struct core *c, struct backend *be, const char *name,
				const char *verb, const char *snap, int r,
				const struct vmt_error *err)
{
	char *action = xasprintf("snapshot %s %s", verb, snap);
	char uuid[37];

	core_vm_uuid(c, be, name, uuid);
	core_event(c, be->uri, uuid, name, action, r, err);
	free(action);
}

int core_snapshot_create(struct core *c, struct backend *be, const char *name,
			 const char *snap, const char *description,
			 struct vmt_error *err)
{
	int r = backend_snapshot_create(be, name, snap, description, err);

	core_snapshot_event(c, be, name, "create", snap, r, err);
	return r;
}

int core_snapshot_revert(struct core *c, struct backend *be, const char *name,
			 const char *snap, struct vmt_error *err)
{
	int r = backend_snapshot_revert(be, name, snap, err);

	core_snapshot_event(c, be, name, "revert", snap, r, err);
	return r;
}

int core_snapshot_delete(struct core *c, struct backend *be, const char *name,
			 const char *snap, struct vmt_error *err)
{
	char uuid[37];
	int r;

	core_vm_uuid(c, be, name, uuid);
	r = uuid[0] ? core_check_snapshot_free(c, uuid, name, snap, err) : 0;
	if (r == 0)
		r = backend_snapshot_delete(be, name, snap, err);
	core_snapshot_event(c, be, name, "delete", snap, r, err);
	return r;
}

/* Start one stored VM marked autostart, unless it runs already; reports it. */
static int core_boot_one(struct core *c, struct backend *be, const struct vm_def *def,
			 core_boot_fn report, void *ctx)
{
	struct vmt_error e;
	struct vm_info info;
	int r;

	vmt_error_clear(&e);
	r = backend_lookup(be, def->name, &info, &e);
	if (r == 0 && vm_state_is_active(info.state)) {
		report(ctx, be->uri, def->name, CORE_BOOT_RUNNING, NULL);
		vm_info_done(&info);
		return 0;
	}
	if (r == 0) {
		vm_info_done(&info);
		r = backend_action(be, BACKEND_START, def->name, &e);
	}
	core_event(c, be->uri, def->uuid, def->name, "start (at boot)", r, &e);
	report(ctx, be->uri, def->name, r == 0 ? CORE_BOOT_STARTED : CORE_BOOT_FAILED, &e);
	return r;
}

/* The autostart VMs of one kvm:/// connection; the number that failed. */
static int core_boot_conn(struct core *c, size_t i, core_boot_fn report, void *ctx,
			  struct vmt_error *err)
{
	struct vm_def **defs;
	struct backend *be;
	size_t n;
	int r = core_backend(c, i, &be, err), failed = 0;

	if (r == 0)
		r = store_vm_list(c->store, be->host, &defs, &n, err);
	if (r < 0)
		return r;
	for (size_t k = 0; k < n; k++)
		if (defs[k]->autostart && core_boot_one(c, be, defs[k], report, ctx) < 0)
			failed++;
	store_vm_list_free(defs, n);
	return failed;
}

int core_autostart_boot(struct core *c, core_boot_fn report, void *ctx,
			struct vmt_error *err)
{
	int failed = 0, r;
	bool any = false;

	for (size_t i = 0; i < c->n_conns; i++) {
		/* libvirtd starts its own autostart domains when it starts. */
		if (!backend_uri_is_kvm(c->uris[i]))
			continue;
		any = true;
		r = core_boot_conn(c, i, report, ctx, err);
		if (r < 0)
			return r;
		failed += r;
	}
	if (!any)
		return vmt_error_set(err, -EINVAL,
				     "autostart --boot starts the VMs of kvm:///, and none of the connections is kvm:/// (libvirtd starts its own autostart domains)");
	LOG_INFO("autostart --boot: %d VM%s failed to start", failed, failed == 1 ? "" : "s");
	return failed;
}
