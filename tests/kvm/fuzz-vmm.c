/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-vmm.c: libFuzzer entry feeding one input to the bzImage parser, the boot writer and the UART model. */
/*
 * Build by hand (not part of make check):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I. -I$srcdir \
 *     $srcdir/tests/kvm/fuzz-vmm.c $srcdir/backend/kvm/vmm-{bzimage,boot,tables,mem,uart,log}.c \
 *     -o fuzz-vmm && ./fuzz-vmm -max_total_time=60
 * where . holds config.h (any configured build directory).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backend/kvm/vmm-boot.h"
#include "backend/kvm/vmm-uart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The whole input as a kernel image, booted into 4 MiB of RAM. */
static void fuzz_boot(const uint8_t *data, size_t size)
{
	static uint8_t *ram;
	struct vmm_mem m;
	struct vmm_boot_input in;
	struct vmm_boot_entry e;
	struct vmm_boot_plan p;
	struct vmm_error err;

	if (!ram && !(ram = calloc(1, 4 << 20)))
		return;
	vmm_mem_layout(&m, 4 << 20);
	m.host = ram;
	m.mapped = 0;
	memset(&in, 0, sizeof(in));
	in.image = data;
	in.image_len = size;
	in.initrd = data;
	in.initrd_len = size / 3;
	in.cmdline = "console=ttyS0";
	in.vcpus = 1 + (size % 64);
	(void)vmm_boot_load(&m, &in, &e, &p, &err);
}

/* The input as UART register traffic: (op, value) pairs. */
static void fuzz_uart(const uint8_t *data, size_t size)
{
	struct vmm_uart u;
	size_t i;

	vmm_uart_init(&u, NULL, NULL);
	for (i = 0; i + 1 < size; i += 2) {
		if (data[i] & 0x80)
			vmm_uart_write(&u, data[i] & 7, data[i + 1]);
		else if (data[i] & 0x40)
			(void)vmm_uart_rx_push(&u, data + i + 1, 1);
		else
			(void)vmm_uart_read(&u, data[i] & 7);
		(void)vmm_uart_irq_level(&u);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_boot(data, size);
	fuzz_uart(data, size);
	return 0;
}
