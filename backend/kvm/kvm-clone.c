// SPDX-License-Identifier: GPL-2.0-or-later
/* kvm-clone.c: copies and overlays of a kvm:/// VM's disks (or of a snapshot's) for its clone, without qemu-img, and a clone's warm first start. */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/kvm/kvm-clone.h"
#include "backend/kvm/kvm-image.h"
#include "backend/kvm/kvm-priv.h"
#include "src/lib/file-copy.h"
#include "src/lib/log.h"
#include "src/lib/util.h"

/* A disk the clone uses as the original does: nobody writes it. */
static bool kvm_clone_shares(const struct vm_disk *d)
{
	return d->device == VM_DISK_DEVICE_CDROM || d->readonly || !d->path;
}

/*
 * The overlay names its backing file by an absolute path with symbolic
 * links resolved, so it reads the same image wherever it is opened from.
 */
static int kvm_clone_overlay(const char *base, enum vm_disk_format format, const char *path,
			     struct vmt_error *err)
{
	char real[PATH_MAX];

	if (!realpath(base, real))
		return vmt_error_set(err, -EIO, "cannot find %s: %s", base, strerror(errno));
	return image_create_overlay(path, real, format, 0, err);
}

/*
 * The image disk i of the clone is made from: the original's, or the
 * snapshot's copy of it in snapdir, which must be there and must not name
 * its own backing file relatively (it would look for it in the snapshot's
 * folder). NULL, with err, when it cannot be.
 */
static char *kvm_clone_base(const char *snapdir, const struct backend_clone *req, size_t i,
			    struct vmt_error *err)
{
	const struct vm_disk *o = &req->orig->disks[i];
	char *copy, *backing;

	if (!snapdir)
		return xstrdup(o->path);
	copy = kvm_snapshot_disk(snapdir, i);
	if (access(copy, R_OK) < 0) {
		vmt_error_set(err, -EIO, "snapshot %s of %s has no copy of %s: the VM's disks "
			      "changed since it was taken", req->snapshot, req->name, o->path);
		free(copy);
		return NULL;
	}
	backing = image_backing_name(copy, o->format);
	if (backing && backing[0] != '/') {
		vmt_error_set(err, -EIO, "%s reads through %s, a name relative to its folder, which "
			      "the snapshot's copy of it does not find", o->path, backing);
		free(copy);
		copy = NULL;
	}
	free(backing);
	return copy;
}

/* What disk i of the clone is made as: a copy, an overlay on the original's or on the snapshot's. */
static enum backend_clone_disk kvm_clone_how(const struct backend_clone *req, bool overlay,
					     const char *backing)
{
	if (overlay)
		return req->snapshot ? BACKEND_CLONE_SNAPSHOT : BACKEND_CLONE_LINKED;
	return backing ? BACKEND_CLONE_CHAINED : BACKEND_CLONE_COPIED;
}

/* Disk i of the clone: a copy of base, or an overlay on it; what it did in req->how[i]. */
static int kvm_clone_disk(const char *imgdir, struct backend_clone *req, size_t i,
			  const char *base, bool overlay, struct vmt_error *err)
{
	const struct vm_disk *o = &req->orig->disks[i];
	struct vm_disk *d = &req->def->disks[i];
	enum vm_disk_format format = overlay ? VM_DISK_FORMAT_QCOW2 : o->format;
	char *backing = overlay ? NULL : image_backing_name(base, o->format);
	char *path;
	int r;

	/* A copy in the images folder would look for the backing file there. */
	if (backing && backing[0] != '/') {
		r = vmt_error_set(err, -EIO, "disk %zu: %s reads through %s, a name relative to its "
				  "folder, which a copy elsewhere would not find: make a linked clone",
				  i + 1, base, backing);
		free(backing);
		return r;
	}
	path = image_free_path(imgdir, req->def->name, i, format);
	r = overlay ? kvm_clone_overlay(base, o->format, path, err)
		    : file_copy_sparse(base, path, err);
	if (r < 0) {
		free(path);
		free(backing);
		return vmt_error_prefix(err, "disk %zu", i + 1);
	}
	req->how[i] = kvm_clone_how(req, overlay, backing);
	free(backing);
	LOG_INFO("kvm: %s disk %zu of %s (%s) to %s for %s", overlay ? "overlaid" : "copied",
		 i + 1, req->name, base, path, req->def->name);
	free(d->path);
	d->path = path;
	d->format = format;
	d->created = true;
	return 0;
}

int kvm_clone_disks(const char *imgdir, const char *snapdir, struct backend_clone *req,
		    struct vmt_error *err)
{
	int r = 0;
	size_t i;

