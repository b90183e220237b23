/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-bzimage.h: parse a Linux x86 bzImage's setup header and plan where it and its initrd go. */
#ifndef VMM_BZIMAGE_H
#define VMM_BZIMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "backend/vmm/vmm-log.h"

/* Offsets in the image (and in boot_params, which mirrors them). */
#define VMM_BZ_SETUP_SECTS 0x1f1
#define VMM_BZ_SYSSIZE 0x1f4
#define VMM_BZ_BOOT_FLAG 0x1fe
#define VMM_BZ_JUMP 0x200
#define VMM_BZ_HEADER 0x202
#define VMM_BZ_VERSION 0x206
#define VMM_BZ_TYPE_OF_LOADER 0x210
#define VMM_BZ_LOADFLAGS 0x211
#define VMM_BZ_CODE32_START 0x214
#define VMM_BZ_RAMDISK_IMAGE 0x218
#define VMM_BZ_RAMDISK_SIZE 0x21c
#define VMM_BZ_HEAP_END_PTR 0x224
#define VMM_BZ_CMD_LINE_PTR 0x228
#define VMM_BZ_INITRD_ADDR_MAX 0x22c
#define VMM_BZ_KERNEL_ALIGNMENT 0x230
#define VMM_BZ_RELOCATABLE 0x234
#define VMM_BZ_XLOADFLAGS 0x236
#define VMM_BZ_CMDLINE_SIZE 0x238
#define VMM_BZ_PREF_ADDRESS 0x258
#define VMM_BZ_INIT_SIZE 0x260
#define VMM_BZ_HDR_LIMIT 0x290	/* boot_params' setup_header ends before this */

#define VMM_BZ_LOADED_HIGH 0x01
#define VMM_BZ_CAN_USE_HEAP 0x80
#define VMM_BZ_XLF_KERNEL_64 0x01

/* Oldest boot protocol accepted: cmdline_size (2.06) is the last field relied on unconditionally. */
#define VMM_BZ_MIN_VERSION 0x0206

/* What the setup header says; offsets index the parsed buffer. */
struct vmm_bzimage {
	uint16_t version;
	unsigned setup_sects;	/* 0 in the image means 4 */
	size_t setup_size;	/* boot sector + setup code: where the kernel starts */
	size_t kernel_size;	/* protected-mode kernel bytes that follow */
	size_t hdr_end;		/* copy [0x1f1, hdr_end) into boot_params */
	uint8_t loadflags;
	uint16_t xloadflags;
	uint8_t relocatable;
	uint32_t code32_start;
	uint32_t initrd_addr_max;
	uint32_t kernel_alignment;
	uint32_t cmdline_size;
	uint32_t init_size;	/* memory the kernel needs from its load address */
	uint64_t pref_address;
};

/*
 * Parse buf[0, len) as a bzImage.  Pure and memory-safe on any input: it
 * reads nothing outside the buffer and keeps no pointer into it.  On error
 * err says what is wrong ("not a bzImage (no HdrS magic at 0x202)").
 */
int vmm_bzimage_parse(const uint8_t *buf, size_t len, struct vmm_bzimage *img,
		      struct vmt_error *err);

/* Where things go in guest memory for one boot. */
struct vmm_boot_plan {
	int entry;		/* 32 or 64 */
	uint64_t kernel_addr;
	uint64_t kernel_end;	/* kernel_addr + what it may use while unpacking */
	uint64_t initrd_addr;
	uint64_t initrd_size;
	uint64_t cmdline_len;	/* without the NUL */
};

/*
 * Plan a boot of img into RAM that ends at low_end (below 4 GiB).
 * want_entry is 0 (pick: 64 when the kernel has it), 32 or 64.
 */
int vmm_boot_plan_make(const struct vmm_bzimage *img, uint64_t low_end,
		       uint64_t initrd_size, uint64_t cmdline_len, int want_entry,
		       struct vmm_boot_plan *plan, struct vmt_error *err);

#endif
