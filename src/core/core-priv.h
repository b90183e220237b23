/* SPDX-License-Identifier: GPL-2.0-or-later */
/* core-priv.h: what the core's own files share, and its faces do not call. */
#ifndef VMTUI_CORE_PRIV_H
#define VMTUI_CORE_PRIV_H

#include "src/core/core.h"

/* Tie def to be's connection and backend, and complete it with their defaults. */
void core_bind_def(struct backend *be, struct vm_def *def);
/* Remove the disks of def that vmtui just created, for undoing a failed create. */
void core_undo_images(struct backend *be, const struct vm_def *def);
/*
 * Before acting on a VM the hypervisor does not have but vmtui does: when
 * starting (or cloning) define it again from the store, else say so.
 */
int core_handle_missing(struct core *c, struct backend *be, bool starting,
			const char *name, struct vmt_error *err);

/*
 * Store def and run define (or redefine) in one transaction, renaming the
 * VM first when rename_from is its name now; *defined says whether the
 * hypervisor took the definition, whatever came after.
 */
int core_store_define(struct core *c, struct backend *be, struct vm_def *def,
		      bool redefine, const char *rename_from, bool *defined,
		      struct vmt_error *err);

/* core-image.c */
/*
 * A clone of a VM made from a cloud image: without the original's seed,
 * and due to take its own kernel from its disk at its first start.
 */
void core_image_cloned(struct vm_def *def);
/*
 * -EBUSY unless a clone can leave def's seed out: the disks of a clone
 * pair with the original's by position, so the seed must come last.
 */
int core_image_check_clone(const struct vm_def *def, struct vmt_error *err);
/*
 * A clone of a cloud image VM gets an SSH forward of its own (the
 * original's stays with it), so that vmtui ssh reaches the clone too.
 */
int core_image_clone_forward(struct core *c, struct backend *be, struct vm_def *def,
			     struct vmt_error *err);
/* After define: def->image.seed names the seed where the backend put it, not the file it came from. */
void core_image_placed(struct vm_def *def);
/* Before a start: a VM that booted once with its cloud-init seed is redefined without it. */
int core_image_before_start(struct core *c, struct backend *be, const char *name,
			    struct vmt_error *err);
/* After a start: a VM with its seed has now booted with it. */
void core_image_after_start(struct core *c, struct backend *be, const char *name);

/* core-clone.c */
/*
 * -EBUSY, naming them, when linked clones read through the disks of the
 * VM uuid (called name): vmtui does not verb it ("start", "delete");
 * nor delete it while clones made from its snapshots exist.
 */
int core_check_not_base(struct core *c, const char *uuid, const char *name,
			const char *verb, struct vmt_error *err);
/*
 * A copy of def without the disks another VM vmtui keeps on connection
 * uri also uses (a clone's shared read-only disk, its original's): what
 * deleting def's disks may delete.
 */
struct vm_def *core_own_disks(struct core *c, const char *host, const struct vm_def *def);
/*
 * -EBUSY, naming them, when clones made from the snapshot snap of the VM
 * uuid (called name; NULL: from any of its snapshots) exist: they read
 * through it, and it is not deleted.
 */
int core_check_snapshot_free(struct core *c, const char *uuid, const char *name,
			     const char *snap, struct vmt_error *err);
/* Whether name is a clone whose first start is to continue its snapshot's machine. */
bool core_clone_is_warm(struct core *c, struct backend *be, const char *name);

#endif
