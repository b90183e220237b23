/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-plug.c: put the PCI host bridge, the virtio disks, network cards and rng, and pvpanic on the bus; their life with the VM. */
#include "config.h"

#include "backend/kvm/vmm-vm.h"

#include <errno.h>

/*
 * INTx lines for guests that do not use MSI-X: ISA IRQs nothing else
 * here claims, one per device (a shared edge-triggered line could lose an
 * interrupt).  Devices past the list have MSI-X only.
 */
static const uint8_t vmm_plug_lines[] = { 5, 9, 10, 11, 3, 6, 7, 14, 15 };

static uint8_t vmm_plug_line(unsigned n)
{
	return n < sizeof(vmm_plug_lines) ? vmm_plug_lines[n] : 0xff;
}

/* On the vCPU that wrote the pvpanic register. */
static void vmm_plug_pvpanic_event(void *opaque, uint8_t event)
{
	if (event == VMM_PVPANIC_PANICKED)
		vmm_vm_guest_panic(opaque, "pvpanic");
	else
		vmm_warn("guest panicked, and its crash kernel takes over (pvpanic crash-loaded)");
}

/* Slots in a fixed order (disks, cards, rng, pvpanic): a new kind goes last, so old guests see old slots. */
static int vmm_plug_devices(struct vmm_vm *vm, const struct vmm_virtio_env *env, struct vmm_error *err)
{
	unsigned n = 0;
	int rc = 0;

	for (unsigned i = 0; rc == 0 && i < vm->cfg.ndisks; i++) {
		vm->blk[i] = vmm_blk_new(i, &vm->cfg.disks[i], env, err);
		rc = vm->blk[i] ? vmm_virtio_plug(&vm->blk[i]->v, &vm->pci, vmm_plug_line(n++), err) : -EIO;
	}
	for (unsigned i = 0; rc == 0 && i < vm->cfg.nnics; i++) {
		vm->net[i] = vmm_net_new(i, &vm->cfg.nics[i], env, err);
		rc = vm->net[i] ? vmm_virtio_plug(&vm->net[i]->v, &vm->pci, vmm_plug_line(n++), err) : -EIO;
	}
	if (rc == 0 && vm->cfg.rng) {
		vm->rng = vmm_rng_new(env, err);
		rc = vm->rng ? vmm_virtio_plug(&vm->rng->v, &vm->pci, vmm_plug_line(n++), err) : -EIO;
	}
	if (rc == 0 && vm->cfg.pvpanic) {
		vm->pvpanic = vmm_pvpanic_new(vmm_plug_pvpanic_event, vm, err);
		rc = vm->pvpanic ? vmm_pvpanic_plug(vm->pvpanic, &vm->pci, err) : -ENOMEM;
	}
	return rc;
}

int vmm_plug_create(struct vmm_vm *vm, struct vmm_error *err)
{
	struct vmm_virtio_env env = {
		.mem = &vm->mem,
		.irq_line = vmm_kvm_irq_line,
		.msi = vmm_kvm_msi,
		.ioeventfd = vmm_kvm_ioeventfd,
		.opaque = vm,
	};
	int rc;

	/* BARs go in the hole below 4 GiB; the host decodes all of it above low RAM. */
	vmm_pci_init(&vm->pci, vm->mem.low_size);
	rc = vmm_pci_register(&vm->pci, &vm->bus, err);
	if (rc == 0)
		rc = vmm_plug_devices(vm, &env, err);
	return rc;
}

int vmm_plug_start(struct vmm_vm *vm, struct vmm_error *err)
{
	int rc = 0;

	for (unsigned i = 0; rc == 0 && i < vm->cfg.ndisks; i++)
		rc = vmm_blk_start(vm->blk[i], err);
	for (unsigned i = 0; rc == 0 && i < vm->cfg.nnics; i++)
		rc = vmm_net_start(vm->net[i], err);
	return rc;
}

void vmm_plug_stop(struct vmm_vm *vm)
{
	for (unsigned i = 0; i < VMM_MAX_DISKS; i++)
		if (vm->blk[i])
			vmm_blk_stop(vm->blk[i]);
	for (unsigned i = 0; i < VMM_MAX_NICS; i++)
		if (vm->net[i])
			vmm_net_stop(vm->net[i]);
}

/* A reboot: every device back to power-on once its requests in flight are done. */
void vmm_plug_reset(struct vmm_vm *vm)
{
	vmm_pci_reset(&vm->pci);
	for (unsigned i = 0; i < VMM_MAX_DISKS; i++)
		if (vm->blk[i])
			vmm_virtio_hard_reset(&vm->blk[i]->v);
	for (unsigned i = 0; i < VMM_MAX_NICS; i++)
		if (vm->net[i])
			vmm_virtio_hard_reset(&vm->net[i]->v);
	if (vm->rng)
		vmm_virtio_hard_reset(&vm->rng->v);
}

void vmm_plug_destroy(struct vmm_vm *vm)
{
	for (unsigned i = 0; i < VMM_MAX_DISKS; i++) {
		vmm_blk_free(vm->blk[i]);
		vm->blk[i] = NULL;
	}
	for (unsigned i = 0; i < VMM_MAX_NICS; i++) {
		vmm_net_free(vm->net[i]);
		vm->net[i] = NULL;
	}
	vmm_rng_free(vm->rng);
	vm->rng = NULL;
	vmm_pvpanic_free(vm->pvpanic);
	vm->pvpanic = NULL;
}

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)

void vmm_plug_stats(struct vmm_vm *vm, struct vmm_buf *b)
{
	struct vmm_blk_stats bs = { 0 };
	struct vmm_net_stats ns = { 0 };
	unsigned long long broken = 0;

	for (unsigned i = 0; i < vm->cfg.ndisks; i++) {
		vmm_blk_stats_write(vm->blk[i], b, &bs);
		broken += LOAD(vm->blk[i]->v.stat_broken);
	}
	for (unsigned i = 0; i < vm->cfg.nnics; i++) {
		vmm_net_stats_write(vm->net[i], b, &ns);
		broken += LOAD(vm->net[i]->v.stat_broken);
	}
	if (vm->cfg.ndisks)
		vmm_buf_printf(b, "blk.rd_bytes %llu\nblk.wr_bytes %llu\nblk.rd_reqs %llu\nblk.wr_reqs %llu\n",
			       bs.rd_bytes, bs.wr_bytes, bs.rd_reqs, bs.wr_reqs);
	if (vm->cfg.nnics)
		vmm_buf_printf(b, "net.rx_bytes %llu\nnet.tx_bytes %llu\nnet.rx_pkts %llu\nnet.tx_pkts %llu\n",
			       ns.rx_bytes, ns.tx_bytes, ns.rx_pkts, ns.tx_pkts);
	if (vm->rng) {
		broken += LOAD(vm->rng->v.stat_broken);
		vmm_buf_printf(b, "rng.bytes %llu\nrng.broken %llu\n", LOAD(vm->rng->bytes),
			       LOAD(vm->rng->v.stat_broken));
	}
	if (vm->pvpanic)
		vmm_buf_printf(b, "pvpanic.panics %llu\npvpanic.crash_loaded %llu\n",
			       LOAD(vm->pvpanic->panics), LOAD(vm->pvpanic->crash_loaded));
	vmm_buf_printf(b, "virtio.broken %llu\n", broken);
}
