/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check-bzimage.c: the bzImage parser and boot planner on crafted buffers, and the boot writer's output. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "backend/vmm/x86/vmm-boot.h"
#include "backend/vmm/x86/vmm-bzimage.h"
#include "backend/vmm/x86/vmm-tables.h"
#include "tests/kvm/check-vmm.h"

#define IMG_SETUP_SECTS 4
#define IMG_KERNEL 8192
#define IMG_LEN ((IMG_SETUP_SECTS + 1) * 512 + IMG_KERNEL)

static uint8_t img[IMG_LEN];

/* A minimal well-formed 2.15 bzImage: relocatable, 64-bit entry, 1 MiB init_size. */
static void make_image(void)
{
	memset(img, 0x90, sizeof(img));
	img[VMM_BZ_SETUP_SECTS] = IMG_SETUP_SECTS;
	vmm_put32(img + VMM_BZ_SYSSIZE, IMG_KERNEL / 16);
	vmm_put16(img + VMM_BZ_BOOT_FLAG, 0xaa55);
	img[VMM_BZ_JUMP] = 0xeb;
	img[VMM_BZ_JUMP + 1] = 0x6a;	/* header ends at 0x26c */
	memcpy(img + VMM_BZ_HEADER, "HdrS", 4);
	vmm_put16(img + VMM_BZ_VERSION, 0x020f);
	img[VMM_BZ_TYPE_OF_LOADER] = 0;
	img[VMM_BZ_LOADFLAGS] = VMM_BZ_LOADED_HIGH;
	vmm_put32(img + VMM_BZ_CODE32_START, 0x100000);
	vmm_put32(img + VMM_BZ_INITRD_ADDR_MAX, 0x7fffffff);
	vmm_put32(img + VMM_BZ_KERNEL_ALIGNMENT, 0x200000);
	img[VMM_BZ_RELOCATABLE] = 1;
	vmm_put16(img + VMM_BZ_XLOADFLAGS, VMM_BZ_XLF_KERNEL_64);
	vmm_put32(img + VMM_BZ_CMDLINE_SIZE, 2047);
	vmm_put64(img + VMM_BZ_PREF_ADDRESS, 0x1000000);
	vmm_put32(img + VMM_BZ_INIT_SIZE, 1 << 20);
}

static int parse(size_t len, struct vmm_bzimage *out, struct vmt_error *err)
{
	return vmm_bzimage_parse(img, len, out, err);
}

START_TEST(test_parse_good)
{
	struct vmm_bzimage b;
	struct vmt_error e = { 0, "" };

	make_image();
	ck_assert_int_eq(parse(IMG_LEN, &b, &e), 0);
	ck_assert_uint_eq(b.version, 0x020f);
	ck_assert_uint_eq(b.setup_size, 5 * 512);
	ck_assert_uint_eq(b.kernel_size, IMG_KERNEL);
	ck_assert_uint_eq(b.hdr_end, 0x26c);
	ck_assert_uint_eq(b.init_size, 1 << 20);
	ck_assert_uint_eq(b.pref_address, 0x1000000);
	/* setup_sects 0 means 4. */
	img[VMM_BZ_SETUP_SECTS] = 0;
	ck_assert_int_eq(parse(IMG_LEN, &b, &e), 0);
	ck_assert_uint_eq(b.setup_sects, 4);
}
END_TEST

/* parse must fail with a message containing want. */
static void expect_bad(size_t len, const char *want)
{
	struct vmm_bzimage b;
	struct vmt_error e = { 0, "" };

	ck_assert_int_lt(parse(len, &b, &e), 0);
	ck_assert_msg(strstr(e.msg, want) != NULL, "message '%s' lacks '%s'", e.msg, want);
}

