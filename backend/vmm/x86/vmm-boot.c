/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-boot.c: the loader half of the Linux x86 boot protocol, writing into guest RAM only through bounds checks. */
#include "config.h"

#include "backend/vmm/x86/vmm-boot.h"

#include <errno.h>
#include <string.h>

#include "backend/vmm/x86/vmm-pvh.h"

#define BP_ACPI_RSDP 0x070
#define BP_E820_ENTRIES 0x1e8
#define BP_E820_TABLE 0x2d0
#define BP_SIZE 0x1000

unsigned vmm_boot_e820(const struct vmm_mem *m, struct vmm_e820 *e, unsigned max)
{
	struct vmm_e820 all[5];
	unsigned n = 0, i;

	all[n++] = (struct vmm_e820){ 0, VMM_BOOT_EBDA, VMM_E820_RAM };
	all[n++] = (struct vmm_e820){ VMM_BOOT_EBDA, 0xa0000 - VMM_BOOT_EBDA, VMM_E820_RESERVED };
	all[n++] = (struct vmm_e820){ VMM_BOOT_BIOS, VMM_BOOT_BIOS_END - VMM_BOOT_BIOS,
				      VMM_E820_RESERVED };
	if (m->low_size > VMM_BOOT_BIOS_END)
		all[n++] = (struct vmm_e820){ VMM_BOOT_BIOS_END, m->low_size - VMM_BOOT_BIOS_END,
					      VMM_E820_RAM };
	if (m->high_size)
		all[n++] = (struct vmm_e820){ VMM_MEM_HIGH_START, m->high_size, VMM_E820_RAM };
	for (i = 0; i < n && i < max; i++)
		e[i] = all[i];
	return i;
}

/* GDT for the chosen entry: flat code at 0x10 (64-bit or 32-bit), flat data at 0x18. */
static int vmm_boot_gdt(struct vmm_mem *m, int mode)
{
	uint8_t *g = vmm_mem_ptr(m, VMM_BOOT_GDT, 5 * 8);

	if (!g)
		return -EFAULT;
	vmm_put64(g + 0x00, 0);
	vmm_put64(g + 0x08, 0);
	vmm_put64(g + VMM_BOOT_CS, mode == 64 ? 0x00af9b000000ffffull : 0x00cf9b000000ffffull);
	vmm_put64(g + VMM_BOOT_DS, 0x00cf93000000ffffull);
	vmm_put64(g + VMM_BOOT_TSS, 0x00808b0000000067ull);
	return 0;
}

/* Identity map of the first 4 GiB in 2 MiB pages: all the 64-bit entry may touch. */
static int vmm_boot_page_tables(struct vmm_mem *m)
{
	uint8_t *pml4 = vmm_mem_ptr(m, VMM_BOOT_PML4, 4096);
	uint8_t *pdpt = vmm_mem_ptr(m, VMM_BOOT_PDPT, 4096);
	uint8_t *pd = vmm_mem_ptr(m, VMM_BOOT_PD, 4 * 4096);
	uint64_t i;

	if (!pml4 || !pdpt || !pd)
		return -EFAULT;
	vmm_put64(pml4, VMM_BOOT_PDPT | 0x03);
	for (i = 0; i < 4; i++)
		vmm_put64(pdpt + i * 8, (VMM_BOOT_PD + i * 4096) | 0x03);
	for (i = 0; i < 4 * 512; i++)
		vmm_put64(pd + i * 8, (i << 21) | 0x83);	/* present, writable, 2 MiB */
	return 0;
}

/* What a BIOS would leave in its data area: where the EBDA is, how much base memory. */
static int vmm_boot_bda(struct vmm_mem *m)
{
	uint8_t *bda = vmm_mem_ptr(m, 0x400, 0x100);

	if (!bda)
		return -EFAULT;
	vmm_put16(bda + 0x0e, (uint16_t)(VMM_BOOT_EBDA >> 4));
	vmm_put16(bda + 0x13, (uint16_t)(VMM_BOOT_EBDA >> 10));
	return 0;
}

static void vmm_boot_params_e820(const struct vmm_mem *m, uint8_t *bp)
{
	struct vmm_e820 e[VMM_E820_MAX];
	unsigned n = vmm_boot_e820(m, e, VMM_E820_MAX), i;

	bp[BP_E820_ENTRIES] = (uint8_t)n;
	for (i = 0; i < n; i++) {
		vmm_put64(bp + BP_E820_TABLE + i * 20, e[i].addr);
		vmm_put64(bp + BP_E820_TABLE + i * 20 + 8, e[i].size);
		vmm_put32(bp + BP_E820_TABLE + i * 20 + 16, e[i].type);
	}
}

