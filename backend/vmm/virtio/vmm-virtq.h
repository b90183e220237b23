/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-virtq.h: split virtqueues as a pure parser of guest memory, every index and address checked. */
#ifndef VMM_VIRTQ_H
#define VMM_VIRTQ_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include "backend/vmm/x86/vmm-mem.h"

#define VMM_VIRTQ_MAX_SIZE 256
/* Buffers of one chain, readable and writable together (indirect tables included). */
#define VMM_VIRTQ_MAX_SEGS 1024
/* No device here needs more in one request; a chain claiming more is hostile. */
#define VMM_VIRTQ_MAX_CHAIN_BYTES (256ull << 20)

#define VMM_VRING_DESC_F_NEXT 1
#define VMM_VRING_DESC_F_WRITE 2
#define VMM_VRING_DESC_F_INDIRECT 4
#define VMM_VRING_AVAIL_F_NO_INTERRUPT 1
#define VMM_VRING_USED_F_NO_NOTIFY 1

/*
 * One queue as the driver programmed it.  The host pointers are resolved
 * (and bounds-checked) when the driver enables the queue; guest RAM never
 * moves, so they stay valid until the next reset.
 */
struct vmm_virtq {
	uint16_t size;			/* as the driver set it (power of two) */
	uint16_t max_size;		/* what the device offers */
	bool ready;
	bool event_idx;			/* VIRTIO_F_EVENT_IDX negotiated */
	bool indirect;			/* VIRTIO_F_INDIRECT_DESC negotiated */
	uint16_t msix_vector;
	uint64_t desc_gpa, avail_gpa, used_gpa;
	uint8_t *desc, *avail, *used;	/* host views, set by vmm_virtq_enable */
	uint16_t last_avail;		/* next available entry to take */
	uint16_t used_idx;		/* next used entry to fill */
	uint16_t signalled_used;	/* used_idx when should_signal last looked */
};

/* One request: readable buffers first (iov[0, nr)), then writable ones. */
struct vmm_virtq_chain {
	uint16_t head;
	unsigned nr, nw;
	uint64_t rlen, wlen;
	struct iovec iov[VMM_VIRTQ_MAX_SEGS];
};

/* Back to the state after a device reset (max_size is kept). */
void vmm_virtq_reset(struct vmm_virtq *q);

/*
 * The driver set queue_enable: check size, alignment and that all three
 * rings lie in guest RAM.  0, or -EINVAL with *why saying what was wrong.
 */
int vmm_virtq_enable(struct vmm_virtq *q, const struct vmm_mem *mem, const char **why);

/*
 * Take the next available chain.  1: *c holds it; 0: nothing available;
 * -EINVAL: the driver broke the rules (loop, out-of-memory buffer, bad
 * index, overlong chain) and *why says how; the queue is then unusable.
 */
int vmm_virtq_pop(struct vmm_virtq *q, const struct vmm_mem *mem, struct vmm_virtq_chain *c,
		  const char **why);

/* Give the chain just popped back (no buffer was used; e.g. no packet to receive). */
void vmm_virtq_unpop(struct vmm_virtq *q);

/* True when the driver has published chains not taken yet. */
bool vmm_virtq_has_avail(const struct vmm_virtq *q);

/* Return a chain as used with len bytes written into its writable buffers. */
void vmm_virtq_push(struct vmm_virtq *q, uint16_t head, uint32_t len);

/* After pushes: does the driver want an interrupt now?  Records the answer's point. */
bool vmm_virtq_should_signal(struct vmm_virtq *q);

/* Ask the driver for notifications (true) or tell it they are not needed now. */
void vmm_virtq_notify_enable(struct vmm_virtq *q, bool on);

/* A chain's buffers in pieces: the [skip, skip+len) part of src as a new list (at most max). */
unsigned vmm_iov_slice(const struct iovec *src, unsigned n, uint64_t skip, uint64_t len,
		       struct iovec *dst, unsigned max);
void vmm_iov_zero(const struct iovec *iov, unsigned n);
/* Copy up to len bytes from byte skip of the buffers iov[0..n) into buf; how many there were. */
size_t vmm_iov_to_buf(const struct iovec *iov, unsigned n, uint64_t skip, void *buf, size_t len);
/* Copy up to len bytes of buf into the buffers iov[0..n) from byte skip of them; how many fit. */
size_t vmm_iov_from_buf(const struct iovec *iov, unsigned n, uint64_t skip, const void *buf,
			size_t len);

#endif
