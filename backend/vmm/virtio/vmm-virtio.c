/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-virtio.c: virtio device state: the common configuration, status and reset, queues and interrupts. */
#include "config.h"

#include "backend/vmm/virtio/vmm-virtio.h"
#include "backend/vmm/vmm-snap.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

/* virtio_pci_common_cfg field offsets. */
#define CC_DFSELECT 0x00
#define CC_DF 0x04
#define CC_GFSELECT 0x08
#define CC_GF 0x0c
#define CC_MSIX_CONFIG 0x10
#define CC_NUM_QUEUES 0x12
#define CC_STATUS 0x14
#define CC_CONFIG_GEN 0x15
#define CC_Q_SELECT 0x16
#define CC_Q_SIZE 0x18
#define CC_Q_MSIX 0x1a
#define CC_Q_ENABLE 0x1c
#define CC_Q_NOTIFY_OFF 0x1e
#define CC_Q_DESC 0x20
#define CC_Q_AVAIL 0x28
#define CC_Q_USED 0x30
#define CC_Q_NOTIFY_DATA 0x38

void vmm_virtio_kick_drain(int fd)
{
	uint64_t v;

	if (fd >= 0 && read(fd, &v, sizeof(v)) < 0)
		return;	/* nothing pending: fine */
}

static void vmm_virtio_msi_send(struct vmm_virtio *v, unsigned vec)
{
	const uint8_t *e = v->msix_tab + 16 * vec;
	uint64_t addr = vmm_get32(e) | (uint64_t)vmm_get32(e + 4) << 32;

	__atomic_add_fetch(&v->stat_irqs, 1, __ATOMIC_RELAXED);
	if (v->env.msi)
		v->env.msi(v->env.opaque, addr, vmm_get32(e + 8));
}

/* Deliver vector vec now, or leave it pending while it is masked (lock held). */
void vmm_virtio_msix_fire(struct vmm_virtio *v, uint16_t vec)
{
	if (vec >= v->nvec)
		return;	/* NO_VECTOR or never valid: the driver asked for silence */
	if (v->msix_fmask || (vmm_get32(v->msix_tab + 16 * vec + 12) & 1)) {
		v->msix_pba |= 1u << vec;
		return;
	}
	vmm_virtio_msi_send(v, vec);
}

/* Masks may have opened: send what waited. */
void vmm_virtio_msix_flush(struct vmm_virtio *v)
{
	for (unsigned vec = 0; vec < v->nvec; vec++)
		if ((v->msix_pba & (1u << vec)) && !v->msix_fmask &&
		    !(vmm_get32(v->msix_tab + 16 * vec + 12) & 1)) {
			v->msix_pba &= ~(1u << vec);
			vmm_virtio_msi_send(v, vec);
		}
}

/* INTx follows the ISR: high while a bit is set, MSI-X off and INTx enabled. */
void vmm_virtio_intx_sync(struct vmm_virtio *v)
{
	bool level = v->isr && !v->msix_on && !(v->command & VMM_PCI_COMMAND_INTX_DISABLE) &&
		     v->intx != 0xff;

	if (level == v->line)
		return;
	v->line = level;
	if (level)
		__atomic_add_fetch(&v->stat_irqs, 1, __ATOMIC_RELAXED);
	if (v->env.irq_line)
		v->env.irq_line(v->env.opaque, v->intx, level);
}

static void vmm_virtio_interrupt(struct vmm_virtio *v, uint16_t vec, uint8_t isr_bit)
{
	if (v->msix_on) {
		vmm_virtio_msix_fire(v, vec);
		return;
	}
	v->isr |= isr_bit;
	vmm_virtio_intx_sync(v);
}

void vmm_virtio_broken(struct vmm_virtio *v, const char *fmt, ...)
{
	char why[160];
	va_list ap;

	if (v->broken)
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	v->broken = true;
	__atomic_add_fetch(&v->stat_broken, 1, __ATOMIC_RELAXED);
	v->status |= VMM_VIRTIO_S_NEEDS_RESET;
	v->config_gen++;
	vmm_warn("virtio %s: %s: device needs reset", v->name, why);
	vmm_virtio_interrupt(v, v->msix_config, 2);
}

