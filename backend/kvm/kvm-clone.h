/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kvm-clone.h: the disks of a kvm:/// clone, copied sparsely or made qcow2 overlays. */
#ifndef VMTUI_KVM_CLONE_H
#define VMTUI_KVM_CLONE_H

#include "backend/backend.h"

/*
 * Make each disk of req->def in imgdir (which exists): a sparse copy of
 * the original's image, or with req->linked a qcow2 overlay on it; a
 * read-only disk or a CD-ROM is shared. On failure nothing made is left.
 */
int kvm_clone_disks(const char *imgdir, struct backend_clone *req,
		    struct vmt_error *err);

#endif
