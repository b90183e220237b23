// SPDX-License-Identifier: GPL-2.0-or-later
/* core.c: the session (store + connections) and the VM list that joins them. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "src/core/core.h"
#include "src/lib/log.h"
#include "src/lib/util.h"

void core_vm_list_free(struct core_vm *vms, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		vm_info_done(&vms[i].info);
		free(vms[i].group);
	}
	free(vms);
}

int core_open(struct core **out, const char *db_path, char *const *uris,
	      size_t n_uris, backend_auth_fn auth, void *auth_opaque,
	      struct vmt_error *err)
{
	struct store *st;
	int r = store_open(db_path, &st, err);

	if (r == 0)
		core_open_store(out, st, uris, n_uris, auth, auth_opaque);
	return r;
}

void core_open_store(struct core **out, struct store *st, char *const *uris,
		     size_t n_uris, backend_auth_fn auth, void *auth_opaque)
{
	struct core *c = xcalloc(1, sizeof(*c));

	c->store = st;
	c->n_conns = n_uris;
	c->auth = auth;
	c->auth_opaque = auth_opaque;
	c->uris = xcalloc(n_uris, sizeof(*c->uris));
	c->bes = xcalloc(n_uris, sizeof(*c->bes));
	for (size_t i = 0; i < n_uris; i++)
		c->uris[i] = xstrdup(uris[i]);
	*out = c;
}

void core_close(struct core *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_conns; i++) {
		backend_close(c->bes[i]);
		free(c->uris[i]);
	}
	free(c->bes);
	free(c->uris);
	store_close(c->store);
	free(c);
}

/*
 * VMs an older database kept by this connection's URI now go under its
 * host's identity, which the connection has just told. A store that
 * cannot do it now keeps them where they are, for the next time.
 */
static void core_host_claim(struct core *c, struct backend *be)
{
	char *old = xasprintf("%s%s", STORE_HOST_URI, be->uri);
	struct vmt_error e;

	if (strcmp(old, be->host) != 0 && store_host_claim(c->store, old, be->host, &e) < 0)
		LOG_WARN("cannot move the VMs kept for %s to its host %s: %s", be->uri, be->host,
			 e.msg);
	free(old);
}

int core_backend(struct core *c, size_t i, struct backend **out,
		 struct vmt_error *err)
{
	int r;

	if (!c->bes[i]) {
		r = backend_open(c->uris[i], c->store, c->auth, c->auth_opaque,
				 &c->bes[i], err);
		if (r < 0)
			return r;
		core_host_claim(c, c->bes[i]);
	}
	*out = c->bes[i];
	return 0;
}

void core_event(struct core *c, const char *uri, const char *uuid,
		const char *name, const char *action, int result,
		const struct vmt_error *err)
{
	struct store_event ev = {
		.time = (int64_t)time(NULL),
		.vm_uuid = (char *)(uuid && *uuid ? uuid : NULL),
		.vm_name = (char *)name,
		.uri = (char *)uri,
		.action = (char *)action,
		.ok = result >= 0,
		.detail = (char *)(result < 0 && err ? err->msg : ""),
	};
	struct vmt_error e;

	if (store_event_add(c->store, &ev, &e) < 0)
		LOG_WARN("cannot record event %s of %s: %s", action, name, e.msg);
}

/* A stored VM the hypervisor does not know (any more). */
void core_vm_missing_info(const struct vm_def *def, struct vm_info *info)
{
	memset(info, 0, sizeof(*info));
	memcpy(info->uuid, def->uuid, sizeof(info->uuid));
	info->name = xstrdup(def->name);
	info->state = VM_STATE_MISSING;
	info->reason = xstrdup("defined in vmtui but not on the connection");
	info->id = -1;
	info->vcpus = def->vcpus;
	info->memory_kib = info->max_memory_kib = def->memory_mib * 1024;
	info->managed = true;
	info->persistent = true;
}

/* Append info (which *out then owns) with its group (owned; NULL: none), managed when vmtui keeps its definition. */
static void core_vm_add(struct core_vm **out, size_t *n, size_t *cap, struct backend *be,
			struct vm_info *info, bool managed, char *group)
{
	struct core_vm *vm;

	*out = xgrow(*out, cap, *n, sizeof(**out));
	vm = &(*out)[(*n)++];
	vm->info = *info;
	vm->info.managed = managed;
	vm->uri = be->uri;
	vm->backend = be->ops->name;
	vm->group = group;
}

static char *core_def_group(const struct vm_def *def)
{
	return def && def->group ? xstrdup(def->group) : NULL;
}

