// SPDX-License-Identifier: GPL-2.0-or-later
/* core-clone.c: clone a shut-off VM (copies or linked overlays) or a snapshot, keep a linked clone's original read-only and a snapshot clone's snapshot. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "src/core/core.h"
#include "src/core/core-priv.h"
#include "src/lib/log.h"
#include "src/lib/util.h"

int core_check_snapshot_free(struct core *c, const char *uuid, const char *name,
			     const char *snap, struct vmt_error *err)
{
	char **names = NULL, *list;
	size_t n = 0;
	int r = store_snapclone_clones(c->store, uuid, snap, &names, &n, err);

	if (r < 0 || n == 0) {
		store_names_free(names, n);
		return r;
	}
	list = str_join(names, n, ", ");
	if (snap)
		r = vmt_error_set(err, -EBUSY, "snapshot %s of %s is the base of the clone%s %s, made "
				  "from it: vmtui does not delete it until %s deleted", snap, name,
				  n > 1 ? "s" : "", list, n > 1 ? "they are" : "that is");
	else
		r = vmt_error_set(err, -EBUSY, "VM %s has snapshots that the clone%s %s %s made from: "
				  "vmtui does not delete it, nor its snapshots, until %s deleted",
				  name, n > 1 ? "s" : "", list, n > 1 ? "were" : "was",
				  n > 1 ? "they are" : "that is");
	free(list);
	store_names_free(names, n);
	return r;
}

int core_check_not_base(struct core *c, const char *uuid, const char *name,
			const char *verb, struct vmt_error *err)
{
	int r = store_link_check_base(c->store, uuid, name, verb, err);

	/* A VM's snapshots go with it, and clones made from them read through them. */
	if (r == 0 && str_eq(verb, "delete"))
		r = core_check_snapshot_free(c, uuid, name, NULL, err);
	return r;
}

bool core_clone_is_warm(struct core *c, struct backend *be, const char *name)
{
	struct store_snapclone sc;
	struct vm_def *def;
	bool warm = false;

	if (store_vm_get(c->store, be->host, name, &def, NULL) < 0)
		return false;
	if (store_snapclone_get(c->store, def->uuid, &sc, NULL) == 0)
		warm = sc.warm;
	store_snapclone_done(&sc);
	vm_def_free(def);
	return warm;
}

static bool core_def_uses(const struct vm_def *def, const char *path)
{
	for (size_t i = 0; i < def->n_disks; i++)
		if (str_eq(def->disks[i].path, path))
			return true;
	return false;
}

/* Whether def's disk path is another stored VM's too, or one its clone links share. */
static bool core_disk_shared(const struct vm_def *def, const char *path, struct vm_def **defs,
			     size_t n, const struct store_link *links, size_t n_links)
{
	for (size_t k = 0; k < n_links; k++)
		if (links[k].shared && str_eq(links[k].base_path, path))
			return true;
	for (size_t k = 0; k < n; k++)
		if (strcmp(defs[k]->uuid, def->uuid) != 0 && core_def_uses(defs[k], path))
			return true;
	return false;
}

/* The original may be a libvirt domain vmtui does not store: the clone's links know. */
struct vm_def *core_own_disks(struct core *c, const char *host, const struct vm_def *def)
{
	struct vm_def *own = vm_def_copy(def), **defs = NULL;
	struct store_link *links = NULL;
	size_t n = 0, n_links = 0;

	/* def may be the hypervisor's, which names no host: host does. */
	if (store_vm_list(c->store, host, &defs, &n, NULL) < 0)
		n = 0;
	if (store_link_list(c->store, def->uuid, &links, &n_links, NULL) < 0)
		n_links = 0;
	for (size_t i = own->n_disks; i-- > 0;)
		if (core_disk_shared(def, own->disks[i].path, defs, n, links, n_links)) {
			LOG_INFO("%s: disk %s is another VM's too: it stays", def->name,
				 own->disks[i].path);
			vm_def_remove_disk(own, i);
		}
	store_vm_list_free(defs, n);
	store_link_list_free(links, n_links);
	return own;
}

/* NEW is a name no VM of the connection has, in vmtui's store or on the hypervisor. */
static int core_clone_check_name(struct core *c, struct backend *be, const char *new_name,
				 struct vmt_error *err)
{
	struct vm_info info;
	struct vm_def *old;
	int r = vm_check_name(new_name, err);

	if (r < 0)
		return r;
	if (store_vm_get(c->store, be->host, new_name, &old, NULL) == 0)
		vm_def_free(old);
	else if (backend_lookup(be, new_name, &info, NULL) == 0)
		vm_info_done(&info);
	else
		return 0;
	return vmt_error_set(err, -EEXIST, "name: a VM named %s already exists on %s", new_name,
			     be->uri);
}

/* The original must be shut off: its disks cannot be copied while it writes them. */
static int core_clone_check_state(struct core *c, struct backend *be, const char *name,
				  struct vmt_error *err)
{
	struct vm_info info;
	int r = core_handle_missing(c, be, true, name, err);

