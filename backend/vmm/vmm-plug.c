/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-plug.c: the PCI host bridge, then each kind of PCI device in a fixed order, so that slots stay where they were. */
#include "config.h"

#include "backend/vmm/vmm-plug.h"
#include "backend/vmm/virtio/vmm-blk.h"
#include "backend/vmm/virtio/vmm-net.h"
#include "backend/vmm/virtio/vmm-rng.h"
#include "backend/vmm/pci/vmm-pvpanic.h"
#include "backend/vmm/vmm-vm.h"

/*
 * The kinds of PCI device, in slot order: every --disk, every --net, the
 * rng, then pvpanic.  A new kind is its own file and one line here, at the end (a
 * line anywhere else moves the slots of the devices after it).
 */
static int (*const vmm_plug_kinds[])(struct vmm_plug *p, struct vmt_error *err) = {
	vmm_blk_plug,
	vmm_net_plug,
	vmm_rng_plug,
	vmm_pvpanic_plug_kind,
};

/*
 * INTx lines for guests that do not use MSI-X: ISA IRQs nothing else
 * here claims (9 is the ACPI SCI), one per device: KVM_IRQ_LINE keeps one
 * level per line for all of userspace, so two devices on one line would
 * lower each other's interrupt.  Devices past the list have MSI-X only.
 * The firmware tables describe this wiring (vmm_plug_intx).
 */
static const uint8_t vmm_plug_lines[] = { 5, 10, 11, 3, 6, 7, 14, 15 };

static int vmm_plug_virtio(struct vmm_plug *p, struct vmm_virtio *v, struct vmm_dev *d,
			   const struct vmm_dev_ops *ops, struct vmt_error *err)
{
	struct vmm_vm *vm = p->vm;
	unsigned n = p->next_line++;
	uint8_t line = n < sizeof(vmm_plug_lines) ? vmm_plug_lines[n] : 0xff;
	int rc = vmm_virtio_plug(v, &vm->pci, line, err);

	if (rc == 0)
		vmm_devs_add(&vm->devs, d, ops, v->name);
	return rc;
}

/* Every function on the bus that has an INTA# wired, as its config space says. */
void vmm_plug_intx(struct vmm_vm *vm, struct vmm_tables_pci *out)
{
	out->n = 0;
	for (unsigned s = 1; s < VMM_PCI_SLOTS; s++) {
		const struct vmm_pci_func *f = vm->pci.slot[s];

		if (!f || !f->reset_cfg[VMM_PCI_INTERRUPT_PIN] || f->reset_cfg[VMM_PCI_INTERRUPT_LINE] == 0xff)
			continue;
		out->intx[out->n].slot = (uint8_t)s;
		out->intx[out->n].line = f->reset_cfg[VMM_PCI_INTERRUPT_LINE];
		out->n++;
	}
}

static void vmm_plug_add_dev(struct vmm_plug *p, struct vmm_dev *d, const struct vmm_dev_ops *ops,
			     const char *name)
{
	vmm_devs_add(&((struct vmm_vm *)p->vm)->devs, d, ops, name);
}

static void vmm_plug_guest_panic(void *vm, const char *how)
{
	vmm_vm_guest_panic(vm, how);
}

/* Devices' callbacks keep a pointer to it: it lives as long as the VM. */
static struct vmm_plug vmm_plug_state;

int vmm_plug_create(struct vmm_vm *vm, struct vmt_error *err)
{
	struct vmm_plug p = {
		.cfg = &vm->cfg,
		.add = vmm_plug_virtio,
		.add_dev = vmm_plug_add_dev,
		.pci = &vm->pci,
		.guest_panic = vmm_plug_guest_panic,
		.vm = vm,
		.self = &vmm_plug_state,
		.env = {
			.mem = &vm->mem,
			.irq_line = vmm_kvm_irq_line,
			.msi = vmm_kvm_msi,
			.ioeventfd = vmm_kvm_ioeventfd,
			.opaque = vm,
		},
	};
	int rc;

	/* BARs go in the hole below 4 GiB; the host decodes all of it above low RAM. */
	vmm_pci_init(&vm->pci, vm->mem.low_size);
	rc = vmm_pci_register(&vm->pci, &vm->bus, err);
	if (rc)
		return rc;
	vmm_devs_add(&vm->devs, &vm->pci.dev, &vmm_pci_dev_ops, "pci");
	vmm_plug_state = p;
	for (size_t i = 0; rc == 0 && i < sizeof(vmm_plug_kinds) / sizeof(vmm_plug_kinds[0]); i++)
		rc = vmm_plug_kinds[i](&vmm_plug_state, err);
	return rc;
}
