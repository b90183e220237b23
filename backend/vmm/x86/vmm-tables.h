/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-tables.h: the firmware tables that describe the machine to the guest: ACPI and the MP table. */
#ifndef VMM_TABLES_H
#define VMM_TABLES_H

#include <stdint.h>

#include "backend/vmm/x86/vmm-mem.h"
#include "backend/vmm/pci/vmm-pci.h"

#define VMM_TABLES_LAPIC 0xfee00000u
#define VMM_TABLES_IOAPIC 0xfec00000u
#define VMM_TABLES_MAX_CPUS 64

/* Where each table sits inside the reserved 0xf0000-0xfffff window. */
#define VMM_TABLES_RSDP 0xf0000ull
#define VMM_TABLES_XSDT 0xf0040ull
#define VMM_TABLES_RSDT 0xf0080ull
#define VMM_TABLES_MADT 0xf0100ull
#define VMM_TABLES_MPFP 0xf1000ull
#define VMM_TABLES_MPC 0xf1010ull
#define VMM_TABLES_FADT 0xf2000ull
#define VMM_TABLES_FACS 0xf2140ull	/* 64-byte aligned, as the spec requires */
#define VMM_TABLES_DSDT 0xf3000ull
#define VMM_TABLES_DSDT_MAX 0x2000u

#define VMM_TABLES_FADT_LEN 276		/* revision 6 */
#define VMM_TABLES_FACS_LEN 64

/* One PCI slot's INTA#, wired to this ISA IRQ (the IOAPIC pin of the same number). */
struct vmm_tables_intx {
	uint8_t slot;
	uint8_t line;
};

/* The INTx wiring of bus 0; slots without INTx are not listed. */
struct vmm_tables_pci {
	unsigned n;
	struct vmm_tables_intx intx[VMM_PCI_SLOTS];
};

/*
 * Write ACPI (RSDP, RSDT, XSDT, FADT, FACS, DSDT, MADT) and MP (floating
 * pointer, config table) describing cpus processors with APIC ids
 * 0..cpus-1, one IOAPIC whose pins match ISA IRQs one to one (KVM's
 * default routing), PCI bus 0 with the INTx wiring pci lists (NULL: none)
 * and its MMIO window from the end of low RAM to the IOAPIC, and the PM1
 * block of vmm-acpi.h.  *rsdp gets the RSDP address for boot_params.
 */
int vmm_tables_build(struct vmm_mem *m, unsigned cpus, const struct vmm_tables_pci *pci,
		     uint64_t *rsdp, struct vmt_error *err);

/* 8-bit sum of len bytes (a valid table sums to zero). */
uint8_t vmm_tables_sum(const uint8_t *p, size_t len);

/*
 * In vmm-dsdt.c: the DSDT's AML, without its header, into buf: \_S5, the
 * PCI root bridge (resources, _PRT) and the legacy devices.  Returns the
 * length, or a negative errno when cap is too small.
 */
long vmm_dsdt_build(uint8_t *buf, size_t cap, uint32_t window_start, const struct vmm_tables_pci *pci);

#endif