static int vmm_boot_params(struct vmm_mem *m, const struct vmm_boot_input *in,
			   const struct vmm_bzimage *img, const struct vmm_boot_plan *plan,
			   uint64_t rsdp)
{
	uint8_t *bp = vmm_mem_ptr(m, VMM_BOOT_PARAMS, BP_SIZE);

	if (!bp)
		return -EFAULT;
	memset(bp, 0, BP_SIZE);
	memcpy(bp + VMM_BZ_SETUP_SECTS, in->image + VMM_BZ_SETUP_SECTS,
	       img->hdr_end - VMM_BZ_SETUP_SECTS);
	bp[VMM_BZ_TYPE_OF_LOADER] = 0xff;	/* undefined loader: no registered id */
	bp[VMM_BZ_LOADFLAGS] = (uint8_t)((img->loadflags | VMM_BZ_CAN_USE_HEAP) & ~0x40u);
	vmm_put16(bp + VMM_BZ_HEAP_END_PTR, 0xfe00 - 0x200);
	vmm_put32(bp + VMM_BZ_CODE32_START, (uint32_t)plan->kernel_addr);
	vmm_put32(bp + VMM_BZ_RAMDISK_IMAGE, (uint32_t)plan->initrd_addr);
	vmm_put32(bp + VMM_BZ_RAMDISK_SIZE, (uint32_t)plan->initrd_size);
	vmm_put32(bp + VMM_BZ_CMD_LINE_PTR, (uint32_t)VMM_BOOT_CMDLINE);
	vmm_put64(bp + BP_ACPI_RSDP, rsdp);
	vmm_boot_params_e820(m, bp);
	return 0;
}

static int vmm_boot_copy(struct vmm_mem *m, uint64_t gpa, const void *src, size_t len)
{
	uint8_t *dst = vmm_mem_ptr(m, gpa, len);

	if (!dst)
		return -EFAULT;
	if (len)
		memcpy(dst, src, len);
	return 0;
}

/* Everything below 1 MiB that does not depend on the image. */
static int vmm_boot_low(struct vmm_mem *m, const struct vmm_boot_input *in,
			const struct vmm_boot_plan *plan, uint64_t *rsdp, struct vmt_error *err)
{
	if (m->low_size < VMM_BOOT_BIOS_END)
		return vmt_error_set(err, -E2BIG, "guest memory is smaller than 1 MiB");
	if (vmm_boot_gdt(m, plan->entry) || vmm_boot_page_tables(m) || vmm_boot_bda(m))
		return vmt_error_set(err, -EFAULT, "cannot write boot structures below 1 MiB");
	if (vmm_boot_copy(m, VMM_BOOT_CMDLINE, in->cmdline, plan->cmdline_len + 1))
		return vmt_error_set(err, -EFAULT, "cannot write the command line");
	return vmm_tables_build(m, in->vcpus, in->pci, rsdp, err);
}

/* hvm_start_info, its one module (the initrd) and the e820 map, at VMM_BOOT_PVH_INFO. */
static int vmm_boot_pvh_info(struct vmm_mem *m, const struct vmm_boot_plan *plan, uint64_t rsdp)
{
	struct vmm_e820 e[VMM_E820_MAX];
	unsigned n = vmm_boot_e820(m, e, VMM_E820_MAX);
	uint64_t mods = VMM_BOOT_PVH_INFO + 0x40, map = VMM_BOOT_PVH_INFO + 0x80;
	uint8_t *si = vmm_mem_ptr(m, VMM_BOOT_PVH_INFO, map - VMM_BOOT_PVH_INFO +
				  (uint64_t)n * VMM_PVH_MEMMAP_ENTRY_SIZE);

	if (!si)
		return -EFAULT;
	memset(si, 0, map - VMM_BOOT_PVH_INFO);
	vmm_put32(si + 0, VMM_PVH_MAGIC);
	vmm_put32(si + 4, 1);				/* version 1: with the memory map */
	vmm_put32(si + 12, plan->initrd_size ? 1 : 0);	/* nr_modules */
	vmm_put64(si + 16, plan->initrd_size ? mods : 0);
	vmm_put64(si + 24, VMM_BOOT_CMDLINE);
	vmm_put64(si + 32, rsdp);
	vmm_put64(si + 40, map);
	vmm_put32(si + 48, n);
	vmm_put64(si + (mods - VMM_BOOT_PVH_INFO), plan->initrd_addr);
	vmm_put64(si + (mods - VMM_BOOT_PVH_INFO) + 8, plan->initrd_size);
	for (unsigned i = 0; i < n; i++) {
		uint8_t *p = si + (map - VMM_BOOT_PVH_INFO) + i * VMM_PVH_MEMMAP_ENTRY_SIZE;

		vmm_put64(p, e[i].addr);
		vmm_put64(p + 8, e[i].size);
		vmm_put32(p + 16, e[i].type);
		vmm_put32(p + 20, 0);
	}
	return 0;
}

/* Where an uncompressed kernel's segments and the initrd go: all of it in low RAM. */
static int vmm_boot_pvh_plan(const struct vmm_mem *m, const struct vmm_pvh *pvh,
			     uint64_t initrd_size, uint64_t cmdline_len,
			     struct vmm_boot_plan *plan, struct vmt_error *err)
{
	uint64_t top = m->low_size;

