/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-bzimage.c: libFuzzer entry: the bzImage and vmlinux (PVH) parsers and the boot writer on any kernel file. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backend/vmm/x86/vmm-boot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The whole input as a kernel image (and its last third as an initrd), booted into 4 MiB. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t *ram;
	struct vmm_mem m;
	struct vmm_boot_input in;
	struct vmm_boot_entry e;
	struct vmm_boot_plan p;
	struct vmt_error err;

	if (!ram && !(ram = calloc(1, 4 << 20)))
		return 0;
	vmm_mem_layout(&m, 4 << 20);
	m.host = ram;
	m.mapped = 0;
	memset(&in, 0, sizeof(in));
	in.image = data;
	in.image_len = size;
	in.initrd = data + size - size / 3;
	in.initrd_len = size / 3;
	in.cmdline = "console=ttyS0";
	in.vcpus = 1 + (unsigned)(size % 64);
	in.want_entry = size % 3 == 0 ? 0 : size % 3 == 1 ? 32 : 64;
	(void)vmm_boot_load(&m, &in, &e, &p, &err);
	return 0;
}
