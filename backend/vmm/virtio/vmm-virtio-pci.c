/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-virtio-pci.c: the PCI face of a virtio device: capabilities, BAR 0 dispatch, MSI-X and notify eventfds. */
#include "config.h"

#include "backend/vmm/virtio/vmm-virtio.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#define PCI_VENDOR_REDHAT_QUMRANET 0x1af4
#define PCI_CAP_MSIX 0x11
#define PCI_CAP_VENDOR 0x09

#define VIRTIO_PCI_CAP_COMMON_CFG 1
#define VIRTIO_PCI_CAP_NOTIFY_CFG 2
#define VIRTIO_PCI_CAP_ISR_CFG 3
#define VIRTIO_PCI_CAP_DEVICE_CFG 4
#define VIRTIO_PCI_CAP_PCI_CFG 5

/* struct virtio_pci_cap: which BAR range holds one of the structures. */
static uint8_t vmm_virtio_cap(struct vmm_pci_func *f, uint8_t type, uint8_t len, uint32_t off,
			      uint32_t size)
{
	uint8_t c = vmm_pci_func_cap(f, PCI_CAP_VENDOR, len);

	if (!c)
		return 0;
	f->cfg[c + 2] = len;
	f->cfg[c + 3] = type;
	f->cfg[c + 4] = 0;		/* BAR 0 */
	vmm_put32(f->cfg + c + 8, off);
	vmm_put32(f->cfg + c + 12, size);
	return c;
}

void vmm_virtio_pci_setup(struct vmm_virtio *v, unsigned id, uint32_t pci_class)
{
	struct vmm_pci_func *f = &v->pci;
	uint8_t c;

	/* Modern-only device IDs (0x1040 + type) and revision 1: no legacy interface. */
	vmm_pci_func_init(f, PCI_VENDOR_REDHAT_QUMRANET, (uint16_t)(0x1040 + id), pci_class << 8 | 1,
			  PCI_VENDOR_REDHAT_QUMRANET, 0x1100, &vmm_virtio_pci_ops, v);
	c = vmm_pci_func_cap(f, PCI_CAP_MSIX, 12);
	vmm_put16(f->cfg + c + 2, (uint16_t)(v->nvec - 1));
	f->wmask[c + 3] = 0xc0;		/* enable, function mask */
	vmm_put32(f->cfg + c + 4, VMM_VIRTIO_MSIX_TABLE);
	vmm_put32(f->cfg + c + 8, VMM_VIRTIO_MSIX_PBA);
	v->msix_cap = c;
	vmm_virtio_cap(f, VIRTIO_PCI_CAP_COMMON_CFG, 16, VMM_VIRTIO_COMMON, VMM_VIRTIO_COMMON_LEN);
	c = vmm_virtio_cap(f, VIRTIO_PCI_CAP_NOTIFY_CFG, 20, VMM_VIRTIO_NOTIFY,
			   VMM_VIRTIO_NOTIFY_MULT * v->nq);
	vmm_put32(f->cfg + c + 16, VMM_VIRTIO_NOTIFY_MULT);
	vmm_virtio_cap(f, VIRTIO_PCI_CAP_ISR_CFG, 16, VMM_VIRTIO_ISR, 4);
	vmm_virtio_cap(f, VIRTIO_PCI_CAP_DEVICE_CFG, 16, VMM_VIRTIO_DEVCFG, VMM_VIRTIO_DEVCFG_LEN);
	/* The window through config space the spec requires: bar, offset, length, data. */
	c = vmm_virtio_cap(f, VIRTIO_PCI_CAP_PCI_CFG, 20, 0, 0);
	f->wmask[c + 4] = 0xff;
	memset(f->wmask + c + 8, 0xff, 12);
	v->pcicfg_cap = c;
	for (unsigned vec = 0; vec < v->nvec; vec++)
		vmm_put32(v->msix_tab + 16 * vec + 12, 1);
}

