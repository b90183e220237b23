// SPDX-License-Identifier: GPL-2.0-or-later
/* core-vm.c: create, edit, delete, start and stop VMs, keeping store and hypervisor in step. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/core/core.h"
#include "src/core/core-priv.h"
#include "src/lib/log.h"
#include "src/lib/util.h"

void core_bind_def(struct backend *be, struct vm_def *def)
{
	vm_def_set_str(&def->uri, be->uri);
	vm_def_set_str(&def->host, be->host);
	vm_def_set_str(&def->backend, be->ops->name);
	vm_def_resolve(def, be->ops->default_disk_format);
}

/*
 * Complete and check def for the connection it is about to live on. old
 * is the VM before an edit (NULL for a new one): a name vmtui did not
 * give (virsh allows "my vm") is kept as it is; only a new name is checked.
 */
static int core_prepare_def(struct backend *be, struct vm_def *def,
			    const struct vm_def *old, struct vmt_error *err)
{
	struct vm_limits lim;
	int r = backend_limits(be, &lim, err);

	if (r < 0)
		return r;
	core_bind_def(be, def);
	if (old && str_eq(old->name, def->name))
		r = vm_def_validate_body(def, &lim, err);
	else
		r = vm_def_validate(def, &lim, err);
	return r < 0 ? r : backend_validate(be, def, old, err);
}

void core_undo_images(struct backend *be, const struct vm_def *def)
{
	struct vm_def *created = vm_def_copy(def);
	struct vmt_error e;

	for (size_t i = created->n_disks; i-- > 0;)
		if (!created->disks[i].created)
			vm_def_remove_disk(created, i);
	if (created->n_disks && backend_remove_storage(be, created, &e) < 0)
		LOG_WARN("could not remove the images of %s: %s", def->name, e.msg);
	vm_def_free(created);
}

int core_store_define(struct core *c, struct backend *be, struct vm_def *def,
		      bool redefine, const char *rename_from, bool *defined,
		      struct vmt_error *err)
{
	bool renamed = false;
	int r = store_begin(c->store, err);

	*defined = false;
	if (r < 0)
		return r;
	if (rename_from) {
		r = backend_rename(be, rename_from, def->name, err);
		renamed = r == 0;
	}
	if (r == 0)
		r = store_vm_save(c->store, def, err);
	if (r == 0)
		r = redefine ? backend_redefine(be, def, err) : backend_define(be, def, err);
	*defined = r == 0;
	/* Again, now with the image paths the backend chose. */
	if (r == 0) {
		core_image_placed(def);
		r = store_vm_save(c->store, def, err);
	}
	if (r == 0)
		r = store_commit(c->store, err);
	else
		store_rollback(c->store);
	if (r < 0 && renamed && backend_rename(be, def->name, rename_from, NULL) < 0)
		LOG_WARN("%s could not be renamed back to %s after a failed edit", def->name,
			 rename_from);
	return r;
}

/*
 * Input that fails validation was never tried on anything: it leaves no
 * trace, not even in the event history.
 */
int core_create(struct core *c, struct backend *be, struct vm_def *def,
		struct vmt_error *err)
{
	struct vm_def *old;
	bool defined;
	int r = core_prepare_def(be, def, NULL, err);

	if (r < 0)
		return r;
	if (store_vm_get(c->store, be->host, def->name, &old, NULL) == 0) {
		vm_def_free(old);
		return vmt_error_set(err, -EEXIST, "name: a VM named %s already exists on %s",
				     def->name, be->uri);
	}
	r = core_store_define(c, be, def, false, NULL, &defined, err);
	/* The store failed after the hypervisor took it: take it back there too. */
	if (r < 0 && defined && !be->ops->defs_in_store)
		backend_undefine(be, def->name, NULL);
	/* Only what this call made is marked created: a taken name made nothing. */
	if (r < 0)
		core_undo_images(be, def);
	core_event(c, be->uri, def->uuid, def->name, "create", r, err);
	return r;
}