	if (r == 0)
		r = backend_lookup(be, name, &info, err);
	if (r < 0)
		return r;
	if (vm_state_is_active(info.state))
		r = vmt_error_set(err, -EBUSY, "VM %s is %s: shut it off first (vmtui clones a "
				  "shut-off VM: its disks cannot be copied while it writes them)",
				  name, vm_state_name(info.state));
	vm_info_done(&info);
	return r;
}

/* Clear what the clone still shares with the original by chance; true when nothing. */
static bool core_clone_fresh(struct vm_def *def, const struct vm_def *orig)
{
	bool fresh = strcmp(def->uuid, orig->uuid) != 0;

	if (!fresh)
		def->uuid[0] = '\0';
	for (size_t i = 0; i < def->n_nics; i++)
		for (size_t k = 0; k < orig->n_nics; k++)
			if (strcasecmp(def->nics[i].mac, orig->nics[k].mac) == 0) {
				def->nics[i].mac[0] = '\0';
				fresh = false;
			}
	return fresh;
}

/*
 * The clone's definition: the original's, with a new name, UUID and MACs.
 * Host port forwards stay behind as a graphics port does: two VMs cannot
 * listen on one port, and the clone is meant to run beside the original.
 */
static struct vm_def *core_clone_def(struct backend *be, const struct vm_def *orig,
				     const char *new_name, bool from_snapshot)
{
	struct vm_def *def = vm_def_copy(orig);

	vm_def_set_str(&def->name, new_name);
	def->uuid[0] = '\0';
	def->created = def->updated = 0;
	for (size_t i = 0; i < def->n_nics; i++) {
		def->nics[i].mac[0] = '\0';
		vm_def_set_str(&def->nics[i].forwards, NULL);
	}
	/*
	 * A snapshot's machine has the original's cloud-init seed: the clone
	 * keeps the disk (the backend copies it), and takes its own kernel.
	 */
	if (from_snapshot)
		vm_def_set_str(&def->image.boot_stamp, NULL);
	else
		core_image_cloned(def);
	do
		core_bind_def(be, def);
	while (!core_clone_fresh(def, orig));
	return def;
}

/* The link that disk i of the clone gets, if any: to what it reads through. */
static bool core_clone_link(const struct vm_def *orig, const struct vm_def *def, size_t i,
			    enum backend_clone_disk how, const struct store_link *inherited,
			    size_t n_inherited, struct store_link *out)
{
	memset(out, 0, sizeof(*out));
	memcpy(out->clone_uuid, def->uuid, sizeof(out->clone_uuid));
	out->idx = i;
	if (how == BACKEND_CLONE_LINKED || (how == BACKEND_CLONE_SHARED && orig->disks[i].path)) {
		memcpy(out->base_uuid, orig->uuid, sizeof(out->base_uuid));
		out->base_path = orig->disks[i].path;
		out->shared = how == BACKEND_CLONE_SHARED;
		return true;
	}
	/* A copy of an overlay reads through what the original's disk read through. */
	for (size_t k = 0; how == BACKEND_CLONE_CHAINED && k < n_inherited; k++)
		if (inherited[k].idx == i && !inherited[k].shared) {
			memcpy(out->base_uuid, inherited[k].base_uuid, sizeof(out->base_uuid));
			out->base_path = inherited[k].base_path;
			return true;
		}
	return false;
}

/*
 * The snapshot the clone keeps: the one it is made from, or, for a copy
 * of an overlay on a snapshot's disk (a copy of a clone made from a
 * snapshot), the one the original keeps.
 */
static int core_clone_snapshot_keep(struct core *c, const struct vm_def *orig,
				    const struct vm_def *def, const struct backend_clone *req,
				    struct vmt_error *err)
{
	struct store_snapclone sc = { .snapshot = (char *)req->snapshot, .warm = req->warm };
	bool chained = false;
	int r;

	if (req->snapshot) {
		memcpy(sc.base_uuid, orig->uuid, sizeof(sc.base_uuid));
		memcpy(sc.clone_uuid, def->uuid, sizeof(sc.clone_uuid));
		return store_snapclone_add(c->store, &sc, err);
	}
	for (size_t i = 0; i < def->n_disks; i++)
		chained |= req->how[i] == BACKEND_CLONE_CHAINED;
	if (!chained)
		return 0;
	r = store_snapclone_get(c->store, orig->uuid, &sc, err);
	if (r == -ENOENT)
		return 0;
	memcpy(sc.clone_uuid, def->uuid, sizeof(sc.clone_uuid));
	/* A copy boots from its disks: the warm start was the original's. */
	sc.warm = false;
	if (r == 0)
		r = store_snapclone_add(c->store, &sc, err);
	store_snapclone_done(&sc);
	return r;
}

