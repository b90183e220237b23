/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-pci.c: configuration mechanism 1, a host bridge stock kernels accept, and BAR decoding for bus 0. */
#include "config.h"

#include "backend/vmm/pci/vmm-pci.h"
#include "backend/vmm/vmm-snap.h"

#include <errno.h>
#include <string.h>

#include "backend/vmm/x86/vmm-mem.h"

/*
 * Linux probes mechanism 1 by writing 0x80000000 to 0xcf8 and reading it
 * back, then wants a host bridge (class 0x0600) on bus 0 before it trusts
 * the bus ("PCI: Using configuration type 1"): so no "pci=conf1" and no
 * ACPI MCFG are needed.  The IDs are the generic host bridge QEMU uses.
 */
#define VMM_PCI_BRIDGE_VENDOR 0x1b36
#define VMM_PCI_BRIDGE_DEVICE 0x0008
#define VMM_PCI_CAP_START 0x40

void vmm_pci_func_init(struct vmm_pci_func *f, uint16_t vendor, uint16_t device,
		       uint32_t class_rev, uint16_t subsys_vendor, uint16_t subsys,
		       const struct vmm_pci_func_ops *ops, void *opaque)
{
	memset(f, 0, sizeof(*f));
	vmm_put16(f->cfg + 0x00, vendor);
	vmm_put16(f->cfg + 0x02, device);
	vmm_put32(f->cfg + 0x08, class_rev);
	f->cfg[0x0e] = 0;			/* header type 0, single function */
	vmm_put16(f->cfg + 0x2c, subsys_vendor);
	vmm_put16(f->cfg + 0x2e, subsys);
	f->cfg[VMM_PCI_INTERRUPT_LINE] = 0xff;
	/* Memory, bus master and INTx disable; no I/O BARs, so no I/O enable. */
	vmm_put16(f->wmask + VMM_PCI_COMMAND, VMM_PCI_COMMAND_MEMORY | VMM_PCI_COMMAND_MASTER |
		  VMM_PCI_COMMAND_INTX_DISABLE);
	f->wmask[VMM_PCI_INTERRUPT_LINE] = 0xff;	/* scratch for the OS */
	f->cap_end = VMM_PCI_CAP_START;
	f->ops = ops;
	f->opaque = opaque;
}

void vmm_pci_func_bar(struct vmm_pci_func *f, unsigned bar, uint32_t size, uint32_t addr)
{
	uint32_t mask = ~(size - 1) & ~0xfu;

	f->bar_size[bar] = size;
	vmm_put32(f->cfg + VMM_PCI_BAR0 + 4 * bar, addr & mask);
	vmm_put32(f->wmask + VMM_PCI_BAR0 + 4 * bar, mask);
}

uint8_t vmm_pci_func_cap(struct vmm_pci_func *f, uint8_t id, uint8_t len)
{
	uint8_t off = f->cap_end;

	if (len < 2 || (unsigned)off + len > 256)
		return 0;
	f->cfg[off] = id;
	f->cfg[off + 1] = 0;
	if (f->cap_last)
		f->cfg[f->cap_last] = off;
	else
		f->cfg[VMM_PCI_CAP_PTR] = off;
	f->cfg[VMM_PCI_STATUS] |= VMM_PCI_STATUS_CAP_LIST;
	f->cap_last = (uint8_t)(off + 1);
	f->cap_end = (uint8_t)((off + len + 3) & ~3u);
	return off;
}

void vmm_pci_func_intx(struct vmm_pci_func *f, uint8_t line)
{
	f->cfg[VMM_PCI_INTERRUPT_LINE] = line;
	f->cfg[VMM_PCI_INTERRUPT_PIN] = line == 0xff ? 0 : 1;
}

void vmm_pci_func_seal(struct vmm_pci_func *f)
{
	memcpy(f->reset_cfg, f->cfg, sizeof(f->cfg));
}

void vmm_pci_func_reset(struct vmm_pci_func *f)
{
	memcpy(f->cfg, f->reset_cfg, sizeof(f->cfg));
	for (unsigned b = 0; b < VMM_PCI_BARS; b++)
		__atomic_store_n(&f->bar_live[b], 0, __ATOMIC_RELEASE);
}