/* Into def, the hypervisor's: what only the store knows of the VM and of its disks. */
static void core_def_keep_stored(struct vm_def *def, const struct vm_def *stored)
{
	vm_def_set_str(&def->group, stored->group);
	def->created = stored->created;
	def->updated = stored->updated;
	vm_image_done(&def->image);
	vm_image_copy(&def->image, &stored->image);
	for (size_t i = 0; i < def->n_disks; i++)
		for (size_t k = 0; k < stored->n_disks; k++) {
			const struct vm_disk *s = &stored->disks[k];
			struct vm_disk *d = &def->disks[i];

			if (d->path && s->path && strcmp(d->path, s->path) == 0) {
				d->created = s->created;
				if (!d->pool)
					vm_def_set_str(&d->pool, s->pool);
				break;
			}
		}
}

/*
 * A VM's definition as its hypervisor holds it now (libvirt may have been
 * told things behind vmtui's back: a disk attached with virsh), with what
 * only vmtui's store keeps, its group and dates. A domain libvirt no
 * longer has comes from the store alone. *managed: the store has this
 * very VM (not another of the same name).
 */
static int core_current_def(struct core *c, struct backend *be, const char *name,
			    struct vm_def **out, bool *managed, struct vmt_error *err)
{
	struct vm_def *stored = NULL;
	int r;

	*managed = store_vm_get(c->store, be->host, name, &stored, NULL) == 0;
	r = backend_get_def(be, name, out, err);
	if (r < 0) {
		if (!*managed || r != -ENOENT) {
			vm_def_free(stored);
			return r;
		}
		*out = stored;
		return 0;
	}
	/* Another domain of that name since (a new UUID): the stored one stays as it is. */
	if (*managed && (*out)->uuid[0] && strcmp((*out)->uuid, stored->uuid) != 0) {
		LOG_WARN("%s on %s is no longer the VM vmtui stored (UUID %s, now %s)", name,
			 be->uri, stored->uuid, (*out)->uuid);
		*managed = false;
	} else if (*managed) {
		core_def_keep_stored(*out, stored);
	}
	vm_def_free(stored);
	return 0;
}

int core_get_def(struct core *c, struct backend *be, const char *name,
		 struct vm_def **out, struct vmt_error *err)
{
	bool managed;

	return core_current_def(c, be, name, out, &managed, err);
}

/* The VM def is an edit of, as it is now, found by its UUID; NULL when nobody has it. */
static struct vm_def *core_def_before(struct core *c, struct backend *be,
				      const struct vm_def *def)
{
	struct vm_def *old = NULL;
	struct vm_info info;
	bool managed;

	if (!def->uuid[0])
		return NULL;
	if (backend_lookup_uuid(be, def->uuid, &info, NULL) == 0) {
		if (core_current_def(c, be, info.name, &old, &managed, NULL) < 0)
			old = NULL;
		vm_info_done(&info);
	} else if (store_vm_get_uuid(c->store, be->host, def->uuid, &old, NULL) < 0) {
		old = NULL;
	}
	return old;
}

/* A new name must be free on the connection, not only in vmtui's store. */
static int core_check_new_name(struct backend *be, const struct vm_def *def,
			       struct vmt_error *err)
{
	struct vm_info info;

	if (backend_lookup(be, def->name, &info, NULL) < 0)
		return 0;
	vm_info_done(&info);
	return vmt_error_set(err, -EEXIST, "name: a VM named %s already exists on %s",
			     def->name, be->uri);
}

void core_edit_result_done(struct core_edit_result *r)
{
	free(r->now);
	free(r->next_boot);
	memset(r, 0, sizeof(*r));
}

/*
 * A running VM after its edit was defined: hot-plug the devices that
 * changed, and name what waits for the next boot (all of it when what the
 * VM was before is not known).
 */
