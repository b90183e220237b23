/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check-acpi.c: the AML writer byte for byte, the PM1 registers, and the ACPI and MP tables a boot writes, without KVM. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "backend/vmm/hw/vmm-acpi.h"
#include "backend/vmm/x86/vmm-aml.h"
#include "backend/vmm/vmm-bus.h"
#include "backend/vmm/x86/vmm-tables.h"
#include "tests/kvm/check-vmm.h"

/* --- the AML writer ---------------------------------------------------------- */

static uint8_t aml_buf[8192];
static struct vmm_aml aml;

static void aml_setup(void)
{
	memset(aml_buf, 0xee, sizeof(aml_buf));
	vmm_aml_init(&aml, aml_buf, sizeof(aml_buf));
}

#define AML_EXPECT(...) do { \
		static const uint8_t want[] = { __VA_ARGS__ }; \
		ck_assert_int_eq(vmm_aml_finish(&aml), (long)sizeof(want)); \
		ck_assert_mem_eq(aml_buf, want, sizeof(want)); \
	} while (0)

START_TEST(test_aml_integers)
{
	aml_setup();
	vmm_aml_integer(&aml, 0);
	vmm_aml_integer(&aml, 1);
	vmm_aml_integer(&aml, 2);
	vmm_aml_integer(&aml, 0xff);
	vmm_aml_integer(&aml, 0x100);
	vmm_aml_integer(&aml, 0x10000);
	vmm_aml_integer(&aml, 0x100000000ull);
	AML_EXPECT(0x00, 0x01, 0x0a, 0x02, 0x0a, 0xff, 0x0b, 0x00, 0x01, 0x0c, 0x00, 0x00, 0x01, 0x00,
		   0x0e, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00);
}
END_TEST

START_TEST(test_aml_names)
{
	aml_setup();
	vmm_aml_name_string(&aml, "_S5");
	vmm_aml_name_string(&aml, "\\_SB.PCI0");
	vmm_aml_name_string(&aml, "\\");
	vmm_aml_name_string(&aml, "A.B1.C_");
	AML_EXPECT('_', 'S', '5', '_',
		   '\\', 0x2e, '_', 'S', 'B', '_', 'P', 'C', 'I', '0',
		   '\\', 0x00,
		   0x2f, 3, 'A', '_', '_', '_', 'B', '1', '_', '_', 'C', '_', '_', '_');
}
END_TEST

START_TEST(test_aml_bad_names)
{
	static const char *const bad[] = { "pci0", "1ABC", "ABCDE", "A..B", "A.", "", "^" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		aml_setup();
		vmm_aml_name_string(&aml, bad[i]);
		ck_assert_int_eq(vmm_aml_finish(&aml), -EINVAL);
	}
	aml_setup();
	vmm_aml_eisaid(&aml, "pnp0a03");
	ck_assert_int_eq(vmm_aml_finish(&aml), -EINVAL);
	aml_setup();
	vmm_aml_eisaid(&aml, "PNP0A0G");
	ck_assert_int_eq(vmm_aml_finish(&aml), -EINVAL);
}
END_TEST

START_TEST(test_aml_objects)
{
	aml_setup();
	vmm_aml_name(&aml, "_HID");
	vmm_aml_eisaid(&aml, "PNP0A03");
	vmm_aml_string(&aml, "ab");
	vmm_aml_name(&aml, "_S5");
	vmm_aml_package_open(&aml, 2);
	vmm_aml_integer(&aml, 5);
	vmm_aml_integer(&aml, 0);
	vmm_aml_close(&aml);
	vmm_aml_device_open(&aml, "COM1");
	vmm_aml_close(&aml);
	AML_EXPECT(0x08, '_', 'H', 'I', 'D', 0x0c, 0x41, 0xd0, 0x0a, 0x03,
		   0x0d, 'a', 'b', 0x00,
		   0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x0a, 0x05, 0x00,
		   0x5b, 0x82, 0x05, 'C', 'O', 'M', '1');
}
END_TEST

