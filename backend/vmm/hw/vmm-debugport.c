/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-debugport.c: the three vmtui debug ports a test guest uses to talk to the runner cheaply. */
#include "config.h"

#include "backend/vmm/hw/vmm-debugport.h"

void vmm_debugport_init(struct vmm_debugport *d, vmm_debugport_ready_fn ready,
			vmm_debugport_exit_fn exit_fn, void *opaque)
{
	d->bench_writes = 0;
	d->ready = ready;
	d->exit = exit_fn;
	d->opaque = opaque;
}

static void vmm_debugport_io(void *opaque, uint64_t offset, uint8_t *data,
			     uint32_t len, bool is_write)
{
	struct vmm_debugport *d = opaque;

	if (!is_write)
		return;	/* reads stay all ones: these ports are write-only */
	switch (offset + VMM_DEBUGPORT_BASE) {
	case VMM_DEBUGPORT_READY:
		d->ready(d->opaque);
		break;
	case VMM_DEBUGPORT_EXIT:
		d->exit(d->opaque, data[0]);
		break;
	default:
		/* Kept as cheap as a handled exit can be: it is what the benchmark times. */
		__atomic_fetch_add(&d->bench_writes, 1, __ATOMIC_RELAXED);
		break;
	}
}

int vmm_debugport_register(struct vmm_debugport *d, struct vmm_bus *bus, struct vmt_error *err)
{
	return vmm_bus_register(bus, VMM_BUS_PIO, VMM_DEBUGPORT_BASE, 3, vmm_debugport_io, d,
				"debugport", err);
}

unsigned long long vmm_debugport_bench_count(const struct vmm_debugport *d)
{
	return __atomic_load_n(&d->bench_writes, __ATOMIC_RELAXED);
}

const struct vmm_dev_ops vmm_debugport_dev_ops = { 0 };