int vmm_virtio_plug(struct vmm_virtio *v, struct vmm_pci *pci, uint8_t line, struct vmt_error *err)
{
	int slot = vmm_pci_plug(pci, &v->pci);

	if (slot < 0)
		return vmt_error_set(err, slot, "virtio %s: no free PCI slot", v->name);
	v->slot = slot;
	v->intx = line;
	vmm_pci_func_bar(&v->pci, 0, VMM_PCI_BAR_SIZE, vmm_pci_bar_addr((unsigned)slot));
	vmm_pci_func_intx(&v->pci, line);
	vmm_pci_func_seal(&v->pci);
	return 0;
}

void vmm_virtio_kicks_update(struct vmm_virtio *v)
{
	uint64_t base = __atomic_load_n(&v->pci.bar_live[0], __ATOMIC_ACQUIRE);

	/* Devices served on the vCPU thread take their notifications directly. */
	if (v->ops->notify || !v->env.ioeventfd)
		return;
	for (unsigned q = 0; q < v->nq; q++) {
		uint64_t want = base ? base + VMM_VIRTIO_NOTIFY + VMM_VIRTIO_NOTIFY_MULT * q : 0;

		if (want == v->kick_addr[q])
			continue;
		if (v->kick_addr[q])
			v->env.ioeventfd(v->env.opaque, v->kick_addr[q], v->kick_fd[q], false);
		v->kick_addr[q] = 0;
		if (want && v->env.ioeventfd(v->env.opaque, want, v->kick_fd[q], true) == 0)
			v->kick_addr[q] = want;
	}
}

static bool vmm_virtio_in(uint32_t off, uint32_t len, uint32_t start, uint32_t size)
{
	return off >= start && off - start < size && len <= size - (off - start);
}

static void vmm_virtio_kick(struct vmm_virtio *v, unsigned q)
{
	uint64_t one = 1;

	__atomic_fetch_add(&v->stat_kicks, 1, __ATOMIC_RELAXED);
	if (v->ops->notify)
		v->ops->notify(v, q);
	else if (write(v->kick_fd[q], &one, sizeof(one)) < 0)
		return;	/* counter saturated: the thread is awake anyway */
}

static void vmm_virtio_msix_access(struct vmm_virtio *v, uint32_t off, uint8_t *data, uint32_t len,
				   bool is_write)
{
	if (!is_write) {
		memcpy(data, v->msix_tab + off, len);
		return;
	}
	memcpy(v->msix_tab + off, data, len);
	vmm_virtio_msix_flush(v);
}

static void vmm_virtio_bar_locked(struct vmm_virtio *v, uint32_t off, uint8_t *data, uint32_t len,
				  bool is_write)
{
	if (vmm_virtio_in(off, len, VMM_VIRTIO_COMMON, VMM_VIRTIO_COMMON_LEN)) {
		vmm_virtio_common_access(v, off - VMM_VIRTIO_COMMON, data, len, is_write);
	} else if (vmm_virtio_in(off, len, VMM_VIRTIO_ISR, 4)) {
		if (!is_write) {
			memset(data, 0, len);
			data[0] = off == VMM_VIRTIO_ISR ? vmm_virtio_isr_read(v) : 0;
		}
	} else if (vmm_virtio_in(off, len, VMM_VIRTIO_DEVCFG, VMM_VIRTIO_DEVCFG_LEN)) {
		if (!is_write)
			memset(data, 0, len);
		if (v->ops->config)
			v->ops->config(v, off - VMM_VIRTIO_DEVCFG, data, len, is_write);
	} else if (vmm_virtio_in(off, len, VMM_VIRTIO_MSIX_TABLE, 16 * v->nvec)) {
		vmm_virtio_msix_access(v, off - VMM_VIRTIO_MSIX_TABLE, data, len, is_write);
	} else if (vmm_virtio_in(off, len, VMM_VIRTIO_MSIX_PBA, 8) && !is_write) {
		uint8_t pba[8] = { 0 };

		vmm_put32(pba, v->msix_pba);
		memcpy(data, pba + (off - VMM_VIRTIO_MSIX_PBA), len);
	}
}

