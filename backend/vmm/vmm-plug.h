/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-plug.h: what a kind of PCI device gets to put its instances on the VM: the virtio environment and the next INTx line. */
#ifndef VMM_PLUG_H
#define VMM_PLUG_H

#include "backend/vmm/virtio/vmm-virtio.h"
#include "backend/vmm/vmm-dev.h"

struct vmm_config;

/*
 * Handed to each kind's plug function in turn (vmm-plug.c's table).  add
 * is a pointer, not a call into vmm-plug.c, so that a device file links
 * without the VM around it (the fuzz harnesses build devices alone).
 */
struct vmm_plug {
	const struct vmm_config *cfg;	/* says what to create */
	struct vmm_virtio_env env;
	/* Put v on the PCI bus with the next INTx line, and d (v's device) in the VM's list. */
	int (*add)(struct vmm_plug *p, struct vmm_virtio *v, struct vmm_dev *d,
		   const struct vmm_dev_ops *ops, struct vmt_error *err);
	/* A device that plugs itself into pci: into the VM's list. */
	void (*add_dev)(struct vmm_plug *p, struct vmm_dev *d, const struct vmm_dev_ops *ops,
			const char *name);
	struct vmm_pci *pci;
	/* A device heard the guest panic (how: "pvpanic"). */
	void (*guest_panic)(void *vm, const char *how);
	void *vm;			/* for add, add_dev and guest_panic */
	struct vmm_plug *self;		/* a device's callbacks may keep this for later */
	unsigned next_line;		/* index into the INTx lines still free */
};

#endif
