/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-pvpanic.h: the pvpanic PCI device (1b36:0011), through which a guest kernel says it panicked. */
#ifndef VMM_PVPANIC_H
#define VMM_PVPANIC_H

#include <stdint.h>

#include "backend/vmm/pci/vmm-pci.h"
#include "backend/vmm/vmm-dev.h"

/* Event bits of its one register (BAR 0, offset 0). */
#define VMM_PVPANIC_PANICKED 0x01	/* the host should act on the panic */
#define VMM_PVPANIC_CRASH_LOADED 0x02	/* a crash kernel takes over: let it run */
#define VMM_PVPANIC_EVENTS (VMM_PVPANIC_PANICKED | VMM_PVPANIC_CRASH_LOADED)

/* Called on the vCPU that wrote the register, with one event bit. */
typedef void (*vmm_pvpanic_fn)(void *opaque, uint8_t event);

/* Heap-allocated by vmm_pvpanic_new, owned by the VM. */
struct vmm_pvpanic {
	struct vmm_dev dev;
	struct vmm_pci_func pci;
	int slot;
	vmm_pvpanic_fn event;
	void *opaque;
	unsigned long long panics, crash_loaded;	/* updated atomically */
};

struct vmm_pvpanic *vmm_pvpanic_new(vmm_pvpanic_fn event, void *opaque, struct vmt_error *err);

/* Into the next free slot of bus 0: BAR 0 at its slot's address, no INTx. */
int vmm_pvpanic_plug(struct vmm_pvpanic *p, struct vmm_pci *pci, struct vmt_error *err);

void vmm_pvpanic_free(struct vmm_pvpanic *p);

struct vmm_plug;
/* The pvpanic device, unless --no-pvpanic, onto the PCI bus and the device list. */
int vmm_pvpanic_plug_kind(struct vmm_plug *p, struct vmt_error *err);

#endif
