/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-tables.h: the firmware tables that tell the guest its CPUs and interrupt wiring: ACPI MADT and the MP table. */
#ifndef VMM_TABLES_H
#define VMM_TABLES_H

#include <stdint.h>

#include "backend/vmm/x86/vmm-mem.h"

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

/*
 * Write ACPI (RSDP, RSDT, XSDT, MADT) and MP (floating pointer, config
 * table) describing cpus processors with APIC ids 0..cpus-1, one ISA bus
 * and one IOAPIC whose pins match ISA IRQs one to one (KVM's default
 * routing).  *rsdp gets the RSDP address for boot_params.
 */
int vmm_tables_build(struct vmm_mem *m, unsigned cpus, uint64_t *rsdp, struct vmm_error *err);

/* 8-bit sum of len bytes (a valid table sums to zero). */
uint8_t vmm_tables_sum(const uint8_t *p, size_t len);

#endif
