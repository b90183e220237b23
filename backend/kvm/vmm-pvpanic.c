/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-pvpanic.c: pvpanic on PCI: a byte register that reads the events offered and takes the one that happened. */
#include "config.h"

#include "backend/kvm/vmm-pvpanic.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/*
 * The IDs Linux's pvpanic-pci driver binds to, class "other system
 * peripheral", revision 1.  Being on PCI, the guest finds it without ACPI.
 */
#define PVPANIC_VENDOR 0x1b36
#define PVPANIC_DEVICE 0x0011
#define PVPANIC_CLASS_REV 0x08800001u
#define PVPANIC_SUBSYS_VENDOR 0x1af4
#define PVPANIC_SUBSYS 0x1100
/* The register is one byte; 16 bytes is the smallest memory BAR there is. */
#define PVPANIC_BAR_SIZE 16u

/*
 * Reads: the events offered in byte 0, zeros elsewhere.  A write of byte 0
 * reports one event: bits the device does not know are ignored, and a
 * panic wins over crash-loaded when a guest sets both.
 */
static void vmm_pvpanic_bar(struct vmm_pci_func *f, unsigned bar, uint64_t off, uint8_t *data,
			    uint32_t len, bool is_write)
{
	struct vmm_pvpanic *p = f->opaque;
	uint8_t v;

	if (bar != 0 || off >= PVPANIC_BAR_SIZE)
		return;
	if (!is_write) {
		memset(data, 0, len);
		if (off == 0)
			data[0] = VMM_PVPANIC_EVENTS;
		return;
	}
	if (off != 0)
		return;
	v = data[0] & VMM_PVPANIC_EVENTS;
	if (v & VMM_PVPANIC_PANICKED) {
		__atomic_add_fetch(&p->panics, 1, __ATOMIC_RELAXED);
		p->event(p->opaque, VMM_PVPANIC_PANICKED);
	} else if (v & VMM_PVPANIC_CRASH_LOADED) {
		__atomic_add_fetch(&p->crash_loaded, 1, __ATOMIC_RELAXED);
		p->event(p->opaque, VMM_PVPANIC_CRASH_LOADED);
	}
}

static const struct vmm_pci_func_ops vmm_pvpanic_ops = {
	.bar_access = vmm_pvpanic_bar,
};

struct vmm_pvpanic *vmm_pvpanic_new(vmm_pvpanic_fn event, void *opaque, struct vmm_error *err)
{
	struct vmm_pvpanic *p = calloc(1, sizeof(*p));

	if (!p) {
		vmm_error_set(err, -ENOMEM, "out of memory for the pvpanic device");
		return NULL;
	}
	p->event = event;
	p->opaque = opaque;
	p->slot = -1;
	vmm_pci_func_init(&p->pci, PVPANIC_VENDOR, PVPANIC_DEVICE, PVPANIC_CLASS_REV,
			  PVPANIC_SUBSYS_VENDOR, PVPANIC_SUBSYS, &vmm_pvpanic_ops, p);
	return p;
}

int vmm_pvpanic_plug(struct vmm_pvpanic *p, struct vmm_pci *pci, struct vmm_error *err)
{
	int slot = vmm_pci_plug(pci, &p->pci);

	if (slot < 0)
		return vmm_error_set(err, slot, "pvpanic: no free PCI slot");
	p->slot = slot;
	/* No interrupt pin: the device never signals the guest. */
	vmm_pci_func_bar(&p->pci, 0, PVPANIC_BAR_SIZE, vmm_pci_bar_addr((unsigned)slot));
	vmm_pci_func_seal(&p->pci);
	return 0;
}

void vmm_pvpanic_free(struct vmm_pvpanic *p)
{
	free(p);
}