	if (pvh->lo < VMM_BOOT_BIOS_END || pvh->hi > top)
		return vmt_error_set(err, -E2BIG, "its segments (%#llx-%#llx) do not fit in guest RAM "
				     "between 1 MiB and %#llx", (unsigned long long)pvh->lo,
				     (unsigned long long)pvh->hi, (unsigned long long)top);
	memset(plan, 0, sizeof(*plan));
	plan->entry = 32;
	plan->kernel_addr = pvh->lo;
	plan->kernel_end = pvh->hi;
	plan->cmdline_len = cmdline_len;
	plan->initrd_size = initrd_size;
	if (initrd_size) {
		if (initrd_size > top - pvh->hi)
			return vmt_error_set(err, -E2BIG, "initrd of %llu bytes does not fit above the "
					     "kernel in guest RAM", (unsigned long long)initrd_size);
		plan->initrd_addr = (top - initrd_size) & ~0xfffull;
		if (plan->initrd_addr < pvh->hi)
			return vmt_error_set(err, -E2BIG, "initrd of %llu bytes does not fit above the "
					     "kernel in guest RAM", (unsigned long long)initrd_size);
	}
	return 0;
}

/* An uncompressed vmlinux through its PVH entry: 32-bit, paging off, EBX at hvm_start_info. */
static int vmm_boot_load_pvh(struct vmm_mem *m, const struct vmm_boot_input *in,
			     struct vmm_boot_entry *entry, struct vmm_boot_plan *plan,
			     struct vmt_error *err)
{
	struct vmm_pvh pvh;
	size_t clen = strlen(in->cmdline);
	uint64_t rsdp = 0;
	int rc = vmm_pvh_parse(in->image, in->image_len, &pvh, err);

	if (rc)
		return rc;
	if (in->want_entry == 64)
		return vmt_error_set(err, -EINVAL, "an uncompressed vmlinux starts at its 32-bit PVH "
				     "entry: --boot-entry 64 is for a bzImage");
	if (clen > VMM_BOOT_CMDLINE_MAX - 1)
		return vmt_error_set(err, -E2BIG, "command line too long: %zu bytes", clen);
	rc = vmm_boot_pvh_plan(m, &pvh, in->initrd_len, clen, plan, err);
	if (rc == 0)
		rc = vmm_boot_low(m, in, plan, &rsdp, err);
	if (rc)
		return rc;
	for (unsigned i = 0; i < pvh.n_segs; i++) {
		const struct vmm_pvh_seg *s = &pvh.segs[i];
		uint8_t *dst = vmm_mem_ptr(m, s->paddr, s->memsz);

		if (!dst)
			return vmt_error_set(err, -EFAULT, "cannot copy the kernel into guest memory");
		memcpy(dst, in->image + s->offset, s->filesz);
		memset(dst + s->filesz, 0, s->memsz - s->filesz);
	}
	if (vmm_boot_copy(m, plan->initrd_addr, in->initrd, in->initrd_len) ||
	    vmm_boot_pvh_info(m, plan, rsdp))
		return vmt_error_set(err, -EFAULT, "cannot copy the initrd or the start info into "
				     "guest memory");
	memset(entry, 0, sizeof(*entry));
	entry->mode = 32;
	entry->rip = pvh.entry;
	entry->rbx = VMM_BOOT_PVH_INFO;
	entry->rsp = VMM_BOOT_STACK;
	entry->cr3 = VMM_BOOT_PML4;
	return 0;
}

int vmm_boot_load(struct vmm_mem *m, const struct vmm_boot_input *in,
		  struct vmm_boot_entry *entry, struct vmm_boot_plan *plan,
		  struct vmt_error *err)
{
	struct vmm_bzimage img;
	size_t clen = strlen(in->cmdline);
	uint64_t rsdp = 0;
	int rc;

	if (vmm_pvh_is_elf(in->image, in->image_len))
		return vmm_boot_load_pvh(m, in, entry, plan, err);
	rc = vmm_bzimage_parse(in->image, in->image_len, &img, err);
	if (rc)
		return rc;
	if (clen > VMM_BOOT_CMDLINE_MAX - 1)
		return vmt_error_set(err, -E2BIG, "command line too long: %zu bytes", clen);
	rc = vmm_boot_plan_make(&img, m->low_size, in->initrd_len, clen, in->want_entry, plan, err);
	if (rc)
		return rc;
	rc = vmm_boot_low(m, in, plan, &rsdp, err);
	if (rc)
		return rc;
	if (vmm_boot_copy(m, plan->kernel_addr, in->image + img.setup_size, img.kernel_size) ||
	    vmm_boot_copy(m, plan->initrd_addr, in->initrd, in->initrd_len) ||
	    vmm_boot_params(m, in, &img, plan, rsdp))
		return vmt_error_set(err, -EFAULT, "cannot copy the kernel or initrd into guest memory");
	memset(entry, 0, sizeof(*entry));
	entry->mode = plan->entry;
	/* The 64-bit entry sits 0x200 into the protected-mode kernel. */
	entry->rip = plan->entry == 64 ? plan->kernel_addr + 0x200 : plan->kernel_addr;
	entry->rsi = VMM_BOOT_PARAMS;
	entry->rsp = VMM_BOOT_STACK;
	entry->cr3 = VMM_BOOT_PML4;
	return 0;
}
