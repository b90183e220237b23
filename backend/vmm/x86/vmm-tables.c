/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-tables.c: build the MADT and MP tables that list every vCPU, the IOAPIC and the ISA IRQ wiring. */
#include "config.h"

#include "backend/vmm/x86/vmm-tables.h"

#include <errno.h>
#include <string.h>

#define ISA_IRQS 16

uint8_t vmm_tables_sum(const uint8_t *p, size_t len)
{
	uint8_t s = 0;

	while (len--)
		s = (uint8_t)(s + *p++);
	return s;
}

static void vmm_tables_fix(uint8_t *p, size_t len, size_t sum_at)
{
	p[sum_at] = 0;
	p[sum_at] = (uint8_t)(0x100 - vmm_tables_sum(p, len));
}

/* The 36-byte header every ACPI system description table starts with. */
static void vmm_tables_acpi_header(uint8_t *t, const char *sig, uint32_t len, uint8_t rev)
{
	memcpy(t, sig, 4);
	vmm_put32(t + 4, len);
	t[8] = rev;
	memcpy(t + 10, "VMTUI ", 6);
	memcpy(t + 16, "VMTUIVMM", 8);
	vmm_put32(t + 24, 1);
	memcpy(t + 28, "VMTU", 4);
	vmm_put32(t + 32, 1);
}

static uint32_t vmm_tables_madt_len(unsigned cpus)
{
	return 36 + 8 + 8 * cpus + 12 + 6;
}

static void vmm_tables_madt(uint8_t *t, unsigned cpus)
{
	uint32_t len = vmm_tables_madt_len(cpus);
	uint8_t *e = t + 44;
	unsigned i;

	vmm_tables_acpi_header(t, "APIC", len, 3);
	vmm_put32(t + 36, VMM_TABLES_LAPIC);
	vmm_put32(t + 40, 1);			/* PCAT_COMPAT: there are 8259s too */
	for (i = 0; i < cpus; i++, e += 8) {
		e[0] = 0;			/* processor local APIC */
		e[1] = 8;
		e[2] = (uint8_t)i;		/* ACPI processor uid */
		e[3] = (uint8_t)i;		/* APIC id */
		vmm_put32(e + 4, 1);		/* enabled */
	}
	e[0] = 1;				/* IOAPIC */
	e[1] = 12;
	e[2] = (uint8_t)cpus;			/* its id follows the CPUs' */
	e[3] = 0;
	vmm_put32(e + 4, VMM_TABLES_IOAPIC);
	vmm_put32(e + 8, 0);			/* GSI base */
	e += 12;
	e[0] = 4;				/* local APIC NMI: LINT1 on every CPU */
	e[1] = 6;
	e[2] = 0xff;
	vmm_put16(e + 3, 0);
	e[5] = 1;
	vmm_tables_fix(t, len, 9);
}

static void vmm_tables_acpi(uint8_t *rsdp, uint8_t *xsdt, uint8_t *rsdt)
{
	memcpy(rsdp, "RSD PTR ", 8);
	memcpy(rsdp + 9, "VMTUI ", 6);
	rsdp[15] = 2;				/* ACPI 2.0+: XSDT present */
	vmm_put32(rsdp + 16, (uint32_t)VMM_TABLES_RSDT);
	vmm_put32(rsdp + 20, 36);
	vmm_put64(rsdp + 24, VMM_TABLES_XSDT);
	vmm_tables_fix(rsdp, 20, 8);
	vmm_tables_fix(rsdp, 36, 32);
	vmm_tables_acpi_header(xsdt, "XSDT", 36 + 8, 1);
	vmm_put64(xsdt + 36, VMM_TABLES_MADT);
	vmm_tables_fix(xsdt, 36 + 8, 9);
	vmm_tables_acpi_header(rsdt, "RSDT", 36 + 4, 1);
	vmm_put32(rsdt + 36, (uint32_t)VMM_TABLES_MADT);
	vmm_tables_fix(rsdt, 36 + 4, 9);
}

static uint32_t vmm_tables_mpc_len(unsigned cpus)
{
	return 44 + 20 * cpus + 8 + 8 + 8 * ISA_IRQS + 8 * 2;
}

