/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-state.h: the x86 machine's state in a snapshot: vCPUs, the in-kernel irqchip and PIT, kvmclock. */
#ifndef VMM_STATE_H
#define VMM_STATE_H

#include "backend/vmm/vmm-snap.h"
#include "backend/vmm/vmm-vm.h"

/* With every vCPU parked (and its last I/O completed): sections vcpuN and machine. */
int vmm_state_save(struct vmm_vm *vm, struct vmm_snap_out *o, struct vmt_error *err);
/* Into a VM just created by the same command line, before any vCPU runs. */
int vmm_state_restore(struct vmm_vm *vm, struct vmm_snap_in *in, struct vmt_error *err);

#endif
