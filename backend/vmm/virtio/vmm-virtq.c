/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-virtq.c: walk split virtqueue descriptor chains in guest memory, trusting nothing the guest wrote. */
#include "config.h"

#include "backend/vmm/virtio/vmm-virtq.h"

#include <errno.h>
#include <string.h>

/*
 * Guest memory changes under our feet: every field is loaded exactly once
 * into a local, and only the local is checked and used.
 */
static inline uint16_t vmm_virtq_load16(const uint8_t *p)
{
	return __atomic_load_n((const uint16_t *)(const void *)p, __ATOMIC_RELAXED);
}

static inline void vmm_virtq_store16(uint8_t *p, uint16_t v)
{
	__atomic_store_n((uint16_t *)(void *)p, v, __ATOMIC_RELAXED);
}

struct vmm_virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

static void vmm_virtq_desc_read(const uint8_t *table, unsigned i, struct vmm_virtq_desc *d)
{
	const uint64_t *p = (const uint64_t *)(const void *)(table + 16u * i);
	uint64_t lo = __atomic_load_n(p, __ATOMIC_RELAXED);
	uint64_t hi = __atomic_load_n(p + 1, __ATOMIC_RELAXED);

	d->addr = lo;
	d->len = (uint32_t)hi;
	d->flags = (uint16_t)(hi >> 32);
	d->next = (uint16_t)(hi >> 48);
}

void vmm_virtq_reset(struct vmm_virtq *q)
{
	uint16_t max = q->max_size;

	memset(q, 0, sizeof(*q));
	q->max_size = max;
	q->size = max;
	q->msix_vector = 0xffff;
}

int vmm_virtq_enable(struct vmm_virtq *q, const struct vmm_mem *mem, const char **why)
{
	uint64_t n = q->size;

	if (n == 0 || n > q->max_size || (n & (n - 1))) {
		*why = "queue size is not a power of two up to the device's maximum";
		return -EINVAL;
	}
	if ((q->desc_gpa & 15) || (q->avail_gpa & 1) || (q->used_gpa & 3)) {
		*why = "a ring is misaligned";
		return -EINVAL;
	}
	q->desc = vmm_mem_ptr(mem, q->desc_gpa, 16 * n);
	q->avail = vmm_mem_ptr(mem, q->avail_gpa, 6 + 2 * n);
	q->used = vmm_mem_ptr(mem, q->used_gpa, 6 + 8 * n);
	if (!q->desc || !q->avail || !q->used) {
		q->desc = q->avail = q->used = NULL;
		*why = "a ring lies outside guest memory";
		return -EINVAL;
	}
	q->last_avail = 0;
	q->used_idx = 0;
	q->signalled_used = 0;
	q->ready = true;
	return 0;
}

bool vmm_virtq_has_avail(const struct vmm_virtq *q)
{
	if (!q->ready)
		return false;
	return __atomic_load_n((const uint16_t *)(const void *)(q->avail + 2), __ATOMIC_ACQUIRE) !=
	       q->last_avail;
}

/* Where a chain is being walked: the ring's table or an indirect one. */
struct vmm_virtq_walk {
	const uint8_t *table;
	unsigned table_size;
	unsigned seen;			/* descriptors visited in this table */
	bool in_indirect;
};

static int vmm_virtq_bad(const char **why, const char *what)
{
	*why = what;
	return -EINVAL;
}

/* Switch the walk to the indirect table d points at. */
static int vmm_virtq_indirect(const struct vmm_virtq *q, const struct vmm_mem *mem,
			      const struct vmm_virtq_desc *d, struct vmm_virtq_walk *w,
			      const char **why)
{
	if (!q->indirect)
		return vmm_virtq_bad(why, "indirect descriptor without VIRTIO_F_INDIRECT_DESC");
	if (w->in_indirect)
		return vmm_virtq_bad(why, "nested indirect descriptor table");
	if (d->flags & VMM_VRING_DESC_F_NEXT)
		return vmm_virtq_bad(why, "indirect descriptor also has NEXT set");
	if (d->len == 0 || d->len % 16 || d->len / 16 > VMM_VIRTQ_MAX_SEGS)
		return vmm_virtq_bad(why, "indirect table length is zero, ragged or too long");
	if ((d->addr & 15) || !(w->table = vmm_mem_ptr(mem, d->addr, d->len)))
		return vmm_virtq_bad(why, "indirect table is misaligned or outside guest memory");
	w->table_size = d->len / 16;
	w->seen = 0;
	w->in_indirect = true;
	return 0;
}