void vmm_pci_func_read(struct vmm_pci_func *f, uint32_t off, uint8_t *data, uint32_t len)
{
	if (off >= 256 || len > 256 - off)
		return;
	memcpy(data, f->cfg + off, len);
	if (f->ops && f->ops->cfg_read)
		f->ops->cfg_read(f, off, data, len);
}

/* The addresses the memory BARs decode now (0 while memory decoding is off). */
static void vmm_pci_func_decode(struct vmm_pci_func *f)
{
	bool on = vmm_get16(f->cfg + VMM_PCI_COMMAND) & VMM_PCI_COMMAND_MEMORY;

	for (unsigned b = 0; b < VMM_PCI_BARS; b++) {
		uint64_t a = 0;

		if (f->bar_size[b] && on)
			a = vmm_get32(f->cfg + VMM_PCI_BAR0 + 4 * b) & ~0xfu;
		__atomic_store_n(&f->bar_live[b], a, __ATOMIC_RELEASE);
	}
}

void vmm_pci_func_write(struct vmm_pci_func *f, uint32_t off, const uint8_t *data, uint32_t len)
{
	if (off >= 256 || len > 256 - off)
		return;
	for (uint32_t i = 0; i < len; i++) {
		uint8_t m = f->wmask[off + i];

		f->cfg[off + i] = (uint8_t)((f->cfg[off + i] & ~m) | (data[i] & m));
	}
	if (off < VMM_PCI_BAR0 + 4 * VMM_PCI_BARS && off + len > VMM_PCI_COMMAND)
		vmm_pci_func_decode(f);
	if (f->ops && f->ops->cfg_written)
		f->ops->cfg_written(f, off, len);
}

void vmm_pci_init(struct vmm_pci *pci, uint64_t window_start)
{
	memset(pci, 0, sizeof(*pci));
	pthread_mutex_init(&pci->lock, NULL);
	pci->window_start = window_start;
	vmm_pci_func_init(&pci->bridge, VMM_PCI_BRIDGE_VENDOR, VMM_PCI_BRIDGE_DEVICE,
			  0x06000000u, VMM_PCI_BRIDGE_VENDOR, 0x1100, NULL, NULL);
	memset(pci->bridge.wmask, 0, sizeof(pci->bridge.wmask));
	vmm_pci_func_seal(&pci->bridge);
	pci->slot[0] = &pci->bridge;
}

int vmm_pci_plug(struct vmm_pci *pci, struct vmm_pci_func *f)
{
	for (unsigned s = 1; s < VMM_PCI_SLOTS; s++)
		if (!pci->slot[s]) {
			pci->slot[s] = f;
			return (int)s;
		}
	return -ENOSPC;
}

uint32_t vmm_pci_bar_addr(unsigned slot)
{
	return (uint32_t)(VMM_PCI_BAR_BASE + (uint64_t)slot * VMM_PCI_BAR_SIZE);
}

/* The function the latched address selects, or NULL (reads as all ones). */
static struct vmm_pci_func *vmm_pci_selected(struct vmm_pci *pci)
{
	uint32_t a = pci->addr;

	if (!(a & 0x80000000u) || ((a >> 16) & 0xff) != 0 || ((a >> 8) & 7) != 0)
		return NULL;
	return pci->slot[(a >> 11) & 0x1f];
}

void vmm_pci_config_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len, bool is_write)
{
	struct vmm_pci *pci = opaque;
	struct vmm_pci_func *f;
	uint32_t reg;

	pthread_mutex_lock(&pci->lock);
	if (offset == 0 && len == 4) {
		/* Only whole-dword accesses latch: byte writes to 0xcfb are other probes. */
		if (is_write)
			pci->addr = vmm_get32(data) & 0x80fffffcu;
		else
			vmm_put32(data, pci->addr);
	} else if (offset >= 4 && offset - 4 + len <= 4 && (f = vmm_pci_selected(pci))) {
		reg = (pci->addr & 0xfc) + (uint32_t)(offset - 4);
		pci->config_cycles++;
		if (is_write)
			vmm_pci_func_write(f, reg, data, len);
		else
			vmm_pci_func_read(f, reg, data, len);
	}
	pthread_mutex_unlock(&pci->lock);
}

