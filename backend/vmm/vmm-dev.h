/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-dev.h: the one interface every device of the runner implements, and the ordered list the VM keeps of them. */
#ifndef VMM_DEV_H
#define VMM_DEV_H

#include <stddef.h>

#include "backend/vmm/vmm-buf.h"
#include "backend/vmm/vmm-log.h"
#include "backend/vmm/vmm-snap.h"

struct vmm_dev;

/*
 * Counters summed over the devices of a kind, for STATS' totals
 * ("blk.rd_bytes", "net.rx_pkts", "virtio.broken").  A device adds its own
 * into the sums as it writes its lines.
 */
struct vmm_dev_sums {
	unsigned long long blk_rd_bytes, blk_wr_bytes, blk_rd_reqs, blk_wr_reqs;
	unsigned long long net_rx_bytes, net_tx_bytes, net_rx_pkts, net_tx_pkts;
	unsigned long long virtio_broken;
	unsigned ndisks, nnics;
};

/*
 * What a device does over the VM's life; any hook may be NULL when the
 * device has nothing to do then.  start runs once before the first vCPU
 * (a device's own threads), stop after the last vCPU has stopped, reset
 * on a guest reboot with every vCPU parked (power-on state, requests in
 * flight finished first), stats and info write the device's lines of
 * STATS and INFO, free releases everything (after stop).  save writes
 * the device's state into its snapshot section (the VM is paused and the
 * device's thread stopped), restore reads it back into a device just
 * created by the same command line, before anything runs; restore must
 * check every value it takes, as it checks a guest's.
 */
struct vmm_dev_ops {
	int (*start)(struct vmm_dev *d, struct vmt_error *err);
	void (*stop)(struct vmm_dev *d);
	void (*reset)(struct vmm_dev *d);
	void (*stats)(struct vmm_dev *d, struct vmm_buf *out, struct vmm_dev_sums *sum);
	void (*info)(struct vmm_dev *d, struct vmm_buf *out);
	void (*free)(struct vmm_dev *d);
	int (*save)(struct vmm_dev *d, struct vmm_snap_out *o, struct vmt_error *err);
	int (*restore)(struct vmm_dev *d, struct vmm_snap_in *in, struct vmt_error *err);
};

/* Embedded in its device, which owns it; the device finds itself with container_of. */
struct vmm_dev {
	const struct vmm_dev_ops *ops;
	const char *name;		/* for the log: "uart", "blk0" */
	struct vmm_dev *next;
	int started;
};

/* The VM's devices in the order they were created, which is the order PCI slots follow. */
struct vmm_devs {
	struct vmm_dev *head, **tail;
};

#define vmm_dev_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

void vmm_devs_init(struct vmm_devs *l);
/* Append d (its ops and name already set). */
void vmm_devs_add(struct vmm_devs *l, struct vmm_dev *d, const struct vmm_dev_ops *ops,
		  const char *name);
/* Start in order; on a failure, stop those already started. */
int vmm_devs_start(struct vmm_devs *l, struct vmt_error *err);
void vmm_devs_stop(struct vmm_devs *l);
void vmm_devs_reset(struct vmm_devs *l);
/* Every device's STATS lines, then the totals of each kind present. */
void vmm_devs_stats(struct vmm_devs *l, struct vmm_buf *out);
void vmm_devs_info(struct vmm_devs *l, struct vmm_buf *out);
/* Every device's snapshot section (named after the device), in order. */
int vmm_devs_save(struct vmm_devs *l, struct vmm_snap_out *o, struct vmt_error *err);
/* Each device from its section; a section with bytes left over is refused. */
int vmm_devs_restore(struct vmm_devs *l, struct vmm_snap_in *in, struct vmt_error *err);
/* "serial,i8042,...": what a snapshot must have been taken of. */
void vmm_devs_names(struct vmm_devs *l, char *buf, size_t len);
/* Free in reverse order and empty the list. */
void vmm_devs_free(struct vmm_devs *l);

#endif