/*
 * A backend whose definitions live in the store has given each VM's group
 * with it: no second read of the store.
 */
static int core_list_stored(struct backend *be, bool active_only, struct core_vm **out,
			    size_t *n, size_t *cap, struct vmt_error *err)
{
	struct vm_info *infos;
	size_t n_infos;
	int r = backend_list(be, &infos, &n_infos, err);

	if (r < 0)
		return r;
	for (size_t i = 0; i < n_infos; i++) {
		char *group = infos[i].group;

		infos[i].group = NULL;
		if (active_only && !vm_state_is_active(infos[i].state)) {
			vm_info_done(&infos[i]);
			free(group);
		} else {
			core_vm_add(out, n, cap, be, &infos[i], true, group);
		}
	}
	free(infos);
	return 0;
}

/* Append one connection's VMs, joined with the store, to *out. */
static int core_list_conn(struct core *c, struct backend *be, bool active_only,
			  struct core_vm **out, size_t *n, size_t *cap,
			  struct vmt_error *err)
{
	struct vm_info *infos;
	struct vm_def **defs;
	size_t n_infos, n_defs;
	bool *listed;
	int r;

	if (be->ops->defs_in_store)
		return core_list_stored(be, active_only, out, n, cap, err);
	r = backend_list(be, &infos, &n_infos, err);
	if (r < 0)
		return r;
	r = store_vm_list_brief(c->store, be->host, &defs, &n_defs, err);
	if (r < 0) {
		vm_info_list_free(infos, n_infos);
		return r;
	}
	vm_defs_sort_uuid(defs, n_defs);
	listed = xcalloc(n_defs, sizeof(*listed));
	for (size_t i = 0; i < n_infos; i++) {
		size_t k = vm_defs_find_uuid(defs, n_defs, infos[i].uuid);

		if (k < n_defs)
			listed[k] = true;
		if (active_only && !vm_state_is_active(infos[i].state))
			vm_info_done(&infos[i]);
		else
			core_vm_add(out, n, cap, be, &infos[i], k < n_defs,
				    core_def_group(k < n_defs ? defs[k] : NULL));
	}
	for (size_t k = 0; k < n_defs && !active_only; k++) {
		struct vm_info info;

		if (listed[k])
			continue;
		core_vm_missing_info(defs[k], &info);
		core_vm_add(out, n, cap, be, &info, true, core_def_group(defs[k]));
	}
	free(listed);
	free(infos);
	store_vm_list_free(defs, n_defs);
	return 0;
}

int core_list(struct core *c, bool active_only, struct core_vm **out,
	      size_t *n, struct vmt_error *errs, struct vmt_error *err)
{
	size_t cap = 0, failed = 0;
	int last = 0;

	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < c->n_conns; i++) {
		struct vmt_error e;
		struct backend *be;
		int r = core_backend(c, i, &be, &e);

		if (r == 0)
			r = core_list_conn(c, be, active_only, out, n, &cap, &e);
		if (errs)
			errs[i] = r < 0 ? e : (struct vmt_error){ 0 };
		if (r < 0) {
			failed++;
			last = r;
			if (err)
				*err = e;
		}
	}
	return failed ? last : 0;
}

int core_find(struct core *c, const char *name, struct backend **be,
	      struct vmt_error *err)
{
	struct backend *found = NULL;
	struct strbuf where;
	int r = 0;

	strbuf_init(&where);
	for (size_t i = 0; i < c->n_conns && r == 0; i++) {
		struct backend *b;
		struct vm_info info;
		struct vm_def *def;
		bool here = false;

		r = core_backend(c, i, &b, err);
		if (r < 0)
			break;
		if (backend_lookup(b, name, &info, NULL) == 0) {
			here = true;
			vm_info_done(&info);
		} else if (store_vm_get(c->store, b->host, name, &def, NULL) == 0) {
			here = true;
			vm_def_free(def);
		}
		if (!here)
			continue;
		strbuf_addf(&where, "%s%s", where.len ? ", " : "", b->uri);
		if (found)
			r = vmt_error_set(err, -EINVAL,
					  "VM %s exists on several connections (%s): choose one with -c",
					  name, where.buf);
		found = b;
	}
	if (r == 0 && !found)
		r = vmt_error_set(err, -ENOENT, "no VM named %s on %s", name,
				  c->n_conns == 1 ? c->uris[0] : "any of the connections");
	if (r == 0)
		*be = found;
	strbuf_done(&where);
	return r;
}
