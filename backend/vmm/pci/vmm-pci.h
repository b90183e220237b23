/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-pci.h: PCI bus 0: configuration mechanism 1 at 0xcf8, a host bridge, and the functions' config spaces. */
#ifndef VMM_PCI_H
#define VMM_PCI_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "backend/vmm/vmm-bus.h"
#include "backend/vmm/vmm-dev.h"

#define VMM_PCI_CONFIG_PORT 0xcf8
#define VMM_PCI_SLOTS 32
#define VMM_PCI_BARS 6

/*
 * Where devices' memory BARs start (one VMM_PCI_BAR_SIZE slot each), in
 * the hole below 4 GiB that guest RAM leaves; the MMIO window the host
 * decodes runs from the end of low RAM up to the IOAPIC.
 */
#define VMM_PCI_BAR_BASE 0xe0000000ull
#define VMM_PCI_BAR_SIZE 0x4000u
#define VMM_PCI_WINDOW_END 0xfec00000ull

#define VMM_PCI_COMMAND 0x04
#define VMM_PCI_COMMAND_IO 0x1
#define VMM_PCI_COMMAND_MEMORY 0x2
#define VMM_PCI_COMMAND_MASTER 0x4
#define VMM_PCI_COMMAND_INTX_DISABLE 0x400
#define VMM_PCI_STATUS 0x06
#define VMM_PCI_STATUS_INTERRUPT 0x08
#define VMM_PCI_STATUS_CAP_LIST 0x10
#define VMM_PCI_BAR0 0x10
#define VMM_PCI_CAP_PTR 0x34
#define VMM_PCI_INTERRUPT_LINE 0x3c
#define VMM_PCI_INTERRUPT_PIN 0x3d

struct vmm_pci_func;

/*
 * A function's hooks, all called with the host's lock held.  cfg_read may
 * adjust what a config read returns; cfg_written sees every config write
 * after it landed; bar_access serves its memory BARs (called without the
 * host lock, from any vCPU thread).
 */
struct vmm_pci_func_ops {
	void (*cfg_read)(struct vmm_pci_func *f, uint32_t off, uint8_t *data, uint32_t len);
	void (*cfg_written)(struct vmm_pci_func *f, uint32_t off, uint32_t len);
	void (*bar_access)(struct vmm_pci_func *f, unsigned bar, uint64_t off, uint8_t *data,
			   uint32_t len, bool is_write);
};

/* One function's config space; embedded in its device, which owns it. */
struct vmm_pci_func {
	uint8_t cfg[256];
	uint8_t wmask[256];		/* bits the guest may change */
	uint8_t reset_cfg[256];		/* power-on state, for resets */
	uint32_t bar_size[VMM_PCI_BARS];	/* 0: no BAR */
	uint64_t bar_live[VMM_PCI_BARS];	/* decoded address, 0 when off; read lock-free */
	uint8_t cap_end;		/* where the next capability goes */
	uint8_t cap_last;		/* offset of the last capability's next pointer */
	const struct vmm_pci_func_ops *ops;
	void *opaque;
};

/* Header type 0 with these IDs; no BARs or capabilities yet. */
void vmm_pci_func_init(struct vmm_pci_func *f, uint16_t vendor, uint16_t device,
		       uint32_t class_rev, uint16_t subsys_vendor, uint16_t subsys,
		       const struct vmm_pci_func_ops *ops, void *opaque);

/* A 32-bit memory BAR of size (a power of two >= 16) at addr. */
void vmm_pci_func_bar(struct vmm_pci_func *f, unsigned bar, uint32_t size, uint32_t addr);

/* Reserve len bytes of capability id in the list; returns its offset (0: no room). */
uint8_t vmm_pci_func_cap(struct vmm_pci_func *f, uint8_t id, uint8_t len);

/* INTx pin A on this ISA/IOAPIC line (0xff: none). */
void vmm_pci_func_intx(struct vmm_pci_func *f, uint8_t line);

/* Remember the current config space as the power-on state. */
void vmm_pci_func_seal(struct vmm_pci_func *f);

/* Config space accesses with PCI semantics (read-only bits, BAR sizing). */
void vmm_pci_func_read(struct vmm_pci_func *f, uint32_t off, uint8_t *data, uint32_t len);
void vmm_pci_func_write(struct vmm_pci_func *f, uint32_t off, const uint8_t *data, uint32_t len);

/* Back to power-on (guest reboot). */
void vmm_pci_func_reset(struct vmm_pci_func *f);

/* The host: bus 0, slot 0 the bridge, the rest whatever was plugged. */
struct vmm_pci {
	struct vmm_dev dev;		/* in the VM's device list */
	pthread_mutex_t lock;		/* config cycles; guards addr and the functions' cfg */
	uint32_t addr;			/* last value written to 0xcf8 */
	struct vmm_pci_func bridge;
	struct vmm_pci_func *slot[VMM_PCI_SLOTS];
	uint64_t window_start;
	unsigned long long config_cycles;
};

void vmm_pci_init(struct vmm_pci *pci, uint64_t window_start);

/* Plug f into the next free slot; returns the slot, or -ENOSPC. */
int vmm_pci_plug(struct vmm_pci *pci, struct vmm_pci_func *f);

/* The slot's BAR base a device should use at power-on. */
uint32_t vmm_pci_bar_addr(unsigned slot);

/* Claim 0xcf8-0xcff and the MMIO window on the bus. */
int vmm_pci_register(struct vmm_pci *pci, struct vmm_bus *bus, struct vmt_error *err);

/* Every function back to power-on. */
void vmm_pci_reset(struct vmm_pci *pci);

/* The bus handlers, exposed for the fuzz harness. */
void vmm_pci_config_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len, bool is_write);
void vmm_pci_window_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len, bool is_write);

/* Every function back to power-on with the VM, before the devices behind them. */
extern const struct vmm_dev_ops vmm_pci_dev_ops;

#endif