static uint8_t *vmm_tables_mpc_cpus(uint8_t *e, unsigned cpus)
{
	unsigned i;

	for (i = 0; i < cpus; i++, e += 20) {
		e[0] = 0;			/* processor */
		e[1] = (uint8_t)i;		/* local APIC id */
		e[2] = 0x14;			/* local APIC version */
		e[3] = (uint8_t)(0x01 | (i == 0 ? 0x02 : 0));	/* enabled, BSP */
		vmm_put32(e + 4, 0x600);	/* family 6 signature */
		vmm_put32(e + 8, 0x201);	/* FPU, APIC */
	}
	return e;
}

static void vmm_tables_mpc_irq(uint8_t *e, uint8_t type, uint8_t bus_irq,
			       uint8_t dst_id, uint8_t dst_pin)
{
	e[0] = type;
	e[1] = 0;			/* INT */
	vmm_put16(e + 2, 0);		/* polarity and trigger conform to the bus */
	e[4] = 0;			/* ISA bus */
	e[5] = bus_irq;
	e[6] = dst_id;
	e[7] = dst_pin;
}

static void vmm_tables_mp(uint8_t *fp, uint8_t *t, unsigned cpus)
{
	uint32_t len = vmm_tables_mpc_len(cpus);
	uint8_t *e;
	unsigned i;

	memcpy(fp, "_MP_", 4);
	vmm_put32(fp + 4, (uint32_t)VMM_TABLES_MPC);
	fp[8] = 1;				/* length in 16-byte units */
	fp[9] = 4;				/* MP spec 1.4 */
	vmm_tables_fix(fp, 16, 10);
	memcpy(t, "PCMP", 4);
	vmm_put16(t + 4, (uint16_t)len);
	t[6] = 4;
	memcpy(t + 8, "VMTUI   ", 8);
	memcpy(t + 16, "VMTUI-VMM   ", 12);
	vmm_put16(t + 34, (uint16_t)(cpus + 2 + ISA_IRQS + 2));
	vmm_put32(t + 36, VMM_TABLES_LAPIC);
	e = vmm_tables_mpc_cpus(t + 44, cpus);
	memcpy(e, "\x01\x00ISA   ", 8);	/* bus 0 is ISA */
	e += 8;
	e[0] = 2;				/* IOAPIC */
	e[1] = (uint8_t)cpus;
	e[2] = 0x11;
	e[3] = 1;				/* enabled */
	vmm_put32(e + 4, VMM_TABLES_IOAPIC);
	e += 8;
	for (i = 0; i < ISA_IRQS; i++, e += 8)
		vmm_tables_mpc_irq(e, 3, (uint8_t)i, (uint8_t)cpus, (uint8_t)i);
	vmm_tables_mpc_irq(e, 4, 0, 0xff, 0);	/* LINT0: ExtINT from the 8259 */
	e[1] = 3;
	e += 8;
	vmm_tables_mpc_irq(e, 4, 0, 0xff, 1);	/* LINT1: NMI */
	e[1] = 1;
	vmm_tables_fix(t, len, 7);
}

int vmm_tables_build(struct vmm_mem *m, unsigned cpus, uint64_t *rsdp, struct vmm_error *err)
{
	uint8_t *p_rsdp = vmm_mem_ptr(m, VMM_TABLES_RSDP, 36);
	uint8_t *p_xsdt = vmm_mem_ptr(m, VMM_TABLES_XSDT, 44);
	uint8_t *p_rsdt = vmm_mem_ptr(m, VMM_TABLES_RSDT, 40);
	uint8_t *p_madt, *p_fp, *p_mpc;

	if (cpus == 0 || cpus > VMM_TABLES_MAX_CPUS)
		return vmm_error_set(err, -EINVAL, "%u vCPUs: the tables hold 1 to %u",
				     cpus, VMM_TABLES_MAX_CPUS);
	p_madt = vmm_mem_ptr(m, VMM_TABLES_MADT, vmm_tables_madt_len(cpus));
	p_fp = vmm_mem_ptr(m, VMM_TABLES_MPFP, 16);
	p_mpc = vmm_mem_ptr(m, VMM_TABLES_MPC, vmm_tables_mpc_len(cpus));
	if (!p_rsdp || !p_xsdt || !p_rsdt || !p_madt || !p_fp || !p_mpc)
		return vmm_error_set(err, -EFAULT, "cannot write firmware tables at 0xf0000");
	vmm_tables_madt(p_madt, cpus);
	vmm_tables_acpi(p_rsdp, p_xsdt, p_rsdt);
	vmm_tables_mp(p_fp, p_mpc, cpus);
	*rsdp = VMM_TABLES_RSDP;
	return 0;
}
