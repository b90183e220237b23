/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-boot.h: lay a planned boot into guest memory: boot_params, e820, cmdline, page tables, GDT. */
#ifndef VMM_BOOT_H
#define VMM_BOOT_H

#include <stddef.h>
#include <stdint.h>

#include "backend/vmm/x86/vmm-bzimage.h"
#include "backend/vmm/x86/vmm-mem.h"
#include "backend/vmm/x86/vmm-tables.h"

/*
 * Guest physical layout of what the runner writes before the kernel runs
 * (all below 1 MiB except the kernel and initrd):
 *
 *   0x00000  real-mode IVT and BIOS data area (EBDA segment, base memory)
 *   0x00500  GDT: null, null, code (0x10), data (0x18), TSS (0x20)
 *   0x06ff0  initial stack pointer (the kernel sets up its own at once)
 *   0x07000  boot_params ("zero page"), or for an uncompressed vmlinux
 *            booted through its PVH entry: hvm_start_info, at 0x7040
 *            its module list (the initrd), at 0x7080 its e820 map
 *   0x09000  PML4, 0x0a000 PDPT, 0x0b000-0x0efff four page directories:
 *            2 MiB pages identity-mapping 0-4 GiB (64-bit entry only)
 *   0x20000  kernel command line (up to 64 KiB)
 *   0x9fc00  EBDA (1 KiB, e820 reserved, empty)
 *   0xf0000  ACPI RSDP/XSDT/RSDT/MADT/FADT/FACS/DSDT and the MP floating
 *            pointer and table (e820 reserved; see vmm-tables.h)
 *   kernel_addr    protected-mode kernel (pref_address or 1 MiB), or a
 *                  vmlinux's segments at their physical addresses
 *   initrd_addr    initrd, page-aligned, as high as initrd_addr_max allows
 */
#define VMM_BOOT_GDT 0x500ull
#define VMM_BOOT_STACK 0x6ff0ull
#define VMM_BOOT_PARAMS 0x7000ull
#define VMM_BOOT_PVH_INFO 0x7000ull
#define VMM_BOOT_PML4 0x9000ull
#define VMM_BOOT_PDPT 0xa000ull
#define VMM_BOOT_PD 0xb000ull
#define VMM_BOOT_CMDLINE 0x20000ull
#define VMM_BOOT_CMDLINE_MAX 0xffffull
#define VMM_BOOT_EBDA 0x9fc00ull
#define VMM_BOOT_BIOS 0xf0000ull
#define VMM_BOOT_BIOS_END 0x100000ull

#define VMM_BOOT_CS 0x10
#define VMM_BOOT_DS 0x18
#define VMM_BOOT_TSS 0x20

#define VMM_E820_RAM 1
#define VMM_E820_RESERVED 2
#define VMM_E820_MAX 128

struct vmm_e820 {
	uint64_t addr, size;
	uint32_t type;
};

/* The e820 map of m's layout; returns the number of entries (<= max). */
unsigned vmm_boot_e820(const struct vmm_mem *m, struct vmm_e820 *e, unsigned max);

/* The inputs of one boot; image and initrd are whole files in memory. */
struct vmm_boot_input {
	const uint8_t *image;
	size_t image_len;
	const uint8_t *initrd;
	size_t initrd_len;
	const char *cmdline;
	unsigned vcpus;
	const struct vmm_tables_pci *pci;	/* INTx wiring for the tables; NULL: none */
	int want_entry;		/* 0, 32 or 64 */
};

/* Where the BSP starts (rsi: boot_params; rbx: hvm_start_info on the PVH entry). */
struct vmm_boot_entry {
	int mode;		/* 32 or 64 */
	uint64_t rip, rsi, rbx, rsp, cr3;
};

/*
 * Write everything into m (which the caller has zeroed) and say where to
 * start: a bzImage through the boot protocol, an ELF vmlinux through its
 * PVH entry note.  err names the problem on a bad image or one that does
 * not fit.
 */
int vmm_boot_load(struct vmm_mem *m, const struct vmm_boot_input *in,
		  struct vmm_boot_entry *entry, struct vmm_boot_plan *plan,
		  struct vmt_error *err);

#endif
