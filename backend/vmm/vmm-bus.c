/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-bus.c: port and MMIO range dispatch, in the style of kvmtool's ioport and mmio tables. */
#include "config.h"

#include "backend/vmm/vmm-bus.h"

#include <errno.h>
#include <string.h>

void vmm_bus_init(struct vmm_bus *bus)
{
	memset(bus, 0, sizeof(*bus));
}

int vmm_bus_register(struct vmm_bus *bus, int space, uint64_t start,
		     uint64_t len, vmm_bus_handler_fn fn, void *opaque,
		     const char *name, struct vmt_error *err)
{
	struct vmm_bus_range *r;
	unsigned i;

	if (space != VMM_BUS_PIO && space != VMM_BUS_MMIO)
		return vmt_error_set(err, -EINVAL, "device %s: bad address space", name);
	if (len == 0 || start + len < start)
		return vmt_error_set(err, -EINVAL, "device %s: empty or wrapping range", name);
	for (i = 0; i < bus->count[space]; i++) {
		r = &bus->ranges[space][i];
		if (start < r->start + r->len && r->start < start + len)
			return vmt_error_set(err, -EBUSY,
					     "device %s at %#llx overlaps %s at %#llx",
					     name, (unsigned long long)start, r->name,
					     (unsigned long long)r->start);
	}
	if (bus->count[space] >= VMM_BUS_MAX_RANGES)
		return vmt_error_set(err, -ENOSPC, "device %s: dispatch table full", name);
	r = &bus->ranges[space][bus->count[space]++];
	r->start = start;
	r->len = len;
	r->fn = fn;
	r->opaque = opaque;
	r->name = name;
	return 0;
}

bool vmm_bus_access(const struct vmm_bus *bus, int space, uint64_t addr,
		    uint8_t *data, uint32_t len, bool is_write)
{
	const struct vmm_bus_range *r;
	unsigned i;

	if (!is_write)
		memset(data, 0xff, len);
	if (space != VMM_BUS_PIO && space != VMM_BUS_MMIO)
		return false;
	/* A handful of ranges: a linear scan beats anything cleverer here. */
	for (i = 0; i < bus->count[space]; i++) {
		r = &bus->ranges[space][i];
		if (addr - r->start < r->len) {
			r->fn(r->opaque, addr - r->start, data, len, is_write);
			return true;
		}
	}
	return false;
}
