/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kvm-clone.h: the disks of a kvm:/// clone, copied sparsely or made qcow2 overlays, and a clone's warm first start. */
#ifndef VMTUI_KVM_CLONE_H
#define VMTUI_KVM_CLONE_H

#include "backend/backend.h"

/*
 * Make each disk of req->def in imgdir (which exists): a sparse copy of
 * the original's image, or with req->linked a qcow2 overlay on it, or
 * with req->snapshot an overlay on that snapshot's copy of it, whose
 * folder is snapdir (kvm_snapshot_base); a read-only disk or a CD-ROM is
 * shared. On failure nothing made is left.
 */
int kvm_clone_disks(const char *imgdir, const char *snapdir, struct backend_clone *req,
		    struct vmt_error *err);

/*
 * When def is a clone of a running machine's snapshot that has not
 * started yet, start its runner from that snapshot's machine file, with
 * def's own disks and cards: *done then says so. That is tried once: the
 * next start boots, whether this one started or not. Otherwise nothing
 * is done, for a boot as any other.
 */
int kvm_clone_start_warm(struct backend *be, const struct vm_def *def, bool *done,
			 struct vmt_error *err);

/*
 * An edit from old to def of such a clone before its first start may not
 * change what the snapshot's machine is made of: -EINVAL says so.
 */
int kvm_clone_check_edit(struct backend *be, const struct vm_def *def, const struct vm_def *old,
			 struct vmt_error *err);

#endif