	for (i = 0; i < req->def->n_disks && r == 0; i++) {
		const struct vm_disk *o = &req->orig->disks[i];
		char *base;

		req->how[i] = BACKEND_CLONE_SHARED;
		/*
		 * The snapshot's machine has the original's cloud-init seed,
		 * which the original deletes once it has booted: a copy.
		 */
		if (req->snapshot && o->path && str_eq(o->path, req->orig->image.seed)) {
			r = kvm_clone_disk(imgdir, req, i, o->path, false, err);
			if (r == 0)
				vm_def_set_str(&req->def->image.seed, req->def->disks[i].path);
			continue;
		}
		/* Shared with the original, so never the clone's to delete. */
		if (kvm_clone_shares(o)) {
			req->def->disks[i].created = false;
			continue;
		}
		base = kvm_clone_base(snapdir, req, i, err);
		r = base ? kvm_clone_disk(imgdir, req, i, base, req->linked || req->snapshot, err)
			 : vmt_error_prefix(err, "disk %zu", i + 1);
		free(base);
	}
	if (r == 0)
		return 0;
	for (size_t k = 0; k + 1 < i; k++)
		if (req->how[k] != BACKEND_CLONE_SHARED && unlink(req->def->disks[k].path) < 0)
			LOG_WARN("kvm: cannot remove %s: %s", req->def->disks[k].path, strerror(errno));
	return r;
}

/* The name of the VM uuid, for a message; "a deleted VM" when the store has it no more. */
static char *kvm_clone_vm_name(struct backend *be, const char *uuid)
{
	struct vm_def *def;
	char *name;

	if (store_vm_get_uuid(be->store, be->host, uuid, &def, NULL) < 0)
		return xstrdup("a deleted VM");
	name = xstrdup(def->name);
	vm_def_free(def);
	return name;
}

int kvm_clone_start_warm(struct backend *be, const struct vm_def *def, bool *done,
			 struct vmt_error *err)
{
	struct store_snapclone sc;
	struct vmt_error e;
	char *machine, *orig;
	int r = store_snapclone_get(be->store, def->uuid, &sc, err);

	*done = false;
	if (r == -ENOENT)
		return 0;
	if (r < 0 || !sc.warm) {
		store_snapclone_done(&sc);
		return r;
	}
	*done = true;
	machine = kvm_snapshot_machine(kvm_be(be), sc.base_uuid, sc.snapshot);
	r = kvm_start_runner(be, def, machine, false, err);
	/*
	 * Tried once, whatever came of it: a snapshot that does not fit (its
	 * VM was edited before the clone was made) would refuse every start.
	 */
	if (store_snapclone_cool(be->store, def->uuid, &e) < 0)
		LOG_WARN("kvm: %s: %s", def->name, e.msg);
	if (r < 0) {
		orig = kvm_clone_vm_name(be, sc.base_uuid);
		r = vmt_error_prefix(err, "%s could not go on from snapshot %s of %s (its next start "
				     "boots it from its disks)", def->name, sc.snapshot, orig);
		free(orig);
	} else {
		LOG_INFO("kvm: %s started from snapshot %s of %s", def->name, sc.snapshot,
			 sc.base_uuid);
	}
	free(machine);
	store_snapclone_done(&sc);
	return r;
}

/* What the runner's restore compares (vCPUs, memory, devices), and the disks the guest's memory knows. */
static bool kvm_clone_same_machine(const struct vm_def *a, const struct vm_def *b)
{
	if (a->vcpus != b->vcpus || a->memory_mib != b->memory_mib || a->n_disks != b->n_disks ||
	    a->n_nics != b->n_nics)
		return false;
	for (size_t i = 0; i < a->n_disks; i++) {
		const struct vm_disk *x = &a->disks[i], *y = &b->disks[i];

		if (!str_eq(x->path, y->path) || x->readonly != y->readonly ||
		    x->device != y->device || x->format != y->format)
			return false;
	}
	for (size_t i = 0; i < a->n_nics; i++)
		if (a->nics[i].kind != b->nics[i].kind || !str_eq(a->nics[i].source, b->nics[i].source))
			return false;
	return true;
}

int kvm_clone_check_edit(struct backend *be, const struct vm_def *def, const struct vm_def *old,
			 struct vmt_error *err)
{
	struct store_snapclone sc;
	char *orig;
	int r = 0;

	if (kvm_clone_same_machine(def, old) ||
	    store_snapclone_get(be->store, old->uuid, &sc, NULL) < 0)
		return 0;
	if (sc.warm) {
		orig = kvm_clone_vm_name(be, sc.base_uuid);
		r = vmt_error_set(err, -EINVAL, "VM %s has not started yet: its first start continues "
				  "snapshot %s of %s, a machine with these vCPUs, memory, disks and "
				  "network cards; start it once before changing them", old->name,
				  sc.snapshot, orig);
		free(orig);
	}
	store_snapclone_done(&sc);
	return r;
}
