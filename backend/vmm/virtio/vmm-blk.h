/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-blk.h: virtio-blk over PCI, served by one I/O thread per disk so a slow image never stalls a vCPU. */
#ifndef VMM_BLK_H
#define VMM_BLK_H

#include <pthread.h>

#include "backend/vmm/disk/vmm-disk.h"
#include "backend/vmm/virtio/vmm-virtio.h"
#include "backend/vmm/vmm-dev.h"
#include "backend/vmm/vmm-iothread.h"

#define VMM_BLK_QUEUE_SIZE 256

/* One --disk as the command line gave it. */
struct vmm_blk_config {
	char *path;		/* owned (vmm_blk_parse allocates it) */
	enum vmm_disk_format format;
	bool readonly;
};

/* Counters the I/O thread alone writes; STATS reads them relaxed. */
struct vmm_blk_stats {
	unsigned long long rd_bytes, wr_bytes, rd_reqs, wr_reqs, flushes, discards, errors;
};

/* Heap-allocated by vmm_blk_new, owned by the VM. */
struct vmm_blk {
	struct vmm_dev dev;
	struct vmm_virtio v;
	struct vmm_disk disk;
	unsigned index;
	char *path;
	bool readonly;
	char serial[21];
	char name[8], label[16];	/* "blk0" for the transport, "disk 0" for messages */
	struct vmm_iothread io;
	struct vmm_blk_stats stats;
	struct vmm_virtq_chain chain;
};

/* Open the image (locked) and set the device up; NULL with err set on failure. */
struct vmm_blk *vmm_blk_new(unsigned index, const struct vmm_blk_config *cfg,
			    const struct vmm_virtio_env *env, struct vmt_error *err);
void vmm_blk_free(struct vmm_blk *b);

struct vmm_plug;
/* Every --disk of the VM, in order, onto the PCI bus and the device list. */
int vmm_blk_plug(struct vmm_plug *p, struct vmt_error *err);

/* Serve every request queued now (the thread's body; the fuzz harness calls it directly). */
void vmm_blk_process(struct vmm_blk *b);

/*
 * Parse "PATH[,format=raw|qcow2][,readonly]" (",," is a comma inside
 * PATH, as vmtui's own --disk has it); err says what is wrong.
 */
int vmm_blk_parse(const char *spec, struct vmm_blk_config *cfg, struct vmt_error *err);

#endif