/* ResourceTemplate () { IO (Decode16, 0x3F8, 0x3F8, 1, 8)  IRQNoFlags () {4} }, as iasl encodes it. */
START_TEST(test_aml_resources)
{
	aml_setup();
	vmm_aml_resources_open(&aml);
	vmm_aml_res_io(&aml, 0x3f8, 0x3f8, 1, 8);
	vmm_aml_res_irq(&aml, 1u << 4);
	vmm_aml_close(&aml);
	AML_EXPECT(0x11, 0x10, 0x0a, 0x0d,
		   0x47, 0x01, 0xf8, 0x03, 0xf8, 0x03, 0x01, 0x08,
		   0x22, 0x10, 0x00,
		   0x79, 0x00);
	aml_setup();
	vmm_aml_resources_open(&aml);
	vmm_aml_res_bus(&aml, 0, 0);
	vmm_aml_res_mem_window(&aml, 0xc0000000u, 0xfebfffffu);
	vmm_aml_close(&aml);
	AML_EXPECT(0x11, 0x2f, 0x0a, 0x2c,
		   0x88, 0x0d, 0x00, 0x02, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		   0x00, 0x00, 0x01, 0x00,
		   0x87, 0x17, 0x00, 0x00, 0x0c, 0x01, 0x00, 0x00, 0x00, 0x00,
		   0x00, 0x00, 0x00, 0xc0, 0xff, 0xff, 0xbf, 0xfe, 0x00, 0x00, 0x00, 0x00,
		   0x00, 0x00, 0xc0, 0x3e,
		   0x79, 0x00);
}
END_TEST

/* A package of n ZeroOps: body n + 1 bytes (NumElements first). */
static size_t aml_package_of(unsigned n)
{
	aml_setup();
	vmm_aml_package_open(&aml, (uint8_t)n);
	for (unsigned i = 0; i < n; i++)
		vmm_aml_integer(&aml, 0);
	vmm_aml_close(&aml);
	return (size_t)vmm_aml_finish(&aml);
}

/* A scope over k raw bytes: body 2 ("\" and NullName) + k. */
static size_t aml_scope_of(size_t k)
{
	static uint8_t zeros[5000];

	aml_setup();
	vmm_aml_scope_open(&aml, "\\");
	vmm_aml_bytes(&aml, zeros, k);
	vmm_aml_close(&aml);
	return (size_t)vmm_aml_finish(&aml);
}

/* PkgLength counts itself, so each boundary is one byte earlier than the body suggests. */
START_TEST(test_aml_pkglength)
{
	ck_assert_uint_eq(aml_package_of(61), 1 + 1 + 62);
	ck_assert_uint_eq(aml_buf[1], 63);
	ck_assert_uint_eq(aml_package_of(62), 1 + 2 + 63);
	ck_assert_uint_eq(aml_buf[1], 0x41);		/* 65 = 0x41: one more byte, low nibble 1 */
	ck_assert_uint_eq(aml_buf[2], 0x04);
	ck_assert_uint_eq(aml_buf[3], 62);		/* NumElements right behind it */
	ck_assert_uint_eq(aml_scope_of(4091), 1 + 2 + 4093);
	ck_assert_uint_eq(aml_buf[1], 0x4f);		/* 4095 */
	ck_assert_uint_eq(aml_buf[2], 0xff);
	ck_assert_uint_eq(aml_scope_of(4092), 1 + 3 + 4094);
	ck_assert_uint_eq(aml_buf[1], 0x81);		/* 4097 = 0x1001 */
	ck_assert_uint_eq(aml_buf[2], 0x00);
	ck_assert_uint_eq(aml_buf[3], 0x01);
	ck_assert_uint_eq(aml_buf[4], '\\');
}
END_TEST