/* Device reset proper: nothing may be in flight (lock held). */
static void vmm_virtio_do_reset(struct vmm_virtio *v)
{
	v->status = 0;
	v->driver_features = 0;
	v->dfsel = v->gfsel = 0;
	v->queue_sel = 0;
	v->msix_config = VMM_VIRTIO_NO_VECTOR;
	v->isr = 0;
	v->broken = false;
	v->reset_pending = false;
	for (unsigned i = 0; i < v->nq; i++)
		vmm_virtq_reset(&v->q[i]);
	vmm_virtio_intx_sync(v);
	if (v->ops->reset)
		v->ops->reset(v);
}

/* FEATURES_OK only for a subset of what we offer that includes VERSION_1. */
static uint8_t vmm_virtio_status_check(struct vmm_virtio *v, uint8_t s)
{
	if ((s & VMM_VIRTIO_S_FEATURES_OK) && !(v->status & VMM_VIRTIO_S_FEATURES_OK)) {
		if ((v->driver_features & ~v->host_features) ||
		    !(v->driver_features & VMM_VIRTIO_F_VERSION_1))
			return (uint8_t)(s & ~VMM_VIRTIO_S_FEATURES_OK);
		for (unsigned i = 0; i < v->nq; i++) {
			v->q[i].event_idx = v->driver_features & VMM_VIRTIO_F_EVENT_IDX;
			v->q[i].indirect = v->driver_features & VMM_VIRTIO_F_INDIRECT_DESC;
		}
	}
	return s;
}

static void vmm_virtio_status_write(struct vmm_virtio *v, uint8_t s)
{
	if (s == 0) {
		/* Requests in flight finish first; status reads non-zero until then. */
		if (v->inflight)
			v->reset_pending = true;
		else
			vmm_virtio_do_reset(v);
		return;
	}
	if (v->reset_pending)
		return;
	s = vmm_virtio_status_check(v, s);
	v->status = (uint8_t)(s | (v->status & VMM_VIRTIO_S_NEEDS_RESET));
}

static void vmm_virtio_queue_enable(struct vmm_virtio *v, struct vmm_virtq *q)
{
	const char *why = "";

	if (q->ready)
		return;
	if (vmm_virtq_enable(q, v->env.mem, &why) < 0)
		vmm_virtio_broken(v, "queue %u: %s", (unsigned)(q - v->q), why);
}

static void vmm_virtio_set64(uint64_t *field, uint32_t off, uint32_t val)
{
	if (off & 4)
		*field = (*field & 0xffffffffull) | (uint64_t)val << 32;
	else
		*field = (*field & ~0xffffffffull) | val;
}

/* Fill the 64 bytes of the common configuration as they read now. */
static void vmm_virtio_common_view(struct vmm_virtio *v, uint8_t *b)
{
	struct vmm_virtq *q = v->queue_sel < v->nq ? &v->q[v->queue_sel] : NULL;

	memset(b, 0, VMM_VIRTIO_COMMON_LEN);
	vmm_put32(b + CC_DFSELECT, v->dfsel);
	vmm_put32(b + CC_DF, v->dfsel < 2 ? (uint32_t)(v->host_features >> (32 * v->dfsel)) : 0);
	vmm_put32(b + CC_GFSELECT, v->gfsel);
	vmm_put32(b + CC_GF, v->gfsel < 2 ? (uint32_t)(v->driver_features >> (32 * v->gfsel)) : 0);
	vmm_put16(b + CC_MSIX_CONFIG, v->msix_config);
	vmm_put16(b + CC_NUM_QUEUES, (uint16_t)v->nq);
	b[CC_STATUS] = v->status;
	b[CC_CONFIG_GEN] = v->config_gen;
	vmm_put16(b + CC_Q_SELECT, v->queue_sel);
	if (!q)
		return;
	vmm_put16(b + CC_Q_SIZE, q->size);
	vmm_put16(b + CC_Q_MSIX, q->msix_vector);
	vmm_put16(b + CC_Q_ENABLE, q->ready);
	vmm_put16(b + CC_Q_NOTIFY_OFF, v->queue_sel);
	vmm_put64(b + CC_Q_DESC, q->desc_gpa);
	vmm_put64(b + CC_Q_AVAIL, q->avail_gpa);
	vmm_put64(b + CC_Q_USED, q->used_gpa);
	vmm_put16(b + CC_Q_NOTIFY_DATA, v->queue_sel);
}