static void core_edit_running(struct backend *be, const struct vm_def *old,
			      const struct vm_def *def, struct core_edit_result *out)
{
	unsigned changes = old ? vm_def_changes(old, def) : ~0u;
	unsigned devices = VM_CHANGE_DISKS | VM_CHANGE_NICS;
	struct backend_hotplug hp = { .pending = 0 };
	struct vmt_error err;

	strbuf_init(&hp.done);
	if (old && (changes & devices) &&
	    backend_hotplug(be, def->name, old, def, &hp, &err) < 0) {
		strbuf_addf(&hp.done, "no device changed now (%s)", err.msg);
		hp.pending = devices;
	}
	out->now = hp.done.len ? strbuf_detach(&hp.done) : NULL;
	strbuf_done(&hp.done);
	out->next_boot = vm_changes_format((changes & ~devices) | (changes & hp.pending));
}

int core_edit(struct core *c, struct backend *be, struct vm_def *def,
	      struct core_edit_result *out, struct vmt_error *err)
{
	struct vm_def *old = core_def_before(c, be, def);
	const char *rename_from = old && !str_eq(old->name, def->name) ? old->name : NULL;
	struct vm_info info;
	bool defined;
	int r;

	memset(out, 0, sizeof(*out));
	/* A kernel the user gives in place of the image's is theirs: vmtui no longer updates it. */
	if (old && !str_eq(old->kernel, def->kernel)) {
		vm_def_set_str(&def->image.kernel_from, NULL);
		vm_def_set_str(&def->image.initrd_from, NULL);
		vm_def_set_str(&def->image.boot_stamp, NULL);
	}
	r = core_prepare_def(be, def, old, err);
	if (r == 0 && rename_from)
		r = core_check_new_name(be, def, err);
	/* Unlike a create, a refused edit was tried on a VM that exists: its history says so. */
	if (r < 0) {
		core_event(c, be->uri, def->uuid, def->name, rename_from ? "rename" : "edit", r, err);
		vm_def_free(old);
		return r;
	}
	r = core_store_define(c, be, def, true, rename_from, &defined, err);
	if (r == 0 && backend_lookup(be, def->name, &info, NULL) == 0) {
		out->running = vm_state_is_active(info.state);
		vm_info_done(&info);
	}
	core_event(c, be->uri, def->uuid, def->name, rename_from ? "rename" : "edit", r, err);
	if (out->running) {
		core_edit_running(be, old, def, out);
		if (out->now) {
			char *action = xasprintf("hot-plug: %s", out->now);

			core_event(c, be->uri, def->uuid, def->name, action, 0, NULL);
			free(action);
		}
	}
	vm_def_free(old);
	return r;
}

/*
 * Undefine on the hypervisor, then forget in the store. The hypervisor
 * goes first: it may still read the stored definition (kvm:///), and if
 * the store then fails, vmtui still has the definition and shows the VM
 * as missing, from where start defines it again.
 */
static int core_forget(struct core *c, struct backend *be, const char *name,
		       const struct vm_def *def, bool managed, bool defined,
		       struct vmt_error *err)
{
	int r = defined ? backend_undefine(be, name, err) : 0;

	if (r == 0 && managed)
		r = store_vm_delete(c->store, be->host, def->uuid, err);
	return r;
}

static int core_delete_def(struct core *c, struct backend *be, const char *name,
			   bool remove_disks, bool force, struct vm_def *def,
			   bool managed, struct vmt_error *err)
{
	struct vm_info info;
	struct vm_def *own;
	bool defined;
	int r = core_check_not_base(c, def->uuid, name, "delete", err);

	if (r < 0)
		return r;
	/* Asked before the store forgets the VM, with what its links say it shares. */
	own = remove_disks ? core_own_disks(c, be->host, def) : NULL;
	defined = backend_lookup(be, name, &info, NULL) == 0;
	if (defined && vm_state_is_active(info.state)) {
		if (!force)
			r = vmt_error_set(err, -EBUSY,
					  "VM %s is %s: stop it first, or delete it with --force",
					  name, vm_state_name(info.state));
		else
			r = backend_action(be, BACKEND_DESTROY, name, err);
	}
	if (defined)
		vm_info_done(&info);
	if (r == 0)
		r = core_forget(c, be, name, def, managed, defined, err);
	/* A disk shared with another VM (a clone's read-only one) is that VM's too. */
	if (r == 0 && remove_disks)
		r = backend_remove_storage(be, own, err);
	vm_def_free(own);
	return r;
}

