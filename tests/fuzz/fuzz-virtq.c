/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-virtq.c: libFuzzer entry: a split virtqueue whose rings and buffers are whatever the input says. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backend/vmm/virtio/vmm-virtq.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RAM (256u * 1024u)

/*
 * Input: 16 bytes of queue set-up (size, the three ring addresses, the
 * negotiated ring features), then guest RAM.  The queue is drained with
 * pops and pushes as a device would, including giving chains back.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t *ram;
	static struct vmm_virtq_chain chain;
	struct vmm_mem m;
	struct vmm_virtq q;
	const char *why;

	if (size < 16)
		return 0;
	if (!ram && !(ram = malloc(RAM)))
		return 0;
	memset(ram, 0, RAM);
	memcpy(ram, data + 16, size - 16 < RAM ? size - 16 : RAM);
	vmm_mem_layout(&m, RAM);
	m.host = ram;
	m.mapped = 0;
	memset(&q, 0, sizeof(q));
	q.max_size = VMM_VIRTQ_MAX_SIZE;
	vmm_virtq_reset(&q);
	q.size = (uint16_t)(data[0] | data[1] << 8);
	q.desc_gpa = vmm_get32(data + 2) % (RAM + 4096);
	q.avail_gpa = vmm_get32(data + 6) % (RAM + 4096);
	q.used_gpa = vmm_get32(data + 10) % (RAM + 4096);
	q.event_idx = data[14] & 1;
	q.indirect = data[14] & 2;
	if (vmm_virtq_enable(&q, &m, &why) < 0)
		return 0;
	for (unsigned i = 0; i < 2 * VMM_VIRTQ_MAX_SIZE; i++) {
		int r = vmm_virtq_pop(&q, &m, &chain, &why);

		if (r <= 0)
			break;
		if ((data[15] >> (i % 8)) & 1) {
			vmm_virtq_unpop(&q);
			vmm_virtq_notify_enable(&q, true);
			break;
		}
		vmm_virtq_push(&q, chain.head, (uint32_t)(chain.wlen & 0xffffffffu));
		(void)vmm_virtq_should_signal(&q);
	}
	vmm_virtq_notify_enable(&q, false);
	return 0;
}
