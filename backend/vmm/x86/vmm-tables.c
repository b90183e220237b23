/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-tables.c: build the ACPI tables (FADT, DSDT, MADT) and the MP table: CPUs, IOAPIC, ISA and PCI interrupt wiring, PM1 block. */
#include "config.h"

#include "backend/vmm/x86/vmm-tables.h"

#include <errno.h>
#include <string.h>

#include "backend/vmm/hw/vmm-acpi.h"

#define ISA_IRQS 16
#define ACPI_HEADER_LEN 36

/* MPS INTI flags, as the MP table and the MADT's overrides both use them. */
#define INTI_ACTIVE_LOW 0x0003
#define INTI_LEVEL 0x000c
/* The PCI lines and the SCI: level, active low (PCI's and ACPI's own convention). */
#define INTI_PCI (INTI_ACTIVE_LOW | INTI_LEVEL)

/* MP table bus ids: Linux looks a PCI bus up by its number, so PCI bus 0 is MP bus 0. */
#define MP_BUS_PCI 0
#define MP_BUS_ISA 1

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

/* The INTx entry driving this ISA IRQ, or NULL. */
static const struct vmm_tables_intx *vmm_tables_pci_line(const struct vmm_tables_pci *pci, unsigned irq)
{
	for (unsigned i = 0; i < pci->n; i++)
		if (pci->intx[i].line == irq)
			return &pci->intx[i];
	return NULL;
}

/*
 * The runner wires each slot's INTA# to an ISA IRQ of its own; the tables
 * can only describe lines that are free for it: no ISA device's, not the
 * SCI, not shared, one slot once.
 */
static int vmm_tables_pci_check(const struct vmm_tables_pci *pci, struct vmt_error *err)
{
	static const uint16_t taken = 1u << 0 | 1u << 1 | 1u << 2 | 1u << 4 | 1u << 8 |
				      1u << VMM_ACPI_SCI_IRQ | 1u << 12 | 1u << 13;
	uint32_t lines = 0, slots = 0;

	if (pci->n > VMM_PCI_SLOTS)
		return vmt_error_set(err, -EINVAL, "%u PCI INTx entries: at most %u", pci->n, VMM_PCI_SLOTS);
	for (unsigned i = 0; i < pci->n; i++) {
		unsigned line = pci->intx[i].line, slot = pci->intx[i].slot;

		if (line >= ISA_IRQS || (taken & (1u << line)) || (lines & (1u << line)))
			return vmt_error_set(err, -EINVAL, "PCI slot %u: IRQ %u cannot be its INTx line",
					     slot, line);
		if (slot == 0 || slot >= VMM_PCI_SLOTS || (slots & (1u << slot)))
			return vmt_error_set(err, -EINVAL, "PCI INTx for slot %u: no such slot, or listed twice",
					     slot);
		lines |= 1u << line;
		slots |= 1u << slot;
	}
	return 0;
}

/* --- MADT ------------------------------------------------------------------- */

static uint32_t vmm_tables_madt_len(unsigned cpus, const struct vmm_tables_pci *pci)
{
	return ACPI_HEADER_LEN + 8 + 8 * cpus + 12 + 10 * (1 + pci->n) + 6;
}

/* An interrupt source override: ISA IRQ irq is GSI irq with these flags. */
static uint8_t *vmm_tables_madt_iso(uint8_t *e, unsigned irq, uint16_t flags)
{
	e[0] = 2;
	e[1] = 10;
	e[2] = 0;				/* ISA */
	e[3] = (uint8_t)irq;
	vmm_put32(e + 4, irq);
	vmm_put16(e + 8, flags);
	return e + 10;
}