int core_delete(struct core *c, struct backend *be, const char *name,
		bool remove_disks, bool force, struct vmt_error *err)
{
	struct vm_def *def = NULL;
	bool managed;
	int r = core_current_def(c, be, name, &def, &managed, err);

	if (r == 0)
		r = core_delete_def(c, be, name, remove_disks, force, def, managed, err);
	core_event(c, be->uri, def ? def->uuid : NULL, name,
		   remove_disks ? "delete --remove-disks" : "delete", r, err);
	vm_def_free(def);
	return r;
}

/* A stored VM that libvirt lost: define it again from vmtui's copy. */
static int core_redefine_missing(struct core *c, struct backend *be,
				 const char *name, struct vmt_error *err)
{
	struct vm_def *def;
	int r;

	if (store_vm_get(c->store, be->host, name, &def, NULL) < 0)
		return 0;
	LOG_INFO("%s is missing on %s: defining it again from the store", name, be->uri);
	r = backend_redefine(be, def, err);
	vm_def_free(def);
	return r;
}

int core_handle_missing(struct core *c, struct backend *be,
			       bool starting, const char *name,
			       struct vmt_error *err)
{
	struct vm_info info;
	struct vm_def *def;

	/* kvm:/// VMs live in the store itself: they cannot go missing. */
	if (be->ops->defs_in_store)
		return 0;
	if (backend_lookup(be, name, &info, NULL) == 0) {
		vm_info_done(&info);
		return 0;
	}
	if (starting)
		return core_redefine_missing(c, be, name, err);
	if (store_vm_get(c->store, be->host, name, &def, NULL) < 0)
		return 0;
	vm_def_free(def);
	return vmt_error_set(err, -EIO,
			     "VM %s is not defined on %s (removed outside vmtui?); vmtui start %s defines it again from vmtui's copy",
			     name, be->uri, name);
}

/* The original of linked clones is not started: it would write what they read through. */
static int core_check_start(struct core *c, struct backend *be, const char *name,
			    struct vmt_error *err)
{
	struct vm_info info;
	struct vm_def *def;
	int r = 0;

	if (backend_lookup(be, name, &info, NULL) == 0) {
		r = core_check_not_base(c, info.uuid, name, "start", err);
		vm_info_done(&info);
	} else if (store_vm_get(c->store, be->host, name, &def, NULL) == 0) {
		r = core_check_not_base(c, def->uuid, name, "start", err);
		vm_def_free(def);
	}
	return r;
}

int core_action(struct core *c, struct backend *be, enum backend_action a,
		const char *name, struct vmt_error *err)
{
	struct vm_info info;
	int r = a == BACKEND_START ? core_check_start(c, be, name, err) : 0;

	if (r == 0)
		r = core_handle_missing(c, be, a == BACKEND_START, name, err);
	/* A clone's first start from its snapshot's machine has that machine's devices. */
	if (r == 0 && a == BACKEND_START && !core_clone_is_warm(c, be, name))
		r = core_image_before_start(c, be, name, err);
	if (r == 0)
		r = backend_action(be, a, name, err);
	if (r == 0 && a == BACKEND_START)
		core_image_after_start(c, be, name);
	if (backend_lookup(be, name, &info, NULL) == 0) {
		core_event(c, be->uri, info.uuid, name, backend_action_name(a), r, err);
		vm_info_done(&info);
	} else {
		core_event(c, be->uri, NULL, name, backend_action_name(a), r, err);
	}
	return r;
}

