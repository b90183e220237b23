/* SPDX-License-Identifier: GPL-2.0-or-later */
/* probe-defs.h: constants shared by the probe kernel's assembly and C code. */
#ifndef PROBE_DEFS_H
#define PROBE_DEFS_H

/* Where the protected-mode image runs; it is not relocatable. */
#define PROBE_LOAD_ADDR		0x100000

/* GDT selectors: 0x10/0x18 are what the boot protocol calls __BOOT_CS/DS. */
#define PROBE_CS64		0x08
#define PROBE_CS32		0x10
#define PROBE_DS		0x18

/* The 16-bit setup puts this in EBX so the 32-bit entry can tell it apart
 * from a 32-bit boot loader, which must pass EBX = 0. ("PB16") */
#define PROBE_SETUP_MAGIC	0x36314250

/* boot_params (zero page) offsets, Documentation/arch/x86/zero-page.rst. */
#define BP_ACPI_RSDP_ADDR	0x070
#define BP_EXT_RAMDISK_IMAGE	0x0c0
#define BP_EXT_RAMDISK_SIZE	0x0c4
#define BP_EXT_CMD_LINE_PTR	0x0c8
#define BP_E820_ENTRIES		0x1e8
#define BP_HDR			0x1f1
#define BP_TYPE_OF_LOADER	0x210
#define BP_CODE32_START		0x214
#define BP_RAMDISK_IMAGE	0x218
#define BP_RAMDISK_SIZE		0x21c
#define BP_CMD_LINE_PTR		0x228
#define BP_E820_TABLE		0x2d0
#define BP_E820_MAX		128
#define BP_SIZE			4096

/* Size of the probe's own copy of the command line, NUL included. */
#define PROBE_CMDLINE_MAX	4096

/* Interrupt vectors the probe uses. */
#define PROBE_VEC_KBD		0x21
#define PROBE_VEC_SERIAL	0x24
#define PROBE_VEC_SCI		0x29
#define PROBE_VEC_SPURIOUS	0xff

#endif
