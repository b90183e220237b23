/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-bzimage.c: the boot protocol's checks (Documentation/arch/x86/boot.rst) as pure functions. */
#include "config.h"

#include "backend/vmm/x86/vmm-bzimage.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "backend/vmm/x86/vmm-mem.h"

/* Lowest address a kernel is loaded at: above the real-mode megabyte. */
#define VMM_BZ_LOW_LOAD 0x100000ull
/* Where our own boot structures end (see vmm-boot.h); an initrd stays above. */
#define VMM_BZ_DEFAULT_INITRD_MAX 0x37ffffffu

static int vmm_bzimage_check_header(const uint8_t *buf, size_t len, struct vmt_error *err)
{
	uint16_t version;

	if (len < VMM_BZ_HEADER + 4)
		return vmt_error_set(err, -ENOEXEC,
				     "truncated: %zu bytes is too short for a setup header", len);
	if (memcmp(buf + VMM_BZ_HEADER, "HdrS", 4) != 0)
		return vmt_error_set(err, -ENOEXEC, "not a bzImage (no HdrS magic at 0x202)");
	if (len < VMM_BZ_INIT_SIZE + 4)
		return vmt_error_set(err, -ENOEXEC, "truncated: %zu bytes ends inside the setup header",
				     len);
	version = vmm_get16(buf + VMM_BZ_VERSION);
	if (version < VMM_BZ_MIN_VERSION)
		return vmt_error_set(err, -ENOEXEC,
				     "boot protocol %u.%02u is too old (need %u.%02u or later)",
				     version >> 8, version & 0xff,
				     VMM_BZ_MIN_VERSION >> 8, VMM_BZ_MIN_VERSION & 0xff);
	if (vmm_get16(buf + VMM_BZ_BOOT_FLAG) != 0xaa55)
		return vmt_error_set(err, -ENOEXEC, "bad boot flag %#06x at 0x1fe (want 0xaa55)",
				     vmm_get16(buf + VMM_BZ_BOOT_FLAG));
	if (!(buf[VMM_BZ_LOADFLAGS] & VMM_BZ_LOADED_HIGH))
		return vmt_error_set(err, -ENOEXEC,
				     "a zImage (loaded low, LOADED_HIGH clear): only bzImage is supported");
	return 0;
}

static void vmm_bzimage_fields(const uint8_t *buf, struct vmm_bzimage *img)
{
	img->version = vmm_get16(buf + VMM_BZ_VERSION);
	img->loadflags = buf[VMM_BZ_LOADFLAGS];
	img->code32_start = vmm_get32(buf + VMM_BZ_CODE32_START);
	img->initrd_addr_max = vmm_get32(buf + VMM_BZ_INITRD_ADDR_MAX);
	img->kernel_alignment = vmm_get32(buf + VMM_BZ_KERNEL_ALIGNMENT);
	img->relocatable = buf[VMM_BZ_RELOCATABLE];
	img->cmdline_size = vmm_get32(buf + VMM_BZ_CMDLINE_SIZE);
	if (img->version >= 0x020c)
		img->xloadflags = vmm_get16(buf + VMM_BZ_XLOADFLAGS);
	if (img->version >= 0x020a) {
		img->pref_address = vmm_get64(buf + VMM_BZ_PREF_ADDRESS);
		img->init_size = vmm_get32(buf + VMM_BZ_INIT_SIZE);
	}
	if (img->initrd_addr_max == 0)
		img->initrd_addr_max = VMM_BZ_DEFAULT_INITRD_MAX;
}

int vmm_bzimage_parse(const uint8_t *buf, size_t len, struct vmm_bzimage *img,
		      struct vmt_error *err)
{
	uint64_t syssize_bytes;
	int rc;