int core_autostart(struct core *c, struct backend *be, const char *name,
		   bool on, struct vmt_error *err)
{
	struct vm_info info;
	int r = core_handle_missing(c, be, false, name, err);

	if (r == 0)
		r = backend_autostart(be, name, on, err);
	if (backend_lookup(be, name, &info, NULL) == 0) {
		core_event(c, be->uri, info.uuid, name, on ? "autostart on" : "autostart off",
			   r, err);
		vm_info_done(&info);
	}
	return r;
}

/* The stored definition's size of that disk, which show and list report. */
static void core_disk_size_store(struct core *c, struct backend *be, const char *name,
				 size_t index, uint64_t bytes)
{
	struct vm_def *def;
	struct vmt_error err;

	if (store_vm_get(c->store, be->host, name, &def, NULL) < 0)
		return;
	if (index < def->n_disks && def->disks[index].size_bytes) {
		def->disks[index].size_bytes = bytes;
		if (store_vm_save(c->store, def, &err) < 0)
			LOG_WARN("%s: the stored size of disk %zu stays: %s", name, index + 1,
				 err.msg);
	}
	vm_def_free(def);
}

int core_disk_resize(struct core *c, struct backend *be, const char *name, size_t index,
		     uint64_t bytes, struct vmt_error *err)
{
	struct vm_info info;
	int r = core_handle_missing(c, be, false, name, err);

	if (r == 0)
		r = backend_disk_resize(be, name, index, bytes, err);
	if (r == 0)
		core_disk_size_store(c, be, name, index, bytes);
	if (backend_lookup(be, name, &info, NULL) == 0) {
		char *action = xasprintf("disk %zu resize %.2f GiB", index + 1,
					 (double)bytes / (1ull << 30));

		core_event(c, be->uri, info.uuid, name, action, r, err);
		free(action);
		vm_info_done(&info);
	}
	return r;
}

int core_adopt(struct core *c, struct backend *be, const char *name,
	       struct vmt_error *err)
{
	struct vm_def *def, *stored = NULL;
	int r = backend_get_def(be, name, &def, err);

	if (r < 0)
		return r;
	/* Adopting again would replace what only the store keeps (group, image, dates). */
	if (def->uuid[0] && store_vm_get_uuid(c->store, be->host, def->uuid, &stored, NULL) == 0) {
		vm_def_free(stored);
		vm_def_free(def);
		return vmt_error_set(err, -EEXIST, "%s is already kept in vmtui", name);
	}
	core_bind_def(be, def);
	r = store_vm_save(c->store, def, err);
	core_event(c, be->uri, def->uuid, name, "adopt", r, err);
	vm_def_free(def);
	return r;
}

/* Domain XML files are small; anything bigger is not one. */
#define CORE_IMPORT_MAX_BYTES (16 << 20)

int core_import_file(struct core *c, struct backend *be, const char *path,
		     struct vm_def **out, struct vmt_error *err)
{
	char *text;
	int r = file_read_all(path, CORE_IMPORT_MAX_BYTES, &text, NULL, err);

	if (r < 0) {
		err->code = -EINVAL;
		return -EINVAL;
	}
	r = core_import(c, be, text, out, err);
	free(text);
	return r;
}

int core_export_file(struct core *c, struct backend *be, const char *name, const char *path,
		     struct vmt_error *err)
{
	char *text;
	int fd, r;

	if ((r = backend_export_def(be, name, &text, err)) < 0)
		return r;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		r = vmt_error_set(err, errno == EEXIST ? -EEXIST : -EIO, "cannot write %s: %s%s",
				  path, strerror(errno), errno == EEXIST ? " (give another name)" : "");
	else {
		int w = fd_write_all(fd, text, strlen(text)), cl = close(fd);

		if (w < 0 || cl < 0)
			r = vmt_error_set(err, -EIO, "cannot write %s: %s", path, strerror(errno));
	}
	if (r < 0 && fd >= 0 && r != -EEXIST)
		unlink(path);
	free(text);
	return r;
}

