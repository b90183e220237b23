/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check-pvh.c: the vmlinux (ELF) parser on crafted files, and the PVH boot's start info, module and memory map. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "backend/vmm/x86/vmm-boot.h"
#include "backend/vmm/x86/vmm-pvh.h"
#include "backend/vmm/x86/vmm-tables.h"
#include "tests/kvm/check-vmm.h"

/* Layout of the crafted file: header, two program headers, code, the note. */
#define ELF_LEN 512
#define PH_LOAD 64
#define PH_NOTE (64 + 56)
#define CODE_OFF 176
#define CODE_LEN 64
#define NOTE_OFF 256
#define LOAD_AT 0x200000u
#define ENTRY (LOAD_AT + 0x10)

static uint8_t elf[ELF_LEN];

static void put_phdr(uint8_t *p, uint32_t type, uint64_t off, uint64_t paddr, uint64_t filesz,
		     uint64_t memsz)
{
	vmm_put32(p, type);
	vmm_put64(p + 8, off);
	vmm_put64(p + 16, 0xffffffff80000000ull + paddr);
	vmm_put64(p + 24, paddr);
	vmm_put64(p + 32, filesz);
	vmm_put64(p + 40, memsz);
}

/* A vmlinux in miniature: one PT_LOAD at 2 MiB with 4 KiB of bss, and the PVH note. */
static void make_elf(void)
{
	memset(elf, 0, sizeof(elf));
	memcpy(elf, "\x7f" "ELF", 4);
	elf[4] = 2;
	elf[5] = 1;
	elf[6] = 1;
	vmm_put16(elf + 16, 2);
	vmm_put16(elf + 18, 62);
	vmm_put64(elf + 32, PH_LOAD);
	vmm_put16(elf + 54, 56);
	vmm_put16(elf + 56, 2);
	put_phdr(elf + PH_LOAD, 1, CODE_OFF, LOAD_AT, CODE_LEN, CODE_LEN + 4096);
	put_phdr(elf + PH_NOTE, 4, NOTE_OFF, 0, 24, 24);
	memset(elf + CODE_OFF, 0xf4, CODE_LEN);
	vmm_put32(elf + NOTE_OFF, 4);
	vmm_put32(elf + NOTE_OFF + 4, 8);
	vmm_put32(elf + NOTE_OFF + 8, VMM_PVH_NOTE_PHYS32_ENTRY);
	memcpy(elf + NOTE_OFF + 12, "Xen", 4);
	vmm_put64(elf + NOTE_OFF + 16, ENTRY);
}

static void parse_fails(const char *want)
{
	struct vmm_pvh pvh;
	struct vmt_error e = { 0, "" };

	ck_assert_int_lt(vmm_pvh_parse(elf, ELF_LEN, &pvh, &e), 0);
	ck_assert_msg(strstr(e.msg, want), "'%s' does not say '%s'", e.msg, want);
}

START_TEST(test_pvh_parse)
{
	struct vmm_pvh pvh;
	struct vmt_error e = { 0, "" };

	make_elf();
	ck_assert(vmm_pvh_is_elf(elf, ELF_LEN));
	ck_assert_int_eq(vmm_pvh_parse(elf, ELF_LEN, &pvh, &e), 0);
	ck_assert_uint_eq(pvh.entry, ENTRY);
	ck_assert_uint_eq(pvh.n_segs, 1);
	ck_assert_uint_eq(pvh.lo, LOAD_AT);
	ck_assert_uint_eq(pvh.hi, LOAD_AT + CODE_LEN + 4096);
	/* A 4-byte note says the same. */
	vmm_put32(elf + NOTE_OFF + 4, 4);
	ck_assert_int_eq(vmm_pvh_parse(elf, ELF_LEN, &pvh, &e), 0);
	ck_assert_uint_eq(pvh.entry, ENTRY);
}
END_TEST

START_TEST(test_pvh_refused)
{
	make_elf();
	vmm_put32(elf + NOTE_OFF + 8, 17);
	parse_fails("no PVH entry note");
	make_elf();
	memcpy(elf + NOTE_OFF + 12, "Xex", 4);
	parse_fails("no PVH entry note");
	make_elf();
	vmm_put16(elf + 18, 3);
	parse_fails("not an x86-64 executable");
	make_elf();
	elf[4] = 1;
	parse_fails("not a 64-bit little-endian ELF");
	make_elf();
	vmm_put16(elf + 56, 200);
	parse_fails("program headers run past");
	make_elf();
	vmm_put64(elf + PH_LOAD + 32, 4096);
	parse_fails("runs past the file's end");
	make_elf();
	vmm_put64(elf + PH_LOAD + 40, 8);
	parse_fails("in the file and 8 in memory");
	make_elf();
	vmm_put32(elf + NOTE_OFF + 4, 400);
	parse_fails("note runs past its segment");
	make_elf();
	vmm_put64(elf + NOTE_OFF + 16, 0x100000);
	parse_fails("outside the loaded segments");
	make_elf();
	vmm_put64(elf + NOTE_OFF + 16, 0x100000000ull);
	parse_fails("not a 32-bit address");
}
END_TEST