static void vmm_tables_madt(uint8_t *t, unsigned cpus, const struct vmm_tables_pci *pci)
{
	uint32_t len = vmm_tables_madt_len(cpus, pci);
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
	e = vmm_tables_madt_iso(e + 12, VMM_ACPI_SCI_IRQ, INTI_PCI);
	for (i = 0; i < pci->n; i++)
		e = vmm_tables_madt_iso(e, pci->intx[i].line, INTI_PCI);
	e[0] = 4;				/* local APIC NMI: LINT1 on every CPU */
	e[1] = 6;
	e[2] = 0xff;
	vmm_put16(e + 3, 0);
	e[5] = 1;
	vmm_tables_fix(t, len, 9);
}

/* --- FADT, FACS, DSDT, RSDP/XSDT/RSDT ------------------------------------- */

/* A generic address in system I/O space, accessed a word at a time. */
static void vmm_tables_gas_io(uint8_t *g, uint16_t port, uint8_t bits)
{
	g[0] = 1;
	g[1] = bits;
	g[2] = 0;
	g[3] = 2;
	vmm_put64(g + 4, port);
}

/*
 * Legacy (not hardware-reduced) ACPI: a PM1a event and control block,
 * the SCI on ISA IRQ 9, SMI_CMD 0 (always in ACPI mode), a fixed power
 * button, no sleep button, no PM timer, no GPE block.
 */
static void vmm_tables_fadt(uint8_t *t)
{
	vmm_tables_acpi_header(t, "FACP", VMM_TABLES_FADT_LEN, 6);
	vmm_put32(t + 36, (uint32_t)VMM_TABLES_FACS);
	vmm_put32(t + 40, (uint32_t)VMM_TABLES_DSDT);
	vmm_put16(t + 46, VMM_ACPI_SCI_IRQ);
	vmm_put32(t + 56, VMM_ACPI_PM1_EVT);
	vmm_put32(t + 64, VMM_ACPI_PM1_CNT);
	t[88] = VMM_ACPI_PM1_EVT_LEN;
	t[89] = VMM_ACPI_PM1_CNT_LEN;
	vmm_put16(t + 96, 101);			/* C2 latency over 100 us: no C2 */
	vmm_put16(t + 98, 1001);		/* C3 latency over 1000 us: no C3 */
	t[108] = 0x32;				/* the CMOS century register (vmm-rtc.c) */
	vmm_put16(t + 109, 0x0007);		/* legacy devices, an 8042, no VGA */
	/* WBINVD, C1, no fixed sleep button, no RTC wake status. */
	vmm_put32(t + 112, 1u << 0 | 1u << 2 | 1u << 5 | 1u << 6);
	/* X_FIRMWARE_CTRL stays 0: the spec wants one FACS address, and ACPICA
	 * installs the FACS twice when both are set. */
	vmm_put64(t + 140, VMM_TABLES_DSDT);
	vmm_tables_gas_io(t + 148, VMM_ACPI_PM1_EVT, 8 * VMM_ACPI_PM1_EVT_LEN);
	vmm_tables_gas_io(t + 172, VMM_ACPI_PM1_CNT, 8 * VMM_ACPI_PM1_CNT_LEN);
	memcpy(t + 268, "VMTUIVMM", 8);		/* hypervisor vendor identity */
	vmm_tables_fix(t, VMM_TABLES_FADT_LEN, 9);
}

/* Nothing firmware-side shares it, but the global lock and waking vector live here. */
static void vmm_tables_facs(uint8_t *t)
{
	memcpy(t, "FACS", 4);
	vmm_put32(t + 4, VMM_TABLES_FACS_LEN);
	t[32] = 2;				/* version */
}

static int vmm_tables_dsdt(uint8_t *t, uint32_t window_start, const struct vmm_tables_pci *pci,
			   struct vmt_error *err)
{
	long n = vmm_dsdt_build(t + ACPI_HEADER_LEN, VMM_TABLES_DSDT_MAX - ACPI_HEADER_LEN,
				window_start, pci);

