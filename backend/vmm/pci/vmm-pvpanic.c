/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-pvpanic.c: pvpanic on PCI: a byte register that reads the events offered and takes the one that happened. */
#include "config.h"

#include "backend/vmm/pci/vmm-pvpanic.h"
#include "backend/vmm/vmm-plug.h"
#include "backend/vmm/vmm-vm.h"

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

struct vmm_pvpanic *vmm_pvpanic_new(vmm_pvpanic_fn event, void *opaque, struct vmt_error *err)
{
	struct vmm_pvpanic *p = calloc(1, sizeof(*p));

	if (!p) {
		vmt_error_set(err, -ENOMEM, "out of memory for the pvpanic device");
		return NULL;
	}
	p->event = event;
	p->opaque = opaque;
	p->slot = -1;
	vmm_pci_func_init(&p->pci, PVPANIC_VENDOR, PVPANIC_DEVICE, PVPANIC_CLASS_REV,
			  PVPANIC_SUBSYS_VENDOR, PVPANIC_SUBSYS, &vmm_pvpanic_ops, p);
	return p;
}

int vmm_pvpanic_plug(struct vmm_pvpanic *p, struct vmm_pci *pci, struct vmt_error *err)
{
	int slot = vmm_pci_plug(pci, &p->pci);

	if (slot < 0)
		return vmt_error_set(err, slot, "pvpanic: no free PCI slot");
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

static struct vmm_pvpanic *vmm_pvpanic_of(struct vmm_dev *d)
{
	return vmm_dev_of(d, struct vmm_pvpanic, dev);
}

static void vmm_pvpanic_dev_stats(struct vmm_dev *d, struct vmm_buf *out, struct vmm_dev_sums *sum)
{
	struct vmm_pvpanic *p = vmm_pvpanic_of(d);

	(void)sum;
	vmm_buf_printf(out, "pvpanic.panics %llu\npvpanic.crash_loaded %llu\n",
		       __atomic_load_n(&p->panics, __ATOMIC_RELAXED),
		       __atomic_load_n(&p->crash_loaded, __ATOMIC_RELAXED));
}

static void vmm_pvpanic_dev_free(struct vmm_dev *d)
{
	vmm_pvpanic_free(vmm_pvpanic_of(d));
}

/* Its one register reads the same always: nothing to save or reset. */
static const struct vmm_dev_ops vmm_pvpanic_dev_ops = {
	.stats = vmm_pvpanic_dev_stats,
	.free = vmm_pvpanic_dev_free,
};

/* On the vCPU that wrote the register. */
static void vmm_pvpanic_event(void *opaque, uint8_t event)
{
	struct vmm_plug *p = opaque;

	if (event == VMM_PVPANIC_PANICKED)
		p->guest_panic(p->vm, "pvpanic");
	else
		vmm_warn("guest panicked, and its crash kernel takes over (pvpanic crash-loaded)");
}

int vmm_pvpanic_plug_kind(struct vmm_plug *p, struct vmt_error *err)
{
	struct vmm_pvpanic *pv;

	if (!p->cfg->pvpanic)
		return 0;
	pv = vmm_pvpanic_new(vmm_pvpanic_event, p->self, err);
	if (!pv)
		return err && err->code ? err->code : -ENOMEM;
	if (vmm_pvpanic_plug(pv, p->pci, err) < 0) {
		vmm_pvpanic_free(pv);
		return err && err->code ? err->code : -EIO;
	}
	p->add_dev(p, &pv->dev, &vmm_pvpanic_dev_ops, "pvpanic");
	return 0;
}
