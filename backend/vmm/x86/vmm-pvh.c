/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-pvh.c: the ELF64 program headers and notes of a vmlinux, as pure functions, for the PVH boot. */
#include "config.h"

#include "backend/vmm/x86/vmm-pvh.h"

#include <errno.h>
#include <string.h>

#include "backend/vmm/x86/vmm-mem.h"

#define ELF_HDR_SIZE 64
#define ELF_PHDR_SIZE 56
#define ELF_CLASS64 2
#define ELF_DATA_LSB 1
#define ELF_TYPE_EXEC 2
#define ELF_MACHINE_X86_64 62
#define ELF_PT_LOAD 1
#define ELF_PT_NOTE 4

bool vmm_pvh_is_elf(const uint8_t *buf, size_t len)
{
	return len >= 4 && memcmp(buf, "\x7f" "ELF", 4) == 0;
}

/* [off, off + n) lies inside a buffer of len bytes. */
static bool vmm_pvh_inside(uint64_t off, uint64_t n, size_t len)
{
	return off <= len && n <= len - off;
}

static int vmm_pvh_check_header(const uint8_t *buf, size_t len, struct vmt_error *err)
{
	if (!vmm_pvh_is_elf(buf, len))
		return vmt_error_set(err, -ENOEXEC, "not an ELF file");
	if (len < ELF_HDR_SIZE)
		return vmt_error_set(err, -ENOEXEC, "truncated: %zu bytes is too short for an ELF header",
				     len);
	if (buf[4] != ELF_CLASS64 || buf[5] != ELF_DATA_LSB)
		return vmt_error_set(err, -ENOEXEC, "not a 64-bit little-endian ELF file");
	if (vmm_get16(buf + 16) != ELF_TYPE_EXEC || vmm_get16(buf + 18) != ELF_MACHINE_X86_64)
		return vmt_error_set(err, -ENOEXEC, "not an x86-64 executable (ELF type %u, machine %u)",
				     vmm_get16(buf + 16), vmm_get16(buf + 18));
	if (vmm_get16(buf + 54) != ELF_PHDR_SIZE)
		return vmt_error_set(err, -ENOEXEC, "program header entries of %u bytes (want %u)",
				     vmm_get16(buf + 54), ELF_PHDR_SIZE);
	return 0;
}

/* The PVH entry in one PT_NOTE segment's notes; 0 when it has none. */
static int vmm_pvh_notes(const uint8_t *p, uint64_t n, uint32_t *entry, struct vmt_error *err)
{
	uint64_t at = 0;

	while (n - at >= 12) {
		uint32_t namesz = vmm_get32(p + at), descsz = vmm_get32(p + at + 4);
		uint32_t type = vmm_get32(p + at + 8);
		uint64_t name = at + 12, desc = name + (((uint64_t)namesz + 3) & ~3ull);
		uint64_t next = desc + (((uint64_t)descsz + 3) & ~3ull);

		if (next > n)
			return vmt_error_set(err, -ENOEXEC, "an ELF note runs past its segment");
		if (type == VMM_PVH_NOTE_PHYS32_ENTRY && namesz == 4 && memcmp(p + name, "Xen", 4) == 0) {
			uint64_t v;

			if (descsz != 4 && descsz != 8)
				return vmt_error_set(err, -ENOEXEC, "the PVH entry note has %u bytes "
						     "(want 4 or 8)", descsz);
			v = descsz == 4 ? vmm_get32(p + desc) : vmm_get64(p + desc);
			if (v == 0 || v > UINT32_MAX)
				return vmt_error_set(err, -ENOEXEC, "the PVH entry %#llx is not a 32-bit "
						     "address", (unsigned long long)v);
			*entry = (uint32_t)v;
		}
		at = next;
	}
	return 0;
}

static int vmm_pvh_phdr(const uint8_t *buf, size_t len, const uint8_t *ph, struct vmm_pvh *pvh,
			struct vmt_error *err)
{
	uint32_t type = vmm_get32(ph);
	uint64_t off = vmm_get64(ph + 8), paddr = vmm_get64(ph + 24);
	uint64_t filesz = vmm_get64(ph + 32), memsz = vmm_get64(ph + 40);
	struct vmm_pvh_seg *s;

	if ((type == ELF_PT_LOAD || type == ELF_PT_NOTE) && !vmm_pvh_inside(off, filesz, len))
		return vmt_error_set(err, -ENOEXEC, "a segment at file offset %#llx runs past the "
				     "file's end", (unsigned long long)off);
	if (type == ELF_PT_NOTE)
		return vmm_pvh_notes(buf + off, filesz, &pvh->entry, err);
	if (type != ELF_PT_LOAD || memsz == 0)
		return 0;
	if (filesz > memsz || paddr + memsz < paddr)
		return vmt_error_set(err, -ENOEXEC, "a loadable segment at %#llx has %llu bytes in "
				     "the file and %llu in memory", (unsigned long long)paddr,
				     (unsigned long long)filesz, (unsigned long long)memsz);
	if (pvh->n_segs == VMM_PVH_MAX_SEGS)
		return vmt_error_set(err, -ENOEXEC, "more than %d loadable segments",
				     VMM_PVH_MAX_SEGS);
	s = &pvh->segs[pvh->n_segs++];
	*s = (struct vmm_pvh_seg){ paddr, off, filesz, memsz };
	if (pvh->n_segs == 1 || paddr < pvh->lo)
		pvh->lo = paddr;
	if (paddr + memsz > pvh->hi)
		pvh->hi = paddr + memsz;
	return 0;
}

int vmm_pvh_parse(const uint8_t *buf, size_t len, struct vmm_pvh *pvh, struct vmt_error *err)
{
	uint64_t phoff;
	unsigned phnum;
	int rc = vmm_pvh_check_header(buf, len, err);

	if (rc)
		return rc;
	memset(pvh, 0, sizeof(*pvh));
	phoff = vmm_get64(buf + 32);
	phnum = vmm_get16(buf + 56);
	if (!vmm_pvh_inside(phoff, (uint64_t)phnum * ELF_PHDR_SIZE, len))
		return vmt_error_set(err, -ENOEXEC, "the program headers run past the file's end");
	for (unsigned i = 0; i < phnum && rc == 0; i++)
		rc = vmm_pvh_phdr(buf, len, buf + phoff + (uint64_t)i * ELF_PHDR_SIZE, pvh, err);
	if (rc)
		return rc;
	if (pvh->n_segs == 0)
		return vmt_error_set(err, -ENOEXEC, "no loadable segment");
	if (pvh->entry == 0)
		return vmt_error_set(err, -ENOEXEC, "no PVH entry note (Xen note 18): a kernel built "
				     "without CONFIG_PVH, or not a kernel");
	if (pvh->entry < pvh->lo || pvh->entry >= pvh->hi)
		return vmt_error_set(err, -ENOEXEC, "the PVH entry %#x is outside the loaded segments "
				     "(%#llx-%#llx)", pvh->entry, (unsigned long long)pvh->lo,
				     (unsigned long long)pvh->hi);
	return 0;
}