/* Store the clone and its links in one transaction. */
static int core_clone_store(struct core *c, const struct vm_def *orig, struct vm_def *def,
			    const struct backend_clone *req, struct vmt_error *err)
{
	struct store_link *inherited = NULL, link;
	size_t n_inherited = 0;
	int r = store_begin(c->store, err);

	if (r < 0)
		return r;
	r = store_vm_save(c->store, def, err);
	if (r == 0)
		r = store_link_list(c->store, orig->uuid, &inherited, &n_inherited, err);
	for (size_t i = 0; i < def->n_disks && r == 0; i++)
		if (core_clone_link(orig, def, i, req->how[i], inherited, n_inherited, &link))
			r = store_link_add(c->store, &link, err);
	store_link_list_free(inherited, n_inherited);
	if (r == 0)
		r = core_clone_snapshot_keep(c, orig, def, req, err);
	if (r == 0)
		return store_commit(c->store, err);
	store_rollback(c->store);
	return r;
}

/* The backend made it, the store would not keep it: take it back everywhere. */
static void core_clone_undo(struct backend *be, const struct vm_def *def)
{
	if (!be->ops->defs_in_store)
		backend_undefine(be, def->name, NULL);
	core_undo_images(be, def);
}

/* Make the clone of orig (or of its snapshot snap) as def; recorded in the history of both. */
static int core_clone_make(struct core *c, struct backend *be, const struct vm_def *orig,
			   struct vm_def *def, const char *snap, bool linked,
			   struct vmt_error *err)
{
	struct backend_clone req = {
		.name = orig->name, .orig = orig, .def = def, .linked = linked, .snapshot = snap,
		.how = xcalloc(def->n_disks + 1, sizeof(*req.how)),
	};
	char *from = snap ? xasprintf(" from snapshot %s", snap) : xstrdup("");
	char *to = xasprintf("%sclone to %s%s", linked ? "linked " : "", def->name, from);
	char *of = xasprintf("%sclone of %s%s", linked ? "linked " : "", orig->name, from);
	int r = backend_clone(be, &req, err);

	free(from);
	if (r == 0) {
		r = core_clone_store(c, orig, def, &req, err);
		if (r < 0)
			core_clone_undo(be, def);
	}
	core_event(c, be->uri, orig->uuid, orig->name, to, r, err);
	if (r == 0)
		core_event(c, be->uri, def->uuid, def->name, of, 0, NULL);
	free(req.how);
	free(to);
	free(of);
	return r;
}

/* A snapshot to clone from is the backend's: one that cannot is refused before anything. */
static int core_clone_check_snapshot(struct backend *be, const char *snap, struct vmt_error *err)
{
	if (!snap || be->ops->clone_snapshots)
		return 0;
	return vmt_error_set(err, -EINVAL, "--from-snapshot: %s cannot clone from a snapshot: %s "
			     "keeps a snapshot inside the VM's own disk images and has no call that "
			     "makes a new VM from another's snapshot (kvm:/// can)", be->uri,
			     be->ops->name);
}

static int core_clone_any(struct core *c, struct backend *be, const char *name,
			  const char *new_name, const char *snap, unsigned flags,
			  struct vm_def **out, struct vmt_error *err)
{
	struct vm_def *orig = NULL, *def;
	int r = core_clone_check_snapshot(be, snap, err);

	if (r == 0)
		r = core_clone_check_name(c, be, new_name, err);
	if (r == 0)
		r = core_get_def(c, be, name, &orig, err);
	/* A snapshot is taken already: the original may run and write its own disks meanwhile. */
	if (r == 0 && !snap)
		r = core_clone_check_state(c, be, name, err);
	if (r == 0 && !snap)
		r = core_image_check_clone(orig, err);
	if (r < 0) {
		vm_def_free(orig);
		return r;
	}
	def = core_clone_def(be, orig, new_name, snap != NULL);
	r = core_image_clone_forward(c, be, def, err);
	if (r == 0)
		r = core_clone_make(c, be, orig, def, snap, flags & CORE_CLONE_LINKED, err);
	vm_def_free(orig);
	if (r == 0 && (flags & CORE_CLONE_START) &&
	    core_action(c, be, BACKEND_START, new_name, err) < 0)
		r = vmt_error_prefix(err, "clone %s is made but did not start", new_name);
	if (r == 0 && out)
		*out = def;
	else
		vm_def_free(def);
	return r;
}

int core_clone(struct core *c, struct backend *be, const char *name,
	       const char *new_name, unsigned flags, struct vm_def **out,
	       struct vmt_error *err)
{
	return core_clone_any(c, be, name, new_name, NULL, flags, out, err);
}

int core_clone_snapshot(struct core *c, struct backend *be, const char *name, const char *snap,
			const char *new_name, unsigned flags, struct vm_def **out,
			struct vmt_error *err)
{
	return core_clone_any(c, be, name, new_name, snap, flags & ~CORE_CLONE_LINKED, out, err);
}