/* BAR 0 from a vCPU (or the config-space window): everything but notify under the lock. */
static void vmm_virtio_bar(struct vmm_virtio *v, uint32_t off, uint8_t *data, uint32_t len,
			   bool is_write)
{
	if (vmm_virtio_in(off, len, VMM_VIRTIO_NOTIFY, VMM_VIRTIO_NOTIFY_MULT * v->nq)) {
		if (is_write)
			vmm_virtio_kick(v, (off - VMM_VIRTIO_NOTIFY) / VMM_VIRTIO_NOTIFY_MULT);
		else
			memset(data, 0, len);
		return;
	}
	pthread_mutex_lock(&v->lock);
	vmm_virtio_bar_locked(v, off, data, len, is_write);
	pthread_mutex_unlock(&v->lock);
}

static void vmm_virtio_bar_access(struct vmm_pci_func *f, unsigned bar, uint64_t off, uint8_t *data,
				  uint32_t len, bool is_write)
{
	if (bar == 0 && off < VMM_PCI_BAR_SIZE)
		vmm_virtio_bar(f->opaque, (uint32_t)off, data, len, is_write);
}

/* The VIRTIO_PCI_CAP_PCI_CFG window: one BAR access of 1, 2 or 4 bytes through config space. */
static bool vmm_virtio_pcicfg(struct vmm_virtio *v, uint32_t *off, uint32_t *len)
{
	const uint8_t *c = v->pci.cfg + v->pcicfg_cap;

	*off = vmm_get32(c + 8);
	*len = vmm_get32(c + 12);
	return c[4] == 0 && (*len == 1 || *len == 2 || *len == 4) && *off < VMM_PCI_BAR_SIZE &&
	       *len <= VMM_PCI_BAR_SIZE - *off;
}

static bool vmm_virtio_cfg_touches(uint32_t off, uint32_t len, uint32_t start, uint32_t size)
{
	return off < start + size && start < off + len;
}

static void vmm_virtio_cfg_read(struct vmm_pci_func *f, uint32_t off, uint8_t *data, uint32_t len)
{
	struct vmm_virtio *v = f->opaque;
	uint32_t boff, blen, d = (uint32_t)v->pcicfg_cap + 16;
	uint8_t win[4] = { 0 };

	if (vmm_virtio_cfg_touches(off, len, VMM_PCI_STATUS, 1)) {
		pthread_mutex_lock(&v->lock);
		if (v->isr && !v->msix_on)
			data[VMM_PCI_STATUS - off] |= VMM_PCI_STATUS_INTERRUPT;
		pthread_mutex_unlock(&v->lock);
	}
	if (v->pcicfg_cap && vmm_virtio_cfg_touches(off, len, d, 4) && vmm_virtio_pcicfg(v, &boff, &blen)) {
		vmm_virtio_bar(v, boff, win, blen, false);
		for (uint32_t i = 0; i < len; i++)
			if (off + i >= d && off + i < d + 4)
				data[i] = win[off + i - d];
	}
}

static void vmm_virtio_cfg_written(struct vmm_pci_func *f, uint32_t off, uint32_t len)
{
	struct vmm_virtio *v = f->opaque;
	uint32_t boff, blen, d = (uint32_t)v->pcicfg_cap + 16;
	uint16_t ctrl;

	pthread_mutex_lock(&v->lock);
	v->command = vmm_get16(f->cfg + VMM_PCI_COMMAND);
	ctrl = vmm_get16(f->cfg + v->msix_cap + 2);
	v->msix_on = ctrl & 0x8000;
	v->msix_fmask = ctrl & 0x4000;
	vmm_virtio_intx_sync(v);
	if (v->msix_on)
		vmm_virtio_msix_flush(v);
	if (vmm_virtio_cfg_touches(off, len, VMM_PCI_COMMAND, 2) ||
	    vmm_virtio_cfg_touches(off, len, VMM_PCI_BAR0, 4))
		vmm_virtio_kicks_update(v);
	pthread_mutex_unlock(&v->lock);
	if (v->pcicfg_cap && vmm_virtio_cfg_touches(off, len, d, 4) && vmm_virtio_pcicfg(v, &boff, &blen))
		vmm_virtio_bar(v, boff, f->cfg + d, blen, true);
}

const struct vmm_pci_func_ops vmm_virtio_pci_ops = {
	.cfg_read = vmm_virtio_cfg_read,
	.cfg_written = vmm_virtio_cfg_written,
	.bar_access = vmm_virtio_bar_access,
};