/* Every prefix of the file is refused or parsed, never read past. */
START_TEST(test_pvh_prefixes)
{
	struct vmm_pvh pvh;
	struct vmt_error e;

	make_elf();
	for (size_t n = 0; n < ELF_LEN; n++) {
		uint8_t *copy = malloc(n ? n : 1);

		memcpy(copy, elf, n);
		(void)vmm_pvh_parse(copy, n, &pvh, &e);
		free(copy);
	}
}
END_TEST

START_TEST(test_pvh_boot_load)
{
	static const uint8_t initrd[5] = "hello";
	struct vmm_mem m;
	struct vmm_boot_input in;
	struct vmm_boot_entry ent;
	struct vmm_boot_plan p;
	struct vmt_error e = { 0, "" };
	const uint8_t *si, *mod, *map;

	make_elf();
	vmm_mem_layout(&m, 32 << 20);
	m.host = calloc(1, m.size);
	m.mapped = 0;
	ck_assert_ptr_nonnull(m.host);
	memset(m.host + LOAD_AT + CODE_LEN, 0x55, 4096);	/* the bss must come out zeroed */
	memset(&in, 0, sizeof(in));
	in.image = elf;
	in.image_len = ELF_LEN;
	in.initrd = initrd;
	in.initrd_len = sizeof(initrd);
	in.cmdline = "console=ttyS0";
	in.vcpus = 2;
	ck_assert_int_eq(vmm_boot_load(&m, &in, &ent, &p, &e), 0);
	ck_assert_int_eq(ent.mode, 32);
	ck_assert_uint_eq(ent.rip, ENTRY);
	ck_assert_uint_eq(ent.rbx, VMM_BOOT_PVH_INFO);
	ck_assert(memcmp(m.host + LOAD_AT, elf + CODE_OFF, CODE_LEN) == 0);
	for (unsigned i = 0; i < 4096; i++)
		ck_assert_uint_eq(m.host[LOAD_AT + CODE_LEN + i], 0);
	si = m.host + VMM_BOOT_PVH_INFO;
	ck_assert_uint_eq(vmm_get32(si), VMM_PVH_MAGIC);
	ck_assert_uint_eq(vmm_get32(si + 4), 1);
	ck_assert_uint_eq(vmm_get32(si + 12), 1);
	ck_assert_str_eq((const char *)m.host + vmm_get64(si + 24), "console=ttyS0");
	ck_assert_uint_eq(vmm_get64(si + 32), VMM_TABLES_RSDP);
	mod = m.host + vmm_get64(si + 16);
	ck_assert(memcmp(m.host + vmm_get64(mod), "hello", 5) == 0);
	ck_assert_uint_eq(vmm_get64(mod + 8), 5);
	ck_assert_uint_ge(vmm_get64(mod), LOAD_AT + CODE_LEN + 4096);
	ck_assert_uint_eq(vmm_get32(si + 48), 4);	/* the e820 map: 4 entries */
	map = m.host + vmm_get64(si + 40);
	ck_assert_uint_eq(vmm_get64(map + 3 * 24), 0x100000);
	ck_assert_uint_eq(vmm_get32(map + 3 * 24 + 16), VMM_E820_RAM);
	/* --boot-entry 64 is refused for a vmlinux; so is one that does not fit. */
	in.want_entry = 64;
	ck_assert_int_lt(vmm_boot_load(&m, &in, &ent, &p, &e), 0);
	ck_assert(strstr(e.msg, "32-bit PVH entry"));
	in.want_entry = 0;
	vmm_mem_layout(&m, 2 << 20);
	ck_assert_int_lt(vmm_boot_load(&m, &in, &ent, &p, &e), 0);
	ck_assert(strstr(e.msg, "do not fit in guest RAM"));
	free(m.host);
}
END_TEST

Suite *check_pvh_suite(void)
{
	Suite *s = suite_create("pvh");
	TCase *tc = tcase_create("pvh");

	tcase_add_test(tc, test_pvh_parse);
	tcase_add_test(tc, test_pvh_refused);
	tcase_add_test(tc, test_pvh_prefixes);
	tcase_add_test(tc, test_pvh_boot_load);
	suite_add_tcase(s, tc);
	return s;
}
