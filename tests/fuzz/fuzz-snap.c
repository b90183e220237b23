/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-snap.c: libFuzzer entry: the snapshot file's header and sections, and a UART restored from them. */
#define _GNU_SOURCE
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backend/vmm/hw/vmm-uart.h"
#include "backend/vmm/vmm-snap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_snap_tx(void *opaque, uint8_t byte)
{
	(void)opaque;
	(void)byte;
}

/*
 * Input: a byte saying how much longer than the input the file claims to
 * be (in pages: memory past what the state holds), then the file's start.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "serial", "vcpu0", "machine", "pci", "blk0", "nosuch" };
	struct vmm_snap_in in;
	struct vmt_error err;
	struct vmm_uart u;
	uint8_t scratch[512];

	if (size < 1)
		return 0;
	vmm_log_level_set(-1);
	if (vmm_snap_parse_buf(data + 1, size - 1, size - 1 + (uint64_t)data[0] * 4096, &in, &err) < 0)
		return 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (vmm_snap_open(&in, names[i], &err) < 0)
			continue;
		if (i == 0) {
			vmm_uart_init(&u, fuzz_snap_tx, NULL);
			if (vmm_uart_restore(&u, &in, &err) == 0) {
				/* What the registers now say must be safe to drive. */
				memset(scratch, 'x', 4);
				vmm_uart_rx_push(&u, scratch, vmm_uart_rx_space(&u) < 4 ? vmm_uart_rx_space(&u) : 4);
				for (unsigned r = 0; r < 8; r++)
					(void)vmm_uart_read(&u, r);
				vmm_uart_write(&u, 0, 'y');
				(void)vmm_uart_irq_level(&u);
			}
			continue;
		}
		while (vmm_snap_left(&in) && vmm_snap_get(&in, scratch, vmm_snap_left(&in) % sizeof(scratch) + 1,
							   &err) == 0)
			;
	}
	vmm_snap_in_done(&in);
	return 0;
}
