/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-bus.h: the one dispatcher that maps port and MMIO ranges to device handlers. */
#ifndef VMM_BUS_H
#define VMM_BUS_H

#include <stdbool.h>
#include <stdint.h>

#include "backend/vmm/vmm-log.h"

enum vmm_bus_space {
	VMM_BUS_PIO = 0,
	VMM_BUS_MMIO = 1,
};

/*
 * A device access.  offset is relative to the start of the registered
 * range; data holds len bytes (1, 2, 4 or 8) little-endian.  A read handler
 * fills data; whatever it leaves untouched reads as all ones.  Handlers run
 * on vCPU threads, several at once: each device locks its own state.
 */
typedef void (*vmm_bus_handler_fn)(void *opaque, uint64_t offset,
				   uint8_t *data, uint32_t len, bool is_write);

struct vmm_bus_range {
	uint64_t start;
	uint64_t len;
	vmm_bus_handler_fn fn;
	void *opaque;
	const char *name;
};

#define VMM_BUS_MAX_RANGES 32

/*
 * Embedded in the VM.  Ranges are registered during set-up, before any
 * vCPU runs, so lookups need no lock.
 */
struct vmm_bus {
	struct vmm_bus_range ranges[2][VMM_BUS_MAX_RANGES];
	unsigned count[2];
};

void vmm_bus_init(struct vmm_bus *bus);

/* Claim [start, start+len) in space; fails on overlap or a full table. */
int vmm_bus_register(struct vmm_bus *bus, int space, uint64_t start,
		     uint64_t len, vmm_bus_handler_fn fn, void *opaque,
		     const char *name, struct vmt_error *err);

/*
 * Dispatch one access.  Returns true when a device claimed it; an
 * unclaimed read leaves data as all ones, an unclaimed write is dropped.
 */
bool vmm_bus_access(const struct vmm_bus *bus, int space, uint64_t addr,
		    uint8_t *data, uint32_t len, bool is_write);

#endif
