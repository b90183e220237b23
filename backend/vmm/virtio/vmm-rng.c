/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-rng.c: virtio-rng: fill the guest's buffers with host randomness, a bounded amount per request. */
#include "config.h"

#include "backend/vmm/virtio/vmm-rng.h"
#include "backend/vmm/vmm-plug.h"
#include "backend/vmm/vmm-vm.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/random.h>

#define RNG_QUEUE_SIZE 64
/* Served on the vCPU that asked: keep each request short. */
#define RNG_MAX_PER_REQUEST 65536u

static uint32_t vmm_rng_fill(struct vmm_virtq_chain *c)
{
	uint32_t done = 0;

	for (unsigned i = c->nr; i < c->nr + c->nw && done < RNG_MAX_PER_REQUEST; i++) {
		size_t want = c->iov[i].iov_len, got = 0;

		if (want > RNG_MAX_PER_REQUEST - done)
			want = RNG_MAX_PER_REQUEST - done;
		while (got < want) {
			ssize_t r = getrandom((uint8_t *)c->iov[i].iov_base + got, want - got, GRND_NONBLOCK);

			if (r <= 0)
				return done + (uint32_t)got;	/* pool not ready: hand over what we have */
			got += (size_t)r;
		}
		done += (uint32_t)got;
	}
	return done;
}

/* On the vCPU thread that notified. */
static void vmm_rng_notify(struct vmm_virtio *v, unsigned q)
{
	struct vmm_rng *r = v->owner;
	uint32_t n;

	pthread_mutex_lock(&r->serve);
	/* Re-arm before leaving: with event indexes the driver kicks only past avail_event. */
	do {
		vmm_virtio_notify_off(v, q);
		while (vmm_virtio_pop(v, q, &r->chain) > 0) {
			n = vmm_rng_fill(&r->chain);
			__atomic_add_fetch(&r->bytes, n, __ATOMIC_RELAXED);
			vmm_virtio_push(v, q, r->chain.head, n);
		}
		vmm_virtio_signal(v, q);
	} while (vmm_virtio_notify_on(v, q));
	pthread_mutex_unlock(&r->serve);
}

static const struct vmm_virtio_ops vmm_rng_ops = {
	.notify = vmm_rng_notify,
};

struct vmm_rng *vmm_rng_new(const struct vmm_virtio_env *env, struct vmt_error *err)
{
	struct vmm_rng *r = calloc(1, sizeof(*r));

	if (!r) {
		vmt_error_set(err, -ENOMEM, "out of memory for the rng");
		return NULL;
	}
	pthread_mutex_init(&r->serve, NULL);
	/* 0x00ff: "unclassified device", as virtio-rng is usually announced. */
	if (vmm_virtio_init(&r->v, "rng", VMM_VIRTIO_ID_RNG, 0x00ff, 1, RNG_QUEUE_SIZE, 0, &vmm_rng_ops,
			    r, env, err) < 0) {
		vmm_rng_free(r);
		return NULL;
	}
	return r;
}

void vmm_rng_free(struct vmm_rng *r)
{
	if (!r)
		return;
	vmm_virtio_done(&r->v);
	free(r);
}

static struct vmm_rng *vmm_rng_of(struct vmm_dev *d)
{
	return vmm_dev_of(d, struct vmm_rng, dev);
}

static void vmm_rng_dev_reset(struct vmm_dev *d)
{
	vmm_virtio_hard_reset(&vmm_rng_of(d)->v);
}

static void vmm_rng_dev_stats(struct vmm_dev *d, struct vmm_buf *out, struct vmm_dev_sums *sum)
{
	struct vmm_rng *r = vmm_rng_of(d);
	unsigned long long broken = __atomic_load_n(&r->v.stat_broken, __ATOMIC_RELAXED);

	vmm_buf_printf(out, "rng.bytes %llu\nrng.broken %llu\n",
		       __atomic_load_n(&r->bytes, __ATOMIC_RELAXED), broken);
	sum->virtio_broken += broken;
}

static void vmm_rng_dev_free(struct vmm_dev *d)
{
	vmm_rng_free(vmm_rng_of(d));
}

static int vmm_rng_dev_save(struct vmm_dev *d, struct vmm_snap_out *o, struct vmt_error *err)
{
	(void)err;
	vmm_virtio_save(&vmm_rng_of(d)->v, o);
	return 0;
}

static int vmm_rng_dev_restore(struct vmm_dev *d, struct vmm_snap_in *in, struct vmt_error *err)
{
	return vmm_virtio_restore(&vmm_rng_of(d)->v, in, err);
}

static const struct vmm_dev_ops vmm_rng_dev_ops = {
	.reset = vmm_rng_dev_reset,
	.stats = vmm_rng_dev_stats,
	.free = vmm_rng_dev_free,
	.save = vmm_rng_dev_save,
	.restore = vmm_rng_dev_restore,
};

int vmm_rng_plug(struct vmm_plug *p, struct vmt_error *err)
{
	struct vmm_rng *r;

	if (!p->cfg->rng)
		return 0;
	r = vmm_rng_new(&p->env, err);
	if (!r)
		return err && err->code ? err->code : -EIO;
	if (p->add(p, &r->v, &r->dev, &vmm_rng_dev_ops, err) < 0) {
		vmm_rng_free(r);
		return err && err->code ? err->code : -EIO;
	}
	return 0;
}