/* Add one buffer to the chain after checking it against memory and the limits. */
static int vmm_virtq_add(struct vmm_virtq_chain *c, const struct vmm_mem *mem,
			 const struct vmm_virtq_desc *d, const char **why)
{
	bool wr = d->flags & VMM_VRING_DESC_F_WRITE;
	uint8_t *p;

	if (!wr && c->nw)
		return vmm_virtq_bad(why, "readable buffer after a writable one");
	if (d->len == 0)
		return 0;
	if (!(p = vmm_mem_ptr(mem, d->addr, d->len)))
		return vmm_virtq_bad(why, "buffer outside guest memory");
	if (c->rlen + c->wlen + d->len > VMM_VIRTQ_MAX_CHAIN_BYTES)
		return vmm_virtq_bad(why, "chain longer than 256 MiB");
	if (c->nr + c->nw >= VMM_VIRTQ_MAX_SEGS)
		return vmm_virtq_bad(why, "chain has more than 1024 buffers");
	c->iov[c->nr + c->nw].iov_base = p;
	c->iov[c->nr + c->nw].iov_len = d->len;
	if (wr) {
		c->nw++;
		c->wlen += d->len;
	} else {
		c->nr++;
		c->rlen += d->len;
	}
	return 0;
}

static int vmm_virtq_walk_chain(const struct vmm_virtq *q, const struct vmm_mem *mem,
				uint16_t head, struct vmm_virtq_chain *c, const char **why)
{
	struct vmm_virtq_walk w = { q->desc, q->size, 0, false };
	struct vmm_virtq_desc d;
	unsigned i = head;
	int rc;

	for (;;) {
		/* More descriptors than the table holds can only mean a loop. */
		if (++w.seen > w.table_size)
			return vmm_virtq_bad(why, "descriptor chain loops or is longer than its table");
		vmm_virtq_desc_read(w.table, i, &d);
		if (d.flags & VMM_VRING_DESC_F_INDIRECT) {
			rc = vmm_virtq_indirect(q, mem, &d, &w, why);
			if (rc)
				return rc;
			i = 0;
			continue;
		}
		rc = vmm_virtq_add(c, mem, &d, why);
		if (rc)
			return rc;
		if (!(d.flags & VMM_VRING_DESC_F_NEXT))
			return 0;
		i = d.next;
		if (i >= w.table_size)
			return vmm_virtq_bad(why, "next descriptor index out of range");
	}
}

int vmm_virtq_pop(struct vmm_virtq *q, const struct vmm_mem *mem, struct vmm_virtq_chain *c,
		  const char **why)
{
	uint16_t avail_idx, head;
	int rc;

	if (!q->ready)
		return 0;
	avail_idx = __atomic_load_n((const uint16_t *)(const void *)(q->avail + 2), __ATOMIC_ACQUIRE);
	if (avail_idx == q->last_avail)
		return 0;
	if ((uint16_t)(avail_idx - q->last_avail) > q->size)
		return vmm_virtq_bad(why, "available index ran more than a queue ahead");
	head = vmm_virtq_load16(q->avail + 4 + 2u * (q->last_avail & (q->size - 1)));
	if (head >= q->size)
		return vmm_virtq_bad(why, "available ring names a descriptor out of range");
	c->head = head;
	c->nr = c->nw = 0;
	c->rlen = c->wlen = 0;
	rc = vmm_virtq_walk_chain(q, mem, head, c, why);
	if (rc)
		return rc;
	q->last_avail++;
	return 1;
}