START_TEST(test_parse_bad)
{
	make_image();
	expect_bad(0, "truncated");
	expect_bad(0x100, "truncated");
	expect_bad(5 * 512, "truncated");
	expect_bad(IMG_LEN - 64, "truncated: header says the kernel is 8192 bytes");
	img[VMM_BZ_HEADER] = 'X';
	expect_bad(IMG_LEN, "not a bzImage (no HdrS magic at 0x202)");
	make_image();
	vmm_put16(img + VMM_BZ_VERSION, 0x0205);
	expect_bad(IMG_LEN, "boot protocol 2.05 is too old (need 2.06 or later)");
	make_image();
	img[VMM_BZ_LOADFLAGS] = 0;
	expect_bad(IMG_LEN, "zImage");
	make_image();
	vmm_put16(img + VMM_BZ_BOOT_FLAG, 0);
	expect_bad(IMG_LEN, "boot flag");
	make_image();
	img[VMM_BZ_SETUP_SECTS] = 200;
	expect_bad(IMG_LEN, "setup sectors");
	make_image();
	vmm_put32(img + VMM_BZ_KERNEL_ALIGNMENT, 0x300000);
	expect_bad(IMG_LEN, "power of two");
}
END_TEST

/* Every prefix and a sweep of byte flips: never a crash (ASan watches the reads). */
START_TEST(test_parse_never_overreads)
{
	struct vmm_bzimage b;
	struct vmt_error e = { 0, "" };
	size_t len, i;
	uint8_t *copy;

	make_image();
	for (len = 0; len <= IMG_LEN; len += 7) {
		copy = malloc(len ? len : 1);
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, img, len);
		(void)vmm_bzimage_parse(copy, len, &b, &e);
		free(copy);
	}
	for (i = 0x1f0; i < 0x270; i++) {
		make_image();
		img[i] ^= 0xff;
		if (parse(IMG_LEN, &b, &e) == 0)
			ck_assert_uint_le(b.setup_size + b.kernel_size, IMG_LEN);
	}
}
END_TEST

START_TEST(test_plan)
{
	struct vmm_bzimage b;
	struct vmm_boot_plan p;
	struct vmt_error e = { 0, "" };

	make_image();
	ck_assert_int_eq(parse(IMG_LEN, &b, &e), 0);
	ck_assert_int_eq(vmm_boot_plan_make(&b, 64 << 20, 4096, 10, 0, &p, &e), 0);
	ck_assert_int_eq(p.entry, 64);
	ck_assert_uint_eq(p.kernel_addr, 0x1000000);	/* pref_address fits */
	ck_assert_uint_eq(p.initrd_addr, (64 << 20) - 4096);
	/* Too small for pref_address + init_size: falls back to an aligned low address. */
	ck_assert_int_eq(vmm_boot_plan_make(&b, 16 << 20, 0, 10, 32, &p, &e), 0);
	ck_assert_uint_eq(p.kernel_addr, 0x200000);
	ck_assert_int_eq(p.entry, 32);
	ck_assert_int_lt(vmm_boot_plan_make(&b, 2 << 20, 0, 10, 0, &p, &e), 0);
	ck_assert(strstr(e.msg, "too large for memory") != NULL);
	ck_assert_int_lt(vmm_boot_plan_make(&b, 64 << 20, 63 << 20, 10, 0, &p, &e), 0);
	ck_assert(strstr(e.msg, "initrd too large") != NULL);
	ck_assert_int_lt(vmm_boot_plan_make(&b, 64 << 20, 0, 2048, 0, &p, &e), 0);
	ck_assert(strstr(e.msg, "command line too long") != NULL);
	vmm_put16(img + VMM_BZ_XLOADFLAGS, 0);
	ck_assert_int_eq(parse(IMG_LEN, &b, &e), 0);
	ck_assert_int_lt(vmm_boot_plan_make(&b, 64 << 20, 0, 1, 64, &p, &e), 0);
	ck_assert_int_eq(vmm_boot_plan_make(&b, 64 << 20, 0, 1, 0, &p, &e), 0);
	ck_assert_int_eq(p.entry, 32);
}
END_TEST

