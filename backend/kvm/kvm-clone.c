// SPDX-License-Identifier: GPL-2.0-or-later
/* kvm-clone.c: copies and overlays of a kvm:/// VM's disks for its clone, without qemu-img. */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/kvm/kvm-clone.h"
#include "backend/kvm/kvm-image.h"
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
static int kvm_clone_overlay(const struct vm_disk *o, const char *path,
			     struct vmt_error *err)
{
	char real[PATH_MAX];

	if (!realpath(o->path, real))
		return vmt_error_set(err, -EIO, "cannot find %s: %s", o->path, strerror(errno));
	return image_create_overlay(path, real, o->format, 0, err);
}

/* Disk i of the clone: a copy, or an overlay; what it did in req->how[i]. */
static int kvm_clone_disk(const char *imgdir, struct backend_clone *req, size_t i,
			  struct vmt_error *err)
{
	const struct vm_disk *o = &req->orig->disks[i];
	struct vm_disk *d = &req->def->disks[i];
	enum vm_disk_format format = req->linked ? VM_DISK_FORMAT_QCOW2 : o->format;
	char *backing = req->linked ? NULL : image_backing_name(o->path, o->format);
	char *path;
	int r;

	/* A copy in the images folder would look for the backing file there. */
	if (backing && backing[0] != '/') {
		r = vmt_error_set(err, -EIO, "disk %zu: %s reads through %s, a name relative to its "
				  "folder, which a copy elsewhere would not find: make a linked clone",
				  i + 1, o->path, backing);
		free(backing);
		return r;
	}
	path = image_free_path(imgdir, req->def->name, i, format);
	r = req->linked ? kvm_clone_overlay(o, path, err) : file_copy_sparse(o->path, path, err);
	if (r < 0) {
		free(path);
		free(backing);
		return vmt_error_prefix(err, "disk %zu", i + 1);
	}
	req->how[i] = req->linked ? BACKEND_CLONE_LINKED
		      : backing ? BACKEND_CLONE_CHAINED : BACKEND_CLONE_COPIED;
	free(backing);
	LOG_INFO("kvm: %s disk %zu of %s to %s for %s", req->linked ? "overlaid" : "copied",
		 i + 1, req->name, path, req->def->name);
	free(d->path);
	d->path = path;
	d->format = format;
	d->created = true;
	return 0;
}

int kvm_clone_disks(const char *imgdir, struct backend_clone *req,
		    struct vmt_error *err)
{
	int r = 0;
	size_t i;

	for (i = 0; i < req->def->n_disks && r == 0; i++) {
		req->how[i] = BACKEND_CLONE_SHARED;
		/* Shared with the original, so never the clone's to delete. */
		if (kvm_clone_shares(&req->orig->disks[i]))
			req->def->disks[i].created = false;
		else
			r = kvm_clone_disk(imgdir, req, i, err);
	}
	if (r == 0)
		return 0;
	for (size_t k = 0; k + 1 < i; k++)
		if (req->how[k] != BACKEND_CLONE_SHARED && unlink(req->def->disks[k].path) < 0)
			LOG_WARN("kvm: cannot remove %s: %s", req->def->disks[k].path, strerror(errno));
	return r;
}