START_TEST(test_aml_limits)
{
	uint8_t small[16];

	memset(small, 0xee, sizeof(small));
	vmm_aml_init(&aml, small, 8);
	vmm_aml_scope_open(&aml, "\\_SB");
	vmm_aml_name_integer(&aml, "ABCD", 0x12345678);
	vmm_aml_close(&aml);
	ck_assert_int_eq(vmm_aml_finish(&aml), -E2BIG);
	for (size_t i = 8; i < sizeof(small); i++)
		ck_assert_uint_eq(small[i], 0xee);	/* nothing past cap */
	aml_setup();
	vmm_aml_close(&aml);
	ck_assert_int_eq(vmm_aml_finish(&aml), -EINVAL);
	aml_setup();
	vmm_aml_device_open(&aml, "DEV0");
	ck_assert_int_eq(vmm_aml_finish(&aml), -EINVAL);
	aml_setup();
	for (int i = 0; i <= VMM_AML_DEPTH; i++)
		vmm_aml_package_open(&aml, 1);
	for (int i = 0; i <= VMM_AML_DEPTH; i++)
		vmm_aml_close(&aml);
	ck_assert_int_eq(vmm_aml_finish(&aml), -EINVAL);
}
END_TEST

/* --- the PM1 block ------------------------------------------------------------ */

static struct vmm_acpi pm;
static struct vmm_bus pm_bus;
static int sci_level, sci_rises, sleeps, last_slp;

static void pm_irq(void *opaque, unsigned irq, int level)
{
	(void)opaque;
	ck_assert_uint_eq(irq, VMM_ACPI_SCI_IRQ);
	if (level && !sci_level)
		sci_rises++;
	sci_level = level;
}

static void pm_sleep(void *opaque, unsigned slp_typ)
{
	(void)opaque;
	sleeps++;
	last_slp = (int)slp_typ;
}

static void pm_setup(void)
{
	struct vmt_error e = { 0, "" };

	sci_level = sci_rises = sleeps = 0;
	last_slp = -1;
	vmm_bus_init(&pm_bus);
	vmm_acpi_init(&pm, pm_irq, pm_sleep, NULL);
	ck_assert_int_eq(vmm_acpi_register(&pm, &pm_bus, &e), 0);
}

static uint32_t pm_in(uint16_t port, uint32_t len)
{
	uint8_t d[4];

	ck_assert(vmm_bus_access(&pm_bus, VMM_BUS_PIO, port, d, len, false));
	return len == 1 ? d[0] : len == 2 ? vmm_get16(d) : vmm_get32(d);
}

static void pm_out(uint16_t port, uint32_t len, uint32_t v)
{
	uint8_t d[4];

	vmm_put32(d, v);
	ck_assert(vmm_bus_access(&pm_bus, VMM_BUS_PIO, port, d, len, true));
}

#define PM_STS VMM_ACPI_PM1_EVT
#define PM_EN (VMM_ACPI_PM1_EVT + 2)
#define PM_CNT VMM_ACPI_PM1_CNT

START_TEST(test_pm1_power_button)
{
	pm_setup();
	ck_assert_uint_eq(pm_in(PM_CNT, 2), VMM_ACPI_SCI_EN);	/* ACPI mode from power-on */
	ck_assert_uint_eq(pm_in(PM_STS, 4), 0);
	ck_assert(!vmm_acpi_power_button(&pm));			/* nobody listens yet */
	ck_assert_uint_eq(pm_in(PM_STS, 2), 0);
	/* Of the enable bits only GBL, PWRBTN and RTC hold a value. */
	pm_out(PM_EN, 2, 0xffff);
	ck_assert_uint_eq(pm_in(PM_EN, 2), 0x0520);
	pm_out(PM_EN, 2, 0);
	pm_out(PM_EN + 1, 1, VMM_ACPI_PWRBTN >> 8);		/* a byte write, high half */
	ck_assert_uint_eq(pm_in(PM_EN, 2), VMM_ACPI_PWRBTN);
	ck_assert_int_eq(sci_rises, 0);
	ck_assert(vmm_acpi_power_button(&pm));
	ck_assert_uint_eq(pm_in(PM_STS, 2), VMM_ACPI_PWRBTN);
	ck_assert_int_eq(sci_level, 1);
	ck_assert_int_eq(sci_rises, 1);
	pm_out(PM_STS, 2, 0);					/* writing 0 clears nothing */
	ck_assert_int_eq(sci_level, 1);
	/* One 32-bit write: status cleared (write 1), enable kept. */
	pm_out(PM_STS, 4, (uint32_t)VMM_ACPI_PWRBTN << 16 | VMM_ACPI_PWRBTN);
	ck_assert_uint_eq(pm_in(PM_STS, 4), (uint32_t)VMM_ACPI_PWRBTN << 16);
	ck_assert_int_eq(sci_level, 0);
	/* Without SCI_EN the button is not ACPI's. */
	pm_out(PM_CNT, 2, 0);
	ck_assert(!vmm_acpi_power_button(&pm));
	ck_assert_int_eq(sci_rises, 1);
	ck_assert_int_eq(sleeps, 0);
	vmm_acpi_done(&pm);
}
END_TEST