START_TEST(test_boot_load)
{
	static const uint8_t initrd[5] = "hello";
	struct vmm_mem m;
	struct vmm_boot_input in;
	struct vmm_boot_entry ent;
	struct vmm_boot_plan p;
	struct vmt_error e = { 0, "" };
	uint8_t *bp;

	make_image();
	vmm_mem_layout(&m, 32 << 20);
	m.host = calloc(1, m.size);
	m.mapped = 0;
	ck_assert_ptr_nonnull(m.host);
	memset(&in, 0, sizeof(in));
	in.image = img;
	in.image_len = IMG_LEN;
	in.initrd = initrd;
	in.initrd_len = sizeof(initrd);
	in.cmdline = "console=ttyS0";
	in.vcpus = 3;
	ck_assert_int_eq(vmm_boot_load(&m, &in, &ent, &p, &e), 0);
	ck_assert_uint_eq(ent.rip, p.kernel_addr + 0x200);
	ck_assert_uint_eq(ent.rsi, VMM_BOOT_PARAMS);
	bp = m.host + VMM_BOOT_PARAMS;
	ck_assert(memcmp(bp + VMM_BZ_HEADER, "HdrS", 4) == 0);
	ck_assert_uint_eq(bp[VMM_BZ_TYPE_OF_LOADER], 0xff);
	ck_assert_str_eq((char *)m.host + vmm_get32(bp + VMM_BZ_CMD_LINE_PTR), "console=ttyS0");
	ck_assert(memcmp(m.host + vmm_get32(bp + VMM_BZ_RAMDISK_IMAGE), "hello", 5) == 0);
	ck_assert_uint_eq(vmm_get32(bp + VMM_BZ_RAMDISK_SIZE), 5);
	ck_assert_uint_eq(bp[0x1e8], 4);	/* e820 entries */
	ck_assert_uint_eq(vmm_get64(bp + 0x070), VMM_TABLES_RSDP);
	ck_assert(memcmp(m.host + p.kernel_addr, img + 5 * 512, IMG_KERNEL) == 0);
	/* Tables: checksums hold, MADT lists three CPUs. */
	ck_assert_uint_eq(vmm_tables_sum(m.host + VMM_TABLES_RSDP, 20), 0);
	ck_assert_uint_eq(vmm_tables_sum(m.host + VMM_TABLES_RSDP, 36), 0);
	ck_assert_uint_eq(vmm_tables_sum(m.host + VMM_TABLES_MADT, vmm_get32(m.host + VMM_TABLES_MADT + 4)), 0);
	ck_assert_uint_eq(vmm_tables_sum(m.host + VMM_TABLES_MPFP, 16), 0);
	ck_assert_uint_eq(vmm_tables_sum(m.host + VMM_TABLES_MPC, vmm_get16(m.host + VMM_TABLES_MPC + 4)), 0);
	ck_assert_uint_eq(m.host[VMM_TABLES_MADT + 44 + 2 * 8 + 3], 2);	/* third LAPIC id */
	free(m.host);
}
END_TEST

START_TEST(test_e820_split)
{
	struct vmm_mem m;
	struct vmm_e820 e[VMM_E820_MAX];
	unsigned n;

	vmm_mem_layout(&m, 4ull << 30);
	n = vmm_boot_e820(&m, e, VMM_E820_MAX);
	ck_assert_uint_eq(n, 5);
	ck_assert_uint_eq(e[3].addr + e[3].size, VMM_MEM_HOLE_START);
	ck_assert_uint_eq(e[4].addr, VMM_MEM_HIGH_START);
	ck_assert_uint_eq(e[4].size, 1ull << 30);
	m.host = (uint8_t *)0x1000;	/* never dereferenced: only bounds are checked */
	ck_assert_ptr_null(vmm_mem_ptr(&m, VMM_MEM_HOLE_START - 1, 2));
	ck_assert_ptr_null(vmm_mem_ptr(&m, VMM_MEM_HIGH_START + (1ull << 30), 1));
	ck_assert_ptr_null(vmm_mem_ptr(&m, ~0ull, 2));
	ck_assert_ptr_nonnull(vmm_mem_ptr(&m, VMM_MEM_HIGH_START, 1ull << 30));
}
END_TEST

Suite *check_bzimage_suite(void)
{
	Suite *s = suite_create("bzimage");
	TCase *tc = tcase_create("parse-and-boot");

	tcase_add_test(tc, test_parse_good);
	tcase_add_test(tc, test_parse_bad);
	tcase_add_test(tc, test_parse_never_overreads);
	tcase_add_test(tc, test_plan);
	tcase_add_test(tc, test_boot_load);
	tcase_add_test(tc, test_e820_split);
	suite_add_tcase(s, tc);
	return s;
}