	memset(img, 0, sizeof(*img));
	if (!buf)
		len = 0;
	rc = vmm_bzimage_check_header(buf, len, err);
	if (rc)
		return rc;
	vmm_bzimage_fields(buf, img);
	img->setup_sects = buf[VMM_BZ_SETUP_SECTS] ? buf[VMM_BZ_SETUP_SECTS] : 4;
	img->setup_size = ((size_t)img->setup_sects + 1) * 512;
	/* The jump at 0x200 skips exactly the header: its end is 0x202 + offset. */
	img->hdr_end = VMM_BZ_HEADER + buf[VMM_BZ_JUMP + 1];
	if (buf[VMM_BZ_JUMP] != 0xeb || img->hdr_end > VMM_BZ_HDR_LIMIT)
		img->hdr_end = VMM_BZ_HDR_LIMIT;
	if (img->hdr_end > img->setup_size)
		img->hdr_end = img->setup_size;
	if (img->setup_size >= len)
		return vmt_error_set(err, -ENOEXEC,
				     "truncated: %u setup sectors need more than the file's %zu bytes",
				     img->setup_sects, len);
	img->kernel_size = len - img->setup_size;
	syssize_bytes = (uint64_t)vmm_get32(buf + VMM_BZ_SYSSIZE) * 16;
	/* syssize counts 16-byte paragraphs, rounded up: allow the last one short. */
	if (syssize_bytes > ((uint64_t)img->kernel_size + 15) / 16 * 16)
		return vmt_error_set(err, -ENOEXEC,
				     "truncated: header says the kernel is %llu bytes, file has %zu",
				     (unsigned long long)syssize_bytes, img->kernel_size);
	if (img->relocatable && img->kernel_alignment &&
	    (img->kernel_alignment & (img->kernel_alignment - 1)))
		return vmt_error_set(err, -ENOEXEC, "kernel_alignment %#x is not a power of two",
				     img->kernel_alignment);
	return 0;
}

static uint64_t vmm_align_up(uint64_t v, uint64_t a)
{
	return a ? (v + a - 1) / a * a : v;
}

/* Choose the load address: pref_address for a relocatable kernel when it fits. */
static int vmm_boot_plan_kernel(const struct vmm_bzimage *img, uint64_t low_end,
				struct vmm_boot_plan *plan, struct vmt_error *err)
{
	uint64_t need = img->init_size > img->kernel_size ? img->init_size : img->kernel_size;
	uint64_t addr = VMM_BZ_LOW_LOAD;

	if (img->relocatable && img->pref_address >= VMM_BZ_LOW_LOAD &&
	    img->pref_address < low_end && need <= low_end - img->pref_address)
		addr = img->pref_address;
	else if (img->relocatable)
		addr = vmm_align_up(VMM_BZ_LOW_LOAD, img->kernel_alignment ? img->kernel_alignment : 1);
	if (addr >= low_end || need > low_end - addr)
		return vmt_error_set(err, -E2BIG,
				     "too large for memory: the kernel needs %llu KiB from %#llx "
				     "but guest RAM ends at %#llx",
				     (unsigned long long)(need >> 10), (unsigned long long)addr,
				     (unsigned long long)low_end);
	plan->kernel_addr = addr;
	plan->kernel_end = addr + need;
	return 0;
}

static int vmm_boot_plan_initrd(const struct vmm_bzimage *img, uint64_t low_end,
				uint64_t size, struct vmm_boot_plan *plan, struct vmt_error *err)
{
	uint64_t top = (uint64_t)img->initrd_addr_max + 1, floor = vmm_align_up(plan->kernel_end, 4096);

	plan->initrd_addr = 0;
	plan->initrd_size = size;
	if (size == 0)
		return 0;
	if (top > low_end)
		top = low_end;
	/* High, as the boot protocol recommends, so the kernel can grow beneath it. */
	if (top < floor || size > top - floor)
		return vmt_error_set(err, -E2BIG,
				     "initrd too large: %llu bytes do not fit between the kernel's "
				     "end at %#llx and %#llx",
				     (unsigned long long)size, (unsigned long long)floor,
				     (unsigned long long)top);
	plan->initrd_addr = (top - size) & ~4095ull;
	return 0;
}

int vmm_boot_plan_make(const struct vmm_bzimage *img, uint64_t low_end,
		       uint64_t initrd_size, uint64_t cmdline_len, int want_entry,
		       struct vmm_boot_plan *plan, struct vmt_error *err)
{
	bool has64 = (img->xloadflags & VMM_BZ_XLF_KERNEL_64) != 0;
	int rc;

	memset(plan, 0, sizeof(*plan));
	if (want_entry == 64 && !has64)
		return vmt_error_set(err, -ENOEXEC,
				     "no 64-bit entry point (xloadflags lacks XLF_KERNEL_64)");
	if (want_entry != 0 && want_entry != 32 && want_entry != 64)
		return vmt_error_set(err, -EINVAL, "boot entry %d is not 32 or 64", want_entry);
	plan->entry = want_entry ? want_entry : (has64 ? 64 : 32);
	if (cmdline_len > img->cmdline_size)
		return vmt_error_set(err, -E2BIG,
				     "command line too long: %llu bytes, the kernel takes at most %u",
				     (unsigned long long)cmdline_len, img->cmdline_size);
	plan->cmdline_len = cmdline_len;
	rc = vmm_boot_plan_kernel(img, low_end, plan, err);
	if (rc)
		return rc;
	return vmm_boot_plan_initrd(img, low_end, initrd_size, plan, err);
}