START_TEST(test_pm1_sleep)
{
	pm_setup();
	pm_out(PM_CNT, 2, VMM_ACPI_SLP_TYP_S5 << 10 | VMM_ACPI_SCI_EN);	/* SLP_TYP alone */
	ck_assert_int_eq(sleeps, 0);
	ck_assert_uint_eq(pm_in(PM_CNT, 2), VMM_ACPI_SLP_TYP_S5 << 10 | VMM_ACPI_SCI_EN);
	pm_out(PM_CNT, 2, VMM_ACPI_SLP_TYP_S5 << 10 | 0x2000 | VMM_ACPI_SCI_EN);
	ck_assert_int_eq(sleeps, 1);
	ck_assert_int_eq(last_slp, VMM_ACPI_SLP_TYP_S5);
	ck_assert_uint_eq(pm_in(PM_CNT, 2) & 0x2000, 0);		/* SLP_EN reads 0 */
	pm_out(PM_CNT + 1, 1, (3 << 2 | 0x20));				/* high byte: SLP_TYP 3, SLP_EN */
	ck_assert_int_eq(sleeps, 2);
	ck_assert_int_eq(last_slp, 3);
	ck_assert_uint_eq(pm_in(PM_CNT, 2), 3 << 10 | VMM_ACPI_SCI_EN);	/* low byte kept */
	/* A wide access that runs off the block touches nothing beyond it. */
	ck_assert_uint_eq(pm_in(PM_CNT + 1, 4), 0xffffff00u | (3 << 2));
	pm_out(PM_EN, 2, VMM_ACPI_PWRBTN);
	ck_assert(vmm_acpi_power_button(&pm));
	vmm_acpi_reset(&pm);
	ck_assert_int_eq(sci_level, 0);
	ck_assert_uint_eq(pm_in(PM_STS, 4), 0);
	ck_assert_uint_eq(pm_in(PM_CNT, 2), VMM_ACPI_SCI_EN);
	vmm_acpi_done(&pm);
}
END_TEST

/* --- the tables a boot writes -------------------------------------------------- */

static struct vmm_mem tmem;

static void tables_setup(uint64_t bytes)
{
	vmm_mem_layout(&tmem, bytes);
	tmem.host = calloc(1, tmem.size);
	tmem.mapped = 0;
	ck_assert_ptr_nonnull(tmem.host);
}

static const uint8_t *table_at(uint64_t gpa, const char *sig)
{
	const uint8_t *t = tmem.host + gpa;

	ck_assert_mem_eq(t, sig, 4);
	if (strcmp(sig, "FACS") != 0)
		ck_assert_uint_eq(vmm_tables_sum(t, vmm_get32(t + 4)), 0);
	return t;
}

