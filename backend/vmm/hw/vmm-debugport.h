/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-debugport.h: vmtui's guest-to-host ports: 0x510 ready, 0x511 exit, 0x512 bench. */
#ifndef VMM_DEBUGPORT_H
#define VMM_DEBUGPORT_H

#include <stdint.h>

#include "backend/vmm/vmm-bus.h"
#include "backend/vmm/vmm-dev.h"

#define VMM_DEBUGPORT_BASE 0x510
#define VMM_DEBUGPORT_READY 0x510
#define VMM_DEBUGPORT_EXIT 0x511
#define VMM_DEBUGPORT_BENCH 0x512

typedef void (*vmm_debugport_ready_fn)(void *opaque);
typedef void (*vmm_debugport_exit_fn)(void *opaque, uint8_t status);

/* Embedded in the VM. */
struct vmm_debugport {
	struct vmm_dev dev;		/* in the VM's device list */
	unsigned long long bench_writes;	/* updated atomically */
	vmm_debugport_ready_fn ready;
	vmm_debugport_exit_fn exit;
	void *opaque;
};

void vmm_debugport_init(struct vmm_debugport *d, vmm_debugport_ready_fn ready,
			vmm_debugport_exit_fn exit_fn, void *opaque);
int vmm_debugport_register(struct vmm_debugport *d, struct vmm_bus *bus, struct vmt_error *err);
unsigned long long vmm_debugport_bench_count(const struct vmm_debugport *d);

/* Nothing to do over the VM's life but be listed. */
extern const struct vmm_dev_ops vmm_debugport_dev_ops;

#endif
