/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-uart.c: libFuzzer entry: the 16550A model driven by register reads, writes and host input. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "backend/vmm/hw/vmm-uart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_uart_tx(void *opaque, uint8_t byte)
{
	(void)opaque;
	(void)byte;
}

/* The input as (op, value) pairs: a register write, host bytes in, or a register read. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmm_uart u;
	size_t i;

	vmm_uart_init(&u, fuzz_uart_tx, NULL);
	for (i = 0; i + 1 < size; i += 2) {
		if (data[i] & 0x80)
			vmm_uart_write(&u, data[i] & 7, data[i + 1]);
		else if (data[i] & 0x40)
			(void)vmm_uart_rx_push(&u, data + i + 1, 1);
		else if (data[i] & 0x20)
			vmm_uart_reset(&u);
		else
			(void)vmm_uart_read(&u, data[i] & 7);
		(void)vmm_uart_irq_level(&u);
		(void)vmm_uart_rx_space(&u);
	}
	return 0;
}
