/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-mem.h: guest physical memory: its layout around the 3-4 GiB hole and bounds-checked access. */
#ifndef VMM_MEM_H
#define VMM_MEM_H

#include <stdint.h>
#include <string.h>

#include "backend/vmm/vmm-log.h"

/* Below 4 GiB, RAM stops here; the rest is for LAPIC, IOAPIC and future PCI windows. */
#define VMM_MEM_HOLE_START 0xc0000000ull
#define VMM_MEM_HIGH_START 0x100000000ull

/*
 * One host mapping backs all of guest RAM: host[0, low_size) is guest
 * [0, low_size) and host[low_size, size) is guest [4 GiB, 4 GiB + high_size).
 * Owned by the VM; host may be any buffer for tests (vmm_mem_layout).
 */
struct vmm_mem {
	uint8_t *host;
	uint64_t size;
	uint64_t low_size;
	uint64_t high_size;
	int mapped;		/* host came from mmap (vmm_mem_alloc) */
	int file_backed;	/* a snapshot's memory is mapped over it (vmm_mem_map_file) */
};

/* Compute low/high sizes for bytes of RAM; host is left as is. */
void vmm_mem_layout(struct vmm_mem *m, uint64_t bytes);

/* mmap bytes of MAP_NORESERVE anonymous memory and lay it out. */
int vmm_mem_alloc(struct vmm_mem *m, uint64_t bytes, struct vmt_error *err);
void vmm_mem_free(struct vmm_mem *m);

/* Give the pages back to the host: guest RAM reads as zeros again (reboot). */
void vmm_mem_clear(struct vmm_mem *m);
/*
 * Map size bytes of fd from off over guest memory, privately: pages come
 * from the file when first touched and writes stay in this process.
 */
int vmm_mem_map_file(struct vmm_mem *m, int fd, uint64_t off, struct vmt_error *err);

/* Host pointer for guest [gpa, gpa+len) or NULL if any of it is not RAM. */
void *vmm_mem_ptr(const struct vmm_mem *m, uint64_t gpa, uint64_t len);

/* Bytes of guest memory resident in the host (mincore). */
uint64_t vmm_mem_resident(const struct vmm_mem *m);

static inline void vmm_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void vmm_put32(uint8_t *p, uint32_t v)
{
	vmm_put16(p, (uint16_t)v);
	vmm_put16(p + 2, (uint16_t)(v >> 16));
}

static inline void vmm_put64(uint8_t *p, uint64_t v)
{
	vmm_put32(p, (uint32_t)v);
	vmm_put32(p + 4, (uint32_t)(v >> 32));
}

static inline uint16_t vmm_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t vmm_get32(const uint8_t *p)
{
	return (uint32_t)vmm_get16(p) | ((uint32_t)vmm_get16(p + 2) << 16);
}

static inline uint64_t vmm_get64(const uint8_t *p)
{
	return (uint64_t)vmm_get32(p) | ((uint64_t)vmm_get32(p + 4) << 32);
}

#endif
