/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-pvh.h: parse an uncompressed vmlinux (ELF64) for its PVH entry and the segments it loads. */
#ifndef VMM_PVH_H
#define VMM_PVH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/vmm/vmm-log.h"

/* The loadable segments a vmlinux has: Linux's has 4 or 5. */
#define VMM_PVH_MAX_SEGS 16

/* The ELF note Xen's and KVM's PVH loaders look for: name "Xen", this type. */
#define VMM_PVH_NOTE_PHYS32_ENTRY 18

/* hvm_start_info, the structure EBX points at on the PVH entry. */
#define VMM_PVH_MAGIC 0x336ec578u
#define VMM_PVH_START_INFO_SIZE 56
#define VMM_PVH_MODLIST_ENTRY_SIZE 32
#define VMM_PVH_MEMMAP_ENTRY_SIZE 24

struct vmm_pvh_seg {
	uint64_t paddr;		/* where it goes in guest memory */
	uint64_t offset;	/* its bytes in the file */
	uint64_t filesz;	/* bytes from the file; the rest of memsz is zeroed */
	uint64_t memsz;
};

struct vmm_pvh {
	uint32_t entry;		/* 32-bit physical entry, from the note */
	unsigned n_segs;
	struct vmm_pvh_seg segs[VMM_PVH_MAX_SEGS];
	uint64_t lo, hi;	/* the span the segments cover in guest memory */
};

/* True when buf starts like an ELF file (the runner then boots it as PVH). */
bool vmm_pvh_is_elf(const uint8_t *buf, size_t len);

/*
 * Parse buf[0, len) as an x86-64 ELF executable with a PVH entry note.
 * Pure and memory-safe on any input: it reads nothing outside the buffer
 * and keeps no pointer into it.  On error err says what is wrong ("no
 * PVH entry note (Xen note 18): a kernel built without CONFIG_PVH").
 */
int vmm_pvh_parse(const uint8_t *buf, size_t len, struct vmm_pvh *pvh, struct vmt_error *err);

#endif