static bool vmm_virtio_touches(uint32_t off, uint32_t len, uint32_t field, uint32_t flen)
{
	return off < field + flen && field < off + len;
}

/* The per-queue fields; changing a queue's set-up is ignored once it is enabled. */
static void vmm_virtio_common_queue(struct vmm_virtio *v, const uint8_t *b, uint32_t off, uint32_t len)
{
	struct vmm_virtq *q;
	uint16_t vec;

	if (v->queue_sel >= v->nq)
		return;
	q = &v->q[v->queue_sel];
	if (vmm_virtio_touches(off, len, CC_Q_MSIX, 2)) {
		vec = vmm_get16(b + CC_Q_MSIX);
		q->msix_vector = vec < v->nvec ? vec : VMM_VIRTIO_NO_VECTOR;
	}
	if (q->ready)
		return;
	if (vmm_virtio_touches(off, len, CC_Q_SIZE, 2))
		q->size = vmm_get16(b + CC_Q_SIZE);
	for (uint32_t f = CC_Q_DESC; f < CC_Q_USED + 8; f += 4) {
		uint64_t *field = f < CC_Q_AVAIL ? &q->desc_gpa : f < CC_Q_USED ? &q->avail_gpa : &q->used_gpa;

		if (vmm_virtio_touches(off, len, f, 4))
			vmm_virtio_set64(field, f, vmm_get32(b + f));
	}
	if (vmm_virtio_touches(off, len, CC_Q_ENABLE, 2) && vmm_get16(b + CC_Q_ENABLE) == 1)
		vmm_virtio_queue_enable(v, q);
}

/* Any width at any offset: merge the bytes into the current view, then apply each field touched. */
static void vmm_virtio_common_write(struct vmm_virtio *v, uint32_t off, const uint8_t *data, uint32_t len)
{
	uint8_t b[VMM_VIRTIO_COMMON_LEN];
	uint16_t vec;

	vmm_virtio_common_view(v, b);
	memcpy(b + off, data, len);
	if (vmm_virtio_touches(off, len, CC_DFSELECT, 4))
		v->dfsel = vmm_get32(b + CC_DFSELECT);
	if (vmm_virtio_touches(off, len, CC_GFSELECT, 4))
		v->gfsel = vmm_get32(b + CC_GFSELECT);
	if (vmm_virtio_touches(off, len, CC_GF, 4) && v->gfsel < 2 &&
	    !(v->status & VMM_VIRTIO_S_FEATURES_OK))
		vmm_virtio_set64(&v->driver_features, v->gfsel * 4, vmm_get32(b + CC_GF));
	if (vmm_virtio_touches(off, len, CC_MSIX_CONFIG, 2)) {
		vec = vmm_get16(b + CC_MSIX_CONFIG);
		v->msix_config = vec < v->nvec ? vec : VMM_VIRTIO_NO_VECTOR;
	}
	if (vmm_virtio_touches(off, len, CC_Q_SELECT, 2))
		v->queue_sel = vmm_get16(b + CC_Q_SELECT);
	vmm_virtio_common_queue(v, b, off, len);
	/* Status last: a write of several fields at once sees the others applied. */
	if (vmm_virtio_touches(off, len, CC_STATUS, 1))
		vmm_virtio_status_write(v, b[CC_STATUS]);
}