	if (n < 0)
		return vmt_error_set(err, (int)n, "cannot encode the DSDT in %u bytes",
				     VMM_TABLES_DSDT_MAX);
	/* Revision 2: AML integers are 64 bits wide. */
	vmm_tables_acpi_header(t, "DSDT", (uint32_t)(ACPI_HEADER_LEN + n), 2);
	vmm_tables_fix(t, ACPI_HEADER_LEN + (size_t)n, 9);
	return 0;
}

static void vmm_tables_acpi(uint8_t *rsdp, uint8_t *xsdt, uint8_t *rsdt)
{
	static const uint64_t list[] = { VMM_TABLES_FADT, VMM_TABLES_MADT };
	const unsigned n = sizeof(list) / sizeof(list[0]);

	memcpy(rsdp, "RSD PTR ", 8);
	memcpy(rsdp + 9, "VMTUI ", 6);
	rsdp[15] = 2;				/* ACPI 2.0+: XSDT present */
	vmm_put32(rsdp + 16, (uint32_t)VMM_TABLES_RSDT);
	vmm_put32(rsdp + 20, 36);
	vmm_put64(rsdp + 24, VMM_TABLES_XSDT);
	vmm_tables_fix(rsdp, 20, 8);
	vmm_tables_fix(rsdp, 36, 32);
	vmm_tables_acpi_header(xsdt, "XSDT", ACPI_HEADER_LEN + 8 * n, 1);
	vmm_tables_acpi_header(rsdt, "RSDT", ACPI_HEADER_LEN + 4 * n, 1);
	for (unsigned i = 0; i < n; i++) {
		vmm_put64(xsdt + ACPI_HEADER_LEN + 8 * i, list[i]);
		vmm_put32(rsdt + ACPI_HEADER_LEN + 4 * i, (uint32_t)list[i]);
	}
	vmm_tables_fix(xsdt, ACPI_HEADER_LEN + 8 * n, 9);
	vmm_tables_fix(rsdt, ACPI_HEADER_LEN + 4 * n, 9);
}

/* --- MP table (MultiProcessor Specification 1.4) ---------------------------- */

