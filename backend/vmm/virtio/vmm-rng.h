/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-rng.h: virtio-rng over PCI, fed from getrandom() on the notifying vCPU. */
#ifndef VMM_RNG_H
#define VMM_RNG_H

#include "backend/vmm/virtio/vmm-virtio.h"
#include "backend/vmm/vmm-dev.h"

/* Heap-allocated by vmm_rng_new, owned by the VM. */
struct vmm_rng {
	struct vmm_dev dev;
	struct vmm_virtio v;
	pthread_mutex_t serve;		/* one request at a time: the chain buffer is shared */
	unsigned long long bytes;	/* handed to the guest */
	struct vmm_virtq_chain chain;
};

struct vmm_rng *vmm_rng_new(const struct vmm_virtio_env *env, struct vmt_error *err);
void vmm_rng_free(struct vmm_rng *r);

struct vmm_plug;
/* The rng, unless --no-rng, onto the PCI bus and the device list. */
int vmm_rng_plug(struct vmm_plug *p, struct vmt_error *err);

#endif