void vmm_pci_window_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len, bool is_write)
{
	struct vmm_pci *pci = opaque;
	uint64_t addr = pci->window_start + offset;

	/* Slots are filled before any vCPU runs; BAR addresses change under the lock. */
	for (unsigned s = 1; s < VMM_PCI_SLOTS; s++) {
		struct vmm_pci_func *f = pci->slot[s];

		if (!f)
			continue;
		for (unsigned b = 0; b < VMM_PCI_BARS; b++) {
			uint64_t base = __atomic_load_n(&f->bar_live[b], __ATOMIC_ACQUIRE);

			if (base && addr - base < f->bar_size[b] && f->bar_size[b] - (addr - base) >= len) {
				if (f->ops && f->ops->bar_access)
					f->ops->bar_access(f, b, addr - base, data, len, is_write);
				return;
			}
		}
	}
}

int vmm_pci_register(struct vmm_pci *pci, struct vmm_bus *bus, struct vmt_error *err)
{
	int rc = vmm_bus_register(bus, VMM_BUS_PIO, VMM_PCI_CONFIG_PORT, 8, vmm_pci_config_io, pci,
				  "pci-config", err);

	if (rc == 0 && pci->window_start < VMM_PCI_WINDOW_END)
		rc = vmm_bus_register(bus, VMM_BUS_MMIO, pci->window_start,
				      VMM_PCI_WINDOW_END - pci->window_start, vmm_pci_window_io, pci,
				      "pci-window", err);
	return rc;
}

void vmm_pci_reset(struct vmm_pci *pci)
{
	pthread_mutex_lock(&pci->lock);
	pci->addr = 0;
	for (unsigned s = 0; s < VMM_PCI_SLOTS; s++)
		if (pci->slot[s])
			vmm_pci_func_reset(pci->slot[s]);
	pthread_mutex_unlock(&pci->lock);
}

static void vmm_pci_dev_reset(struct vmm_dev *d)
{
	vmm_pci_reset(vmm_dev_of(d, struct vmm_pci, dev));
}

/* The latch and every function's config space; each device keeps the rest of its own state. */
static int vmm_pci_dev_save(struct vmm_dev *d, struct vmm_snap_out *o, struct vmt_error *err)
{
	struct vmm_pci *pci = vmm_dev_of(d, struct vmm_pci, dev);

	(void)err;
	pthread_mutex_lock(&pci->lock);
	vmm_snap_put32(o, pci->addr);
	for (unsigned s = 0; s < VMM_PCI_SLOTS; s++) {
		uint8_t present = pci->slot[s] != NULL;

		vmm_snap_put(o, &present, 1);
		if (present)
			vmm_snap_put(o, pci->slot[s]->cfg, sizeof(pci->slot[s]->cfg));
	}
	pthread_mutex_unlock(&pci->lock);
	return 0;
}

/* Read-only bits keep what this runner gives them: only what the guest may write is taken. */
static int vmm_pci_dev_restore(struct vmm_dev *d, struct vmm_snap_in *in, struct vmt_error *err)
{
	struct vmm_pci *pci = vmm_dev_of(d, struct vmm_pci, dev);
	uint8_t cfg[256], present;
	uint32_t addr;
	int rc = vmm_snap_get32(in, &addr, err);

	for (unsigned s = 0; rc == 0 && s < VMM_PCI_SLOTS; s++) {
		struct vmm_pci_func *f = pci->slot[s];

		if ((rc = vmm_snap_get(in, &present, 1, err)))
			break;
		if ((present != 0) != (f != NULL)) {
			rc = vmt_error_set(err, -EINVAL, "the snapshot has %s in PCI slot %u", present ?
					   "a device" : "no device", s);
			break;
		}
		if (!f || (rc = vmm_snap_get(in, cfg, sizeof(cfg), err)))
			continue;
		for (unsigned i = 0; i < sizeof(cfg); i++)
			f->cfg[i] = (uint8_t)((f->cfg[i] & ~f->wmask[i]) | (cfg[i] & f->wmask[i]));
		vmm_pci_func_decode(f);
	}
	if (rc == 0)
		pci->addr = addr & 0x80fffffcu;
	return rc;
}

const struct vmm_dev_ops vmm_pci_dev_ops = {
	.reset = vmm_pci_dev_reset,
	.save = vmm_pci_dev_save,
	.restore = vmm_pci_dev_restore,
};