/* The MADT entry of this type whose byte at key_off is key, or NULL. */
static const uint8_t *madt_find(const uint8_t *madt, uint8_t type, unsigned key_off, uint8_t key)
{
	uint32_t len = vmm_get32(madt + 4);

	for (uint32_t off = 44; off + 2 <= len && madt[off + 1] >= 2; off += madt[off + 1])
		if (madt[off] == type && madt[off + key_off] == key)
			return madt + off;
	return NULL;
}

START_TEST(test_tables_acpi)
{
	struct vmm_tables_pci pci = { 2, { { 1, 5 }, { 2, 10 } } };
	struct vmt_error e = { 0, "" };
	const uint8_t *rsdp, *xsdt, *fadt, *dsdt, *madt, *iso;
	uint64_t at = 0;

	tables_setup(256 << 20);
	ck_assert_int_eq(vmm_tables_build(&tmem, 2, &pci, &at, &e), 0);
	rsdp = tmem.host + at;
	ck_assert_uint_eq(vmm_tables_sum(rsdp, 20), 0);
	ck_assert_uint_eq(vmm_tables_sum(rsdp, 36), 0);
	xsdt = table_at(vmm_get64(rsdp + 24), "XSDT");
	ck_assert_uint_eq(vmm_get32(xsdt + 4), 36 + 16);
	fadt = table_at(vmm_get64(xsdt + 36), "FACP");
	madt = table_at(vmm_get64(xsdt + 44), "APIC");
	table_at(vmm_get32(rsdp + 16), "RSDT");
	ck_assert_uint_eq(vmm_get32(fadt + 4), VMM_TABLES_FADT_LEN);
	ck_assert_uint_eq(vmm_get16(fadt + 46), VMM_ACPI_SCI_IRQ);
	ck_assert_uint_eq(vmm_get32(fadt + 48), 0);			/* SMI_CMD: always ACPI */
	ck_assert_uint_eq(vmm_get32(fadt + 56), VMM_ACPI_PM1_EVT);
	ck_assert_uint_eq(vmm_get32(fadt + 64), VMM_ACPI_PM1_CNT);
	ck_assert_uint_eq(vmm_get32(fadt + 112) & (1u << 4 | 1u << 20), 0);	/* fixed button, not reduced */
	ck_assert_uint_eq(vmm_get64(fadt + 172 + 4), VMM_ACPI_PM1_CNT);
	ck_assert_uint_eq(vmm_get64(fadt + 132), 0);			/* X_FIRMWARE_CTRL: FIRMWARE_CTRL only */
	ck_assert_uint_eq(vmm_get32(fadt + 36) % 64, 0);
	table_at(vmm_get32(fadt + 36), "FACS");
	dsdt = table_at(vmm_get64(fadt + 140), "DSDT");
	ck_assert_uint_eq(dsdt[8], 2);
	ck_assert(memmem(dsdt, vmm_get32(dsdt + 4), "_S5_\x12\x08\x04\x0a\x05\x0a\x05", 11) != NULL);
	iso = madt_find(madt, 2, 3, VMM_ACPI_SCI_IRQ);
	ck_assert_ptr_nonnull(iso);
	ck_assert_uint_eq(vmm_get32(iso + 4), VMM_ACPI_SCI_IRQ);
	ck_assert_uint_eq(vmm_get16(iso + 8), 0x000f);			/* level, active low */
	ck_assert_ptr_nonnull(madt_find(madt, 2, 3, 5));
	ck_assert_ptr_nonnull(madt_find(madt, 2, 3, 10));
	ck_assert_ptr_null(madt_find(madt, 2, 3, 4));			/* COM1 stays ISA's default */
	ck_assert_ptr_nonnull(madt_find(madt, 1, 2, 2));		/* the IOAPIC's id follows the CPUs */
	free(tmem.host);
}
END_TEST

/* The MP table's I/O interrupt entry for this IOAPIC pin. */
static const uint8_t *mp_ioint(const uint8_t *mpc, unsigned cpus, unsigned pin)
{
	const uint8_t *e = mpc + 44 + 20 * cpus + 16 + 8;

	for (unsigned i = 0; i < 16; i++, e += 8)
		if (e[0] == 3 && e[7] == pin)
			return e;
	return NULL;
}