void vmm_virtq_unpop(struct vmm_virtq *q)
{
	q->last_avail--;
}

void vmm_virtq_push(struct vmm_virtq *q, uint16_t head, uint32_t len)
{
	uint8_t *e;

	if (!q->ready)
		return;
	e = q->used + 4 + 8u * (q->used_idx & (q->size - 1));
	__atomic_store_n((uint32_t *)(void *)e, (uint32_t)head, __ATOMIC_RELAXED);
	__atomic_store_n((uint32_t *)(void *)(e + 4), len, __ATOMIC_RELAXED);
	q->used_idx++;
	/* The entry must be visible before the index that publishes it. */
	__atomic_store_n((uint16_t *)(void *)(q->used + 2), q->used_idx, __ATOMIC_RELEASE);
}

/*
 * With event indexes the driver wants an interrupt once used_idx passes
 * used_event, and only then: from the very first entry, since the queue
 * starts at 0 on enable and every batch since is accounted for.
 */
bool vmm_virtq_should_signal(struct vmm_virtq *q)
{
	uint16_t old, event;

	if (!q->ready)
		return false;
	/* Our used index store must be ordered before reading the driver's wishes. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!q->event_idx)
		return !(vmm_virtq_load16(q->avail) & VMM_VRING_AVAIL_F_NO_INTERRUPT);
	old = q->signalled_used;
	q->signalled_used = q->used_idx;
	event = vmm_virtq_load16(q->avail + 4 + 2u * q->size);
	return (uint16_t)(q->used_idx - event - 1) < (uint16_t)(q->used_idx - old);
}

void vmm_virtq_notify_enable(struct vmm_virtq *q, bool on)
{
	if (!q->ready)
		return;
	/* With event indexes "off" needs no store: the old avail_event is already behind. */
	if (q->event_idx && on)
		vmm_virtq_store16(q->used + 4 + 8u * q->size, q->last_avail);
	else if (!q->event_idx)
		vmm_virtq_store16(q->used, on ? 0 : VMM_VRING_USED_F_NO_NOTIFY);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

unsigned vmm_iov_slice(const struct iovec *src, unsigned n, uint64_t skip, uint64_t len,
		       struct iovec *dst, unsigned max)
{
	unsigned i, k = 0;

	for (i = 0; i < n && len && k < max; i++) {
		uint64_t l = src[i].iov_len;

		if (skip >= l) {
			skip -= l;
			continue;
		}
		dst[k].iov_base = (uint8_t *)src[i].iov_base + skip;
		dst[k].iov_len = l - skip < len ? l - skip : len;
		len -= dst[k].iov_len;
		skip = 0;
		k++;
	}
	return k;
}

/* Copy between buf and the [skip, skip+len) part of iov[0..n), either way. */
static size_t vmm_iov_copy(const struct iovec *iov, unsigned n, uint64_t skip, uint8_t *buf,
			   size_t len, bool to_buf)
{
	size_t done = 0;

	for (unsigned i = 0; i < n && done < len; i++) {
		uint64_t l = iov[i].iov_len;
		size_t k;

		if (skip >= l) {
			skip -= l;
			continue;
		}
		k = l - skip < len - done ? (size_t)(l - skip) : len - done;
		if (to_buf)
			memcpy(buf + done, (uint8_t *)iov[i].iov_base + skip, k);
		else
			memcpy((uint8_t *)iov[i].iov_base + skip, buf + done, k);
		done += k;
		skip = 0;
	}
	return done;
}

size_t vmm_iov_to_buf(const struct iovec *iov, unsigned n, uint64_t skip, void *buf, size_t len)
{
	return vmm_iov_copy(iov, n, skip, buf, len, true);
}

size_t vmm_iov_from_buf(const struct iovec *iov, unsigned n, uint64_t skip, const void *buf,
			size_t len)
{
	return vmm_iov_copy(iov, n, skip, (uint8_t *)buf, len, false);
}

void vmm_iov_zero(const struct iovec *iov, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		memset(iov[i].iov_base, 0, iov[i].iov_len);
}