static uint32_t vmm_tables_mpc_len(unsigned cpus)
{
	return 44 + 20 * cpus + 8 * 2 + 8 + 8 * ISA_IRQS + 8 * 2;
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

static uint8_t *vmm_tables_mpc_irq(uint8_t *e, uint8_t type, uint16_t flags, uint8_t bus,
				   uint8_t bus_irq, uint8_t dst_id, uint8_t dst_pin)
{
	e[0] = type;
	e[1] = 0;			/* INT */
	vmm_put16(e + 2, flags);
	e[4] = bus;
	e[5] = bus_irq;
	e[6] = dst_id;
	e[7] = dst_pin;
	return e + 8;
}

/* A local interrupt entry on every CPU's LAPIC. */
static uint8_t *vmm_tables_mpc_lint(uint8_t *e, uint8_t irqtype, uint8_t lint)
{
	vmm_tables_mpc_irq(e, 4, 0, MP_BUS_ISA, 0, 0xff, lint);
	e[1] = irqtype;			/* ExtINT or NMI, not INT */
	return e + 8;
}

/* IOAPIC pin n is ISA IRQ n, or the INTA# of the PCI slot wired to it (source: slot << 2 | pin). */
static uint8_t *vmm_tables_mpc_ioints(uint8_t *e, unsigned cpus, const struct vmm_tables_pci *pci)
{
	for (unsigned irq = 0; irq < ISA_IRQS; irq++) {
		const struct vmm_tables_intx *x = vmm_tables_pci_line(pci, irq);

		if (x)
			e = vmm_tables_mpc_irq(e, 3, INTI_PCI, MP_BUS_PCI, (uint8_t)(x->slot << 2),
					       (uint8_t)cpus, (uint8_t)irq);
		else
			e = vmm_tables_mpc_irq(e, 3, irq == VMM_ACPI_SCI_IRQ ? INTI_PCI : 0,
					       MP_BUS_ISA, (uint8_t)irq, (uint8_t)cpus, (uint8_t)irq);
	}
	return e;
}

static void vmm_tables_mp(uint8_t *fp, uint8_t *t, unsigned cpus, const struct vmm_tables_pci *pci)
{
	uint32_t len = vmm_tables_mpc_len(cpus);
	uint8_t *e;

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
	vmm_put16(t + 34, (uint16_t)(cpus + 2 + 1 + ISA_IRQS + 2));
	vmm_put32(t + 36, VMM_TABLES_LAPIC);
	e = vmm_tables_mpc_cpus(t + 44, cpus);
	memcpy(e, "\x01\x00PCI   ", 8);	/* bus entries in id order */
	memcpy(e + 8, "\x01\x01ISA   ", 8);
	e += 16;
	e[0] = 2;				/* IOAPIC */
	e[1] = (uint8_t)cpus;
	e[2] = 0x11;
	e[3] = 1;				/* enabled */
	vmm_put32(e + 4, VMM_TABLES_IOAPIC);
	e = vmm_tables_mpc_ioints(e + 8, cpus, pci);
	e = vmm_tables_mpc_lint(e, 3, 0);	/* LINT0: ExtINT from the 8259 */
	vmm_tables_mpc_lint(e, 1, 1);		/* LINT1: NMI */
	vmm_tables_fix(t, len, 7);
}

int vmm_tables_build(struct vmm_mem *m, unsigned cpus, const struct vmm_tables_pci *pci,
		     uint64_t *rsdp, struct vmt_error *err)
{
	static const struct vmm_tables_pci none = { 0 };
	uint8_t *p_rsdp = vmm_mem_ptr(m, VMM_TABLES_RSDP, 36);
	uint8_t *p_xsdt = vmm_mem_ptr(m, VMM_TABLES_XSDT, 52);
	uint8_t *p_rsdt = vmm_mem_ptr(m, VMM_TABLES_RSDT, 44);
	uint8_t *p_fadt = vmm_mem_ptr(m, VMM_TABLES_FADT, VMM_TABLES_FADT_LEN);
	uint8_t *p_facs = vmm_mem_ptr(m, VMM_TABLES_FACS, VMM_TABLES_FACS_LEN);
	uint8_t *p_dsdt = vmm_mem_ptr(m, VMM_TABLES_DSDT, VMM_TABLES_DSDT_MAX);
	uint8_t *p_madt, *p_fp, *p_mpc;
	int rc;

	if (cpus == 0 || cpus > VMM_TABLES_MAX_CPUS)
		return vmt_error_set(err, -EINVAL, "%u vCPUs: the tables hold 1 to %u",
				     cpus, VMM_TABLES_MAX_CPUS);
	pci = pci ? pci : &none;
	rc = vmm_tables_pci_check(pci, err);
	if (rc)
		return rc;
	p_madt = vmm_mem_ptr(m, VMM_TABLES_MADT, vmm_tables_madt_len(cpus, pci));
	p_fp = vmm_mem_ptr(m, VMM_TABLES_MPFP, 16);
	p_mpc = vmm_mem_ptr(m, VMM_TABLES_MPC, vmm_tables_mpc_len(cpus));
	if (!p_rsdp || !p_xsdt || !p_rsdt || !p_fadt || !p_facs || !p_dsdt || !p_madt ||
	    !p_fp || !p_mpc)
		return vmt_error_set(err, -EFAULT, "cannot write firmware tables at 0xf0000");
	/* The host decodes from the end of low RAM up (vmm_plug_create). */
	rc = vmm_tables_dsdt(p_dsdt, (uint32_t)m->low_size, pci, err);
	if (rc)
		return rc;
	vmm_tables_facs(p_facs);
	vmm_tables_fadt(p_fadt);
	vmm_tables_madt(p_madt, cpus, pci);
	vmm_tables_acpi(p_rsdp, p_xsdt, p_rsdt);
	vmm_tables_mp(p_fp, p_mpc, cpus, pci);
	*rsdp = VMM_TABLES_RSDP;
	return 0;
}