START_TEST(test_tables_mp)
{
	struct vmm_tables_pci pci = { 3, { { 1, 5 }, { 2, 10 }, { 3, 11 } } };
	struct vmt_error e = { 0, "" };
	const uint8_t *mpc, *x;
	uint64_t at;

	tables_setup(64 << 20);
	ck_assert_int_eq(vmm_tables_build(&tmem, 1, &pci, &at, &e), 0);
	mpc = tmem.host + VMM_TABLES_MPC;
	ck_assert_uint_eq(vmm_tables_sum(tmem.host + VMM_TABLES_MPFP, 16), 0);
	ck_assert_uint_eq(vmm_tables_sum(mpc, vmm_get16(mpc + 4)), 0);
	ck_assert_uint_eq(vmm_get16(mpc + 34), 1 + 2 + 1 + 16 + 2);
	ck_assert_mem_eq(mpc + 44 + 20, "\x01\x00PCI   \x01\x01ISA   ", 16);
	x = mp_ioint(mpc, 1, 10);
	ck_assert_ptr_nonnull(x);
	ck_assert_uint_eq(x[4], 0);				/* PCI bus 0 */
	ck_assert_uint_eq(x[5], 2 << 2);			/* slot 2, INTA# */
	ck_assert_uint_eq(vmm_get16(x + 2), 0x000f);
	x = mp_ioint(mpc, 1, 4);
	ck_assert_uint_eq(x[4], 1);				/* ISA */
	ck_assert_uint_eq(x[5], 4);
	ck_assert_uint_eq(vmm_get16(x + 2), 0);
	ck_assert_uint_eq(mp_ioint(mpc, 1, 9)[4], 1);		/* the SCI is ISA IRQ 9 */
	free(tmem.host);
}
END_TEST

START_TEST(test_tables_refuse)
{
	static const struct vmm_tables_intx bad[][2] = {
		{ { 1, 4 }, { 2, 5 } },		/* COM1's IRQ */
		{ { 1, VMM_ACPI_SCI_IRQ }, { 2, 5 } },
		{ { 1, 5 }, { 2, 5 } },		/* shared */
		{ { 0, 5 }, { 2, 10 } },	/* the host bridge */
		{ { 3, 5 }, { 3, 10 } },	/* one slot twice */
		{ { 32, 5 }, { 2, 10 } },
		{ { 1, 16 }, { 2, 10 } },
	};
	struct vmt_error e = { 0, "" };
	uint64_t at;

	tables_setup(64 << 20);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct vmm_tables_pci pci = { 2, { bad[i][0], bad[i][1] } };

		ck_assert_int_eq(vmm_tables_build(&tmem, 1, &pci, &at, &e), -EINVAL);
		ck_assert(strstr(e.msg, "PCI") != NULL);
	}
	free(tmem.host);
}
END_TEST

Suite *check_acpi_suite(void)
{
	Suite *s = suite_create("acpi");
	TCase *a = tcase_create("aml");
	TCase *p = tcase_create("pm1");
	TCase *t = tcase_create("tables");

	tcase_add_test(a, test_aml_integers);
	tcase_add_test(a, test_aml_names);
	tcase_add_test(a, test_aml_bad_names);
	tcase_add_test(a, test_aml_objects);
	tcase_add_test(a, test_aml_resources);
	tcase_add_test(a, test_aml_pkglength);
	tcase_add_test(a, test_aml_limits);
	tcase_add_test(p, test_pm1_power_button);
	tcase_add_test(p, test_pm1_sleep);
	tcase_add_test(t, test_tables_acpi);
	tcase_add_test(t, test_tables_mp);
	tcase_add_test(t, test_tables_refuse);
	suite_add_tcase(s, a);
	suite_add_tcase(s, p);
	suite_add_tcase(s, t);
	return s;
}