int core_import(struct core *c, struct backend *be, const char *text,
		struct vm_def **out, struct vmt_error *err)
{
	struct vm_def *def = NULL;
	int r = backend_import_def(be, text, &def, err);

	if (r == 0) {
		core_bind_def(be, def);
		r = store_vm_save(c->store, def, err);
		if (r < 0)
			backend_undefine(be, def->name, NULL);
	}
	core_event(c, be->uri, def ? def->uuid : NULL, def ? def->name : "?",
		   "import", r, err);
	if (r == 0)
		*out = def;
	else
		vm_def_free(def);
	return r;
}

/* The snapshot out's VM was cloned from, and the clones made from its own snapshots. */
static int core_show_snapshots(struct core *c, struct backend *be, struct core_vm_detail *out,
			       struct vmt_error *err)
{
	struct vm_def *base;
	int r = store_snapclone_get(c->store, out->def->uuid, &out->origin, err);

	if (r == 0 && store_vm_get_uuid(c->store, be->host, out->origin.base_uuid, &base,
					NULL) == 0) {
		out->origin_vm = xstrdup(base->name);
		vm_def_free(base);
	}
	if (r == 0 || r == -ENOENT)
		r = store_snapclone_clones(c->store, out->def->uuid, NULL, &out->snapshot_clones,
					   &out->n_snapshot_clones, err);
	return r;
}

int core_show(struct core *c, struct backend *be, const char *name,
	      struct core_vm_detail *out, struct vmt_error *err)
{
	int r;

	memset(out, 0, sizeof(*out));
	r = core_current_def(c, be, name, &out->def, &out->managed, err);
	if (r < 0)
		return r;
	if (backend_lookup(be, name, &out->info, NULL) < 0)
		core_vm_missing_info(out->def, &out->info);
	out->pending = vm_state_is_active(out->info.state) &&
		       (out->info.pending || out->info.vcpus != out->def->vcpus ||
			out->info.max_memory_kib / 1024 != out->def->memory_mib);
	r = store_event_list(c->store, out->def->uuid, 20, &out->events,
			     &out->n_events, err);
	if (r == 0)
		r = store_link_list(c->store, out->def->uuid, &out->links, &out->n_links, err);
	if (r == 0)
		r = store_link_clones(c->store, out->def->uuid, &out->clones, &out->n_clones, err);
	if (r == 0)
		r = core_show_snapshots(c, be, out, err);
	if (r < 0) {
		core_vm_detail_done(out);
		return r;
	}
	if (be->ops->log_path)
		out->log_path = be->ops->log_path(be, out->def->uuid);
	if (out->info.state != VM_STATE_MISSING) {
		struct vmt_error e;

		/* Displays too: a VM whose XML cannot be read now still shows. */
		if (backend_displays(be, name, &out->displays, &out->n_displays, &e) < 0)
			LOG_DEBUG("no displays for %s: %s", name, e.msg);
	}
	if (vm_state_is_active(out->info.state)) {
		struct vmt_error e;

		/* Addresses are a bonus: a guest without them still shows. */
		if (backend_addresses(be, name, &out->addrs, &out->n_addrs, &e) < 0)
			LOG_DEBUG("no addresses for %s: %s", name, e.msg);
	}
	return 0;
}

void core_vm_detail_done(struct core_vm_detail *d)
{
	vm_def_free(d->def);
	vm_info_done(&d->info);
	store_event_list_free(d->events, d->n_events);
	free(d->log_path);
	vm_address_list_free(d->addrs, d->n_addrs);
	vm_display_list_free(d->displays, d->n_displays);
	store_link_list_free(d->links, d->n_links);
	store_names_free(d->clones, d->n_clones);
	store_snapclone_done(&d->origin);
	free(d->origin_vm);
	store_names_free(d->snapshot_clones, d->n_snapshot_clones);
	memset(d, 0, sizeof(*d));
}
