// SPDX-License-Identifier: GPL-2.0-or-later
/* kvm-disk.c: growing a shut-off kvm:/// VM's disk image in place. */
#include "config.h"

#include <errno.h>

#include "backend/kvm/kvm-image.h"
#include "backend/kvm/kvm-priv.h"
#include "src/store/store.h"

/*
 * The runner sizes its virtio-blk disks when it starts, so the VM must
 * be shut off; the disks of linked clones read through this VM's, which
 * must not change under them.
 */
int kvm_disk_resize(struct backend *be, const char *name, size_t index, uint64_t bytes,
		    struct vmt_error *err)
{
	struct vm_def *def;
	const struct vm_disk *d;
	int r = kvm_get_def(be, name, &def, err);

	if (r < 0)
		return r;
	if (index >= def->n_disks) {
		r = def->n_disks ? vmt_error_set(err, -EINVAL, "VM %s has no disk %zu: it has %zu "
						 "(1 to %zu)", name, index + 1, def->n_disks,
						 def->n_disks)
				 : vmt_error_set(err, -EINVAL, "VM %s has no disks", name);
		goto out;
	}
	d = &def->disks[index];
	if (kvm_is_active(be, name))
		r = vmt_error_set(err, -EBUSY, "VM %s is running: shut it down first (the built-in "
				  "runner grows disks while the VM is off)", name);
	else if (d->device == VM_DISK_DEVICE_CDROM || d->readonly)
		r = vmt_error_set(err, -EINVAL, "disk %zu of %s (%s) is %s: only a writable disk "
				  "grows", index + 1, name, d->path,
				  d->device == VM_DISK_DEVICE_CDROM ? "a CD-ROM" : "read-only");
	else if (!d->path)
		r = vmt_error_set(err, -EINVAL, "disk %zu of %s has no image yet", index + 1, name);
	if (r == 0)
		r = store_link_check_base(be->store, def->uuid, name, "resize", err);
	if (r == 0)
		r = image_grow(d->path, d->format == VM_DISK_FORMAT_AUTO ? vm_disk_sniff(d->path)
							 : d->format, bytes, err);
out:
	vm_def_free(def);
	return r;
}