void vmm_virtio_common_access(struct vmm_virtio *v, uint32_t off, uint8_t *data, uint32_t len,
			      bool is_write)
{
	uint8_t b[VMM_VIRTIO_COMMON_LEN];

	if (off >= VMM_VIRTIO_COMMON_LEN || len > VMM_VIRTIO_COMMON_LEN - off)
		return;
	if (is_write) {
		vmm_virtio_common_write(v, off, data, len);
		return;
	}
	/* A driver waiting for its reset to finish sees it done as soon as it is. */
	if (v->reset_pending && !v->inflight)
		vmm_virtio_do_reset(v);
	vmm_virtio_common_view(v, b);
	memcpy(data, b + off, len);
}

uint8_t vmm_virtio_isr_read(struct vmm_virtio *v)
{
	uint8_t isr = v->isr;

	v->isr = 0;
	vmm_virtio_intx_sync(v);
	return isr;
}

int vmm_virtio_init(struct vmm_virtio *v, const char *name, unsigned id, uint32_t pci_class,
		    unsigned nq, uint16_t qsize, uint64_t features, const struct vmm_virtio_ops *ops,
		    void *owner, const struct vmm_virtio_env *env, struct vmt_error *err)
{
	memset(v, 0, sizeof(*v));
	pthread_mutex_init(&v->lock, NULL);
	pthread_cond_init(&v->idle, NULL);
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->ops = ops;
	v->owner = owner;
	v->env = *env;
	v->nq = nq;
	v->nvec = nq + 1;
	v->intx = 0xff;
	v->host_features = features | VMM_VIRTIO_F_VERSION_1 | VMM_VIRTIO_F_INDIRECT_DESC |
			   VMM_VIRTIO_F_EVENT_IDX;
	for (unsigned i = 0; i < VMM_VIRTIO_MAX_QUEUES; i++)
		v->kick_fd[i] = -1;
	for (unsigned i = 0; i < nq; i++) {
		v->q[i].max_size = qsize;
		vmm_virtq_reset(&v->q[i]);
		v->kick_fd[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (v->kick_fd[i] < 0)
			return vmt_error_set(err, -errno, "virtio %s: eventfd: %s", name, strerror(errno));
	}
	vmm_virtio_do_reset(v);
	vmm_virtio_pci_setup(v, id, pci_class);
	return 0;
}

void vmm_virtio_done(struct vmm_virtio *v)
{
	for (unsigned i = 0; i < VMM_VIRTIO_MAX_QUEUES; i++) {
		if (v->kick_fd[i] >= 0)
			close(v->kick_fd[i]);
		v->kick_fd[i] = -1;
	}
}

bool vmm_virtio_running(struct vmm_virtio *v)
{
	return (v->status & VMM_VIRTIO_S_DRIVER_OK) && !v->broken && !v->reset_pending &&
	       (v->command & VMM_PCI_COMMAND_MASTER);
}

int vmm_virtio_pop(struct vmm_virtio *v, unsigned qi, struct vmm_virtq_chain *c)
{
	const char *why = "";
	int r = 0;

	pthread_mutex_lock(&v->lock);
	if (qi < v->nq && vmm_virtio_running(v)) {
		r = vmm_virtq_pop(&v->q[qi], v->env.mem, c, &why);
		if (r < 0) {
			vmm_virtio_broken(v, "queue %u: %s", qi, why);
			r = 0;
		} else if (r > 0) {
			v->inflight++;
		}
	}
	pthread_mutex_unlock(&v->lock);
	return r;
}

/* The end of a request: finish a reset that waited for it (lock held). */
static void vmm_virtio_settle(struct vmm_virtio *v)
{
	v->inflight--;
	if (v->inflight == 0) {
		if (v->reset_pending)
			vmm_virtio_do_reset(v);
		pthread_cond_broadcast(&v->idle);
	}
}

void vmm_virtio_unpop(struct vmm_virtio *v, unsigned qi)
{
	pthread_mutex_lock(&v->lock);
	vmm_virtq_unpop(&v->q[qi]);
	vmm_virtio_settle(v);
	pthread_mutex_unlock(&v->lock);
}

void vmm_virtio_push(struct vmm_virtio *v, unsigned qi, uint16_t head, uint32_t len)
{
	pthread_mutex_lock(&v->lock);
	/* A reset waits for us, so the queue is still the one the chain came from. */
	vmm_virtq_push(&v->q[qi], head, len);
	vmm_virtio_settle(v);
	pthread_mutex_unlock(&v->lock);
}

void vmm_virtio_signal(struct vmm_virtio *v, unsigned qi)
{
	pthread_mutex_lock(&v->lock);
	if (qi < v->nq && v->q[qi].ready && !v->reset_pending && vmm_virtq_should_signal(&v->q[qi]))
		vmm_virtio_interrupt(v, v->q[qi].msix_vector, 1);
	pthread_mutex_unlock(&v->lock);
}

bool vmm_virtio_notify_on(struct vmm_virtio *v, unsigned qi)
{
	bool more;

	pthread_mutex_lock(&v->lock);
	vmm_virtq_notify_enable(&v->q[qi], true);
	more = vmm_virtio_running(v) && vmm_virtq_has_avail(&v->q[qi]);
	pthread_mutex_unlock(&v->lock);
	return more;
}

void vmm_virtio_notify_off(struct vmm_virtio *v, unsigned qi)
{
	pthread_mutex_lock(&v->lock);
	vmm_virtq_notify_enable(&v->q[qi], false);
	pthread_mutex_unlock(&v->lock);
}

void vmm_virtio_hard_reset(struct vmm_virtio *v)
{
	pthread_mutex_lock(&v->lock);
	v->reset_pending = true;
	while (v->inflight)
		pthread_cond_wait(&v->idle, &v->lock);
	vmm_virtio_do_reset(v);
	memset(v->msix_tab, 0, sizeof(v->msix_tab));
	for (unsigned vec = 0; vec < v->nvec; vec++)
		vmm_put32(v->msix_tab + 16 * vec + 12, 1);	/* masked at power-on */
	v->msix_pba = 0;
	v->msix_on = v->msix_fmask = false;
	v->command = 0;
	vmm_virtio_intx_sync(v);
	vmm_virtio_kicks_update(v);
	pthread_mutex_unlock(&v->lock);
}

/* Have the device look once at each ready queue: requests made before the snapshot and not yet taken. */
static void vmm_virtio_kick_all(struct vmm_virtio *v)
{
	uint64_t one = 1;

	for (unsigned i = 0; i < v->nq; i++) {
		if (!v->q[i].ready)
			continue;
		if (v->ops->notify)
			v->ops->notify(v, i);
		else if (write(v->kick_fd[i], &one, sizeof(one)) < 0)
			vmm_warn("%s: cannot kick queue %u after a restore", v->name, i);
	}
}

void vmm_virtio_save(struct vmm_virtio *v, struct vmm_snap_out *o)
{
	uint8_t r[10];

	pthread_mutex_lock(&v->lock);
	vmm_snap_put64(o, v->host_features);
	vmm_snap_put64(o, v->driver_features);
	vmm_snap_put32(o, v->dfsel);
	vmm_snap_put32(o, v->gfsel);
	r[0] = v->status, r[1] = v->isr, r[2] = v->config_gen, r[3] = v->msix_on;
	r[4] = v->msix_fmask, r[5] = v->broken, r[6] = (uint8_t)v->nq, r[7] = (uint8_t)v->nvec;
	r[8] = (uint8_t)v->queue_sel, r[9] = (uint8_t)(v->queue_sel >> 8);
	vmm_snap_put(o, r, sizeof(r));
	vmm_snap_put32(o, v->msix_config | (uint32_t)v->command << 16);
	for (unsigned i = 0; i < v->nq; i++) {
		const struct vmm_virtq *q = &v->q[i];
		uint8_t f[4] = { q->ready, q->event_idx, q->indirect, 0 };

		vmm_snap_put(o, f, sizeof(f));
		vmm_snap_put32(o, q->size | (uint32_t)q->msix_vector << 16);
		vmm_snap_put64(o, q->desc_gpa);
		vmm_snap_put64(o, q->avail_gpa);
		vmm_snap_put64(o, q->used_gpa);
		vmm_snap_put32(o, q->last_avail | (uint32_t)q->used_idx << 16);
		vmm_snap_put32(o, q->signalled_used);
	}
	vmm_snap_put(o, v->msix_tab, sizeof(v->msix_tab));
	vmm_snap_put32(o, v->msix_pba);
	pthread_mutex_unlock(&v->lock);
}

/* One queue from the file: its rings must lie in guest memory, as when the driver enables it. */
static int vmm_virtio_restore_queue(struct vmm_virtio *v, struct vmm_virtq *q, struct vmm_snap_in *in,
				    struct vmt_error *err)
{
	uint8_t f[4];
	uint32_t sv, idx, signalled;
	const char *why = "";
	int rc;

	if ((rc = vmm_snap_get(in, f, sizeof(f), err)) || (rc = vmm_snap_get32(in, &sv, err)) ||
	    (rc = vmm_snap_get64(in, &q->desc_gpa, err)) || (rc = vmm_snap_get64(in, &q->avail_gpa, err)) ||
	    (rc = vmm_snap_get64(in, &q->used_gpa, err)) || (rc = vmm_snap_get32(in, &idx, err)) ||
	    (rc = vmm_snap_get32(in, &signalled, err)))
		return rc;
	q->size = (uint16_t)sv;
	q->msix_vector = (uint16_t)(sv >> 16);
	if (q->msix_vector >= v->nvec && q->msix_vector != VMM_VIRTIO_NO_VECTOR)
		return vmt_error_set(err, -EINVAL, "%s: the snapshot names MSI-X vector %u", v->name,
				     q->msix_vector);
	q->ready = false;
	if (f[0] && vmm_virtq_enable(q, v->env.mem, &why) < 0)
		return vmt_error_set(err, -EINVAL, "%s: a queue in the snapshot is bad: %s", v->name, why);
	q->event_idx = f[1] != 0, q->indirect = f[2] != 0;
	q->last_avail = (uint16_t)idx;
	q->used_idx = (uint16_t)(idx >> 16);
	q->signalled_used = (uint16_t)signalled;
	return 0;
}

int vmm_virtio_restore(struct vmm_virtio *v, struct vmm_snap_in *in, struct vmt_error *err)
{
	uint64_t host, driver;
	uint32_t dfsel, gfsel, mc;
	uint8_t r[10];
	int rc;

	if ((rc = vmm_snap_get64(in, &host, err)) || (rc = vmm_snap_get64(in, &driver, err)) ||
	    (rc = vmm_snap_get32(in, &dfsel, err)) || (rc = vmm_snap_get32(in, &gfsel, err)) ||
	    (rc = vmm_snap_get(in, r, sizeof(r), err)) || (rc = vmm_snap_get32(in, &mc, err)))
		return rc;
	if (host != v->host_features || r[6] != v->nq || r[7] != v->nvec || (driver & ~host))
		return vmt_error_set(err, -EINVAL, "%s: the snapshot's device offers other features or "
				     "queues than this one", v->name);
	pthread_mutex_lock(&v->lock);
	v->driver_features = driver;
	v->dfsel = dfsel, v->gfsel = gfsel;
	v->status = r[0], v->isr = r[1], v->config_gen = r[2], v->msix_on = r[3] != 0;
	v->msix_fmask = r[4] != 0, v->broken = r[5] != 0;
	v->queue_sel = (uint16_t)(r[8] | r[9] << 8);
	v->msix_config = (uint16_t)mc;
	v->command = (uint16_t)(mc >> 16);
	for (unsigned i = 0; rc == 0 && i < v->nq; i++)
		rc = vmm_virtio_restore_queue(v, &v->q[i], in, err);
	if (rc == 0)
		rc = vmm_snap_get(in, v->msix_tab, sizeof(v->msix_tab), err);
	if (rc == 0)
		rc = vmm_snap_get32(in, &v->msix_pba, err);
	if (rc == 0) {
		v->line = false;
		vmm_virtio_intx_sync(v);
		vmm_virtio_kicks_update(v);
	}
	pthread_mutex_unlock(&v->lock);
	if (rc == 0)
		vmm_virtio_kick_all(v);
	return rc;
}
