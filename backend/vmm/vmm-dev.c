/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-dev.c: walking the VM's device list for each step of its life. */
#include "config.h"

#include "backend/vmm/vmm-dev.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void vmm_devs_init(struct vmm_devs *l)
{
	l->head = NULL;
	l->tail = &l->head;
}

void vmm_devs_add(struct vmm_devs *l, struct vmm_dev *d, const struct vmm_dev_ops *ops,
		  const char *name)
{
	d->ops = ops;
	d->name = name;
	d->next = NULL;
	d->started = 0;
	*l->tail = d;
	l->tail = &d->next;
}

int vmm_devs_start(struct vmm_devs *l, struct vmt_error *err)
{
	for (struct vmm_dev *d = l->head; d; d = d->next) {
		int rc = d->ops->start ? d->ops->start(d, err) : 0;

		if (rc) {
			vmm_devs_stop(l);
			return rc;
		}
		d->started = 1;
	}
	return 0;
}

void vmm_devs_stop(struct vmm_devs *l)
{
	for (struct vmm_dev *d = l->head; d; d = d->next) {
		if (d->started && d->ops->stop)
			d->ops->stop(d);
		d->started = 0;
	}
}

void vmm_devs_reset(struct vmm_devs *l)
{
	for (struct vmm_dev *d = l->head; d; d = d->next)
		if (d->ops->reset)
			d->ops->reset(d);
}

void vmm_devs_stats(struct vmm_devs *l, struct vmm_buf *out)
{
	struct vmm_dev_sums s = { 0 };

	for (struct vmm_dev *d = l->head; d; d = d->next)
		if (d->ops->stats)
			d->ops->stats(d, out, &s);
	if (s.ndisks)
		vmm_buf_printf(out, "blk.rd_bytes %llu\nblk.wr_bytes %llu\nblk.rd_reqs %llu\nblk.wr_reqs %llu\n",
			       s.blk_rd_bytes, s.blk_wr_bytes, s.blk_rd_reqs, s.blk_wr_reqs);
	if (s.nnics)
		vmm_buf_printf(out, "net.rx_bytes %llu\nnet.tx_bytes %llu\nnet.rx_pkts %llu\nnet.tx_pkts %llu\n",
			       s.net_rx_bytes, s.net_tx_bytes, s.net_rx_pkts, s.net_tx_pkts);
	vmm_buf_printf(out, "virtio.broken %llu\n", s.virtio_broken);
}

void vmm_devs_info(struct vmm_devs *l, struct vmm_buf *out)
{
	for (struct vmm_dev *d = l->head; d; d = d->next)
		if (d->ops->info)
			d->ops->info(d, out);
}

int vmm_devs_save(struct vmm_devs *l, struct vmm_snap_out *o, struct vmt_error *err)
{
	for (struct vmm_dev *d = l->head; d; d = d->next) {
		int rc;

		if (!d->ops->save)
			continue;
		vmm_snap_section(o, d->name);
		rc = d->ops->save(d, o, err);
		vmm_snap_section_end(o);
		if (rc)
			return rc;
	}
	return 0;
}

int vmm_devs_restore(struct vmm_devs *l, struct vmm_snap_in *in, struct vmt_error *err)
{
	for (struct vmm_dev *d = l->head; d; d = d->next) {
		int rc;

		if (!d->ops->restore)
			continue;
		rc = vmm_snap_open(in, d->name, err);
		if (rc == 0)
			rc = d->ops->restore(d, in, err);
		if (rc == 0 && vmm_snap_left(in))
			rc = vmt_error_set(err, -EINVAL, "the snapshot's state of %s is longer than this "
					   "runner reads", d->name);
		if (rc)
			return rc;
	}
	return 0;
}

void vmm_devs_names(struct vmm_devs *l, char *buf, size_t len)
{
	size_t at = 0;

	if (len)
		buf[0] = 0;
	for (struct vmm_dev *d = l->head; d && at < len; d = d->next) {
		int n = snprintf(buf + at, len - at, "%s%s", at ? "," : "", d->name);

		at += n > 0 ? (size_t)n : 0;
	}
}

/* Last created first: a device may use one made before it. */
static void vmm_devs_free_from(struct vmm_dev *d)
{
	if (!d)
		return;
	vmm_devs_free_from(d->next);
	if (d->ops->free)
		d->ops->free(d);
}

void vmm_devs_free(struct vmm_devs *l)
{
	vmm_devs_stop(l);
	vmm_devs_free_from(l->head);
	vmm_devs_init(l);
}
