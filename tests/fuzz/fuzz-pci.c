/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-pci.c: libFuzzer entry: PCI config cycles, BAR accesses and guest RAM against virtio-blk, virtio-rng and pvpanic. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/vmm/virtio/vmm-blk.h"
#include "backend/vmm/pci/vmm-pci.h"
#include "backend/vmm/pci/vmm-pvpanic.h"
#include "backend/vmm/virtio/vmm-rng.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RAM (1u << 20)

static struct {
	uint8_t *ram;
	struct vmm_mem mem;
	struct vmm_pci pci;
	struct vmm_blk *blk;
	struct vmm_rng *rng;
	struct vmm_pvpanic *pvpanic;
} F;

static void fuzz_irq(void *opaque, unsigned irq, int level)
{
	(void)opaque, (void)irq, (void)level;
}

static int fuzz_msi(void *opaque, uint64_t addr, uint32_t data)
{
	(void)opaque, (void)addr, (void)data;
	return 0;
}

static void fuzz_panic(void *opaque, uint8_t event)
{
	(void)opaque, (void)event;
}

/* One bus as the runner builds it: bridge, a 64 KiB raw disk in slot 1, the rng in 2, pvpanic in 3. */
static int fuzz_setup(void)
{
	struct vmm_virtio_env env = { &F.mem, fuzz_irq, fuzz_msi, NULL, NULL };
	char path[] = "/tmp/vmtui-fuzz-disk.XXXXXX";
	struct vmm_blk_config cfg = { path, VMM_DISK_RAW, false };
	struct vmt_error err;
	int fd = mkstemp(path);

	vmm_log_level_set(-1);
	if (fd < 0 || ftruncate(fd, 65536) < 0 || !(F.ram = calloc(1, RAM)))
		return -1;
	close(fd);
	vmm_mem_layout(&F.mem, RAM);
	F.mem.host = F.ram;
	vmm_pci_init(&F.pci, RAM);
	F.blk = vmm_blk_new(0, &cfg, &env, &err);
	F.rng = vmm_rng_new(&env, &err);
	F.pvpanic = vmm_pvpanic_new(fuzz_panic, NULL, &err);
	unlink(path);	/* the disk's fd keeps it */
	if (!F.blk || !F.rng || !F.pvpanic || vmm_virtio_plug(&F.blk->v, &F.pci, 5, &err) ||
	    vmm_virtio_plug(&F.rng->v, &F.pci, 9, &err) || vmm_pvpanic_plug(F.pvpanic, &F.pci, &err))
		return -1;
	return 0;
}

static uint64_t fuzz_get(const uint8_t **p, const uint8_t *end, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n && *p < end; i++)
		v |= (uint64_t)*(*p)++ << (8 * i);
	return v;
}

/* One operation from the input; returns false at its end. */
static bool fuzz_op(const uint8_t **p, const uint8_t *end)
{
	static const uint32_t lens[4] = { 1, 2, 4, 8 };
	uint8_t op, buf[8];
	uint64_t a, v;
	uint32_t len;

	if (*p >= end)
		return false;
	op = *(*p)++;
	len = lens[(op >> 4) & 3];
	switch (op & 7) {
	case 0: case 1:	/* config cycle: address dword, then data port access */
		a = 0x80000000u | (fuzz_get(p, end, 1) & 31) << 11 | (fuzz_get(p, end, 1) & 0xfc);
		vmm_put32(buf, (uint32_t)a);
		vmm_pci_config_io(&F.pci, 0, buf, 4, true);
		v = fuzz_get(p, end, 4);
		vmm_put32(buf, (uint32_t)v);
		a = fuzz_get(p, end, 1) & 3;
		vmm_pci_config_io(&F.pci, 4 + a, buf, len > 4 - a ? 4 - (uint32_t)a : len, op & 1);
		return true;
	case 2: case 3:	/* an access into the MMIO window, near where BARs live */
		a = VMM_PCI_BAR_BASE - RAM + fuzz_get(p, end, 2) + (fuzz_get(p, end, 1) & 3) * VMM_PCI_BAR_SIZE;
		vmm_put64(buf, fuzz_get(p, end, 8));
		vmm_pci_window_io(&F.pci, a, buf, len, op & 1);
		return true;
	case 4:		/* guest RAM */
		a = fuzz_get(p, end, 3) % (RAM - 8);
		vmm_put64(F.ram + a, fuzz_get(p, end, 8));
		return true;
	case 5:		/* the disk's I/O thread runs */
		vmm_blk_process(F.blk);
		return true;
	default:	/* a raw port access to 0xcf8-0xcff */
		a = fuzz_get(p, end, 1) & 7;
		vmm_put32(buf, (uint32_t)fuzz_get(p, end, 4));
		vmm_pci_config_io(&F.pci, a, buf, len > 8 - a ? 8 - (uint32_t)a : len, op & 8);
		return true;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	const uint8_t *p = data, *end = data + size;

	if (!ready)
		ready = fuzz_setup() == 0 ? 1 : -1;
	if (ready < 0)
		abort();	/* broken set-up: nothing to fuzz */
	memset(F.ram, 0, RAM);
	vmm_pci_reset(&F.pci);
	vmm_virtio_hard_reset(&F.blk->v);
	vmm_virtio_hard_reset(&F.rng->v);
	for (unsigned n = 0; n < 4096 && fuzz_op(&p, end); n++)
		;
	return 0;
}
